// `mrv verify` output: one JSON line per project and claimed period (format
// "mrv.verify/1", specified in docs/verify.md, read back by
// parse_verdict_line), and the one-line texts of the summary on stderr.
#pragma once

#include "mrv/verify.hpp"

#include <cstddef>
#include <string>

namespace mrv {

// One compact JSON object and a line feed. With `against`, an "against"
// member last says what moved since the previous run.
std::string render_verdict_line(const PeriodVerdict& verdict, const Movement* against = nullptr);

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
