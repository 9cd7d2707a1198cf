#include "mrv/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace mrv {
namespace {

constexpr std::size_t kCount = static_cast<std::size_t>(BaseQuantity::count);

Dimension base(BaseQuantity q, int exponent = 1) {
  Dimension d;
  d.exponents[static_cast<std::size_t>(q)] = static_cast<std::int8_t>(exponent);
  return d;
}

struct NamedUnit {
  const char* name;
  Dimension dimension;
  long double scale;
  double offset;
};

// British thermal unit (International Table) in joules; a US refrigeration
// ton is 12,000 BTU per hour.
constexpr long double kBtuIt = 1055.05585262L;
constexpr long double kCalIt = 4.1868L;

const std::vector<NamedUnit>& unit_table() {
  using B = BaseQuantity;
  const Dimension energy = base(B::energy), mass = base(B::mass), co2 = base(B::co2e);
  const Dimension volume = base(B::length, 3), nvolume = base(B::normal_volume);
  const Dimension time = base(B::time), temp = base(B::temperature), money = base(B::money);
  const Dimension apparent = base(B::apparent_power), item = base(B::item);
  const Dimension length = base(B::length);
  const Dimension power = energy / time;
  const Dimension none{};
  static const std::vector<NamedUnit> table = {
      // energy
      {"J", energy, 1.0L, 0},
      {"kJ", energy, 1e3L, 0},
      {"MJ", energy, 1e6L, 0},
      {"GJ", energy, 1e9L, 0},
      {"TJ", energy, 1e12L, 0},
      {"PJ", energy, 1e15L, 0},
      {"Wh", energy, 3600.0L, 0},
      {"kWh", energy, 3.6e6L, 0},
      {"MWh", energy, 3.6e9L, 0},
      {"GWh", energy, 3.6e12L, 0},
      {"kcal", energy, kCalIt * 1e3L, 0},
      {"Mcal", energy, kCalIt * 1e6L, 0},
      {"Gcal", energy, kCalIt * 1e9L, 0},
      // power
      {"W", power, 1.0L, 0},
      {"kW", power, 1e3L, 0},
      {"MW", power, 1e6L, 0},
      {"GW", power, 1e9L, 0},
      {"USRt", power, 12000.0L * kBtuIt / 3600.0L, 0},
      // apparent power
      {"VA", apparent, 1.0L, 0},
      {"kVA", apparent, 1e3L, 0},
      {"MVA", apparent, 1e6L, 0},
      // mass
      {"g", mass, 1e-3L, 0},
      {"kg", mass, 1.0L, 0},
      {"t", mass, 1e3L, 0},
      {"kt", mass, 1e6L, 0},
      // CO2-equivalent mass
      {"gCO2", co2, 1e-3L, 0},
      {"kgCO2", co2, 1.0L, 0},
      {"tCO2", co2, 1e3L, 0},
      {"ktCO2", co2, 1e6L, 0},
      {"MtCO2", co2, 1e9L, 0},
      {"gCO2e", co2, 1e-3L, 0},
      {"kgCO2e", co2, 1.0L, 0},
      {"tCO2e", co2, 1e3L, 0},
      {"ktCO2e", co2, 1e6L, 0},
      {"MtCO2e", co2, 1e9L, 0},
      // length (of product: fabric, wire, pipe)
      {"m", length, 1.0L, 0},
      {"km", length, 1e3L, 0},
      // volume
      {"L", volume, 1e-3L, 0},
      {"kL", volume, 1.0L, 0},
      {"m3", volume, 1.0L, 0},
      {"Nm3", nvolume, 1.0L, 0},
      {"kNm3", nvolume, 1e3L, 0},
      // time
      {"s", time, 1.0L, 0},
      {"min", time, 60.0L, 0},
      {"h", time, 3600.0L, 0},
      {"d", time, 86400.0L, 0},
      {"yr", time, 365.25L * 86400.0L, 0}, // the Julian year: decay rates per year
      // pieces of product
      {"piece", item, 1.0L, 0},
      // temperature: K for kelvin and temperature differences, degC absolute
      {"K", temp, 1.0L, 0},
      {"degC", temp, 1.0L, 273.15},
      // money
      {"JPY", money, 1.0L, 0},
      // dimensionless
      {"1", none, 1.0L, 0},
      {"fraction", none, 1.0L, 0},
      {"%", none, 0.01L, 0},
  };
  return table;
}

const NamedUnit* find_unit(std::string_view name) {
  for (const NamedUnit& u : unit_table())
    if (name == u.name) return &u;
  return nullptr;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '%';
}

} // namespace

