// Binding a project's (or an example's) written values to the methodology's
// storage: fixed values, the index values the project uses, ex-ante values
// per project and per unit (and per index value), ratings, then the
// equations at project and unit level. Every value the methodology needs
// must be given, and nothing else may be.
#include "base/try.hpp"
#include "engine/engine.hpp"

#include "data/text_number.hpp"
#include "data/timestamp.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

namespace mrv::detail {
namespace {

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

// An error at a written index value ("fod" of `DOC_j: {fod: 0.15}`).
Diagnostic index_error(const ValueInput& input, std::string message) {
  Diagnostic d = error_at(input.index_location, std::move(message));
  d.source_line = input.source_line;
  d.caret_length = static_cast<int>(std::max<std::size_t>(1, input.index.size()));
  return d;
}

// The values of an index a project lists, in the methodology's order.
Expected<std::vector<int>> choose_values(const Index& index, const ProjectIndex& choice) {
  std::vector<int> values;
  if (choice.values.empty())
    return error_at(choice.location, fmt::format("index {} needs at least one value", index.name));
  for (std::size_t n = 0; n < choice.values.size(); ++n) {
    const std::string& text = choice.values[n];
    const Location& where =
        n < choice.value_locations.size() ? choice.value_locations[n] : choice.location;
    const auto at = std::find(index.values.begin(), index.values.end(), text);
    if (at == index.values.end()) {
      Diagnostic d =
          error_at(where, fmt::format("'{}' is not a value of {} ({}): {}", text, index.name,
                                      index.description, fmt::join(index.values, ", ")));
      const std::string hint = closest_match(text, index.values);
      if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
      return d;
    }
    const int v = static_cast<int>(at - index.values.begin());
    if (std::find(values.begin(), values.end(), v) != values.end())
      return error_at(where, fmt::format("'{}' is listed twice", text));
    values.push_back(v);
  }
  std::sort(values.begin(), values.end()); // sums run in the methodology's order
  return values;
}

class Binder {
public:
  Binder(const Methodology& m, const std::vector<UnitValues>& units, bool monitored_as_aggregates,
         const Location& owner)
      : m_(m), c_(*m.compiled), units_(units), aggregates_(monitored_as_aggregates), owner_(owner) {
  }

  Expected<BoundValues> run(const std::vector<ValueInput>& project_values,
                            const std::vector<ProjectIndex>& indices,
                            const std::vector<HistoryInput>& history) {
    allocate();
    MRV_TRY(choose_index_values(indices));
    MRV_TRY(project_level(project_values));
    for (std::size_t u = 0; u < units_.size(); ++u)
      MRV_TRY(unit_level(u));
    MRV_TRY(equations());
    if (!history.empty() && !c_.reads_past)
      return error_at(history.front().location,
                      fmt::format("{} sums over no earlier period (it has no sum_x): it reads no "
                                  "history; remove `history:`",
                                  m_.full_id()));
    for (const HistoryInput& h : history)
      MRV_TRY(earlier_period(h));
    return std::move(b_);
  }

private:
  const Methodology& m_;
  const CompiledMethodology& c_;
  const std::vector<UnitValues>& units_;
  bool aggregates_;
  const Location& owner_;
  BoundValues b_;

  double& unit_slot(std::size_t u, std::size_t slot) {
    return b_.units[u * static_cast<std::size_t>(c_.unit_slots) + slot];
  }

  int find(const std::string& id) const {
    for (std::size_t i = 0; i < m_.parameters.size(); ++i)
      if (m_.parameters[i].id == id) return static_cast<int>(i);
    return -1;
  }

  // The storage, every value missing (NaN), and the fixed values.
  void allocate() {
    b_.unit_count = units_.size();
    b_.project.assign(static_cast<std::size_t>(c_.project_slots), std::nan(""));
    b_.units.assign(units_.size() * static_cast<std::size_t>(c_.unit_slots), std::nan(""));
    b_.preset_unit_period.resize(units_.size());
    for (const UnitValues& u : units_)
      b_.unit_ids.push_back(u.id);
    for (std::size_t i = 0; i < m_.parameters.size(); ++i)
      if (m_.parameters[i].kind == ParameterKind::fixed && m_.parameters[i].value)
        b_.project[static_cast<std::size_t>(c_.parameters[i].slot)] = *m_.parameters[i].value;
  }

  Status choose_index_values(const std::vector<ProjectIndex>& chosen) {
    b_.index_values = MRV_TRY(chosen_index_values(m_, chosen));
    return Ok{};
  }

