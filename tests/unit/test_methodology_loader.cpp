#include "mrv/calc.hpp"
#include "mrv/methodology.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

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

// A methodology library in a temporary folder, used as $MRV_METHODOLOGIES
// while it lives: shared tables are read from its tables/ folder.
class TemporaryLibrary {
public:
  TemporaryLibrary() {
    namespace fs = std::filesystem;
    root_ = fs::temp_directory_path() / ("mrv-tables-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "tables");
    if (const char* old = std::getenv("MRV_METHODOLOGIES")) saved_ = old, had_ = true;
    ::setenv("MRV_METHODOLOGIES", root_.c_str(), 1);
  }
  ~TemporaryLibrary() {
    if (had_)
      ::setenv("MRV_METHODOLOGIES", saved_.c_str(), 1);
    else
      ::unsetenv("MRV_METHODOLOGIES");
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  void write_table(const std::string& name, const std::string& text) const {
    std::ofstream(root_ / "tables" / name) << text;
  }
  std::string tables() const { return (root_ / "tables").string(); }

private:
  std::filesystem::path root_;
  std::string saved_;
  bool had_ = false;
};

const std::string kSharedTable = R"(mrv: table/1
id: EF_TEST
version: "1"
title: Test factors
edition: test data
unit: tCO2/MWh
keys: [case]
source: {document: test, confirmed: true}
rows:
  - {case: a, value: 0.5}
  - {case: b, value: 0.25, source: {document: row, confirmed: false}}
  - {case: c, value: 0.125}
)";

const std::string kInlineTable = R"(  EF_table:
    unit: tCO2/MWh
    keys: [case]
    source: {document: test, confirmed: true}
    rows:
      - {case: a, value: 0.5}
      - {case: b, value: 0.25}
)";

