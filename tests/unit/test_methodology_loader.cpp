#include "mrv/calc.hpp"
#include "mrv/methodology.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace mrv;

namespace {

// A small valid methodology; tests replace pieces of it.
const std::string kValid = R"(mrv: methodology/1
id: TEST_AM001
version: "01.0"
title: Test
family: solar-pv
source: {document: test, confirmed: false}
outputs: {reference_emissions: RE_p, project_emissions: PE_p, emission_reductions: ER_p}
tables:
  EF_table:
    unit: tCO2/MWh
    keys: [case]
    source: {document: test, confirmed: true}
    rows:
      - {case: a, value: 0.5}
      - {case: b, value: 0.25}
parameters:
  EG_i_p:
    description: generation
    kind: monitored
    unit: MWh
  case_i:
    description: case
    kind: ex_ante
    per: unit
    values: [a, b]
  EF_i:
    description: factor
    kind: fixed
    unit: tCO2/MWh
    formula: lookup(EF_table, case_i)
    source: {document: test, confirmed: true}
  RE_p:
    description: reference
    kind: calculated
    per: period
    unit: tCO2
    formula: sum_i(EG_i_p * EF_i)
  PE_p:
    description: project
    kind: calculated
    per: period
    unit: tCO2
    formula: "0"
  ER_p:
    description: reductions
    kind: calculated
    per: period
    unit: tCO2
    formula: RE_p - PE_p
examples:
  - id: one
    units:
      - id: U1
        values: {case_i: b, EG_i_p: "4000 kWh"}
    expected: {RE_p: 1, credited: 1}
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

std::string error_of(const std::string& text) {
  Expected<Methodology> m = load_methodology(text, "m.yaml");
  REQUIRE_FALSE(m);
  return format_diagnostic(m.error());
}

} // namespace

