// What a data file's own text says about how it must be declared: the unit
// a column header names, whether its numbers could be grouped thousands,
// and hints for the first mistakes (delimiter, encoding, timestamp layout).
// Each check compares the declaration with the data; none guesses silently.
#pragma once

#include "mrv/units.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrv::detail {

// The unit a column's header names, if any: "Energy (kWh)", "energy_kWh",
// "[MWh]", "kWh", "積算電力量(kWh)", "電力量［ｋＷｈ］", "発電量(キロワット時)".
// Text in brackets may be any unit; a word at the end of the header only one
// of the units exports use (kWh, MWh, kW, kVA, GJ, m3, Nm3, kg...), so that
// "T_min" or "flow_t" name no unit.
std::optional<Unit> unit_named_in_header(std::string_view header);

// Whether two units read the same numbers the same way (kWh and kWh; not
// kWh and MWh, degC and K).
bool same_reading(const Unit& a, const Unit& b);

// Evidence about the decimal mark of a source that does not declare it. A
// value with exactly three digits after a '.' reads the same as a whole
// number grouped in thousands ("2.002": 2.002 or 2002?); a value with
// another number of decimals settles it. A ';'- or tab-separated file whose
// every such value has three is ambiguous: a Continental export.
class DecimalEvidence {
public:
  // `text` was read as a number with '.' as the decimal point.
  void add(std::string_view text, std::int64_t line, int column, std::string_view row);
  bool ambiguous() const { return three_decimals_ > 0 && other_decimals_ == 0; }
  // How many values with a '.' had three decimals, and how many another number.
  std::int64_t three_decimals() const { return three_decimals_; }
  std::int64_t other_decimals() const { return other_decimals_; }
  std::int64_t line() const { return line_; }
  int column() const { return column_; }
  const std::string& text() const { return text_; }
  const std::string& row() const { return row_; }

private:
  std::int64_t three_decimals_ = 0, other_decimals_ = 0;
  std::int64_t line_ = 0;
  int column_ = 0;
  std::string text_, row_; // the first value with three decimals, and its row
};

// The hint for a value that is not a number under the source's declared
// marks, or "": "declare `decimal: ","`...", "grouped in thousands...".
std::string number_hint(std::string_view text, char decimal_point, char thousands_separator);

// For a header that is one field: the delimiter it seems to use (';', tab,
// '|'), or 0.
char delimiter_in_header(std::string_view header, char declared);

// Whether `text` is valid UTF-8.
bool valid_utf8(std::string_view text);

// A `format:` that reads `text` ("%Y/%m/%d %H:%M" for "2017/03/01 0:00";
// "%d.%m.%Y %H:%M" for "31.01.2017 13:05"), or "" when none is clear.
std::string guess_timestamp_format(std::string_view text);

} // namespace mrv::detail
