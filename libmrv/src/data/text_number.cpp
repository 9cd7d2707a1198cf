#include "data/text_number.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

namespace mrv::detail {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

inline std::string_view trim(std::string_view text) {
  if (!text.empty() && !is_blank(text.front()) && !is_blank(text.back())) return text;
  while (!text.empty() && is_blank(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back()))
    text.remove_suffix(1);
  return text;
}

// number := [sign] mantissa [exponent]
// mantissa := digits ['.' [digits]] | '.' digits
// exponent := ('e' | 'E') [sign] digits
// The grammar is checked here: std::from_chars would also take "inf", "nan"
// and a valid prefix of anything. Sets `value`; returns false for anything
// else. (A bool and out-parameters, inlined: this runs on every field, and
// GCC builds a returned optional<double> in memory.) `digits_out`,
// `fraction_out` and `exponent_out` give the decimal form to the caller
// that wants it exactly; `mantissa_out` is exact up to 19 digits.
[[gnu::always_inline]] inline bool parse_plain(std::string_view s, double& value,
                                               std::uint64_t& mantissa_out, int& digits_out,
                                               int& fraction_out, bool& exponent_out) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  const bool negative = n > 0 && s[0] == '-';
  if (n > 0 && (s[0] == '+' || s[0] == '-')) ++i;
  std::uint64_t mantissa = 0;
  int digits = 0;
  int fraction_digits = 0;
  for (; i < n && is_digit(s[i]); ++i, ++digits)
    mantissa = mantissa * 10 + static_cast<unsigned>(s[i] - '0'); // wraps past 19 digits: unused
  if (i < n && s[i] == '.') {
    for (++i; i < n && is_digit(s[i]); ++i, ++digits, ++fraction_digits)
      mantissa = mantissa * 10 + static_cast<unsigned>(s[i] - '0');
  }
  if (digits == 0) return false;
  int exponent = 0;
  exponent_out = false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    exponent_out = true;
    ++i;
    const bool negative_exponent = i < n && s[i] == '-';
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t first_exponent_digit = i;
    for (; i < n && is_digit(s[i]); ++i)
      if (exponent < 100000) exponent = exponent * 10 + (s[i] - '0');
    if (i == first_exponent_digit) return false;
    if (negative_exponent) exponent = -exponent;
  }
  if (i != n) return false;
  mantissa_out = mantissa;
  digits_out = digits;
  fraction_out = fraction_digits;

  // Clinger's fast path: a mantissa below 2^53 and a power of ten up to 1e22
  // are exact doubles, so one multiplication or division rounds correctly,
  // giving the same value as std::from_chars.
  static constexpr double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                             1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                             1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const int scale = exponent - fraction_digits;
  if (digits <= 15 && scale >= -22 && scale <= 22) {
    value = static_cast<double>(mantissa);
    value = scale < 0 ? value / powers_of_ten[-scale] : value * powers_of_ten[scale];
    if (negative) value = -value;
    return true;
  }

  const char* first = s.data() + (s[0] == '+' ? 1 : 0); // from_chars takes '-' but not '+'
  const char* last = s.data() + n;
  auto [end, error] = std::from_chars(first, last, value);
  return error == std::errc() && end == last && std::isfinite(value);
}

[[gnu::always_inline]] inline bool parse_plain(std::string_view s, double& value) {
  std::uint64_t mantissa;
  int digits, fraction;
  bool exponent;
  return parse_plain(s, value, mantissa, digits, fraction, exponent);
}

// Rewrites `text` written with `format` into `out` as a plain number: the
// declared decimal point becomes '.', thousands separators are dropped. A
// separator is accepted only between groups of three digits of the integer
// part ("1.234.567,8"), so "12.34" is never read as 1234. Returns the length
// written, or nothing when the text does not follow the format.
std::optional<std::size_t> normalize(std::string_view text, NumberFormat format, char* out) {
  std::size_t length = 0;
  bool in_integer_part = true;
  bool seen_separator = false;
  int group_digits = 0; // digits since the last separator
  auto end_integer_part = [&] {
    in_integer_part = false;
    return !seen_separator || group_digits == 3;
  };
  for (char c : text) {
    if (c == format.decimal_point) {
      if (!in_integer_part || !end_integer_part()) return std::nullopt;
      out[length++] = '.';
    } else if (format.thousands_separator != 0 && c == format.thousands_separator) {
      if (!in_integer_part || group_digits == 0 || group_digits > 3 ||
          (seen_separator && group_digits != 3))
        return std::nullopt;
      seen_separator = true;
      group_digits = 0;
    } else if (c == '.') {
      return std::nullopt; // a '.' that the format does not declare
    } else {
      if (is_digit(c)) {
        if (in_integer_part) ++group_digits;
      } else if (c == 'e' || c == 'E') {
        if (in_integer_part && !end_integer_part()) return std::nullopt;
      }
      out[length++] = c;
    }
  }
  if (in_integer_part && !end_integer_part()) return std::nullopt;
  return length;
}

} // namespace

