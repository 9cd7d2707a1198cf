#include "data/csv_reader.hpp"

#include <fcntl.h>
#include <iconv.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

namespace mrv::detail {

namespace {

// The buffer holds the longest accepted row plus its "\r\n"; one more byte
// past the data is a '\n' sentinel that stops the unquoted-field scan, and
// the scans may load up to 63 bytes past the sentinel (masked out).
constexpr std::size_t buffer_capacity = CsvReader::max_row_bytes + 2;
constexpr std::size_t buffer_padding = 64;

// What parse_row found at the start of the unread input.
enum class Step { row, blank_line, end_of_input, need_more, error };

// Length of the line end at p ("\n", "\r\n", or "\r" as the last byte of the
// input); 0 when p is not at a line end; -1 when more input is needed to tell.
int line_end_length(const char* p, const char* end, bool eof) {
  if (*p == '\n') return 1;
  if (*p != '\r') return 0;
  if (p + 1 == end) return eof ? 1 : -1;
  return p[1] == '\n' ? 2 : 0;
}

// The physical line starting at `start`, without its line end.
std::string_view line_from(const char* start, const char* end) {
  const void* newline = std::memchr(start, '\n', static_cast<std::size_t>(end - start));
  const char* stop = newline ? static_cast<const char*>(newline) : end;
  if (stop > start && stop[-1] == '\r') --stop;
  return {start, static_cast<std::size_t>(stop - start)};
}

Diagnostic row_too_long(const std::string& file, std::int64_t line) {
  return error_at({file, static_cast<int>(line), 1},
                  "row longer than " + std::to_string(CsvReader::max_row_bytes) + " bytes");
}

#if defined(__SSE2__)
// The 64 bytes at p as two bit masks (bit i for byte p[i]): where the
// delimiter is, and where a byte that needs the general parser ('"', '\r',
// '\n') is.
struct ByteClasses {
  std::uint64_t delimiters;
  std::uint64_t specials;
};

[[gnu::always_inline]] inline std::uint64_t mask_16(__m128i bytes, __m128i delimiter) {
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, delimiter)));
}

[[gnu::always_inline]] inline std::uint64_t specials_16(__m128i bytes) {
  const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
                                                    _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\r'))),
                                       _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n')));
  return static_cast<unsigned>(_mm_movemask_epi8(special));
}

// Written out four times: GCC at -O2 keeps a loop, with shifts by a variable.
[[gnu::always_inline]] inline ByteClasses classify_64(const char* p, __m128i delimiter) {
  const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
  const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32));
  const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48));
  return {mask_16(a, delimiter) | mask_16(b, delimiter) << 16 | mask_16(c, delimiter) << 32 |
              mask_16(d, delimiter) << 48,
          specials_16(a) | specials_16(b) << 16 | specials_16(c) << 32 | specials_16(d) << 48};
}
#endif

} // namespace

struct CsvReader::Impl {
  // Input: a file descriptor, or a string served through the same buffer.
  int fd = -1;
  bool owns_fd = false;
  std::string path; // named in a read error
  std::optional<std::string> text;
  std::size_t text_position = 0;
  // A part of a file (open_part): `text` holds the file's header line, then
  // the bytes [part_next, part_end) of `fd` are read.
  std::int64_t part_next = -1, part_end = -1;

  std::unique_ptr<char[]> buffer =
      std::make_unique_for_overwrite<char[]>(buffer_capacity + buffer_padding);
  std::size_t begin = 0; // first unread byte
  std::size_t end = 0;   // end of the data read so far
  bool eof = false;
  std::int64_t line = 1;     // line number at `begin`
  std::size_t whole_end = 0; // end of the last line end found in the data (whole_lines)

  bool started = false;  // the byte order mark has been looked for
  bool finished = false; // next() has returned false
  std::optional<Diagnostic> failure;

