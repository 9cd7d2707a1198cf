// The compiled form of a methodology: where each value is stored, the
// equations in dependency order, and the compiled criteria.
#pragma once

#include "data/yaml_tree.hpp"
#include "model/formula.hpp"
#include "mrv/methodology.hpp"

#include <memory>
#include <vector>

namespace mrv {

struct CompiledParameter {
  Level level = Level::project; // where its value is stored (monitored: unit_period)
  int slot = -1;
  int record_slot = -1; // monitored and per-record values
  // The index it varies by (Methodology::indices), -1: none; its value for
  // index value v is at slot + v (and record_slot + v).
  int index = -1;
  bool has_formula = false;
  detail::CompiledFormula formula;
};

struct CompiledCriterion {
  bool has_formula = false;
  detail::CompiledFormula formula;
};

struct CompiledMethodology {
  std::vector<CompiledParameter> parameters; // parallel to Methodology::parameters
  std::vector<CompiledCriterion> criteria;   // parallel to Methodology::criteria
  std::vector<int> order;                    // parameters with formulas, dependencies first
  int project_slots = 0, unit_slots = 0, record_slots = 0, unit_period_slots = 0, period_slots = 0;
  int reference_parameter = -1, project_emissions_parameter = -1, reductions_parameter = -1;
  // ER is a sum of each unit's own terms (and of terms that depend on no
  // unit): a change to one unit's values changes ER by exactly the change of
  // ER over that unit alone, so the treatments evaluate one unit, not all.
  bool reductions_additive_in_units = false;
  // With a rating: its unit-level slot (NaN for a unit without one), the
  // project-level slot `interval` (seconds) is set in before evaluating a
  // bound, and each bound's formula, parallel to Methodology::rating->bounds.
  int rating_slot = -1, interval_slot = -1;
  std::vector<detail::CompiledFormula> bounds;
  std::vector<std::size_t> bound_parameters; // index into Methodology::parameters
  std::vector<bool> bound_uses_rating;       // the bound needs the unit's rating
  // Some equation sums over the earlier periods (sum_x), reading these
  // parameters (indexes into Methodology::parameters) at each.
  bool reads_past = false;
  std::vector<std::size_t> past_parameters;
};

} // namespace mrv

namespace mrv::detail {

// Compiles the formulas of a methodology whose structure is loaded. The
// nodes are the YAML scalars holding each parameter's and criterion's
// formula (nullptr when it has none), so errors point into the file.
Expected<std::shared_ptr<const CompiledMethodology>>
compile_methodology(Methodology& methodology, const YamlDocument& document,
                    const std::vector<const YamlNode*>& parameter_formulas,
                    const std::vector<const YamlNode*>& criterion_formulas,
                    const std::vector<const YamlNode*>& bound_formulas);

} // namespace mrv::detail