std::optional<double> parse_number(std::string_view text, NumberFormat format) {
  text = trim(text);
  double value = 0;
  if (format.decimal_point == '.' && format.thousands_separator == 0) {
    if (!parse_plain(text, value)) return std::nullopt;
    return value;
  }
  char small[64];
  std::string large;
  char* buffer = small;
  if (text.size() > sizeof small) {
    large.resize(text.size());
    buffer = large.data();
  }
  auto length = normalize(text, format, buffer);
  if (!length) return std::nullopt;
  if (!parse_plain(std::string_view(buffer, *length), value)) return std::nullopt;
  return value;
}

bool parse_exact_decimal(std::string_view text, std::int64_t& mantissa, int& decimals) {
  text = trim(text);
  std::size_t i = 0;
  const std::size_t n = text.size();
  const bool negative = n > 0 && text[0] == '-';
  if (n > 0 && (text[0] == '+' || text[0] == '-')) ++i;
  std::int64_t value = 0;
  int digits = 0;
  int fraction = 0;
  bool point = false;
  for (; i < n; ++i) {
    char c = text[i];
    if (is_digit(c)) {
      if (++digits > 18) return false;
      value = value * 10 + (c - '0');
      if (point) ++fraction;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  if (digits == 0) return false;
  mantissa = negative ? -value : value;
  decimals = fraction;
  return true;
}

namespace {

// 10^k for the fast path's divisor: exact doubles.
constexpr double exact_powers_of_ten[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                          1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// The reading as loggers write it: ['-'] digits ['.' digits], 15 digits at
// most, nothing around it. Gives what the general path below gives for it,
// with fewer branches: no blanks to trim, no '+', no exponent, and always
// Clinger's exact case. Returns false, having set nothing, for anything
// else.
[[gnu::always_inline]] inline bool parse_reading(std::string_view s, double& value,
                                                 std::int64_t& mantissa, int& decimals) {
  const char* p = s.data();
  const char* const end = p + s.size();
  const bool negative = p != end && *p == '-';
  p += negative ? 1 : 0;
  const char* const first_digit = p;
  std::uint64_t digits_value = 0; // wraps past 19 digits: then unused
  for (unsigned digit; p != end && (digit = static_cast<unsigned char>(*p) - unsigned{'0'}) <= 9;
       ++p)
    digits_value = digits_value * 10 + digit;
  const char* const point = p;
  if (p != end && *p == '.') {
    for (unsigned digit;
         ++p != end && (digit = static_cast<unsigned char>(*p) - unsigned{'0'}) <= 9;)
      digits_value = digits_value * 10 + digit;
  }
  const auto fraction = static_cast<int>(p == point ? 0 : p - point - 1);
  const auto digits = static_cast<int>(point - first_digit) + fraction;
  if (p != end || digits == 0 || digits > 15) return false;
  // A zero is common (a PV meter at night) and needs no division, whose
  // latency is most of this function's time; 0 / 10^k is +0 all the same.
  double magnitude = 0;
  if (digits_value != 0)
    magnitude = static_cast<double>(digits_value) / exact_powers_of_ten[fraction];
  value = negative ? -magnitude : magnitude;
  const auto exact_magnitude = static_cast<std::int64_t>(digits_value);
  mantissa = negative ? -exact_magnitude : exact_magnitude;
  decimals = fraction;
  return true;
}

} // namespace

bool parse_number_and_decimal(std::string_view text, double& value, bool& exact,
                              std::int64_t& mantissa, int& decimals) {
  if (parse_reading(text, value, mantissa, decimals)) [[likely]] {
    exact = true;
    return true;
  }
  text = trim(text);
  std::uint64_t digits_value;
  int digits, fraction;
  bool exponent;
  if (!parse_plain(text, value, digits_value, digits, fraction, exponent)) return false;
  // What parse_exact_decimal accepts: no exponent, at most 18 digits.
  exact = !exponent && digits <= 18;
  if (exact) {
    const auto magnitude = static_cast<std::int64_t>(digits_value);
    mantissa = text[0] == '-' ? -magnitude : magnitude;
    decimals = fraction;
  }
  return true;
}

} // namespace mrv::detail
