// Fuzzes monitoring data as `mrv calc` reads it: CSV rows of the example
// project (timestamps, unit names, numbers) streamed into the per-unit,
// per-month summaries, where every row must be accounted for; then the whole
// calculation from an in-memory file, credits and renderers included.
#include "data/csv_reader.hpp"
#include "engine/engine.hpp"
#include "engine/series.hpp"
#include "fuzz_check.hpp"

#include "mrv/calc.hpp"
#include "mrv/project.hpp"
#include "mrv/render.hpp"

#include <sys/mman.h>
#include <unistd.h>

using namespace mrv;

namespace {

Methodology methodology;
Project project;
detail::BoundValues bound;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Expected<Methodology> m =
      load_methodology_file(MRV_SOURCE_DIR "/methodologies/JCM_MN_AM003_ver02.0.yaml");
  Expected<Project> p = load_project_file(MRV_SOURCE_DIR "/examples/mn-pv/project.yaml");
  FUZZ_CHECK(m.has_value() && p.has_value() && p->data.size() == 1);
  methodology = std::move(*m);
  project = std::move(*p);
  std::vector<detail::UnitValues> units;
  for (const ProjectUnit& u : project.units)
    units.push_back({u.id, u.location, &u.values, &u.rating});
  Expected<detail::BoundValues> b =
      detail::bind_values(methodology, project.values, units, false, Location{});
  FUZZ_CHECK(b.has_value());
  bound = std::move(*b);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto reader = detail::CsvReader::from_string(std::string(fuzz_text(data, size)), "fuzz.csv");
  detail::Aggregation aggregation(methodology, project, bound);
  RowCounts counts;
  Status status = aggregation.read(0, *reader, counts);
  if (status) status = aggregation.finish();
  if (!status) {
    FUZZ_CHECK(!status.error().message.empty());
    return 0;
  }
  FUZZ_CHECK(counts.used + counts.outside_periods <= counts.read);
  std::int64_t records = 0;
  for (std::size_t k = 0; k < aggregation.months().size(); ++k)
    for (std::size_t u = 0; u < bound.unit_count; ++u)
      records += aggregation.records(k, u);
  FUZZ_CHECK(records == counts.used);

  // The same bytes through calculate(), as `mrv calc project.yaml FILE --by month,unit`.
  const int fd = ::memfd_create("fuzz.csv", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0);
  FUZZ_CHECK(::write(fd, data, size) == static_cast<ssize_t>(size));
  CalcOptions options;
  options.by_month = options.by_unit = true;
  options.data_files = {"/proc/self/fd/" + std::to_string(fd)};
  const Expected<CalcResult> result = calculate(methodology, project, options);
  ::close(fd);
  if (!result) return 0;
  for (const SliceResult& period : result->periods)
    FUZZ_CHECK(!period.credited || *period.credited >= 0);
  for (Format format : {Format::csv, Format::json, Format::table})
    (void)render_calc(*result, format);
  return 0;
}
