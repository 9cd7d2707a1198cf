#include "model/formula.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>

using namespace mrv;
using namespace mrv::detail;

namespace {

// A scope with a few symbols, one per level, and two tables.
class TestScope : public CompileScope {
public:
  TestScope() {
    add("EG_i_p", Level::unit_period, "MWh", 0, 0);
    add("EF", Level::project, "tCO2/MWh", 0);
    add("cap_i", Level::unit, "kW", 0);
    add("RE_p", Level::period, "tCO2", 0);
    add("eta", Level::project, "%", 1);
    add("T_out", Level::project, "degC", 2);
    add("TD", Level::project, "K", 3);
    Symbol key;
    key.id = "connection_i";
    key.level = Level::unit;
    key.type = ValueType::key;
    key.slot = 1;
    key.key_domain = &domain_;
    symbols_[key.id] = key;
    grid_.id = "EF_grid";
    grid_.unit = *parse_unit("tCO2/MWh");
    grid_.keys = {"connection"};
    grid_.rows = {TableRow{{"grid"}, 0, 0, 0.797, {}}, TableRow{{"captive"}, 0, 0, 0.533, {}}};
    cop_.id = "COP_band";
    cop_.unit = Unit::dimensionless();
    cop_.banded = true;
    cop_.band_unit = *parse_unit("USRt");
    cop_.rows = {TableRow{{}, 0, 300, 5.5, {}}, TableRow{{}, 300, INFINITY, 6.0, {}}};
    // By key and band, with a band missing for one key and a key value
    // ("island") that no argument can take.
    loss_.id = "LOSS";
    loss_.unit = *parse_unit("W");
    loss_.keys = {"connection"};
    loss_.banded = true;
    loss_.band_unit = *parse_unit("kW");
    loss_.rows = {TableRow{{"grid"}, 0, 1000, 100, {}}, TableRow{{"grid"}, 1000, INFINITY, 200, {}},
                  TableRow{{"captive"}, 0, 1000, 150, {}},
                  TableRow{{"island"}, 0, INFINITY, 999, {}}};
  }
  const Symbol* symbol(std::string_view id) const override {
    auto it = symbols_.find(std::string(id));
    return it == symbols_.end() ? nullptr : &it->second;
  }
  const Table* table(std::string_view id) const override {
    if (id == grid_.id) return &grid_;
    if (id == cop_.id) return &cop_;
    if (id == loss_.id) return &loss_;
    return nullptr;
  }
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& [k, v] : symbols_)
      out.push_back(k);
    out.push_back(grid_.id);
    out.push_back(cop_.id);
    out.push_back(loss_.id);
    return out;
  }

private:
  void add(const std::string& id, Level level, const char* unit, int slot, int record_slot = -1) {
    Symbol s;
    s.id = id;
    s.level = level;
    s.unit = *parse_unit(unit);
    s.slot = slot;
    s.record_slot = record_slot;
    symbols_[id] = s;
  }
  std::map<std::string, Symbol> symbols_;
  std::vector<std::string> domain_{"grid", "captive"};
  Table grid_, cop_, loss_;
};

struct Outcome {
  bool ok = false;
  CompiledFormula formula;
  ParseError error;
};

Outcome compile(const std::string& text, bool record = false) {
  static TestScope scope;
  Outcome o;
  AstNode ast;
  if (!parse_formula(text, ast, o.error)) return o;
  o.ok = compile_formula(ast, scope, record, o.formula, o.error);
  return o;
}

// Evaluates with project = {EF, eta, T_out, TD}, two units, and unit-period EG.
double run(const std::string& text, int unit = 0) {
  Outcome o = compile(text);
  REQUIRE_MESSAGE(o.ok, o.error.message);
  double project[] = {0.797, 80.0, 37.0, 1.5};
  double units[] = {500.0, 0.0, 2000.0, 1.0}; // cap_i, connection_i per unit
  double unit_period[] = {10.0, 20.0};
  double period[] = {42.0};
  int all[] = {0, 1};
  EvalFrame f;
  f.project = project;
  f.units = units;
  f.unit_stride = 2;
  f.unit_period = unit_period;
  f.unit_period_stride = 1;
  f.period = period;
  f.unit = unit;
  f.sum_units = all;
  f.sum_unit_count = 2;
  return evaluate_scalar(o.formula.expr, f);
}

} // namespace

