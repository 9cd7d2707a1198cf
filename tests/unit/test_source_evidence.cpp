// What a data file's own text says about its declarations: the unit a header
// names, the decimal mark, and the hints for the first mistakes.
#include "data/source_evidence.hpp"

#include <doctest/doctest.h>

using namespace mrv;
using namespace mrv::detail;

namespace {

std::string named(std::string_view header) {
  const std::optional<Unit> u = unit_named_in_header(header);
  return u ? u->text : "";
}

} // namespace

TEST_SUITE("source_evidence") {
  TEST_CASE("source_evidence: a header names its unit in brackets, at its end or alone") {
    CHECK(named("Energy (kWh)") == "kWh");
    CHECK(named("EG [MWh]") == "MWh");
    CHECK(named("energy_kWh") == "kWh");
    CHECK(named("energy_kwh") == "kWh"); // any case
    CHECK(named("Energy KWH") == "kWh");
    CHECK(named("kWh") == "kWh");
    CHECK(named("fuel (t)") == "t"); // any unit in brackets
    CHECK(named("flow m3") == "m3");
  }

  TEST_CASE("source_evidence: Japanese and full-width headers name their units too") {
    CHECK(named("積算電力量(kWh)") == "kWh");
    CHECK(named("電力量［ｋＷｈ］") == "kWh");
    CHECK(named("発電量（キロワット時）") == "kWh");
    CHECK(named("電力量【千kWh】") == "MWh");
    CHECK(named("温度(℃)") == "degC");
  }

  TEST_CASE("source_evidence: words that are no unit of an export name none") {
    CHECK(named("energy") == "");
    CHECK(named("T_min") == "");  // min is a unit of time, but not at the end of a header
    CHECK(named("flow_t") == ""); // neither is t
    CHECK(named("status") == "");
    CHECK(named("(note)") == "");
  }

  TEST_CASE("source_evidence: units that read numbers the same way") {
    CHECK(same_reading(*parse_unit("kWh"), *parse_unit("kWh")));
    CHECK_FALSE(same_reading(*parse_unit("kWh"), *parse_unit("MWh")));
    CHECK_FALSE(same_reading(*parse_unit("degC"), *parse_unit("K")));
    CHECK_FALSE(same_reading(*parse_unit("kW"), *parse_unit("kWh")));
  }

  TEST_CASE("source_evidence: three decimals everywhere are ambiguous, any other count settles") {
    DecimalEvidence all_three;
    all_three.add("2.002", 2, 10, "row");
    all_three.add("12", 3, 10, "row"); // a whole number settles nothing
    all_three.add("1.500", 4, 10, "row");
    CHECK(all_three.ambiguous());
    CHECK(all_three.line() == 2);
    CHECK(all_three.text() == "2.002");
    DecimalEvidence settled = all_three;
    settled.add("2.5", 5, 10, "row");
    CHECK_FALSE(settled.ambiguous());
    DecimalEvidence none;
    none.add("12", 2, 1, "row");
    CHECK_FALSE(none.ambiguous());
  }

  TEST_CASE("source_evidence: the hint for what is not a number") {
    CHECK(number_hint("1.234.567", '.', 0).find("thousands: \".\"") != std::string::npos);
    CHECK(number_hint("1,234,567", '.', 0).find("thousands: \",\"") != std::string::npos);
    CHECK(number_hint("2,5", '.', 0).find("decimal: \",\"") != std::string::npos);
    CHECK(number_hint("2.5", ',', 0).find("declares `decimal: \",\"`") != std::string::npos);
    CHECK(number_hint("abc", '.', 0).empty());
  }

  TEST_CASE("source_evidence: a header of one field names the delimiter it holds") {
    CHECK(delimiter_in_header("time;unit;energy", ',') == ';');
    CHECK(delimiter_in_header("time\tunit", ',') == '\t');
    CHECK(delimiter_in_header("time", ',') == 0);
  }

  TEST_CASE("source_evidence: UTF-8 is told from CP932") {
    CHECK(valid_utf8("日時;電力量(kWh)"));
    CHECK(valid_utf8("plain"));
    CHECK_FALSE(valid_utf8("\x93\xfa\x8e\x9e")); // 日時 in CP932
    CHECK_FALSE(valid_utf8("\xe6\x97"));         // a cut multibyte character
  }

  TEST_CASE("source_evidence: a timestamp layout is guessed only when it reads the text") {
    CHECK(guess_timestamp_format("2017/03/01 0:00") == "%Y/%m/%d %H:%M");
    CHECK(guess_timestamp_format("31.01.2017 13:05") == "%d.%m.%Y %H:%M");
    CHECK(guess_timestamp_format("01/31/2017 13:05") == "%m/%d/%Y %H:%M");
    CHECK(guess_timestamp_format("42795.5") == "excel");
    CHECK(guess_timestamp_format("yesterday") == "");
    CHECK(guess_timestamp_format("2017/13/45") == "");
  }
}
