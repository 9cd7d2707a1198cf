#include "report/excel_formula.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>

using namespace mrv;
using namespace mrv::detail;

namespace {

// Symbols at every level, a key, and two tables, as a methodology compiles them.
class Scope : public CompileScope {
public:
  Scope() {
    add("EG_i_p", Level::unit_period, "MWh", 0);
    add("cap_i", Level::unit, "kW", 0);
    add("EF", Level::project, "tCO2/MWh", 0);
    add("n", Level::project, "1", 1);
    add("eta", Level::project, "%", 2);
    add("RE_p", Level::period, "tCO2", 0);
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
  }
  const Symbol* symbol(std::string_view id) const override {
    auto it = symbols_.find(std::string(id));
    return it == symbols_.end() ? nullptr : &it->second;
  }
  const Table* table(std::string_view id) const override {
    return id == grid_.id ? &grid_ : nullptr;
  }
  std::vector<std::string> names() const override { return {}; }

private:
  void add(const std::string& id, Level level, const char* unit, int slot) {
    Symbol s;
    s.id = id;
    s.level = level;
    s.unit = *parse_unit(unit);
    s.slot = slot;
    symbols_[id] = s;
  }
  std::map<std::string, Symbol> symbols_;
  std::vector<std::string> domain_{"grid", "captive"};
  Table grid_;
};

// Per-unit values in consecutive rows of Inputs (unit u at row 2 + u),
// project values further down, look-ups in Calculation.
class Cells : public ExcelCells {
public:
  explicit Cells(int units) : units_(units) {}
  std::string parameter(const std::string& id, Level level, int unit) override {
    if (id == "EG_i_p") return "Inputs!E" + std::to_string(2 + unit);
    if (id == "cap_i") return "Inputs!F" + std::to_string(2 + unit);
    if (id == "connection_i") return "Inputs!G" + std::to_string(2 + unit);
    if (id == "EF") return "Inputs!E1000";
    if (id == "n") return "Inputs!E1001";
    if (id == "eta") return "Inputs!E1002";
    (void)level;
    return ""; // RE_p has no cell: an error
  }
  std::string lookup(const Expr& e, int unit) override {
    lookups.push_back(e.name + "/" + std::to_string(unit));
    return "L" + std::to_string(unit + 10);
  }
  int unit_count() const override { return units_; }
  std::vector<std::string> lookups;

private:
  int units_;
};

Expr compiled(const std::string& text) {
  static Scope scope;
  AstNode ast;
  ParseError error;
  REQUIRE_MESSAGE(parse_formula(text, ast, error), error.message);
  CompiledFormula formula;
  REQUIRE_MESSAGE(compile_formula(ast, scope, false, formula, error), error.message);
  return formula.expr;
}

std::string excel(const std::string& text, int unit = 0, int units = 2) {
  Cells cells(units);
  ExcelFormula f = excel_formula(compiled(text), cells, unit);
  REQUIRE_MESSAGE(f.ok(), f.error);
  return f.text;
}

} // namespace

