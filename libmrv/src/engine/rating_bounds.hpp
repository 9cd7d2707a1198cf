// What a unit's rating allows: the methodology's bound of a monitored value
// (`rating: bounds:`) evaluated for one unit over a length of time.
#pragma once

#include "engine/engine.hpp"

#include <vector>

namespace mrv::detail {

class RatingBounds {
public:
  RatingBounds(const Methodology& m, const BoundValues& bound);
  // The bound of monitored parameter `parameter` (an index into
  // Methodology::parameters), or -1 when the rating bounds it not.
  int bound_for(std::size_t parameter) const;
  // The most unit `unit` can give over `seconds`, in the parameter's unit;
  // NaN when the bound needs a rating the unit does not declare (or for the site).
  double most(int bound, std::size_t unit, double seconds);
  bool applies(int bound, std::size_t unit) const;
  bool has_rating(std::size_t unit) const;
  // Whether any bound needs a unit's rating.
  bool needs_rating() const;
  // The bound's formula and note, for messages.
  const RatingBound& describe(int bound) const;

private:
  const Methodology& m_;
  const BoundValues& bound_;
  std::vector<double> project_; // the project's values, with `interval` set per call
};

} // namespace mrv::detail
