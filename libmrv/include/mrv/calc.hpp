// Methodology × Project × monitoring data → per-period results with the
// value of every parameter, the credited whole tonnes, and an account of
// every row read. The JSON form of CalcResult is documented in docs/calc-json.md.
#pragma once

#include "mrv/diagnostic.hpp"
#include "mrv/methodology.hpp"
#include "mrv/numbers.hpp"
#include "mrv/project.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrv {

// How results name the site, the owner of site values' rows (a data source
// without units), where they name a unit: unit ids cannot start with '('.
inline constexpr std::string_view site_label = "(site)";

// One parameter's value in a slice of the result (the trace).
struct TraceValue {
  std::string parameter;
  double value = 0;
  std::string unit; // "" for keys, which carry `text`
  std::string text; // key value
  // For a parameter that varies by an index: the index value ("food").
  std::string index = {};
};

struct UnitResult {
  std::string unit;
  double reference = 0, project = 0, reductions = 0; // this unit's contribution, tCO2
  std::vector<TraceValue> values;                    // unit-level and unit-and-period values
  std::int64_t records = 0;
};

// An earlier period a sum over earlier periods (sum_x) read for a period:
// an earlier period of the project's history or of the run, and its age at
// the period's start in years.
struct EarlierPeriod {
  std::string period;
  double age = 0;
};

// An earlier period of the project's `history:` and the values sum_x read there.
struct HistoryUsed {
  std::string id;
  std::string from, to; // inclusive dates
  std::string source;   // the earlier report it comes from
  std::vector<TraceValue> values;
};

// A value a period's result depended on whose source is `confirmed: false`
// (or that has no source): an assumption the verifier should see.
struct Unconfirmed {
  // parameter (its definition, default or equation), table_row (a row
  // looked up), table (a table whose rows could not be told apart, as in a
  // per-record look-up), rounding (the rounding rule of credits).
  std::string kind;
  // How --accept-unconfirmed names it: "EF_RE_i", "EF_RE_MN[national_grid]",
  // "COP_RE_table[300..1000]", "rounding".
  std::string name;
  std::string description;     // the parameter's description, the table's title...
  std::optional<double> value; // a table row's value, in `unit`
  std::string unit;
  Provenance source;
  bool accepted = false; // named by CalcOptions::accept_unconfirmed
};

// A monitoring period, or with --by year or --by month a calendar year or
// month of one.
struct SliceResult {
  std::string period;
  std::string year;                     // "2017" for a year slice, "" otherwise
  std::string month;                    // "2017-03" for a month slice, "" otherwise
  std::string from, to;                 // inclusive dates
  double reference = 0;                 // RE, tCO2
  double project = 0;                   // PE, tCO2
  double reductions = 0;                // ER, tCO2, unrounded
  double reductions_15 = 0;             // ER at 15 significant digits, before rounding
  std::optional<std::int64_t> credited; // whole tCO2 (periods only)
  std::int64_t records = 0;
  std::vector<TraceValue> values; // period-level values
  std::vector<UnitResult> units;
  // With site values (a methodology's `per: period` monitored values) and
  // --by unit: the site's share, named site_label. A unit's share is then
  // the equations over that unit less the equations over no unit.
  std::optional<UnitResult> site;
  // A methodology with sum_x: the earlier periods it read, oldest first
  // (periods only; a year or month of a period reads its period's).
  std::vector<EarlierPeriod> earlier;
  // Periods only: what RE, PE, ER and the credited amount depended on that
  // is not confirmed against the official methodology text, parameters in
  // the methodology's order, then table rows, then the rounding rule.
  std::vector<Unconfirmed> unconfirmed;
};

// A substitution, exclusion or correction made to the monitoring data: every
// one is reported, with where it happened and what it did to ER.
struct Treatment {
  std::string
      kind; // gap, duplicate, out_of_range, calibration, rollover, meter_replacement, missing_value
  std::string period;      // period id
  std::string unit;        // unit id
  std::string parameter;   // parameter id
  std::string where;       // rows or time range, e.g. "data.csv:120-134"
  std::string description; // what was done, in words
  std::int64_t rows = 0;   // rows affected
  double amount = 0;       // change of the parameter's period value, in its unit
  std::string amount_unit;
  double effect = 0; // change of the period's ER, tCO2 (negative: lowered)
};

struct InputFile {
  std::string role; // methodology, project, data
  std::string path;
  std::string sha256; // empty for data files with CalcOptions::hash_data off
  unsigned parts = 1; // the threads that read a data file (CalcOptions::jobs)
};

// Every row read is accounted for.
struct RowCounts {
  std::int64_t read = 0;            // data rows (header excluded)
  std::int64_t used = 0;            // inside a monitoring period
  std::int64_t outside_periods = 0; // before, between or after the periods
  std::int64_t blank_lines = 0;
  std::int64_t missing_values = 0; // empty cells treated as the parameter declares
  std::int64_t duplicates = 0;     // identical repeated rows, kept once
};

// One unit's monitoring data day by day (local days), for the report's
// daily charts: what was read, before any treatment. Only monitored values
// summed over a period (aggregate: sum) are kept, so a day's value is the
// sum of its rows.
struct DailySeries {
  std::string unit;                  // project unit id
  std::string first_day;             // YYYY-MM-DD of index 0: the first day of the first period
  std::vector<std::int64_t> records; // rows used, per day
  std::vector<std::int64_t> missing; // intervals without a row (sources with an interval)
  std::vector<std::int64_t> treated; // values empty, out of range, under a calibration lapse,
                                     // or from a register rollover or replacement
  struct Values {
    std::string parameter; // monitored parameter id
    std::string unit;      // of the values
    std::vector<double> values;
  };
  std::vector<Values> parameters;
};