bool Dimension::dimensionless() const {
  for (auto e : exponents)
    if (e != 0) return false;
  return true;
}

Dimension Dimension::operator*(const Dimension& o) const {
  Dimension d;
  for (std::size_t i = 0; i < kCount; ++i)
    d.exponents[i] = static_cast<std::int8_t>(exponents[i] + o.exponents[i]);
  return d;
}

Dimension Dimension::operator/(const Dimension& o) const {
  Dimension d;
  for (std::size_t i = 0; i < kCount; ++i)
    d.exponents[i] = static_cast<std::int8_t>(exponents[i] - o.exponents[i]);
  return d;
}

Dimension Dimension::pow(int exponent) const {
  Dimension d;
  for (std::size_t i = 0; i < kCount; ++i)
    d.exponents[i] = static_cast<std::int8_t>(exponents[i] * exponent);
  return d;
}

std::string Dimension::describe() const {
  if (dimensionless()) return "dimensionless";
  using B = BaseQuantity;
  static const std::pair<Dimension, const char*> named[] = {
      {base(B::energy), "energy"},
      {base(B::energy) / base(B::time), "power"},
      {base(B::mass), "mass"},
      {base(B::co2e), "CO2e mass"},
      {base(B::length, 3), "volume"},
      {base(B::normal_volume), "normal volume"},
      {base(B::time), "time"},
      {base(B::temperature), "temperature"},
      {base(B::money), "money"},
      {base(B::apparent_power), "apparent power"},
      {base(B::length), "length"},
      {base(B::item), "number of pieces"},
      {base(B::co2e) / base(B::energy), "CO2e mass per energy"},
      {base(B::co2e) / base(B::mass), "CO2e mass per mass"},
      {base(B::energy) / base(B::mass), "energy per mass"},
      {base(B::energy) / base(B::length, 3), "energy per volume"},
      {base(B::money) / base(B::co2e), "money per CO2e mass"},
  };
  for (const auto& [d, name] : named)
    if (d == *this) return name;
  static const char* symbols[] = {"J", "kg", "kgCO2e", "m", "Nm3", "s", "K", "JPY", "VA", "piece"};
  std::string numerator, denominator;
  for (std::size_t i = 0; i < kCount; ++i) {
    int e = exponents[i];
    if (e == 0) continue;
    std::string& side = e > 0 ? numerator : denominator;
    if (!side.empty()) side += "*";
    side += symbols[i];
    if (std::abs(e) != 1) side += fmt::format("^{}", std::abs(e));
  }
  if (numerator.empty()) numerator = "1";
  return denominator.empty() ? numerator : numerator + "/" + denominator;
}

namespace {

// A unit's text as factors with powers: "tCO2/MWh" is {tCO2: 1, MWh: -1}.
// Products and quotients combine factors, so their text always reads back
// with parse_unit (which takes a/b*c as a/(b*c)): numerator, then denominator.
using Factors = std::vector<std::pair<std::string, int>>;

Factors factors_of(const std::string& text) {
  Factors out;
  int sign = 1;
  std::size_t i = 0;
  while (i <= text.size()) {
    std::size_t end = text.find_first_of("*/", i);
    if (end == std::string::npos) end = text.size();
    std::string piece = text.substr(i, end - i);
    int power = 1;
    if (std::size_t caret = piece.find('^'); caret != std::string::npos) {
      power = std::atoi(piece.c_str() + caret + 1);
      piece.resize(caret);
    }
    if (!piece.empty() && piece != "1") out.emplace_back(piece, sign * power);
    if (end < text.size() && text[end] == '/') sign = -1;
    i = end + 1;
  }
  return out;
}

std::string text_of(const Factors& factors) {
  std::string numerator, denominator;
  for (const auto& [name, power] : factors) {
    if (power == 0) continue;
    std::string& side = power > 0 ? numerator : denominator;
    if (!side.empty()) side += "*";
    side += name;
    if (std::abs(power) != 1) side += fmt::format("^{}", std::abs(power));
  }
  if (numerator.empty()) numerator = "1";
  return denominator.empty() ? numerator : numerator + "/" + denominator;
}

std::string combine(const std::string& a, const std::string& b, int b_sign) {
  Factors result = factors_of(a);
  for (const auto& factor : factors_of(b)) {
    auto it = std::find_if(result.begin(), result.end(),
                           [&](const auto& f) { return f.first == factor.first; });
    if (it == result.end())
      result.emplace_back(factor.first, b_sign * factor.second);
    else
      it->second += b_sign * factor.second;
  }
  return text_of(result);
}

} // namespace

