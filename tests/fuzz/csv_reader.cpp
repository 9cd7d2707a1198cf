// Fuzzes the CSV reader against a plain reference reader written from the
// documented rules (docs/project-format.md, "CSV"): any bytes, with each
// delimiter a project may declare. Rows, fields, columns, line numbers,
// errors, blank lines and the SHA-256 of the input must all agree.
#include "data/csv_reader.hpp"
#include "data/sha256.hpp"
#include "fuzz_check.hpp"

#include <optional>
#include <vector>

using namespace mrv::detail;

namespace {

struct Row {
  std::vector<std::string> fields;
  std::vector<int> columns;
  std::int64_t line = 0;
  std::string text;
  bool operator==(const Row&) const = default;
};

struct Error {
  std::string message;
  std::int64_t line = 0;
  int column = 0;
};

struct Reading {
  std::vector<Row> rows;
  std::optional<Error> error;
  std::int64_t blank_lines = 0;
};

// The reference: slow and obvious, one byte at a time.
Reading reference_read(std::string_view s, char delimiter) {
  Reading out;
  std::size_t pos = s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  const std::size_t n = s.size();
  std::int64_t line = 1;
  // Length of the line end at i: "\n", "\r\n", or "\r" as the last byte.
  auto line_end = [&](std::size_t i) -> std::size_t {
    if (s[i] == '\n') return 1;
    if (s[i] != '\r') return 0;
    if (i + 1 == n) return 1;
    return s[i + 1] == '\n' ? 2 : 0;
  };
  while (pos < n) {
    if (std::size_t blank = line_end(pos)) {
      pos += blank;
      ++line;
      ++out.blank_lines;
      continue;
    }
    Row row;
    row.line = line;
    const std::size_t row_start = pos;
    std::size_t first_newline = s.find('\n', row_start);
    row.text = s.substr(row_start,
                        (first_newline == std::string_view::npos ? n : first_newline) - row_start);
    if (!row.text.empty() && row.text.back() == '\r') row.text.pop_back();
    std::size_t line_start = row_start;
    std::size_t terminator = 0;
    auto fail = [&](const char* message, std::size_t at, std::int64_t at_line,
                    std::size_t at_line_start) {
      out.error = Error{message, at_line, static_cast<int>(at - at_line_start + 1)};
    };
    for (;;) {
      row.columns.push_back(static_cast<int>(pos - line_start + 1));
      if (pos < n && s[pos] == '"') {
        const std::size_t open = pos, open_line_start = line_start;
        const std::int64_t open_line = line;
        std::string value;
        ++pos;
        for (;;) {
          if (pos == n)
            return fail("unterminated quoted field", open, open_line, open_line_start), out;
          const char c = s[pos++];
          if (c == '\n') {
            ++line;
            line_start = pos;
          }
          if (c != '"') {
            value += c;
            continue;
          }
          if (pos < n && s[pos] == '"') {
            value += '"';
            ++pos;
            continue;
          }
          break;
        }
        row.fields.push_back(value);
        if (pos == n) break;
        if (s[pos] == delimiter) {
          ++pos;
          continue;
        }
        terminator = line_end(pos);
        if (terminator > 0) break;
        return fail("unexpected character after closing quote", pos, line, line_start), out;
      }
      const std::size_t field_start = pos;
      while (pos < n && s[pos] != delimiter) {
        if (s[pos] == '"') return fail("unexpected '\"' in field", pos, line, line_start), out;
        if ((terminator = line_end(pos)) > 0) break;
        ++pos;
      }
      row.fields.emplace_back(s.substr(field_start, pos - field_start));
      if (pos == n || terminator > 0) break;
      ++pos; // the delimiter
    }
    pos += terminator;
    if (terminator > 0) ++line;
    out.rows.push_back(std::move(row));
  }
  return out;
}

Reading mrv_read(const std::string& text, char delimiter, std::string& hash) {
  Reading out;
  CsvDialect dialect;
  dialect.delimiter = delimiter;
  auto reader = CsvReader::from_string(text, "fuzz.csv", dialect);
  CsvRow row;
  for (;;) {
    mrv::Expected<bool> more = reader->next(row);
    if (!more) {
      const mrv::Diagnostic& d = more.error();
      out.error = Error{d.message, d.where.line, d.where.column};
      // An error is final: asking again gives it again.
      mrv::Expected<bool> again = reader->next(row);
      FUZZ_CHECK(!again && again.error().message == d.message);
      break;
    }
    if (!*more) {
      FUZZ_CHECK(!*reader->next(row)); // the end is final too
      hash = reader->sha256_hex();
      break;
    }
    FUZZ_CHECK(row.fields.size() == row.columns.size());
    out.rows.push_back(
        Row{{row.fields.begin(), row.fields.end()}, row.columns, row.line, std::string(row.text)});
  }
  out.blank_lines = reader->blank_lines();
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr char delimiters[] = {',', ';', '\t', '|'};
  const char delimiter = delimiters[data[0] % 4];
  const std::string text(fuzz_text(data + 1, size - 1));
  std::string hash;
  const Reading got = mrv_read(text, delimiter, hash);
  if (text.size() >= CsvReader::max_row_bytes) return 0; // the reference has no row limit
  const Reading want = reference_read(text, delimiter);
  FUZZ_CHECK(got.rows == want.rows);
  FUZZ_CHECK(got.error.has_value() == want.error.has_value());
  if (got.error) {
    FUZZ_CHECK(got.error->message == want.error->message);
    FUZZ_CHECK(got.error->line == want.error->line);
    FUZZ_CHECK(got.error->column == want.error->column);
  } else {
    FUZZ_CHECK(got.blank_lines == want.blank_lines);
    FUZZ_CHECK(hash == sha256_hex(text));
  }
  return 0;
}
