// A methodology's rounding rule, applied to a period's emission reductions.
#include "mrv/methodology.hpp"
#include "mrv/numbers.hpp"

#include <algorithm>
#include <cmath>

namespace mrv {

std::int64_t credited_tonnes(double reductions, Rounding rule) {
  const double v = at_15_significant_digits(reductions);
  const double whole = rule == Rounding::floor  ? std::floor(v)
                       : rule == Rounding::ceil ? std::ceil(v)
                                                : std::round(v);
  // calculate() refuses reductions of max_creditable or more; the clamp keeps
  // the conversion defined for any other caller.
  return whole > 0 ? static_cast<std::int64_t>(std::min(whole, max_creditable)) : 0;
}

} // namespace mrv