TEST_SUITE("formula") {
  TEST_CASE("formula: arithmetic follows precedence and associativity") {
    CHECK(run("1 + 2 * 3") == 7);
    CHECK(run("(1 + 2) * 3") == 9);
    CHECK(run("2 ^ 3 ^ 2") == 512);
    CHECK(run("-2 ^ 2") == -4);
    CHECK(run("2 ^ -1") == 0.5);
    CHECK(run("10 - 4 - 3") == 3);
    CHECK(run("12 / 3 / 2") == 2);
  }

  TEST_CASE("formula: constants are folded at compile time") {
    Outcome o = compile("2 * 3 + 4");
    REQUIRE(o.ok);
    CHECK(o.formula.expr.op == Expr::Op::constant);
    CHECK(o.formula.expr.value == 10);
  }

  TEST_CASE("formula: a constant condition stays a condition, so its printed form compiles") {
    Outcome o = compile("if(0 < 0 or EF >= 2[tCO2/MWh], 1, 2)");
    REQUIRE(o.ok);
    const std::string printed = format_expr(o.formula.expr);
    CHECK(printed == "if(0 < 0 or EF >= 2[tCO2/MWh], 1, 2)");
    CHECK(compile(printed).ok);
    CHECK(run("if(1 < 2, 3, 4)") == 3);
  }

  TEST_CASE("formula: functions and conditions") {
    CHECK(run("min(3, 1, 2)") == 1);
    CHECK(run("max(3, 1, 2)") == 3);
    CHECK(run("abs(-2.5)") == 2.5);
    CHECK(run("floor(2.7) + ceil(2.1)") == 5);
    CHECK(run("round(2.345, 2)") == doctest::Approx(2.35));
    CHECK(run("if(1 < 2 and not (3 <= 2), 10, 20)") == 10);
    CHECK(run("if(1 > 2 or 2 != 2, 10, 20)") == 20);
  }

  TEST_CASE("formula: a sum over units and the levels it produces") {
    CHECK(run("sum_i(EG_i_p * EF)") == doctest::Approx(30 * 0.797));
    Outcome o = compile("sum_i(EG_i_p * EF)");
    CHECK(o.formula.level == Level::period);
    CHECK(compile("EG_i_p * EF").formula.level == Level::unit_period);
    CHECK(compile("cap_i * 2").formula.level == Level::unit);
    CHECK(compile("sum_i(cap_i)").formula.level == Level::project);
    CHECK(compile("RE_p + EG_i_p * EF").formula.level == Level::unit_period);
  }

  TEST_CASE("formula: unit conversions are inserted where dimensions agree") {
    // kW + USRt-free example: 1 MWh plus a kWh literal.
    CHECK(run("EG_i_p + 500[kWh]") == doctest::Approx(10.5));
    CHECK(run("cap_i * 1[h]") == 500); // kW * h: kWh, not converted
    CHECK(run("eta") == 80);
    CHECK(run("eta * 1") == 80);
    CHECK(run("1 - eta") == doctest::Approx(0.2)); // % becomes a fraction
    CHECK(run("T_out + TD") == doctest::Approx(38.5));
  }

  TEST_CASE("formula: table look-ups by key and by band") {
    CHECK(run("lookup(EF_grid, connection_i)", 0) == 0.797);
    CHECK(run("lookup(EF_grid, connection_i)", 1) == 0.533);
    CHECK(run("lookup(EF_grid, \"captive\")") == 0.533);
    CHECK(run("lookup(COP_band, 100[USRt])") == 5.5);
    CHECK(run("lookup(COP_band, cap_i)", 1) == 6.0); // 2000 kW = 568.7 USRt
    CHECK(std::isnan(run("lookup(COP_band, -1[USRt])")));
    CHECK(run("if(connection_i == \"captive\", 1, 2)", 1) == 1);
  }

  TEST_CASE("formula: table look-ups by key and band") {
    // unit 0: cap_i 500 kW, grid; unit 1: cap_i 2000 kW, captive.
    CHECK(run("lookup(LOSS, connection_i, cap_i)", 0) == 100);
    CHECK(std::isnan(run("lookup(LOSS, connection_i, cap_i)", 1))); // no captive band >= 1000
    CHECK(run("lookup(LOSS, connection_i, 0.5[MW])", 1) == 150);    // the band unit is converted
    CHECK(run("lookup(LOSS, \"grid\", cap_i)", 1) == 200);
    CHECK(run("lookup(LOSS, \"island\", 5000[kW])") == 999);
    CHECK(std::isnan(run("lookup(LOSS, \"grid\", -1[kW])")));
    CHECK(compile("lookup(LOSS, connection_i, cap_i)").formula.level == Level::unit);
    CHECK(compile("lookup(LOSS, cap_i, connection_i)").error.message ==
          "table 'LOSS' is looked up by connection, a key; this is power [kW]");
    CHECK(compile("lookup(LOSS, connection_i)").error.message ==
          "table 'LOSS' is looked up by 2 (connection, a number in kW): lookup() needs 2 "
          "arguments after the table");
    CHECK(compile("lookup(LOSS, connection_i, EF)").error.message ==
          "table 'LOSS' is banded by power [kW], not by CO2e mass per energy [tCO2/MWh]");
  }

  TEST_CASE("formula: readable form comes from the compiled tree") {
    Outcome o = compile("sum_i(EG_i_p * lookup(EF_grid, connection_i))");
    REQUIRE(o.ok);
    CHECK(format_expr(o.formula.expr) == "sum_i(EG_i_p * lookup(EF_grid, connection_i))");
    CHECK(format_expr(compile("(EF - 1[tCO2/MWh]) * 2").formula.expr) == "(EF - 1[tCO2/MWh]) * 2");
  }

  TEST_CASE("formula: an unknown symbol is reported at its offset with a suggestion") {
    Outcome o = compile("EG_i_p * EF_x");
    CHECK_FALSE(o.ok);
    CHECK(o.error.message == "unknown symbol 'EF_x' (did you mean 'EF'?)");
    CHECK(o.error.offset == 9);
    CHECK(o.error.length == 4);
  }

  TEST_CASE("formula: adding energy to CO2 is a dimension error") {
    Outcome o = compile("EG_i_p + RE_p");
    CHECK_FALSE(o.ok);
    CHECK(o.error.message == "dimension mismatch: cannot add energy [MWh] and CO2e mass [tCO2]");
    CHECK(o.error.offset == 0);
  }

  TEST_CASE("formula: syntax errors point at the token") {
    Outcome o = compile("1 + * 2");
    CHECK(o.error.message == "expected a value, found '*'");
    CHECK(o.error.offset == 4);
    o = compile("min(1, 2");
    CHECK(o.error.message == "expected ',' or ')' before the end of the formula");
    o = compile("1 < 2 < 3");
    CHECK(o.error.message == "comparisons do not chain; use 'and'");
    o = compile("2 $ 3");
    CHECK(o.error.message == "unexpected character '$'");
    CHECK(o.error.offset == 2);
    o = compile("");
    CHECK(o.error.message == "empty formula");
  }

  TEST_CASE("formula: type errors name what was found") {
    CHECK(compile("if(1, 2, 3)").error.message ==
          "expected a condition (true/false) here, found a dimensionless number");
    CHECK(compile("connection_i + 1").error.message == "expected a number here, found a key");
    CHECK(compile("connection_i == \"grd\"").error.message ==
          "'grd' is not a value of 'connection_i' (one of: grid, captive); did you mean 'grid'?");
    CHECK(compile("lookup(EF_grid, \"x\", \"y\")").error.message ==
          "table 'EF_grid' is looked up by 1 (connection): lookup() needs 1 argument after the "
          "table");
    CHECK(compile("lookup(COP_band, EF)").error.message ==
          "table 'COP_band' is banded by power [USRt], not by CO2e mass per energy [tCO2/MWh]");
    CHECK(compile("EF ^ EF").error.message == "an exponent must be dimensionless");
    CHECK(compile("sqrt(2)").error.message == "unknown function 'sqrt'");
    CHECK(compile("max(1)").error.message == "max() takes at least 2 arguments, not 1");
    CHECK(compile("sum_i(sum_i(cap_i))").error.message == "sum_i() cannot be nested");
  }

  TEST_CASE("formula: exp and ln take a dimensionless number") {
    CHECK(run("exp(1)") == std::exp(1.0));
    CHECK(run("ln(EG_i_p / 1[MWh])") == std::log(10.0));
    CHECK(run("ln(exp(2.5))") == doctest::Approx(2.5));
    CHECK(run("exp(EG_i_p / cap_i / 1[h])") == doctest::Approx(std::exp(20.0)));
    // A ratio of units of one dimension is converted to 1 first (MWh/kWh: 1000),
    // and a value in % is the fraction it is: e^0.8, not e^80.
    CHECK(run("exp(eta)") == doctest::Approx(std::exp(0.8)));
    CHECK(format_expr(compile("exp(eta)").formula.expr) == "exp(eta * 0.01)");
    CHECK(compile("exp(2) + ln(EF * 1[MWh] / 1[tCO2])").formula.expr.unit.text == "1");
    CHECK(compile("exp(0)").formula.expr.value == 1);
    CHECK(compile("exp(EG_i_p)").error.message ==
          "exp() takes a dimensionless number; this is energy [MWh]");
    CHECK(compile("ln(1[h])").error.message ==
          "ln() takes a dimensionless number; this is time [h]");
    CHECK(compile("ln(1 < 2)").error.message == "expected a number here, found a true/false value");
    CHECK(compile("exp(1, 2)").error.message == "exp() takes 1 argument, not 2");
    CHECK(compile("ln(connection_i)").error.message == "expected a number here, found a key");
  }

  TEST_CASE("formula: exp and ln out of their domain give no number, never a wrong one") {
    CHECK(run("ln(EG_i_p * 0 / 1[MWh])") == -INFINITY);
    CHECK(std::isnan(run("ln(-EG_i_p / 1[MWh])")));
    CHECK(run("exp(EG_i_p / 1[MWh] * 100)") == INFINITY);
    CHECK(run("exp(-EG_i_p / 1[MWh] * 100)") == 0);
    // Folded at load like any constant: ln(0) is -inf, which a parameter refuses.
    CHECK(compile("ln(0)").formula.expr.value == -INFINITY);
  }

  TEST_CASE("formula: a literal zero fits any dimension, also after folding") {
    CHECK(compile("EG_i_p + (0 + 0)").ok);
    CHECK(compile("max(0, min(0, 0), EG_i_p)").ok);
    CHECK(compile("if(1 < 2, 0, 0) + EG_i_p").ok);
    CHECK(compile("-0 + RE_p").ok);
    CHECK_FALSE(compile("1 + RE_p").ok);
  }

  TEST_CASE("formula: a condition on a missing value stays missing instead of false") {
    CHECK(std::isnan(run("if(lookup(COP_band, -1[USRt]) > 1, 1, 2)")));
    CHECK(std::isnan(run("if(not (lookup(COP_band, -1[USRt]) > 1), 1, 2)")));
  }

  TEST_CASE("formula: keys only come from key parameters") {
    CHECK(compile("if(1 < 2, connection_i, connection_i) == \"grid\"").error.message ==
          "if() cannot choose between keys; compare the key instead");
    CHECK(compile("connection_i == connection_i").ok);
  }

  TEST_CASE("formula: naming a table where a value is expected suggests lookup") {
    CHECK(compile("EF_grid * 2").error.message == "'EF_grid' is a table: use lookup(EF_grid, key)");
  }

  TEST_CASE("formula: per-record equations cannot use period totals") {
    Outcome o = compile("RE_p * 2", true);
    CHECK(o.error.message ==
          "'RE_p' is a period-level value and cannot be used in a per-record equation");
  }

  TEST_CASE("formula: limits on length and nesting") {
    CHECK(compile(std::string(5000, '1')).error.message == "formula longer than 4096 bytes");
    CHECK(compile(std::string(100, '(') + "1" + std::string(100, ')')).error.message ==
          "formula nested deeper than 64 levels");
  }

  TEST_CASE("formula: a chain of operators counts toward the parse-tree limit") {
    auto sum_of = [](int terms) {
      std::string text = "1";
      for (int i = 1; i < terms; ++i)
        text += "+1";
      return text;
    };
    CHECK(run(sum_of(256)) == 256); // 255 operators: 256 levels
    Outcome deep = compile(sum_of(258));
    CHECK(deep.error.message == "formula nested deeper than 256 levels (each operator of a "
                                "chain such as a + b + c counts as one)");
    CHECK(deep.error.offset == 4); // the "1" after the 2nd "+", 257 levels down
  }

  TEST_CASE("formula: convert_to_unit inserts the factor or refuses another dimension") {
    Outcome o = compile("EG_i_p * EF");
    std::string message;
    REQUIRE(convert_to_unit(o.formula.expr, *parse_unit("kgCO2"), message));
    CHECK(format_expr(o.formula.expr) == "EG_i_p * EF * 1000");
    Outcome wrong = compile("EG_i_p");
    CHECK_FALSE(convert_to_unit(wrong.formula.expr, *parse_unit("tCO2"), message));
    CHECK(
        message ==
        "dimension mismatch: the formula gives energy [MWh] but the parameter is CO2e mass [tCO2]");
  }
}