// How one data source was read and what its checks found, for the report's
// "Data sources" table. Gathered once per file and per source after reading
// (nothing per row): the declarations as they were applied, the interval
// as declared or inferred, the units the source speaks for, each file's
// rows and SHA-256, and each check's result. Every check that fails stops
// the calculation, so a result lists the checks passed and what they found.
struct DataFileRead {
  std::string path;
  std::string sha256; // "" when not hashed (CalcOptions::hash_data off)
  RowCounts rows;     // this file's share of CalcResult::rows
};
struct DataSourceColumn {
  std::string parameter, column, unit;
  bool cumulative = false;
  std::optional<double> rollover; // register size, in `unit`
  std::string header_unit;        // the unit the header names, "" when none
};
struct DataSourceCheck {
  std::string check;  // "header units", "decimal mark", "interval", ...
  std::string result; // what it found, in words
};
struct DataSourceFacts {
  std::string id;
  std::vector<DataFileRead> files;
  std::string encoding;  // "UTF-8" or the declared iconv name
  std::string delimiter; // ",", ";", "tab"
  std::string decimal;   // "." or the declared mark
  std::string thousands; // "" for none
  bool marks_declared = false;
  std::string timestamp_column;
  std::string timestamp_format; // "ISO 8601" or the declared pattern
  std::string marks;            // start, end
  std::string zone;             // how times without an offset are read: the site's utc_offset
  std::int64_t interval_seconds = 0;
  std::string interval_basis; // declared, inferred, irregular, none
  std::vector<DataSourceColumn> columns;
  std::vector<std::string> units; // the units it speaks for (empty: the site)
  std::string units_basis;        // one unit, declared, the rows, the site
  std::vector<DataSourceCheck> checks;
};

struct CalcResult {
  std::string mrv_version;
  std::string methodology;         // e.g. JCM_MN_AM003
  std::string methodology_version; // e.g. 02.0
  std::string project;
  std::string rounding; // floor, round, ceil
  // How the forms for people show each quantity (the methodology's).
  Presentation presentation;
  std::vector<InputFile> inputs;
  std::vector<SliceResult> periods;
  std::vector<SliceResult> years;  // with by_year
  std::vector<SliceResult> months; // with by_month
  std::vector<DailySeries> days;   // with by_day: one per unit
  RowCounts rows;
  std::vector<Treatment> treatments;
  std::vector<DataSourceFacts> sources; // one per data source, in project order
  std::vector<std::string> notes; // what the user should know (e.g. negative ER credited as 0)
  // What the data could not settle (an interval inferred, units without a
  // rating...): the result stands; --strict refuses it.
  std::vector<Diagnostic> warnings;
  // A methodology with sum_x: the project's earlier periods (`history:`).
  std::vector<HistoryUsed> history;
};

struct CalcOptions {
  bool by_year = false; // the calendar years of each period (the days of the year in it)
  bool by_month = false;
  bool by_unit = false;
  // Each unit's data per day (CalcResult::days) for the report's charts.
  // Left out, with a note, when it would take more than max_daily_values
  // numbers (units × days × (summed monitored values + 3)).
  bool by_day = false;
  // Any treatment of the data, anything the data cannot settle (a
  // warning), and a result that depends on a value not confirmed against the
  // official text (unless accepted below), is an error.
  bool strict = false;
  // Unconfirmed values accepted by name (Unconfirmed::name; a table's id
  // accepts its rows): marked accepted, and not refused by `strict`. A name
  // that is none of the methodology's is an error (ExitCode::usage).
  std::vector<std::string> accept_unconfirmed;
  // The SHA-256 of each data file, for the receipt (InputFile::sha256). A
  // caller whose output shows no receipt turns it off: on one core hashing
  // is about a sixth of the time of a large file. The methodology, table and
  // project files are always hashed (they are small).
  bool hash_data = true;
  // Threads that read one large data file in parts (each at least
  // `part_bytes`), with the same result as one: a file that cannot be split
  // exactly (see docs/performance.md) is read in one pass.
  unsigned jobs = 1;
  std::int64_t part_bytes = 16 << 20;
  // Replaces the files of the project's data sources: one path feeds the only
  // source (several paths are read in turn); "ID=PATH" names the source.
  std::vector<std::string> data_files;
  // Data held in memory (tests, programs embedding libmrv): a data file whose
  // path is a key here is read from the text instead of the file system.
  std::map<std::string, std::string> data_in_memory;
};

inline constexpr std::size_t max_daily_values = 8'000'000; // 64 MB

// The methodology file and the shared table files it reads (each once), as
// CalcResult::inputs lists them: paths inside the library as "bundled/...".
std::vector<InputFile> methodology_inputs(const Methodology& methodology);

Expected<CalcResult> calculate(const Methodology& methodology, const Project& project,
                               const CalcOptions& options);

// The embedded examples of a methodology, run through the same engine.
struct ExampleOutcome {
  std::string id;
  bool passed = false;
  std::vector<std::string> failures; // "RE_p: expected 797, got 796.9"
};
Expected<std::vector<ExampleOutcome>> run_examples(const Methodology& methodology);

} // namespace mrv
