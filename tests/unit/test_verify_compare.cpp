#include "mrv/methodology.hpp"
#include "mrv/verify.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace mrv;

namespace {

SliceResult period(const char* id, double re, double pe, std::int64_t credited) {
  SliceResult s;
  s.period = id;
  s.reference = re;
  s.project = pe;
  s.reductions = re - pe;
  s.credited = credited;
  return s;
}

CalcResult result_of(std::vector<SliceResult> periods) {
  CalcResult r;
  r.mrv_version = "9.9.9";
  r.methodology = "TEST_AM001";
  r.methodology_version = "01.0";
  r.project = "P-1";
  r.inputs = {{"methodology", "bundled/TEST_AM001_ver01.0.yaml", "aa"},
              {"project", "p.yaml", "bb"},
              {"data", "d.csv", "cc"}};
  r.periods = std::move(periods);
  return r;
}

Methodology methodology_with_table() {
  Methodology m;
  m.id = "TEST_AM001";
  m.version = "01.0";
  Table t;
  t.id = "EF";
  t.version = "2020 data";
  m.tables.push_back(t);
  m.tables.push_back(Table{}); // no version: not listed
  return m;
}

ManifestProject entry_with(std::vector<Claim> claims) {
  ManifestProject e;
  e.id = "ENTRY";
  e.claims = std::move(claims);
  return e;
}

Claim claim(const char* period) {
  Claim c;
  c.period = period;
  return c;
}

const ValueCheck& value(const PeriodVerdict& v, const std::string& name) {
  for (const ValueCheck& c : v.values)
    if (c.name == name) return c;
  FAIL("no value " << name);
  return v.values.front();
}

} // namespace

