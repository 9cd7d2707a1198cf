// A project: the ex-ante values, the units of equipment, the monitoring
// periods and where the monitoring data is. Format: docs/project-format.md.
#pragma once

#include "mrv/credit_terms.hpp"
#include "mrv/diagnostic.hpp"
#include "mrv/units.hpp"

#include <cstdint>
#include <optional>
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
  // A value of a parameter that varies by an index (`DOC_j: {food: 0.15}`):
  // the index value it is for, and where that is written; empty otherwise.
  std::string index = {};
  Location index_location = {};
};

// Where the project took an ex-ante value from (a document, a page) and
// what proves it (certificate ids, photographs, file names), when the value
// is written `{value, unit, source, evidence}`: shown in the report's
// "Evidence of ex-ante values" table.
struct ValueEvidence {
  std::string parameter;
  std::string index; // the index value it is for (`DOC_j: {food: {value: ...}}`), or ""
  std::string unit;  // the unit of equipment whose value it is; "" at project level
  std::string source;
  std::vector<std::string> evidence;
  Location location;
};

// A value above what a unit's rating allows, which the project explains
// (a logger's buffer flushed after an outage): accepted and listed.
struct RatingException {
  std::int64_t time = 0; // the row's timestamp, seconds since the epoch, UTC
  std::string why;
  Location location;
};

struct ProjectUnit {
  std::string id;
  std::vector<ValueInput> values;
  // What the equipment can do (`rating: "4 MW"`): bounds the monitored
  // values the methodology's rating bounds. Empty text: not declared.
  ValueInput rating;
  std::vector<RatingException> above_rating;
  Location location;
};

struct MonitoringPeriod {
  std::string id;
  std::int64_t first_day = 0; // days since 1970-01-01, inclusive
  std::int64_t last_day = 0;  // inclusive
  Location location;
};

enum class TimestampMarks { start, end }; // which end of its interval a timestamp marks

// What a value outside the allowed range (negative, above `maximum`, or
// outside the parameter's range) does.
enum class OutOfRange { error, gap };

// How a cumulative register's difference that spans an outage across a
// period boundary is shared between the periods: `conservative` gives each
// period only what the unit's rating proves was there (on the reference
// side; the most it could have been on the project side); `time` shares it
// by time, as the project declares.
enum class SpanSplit { conservative, time };

struct ColumnMapping {
  std::string column;    // header text in the CSV
  std::string parameter; // monitored parameter id
  Unit unit;             // unit of the column's values
  // Cumulative register readings are turned into intervals per unit.
  bool cumulative = false;
  bool reading_declared =
      false; // `reading:` was written (interval values that only rise are then trusted)
  std::optional<double> rollover; // register size: a reading wraps to 0 at this value
  std::optional<double> maximum;  // largest plausible interval value, in `unit`
  OutOfRange out_of_range = OutOfRange::error;
  SpanSplit split = SpanSplit::conservative;
  Location location;
  Location unit_location; // of the declared `unit:`
  // For a parameter that varies by an index, the index value the column
  // gives (`W_j_p[food]: {column: food_t, unit: t}`); empty otherwise.
  std::string index = {};
};

// A time format for timestamps that are not ISO 8601: strftime-like
// ("%Y/%m/%d %H:%M", "%d.%m.%Y %H:%M") or "excel" (serial day numbers).
struct TimestampFormat {
  std::string pattern; // empty: ISO 8601
};

struct DataSource {
  std::string id;
  std::string file; // resolved against the project file's folder; "-" is stdin
  char delimiter = ',';
  std::string encoding; // "" (UTF-8) or an iconv name such as CP932
  char decimal_point = '.';
  char thousands_separator = 0;        // 0: none
  bool number_format_declared = false; // `decimal:` or `thousands:` written
  std::string timestamp_column;
  TimestampFormat timestamp_format;
  TimestampMarks marks = TimestampMarks::start;
  std::int64_t interval_seconds = 0; // declared sampling interval; 0: inferred from the rows
  bool interval_irregular = false;   // `interval: irregular`: batches or events, no interval
  std::string unit_column;           // a column naming the unit of each row, or
  std::string constant_unit;         // the one unit all rows belong to; with neither,
                                     // the rows are the site's (site values, `per: period`)
  // With a unit column, the units the source speaks for (`units:`); empty:
  // the units it has rows of (inferred, and said so).
  std::vector<std::string> covers;
  std::vector<ColumnMapping> columns;
  Location location;
  bool site() const { return unit_column.empty() && constant_unit.empty(); }
};

