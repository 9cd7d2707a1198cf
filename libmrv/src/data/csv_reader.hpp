// Streaming RFC 4180 CSV reader over a file or stdin.
//
// Reads with read() into a reused buffer (faster than mmap on the machines
// we measured, and the same path serves stdin), hashes every byte it reads
// with SHA-256 so results can name their inputs, and hands out one row at a
// time as views into its buffer. Memory is bounded by the longest row.
#pragma once

#include "data/sha256.hpp"
#include "mrv/diagnostic.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mrv::detail {

struct CsvDialect {
  char delimiter = ',';
  // Text encoding of the input, as iconv names it ("CP932", "SHIFT_JIS",
  // "UTF-16LE"...); empty for UTF-8. Other encodings are converted to UTF-8
  // as they are read; the hash is of the original bytes.
  std::string encoding;
};

struct CsvRow {
  // Field texts, unquoted and unescaped. Valid until the next call to next().
  std::vector<std::string_view> fields;
  // 1-based byte column in `line` where each field starts (the opening quote
  // for a quoted field), for error carets.
  std::vector<int> columns;
  // 1-based line number of the row's first line in the input.
  std::int64_t line = 0;
  // The raw text of the row's first line, without its line end; valid until
  // the next call to next().
  std::string_view text;
};

class CsvReader {
public:
  // Longest row accepted; a longer one is an error, not an allocation.
  static constexpr std::size_t max_row_bytes = 1 << 20;

  // Opens `path` for reading; "-" reads standard input. `display_name` is
  // what diagnostics call the input (defaults to the path, "<stdin>" for "-").
  // With `hash` false, no SHA-256 is computed (sha256_hex() is empty).
  static Expected<std::unique_ptr<CsvReader>> open(const std::string& path, CsvDialect dialect = {},
                                                   std::string display_name = "", bool hash = true);
  // Reads `header` (a file's first line, with its line end), then the bytes
  // [begin, end) of `path`, without hashing: one part of a file read on
  // several cores. Lines are numbered from 1 at the header.
  static Expected<std::unique_ptr<CsvReader>> open_part(const std::string& path, CsvDialect dialect,
                                                        std::string header, std::int64_t begin,
                                                        std::int64_t end);
  // Reads from a string (tests and fuzzing).
  static std::unique_ptr<CsvReader> from_string(std::string text, std::string display_name,
                                                CsvDialect dialect = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next non-blank row into `row`. Returns false at the end of the
  // input, or a Diagnostic (unterminated quote, row too long, read error...).
  // A UTF-8 byte order mark at the start is skipped; CRLF, LF and a missing
  // final line end are accepted; blank lines are skipped and counted.
  Expected<bool> next(CsvRow& row);

  // The data path's way around next() for plain lines (plain_line.hpp):
  // the whole lines read but not yet parsed, each ending with '\n', with
  // 64 readable bytes from the start of each. Empty at the end of the
  // input, or when the next row is longer than the buffer or ends the input
  // without a line end: next() then reads it. Call after next() has read
  // the header; the view is valid until consume() or next().
  Expected<std::string_view> whole_lines();
  // Marks the first `bytes` of whole_lines(), `lines` lines, as read.
  void consume(std::size_t bytes, std::int64_t lines);
  // The number of the line at the start of whole_lines().
  std::int64_t next_line() const;

  std::int64_t blank_lines() const { return blank_lines_; }
  // The line ends read so far (blank lines and lines inside quoted fields
  // included): once next() has returned false, the input's line ends.
  std::int64_t lines_passed() const;
  const std::string& display_name() const { return display_name_; }
  // SHA-256 (lowercase hex) of every byte of the input; complete once next()
  // has returned false. Empty when opened without hashing.
  std::string sha256_hex() const;

private:
  CsvReader() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::int64_t blank_lines_ = 0;
  std::string display_name_;
};

} // namespace mrv::detail
