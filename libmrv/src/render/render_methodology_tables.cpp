// Every row of a methodology's default-value tables, for `mrv methodology
// show`: a verifier reads the values a result can take without opening the
// YAML (docs/methodology-format.md#tables).
#include "render/render_methodology_tables.hpp"

#include "render/render_unconfirmed.hpp"

#include "mrv/numbers.hpp"

#include <fmt/format.h>

#include <cmath>

namespace mrv::detail {

namespace {

const Provenance& row_source(const Table& t, const TableRow& row) {
  return row.source.document.empty() ? t.source : row.source;
}

std::string source_text(const Provenance& p) {
  std::string text = p.document;
  if (!p.section.empty()) text += (text.empty() ? "" : ", ") + p.section;
  return text;
}

// An open band's upper end is written as nothing.
std::string band_end(double value) {
  return std::isinf(value) ? std::string() : format_number(value);
}

} // namespace

TextTable table_rows(const Table& t) {
  TextTable table;
  table.header = t.keys;
  if (t.banded) {
    table.header.push_back(fmt::format("from ({})", t.band_unit.text));
    table.header.push_back(fmt::format("to ({})", t.band_unit.text));
  }
  const std::size_t numbers_from = t.keys.size();
  for (const char* column : {"value", "unit", "source", "confirmed"})
    table.header.push_back(column);
  table.right_aligned.assign(table.header.size(), false);
  for (std::size_t c = numbers_from; c < table.header.size() - 3; ++c)
    table.right_aligned[c] = true;
  for (const TableRow& row : t.rows) {
    std::vector<std::string> cells = row.keys;
    if (t.banded) {
      cells.push_back(format_number(row.from));
      cells.push_back(band_end(row.to));
    }
    const Provenance& source = row_source(t, row);
    cells.push_back(format_number(row.value));
    cells.push_back(t.unit.text);
    cells.push_back(source_text(source));
    cells.push_back(source.confirmed ? "yes" : "no");
    table.rows.push_back(std::move(cells));
  }
  return table;
}

std::string table_heading(const Table& t) {
  std::string text = t.id + ": " + t.title;
  std::vector<std::string> facts;
  if (!t.version.empty()) facts.push_back("version " + t.version);
  if (!t.file.empty()) facts.push_back(fmt::format("shared table {} v{}", t.use, t.use_version));
  facts.push_back("values in " + t.unit.text);
  std::vector<std::string> by = t.keys;
  if (t.banded) by.push_back("a number in bands [from, to)");
  facts.push_back("looked up by " + join(by, ", then "));
  std::string source = source_text(t.source);
  facts.push_back("source: " + (source.empty() ? std::string("none given") : source) +
                  (t.source.confirmed ? "" : " (not confirmed)"));
  return text + " (" + join(facts, "; ") + ")";
}

void write_table_rows(JsonWriter& json, const Table& t) {
  json.key("row_values");
  json.begin_array();
  for (const TableRow& row : t.rows)
    write_table_row(json, t, row);
  json.end_array();
}

void write_table_row(JsonWriter& json, const Table& t, const TableRow& row) {
  json.begin_object();
  if (t.banded) {
    json.member("from", row.from);
    json.key("to");
    if (std::isinf(row.to))
      json.null();
    else
      json.value(row.to);
    json.member("band_unit", t.band_unit.text);
  } else {
    json.key("keys");
    json.begin_array();
    for (const std::string& key : row.keys)
      json.value(key);
    json.end_array();
  }
  json.quantity_members(row.value, t.unit.text);
  const Provenance& source = row_source(t, row);
  json.key("source");
  write_provenance(json, source);
  json.end_object();
}

} // namespace mrv::detail

namespace mrv {

namespace {

std::string table_json(const Table& t, bool indented) {
  detail::JsonWriter json(indented);
  json.begin_object();
  json.member("format", "mrv.methodology-table/1");
  json.member("id", t.id);
  json.member("title", t.title);
  json.member("version", t.version);
  json.member("unit", t.unit.text);
  json.member("banded", t.banded);
  json.key("keys");
  json.begin_array();
  for (const std::string& key : t.keys)
    json.value(key);
  json.end_array();
  detail::write_table_rows(json, t);
  json.end_object();
  return json.text() + '\n';
}

// One compact object per row, as in the json form's row_values.
std::string table_jsonl(const Table& t) {
  std::string out;
  for (const TableRow& row : t.rows) {
    detail::JsonWriter json(false);
    detail::write_table_row(json, t, row);
    out += json.text() + '\n';
  }
  return out;
}

} // namespace

Expected<std::string> render_methodology_table(const Methodology& m, std::string_view id,
                                               Format format) {
  const Table* t = m.table(std::string(id));
  if (!t) {
    std::vector<std::string> ids;
    for (const Table& each : m.tables)
      ids.push_back(each.id);
    Diagnostic d;
    d.code = ExitCode::usage;
    d.message = fmt::format("{} has no table '{}' (tables: {})", m.full_id(), id,
                            ids.empty() ? "none" : detail::join(ids, ", "));
    if (const std::string hint = closest_match(std::string(id), ids); !hint.empty())
      d.notes.push_back(fmt::format("did you mean '{}'?", hint));
    return d;
  }
  const detail::TextTable rows = detail::table_rows(*t);
  const std::vector<bool> numbers = rows.right_aligned;
  switch (format) {
  case Format::csv:
    return rows.to_delimited(',', numbers);
  case Format::tsv:
    return rows.to_delimited('\t', numbers);
  case Format::table:
    return detail::table_heading(*t) + "\n" + rows.to_aligned();
  case Format::md:
    return "## " + t->id + "\n\n" + detail::table_heading(*t) + "\n\n" + rows.to_markdown();
  case Format::json:
    return table_json(*t, true);
  case Format::jsonl:
    return table_jsonl(*t);
  }
  return std::string();
}

} // namespace mrv
