// render_project_template (`mrv init`): for every bundled methodology the
// template names every value a project gives, is refused while a blank is
// left, and loads once each blank is filled with a value of the right kind.
#include "model/compiled_methodology.hpp"
#include "mrv/methodology.hpp"
#include "mrv/project.hpp"
#include "mrv/render.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <string>

using namespace mrv;

namespace {

// A value for an ex-ante parameter: its first key, or a number inside its range.
std::string value_for(const Parameter& p) {
  if (p.is_key) return p.key_values.front();
  double v = 1;
  if (p.minimum && v < *p.minimum) v = *p.minimum;
  if (p.maximum && v > *p.maximum) v = *p.maximum;
  return fmt::format("{}", v);
}

// Fills every ___ of a template: the line's key says what belongs there.
std::string fill(const std::string& text, const Methodology& m) {
  static const std::regex key_blank(R"(^(\s*-?\s*)([A-Za-z_][A-Za-z0-9_]*): (\"?)___(\"?)(.*)$)");
  std::istringstream lines(text);
  std::string line, out;
  while (std::getline(lines, line)) {
    std::smatch match;
    if (line.find("___") == std::string::npos || line.starts_with("#")) {
      out += line + "\n";
      continue;
    }
    if (line.find("{id: ___, from: ___, to: ___}") != std::string::npos) {
      out += "  - {id: P1, from: 2024-01-01, to: 2024-12-31}\n";
      continue;
    }
    if (line.find("{column: ___, unit: ___}") != std::string::npos) {
      const std::string id = line.substr(0, line.find(':'));
      const Parameter* p = m.parameter(id.substr(id.find_first_not_of(' ')));
      REQUIRE(p);
      out += fmt::format("{}: {{column: c_{}, unit: \"{}\"}}\n", id, p->id, p->unit.text);
      continue;
    }
    // A value per index value: {food: ___, paper: ___}.
    static const std::regex indexed_blank(R"(^(\s*)([A-Za-z_][A-Za-z0-9_]*): \{.*___.*\}$)");
    if (std::regex_match(line, match, indexed_blank) && m.parameter(match[2].str())) {
      const Parameter* p = m.parameter(match[2].str());
      REQUIRE_MESSAGE(p, line);
      out += std::regex_replace(line, std::regex("___"), value_for(*p)) + "\n";
      continue;
    }
    if (line.find("timestamp: {column: ___") != std::string::npos) {
      out += "    timestamp: {column: time, marks: start}\n";
      continue;
    }
    if (line.find("unit: {column: ___}") != std::string::npos) {
      out += "    unit: {column: unit}\n";
      continue;
    }
    REQUIRE_MESSAGE(std::regex_match(line, match, key_blank), line);
    const std::string key = match[2];
    std::string value;
    if (key == "id" || key == "title")
      value = "U1";
    else if (key == "utc_offset")
      value = "+07:00";
    else if (key == "file")
      value = "data.csv";
    else if (key == "interval")
      value = "1 h";
    else if (key == "from") // an earlier period (history), before P1
      value = "2023-01-01";
    else if (key == "to")
      value = "2023-12-31";
    else if (key == "source")
      value = "an earlier report";
    else if (key == "decimal")
      value = ".";
    else if (key == "rating")
      value = fmt::format("\"1 {}\"", m.rating->unit->text);
    else {
      const Parameter* p = m.parameter(key);
      REQUIRE_MESSAGE(p, "a blank the test does not know: " << line);
      value = value_for(*p);
    }
    out += fmt::format("{}{}: {}{}{}{}\n", std::string(match[1]), key, match[3].str(), value,
                       match[4].str(), match[5].str());
  }
  return out;
}

} // namespace

TEST_SUITE("project_template") {
  TEST_CASE("every bundled methodology: complete, refused with a blank, loads when filled") {
    for (const std::string& file : bundled_methodology_files()) {
      CAPTURE(file);
      const Expected<Methodology> m = load_methodology_file(file);
      REQUIRE(m);
      const std::string text = render_project_template(*m, m->full_id());
      CHECK(text.find("methodology: " + m->full_id() + "\n") != std::string::npos);
      for (const Parameter& p : m->parameters) {
        // The values sum_x reads at earlier periods are given in the history.
        const bool past =
            std::find(m->compiled->past_parameters.begin(), m->compiled->past_parameters.end(),
                      static_cast<std::size_t>(&p - m->parameters.data())) !=
            m->compiled->past_parameters.end();
        const bool given =
            p.kind == ParameterKind::ex_ante || p.kind == ParameterKind::monitored || past;
        CHECK_MESSAGE((text.find("  " + p.id + ": ") != std::string::npos) == given, p.id);
      }
      const Expected<Project> blank = load_project(text, "project.yaml");
      REQUIRE_FALSE(blank);
      CHECK(blank.error().message.find("a blank of the `mrv init` template") != std::string::npos);

      const Expected<Project> filled = load_project(fill(text, *m), "project.yaml");
      REQUIRE_MESSAGE(filled, (filled ? "" : filled.error().message));
      CHECK(filled->units.size() == 1);
      CHECK(filled->periods.size() == 1);
    }
  }

  TEST_CASE("a methodology named by its file keeps the file as its methodology line") {
    const std::string file = bundled_methodology_files().front();
    const Expected<Methodology> m = load_methodology_file(file);
    REQUIRE(m);
    const std::string text = render_project_template(*m, "my/methodology.yaml");
    CHECK(text.find("methodology: my/methodology.yaml\n") != std::string::npos);
    CHECK(text.find("`mrv init my/methodology.yaml`") != std::string::npos);
  }
}