  Sha256 hash;
  std::string hash_hex;
  // A regular file is hashed by a second thread reading it on its own, so
  // that hashing (a quarter of the time, even with SHA-NI) runs beside the
  // parsing on a second core. Pipes are hashed as they are read.
  std::thread hasher;
  std::atomic<bool> stop_hashing{false};
  std::string background_hex;
  bool hashing = true; // false: no SHA-256 wanted
  bool hash_in_background = false;
  bool hash_failed = false;
  void start_background_hash();
  // Conversion to UTF-8 when the input declares another encoding.
  iconv_t converter = reinterpret_cast<iconv_t>(-1);
  std::string encoding;
  std::string raw; // bytes read but not yet converted (a split character)
  bool read_more(char* into, std::size_t room, std::size_t& count);
  // Unescaped text of quoted fields with "" inside. Reserved to the buffer
  // size on first use, so views into it never move while a row is parsed.
  std::string scratch;
  char delimiter = ',';
  // Bytes that end the scan of an unquoted field (where SSE2 is missing).
  std::array<bool, 256> special{};

  explicit Impl(CsvDialect dialect) : delimiter(dialect.delimiter) {
    assert(delimiter != '"' && delimiter != '\r' && delimiter != '\n');
    for (char c : {dialect.delimiter, '"', '\r', '\n'})
      special[static_cast<unsigned char>(c)] = true;
    std::string upper = dialect.encoding;
    for (char& c : upper)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!upper.empty() && upper != "UTF-8" && upper != "UTF8") {
      encoding = dialect.encoding;
      converter = iconv_open("UTF-8", dialect.encoding.c_str());
      if (converter == reinterpret_cast<iconv_t>(-1)) {
        Diagnostic diagnostic;
        diagnostic.code = ExitCode::usage;
        diagnostic.message =
            "unknown text encoding '" + dialect.encoding + "' (iconv --list shows the known ones)";
        failure = std::move(diagnostic);
      }
    }
  }
  ~Impl() {
    stop_hashing = true;
    if (hasher.joinable()) hasher.join();
    if (owns_fd) ::close(fd);
    if (converter != reinterpret_cast<iconv_t>(-1)) iconv_close(converter);
  }

#if defined(__SSE2__)
  // The 64 bytes that parse_simple_row classified last, where the next row
  // most often starts: a row of 40 bytes then costs 40 bytes of
  // classifying, not 64. Null after a refill, which moves the data.
  const char* classified = nullptr;
  ByteClasses classes{0, 0};
#endif
  bool refill(); // false on a read error, recorded in `failure`
  Step parse_row(CsvRow& row, const std::string& file);
  bool parse_simple_row(CsvRow& row);
  const char* find_special(const char* p) const;
  Step fail(Diagnostic diagnostic) {
    failure = std::move(diagnostic);
    return Step::error;
  }
};

// Moves the unread bytes to the front of the buffer and reads more after them.
bool CsvReader::Impl::refill() {
  char* data = buffer.get();
#if defined(__SSE2__)
  classified = nullptr;
#endif
  whole_end = 0;
  if (begin > 0) {
    std::memmove(data, data + begin, end - begin);
    end -= begin;
    begin = 0;
  }
  assert(end < buffer_capacity);
  const std::size_t room = buffer_capacity - end;
  std::size_t count = 0;
  if (converter == reinterpret_cast<iconv_t>(-1)) {
    if (!read_more(data + end, room, count)) return false;
    if (hashing && !hash_in_background) hash.update(data + end, count);
  } else {
    // Read a third of the room: a character grows to at most three UTF-8 bytes.
    std::size_t old_size = raw.size();
    std::size_t want = std::max<std::size_t>(room / 3, 1);
    raw.resize(old_size + want);
    std::size_t got = 0;
    if (!read_more(raw.data() + old_size, want, got)) return false;
    raw.resize(old_size + got);
    if (hashing) hash.update(raw.data() + old_size, got);
    char* in = raw.data();
    std::size_t in_left = raw.size();
    char* out = data + end;
    std::size_t out_left = room;
    if (iconv(converter, &in, &in_left, &out, &out_left) == static_cast<std::size_t>(-1) &&
        (errno == EILSEQ || (errno == EINVAL && got == 0))) {
      Diagnostic diagnostic;
      diagnostic.code = ExitCode::invalid_input;
      diagnostic.where = Location{path, static_cast<int>(line), 0};
      diagnostic.message =
          "the input is not valid " + encoding + " text (after line " + std::to_string(line) + ")";
      failure = std::move(diagnostic);
      return false;
    }
    raw.erase(0, raw.size() - in_left);
    count = room - out_left;
    if (got == 0 && count == 0) count = 0;
  }
  if (count == 0) eof = true;
  end += count;
  data[end] = '\n'; // sentinel
  // What the scans load past it is masked out; defined bytes keep it so for
  // tools that track uninitialised memory (valgrind) too.
  std::memset(data + end + 1, 0, buffer_padding - 1);
  return true;
}

