// The data of a calculation: which files feed which data source, that every
// monitored parameter is fed, that no input is read twice for one
// parameter, and the reading itself.
#include "engine/calc_inputs.hpp"
#include "base/try.hpp"

#include "data/sha256.hpp"
#include "data/source_evidence.hpp"
#include "data/timestamp.hpp"
#include "data/yaml_tree.hpp"
#include "engine/engine.hpp"
#include "engine/read_in_parts.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <limits>

#include <sys/stat.h>

namespace mrv::detail {
namespace {

// Which files feed which data source, after the command line's overrides.
Expected<std::vector<std::vector<std::string>>> data_files(const Project& project,
                                                           const CalcOptions& options) {
  std::vector<std::vector<std::string>> files(project.data.size());
  if (options.data_files.empty()) {
    for (std::size_t s = 0; s < project.data.size(); ++s)
      files[s].push_back(project.data[s].file);
    return files;
  }
  for (const std::string& arg : options.data_files) {
    std::size_t eq = arg.find('=');
    std::size_t source = 0;
    std::string path = arg;
    if (eq != std::string::npos && eq > 0) {
      std::string id = arg.substr(0, eq);
      path = arg.substr(eq + 1);
      auto it = std::find_if(project.data.begin(), project.data.end(),
                             [&](const DataSource& d) { return d.id == id; });
      if (it == project.data.end()) {
        Diagnostic d = error_at(Location{}, fmt::format("the project has no data source '{}'", id));
        d.code = ExitCode::usage;
        return d;
      }
      source = static_cast<std::size_t>(it - project.data.begin());
    } else if (project.data.size() != 1) {
      Diagnostic d =
          error_at(Location{}, fmt::format("the project has {} data sources: name one as ID=FILE",
                                           project.data.size()));
      d.code = ExitCode::usage;
      return d;
    }
    files[source].push_back(path);
  }
  for (std::size_t s = 0; s < project.data.size(); ++s)
    if (files[s].empty()) files[s].push_back(project.data[s].file);
  return files;
}

// Whether two data sources feed a parameter in common (the same source does).
bool shares_parameter(const DataSource& a, const DataSource& b) {
  for (const ColumnMapping& x : a.columns)
    for (const ColumnMapping& y : b.columns)
      if (x.parameter == y.parameter) return true;
  return false;
}

// The same data read twice for one parameter would count twice: standard
// input named more than once, or one file named twice, is refused before
// reading; files of equal content (same SHA-256) after.
Status check_named_once(const Project& project,
                        const std::vector<std::vector<std::string>>& files) {
  std::size_t stdin_uses = 0;
  for (const std::vector<std::string>& paths : files)
    stdin_uses += static_cast<std::size_t>(std::count(paths.begin(), paths.end(), "-"));
  if (stdin_uses > 1) {
    Diagnostic d = error_at(Location{}, "standard input ('-') is named more than once; it can be "
                                        "read only once");
    d.code = ExitCode::usage;
    return d;
  }
  struct Seen {
    dev_t device;
    ino_t inode;
    std::size_t source;
    std::string path;
  };
  std::vector<Seen> seen;
  for (std::size_t s = 0; s < files.size(); ++s)
    for (const std::string& path : files[s]) {
      struct stat info;
      if (path == "-" || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
      for (const Seen& other : seen)
        if (other.device == info.st_dev && other.inode == info.st_ino &&
            shares_parameter(project.data[s], project.data[other.source]))
          return error_at(
              project.data[s].location,
              fmt::format("'{}' is given twice ({}{}): its rows would count twice", path,
                          other.path == path ? "" : "also as '" + other.path + "', ",
                          other.source == s ? "for data source '" + project.data[s].id + "'"
                                            : "for data sources '" + project.data[other.source].id +
                                                  "' and '" + project.data[s].id + "'"));
      seen.push_back({info.st_dev, info.st_ino, s, path});
    }
  return Ok{};
}

// A meter measures what some data source gives: its parameter for its
// unit. A meter no column reads would describe equipment the data does not
// come from (a wrong unit or parameter), and its calibration would correct
// nothing.
Status check_meter_fed(const Project& project, const Meter& meter) {
  for (const DataSource& source : project.data) {
    const bool unit =
        source.constant_unit == meter.unit ||
        (!source.unit_column.empty() &&
         (source.covers.empty() || std::find(source.covers.begin(), source.covers.end(),
                                             meter.unit) != source.covers.end()));
    for (const ColumnMapping& cm : source.columns)
      if (unit && cm.parameter == meter.parameter) return Ok{};
  }
  return error_at(meter.location,
                  fmt::format("meter '{}' measures '{}' of unit '{}', but no data source gives "
                              "'{}' of unit '{}': is the meter's unit or parameter wrong?",
                              meter.serial, meter.parameter, meter.unit, meter.parameter,
                              meter.unit));
}

} // namespace

namespace {

// `W_j_p[food]`: the index value a column of an indexed parameter gives.
Status check_column_index(const Methodology& m, const Parameter& p, const ColumnMapping& cm) {
  if (p.index < 0) {
    if (cm.index.empty()) return Ok{};
    return error_at(cm.location, fmt::format("'{}' does not vary by an index: map it as '{}', "
                                             "without [{}]",
                                             p.id, p.id, cm.index));
  }
  const Index& index = m.indices[static_cast<std::size_t>(p.index)];
  if (cm.index.empty())
    return error_at(cm.location,
                    fmt::format("'{}' varies by {} ({}): map a column per index "
                                "value, as '{}[{}]'",
                                p.id, index.name, index.description, p.id, index.values.front()));
  if (std::find(index.values.begin(), index.values.end(), cm.index) == index.values.end()) {
    Diagnostic d = error_at(cm.location,
                            fmt::format("'{}' is not a value of {} ({}): {}", cm.index, index.name,
                                        index.description, fmt::join(index.values, ", ")));
    const std::string hint = closest_match(cm.index, index.values);
    if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
    return d;
  }
  return Ok{};
}

// Whether the project uses value `text` of parameter p's index.
bool uses_index_value(const Methodology& m, const Project& project, const Parameter& p,
                      const std::string& text) {
  const Index& index = m.indices[static_cast<std::size_t>(p.index)];
  for (const ProjectIndex& chosen : project.indices)
    if (chosen.index == index.name)
      return std::find(chosen.values.begin(), chosen.values.end(), text) != chosen.values.end();
  return true;
}

// Every monitored value is fed by some data source: for a parameter that
// varies by an index, every index value the project uses, and only those.
Status check_all_fed(const Methodology& m, const Project& project) {
  for (const DataSource& source : project.data)
    for (const ColumnMapping& cm : source.columns) {
      const Parameter* p = m.parameter(cm.parameter);
      if (p->index >= 0 && !uses_index_value(m, project, *p, cm.index))
        return error_at(cm.location,
                        fmt::format("'{}' is not one of the values of {} this project uses (its "
                                    "`indices:`)",
                                    cm.index, m.indices[static_cast<std::size_t>(p->index)].name));
    }
  for (const Parameter& p : m.parameters) {
    if (p.kind != ParameterKind::monitored) continue;
    const std::vector<std::string> all = {std::string()};
    const std::vector<std::string>& values =
        p.index < 0 ? all : m.indices[static_cast<std::size_t>(p.index)].values;
    for (const std::string& value : values) {
      if (p.index >= 0 && !uses_index_value(m, project, p, value)) continue;
      bool fed = false;
      for (const DataSource& source : project.data)
        for (const ColumnMapping& cm : source.columns)
          fed = fed || (cm.parameter == p.id && cm.index == value);
      if (!fed)
        return error_at(
            Location{project.file, 0, 0},
            fmt::format("no data source gives the monitored parameter '{}'{} ({}, {})", p.id,
                        value.empty()
                            ? std::string()
                            : fmt::format(" for {} = '{}'",
                                          m.indices[static_cast<std::size_t>(p.index)].name, value),
                        p.description, p.unit.text));
    }
  }
  return Ok{};
}

} // namespace

// Every monitored parameter is fed by some data source, and every mapping
// feeds a monitored parameter.
Status check_mappings(const Methodology& m, const Project& project) {
  MRV_TRY(chosen_index_values(m, project.indices)); // mappings name them
  for (const DataSource& source : project.data)
    for (const ColumnMapping& cm : source.columns) {
      const Parameter* p = m.parameter(cm.parameter);
      if (!p || p->kind != ParameterKind::monitored) {
        std::vector<std::string> monitored;
        for (const Parameter& q : m.parameters)
          if (q.kind == ParameterKind::monitored) monitored.push_back(q.id);
        Diagnostic d = error_at(
            cm.location, fmt::format("'{}' is not a monitored parameter of {} (monitored: {})",
                                     cm.parameter, m.full_id(), fmt::join(monitored, ", ")));
        std::string hint = closest_match(cm.parameter, monitored);
        if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
        return d;
      }
      MRV_TRY(check_column_index(m, *p, cm));
      if (!same_dimension(cm.unit, p->unit))
        return error_at(cm.location,
                        fmt::format("column '{}' is declared in {} ({}), but '{}' is {} [{}]",
                                    cm.column, cm.unit.text, cm.unit.dimension.describe(), p->id,
                                    p->unit.dimension.describe(), p->unit.text));
      // A site value comes from the site's rows, a unit's value from a unit's.
      if (source.site() && !is_site_value(*p))
        return error_at(cm.location,
                        fmt::format("'{}' is measured per unit, but data source '{}' names no "
                                    "unit: give `unit: ID` (all rows one unit) or `unit: "
                                    "{{column: NAME}}` (a column naming each row's unit)",
                                    p->id, source.id));
      if (!source.site() && is_site_value(*p))
        return error_at(cm.location,
                        fmt::format("'{}' is measured for the whole site (per period), but data "
                                    "source '{}' gives rows per unit: map it in a data source "
                                    "without 'unit'",
                                    p->id, source.id));
    }
  for (const Meter& meter : project.meters) {
    const Parameter* p = m.parameter(meter.parameter);
    if (!p || p->kind != ParameterKind::monitored)
      return error_at(
          meter.location,
          fmt::format("meter '{}' measures '{}', which is not a monitored parameter of {}",
                      meter.serial, meter.parameter, m.full_id()));
    if (p->index >= 0)
      return error_at(meter.location,
                      fmt::format("meter '{}' measures '{}', which varies by an index: "
                                  "calibration of indexed values is not supported yet",
                                  meter.serial, meter.parameter));
    if (is_site_value(*p))
      return error_at(meter.location,
                      fmt::format("meter '{}' measures the site value '{}': calibration of site "
                                  "meters is not supported yet",
                                  meter.serial, meter.parameter));
    MRV_TRY(check_meter_fed(project, meter));
  }
  for (const Fill& fill : project.fills) {
    const Parameter* p = m.parameter(fill.parameter);
    if (!p || p->kind != ParameterKind::monitored || p->aggregate != Aggregate::sum)
      return error_at(fill.location,
                      fmt::format("'{}' is not a monitored parameter summed over a period: only "
                                  "those are filled",
                                  fill.parameter));
    if (fill.rule == FillRule::amount) (void)MRV_TRY(parse_value(*p, fill.value));
  }
  return check_all_fed(m, project);
}

namespace {

// An input read, to compare the next ones with.
struct ReadInput {
  std::size_t source;
  std::string path, sha256;
  std::int64_t size = -1; // bytes; -1 for standard input
};

std::int64_t size_of(const std::string& path, const CalcOptions& options) {
  if (auto text = options.data_in_memory.find(path); text != options.data_in_memory.end())
    return static_cast<std::int64_t>(text->second.size());
  struct stat info;
  if (path == "-" || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return -1;
  return static_cast<std::int64_t>(info.st_size);
}

// The SHA-256 of an input before it is read ("" if it cannot be read here).
std::string content_hash(const std::string& path, const CalcOptions& options) {
  if (auto text = options.data_in_memory.find(path); text != options.data_in_memory.end())
    return sha256_hex(text->second);
  return sha256_of_file(path);
}

Diagnostic same_content(const Project& project, const ReadInput& earlier, std::size_t source,
                        const std::string& path, const std::string& sha256) {
  return error_at(Location{path, 0, 0},
                  fmt::format("'{}' has the same content as '{}' (SHA-256 {}), and both feed {}: "
                              "its rows would count twice",
                              path, earlier.path, sha256.substr(0, 12),
                              earlier.source == source
                                  ? "data source '" + project.data[source].id + "'"
                                  : "data sources '" + project.data[earlier.source].id + "' and '" +
                                        project.data[source].id + "'"));
}

// An input of the size of one read before for the same parameter is hashed
// before its rows are read, so that a copy is refused as a copy (a
// register's readings would otherwise stop first on their time order).
Status refuse_copy_early(const Project& project, const CalcOptions& options,
                         const std::vector<ReadInput>& read, std::size_t source,
                         const std::string& path, std::int64_t size) {
  if (size < 0) return Ok{};
  for (const ReadInput& earlier : read)
    if (earlier.size == size && !earlier.sha256.empty() &&
        shares_parameter(project.data[source], project.data[earlier.source])) {
      const std::string sha256 = content_hash(path, options);
      if (sha256 == earlier.sha256) return same_content(project, earlier, source, path, sha256);
    }
  return Ok{};
}

// A data source's declarations as the reading applies them, for the
// report's "Data sources" table (describe_source() adds what it found).
DataSourceFacts declared_facts(const Project& project, const DataSource& d) {
  DataSourceFacts f;
  f.id = d.id;
  f.encoding = d.encoding.empty() ? "UTF-8" : d.encoding;
  f.delimiter = d.delimiter == '\t' ? "tab" : std::string(1, d.delimiter);
  f.decimal = std::string(1, d.decimal_point);
  f.thousands = d.thousands_separator ? std::string(1, d.thousands_separator) : "";
  f.marks_declared = d.number_format_declared;
  f.timestamp_column = d.timestamp_column;
  f.timestamp_format = d.timestamp_format.pattern.empty() ? "ISO 8601" : d.timestamp_format.pattern;
  f.marks = d.marks == TimestampMarks::end ? "end" : "start";
  const int offset = project.utc_offset_minutes;
  const std::string local = fmt::format("UTC{}{:02}:{:02}", offset < 0 ? '-' : '+',
                                        std::abs(offset) / 60, std::abs(offset) % 60);
  f.zone = d.timestamp_format.pattern.empty()
               ? "a time's own offset; without one, the site's local time " + local
               : "the site's local time " + local;
  for (const ColumnMapping& cm : d.columns) {
    DataSourceColumn c{cm.parameter, cm.column, cm.unit.text, cm.cumulative, cm.rollover, ""};
    if (std::optional<Unit> named = unit_named_in_header(cm.column)) c.header_unit = named->text;
    f.columns.push_back(std::move(c));
  }
  return f;
}

RowCounts rows_since(const RowCounts& now, const RowCounts& before) {
  return RowCounts{now.read - before.read,
                   now.used - before.used,
                   now.outside_periods - before.outside_periods,
                   now.blank_lines - before.blank_lines,
                   now.missing_values - before.missing_values,
                   now.duplicates - before.duplicates};
}

// Reads one data file of source `source` (on several cores when it is
// worth it and exact): its SHA-256 when `hash`, and the threads that read it.
Expected<std::pair<std::string, unsigned>>
read_file(const CalcOptions& options, Aggregation& aggregation, std::size_t source,
          const std::string& path, const CsvDialect& dialect, bool hash, RowCounts& rows) {
  const auto in_memory = options.data_in_memory.find(path);
  if (in_memory != options.data_in_memory.end()) {
    std::unique_ptr<CsvReader> reader = CsvReader::from_string(in_memory->second, path, dialect);
    MRV_TRY(aggregation.read(source, *reader, rows));
    return std::pair{reader->sha256_hex(), 1u};
  }
  std::string sha256;
  if (path != "-")
    if (const unsigned parts =
            read_in_parts(aggregation, source, path, dialect,
                          PartsPlan{options.jobs, options.part_bytes, hash}, rows, sha256))
      return std::pair{sha256, parts};
  std::unique_ptr<CsvReader> reader = MRV_TRY(CsvReader::open(path, dialect, "", hash));
  MRV_TRY(aggregation.read(source, *reader, rows));
  return std::pair{reader->sha256_hex(), 1u};
}

} // namespace

Status read_data(const Project& project, const CalcOptions& options, Aggregation& aggregation,
                 CalcResult& result) {
  const std::vector<std::vector<std::string>> files = MRV_TRY(data_files(project, options));
  MRV_TRY(check_named_once(project, files));
  // Hash what could repeat another input of a parameter, to compare.
  std::vector<bool> compared(project.data.size(), false);
  for (std::size_t s = 0; s < project.data.size(); ++s)
    for (std::size_t t = 0; t < project.data.size(); ++t)
      if (shares_parameter(project.data[s], project.data[t]) && (s != t || files[s].size() > 1))
        compared[s] = true;
  std::vector<ReadInput> read;
  for (const DataSource& d : project.data)
    result.sources.push_back(declared_facts(project, d));
  for (std::size_t s = 0; s < project.data.size(); ++s) {
    for (const std::string& path : files[s]) {
      const std::int64_t size = compared[s] ? size_of(path, options) : -1;
      MRV_TRY(refuse_copy_early(project, options, read, s, path, size));
      CsvDialect dialect;
      dialect.delimiter = project.data[s].delimiter;
      dialect.encoding = project.data[s].encoding;
      const RowCounts before = result.rows;
      const auto [sha256, parts] = MRV_TRY(read_file(
          options, aggregation, s, path, dialect, options.hash_data || compared[s], result.rows));
      for (const ReadInput& earlier : read) // standard input, hashed as it is read
        if (compared[s] && !sha256.empty() && earlier.sha256 == sha256 &&
            shares_parameter(project.data[s], project.data[earlier.source]))
          return same_content(project, earlier, s, path, sha256);
      read.push_back({s, path, sha256, size});
      result.inputs.push_back(
          {"data", path == "-" ? "-" : path, options.hash_data ? sha256 : std::string(), parts});
      result.sources[s].files.push_back({result.inputs.back().path, result.inputs.back().sha256,
                                         rows_since(result.rows, before)});
    }
  }
  MRV_TRY(aggregation.finish());
  for (std::size_t s = 0; s < project.data.size(); ++s)
    aggregation.describe_source(s, result.sources[s]);
  return Ok{};
}

} // namespace mrv::detail
