// The parse cache: a tree written and read back is the tree parsed, and
// anything but a whole entry is ignored (mrv/cache.hpp).
#include "data/yaml_cache.hpp"
#include "mrv/cache.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>

using namespace mrv;
using namespace mrv::detail;

namespace {

const char* kText = "mrv: project/1\nid: \"X\"\nunits:\n  - {id: A, values: {k: 1}}\n"
                    "notes: |\n  two\n  lines\nempty:\n";

bool same(const YamlNode& a, const YamlNode& b) {
  if (a.kind != b.kind || a.value != b.value || a.quoted != b.quoted || a.line != b.line ||
      a.column != b.column || a.offset != b.offset || a.items.size() != b.items.size() ||
      a.entries.size() != b.entries.size())
    return false;
  for (std::size_t i = 0; i < a.items.size(); ++i)
    if (!same(a.items[i], b.items[i])) return false;
  for (std::size_t i = 0; i < a.entries.size(); ++i)
    if (!same(a.entries[i].key, b.entries[i].key) || !same(a.entries[i].value, b.entries[i].value))
      return false;
  return true;
}

} // namespace

TEST_SUITE("yaml_cache") {
  TEST_CASE("yaml_cache: a tree written and read back is the tree parsed") {
    Expected<YamlDocument> doc = parse_yaml(kText, "p.yaml");
    REQUIRE(doc);
    const std::string bytes = tree_bytes(doc->root);
    std::optional<YamlNode> back = tree_from_bytes(bytes, YamlLimits{});
    REQUIRE(back);
    CHECK(same(*back, doc->root));
  }

  TEST_CASE("yaml_cache: a cut, grown or foreign entry is not a tree") {
    Expected<YamlDocument> doc = parse_yaml(kText, "p.yaml");
    REQUIRE(doc);
    const std::string bytes = tree_bytes(doc->root);
    for (std::size_t n = 0; n < bytes.size(); ++n)
      CHECK_FALSE(tree_from_bytes(bytes.substr(0, n), YamlLimits{}));
    CHECK_FALSE(tree_from_bytes(bytes + "x", YamlLimits{}));
    CHECK_FALSE(tree_from_bytes("mrv: project/1\n", YamlLimits{}));
    YamlLimits few;
    few.max_nodes = 3; // the limits hold for a tree read back too
    CHECK_FALSE(tree_from_bytes(bytes, few));
  }

  TEST_CASE("yaml_cache: a file parsed once is read back, its error never kept") {
    const std::filesystem::path root =
        std::filesystem::temp_directory_path() /
        ("mrv-cache-test-" + std::to_string(std::hash<std::string>{}(kText) % 100000));
    std::filesystem::remove_all(root);
    const std::filesystem::path folder = root / "cache" / "mrv"; // its parents are made too
    use_parse_cache(folder.string());
    Expected<YamlDocument> first = parse_yaml(kText, "p.yaml");
    REQUIRE(first);
    REQUIRE(std::filesystem::exists(folder));
    CHECK(std::distance(std::filesystem::directory_iterator(folder),
                        std::filesystem::directory_iterator()) == 1);
    std::optional<YamlNode> kept = cached_tree(kText, YamlLimits{});
    REQUIRE(kept);
    CHECK(same(*kept, first->root));
    CHECK_FALSE(cached_tree(kText, YamlLimits{1 << 20, 64, 200000})); // other limits: another entry
    CHECK_FALSE(parse_yaml("a: 1\na: 2\n", "d.yaml"));                // an error is not kept
    CHECK(std::distance(std::filesystem::directory_iterator(folder),
                        std::filesystem::directory_iterator()) == 1);
    // An entry spoiled on disk is ignored: the file is parsed again.
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      std::ofstream(entry.path(), std::ios::trunc) << "spoiled";
    Expected<YamlDocument> again = parse_yaml(kText, "p.yaml");
    REQUIRE(again);
    CHECK(same(again->root, first->root));
    use_parse_cache("");
    std::filesystem::remove_all(root);
  }
}
