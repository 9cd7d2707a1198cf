#include "data/json_writer.hpp"

#include "data/utf8.hpp"
#include "mrv/numbers.hpp"

#include <cmath>

namespace mrv::detail {

// RFC 8259: quote and backslash escaped, control characters as short escapes
// or \u00XX. Bytes that are not UTF-8 become U+FFFD so the output is always
// valid JSON whatever a CSV header contained.
std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    char32_t code_point = 0;
    const std::size_t length = utf8_sequence(text, code_point);
    if (length == 0) {
      out += "\\ufffd";
      text.remove_prefix(1);
      continue;
    }
    switch (code_point) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (code_point < 0x20) {
        static constexpr char hex[] = "0123456789abcdef";
        out += "\\u00";
        out += hex[code_point >> 4];
        out += hex[code_point & 0xF];
      } else {
        out.append(text.substr(0, length));
      }
    }
    text.remove_prefix(length);
  }
  return out;
}

void JsonWriter::newline_and_indent() {
  if (!pretty_) return;
  out_ += '\n';
  out_.append(2 * stack_.size(), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return; // the document itself
  Level& level = stack_.back();
  if (level.has_members) out_ += ',';
  level.has_members = true;
  newline_and_indent();
}

void JsonWriter::key(std::string_view name) {
  Level& level = stack_.back();
  if (level.has_members) out_ += ',';
  level.has_members = true;
  newline_and_indent();
  out_ += '"';
  out_ += json_escape(name);
  out_ += pretty_ ? "\": " : "\":";
  after_key_ = true;
}

void JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  stack_.push_back({true, false});
}

void JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  stack_.push_back({false, false});
}

void JsonWriter::end_object() {
  const bool has_members = stack_.back().has_members;
  stack_.pop_back();
  if (has_members) newline_and_indent();
  out_ += '}';
}

void JsonWriter::end_array() {
  const bool has_members = stack_.back().has_members;
  stack_.pop_back();
  if (has_members) newline_and_indent();
  out_ += ']';
}

void JsonWriter::value(std::string_view text) {
  before_value();
  out_ += '"';
  out_ += json_escape(text);
  out_ += '"';
}

void JsonWriter::value(double number) {
  before_value();
  out_ += std::isfinite(number) ? format_number(number) : "null";
}

void JsonWriter::value(std::int64_t number) {
  before_value();
  out_ += std::to_string(number);
}

void JsonWriter::value(bool flag) {
  before_value();
  out_ += flag ? "true" : "false";
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

void JsonWriter::quantity_members(double number, std::string_view unit, std::string_view text,
                                  std::optional<int> decimals) {
  if (!text.empty()) {
    member("value", text);
  } else {
    member("value", number);
    member("unit", unit);
    if (decimals) member("decimals", *decimals);
  }
}

} // namespace mrv::detail
