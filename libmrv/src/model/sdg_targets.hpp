// The Sustainable Development Goals and their targets, as the UN lists them,
// to check the goals and targets a project's co_benefits name. The list is
// data (sdg_targets.cpp), with its source.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mrv::detail {

struct SdgGoal {
  int number = 0;            // 1 to 17
  std::string_view name;     // the goal's short title ("Affordable and clean energy")
  int numbered = 0;          // targets 7.1 to 7.<numbered>
  std::string_view lettered; // targets 7.a, 7.b...: the letters
};

// The goal numbered `number`, or nullptr.
const SdgGoal* sdg_goal(int number);
// Every target of a goal in the UN's order: "7.1", "7.2", "7.3", "7.a", "7.b".
std::vector<std::string> sdg_targets(const SdgGoal& goal);
// Whether `target` ("7.2", "13.a") is a target of `goal`.
bool is_sdg_target(const SdgGoal& goal, std::string_view target);
// Where the list comes from, for documents that show it.
std::string_view sdg_source();

} // namespace mrv::detail
