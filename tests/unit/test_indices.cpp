// Indices besides the units (docs/methodology-format.md#indices): declared by
// a methodology, summed by sum_k, values per index value from the project
// file and from data columns named PARAMETER[VALUE], checked like units.
#include "model/compiled_methodology.hpp"
#include "mrv/calc.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace mrv;

namespace {

// Boilers burning fuels k; the reference mix is given per fuel.
const char* kMethodology = R"yaml(mrv: methodology/1
id: TEST_FUELS
version: "01.0"
title: Test of an index
family: test
source: {document: test, confirmed: false}
outputs: {reference_emissions: RE_p, project_emissions: PE_p, emission_reductions: ER_p}
indices:
  k: {description: fuel type, values: [diesel, lpg, gas]}
tables:
  EF_T:
    unit: tCO2/t
    keys: [fuel]
    source: {document: test, confirmed: false}
    rows: [{fuel: diesel, value: 3}, {fuel: lpg, value: 2}, {fuel: gas, value: 1}]
parameters:
  EG_i_p: {description: heat, kind: monitored, unit: GJ, missing: zero, range: [0, null]}
  FC_i_k_p: {description: fuel k, kind: monitored, index: k, unit: t, missing: zero, range: [0, null]}
  w_k: {description: reference share of fuel k, kind: ex_ante, index: k, unit: "1"}
  EF_k: {description: factor of fuel k, kind: fixed, unit: tCO2/t, formula: "lookup(EF_T, k)", source: {document: test, confirmed: false}}
  EF_RE: {description: reference factor, kind: calculated, unit: tCO2/t, formula: sum_k(w_k * EF_k)}
  PE_i_k_p: {description: emissions of fuel k, kind: calculated, unit: tCO2, formula: FC_i_k_p * EF_k}
  RE_p: {description: ref, kind: calculated, per: period, unit: tCO2, formula: "sum_i(EG_i_p) * 1[t/GJ] * EF_RE"}
  PE_p: {description: proj, kind: calculated, per: period, unit: tCO2, formula: sum_i(sum_k(PE_i_k_p))}
  ER_p: {description: red, kind: calculated, per: period, unit: tCO2, formula: RE_p - PE_p}
)yaml";

std::string project_text(const std::string& values = "w_k: {diesel: 0.5, lpg: 0.5}",
                         const std::string& indices = "indices: {k: [diesel, lpg]}\n",
                         const std::string& columns = "\"FC_i_k_p[diesel]\": {column: d, unit: t}, "
                                                      "\"FC_i_k_p[lpg]\": {column: l, unit: kg}") {
  return "mrv: project/1\nid: T\nmethodology: m.yaml\nutc_offset: \"+00:00\"\n" + indices +
         "values: {" + values +
         "}\n"
         "units: [{id: U1}]\n"
         "periods: [{id: P, from: 2020-01-01, to: 2020-01-01}]\n"
         "data:\n  - {file: d.csv, interval: 8 h, timestamp: time, unit: U1, columns: {EG_i_p: "
         "{column: eg, unit: GJ}, " +
         columns + "}}\n";
}

// A day of U1 in three rows: 10 GJ, 1 t of diesel and 500 kg of LPG each.
const char* kData = "time,eg,d,l\n2020-01-01 00:00,10,1,500\n2020-01-01 08:00,10,1,500\n"
                    "2020-01-01 16:00,10,1,500\n";

Expected<Methodology> methodology(const std::string& text = kMethodology) {
  return load_methodology(text, "m.yaml");
}

Expected<CalcResult> run(const std::string& project, const std::string& data = kData) {
  Expected<Methodology> m = methodology();
  REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
  Expected<Project> p = load_project(project, "p.yaml");
  if (!p) return p.error();
  CalcOptions options;
  options.data_in_memory["d.csv"] = data;
  options.hash_data = false;
  return calculate(*m, *p, options);
}

std::string error_of(const Expected<CalcResult>& r) {
  REQUIRE_FALSE(r);
  return r.error().message;
}

std::string load_error(const std::string& text) {
  Expected<Methodology> m = methodology(text);
  REQUIRE_FALSE(m);
  return m.error().message;
}

// The test methodology with one line replaced.
std::string with(const std::string& from, const std::string& to) {
  std::string text = kMethodology;
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

double traced(const std::vector<TraceValue>& values, const std::string& id,
              const std::string& index) {
  for (const TraceValue& v : values)
    if (v.parameter == id && v.index == index) return v.value;
  return -1;
}

} // namespace