void CsvReader::Impl::start_background_hash() {
  struct stat info;
  // Only an unconverted regular file: its bytes can be read a second time.
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) ||
      converter != reinterpret_cast<iconv_t>(-1))
    return;
  // On one core a second thread only adds a second copy of the file and
  // switches: hash the bytes as they are parsed instead.
  cpu_set_t cpus;
  if (::sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) < 2) return;
  int second = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (second < 0) return;
  hash_in_background = true;
  hasher = std::thread([this, second] {
    background_hex = sha256_of_fd(second, &stop_hashing);
    hash_failed = background_hex.empty() && !stop_hashing;
    ::close(second);
  });
}

// Reads up to `room` bytes of the input into `into`.
bool CsvReader::Impl::read_more(char* into, std::size_t room, std::size_t& count) {
  if (text && (text_position < text->size() || part_end < 0)) {
    count = std::min(room, text->size() - text_position);
    std::memcpy(into, text->data() + text_position, count);
    text_position += count;
    return true;
  }
  ssize_t result;
  do {
    result = part_end < 0
                 ? ::read(fd, into, room)
                 : ::pread(fd, into, std::min(room, static_cast<std::size_t>(part_end - part_next)),
                           part_next);
  } while (result < 0 && errno == EINTR);
  if (part_end >= 0 && result > 0) part_next += result;
  if (result < 0) {
    Diagnostic diagnostic;
    diagnostic.code = ExitCode::cannot_open;
    diagnostic.message = "cannot read '" + path + "': " + std::strerror(errno);
    failure = std::move(diagnostic);
    return false;
  }
  count = static_cast<std::size_t>(result);
  return true;
}

// The first delimiter, '"', '\r' or '\n' at or after p; the sentinel stops it.
// This scan is most of the reader's time: SSE2 looks at 16 bytes at a time.
[[gnu::always_inline]] inline const char* CsvReader::Impl::find_special(const char* p) const {
#if defined(__SSE2__)
  const __m128i delimiters = _mm_set1_epi8(delimiter);
  const __m128i quotes = _mm_set1_epi8('"');
  const __m128i returns = _mm_set1_epi8('\r');
  const __m128i newlines = _mm_set1_epi8('\n');
  for (;; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i found =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, delimiters), _mm_cmpeq_epi8(bytes, quotes)),
                     _mm_or_si128(_mm_cmpeq_epi8(bytes, returns), _mm_cmpeq_epi8(bytes, newlines)));
    if (const int mask = _mm_movemask_epi8(found); mask != 0)
      return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#else
  while (!special[static_cast<unsigned char>(*p)])
    ++p;
  return p;
#endif
}

