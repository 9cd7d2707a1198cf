// Grouped or stacked bar charts drawn as SVG text. The layout is fixed
// (720 × 300 user units, scaled by CSS) so that the output depends only on
// the data.
#include "report/svg_chart.hpp"

#include "mrv/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace mrv::detail {

namespace {

constexpr double width = 720, height = 300;
constexpr double left = 64, right = 16, top = 40, bottom = 40;
constexpr double plot_width = width - left - right, plot_height = height - top - bottom;

// Okabe and Ito's palette: distinguishable with every common colour-vision deficiency.
constexpr const char* palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                   "#CC79A7", "#56B4E9", "#F0E442", "#000000"};

const char* colour(std::size_t series) {
  return palette[series % (sizeof palette / sizeof palette[0])];
}

std::string coordinate(double v) {
  return fmt::format("{:.1f}", v);
}

// The lowest and highest value the axis must show, including zero.
std::pair<double, double> value_range(const BarChart& chart) {
  double low = 0, high = 0;
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    double positive = 0, negative = 0;
    for (const ChartSeries& s : chart.series) {
      const double v = c < s.values.size() && std::isfinite(s.values[c]) ? s.values[c] : 0;
      if (chart.stacked) {
        (v >= 0 ? positive : negative) += v;
      } else {
        low = std::min(low, v);
        high = std::max(high, v);
      }
    }
    low = std::min(low, negative);
    high = std::max(high, positive);
  }
  if (high == low) high = low + 1;
  return {low, high};
}

// Tick labels with as many decimals as the step needs, so 0.2 steps print
// "0.6", not "0.6000000000000001".
std::string tick_label(double value, double step) {
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step))));
  return fmt::format("{:.{}f}", value == 0 ? 0.0 : value, decimals);
}

} // namespace

double nice_step(double range, int target) {
  if (!(range > 0) || target < 1) return 1;
  const double rough = range / target;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double factor : {1.0, 2.0, 5.0})
    if (factor * power >= rough) return factor * power;
  return 10 * power;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string render_svg_bar_chart(const BarChart& chart) {
  const std::size_t categories = chart.categories.size();
  if (categories == 0 || chart.series.empty()) return "";
  const auto [low, high] = value_range(chart);
  const double step = nice_step(high - low, 5);
  const double axis_low = std::floor(low / step) * step;
  const double axis_high = std::ceil(high / step) * step;
  const auto y = [&](double v) {
    return top + (axis_high - v) / (axis_high - axis_low) * plot_height;
  };

  std::string svg =
      fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
                  "aria-label=\"{}\" class=\"chart\">\n",
                  width, height, xml_escape(chart.title));
  svg +=
      fmt::format("<text x=\"4\" y=\"16\" class=\"axis-unit\">{}</text>\n", xml_escape(chart.unit));

  // Grid lines and their values.
  for (double tick = axis_low; tick <= axis_high + step / 2; tick += step) {
    const std::string ty = coordinate(y(tick));
    svg += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" class=\"{}\"/>\n", left,
                       width - right, ty, ty, std::fabs(tick) < step / 2 ? "zero" : "grid");
    svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"end\">{}</text>\n",
                       left - 6, coordinate(y(tick) + 4), tick_label(tick, step));
  }

  // Bars, each with its exact value as a tooltip.
  const double group = plot_width / static_cast<double>(categories);
  const double inner = group * 0.8;
  const double bar = chart.stacked ? inner : inner / static_cast<double>(chart.series.size());
  for (std::size_t c = 0; c < categories; ++c) {
    double positive = 0, negative = 0;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const ChartSeries& series = chart.series[s];
      if (c >= series.values.size() || !std::isfinite(series.values[c])) continue;
      const double v = series.values[c];
      if (chart.stacked && v == 0) continue;
      double base = 0;
      if (chart.stacked) {
        base = v >= 0 ? positive : negative;
        (v >= 0 ? positive : negative) += v;
      }
      const double x = left + static_cast<double>(c) * group + (group - inner) / 2 +
                       (chart.stacked ? 0 : static_cast<double>(s) * bar);
      const double y0 = y(std::max(base, base + v)), y1 = y(std::min(base, base + v));
      svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\">"
                         "<title>{} {}: {} {}</title></rect>\n",
                         coordinate(x), coordinate(y0), coordinate(bar),
                         coordinate(std::max(y1 - y0, 0.0)), colour(s),
                         xml_escape(chart.categories[c]), xml_escape(series.name), format_number(v),
                         xml_escape(chart.unit));
    }
  }

  // Flags: a red triangle under the category, its note as the tooltip.
  bool any_flag = false;
  for (std::size_t c = 0; c < categories && c < chart.flags.size(); ++c) {
    if (chart.flags[c].empty()) continue;
    any_flag = true;
    const double cx = left + (static_cast<double>(c) + 0.5) * group, cy = top + plot_height + 2;
    svg += fmt::format("<path d=\"M{} {}l-3 5h6z\" class=\"flag\"><title>{}: {}</title></path>\n",
                       coordinate(cx), coordinate(cy), xml_escape(chart.categories[c]),
                       xml_escape(chart.flags[c]));
  }

  // Category labels, thinned so that they never overlap (48 units each).
  const std::size_t every = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil(48.0 * static_cast<double>(categories) / plot_width)));
  for (std::size_t c = 0; c < categories; c += every)
    svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>\n",
                       coordinate(left + (static_cast<double>(c) + 0.5) * group),
                       coordinate(top + plot_height + 16), xml_escape(chart.categories[c]));

  // Legend: a swatch and a name per series, in a row above the plot.
  double x = left;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    svg +=
        fmt::format("<rect x=\"{}\" y=\"20\" width=\"10\" height=\"10\" fill=\"{}\"/>"
                    "<text x=\"{}\" y=\"29\" class=\"legend\">{}</text>\n",
                    coordinate(x), colour(s), coordinate(x + 14), xml_escape(chart.series[s].name));
    x += 28 + 6.5 * static_cast<double>(chart.series[s].name.size());
  }
  if (any_flag && !chart.flag_legend.empty())
    svg += fmt::format("<path d=\"M{} 21l-5 8h10z\" class=\"flag\"/>"
                       "<text x=\"{}\" y=\"29\" class=\"legend\">{}</text>\n",
                       coordinate(x + 5), coordinate(x + 14), xml_escape(chart.flag_legend));
  svg += "</svg>\n";
  return svg;
}

} // namespace mrv::detail
