// Every declaration checked against the data and the equipment: ratings
// and their bounds, registers, repeats and gaps, coverage, fills, and what
// the data cannot settle (warnings). Data is held in memory.
#include "mrv/calc.hpp"
#include "mrv/render.hpp"

#include "model/compiled_methodology.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <functional>
#include <random>

using namespace mrv;

namespace {

// A methodology of the test: each unit's EG on the reference side, bounded
// by a rating in kW, and a temperature T whose last value counts.
const char* kRated = R"yaml(mrv: methodology/1
id: TEST_RATED
version: "01.0"
title: Test with a rating
family: test
source: {document: test, confirmed: false}
outputs: {reference_emissions: RE_p, project_emissions: PE_p, emission_reductions: ER_p}
parameters:
  EG_i_p: {description: electricity, kind: monitored, unit: MWh, missing: zero, range: [0, null]}
  T_i_p: {description: temperature, kind: monitored, unit: degC, aggregate: last}
  RE_p: {description: ref, kind: calculated, per: period, unit: tCO2, formula: "sum_i(EG_i_p * 1[tCO2/MWh])"}
  PE_p: {description: proj, kind: calculated, per: period, unit: tCO2, formula: "0"}
  ER_p: {description: red, kind: calculated, per: period, unit: tCO2, formula: RE_p - PE_p}
rating:
  description: rated output
  unit: kW
  bounds:
    EG_i_p: {max: rating_i * interval * 1.1, note: test}
)yaml";

Expected<CalcResult> run(const std::string& project_text,
                         const std::map<std::string, std::string>& data, CalcOptions options = {}) {
  Expected<Project> project = load_project(project_text, "p.yaml");
  REQUIRE_MESSAGE(project, format_diagnostic(project.error()));
  Expected<Methodology> m = project->methodology == "m.yaml"
                                ? load_methodology(kRated, "m.yaml")
                                : find_methodology(project->methodology);
  REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
  options.data_in_memory = data;
  return calculate(*m, *project, options);
}

std::string pv_project(const std::string& source_extra = "", const std::string& rating = "1 MW",
                       const std::string& more = "") {
  return "mrv: project/1\nid: T\nmethodology: JCM_MN_AM003\nutc_offset: \"+08:00\"\nunits:\n"
         "  - {id: A, " +
         (rating.empty() ? std::string() : "rating: \"" + rating + "\", ") +
         "values: {connection_i: national_grid}}\n"
         "periods: [{id: P, from: 2017-03-01, to: 2017-03-02}]\n"
         "data:\n  - file: d.csv\n    interval: 1 h\n    timestamp: t\n    unit: A\n" +
         source_extra + "    columns: {EG_i_p: {column: e, unit: kWh}}\n" + more;
}

// Two days of hourly kWh starting at 2017-03-01 00:00.
std::string hours(const std::function<std::string(int)>& value, int from = 0, int to = 48) {
  std::string out = "t,e\n";
  for (int h = from; h < to; ++h)
    out += fmt::format("2017-03-{:02}T{:02}:00,{}\n", 1 + h / 24, h % 24, value(h));
  return out;
}

} // namespace

