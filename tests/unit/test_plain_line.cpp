// The data path's plain-line reader (data/plain_line.hpp), its padded
// number and memoised timestamp readers, and CsvReader::whole_lines(): each
// gives what the general reader gives, or declines.
#include "data/csv_reader.hpp"
#include "data/plain_line.hpp"
#include "data/text_number.hpp"
#include "data/timestamp.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace mrv::detail;

namespace {

// `text` at the start of a buffer with 64 readable bytes after any of it.
struct Padded {
  std::vector<char> bytes;
  explicit Padded(const std::string& text, char fill = 'x') : bytes(text.begin(), text.end()) {
    bytes.resize(bytes.size() + 128, fill);
  }
  const char* data() const { return bytes.data(); }
  std::string_view view(std::size_t size) const { return {bytes.data(), size}; }
};

std::string field_of(const std::string& line, const PlainLine& plain, unsigned k) {
  std::vector<std::string> fields{""};
  for (unsigned i = 0; i < plain.length; ++i)
    if (plain.delimiters >> i & 1)
      fields.emplace_back();
    else
      fields.back() += line[i];
  return k < fields.size() ? fields[k] : "<none>";
}

} // namespace

TEST_SUITE("plain_line") {

  TEST_CASE("plain line: its end, its length and its delimiters") {
    const std::string line = "2017-01-01T00:00:00+08:00,PV01,OK,0.000\nnext,line\n";
    Padded padded(line);
    PlainLine plain;
    REQUIRE(read_plain_line(padded.data(), ',', plain));
    CHECK(plain.length == 39);
    CHECK(plain.next == 40);
    CHECK(__builtin_popcountll(plain.delimiters) == 3);
    CHECK(field_of(line, plain, 1) == "PV01");
    CHECK(field_of(line, plain, 3) == "0.000");
  }

  TEST_CASE("plain line: a CRLF line end is plain, its '\\r' not in the text") {
    Padded padded("a;b\r\n");
    PlainLine plain;
    REQUIRE(read_plain_line(padded.data(), ';', plain));
    CHECK(plain.length == 3);
    CHECK(plain.next == 5);
    CHECK(plain.delimiters == 0b10);
  }

  TEST_CASE("plain line: anything else is left to the general reader") {
    PlainLine plain;
    for (const char* text : {"a,\"b\"\n", "a,b\rc\n", "\n", "\r\n", "a,\"b\nc\"\n"}) {
      CAPTURE(text);
      CHECK_FALSE(read_plain_line(Padded(text).data(), ',', plain));
    }
    CHECK(read_plain_line(Padded(std::string(63, 'a') + "\n").data(), ',', plain));
    CHECK_FALSE(read_plain_line(Padded(std::string(64, 'a') + "\n").data(), ',', plain));
    // Only the bytes before the line end count: a quote after it is another line's.
    CHECK(read_plain_line(Padded("a,b\n\"c\"\n").data(), ',', plain));
  }

  TEST_CASE("plain line: every layout of up to 63 bytes reads as the general reader reads it") {
    std::mt19937 random(7);
    const std::string alphabet = "ab,;\"\r 1.";
    for (int round = 0; round < 20000; ++round) {
      std::string line;
      const auto size = random() % 70;
      for (std::size_t i = 0; i < size; ++i)
        line += alphabet[random() % alphabet.size()];
      line += '\n';
      PlainLine plain;
      Padded padded(line, '\n');
      if (!read_plain_line(padded.data(), ',', plain)) continue;
      CAPTURE(line);
      auto reader = CsvReader::from_string(line, "t.csv");
      CsvRow row;
      REQUIRE((*reader->next(row)));
      CHECK(row.text.size() == plain.length);
      REQUIRE(row.fields.size() ==
              static_cast<std::size_t>(__builtin_popcountll(plain.delimiters)) + 1);
      for (unsigned k = 0; k < row.fields.size(); ++k)
        CHECK(row.fields[k] == field_of(line, plain, k));
    }
  }

  TEST_CASE("plain line: fields picked by index, found again when the delimiters move") {
    const unsigned wanted[] = {0, 1, 3};
    FieldPicker picker(4, wanted);
    std::string_view texts[FieldPicker::picked];
    for (const std::string line : {"2017,PV01,OK,1.5\n", "2017,PV01,OK,12.25\n", "2017,PV1,,7\n"}) {
      Padded padded(line);
      PlainLine plain;
      REQUIRE(read_plain_line(padded.data(), ',', plain));
      REQUIRE(picker.pick(padded.data(), plain, texts));
      CHECK(texts[0] == field_of(line, plain, 0));
      CHECK(texts[1] == field_of(line, plain, 1));
      CHECK(texts[2] == field_of(line, plain, 3));
    }
    Padded five("a,b,c,d,e\n");
    PlainLine plain;
    REQUIRE(read_plain_line(five.data(), ',', plain));
    CHECK_FALSE(picker.pick(five.data(), plain, texts));
  }

  TEST_CASE("plain line: a repeated text gives the value kept for it, and nothing else does") {
    RepeatedText last;
    std::int64_t value = 0;
    for (std::size_t size = 0; size < 40; ++size) // nothing kept yet: no text is the same
      CHECK_FALSE(last.same(Padded(std::string(size, '\0')).view(size), value));
    Padded a("2017-01-01T00:00:00+08:00,PV01");
    CHECK_FALSE(last.same(a.view(25), value));
    last.keep(a.view(25), 42);
    Padded b("2017-01-01T00:00:00+08:00,PV02");
    CHECK(last.same(b.view(25), value));
    CHECK(value == 42);
    Padded c("2017-01-01T00:01:00+08:00,PV01");
    CHECK_FALSE(last.same(c.view(25), value));
    CHECK_FALSE(last.same(a.view(24), value));
    Padded long_text(std::string(32, '7'));
    last.keep(long_text.view(32), 9);
    CHECK(last.same(Padded(std::string(32, '7')).view(32), value));
    CHECK_FALSE(last.same(Padded(std::string(31, '7') + "8").view(32), value));
    last.keep(Padded(std::string(33, '7')).view(33), 1); // too long: nothing kept
    CHECK(last.same(long_text.view(32), value));
  }

  TEST_CASE("plain line: the padded number reader gives what the general one gives, or declines") {
    std::mt19937 random(11);
    const std::string alphabet = "0123456789.-+e ";
    int accepted = 0;
    for (int round = 0; round < 200000; ++round) {
      std::string text;
      const auto size = 1 + random() % 18;
      for (std::size_t i = 0; i < size; ++i)
        text += alphabet[random() % (round % 2 ? 12 : alphabet.size())];
      Padded padded(text, '9');
      double value = 0;
      std::int64_t mantissa = 0;
      int decimals = 0;
      if (!parse_reading_padded(padded.view(text.size()), value, mantissa, decimals)) continue;
      ++accepted;
      CAPTURE(text);
      double general = 0;
      bool exact = false;
      std::int64_t general_mantissa = 0;
      int general_decimals = 0;
      REQUIRE(parse_number_and_decimal(text, general, exact, general_mantissa, general_decimals));
      CHECK(std::memcmp(&value, &general, sizeof value) == 0);
      CHECK(exact);
      CHECK(mantissa == general_mantissa);
      CHECK(decimals == general_decimals);
    }
    CHECK(accepted > 10000);
    double value = 0;
    std::int64_t mantissa = 0;
    int decimals = 0;
    for (const char* text : {"12.345", "-0.5", "0.000", "5.", ".5", "1234567.8765432"}) {
      CAPTURE(text);
      CHECK(parse_reading_padded(Padded(text).view(std::strlen(text)), value, mantissa, decimals));
    }
    for (const char* text : {"", "-", ".", "+1", "1e3", "1.2.3", " 1", "123456789.1", "1.123456789",
                             "12345678.12345678"}) {
      CAPTURE(text);
      CHECK_FALSE(
          parse_reading_padded(Padded(text).view(std::strlen(text)), value, mantissa, decimals));
    }
  }

  TEST_CASE("plain line: the memoised timestamp gives what parse_timestamp gives, or declines") {
    std::mt19937 random(5);
    DateMemo memo;
    int used = 0;
    const char* dates[] = {"2017-01-01", "2017-01-02", "2017-02-01", "2016-02-29", "2017-01-0x"};
    const char* offsets[] = {"+08:00", "-05:30", "+08:00", "Z"};
    for (int round = 0; round < 100000; ++round) {
      char time[9];
      std::snprintf(time, sizeof time, "%02u:%02u:%02u", static_cast<unsigned>(random() % 26),
                    static_cast<unsigned>(random() % 62), static_cast<unsigned>(random() % 62));
      if (random() % 50 == 0) time[random() % 8] = "x:9/ "[random() % 5];
      std::string text = std::string(dates[random() % 5]) + (random() % 9 ? "T" : " ") + time +
                         offsets[random() % 4];
      if (random() % 10 == 0) text = text.substr(0, 16); // a short row moves the memo's date
      CAPTURE(text);
      std::int64_t fast = 0;
      const bool taken = parse_memo_timestamp(text, memo, fast);
      std::int64_t general = 0;
      const bool valid = parse_timestamp(text, 480, memo, general);
      if (taken) {
        ++used;
        CHECK(valid);
        CHECK(fast == general);
      }
      CHECK(parse_timestamp(text, 480).has_value() == valid);
      if (valid) CHECK(*parse_timestamp(text, 480) == general);
    }
    CHECK(used > 1000);
  }

  TEST_CASE("plain line: the reader's whole lines are the unread lines up to the last line end") {
    auto reader = CsvReader::from_string("h1,h2\n1,2\n\n3,4\n5,6", "t.csv");
    CsvRow row;
    REQUIRE((*reader->next(row))); // the header
    std::string_view lines = (*reader->whole_lines());
    CHECK(lines == "1,2\n\n3,4\n");
    CHECK(reader->next_line() == 2);
    reader->consume(4, 1); // "1,2\n"
    CHECK(reader->next_line() == 3);
    CHECK((*reader->whole_lines()) == "\n3,4\n");
    REQUIRE((*reader->next(row))); // the blank line is skipped and counted
    CHECK(row.line == 4);
    CHECK(row.text == "3,4");
    CHECK(reader->blank_lines() == 1);
    CHECK((*reader->whole_lines()).empty()); // "5,6" has no line end: next() reads it
    REQUIRE((*reader->next(row)));
    CHECK(row.text == "5,6");
    CHECK(row.line == 5);
    CHECK_FALSE((*reader->next(row)));
    CHECK((*reader->whole_lines()).empty());
  }

  TEST_CASE("plain line: the reader's whole lines refill past the buffer, and every line is served "
            "once") {
    std::string text = "h\n";
    for (int i = 0; i < 200000; ++i)
      text += std::to_string(i) + "\n";
    auto reader = CsvReader::from_string(text, "t.csv");
    CsvRow row;
    REQUIRE((*reader->next(row)));
    std::string seen;
    std::int64_t lines = 0;
    for (;;) {
      const std::string_view whole = (*reader->whole_lines());
      if (whole.empty()) break;
      // Take half of the lines (at least one), as the data path stops at a line it cannot read.
      std::size_t take = 0;
      std::int64_t taken = 0;
      while (take < whole.size() / 2 || taken == 0) {
        take = whole.find('\n', take) + 1;
        ++taken;
      }
      seen.append(whole.substr(0, take));
      reader->consume(take, taken);
      lines += taken;
    }
    CHECK(seen == text.substr(2));
    CHECK(lines == 200000);
    CHECK(reader->next_line() == 200002);
    CHECK_FALSE((*reader->next(row)));
  }
}