// The common row: unquoted fields, no '\r' but in a CRLF line end, and the
// line end inside the data read so far. Reads it into `row` and returns
// true, or returns false with nothing consumed, and the general parser then
// reads the row (and finds any error) as if this had not run.
//
// Where the general parser scans each field for the next special byte and
// then branches on which it found, this classifies 64 bytes at a time into
// a mask of delimiters and a mask of the other special bytes: the row ends
// at the first special byte, and its fields are the delimiters before it.
// The fields are written over those of the previous row, which has the same
// number of them in every file worth optimising, instead of clearing both
// vectors and growing them again a field at a time.
[[gnu::always_inline]] inline bool CsvReader::Impl::parse_simple_row(CsvRow& row) {
#if defined(__SSE2__)
  const char* const row_start = buffer.get() + begin;
  const char* const data_end = buffer.get() + end;
  const __m128i delimiters = _mm_set1_epi8(delimiter);

  std::string_view* fields = row.fields.data();
  int* columns = row.columns.data();
  std::size_t room = std::min(row.fields.size(), row.columns.size());
  std::size_t count = 0;
  auto add_field = [&](const char* from, const char* to) {
    if (count == room) [[unlikely]] {
      row.fields.resize(count + 1);
      row.columns.resize(count + 1);
      fields = row.fields.data();
      columns = row.columns.data();
      room = count + 1;
    }
    fields[count] = {from, static_cast<std::size_t>(to - from)};
    columns[count] = static_cast<int>(from - row_start + 1);
    ++count;
  };

  const char* block = row_start;
  std::uint64_t delimiter_bits;
  std::uint64_t special_bits;
  if (classified != nullptr && row_start >= classified && row_start < classified + 64) {
    block = classified; // bits below the row's start belong to earlier rows
    const std::uint64_t from_row_start = ~std::uint64_t{0} << (row_start - block);
    delimiter_bits = classes.delimiters & from_row_start;
    special_bits = classes.specials & from_row_start;
  } else {
    classes = classify_64(block, delimiters);
    delimiter_bits = classes.delimiters;
    special_bits = classes.specials;
  }
  const char* field_start = row_start;
  const char* stop;
  for (;;) {
    if (special_bits != 0) // only the delimiters before the first special byte
      delimiter_bits &= (special_bits & (~special_bits + 1)) - 1;
    while (delimiter_bits != 0) {
      const char* const at = block + __builtin_ctzll(delimiter_bits);
      add_field(field_start, at);
      field_start = at + 1;
      delimiter_bits &= delimiter_bits - 1;
    }
    if (special_bits != 0) {
      stop = block + __builtin_ctzll(special_bits);
      break;
    }
    block += 64;
    classes = classify_64(block, delimiters);
    delimiter_bits = classes.delimiters;
    special_bits = classes.specials;
  }
  classified = block;

  // The sentinel: the row may go on in the next read, or end the input.
  if (stop == data_end) return false;
  int terminator;
  if (*stop == '\n')
    terminator = 1;
  else if (*stop == '\r' && stop + 1 < data_end && stop[1] == '\n')
    terminator = 2;
  else
    return false; // a quote, or a '\r' that is data
  if (static_cast<std::size_t>(stop - row_start) > max_row_bytes) return false;
  add_field(field_start, stop);
  if (count < row.fields.size() || count < row.columns.size()) {
    row.fields.resize(count);
    row.columns.resize(count);
  }
  row.line = line;
  row.text = {row_start, static_cast<std::size_t>(stop - row_start)};
  begin = static_cast<std::size_t>(stop + terminator - buffer.get());
  ++line;
  return true;
#else
  (void)row;
  return false;
#endif
}