TEST_SUITE("indices") {
  TEST_CASE("indices: a value varies by the index of its declaration or of its formula") {
    Expected<Methodology> m = methodology();
    REQUIRE(m);
    CHECK(m->indices.size() == 1);
    CHECK(m->parameter("w_k")->index == 0);
    CHECK(m->parameter("EF_k")->index == 0);     // inferred from lookup(EF_T, k)
    CHECK(m->parameter("PE_i_k_p")->index == 0); // inferred from its inputs
    CHECK(m->parameter("EF_RE")->index == -1);   // summed over k
    CHECK(m->parameter("EF_RE")->level == Level::project);
    CHECK(describe_equation(*m, "EF_RE") == "EF_RE = sum_k(w_k * EF_k)");
    // Three fuels: three slots each for w_k, EF_k, FC_i_k_p and PE_i_k_p.
    const CompiledMethodology& c = *m->compiled;
    CHECK(c.project_slots == 3 + 3 + 1);     // w_k, EF_k, EF_RE
    CHECK(c.unit_period_slots == 1 + 3 + 3); // EG_i_p, FC_i_k_p, PE_i_k_p
  }

  TEST_CASE("indices: sum_k runs over the index values the project uses") {
    Expected<CalcResult> r = run(project_text());
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    const SliceResult& p = r->periods.at(0);
    // EF_RE = 0.5 × 3 + 0.5 × 2; RE = 30 GJ × 1 t/GJ × 2.5; PE = 3 t × 3 + 1.5 t × 2.
    CHECK(traced(p.values, "EF_RE", "") == 2.5);
    CHECK(traced(p.values, "w_k", "lpg") == 0.5);
    CHECK(traced(p.values, "EF_k", "diesel") == 3);
    CHECK(traced(p.values, "EF_k", "gas") == -1); // not used, not traced
    CHECK(p.reference == 75);
    CHECK(p.project == 12);
    CHECK(p.reductions == 63);
  }

  TEST_CASE("indices: every value of the index without `indices`") {
    Expected<CalcResult> r = run(
        project_text("w_k: {diesel: 0.5, lpg: 0.25, gas: 0.25}", "",
                     "\"FC_i_k_p[diesel]\": {column: d, unit: t}, \"FC_i_k_p[lpg]\": {column: l, "
                     "unit: kg}, \"FC_i_k_p[gas]\": {column: d, unit: t}"));
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    CHECK(traced(r->periods.at(0).values, "EF_RE", "") == 2.25);
    CHECK(r->periods.at(0).project == 15); // 9 + 3 + 3 t of gas × 1
  }

  TEST_CASE("indices: values per index value are checked like units") {
    CHECK(error_of(run(project_text("w_k: {diesel: 0.5, lpgg: 0.5}"))) ==
          "'lpgg' is not a value of k (fuel type): diesel, lpg, gas");
    CHECK(error_of(run(project_text("w_k: {diesel: 0.5, gas: 0.5}"))) ==
          "'gas' is not one of the values of k this project uses (indices: k: [diesel, lpg])");
    CHECK(error_of(run(project_text("w_k: {diesel: 0.5}"))) ==
          "no value is given for 'w_k' for k = 'lpg' (reference share of fuel k, in 1)");
    CHECK(error_of(run(project_text("w_k: 0.5"))) ==
          "'w_k' varies by k (fuel type): give a value per index value, {diesel: ...}");
    CHECK(error_of(run(project_text("w_k: {diesel: 0.5, lpg: 0.5}", "indices: {f: [diesel]}\n"))) ==
          "'f' is not an index of TEST_FUELS_ver01.0 (indices: k)");
    CHECK(error_of(
              run(project_text("w_k: {diesel: 0.5, lpg: 0.5}", "indices: {k: [diesel, dsl]}\n"))) ==
          "'dsl' is not a value of k (fuel type): diesel, lpg, gas");
  }

  TEST_CASE("indices: the location of a wrong index value is its own") {
    Expected<CalcResult> r = run(project_text("w_k: {diesel: 0.5, lpgg: 0.5}"));
    REQUIRE_FALSE(r);
    CHECK(r.error().where.line == 6);
    CHECK(r.error().where.column == 29);
    CHECK(r.error().notes.at(0) == "did you mean 'lpg'?");
  }

  TEST_CASE("indices: every index value the project uses comes from some column") {
    CHECK(error_of(run(project_text("w_k: {diesel: 0.5, lpg: 0.5}", "indices: {k: [diesel, lpg]}\n",
                                    "\"FC_i_k_p[diesel]\": {column: d, unit: t}"))) ==
          "no data source gives the monitored parameter 'FC_i_k_p' for k = 'lpg' (fuel k, t)");
    CHECK(error_of(run(project_text("w_k: {diesel: 0.5, lpg: 0.5}", "indices: {k: [diesel, lpg]}\n",
                                    "FC_i_k_p: {column: d, unit: t}"))) ==
          "'FC_i_k_p' varies by k (fuel type): map a column per index value, as "
          "'FC_i_k_p[diesel]'");
    CHECK(error_of(run(
              project_text("w_k: {diesel: 0.5, lpg: 0.5}", "indices: {k: [diesel, lpg]}\n",
                           "\"FC_i_k_p[diesel]\": {column: d, unit: t}, \"FC_i_k_p[lpg]\": "
                           "{column: l, unit: kg}, \"FC_i_k_p[gas]\": {column: d, unit: t}"))) ==
          "'gas' is not one of the values of k this project uses (its `indices:`)");
    CHECK(error_of(
              run(project_text("w_k: {diesel: 0.5, lpg: 0.5}", "indices: {k: [diesel, lpg]}\n",
                               "\"FC_i_k_p[diesel]\": {column: d, unit: t}, \"FC_i_k_p[lpg]\": "
                               "{column: l, unit: kg}, \"EG_i_p[lpg]\": {column: d, unit: GJ}"))) ==
          "'EG_i_p' does not vary by an index: map it as 'EG_i_p', without [lpg]");
  }

  TEST_CASE("indices: treatments and messages name the index value") {
    // LPG missing in one hour: counted as nothing would lower PE, so it is filled.
    const std::string data = "time,eg,d,l\n2020-01-01 00:00,10,1,500\n2020-01-01 08:00,10,1,\n"
                             "2020-01-01 16:00,10,1,500\n";
    Expected<CalcResult> r = run(project_text() + "fills: {FC_i_k_p: largest}\n", data);
    REQUIRE_MESSAGE(r, format_diagnostic(r.error()));
    bool found = false;
    for (const Treatment& t : r->treatments)
      found = found || (t.kind == "missing_value" && t.parameter == "FC_i_k_p[lpg]");
    CHECK(found);
    CHECK(r->periods.at(0).project == 12); // the empty hour filled with the largest, 500 kg
  }

  TEST_CASE("indices: the methodology's mistakes are refused at load") {
    CHECK(load_error(with("formula: FC_i_k_p * EF_k}", "formula: FC_i_k_p * EF_k}\n  "
                                                       "bad: {description: b, kind: calculated, "
                                                       "unit: tCO2, formula: sum_i(j)}")) ==
          "unknown symbol 'j' (did you mean 'k'?)");
    CHECK(load_error(with("index: k, unit: \"1\"", "index: f, unit: \"1\"")) ==
          "'f' is not an index of this methodology (indices: k)");
    CHECK(load_error(with("formula: sum_i(sum_k(PE_i_k_p))", "formula: sum_i(PE_i_k_p)")) ==
          "project emissions 'PE_p' must be one value per period, but it varies by k (sum over "
          "it with sum_k(...))");
    CHECK(load_error(with("formula: sum_k(w_k * EF_k)", "formula: sum_k(sum_k(w_k) * EF_k)")) ==
          "sum_k() cannot be nested");
    CHECK(load_error(
              with("  w_k:", "  sum_k: {description: x, kind: ex_ante, unit: \"1\"}\n  w_k:")) ==
          "'sum_k' names index k or its sum in formulas");
    CHECK(load_error(with("kind: fixed, unit: tCO2/t, formula: \"lookup(EF_T, k)\"",
                          "kind: fixed, index: k, unit: tCO2/t, value: 2")) ==
          "a fixed value cannot vary by an index: look it up in a table by the index (formula: "
          "lookup(TABLE, j))");
    CHECK(load_error(with("formula: FC_i_k_p * EF_k}", "per: record, formula: FC_i_k_p * EF_k}")) ==
          "'FC_i_k_p' varies by k and cannot be used in a per-record equation");
  }

  TEST_CASE("indices: a value cannot vary by two indices") {
    std::string text = with("k: {description: fuel type, values: [diesel, lpg, gas]}",
                            "k: {description: fuel type, values: [diesel, lpg, gas]}\n  g: "
                            "{description: gas, values: [co2, ch4]}");
    const std::size_t at = text.find("  ER_p:");
    text.insert(at, "  G_g: {description: x, kind: ex_ante, index: g, unit: \"1\"}\n"
                    "  bad: {description: x, kind: calculated, unit: \"1\", formula: w_k * G_g}\n");
    CHECK(load_error(text) == "a value cannot vary by two indices ('k' and 'g'): sum over one of "
                              "them, sum_g(...)");
    // Summed over one of them in the formula, it is fine.
    text.replace(text.find("formula: w_k * G_g"), 18, "formula: sum_g(w_k * G_g)");
    Expected<Methodology> m = methodology(text);
    REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
    CHECK(m->parameter("bad")->index == 0);
  }
}
