// The values a result depends on that are not confirmed against the official
// methodology text: listed per period, accepted by name, refused by --strict.
#include "mrv/calc.hpp"
#include "mrv/methodology.hpp"
#include "mrv/project.hpp"

#include "example_project.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace mrv;

namespace {

using MnPv = test::ExampleProject;
MnPv mn_pv() {
  return test::example_project("mn-pv");
}

std::vector<std::string> names(const SliceResult& period) {
  std::vector<std::string> out;
  for (const Unconfirmed& u : period.unconfirmed)
    out.push_back(u.name);
  return out;
}

} // namespace

TEST_SUITE("unconfirmed") {
  TEST_CASE("unconfirmed: a period lists its parameters, the table rows it took and the rounding") {
    const MnPv m = mn_pv();
    const Expected<CalcResult> r = calculate(m.methodology, m.project, {});
    REQUIRE(r);
    const std::vector<std::string> got = names(r->periods.at(0));
    // The parameters in the methodology's order, then the rows, then rounding.
    CHECK(got.front() == "EG_i_p");
    CHECK(got.back() == "rounding");
    CHECK(std::find(got.begin(), got.end(), "EF_RE_MN[national_grid]") != got.end());
    const auto row =
        std::find_if(r->periods[0].unconfirmed.begin(), r->periods[0].unconfirmed.end(),
                     [](const Unconfirmed& u) { return u.kind == "table_row"; });
    REQUIRE(row != r->periods[0].unconfirmed.end());
    REQUIRE(row->value);
    CHECK(row->unit == "tCO2/MWh");
    CHECK_FALSE(row->source.confirmed);
    for (const Unconfirmed& u : r->periods[0].unconfirmed)
      CHECK_FALSE(u.accepted);
  }

  TEST_CASE("unconfirmed: a value confirmed in its source is not listed") {
    MnPv m = mn_pv();
    const Expected<CalcResult> before = calculate(m.methodology, m.project, {});
    REQUIRE(before);
    for (Parameter& p : m.methodology.parameters)
      if (p.id == "EG_i_p") p.source.confirmed = true;
    m.methodology.rounding_source.confirmed = true;
    const Expected<CalcResult> after = calculate(m.methodology, m.project, {});
    REQUIRE(after);
    const std::vector<std::string> got = names(after->periods[0]);
    CHECK(got.size() + 2 == before->periods[0].unconfirmed.size());
    CHECK(std::find(got.begin(), got.end(), "EG_i_p") == got.end());
    CHECK(std::find(got.begin(), got.end(), "rounding") == got.end());
  }

  TEST_CASE("unconfirmed: --strict refuses the result unless every value is accepted") {
    const MnPv m = mn_pv();
    CalcOptions options;
    options.strict = true;
    const Expected<CalcResult> refused = calculate(m.methodology, m.project, options);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ExitCode::invalid_input);
    CHECK(refused.error().message.find("--strict: period 'MP1' depends on 9 values") == 0);

    const Expected<CalcResult> listed = calculate(m.methodology, m.project, {});
    REQUIRE(listed);
    options.accept_unconfirmed = names(listed->periods[0]);
    options.accept_unconfirmed.pop_back(); // all but "rounding"
    const Expected<CalcResult> still = calculate(m.methodology, m.project, options);
    REQUIRE_FALSE(still);
    CHECK(still.error().message.find("depends on 1 value not confirmed") != std::string::npos);

    options.accept_unconfirmed.push_back("rounding");
    const Expected<CalcResult> accepted = calculate(m.methodology, m.project, options);
    REQUIRE(accepted);
    for (const Unconfirmed& u : accepted->periods[0].unconfirmed)
      CHECK(u.accepted);
    // Accepting changes no number.
    CHECK(accepted->periods[0].reductions == listed->periods[0].reductions);
    CHECK(accepted->periods[0].credited == listed->periods[0].credited);
  }

  TEST_CASE("unconfirmed: a table's id accepts all its rows") {
    const MnPv m = mn_pv();
    CalcOptions options;
    options.accept_unconfirmed = {"EF_RE_MN"};
    const Expected<CalcResult> r = calculate(m.methodology, m.project, options);
    REQUIRE(r);
    for (const Unconfirmed& u : r->periods[0].unconfirmed)
      CHECK(u.accepted == (u.kind == "table_row"));
  }

  TEST_CASE("unconfirmed: a name that is none of the methodology's is a usage error") {
    const MnPv m = mn_pv();
    CalcOptions options;
    options.accept_unconfirmed = {"EF_RE_j"};
    const Expected<CalcResult> r = calculate(m.methodology, m.project, options);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ExitCode::usage);
    CHECK(r.error().message == "--accept-unconfirmed: 'EF_RE_j' is not a parameter, table, table "
                               "row or 'rounding' of JCM_MN_AM003_ver02.0");
    REQUIRE(r.error().notes.size() == 1);
    CHECK(r.error().notes[0] == "did you mean 'EF_RE_i'?");
  }
}
