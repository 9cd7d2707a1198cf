// Strict parsing of numbers in data and YAML: the whole field must be a
// finite decimal number. "1,5", "nan", "inf", "12 kWh" and "" are rejected
// (a wrong number is worse than an error).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

namespace number_detail {
inline constexpr double powers_of_ten[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                           1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
inline constexpr std::uint64_t integer_powers_of_ten[] = {
    1,       10,       100,       1000,       10000,       100000,
    1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000};

// The value of the `count` (0 to 8) ASCII digits at p, 8 readable bytes at
// p: eight digits at a time in one register (SWAR), no branch per digit.
[[gnu::always_inline]] inline std::uint64_t digits_in_word(std::uint64_t x, unsigned count) {
  x <<= 8 * (8 - count); // little-endian: the first digit moves to byte 8 - count
  x &= 0x0F0F0F0F0F0F0F0Full;
  x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFull;
  x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFull;
  return (x * 10000 + (x >> 32)) & 0xFFFFFFFFull;
}
[[gnu::always_inline]] inline std::uint64_t eight_digits(const char* p, unsigned count) {
  if (count == 0) return 0;
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  return digits_in_word(x, count);
}
// The digits of `text` (['-'] digits ['.' digits], the point at `point`),
// when they and the point fit in 8 bytes: one word with the point taken out.
[[gnu::always_inline]] inline std::uint64_t digits_without_point(const char* p, unsigned whole,
                                                                 unsigned fraction) {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  if (fraction > 0) { // whole < 8 here
    const std::uint64_t before = (std::uint64_t{1} << (8 * whole)) - 1;
    x = (x & before) | ((x >> 8) & ~before);
  }
  return digits_in_word(x, whole + fraction);
}
} // namespace number_detail

// parse_number_and_decimal's common case, where the 64 bytes from any byte
// of the text are readable (the data path's line buffer): ['-'] digits
// ['.' digits], at most 8 digits on each side of the point and 15 in all
// (Clinger's exact case). The digits are checked with one SSE2 compare and
// read eight at a time (SWAR). Gives exactly what
// parse_number_and_decimal gives (the same division), with `exact` true;
// returns false, having set nothing, for anything else, which the caller
// then gives to parse_number_and_decimal.
[[gnu::always_inline]] inline bool parse_reading_padded(std::string_view text, double& value,
                                                        std::int64_t& mantissa, int& decimals) {
#if defined(__SSE2__)
  const char* p = text.data();
  const auto n = static_cast<unsigned>(text.size());
  if (n == 0 || n > 16) return false;
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i below = _mm_cmplt_epi8(bytes, _mm_set1_epi8('0'));
  const __m128i above = _mm_cmpgt_epi8(bytes, _mm_set1_epi8('9'));
  auto other = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(below, above)));
  other &= (1u << n) - 1;
  const bool negative = p[0] == '-';
  const unsigned first = negative ? 1 : 0;
  other &= ~std::uint32_t{first}; // the sign
  unsigned point = n;
  if (other != 0) {
    point = static_cast<unsigned>(__builtin_ctz(other));
    if (other != 1u << point || p[point] != '.') return false;
  }
  const unsigned whole = point - first;
  const unsigned fraction = point == n ? 0 : n - point - 1;
  // At most 8 + 7 digits fit in 16 bytes with the point: Clinger's exact case.
  if (whole > 8 || fraction > 8 || whole + fraction == 0) return false;
  // Most readings ("0.000", "12.345") fit in one word with their point.
  const std::uint64_t digits = n - first <= 8
                                   ? number_detail::digits_without_point(p + first, whole, fraction)
                                   : number_detail::eight_digits(p + first, whole) *
                                             number_detail::integer_powers_of_ten[fraction] +
                                         number_detail::eight_digits(p + point + 1, fraction);
  // As parse_number_and_decimal: a zero needs no division; 0 / 10^k is +0.
  const double magnitude =
      digits == 0 ? 0.0 : static_cast<double>(digits) / number_detail::powers_of_ten[fraction];
  value = negative ? -magnitude : magnitude;
  mantissa = negative ? -static_cast<std::int64_t>(digits) : static_cast<std::int64_t>(digits);
  decimals = static_cast<int>(fraction);
  return true;
#else
  (void)text, (void)value, (void)mantissa, (void)decimals;
  return false;
#endif
}

} // namespace mrv::detail
