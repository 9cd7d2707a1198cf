// Fuzzes the formula language end to end: parse, compile against a scope
// with a value at every level (keys, tables, units), evaluate. Batches must
// give what one row at a time gives, and the printed form of a compiled
// formula (what `mrv methodology show` prints) must parse back to the same
// values when no unit conversion is involved.
#include "model/formula.hpp"
#include "fuzz_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace mrv;
using namespace mrv::detail;

namespace {

constexpr std::size_t rows = 8;
constexpr int slots = 4;

class FuzzScope : public CompileScope {
public:
  // With `dimensionless`, every number is a pure number: no conversion is
  // ever inserted, so printing is exact and can be checked by re-parsing.
  explicit FuzzScope(bool dimensionless) {
    auto unit = [&](const char* text) {
      return dimensionless ? Unit::dimensionless() : *parse_unit(text);
    };
    auto add = [&](const char* id, Level level, int slot, const char* unit_text,
                   int record_slot = -1) {
      Symbol s;
      s.id = id;
      s.level = level;
      s.slot = slot;
      s.record_slot = record_slot;
      s.unit = unit(unit_text);
      symbols_[id] = s;
    };
    add("a", Level::project, 0, "1");
    add("b", Level::project, 1, "tCO2/MWh");
    add("u", Level::unit, 0, "MWh");
    add("v", Level::unit, 1, "kW");
    add("EG", Level::unit_period, 0, "kWh", 0); // monitored: a row value in records
    add("r", Level::unit_period, 1, "1", 1);
    add("up", Level::unit_period, 2, "tCO2");
    add("p", Level::period, 0, "tCO2");
    Symbol key;
    key.id = "k";
    key.level = Level::unit;
    key.slot = 2;
    key.type = ValueType::key;
    key.key_domain = &domain_;
    symbols_["k"] = key;

    keyed_.id = "T";
    keyed_.unit = unit("tCO2/MWh");
    keyed_.keys = {"grid"};
    for (std::size_t i = 0; i < domain_.size(); ++i)
      keyed_.rows.push_back(TableRow{{domain_[i]}, 0, 0, 0.5 + static_cast<double>(i), {}});
    banded_.id = "B";
    banded_.unit = unit("1");
    banded_.banded = true;
    banded_.band_unit = unit("kW");
    banded_.rows = {TableRow{{}, 0, 100, 3, {}}, TableRow{{}, 100, INFINITY, 4, {}}};
  }
  const Symbol* symbol(std::string_view id) const override {
    auto it = symbols_.find(std::string(id));
    return it == symbols_.end() ? nullptr : &it->second;
  }
  const Table* table(std::string_view id) const override {
    return id == "T" ? &keyed_ : id == "B" ? &banded_ : nullptr;
  }
  std::vector<std::string> names() const override { return {"a", "b", "u", "v", "EG", "T", "B"}; }

private:
  std::vector<std::string> domain_ = {"x", "y", "z"};
  std::map<std::string, Symbol> symbols_;
  Table keyed_, banded_;
};

struct Values {
  double project[slots] = {2, 0.5, 0, 0};
  double units[2 * slots] = {10, 50, 0, 0, -3, 150, 2, 0}; // unit 0 and unit 1; slot 2 is k
  double unit_period[2 * slots] = {1000, 0.25, 7, 0, 2000, -1, 9, 0};
  double period[slots] = {42, 0, 0, 0};
  double columns[slots][rows] = {{0, 1, 2.5, -4, 1e300, 1e-300, 7, 0}, {3, 0, -1, 2, 5, 6, 7, 8}};
  int row_units[rows] = {0, 1, 0, 1, 1, 0, 0, 1};
  int sum_units[2] = {0, 1};
  const double* record[slots] = {columns[0], columns[1], columns[2], columns[3]};
  // Two earlier periods for sum_x, aged 2 and 0.5 years.
  double earlier[2][slots] = {{30, 0, 0, 0}, {-5, 0, 0, 0}};
  PastPeriod past[2] = {{earlier[0], 2}, {earlier[1], 0.5}};
};

EvalFrame frame_for(const Values& v) {
  EvalFrame f;
  f.project = v.project;
  f.units = v.units;
  f.unit_stride = slots;
  f.unit_period = v.unit_period;
  f.unit_period_stride = slots;
  f.period = v.period;
  f.unit = 1;
  f.sum_units = v.sum_units;
  f.sum_unit_count = 2;
  f.past_periods = v.past;
  f.past_period_count = 2;
  return f;
}

bool same(double x, double y) {
  return (std::isnan(x) && std::isnan(y)) || std::memcmp(&x, &y, sizeof x) == 0;
}

// Values that the engine would treat alike. Any non-finite value is refused
// ("equation gives no value" or "an infinite value"), so -inf, inf and NaN
// are one outcome: "(-0)^-2" (inf) printed as "-0^-2" (-inf) is no
// difference a user can see.
bool close(double x, double y) {
  if (!std::isfinite(x) || !std::isfinite(y)) return !std::isfinite(x) && !std::isfinite(y);
  return std::fabs(x - y) <= 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)});
}

