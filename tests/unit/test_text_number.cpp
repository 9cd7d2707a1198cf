#include "data/text_number.hpp"

#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

using mrv::detail::NumberFormat;
using mrv::detail::parse_number;
using mrv::detail::parse_number_and_decimal;

TEST_SUITE("text_number") {

  TEST_CASE("text number: plain decimal numbers are read exactly") {
    CHECK(parse_number("12") == 12.0);
    CHECK(parse_number("-0.5") == -0.5);
    CHECK(parse_number("+3") == 3.0);
    CHECK(parse_number("1.5e3") == 1500.0);
    CHECK(parse_number("2E-2") == 0.02);
    CHECK(parse_number(".5") == 0.5);
    CHECK(parse_number("0") == 0.0);
    CHECK(parse_number("12.345") == 12.345);
    CHECK(parse_number("007") == 7.0);
  }

  TEST_CASE("text number: the fused reader gives the double and the exact decimal") {
    double value = 0;
    bool exact = false;
    std::int64_t mantissa = 0;
    int decimals = 0;
    REQUIRE(parse_number_and_decimal(" -12.345 ", value, exact, mantissa, decimals));
    CHECK(value == -12.345);
    CHECK(exact);
    CHECK(mantissa == -12345);
    CHECK(decimals == 3);
    REQUIRE(parse_number_and_decimal("1.5e3", value, exact, mantissa, decimals));
    CHECK(value == 1500);
    CHECK_FALSE(exact); // an exponent: the double only
    REQUIRE(parse_number_and_decimal("1234567890123456789", value, exact, mantissa, decimals));
    CHECK_FALSE(exact); // 19 digits
    CHECK_FALSE(parse_number_and_decimal("1,5", value, exact, mantissa, decimals));
    CHECK_FALSE(parse_number_and_decimal("", value, exact, mantissa, decimals));
  }

  TEST_CASE("text number: the fused reader agrees with parse_number and parse_exact_decimal") {
    // Plain readings take a shorter path; everything else the general one.
    // Both must give the double parse_number gives, bit for bit, and the
    // exact form exactly when parse_exact_decimal gives one.
    const char* texts[] = {"0",
                           "0.000",
                           "-0.000",
                           "-0",
                           "12.345",
                           "-12.345",
                           "5.",
                           ".5",
                           "-.5",
                           "+3",
                           "+0.5",
                           " 1.5",
                           "1.5\t",
                           "007",
                           "-",
                           ".",
                           "-.",
                           "",
                           "1.2.3",
                           "1e3",
                           "1.5E-2",
                           "0.1",
                           "0.3",
                           "1,5",
                           "12 kWh",
                           "nan",
                           "inf",
                           "--1",
                           "1-",
                           "1.-5",
                           "123456789012345",
                           "1234567890123456",
                           "0.000000000000001",
                           "999999999999999.9",
                           "123456789012345678",
                           "1234567890123456789",
                           "9007199254740993",
                           "-9007199254740993",
                           "0.00000000000000000001",
                           "18446744073709551616",
                           "-123456789.012345"};
    // The one-pass parse agrees with the general ones: the same double, to
    // the bit, and the same exact decimal.
    auto agrees = [](const std::string& text) {
      INFO(text);
      double value = 0;
      bool exact = false;
      std::int64_t mantissa = 0;
      int decimals = 0;
      const bool read = parse_number_and_decimal(text, value, exact, mantissa, decimals);
      const std::optional<double> expected = parse_number(text);
      REQUIRE(read == expected.has_value());
      if (!read) return;
      REQUIRE(std::memcmp(&value, &*expected, sizeof value) == 0);
      std::int64_t expected_mantissa = 0;
      int expected_decimals = 0;
      REQUIRE(exact ==
              mrv::detail::parse_exact_decimal(text, expected_mantissa, expected_decimals));
      if (!exact) return;
      REQUIRE(mantissa == expected_mantissa);
      REQUIRE(decimals == expected_decimals);
    };
    for (const char* text : texts)
      agrees(text);
    // Random readings of 1 to 18 digits around the shorter path's limit of 15.
    std::uint64_t state = 99;
    auto next_random = [&state] {
      state = state * 6364136223846793005u + 1442695040888963407u;
      return static_cast<unsigned>(state >> 33);
    };
    for (int k = 0; k < 20000; ++k) {
      std::string text = next_random() % 3 == 0 ? "-" : "";
      const unsigned integer_digits = next_random() % 10;
      const unsigned fraction_digits = next_random() % 10;
      for (unsigned i = 0; i < integer_digits; ++i)
        text += static_cast<char>('0' + next_random() % 10);
      if (fraction_digits > 0 || next_random() % 4 == 0) text += '.';
      for (unsigned i = 0; i < fraction_digits; ++i)
        text += static_cast<char>('0' + (next_random() % 4 == 0 ? 0 : next_random() % 10));
      agrees(text);
    }
  }

  TEST_CASE("text number: spaces and tabs around the number are trimmed") {
    CHECK(parse_number(" 7 ") == 7.0);
    CHECK(parse_number("\t-2.25\t ") == -2.25);
  }

  TEST_CASE("text number: a decimal comma is rejected unless the format declares it") {
    CHECK(parse_number("1,5") == std::nullopt);
    CHECK(parse_number("1,234.5") == std::nullopt);
  }

  TEST_CASE("text number: non-finite values and words are rejected") {
    CHECK(parse_number("nan") == std::nullopt);
    CHECK(parse_number("NaN") == std::nullopt);
    CHECK(parse_number("inf") == std::nullopt);
    CHECK(parse_number("-inf") == std::nullopt);
    CHECK(parse_number("+infinity") == std::nullopt);
    CHECK(parse_number("1e999") == std::nullopt);
    CHECK(parse_number("-1e999") == std::nullopt);
  }

  TEST_CASE("text number: empty, partial and malformed fields are rejected") {
    CHECK(parse_number("") == std::nullopt);
    CHECK(parse_number("   ") == std::nullopt);
    CHECK(parse_number("12 kWh") == std::nullopt);
    CHECK(parse_number("0x10") == std::nullopt);
    CHECK(parse_number("1 2") == std::nullopt);
    CHECK(parse_number("+") == std::nullopt);
    CHECK(parse_number("-") == std::nullopt);
    CHECK(parse_number(".") == std::nullopt);
    CHECK(parse_number("+-3") == std::nullopt);
    CHECK(parse_number("--3") == std::nullopt);
    CHECK(parse_number("1e") == std::nullopt);
    CHECK(parse_number("1e+") == std::nullopt);
    CHECK(parse_number("e5") == std::nullopt);
    CHECK(parse_number("1.2.3") == std::nullopt);
    CHECK(parse_number("- 5") == std::nullopt);
  }

  TEST_CASE("text number: a declared decimal comma and thousands point are read") {
    const NumberFormat european{',', '.'};
    CHECK(parse_number("1.234,5", european) == 1234.5);
    CHECK(parse_number("1.234.567,25", european) == 1234567.25);
    CHECK(parse_number("-12,5", european) == -12.5);
    CHECK(parse_number("999", european) == 999.0);
    CHECK(parse_number(" 1.000 ", european) == 1000.0);
    CHECK(parse_number(",5", european) == 0.5);
    CHECK(parse_number("1,5e2", european) == 150.0);
  }

  TEST_CASE("text number: a thousands separator must sit between groups of three digits") {
    const NumberFormat european{',', '.'};
    CHECK(parse_number("12.34", european) == std::nullopt);
    CHECK(parse_number("1.2345", european) == std::nullopt);
    CHECK(parse_number("1234.567", european) == std::nullopt);
    CHECK(parse_number(".123", european) == std::nullopt);
    CHECK(parse_number("1.", european) == std::nullopt);
    CHECK(parse_number("1,234.5", european) == std::nullopt);
    CHECK(parse_number("1,5,3", european) == std::nullopt);
  }

  TEST_CASE("text number: with a decimal comma and no separator a point is rejected") {
    const NumberFormat comma{',', 0};
    CHECK(parse_number("1,5", comma) == 1.5);
    CHECK(parse_number("1.5", comma) == std::nullopt);
    CHECK(parse_number("nan", comma) == std::nullopt);
    CHECK(parse_number("", comma) == std::nullopt);
  }

  TEST_CASE("text number: a thousands comma with a decimal point reads US style") {
    const NumberFormat us{'.', ','};
    CHECK(parse_number("1,234.5", us) == 1234.5);
    CHECK(parse_number("12,34", us) == std::nullopt);
  }

  TEST_CASE("text number: a long number in a declared format is not truncated") {
    const NumberFormat comma{',', 0};
    const std::string long_number = "1," + std::string(100, '0') + "1";
    CHECK(parse_number(long_number, comma) == 1.0);
    CHECK(parse_number(long_number + "x", comma) == std::nullopt);
  }

  TEST_CASE("text number: every value is the correctly rounded double that from_chars gives") {
    // Decimals of 0 to 20 digits with exponents, so that both the fast path
    // (15 digits or fewer, power of ten up to 1e22) and the fallback are used.
    std::uint64_t state = 12345;
    auto next_random = [&state] {
      state = state * 6364136223846793005u + 1442695040888963407u;
      return static_cast<unsigned>(state >> 33);
    };
    int compared = 0;
    for (int k = 0; k < 20000; ++k) {
      std::string text = next_random() % 2 ? "-" : "";
      const unsigned integer_digits = next_random() % 11 + 1;
      const unsigned fraction_digits = next_random() % 10;
      for (unsigned i = 0; i < integer_digits; ++i)
        text += static_cast<char>('0' + next_random() % 10);
      if (fraction_digits > 0) text += '.';
      for (unsigned i = 0; i < fraction_digits; ++i)
        text += static_cast<char>('0' + next_random() % 10);
      if (next_random() % 3 == 0)
        text += "e" + std::to_string(static_cast<int>(next_random() % 61) - 30);
      double expected = 0;
      std::from_chars(text.data(), text.data() + text.size(), expected);
      const auto parsed = parse_number(text);
      REQUIRE_MESSAGE(parsed.has_value(), text);
      REQUIRE_MESSAGE(std::memcmp(&*parsed, &expected, sizeof expected) == 0, text);
      ++compared;
    }
    CHECK(compared == 20000);
    CHECK(parse_number("0.1") == 0.1);
    CHECK(parse_number("9007199254740993") == 9007199254740992.0); // 2^53 + 1 rounds to even
    CHECK(std::signbit(*parse_number("-0")));
  }
}