TEST_SUITE("verify_compare") {
  TEST_CASE("verify_compare: a tCO2 amount matches within the absolute or the relative tolerance") {
    const Tolerance t{0.05, 0.001, 0};
    CHECK(within_tolerance(100, 100.05, t, false));
    CHECK(within_tolerance(100, 99.95, t, false));
    CHECK_FALSE(within_tolerance(10, 10.06, t, false));
    CHECK(within_tolerance(1000, 1000.9, t, false)); // relative: 1 tCO2 of 1000
    CHECK_FALSE(within_tolerance(1000, 1001.1, t, false));
    CHECK(within_tolerance(0, 0.05, t, false));
  }

  TEST_CASE("verify_compare: the default tolerance accepts only floating-point noise") {
    const Tolerance t;
    CHECK(within_tolerance(8165.8089346199995, 8165.80893462, t, false));
    CHECK(within_tolerance(0.1 + 0.2, 0.3, t, false));
    CHECK_FALSE(within_tolerance(8165.8, 8165.81, t, false));
    CHECK_FALSE(within_tolerance(0, 1e-12, t, false)); // nothing is relative to zero
  }

  TEST_CASE("verify_compare: whole tonnes match exactly unless a tolerance is declared") {
    CHECK(within_tolerance(3529, 3529, Tolerance{}, true));
    CHECK_FALSE(within_tolerance(3530, 3529, Tolerance{1, 1, 0}, true));
    CHECK(within_tolerance(3530, 3529, Tolerance{0, 0, 1}, true));
    CHECK_FALSE(within_tolerance(3531, 3529, Tolerance{0, 0, 1}, true));
  }

  TEST_CASE("verify_compare: a value that is not a number never matches") {
    CHECK_FALSE(within_tolerance(1, std::nan(""), Tolerance{1e9, 1, 0}, false));
    CHECK_FALSE(within_tolerance(std::nan(""), 1, Tolerance{1e9, 1, 0}, false));
  }

  TEST_CASE("verify_compare: every claimed value is set beside the computed one") {
    Claim c = claim("MP1");
    c.reference = 100;
    c.reductions = 90;
    c.credited = 90;
    const std::vector<PeriodVerdict> v = compare_claims(
        entry_with({c}), result_of({period("MP1", 100, 10, 90)}), methodology_with_table());
    REQUIRE(v.size() == 1);
    CHECK(v[0].status == VerifyStatus::match);
    CHECK(v[0].id == "ENTRY");
    CHECK(v[0].project == "P-1");
    CHECK(v[0].methodology == "TEST_AM001");
    CHECK(v[0].methodology_version == "01.0");
    CHECK(v[0].tables == std::vector<std::pair<std::string, std::string>>{{"EF", "2020 data"}});
    CHECK(v[0].mrv_version == "9.9.9");
    CHECK(v[0].inputs.size() == 3);
    REQUIRE(v[0].values.size() == 4);
    CHECK(v[0].values[0] == ValueCheck{"RE", 100.0, 100.0, true});
    // PE was not claimed: computed, but not compared.
    CHECK(v[0].values[1] == ValueCheck{"PE", std::nullopt, 10.0, std::nullopt});
    CHECK(v[0].values[2] == ValueCheck{"ER", 90.0, 90.0, true});
    CHECK(v[0].values[3] == ValueCheck{"credited", 90.0, 90.0, true});
    CHECK(v[0].allocation.empty());
    CHECK_FALSE(v[0].scheme_check.has_value());
    CHECK(v[0].error.empty());
  }

  TEST_CASE("verify_compare: one value out of tolerance makes the period a mismatch") {
    Claim c = claim("MP1");
    c.credited = 91;
    const std::vector<PeriodVerdict> v = compare_claims(
        entry_with({c}), result_of({period("MP1", 100, 10, 90)}), methodology_with_table());
    CHECK(v[0].status == VerifyStatus::mismatch);
    CHECK(value(v[0], "credited").match == false);
    CHECK(value(v[0], "ER").match == std::nullopt);
  }

  TEST_CASE("verify_compare: verdicts follow the claims, not the project's periods") {
    Claim second = claim("MP2"), first = claim("MP1");
    second.credited = 5;
    first.credited = 90;
    const std::vector<PeriodVerdict> v = compare_claims(
        entry_with({second, first}),
        result_of({period("MP1", 100, 10, 90), period("MP2", 5, 0, 5)}), methodology_with_table());
    REQUIRE(v.size() == 2);
    CHECK(v[0].period == "MP2");
    CHECK(v[1].period == "MP1");
  }

  TEST_CASE("verify_compare: a claimed period the project lacks is an error of that period") {
    Claim c = claim("MP3");
    c.reductions = 1;
    const std::vector<PeriodVerdict> v =
        compare_claims(entry_with({c}), result_of({period("MP1", 1, 0, 1), period("MP2", 1, 0, 1)}),
                       methodology_with_table());
    CHECK(v[0].status == VerifyStatus::error);
    CHECK(v[0].error == "the project has no monitoring period 'MP3' (periods: MP1, MP2)");
    CHECK(value(v[0], "ER") == ValueCheck{"ER", 1.0, std::nullopt, std::nullopt});
  }

  TEST_CASE("verify_compare: the claimed allocation is checked party by party") {
    ManifestProject e = entry_with({});
    Claim c = claim("MP1");
    c.allocation = {{"japan", 1239}, {"participants", 1239}, {"partner", 0}};
    e.claims = {c};
    const std::vector<PeriodVerdict> v =
        compare_claims(e, result_of({period("MP1", 2477, 0, 2477)}), methodology_with_table());
    CHECK(v[0].status == VerifyStatus::mismatch);
    REQUIRE(v[0].allocation.size() == 3);
    CHECK(v[0].allocation[0] == ValueCheck{"japan", 1239.0, 1239.0, true});
    CHECK(v[0].allocation[1] == ValueCheck{"participants", 1239.0, 1238.0, false});
    // A party the split does not name receives nothing.
    CHECK(v[0].allocation[2] == ValueCheck{"partner", 0.0, 0.0, true});
    REQUIRE(v[0].scheme_check.has_value());
    CHECK(*v[0].scheme_check == SchemeVerdict{"model-project", true, 1239, 1239});
  }

  TEST_CASE("verify_compare: a split the scheme forbids is a mismatch even when claimed so") {
    ManifestProject e = entry_with({});
    AllocationRequest terms;
    terms.scheme = *find_scheme_rule("model-project");
    terms.parties = {PartyShare{"japan", 0.4, ShareRounding::up}};
    e.allocation = terms;
    Claim c = claim("MP1");
    c.allocation = {{"japan", 400}, {"participants", 600}};
    e.claims = {c};
    const std::vector<PeriodVerdict> v =
        compare_claims(e, result_of({period("MP1", 1000, 0, 1000)}), methodology_with_table());
    CHECK(v[0].allocation[0].match == true);
    CHECK(v[0].allocation[1].match == true);
    CHECK(*v[0].scheme_check == SchemeVerdict{"model-project", false, 500, 400});
    CHECK(v[0].status == VerifyStatus::mismatch);
  }

  TEST_CASE("verify_compare: an allocation that cannot be made is an error of the period") {
    ManifestProject e = entry_with({});
    AllocationRequest terms;
    terms.scheme = *find_scheme_rule("model-project");
    terms.parties = {PartyShare{"partner", 0.8, ShareRounding::down}};
    e.allocation = terms;
    Claim c = claim("MP1");
    c.credited = 1000;
    e.claims = {c};
    const std::vector<PeriodVerdict> v =
        compare_claims(e, result_of({period("MP1", 1000, 0, 1000)}), methodology_with_table());
    CHECK(v[0].status == VerifyStatus::error);
    CHECK(v[0].error.starts_with("allocation: "));
    CHECK(value(v[0], "credited").computed == std::nullopt);
  }

  TEST_CASE("verify_compare: an error makes every claimed period an error line") {
    ManifestProject e = entry_with({claim("MP1"), claim("MP2")});
    e.claims[0].credited = 1;
    PeriodVerdict partial;
    partial.project = "P-1";
    partial.mrv_version = "9.9.9";
    partial.inputs = {{"project", "p.yaml", "bb"}};
    Diagnostic d = error_at(Location{"d.csv", 12, 3}, "not a number: 'x'");
    d.notes.push_back("did you mean 'y'?");
    const std::vector<PeriodVerdict> v = error_verdicts(e, partial, d);
    REQUIRE(v.size() == 2);
    CHECK(v[0].period == "MP1");
    CHECK(v[1].period == "MP2");
    CHECK(v[0].status == VerifyStatus::error);
    CHECK(v[0].error == "d.csv:12:3: not a number: 'x' (did you mean 'y'?)");
    CHECK(v[0].id == "ENTRY");
    CHECK(v[0].inputs.size() == 1);
    CHECK(value(v[0], "credited") == ValueCheck{"credited", 1.0, std::nullopt, std::nullopt});
  }

  TEST_CASE("verify_compare: a diagnostic becomes one line of text with its place") {
    CHECK(diagnostic_text(error_at(Location{"f", 3, 0}, "m")) == "f:3: m");
    CHECK(diagnostic_text(error_at(Location{"f", 0, 0}, "m")) == "f: m");
    CHECK(diagnostic_text(error_at(Location{}, "m")) == "m");
  }
}
