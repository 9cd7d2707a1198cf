#include "data/yaml_tree.hpp"
#include "base/try.hpp"

#include "data/text_number.hpp"
#include "data/yaml_cache.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>

namespace mrv::detail {
namespace {

// A reason to stop building the tree, reported at a mark.
struct Refusal {
  int line = 0, column = 0; // 0-based, as yaml-cpp marks are
  std::string message;
};

class TreeBuilder : public YAML::EventHandler {
public:
  explicit TreeBuilder(const YamlLimits& limits) : limits_(limits) {}

  YamlNode root;
  std::optional<Refusal> refusal;
  int documents = 0;

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents > 1) refuse(mark, "only one YAML document per file is allowed");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    YamlNode node = make(mark, YamlNode::Kind::null);
    add(std::move(node));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    refuse(mark, "YAML aliases are not allowed (write the value out)");
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    YamlNode node = make(mark, YamlNode::Kind::scalar);
    node.value = value;
    node.quoted = tag == "!";
    add(std::move(node));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, YamlNode::Kind::sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, YamlNode::Kind::map);
  }
  void OnMapEnd() override { close(); }

private:
  struct Open {
    YamlNode node;
    std::optional<YamlNode> pending_key;            // maps: key awaiting its value
    std::unordered_map<std::string, int> key_lines; // maps: keys seen, for duplicates
  };
  const YamlLimits& limits_;
  std::vector<Open> stack_;
  std::size_t nodes_ = 0;

  void refuse(const YAML::Mark& mark, std::string message) {
    refuse_at(mark.line, mark.column, std::move(message));
  }
  void refuse_at(int line, int column, std::string message) {
    if (!refusal) refusal = Refusal{line, column, std::move(message)};
  }
  void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) refuse(mark, "YAML anchors are not allowed");
  }
  void check_tag(const YAML::Mark& mark, const std::string& tag) {
    if (tag != "?" && tag != "!" && !tag.empty())
      refuse(mark, fmt::format("YAML tags are not allowed ('{}')", tag));
  }
  YamlNode make(const YAML::Mark& mark, YamlNode::Kind kind) {
    if (++nodes_ > limits_.max_nodes)
      refuse(mark, fmt::format("more than {} YAML nodes", limits_.max_nodes));
    YamlNode node;
    node.kind = kind;
    node.line = mark.line + 1;
    node.column = mark.column + 1;
    node.offset = static_cast<std::size_t>(std::max(0, mark.pos));
    return node;
  }
  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
            YamlNode::Kind kind) {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      refuse(mark, fmt::format("YAML nested deeper than {} levels", limits_.max_depth));
    stack_.push_back(Open{make(mark, kind), std::nullopt, {}});
  }
  void close() {
    YamlNode node = std::move(stack_.back().node);
    stack_.pop_back();
    add(std::move(node));
  }
  void add(YamlNode node) {
    if (refusal) return;
    if (stack_.empty()) {
      root = std::move(node);
      return;
    }
    Open& top = stack_.back();
    if (top.node.kind == YamlNode::Kind::sequence) {
      top.node.items.push_back(std::move(node));
      return;
    }
    if (!top.pending_key) {
      if (node.kind != YamlNode::Kind::scalar) {
        refuse_at(node.line - 1, node.column - 1, "a map key must be a plain text");
        return;
      }
      if (node.value == "<<" && !node.quoted) {
        refuse_at(node.line - 1, node.column - 1, "YAML merge keys ('<<') are not allowed");
        return;
      }
      auto [seen, inserted] = top.key_lines.emplace(node.value, node.line);
      if (!inserted) {
        refuse_at(
            node.line - 1, node.column - 1,
            fmt::format("duplicate key '{}' (first defined at line {})", node.value, seen->second));
        return;
      }
      top.pending_key = std::move(node);
      return;
    }
    top.node.entries.push_back(YamlEntry{std::move(*top.pending_key), std::move(node)});
    top.pending_key.reset();
  }
};

} // namespace

