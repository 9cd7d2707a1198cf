// The conservative treatment of imperfect data, decided per period.
//
// Whether a parameter raises or lowers ER is read from the equations
// themselves (ER is evaluated with the parameter nudged up), so no
// methodology has to declare it: a gap or an empty value in a
// reference-side quantity contributes nothing, one in a project-side
// quantity is filled (as the project declares, else with the largest
// interval value seen; a unit-period with no value at all is refused); a
// value measured while calibration was overdue is lowered (reference side)
// or raised (project side) by the meter's error; a register difference over
// an outage across a period boundary gives each period the least (reference
// side) or the most (project side) its rating allows. Every treatment is
// listed with its real amount and its effect on ER.
#pragma once

#include "engine/series.hpp"

#include <functional>
#include <string>
#include <vector>

namespace mrv::detail {

struct TreatmentPlan {
  // Amounts added to each summary: months × units × aggregated parameters,
  // indexed like Aggregation::at.
  std::vector<double> adjustments;
  std::vector<Treatment> treatments;
};

// ER of the period (tCO2) with the given adjustments applied: `all` over
// every unit; `one_unit` (set when ER is a sum over the units,
// CompiledMethodology::reductions_additive_in_units) over unit u alone, so
// that a change to one unit costs one unit's evaluation, not every unit's.
struct PeriodReductions {
  std::function<Expected<double>(const std::vector<double>& adjustments)> all;
  std::function<Expected<double>(std::size_t unit, const std::vector<double>& adjustments)>
      one_unit;
};

Expected<TreatmentPlan> plan_treatments(const Methodology& m, const Project& project,
                                        const BoundValues& bound, const Aggregation& aggregation,
                                        const std::vector<std::size_t>& period_months,
                                        const std::string& period_id,
                                        const PeriodReductions& reductions);

} // namespace mrv::detail
