// The 17 Sustainable Development Goals and their 169 targets: per goal, how
// many targets are numbered (x.1, x.2...) and which are lettered (x.a,
// x.b...: the means of implementation). Source: United Nations General
// Assembly resolution A/RES/70/1, "Transforming our world: the 2030 Agenda
// for Sustainable Development" (25 September 2015), section "Sustainable
// Development Goals and targets", https://sdgs.un.org/2030agenda; the same
// targets head the global indicator framework, A/RES/71/313, annex,
// https://unstats.un.org/sdgs/indicators/indicators-list/. Goal names are the
// short titles the UN uses for the goals (https://sdgs.un.org/goals).
#include "model/sdg_targets.hpp"

#include <array>
#include <charconv>

namespace mrv::detail {
namespace {

constexpr std::array<SdgGoal, 17> kGoals = {{
    {1, "No poverty", 5, "ab"},
    {2, "Zero hunger", 5, "abc"},
    {3, "Good health and well-being", 9, "abcd"},
    {4, "Quality education", 7, "abc"},
    {5, "Gender equality", 6, "abc"},
    {6, "Clean water and sanitation", 6, "ab"},
    {7, "Affordable and clean energy", 3, "ab"},
    {8, "Decent work and economic growth", 10, "ab"},
    {9, "Industry, innovation and infrastructure", 5, "abc"},
    {10, "Reduced inequalities", 7, "abc"},
    {11, "Sustainable cities and communities", 7, "abc"},
    {12, "Responsible consumption and production", 8, "abc"},
    {13, "Climate action", 3, "ab"},
    {14, "Life below water", 7, "abc"},
    {15, "Life on land", 9, "abc"},
    {16, "Peace, justice and strong institutions", 10, "ab"},
    {17, "Partnerships for the goals", 19, ""},
}};

} // namespace

const SdgGoal* sdg_goal(int number) {
  if (number < 1 || number > static_cast<int>(kGoals.size())) return nullptr;
  return &kGoals[static_cast<std::size_t>(number - 1)];
}

std::vector<std::string> sdg_targets(const SdgGoal& goal) {
  std::vector<std::string> out;
  const std::string prefix = std::to_string(goal.number) + ".";
  for (int n = 1; n <= goal.numbered; ++n)
    out.push_back(prefix + std::to_string(n));
  for (char letter : goal.lettered)
    out.push_back(prefix + letter);
  return out;
}

bool is_sdg_target(const SdgGoal& goal, std::string_view target) {
  const std::string prefix = std::to_string(goal.number) + ".";
  if (!target.starts_with(prefix)) return false;
  const std::string_view rest = target.substr(prefix.size());
  if (rest.size() == 1 && goal.lettered.find(rest[0]) != std::string_view::npos) return true;
  if (rest.empty() || rest.front() == '0') return false;
  int n = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
  return error == std::errc() && end == rest.data() + rest.size() && n >= 1 && n <= goal.numbered;
}

std::string_view sdg_source() {
  return "UN General Assembly resolution A/RES/70/1, Transforming our world: the 2030 Agenda "
         "for Sustainable Development (2015), Sustainable Development Goals and targets, "
         "https://sdgs.un.org/2030agenda";
}

} // namespace mrv::detail
