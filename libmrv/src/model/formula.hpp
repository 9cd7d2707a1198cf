// Compiled formulas: names resolved to storage slots, dimensions checked,
// unit conversions made explicit, constants folded. A compiled Expr is an
// immutable value; evaluation state lives in the EvalFrame passed in.
#pragma once

#include "model/formula_ast.hpp"
#include "mrv/methodology.hpp"
#include "mrv/units.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mrv::detail {

enum class ValueType { number, boolean, key };

// The most indices (besides the units i) a methodology declares.
inline constexpr int max_indices = 8;

struct Expr {
  enum class Op : std::uint8_t {
    constant,
    parameter,
    negate,
    add,
    subtract,
    multiply,
    divide,
    power,
    less,
    less_equal,
    greater,
    greater_equal,
    equal,
    not_equal,
    logical_and,
    logical_or,
    logical_not,
    if_then_else,
    min,
    max,
    abs,
    floor,
    ceil,
    round,
    exp,         // e^x, x dimensionless
    ln,          // natural logarithm, x dimensionless
    sum_units,   // Σ over the units i of the frame
    key_lookup,  // table value by the combined index of key arguments
    band_lookup, // table value by the band holding a number
    sum_index,   // Σ over the values of index `index` the frame runs over (sum_j)
    index_value, // the current value of index `index`, a key (j in lookup(T, j))
    sum_periods, // Σ over the earlier periods and the current one (sum_x)
    age,         // inside sum_x: the years from period x to the current period (age_x)
  };
  Op op = Op::constant;
  ValueType type = ValueType::number;
  Unit unit;
  double value = 0;             // constant; round: digits
  bool any_unit = false;        // a literal 0, which fits any dimension
  Level level = Level::project; // parameter: where the value is stored
  int slot = -1;                // parameter: index within its level
  // parameter: the index it varies by (its value for index value v is at
  // slot + v); sum_index, index_value: the index. -1: none.
  int index = -1;
  bool at_x = false; // parameter (period level), inside sum_x: its value in period x
  std::string name;  // parameter id, function or table id (for printing)
  std::vector<Expr> args;
  std::vector<double> table; // key_lookup: value per combined key index; band_lookup: values
  std::vector<int> strides;  // key_lookup, band_lookup: stride of each key argument
  std::vector<double> band_from, band_to; // band_lookup, in the argument's unit
  std::vector<int> band_key; // band_lookup by key and band: each band's combined key index
};

// What the compiler needs to know about a name.
struct Symbol {
  std::string id;
  Level level = Level::project; // level of the stored value (aggregates: unit_period)
  ValueType type = ValueType::number;
  Unit unit;
  int slot = -1;
  int record_slot = -1; // monitored and record-level values: the row value's slot
  const std::vector<std::string>* key_domain = nullptr;
  int index = -1;           // the index the value varies by, -1: none
  bool index_value = false; // the index itself (j): its current value, a key
};

// An index other than the units, as the compiler sees it.
struct IndexSymbol {
  std::string name; // j: summed by sum_j(...)
  std::string description;
  const std::vector<std::string>* values = nullptr;
};

class CompileScope {
public:
  virtual ~CompileScope() = default;
  virtual const Symbol* symbol(std::string_view id) const = 0;
  virtual const Table* table(std::string_view id) const = 0;
  virtual std::vector<std::string> names() const = 0;
  // The methodology's indices besides the units i (docs/methodology-format.md#indices).
  virtual const std::vector<IndexSymbol>& indices() const {
    static const std::vector<IndexSymbol> none;
    return none;
  }
};

struct CompiledFormula {
  Expr expr;
  Level level = Level::project;
  int index = -1;          // the index its value varies by, -1: none
  bool reads_past = false; // it sums over earlier periods (sum_x)
};

// Compiles a parsed formula. In a record context, monitored values are the
// row's values; elsewhere they are their period aggregates.
bool compile_formula(const AstNode& ast, const CompileScope& scope, bool record_context,
                     CompiledFormula& out, ParseError& error);

// Wraps `expr` so that it yields `target` (inserting the conversion factor);
// fails with a message when the dimensions differ.
bool convert_to_unit(Expr& expr, const Unit& target, std::string& message);

// An earlier period as sum_x sees it: its period-level values (NaN where
// it has none) and its age in years at the period being evaluated.
struct PastPeriod {
  const double* period = nullptr;
  double age = 0;
};

// Values of each level, for one evaluation.
struct EvalFrame {
  const double* project = nullptr;
  const double* units = nullptr; // unit-level values: units[u * unit_stride + slot]
  std::size_t unit_stride = 0;
  const double* unit_period = nullptr; // unit_period[u * unit_period_stride + slot]
  std::size_t unit_period_stride = 0;
  const double* period = nullptr;
  int unit = -1;                  // the current unit, in scalar contexts
  const int* sum_units = nullptr; // the units Σ_i runs over
  std::size_t sum_unit_count = 0;
  // Record batches: one column per record slot, and the unit of each row.
  const double* const* record = nullptr;
  const int* record_units = nullptr;
  // Indices: the current value of each (an indexed value is read at slot +
  // value), and per index the values Σ runs over.
  std::array<int, max_indices> index{};
  const std::vector<std::vector<int>>* index_values = nullptr;
  // sum_x: the earlier periods, oldest first, each with its period-level
  // values and its age in years at the current period; inside sum_x, the
  // period values of period x and its age.
  const PastPeriod* past_periods = nullptr;
  std::size_t past_period_count = 0;
  const double* past = nullptr;
  double age = 0;
};

// Evaluates `expr` for `n` rows (n = 1 outside record contexts) into out[0..n).
// A lookup with no matching row, or a division by zero, yields NaN or an
// infinity: callers check results for finiteness.
void evaluate(const Expr& expr, const EvalFrame& frame, std::size_t n, double* out);
double evaluate_scalar(const Expr& expr, const EvalFrame& frame);

// Readable form of a compiled formula, from the same tree that runs.
std::string format_expr(const Expr& expr);

} // namespace mrv::detail
