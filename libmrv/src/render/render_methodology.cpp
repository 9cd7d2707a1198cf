// `mrv methodology list` and `mrv methodology show`: the bundled library as
// rows, and one methodology as people read it (identity, parameters, tables,
// equations as they run, criteria, rounding) or as one JSON document.
#include "render/render_common.hpp"
#include "render/render_methodology_tables.hpp"

#include "model/compiled_methodology.hpp"

#include <fmt/format.h>

namespace mrv {

namespace {

using detail::join;
using detail::JsonWriter;
using detail::TextTable;

// ---- list

TextTable list_table(const std::vector<Methodology>& methodologies, std::string_view separator) {
  TextTable table;
  table.header = {"id", "version", "family", "countries", "title"};
  table.right_aligned = {false, false, false, false, false};
  for (const Methodology& m : methodologies)
    table.rows.push_back({m.id, m.version, m.family, join(m.countries, separator), m.title});
  return table;
}

void write_list_entry(JsonWriter& json, const Methodology& m) {
  json.begin_object();
  json.member("id", m.id);
  json.member("version", m.version);
  json.member("family", m.family);
  json.key("countries");
  json.begin_array();
  for (const std::string& country : m.countries)
    json.value(country);
  json.end_array();
  json.member("title", m.title);
  json.end_object();
}

// ---- show: shared pieces

std::string yes_no(bool flag) {
  return flag ? "yes" : "no";
}

std::string source_text(const Provenance& source) {
  std::vector<std::string> parts;
  if (!source.document.empty()) parts.push_back(source.document);
  if (!source.section.empty()) parts.push_back(source.section);
  return join(parts, ", ");
}

// A key parameter has no unit: it is one of a fixed set of texts.
std::string unit_or_keys(const Parameter& p) {
  return p.is_key ? "one of " + join(p.key_values, ", ") : p.unit.text;
}

// The level, and the index a value varies by: "unit and period, per j".
std::string level_text(const Methodology& m, const Parameter& p) {
  std::string text = level_name(p.level);
  if (p.index >= 0) text += ", per " + m.indices[static_cast<std::size_t>(p.index)].name;
  return text;
}

TextTable parameters_table(const Methodology& m) {
  TextTable table;
  table.header = {"id",     "symbol",      "kind",   "level",    "unit",
                  "option", "description", "source", "confirmed"};
  table.right_aligned.assign(table.header.size(), false);
  for (const Parameter& p : m.parameters)
    table.rows.push_back({p.id, p.symbol, kind_name(p.kind), level_text(m, p), unit_or_keys(p),
                          p.option, p.description, source_text(p.source),
                          yes_no(p.source.confirmed)});
  return table;
}

// The indices besides the units: what sum_j runs over.
TextTable indices_table(const Methodology& m) {
  TextTable table;
  table.header = {"index", "description", "values"};
  table.right_aligned.assign(table.header.size(), false);
  for (const Index& index : m.indices)
    table.rows.push_back({index.name, index.description, join(index.values, ", ")});
  return table;
}

// The values sum_x reads at earlier periods, which a project's history gives.
std::string past_text(const Methodology& m) {
  std::vector<std::string> ids;
  for (std::size_t i : m.compiled->past_parameters)
    ids.push_back(m.parameters[i].id);
  return ids.empty() ? "none (sum_x reads no value of an earlier period)" : join(ids, ", ");
}

// Where a table's rows come from: the methodology itself, or a shared file.
std::string table_origin(const Table& t) {
  return t.file.empty() ? "inline" : fmt::format("{} v{}", t.use, t.use_version);
}

TextTable tables_table(const Methodology& m) {
  TextTable table;
  table.header = {"id", "title", "unit", "rows", "from"};
  table.right_aligned = {false, false, false, true, false};
  for (const Table& t : m.tables)
    table.rows.push_back(
        {t.id, t.title, t.unit.text, std::to_string(t.rows.size()), table_origin(t)});
  return table;
}

// The shared table files read, each once, with their SHA-256.
TextTable table_files_table(const Methodology& m) {
  TextTable table;
  table.header = {"file", "sha256"};
  table.right_aligned = {false, false};
  for (const Table& t : m.tables) {
    if (t.file.empty()) continue;
    const std::string path = library_relative_path(t.file);
    bool seen = false;
    for (const auto& row : table.rows)
      seen = seen || row[0] == path;
    if (!seen) table.rows.push_back({path, t.sha256});
  }
  return table;
}

TextTable criteria_table(const Methodology& m) {
  TextTable table;
  table.header = {"id", "text", "formula"};
  table.right_aligned = {false, false, false};
  for (const Criterion& c : m.criteria)
    table.rows.push_back({c.id, c.text, c.formula});
  return table;
}

// What a unit's rating bounds: a row per bounded parameter.
TextTable bounds_table(const Methodology& m) {
  TextTable table;
  table.header = {"parameter", "at most, per row", "why"};
  table.right_aligned = {false, false, false};
  for (const RatingBound& b : m.rating->bounds)
    table.rows.push_back({b.parameter, b.formula, b.note});
  return table;
}

std::string rating_text(const Methodology& m) {
  return m.rating->unit
             ? fmt::format("rating_i: {}, in {}", m.rating->description, m.rating->unit->text)
             : "no rating: the bounds are over ex-ante values";
}

std::vector<std::string> equations(const Methodology& m) {
  std::vector<std::string> lines;
  for (const Parameter& p : m.parameters)
    if (!p.formula.empty()) lines.push_back(describe_equation(m, p.id));
  return lines;
}

std::string rounding_text(const Methodology& m) {
  std::string text = rounding_name(m.rounding);
  const std::string source = source_text(m.rounding_source);
  if (!source.empty()) text += " (" + source + ")";
  return text;
}

std::string source_line(const Methodology& m) {
  return fmt::format("{} ({})", m.source_url, m.source.confirmed ? "confirmed" : "not confirmed");
}

// ---- show: table

std::string show_table(const Methodology& m) {
  std::string out = m.full_id() + "\n";
  const std::pair<const char*, std::string> identity[] = {
      {"title", m.title},       {"countries", join(m.countries, ", ")},
      {"family", m.family},     {"status", m.status},
      {"approved", m.approved}, {"source", source_line(m)},
  };
  for (const auto& [label, value] : identity)
    out += fmt::format("  {:<10} {}\n", label, value);
  if (!m.indices.empty()) out += "\nIndices\n" + indices_table(m).to_aligned();
  out += "\nParameters\n" + parameters_table(m).to_aligned();
  if (m.compiled->reads_past) out += "\nRead at earlier periods (sum_x): " + past_text(m) + "\n";
  if (!m.tables.empty()) out += "\nTables\n" + tables_table(m).to_aligned();
  for (const Table& t : m.tables)
    out += "\n" + detail::table_heading(t) + "\n" + detail::table_rows(t).to_aligned();
  if (const TextTable files = table_files_table(m); !files.rows.empty())
    out += "\nTable files\n" + files.to_aligned();
  const std::vector<std::string> lines = equations(m);
  if (!lines.empty()) {
    out += "\nEquations\n";
    for (const std::string& line : lines)
      out += "  " + line + "\n";
  }
  if (!m.criteria.empty()) out += "\nCriteria\n" + criteria_table(m).to_aligned();
  if (m.rating) out += "\nRating bounds (" + rating_text(m) + ")\n" + bounds_table(m).to_aligned();
  out += "\nRounding: " + rounding_text(m) + "\n";
  return out;
}

// ---- show: Markdown

std::string show_markdown(const Methodology& m) {
  std::string out = fmt::format("# {}: {}\n\n", m.full_id(), m.title);
  out += "- countries: " + join(m.countries, ", ") + "\n";
  out += "- family: " + m.family + "\n";
  out += "- status: " + m.status + "\n";
  out += "- approved: " + m.approved + "\n";
  out += "- source: " + source_line(m) + "\n";
  if (!m.indices.empty()) out += "\n## Indices\n\n" + indices_table(m).to_markdown();
  out += "\n## Parameters\n\n" + parameters_table(m).to_markdown();
  if (m.compiled->reads_past) out += "\nRead at earlier periods (sum_x): " + past_text(m) + "\n";
  if (!m.tables.empty()) out += "\n## Tables\n\n" + tables_table(m).to_markdown();
  for (const Table& t : m.tables)
    out += "\n### " + t.id + "\n\n" + detail::table_heading(t) + "\n\n" +
           detail::table_rows(t).to_markdown();
  if (const TextTable files = table_files_table(m); !files.rows.empty())
    out += "\n## Table files\n\n" + files.to_markdown();
  const std::vector<std::string> lines = equations(m);
  if (!lines.empty()) {
    out += "\n## Equations\n\n```\n";
    for (const std::string& line : lines)
      out += line + "\n";
    out += "```\n";
  }
  if (!m.criteria.empty()) out += "\n## Criteria\n\n" + criteria_table(m).to_markdown();
  if (m.rating)
    out += "\n## Rating bounds\n\n" + rating_text(m) + "\n\n" + bounds_table(m).to_markdown();
  out += "\n## Rounding\n\n" + rounding_text(m) + "\n";
  return out;
}

// ---- show: JSON

void write_source(JsonWriter& json, const Provenance& source) {
  json.key("source");
  json.begin_object();
  json.member("document", source.document);
  json.member("section", source.section);
  json.member("url", source.url);
  json.member("note", source.note);
  json.member("confirmed", source.confirmed);
  json.end_object();
}

void write_strings(JsonWriter& json, std::string_view name, const std::vector<std::string>& texts) {
  json.key(name);
  json.begin_array();
  for (const std::string& text : texts)
    json.value(text);
  json.end_array();
}

void write_parameter(JsonWriter& json, const Methodology& m, const Parameter& p) {
  json.begin_object();
  json.member("id", p.id);
  json.member("symbol", p.symbol);
  json.member("kind", kind_name(p.kind));
  json.member("level", level_name(p.level));
  if (p.index >= 0) json.member("index", m.indices[static_cast<std::size_t>(p.index)].name);
  json.key("unit");
  if (p.is_key)
    json.null();
  else
    json.value(p.unit.text);
  write_strings(json, "key_values", p.key_values);
  json.member("option", p.option);
  json.member("description", p.description);
  json.key("formula");
  if (p.formula.empty())
    json.null();
  else
    json.value(p.formula);
  write_source(json, p.source);
  json.end_object();
}

void write_table(JsonWriter& json, const Table& t) {
  json.begin_object();
  json.member("id", t.id);
  json.member("title", t.title);
  json.member("unit", t.unit.text);
  write_strings(json, "keys", t.keys);
  json.member("banded", t.banded);
  json.member("rows", static_cast<std::int64_t>(t.rows.size()));
  json.member("version", t.version);
  json.key("file");
  if (t.file.empty()) {
    json.null();
  } else {
    json.begin_object();
    json.member("use", t.use);
    json.member("version", t.use_version);
    json.member("path", library_relative_path(t.file));
    json.member("sha256", t.sha256);
    json.end_object();
  }
  write_source(json, t.source);
  detail::write_table_rows(json, t);
  json.end_object();
}

void write_criterion(JsonWriter& json, const Criterion& c) {
  json.begin_object();
  json.member("id", c.id);
  json.member("text", c.text);
  json.member("formula", c.formula);
  write_source(json, c.source);
  json.end_object();
}

std::string show_json(const Methodology& m) {
  JsonWriter json(true);
  json.begin_object();
  json.member("format", "mrv.methodology/1");
  json.member("id", m.id);
  json.member("version", m.version);
  json.member("title", m.title);
  write_strings(json, "countries", m.countries);
  json.member("family", m.family);
  json.member("status", m.status);
  json.member("approved", m.approved);
  json.member("source_url", m.source_url);
  write_source(json, m.source);
  // The file's hash, not its path: the path differs between machines.
  json.member("sha256", m.sha256);
  json.key("parameters");
  json.begin_array();
  for (const Parameter& p : m.parameters)
    write_parameter(json, m, p);
  json.end_array();
  json.key("tables");
  json.begin_array();
  for (const Table& t : m.tables)
    write_table(json, t);
  json.end_array();
  write_strings(json, "equations", equations(m));
  json.key("criteria");
  json.begin_array();
  for (const Criterion& c : m.criteria)
    write_criterion(json, c);
  json.end_array();
  json.key("rating");
  if (!m.rating) {
    json.null();
  } else {
    json.begin_object();
    json.member("description", m.rating->description);
    json.member("unit", m.rating->unit ? m.rating->unit->text : std::string());
    json.key("bounds");
    json.begin_array();
    for (const RatingBound& b : m.rating->bounds) {
      json.begin_object();
      json.member("parameter", b.parameter);
      json.member("max", b.formula);
      json.member("note", b.note);
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.key("rounding");
  json.begin_object();
  json.member("rule", rounding_name(m.rounding));
  write_source(json, m.rounding_source);
  json.end_object();
  json.end_object();
  return json.text() + '\n';
}

// The row formats of `show` list the parameters, the one part that is rows.
std::string parameters_jsonl(const Methodology& m) {
  std::string out;
  for (const Parameter& p : m.parameters) {
    JsonWriter json(false);
    write_parameter(json, m, p);
    out += json.text() + '\n';
  }
  return out;
}

const std::vector<bool> no_numeric_columns;

} // namespace

std::string render_methodology_list(const std::vector<Methodology>& methodologies, Format format) {
  switch (format) {
  case Format::csv:
    return list_table(methodologies, ";").to_delimited(',', no_numeric_columns);
  case Format::tsv:
    return list_table(methodologies, ";").to_delimited('\t', no_numeric_columns);
  case Format::table:
    return list_table(methodologies, ", ").to_aligned();
  case Format::md:
    return list_table(methodologies, ", ").to_markdown();
  case Format::json: {
    JsonWriter json(true);
    json.begin_object();
    json.member("format", "mrv.methodology-list/1");
    json.key("methodologies");
    json.begin_array();
    for (const Methodology& m : methodologies)
      write_list_entry(json, m);
    json.end_array();
    json.end_object();
    return json.text() + '\n';
  }
  case Format::jsonl: {
    std::string out;
    for (const Methodology& m : methodologies) {
      JsonWriter json(false);
      write_list_entry(json, m);
      out += json.text() + '\n';
    }
    return out;
  }
  }
  return {};
}

std::string render_methodology(const Methodology& methodology, Format format) {
  switch (format) {
  case Format::table:
    return show_table(methodology);
  case Format::md:
    return show_markdown(methodology);
  case Format::json:
    return show_json(methodology);
  case Format::jsonl:
    return parameters_jsonl(methodology);
  case Format::csv:
    return parameters_table(methodology).to_delimited(',', no_numeric_columns);
  case Format::tsv:
    return parameters_table(methodology).to_delimited('\t', no_numeric_columns);
  }
  return {};
}

} // namespace mrv
