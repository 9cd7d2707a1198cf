// Numbers as mrv writes and rounds them, everywhere: the shortest text that
// reads back the same, and a value taken at 15 significant digits, as a
// spreadsheet shows it, before it is rounded to whole tonnes. The forms for
// people may show a value at a stated number of decimals (a methodology's
// presentation precision): only the text changes, never the value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mrv {

// Shortest round-trip text of a number ("0.797", "1e-06", "435").
std::string format_number(double value);

// With `decimals`, the value rounded to that many decimals, trailing zeros
// kept, as a spreadsheet's "0.000" shows it ("1703.998"; a value that
// rounds to zero has no sign); without, the shortest round-trip text.
// NaN and infinities as format_number writes them.
std::string format_number(double value, std::optional<int> decimals);

// A value with its unit as every text form writes it ("12.5 MWh"); a pure
// number ("1" or no unit) alone. `decimals` as in format_number.
std::string format_quantity(double value, std::string_view unit,
                            std::optional<int> decimals = std::nullopt);

// The value at 15 significant digits (so 4.35 × 100 is 435, not
// 434.99999999999994); NaN, infinities and 0 unchanged.
double at_15_significant_digits(double value);

// This mrv's release, as results name it ("0.1.0").
std::string mrv_version();

} // namespace mrv
