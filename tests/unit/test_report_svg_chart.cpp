#include "report/svg_chart.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace mrv::detail;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

BarChart two_series() {
  BarChart chart;
  chart.title = "RE & PE";
  chart.unit = "tCO2";
  chart.categories = {"2017-01", "2017-02", "2017-03"};
  chart.series = {{"RE", {10, 20.5, 30}}, {"<PE>", {1, 0, -2}}};
  return chart;
}

} // namespace

TEST_SUITE("svg_chart") {
  TEST_CASE("svg chart: axis steps are 1, 2 or 5 times a power of ten") {
    CHECK(nice_step(10, 5) == 2);
    CHECK(nice_step(1335, 5) == 500);
    CHECK(nice_step(1, 5) == doctest::Approx(0.2));
    CHECK(nice_step(0.003, 5) == doctest::Approx(0.001));
    CHECK(nice_step(0, 5) == 1);
    CHECK(nice_step(-3, 5) == 1);
  }

  TEST_CASE("svg chart: one bar per value, each with its exact value as a tooltip") {
    const std::string svg = render_svg_bar_chart(two_series());
    CHECK(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    CHECK(svg.ends_with("</svg>\n"));
    CHECK(count(svg, "<rect") == 6 + 2); // six bars, two legend swatches
    CHECK(svg.find("<title>2017-02 RE: 20.5 tCO2</title>") != std::string::npos);
    CHECK(svg.find("<title>2017-03 &lt;PE&gt;: -2 tCO2</title>") != std::string::npos);
    CHECK(svg.find("aria-label=\"RE &amp; PE\"") != std::string::npos);
    CHECK(svg.find("<PE>") == std::string::npos);
  }

  TEST_CASE("svg chart: stacked bars skip zeros; the same data gives the same bytes") {
    BarChart chart = two_series();
    chart.stacked = true;
    const std::string svg = render_svg_bar_chart(chart);
    CHECK(count(svg, "<rect") == 5 + 2); // the zero of <PE> in 2017-02 draws nothing
    CHECK(svg == render_svg_bar_chart(chart));
  }

  TEST_CASE("svg chart: flagged categories get a mark with their note, and a legend entry") {
    BarChart chart = two_series();
    CHECK(count(render_svg_bar_chart(chart), "class=\"flag\"") == 0);
    chart.flags = {"", "U1: 2 intervals without a row", ""};
    chart.flag_legend = "gaps & treatments";
    const std::string svg = render_svg_bar_chart(chart);
    CHECK(count(svg, "class=\"flag\"") == 2); // the mark and the legend's
    CHECK(svg.find("<title>2017-02: U1: 2 intervals without a row</title>") != std::string::npos);
    CHECK(svg.find(">gaps &amp; treatments</text>") != std::string::npos);
    chart.flags = {"", "", ""};
    CHECK(count(render_svg_bar_chart(chart), "class=\"flag\"") == 0); // no flag, no legend
  }

  TEST_CASE("svg chart: nothing to draw gives no chart") {
    BarChart chart;
    CHECK(render_svg_bar_chart(chart).empty());
    chart.categories = {"2017-01"};
    CHECK(render_svg_bar_chart(chart).empty());
  }

  TEST_CASE("svg chart: texts are escaped for XML") {
    CHECK(xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
    CHECK(xml_escape("太陽光") == "太陽光");
  }
}
