// The calc JSON written by `mrv calc --format json` and read back by the
// pipeline form of `mrv allocate` (engine/calc_json_keys.hpp names what the
// two share): what the reader finds is what the calculation computed.
#include "mrv/allocate.hpp"
#include "mrv/calc.hpp"
#include "mrv/methodology.hpp"
#include "mrv/project.hpp"
#include "mrv/render.hpp"

#include "example_project.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace mrv;

namespace {

CalcResult computed(const std::string& example) {
  const test::ExampleProject run = test::example_project(example);
  Expected<CalcResult> result = calculate(run.methodology, run.project, CalcOptions{});
  REQUIRE(result);
  return *result;
}

} // namespace

TEST_SUITE("calc_json_round_trip") {
  TEST_CASE("calc_json_round_trip: the reader finds every period's dates and credits") {
    for (const char* example : {"mn-pv", "th-chiller", "mm-wte"}) {
      CAPTURE(example);
      const CalcResult result = computed(example);
      Expected<CalcCredits> read = parse_calc_credits(render_calc(result, Format::json), "x");
      REQUIRE(read);
      CHECK(read->format == "mrv.calc/1");
      CHECK(read->project == result.project);
      CHECK(read->methodology == result.methodology);
      CHECK(read->methodology_version == result.methodology_version);
      REQUIRE(read->periods.size() == result.periods.size());
      for (std::size_t p = 0; p < result.periods.size(); ++p) {
        CHECK(read->periods[p].id == result.periods[p].period);
        CHECK(read->periods[p].from == result.periods[p].from);
        CHECK(read->periods[p].to == result.periods[p].to);
        REQUIRE(result.periods[p].credited);
        CHECK(read->periods[p].credited == *result.periods[p].credited);
      }
    }
  }

  TEST_CASE("calc_json_round_trip: another format's document is refused, naming ours") {
    std::string text = render_calc(computed("mn-pv"), Format::json);
    const std::size_t at = text.find("mrv.calc/1");
    REQUIRE(at != std::string::npos);
    text.replace(at, 10, "mrv.calc/2");
    Expected<CalcCredits> read = parse_calc_credits(text, "x.json");
    REQUIRE_FALSE(read);
    CHECK(read.error().message == "unsupported format 'mrv.calc/2' (this mrv reads mrv.calc/1)");
  }
}
