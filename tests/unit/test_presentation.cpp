// Presentation precision: how many decimals the forms for people show, and
// the guarantee that it changes only the text, never a value or a credit.
#include "mrv/calc.hpp"
#include "mrv/methodology.hpp"
#include "mrv/numbers.hpp"
#include "mrv/project.hpp"
#include "mrv/render.hpp"

#include "example_project.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>

using namespace mrv;

namespace {

using Run = test::ExampleProject;
Run mn_pv() {
  return test::example_project("mn-pv");
}

} // namespace

TEST_SUITE("presentation") {
  TEST_CASE("presentation: a value at a number of decimals, zeros kept, no sign on zero") {
    CHECK(format_number(1703.9984999426893, 3) == "1703.998");
    CHECK(format_number(8165.8089346199995, 0) == "8166");
    CHECK(format_number(2.5, 4) == "2.5000");
    CHECK(format_number(-0.0001, 3) == "0.000");
    CHECK(format_number(-0.19509029760000374, 3) == "-0.195");
    CHECK(format_number(0.797, std::nullopt) == "0.797");
    CHECK(format_quantity(12.25, "MWh", 1) == "12.2 MWh"); // 12.25 is below the half in binary
    CHECK(format_number(std::nan(""), 3) == format_number(std::nan("")));
  }

  TEST_CASE("presentation: a parameter's rule, then its unit's, then the defaults") {
    Presentation p;
    p.parameters.push_back({"COP_PJ_i", 2, {}});
    p.units.push_back({"%", 1, {}});
    CHECK(p.decimals("COP_PJ_i", "1") == 2);
    CHECK(p.decimals("COP_RE_i", "1") == 4);             // a pure number
    CHECK(p.decimals("eta", "%") == 1);                  // the unit's rule
    CHECK(p.decimals("", "kgCO2") == 3);                 // CO2e mass in any unit
    CHECK(p.decimals("EG_i_p", "kWh") == 3);             // energy
    CHECK(p.decimals("EF", "tCO2/MWh") == std::nullopt); // a factor: every digit
    CHECK(p.decimals("grid", "") == std::nullopt);       // a key
    CHECK(p.tonnes() == 3);
  }

  TEST_CASE("presentation: never changes the credited amount or the machine forms") {
    Run run = mn_pv();
    const Expected<CalcResult> plain = calculate(run.methodology, run.project, {});
    REQUIRE(plain);
    std::mt19937 random(14);
    for (int trial = 0; trial < 6; ++trial) {
      Methodology m = run.methodology;
      const int decimals =
          std::uniform_int_distribution<int>(0, Presentation::max_decimals)(random);
      m.presentation.units.push_back({"tCO2", decimals, {}});
      m.presentation.units.push_back({"MWh", decimals, {}});
      const Expected<CalcResult> shown = calculate(m, run.project, {});
      REQUIRE(shown);
      REQUIRE(shown->periods.size() == plain->periods.size());
      for (std::size_t i = 0; i < plain->periods.size(); ++i) {
        CHECK(shown->periods[i].credited == plain->periods[i].credited);
        CHECK(shown->periods[i].reductions == plain->periods[i].reductions);
      }
      for (Format f : {Format::csv, Format::tsv, Format::json, Format::jsonl})
        CHECK(render_calc(*shown, f) == render_calc(*plain, f));
    }
    // Shown at 0 decimals, MP1's ER reads 8166 while 8165 tonnes are credited:
    // the credit is the unrounded ER's floor, not the shown number's.
    Methodology whole = run.methodology;
    whole.presentation.units.push_back({"tCO2", 0, {}});
    const Expected<CalcResult> r = calculate(whole, run.project, {});
    REQUIRE(r);
    CHECK(render_calc(*r, Format::table).find("8166      8165") != std::string::npos);
    CHECK(r->periods[0].credited == 8165);
  }
}