// kValid with its inline table replaced by `reference`.
std::string with_reference(const std::string& reference) {
  return replace(kValid, kInlineTable, "  EF_table: " + reference + "\n");
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

  TEST_CASE("methodology_loader: an example gives a per-record equation's period total") {
    // RE_p sums a per-record product; the example has no rows, so it gives the product's total.
    const std::string text =
        replace(replace(kValid, "formula: sum_i(EG_i_p * EF_i)", "formula: sum_i(x_r * EF_i)"),
                "  PE_p:\n", R"(  x_r:
    description: per record
    kind: calculated
    per: record
    unit: MWh
    formula: EG_i_p * 2
  PE_p:
)");
    Methodology m = *load_methodology(replace(text, "{case_i: b, EG_i_p: \"4000 kWh\"}",
                                              "{case_i: b, EG_i_p: \"4000 kWh\", x_r: \"3 MWh\"}"),
                                      "m.yaml");
    Expected<std::vector<ExampleOutcome>> outcomes = run_examples(m);
    REQUIRE_MESSAGE(outcomes, format_diagnostic(outcomes.error()));
    // 3 MWh x 0.25 tCO2/MWh: the given total, not the equation over the monitored total (8 MWh).
    CHECK((*outcomes)[0].failures ==
          std::vector<std::string>{"RE_p: expected 1, got 0.75", "credited: expected 1, got 0"});
    Methodology without = *load_methodology(text, "m.yaml");
    outcomes = run_examples(without);
    REQUIRE_FALSE(outcomes);
    CHECK(outcomes.error().message ==
          "example 'one': unit 'U1' does not give 'x_r' (its period sum)");
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
  TEST_CASE("methodology_loader: a shared table is read by name and version, with its hash") {
    TemporaryLibrary library;
    library.write_table("EF_TEST_v1.yaml", kSharedTable);
    Expected<Methodology> m =
        load_methodology(with_reference(R"({use: EF_TEST, version: "1", keys: [case]})"), "m.yaml");
    REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
    const Table* t = m->table("EF_table");
    REQUIRE(t);
    CHECK(t->use == "EF_TEST");
    CHECK(t->use_version == "1");
    CHECK(t->file == library.tables() + "/EF_TEST_v1.yaml");
    CHECK(t->sha256.size() == 64);
    CHECK(t->version == "test data");
    CHECK(t->title == "Test factors");
    REQUIRE(t->rows.size() == 3);
    CHECK(t->rows[0].source.confirmed);
    CHECK_FALSE(t->rows[1].source.confirmed);
    Expected<std::vector<ExampleOutcome>> outcomes = run_examples(*m);
    REQUIRE(outcomes);
    CHECK((*outcomes)[0].passed);
  }

  TEST_CASE("methodology_loader: a missing shared table or version says what was looked for") {
    TemporaryLibrary library;
    library.write_table("EF_TEST_v1.yaml", kSharedTable);
    Expected<Methodology> unknown =
        load_methodology(with_reference(R"({use: EF_TSET, version: "1", keys: [case]})"), "m.yaml");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message ==
          "no shared table 'EF_TSET' (no file " + library.tables() + "/EF_TSET_v1.yaml)");
    CHECK(unknown.error().where.line == 9);
    REQUIRE(unknown.error().notes.size() == 1);
    CHECK(unknown.error().notes[0] == "did you mean 'EF_TEST'?");
    Expected<Methodology> version =
        load_methodology(with_reference(R"({use: EF_TEST, version: "2", keys: [case]})"), "m.yaml");
    REQUIRE_FALSE(version);
    CHECK(version.error().message == "table 'EF_TEST' has no version '2' (no file " +
                                         library.tables() + "/EF_TEST_v2.yaml; versions: 1)");
    CHECK(error_of(with_reference(R"({use: EF_TEST, keys: [case]})"))
              .find("a table reference is missing 'version'") != std::string::npos);
    CHECK(error_of(with_reference(R"({use: EF_TEST, version: "../1", keys: [case]})"))
              .find("a table version is letters, digits") != std::string::npos);
  }

  TEST_CASE("methodology_loader: a table reference is strict and checked against the file") {
    TemporaryLibrary library;
    library.write_table("EF_TEST_v1.yaml", kSharedTable);
    CHECK(error_of(with_reference(R"({use: EF_TEST, version: "1", keys: [case], rows: []})"))
              .find("unknown key 'rows' in a table reference") != std::string::npos);
    CHECK(error_of(with_reference(R"({use: EF_TEST, version: "1"})"))
              .find("needs 'keys' (the key columns it is looked up by), 'band'") !=
          std::string::npos);
    CHECK(error_of(with_reference(R"({use: EF_TEST, version: "1", band: MWh})"))
              .find("'EF_table' is used as a band table (band: MWh), but " + library.tables() +
                    "/EF_TEST_v1.yaml is a key table (keys: [case])") != std::string::npos);
    CHECK(error_of(with_reference(R"({use: EF_TEST, version: "1", keys: [grid]})"))
              .find("'EF_table' is looked up by keys: [grid], but") != std::string::npos);
    std::string many;
    for (int i = 0; i < 65; ++i)
      many += "  T" + std::to_string(i) + R"(: {use: EF_TEST, version: "1", keys: [case]})" + "\n";
    CHECK(error_of(replace(kValid, kInlineTable, kInlineTable + many))
              .find("more than 64 shared table references") != std::string::npos);
  }

  TEST_CASE("methodology_loader: site values are monitored per period, for period equations") {
    // PE from a site value FC_p: 2 t x 0.5 = 1 tCO2 against RE 1: ER 0.
    std::string text = replace(kValid, R"(  case_i:
    description: case)",
                               R"(  FC_p:
    description: site fuel
    kind: monitored
    per: period
    unit: t
  case_i:
    description: case)");
    text = replace(text, R"(formula: "0")", R"(formula: "FC_p * 0.5[tCO2/t]")");
    text = replace(text, "  - id: one\n", "  - id: one\n    values: {FC_p: 2}\n");
    text = replace(text, "expected: {RE_p: 1, credited: 1}",
                   "expected: {RE_p: 1, PE_p: 1, credited: 0}");
    Expected<Methodology> m = load_methodology(text, "m.yaml");
    REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
    CHECK(is_site_value(*m->parameter("FC_p")));
    CHECK_FALSE(is_site_value(*m->parameter("EG_i_p")));
    Expected<std::vector<ExampleOutcome>> outcomes = run_examples(*m);
    REQUIRE_MESSAGE(outcomes, format_diagnostic(outcomes.error()));
    CHECK((*outcomes)[0].passed);
    // An example gives a site value with its own values, not a unit's, and must give it.
    Expected<Methodology> under_unit =
        load_methodology(replace(replace(text, "    values: {FC_p: 2}\n", ""),
                                 R"(EG_i_p: "4000 kWh"})", R"(EG_i_p: "4000 kWh", FC_p: 2})"),
                         "m.yaml");
    REQUIRE(under_unit);
    outcomes = run_examples(*under_unit);
    REQUIRE_FALSE(outcomes);
    CHECK(outcomes.error().message ==
          "'FC_p' is measured for the whole site: give it with the values of the project, not of "
          "a unit");
    Expected<Methodology> missing =
        load_methodology(replace(text, "    values: {FC_p: 2}\n", ""), "m.yaml");
    REQUIRE(missing);
    outcomes = run_examples(*missing);
    REQUIRE_FALSE(outcomes);
    CHECK(outcomes.error().message ==
          "example 'one' does not give the site value 'FC_p' (its period sum) with its values");
    // Only `per: period` for a monitored value; never in a per-record equation.
    CHECK(error_of(replace(text, "    per: period\n    unit: t\n", "    per: unit\n    unit: t\n"))
              .find("a monitored value is per record of a unit (leave out 'per') or per period") !=
          std::string::npos);
    CHECK(error_of(replace(text, R"(formula: "FC_p * 0.5[tCO2/t]")",
                           R"(formula: "0"
  x_r:
    description: per record
    kind: calculated
    per: record
    unit: t
    formula: FC_p * 2)"))
              .find("'FC_p' is a period-level value and cannot be used in a per-record equation") !=
          std::string::npos);
  }

  TEST_CASE("methodology_loader: a table by key and band, inline and shared") {
    // EF by case and by the unit's capacity: a: 0.5 below 10 kW, 0.4 from 10 kW;
    // b: 0.25 from 0 kW. The example's unit (b, 4 MWh, 20 kW) gives 1 tCO2.
    const std::string banded = R"(  EF_table:
    unit: tCO2/MWh
    keys: [case]
    band: kW
    source: {document: test, confirmed: true}
    rows:
      - {case: a, from: 0, to: 10, value: 0.5}
      - {case: a, from: 10, to: null, value: 0.4}
      - {case: b, from: 0, to: null, value: 0.25}
)";
    std::string text = replace(kValid, kInlineTable, banded);
    text = replace(text, "formula: lookup(EF_table, case_i)",
                   "formula: lookup(EF_table, case_i, P_i)");
    text = replace(text, "  EF_i:\n", R"(  P_i:
    description: capacity
    kind: ex_ante
    per: unit
    unit: kW
  EF_i:
)");
    text = replace(text, R"(values: {case_i: b, EG_i_p: "4000 kWh"})",
                   R"(values: {case_i: b, P_i: 20 kW, EG_i_p: "4000 kWh"})");
    Expected<Methodology> m = load_methodology(text, "m.yaml");
    REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
    CHECK(m->table("EF_table")->banded);
    CHECK(m->table("EF_table")->keys == std::vector<std::string>{"case"});
    Expected<std::vector<ExampleOutcome>> outcomes = run_examples(*m);
    REQUIRE(outcomes);
    CHECK((*outcomes)[0].passed);
    // Overlap is checked within the bands of the same keys only.
    CHECK(error_of(replace(text, "{case: a, from: 10, to: null", "{case: a, from: 5, to: null"))
              .find("bands overlap for (a)") != std::string::npos);
    CHECK(error_of(replace(text, "{case: b, from: 0, to: null", "{case: b, to: null"))
              .find("a band row is missing 'from'") != std::string::npos);
    CHECK(error_of(replace(text, "{case: b, from: 0", "{from: 0"))
              .find("a table row is missing 'case'") != std::string::npos);

    TemporaryLibrary library;
    library.write_table("EF_KB_v1.yaml", R"(mrv: table/1
id: EF_KB
version: "1"
unit: tCO2/MWh
keys: [case]
band: kW
source: {document: test, confirmed: false}
rows:
  - {case: a, from: 0, to: null, value: 0.5}
  - {case: b, from: 0, to: 100, value: 0.25}
)");
    std::string shared =
        replace(text, banded, "  EF_table: {use: EF_KB, version: \"1\", keys: [case], band: W}\n");
    Expected<Methodology> s = load_methodology(shared, "m.yaml");
    REQUIRE_MESSAGE(s, format_diagnostic(s.error()));
    outcomes = run_examples(*s);
    REQUIRE(outcomes);
    CHECK((*outcomes)[0].passed);
    CHECK(error_of(replace(shared, ", band: W}", "}"))
              .find("'EF_table' is used as a key table (keys: [case]), but " + library.tables() +
                    "/EF_KB_v1.yaml is a table by key and band (keys: [case], band: kW)") !=
          std::string::npos);
    CHECK(error_of(replace(shared, "keys: [case], band: W", "band: W"))
              .find("is used as a band table (band: W), but") != std::string::npos);
    library.write_table("EF_TEST_v1.yaml", kSharedTable);
    CHECK(error_of(replace(shared, "use: EF_KB", "use: EF_TEST"))
              .find("'EF_table' is used as a table by key and band (keys: [case], band: W), but " +
                    library.tables() + "/EF_TEST_v1.yaml is a key table (keys: [case])") !=
          std::string::npos);
  }

  TEST_CASE("methodology_loader: an error in a table file points into that file") {
    TemporaryLibrary library;
    const std::string reference = R"({use: EF_TEST, version: "1", keys: [case]})";
    library.write_table("EF_TEST_v1.yaml", replace(kSharedTable, "value: 0.125", "valeu: 0.125"));
    Expected<Methodology> row = load_methodology(with_reference(reference), "m.yaml");
    REQUIRE_FALSE(row);
    CHECK(row.error().where.file == library.tables() + "/EF_TEST_v1.yaml");
    CHECK(row.error().where.line == 12);
    CHECK(row.error().message == "unknown key 'valeu' in a table row");
    CHECK(row.error().notes.back() == "read as table 'EF_table' of m.yaml:9");
    library.write_table("EF_TEST_v1.yaml", replace(kSharedTable, "id: EF_TEST", "id: EF_OTHER"));
    CHECK(error_of(with_reference(reference))
              .find("the file is named after table 'EF_TEST' but its id is 'EF_OTHER'") !=
          std::string::npos);
    library.write_table("EF_TEST_v1.yaml",
                        replace(kSharedTable, "version: \"1\"", "version: \"2\""));
    CHECK(error_of(with_reference(reference))
              .find("the file is named after version '1' but its version is '2'") !=
          std::string::npos);
    library.write_table("EF_TEST_v1.yaml", replace(kSharedTable, "mrv: table/1", "mrv: table/2"));
    CHECK(error_of(with_reference(reference)).find("expected 'mrv: table/1'") != std::string::npos);
    library.write_table("EF_TEST_v1.yaml", replace(kSharedTable, "edition:", "editon:"));
    CHECK(error_of(with_reference(reference)).find("unknown key 'editon' in a table file") !=
          std::string::npos);
  }

  TEST_CASE("methodology_loader: a table file given as a methodology is named for what it is") {
    CHECK(error_of(kSharedTable).find("this is a shared table file, not a methodology") !=
          std::string::npos);
    CHECK(is_table_file_text(kSharedTable));
    CHECK(is_table_file_text("# a comment\n\nmrv: table/1\nid: X\n"));
    CHECK_FALSE(is_table_file_text("mrv: methodology/1\nid: X\n"));
    CHECK_FALSE(is_table_file_text(""));
  }

  TEST_CASE("methodology_loader: a table file is checked on its own, named <id>_v<version>") {
    const Expected<Table> t =
        load_table_file(std::string(MRV_SOURCE_DIR) + "/methodologies/tables/EF_grid_MN_v1.yaml");
    REQUIRE(t.has_value());
    CHECK(t->use == "EF_grid_MN");
    CHECK(t->use_version == "1");
    CHECK(!t->rows.empty());
    const Expected<Table> misnamed = load_table_file("/nonexistent/EF_grid_MN.yaml");
    REQUIRE_FALSE(misnamed.has_value());
    CHECK(misnamed.error().message ==
          "a table file is named <id>_v<version>.yaml (EF_grid_MN_v1.yaml)");
  }

  TEST_CASE("methodology_loader: every bundled shared table file loads, every row sourced") {
    namespace fs = std::filesystem;
    int files = 0;
    for (const fs::directory_entry& entry : fs::directory_iterator(table_directory())) {
      const std::string stem = entry.path().stem().string();
      CAPTURE(stem);
      REQUIRE(entry.path().extension() == ".yaml");
      const std::size_t at = stem.rfind("_v");
      REQUIRE(at != std::string::npos);
      Expected<Table> t = load_shared_table(stem.substr(0, at), stem.substr(at + 2));
      REQUIRE_MESSAGE(t, format_diagnostic(t.error()));
      CHECK_FALSE(t->rows.empty());
      CHECK_FALSE(t->source.document.empty());
      for (const TableRow& row : t->rows)
        CHECK_FALSE(row.source.document.empty());
      ++files;
    }
    CHECK(files >= 6);
    Expected<Table> missing = load_shared_table("GWP_AR4", "9");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ExitCode::cannot_open);
  }

  TEST_CASE("methodology_loader: bundled methodologies read their shared tables") {
    Expected<Methodology> m = find_methodology("JCM_MN_AM003_ver02.0");
    REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
    const Table* t = m->table("EF_RE_MN");
    REQUIRE(t);
    CHECK(t->use == "EF_grid_MN");
    CHECK(library_relative_path(t->file) == "bundled/tables/EF_grid_MN_v1.yaml");
    CHECK(t->version == "2013-2015 data");
    CHECK(t->rows.size() == 3);
  }
}
