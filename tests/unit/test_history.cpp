// Sums over earlier periods (docs/formula-language.md#earlier-periods): a
// project's `history:` gives the values sum_x reads at each earlier period,
// the run's own earlier periods add theirs, and age_x is each one's age.
#include "data/timestamp.hpp"
#include "engine/engine.hpp"
#include "mrv/calc.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <string>

using namespace mrv;

namespace {

// Waste W kept out of a landfill, decaying at rate k: RE = Σ_x W_x e^(-k age_x).
const char* kMethodology = R"yaml(mrv: methodology/1
id: TEST_DECAY
version: "01.0"
title: Test of sum_x
family: test
source: {document: test, confirmed: false}
outputs: {reference_emissions: RE_p, project_emissions: PE_p, emission_reductions: ER_p}
parameters:
  W_i_p: {description: waste, kind: monitored, unit: t, missing: zero, range: [0, null]}
  W_p: {description: waste of the period, kind: calculated, per: period, unit: t, formula: sum_i(W_i_p)}
  k: {description: decay rate, kind: ex_ante, unit: 1/yr}
  RE_p: {description: ref, kind: calculated, per: period, unit: tCO2, formula: "sum_x(W_p * exp(-k * age_x)) * 1[tCO2/t]"}
  PE_p: {description: proj, kind: calculated, per: period, unit: tCO2, formula: "0"}
  ER_p: {description: red, kind: calculated, per: period, unit: tCO2, formula: RE_p - PE_p}
)yaml";

const char* kHistory = "history:\n"
                       "  - {id: Y1, from: 2018-01-01, to: 2018-12-31, source: report 1, values: "
                       "{W_p: 100}}\n"
                       "  - {id: Y2, from: 2019-01-01, to: 2019-12-31, source: report 2, values: "
                       "{W_p: 50}}\n";

std::string project_text(const std::string& history = kHistory,
                         const std::string& periods = "periods: [{id: P1, from: 2020-01-01, to: "
                                                      "2020-12-31}, {id: P2, from: 2021-01-01, "
                                                      "to: 2021-12-31}]\n") {
  return "mrv: project/1\nid: T\nmethodology: m.yaml\nutc_offset: \"+00:00\"\n"
         "values: {k: 0.5}\nunits: [{id: U1}]\n" +
         periods + history +
         "data:\n  - {file: d.csv, interval: irregular, timestamp: time, unit: U1, columns: "
         "{W_i_p: {column: w, unit: t}}}\n";
}

// 10 t in 2020, 20 t in 2021.
const char* kData = "time,w\n2020-06-01,10\n2021-06-01,20\n";

Expected<CalcResult> run(const std::string& project) {
  Expected<Methodology> m = load_methodology(kMethodology, "m.yaml");
  REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
  Expected<Project> p = load_project(project, "p.yaml");
  if (!p) return p.error();
  CalcOptions options;
  options.data_in_memory["d.csv"] = kData;
  options.hash_data = false;
  return calculate(*m, *p, options);
}

std::string error_of(const Expected<CalcResult>& r) {
  REQUIRE_FALSE(r);
  return r.error().message;
}

} // namespace

