// Fuzzes dates, UTC offsets and ISO 8601 timestamps: what is accepted must
// print back as written, lie inside its day, and agree with the date alone;
// civil-date arithmetic must round-trip over the whole supported range.
#include "data/timestamp.hpp"
#include "fuzz_check.hpp"

#include <cstring>

using namespace mrv::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The site's offset when the text has none: -23:59 .. +23:59.
  const int default_offset = (data[0] << 8 | data[1]) % (2 * 1439 + 1) - 1439;
  const std::string_view text = fuzz_text(data + 2, size - 2);

  if (const std::optional<std::int64_t> days = parse_date(text)) {
    FUZZ_CHECK(format_date(*days) == text);
    const CivilDate date = civil_from_days(*days);
    FUZZ_CHECK(days_from_civil(date.year, date.month, date.day) == *days);
  }

  if (const std::optional<int> minutes = parse_utc_offset(text)) {
    FUZZ_CHECK(*minutes >= -(23 * 60 + 59) && *minutes <= 23 * 60 + 59);
    FUZZ_CHECK(parse_utc_offset(format_utc_offset(*minutes)) == minutes);
  }

  // The memo of the last date, kept across inputs as across rows, changes
  // nothing: the same answer as without it.
  static DateMemo memo;
  std::int64_t memo_seconds = 0;
  const bool memo_read = parse_timestamp(text, default_offset, memo, memo_seconds);
  const std::optional<std::int64_t> fresh = parse_timestamp(text, default_offset);
  FUZZ_CHECK(memo_read == fresh.has_value() && (!memo_read || memo_seconds == *fresh));

  if (const std::optional<std::int64_t> seconds = parse_timestamp(text, default_offset)) {
    const std::optional<std::int64_t> day = parse_date(text.substr(0, 10));
    FUZZ_CHECK(day.has_value());
    int offset = default_offset;
    if (text.size() > 16) {
      // The offset is whatever follows the time; find it the slow way.
      std::size_t i = 16;
      if (text[i] == ':') {
        i += 3;
        if (i < text.size() && text[i] == '.')
          for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
          }
      }
      if (i < text.size()) {
        const std::optional<int> written = parse_utc_offset(text.substr(i));
        FUZZ_CHECK(written.has_value());
        offset = *written;
      }
    }
    const std::int64_t local = *seconds + std::int64_t{offset} * 60 - *day * 86400;
    FUZZ_CHECK(local >= 0 && local < 86400);
    if (text.size() == 10) FUZZ_CHECK(local == 0);
  }

  // days_from_civil and civil_from_days are inverse over years 1..9999.
  if (size >= 6) {
    const int year = 1 + (data[2] << 8 | data[3]) % 9999;
    const int month = 1 + data[4] % 12;
    const int day = 1 + data[5] % 28;
    const CivilDate date = civil_from_days(days_from_civil(year, month, day));
    FUZZ_CHECK(date.year == year && date.month == month && date.day == day);
  }
  return 0;
}
