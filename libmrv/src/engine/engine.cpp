#include "engine/engine.hpp"
#include "base/try.hpp"

#include "data/text_number.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include <cmath>

namespace mrv::detail {

Diagnostic value_error(const ValueInput& input, std::string message) {
  Diagnostic d = error_at(input.location, std::move(message));
  d.source_line = input.source_line;
  d.caret_length = static_cast<int>(std::max<std::size_t>(1, input.text.size()));
  return d;
}

Diagnostic equation_error(const Methodology& m, std::size_t index, const std::string& where,
                          double value) {
  const Parameter& p = m.parameters[index];
  return error_at(
      p.location,
      fmt::format("equation '{}' gives {} {}: a lookup with no matching row, a division by zero "
                  "or a value out of range",
                  p.id, std::isnan(value) ? "no value" : "an infinite value", where));
}

std::string index_value_text(const Methodology& m, int index, int value) {
  const Index& i = m.indices[static_cast<std::size_t>(index)];
  return fmt::format("{} = '{}'", i.name, i.values[static_cast<std::size_t>(value)]);
}

std::span<const int> values_of(const BoundValues& bound, const CompiledParameter& cp) {
  // A view, not a copy: the equations of every slice ask, for every parameter.
  static constexpr int kOnly[] = {0};
  if (cp.index < 0) return kOnly;
  return bound.index_values[static_cast<std::size_t>(cp.index)];
}

bool has_rating(const Methodology& m, const BoundValues& bound, std::size_t u) {
  const int slot = m.compiled->rating_slot;
  return slot >= 0 && !std::isnan(bound.units[u * static_cast<std::size_t>(m.compiled->unit_slots) +
                                              static_cast<std::size_t>(slot)]);
}

Expected<double> parse_value(const Parameter& p, const ValueInput& input) {
  if (p.is_key) {
    for (std::size_t k = 0; k < p.key_values.size(); ++k)
      if (p.key_values[k] == input.text) return static_cast<double>(k);
    Diagnostic d = value_error(
        input, fmt::format("'{}' must be one of: {}", p.id, fmt::join(p.key_values, ", ")));
    std::string hint = closest_match(input.text, p.key_values);
    if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
    return d;
  }
  // "12.5" in the parameter's unit, or "12.5 MWh" converted from MWh.
  std::string_view text = input.text;
  std::size_t space = text.find(' ');
  std::string_view number_text = space == std::string_view::npos ? text : text.substr(0, space);
  std::optional<double> number = parse_number(number_text);
  if (!number)
    return value_error(input, p.unit.text == "1"
                                  ? fmt::format("'{}' must be a number, not '{}'", p.id, input.text)
                                  : fmt::format("'{}' must be a number in {} (or a number with a "
                                                "unit, \"12.5 {}\"), not '{}'",
                                                p.id, p.unit.text, p.unit.text, input.text));
  double value = *number;
  // A bare number between 0 and 1 for a value in %: a fraction (0.9 for 90 %)
  // would be taken as 0.9 %, a hundred times off. The writer says which.
  if (space == std::string_view::npos && p.unit.text == "%" && value > 0 && value <= 1)
    return value_error(
        input, fmt::format("'{}' is in %: {} would be {} %, a fraction of a per cent; write "
                           "\"{} %\" if that is meant, or the per cent ({}) if {} is a fraction",
                           p.id, number_text, number_text, number_text, format_number(value * 100),
                           number_text));
  if (space != std::string_view::npos) {
    UnitParseError e;
    std::optional<Unit> unit = parse_unit(text.substr(space + 1), &e);
    if (!unit) return value_error(input, e.message);
    if (!same_dimension(*unit, p.unit))
      return value_error(input, fmt::format("'{}' is {} [{}]; '{}' is {}", p.id,
                                            p.unit.dimension.describe(), p.unit.text, unit->text,
                                            unit->dimension.describe()));
    value = convert_value(value, *unit, p.unit);
  }
  if ((p.minimum && value < *p.minimum) || (p.maximum && value > *p.maximum))
    return value_error(input,
                       fmt::format("'{}' = {} is outside its allowed range [{}, {}] {}", p.id,
                                   value, p.minimum ? fmt::format("{}", *p.minimum) : "-inf",
                                   p.maximum ? fmt::format("{}", *p.maximum) : "inf", p.unit.text));
  return value;
}

SliceValues inputs_from_totals(const Methodology& m, const BoundValues& bound,
                               std::optional<MissingTotal>& missing) {
  const CompiledMethodology& c = *m.compiled;
  const auto slots = static_cast<std::size_t>(c.unit_period_slots);
  missing.reset();
  auto given = [](const std::vector<std::pair<int, double>>& presets, int slot) {
    return std::any_of(presets.begin(), presets.end(),
                       [&](const auto& preset) { return preset.first == slot; });
  };
  for (std::size_t i = 0; i < m.parameters.size(); ++i) {
    const CompiledParameter& cp = c.parameters[i];
    if (cp.record_slot < 0) continue;
    for (int v : values_of(bound, cp)) {
      if (is_site_value(m.parameters[i])) {
        if (!given(bound.preset_period, cp.slot + v)) {
          missing = MissingTotal{std::string::npos, i, v};
          return {};
        }
        continue;
      }
      for (std::size_t u = 0; u < bound.unit_count; ++u)
        if (!given(bound.preset_unit_period[u], cp.slot + v)) {
          missing = MissingTotal{u, i, v};
          return {};
        }
    }
  }
  SliceValues inputs;
  inputs.unit_period.assign(bound.unit_count * slots, 0.0);
  for (std::size_t u = 0; u < bound.unit_count; ++u)
    for (const auto& [slot, value] : bound.preset_unit_period[u])
      inputs.unit_period[u * slots + static_cast<std::size_t>(slot)] = value;
  inputs.period.assign(static_cast<std::size_t>(c.period_slots), std::nan(""));
  for (const auto& [slot, value] : bound.preset_period)
    inputs.period[static_cast<std::size_t>(slot)] = value;
  return inputs;
}

Expected<SliceValues> evaluate_slice(const Methodology& m, const BoundValues& bound,
                                     SliceValues inputs, const std::vector<int>& units,
                                     const std::string& slice_name) {
  SliceValues s = std::move(inputs);
  MRV_TRY(evaluate_slice_into(m, bound, s, units, slice_name));
  return s;
}

Outputs slice_outputs(const Methodology& m, const BoundValues& bound, const SliceValues& slice,
                      int unit) {
  static const Unit tonnes = *parse_unit("tCO2");
  const auto value = [&](int parameter) {
    const auto index = static_cast<std::size_t>(parameter);
    return parameter_value(m, bound, slice, index, unit) *
           conversion_factor(m.parameters[index].unit, tonnes);
  };
  const CompiledMethodology& c = *m.compiled;
  return {value(c.reference_parameter), value(c.project_emissions_parameter),
          value(c.reductions_parameter)};
}

namespace {

// One equation per unit and period (or per period) for index value `v`
// (0 without an index), into the slice.
Status evaluate_equation(const Methodology& m, const BoundValues& bound, SliceValues& s,
                         const std::vector<int>& units, const std::string& slice_name,
                         std::size_t i, int v, EvalFrame& frame) {
  const CompiledParameter& cp = m.compiled->parameters[i];
  const std::string index_note = cp.index < 0 ? "" : " (" + index_value_text(m, cp.index, v) + ")";
  const auto slot = static_cast<std::size_t>(cp.slot + v);
  if (cp.level == Level::period) {
    const double value = evaluate_scalar(cp.formula.expr, frame);
    if (!std::isfinite(value)) return equation_error(m, i, "in " + slice_name + index_note, value);
    s.period[slot] = value;
    return Ok{};
  }
  for (int u : units) {
    frame.unit = u;
    const double value = evaluate_scalar(cp.formula.expr, frame);
    if (!std::isfinite(value))
      return equation_error(m, i,
                            fmt::format("for unit '{}' in {}{}",
                                        bound.unit_ids[static_cast<std::size_t>(u)], slice_name,
                                        index_note),
                            value);
    s.unit_period[static_cast<std::size_t>(u) * frame.unit_period_stride + slot] = value;
  }
  frame.unit = -1;
  return Ok{};
}

} // namespace

EvalFrame slice_frame(const Methodology& m, const BoundValues& bound, const SliceValues& slice,
                      const std::vector<int>& units) {
  const CompiledMethodology& c = *m.compiled;
  EvalFrame frame;
  frame.project = bound.project.data();
  frame.units = bound.units.data();
  frame.unit_stride = static_cast<std::size_t>(c.unit_slots);
  frame.unit_period = slice.unit_period.data();
  frame.unit_period_stride = static_cast<std::size_t>(c.unit_period_slots);
  frame.period = slice.period.data();
  frame.sum_units = units.data();
  frame.sum_unit_count = units.size();
  frame.index_values = &bound.index_values;
  frame.past_periods = bound.past.data();
  frame.past_period_count = bound.past.size();
  return frame;
}

Status evaluate_slice_into(const Methodology& m, const BoundValues& bound, SliceValues& s,
                           const std::vector<int>& units, const std::string& slice_name) {
  const CompiledMethodology& c = *m.compiled;
  // Site values stay; everything else of the period level is computed here.
  s.period.resize(static_cast<std::size_t>(c.period_slots), std::nan(""));
  EvalFrame frame = slice_frame(m, bound, s, units);
  for (int index : c.order) {
    const std::size_t i = static_cast<std::size_t>(index);
    const CompiledParameter& cp = c.parameters[i];
    if (cp.level != Level::unit_period && cp.level != Level::period) continue;
    if (cp.record_slot >= 0) continue; // a per-record equation: aggregated from the data
    for (int v : values_of(bound, cp)) {
      if (cp.index >= 0) frame.index[static_cast<std::size_t>(cp.index)] = v;
      MRV_TRY(evaluate_equation(m, bound, s, units, slice_name, i, v, frame));
    }
  }
  return Ok{};
}

double parameter_value(const Methodology& m, const BoundValues& bound, const SliceValues& slice,
                       std::size_t index, int unit, int index_value) {
  const CompiledMethodology& c = *m.compiled;
  const CompiledParameter& cp = c.parameters[index];
  std::size_t slot = static_cast<std::size_t>(cp.slot + index_value);
  switch (cp.level) {
  case Level::project:
    return bound.project[slot];
  case Level::unit:
    return bound
        .units[static_cast<std::size_t>(unit) * static_cast<std::size_t>(c.unit_slots) + slot];
  case Level::unit_period:
    return slice.unit_period[static_cast<std::size_t>(unit) *
                                 static_cast<std::size_t>(c.unit_period_slots) +
                             slot];
  case Level::period:
    return slice.period[slot];
  case Level::record:
    break;
  }
  return std::nan("");
}

std::vector<TraceValue> trace(const Methodology& m, const BoundValues& bound,
                              const SliceValues& slice, std::initializer_list<Level> levels,
                              int unit) {
  std::vector<TraceValue> out;
  out.reserve(m.parameters.size());
  for (std::size_t i = 0; i < m.parameters.size(); ++i) {
    const Parameter& p = m.parameters[i];
    const CompiledParameter& cp = m.compiled->parameters[i];
    if (std::find(levels.begin(), levels.end(), cp.level) == levels.end()) continue;
    for (int v : values_of(bound, cp)) {
      const double value = parameter_value(m, bound, slice, i, unit, v);
      TraceValue t;
      t.parameter = p.id;
      if (cp.index >= 0)
        t.index = m.indices[static_cast<std::size_t>(cp.index)].values[static_cast<std::size_t>(v)];
      if (p.is_key) {
        t.text = p.key_values[static_cast<std::size_t>(value)];
      } else {
        t.value = value;
        t.unit = p.unit.text;
      }
      out.push_back(std::move(t));
    }
  }
  return out;
}

} // namespace mrv::detail
