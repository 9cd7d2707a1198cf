// The report as one self-contained HTML file: inline CSS and SVG, no script,
// no external resource (a Content-Security-Policy forbids any load), print
// styles with a page per monitoring period, and a font stack that renders
// Japanese project and unit names.
#include "report/report_document.hpp"

#include <fmt/format.h>

namespace mrv::detail {

namespace {

constexpr const char* style = R"css(
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45; font-size: 14px;
  font-family: "Noto Sans", "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic",
    "Meiryo", "Source Han Sans", "Droid Sans Fallback", sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 12px; }
h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
h3 { font-size: 16px; margin: 22px 0 8px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
thead th { background: #f3f6f9; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nw { white-space: nowrap; }
table.facts { width: auto; min-width: 50%; }
table.facts th { background: #f3f6f9; font-weight: 600; white-space: nowrap; }
figure { margin: 12px 0 18px; }
figcaption { color: var(--muted); font-size: 13px; margin-bottom: 4px; }
.scroll { overflow-x: auto; }
.equation { border-left: 3px solid var(--line); padding: 2px 0 2px 12px; margin: 10px 0; }
.equation .title { margin: 0; font-weight: 600; }
.equation pre { margin: 4px 0; font-size: 13px; white-space: pre-wrap; }
.equation ul { margin: 2px 0; padding-left: 18px; font-size: 13px; }
pre, code { font-family: "Noto Sans Mono", "DejaVu Sans Mono", "Noto Sans Mono CJK JP", monospace; }
.notice { border: 2px solid #B00020; background: #fff4f4; padding: 8px 14px; margin: 12px 0; }
.notice .title { margin: 0; font-weight: 600; color: #B00020; }
.notice ul { margin: 4px 0; padding-left: 18px; font-size: 13px; }
.credited { font-size: 18px; margin: 8px 0 12px; }
.credited strong { font-size: 24px; color: var(--accent); }
svg.chart { width: 100%; max-width: 720px; height: auto; display: block; }
svg.chart text { font-size: 11px; fill: var(--muted); }
svg.chart .legend { fill: var(--ink); }
svg.chart .grid { stroke: #e5e9ed; }
svg.chart .zero { stroke: #6e7781; }
svg.chart .flag { fill: #B00020; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  section.period { break-before: page; }
  .scroll { overflow: visible; }
  figure.chart, .equation, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
)css";

std::string text(std::string_view t) {
  return xml_escape(t);
}

std::string fact_value(const std::string& value) {
  const bool link = (value.starts_with("https://") || value.starts_with("http://")) &&
                    value.find_first_of(" \t\"'<>") == std::string::npos;
  return link ? fmt::format("<a href=\"{}\">{}</a>", text(value), text(value)) : text(value);
}

std::string table_html(const DocBlock& b) {
  const TextTable& t = b.table;
  const auto cell = [&](const char* tag, std::size_t column, const std::string& content) {
    const bool right = column < t.right_aligned.size() && t.right_aligned[column];
    // Ids, dates and hashes stay on one line ("PV-A" must not break at its hyphen).
    const bool word = content.size() <= 64 && content.find(' ') == std::string::npos;
    const char* classes = right ? " class=\"num\"" : word ? " class=\"nw\"" : "";
    return fmt::format("<{}{}>{}</{}>", tag, classes, text(content), tag);
  };
  std::string out = "<figure class=\"table\"><figcaption>" + text(b.title) +
                    "</figcaption><div class=\"scroll\"><table>\n<thead><tr>";
  for (std::size_t c = 0; c < t.header.size(); ++c)
    out += cell("th", c, t.header[c]);
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c)
      out += cell("td", c, row[c]);
    out += "</tr>\n";
  }
  return out + "</tbody></table></div></figure>\n";
}

std::string block_html(const DocBlock& b) {
  switch (b.kind) {
  case DocBlock::Kind::heading:
    return fmt::format("<h{0}{1}>{2}</h{0}>\n", b.level,
                       b.id.empty() ? "" : " id=\"" + text(b.id) + "\"", text(b.text));
  case DocBlock::Kind::paragraph:
    return "<p>" + text(b.text) + "</p>\n";
  case DocBlock::Kind::facts: {
    std::string out = "<table class=\"facts\">\n";
    for (const auto& [label, value] : b.facts)
      if (!value.empty())
        out += "<tr><th>" + text(label) + "</th><td>" + fact_value(value) + "</td></tr>\n";
    return out + "</table>\n";
  }
  case DocBlock::Kind::table:
    return table_html(b);
  case DocBlock::Kind::equation: {
    std::string out = "<div class=\"equation\"><p class=\"title\">" + text(b.title) + "</p><pre>" +
                      text(b.text) + "</pre>";
    if (!b.items.empty()) {
      out += "<ul>";
      for (const std::string& item : b.items)
        out += "<li>" + text(item) + "</li>";
      out += "</ul>";
    }
    return out + "</div>\n";
  }
  case DocBlock::Kind::credited:
    // data-period lets a test (or a script of the reader's) find the number.
    return fmt::format("<p class=\"credited\">Credited for {0}: <strong class=\"credited-amount\" "
                       "data-period=\"{0}\">{1}</strong> tCO2</p>\n",
                       text(b.id), text(b.text));
  case DocBlock::Kind::chart: {
    const std::string svg = render_svg_bar_chart(b.chart);
    if (svg.empty()) return "";
    return "<figure class=\"chart\"><figcaption>" + text(b.title) + " (" + text(b.chart.unit) +
           ")</figcaption>\n" + svg + "</figure>\n";
  }
  case DocBlock::Kind::list: {
    std::string out = "<ul>\n";
    for (const std::string& item : b.items)
      out += "<li>" + text(item) + "</li>\n";
    return out + "</ul>\n";
  }
  case DocBlock::Kind::notice: {
    std::string out = "<div class=\"notice\" id=\"" + text(b.id) +
                      "\" role=\"note\"><p "
                      "class=\"title\">" +
                      text(b.title) + "</p><p>" + text(b.text) + "</p><ul>\n";
    for (const std::string& item : b.items)
      out += "<li>" + text(item) + "</li>\n";
    return out + "</ul></div>\n";
  }
  case DocBlock::Kind::section_begin:
    return "<section class=\"period\" id=\"" + text(b.id) + "\">\n";
  case DocBlock::Kind::section_end:
    return "</section>\n";
  }
  return "";
}

} // namespace

std::string render_document_html(const Document& document) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'\">\n";
  out += "<meta name=\"generator\" content=\"" + text(document.generator) + "\">\n";
  out += "<title>" + text(document.title) + "</title>\n<style>" + style + "</style>\n";
  out += "</head>\n<body>\n<main>\n";
  for (const DocBlock& b : document.blocks)
    out += block_html(b);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

} // namespace mrv::detail
