// Strict YAML: the one place where YAML text becomes plain structs.
//
// yaml-cpp's parser drives an event handler that builds our own value-type
// tree, so no YAML::Node escapes this unit. The events also let us refuse
// what yaml-cpp would accept silently: duplicate keys (0.7 keeps one),
// anchors and aliases (expanded, hence alias bombs), merge keys, tags and
// several documents in one file. Every node keeps its line and column.
#pragma once

#include "mrv/diagnostic.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mrv::detail {

struct YamlEntry;

struct YamlNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string value;   // the scalar's text
  bool quoted = false; // a quoted or block scalar: always text, never a number
  int line = 0;        // 1-based
  int column = 0;      // 1-based
  std::size_t offset = 0;
  std::vector<YamlNode> items;    // sequence
  std::vector<YamlEntry> entries; // map, in file order

  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_map() const { return kind == Kind::map; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_null() const { return kind == Kind::null; }
  // The value under `key` in a map, or nullptr.
  const YamlNode* find(std::string_view key) const;
};

// One key and its value in a map. (A struct rather than std::pair: the node
// type is still incomplete here, which a pair does not allow.)
struct YamlEntry {
  YamlNode key;
  YamlNode value;
};

// A parsed file: its name, its text (for source lines) and its tree.
struct YamlDocument {
  std::string file;
  std::string text;
  YamlNode root;

  Location location(const YamlNode& node) const;
  std::string line_text(int line) const;

  // Where each line starts, built at the first line_text(): a project of
  // 28,000 units quotes a line per value.
  mutable std::vector<std::size_t> line_starts;
  // A diagnostic pointing at `node`, with its source line and a caret.
  Diagnostic error(const YamlNode& node, std::string message) const;
  // A diagnostic pointing at byte `offset` of scalar `node`'s value (for a
  // formula inside a YAML string), mapped back to the file's line and column.
  Diagnostic error_in_scalar(const YamlNode& node, std::size_t offset, std::size_t length,
                             std::string message) const;
};

struct YamlLimits {
  std::size_t max_bytes = 4 << 20;
  int max_depth = 64;
  std::size_t max_nodes = 200000;
};

Expected<YamlDocument> parse_yaml(std::string text, std::string file, YamlLimits limits = {});

// Parses a file of mrv's, which says what it is on a line `mrv: KIND`
// ("project/1"). A file without a line starting `mrv:` is refused before it
// is parsed, and nothing of it is quoted: a path mistyped as /etc/shadow
// must not copy its first line into an error message.
Expected<YamlDocument> parse_mrv_yaml(std::string text, std::string file, std::string_view kind,
                                      std::string_view what, YamlLimits limits = {});

// Reads a whole file (for YAML inputs); errors carry ExitCode::cannot_open.
Expected<std::string> read_text_file(const std::string& path, std::size_t max_bytes);

// Helpers for loaders that turn a YamlNode into structs.
class YamlReader {
public:
  explicit YamlReader(const YamlDocument& document) : doc_(document) {}
  const YamlDocument& document() const { return doc_; }
  Diagnostic error(const YamlNode& node, std::string message) const {
    return doc_.error(node, std::move(message));
  }
  // Fails on a key of `map` that is not in `allowed` ("unknown key 'x'",
  // with a did-you-mean), or when `map` is not a map.
  Status expect_map(const YamlNode& map, const std::vector<std::string>& allowed,
                    std::string_view what) const;
  Expected<const YamlNode*> required(const YamlNode& map, std::string_view key,
                                     std::string_view what) const;
  Expected<std::string> string(const YamlNode& node, std::string_view what) const;
  Expected<double> number(const YamlNode& node, std::string_view what) const;
  Expected<bool> boolean(const YamlNode& node, std::string_view what) const;
  Expected<std::vector<std::string>> string_list(const YamlNode& node, std::string_view what) const;

private:
  const YamlDocument& doc_;
};

} // namespace mrv::detail
