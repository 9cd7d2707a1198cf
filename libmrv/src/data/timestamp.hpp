// Calendar dates and ISO 8601 timestamps, as seconds since 1970-01-01 UTC.
// Civil-date arithmetic after Howard Hinnant's days_from_civil (no time zone
// database: a site is described by a fixed UTC offset).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace mrv::detail {

// Days since 1970-01-01 of a proleptic Gregorian date (valid for years 1..9999).
std::int64_t days_from_civil(int year, int month, int day);
struct CivilDate {
  int year, month, day;
};
CivilDate civil_from_days(std::int64_t days);

// "YYYY-MM-DD" → days since 1970-01-01; nothing for an invalid date (2017-02-30).
std::optional<std::int64_t> parse_date(std::string_view text);
// Formats days since 1970-01-01 as "YYYY-MM-DD".
std::string format_date(std::int64_t days);

// UTC offset "+08:00", "-05:30", "+0800", "Z" → minutes east of UTC.
std::optional<int> parse_utc_offset(std::string_view text);
// Formats minutes east of UTC as "+08:00".
std::string format_utc_offset(int minutes);

// ISO 8601 date-time → seconds since the epoch, UTC.
// Accepted: "YYYY-MM-DD", "YYYY-MM-DDThh:mm", "YYYY-MM-DDThh:mm:ss" with an
// optional fraction of a second (truncated), a space allowed instead of 'T',
// followed by an optional "Z" or "±hh:mm" / "±hhmm" / "±hh". Without an offset,
// `default_offset_minutes` applies (the site's declared offset). "24:00" is
// rejected; seconds 0..59. Nothing is returned for anything else.
std::optional<std::int64_t> parse_timestamp(std::string_view text, int default_offset_minutes);

// The last date a parse_timestamp read, for the next call: rows of logger
// data share their date, so its checks and calendar arithmetic run once per
// date instead of once per row. Same results as without it.
struct DateMemo {
  char text[10] = {};
  std::int64_t days = 0;
  bool valid = false;
  // The "+hh:mm" of the last "YYYY-MM-DDThh:mm:ss+hh:mm" read, the layout
  // loggers write: rows that share it and the date only need their time
  // of day read.
  char offset_text[6] = {};
  int offset_minutes = 0;
  bool offset_valid = false;
  // As parse_memo_timestamp compares them: the first 8 bytes of `text`
  // (kept with it), and the bytes 17 to 24 ("ss+hh:mm") of the text that set
  // `offset_text`, with the seconds zeroed.
  std::uint64_t head = 0, tail = 0;
};

// The memo's common case in a few register operations: a 25-byte
// "YYYY-MM-DDThh:mm:ss+hh:mm" with the memo's date and offset. Gives what
// parse_timestamp gives; false (setting nothing) for anything else, which
// the caller then gives to parse_timestamp.
[[gnu::always_inline]] inline bool parse_memo_timestamp(std::string_view text, const DateMemo& memo,
                                                        std::int64_t& seconds) {
  if (text.size() != 25 || !memo.offset_valid) return false;
  const char* p = text.data();
  std::uint64_t head, time, tail;
  std::memcpy(&head, p, 8);
  std::memcpy(&time, p + 11, 8); // "hh:mm:ss"
  std::memcpy(&tail, p + 17, 8);
  if (head != memo.head || ((tail & ~std::uint64_t{0xFFFF}) != memo.tail) || p[8] != memo.text[8] ||
      p[9] != memo.text[9] || (p[10] != 'T' && p[10] != ' '))
    return false;
  // Digits become 0-9 and the two ':' 0; any other byte leaves a high bit.
  const std::uint64_t d = time ^ 0x3030003030003030ull ^ 0x00003A00003A0000ull;
  if ((d & 0xF0F0F0F0F0F0F0F0ull) != 0 || ((d + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) ||
      (d & 0x0000FF0000FF0000ull) != 0)
    return false;
  const std::uint64_t pairs = d * 10 + (d >> 8); // bytes 0, 3, 6: hh, mm, ss
  const auto hour = static_cast<unsigned>(pairs & 0xFF);
  const auto minute = static_cast<unsigned>(pairs >> 24 & 0xFF);
  const auto second = static_cast<unsigned>(pairs >> 48 & 0xFF);
  if (hour > 23 || minute > 59 || second > 59) return false;
  seconds = memo.days * 86400 + (hour * 3600 + minute * 60 + second) -
            std::int64_t{memo.offset_minutes} * 60;
  return true;
}
// The data path's form: sets `seconds`, returns false for no timestamp.
bool parse_timestamp(std::string_view text, int default_offset_minutes, DateMemo& memo,
                     std::int64_t& seconds);

// Timestamps in a declared layout, in the site's local time:
//   a pattern of %Y (4 digits), %m %d %H %M %S (1 or 2 digits) and literal
//   characters, e.g. "%Y/%m/%d %H:%M" or "%d.%m.%Y %H:%M"; or
//   "excel": a serial day number with a fraction (1900 date system, day 1 =
//   1900-01-01, with Excel's phantom 1900-02-29), rounded to the second.
// check_timestamp_pattern returns "" for a usable pattern, else the problem.
std::string check_timestamp_pattern(std::string_view pattern);
std::optional<std::int64_t> parse_timestamp_pattern(std::string_view text, std::string_view pattern,
                                                    int offset_minutes);

} // namespace mrv::detail
