// The embedded examples of a methodology, run through the same engine as
// the monitoring data: each example gives its values per unit as period
// totals, and its expected results are compared within its tolerance.
#include "base/try.hpp"
#include "mrv/calc.hpp"

#include "engine/engine.hpp"

#include <fmt/format.h>

#include <cmath>

namespace mrv {

using namespace detail;

Expected<std::vector<ExampleOutcome>> run_examples(const Methodology& m) {
  std::vector<ExampleOutcome> outcomes;
  for (const Example& e : m.examples) {
    auto to_inputs = [](const std::vector<ExampleValue>& values) {
      std::vector<ValueInput> out;
      for (const ExampleValue& v : values)
        out.push_back(ValueInput{v.parameter, v.text, false, v.location, v.location, "", v.index,
                                 v.location});
      return out;
    };
    std::vector<ValueInput> project_values = to_inputs(e.values);
    std::vector<std::vector<ValueInput>> unit_values;
    for (const ExampleUnit& u : e.units)
      unit_values.push_back(to_inputs(u.values));
    std::vector<UnitValues> units;
    for (std::size_t u = 0; u < e.units.size(); ++u)
      units.push_back({e.units[u].id, e.location, &unit_values[u]});
    std::vector<ProjectIndex> indices;
    for (const IndexChoice& choice : e.indices)
      indices.push_back(ProjectIndex{choice.index, choice.values, {}, choice.location});
    std::vector<std::vector<ValueInput>> history_values;
    for (const ExampleHistory& h : e.history)
      history_values.push_back(to_inputs(h.values));
    std::vector<HistoryInput> history;
    for (std::size_t k = 0; k < e.history.size(); ++k)
      history.push_back(
          {fmt::format("the earlier period of example '{}' (age {} yr)", e.id, e.history[k].age),
           &history_values[k], e.history[k].location});
    BoundValues bound =
        MRV_TRY(bind_values(m, project_values, units, true, e.location, indices, history));
    for (std::size_t k = 0; k < e.history.size(); ++k)
      bound.past.push_back({bound.history[k].data(), e.history[k].age});
    // Every monitored (and per-record) value is given per unit as its period total.
    std::optional<MissingTotal> missing;
    SliceValues in = inputs_from_totals(m, bound, missing);
    if (missing) {
      const Parameter& p = m.parameters[missing->parameter];
      const std::string value =
          p.index < 0 ? "" : " for " + index_value_text(m, p.index, missing->index_value);
      return error_at(
          e.location,
          missing->unit == std::string::npos
              ? fmt::format("example '{}' does not give the site value '{}'{} (its "
                            "period {}) with its values",
                            e.id, p.id, value, aggregate_name(p.aggregate))
              : fmt::format("example '{}': unit '{}' does not give '{}'{} (its period {})", e.id,
                            e.units[missing->unit].id, p.id, value, aggregate_name(p.aggregate)));
    }
    std::vector<int> all_units(bound.unit_count);
    for (std::size_t u = 0; u < bound.unit_count; ++u)
      all_units[u] = static_cast<int>(u);
    SliceValues values =
        MRV_TRY(evaluate_slice(m, bound, std::move(in), all_units, "example '" + e.id + "'"));
    ExampleOutcome outcome;
    outcome.id = e.id;
    for (const auto& [name, expected] : e.expected) {
      double got;
      if (name == "credited") {
        got = static_cast<double>(
            credited_tonnes(slice_outputs(m, bound, values).reductions, m.rounding));
      } else {
        std::size_t index = static_cast<std::size_t>(m.parameter(name) - m.parameters.data());
        Level level = m.compiled->parameters[index].level;
        if (level == Level::unit || level == Level::unit_period) {
          outcome.failures.push_back(
              fmt::format("{}: a per-unit value cannot be an expected result", name));
          continue;
        }
        if (m.compiled->parameters[index].index >= 0) {
          outcome.failures.push_back(
              fmt::format("{}: a value per index value cannot be an expected result", name));
          continue;
        }
        got = parameter_value(m, bound, values, index, -1);
      }
      double tolerance = e.tolerance * std::max(1.0, std::fabs(expected));
      if (!(std::fabs(got - expected) <= tolerance))
        outcome.failures.push_back(fmt::format("{}: expected {}, got {}", name, expected, got));
    }
    outcome.passed = outcome.failures.empty();
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

} // namespace mrv
