// The resource limits documented in docs/security.md, pinned: changing one
// is a decision that changes this test and the documentation together.
// Behaviour at and past each limit, through the command line, with time and
// memory budgets: tests/limits/limits.py.
#include "data/csv_reader.hpp"
#include "data/yaml_tree.hpp"
#include "model/formula_ast.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace mrv::detail;

TEST_SUITE("limits") {
  TEST_CASE("limits: the values are the documented ones") {
    CHECK(CsvReader::max_row_bytes == 1048576);
    CHECK(max_formula_bytes == 4096);
    CHECK(max_formula_depth == 64);
    const YamlLimits yaml;
    CHECK(yaml.max_bytes == 4194304);
    CHECK(yaml.max_depth == 64);
    CHECK(yaml.max_nodes == 200000);
  }

  TEST_CASE("limits: YAML nests 64 levels deep and no deeper") {
    // The root map is the first level; each '[' opens one more.
    auto nested = [](int lists) {
      return "a: " + std::string(static_cast<std::size_t>(lists), '[') +
             std::string(static_cast<std::size_t>(lists), ']') + "\n";
    };
    CHECK(parse_yaml(nested(63), "f.yaml").has_value());
    auto refused = parse_yaml(nested(64), "f.yaml");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message == "YAML nested deeper than 64 levels");
    CHECK(refused.error().where.column == 67); // the 64th '['
  }

  TEST_CASE("limits: YAML has at most 200000 nodes") {
    // A map, its key and a list of n scalars: n + 3 nodes.
    auto list = [](int n) {
      std::string text = "a: [";
      for (int i = 0; i < n; ++i)
        text += i ? ",1" : "1";
      return text + "]\n";
    };
    CHECK(parse_yaml(list(199997), "f.yaml").has_value());
    auto refused = parse_yaml(list(199998), "f.yaml");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message == "more than 200000 YAML nodes");
  }
}