TEST_SUITE("data_checks") {
  TEST_CASE("data_checks: the lean row path and the general one agree, whatever the rows") {
    // A meter without calibrations corrects nothing but sends every row
    // through the general path: both must give the same bytes.
    const std::string meter = "meters: [{serial: M, unit: A, parameter: EG_i_p}]\n";
    std::mt19937 rng(3);
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<std::string> rows;
      for (int h = 0; h < 48; ++h)
        if (rng() % 9)
          rows.push_back(fmt::format("2017-03-{:02}T{:02}:00,{}", 1 + h / 24, h % 24,
                                     rng() % 5 ? std::to_string(rng() % 900) : ""));
      for (int k = 0; k < 3; ++k)
        rows.insert(rows.begin() + static_cast<long>(rng() % rows.size()),
                    rows[rng() % rows.size()]);
      std::string text = "t,e\n";
      for (const std::string& r : rows)
        text += r + "\n";
      const Expected<CalcResult> lean = run(pv_project(), {{"d.csv", text}});
      const Expected<CalcResult> general = run(pv_project("", "1 MW", meter), {{"d.csv", text}});
      REQUIRE(lean.has_value() == general.has_value());
      if (!lean) {
        CHECK(format_diagnostic(lean.error()) == format_diagnostic(general.error()));
        continue;
      }
      CHECK(render_calc(*lean, Format::md) == render_calc(*general, Format::md));
    }
  }

  TEST_CASE(
      "data_checks: a value above what the rating allows is refused, or kept when explained") {
    const std::string data = hours([](int h) { return h == 12 ? "1200" : "100"; });
    Expected<CalcResult> r = run(pv_project(), {{"d.csv", data}});
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "1.2 MWh of unit 'A' in 1 h is more than its rating allows (1.1 MWh "
                               "= rating_i * interval * 1.1, rating 1 MW)");
    CHECK(r.error().where.line == 14);
    const std::string explained = pv_project().replace(
        pv_project().find("rating: \"1 MW\", "), 16,
        "rating: \"1 MW\", above_rating: [{at: \"2017-03-01T12:00\", why: \"catch-up\"}], ");
    r = run(explained, {{"d.csv", data}});
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    REQUIRE(r->treatments.size() == 1);
    CHECK(r->treatments[0].kind == "above_rating");
    CHECK(r->periods[0].reference == doctest::Approx(47 * 0.1 * 0.797 + 1.2 * 0.797));
  }

  TEST_CASE("data_checks: a rating is a number with a unit of the rating's dimension") {
    Expected<CalcResult> r =
        run(pv_project("", "1 MWh"), {{"d.csv", hours([](int) { return "1"; })}});
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("rating must be power") == 0);
    r = run(pv_project("", "0 kW"), {{"d.csv", hours([](int) { return "1"; })}});
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "a rating must be more than 0");
  }

  TEST_CASE("data_checks: without a rating nothing is bounded, and a warning says so") {
    Expected<CalcResult> r =
        run(pv_project("", ""), {{"d.csv", hours([](int) { return "5000"; })}});
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0].message.find("1 of the project's units declare no rating (A)") == 0);
    CalcOptions strict;
    strict.strict = true;
    r = run(pv_project("", ""), {{"d.csv", hours([](int) { return "5000"; })}}, strict);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("--strict: 1 of the project's units") == 0);
  }

  TEST_CASE("data_checks: a register's rollover must be plausible, its readings within its size") {
    const std::string cumulative = "    columns: {EG_i_p: {column: e, unit: kWh, reading: "
                                   "cumulative, rollover: 100000}}\n";
    std::string project = pv_project();
    project.replace(project.find("    columns: {EG_i_p: {column: e, unit: kWh}}\n"), 46,
                    cumulative);
    // 99,900 then 300: a wrap of 400 kWh in an hour, within 1.1 MWh.
    Expected<CalcResult> r =
        run(project, {{"d.csv", "t,e\n2017-03-01T00:00,99900\n2017-03-01T01:00,300\n"}});
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    CHECK(r->periods[0].reference == doctest::Approx(0.4 * 0.797));
    // 1,500 then 500: 99,000 kWh in an hour would be a rollover, not plausibly.
    r = run(project, {{"d.csv", "t,e\n2017-03-01T00:00,1500\n2017-03-01T01:00,500\n"}});
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("not a plausible rollover of its 100000 register (that would be "
                                 "99000 kWh in 1 h)") != std::string::npos);
    r = run(project, {{"d.csv", "t,e\n2017-03-01T00:00,100000\n"}});
    REQUIRE_FALSE(r);
    CHECK(r.error().message ==
          "the reading 100000 is not below the register size 100000 that `rollover:` declares");
  }

  TEST_CASE("data_checks: differences of plain register readings are exact") {
    std::string project = pv_project();
    project.replace(project.find("unit: kWh}}"), 11, "unit: kWh, reading: cumulative}}");
    Expected<CalcResult> r =
        run(project, {{"d.csv", "t,e\n2017-03-01T00:00,1981554.1\n2017-03-01T01:00,1981883.0\n"}});
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    CHECK(r->periods[0].reference == 0.3289 * 0.797); // 328.9 kWh, not 328.89999999990687
  }

  TEST_CASE("data_checks: an outage across a period boundary gives each period what is proven") {
    // Two periods; a register read hourly, silent from 22:00 on the 1st to 02:00
    // on the 2nd: 400 kWh over 4 hours, 2 in each period.
    std::string project = pv_project();
    project.replace(project.find("periods: [{id: P, from: 2017-03-01, to: 2017-03-02}]"), 52,
                    "periods: [{id: P, from: 2017-03-01, to: 2017-03-01}, {id: Q, from: "
                    "2017-03-02, to: 2017-03-02}]");
    project.replace(project.find("unit: kWh}}"), 11, "unit: kWh, reading: cumulative}}");
    const std::string data = "t,e\n2017-03-01T21:00,1000\n2017-03-01T22:00,1100\n"
                             "2017-03-02T02:00,1500\n2017-03-02T03:00,1600\n";
    Expected<CalcResult> r = run(project, {{"d.csv", data}});
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    // The rating allows 2.2 MWh in two hours: nothing of the 0.4 MWh is proven
    // in either period (each could have had it all).
    CHECK(r->periods[0].reference == doctest::Approx(0.1 * 0.797));
    CHECK(r->periods[1].reference == doctest::Approx(0.1 * 0.797));
    int spans = 0;
    for (const Treatment& t : r->treatments)
      if (t.kind == "register_span") {
        ++spans;
        CHECK(t.amount == 0);
      }
    CHECK(spans == 2);
    // Declared `split: time`: shared by time, 0.2 MWh each.
    project.replace(project.find("reading: cumulative}}"), 21,
                    "reading: cumulative, split: time}}");
    r = run(project, {{"d.csv", data}});
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    CHECK(r->periods[0].reference == doctest::Approx(0.3 * 0.797));
    CHECK(r->periods[1].reference == doctest::Approx(0.3 * 0.797));
  }

  TEST_CASE("data_checks: a source speaks for the units it declares or has rows of") {
    const std::string two_units =
        "mrv: project/1\nid: T\nmethodology: JCM_MN_AM003\nutc_offset: \"+08:00\"\nunits:\n"
        "  - {id: A, rating: \"1 MW\", values: {connection_i: national_grid}}\n"
        "  - {id: B, rating: \"1 MW\", values: {connection_i: national_grid}}\n"
        "periods: [{id: P, from: 2017-03-01, to: 2017-03-01}]\ndata:\n";
    const std::string source = "  - {id: SOURCE, file: FILE, interval: 1 h, timestamp: t, unit: "
                               "{column: u}, COVERS columns: {EG_i_p: {column: e, unit: kWh}}}\n";
    auto with = [&](const std::string& id, const std::string& file, const std::string& covers) {
      std::string s = source;
      s.replace(s.find("SOURCE"), 6, id);
      s.replace(s.find("FILE"), 4, file);
      s.replace(s.find("COVERS "), 7, covers);
      return s;
    };
    std::string a = "t,u,e\n", b = "t,u,e\n";
    for (int h = 0; h < 24; ++h) {
      a += fmt::format("2017-03-01T{:02}:00,A,100\n", h);
      b += fmt::format("2017-03-01T{:02}:00,B,200\n", h);
    }
    // Inferred: each file covers its unit (a warning each), no gap.
    Expected<CalcResult> r = run(two_units + with("a", "a.csv", "") + with("b", "b.csv", ""),
                                 {{"a.csv", a}, {"b.csv", b}});
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    CHECK(r->treatments.empty());
    CHECK(r->warnings.size() == 2);
    CHECK(r->periods[0].reference == doctest::Approx(24 * 0.3 * 0.797));
    // Declared: no warning.
    r = run(two_units + with("a", "a.csv", "units: [A], ") + with("b", "b.csv", "units: [B], "),
            {{"a.csv", a}, {"b.csv", b}});
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    CHECK(r->warnings.empty());
    // Two sources with rows of A for the same hours: refused.
    r = run(two_units + with("a", "a.csv", "") + with("b", "b.csv", ""),
            {{"a.csv", a}, {"b.csv", a}});
    REQUIRE_FALSE(r);
  }

  TEST_CASE("data_checks: two rows at one time may not decide a first or last value") {
    const std::string project =
        "mrv: project/1\nid: T\nmethodology: m.yaml\nutc_offset: \"+00:00\"\n"
        "units: [{id: A, rating: \"1 MW\"}]\nperiods: [{id: P, from: 2020-01-01, to: 2020-01-01}]\n"
        "data:\n  - {file: a.csv, interval: 1 h, timestamp: t, unit: A, columns: {EG_i_p: {column: "
        "e, unit: kWh}}}\n  - {file: b.csv, interval: irregular, timestamp: t, unit: A, columns: "
        "{T_i_p: {column: c, unit: degC}}}\n";
    std::string a = "t,e\n";
    for (int h = 0; h < 24; ++h)
      a += fmt::format("2020-01-01T{:02}:00,1\n", h);
    Expected<CalcResult> r = run(project, {{"a.csv", a}, {"b.csv", "t,c\n2020-01-01T05:00,20\n"}});
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    r = run(project, {{"a.csv", a}, {"b.csv", "t,c\n2020-01-01T05:00,20\n2020-01-01T05:00,21\n"}});
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("different values") != std::string::npos);
  }

  TEST_CASE("data_checks: a methodology's bounds are checked when it loads") {
    std::string m = kRated;
    const std::string rated = "EG_i_p: {max: rating_i * interval * 1.1, note: test}";
    auto with_bound = [&](const std::string& bound) {
      std::string text = m;
      text.replace(text.find(rated), rated.size(), bound);
      return load_methodology(text, "m.yaml");
    };
    Expected<Methodology> loaded = load_methodology(m, "m.yaml");
    REQUIRE(loaded);
    CHECK(loaded->compiled->reductions_additive_in_units);
    CHECK(loaded->compiled->bound_uses_rating == std::vector<bool>{true});
    Expected<Methodology> bad = with_bound("EG_i_p: {max: rating_i * 1.1, note: test}");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("the bound of 'EG_i_p'") == 0);
    bad = with_bound("RE_p: {max: rating_i * interval, note: test}");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("'RE_p' is not a monitored parameter") == 0);
    bad = with_bound("EG_i_p: {max: EG_i_p * 2, note: test}");
    REQUIRE_FALSE(bad); // a bound sees no monitored value
  }

  TEST_CASE("data_checks: whether ER is a sum over the units is read from the equations") {
    std::string text = kRated;
    text.replace(text.find("formula: RE_p - PE_p"), 20, "formula: \"max(RE_p - PE_p, 0)\"");
    const Expected<Methodology> m = load_methodology(text, "m.yaml");
    REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
    CHECK_FALSE(m->compiled->reductions_additive_in_units);
    for (const std::string& file : bundled_methodology_files()) {
      const Expected<Methodology> bundled = load_methodology_file(file);
      REQUIRE(bundled);
      CHECK_MESSAGE(bundled->compiled->reductions_additive_in_units, file);
    }
  }
}
