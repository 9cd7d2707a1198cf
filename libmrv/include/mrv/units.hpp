// Dimensional analysis for methodology quantities.
//
// A Unit is a dimension (integer exponents over a few base quantities) and a
// scale to that dimension's base unit. CO2-equivalent mass is its own base
// quantity, so a tonne of refrigerant never silently becomes a tonne of CO2;
// only a factor such as a GWP in tCO2e/t turns one into the other.
#pragma once

#include "mrv/diagnostic.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mrv {

enum class BaseQuantity : int {
  energy,        // J
  mass,          // kg
  co2e,          // kgCO2e
  length,        // m (volumes are length^3)
  normal_volume, // Nm3: gas volume at normal conditions, not freely a volume
  time,          // s
  temperature,   // K
  money,         // JPY
  // VA: apparent power (transformer ratings), its own quantity: turning kVA
  // into kW takes a power factor, so the two never convert silently.
  apparent_power,
  // piece: a number of products (pieces moulded, items made), so that an
  // energy per piece and an energy per tonne of product never mix.
  item,
  count
};

struct Dimension {
  std::array<std::int8_t, static_cast<std::size_t>(BaseQuantity::count)> exponents{};

  bool dimensionless() const;
  Dimension operator*(const Dimension& other) const;
  Dimension operator/(const Dimension& other) const;
  Dimension pow(int exponent) const;
  bool operator==(const Dimension& other) const = default;
  // A readable name: "energy", "CO2e mass / energy", "power"...
  std::string describe() const;
};

struct Unit {
  Dimension dimension;
  // Value in base units = value × scale (+ offset for absolute temperatures).
  long double scale = 1.0L;
  double offset = 0.0;
  // The unit as written, normalised ("tCO2/MWh"); "1" for dimensionless.
  std::string text = "1";

  static Unit dimensionless() { return Unit{}; }
  Unit operator*(const Unit& other) const;
  Unit operator/(const Unit& other) const;
  Unit pow(int exponent) const;
};

// Parses a unit expression: names joined by '*' or '/', each with an
// optional integer power "^2"; "1" or "" is dimensionless. Known names are
// listed in docs/units.md. On failure, `column` in the diagnostic message
// context is the 0-based offset of the offending name (in error_offset).
struct UnitParseError {
  std::string message;
  std::size_t offset = 0; // where in the text
  std::size_t length = 1;
};
std::optional<Unit> parse_unit(std::string_view text, UnitParseError* error = nullptr);

// Multiplier that converts a value in `from` to `to` (same dimension required;
// offsets are ignored: this is for differences and products). Factors within
// 1e-15 of 1 are exactly 1.
double conversion_factor(const Unit& from, const Unit& to);

// Converts an absolute value (absolute temperatures use the offset).
double convert_value(double value, const Unit& from, const Unit& to);

bool same_dimension(const Unit& a, const Unit& b);

} // namespace mrv