TEST_SUITE("methodology_loader") {
  TEST_CASE("methodology_loader: a valid file loads, compiles and its example passes") {
    Expected<Methodology> m = load_methodology(kValid, "m.yaml");
    REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
    CHECK(m->full_id() == "TEST_AM001_ver01.0");
    CHECK(m->parameters.size() == 6);
    CHECK(m->parameter("EF_i")->level == Level::unit);
    CHECK(m->parameter("RE_p")->level == Level::period);
    CHECK(m->parameter("EG_i_p")->level == Level::record);
    CHECK(describe_equation(*m, "RE_p") == "RE_p = sum_i(EG_i_p * EF_i)");
    Expected<std::vector<ExampleOutcome>> outcomes = run_examples(*m);
    REQUIRE(outcomes);
    CHECK((*outcomes)[0].passed);
  }

  TEST_CASE("methodology_loader: a failing example says what it expected and got") {
    Methodology m =
        *load_methodology(replace(kValid, "{RE_p: 1, credited: 1}", "{RE_p: 2}"), "m.yaml");
    std::vector<ExampleOutcome> outcomes = *run_examples(m);
    CHECK_FALSE(outcomes[0].passed);
    CHECK(outcomes[0].failures == std::vector<std::string>{"RE_p: expected 2, got 1"});
  }

  TEST_CASE("methodology_loader: an unknown symbol in a formula points at its token") {
    CHECK(error_of(replace(kValid, "sum_i(EG_i_p * EF_i)", "sum_i(EG_i_p * EF_j)")) ==
          "mrv: m.yaml:37:29: error: unknown symbol 'EF_j' (did you mean 'EF_i'?)\n"
          "      formula: sum_i(EG_i_p * EF_j)\n"
          "                              ^~~~\n");
  }

  TEST_CASE("methodology_loader: a dimension mismatch is located in the formula") {
    CHECK(error_of(replace(kValid, "sum_i(EG_i_p * EF_i)", "sum_i(EG_i_p + EF_i)")) ==
          "mrv: m.yaml:37:20: error: dimension mismatch: cannot add energy [MWh] and CO2e mass per "
          "energy [tCO2/MWh]\n"
          "      formula: sum_i(EG_i_p + EF_i)\n"
          "                     ^~~~~~~~~~~~~\n");
  }

  TEST_CASE("methodology_loader: a formula of the wrong dimension for its parameter") {
    std::string e = error_of(replace(kValid, "sum_i(EG_i_p * EF_i)", "sum_i(EG_i_p)"));
    CHECK(e.find("m.yaml:37:14: error: 'RE_p': dimension mismatch: the formula gives energy [MWh] "
                 "but the parameter is CO2e mass [tCO2]") != std::string::npos);
  }

  TEST_CASE("methodology_loader: a missing sum over units is caught by the declared level") {
    std::string e = error_of(replace(kValid, "sum_i(EG_i_p * EF_i)", "EG_i_p * EF_i"));
    CHECK(e.find("'RE_p' is declared per period but its formula is per unit and period (sum over "
                 "the units with sum_i(...)?)") != std::string::npos);
  }

  TEST_CASE("methodology_loader: equations that depend on each other in a circle") {
    std::string text = replace(kValid, "formula: RE_p - PE_p", "formula: RE_p - PE_p + 0 * ER_p");
    CHECK(error_of(text).find("error: equations form a cycle: ER_p -> ER_p") != std::string::npos);
    text = replace(replace(kValid, "formula: RE_p - PE_p", "formula: RE_p - PE_p"),
                   "formula: \"0\"", "formula: ER_p * 0");
    CHECK(error_of(text).find("equations form a cycle: PE_p -> ER_p -> PE_p") != std::string::npos);
  }

  TEST_CASE("methodology_loader: a duplicate key and an alias are refused with their place") {
    CHECK(error_of(replace(kValid, "title: Test\n", "title: Test\ntitle: Again\n")) ==
          "mrv: m.yaml:5:1: error: duplicate key 'title' (first defined at line 4)\n  title: "
          "Again\n  ^\n");
    CHECK(error_of(replace(kValid, "title: Test\n", "title: &t Test\n"))
              .find("m.yaml:4:8: error: YAML anchors are not allowed") != std::string::npos);
  }

  TEST_CASE("methodology_loader: structural mistakes are named") {
    CHECK(error_of(replace(kValid, "    kind: monitored\n", "    kind: measured\n"))
              .find("kind must be one of monitored, fixed, ex_ante, calculated, not 'measured'") !=
          std::string::npos);
    CHECK(error_of(replace(kValid, "    unit: MWh\n", "    unit: MWhh\n")) ==
          "mrv: m.yaml:20:11: error: unknown unit 'MWhh' (did you mean 'MWh'?)\n      unit: MWhh\n "
          "           ^~~~\n");
    CHECK(error_of(replace(kValid, "source: {document: test, confirmed: false}\n",
                           "source: {document: test}\n"))
              .find("a source is missing 'confirmed'") != std::string::npos);
    CHECK(error_of(replace(kValid, "mrv: methodology/1", "mrv: methodology/9"))
              .find("unsupported format") != std::string::npos);
    CHECK(error_of(replace(kValid, "    description: generation\n",
                           "    description: generation\n    value: 3\n"))
              .find("'value' is not allowed for a parameter of kind monitored") !=
          std::string::npos);
    CHECK(error_of(
              replace(kValid, "      - {case: b, value: 0.25}", "      - {case: a, value: 0.25}"))
              .find("duplicate row (a)") != std::string::npos);
  }

  TEST_CASE("methodology_loader: a formula that divides by zero is refused when the file loads") {
    CHECK(error_of(replace(kValid, "formula: \"0\"", "formula: 1[tCO2] / 0"))
              .find("'PE_p': the formula has no finite value (a division by zero?)") !=
          std::string::npos);
  }

  TEST_CASE("methodology_loader: outputs in kgCO2 are reported and credited in tonnes") {
    Methodology m = *load_methodology(replace(replace(kValid, "    unit: tCO2\n    formula: \"0\"",
                                                      "    unit: kgCO2\n    formula: 500[kgCO2]"),
                                              "{RE_p: 1, credited: 1}",
                                              "{RE_p: 1, PE_p: 500, ER_p: 0.5, credited: 0}"),
                                      "m.yaml");
    std::vector<ExampleOutcome> outcomes = *run_examples(m);
    CHECK(outcomes[0].failures == std::vector<std::string>{});
  }

  TEST_CASE("methodology_loader: an example must give every monitored value") {
    Methodology m = *load_methodology(
        replace(kValid, "{case_i: b, EG_i_p: \"4000 kWh\"}", "{case_i: b}"), "m.yaml");
    Expected<std::vector<ExampleOutcome>> outcomes = run_examples(m);
    REQUIRE_FALSE(outcomes);
    CHECK(outcomes.error().message ==
          "example 'one': unit 'U1' does not give 'EG_i_p' (its period sum)");
  }

  TEST_CASE("methodology_loader: outputs must be per-period CO2e masses") {
    CHECK(error_of(replace(kValid, "emission_reductions: ER_p", "emission_reductions: ER_x"))
              .find("emission reductions parameter 'ER_x' is not defined") != std::string::npos);
  }

  TEST_CASE("methodology_loader: a key value outside its list in an example is located") {
    Methodology m = *load_methodology(replace(kValid, "{case_i: b,", "{case_i: c,"), "m.yaml");
    Expected<std::vector<ExampleOutcome>> outcomes = run_examples(m);
    REQUIRE_FALSE(outcomes);
    CHECK(outcomes.error().message == "'case_i' must be one of: a, b");
    CHECK(outcomes.error().where.line == 54);
  }

  TEST_CASE("methodology_loader: every bundled methodology loads and its examples pass") {
    std::vector<std::string> files = bundled_methodology_files();
    CHECK(files.size() >= 2);
    for (const std::string& file : files) {
      CAPTURE(file);
      Expected<Methodology> m = load_methodology_file(file);
      REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
      CHECK(m->examples.size() >= 3);
      Expected<std::vector<ExampleOutcome>> outcomes = run_examples(*m);
      REQUIRE(outcomes);
      for (const ExampleOutcome& o : *outcomes) {
        CAPTURE(o.id);
        CHECK(o.passed);
      }
    }
  }

  TEST_CASE("methodology_loader: a bundled methodology is found by full id or by id alone") {
    CHECK(find_methodology("JCM_MN_AM003_ver02.0")->version == "02.0");
    CHECK(find_methodology("JCM_MN_AM003")->id == "JCM_MN_AM003");
    Expected<Methodology> missing = find_methodology("JCM_MN_AM004");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ExitCode::cannot_open);
  }
}