// Parses the row at `begin`, or skips one blank line. Fields are views into
// the buffer, or into `scratch` for quoted fields with "" escapes. Returns
// need_more, with nothing consumed, when the row runs past the data read so
// far: the caller refills and the row is parsed again from its start.
Step CsvReader::Impl::parse_row(CsvRow& row, const std::string& file) {
  const char* const row_start = buffer.get() + begin;
  const char* const data_end = buffer.get() + end;
  const char* p = row_start;
  if (p == data_end) return eof ? Step::end_of_input : Step::need_more;
  if (int length = line_end_length(p, data_end, eof); length != 0) {
    if (length < 0) return Step::need_more;
    begin += static_cast<std::size_t>(length);
    ++line;
    return Step::blank_line;
  }
  if (parse_simple_row(row)) return Step::row;

  row.fields.clear();
  row.columns.clear();
  scratch.clear();
  std::int64_t line_number = line;
  const char* line_start = row_start;
  const char* first_line_end = nullptr; // set when a quoted field spans lines
  auto error_here = [&](const char* at, std::int64_t at_line, const char* at_line_start,
                        const char* message) {
    Diagnostic diagnostic = error_at(
        {file, static_cast<int>(at_line), static_cast<int>(at - at_line_start + 1)}, message);
    diagnostic.source_line = line_from(at_line_start, data_end);
    return fail(std::move(diagnostic));
  };

  int terminator = 0; // length of the row's line end
  for (;;) {
    // The column in the physical line where the field starts: the row's
    // first line, unless a quoted field before it spans lines.
    row.columns.push_back(static_cast<int>(p - line_start + 1));
    if (*p == '"') {
      // quoted := '"' (byte other than '"' | '""')* '"'
      const char* const open = p;
      const std::int64_t open_line = line_number;
      const char* const open_line_start = line_start;
      const char* segment = ++p; // text not yet copied to scratch
      std::size_t scratch_start = std::string::npos;
      for (;;) {
        auto* quote =
            static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(data_end - p)));
        if (quote == nullptr) {
          if (!eof) return Step::need_more;
          return error_here(open, open_line, open_line_start, "unterminated quoted field");
        }
        while (auto* newline = static_cast<const char*>(
                   std::memchr(p, '\n', static_cast<std::size_t>(quote - p)))) {
          ++line_number;
          if (first_line_end == nullptr) first_line_end = newline;
          p = line_start = newline + 1;
        }
        if (quote + 1 == data_end && !eof) return Step::need_more;
        if (quote + 1 == data_end || quote[1] != '"') { // the closing quote
          if (scratch_start == std::string::npos) {
            row.fields.emplace_back(segment, static_cast<std::size_t>(quote - segment));
          } else {
            scratch.append(segment, quote);
            row.fields.emplace_back(scratch.data() + scratch_start, scratch.size() - scratch_start);
          }
          p = quote + 1;
          break;
        }
        if (scratch_start == std::string::npos) { // the first "" of this field
          if (scratch.capacity() < buffer_capacity) scratch.reserve(buffer_capacity);
          scratch_start = scratch.size();
        }
        scratch.append(segment, quote + 1); // the text and one '"'
        p = segment = quote + 2;
      }
      if (p == data_end) break; // eof: the last row has no line end
      if (*p == delimiter) {
        ++p;
        continue;
      }
      terminator = line_end_length(p, data_end, eof);
      if (terminator < 0) return Step::need_more;
      if (terminator > 0) break;
      return error_here(p, line_number, line_start, "unexpected character after closing quote");
    }

    // unquoted := bytes other than delimiter, '"', and line ends
    const char* const field_start = p;
    for (;;) {
      p = find_special(p);
      if (p == data_end || *p == delimiter) break;
      if (*p == '"') return error_here(p, line_number, line_start, "unexpected '\"' in field");
      terminator = line_end_length(p, data_end, eof);
      if (terminator != 0) break;
      ++p; // a '\r' inside the field
    }
    if (terminator < 0 || (p == data_end && !eof)) return Step::need_more;
    row.fields.emplace_back(field_start, static_cast<std::size_t>(p - field_start));
    if (p == data_end || terminator > 0) break;
    ++p; // the delimiter
  }

  const auto row_bytes = static_cast<std::size_t>(p - row_start);
  if (row_bytes > max_row_bytes) return fail(row_too_long(file, line));
  if (first_line_end == nullptr)
    first_line_end = p;
  else if (first_line_end > row_start && first_line_end[-1] == '\r')
    --first_line_end;
  row.line = line;
  row.text = {row_start, static_cast<std::size_t>(first_line_end - row_start)};
  begin = static_cast<std::size_t>(p + terminator - buffer.get());
  line = line_number + (terminator > 0 ? 1 : 0);
  return Step::row;
}

