// Presentation precision: a methodology's `presentation:` section read and
// checked, and the decimals a quantity is shown with. Only the forms for
// people use it; nothing here changes a value or a credited amount.
#include "base/try.hpp"
#include "model/presentation_yaml.hpp"

#include <fmt/format.h>

namespace mrv {

namespace {

// A unit's quantity as the defaults name it: what a monitoring report
// shows to three decimals (tCO2, MWh, GJ) or four (ratios, efficiencies).
std::optional<int> default_decimals(const Unit& unit) {
  Dimension co2e, energy;
  co2e.exponents[static_cast<std::size_t>(BaseQuantity::co2e)] = 1;
  energy.exponents[static_cast<std::size_t>(BaseQuantity::energy)] = 1;
  if (unit.dimension == co2e || unit.dimension == energy) return 3;
  if (unit.dimension.dimensionless()) return 4;
  return std::nullopt; // rates, factors, power...: every digit, as given
}

bool same_unit(const Unit& a, const Unit& b) {
  return a.dimension == b.dimension && a.scale == b.scale && a.offset == b.offset;
}

} // namespace

std::optional<int> Presentation::decimals(std::string_view parameter,
                                          std::string_view unit_text) const {
  if (!parameter.empty())
    for (const Rule& rule : parameters)
      if (rule.name == parameter) return rule.decimals;
  if (unit_text.empty()) return std::nullopt; // a key's text: not a number
  const std::optional<Unit> unit = parse_unit(unit_text);
  if (!unit) return std::nullopt; // a key's text, or no unit at all
  for (const Rule& rule : units)
    if (const std::optional<Unit> declared = parse_unit(rule.name);
        declared && same_unit(*declared, *unit))
      return rule.decimals;
  return default_decimals(*unit);
}

namespace detail {

namespace {

Expected<int> decimals_value(const YamlReader& r, const YamlNode& node) {
  const std::string message = fmt::format("decimals must be a whole number from 0 to {}, not '{}'",
                                          Presentation::max_decimals, node.value);
  // Digits only: "3", not "3.0", "+3" or a quoted "3".
  const std::string& text = node.value;
  const bool digits = node.is_scalar() && !node.quoted && !text.empty() && text.size() <= 2 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoi(text) > Presentation::max_decimals) return r.error(node, message);
  return std::stoi(text);
}

Status unit_rules(const YamlReader& r, const YamlNode& node, Presentation& out) {
  if (!node.is_map()) return r.error(node, "presentation units must be a map of unit: decimals");
  for (const auto& [key, value] : node.entries) {
    UnitParseError e;
    const std::optional<Unit> unit = parse_unit(key.value, &e);
    if (!unit) return r.document().error_in_scalar(key, e.offset, e.length, e.message);
    for (const Presentation::Rule& seen : out.units)
      if (same_unit(*parse_unit(seen.name), *unit))
        return r.error(key, fmt::format("unit '{}' is given twice (as '{}' on line {})", key.value,
                                        seen.name, seen.location.line));
    out.units.push_back({key.value, MRV_TRY(decimals_value(r, value)), r.document().location(key)});
  }
  return Ok{};
}

Status parameter_rules(const YamlReader& r, const YamlNode& node, const Methodology& m,
                       Presentation& out) {
  if (!node.is_map())
    return r.error(node, "presentation parameters must be a map of parameter id: decimals");
  std::vector<std::string> ids;
  for (const Parameter& p : m.parameters)
    ids.push_back(p.id);
  for (const auto& [key, value] : node.entries) {
    const Parameter* p = m.parameter(key.value);
    if (!p) {
      Diagnostic d =
          r.error(key, fmt::format("'{}' is not a parameter of this methodology", key.value));
      if (const std::string hint = closest_match(key.value, ids); !hint.empty())
        d.notes.push_back(fmt::format("did you mean '{}'?", hint));
      return d;
    }
    if (p->is_key)
      return r.error(
          key, fmt::format("'{}' is a key (one of a set of texts): it has no decimals", key.value));
    out.parameters.push_back(
        {key.value, MRV_TRY(decimals_value(r, value)), r.document().location(key)});
  }
  return Ok{};
}

} // namespace

Status read_presentation(const YamlReader& r, const YamlNode& node, Methodology& m) {
  MRV_TRY(r.expect_map(node, {"units", "parameters"}, "presentation"));
  Presentation out;
  if (const YamlNode* units = node.find("units")) MRV_TRY(unit_rules(r, *units, out));
  if (const YamlNode* parameters = node.find("parameters"))
    MRV_TRY(parameter_rules(r, *parameters, m, out));
  m.presentation = std::move(out);
  return Ok{};
}

} // namespace detail

} // namespace mrv