Unit Unit::operator*(const Unit& o) const {
  Unit u;
  u.dimension = dimension * o.dimension;
  u.scale = scale * o.scale;
  u.text = combine(text, o.text, 1);
  return u;
}

Unit Unit::operator/(const Unit& o) const {
  Unit u;
  u.dimension = dimension / o.dimension;
  u.scale = scale / o.scale;
  u.text = combine(text, o.text, -1);
  return u;
}

Unit Unit::pow(int exponent) const {
  Unit u;
  u.dimension = dimension.pow(exponent);
  u.scale = std::pow(scale, static_cast<long double>(exponent));
  Factors factors = factors_of(text);
  for (auto& f : factors)
    f.second *= exponent;
  u.text = text_of(factors);
  // An offset (degC) only means something for the unit itself, not its powers.
  u.offset = exponent == 1 ? offset : 0.0;
  return u;
}

std::optional<Unit> parse_unit(std::string_view text, UnitParseError* error) {
  auto fail = [&](std::string message, std::size_t offset, std::size_t length) {
    if (error)
      *error = UnitParseError{std::move(message), offset, std::max<std::size_t>(1, length)};
    return std::nullopt;
  };
  std::size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && text[i] == ' ')
      ++i;
  };
  skip_spaces();
  if (i == text.size()) return Unit::dimensionless();
  Unit result;
  bool divide = false;
  std::string normalised;
  while (true) {
    skip_spaces();
    std::size_t start = i;
    while (i < text.size() && is_name_char(text[i]))
      ++i;
    std::string_view name = text.substr(start, i - start);
    if (name.empty()) return fail(fmt::format("expected a unit name in '{}'", text), start, 1);
    const NamedUnit* named = find_unit(name);
    if (!named) {
      std::vector<std::string> names;
      for (const NamedUnit& u : unit_table())
        names.emplace_back(u.name);
      std::string hint = closest_match(std::string(name), names);
      return fail(fmt::format("unknown unit '{}'{}", name,
                              hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)),
                  start, name.size());
    }
    Unit factor;
    factor.dimension = named->dimension;
    factor.scale = named->scale;
    factor.offset = named->offset;
    factor.text = named->name;
    int exponent = 1;
    skip_spaces();
    if (i < text.size() && text[i] == '^') {
      ++i;
      std::size_t exp_start = i;
      bool negative = i < text.size() && text[i] == '-';
      if (negative) ++i;
      int value = 0;
      std::size_t digits = 0;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 2) {
        value = value * 10 + (text[i] - '0');
        ++i, ++digits;
      }
      if (digits == 0) return fail("expected an integer power after '^'", exp_start, 1);
      exponent = negative ? -value : value;
    }
    std::string piece = factor.text + (exponent != 1 ? fmt::format("^{}", exponent) : "");
    Unit powered = factor.pow(exponent);
    if (divide) {
      result.dimension = result.dimension / powered.dimension;
      result.scale /= powered.scale;
    } else {
      result.dimension = result.dimension * powered.dimension;
      result.scale *= powered.scale;
    }
    if (name != "1") {
      if (!normalised.empty() || divide) normalised += divide ? "/" : "*";
      normalised += piece;
    }
    // An offset only survives for a lone absolute unit such as degC.
    result.offset = (normalised == piece && !divide) ? factor.offset : 0.0;
    skip_spaces();
    if (i == text.size()) break;
    if (text[i] == '/') {
      divide = true;
    } else if (text[i] == '*') {
      // A '*' after a '/' still belongs to the denominator: a/b*c = a/(b*c).
    } else {
      return fail(fmt::format("unexpected '{}' in unit '{}'", text[i], text), i, 1);
    }
    ++i;
  }
  if (normalised.empty()) normalised = "1";
  if (normalised.front() == '/') normalised = "1" + normalised;
  result.text = normalised;
  return result;
}

bool same_dimension(const Unit& a, const Unit& b) {
  return a.dimension == b.dimension;
}

double conversion_factor(const Unit& from, const Unit& to) {
  long double factor = from.scale / to.scale;
  double rounded = static_cast<double>(factor);
  if (std::fabs(rounded - 1.0) < 1e-15) return 1.0;
  return rounded;
}

double convert_value(double value, const Unit& from, const Unit& to) {
  long double base_value = static_cast<long double>(value) * from.scale + from.offset;
  return static_cast<double>((base_value - to.offset) / to.scale);
}

} // namespace mrv
