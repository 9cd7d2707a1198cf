// A methodology: one approved JCM methodology version, loaded from YAML,
// unit-checked and compiled. The format is documented in
// docs/methodology-format.md.
#pragma once

#include "mrv/diagnostic.hpp"
#include "mrv/units.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrv {

// Where a value lives: the granularity at which it has one value.
enum class Level {
  project,     // one value for the project (a default, an ex-ante choice)
  unit,        // one value per unit of equipment i
  record,      // one value per monitoring record (row) of a unit
  unit_period, // one value per unit i and monitoring period p
  period,      // one value per monitoring period p
};
const char* level_name(Level level);

enum class ParameterKind {
  monitored,  // measured ex post, read from data
  fixed,      // fixed ex ante by the methodology (a default value or table)
  ex_ante,    // chosen or measured ex ante by the project
  calculated, // an equation
};
const char* kind_name(ParameterKind kind);

// How record values of a monitored quantity combine over a period.
enum class Aggregate { sum, mean, min, max, first, last };
const char* aggregate_name(Aggregate aggregate);

// What a missing (empty) value in the data means for a monitored parameter.
enum class MissingValue {
  error, // stop with an error naming the row
  zero,  // contributes nothing (conservative for a reference-side quantity)
};

struct Provenance {
  std::string document; // e.g. "JCM_MN_AM003_ver02.0" or an additional-information note
  std::string section;  // equation, table, page or section
  std::string url;
  std::string note;
  bool confirmed = false; // read in the official text
};

struct Parameter {
  std::string id;     // identifier used in formulas, e.g. EG_i_p
  std::string symbol; // the official notation, e.g. "EG_i,p"
  std::string description;
  ParameterKind kind = ParameterKind::calculated;
  // Monitored values are per record (and summarised per unit and period),
  // or, with `per: period`, measured for the whole site (summarised per
  // period; read from a data source without units); for equations the
  // level follows from the formula, checked against `level_declared` when
  // the file says `per:`.
  Level level = Level::project;
  bool level_declared = false;
  Unit unit;
  // A key parameter holds one of a fixed set of texts (a connection case, a grid).
  bool is_key = false;
  std::vector<std::string> key_values;
  std::string option;     // monitoring option "A", "B" or "C" (empty when not applicable)
  std::string monitoring; // how and how often it is monitored, as the text says
  Aggregate aggregate = Aggregate::sum;
  MissingValue missing = MissingValue::error;
  std::optional<double> minimum, maximum; // allowed range, in `unit`
  std::optional<double> value;            // fixed value (fixed parameters without formula)
  std::string formula;                    // source text of the equation, if any
  Provenance source;
  Location location;
  // The index (Methodology::indices) the value varies by, besides the
  // units: declared with `index:` or, for an equation, inferred from its
  // formula; -1: none.
  int index = -1;
  bool index_declared = false;
};

// A category a methodology sums over besides the units of equipment i (waste
// types j, fuels k, gases g, products), declared under `indices:`; a value
// varying by it has one value per index value (docs/methodology-format.md#indices).
struct Index {
  std::string name;        // "j": summed by sum_j(...), a key of its values in formulas
  std::string description; // "waste type"
  std::vector<std::string> values;
  Location location;
};

// A monitored value measured for the whole site, not per unit (`per: period`).
inline bool is_site_value(const Parameter& p) {
  return p.kind == ParameterKind::monitored && p.level == Level::period;
}

struct TableRow {
  std::vector<std::string> keys; // key tables: one text per key column
  double from = 0, to = 0;       // band tables: [from, to)
  double value = 0;
  Provenance source; // when a row has its own source
};

struct Table {
  std::string id;
  std::string title;
  Unit unit;                     // unit of the values
  std::vector<std::string> keys; // key column names (key tables)
  bool banded = false;           // band table: looked up by a number
  Unit band_unit;
  std::vector<TableRow> rows;
  std::string version; // the table's own version or data years (a shared file's `edition`)
  Provenance source;
  Location location; // where the methodology defines or references it
  // A shared table (methodologies/tables/<use>_v<use_version>.yaml) referenced
  // by `{use: ID, version: V}`; all empty for a table written inline.
  std::string use;         // the shared table's id, e.g. GWP_AR4
  std::string use_version; // its version, e.g. "1"
  std::string file;        // the path it was read from
  std::string sha256;      // of the file's bytes
};

struct Criterion {
  std::string id;
  std::string text;    // the official wording
  std::string formula; // a boolean formula over ex-ante values, when checkable
  Provenance source;
};

// What a unit's rating is (rated output, capacity) and which monitored
// values it bounds: a value of one row, or a register difference, above its
// bound is refused (docs/methodology-format.md#ratings).
struct RatingBound {
  std::string parameter; // a monitored parameter
  // The most one row can hold, over `rating_i` (with a rating), `interval`
  // (the time the row or register difference covers) and ex-ante values:
  // "rating_i * interval * 1.1", "Q_PJ_i * interval / 2".
  std::string formula;
  std::string note; // why this bound
  Location location;
};
struct Rating {
  // What a project's `rating:` is ("rated AC output") and its unit; none
  // when every bound is over ex-ante values only (a chiller's capacity).
  std::string description;
  std::optional<Unit> unit;
  std::vector<RatingBound> bounds;
  Location location;
};

enum class Rounding { floor, round, ceil };
const char* rounding_name(Rounding rounding);