// Evaluates `formula`: `rows` values in a record context, one otherwise.
std::vector<double> run(const Expr& expr, bool record_context, const Values& values) {
  EvalFrame frame = frame_for(values);
  if (!record_context) return {evaluate_scalar(expr, frame)};
  frame.record = values.record;
  frame.record_units = values.row_units;
  std::vector<double> out(rows);
  evaluate(expr, frame, rows, out.data());
  // One row at a time gives the same bits as the batch.
  for (std::size_t k = 0; k < rows; ++k) {
    const double* shifted[slots];
    for (int s = 0; s < slots; ++s)
      shifted[s] = values.columns[s] + k;
    EvalFrame one = frame;
    one.record = shifted;
    one.record_units = values.row_units + k;
    double single = 0;
    evaluate(expr, one, 1, &single);
    FUZZ_CHECK(same(single, out[k]));
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool record_context = data[0] & 1;
  const bool dimensionless = data[0] & 2;
  const std::string text(fuzz_text(data + 1, size - 1));
  static const FuzzScope unit_scope(false), plain_scope(true);
  const FuzzScope& scope = dimensionless ? plain_scope : unit_scope;

  AstNode ast;
  ParseError error;
  if (!parse_formula(text, ast, error)) {
    FUZZ_CHECK(!error.message.empty() && error.offset <= text.size() && error.length >= 1);
    return 0;
  }
  FUZZ_CHECK(text.size() <= max_formula_bytes);
  CompiledFormula compiled;
  if (!compile_formula(ast, scope, record_context, compiled, error)) {
    FUZZ_CHECK(!error.message.empty() && error.offset <= text.size());
    return 0;
  }
  static const Values values;
  const std::vector<double> result = run(compiled.expr, record_context, values);
  const std::string printed = format_expr(compiled.expr);
  if (!dimensionless) return 0;

  // What is printed is what runs.
  AstNode reparsed;
  CompiledFormula recompiled;
  // Not checked: non-finite constants (printed as inf or nan) and literals
  // with units.
  const bool printable = printed.find("inf") == std::string::npos &&
                         printed.find("nan") == std::string::npos &&
                         printed.find('[') == std::string::npos;
  if (!printable) return 0;
  const bool printed_form_compiles =
      parse_formula(printed, reparsed, error) &&
      compile_formula(reparsed, scope, record_context, recompiled, error);
  if (!printed_form_compiles) {
    // Printing adds spaces and parentheses ("-2^-a" prints as "-2^(-a)"): only
    // the limits on length and nesting may refuse what it prints.
    const bool over_a_limit = printed.size() > max_formula_bytes ||
                              error.message.starts_with("formula nested deeper than");
    if (!over_a_limit)
      std::fprintf(stderr, "printed '%s' does not compile: %s\n", printed.c_str(),
                   error.message.c_str());
    FUZZ_CHECK(printed_form_compiles || over_a_limit);
    return 0;
  }
  const std::vector<double> again = run(recompiled.expr, record_context, values);
  for (std::size_t k = 0; k < result.size(); ++k) {
    if (!close(result[k], again[k]))
      std::fprintf(stderr, "'%s' gives %.17g, its printed form '%s' gives %.17g\n", text.c_str(),
                   result[k], printed.c_str(), again[k]);
    FUZZ_CHECK(close(result[k], again[k]));
  }
  return 0;
}
