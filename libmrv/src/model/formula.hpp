// Compiled formulas: names resolved to storage slots, dimensions checked,
// unit conversions made explicit, constants folded. A compiled Expr is an
// immutable value; evaluation state lives in the EvalFrame passed in.
#pragma once

#include "model/formula_ast.hpp"
#include "mrv/methodology.hpp"
#include "mrv/units.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mrv::detail {

enum class ValueType { number, boolean, key };

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
    exp, // e^x, x dimensionless
    ln,  // natural logarithm, x dimensionless
    sum_units,   // Σ over the units i of the frame
    key_lookup,  // table value by the combined index of key arguments
    band_lookup, // table value by the band holding a number
  };
  Op op = Op::constant;
  ValueType type = ValueType::number;
  Unit unit;
  double value = 0;             // constant; round: digits
  bool any_unit = false;        // a literal 0, which fits any dimension
  Level level = Level::project; // parameter: where the value is stored
  int slot = -1;                // parameter: index within its level
  std::string name;             // parameter id, function or table id (for printing)
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
};

class CompileScope {
public:
  virtual ~CompileScope() = default;
  virtual const Symbol* symbol(std::string_view id) const = 0;
  virtual const Table* table(std::string_view id) const = 0;
  virtual std::vector<std::string> names() const = 0;
};

struct CompiledFormula {
  Expr expr;
  Level level = Level::project;
};

// Compiles a parsed formula. In a record context, monitored values are the
// row's values; elsewhere they are their period aggregates.
bool compile_formula(const AstNode& ast, const CompileScope& scope, bool record_context,
                     CompiledFormula& out, ParseError& error);

// Wraps `expr` so that it yields `target` (inserting the conversion factor);
// fails with a message when the dimensions differ.
bool convert_to_unit(Expr& expr, const Unit& target, std::string& message);

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
};

// Evaluates `expr` for `n` rows (n = 1 outside record contexts) into out[0..n).
// A lookup with no matching row, or a division by zero, yields NaN or an
// infinity: callers check results for finiteness.
void evaluate(const Expr& expr, const EvalFrame& frame, std::size_t n, double* out);
double evaluate_scalar(const Expr& expr, const EvalFrame& frame);

// Readable form of a compiled formula, from the same tree that runs.
std::string format_expr(const Expr& expr);

} // namespace mrv::detail