// A meter's calibration history: a value measured outside every validity
// window is corrected by the error found at the late calibration, or else the
// maximum permissible error, in the conservative direction.
struct Calibration {
  std::int64_t first_day = 0, last_day = 0; // validity, inclusive
  std::optional<double> error_found;        // fraction, found at the calibration that ended a lapse
  // When the calibration was made (`date:`; the validity starts then unless
  // `from:` says later), and the certificate that records it.
  std::optional<std::int64_t> made_day;
  std::string certificate;
  Location location;
};

struct MeterReplacement {
  std::int64_t time = 0;  // seconds since the epoch, UTC
  double old_final = 0;   // last reading of the old meter, in the column's unit
  double new_initial = 0; // first reading of the new meter
  Location location;
};

struct Meter {
  std::string serial;
  std::string model;          // the maker's model, as on the nameplate
  std::string accuracy_class; // as the meter's standard states it ("0.5S", "class 1")
  std::string unit;           // project unit id
  std::string parameter;      // monitored parameter id
  double max_error = 0;       // maximum permissible error, a fraction
  bool max_error_declared = false;
  std::vector<Calibration> calibrations;
  std::vector<MeterReplacement> replacements;
  Location location;
};

// How a project-side quantity's missing intervals are filled (`fills:`):
// with the most the unit can do (the methodology's bound; the default where
// there is one), with the largest interval value seen in the month (else
// the period), or with an amount per interval. Only the bound and an amount
// are independent of the data, so that removing rows can never raise ER.
enum class FillRule { bound, largest, amount };
struct Fill {
  std::string parameter;
  FillRule rule = FillRule::bound;
  ValueInput value; // FillRule::amount: per interval ("120 kWh")
  Location location;
};

// The values of a methodology's index a project uses (`indices: {j: [food, paper]}`).
struct ProjectIndex {
  std::string index = {};
  std::vector<std::string> values;
  std::vector<Location> value_locations;
  Location location;
};

// An earlier monitoring period, from an earlier monitoring report: the
// values of it that the methodology's sums over earlier periods (sum_x)
// read, and where they come from.
struct HistoryPeriod {
  std::string id;
  std::int64_t first_day = 0, last_day = 0; // days since 1970-01-01, inclusive
  std::string source;                       // the earlier report: document, date, table
  std::vector<ValueInput> values;
  Location location;
};

// A contribution to the Sustainable Development Goals the project declares
// (`co_benefits:`): the goal (1 to 17) and its targets ("7.2", "13.a"), checked
// against the UN list of targets (sdg_targets), the indicator, the value and
// what proves it. Shown in the report as declared: mrv computes none of them.
struct CoBenefit {
  int goal = 0;
  std::vector<std::string> targets;
  std::string indicator;
  std::string value;
  std::vector<std::string> evidence;
  Location location;
};

// What the project declares about the use of its credits (`credits:`): the
// host country's authorisation, the corresponding adjustment and the uses
// intended (NDC, CORSIA...). `mrv report` and `mrv verify` assess each
// period against the rules of each intended use that has a rules file
// (docs/schemes.md#rules-of-use-corsia).
struct CreditsDeclaration {
  std::string programme = "JCM"; // the programme that issues the credits
  struct Authorisation {
    std::string host_country;
    std::string reference; // the letter of authorisation
    std::optional<std::int64_t> day;
    std::vector<std::string> uses; // what the letter authorises
  };
  std::optional<Authorisation> authorisation;
  // Whether the host country applies a corresponding adjustment for the
  // credits, and where that is recorded; nothing: not declared.
  std::optional<bool> corresponding_adjustment;
  std::string adjustment_reference;
  std::vector<std::string> intended_uses; // NDC, CORSIA, OIMP, voluntary
  std::vector<std::string> evidence;
  Location location;
};

// The uses a project may intend or a host country authorise (NDC, CORSIA,
// OIMP: other international mitigation purposes, voluntary).
const std::vector<std::string>& credit_use_names();

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
  std::vector<Meter> meters;
  std::vector<Fill> fills;
  // How issued credits are split among the parties (`credit_terms:`), read
  // by `mrv allocate PROJECT` and `mrv report`; nothing when not written.
  std::optional<CreditTerms> credit_terms;
  std::vector<ValueEvidence> value_evidence; // in file order
  std::vector<CoBenefit> co_benefits;
  std::optional<CreditsDeclaration> credits;
  std::string file;   // where it was loaded from
  std::string sha256; // of the file's bytes
  // The values of each methodology index the project uses (`indices:`);
  // an index not listed: all its values.
  std::vector<ProjectIndex> indices;
  // Earlier periods whose values sum_x reads (`history:`), oldest first.
  std::vector<HistoryPeriod> history;
};

Expected<Project> load_project(std::string text, std::string file);
Expected<Project> load_project_file(const std::string& path);

} // namespace mrv
