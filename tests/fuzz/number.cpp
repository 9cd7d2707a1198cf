// Fuzzes the strict number parser: whatever it accepts must be a finite
// number equal, bit for bit, to what strtod makes of the same decimal; with
// a declared decimal comma or thousands separator, to the plain number the
// text spells; and exact decimals must agree with the double.
#include "data/text_number.hpp"
#include "fuzz_check.hpp"

#include <cmath>
#include <cstring>
#include <fmt/format.h>

using namespace mrv::detail;

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// strtod on the whole text, or nothing when it stops early.
std::optional<double> strtod_whole(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return value;
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr NumberFormat formats[] = {{'.', 0},   {',', '.'},  {'.', ','},
                                             {',', ' '}, {'.', '\''}, {',', 0}};
  const NumberFormat format = formats[data[0] % 6];
  const std::string_view text = fuzz_text(data + 1, size - 1);

  const std::optional<double> value = parse_number(text, format);
  if (value) {
    FUZZ_CHECK(std::isfinite(*value));
    // The plain spelling: separators dropped, the decimal point made '.'.
    std::string plain;
    for (char c : trimmed(text)) {
      if (format.thousands_separator != 0 && c == format.thousands_separator) continue;
      plain += c == format.decimal_point ? '.' : c;
    }
    const std::optional<double> reference = strtod_whole(plain);
    FUZZ_CHECK(reference && same_bits(*reference, *value));
    if (format.decimal_point == '.' && format.thousands_separator == 0)
      FUZZ_CHECK(plain == trimmed(text));
  }

  std::int64_t mantissa = 0;
  int decimals = 0;
  if (parse_exact_decimal(text, mantissa, decimals)) {
    FUZZ_CHECK(decimals >= 0 && decimals <= 18);
    const std::optional<double> plain_value = parse_number(text);
    FUZZ_CHECK(plain_value.has_value());
    // mantissa × 10^-decimals is the same decimal, so correctly rounded it
    // is the same double.
    const std::optional<double> exact = strtod_whole(fmt::format("{}e-{}", mantissa, decimals));
    FUZZ_CHECK(exact && (same_bits(*exact, *plain_value) || (*exact == 0 && *plain_value == 0)));
  }

  // The fused reader of the data path: the same answers as the two above.
  double fused_value = 0;
  bool fused_exact = false;
  std::int64_t fused_mantissa = 0;
  int fused_decimals = 0;
  const bool fused =
      parse_number_and_decimal(text, fused_value, fused_exact, fused_mantissa, fused_decimals);
  const std::optional<double> plain_value = parse_number(text);
  FUZZ_CHECK(fused == plain_value.has_value());
  if (fused) FUZZ_CHECK(same_bits(fused_value, *plain_value));
  std::int64_t exact_mantissa = 0;
  int exact_decimals = 0;
  const bool exact = parse_exact_decimal(text, exact_mantissa, exact_decimals);
  FUZZ_CHECK((fused && fused_exact) == exact);
  if (exact) FUZZ_CHECK(fused_mantissa == exact_mantissa && fused_decimals == exact_decimals);
  return 0;
}
