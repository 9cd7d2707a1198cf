// `mrv verify` summary texts on stderr (the output lines themselves,
// format "mrv.verify/1", are render_verdict_line in mrv/verify.hpp).
#pragma once

#include "mrv/verify.hpp"

#include <cstddef>
#include <string>

namespace mrv {

// For the summary, a mismatch or an error in one line:
//   "MN-PV-EXAMPLE MP2: mismatch: credited claimed 3530, computed 3529 (-1)"
//   "MISSING 2019: error: cannot open 'examples/batch/nope.yaml': No such file or directory"
std::string describe_verdict(const PeriodVerdict& verdict);

// What moved and why, in one line:
//   "MN-PV-EXAMPLE MP1: ER 8165.8 -> 8170.1 (+4.3); because: methodology version 02.0 -> 03.0"
std::string describe_movement(const PeriodVerdict& verdict, const Movement& movement);

struct VerifyCounts {
  std::size_t projects = 0, lines = 0, match = 0, mismatch = 0, error = 0;
  void add(const PeriodVerdict& verdict);
};
// "2 projects, 3 periods: 3 match, 0 mismatch, 0 error"; with `of` (a shard
// of a manifest of `of` projects) "1 of 2 projects, ...".
std::string describe_counts(const VerifyCounts& counts, std::size_t of = 0);

} // namespace mrv