TEST_SUITE("excel_formula") {
  TEST_CASE("excel formula: parameters become the cells that hold them") {
    CHECK(excel("EG_i_p * EF") == "Inputs!E2*Inputs!E1000");
    CHECK(excel("EG_i_p * EF", 1) == "Inputs!E3*Inputs!E1000");
  }

  TEST_CASE("excel formula: sum_i is a SUM over the units' cells, a range when contiguous") {
    CHECK(excel("sum_i(EG_i_p)", -1) == "SUM(Inputs!E2:E3)");
    CHECK(excel("sum_i(EG_i_p)", -1, 1) == "SUM(Inputs!E2)");
    CHECK(excel("sum_i(EG_i_p * EF)", -1) == "SUM(Inputs!E2*Inputs!E1000,Inputs!E3*Inputs!E1000)");
    CHECK(excel("sum_i(EG_i_p)", -1, 0) == "0");
  }

  TEST_CASE("excel formula: a SUM never takes more than 255 arguments") {
    const std::string text = excel("sum_i(EG_i_p * EF)", -1, 300);
    CHECK(text.starts_with("SUM(SUM(Inputs!E2*Inputs!E1000,"));
    CHECK(text.find("),SUM(Inputs!E257*Inputs!E1000,") != std::string::npos);
  }

  TEST_CASE("excel formula: grouping follows the tree, not Excel's own precedence") {
    // mrv: -x^2 is -(x^2) and ^ is right-associative; Excel: (-x)^2, left.
    CHECK(excel("-EF^2") == "-(Inputs!E1000^2)");
    CHECK(excel("(-n)^2") == "(-Inputs!E1001)^2");
    CHECK(excel("n^n^n") == "Inputs!E1001^(Inputs!E1001^Inputs!E1001)");
    CHECK(excel("(n^n)^n") == "(Inputs!E1001^Inputs!E1001)^Inputs!E1001");
    CHECK(excel("n - (n - n)") == "Inputs!E1001-(Inputs!E1001-Inputs!E1001)");
    CHECK(excel("n - n - n") == "Inputs!E1001-Inputs!E1001-Inputs!E1001");
    // Floating-point addition is not associative: the tree's grouping stays.
    CHECK(excel("n + (n + n)") == "Inputs!E1001+(Inputs!E1001+Inputs!E1001)");
    CHECK(excel("n / (n * n)") == "Inputs!E1001/(Inputs!E1001*Inputs!E1001)");
    CHECK(excel("(n + n) * n") == "(Inputs!E1001+Inputs!E1001)*Inputs!E1001");
    CHECK(excel("n * -n") == "Inputs!E1001*(-Inputs!E1001)");
    CHECK(excel("-(-n)") == "-(-Inputs!E1001)");
  }

  TEST_CASE("excel formula: conditions and functions") {
    CHECK(excel("if(n > 2 and not (n < 1) or n == 3, n, 0)") ==
          "IF(OR(AND(Inputs!E1001>2,NOT(Inputs!E1001<1)),Inputs!E1001=3),Inputs!E1001,0)");
    CHECK(excel("if(n != 1, n, 0)") == "IF(Inputs!E1001<>1,Inputs!E1001,0)");
    CHECK(excel("if(n <= 1 and n >= 0, 1, 0)") == "IF(AND(Inputs!E1001<=1,Inputs!E1001>=0),1,0)");
    CHECK(excel("min(n, 2, 3) + max(n, 0)") == "MIN(Inputs!E1001,2,3)+MAX(Inputs!E1001,0)");
    CHECK(excel("abs(n)") == "ABS(Inputs!E1001)");
    CHECK(excel("floor(n)") == "INT(Inputs!E1001)");
    CHECK(excel("ceil(n)") == "-INT(-Inputs!E1001)");
    CHECK(excel("ceil(n) * 2") == "(-INT(-Inputs!E1001))*2");
    CHECK(excel("round(n, 2) + round(n)") == "ROUND(Inputs!E1001,2)+ROUND(Inputs!E1001,0)");
    CHECK(excel("round(n, -2)") == "ROUND(Inputs!E1001,-2)");
    CHECK(excel("exp(-n * 2) * ln(n)") == "EXP((-Inputs!E1001)*2)*LN(Inputs!E1001)");
    CHECK(excel("exp(eta)") == "EXP(Inputs!E1002*0.01)");
  }

  TEST_CASE("excel formula: keys compare with their texts") {
    CHECK(excel("if(connection_i == \"captive\", 1, 0)", 1) == "IF(Inputs!G3=\"captive\",1,0)");
    CHECK(excel("if(connection_i != \"grid\", 1, 0)") == "IF(Inputs!G2<>\"grid\",1,0)");
  }

  TEST_CASE("excel formula: a table look-up is the cell that holds its value") {
    Cells cells(2);
    ExcelFormula f = excel_formula(compiled("EG_i_p * lookup(EF_grid, connection_i)"), cells, 1);
    REQUIRE(f.ok());
    CHECK(f.text == "Inputs!E3*L11");
    CHECK(cells.lookups == std::vector<std::string>{"EF_grid/1"});
  }

  TEST_CASE("excel formula: unit conversions and constants are explicit numbers") {
    CHECK(excel("EG_i_p + 1[kWh]") == "Inputs!E2+0.001");
    CHECK(excel("1 - eta") == "1-Inputs!E1002*0.01");
    CHECK(excel("n * 1e-6") == "Inputs!E1001*1E-06");
    CHECK(excel("n * -2") == "Inputs!E1001*(-2)");
    CHECK(excel("-2 + n") == "(-2)+Inputs!E1001");
  }

  TEST_CASE("excel formula: a value without a cell is an error, not a wrong formula") {
    Cells cells(2);
    ExcelFormula f = excel_formula(compiled("RE_p * 2"), cells, -1);
    CHECK_FALSE(f.ok());
    CHECK(f.error == "no cell holds 'RE_p'");
    CHECK(f.text.empty());
    f = excel_formula(compiled("EG_i_p"), cells, -1);
    CHECK(f.error == "'EG_i_p' is per unit, outside sum_i");
  }

  TEST_CASE("excel formula: numbers, texts and cell names") {
    CHECK(excel_number(0.797) == "0.797");
    CHECK(excel_number(435) == "435");
    CHECK(excel_number(1e-6) == "1E-06");
    CHECK(excel_number(2.5e20) == "2.5E+20");
    CHECK(excel_number(-0.5) == "-0.5");
    CHECK(excel_string("a\"b") == "\"a\"\"b\"");
    CHECK(excel_cell(0, 0) == "A1");
    CHECK(excel_cell(11, 4) == "E12");
    CHECK(excel_cell(0, 25) == "Z1");
    CHECK(excel_cell(0, 26) == "AA1");
    CHECK(excel_cell(0, 701) == "ZZ1");
    CHECK(excel_cell(0, 702) == "AAA1");
  }

  TEST_CASE("excel formula: texts a spreadsheet would evaluate are guarded") {
    CHECK(guard_spreadsheet_text("=1+1") == "'=1+1");
    CHECK(guard_spreadsheet_text("+P1") == "'+P1");
    CHECK(guard_spreadsheet_text("-2+3") == "'-2+3");
    CHECK(guard_spreadsheet_text("@SUM(1,1)") == "'@SUM(1,1)");
    CHECK(guard_spreadsheet_text("\t=x") == "'\t=x");
    CHECK(guard_spreadsheet_text("\r=x") == "'\r=x");
    CHECK(guard_spreadsheet_text("PV-A") == "PV-A");
    CHECK(guard_spreadsheet_text("1=1") == "1=1");
    CHECK(guard_spreadsheet_text("") == "");
    CHECK(guard_spreadsheet_text("太陽光") == "太陽光");
    CHECK_FALSE(needs_formula_guard("national_grid"));
    CHECK(needs_formula_guard("=HYPERLINK(\"http://x\")"));
  }
}
