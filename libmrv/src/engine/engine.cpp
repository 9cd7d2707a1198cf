#include "engine/engine.hpp"
#include "base/try.hpp"

#include "data/text_number.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include <cmath>

namespace mrv::detail {
namespace {

Diagnostic value_error(const ValueInput& input, std::string message) {
  Diagnostic d = error_at(input.location, std::move(message));
  d.source_line = input.source_line;
  d.caret_length = static_cast<int>(std::max<std::size_t>(1, input.text.size()));
  return d;
}

std::vector<std::string> parameter_ids(const Methodology& m) {
  std::vector<std::string> ids;
  for (const Parameter& p : m.parameters)
    ids.push_back(p.id);
  return ids;
}

Diagnostic unknown_parameter(const Methodology& m, const ValueInput& input) {
  Diagnostic d = value_error(
      input, fmt::format("'{}' is not a parameter of {}", input.parameter, m.full_id()));
  d.where = input.key_location;
  d.caret_length = static_cast<int>(input.parameter.size());
  std::string hint = closest_match(input.parameter, parameter_ids(m));
  if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
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

// A unit's `rating:` ("4 MW"), in the methodology's rating unit.
Expected<double> parse_rating(const Methodology& m, const ValueInput& input) {
  if (!m.rating || !m.rating->unit)
    return value_error(input, fmt::format("{} declares no rating: it bounds no monitored value "
                                          "by a unit's rating, so `rating:` is not used",
                                          m.full_id()));
  const Rating& r = *m.rating;
  const Unit& rating_unit = *r.unit;
  const std::string_view text = input.text;
  const std::size_t space = text.find(' ');
  const std::optional<double> number =
      space == std::string_view::npos ? std::nullopt : parse_number(text.substr(0, space));
  UnitParseError e;
  const std::optional<Unit> unit =
      space == std::string_view::npos ? std::nullopt : parse_unit(text.substr(space + 1), &e);
  if (!number || !unit || !same_dimension(*unit, rating_unit))
    return value_error(input, fmt::format("rating must be {} ({}) as a number with its unit, "
                                          "such as \"12.5 {}\", not '{}'",
                                          rating_unit.dimension.describe(), r.description,
                                          rating_unit.text, input.text));
  const double value = convert_value(*number, *unit, rating_unit);
  if (!(value > 0) || !std::isfinite(value))
    return value_error(input, "a rating must be more than 0");
  return value;
}

} // namespace

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

Expected<BoundValues> bind_values(const Methodology& m,
                                  const std::vector<ValueInput>& project_values,
                                  const std::vector<UnitValues>& units,
                                  bool monitored_as_aggregates, const Location& owner) {
  const CompiledMethodology& c = *m.compiled;
  BoundValues b;
  b.unit_count = units.size();
  b.project.assign(static_cast<std::size_t>(c.project_slots), std::nan(""));
  b.units.assign(units.size() * static_cast<std::size_t>(c.unit_slots), std::nan(""));
  b.preset_unit_period.resize(units.size());
  for (const UnitValues& u : units)
    b.unit_ids.push_back(u.id);
  auto unit_slot = [&](std::size_t u, int slot) -> double& {
    return b.units[u * static_cast<std::size_t>(c.unit_slots) + static_cast<std::size_t>(slot)];
  };

  // Fixed values.
  for (std::size_t i = 0; i < m.parameters.size(); ++i)
    if (m.parameters[i].kind == ParameterKind::fixed && m.parameters[i].value)
      b.project[static_cast<std::size_t>(c.parameters[i].slot)] = *m.parameters[i].value;

  // Project-level values.
  std::vector<bool> given(m.parameters.size(), false);
  auto find = [&](const std::string& id) -> int {
    for (std::size_t i = 0; i < m.parameters.size(); ++i)
      if (m.parameters[i].id == id) return static_cast<int>(i);
    return -1;
  };
  for (const ValueInput& v : project_values) {
    int i = find(v.parameter);
    if (i < 0) return unknown_parameter(m, v);
    const Parameter& p = m.parameters[static_cast<std::size_t>(i)];
    if (is_site_value(p) && monitored_as_aggregates) {
      b.preset_period.emplace_back(c.parameters[static_cast<std::size_t>(i)].slot,
                                   MRV_TRY(parse_value(p, v)));
      continue;
    }
    if (p.kind != ParameterKind::ex_ante)
      return value_error(
          v, fmt::format("'{}' is {} and cannot be given by the project", p.id,
                         p.kind == ParameterKind::monitored ? "monitored (it comes from the data)"
                         : p.kind == ParameterKind::fixed   ? "fixed by the methodology"
                                                            : "calculated"));
    if (p.level != Level::project)
      return value_error(
          v, fmt::format("'{}' is given per unit: write it under the unit's values", p.id));
    if (given[static_cast<std::size_t>(i)])
      return value_error(v, fmt::format("'{}' is given twice", p.id));
    given[static_cast<std::size_t>(i)] = true;
    b.project[static_cast<std::size_t>(c.parameters[static_cast<std::size_t>(i)].slot)] =
        MRV_TRY(parse_value(p, v));
  }
  for (std::size_t i = 0; i < m.parameters.size(); ++i) {
    const Parameter& p = m.parameters[i];
    if (p.kind == ParameterKind::ex_ante && p.level == Level::project && !given[i])
      return error_at(owner, fmt::format("no value is given for '{}' ({}{})", p.id, p.description,
                                         p.is_key ? "" : ", in " + p.unit.text));
  }

  // Unit-level values.
  for (std::size_t u = 0; u < units.size(); ++u) {
    std::vector<bool> unit_given(m.parameters.size(), false);
    for (const ValueInput& v : *units[u].values) {
      int i = find(v.parameter);
      if (i < 0) return unknown_parameter(m, v);
      const Parameter& p = m.parameters[static_cast<std::size_t>(i)];
      const CompiledParameter& cp = c.parameters[static_cast<std::size_t>(i)];
      if (is_site_value(p) && monitored_as_aggregates)
        return value_error(v, fmt::format("'{}' is measured for the whole site: give it with "
                                          "the values of the project, not of a unit",
                                          p.id));
      if (p.kind == ParameterKind::monitored && monitored_as_aggregates) {
        b.preset_unit_period[u].emplace_back(cp.slot, MRV_TRY(parse_value(p, v)));
        continue;
      }
      if (p.kind != ParameterKind::ex_ante || p.level != Level::unit)
        return value_error(v, fmt::format("'{}' is not an ex-ante value per unit ({} {})", p.id,
                                          kind_name(p.kind), level_name(p.level)));
      if (unit_given[static_cast<std::size_t>(i)])
        return value_error(v, fmt::format("'{}' is given twice", p.id));
      unit_given[static_cast<std::size_t>(i)] = true;
      unit_slot(u, cp.slot) = MRV_TRY(parse_value(p, v));
    }
    if (units[u].rating && !units[u].rating->text.empty())
      unit_slot(u, c.rating_slot) = MRV_TRY(parse_rating(m, *units[u].rating));
    for (std::size_t i = 0; i < m.parameters.size(); ++i) {
      const Parameter& p = m.parameters[i];
      if (p.kind == ParameterKind::ex_ante && p.level == Level::unit && !unit_given[i])
        return error_at(units[u].location,
                        fmt::format("unit '{}' does not give '{}' ({}{})", units[u].id, p.id,
                                    p.description, p.is_key ? "" : ", in " + p.unit.text));
    }
  }

  // Equations at project and unit level, in dependency order.
  std::vector<int> all_units(units.size());
  for (std::size_t u = 0; u < units.size(); ++u)
    all_units[u] = static_cast<int>(u);
  EvalFrame frame;
  frame.project = b.project.data();
  frame.units = b.units.data();
  frame.unit_stride = static_cast<std::size_t>(c.unit_slots);
  frame.sum_units = all_units.data();
  frame.sum_unit_count = all_units.size();
  for (int index : c.order) {
    std::size_t i = static_cast<std::size_t>(index);
    const CompiledParameter& cp = c.parameters[i];
    if (cp.level == Level::project) {
      double value = evaluate_scalar(cp.formula.expr, frame);
      if (!std::isfinite(value)) return equation_error(m, i, "for the project", value);
      b.project[static_cast<std::size_t>(cp.slot)] = value;
    } else if (cp.level == Level::unit) {
      for (std::size_t u = 0; u < units.size(); ++u) {
        frame.unit = static_cast<int>(u);
        double value = evaluate_scalar(cp.formula.expr, frame);
        if (!std::isfinite(value))
          return equation_error(m, i, fmt::format("for unit '{}'", units[u].id), value);
        unit_slot(u, cp.slot) = value;
      }
      frame.unit = -1;
    }
  }
  return b;
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
    if (c.parameters[i].record_slot < 0) continue;
    if (is_site_value(m.parameters[i])) {
      if (!given(bound.preset_period, c.parameters[i].slot)) {
        missing = MissingTotal{std::string::npos, i};
        return {};
      }
      continue;
    }
    for (std::size_t u = 0; u < bound.unit_count; ++u)
      if (!given(bound.preset_unit_period[u], c.parameters[i].slot)) {
        missing = MissingTotal{u, i};
        return {};
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

Status evaluate_slice_into(const Methodology& m, const BoundValues& bound, SliceValues& s,
                           const std::vector<int>& units, const std::string& slice_name) {
  const CompiledMethodology& c = *m.compiled;
  // Site values stay; everything else of the period level is computed here.
  s.period.resize(static_cast<std::size_t>(c.period_slots), std::nan(""));
  EvalFrame frame;
  frame.project = bound.project.data();
  frame.units = bound.units.data();
  frame.unit_stride = static_cast<std::size_t>(c.unit_slots);
  frame.unit_period = s.unit_period.data();
  frame.unit_period_stride = static_cast<std::size_t>(c.unit_period_slots);
  frame.period = s.period.data();
  frame.sum_units = units.data();
  frame.sum_unit_count = units.size();
  for (int index : c.order) {
    std::size_t i = static_cast<std::size_t>(index);
    const CompiledParameter& cp = c.parameters[i];
    if (cp.level == Level::unit_period) {
      if (cp.record_slot >= 0) continue; // a per-record equation: aggregated from the data
      for (int u : units) {
        frame.unit = u;
        double value = evaluate_scalar(cp.formula.expr, frame);
        if (!std::isfinite(value))
          return equation_error(m, i,
                                fmt::format("for unit '{}' in {}",
                                            bound.unit_ids[static_cast<std::size_t>(u)],
                                            slice_name),
                                value);
        s.unit_period[static_cast<std::size_t>(u) * frame.unit_period_stride +
                      static_cast<std::size_t>(cp.slot)] = value;
      }
      frame.unit = -1;
    } else if (cp.level == Level::period) {
      double value = evaluate_scalar(cp.formula.expr, frame);
      if (!std::isfinite(value)) return equation_error(m, i, "in " + slice_name, value);
      s.period[static_cast<std::size_t>(cp.slot)] = value;
    }
  }
  return Ok{};
}

double parameter_value(const Methodology& m, const BoundValues& bound, const SliceValues& slice,
                       std::size_t index, int unit) {
  const CompiledMethodology& c = *m.compiled;
  const CompiledParameter& cp = c.parameters[index];
  std::size_t slot = static_cast<std::size_t>(cp.slot);
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
  for (std::size_t i = 0; i < m.parameters.size(); ++i) {
    const Parameter& p = m.parameters[i];
    Level level = m.compiled->parameters[i].level;
    if (std::find(levels.begin(), levels.end(), level) == levels.end()) continue;
    double value = parameter_value(m, bound, slice, i, unit);
    TraceValue t;
    t.parameter = p.id;
    if (p.is_key) {
      t.text = p.key_values[static_cast<std::size_t>(value)];
    } else {
      t.value = value;
      t.unit = p.unit.text;
    }
    out.push_back(std::move(t));
  }
  return out;
}

} // namespace mrv::detail
