// Fuzzes project files: YAML, structure, dates and offsets, then binding
// their values to each bundled methodology and laying out the months of
// their periods, as `mrv calc` does before it reads any data.
#include "engine/engine.hpp"
#include "engine/series.hpp"
#include "fuzz_check.hpp"

#include "mrv/project.hpp"

using namespace mrv;

namespace {

std::vector<Methodology> bundled;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  for (const char* name : {"JCM_MN_AM003_ver02.0.yaml", "JCM_ID_AM017_ver01.0.yaml"}) {
    Expected<Methodology> m =
        load_methodology_file(std::string(MRV_SOURCE_DIR "/methodologies/") + name);
    FUZZ_CHECK(m.has_value());
    bundled.push_back(std::move(*m));
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Expected<Project> project = load_project(std::string(fuzz_text(data, size)), "fuzz/project.yaml");
  if (!project) {
    FUZZ_CHECK(!project.error().message.empty());
    return 0;
  }
  std::vector<detail::UnitValues> units;
  for (const ProjectUnit& u : project->units)
    units.push_back({u.id, u.location, &u.values});
  for (const Methodology& m : bundled)
    (void)detail::bind_values(m, project->values, units, false, Location{project->file, 0, 0});
  // Months are bounded by the periods' span (years 1..9999): at most ~120,000.
  const std::vector<detail::MonthSlice> months = detail::month_slices(*project);
  FUZZ_CHECK(months.size() <= 12 * 10000 + project->periods.size());
  return 0;
}
