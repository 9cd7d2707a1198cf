// `mrv screen`'s result in every format (docs/screen.md): the annual
// estimate as three info rows, then one row per check.
#include "mrv/render.hpp"

#include "render/render_common.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <optional>

namespace mrv {
namespace {

struct Row {
  std::string check;
  std::optional<double> value;
  std::string unit;
  std::optional<double> threshold;
  std::string comparison, status, source;
  std::optional<bool> confirmed;
  std::string note;
};

// Numbers as shown: 10 significant digits, then the shortest round trip.
std::string shown(const std::optional<double>& value) {
  return value ? format_number(std::strtod(fmt::format("{:.10g}", *value).c_str(), nullptr))
               : std::string();
}

std::vector<Row> rows_of(const ScreenResult& result) {
  std::vector<Row> rows;
  if (result.annual) {
    const std::string source = "annual_estimates (" + result.methodology + ")";
    const std::pair<const char*, double> annual[] = {
        {"annual_reference_emissions", result.annual->reference},
        {"annual_project_emissions", result.annual->project},
        {"annual_emission_reductions", result.annual->reductions}};
    for (const auto& [check, value] : annual)
      rows.push_back({check, value, "tCO2/yr", {}, "", "info", source, {}, ""});
  }
  for (const ScreenCheck& c : result.checks)
    rows.push_back({c.id, c.value, c.unit, c.threshold, c.comparison, check_status_name(c.status),
                    c.source, c.confirmed, c.note});
  return rows;
}

void optional_member(detail::JsonWriter& w, const char* name, const std::optional<double>& v) {
  w.key(name);
  if (v)
    w.value(*v);
  else
    w.null();
}

void row_json(detail::JsonWriter& w, const Row& r) {
  w.begin_object();
  w.member("check", r.check);
  optional_member(w, "value", r.value);
  w.member("unit", r.unit);
  optional_member(w, "threshold", r.threshold);
  w.member("comparison", r.comparison);
  w.member("status", r.status);
  w.member("source", r.source);
  w.key("confirmed");
  if (r.confirmed)
    w.value(*r.confirmed);
  else
    w.null();
  w.member("note", r.note);
  w.end_object();
}

std::string screen_json(const ScreenResult& result, const std::vector<Row>& rows) {
  detail::JsonWriter w(true);
  w.begin_object();
  w.member("mrv_version", mrv_version());
  w.member("project", result.project);
  w.member("methodology", result.methodology);
  w.member("scheme", result.scheme);
  w.member("scheme_file", result.scheme_file);
  w.key("annual");
  if (result.annual) {
    w.begin_object();
    w.member("reference_emissions", result.annual->reference);
    w.member("project_emissions", result.annual->project);
    w.member("emission_reductions", result.annual->reductions);
    w.member("unit", "tCO2/yr");
    w.end_object();
  } else {
    w.null();
  }
  w.key("checks");
  w.begin_array();
  for (const Row& r : rows)
    if (r.status != "info" || !r.check.starts_with("annual_")) row_json(w, r);
  w.end_array();
  w.member("passed", result.passed());
  w.end_object();
  return w.text() + "\n";
}

std::string screen_rows(const ScreenResult& result, const std::vector<Row>& rows, Format format) {
  detail::TextTable table;
  table.header = {"check",      "value",  "unit",   "threshold",
                  "comparison", "status", "source", "confirmed"};
  const bool human = format == Format::table || format == Format::md;
  if (human) table.header.push_back("note");
  table.right_aligned = {false, true, false, true, false, false, false, false, false};
  table.right_aligned.resize(table.header.size());
  for (const Row& r : rows) {
    std::vector<std::string> cells = {
        r.check,      shown(r.value),
        r.unit,       shown(r.threshold),
        r.comparison, r.status,
        r.source,     r.confirmed ? (*r.confirmed ? "true" : "false") : ""};
    if (human) cells.push_back(r.note);
    table.rows.push_back(std::move(cells));
  }
  const std::vector<bool> numeric = {false, true, false, true, false, false, false, false};
  switch (format) {
  case Format::csv:
    return table.to_delimited(',', numeric);
  case Format::tsv:
    return table.to_delimited('\t', numeric);
  case Format::md:
    return table.to_markdown();
  default:
    break;
  }
  return fmt::format("{}: {} under {}\n", result.project, result.methodology, result.scheme) +
         table.to_aligned() + (result.passed() ? "screen: pass\n" : "screen: fail\n");
}

} // namespace

std::string render_screen(const ScreenResult& result, Format format) {
  const std::vector<Row> rows = rows_of(result);
  if (format == Format::json) return screen_json(result, rows);
  if (format == Format::jsonl) {
    std::string out;
    for (const Row& r : rows) {
      detail::JsonWriter w(false);
      row_json(w, r);
      out += w.text() + "\n";
    }
    return out;
  }
  return screen_rows(result, rows, format);
}

} // namespace mrv