  // Where a written value goes within its parameter's slots: 0, or the
  // index value's position for a parameter that varies by an index.
  Expected<std::size_t> offset_of(const Parameter& p, const ValueInput& v) const {
    const int k = c_.parameters[static_cast<std::size_t>(&p - m_.parameters.data())].index;
    if (k < 0) {
      if (v.index.empty()) return std::size_t{0};
      return index_error(v, fmt::format("'{}' does not vary by an index: give one value", p.id));
    }
    const Index& index = m_.indices[static_cast<std::size_t>(k)];
    if (v.index.empty())
      return value_error(v, fmt::format("'{}' varies by {} ({}): give a value per index value, "
                                        "{{{}: ...}}",
                                        p.id, index.name, index.description, index.values.front()));
    const auto at = std::find(index.values.begin(), index.values.end(), v.index);
    if (at == index.values.end()) {
      Diagnostic d =
          index_error(v, fmt::format("'{}' is not a value of {} ({}): {}", v.index, index.name,
                                     index.description, fmt::join(index.values, ", ")));
      const std::string hint = closest_match(v.index, index.values);
      if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
      return d;
    }
    const int value = static_cast<int>(at - index.values.begin());
    const std::vector<int>& used = b_.index_values[static_cast<std::size_t>(k)];
    if (std::find(used.begin(), used.end(), value) == used.end())
      return index_error(v, fmt::format("'{}' is not one of the values of {} this project uses "
                                        "(indices: {}: [{}])",
                                        v.index, index.name, index.name, used_texts(k)));
    return static_cast<std::size_t>(value);
  }

  std::string used_texts(int k) const {
    std::vector<std::string> texts;
    for (int v : b_.index_values[static_cast<std::size_t>(k)])
      texts.push_back(m_.indices[static_cast<std::size_t>(k)].values[static_cast<std::size_t>(v)]);
    return fmt::format("{}", fmt::join(texts, ", "));
  }

  // " for j = 'food'" for an indexed parameter's value v, else "".
  std::string for_value(std::size_t i, int v) const {
    const int k = c_.parameters[i].index;
    return k < 0 ? "" : " for " + index_value_text(m_, k, v);
  }

  // " (j = 'food')" for an indexed equation's value v, else "".
  std::string index_note(std::size_t i, int v) const {
    const int k = c_.parameters[i].index;
    return k < 0 ? "" : " (" + index_value_text(m_, k, v) + ")";
  }

  // The index values a parameter has a value for: {0} when it has no index.
  std::vector<int> values_of(std::size_t i) const {
    const int k = c_.parameters[i].index;
    return k < 0 ? std::vector<int>{0} : b_.index_values[static_cast<std::size_t>(k)];
  }

  using Given = std::vector<std::vector<bool>>; // per parameter, per index value

  Given none_given() const {
    Given given(m_.parameters.size());
    for (std::size_t i = 0; i < m_.parameters.size(); ++i) {
      const int k = c_.parameters[i].index;
      given[i].assign(k < 0 ? 1 : m_.indices[static_cast<std::size_t>(k)].values.size(), false);
    }
    return given;
  }

