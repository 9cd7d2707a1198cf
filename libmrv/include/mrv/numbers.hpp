// Numbers as mrv writes and rounds them, everywhere: the shortest text that
// reads back the same, and a value taken at 15 significant digits, as a
// spreadsheet shows it, before it is rounded to whole tonnes.
#pragma once

#include <string>
#include <string_view>

namespace mrv {

// Shortest round-trip text of a number ("0.797", "1e-06", "435").
std::string format_number(double value);

// A value with its unit as every text form writes it ("12.5 MWh"); a pure
// number ("1" or no unit) alone.
std::string format_quantity(double value, std::string_view unit);

// The value at 15 significant digits (so 4.35 × 100 is 435, not
// 434.99999999999994); NaN, infinities and 0 unchanged.
double at_15_significant_digits(double value);

// This mrv's release, as results name it ("0.1.0").
std::string mrv_version();

} // namespace mrv
