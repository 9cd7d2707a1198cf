// The one JSON writer of mrv's outputs (calc, allocate, screen, verify lines,
// methodology, report). Hand-written rather than a JSON library's dump so that
// key order, indentation and the text of every number are ours to fix: the
// same result gives byte-identical output, release after release. Numbers are
// written in their shortest round-trip form (format_number); non-finite ones
// as null. The formats mrv reads back (calc JSON, verify lines) are read with
// nlohmann-json in the same module that writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrv::detail {

// RFC 8259 string content: quote and backslash escaped, control characters
// as short escapes or \u00XX; bytes that are not UTF-8 become U+FFFD.
std::string json_escape(std::string_view text);

class JsonWriter {
public:
  // Pretty: 2-space indentation, one member per line; otherwise compact.
  explicit JsonWriter(bool pretty) : pretty_(pretty) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The key of the next member of the current object.
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(const std::string& text) { value(std::string_view(text)); }
  void value(double number); // non-finite numbers become null
  void value(std::int64_t number);
  void value(int number) { value(static_cast<std::int64_t>(number)); }
  void value(bool flag);
  void null();

  // Shorthands for `key(name); value(v);`.
  template <class T> void member(std::string_view name, const T& v) {
    key(name);
    value(v);
  }

  // A quantity as members of the current object: "value" and "unit", or a
  // key parameter's text as "value" alone ({"value": 12.5, "unit": "MWh"},
  // {"value": "case_1"}). Every JSON form writes a value with its unit so.
  // With `decimals` (the report's presentation precision), a number also
  // says how many decimals the forms for people show it with; the value
  // itself keeps every digit.
  void quantity_members(double number, std::string_view unit, std::string_view text = {},
                        std::optional<int> decimals = std::nullopt);

  const std::string& text() const { return out_; }

private:
  void before_value();
  void newline_and_indent();

  struct Level {
    bool is_object;
    bool has_members;
  };
  bool pretty_;
  bool after_key_ = false;
  std::vector<Level> stack_;
  std::string out_;
};

} // namespace mrv::detail
