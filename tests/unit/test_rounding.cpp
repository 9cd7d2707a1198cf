// credited_tonnes: a methodology's rounding rule over ER taken at 15
// significant digits (docs/jcm-rules.md, "Rounding of credits"). Every branch:
// each rule, a value a spreadsheet shows whole, nothing below zero, the clamp.
#include "mrv/methodology.hpp"

#include <doctest/doctest.h>

#include <cmath>

using mrv::credited_tonnes;
using mrv::Rounding;

TEST_SUITE("rounding") {
  TEST_CASE("each rule rounds a fractional ER its own way") {
    CHECK(credited_tonnes(1703.4, Rounding::floor) == 1703);
    CHECK(credited_tonnes(1703.4, Rounding::round) == 1703);
    CHECK(credited_tonnes(1703.5, Rounding::round) == 1704);
    CHECK(credited_tonnes(1703.4, Rounding::ceil) == 1704);
    CHECK(credited_tonnes(1703.0, Rounding::ceil) == 1703);
  }

  TEST_CASE("ER is taken at 15 significant digits first, as a spreadsheet shows it") {
    // 0.1 + 0.2 + ... sums land a hair below a whole number.
    const double almost = 3.0 - 4e-16;
    REQUIRE(almost < 3.0);
    CHECK(credited_tonnes(almost, Rounding::floor) == 3);
    CHECK(credited_tonnes(3.0 + 4e-16, Rounding::ceil) == 3);
  }

  TEST_CASE("no credits for zero or negative reductions") {
    CHECK(credited_tonnes(0.0, Rounding::floor) == 0);
    CHECK(credited_tonnes(-12.7, Rounding::floor) == 0);
    CHECK(credited_tonnes(-0.2, Rounding::ceil) == 0);
    CHECK(credited_tonnes(-0.4, Rounding::round) == 0);
  }

  TEST_CASE("the conversion stays defined above the largest creditable amount") {
    CHECK(credited_tonnes(1e300, Rounding::floor) ==
          static_cast<std::int64_t>(mrv::max_creditable));
    CHECK(credited_tonnes(INFINITY, Rounding::ceil) ==
          static_cast<std::int64_t>(mrv::max_creditable));
  }
}
