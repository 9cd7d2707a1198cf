// Properties that hold for every project and every data set, checked over
// generated ones (fixed seeds, so a failure repeats): removing rows never
// raises ER, repeating a row never changes it, the order of the rows and
// the files they are split into never change any result, and the same file
// given twice is refused. Data is held in memory (CalcOptions::data_in_memory).
#include "mrv/calc.hpp"
#include "mrv/render.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>

using namespace mrv;

namespace {

// A generated project: chillers (some units on the project side, some on
// the reference side) or PV plants (a register or interval values).
struct Generated {
  std::string project;
  std::string header;
  std::vector<std::string> rows; // without the header
  bool cumulative = false;
};

std::string csv_of(const Generated& g, const std::vector<std::string>& rows) {
  std::string out = g.header + "\n";
  for (const std::string& r : rows)
    out += r + "\n";
  return out;
}

// 2024-01-01 plus `days`, as YYYY-MM-DD.
std::string date_of(int days) {
  using namespace std::chrono;
  const year_month_day date{sys_days{2024y / January / 1} + std::chrono::days{days}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

Generated chillers(std::mt19937& rng) {
  const int units = std::uniform_int_distribution<int>(1, 4)(rng);
  const int days = std::uniform_int_distribution<int>(20, 70)(rng);
  Generated g;
  g.header = "date,unit,kWh";
  std::string text = "mrv: project/1\nid: G\nmethodology: JCM_TH_AM005\nutc_offset: \"+07:00\"\n"
                     "values: {EF_elec_option: grid, EF_elec: 0.5}\nunits:\n";
  std::uniform_real_distribution<double> cop(4.8, 7.0);
  for (int u = 0; u < units; ++u)
    text += fmt::format("  - {{id: C{}, values: {{Q_PJ_i: \"{} USRt\", COP_PJ_i: 6.5, "
                        "T_cooling_out_i: 35, T_chilled_out_i: 7, COP_RE_i: {:.2f}}}}}\n",
                        u, 300 + 100 * u, cop(rng));
  // Two periods, the second starting in the middle of the data.
  text += fmt::format("periods:\n  - {{id: A, from: 2024-01-02, to: 2024-01-{:02}}}\n"
                      "  - {{id: B, from: 2024-01-{:02}, to: 2024-03-31}}\n",
                      10 + days / 4, 11 + days / 4);
  text += "data:\n  - id: d\n    file: d.csv\n    interval: 1 d\n    timestamp: date\n"
          "    unit: {column: unit}\n    columns:\n      EC_PJ_i_p: {column: kWh, unit: kWh}\n";
  g.project = text;
  std::uniform_int_distribution<int> kwh(500, 9000);
  for (int d = 0; d < days; ++d)
    for (int u = 0; u < units; ++u)
      g.rows.push_back(fmt::format("{},C{},{}.{}", date_of(d), u, kwh(rng), kwh(rng) % 10));
  return g;
}

Generated pv(std::mt19937& rng, bool cumulative) {
  const int units = std::uniform_int_distribution<int>(1, 3)(rng);
  Generated g;
  g.cumulative = cumulative;
  g.header = "time,unit,kWh";
  std::string text = "mrv: project/1\nid: G\nmethodology: JCM_MN_AM003\nutc_offset: \"+08:00\"\n"
                     "units:\n";
  for (int u = 0; u < units; ++u)
    text += fmt::format(
        "  - {{id: P{}, rating: \"2 MW\", values: {{connection_i: national_grid}}}}\n", u);
  text += "periods:\n  - {id: A, from: 2017-03-01, to: 2017-03-02}\n"
          "  - {id: B, from: 2017-03-03, to: 2017-03-04}\n";
  text +=
      fmt::format("data:\n  - id: d\n    file: d.csv\n    interval: 1 h\n    timestamp: time\n"
                  "    unit: {{column: unit}}\n    columns:\n      EG_i_p: {{column: kWh, unit: "
                  "kWh{}}}\n",
                  cumulative ? ", reading: cumulative" : "");
  g.project = text;
  std::uniform_int_distribution<int> kwh(0, 1500);
  std::vector<long> registers(static_cast<std::size_t>(units), 1000);
  for (int h = 0; h < 24 * 5; ++h)
    for (int u = 0; u < units; ++u) {
      const int hour = h % 24;
      const long value = hour < 7 || hour > 18 ? 0 : kwh(rng);
      registers[static_cast<std::size_t>(u)] += value;
      g.rows.push_back(fmt::format("2017-02-28T{:02}:00,P{},{}", hour, u,
                                   cumulative ? registers[static_cast<std::size_t>(u)] : value)
                           .replace(0, 10, fmt::format("2017-03-{:02}", h / 24)));
    }
  // The first day is 28 February (outside the periods): the rows carry the registers.
  for (std::string& r : g.rows)
    if (r.compare(0, 10, "2017-03-00") == 0) r.replace(0, 10, "2017-02-28");
  return g;
}

Expected<CalcResult> calc(const Generated& g, const std::vector<std::vector<std::string>>& files) {
  Expected<Project> project = load_project(g.project, "p.yaml");
  REQUIRE_MESSAGE(project, format_diagnostic(project.error()));
  Expected<Methodology> m = find_methodology(project->methodology);
  REQUIRE_MESSAGE(m, format_diagnostic(m.error()));
  CalcOptions options;
  for (std::size_t f = 0; f < files.size(); ++f) {
    const std::string path = fmt::format("part{}.csv", f);
    options.data_files.push_back(path);
    options.data_in_memory[path] = csv_of(g, files[f]);
  }
  return calculate(*m, *project, options);
}

std::string results(const CalcResult& r) {
  return render_calc(r, Format::csv);
}

std::vector<Generated> generated() {
  std::vector<Generated> out;
  for (unsigned seed = 1; seed <= 12; ++seed) {
    std::mt19937 rng(seed);
    out.push_back(chillers(rng));
    out.push_back(pv(rng, false));
    out.push_back(pv(rng, true));
  }
  return out;
}

} // namespace

TEST_SUITE("properties") {
  TEST_CASE("properties: removing any rows never raises ER") {
    std::mt19937 rng(7);
    for (const Generated& g : generated()) {
      const Expected<CalcResult> full = calc(g, {g.rows});
      REQUIRE_MESSAGE(full, format_diagnostic(full.error()));
      for (int trial = 0; trial < 6; ++trial) {
        // A run of rows (an outage) or scattered rows.
        std::vector<std::string> kept;
        const std::size_t from =
            std::uniform_int_distribution<std::size_t>(0, g.rows.size() - 1)(rng);
        const std::size_t length = std::uniform_int_distribution<std::size_t>(1, 40)(rng);
        const double scattered = trial % 2 ? 0.2 : 0;
        std::uniform_real_distribution<double> coin(0, 1);
        for (std::size_t i = 0; i < g.rows.size(); ++i)
          if (!((i >= from && i < from + length) || coin(rng) < scattered))
            kept.push_back(g.rows[i]);
        const Expected<CalcResult> fewer = calc(g, {kept});
        if (!fewer) continue; // refused (a project-side unit without any value): no number
        REQUIRE(fewer->periods.size() == full->periods.size());
        for (std::size_t p = 0; p < full->periods.size(); ++p) {
          const double a = fewer->periods[p].reductions, b = full->periods[p].reductions;
          CHECK_MESSAGE(a <= b + 1e-9 * std::max(1.0, std::fabs(b)),
                        fmt::format("{} period {}: {} > {}", g.project.substr(0, 80), p, a, b));
          CHECK(*fewer->periods[p].credited <= *full->periods[p].credited);
        }
      }
    }
  }

  TEST_CASE("properties: repeating any row changes nothing") {
    std::mt19937 rng(11);
    for (const Generated& g : generated()) {
      const Expected<CalcResult> full = calc(g, {g.rows});
      REQUIRE(full);
      std::vector<std::string> repeated = g.rows;
      for (int k = 0; k < 5; ++k) {
        const std::size_t i =
            std::uniform_int_distribution<std::size_t>(0, repeated.size() - 1)(rng);
        // Right after it (a row exported twice), or further on (overlapping exports).
        const std::size_t at = g.cumulative ? i + 1 : std::min(repeated.size(), i + 1 + rng() % 30);
        repeated.insert(repeated.begin() + static_cast<std::ptrdiff_t>(at), repeated[i]);
      }
      const Expected<CalcResult> again = calc(g, {repeated});
      REQUIRE_MESSAGE(again, format_diagnostic(again.error()));
      for (std::size_t p = 0; p < full->periods.size(); ++p)
        CHECK(again->periods[p].reductions == full->periods[p].reductions);
      // Each repeat is dropped, or outside the periods like the row it repeats.
      CHECK(again->rows.duplicates + again->rows.outside_periods - full->rows.outside_periods == 5);
    }
  }

  TEST_CASE("properties: the order of interval rows never changes a result") {
    std::mt19937 rng(13);
    for (const Generated& g : generated()) {
      if (g.cumulative) continue; // a register's readings must be in time order
      const Expected<CalcResult> full = calc(g, {g.rows});
      REQUIRE(full);
      std::vector<std::string> shuffled = g.rows;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      const Expected<CalcResult> any_order = calc(g, {shuffled});
      REQUIRE_MESSAGE(any_order, format_diagnostic(any_order.error()));
      CHECK(results(*any_order) == results(*full));
    }
  }

  TEST_CASE("properties: splitting the rows into files never changes a result") {
    std::mt19937 rng(17);
    for (const Generated& g : generated()) {
      const Expected<CalcResult> full = calc(g, {g.rows});
      REQUIRE(full);
      const std::size_t cut = std::uniform_int_distribution<std::size_t>(1, g.rows.size() - 1)(rng);
      const Expected<CalcResult> split =
          calc(g, {{g.rows.begin(), g.rows.begin() + static_cast<std::ptrdiff_t>(cut)},
                   {g.rows.begin() + static_cast<std::ptrdiff_t>(cut), g.rows.end()}});
      REQUIRE_MESSAGE(split, format_diagnostic(split.error()));
      CHECK(results(*split) == results(*full));
    }
  }

  TEST_CASE("properties: the same data given twice is refused") {
    for (const Generated& g : generated()) {
      const Expected<CalcResult> twice = calc(g, {g.rows, g.rows});
      REQUIRE_FALSE(twice);
      CHECK_MESSAGE(twice.error().message.find("has the same content as") != std::string::npos,
                    twice.error().message);
    }
  }
}
