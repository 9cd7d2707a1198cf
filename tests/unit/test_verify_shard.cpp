#include "mrv/verify.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <vector>

using namespace mrv;

TEST_SUITE("verify_shard") {
  TEST_CASE("verify_shard: the hash is FNV-1a 64 as published") {
    // Reference values of the FNV-1a 64-bit test suite (isthe.com/chongo/tech/comp/fnv).
    CHECK(fnv1a_64("") == 0xcbf29ce484222325ull);
    CHECK(fnv1a_64("a") == 0xaf63dc4c8601ec8cull);
    CHECK(fnv1a_64("foobar") == 0x85944171f73967e8ull);
  }

  TEST_CASE("verify_shard: an id's shard never changes between releases") {
    // Shards run on different machines, possibly with different mrv builds:
    // these are pinned so that a change of the hash cannot slip in.
    CHECK(fnv1a_64("MN-PV-EXAMPLE") == 0xa0a46902049525b4ull);
    CHECK(fnv1a_64("MN-PV-MESSY") == 0x4dabc1d45c870585ull);
    CHECK(in_shard("MN-PV-EXAMPLE", Shard{1, 3}));
    CHECK(in_shard("MN-PV-MESSY", Shard{2, 3}));
    CHECK(in_shard("anything", Shard{1, 1}));
  }

  TEST_CASE("verify_shard: K/N is read with K counted from 1") {
    CHECK(parse_shard("1/3").has_value());
    CHECK(parse_shard("3/3")->index == 3);
    CHECK(parse_shard("3/3")->count == 3);
    CHECK(parse_shard("12/100")->index == 12);
    CHECK_FALSE(parse_shard("0/3").has_value());
    CHECK_FALSE(parse_shard("4/3").has_value());
    CHECK_FALSE(parse_shard("1/0").has_value());
    CHECK_FALSE(parse_shard("3").has_value());
    CHECK_FALSE(parse_shard("-1/3").has_value());
    CHECK_FALSE(parse_shard("1/3x").has_value());
    CHECK_FALSE(parse_shard(" 1/3").has_value());
    CHECK_FALSE(parse_shard("1//3").has_value());
    CHECK_FALSE(parse_shard("").has_value());
  }

  TEST_CASE("verify_shard: N shards cover every id exactly once") {
    std::vector<std::string> ids;
    for (int i = 0; i < 2000; ++i)
      ids.push_back(fmt::format("JCM-PROJECT-{:04}", i));
    for (std::uint64_t n = 1; n <= 9; ++n) {
      std::vector<int> per_shard(n, 0);
      for (const std::string& id : ids) {
        int owners = 0;
        for (std::uint64_t k = 1; k <= n; ++k)
          if (in_shard(id, Shard{k, n})) {
            ++owners;
            ++per_shard[k - 1];
          }
        CHECK(owners == 1);
      }
      // And roughly evenly: no shard gets less than half its share.
      for (int count : per_shard)
        CHECK(count > static_cast<int>(ids.size() / n / 2));
    }
  }
}
