#include "data/csv_reader.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using mrv::Diagnostic;
using mrv::ExitCode;
using mrv::detail::CsvDialect;
using mrv::detail::CsvReader;
using mrv::detail::CsvRow;
using mrv::detail::sha256_hex;

namespace {

using Fields = std::vector<std::string>;

struct Row {
  Fields fields;
  std::vector<int> columns;
  std::int64_t line;
  std::string text;
};

Row copy_row(const CsvRow& row) {
  return {Fields(row.fields.begin(), row.fields.end()), row.columns, row.line,
          std::string(row.text)};
}

// Reads every row; fails the test on an error.
std::vector<Row> read_all(CsvReader& reader) {
  std::vector<Row> rows;
  CsvRow row;
  for (;;) {
    auto more = reader.next(row);
    REQUIRE_MESSAGE(more.has_value(), more.error().message);
    if (!*more) break;
    rows.push_back(copy_row(row));
  }
  return rows;
}

std::vector<Row> read_all(const std::string& text, CsvDialect dialect = {}) {
  auto reader = CsvReader::from_string(text, "data.csv", dialect);
  return read_all(*reader);
}

// Reads until the first error and returns it; fails the test if there is none.
Diagnostic first_error(const std::string& text) {
  auto reader = CsvReader::from_string(text, "data.csv");
  CsvRow row;
  for (;;) {
    auto more = reader->next(row);
    if (!more) return more.error();
    REQUIRE_MESSAGE(*more, "expected an error, got the end of the input");
  }
}

// A temporary file removed at the end of the test.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/mrv_csv_test_XXXXXX";
    int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
    ::close(fd);
    path = name;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

} // namespace

