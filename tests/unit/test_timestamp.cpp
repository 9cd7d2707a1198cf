#include "data/timestamp.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

using namespace mrv::detail;

TEST_SUITE("timestamp") {

  TEST_CASE("timestamp: days_from_civil counts days from 1970-01-01") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(2016, 2, 29) == 16860);
    CHECK(days_from_civil(2017, 1, 1) == 17167);
    CHECK(days_from_civil(1, 1, 1) == -719162);
    CHECK(days_from_civil(9999, 12, 31) == 2932896);
  }

  TEST_CASE("timestamp: civil_from_days inverts days_from_civil over years 1 to 9999") {
    for (std::int64_t days = -719162; days <= 2932896; days += 13) {
      const CivilDate date = civil_from_days(days);
      REQUIRE(days_from_civil(date.year, date.month, date.day) == days);
    }
    const CivilDate leap = civil_from_days(16860);
    CHECK(leap.year == 2016);
    CHECK(leap.month == 2);
    CHECK(leap.day == 29);
  }

  TEST_CASE("timestamp: dates are parsed and invalid calendar days are rejected") {
    CHECK(parse_date("2017-01-01") == 17167);
    CHECK(parse_date("2016-02-29") == 16860);
    CHECK(parse_date("2000-02-29") == days_from_civil(2000, 2, 29));
    CHECK(parse_date("2017-02-29") == std::nullopt);
    CHECK(parse_date("1900-02-29") == std::nullopt);
    CHECK(parse_date("2017-02-30") == std::nullopt);
    CHECK(parse_date("2017-04-31") == std::nullopt);
    CHECK(parse_date("2017-13-01") == std::nullopt);
    CHECK(parse_date("2017-00-10") == std::nullopt);
    CHECK(parse_date("2017-01-00") == std::nullopt);
    CHECK(parse_date("0000-01-01") == std::nullopt);
    CHECK(parse_date("2017-1-01") == std::nullopt);
    CHECK(parse_date("2017/01/01") == std::nullopt);
    CHECK(parse_date("2017-01-01 ") == std::nullopt);
    CHECK(parse_date("") == std::nullopt);
  }

  TEST_CASE("timestamp: the date memo gives the same seconds as a fresh parse") {
    DateMemo memo;
    const char* texts[] = {"2017-01-01T00:00:00+08:00",
                           "2017-01-01T00:01:00+08:00",
                           "2017-01-02T00:00",
                           "2017-01-02 23:59:59Z",
                           "2017-01-02Tx",
                           "2017-02-30T00:00",
                           "2017-01-02"};
    for (const char* text : texts) {
      std::int64_t seconds = -1;
      const bool read = parse_timestamp(text, 480, memo, seconds);
      CHECK(read == parse_timestamp(text, 480).has_value());
      if (read) CHECK(seconds == *parse_timestamp(text, 480));
    }
    CHECK(memo.valid);
    CHECK(std::string(memo.text, 10) == "2017-01-02");
  }

  TEST_CASE("timestamp: the date and offset memo reads only the time, and checks it") {
    // After a "YYYY-MM-DDThh:mm:ss+hh:mm", rows with its date and offset take
    // a shorter path: it must accept and reject exactly what a fresh parse does.
    DateMemo memo;
    const char* texts[] = {
        "2017-01-01T00:00:00+08:00", "2017-01-01T00:01:00+08:00", "2017-01-01 23:59:59+08:00",
        "2017-01-01T24:00:00+08:00", "2017-01-01T23:60:00+08:00", "2017-01-01T23:59:60+08:00",
        "2017-01-01T2x:00:00+08:00", "2017-01-01X00:00:00+08:00", "2017-01-01T00-00:00+08:00",
        "2017-01-01T00:00-00+08:00", "2017-01-01T00:00:0+08:00",  "2017-01-01T00:00:00.5+08:00",
        "2017-01-01T12:00:00-05:30", "2017-01-01T12:00:01-05:30", "2017-01-01T12:00:01+08:00",
        "2017-01-02T12:00:01+08:00", "2017-01-02T12:00:02+0800",  "2017-01-02T12:00:03+08",
        "2017-01-02T12:00:04Z",      "2017-01-02T12:00",          "2017-01-02T12:00+08:00",
        "2017-01-02T12:00:05+08:00", "2017-01-02T12:00:05+08:60", "2017-01-02T12:00:05+24:00",
        "2017-01-02T12:00:06+08:00", "2017-02-29T12:00:06+08:00", "2017-01-02T12:00:07+08:00"};
    for (const char* text : texts) {
      INFO(text);
      std::int64_t seconds = -1;
      const bool read = parse_timestamp(text, 480, memo, seconds);
      CHECK(read == parse_timestamp(text, 480).has_value());
      if (read) CHECK(seconds == *parse_timestamp(text, 480));
    }
    CHECK(memo.offset_valid);
    CHECK(std::string(memo.offset_text, 6) == "+08:00");
    CHECK(memo.offset_minutes == 480);
  }

  TEST_CASE("timestamp: dates are formatted as YYYY-MM-DD") {
    CHECK(format_date(0) == "1970-01-01");
    CHECK(format_date(16860) == "2016-02-29");
    CHECK(format_date(-719162) == "0001-01-01");
    CHECK(format_date(2932896) == "9999-12-31");
  }

  TEST_CASE("timestamp: UTC offsets are parsed in every documented form") {
    CHECK(parse_utc_offset("+08:00") == 480);
    CHECK(parse_utc_offset("-05:30") == -330);
    CHECK(parse_utc_offset("+0800") == 480);
    CHECK(parse_utc_offset("+09") == 540);
    CHECK(parse_utc_offset("Z") == 0);
    CHECK(parse_utc_offset("-00:00") == 0);
    CHECK(parse_utc_offset("08:00") == std::nullopt);
    CHECK(parse_utc_offset("+8:00") == std::nullopt);
    CHECK(parse_utc_offset("+24:00") == std::nullopt);
    CHECK(parse_utc_offset("+08:60") == std::nullopt);
    CHECK(parse_utc_offset("+08:0") == std::nullopt);
    CHECK(parse_utc_offset("+08000") == std::nullopt);
    CHECK(parse_utc_offset("z") == std::nullopt);
    CHECK(parse_utc_offset("") == std::nullopt);
  }

  TEST_CASE("timestamp: UTC offsets are formatted as a sign and hh:mm") {
    CHECK(format_utc_offset(480) == "+08:00");
    CHECK(format_utc_offset(-330) == "-05:30");
    CHECK(format_utc_offset(0) == "+00:00");
    CHECK(format_utc_offset(345) == "+05:45");
  }

  TEST_CASE("timestamp: an explicit offset overrides the default") {
    CHECK(parse_timestamp("2017-01-01T00:00:00+08:00", 0) == 1483200000);
    CHECK(parse_timestamp("2017-01-01T00:00:00+0800", -300) == 1483200000);
    CHECK(parse_timestamp("2017-01-01T00:00:00+08", 60) == 1483200000);
    CHECK(parse_timestamp("2016-02-29T12:30:15-05:30", 480) == 1456768815);
    CHECK(parse_timestamp("2017-03-05 07:30+09:00", 0) == 1488666600);
  }

  TEST_CASE("timestamp: Z means UTC") {
    CHECK(parse_timestamp("2017-01-01T00:00:00Z", 480) == 1483228800);
    CHECK(parse_timestamp("2000-02-29T23:59:59Z", 480) == 951868799);
  }

  TEST_CASE("timestamp: without an offset the default offset applies") {
    CHECK(parse_timestamp("2017-01-01T00:00:00", 480) == 1483200000);
    CHECK(parse_timestamp("2017-01-01 00:00", 480) == 1483200000);
    CHECK(parse_timestamp("2017-01-01T00:00:00", 0) == 1483228800);
    CHECK(parse_timestamp("2017-06-30T23:59", -300) == 1498885140);
  }

  TEST_CASE("timestamp: a date alone is midnight at the default offset") {
    CHECK(parse_timestamp("2017-01-01", 480) == 1483200000);
    CHECK(parse_timestamp("2017-01-01", 0) == 1483228800);
    CHECK(parse_timestamp("2017-01-01Z", 0) == std::nullopt);
  }

  TEST_CASE("timestamp: invalid dates and times are rejected") {
    CHECK(parse_timestamp("2017-02-29T00:00:00Z", 0) == std::nullopt);
    CHECK(parse_timestamp("2016-02-29T00:00:00Z", 0) == 1456704000);
    CHECK(parse_timestamp("2017-01-01T24:00:00Z", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T24:00", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T23:60", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T23:59:60", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T1:00", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T10", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T10:00:0", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01t10:00", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01_10:00", 0) == std::nullopt);
  }

  TEST_CASE("timestamp: fractional seconds are truncated") {
    CHECK(parse_timestamp("2017-01-01T00:00:00.999Z", 0) == 1483228800);
    CHECK(parse_timestamp("2017-01-01T00:00:59.5+08:00", 0) == 1483200059);
    CHECK(parse_timestamp("2017-01-01T00:00:00.123456789", 0) == 1483228800);
    CHECK(parse_timestamp("2017-01-01T00:00:00.Z", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T00:00.5", 0) == std::nullopt);
  }

  TEST_CASE("timestamp: trailing garbage is rejected") {
    CHECK(parse_timestamp("2017-01-01T00:00:00Zx", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T00:00:00+08:00 ", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T00:00:00 ", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T00:00:00 JST", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01x", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01T", 0) == std::nullopt);
    CHECK(parse_timestamp("2017-01-01 ", 0) == std::nullopt);
    CHECK(parse_timestamp("", 0) == std::nullopt);
  }
}
