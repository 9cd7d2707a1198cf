// The benchmark's plain hand-written C++ loop (bench/README.md): what a
// programmer writes in an afternoon for the aggregation of bench/run.sh, as a
// yardstick for mrv calc on the same file:
//   baseline FILE  →  UNIT,MONTH,tCO2 lines (sum of kWh × EF / 1000)
// read() into a reused 1 MiB buffer, lines split by memchr, fields by
// position, numbers by std::from_chars; no validation at all. EF per unit as
// bench/project.yaml's connection cases give it: PV01-PV05 on the national
// grid (0.797 tCO2/MWh), PV06-PV10 on an internal grid with a captive
// generator or off the national grid (0.533).
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace {

constexpr int max_units = 100;
constexpr int first_year = 2000, years = 100;

struct Sums {
  std::vector<double> t = std::vector<double>(max_units * years * 12, 0.0);
  double& at(int unit, int year, int month) {
    return t[static_cast<std::size_t>((unit * years + (year - first_year)) * 12 + month - 1)];
  }
};

int digits(std::string_view s) {
  int v = 0;
  for (char c : s)
    v = v * 10 + (c - '0');
  return v;
}

// timestamp,unit,status,energy_kWh: "2017-01-01T00:00:00+08:00,PV01,OK,0.000"
void add_line(std::string_view line, Sums& sums) {
  const std::size_t c1 = line.find(',');
  const std::size_t c2 = line.find(',', c1 + 1);
  const std::size_t c3 = line.find(',', c2 + 1);
  if (c3 == std::string_view::npos || c3 + 1 >= line.size()) return; // empty reading
  const int unit = digits(line.substr(c1 + 3, c2 - c1 - 3));         // after "PV"
  const int year = digits(line.substr(0, 4)), month = digits(line.substr(5, 2));
  double kwh = 0;
  std::from_chars(line.data() + c3 + 1, line.data() + line.size(), kwh);
  const double ef = unit <= 5 ? 0.797 : 0.533;
  sums.at(unit, year, month) += kwh * ef;
}

} // namespace

int main(int argc, char** argv) {
  const int fd = argc > 1 ? ::open(argv[1], O_RDONLY) : STDIN_FILENO;
  if (fd < 0) {
    std::perror(argv[1]);
    return 66;
  }
  Sums sums;
  std::vector<char> buffer(1 << 20);
  std::size_t kept = 0; // bytes of an unfinished line carried to the next read
  bool header = true;
  for (;;) {
    const ssize_t got = ::read(fd, buffer.data() + kept, buffer.size() - kept);
    if (got < 0) {
      std::perror("read");
      return 74;
    }
    const std::size_t size = kept + static_cast<std::size_t>(got);
    const char* p = buffer.data();
    const char* end = p + size;
    while (const char* nl =
               static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) {
      if (!header) add_line(std::string_view(p, static_cast<std::size_t>(nl - p)), sums);
      header = false;
      p = nl + 1;
    }
    kept = static_cast<std::size_t>(end - p);
    if (got == 0) {
      if (kept > 0 && !header) add_line(std::string_view(p, kept), sums);
      break;
    }
    std::memmove(buffer.data(), p, kept);
    if (kept == buffer.size()) buffer.resize(buffer.size() * 2); // a line longer than the buffer
  }
  for (int unit = 0; unit < max_units; ++unit)
    for (int year = first_year; year < first_year + years; ++year)
      for (int month = 1; month <= 12; ++month)
        if (const double t = sums.at(unit, year, month); t != 0)
          std::printf("PV%02d,%04d-%02d,%.17g\n", unit, year, month, t / 1000);
  return 0;
}
