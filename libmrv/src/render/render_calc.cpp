// `mrv calc` output: the CalcResult as rows (csv, tsv, jsonl, table, md) or
// as one JSON document. Both forms are specified in docs/calc-json.md; a
// change to either is a change of the versioned format.
#include "engine/calc_json_keys.hpp"
#include "render/render_common.hpp"
#include "render/render_unconfirmed.hpp"

#include <fmt/format.h>

#include <optional>

namespace mrv {

namespace {

namespace keys = detail::calc_json; // the names the reader and writer share

using detail::JsonWriter;
using detail::TextTable;

// One line of the row forms: a period, a year or a month of one, or a unit
// in any of them.
struct CalcRow {
  std::string period, year, month, unit, from, to;
  std::int64_t records = 0;
  double reference = 0;
  double project = 0;
  double reductions = 0;
  std::optional<std::int64_t> credited; // periods only
  // Periods only: the names of the unconfirmed values (jsonl).
  const std::vector<Unconfirmed>* unconfirmed = nullptr;
};

// The `year` column is there only with --by year (a result with year
// slices), so that the columns of the other forms stay where pipelines
// expect them.
std::vector<std::string> row_columns(bool years) {
  std::vector<std::string> columns = {"period",  "month", "unit", "from", "to",
                                      "records", "RE",    "PE",   "ER",   "credited"};
  if (years) columns.insert(columns.begin() + 1, "year");
  return columns;
}
std::vector<bool> numeric_columns(bool years) {
  std::vector<bool> numeric = {false, false, false, false, false, true, true, true, true, true};
  if (years) numeric.insert(numeric.begin() + 1, false);
  return numeric;
}

CalcRow slice_row(const SliceResult& slice) {
  return CalcRow{
      .period = slice.period,
      .year = slice.year,
      .month = slice.month,
      .unit = "",
      .from = slice.from,
      .to = slice.to,
      .records = slice.records,
      .reference = slice.reference,
      .project = slice.project,
      .reductions = slice.reductions,
      .credited = slice.month.empty() && slice.year.empty() ? slice.credited : std::nullopt,
      .unconfirmed = slice.month.empty() && slice.year.empty() ? &slice.unconfirmed : nullptr};
}

CalcRow unit_row(const SliceResult& slice, const UnitResult& unit) {
  return CalcRow{.period = slice.period,
                 .year = slice.year,
                 .month = slice.month,
                 .unit = unit.unit,
                 .from = slice.from,
                 .to = slice.to,
                 .records = unit.records,
                 .reference = unit.reference,
                 .project = unit.project,
                 .reductions = unit.reductions,
                 .credited = std::nullopt};
}

// The slices (years or months) of one period, in time order.
std::vector<const SliceResult*> slices_of(const std::vector<SliceResult>& slices,
                                          const SliceResult& period) {
  std::vector<const SliceResult*> of_period;
  for (const SliceResult& slice : slices)
    if (slice.period == period.period) of_period.push_back(&slice);
  return of_period;
}

// Per period: its row, its year rows, its month rows, its unit rows, then
// each year's and each month's unit rows: the summaries come before the
// detail they add up.
std::vector<CalcRow> calc_rows(const CalcResult& result) {
  std::vector<CalcRow> rows;
  for (const SliceResult& period : result.periods) {
    const std::vector<const SliceResult*> years = slices_of(result.years, period);
    const std::vector<const SliceResult*> months = slices_of(result.months, period);
    rows.push_back(slice_row(period));
    for (const SliceResult* year : years)
      rows.push_back(slice_row(*year));
    for (const SliceResult* month : months)
      rows.push_back(slice_row(*month));
    // Each slice's units, then the site's share (with site values).
    const auto unit_rows = [&](const SliceResult& slice) {
      for (const UnitResult& unit : slice.units)
        rows.push_back(unit_row(slice, unit));
      if (slice.site) rows.push_back(unit_row(slice, *slice.site));
    };
    unit_rows(period);
    for (const SliceResult* year : years)
      unit_rows(*year);
    for (const SliceResult* month : months)
      unit_rows(*month);
  }
  return rows;
}

// RE, PE and ER at the presentation precision of tCO2 in the forms for
// people (table, md); every digit in csv and tsv.
TextTable calc_table(const std::vector<CalcRow>& rows, bool years, std::optional<int> decimals) {
  TextTable table;
  table.header = row_columns(years);
  table.right_aligned = numeric_columns(years);
  for (const CalcRow& row : rows) {
    std::vector<std::string> cells = {row.period,
                                      row.month,
                                      row.unit,
                                      row.from,
                                      row.to,
                                      std::to_string(row.records),
                                      format_number(row.reference, decimals),
                                      format_number(row.project, decimals),
                                      format_number(row.reductions, decimals),
                                      row.credited ? std::to_string(*row.credited) : ""};
    if (years) cells.insert(cells.begin() + 1, row.year);
    table.rows.push_back(std::move(cells));
  }
  return table;
}

std::string rows_summary(const RowCounts& rows) {
  return fmt::format(
      "rows: {} read, {} used, {} outside periods, {} blank, {} missing values, {} duplicates",
      rows.read, rows.used, rows.outside_periods, rows.blank_lines, rows.missing_values,
      rows.duplicates);
}

// Every treatment of the data, as a table for people.
TextTable treatments_table(const std::vector<Treatment>& treatments,
                           const Presentation& presentation) {
  TextTable table;
  table.header = {"period", "unit",   "parameter",   "treatment", "rows",
                  "where",  "amount", "effect_tCO2", "what"};
  table.right_aligned = {false, false, false, false, true, false, true, true, false};
  for (const Treatment& t : treatments)
    table.rows.push_back({t.period, t.unit, t.parameter, t.kind, std::to_string(t.rows), t.where,
                          t.amount == 0
                              ? "0"
                              : format_quantity(t.amount, t.amount_unit,
                                                presentation.decimals(t.parameter, t.amount_unit)),
                          format_number(t.effect, presentation.tonnes()), t.description});
  return table;
}

// ---- JSON

void write_values(JsonWriter& json, const std::vector<TraceValue>& values) {
  json.key("values");
  json.begin_object();
  for (const TraceValue& v : values) {
    // A parameter that varies by an index has a value per index value.
    json.key(v.index.empty() ? v.parameter : v.parameter + "[" + v.index + "]");
    json.begin_object();
    json.quantity_members(v.value, v.unit, v.text);
    json.end_object();
  }
  json.end_object();
}

void write_unit(JsonWriter& json, const UnitResult& unit) {
  json.begin_object();
  json.member("id", unit.unit);
  json.member("records", unit.records);
  json.member("RE", unit.reference);
  json.member("PE", unit.project);
  json.member("ER", unit.reductions);
  write_values(json, unit.values);
  json.end_object();
}

void write_slice_totals(JsonWriter& json, const SliceResult& slice) {
  json.member(keys::from, slice.from);
  json.member(keys::to, slice.to);
  json.member("records", slice.records);
  json.member("RE", slice.reference);
  json.member("PE", slice.project);
  json.member("ER", slice.reductions);
  json.member("ER_15", slice.reductions_15);
}

void write_units(JsonWriter& json, const SliceResult& slice) {
  json.key("units");
  json.begin_array();
  for (const UnitResult& unit : slice.units)
    write_unit(json, unit);
  if (slice.site) write_unit(json, *slice.site); // its id is "(site)"
  json.end_array();
}

void write_period(JsonWriter& json, const CalcResult& result, const SliceResult& period) {
  json.begin_object();
  json.member(keys::id, period.period);
  write_slice_totals(json, period);
  json.key(keys::credited);
  if (period.credited)
    json.value(*period.credited);
  else
    json.null();
  detail::write_unconfirmed(json, period.unconfirmed);
  write_values(json, period.values);
  // Its calendar years (with --by year), then months (with --by month).
  for (const auto& [key, member, slices] : {std::tuple{"years", "year", &result.years},
                                            std::tuple{"months", "month", &result.months}}) {
    json.key(key);
    json.begin_array();
    for (const SliceResult* slice : slices_of(*slices, period)) {
      json.begin_object();
      json.member(member, std::string(key)[0] == 'y' ? slice->year : slice->month);
      write_slice_totals(json, *slice);
      write_values(json, slice->values);
      write_units(json, *slice);
      json.end_object();
    }
    json.end_array();
  }
  write_units(json, period);
  // With sum_x: the earlier periods it read and their ages at this period.
  if (!period.earlier.empty()) {
    json.key("earlier_periods");
    json.begin_array();
    for (const EarlierPeriod& e : period.earlier) {
      json.begin_object();
      json.member("period", e.period);
      json.member("age_yr", e.age);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
}

// The project's earlier periods (`history:`) with the values sum_x read.
void write_history(JsonWriter& json, const std::vector<HistoryUsed>& history) {
  json.key("history");
  json.begin_array();
  for (const HistoryUsed& h : history) {
    json.begin_object();
    json.member("id", h.id);
    json.member("from", h.from);
    json.member("to", h.to);
    json.member("source", h.source);
    write_values(json, h.values);
    json.end_object();
  }
  json.end_array();
}

// "history: Y2019 (2019-01-01 to 2019-12-31, from SOURCE)", one line each.
std::vector<std::string> history_lines(const std::vector<HistoryUsed>& history) {
  std::vector<std::string> lines;
  for (const HistoryUsed& h : history)
    lines.push_back(fmt::format("earlier period {} ({} to {}) read by sum_x, from {}", h.id, h.from,
                                h.to, h.source));
  return lines;
}

std::string calc_json(const CalcResult& result) {
  JsonWriter json(true);
  json.begin_object();
  json.member(keys::format, keys::format_name);
  json.member("mrv_version", result.mrv_version);
  json.key(keys::methodology);
  json.begin_object();
  json.member(keys::id, result.methodology);
  json.member(keys::version, result.methodology_version);
  json.end_object();
  json.member(keys::project, result.project);
  json.member("rounding", result.rounding);
  json.key("inputs");
  json.begin_array();
  for (const InputFile& input : result.inputs) {
    json.begin_object();
    json.member("role", input.role);
    json.member("path", input.path);
    json.member("sha256", input.sha256);
    json.end_object();
  }
  json.end_array();
  json.key("rows");
  json.begin_object();
  json.member("read", result.rows.read);
  json.member("used", result.rows.used);
  json.member("outside_periods", result.rows.outside_periods);
  json.member("blank_lines", result.rows.blank_lines);
  json.member("missing_values", result.rows.missing_values);
  json.member("duplicates", result.rows.duplicates);
  json.end_object();
  json.key("treatments");
  json.begin_array();
  for (const Treatment& t : result.treatments) {
    json.begin_object();
    json.member("kind", t.kind);
    json.member("period", t.period);
    json.member("unit", t.unit);
    json.member("parameter", t.parameter);
    json.member("where", t.where);
    json.member("description", t.description);
    json.member("rows", t.rows);
    json.member("amount", t.amount);
    json.member("amount_unit", t.amount_unit);
    json.member("effect_tCO2", t.effect);
    json.end_object();
  }
  json.end_array();
  if (!result.history.empty()) write_history(json, result.history);
  json.key(keys::periods);
  json.begin_array();
  for (const SliceResult& period : result.periods)
    write_period(json, result, period);
  json.end_array();
  json.key("warnings");
  json.begin_array();
  for (const Diagnostic& warning : result.warnings) {
    json.begin_object();
    json.member("file", warning.where.file);
    json.member("line", static_cast<std::int64_t>(warning.where.line));
    json.member("message", warning.message);
    json.end_object();
  }
  json.end_array();
  json.key("notes");
  json.begin_array();
  for (const std::string& note : result.notes)
    json.value(note);
  json.end_array();
  json.end_object();
  return json.text() + '\n';
}

// Absent month, unit and credited are null, not "": a filter such as
// `select(.unit == null)` then reads as it means.
std::string calc_jsonl(const std::vector<CalcRow>& rows, bool years) {
  std::string out;
  for (const CalcRow& row : rows) {
    JsonWriter json(false);
    const auto text_or_null = [&](const char* name, const std::string& text) {
      json.key(name);
      if (text.empty())
        json.null();
      else
        json.value(text);
    };
    json.begin_object();
    json.member("period", row.period);
    if (years) text_or_null("year", row.year);
    text_or_null("month", row.month);
    text_or_null("unit", row.unit);
    json.member("from", row.from);
    json.member("to", row.to);
    json.member("records", row.records);
    json.member("RE", row.reference);
    json.member("PE", row.project);
    json.member("ER", row.reductions);
    json.key("credited");
    if (row.credited)
      json.value(*row.credited);
    else
      json.null();
    json.key("unconfirmed");
    if (row.unconfirmed) {
      json.begin_array();
      for (const Unconfirmed& u : *row.unconfirmed)
        json.value(u.name);
      json.end_array();
    } else {
      json.null();
    }
    json.end_object();
    out += json.text() + '\n';
  }
  return out;
}

} // namespace

std::string render_calc(const CalcResult& result, Format format) {
  const bool years = !result.years.empty();
  switch (format) {
  case Format::json:
    return calc_json(result);
  case Format::jsonl:
    return calc_jsonl(calc_rows(result), years);
  case Format::csv:
    return calc_table(calc_rows(result), years, std::nullopt)
        .to_delimited(',', numeric_columns(years));
  case Format::tsv:
    return calc_table(calc_rows(result), years, std::nullopt)
        .to_delimited('\t', numeric_columns(years));
  case Format::table: {
    std::string out =
        calc_table(calc_rows(result), years, result.presentation.tonnes()).to_aligned();
    out += '\n' + rows_summary(result.rows) + '\n';
    if (!result.treatments.empty())
      out += "\ntreatments of the data:\n" +
             treatments_table(result.treatments, result.presentation).to_aligned();
    for (const std::string& line : history_lines(result.history))
      out += line + '\n';
    for (const std::string& note : result.notes)
      out += "note: " + note + '\n';
    return out;
  }
  case Format::md: {
    std::string out =
        calc_table(calc_rows(result), years, result.presentation.tonnes()).to_markdown();
    out += "\n- " + rows_summary(result.rows) + '\n';
    if (!result.treatments.empty())
      out += "\nTreatments of the data:\n\n" +
             treatments_table(result.treatments, result.presentation).to_markdown();
    for (const std::string& line : history_lines(result.history))
      out += "- " + line + '\n';
    for (const std::string& note : result.notes)
      out += "- note: " + note + '\n';
    return out;
  }
  }
  return {};
}

} // namespace mrv