Expected<std::unique_ptr<CsvReader>> CsvReader::open(const std::string& path, CsvDialect dialect,
                                                     std::string display_name, bool hash) {
  std::unique_ptr<CsvReader> reader(new CsvReader);
  reader->impl_ = std::make_unique<Impl>(dialect);
  reader->impl_->hashing = hash;
  Impl& impl = *reader->impl_;
  if (path == "-") {
    impl.fd = STDIN_FILENO;
    reader->display_name_ = display_name.empty() ? "<stdin>" : std::move(display_name);
    impl.path = reader->display_name_;
  } else {
    impl.path = path;
    impl.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (impl.fd < 0) return cannot_open(path, std::strerror(errno));
    if (impl.failure) return *impl.failure;
    impl.owns_fd = true;
    ::posix_fadvise(impl.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    if (hash) impl.start_background_hash();
    reader->display_name_ = display_name.empty() ? path : std::move(display_name);
  }
  return reader;
}

Expected<std::unique_ptr<CsvReader>> CsvReader::open_part(const std::string& path,
                                                          CsvDialect dialect, std::string header,
                                                          std::int64_t begin, std::int64_t end) {
  std::unique_ptr<CsvReader> reader(new CsvReader);
  reader->impl_ = std::make_unique<Impl>(dialect);
  Impl& impl = *reader->impl_;
  impl.hashing = false;
  impl.path = path;
  impl.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (impl.fd < 0) return cannot_open(path, std::strerror(errno));
  if (impl.failure) return *impl.failure;
  impl.owns_fd = true;
  ::posix_fadvise(impl.fd, begin, end - begin, POSIX_FADV_SEQUENTIAL);
  impl.text = std::move(header);
  impl.part_next = begin;
  impl.part_end = end;
  reader->display_name_ = path;
  return reader;
}

std::int64_t CsvReader::lines_passed() const {
  return impl_->line - 1;
}

std::unique_ptr<CsvReader> CsvReader::from_string(std::string text, std::string display_name,
                                                  CsvDialect dialect) {
  std::unique_ptr<CsvReader> reader(new CsvReader);
  reader->impl_ = std::make_unique<Impl>(dialect);
  reader->impl_->text = std::move(text);
  reader->impl_->path = display_name;
  reader->display_name_ = std::move(display_name);
  return reader;
}

CsvReader::~CsvReader() = default;

Expected<bool> CsvReader::next(CsvRow& row) {
  Impl& impl = *impl_;
  if (impl.failure) return *impl.failure;
  if (impl.finished) return false;
  if (!impl.started) { // skip a UTF-8 byte order mark
    while (impl.end < 3 && !impl.eof) {
      if (!impl.refill()) return *impl.failure;
    }
    if (impl.end >= 3 && std::memcmp(impl.buffer.get(), "\xEF\xBB\xBF", 3) == 0) impl.begin = 3;
    impl.started = true;
  }
  for (;;) {
    switch (impl.parse_row(row, display_name_)) {
    case Step::row:
      return true;
    case Step::blank_line:
      ++blank_lines_;
      break;
    case Step::end_of_input:
      impl.finished = true;
      if (impl.hash_in_background) {
        impl.hasher.join();
        impl.hash_hex = impl.background_hex;
        if (impl.hash_failed) {
          impl.fail(cannot_open(impl.path, "a read error while hashing it"));
          return *impl.failure;
        }
      } else if (impl.hashing) {
        impl.hash_hex = impl.hash.finish_hex();
      }
      return false;
    case Step::error:
      return *impl.failure;
    case Step::need_more:
      if (impl.begin == 0 && impl.end == buffer_capacity) {
        impl.fail(row_too_long(display_name_, impl.line));
        return *impl.failure;
      }
      if (!impl.refill()) return *impl.failure;
      break;
    }
  }
}

Expected<std::string_view> CsvReader::whole_lines() {
  Impl& impl = *impl_;
  assert(impl.started);
  for (;;) {
    if (impl.failure) return *impl.failure;
    if (impl.begin < impl.whole_end)
      return std::string_view(impl.buffer.get() + impl.begin, impl.whole_end - impl.begin);
    const std::size_t unread = impl.end - impl.begin;
    // Searched from the end: the last line end is within a line of it.
    if (const void* last = ::memrchr(impl.buffer.get() + impl.begin, '\n', unread)) {
      impl.whole_end =
          static_cast<std::size_t>(static_cast<const char*>(last) + 1 - impl.buffer.get());
      continue;
    }
    if (impl.eof || unread == buffer_capacity) return std::string_view();
    if (!impl.refill()) return *impl.failure;
  }
}

void CsvReader::consume(std::size_t bytes, std::int64_t lines) {
  assert(impl_->begin + bytes <= impl_->whole_end);
  impl_->begin += bytes;
  impl_->line += lines;
}

std::int64_t CsvReader::next_line() const {
  return impl_->line;
}

std::string CsvReader::sha256_hex() const {
  return impl_->hash_hex;
}

} // namespace mrv::detail
