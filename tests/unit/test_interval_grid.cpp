// The intervals of a data source: bits in blocks allocated as rows arrive,
// the recent rows to compare a repeat with, and the inferred interval.
#include "data/interval_grid.hpp"

#include <doctest/doctest.h>

using namespace mrv::detail;

TEST_SUITE("interval_grid") {
  TEST_CASE("interval_grid: bits are set once, in blocks taken as rows arrive") {
    SeenIntervals seen;
    std::size_t blocks = 0;
    CHECK_FALSE(seen.test(5));
    CHECK_FALSE(seen.test_and_set(5, blocks));
    CHECK(blocks == 1);
    CHECK(seen.test_and_set(5, blocks));
    CHECK(seen.test(5));
    CHECK_FALSE(seen.test(6));
    // A row a century of seconds later takes one more block, not the ones between.
    const std::int64_t far = std::int64_t{3'155'760'000};
    CHECK_FALSE(seen.test_and_set(far, blocks));
    CHECK(blocks == 2);
    CHECK(seen.test(far));
    CHECK(seen.block(far / SeenIntervals::block_bits) != nullptr);
    CHECK(seen.block(1000) == nullptr);
  }

  TEST_CASE("interval_grid: recent rows are found until a later interval takes their place") {
    RecentRows recent;
    CHECK(recent.find(3) == nullptr);
    recent.put({3, 42, 7, 0}, 32);
    REQUIRE(recent.find(3) != nullptr);
    CHECK(recent.find(3)->hash == 42);
    CHECK(recent.find(3)->line == 7);
    CHECK(recent.find(35) == nullptr);
    recent.put({35, 1, 9, 0}, 32); // 35 modulo 32 is 3
    CHECK(recent.find(3) == nullptr);
    CHECK(recent.find(35) != nullptr);
  }

  TEST_CASE("interval_grid: the rows kept per unit shrink with many units, within a budget") {
    CHECK(RecentRows::capacity_for(10, 32 << 20) == RecentRows::most);
    CHECK(RecentRows::capacity_for(28000, 32 << 20) == RecentRows::least);
    const std::size_t mid = RecentRows::capacity_for(5000, 32 << 20);
    CHECK(mid < RecentRows::most);
    CHECK((mid & (mid - 1)) == 0); // a power of two: slots are masked
  }

  TEST_CASE("interval_grid: the interval is the most common step between a unit's rows") {
    IntervalInference hourly;
    for (int unit = 0; unit < 2; ++unit)
      for (int h = 0; h < 48; ++h)
        if (h != 10) hourly.add(static_cast<std::size_t>(unit), h * 3600); // a gap is fine
    std::string why;
    CHECK(hourly.infer(why) == 3600);
    // Rows sorted by time, then unit, or out of order: the steps are a unit's own.
    IntervalInference shuffled;
    for (int h : {5, 1, 3, 2, 4, 0, 7, 6})
      shuffled.add(0, h * 900);
    CHECK(shuffled.infer(why) == 900);
  }

  TEST_CASE("interval_grid: uneven or too few rows have no interval, and say why") {
    IntervalInference monthly;
    for (int day : {0, 31, 59, 90, 120, 151})
      monthly.add(0, day * 86400);
    std::string why;
    CHECK_FALSE(monthly.infer(why));
    CHECK(why.find("not evenly spaced") != std::string::npos);
    IntervalInference one_row;
    one_row.add(0, 0);
    CHECK_FALSE(one_row.infer(why));
    CHECK(why == "too few rows per unit to tell");
  }

  TEST_CASE("interval_grid: durations are written as a project writes them") {
    CHECK(format_duration(3600) == "1 h");
    CHECK(format_duration(900) == "15 min");
    CHECK(format_duration(86400 * 7) == "7 d");
    CHECK(format_duration(90) == "90 s");
  }
}
