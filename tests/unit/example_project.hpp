// A bundled example's project and its methodology, loaded as `mrv calc`
// loads them, for the unit tests that run a whole calculation in memory.
#pragma once

#include "mrv/methodology.hpp"
#include "mrv/project.hpp"

#include <doctest/doctest.h>

#include <string>

namespace mrv::test {

struct ExampleProject {
  Project project;
  Methodology methodology;
};

inline ExampleProject example_project(const std::string& name) {
  Expected<Project> project =
      load_project_file(std::string(MRV_SOURCE_DIR) + "/examples/" + name + "/project.yaml");
  REQUIRE(project);
  Expected<Methodology> methodology = find_methodology(project->methodology);
  REQUIRE(methodology);
  return {*project, *methodology};
}

} // namespace mrv::test
