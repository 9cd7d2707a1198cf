// Strict parsing of numbers in data and YAML: the whole field must be a
// finite decimal number. "1,5", "nan", "inf", "12 kWh" and "" are rejected
// (a wrong number is worse than an error).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mrv::detail {

struct NumberFormat {
  char decimal_point = '.';
  char thousands_separator = 0; // 0: none accepted
};

// Accepts an optional sign, digits with an optional fraction and exponent
// ("12", "-0.5", "+3", "1.5e3", ".5"), with spaces or tabs around it
// trimmed. Returns nothing for anything else or a non-finite value.
std::optional<double> parse_number(std::string_view text, NumberFormat format = {});

// A plain decimal ("-12.345": no exponent, at most 18 digits) written as
// mantissa × 10^-decimals. Sums of meter readings are kept exact this way,
// so they do not depend on the order of the rows. Returns false for
// anything else (the caller then keeps only the double).
bool parse_exact_decimal(std::string_view text, std::int64_t& mantissa, int& decimals);

// Both at once, for the data path, where every reading needs the two: a
// plain number ('.' as the decimal point, no thousands separator) as
// parse_number reads it, and, when parse_exact_decimal would accept it too,
// its exact form. Returns false when parse_number would; `exact` says
// whether `mantissa` and `decimals` are set.
bool parse_number_and_decimal(std::string_view text, double& value, bool& exact,
                              std::int64_t& mantissa, int& decimals);

} // namespace mrv::detail
