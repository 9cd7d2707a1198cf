#include "engine/read_in_parts.hpp"

#include "data/sha256.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <thread>
#include <vector>

namespace mrv::detail {

namespace {

// A file descriptor closed when it goes.
struct File {
  int fd = -1;
  explicit File(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~File() {
    if (fd >= 0) ::close(fd);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
};

// The offset just after the first '\n' at or after `from`, or -1.
std::int64_t line_start_after(int fd, std::int64_t from, std::int64_t size) {
  std::vector<char> chunk(1 << 16);
  while (from < size) {
    const ssize_t got = ::pread(fd, chunk.data(), chunk.size(), from);
    if (got <= 0) return -1;
    if (const void* newline = std::memchr(chunk.data(), '\n', static_cast<std::size_t>(got)))
      return from + (static_cast<const char*>(newline) - chunk.data()) + 1;
    from += got;
  }
  return -1;
}

// The file's first line with its line end: every part after the first is
// read after it, so that its columns are found as in the first.
std::optional<std::string> header_line(int fd, std::int64_t size) {
  const std::int64_t end = line_start_after(fd, 0, size);
  if (end <= 0 || end > (1 << 20)) return std::nullopt;
  std::string header(static_cast<std::size_t>(end), '\0');
  if (::pread(fd, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size()))
    return std::nullopt;
  // A quoted header could span lines: not worth the care.
  if (header.find('"') != std::string::npos) return std::nullopt;
  return header;
}

// One part: its bytes, its twin and what reading it gave.
struct Part {
  std::int64_t begin = 0, end = 0;
  std::unique_ptr<Aggregation> twin;
  RowCounts counts;
  std::int64_t lines = 0; // line ends read, the header's included
  bool ok = false;
};

void read_part(Part& part, std::size_t source, const std::string& path, const CsvDialect& dialect,
               const std::string& header) {
  Expected<std::unique_ptr<CsvReader>> reader =
      CsvReader::open_part(path, dialect, header, part.begin, part.end);
  if (!reader) return;
  part.ok = static_cast<bool>(part.twin->read(source, **reader, part.counts));
  part.lines = (*reader)->lines_passed();
}

// Whether the file's first rows take the path that can be split, and with
// which interval: read into a twin of their own.
std::optional<SourceInterval> probe(const Aggregation& aggregation, std::size_t source,
                                    const std::string& path, const CsvDialect& dialect, int fd,
                                    std::int64_t size) {
  const std::int64_t end = line_start_after(fd, std::min<std::int64_t>(size, 1 << 20), size);
  Part first{0, end < 0 ? size : end, aggregation.part_twin(), {}, 0, false};
  read_part(first, source, path, dialect, "");
  if (!first.ok || !first.twin->splittable(source)) return std::nullopt;
  return *first.twin->interval_read(source);
}

std::vector<Part> cut(const Aggregation& aggregation, int fd, std::int64_t size, unsigned count) {
  std::vector<Part> parts;
  std::int64_t begin = 0;
  for (unsigned k = 1; k <= count && begin < size; ++k) {
    std::int64_t end = k == count ? size : line_start_after(fd, size / count * k, size);
    if (end < 0) end = size;
    if (end <= begin) continue;
    parts.push_back(Part{begin, end, aggregation.part_twin(), {}, 0, false});
    begin = end;
  }
  return parts;
}

void add_counts(RowCounts& into, const RowCounts& more) {
  into.read += more.read;
  into.used += more.used;
  into.outside_periods += more.outside_periods;
  into.blank_lines += more.blank_lines;
  into.missing_values += more.missing_values;
  into.duplicates += more.duplicates;
}

} // namespace

unsigned read_in_parts(Aggregation& aggregation, std::size_t source, const std::string& path,
                       const CsvDialect& dialect, const PartsPlan& plan, RowCounts& counts,
                       std::string& sha256) {
  // Each part has the summaries of every month and unit: a project with
  // very many of them is read in one pass rather than with copies of them.
  constexpr std::size_t kMostSummaries = 250'000; // about 110 MB a part
  if (plan.jobs < 2 || !dialect.encoding.empty() || aggregation.has_read(source) ||
      aggregation.summaries() > kMostSummaries)
    return 0;
  File file(path);
  struct stat info;
  if (file.fd < 0 || ::fstat(file.fd, &info) != 0 || !S_ISREG(info.st_mode)) return 0;
  const std::int64_t size = info.st_size;
  const auto count = static_cast<unsigned>(
      std::min<std::int64_t>(plan.jobs, size / std::max<std::int64_t>(plan.part_bytes, 1)));
  if (count < 2) return 0;
  const std::optional<std::string> header = header_line(file.fd, size);
  if (!header) return 0;
  const std::optional<SourceInterval> interval =
      probe(aggregation, source, path, dialect, file.fd, size);
  if (!interval) return 0;

  std::vector<Part> parts = cut(aggregation, file.fd, size, count);
  std::vector<std::thread> threads;
  std::thread hasher;
  if (plan.hash) hasher = std::thread([&] { sha256 = sha256_of_file(path); });
  for (std::size_t k = 1; k < parts.size(); ++k) {
    parts[k].twin->assume_interval(*interval);
    threads.emplace_back(read_part, std::ref(parts[k]), source, std::cref(path), std::cref(dialect),
                         std::cref(*header));
  }
  read_part(parts[0], source, path, dialect, "");
  for (std::thread& t : threads)
    t.join();
  if (hasher.joinable()) hasher.join();

  // Part k's rows are numbered from its header line (1): its first row is
  // line 2, and the file's line 1 + the line ends before the part.
  std::vector<std::unique_ptr<Aggregation>> twins;
  std::vector<std::int64_t> deltas;
  std::int64_t line_ends_before = 0;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (!parts[k].ok) return 0;
    deltas.push_back(k == 0 ? 0 : line_ends_before - 1);
    line_ends_before += parts[k].lines - (k == 0 ? 0 : 1);
    twins.push_back(std::move(parts[k].twin));
  }
  if (plan.hash && sha256.empty()) return 0;
  if (!aggregation.absorb_parts(source, twins, deltas)) return 0;
  for (const Part& part : parts)
    add_counts(counts, part.counts);
  return static_cast<unsigned>(parts.size());
}

} // namespace mrv::detail