TEST_SUITE("history") {
  TEST_CASE("history: sum_x adds the history, the run's earlier periods and the period itself") {
    Expected<CalcResult> r = run(project_text());
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    REQUIRE(r->periods.size() == 2);
    // P1: 100 t aged 2 years, 50 t aged 1, 10 t of its own.
    CHECK(r->periods[0].reference ==
          doctest::Approx(100 * std::exp(-1.0) + 50 * std::exp(-0.5) + 10).epsilon(1e-12));
    // P2: the same a year older, P1's 10 t aged 1, 20 t of its own.
    CHECK(r->periods[1].reference ==
          doctest::Approx(100 * std::exp(-1.5) + 50 * std::exp(-1.0) + 10 * std::exp(-0.5) + 20)
              .epsilon(1e-12));
    REQUIRE(r->periods[1].earlier.size() == 3);
    CHECK(r->periods[1].earlier[2].period == "P1");
    CHECK(r->periods[1].earlier[0].age == 3.0);
    REQUIRE(r->history.size() == 2);
    CHECK(r->history[0].source == "report 1");
    CHECK(r->history[1].values.at(0).value == 50);
  }

  TEST_CASE("history: without history the first period reads itself only") {
    Expected<CalcResult> r = run(project_text(""));
    REQUIRE(r);
    CHECK(r->periods[0].reference == doctest::Approx(10));
    CHECK(r->periods[1].reference == doctest::Approx(10 * std::exp(-0.5) + 20));
  }

  TEST_CASE("history: every class of bad history is refused with its place") {
    CHECK(error_of(run(project_text("history:\n  - {id: Y1, from: 2018-01-01, to: 2018-12-31, "
                                    "source: r, values: {W_pp: 1}}\n"))) ==
          "'W_pp' is not a parameter of TEST_DECAY_ver01.0");
    CHECK(error_of(run(project_text("history:\n  - {id: Y1, from: 2018-01-01, to: 2018-12-31, "
                                    "source: r, values: {W_p: 1, k: 2}}\n"))) ==
          "'k' is not read at earlier periods: sum_x reads W_p there");
    CHECK(error_of(run(project_text("history:\n  - {id: Y1, from: 2018-01-01, to: 2018-12-31, "
                                    "source: r, values: {}}\n"))) ==
          "earlier period 'Y1' does not give 'W_p' (waste of the period, in t): sum_x reads it "
          "at every earlier period");
    CHECK(error_of(run(project_text("history:\n  - {id: Y1, from: 2018-01-01, to: 2020-01-01, "
                                    "source: r, values: {W_p: 1}}\n"))) ==
          "earlier period 'Y1' ends on 2020-01-01, not before the first monitoring period starts "
          "(2020-01-01): history holds earlier periods only");
    CHECK(error_of(run(project_text(
              "history:\n  - {id: Y1, from: 2018-01-01, to: 2018-12-31, source: r, values: "
              "{W_p: 1}}\n  - {id: Y2, from: 2018-06-01, to: 2019-12-31, source: r, values: "
              "{W_p: 1}}\n"))) ==
          "earlier period 'Y2' starts before 'Y1' ends: list the earlier periods oldest first, "
          "without overlaps");
    CHECK(error_of(run(project_text("history:\n  - {id: P1, from: 2018-01-01, to: 2018-12-31, "
                                    "source: r, values: {W_p: 1}}\n"))) ==
          "'P1' is a monitoring period of this project: an earlier period needs an id of its own");
    CHECK(error_of(run(project_text("history:\n  - {id: Y1, from: 2018-01-01, to: 2018-12-31, "
                                    "values: {W_p: 1}}\n"))) ==
          "an earlier period is missing 'source'");
  }

  TEST_CASE("history: periods listed out of order are refused when sum_x reads them") {
    CHECK(error_of(run(project_text("", "periods: [{id: P2, from: 2021-01-01, to: 2021-12-31}, "
                                        "{id: P1, from: 2020-01-01, to: 2020-12-31}]\n"))) ==
          "period 'P1' starts before period 'P2': TEST_DECAY_ver01.0 sums over earlier periods "
          "(sum_x), so list the periods oldest first");
  }

  TEST_CASE("history: age in years counts whole months as twelfths, other days as 1/365.25") {
    using detail::age_in_years;
    const auto day = [](int y, int m, int d) { return detail::days_from_civil(y, m, d); };
    CHECK(age_in_years(day(2019, 1, 1), day(2021, 1, 1)) == 2.0);
    CHECK(age_in_years(day(2020, 1, 1), day(2021, 1, 1)) == 1.0); // over a leap day
    CHECK(age_in_years(day(2020, 7, 1), day(2021, 1, 1)) == 0.5);
    CHECK(age_in_years(day(2020, 1, 15), day(2020, 2, 14)) == doctest::Approx(30 / 365.25));
    CHECK(age_in_years(day(2020, 1, 15), day(2020, 3, 16)) ==
          doctest::Approx(2 / 12.0 + 1 / 365.25));
  }

  TEST_CASE("history: an embedded example's earlier periods, by age") {
    const std::string example = std::string(kMethodology) +
                                "examples:\n  - id: E\n    values: {k: 0.5}\n"
                                "    history: [{age: 2, values: {W_p: 100}}, {age: 1, values: "
                                "{W_p: 50}}]\n"
                                "    units: [{id: U1, values: {W_i_p: 10}}]\n"
                                "    expected: {RE_p: ";
    const double re = 100 * std::exp(-1.0) + 50 * std::exp(-0.5) + 10;
    Expected<Methodology> m = load_methodology(example + fmt::format("{}", re) + "}\n", "m.yaml");
    REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
    Expected<std::vector<ExampleOutcome>> outcomes = run_examples(*m);
    REQUIRE(outcomes);
    CHECK(outcomes->at(0).passed);
    // A wrong expectation fails: the history is read, not ignored.
    m = load_methodology(example + "10}\n", "m.yaml");
    REQUIRE(m);
    CHECK_FALSE(run_examples(*m)->at(0).passed);
    // Ages must decrease (oldest first), and every value read at x be given.
    std::string text = example + "10}\n";
    text.replace(text.find("age: 1"), 6, "age: 3");
    CHECK(load_methodology(text, "m.yaml").error().message ==
          "age must be more than 0 years, and the earlier periods listed oldest first (ages "
          "decreasing)");
    text = example + "10}\n";
    text.replace(text.find("{W_p: 50}"), 9, "{}");
    m = load_methodology(text, "m.yaml");
    REQUIRE(m);
    CHECK(run_examples(*m).error().message ==
          "the earlier period of example 'E' (age 1 yr) does not give 'W_p' (waste of the "
          "period, in t): sum_x reads it at every earlier period");
  }
}
