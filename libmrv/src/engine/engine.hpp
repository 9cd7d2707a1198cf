// The evaluation core shared by `calc`, embedded examples and screening:
// binding ex-ante values, then evaluating equations level by level.
#pragma once

#include "model/compiled_methodology.hpp"
#include "mrv/calc.hpp"
#include "mrv/project.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mrv::detail {

// Values known before any monitoring data: fixed and ex-ante values, and
// the equations at project and unit level.
struct BoundValues {
  std::vector<double> project;
  std::vector<double> units; // unit_count × unit_slots
  std::size_t unit_count = 0;
  std::vector<std::string> unit_ids;
  // Monitored aggregates given directly (embedded examples), per unit, and
  // site values given so (slot in the period level).
  std::vector<std::vector<std::pair<int, double>>> preset_unit_period;
  std::vector<std::pair<int, double>> preset_period;
  // Per methodology index, the values the project uses (positions in
  // Index::values, in that order): what sum_j runs over.
  std::vector<std::vector<int>> index_values;
  // The earlier periods sum_x reads when the slice being evaluated is a
  // period (set by the caller before evaluating it): their period values
  // and ages. Empty for methodologies without sum_x.
  std::vector<PastPeriod> past;
  // The earlier periods written in a project's or example's `history:`,
  // oldest first: their period-level values (NaN but for those sum_x reads).
  std::vector<std::vector<double>> history;
};

// An earlier period as written (a project's `history:` or an example's):
// `name` names it in messages ("earlier period 'Y2019'").
struct HistoryInput {
  std::string name;
  const std::vector<ValueInput>* values = nullptr;
  Location location;
};

struct UnitValues {
  std::string id;
  Location location;
  const std::vector<ValueInput>* values;
  const ValueInput* rating = nullptr; // `rating:` as written, when the unit has one
};

// Binds values written in a project (or an example). Every ex-ante value the
// methodology needs must be there; names that are not parameters are errors.
// With `monitored_as_aggregates`, monitored parameters may be given per unit
// as period totals (examples); otherwise giving one is an error.
// `owner` names the file that should give the values (for "missing" errors).
// `indices` are the values of each index the project uses (all when not listed).
Expected<BoundValues> bind_values(const Methodology& m,
                                  const std::vector<ValueInput>& project_values,
                                  const std::vector<UnitValues>& units,
                                  bool monitored_as_aggregates, const Location& owner,
                                  const std::vector<ProjectIndex>& indices = {},
                                  const std::vector<HistoryInput>& history = {});

// The age of an earlier period at a later one, in years, from the first day
// of one to the first day of the other: whole calendar months count 1/12
// year each (2019-01-01 to 2021-01-01 is 2 years exactly), the days left
// over 1/365.25 year each.
double age_in_years(std::int64_t from_day, std::int64_t to_day);

// Per methodology index, the values a project's `indices:` lists (positions
// in Index::values, in that order), all of them for an index not listed;
// an unknown index or value is a located error.
Expected<std::vector<std::vector<int>>>
chosen_index_values(const Methodology& m, const std::vector<ProjectIndex>& chosen);

// The index values an equation or value of parameter `cp` has: {0} without an index.
std::span<const int> values_of(const BoundValues& bound, const CompiledParameter& cp);
// "j = 'food'": index `index`'s value `value`, as messages name it.
std::string index_value_text(const Methodology& m, int index, int value);

// An error at a value as written in a project or example file.
Diagnostic value_error(const ValueInput& input, std::string message);
// An equation without a finite value, and where (", for unit 'U' in period 'P'").
Diagnostic equation_error(const Methodology& m, std::size_t index, const std::string& where,
                          double value);

// The values of one slice (a period or a month of one) for the given units.
struct SliceValues {
  std::vector<double> unit_period; // unit_count × unit_period_slots
  std::vector<double> period;      // period_slots
};

// The frame the equations of `slice` are evaluated in: the project's and
// units' values, the slice's, the units Σ_i runs over (which must outlive
// it), the indices' values and the earlier periods sum_x reads.
EvalFrame slice_frame(const Methodology& m, const BoundValues& bound, const SliceValues& slice,
                      const std::vector<int>& units);

// Evaluates the unit-and-period and period equations. `inputs` holds the
// monitored aggregates: per unit and period, and the site values in
// `period` (which may be empty without site values); `units` are the units
// Σ_i runs over.
Expected<SliceValues> evaluate_slice(const Methodology& m, const BoundValues& bound,
                                     SliceValues inputs, const std::vector<int>& units,
                                     const std::string& slice_name);
// The same, in place: the equations' values are written into `slice`, for
// `units` only, so evaluating one unit of many costs one unit.
Status evaluate_slice_into(const Methodology& m, const BoundValues& bound, SliceValues& slice,
                           const std::vector<int>& units, const std::string& slice_name);

// RE, PE and ER of a slice in tCO2, whatever CO2e unit their parameters
// declare; `unit` for a unit's share (-1: the slice).
struct Outputs {
  double reference = 0, project = 0, reductions = 0;
};
Outputs slice_outputs(const Methodology& m, const BoundValues& bound, const SliceValues& slice,
                      int unit = -1);

// The inputs of a slice whose monitored values were given as period totals
// (embedded examples, ex-ante annual estimates): the bound presets laid
// out by slot. A monitored value left out would silently count as zero, so
// it is reported instead: `missing` is set to the (unit, parameter)
// indexes of the first one (unit npos: a site value), and nothing is laid out.
struct MissingTotal {
  std::size_t unit = 0, parameter = 0;
  int index_value = 0; // for a parameter that varies by an index
};
SliceValues inputs_from_totals(const Methodology& m, const BoundValues& bound,
                               std::optional<MissingTotal>& missing);

// The value of parameter `index` in a slice (whatever level it lives at).
double parameter_value(const Methodology& m, const BoundValues& bound, const SliceValues& slice,
                       std::size_t index, int unit, int index_value = 0);

// Trace entries for the parameters stored at `levels`, for unit `unit`: one
// per index value the project uses for a parameter that varies by an index.
std::vector<TraceValue> trace(const Methodology& m, const BoundValues& bound,
                              const SliceValues& slice, std::initializer_list<Level> levels,
                              int unit);

// Whether unit `u` declared a rating (the methodology has one and the unit gave it).
bool has_rating(const Methodology& m, const BoundValues& bound, std::size_t u);

// Parses a value as written ("12.5", "12.5 MWh", a key) for parameter `p`.
Expected<double> parse_value(const Parameter& p, const ValueInput& input);

} // namespace mrv::detail