// Rounds ER to whole tonnes by `rule` after taking it at 15 significant
// digits, as a spreadsheet shows it (so 4.35 × 100 credits 435, not 434).
// Negative reductions credit nothing.
std::int64_t credited_tonnes(double reductions, Rounding rule);
// Reductions of a period at or beyond this (1e15 tCO2) are refused as errors.
inline constexpr double max_creditable = 1e15;

// An embedded example: inputs at the period level and the expected outcome.
struct ExampleValue {
  std::string parameter;
  std::string text; // as written ("12.5", "12.5 MWh", "national_grid")
  Location location;
  std::string index; // an indexed value's index value ("food"), else empty
};
// The values of an index an example (or a project) uses, when not all.
struct IndexChoice {
  std::string index; // the index name
  std::vector<std::string> values;
  Location location;
};
// An earlier period of an example: its age in years at the example's
// period and the values sum_x reads in it.
struct ExampleHistory {
  double age = 0;
  std::vector<ExampleValue> values;
  Location location;
};
struct ExampleUnit {
  std::string id;
  std::vector<ExampleValue> values;
};
struct Example {
  std::string id;
  std::string description;
  std::vector<ExampleValue> values; // project-level values
  std::vector<ExampleUnit> units;
  std::vector<std::pair<std::string, double>> expected; // parameter or "credited" → value
  double tolerance = 1e-9;                              // relative
  Location location;
  std::vector<IndexChoice> indices;    // `indices:`, when the example uses fewer values
  std::vector<ExampleHistory> history; // `history:`, the earlier periods sum_x reads
};

// How the forms for people (the report, `mrv calc`'s table and md, the
// xlsx number formats) show each quantity: a number of decimals by
// parameter, else by unit, else a default by dimension (CO2e mass and
// energy 3, pure numbers 4; any other quantity in its shortest round-trip
// form). The calculation and the machine forms (csv, tsv, json, jsonl) keep
// every digit. docs/methodology-format.md#presentation.
struct Presentation {
  struct Rule {
    std::string name; // a parameter id, or a unit as the file writes it
    int decimals = 0; // 0 to max_decimals
    Location location;
  };
  std::vector<Rule> units;      // unit → decimals
  std::vector<Rule> parameters; // parameter id → decimals

  static constexpr int max_decimals = 12;
  // The decimals of a value of `parameter` (may be "") in `unit` (as a
  // parameter's unit text writes it); nothing: the shortest round-trip form.
  std::optional<int> decimals(std::string_view parameter, std::string_view unit) const;
  // The decimals of an amount in tCO2 (RE, PE, ER and effects on ER).
  std::optional<int> tonnes() const { return decimals("", "tCO2"); }
};

struct CompiledMethodology; // internal: the compiled equations

struct Methodology {
  std::string id;      // e.g. JCM_MN_AM003
  std::string version; // e.g. 02.0
  std::string title;
  std::vector<std::string> countries;
  std::string family; // solar-pv, chiller, boiler, transformer, fgas
  std::string category;
  std::string sectoral_scope;
  std::string source_url;
  std::string status;   // valid, draft...
  std::string approved; // date of approval
  Provenance source;
  std::vector<Parameter> parameters;
  std::vector<Index> indices; // besides the units i, in the order declared
  std::vector<Table> tables;
  std::vector<Criterion> criteria;
  std::optional<Rating> rating;
  Rounding rounding = Rounding::floor;
  Provenance rounding_source;
  Presentation presentation; // `presentation:`, or the defaults
  // The parameters that are RE_p, PE_p and ER_p (period level, CO2e mass).
  std::string reference_emissions, project_emissions, emission_reductions;
  std::vector<Example> examples;
  std::string file;   // where it was loaded from
  std::string sha256; // of the file's bytes
  std::shared_ptr<const CompiledMethodology> compiled;

  std::string full_id() const { return id + "_ver" + version; }
  const Parameter* parameter(const std::string& id) const;
  const Table* table(const std::string& id) const;
};

// Loads and compiles a methodology from YAML text; `file` names it in
// diagnostics. Unknown symbols, cycles, dimension errors and malformed YAML
// are reported with the file, line and column of the offending token.
Expected<Methodology> load_methodology(std::string text, std::string file);
Expected<Methodology> load_methodology_file(const std::string& path);

// The bundled library: methodologies/*.yaml under the first directory that
// exists of $MRV_METHODOLOGIES, the source tree and the install prefix.
std::string methodology_directory();
// Where shared tables live: <methodology_directory()>/tables.
std::string table_directory();
// Reads one shared table file, <table_directory()>/<id>_v<version>.yaml, as a
// methodology referencing it would (its `use` and `use_version` set, `id` = id).
Expected<Table> load_shared_table(const std::string& id, const std::string& version);
// Reads a shared table file from any path, its id and version taken from its
// name (<id>_v<version>.yaml), as `mrv methodology check FILE` validates it.
Expected<Table> load_table_file(const std::string& path);
// Whether `text` is a shared table file (`mrv: table/1` at the top level).
bool is_table_file_text(std::string_view text);
// A path inside the library as receipts name it ("bundled/tables/GWP_AR4_v1.yaml"),
// so results do not depend on where mrv is installed; other paths unchanged.
std::string library_relative_path(const std::string& path);
std::vector<std::string> bundled_methodology_files();
// Resolves "JCM_MN_AM003_ver02.0", "JCM_MN_AM003" (latest version) or a path.
Expected<Methodology> find_methodology(const std::string& id_or_path);

// The equations as they run, in readable form: "RE_p = sum_i(EG_i_p * EF_RE_i)".
std::string describe_equation(const Methodology& methodology, const std::string& parameter_id);

} // namespace mrv
