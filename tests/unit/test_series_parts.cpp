// One file read in parts: each piece of per-unit state merged in file order
// equals what one pass over the same rows leaves (series_parts.cpp).
#include "data/interval_grid.hpp"
#include "engine/series.hpp"
#include "engine/series_state.hpp"

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace mrv::detail;

namespace {

RateExtreme values(const std::vector<double>& v, std::size_t from, std::size_t to) {
  RateExtreme e;
  for (std::size_t i = from; i < to; ++i)
    e.add_value(v[i], static_cast<std::int64_t>(i) + 2, 0);
  return e;
}

} // namespace

TEST_SUITE("series_parts") {
  TEST_CASE("series_parts: the extremes of two parts merged are those of one pass") {
    std::mt19937 random(7);
    for (int trial = 0; trial < 200; ++trial) {
      std::vector<double> v(1 + random() % 60);
      for (double& x : v) // repeats and ties: few distinct values
        x = static_cast<double>(random() % 5);
      const std::size_t cut = random() % (v.size() + 1);
      RateExtreme whole = values(v, 0, v.size());
      // Part 2 numbers its lines from its own start: moved by `cut` here.
      RateExtreme later;
      for (std::size_t i = cut; i < v.size(); ++i)
        later.add_value(v[i], static_cast<std::int64_t>(i - cut) + 2, 0);
      RateExtreme merged = values(v, 0, cut);
      merged.merge_later(later, static_cast<std::int64_t>(cut));
      CHECK(merged.count == whole.count);
      CHECK(merged.fell == whole.fell);
      CHECK(merged.rises == whole.rises);
      CHECK(merged.previous == whole.previous);
      CHECK(merged.first_value == whole.first_value);
      CHECK(merged.first_line == whole.first_line);
      CHECK(merged.largest == whole.largest);
      CHECK(merged.largest_rate == whole.largest_rate);
      CHECK(merged.line == whole.line);
      CHECK(merged.total == doctest::Approx(whole.total));
    }
  }

  TEST_CASE("series_parts: interval bits merge, and a shared interval is an overlap") {
    SeenIntervals a, b;
    std::size_t blocks = 0;
    a.test_and_set(3, blocks);
    b.test_and_set(4, blocks);
    b.test_and_set(9000, blocks);
    CHECK_FALSE(a.overlaps(b));
    std::size_t merged_blocks = 1;
    a.merge(b, merged_blocks);
    CHECK(merged_blocks == 2); // block 0 was a's, block 2 is new
    CHECK(a.test(3));
    CHECK(a.test(4));
    CHECK(a.test(9000));
    SeenIntervals c;
    c.test_and_set(4, blocks);
    CHECK(a.overlaps(c));
    CHECK(c.overlaps(a));
  }

  TEST_CASE("series_parts: the recent rows of a later part replace those of its slots") {
    RecentRows earlier, later;
    earlier.put({1, 11, 10, 0, 100}, 32);
    earlier.put({2, 12, 11, 0, 160}, 32);
    later.put({34, 44, 3, 0, 2000}, 32); // slot 34 takes slot 2's place
    earlier.merge_later(later, 100);
    REQUIRE(earlier.find(1) != nullptr);
    CHECK(earlier.find(1)->line == 10);
    CHECK(earlier.find(2) == nullptr);
    REQUIRE(earlier.find(34) != nullptr);
    CHECK(earlier.find(34)->line == 103);
  }

  TEST_CASE("series_parts: sums merge exactly, and values summed inexactly are counted") {
    Accumulator a, b, whole;
    a.add_exact(5, 5e-12, 10);
    b.add(0.1, 20);
    b.add(0.2, 30);
    whole.add_exact(5, 5e-12, 10);
    whole.add(0.1, 20);
    whole.add(0.2, 30);
    a.merge(b);
    CHECK(a.inexact == 2);
    CHECK(a.total() == whole.total());
    CHECK(a.first == whole.first);
    CHECK(a.last == whole.last);
    CHECK(a.count == whole.count);
  }
}