const YamlNode* YamlNode::find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k.value == key) return &v;
  return nullptr;
}

Location YamlDocument::location(const YamlNode& node) const {
  return Location{file, node.line, node.column};
}

std::string YamlDocument::line_text(int line) const {
  if (line <= 0) return "";
  if (line_starts.empty()) {
    line_starts.push_back(0);
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1))
      line_starts.push_back(at + 1);
  }
  if (static_cast<std::size_t>(line) > line_starts.size()) return "";
  const std::size_t start = line_starts[static_cast<std::size_t>(line) - 1];
  if (start > text.size()) return "";
  std::size_t end = text.find('\n', start);
  std::string result =
      text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!result.empty() && result.back() == '\r') result.pop_back();
  return result;
}

Diagnostic YamlDocument::error(const YamlNode& node, std::string message) const {
  Diagnostic d = error_at(location(node), std::move(message));
  d.source_line = line_text(node.line);
  if (node.is_scalar() && node.value.find('\n') == std::string::npos)
    d.caret_length = static_cast<int>(std::max<std::size_t>(1, node.value.size()));
  return d;
}

Diagnostic YamlDocument::error_in_scalar(const YamlNode& node, std::size_t offset,
                                         std::size_t length, std::string message) const {
  // Find each line of the scalar's value in the text, from the node onwards:
  // this handles plain, quoted (without escapes) and block scalars alike.
  std::size_t value_line_start = 0;
  std::size_t search_from = node.offset;
  std::size_t line_index = 0;
  while (true) {
    std::size_t value_line_end = node.value.find('\n', value_line_start);
    std::string_view piece = std::string_view(node.value)
                                 .substr(value_line_start, value_line_end == std::string::npos
                                                               ? std::string::npos
                                                               : value_line_end - value_line_start);
    bool offset_here = value_line_end == std::string::npos || offset < value_line_end;
    std::size_t found = piece.empty() ? std::string::npos : text.find(piece, search_from);
    if (offset_here || found == std::string::npos) {
      if (found == std::string::npos || (line_index == 0 && found > node.offset + 4096)) break;
      std::size_t absolute = found + (offset - value_line_start);
      int line = 1 + static_cast<int>(std::count(
                         text.begin(), text.begin() + static_cast<std::ptrdiff_t>(absolute), '\n'));
      std::size_t line_start = text.rfind('\n', absolute == 0 ? 0 : absolute - 1);
      line_start = (line_start == std::string::npos || absolute == 0) ? 0 : line_start + 1;
      Diagnostic d = error_at(Location{file, line, static_cast<int>(absolute - line_start) + 1},
                              std::move(message));
      d.source_line = line_text(line);
      d.caret_length = static_cast<int>(std::max<std::size_t>(1, length));
      return d;
    }
    search_from = found + piece.size();
    value_line_start = value_line_end + 1;
    ++line_index;
  }
  return error(node, std::move(message));
}

Expected<YamlDocument> parse_yaml(std::string text, std::string file, YamlLimits limits) {
  YamlDocument doc;
  doc.file = std::move(file);
  doc.text = std::move(text);
  if (doc.text.size() > limits.max_bytes)
    return error_at(Location{doc.file, 0, 0},
                    fmt::format("file is larger than {} bytes", limits.max_bytes));
  if (std::optional<YamlNode> cached = cached_tree(doc.text, limits)) {
    doc.root = std::move(*cached);
    return doc;
  }
  TreeBuilder builder(limits);
  try {
    std::istringstream stream(doc.text);
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(builder) && !builder.refusal) {
    }
  } catch (const YAML::Exception& e) {
    // A refusal of ours came first (deep nesting): report it, not what
    // yaml-cpp's own guard says later.
    if (builder.refusal) {
      const Refusal& r = *builder.refusal;
      Diagnostic d = error_at(Location{doc.file, r.line + 1, r.column + 1}, r.message);
      d.source_line = doc.line_text(r.line + 1);
      return d;
    }
    Diagnostic d = error_at(Location{doc.file, e.mark.line + 1, e.mark.column + 1}, e.msg);
    if (e.mark.line >= 0) d.source_line = doc.line_text(e.mark.line + 1);
    return d;
  }
  if (builder.refusal) {
    const Refusal& r = *builder.refusal;
    Diagnostic d = error_at(Location{doc.file, r.line + 1, r.column + 1}, r.message);
    d.source_line = doc.line_text(r.line + 1);
    return d;
  }
  doc.root = std::move(builder.root);
  keep_tree(doc.text, limits, doc.root);
  return doc;
}

