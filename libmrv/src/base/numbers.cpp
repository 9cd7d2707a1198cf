#include "mrv/numbers.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace mrv {

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0) return "0"; // also -0: a sign on nothing only confuses a diff
  const double magnitude = std::fabs(value);
  const auto style =
      magnitude >= 1e-4 && magnitude < 1e15 ? std::chars_format::fixed : std::chars_format::general;
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, style);
  return std::string(buffer, result.ptr);
}

double at_15_significant_digits(double value) {
  if (!std::isfinite(value) || value == 0) return value;
  return std::strtod(fmt::format("{:.15g}", value).c_str(), nullptr);
}

std::string mrv_version() {
  return MRV_VERSION;
}

std::string format_number(double value, std::optional<int> decimals) {
  if (!decimals || !std::isfinite(value)) return format_number(value);
  std::string text = fmt::format("{:.{}f}", value, *decimals);
  // "-0.000" says nothing a "0.000" does not: no sign on a zero.
  if (text.starts_with('-') && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

std::string format_quantity(double value, std::string_view unit, std::optional<int> decimals) {
  if (unit.empty() || unit == "1") return format_number(value, decimals);
  return format_number(value, decimals) + " " + std::string(unit);
}

} // namespace mrv
