// Deterministic monitoring data for benchmarks and scale tests:
//   generate ROWS > data.csv
// 10 units (PV01..PV10), 1-minute interval readings of kWh from 2017-01-01
// (+08:00), ISO 8601 timestamps with offset, a status column, and an empty
// reading every 9,973rd row. The same ROWS always give the same bytes.
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// Howard Hinnant's civil_from_days.
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2);
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: generate ROWS\n");
    return 2;
  }
  const std::int64_t rows = std::strtoll(argv[1], nullptr, 10);
  const int units = 10;
  const std::int64_t start_day = 17167; // 2017-01-01
  std::uint32_t state = 12345;
  static char buffer[1 << 16];
  std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  std::fputs("timestamp,unit,status,energy_kWh\n", stdout);
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int64_t minute = r / units;
    const int unit = static_cast<int>(r % units) + 1;
    const std::int64_t day = start_day + minute / 1440;
    const int minute_of_day = static_cast<int>(minute % 1440);
    int y;
    unsigned m, d;
    civil_from_days(day, y, m, d);
    state = state * 1664525u + 1013904223u;
    const double hour = minute_of_day / 60.0;
    const double sun = hour > 6 && hour < 19 ? std::sin(M_PI * (hour - 6) / 13) : 0.0;
    const double kwh = 1000.0 / 60 * 0.8 * sun * (0.5 + 0.5 * (state >> 8) / 16777216.0);
    std::printf("%04d-%02u-%02uT%02d:%02d:00+08:00,PV%02d,%s,", y, m, d, minute_of_day / 60,
                minute_of_day % 60, unit, (state & 0xff) == 0 ? "WARN" : "OK");
    if (r % 9973 == 9972)
      std::fputs("\n", stdout);
    else
      std::printf("%.3f\n", kwh);
  }
  return 0;
}
