// A project: the ex-ante values, the units of equipment, the monitoring
// periods and where the monitoring data is. Format: docs/project-format.md.
#pragma once

#include "mrv/diagnostic.hpp"
#include "mrv/units.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace mrv {

// A value as the project file writes it: "12.5", "12.5 MWh" or a key text.
struct ValueInput {
  std::string parameter;
  std::string text;
  bool quoted = false;
  Location location;     // of the value
  Location key_location; // of the parameter's name
  std::string source_line;
};

struct ProjectUnit {
  std::string id;
  std::vector<ValueInput> values;
  Location location;
};

struct MonitoringPeriod {
  std::string id;
  std::int64_t first_day = 0; // days since 1970-01-01, inclusive
  std::int64_t last_day = 0;  // inclusive
  Location location;
};

enum class TimestampMarks { start, end }; // which end of its interval a timestamp marks

struct ColumnMapping {
  std::string column;    // header text in the CSV
  std::string parameter; // monitored parameter id
  Unit unit;             // unit of the column's values
  Location location;
};

struct DataSource {
  std::string id;
  std::string file; // resolved against the project file's folder; "-" is stdin
  char delimiter = ',';
  std::string timestamp_column;
  TimestampMarks marks = TimestampMarks::start;
  std::string unit_column;   // a column naming the unit of each row, or
  std::string constant_unit; // the one unit all rows belong to
  std::vector<ColumnMapping> columns;
  Location location;
};

struct Project {
  std::string id;
  std::string title;
  std::string country;
  std::string methodology; // a bundled id or a path (resolved)
  Location methodology_location;
  int utc_offset_minutes = 0;
  std::vector<ValueInput> values; // project-level ex-ante values
  std::vector<ProjectUnit> units;
  std::vector<MonitoringPeriod> periods;
  std::vector<DataSource> data;
  std::string file;   // where it was loaded from
  std::string sha256; // of the file's bytes
};

Expected<Project> load_project(std::string text, std::string file);
Expected<Project> load_project_file(const std::string& path);

} // namespace mrv