  Status project_level(const std::vector<ValueInput>& values) {
    Given given = none_given();
    for (const ValueInput& v : values) {
      const int i = find(v.parameter);
      if (i < 0) return unknown_parameter(m_, v);
      const Parameter& p = m_.parameters[static_cast<std::size_t>(i)];
      const auto slot = static_cast<std::size_t>(c_.parameters[static_cast<std::size_t>(i)].slot);
      if (is_site_value(p) && aggregates_) {
        const std::size_t offset = MRV_TRY(offset_of(p, v));
        b_.preset_period.emplace_back(static_cast<int>(slot + offset), MRV_TRY(parse_value(p, v)));
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
      const std::size_t offset = MRV_TRY(offset_of(p, v));
      if (given[static_cast<std::size_t>(i)][offset])
        return value_error(v, fmt::format("'{}' is given twice", p.id));
      given[static_cast<std::size_t>(i)][offset] = true;
      b_.project[slot + offset] = MRV_TRY(parse_value(p, v));
    }
    for (std::size_t i = 0; i < m_.parameters.size(); ++i) {
      const Parameter& p = m_.parameters[i];
      if (p.kind != ParameterKind::ex_ante || p.level != Level::project) continue;
      for (int v : values_of(i))
        if (!given[i][static_cast<std::size_t>(v)])
          return error_at(owner_,
                          fmt::format("no value is given for '{}'{} ({}{})", p.id, for_value(i, v),
                                      p.description, p.is_key ? "" : ", in " + p.unit.text));
    }
    return Ok{};
  }

  Status unit_level(std::size_t u) {
    Given given = none_given();
    for (const ValueInput& v : *units_[u].values) {
      const int i = find(v.parameter);
      if (i < 0) return unknown_parameter(m_, v);
      const Parameter& p = m_.parameters[static_cast<std::size_t>(i)];
      const CompiledParameter& cp = c_.parameters[static_cast<std::size_t>(i)];
      if (is_site_value(p) && aggregates_)
        return value_error(v, fmt::format("'{}' is measured for the whole site: give it with "
                                          "the values of the project, not of a unit",
                                          p.id));
      // An example gives each monitored value, and each per-record equation
      // (which runs on data rows an example does not have), as its period total.
      if ((p.kind == ParameterKind::monitored || p.level == Level::record) && aggregates_) {
        const std::size_t offset = MRV_TRY(offset_of(p, v));
        b_.preset_unit_period[u].emplace_back(cp.slot + static_cast<int>(offset),
                                              MRV_TRY(parse_value(p, v)));
        continue;
      }
      if (p.kind != ParameterKind::ex_ante || p.level != Level::unit)
        return value_error(v, fmt::format("'{}' is not an ex-ante value per unit ({} {})", p.id,
                                          kind_name(p.kind), level_name(p.level)));
      const std::size_t offset = MRV_TRY(offset_of(p, v));
      if (given[static_cast<std::size_t>(i)][offset])
        return value_error(v, fmt::format("'{}' is given twice", p.id));
      given[static_cast<std::size_t>(i)][offset] = true;
      unit_slot(u, static_cast<std::size_t>(cp.slot) + offset) = MRV_TRY(parse_value(p, v));
    }
    if (units_[u].rating && !units_[u].rating->text.empty())
      unit_slot(u, static_cast<std::size_t>(c_.rating_slot)) =
          MRV_TRY(parse_rating(m_, *units_[u].rating));
    for (std::size_t i = 0; i < m_.parameters.size(); ++i) {
      const Parameter& p = m_.parameters[i];
      if (p.kind != ParameterKind::ex_ante || p.level != Level::unit) continue;
      for (int v : values_of(i))
        if (!given[i][static_cast<std::size_t>(v)])
          return error_at(units_[u].location,
                          fmt::format("unit '{}' does not give '{}'{} ({}{})", units_[u].id, p.id,
                                      for_value(i, v), p.description,
                                      p.is_key ? "" : ", in " + p.unit.text));
    }
    return Ok{};
  }

  std::string past_ids() const {
    std::vector<std::string> ids;
    for (std::size_t i : c_.past_parameters)
      ids.push_back(m_.parameters[i].id);
    return fmt::format("{}", fmt::join(ids, ", "));
  }

  // An earlier period: the values sum_x reads there, each of them and
  // nothing else, in the period level's slots.
  Status earlier_period(const HistoryInput& h) {
    std::vector<double> period(static_cast<std::size_t>(c_.period_slots), std::nan(""));
    Given given = none_given();
    for (const ValueInput& v : *h.values) {
      const int found = find(v.parameter);
      if (found < 0) return unknown_parameter(m_, v);
      const auto i = static_cast<std::size_t>(found);
      const Parameter& p = m_.parameters[i];
      if (std::find(c_.past_parameters.begin(), c_.past_parameters.end(), i) ==
          c_.past_parameters.end())
        return value_error(v, fmt::format("'{}' is not read at earlier periods: sum_x reads {} "
                                          "there",
                                          p.id, past_ids()));
      const std::size_t offset = MRV_TRY(offset_of(p, v));
      if (given[i][offset]) return value_error(v, fmt::format("'{}' is given twice", p.id));
      given[i][offset] = true;
      period[static_cast<std::size_t>(c_.parameters[i].slot) + offset] = MRV_TRY(parse_value(p, v));
    }
    for (std::size_t i : c_.past_parameters) {
      const Parameter& p = m_.parameters[i];
      for (int v : values_of(i))
        if (!given[i][static_cast<std::size_t>(v)])
          return error_at(h.location,
                          fmt::format("{} does not give '{}'{} ({}{}): sum_x reads it at every "
                                      "earlier period",
                                      h.name, p.id, for_value(i, v), p.description,
                                      p.is_key ? "" : ", in " + p.unit.text));
    }
    b_.history.push_back(std::move(period));
    return Ok{};
  }

  // Equations at project and unit level, in dependency order.
  Status equations() {
    std::vector<int> all_units(units_.size());
    for (std::size_t u = 0; u < units_.size(); ++u)
      all_units[u] = static_cast<int>(u);
    EvalFrame frame;
    frame.project = b_.project.data();
    frame.units = b_.units.data();
    frame.unit_stride = static_cast<std::size_t>(c_.unit_slots);
    frame.sum_units = all_units.data();
    frame.sum_unit_count = all_units.size();
    frame.index_values = &b_.index_values;
    for (int index : c_.order) {
      const std::size_t i = static_cast<std::size_t>(index);
      const CompiledParameter& cp = c_.parameters[i];
      if (cp.level != Level::project && cp.level != Level::unit) continue;
      for (int v : values_of(i)) {
        if (cp.index >= 0) frame.index[static_cast<std::size_t>(cp.index)] = v;
        const std::size_t slot = static_cast<std::size_t>(cp.slot + v);
        if (cp.level == Level::project) {
          const double value = evaluate_scalar(cp.formula.expr, frame);
          if (!std::isfinite(value))
            return equation_error(m_, i, "for the project" + index_note(i, v), value);
          b_.project[slot] = value;
          continue;
        }
        for (std::size_t u = 0; u < units_.size(); ++u) {
          frame.unit = static_cast<int>(u);
          const double value = evaluate_scalar(cp.formula.expr, frame);
          if (!std::isfinite(value))
            return equation_error(
                m_, i, fmt::format("for unit '{}'{}", units_[u].id, index_note(i, v)), value);
          unit_slot(u, slot) = value;
        }
        frame.unit = -1;
      }
    }
    return Ok{};
  }
};

} // namespace

// The values of each index the project uses: those it lists, else all.
Expected<std::vector<std::vector<int>>>
chosen_index_values(const Methodology& m, const std::vector<ProjectIndex>& chosen) {
  std::vector<std::vector<int>> out(m.indices.size());
  for (std::size_t k = 0; k < m.indices.size(); ++k)
    for (std::size_t v = 0; v < m.indices[k].values.size(); ++v)
      out[k].push_back(static_cast<int>(v));
  for (const ProjectIndex& choice : chosen) {
    std::vector<std::string> names;
    for (const Index& index : m.indices)
      names.push_back(index.name);
    const auto at = std::find(names.begin(), names.end(), choice.index);
    if (at == names.end()) {
      Diagnostic d =
          error_at(choice.location,
                   names.empty() ? fmt::format("{} declares no indices", m.full_id())
                                 : fmt::format("'{}' is not an index of {} (indices: {})",
                                               choice.index, m.full_id(), fmt::join(names, ", ")));
      const std::string hint = closest_match(choice.index, names);
      if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
      return d;
    }
    const std::size_t k = static_cast<std::size_t>(at - names.begin());
    out[k] = MRV_TRY(choose_values(m.indices[k], choice));
  }
  return out;
}

Expected<BoundValues> bind_values(const Methodology& m,
                                  const std::vector<ValueInput>& project_values,
                                  const std::vector<UnitValues>& units,
                                  bool monitored_as_aggregates, const Location& owner,
                                  const std::vector<ProjectIndex>& indices,
                                  const std::vector<HistoryInput>& history) {
  Binder binder(m, units, monitored_as_aggregates, owner);
  return binder.run(project_values, indices, history);
}

double age_in_years(std::int64_t from_day, std::int64_t to_day) {
  const CivilDate a = civil_from_days(from_day);
  const CivilDate b = civil_from_days(to_day);
  std::int64_t months = (b.year - a.year) * 12 + (b.month - a.month);
  // Back one month when the day of the month is not reached yet (and the
  // month start would fall after `to_day`).
  auto month_start = [&](std::int64_t n) {
    const std::int64_t total = a.year * 12 + (a.month - 1) + n;
    const int year = static_cast<int>(total / 12), month = static_cast<int>(total % 12) + 1;
    return days_from_civil(year, month, 1) + (a.day - 1);
  };
  while (months > 0 && month_start(months) > to_day)
    --months;
  return static_cast<double>(months) / 12.0 +
         static_cast<double>(to_day - month_start(months)) / 365.25;
}

} // namespace mrv::detail
