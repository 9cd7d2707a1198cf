#include "engine/rating_bounds.hpp"

#include <cmath>

namespace mrv::detail {

RatingBounds::RatingBounds(const Methodology& m, const BoundValues& bound)
    : m_(m), bound_(bound), project_(bound.project) {}

int RatingBounds::bound_for(std::size_t parameter) const {
  const std::vector<std::size_t>& parameters = m_.compiled->bound_parameters;
  for (std::size_t b = 0; b < parameters.size(); ++b)
    if (parameters[b] == parameter) return static_cast<int>(b);
  return -1;
}

bool RatingBounds::has_rating(std::size_t unit) const {
  return unit < bound_.unit_count && detail::has_rating(m_, bound_, unit);
}

bool RatingBounds::applies(int bound, std::size_t unit) const {
  return unit < bound_.unit_count &&
         (!m_.compiled->bound_uses_rating[static_cast<std::size_t>(bound)] || has_rating(unit));
}

bool RatingBounds::needs_rating() const {
  for (bool uses : m_.compiled->bound_uses_rating)
    if (uses) return true;
  return false;
}

double RatingBounds::most(int bound, std::size_t unit, double seconds) {
  if (!applies(bound, unit)) return std::nan("");
  const CompiledMethodology& c = *m_.compiled;
  project_[static_cast<std::size_t>(c.interval_slot)] = seconds;
  EvalFrame frame;
  frame.project = project_.data();
  frame.units = bound_.units.data();
  frame.unit_stride = static_cast<std::size_t>(c.unit_slots);
  frame.unit = static_cast<int>(unit);
  return evaluate_scalar(c.bounds[static_cast<std::size_t>(bound)].expr, frame);
}

const RatingBound& RatingBounds::describe(int bound) const {
  return m_.rating->bounds[static_cast<std::size_t>(bound)];
}

} // namespace mrv::detail