TEST_SUITE("csv_reader") {

  TEST_CASE("csv reader: rows are split into fields with their lines, columns and text") {
    auto rows = read_all("time,unit,kWh\n2017-01-01T00:00,PV1,12.5\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"time", "unit", "kWh"});
    CHECK(rows[0].line == 1);
    CHECK(rows[1].fields == Fields{"2017-01-01T00:00", "PV1", "12.5"});
    CHECK(rows[1].columns == std::vector<int>{1, 18, 22});
    CHECK(rows[1].line == 2);
    CHECK(rows[1].text == "2017-01-01T00:00,PV1,12.5");
  }

  TEST_CASE("csv reader: a UTF-8 byte order mark is skipped") {
    auto rows = read_all("\xEF\xBB\xBFtime,kWh\n1,2\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"time", "kWh"});
    CHECK(rows[0].columns == std::vector<int>{1, 6});
    CHECK(rows[0].text == "time,kWh");
  }

  TEST_CASE("csv reader: a byte order mark alone is an empty input") {
    CHECK(read_all("\xEF\xBB\xBF").empty());
    CHECK(read_all("").empty());
  }

  TEST_CASE("csv reader: CRLF line ends are removed from fields and text") {
    auto rows = read_all("a,b\r\nc,\"d\"\r\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"a", "b"});
    CHECK(rows[0].text == "a,b");
    CHECK(rows[1].fields == Fields{"c", "d"});
    CHECK(rows[1].line == 2);
  }

  TEST_CASE("csv reader: blank lines are skipped, counted, and keep the line numbers right") {
    auto reader = CsvReader::from_string("a\n\nb\r\n\r\n\nc\n\n", "data.csv");
    auto rows = read_all(*reader);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].line == 1);
    CHECK(rows[1].fields == Fields{"b"});
    CHECK(rows[1].line == 3);
    CHECK(rows[2].fields == Fields{"c"});
    CHECK(rows[2].line == 6);
    CHECK(reader->blank_lines() == 4);
  }

  TEST_CASE("csv reader: a quoted field keeps its delimiter") {
    auto rows = read_all("\"a,b\",c\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == Fields{"a,b", "c"});
    CHECK(rows[0].columns == std::vector<int>{1, 7});
  }

  TEST_CASE("csv reader: a doubled quote inside a quoted field is one quote") {
    auto rows = read_all("\"say \"\"hi\"\"\",x,\"\"\"\",\"plain\",\"a\"\"b\"\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == Fields{"say \"hi\"", "x", "\"", "plain", "a\"b"});
    CHECK(rows[0].columns == std::vector<int>{1, 14, 16, 21, 29});
  }

  TEST_CASE(
      "csv reader: a quoted field keeps its embedded newline and the line count stays right") {
    auto rows = read_all("id,note\n1,\"line one\nline two\",x\n2,after\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[1].fields == Fields{"1", "line one\nline two", "x"});
    CHECK(rows[1].line == 2);
    CHECK(rows[1].text == "1,\"line one");
    CHECK(rows[1].columns == std::vector<int>{1, 3, 11});
    CHECK(rows[2].fields == Fields{"2", "after"});
    CHECK(rows[2].line == 4);
  }

  TEST_CASE("csv reader: an embedded CRLF is kept in the field but not in the row text") {
    auto rows = read_all("\"a\r\nb\"\r\nnext\r\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"a\r\nb"});
    CHECK(rows[0].text == "\"a");
    CHECK(rows[1].line == 3);
  }

  TEST_CASE("csv reader: the last row may lack its line end") {
    auto rows = read_all("a,b\nc,d");
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].fields == Fields{"c", "d"});
    CHECK(rows[1].text == "c,d");
    auto quoted = read_all("a,\"q\"");
    REQUIRE(quoted.size() == 1);
    CHECK(quoted[0].fields == Fields{"a", "q"});
    auto trailing_cr = read_all("a,b\r");
    REQUIRE(trailing_cr.size() == 1);
    CHECK(trailing_cr[0].fields == Fields{"a", "b"});
  }

  TEST_CASE("csv reader: a row ending with a delimiter has an empty last field") {
    auto rows = read_all("a,b,\n,\n\"\"\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].fields == Fields{"a", "b", ""});
    CHECK(rows[0].columns == std::vector<int>{1, 3, 5});
    CHECK(rows[1].fields == Fields{"", ""});
    CHECK(rows[2].fields == Fields{""});
  }

  TEST_CASE("csv reader: a lone carriage return inside a field is data") {
    auto rows = read_all("a\rb,c\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == Fields{"a\rb", "c"});
  }

  TEST_CASE("csv reader: the delimiter comes from the dialect") {
    auto rows = read_all("a;\"b;c\";d,e\n", CsvDialect{';', ""});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == Fields{"a", "b;c", "d,e"});
  }

  TEST_CASE("csv reader: an unterminated quoted field is reported at its opening quote") {
    Diagnostic error = first_error("a,b\nc,\"open\nmore\n");
    CHECK(error.code == ExitCode::invalid_input);
    CHECK(error.message == "unterminated quoted field");
    CHECK(error.where.file == "data.csv");
    CHECK(error.where.line == 2);
    CHECK(error.where.column == 3);
    CHECK(error.source_line == "c,\"open");
  }

  TEST_CASE("csv reader: a quote inside an unquoted field is reported where it is") {
    Diagnostic error = first_error("x\n\na,b\"c\n");
    CHECK(error.message == "unexpected '\"' in field");
    CHECK(error.where.line == 3);
    CHECK(error.where.column == 4);
    CHECK(error.source_line == "a,b\"c");
  }

  TEST_CASE("csv reader: text after a closing quote is reported where it is") {
    Diagnostic error = first_error("1,\"two\nlines\"x,3\n");
    CHECK(error.message == "unexpected character after closing quote");
    CHECK(error.where.line == 2);
    CHECK(error.where.column == 7);
    CHECK(error.source_line == "lines\"x,3");
  }

  TEST_CASE("csv reader: an error stays the answer to every later call") {
    auto reader = CsvReader::from_string("a\"b\nc\n", "data.csv");
    CsvRow row;
    auto first = reader->next(row);
    REQUIRE(!first);
    auto second = reader->next(row);
    REQUIRE(!second);
    CHECK(second.error().message == "unexpected '\"' in field");
  }

  TEST_CASE("csv reader: a row longer than the limit is an error naming its line") {
    std::string text = "ok\n" + std::string(1100 * 1024, 'x') + "\nnever\n";
    Diagnostic error = first_error(text);
    CHECK(error.message == "row longer than 1048576 bytes");
    CHECK(error.where.file == "data.csv");
    CHECK(error.where.line == 2);
    CHECK(error.where.column == 1);
  }

  TEST_CASE("csv reader: a row of exactly the limit is accepted and one byte more is not") {
    const std::size_t limit = CsvReader::max_row_bytes;
    auto rows = read_all("h\n" + std::string(limit, 'y') + "\r\nz\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[1].fields[0].size() == limit);
    CHECK(rows[2].line == 3);
    Diagnostic error = first_error("h\n" + std::string(limit + 1, 'y') + "\n");
    CHECK(error.message == "row longer than 1048576 bytes");
    CHECK(error.where.line == 2);
    Diagnostic at_end = first_error(std::string(limit + 1, 'y'));
    CHECK(at_end.message == "row longer than 1048576 bytes");
  }

  TEST_CASE("csv reader: rows spanning buffer refills are read intact") {
    // About 3.9 MB: rows straddle each 1 MiB buffer boundary, some inside a
    // quoted field, an escape or a CRLF.
    std::string text;
    std::vector<Fields> expected;
    for (int i = 0; i < 60000; ++i) {
      const std::string id = std::to_string(i);
      switch (i % 4) {
      case 0:
        text += id + ",plain,12.345\n";
        expected.push_back({id, "plain", "12.345"});
        break;
      case 1:
        text += id + ",\"multi\nline " + id + "\",x\r\n";
        expected.push_back({id, "multi\nline " + id, "x"});
        break;
      case 2:
        text += id + ",\"q\"\"" + id + "\"\"\",\"\"\n\n";
        expected.push_back({id, "q\"" + id + "\"", ""});
        break;
      default:
        text += id + ",last";
        text += i % 8 == 3 ? "\r\n" : "\n";
        expected.push_back({id, "last"});
      }
    }
    auto reader = CsvReader::from_string(text, "big.csv");
    auto rows = read_all(*reader);
    REQUIRE(rows.size() == expected.size());
    std::int64_t line = 1;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      REQUIRE(rows[i].fields == expected[i]);
      REQUIRE(rows[i].line == line);
      line += i % 4 == 1 ? 2 : i % 4 == 2 ? 2 : 1;
    }
    CHECK(reader->blank_lines() == 15000);
    CHECK(reader->sha256_hex() == sha256_hex(text));
  }

  TEST_CASE("csv reader: fields are found at every position around a 64-byte block boundary") {
    // Plain rows are split 64 bytes at a time: put a delimiter, the line end
    // and a CRLF's '\r' at each offset in and around the first blocks.
    for (std::size_t length = 0; length < 140; ++length) {
      const std::string long_field(length, 'x');
      auto rows = read_all(long_field + ",y\n" + "a," + long_field + "\r\n" + long_field + "\n");
      REQUIRE(rows.size() == (length == 0 ? 2 : 3));
      CHECK(rows[0].fields == Fields{long_field, "y"});
      CHECK(rows[0].columns == std::vector<int>{1, static_cast<int>(length) + 2});
      CHECK(rows[0].text == long_field + ",y");
      CHECK(rows[1].fields == Fields{"a", long_field});
      CHECK(rows[1].columns == std::vector<int>{1, 3});
      CHECK(rows[1].text == "a," + long_field);
      CHECK(rows[1].line == 2);
      if (length > 0) CHECK(rows[2].fields == Fields{long_field});
    }
  }

  TEST_CASE("csv reader: rows of changing widths reuse the fields of the row before") {
    auto rows = read_all("a,b,c\nd\ne,f,g,h,i\n\"q\",r\ns,t,u\n,\nv\n");
    REQUIRE(rows.size() == 7);
    CHECK(rows[0].fields == Fields{"a", "b", "c"});
    CHECK(rows[1].fields == Fields{"d"});
    CHECK(rows[1].columns == std::vector<int>{1});
    CHECK(rows[2].fields == Fields{"e", "f", "g", "h", "i"});
    CHECK(rows[2].columns == std::vector<int>{1, 3, 5, 7, 9});
    CHECK(rows[3].fields == Fields{"q", "r"});
    CHECK(rows[4].fields == Fields{"s", "t", "u"});
    CHECK(rows[4].columns == std::vector<int>{1, 3, 5});
    CHECK(rows[5].fields == Fields{"", ""});
    CHECK(rows[6].fields == Fields{"v"});
    CHECK(rows[6].line == 7);
  }

  TEST_CASE("csv reader: random rows of every kind read as they were written") {
    // Rows built from known fields: plain, empty, long, quoted with
    // delimiters, escapes and line ends inside, a lone '\r' as data; LF and
    // CRLF line ends, blank lines, no line end at the very end. 3 MB, so
    // rows also straddle the buffer's refills. Plain rows take the reader's
    // fast path and the others its general parser: both must give what was
    // written, with the right lines, columns and row texts.
    std::uint64_t state = 7;
    auto random = [&state](unsigned below) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      return static_cast<unsigned>(state >> 33) % below;
    };
    const std::string letters = "abcxyz019.-:T+ ";
    auto plain = [&](unsigned most) {
      std::string text;
      for (unsigned i = random(most + 1); i > 0; --i)
        text += letters[random(static_cast<unsigned>(letters.size()))];
      return text;
    };
    std::string text;
    std::vector<Row> expected;
    std::int64_t line = 1;
    std::size_t line_start = 0;
    std::int64_t blank = 0;
    while (text.size() < 3'000'000) {
      if (random(20) == 0) {
        text += random(2) ? "\n" : "\r\n";
        ++line, ++blank;
        line_start = text.size();
        continue;
      }
      Row row{{}, {}, line, ""};
      const std::size_t row_start = text.size();
      std::size_t first_line_end = std::string::npos;
      const unsigned width = random(12) + 1;
      for (unsigned f = 0; f < width; ++f) {
        if (f > 0) text += ',';
        row.columns.push_back(static_cast<int>(text.size() - line_start + 1));
        std::string value;
        switch (random(8)) {
        case 0: // quoted, with what only quotes allow
          text += '"';
          for (unsigned i = random(4); i > 0; --i) {
            const std::string piece = plain(6);
            text += piece;
            value += piece;
            const unsigned kind = random(4);
            const std::string extra = kind == 0   ? "\""
                                      : kind == 1 ? ","
                                      : kind == 2 ? "\n"
                                                  : "\r\n";
            text += kind == 0 ? "\"\"" : extra;
            value += extra;
            if (kind >= 2) {
              // The row's text is its first line, without the line end.
              if (first_line_end == std::string::npos) first_line_end = text.size() - extra.size();
              ++line;
              line_start = text.size();
            }
          }
          text += '"';
          break;
        case 1: // a carriage return inside the field is data
          value = plain(5) + "x\ry" + plain(5);
          text += value;
          break;
        case 2: // long, across a block or two
          value = plain(150);
          text += value;
          break;
        default:
          value = plain(12);
          text += value;
        }
        row.fields.push_back(value);
      }
      if (width == 1 && row.fields[0].empty() && text[text.size() - 1] != '"') {
        text += "\"\""; // an empty line would be a blank line, not a row
      }
      if (first_line_end == std::string::npos) first_line_end = text.size();
      row.text = text.substr(row_start, first_line_end - row_start);
      expected.push_back(row);
      text += random(2) ? "\n" : "\r\n";
      ++line;
      line_start = text.size();
    }
    text += "end,\"of\",input"; // no line end
    expected.push_back({{"end", "of", "input"}, {1, 5, 10}, line, "end,\"of\",input"});

    auto reader = CsvReader::from_string(text, "random.csv");
    auto rows = read_all(*reader);
    REQUIRE(rows.size() == expected.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      INFO("row " << i << " at line " << expected[i].line);
      REQUIRE(rows[i].fields == expected[i].fields);
      REQUIRE(rows[i].columns == expected[i].columns);
      REQUIRE(rows[i].line == expected[i].line);
      REQUIRE(rows[i].text == expected[i].text);
    }
    CHECK(reader->blank_lines() == blank);
  }

  TEST_CASE("csv reader: the hash covers every byte of the input, byte order mark included") {
    const std::string text = "\xEF\xBB\xBF"
                             "a,b\r\n\r\n\"c\"\"\",d";
    auto reader = CsvReader::from_string(text, "data.csv");
    read_all(*reader);
    CHECK(reader->sha256_hex() == sha256_hex(text));
    auto empty = CsvReader::from_string("", "empty.csv");
    read_all(*empty);
    CHECK(empty->sha256_hex() ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  TEST_CASE("csv reader: a file is read and named by its path unless told otherwise") {
    const std::string text = "a,b\n1,\"2\n3\"\n";
    TempFile file(text);
    auto reader = CsvReader::open(file.path);
    REQUIRE(reader);
    CHECK((*reader)->display_name() == file.path);
    auto rows = read_all(**reader);
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].fields == Fields{"1", "2\n3"});
    CHECK((*reader)->sha256_hex() == sha256_hex(text));
    auto named = CsvReader::open(file.path, {}, "site.csv");
    REQUIRE(named);
    CHECK((*named)->display_name() == "site.csv");
  }

  TEST_CASE("csv reader: a missing file cannot be opened") {
    auto reader = CsvReader::open("/nonexistent/mrv/missing.csv");
    REQUIRE(!reader);
    CHECK(reader.error().code == ExitCode::cannot_open);
    CHECK(reader.error().message ==
          "cannot open '/nonexistent/mrv/missing.csv': No such file or directory");
  }

  TEST_CASE("csv reader: a read error is reported with the path") {
    char name[] = "/tmp/mrv_csv_dir_XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    const std::string path = name;
    auto reader = CsvReader::open(path);
    REQUIRE(reader); // a directory opens, but cannot be read
    CsvRow row;
    auto more = (*reader)->next(row);
    ::rmdir(name);
    REQUIRE(!more);
    CHECK(more.error().code == ExitCode::cannot_open);
    CHECK(more.error().message == "cannot read '" + path + "': Is a directory");
  }

  TEST_CASE("csv reader: \"-\" reads standard input, called <stdin>") {
    TempFile file("x,y\n1,2\n");
    const int saved = ::dup(STDIN_FILENO);
    REQUIRE(saved >= 0);
    const int fd = ::open(file.path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    ::dup2(fd, STDIN_FILENO);
    ::close(fd);
    auto reader = CsvReader::open("-");
    std::vector<Row> rows;
    if (reader) rows = read_all(**reader);
    ::dup2(saved, STDIN_FILENO);
    ::close(saved);
    REQUIRE(reader);
    CHECK((*reader)->display_name() == "<stdin>");
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].fields == Fields{"1", "2"});
  }

  TEST_CASE("csv reader: a pipe delivering a few bytes at a time gives the same rows") {
    std::string text = "\xEF\xBB\xBF"
                       "id,note\r\n";
    for (int i = 0; i < 2000; ++i) {
      const std::string id = std::to_string(i);
      text += id + ",\"a \"\"" + id + "\"\"\r\nb\"\r\n" + (i % 3 == 0 ? "\r\n" : "") + id + ",x\n";
    }
    text += "last,\"q\"";
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    std::thread writer([&text, fd = pipe_fds[1]] {
      std::size_t position = 0;
      for (std::size_t chunk = 1; position < text.size(); chunk = chunk % 7 + 1) {
        const std::size_t size = std::min(chunk, text.size() - position);
        if (::write(fd, text.data() + position, size) != static_cast<ssize_t>(size)) break;
        position += size;
      }
      ::close(fd);
    });
    // Nothing here may throw before the writer is joined.
    auto reader = CsvReader::open("/dev/fd/" + std::to_string(pipe_fds[0]));
    std::vector<Row> rows;
    std::string error;
    CsvRow row;
    while (reader && error.empty()) {
      auto more = (*reader)->next(row);
      if (!more)
        error = more.error().message;
      else if (!*more)
        break;
      else
        rows.push_back(copy_row(row));
    }
    char sink[4096]; // let the writer finish whatever happened
    while (::read(pipe_fds[0], sink, sizeof sink) > 0) {
    }
    writer.join();
    ::close(pipe_fds[0]);
    REQUIRE(reader);
    REQUIRE(error == "");
    auto expected_reader = CsvReader::from_string(text, "data.csv");
    auto expected = read_all(*expected_reader);
    REQUIRE(expected.size() == 4002);
    REQUIRE(rows.size() == expected.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      REQUIRE(rows[i].fields == expected[i].fields);
      REQUIRE(rows[i].line == expected[i].line);
      REQUIRE(rows[i].columns == expected[i].columns);
      REQUIRE(rows[i].text == expected[i].text);
    }
    CHECK(expected[1].fields == Fields{"0", "a \"0\"\r\nb"});
    CHECK(expected[2].line == 5);
    CHECK(expected.back().fields == Fields{"last", "q"});
    CHECK((*reader)->blank_lines() == 667);
    CHECK((*reader)->sha256_hex() == sha256_hex(text));
  }
}
