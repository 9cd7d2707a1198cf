// Building blocks shared by the renderers: a small JSON writer and a table
// of text cells that prints as aligned columns, CSV/TSV or Markdown.
//
// The JSON writer is hand-written rather than a JSON library's dump so that
// key order, indentation and the text of every number are ours to fix: the
// same result must give byte-identical output, release after release.
#pragma once

#include "mrv/render.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mrv::detail {

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

// Rows of text cells with a header; numeric columns are right-aligned in the
// human formats. Cells hold their final text (numbers already formatted).
struct TextTable {
  std::vector<std::string> header;
  std::vector<bool> right_aligned; // per column
  std::vector<std::vector<std::string>> rows;

  // `numeric` columns are emitted without csv_field's quoting and formula
  // guard: they hold numbers the renderer formatted itself.
  std::string to_delimited(char delimiter, const std::vector<bool>& numeric) const;
  // Columns padded with two spaces between them, no trailing blanks.
  std::string to_aligned() const;
  // A GitHub Markdown table.
  std::string to_markdown() const;
};

// Columns a text takes on a terminal: one per code point, two for East
// Asian wide characters (project and unit names are often Japanese).
std::size_t display_width(std::string_view text);

// Joins texts with a separator.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

} // namespace mrv::detail
