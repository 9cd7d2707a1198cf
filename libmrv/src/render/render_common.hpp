// Building blocks shared by the renderers: a table of text cells that prints
// as aligned columns, CSV/TSV or Markdown (JSON: data/json_writer.hpp).
#pragma once

#include "data/json_writer.hpp"

#include "mrv/render.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mrv::detail {

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
