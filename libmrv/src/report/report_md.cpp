// The report as GitHub Markdown: the blocks of report_document, for docs
// and diffs. Charts are left out: their data is in the tables beside them.
#include "report/report_document.hpp"

#include <cctype>

namespace mrv::detail {

namespace {

bool word_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) >= 0x80);
}

// Where a text goes: TextTable::to_markdown escapes '|' in table cells
// itself; a paragraph starts a line, where '#', '-', '+' and '=' are markup.
enum class Where { table_cell, line_start, within_line };

// Escapes what Markdown would read as markup. An underscore inside a word
// (RE_p, sum_i) is not emphasis in GitHub Markdown and stays readable.
std::string inline_text(std::string_view text, Where where) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
      continue;
    }
    // A bracket is markup only as a link, "](" or "][".
    const bool link = c == ']' && i + 1 < text.size() && (text[i + 1] == '(' || text[i + 1] == '[');
    bool escape = c == '\\' || c == '`' || c == '*' || c == '<' || c == '>' || link ||
                  (c == '|' && where != Where::table_cell);
    if (c == '_') {
      const bool inside_word = i > 0 && i + 1 < text.size() && word_character(text[i - 1]) &&
                               word_character(text[i + 1]);
      escape = !inside_word;
    }
    if (i == 0 && where == Where::line_start && (c == '#' || c == '-' || c == '+' || c == '='))
      escape = true;
    if (escape) out += '\\';
    out += c;
  }
  return out;
}

std::string code_span(const std::string& text) {
  // Formulas hold no backquote; a double one keeps a stray one literal.
  return text.find('`') == std::string::npos ? "`" + text + "`" : "`` " + text + " ``";
}

} // namespace

std::string render_document_markdown(const Document& document) {
  std::string out;
  for (const DocBlock& b : document.blocks) {
    switch (b.kind) {
    case DocBlock::Kind::heading:
      out += std::string(static_cast<std::size_t>(b.level), '#') + ' ' +
             inline_text(b.text, Where::within_line) + "\n\n";
      break;
    case DocBlock::Kind::paragraph:
      out += inline_text(b.text, Where::line_start) + "\n\n";
      break;
    case DocBlock::Kind::facts:
      for (const auto& [label, value] : b.facts)
        if (!value.empty())
          out += "- **" + inline_text(label, Where::within_line) + ":** " +
                 inline_text(value, Where::within_line) + '\n';
      out += '\n';
      break;
    case DocBlock::Kind::table: {
      TextTable table = b.table;
      for (std::string& cell : table.header)
        cell = inline_text(cell, Where::table_cell);
      for (auto& row : table.rows)
        for (std::string& cell : row)
          cell = inline_text(cell, Where::table_cell);
      out += '*' + inline_text(b.title, Where::within_line) + "*\n\n" + table.to_markdown() + '\n';
      break;
    }
    case DocBlock::Kind::equation:
      out +=
          "**" + inline_text(b.title, Where::within_line) + "**\n\n" + code_span(b.text) + "\n\n";
      for (const std::string& item : b.items)
        out += "- " + inline_text(item, Where::within_line) + '\n';
      if (!b.items.empty()) out += '\n';
      break;
    case DocBlock::Kind::credited:
      out +=
          "**Credited for " + inline_text(b.id, Where::within_line) + ": " + b.text + " tCO2**\n\n";
      break;
    case DocBlock::Kind::list:
      for (const std::string& item : b.items)
        out += "- " + inline_text(item, Where::within_line) + '\n';
      out += '\n';
      break;
    case DocBlock::Kind::notice:
      // A block quote: GitHub draws it as a box.
      out += "> **" + inline_text(b.title, Where::within_line) + "**\n>\n> " +
             inline_text(b.text, Where::within_line) + "\n>\n";
      for (const std::string& item : b.items)
        out += "> - " + inline_text(item, Where::within_line) + '\n';
      out += '\n';
      break;
    case DocBlock::Kind::section_begin:
      out += "---\n\n";
      break;
    case DocBlock::Kind::chart:
    case DocBlock::Kind::section_end:
      break;
    }
  }
  while (out.size() > 1 && out.ends_with("\n\n"))
    out.pop_back();
  return out;
}

} // namespace mrv::detail
