#include "data/timestamp.hpp"

#include "data/text_number.hpp"

#include <cmath>
#include <cstring>

namespace mrv::detail {

namespace {

// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms". Inline here
// so the timestamp parser, which runs on every row, does not pay for a call.
inline std::int64_t days_since_epoch(int year, unsigned month, unsigned day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(y - era * 400); // [0, 399]
  const unsigned day_of_year =
      (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1; // [0, 365]
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

// The parsers below index characters directly: they run on every row of
// large files, so no regex, no sscanf, no allocation.

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The two decimal digits at p as a number, or 100 or more when either is not
// a digit (the caller has checked the length).
inline unsigned two_digits(const char* p) {
  const unsigned tens = static_cast<unsigned char>(p[0]) - unsigned{'0'};
  const unsigned ones = static_cast<unsigned char>(p[1]) - unsigned{'0'};
  return tens * 10 + ones + (tens > 9 || ones > 9 ? 1000 : 0);
}

inline bool is_leap_year(unsigned year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

inline unsigned days_in_month(unsigned year, unsigned month) {
  static constexpr unsigned char days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

// date := YYYY '-' MM '-' DD, a valid proleptic Gregorian date in 0001..9999.
// Reads the 10 characters at p (the caller has checked the length) and sets
// `days`; returns false for anything else. (Not an optional: this sits on the
// per-row path and GCC keeps a returned optional in memory.)
[[gnu::always_inline]] inline bool parse_date_at(const char* p, std::int64_t& days) {
  const unsigned century = two_digits(p);
  const unsigned year_of_century = two_digits(p + 2);
  const unsigned month = two_digits(p + 5);
  const unsigned day = two_digits(p + 8);
  if (p[4] != '-' || p[7] != '-' || century > 99 || year_of_century > 99) return false;
  const unsigned year = century * 100 + year_of_century;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
    return false;
  days = days_since_epoch(static_cast<int>(year), month, day);
  return true;
}

// offset := 'Z' | sign hh [[':'] mm], hh 00..23, mm 00..59; the n characters
// at p. Sets `minutes` east of UTC; returns false for anything else.
inline bool parse_offset(const char* p, std::size_t n, int& minutes_east) {
  if (n == 1 && p[0] == 'Z') {
    minutes_east = 0;
    return true;
  }
  if ((n != 3 && n != 5 && n != 6) || (p[0] != '+' && p[0] != '-')) return false;
  const unsigned hours = two_digits(p + 1);
  unsigned minutes = 0;
  if (n == 5) minutes = two_digits(p + 3);
  if (n == 6) minutes = p[3] == ':' ? two_digits(p + 4) : 100;
  if (hours > 23 || minutes > 59) return false;
  const auto total = static_cast<int>(hours * 60 + minutes);
  minutes_east = p[0] == '-' ? -total : total;
  return true;
}

void put_two_digits(char* out, int value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
}

} // namespace

std::int64_t days_from_civil(int year, int month, int day) {
  return days_since_epoch(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(z - era * 146097); // [0, 146096]
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365; // [0, 399]
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153; // [0, 11], March-based month
  const auto day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const auto year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year), month, day};
}

std::optional<std::int64_t> parse_date(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  std::int64_t days = 0;
  if (!parse_date_at(text.data(), days)) return std::nullopt;
  return days;
}

std::string format_date(std::int64_t days) {
  const CivilDate date = civil_from_days(days);
  std::string text = "0000-00-00";
  int year = date.year;
  for (int i = 3; i >= 0; --i, year /= 10)
    text[static_cast<std::size_t>(i)] = static_cast<char>('0' + year % 10);
  put_two_digits(&text[5], date.month);
  put_two_digits(&text[8], date.day);
  return text;
}

std::optional<int> parse_utc_offset(std::string_view text) {
  int minutes = 0;
  if (!parse_offset(text.data(), text.size(), minutes)) return std::nullopt;
  return minutes;
}

std::string format_utc_offset(int minutes) {
  std::string text = "+00:00";
  if (minutes < 0) {
    text[0] = '-';
    minutes = -minutes;
  }
  put_two_digits(&text[1], minutes / 60 % 100);
  put_two_digits(&text[4], minutes % 60);
  return text;
}

namespace {

// timestamp := date [('T' | ' ') hh ':' mm [':' ss ['.' digits]] [offset]]
// Sets `seconds`; returns false when `text` is not a timestamp. The public
// function wraps it: a bool and an out-parameter stay in registers, where GCC
// builds an optional<int64_t> in memory with a slow partial store.
bool parse_timestamp_seconds(std::string_view text, int default_offset_minutes,
                             std::int64_t& seconds, DateMemo* memo) {
  const std::size_t n = text.size();
  if (n < 10) return false;
  const char* p = text.data();
  // Most rows repeat the last row's date and offset: only the time of day
  // is read.
  if (memo && parse_memo_timestamp(text, *memo, seconds)) return true;
  std::int64_t days = 0;
  if (memo && memo->valid && std::memcmp(p, memo->text, sizeof memo->text) == 0) {
    days = memo->days;
  } else {
    if (!parse_date_at(p, days)) return false;
    if (memo) {
      std::memcpy(memo->text, p, sizeof memo->text);
      std::memcpy(&memo->head, p, sizeof memo->head);
      memo->days = days;
      memo->valid = true;
    }
  }
  seconds = days * 86400;
  if (n == 10) {
    seconds -= std::int64_t{default_offset_minutes} * 60;
    return true;
  }

  // hh:mm
  if (n < 16 || (p[10] != 'T' && p[10] != ' ') || p[13] != ':') return false;
  const unsigned hour = two_digits(p + 11);
  const unsigned minute = two_digits(p + 14);
  if (hour > 23 || minute > 59) return false;
  seconds += hour * 3600 + minute * 60;
  std::size_t i = 16;

  // :ss and a fraction, truncated
  if (i < n && p[i] == ':') {
    if (n < i + 3) return false;
    const unsigned second = two_digits(p + i + 1);
    if (second > 59) return false;
    seconds += second;
    i += 3;
    if (i < n && p[i] == '.') {
      const std::size_t first_digit = ++i;
      while (i < n && is_digit(p[i]))
        ++i;
      if (i == first_digit) return false;
    }
  }

  int offset = default_offset_minutes;
  if (i < n && !parse_offset(p + i, n - i, offset)) return false;
  seconds -= std::int64_t{offset} * 60;
  if (memo && i == 19 && n == 25) { // "+hh:mm" after whole seconds: the layout memoised above
    std::memcpy(memo->offset_text, p + 19, sizeof memo->offset_text);
    memo->offset_minutes = offset;
    memo->offset_valid = true;
    std::memcpy(&memo->tail, p + 17, 8);
    memo->tail &= ~std::uint64_t{0xFFFF};
  }
  return true;
}

} // namespace

std::optional<std::int64_t> parse_timestamp(std::string_view text, int default_offset_minutes) {
  std::int64_t seconds = 0;
  if (!parse_timestamp_seconds(text, default_offset_minutes, seconds, nullptr)) return std::nullopt;
  return seconds;
}

bool parse_timestamp(std::string_view text, int default_offset_minutes, DateMemo& memo,
                     std::int64_t& seconds) {
  return parse_timestamp_seconds(text, default_offset_minutes, seconds, &memo);
}

std::string check_timestamp_pattern(std::string_view pattern) {
  if (pattern == "excel") return "";
  bool year = false, month = false, day = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') continue;
    if (i + 1 == pattern.size()) return "a timestamp format cannot end with '%'";
    char c = pattern[++i];
    if (c == 'Y')
      year = true;
    else if (c == 'm')
      month = true;
    else if (c == 'd')
      day = true;
    else if (c != 'H' && c != 'M' && c != 'S')
      return std::string("unknown timestamp format directive '%") + c +
             "' (use %Y %m %d %H %M %S or \"excel\")";
  }
  if (!year || !month || !day) return "a timestamp format needs %Y, %m and %d";
  return "";
}

std::optional<std::int64_t> parse_timestamp_pattern(std::string_view text, std::string_view pattern,
                                                    int offset_minutes) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  if (pattern == "excel") {
    std::optional<double> serial = parse_number(text);
    // 60 is Excel's 1900-02-29, which did not exist; serials from 61 are exact.
    if (!serial || *serial < 61 || *serial > 2958465) return std::nullopt;
    std::int64_t seconds = static_cast<std::int64_t>(std::llround(*serial * 86400.0));
    std::int64_t days_1899_12_30 = days_from_civil(1899, 12, 30);
    return (days_1899_12_30 * 86400 + seconds) - static_cast<std::int64_t>(offset_minutes) * 60;
  }
  int value[6] = {0, 1, 1, 0, 0, 0}; // Y m d H M S
  std::size_t t = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') {
      if (t >= text.size() || text[t] != pattern[i]) return std::nullopt;
      ++t;
      continue;
    }
    char c = pattern[++i];
    int index = c == 'Y' ? 0 : c == 'm' ? 1 : c == 'd' ? 2 : c == 'H' ? 3 : c == 'M' ? 4 : 5;
    std::size_t most = index == 0 ? 4 : 2, least = index == 0 ? 4 : 1;
    std::size_t digits = 0;
    int number = 0;
    while (digits < most && t < text.size() && text[t] >= '0' && text[t] <= '9') {
      number = number * 10 + (text[t] - '0');
      ++t, ++digits;
    }
    if (digits < least) return std::nullopt;
    value[index] = number;
  }
  if (t != text.size()) return std::nullopt;
  if (value[1] < 1 || value[1] > 12 || value[2] < 1 || value[3] > 23 || value[4] > 59 ||
      value[5] > 59)
    return std::nullopt;
  std::int64_t day = days_from_civil(value[0], value[1], value[2]);
  if (civil_from_days(day).day != value[2]) return std::nullopt; // 2017-02-30
  return day * 86400 + value[3] * 3600 + value[4] * 60 + value[5] -
         static_cast<std::int64_t>(offset_minutes) * 60;
}

} // namespace mrv::detail
