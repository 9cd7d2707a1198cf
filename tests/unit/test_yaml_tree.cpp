#include "data/yaml_tree.hpp"

#include <doctest/doctest.h>

using namespace mrv;
using namespace mrv::detail;

namespace {
Diagnostic fails(const std::string& text) {
  Expected<YamlDocument> doc = parse_yaml(text, "f.yaml");
  REQUIRE_FALSE(doc);
  return doc.error();
}
} // namespace

TEST_SUITE("yaml_tree") {
  TEST_CASE("yaml_tree: maps, sequences and scalars keep their order and place") {
    Expected<YamlDocument> doc = parse_yaml("b: 1\na:\n  - x\n  - \"y\"\n", "f.yaml");
    REQUIRE(doc);
    const YamlNode& root = doc->root;
    REQUIRE(root.is_map());
    CHECK(root.entries[0].key.value == "b");
    CHECK(root.entries[1].key.value == "a");
    const YamlNode* a = root.find("a");
    REQUIRE(a);
    CHECK(a->items.size() == 2);
    CHECK(a->items[1].quoted);
    CHECK_FALSE(a->items[0].quoted);
    CHECK(a->items[1].line == 4);
    CHECK(a->items[1].column == 5);
  }

  TEST_CASE("yaml_tree: a duplicate key is an error at the second key") {
    Diagnostic d = fails("a: 1\nb: 2\na: 3\n");
    CHECK(format_diagnostic(d) ==
          "mrv: f.yaml:3:1: error: duplicate key 'a' (first defined at line 1)\n  a: 3\n  ^\n");
  }

  TEST_CASE("yaml_tree: aliases, anchors, merge keys and tags are refused") {
    CHECK(fails("a: &x 1\nb: *x\n").message == "YAML anchors are not allowed");
    Diagnostic alias = fails("a: [1]\nb: *x\n");
    CHECK(alias.code == ExitCode::invalid_input);
    CHECK(fails("a: !!str 1\n").message == "YAML tags are not allowed ('tag:yaml.org,2002:str')");
    Diagnostic merge = fails("a:\n  <<: {b: 1}\n");
    CHECK(merge.message == "YAML merge keys ('<<') are not allowed");
    CHECK(merge.where.line == 2);
    CHECK(merge.where.column == 3);
  }

  TEST_CASE("yaml_tree: several documents in one file are refused") {
    CHECK(fails("a: 1\n---\nb: 2\n").message == "only one YAML document per file is allowed");
  }

  TEST_CASE("yaml_tree: syntax errors keep yaml-cpp's message and place") {
    Diagnostic d = fails("a: [1, 2\n");
    CHECK(d.where.file == "f.yaml");
    CHECK(d.where.line >= 1);
    CHECK_FALSE(d.message.empty());
  }

  TEST_CASE("yaml_tree: deep nesting is refused before it costs anything") {
    std::string deep(200, '[');
    Diagnostic d = fails("a: " + deep + std::string(200, ']') + "\n");
    CHECK(d.message == "YAML nested deeper than 64 levels");
  }

  TEST_CASE("yaml_tree: an error inside a scalar points at the column within the file") {
    std::string text = "x:\n  formula: EG * EF_y\n";
    YamlDocument doc = *parse_yaml(text, "m.yaml");
    const YamlNode& formula = *doc.root.find("x")->find("formula");
    Diagnostic d = doc.error_in_scalar(formula, 5, 4, "unknown symbol 'EF_y'");
    CHECK(format_diagnostic(d) == "mrv: m.yaml:2:17: error: unknown symbol 'EF_y'\n    formula: EG "
                                  "* EF_y\n                  ^~~~\n");
  }

  TEST_CASE("yaml_tree: an error inside a quoted or block scalar is located too") {
    YamlDocument quoted = *parse_yaml("f: \"a + b\"\n", "m.yaml");
    CHECK(quoted.error_in_scalar(*quoted.root.find("f"), 4, 1, "x").where.column == 9);
    YamlDocument block = *parse_yaml("f: |\n  a +\n  bad\n", "m.yaml");
    Diagnostic d = block.error_in_scalar(*block.root.find("f"), 4, 3, "x");
    CHECK(d.where.line == 3);
    CHECK(d.where.column == 3);
  }

  TEST_CASE("yaml_tree: the reader names unknown keys with a suggestion") {
    YamlDocument doc = *parse_yaml("unti: kWh\n", "m.yaml");
    YamlReader r(doc);
    Status s = r.expect_map(doc.root, {"unit", "description"}, "a parameter");
    REQUIRE_FALSE(s);
    CHECK(s.error().message == "unknown key 'unti' in a parameter");
    REQUIRE(s.error().notes.size() == 1);
    CHECK(s.error().notes[0] == "did you mean 'unit'?");
  }

  TEST_CASE("yaml_tree: numbers must be plain, finite and unquoted") {
    YamlDocument doc = *parse_yaml("a: \"1\"\nb: 1.5\nc: .nan\n", "m.yaml");
    YamlReader r(doc);
    CHECK_FALSE(r.number(*doc.root.find("a"), "a"));
    CHECK(*r.number(*doc.root.find("b"), "b") == 1.5);
    CHECK(r.number(*doc.root.find("c"), "c").error().message == "c must be a number, not '.nan'");
  }

  TEST_CASE("yaml_tree: a file larger than the limit is refused") {
    YamlLimits limits;
    limits.max_bytes = 10;
    Expected<YamlDocument> doc = parse_yaml("a: 12345678901\n", "m.yaml", limits);
    REQUIRE_FALSE(doc);
    CHECK(doc.error().message == "file is larger than 10 bytes");
  }
}
