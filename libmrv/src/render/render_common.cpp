// Formats, numbers, escaping and the table and JSON building blocks that every
// renderer shares.
#include "render/render_common.hpp"

#include "data/json_writer.hpp"
#include "data/utf8.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace mrv {

namespace {

struct FormatName {
  Format format;
  const char* name;
};
constexpr FormatName format_names[] = {
    {Format::csv, "csv"},     {Format::tsv, "tsv"},     {Format::json, "json"},
    {Format::jsonl, "jsonl"}, {Format::table, "table"}, {Format::md, "md"},
};

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
         (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x20000 && c <= 0x3FFFD);
}

// A cell for the human formats: control characters would break the layout.
std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

std::string pad(const std::string& text, std::size_t width, bool right) {
  const std::size_t used = detail::display_width(text);
  const std::string fill(width > used ? width - used : 0, ' ');
  return right ? fill + text : text + fill;
}

void trim_trailing_blanks(std::string& line) {
  while (!line.empty() && line.back() == ' ')
    line.pop_back();
}

} // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (const FormatName& f : format_names)
    if (name == f.name) return f.format;
  return std::nullopt;
}

const char* format_name(Format format) {
  for (const FormatName& f : format_names)
    if (f.format == format) return f.name;
  return "?";
}

std::string json_escape(std::string_view text) {
  return detail::json_escape(text);
}

// RFC 4180 quoting, plus the OWASP guard against formula injection: a cell
// that a spreadsheet would evaluate gets a leading apostrophe.
std::string csv_field(std::string_view text, char delimiter) {
  std::string field;
  if (!text.empty()) {
    const char first = text.front();
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
        first == '\r')
      field = "'";
  }
  field.append(text);
  const char special[] = {delimiter, '"', '\r', '\n'};
  if (field.find_first_of(std::string_view(special, sizeof special)) == std::string::npos)
    return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

namespace detail {

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  while (!text.empty()) {
    char32_t code_point = 0;
    std::size_t length = detail::utf8_sequence(text, code_point);
    if (length == 0) {
      length = 1;
      code_point = 0xFFFD;
    }
    width += is_wide(code_point) ? 2u : 1u;
    text.remove_prefix(length);
  }
  return width;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// ---- TextTable

std::string TextTable::to_delimited(char delimiter, const std::vector<bool>& numeric) const {
  std::string out;
  const auto line = [&](const std::vector<std::string>& cells, bool is_header) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += delimiter;
      const bool raw = !is_header && i < numeric.size() && numeric[i];
      out += raw ? cells[i] : csv_field(cells[i], delimiter);
    }
    out += '\n';
  };
  line(header, true);
  for (const auto& row : rows)
    line(row, false);
  return out;
}

std::string TextTable::to_aligned() const {
  std::vector<std::size_t> widths(header.size(), 0);
  const auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], display_width(printable(cells[i])));
  };
  measure(header);
  for (const auto& row : rows)
    measure(row);

  std::string out;
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      if (i > 0) text += "  ";
      const bool right = i < right_aligned.size() && right_aligned[i];
      text += pad(printable(cells[i]), widths[i], right);
    }
    trim_trailing_blanks(text);
    out += text + '\n';
  };
  line(header);
  for (const auto& row : rows)
    line(row);
  return out;
}

std::string TextTable::to_markdown() const {
  const auto escape = [](const std::string& cell) {
    std::string out;
    for (char c : printable(cell)) {
      if (c == '|') out += '\\';
      out += c;
    }
    return out;
  };
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size() + 1);
  std::vector<std::size_t> widths(header.size(), 3); // a delimiter cell needs 3 dashes
  const auto add = [&](const std::vector<std::string>& row) {
    std::vector<std::string> escaped;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      escaped.push_back(escape(row[i]));
      widths[i] = std::max(widths[i], display_width(escaped.back()));
    }
    cells.push_back(std::move(escaped));
  };
  add(header);
  for (const auto& row : rows)
    add(row);

  std::string out;
  const auto line = [&](const std::vector<std::string>& row) {
    std::string text = "|";
    for (std::size_t i = 0; i < row.size(); ++i) {
      const bool right = i < right_aligned.size() && right_aligned[i];
      text += ' ' + pad(row[i], widths[i], right) + " |";
    }
    out += text + '\n';
  };
  line(cells[0]);
  std::string rule = "|";
  for (std::size_t i = 0; i < widths.size(); ++i) {
    const bool right = i < right_aligned.size() && right_aligned[i];
    rule += ' ' + std::string(widths[i] - (right ? 1 : 0), '-') + (right ? ":" : "") + " |";
  }
  out += rule + '\n';
  for (std::size_t r = 1; r < cells.size(); ++r)
    line(cells[r]);
  return out;
}

} // namespace detail

} // namespace mrv
