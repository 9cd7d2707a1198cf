// The report's content as a sequence of plain blocks, written once and
// rendered twice (HTML and Markdown), so that the two forms cannot drift
// apart: every heading, table, equation and number is decided here.
#pragma once

#include "mrv/report.hpp"
#include "render/render_common.hpp"
#include "report/svg_chart.hpp"

#include <string>
#include <utility>
#include <vector>

namespace mrv::detail {

struct DocBlock {
  enum class Kind {
    heading,       // text at `level` (1 to 4), with an anchor `id`
    paragraph,     // text
    facts,         // label: value pairs
    table,         // a TextTable with a caption
    equation,      // a title, the equation `text`, one line per evaluation (`items`)
    credited,      // the credited amount of period `id`: text is the number
    chart,         // an SVG chart (HTML only: the same data is also in a table)
    list,          // items
    notice,        // a box drawing the eye: a `title`, a `text` and `items`
    section_begin, // a monitoring period starts (HTML: a new printed page)
    section_end,
  };
  Kind kind = Kind::paragraph;
  int level = 0;
  std::string id;
  std::string title;
  std::string text;
  std::vector<std::pair<std::string, std::string>> facts;
  TextTable table;
  std::vector<std::string> items;
  BarChart chart;
};

struct Document {
  std::string title;
  std::string generator; // "mrv 0.1.0"
  std::vector<DocBlock> blocks;
};

Document report_document(const Report& report);

std::string render_document_markdown(const Document& document);
std::string render_document_html(const Document& document);

// "2017-01-25T00:00:00Z" for seconds since the epoch (UTC, proleptic Gregorian).
std::string utc_timestamp(std::int64_t seconds);

} // namespace mrv::detail
