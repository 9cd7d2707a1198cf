// Bar charts as inline SVG, for the HTML report: no script, no external
// resource, the same bytes for the same data (coordinates are printed with
// one decimal, never from a locale).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mrv::detail {

struct ChartSeries {
  std::string name;
  std::vector<double> values; // one per category
};

struct BarChart {
  std::string title; // the accessible name of the figure
  std::string unit;  // of the values, shown on the y axis
  std::vector<std::string> categories;
  std::vector<ChartSeries> series;
  bool stacked = false; // one bar per category, series stacked; else side by side
  // Per category, "" or what is to be noticed there (a day with gaps or
  // treated values): a flagged category gets a mark under the axis with the
  // text as its tooltip, and the legend names `flag_legend`.
  std::vector<std::string> flags;
  std::string flag_legend;
};

// An <svg> element; "" when there is nothing to draw.
std::string render_svg_bar_chart(const BarChart& chart);

// A round step (1, 2 or 5 times a power of ten) that divides `range` into
// about `target` intervals; 1 for an empty range.
double nice_step(double range, int target);

// Escapes a text for XML and HTML content and attribute values.
std::string xml_escape(std::string_view text);

} // namespace mrv::detail