Expected<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return cannot_open(path, std::strerror(errno));
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
      return error_at(Location{path, 0, 0}, fmt::format("file is larger than {} bytes", max_bytes));
  }
  if (in.bad()) return cannot_open(path, std::strerror(errno));
  return text;
}

Status YamlReader::expect_map(const YamlNode& map, const std::vector<std::string>& allowed,
                              std::string_view what) const {
  if (!map.is_map()) return error(map, fmt::format("{} must be a map", what));
  for (const auto& [key, value] : map.entries) {
    bool known = false;
    for (const std::string& a : allowed)
      known = known || key.value == a;
    if (!known) {
      Diagnostic d = error(key, fmt::format("unknown key '{}' in {}", key.value, what));
      std::string hint = closest_match(key.value, allowed);
      if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
      return d;
    }
  }
  return Ok{};
}

Expected<const YamlNode*> YamlReader::required(const YamlNode& map, std::string_view key,
                                               std::string_view what) const {
  const YamlNode* node = map.find(key);
  if (!node) return error(map, fmt::format("{} is missing '{}'", what, key));
  return node;
}

Expected<std::string> YamlReader::string(const YamlNode& node, std::string_view what) const {
  if (!node.is_scalar()) return error(node, fmt::format("{} must be a text", what));
  return node.value;
}

Expected<double> YamlReader::number(const YamlNode& node, std::string_view what) const {
  if (!node.is_scalar() || node.quoted)
    return error(node, fmt::format("{} must be a number", what));
  std::optional<double> value = parse_number(node.value);
  if (!value) return error(node, fmt::format("{} must be a number, not '{}'", what, node.value));
  return *value;
}

Expected<bool> YamlReader::boolean(const YamlNode& node, std::string_view what) const {
  if (node.is_scalar() && !node.quoted) {
    if (node.value == "true") return true;
    if (node.value == "false") return false;
  }
  return error(node, fmt::format("{} must be true or false", what));
}

Expected<std::vector<std::string>> YamlReader::string_list(const YamlNode& node,
                                                           std::string_view what) const {
  std::vector<std::string> out;
  if (node.is_scalar()) {
    out.push_back(node.value);
    return out;
  }
  if (!node.is_sequence()) return error(node, fmt::format("{} must be a list of texts", what));
  for (const YamlNode& item : node.items)
    out.push_back(MRV_TRY(string(item, what)));
  return out;
}

namespace {

// A line of its own that starts with `mrv:`: the file says it is one of
// mrv's (which kind, the loader checks with the line and column).
bool says_mrv(std::string_view text) {
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (text.substr(start, end - start).starts_with("mrv:")) return true;
    start = end + 1;
  }
  return false;
}

} // namespace

Expected<YamlDocument> parse_mrv_yaml(std::string text, std::string file, std::string_view kind,
                                      std::string_view what, YamlLimits limits) {
  if (!says_mrv(text)) {
    Diagnostic d =
        error_at(Location{file, 0, 0},
                 fmt::format("'{}' is not {}: it has no line `mrv: {}`", file, what, kind));
    d.notes.push_back(fmt::format("{} file has the line `mrv: {}`", what, kind));
    return d;
  }
  return parse_yaml(std::move(text), std::move(file), limits);
}

} // namespace mrv::detail
