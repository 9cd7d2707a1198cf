// The largest number of credits allocated: share × N must stay exact at 15
// significant digits.
#pragma once

#include <cstdint>

namespace mrv::detail {

inline constexpr std::int64_t max_credits = 1'000'000'000'000; // 10^12 tCO2

} // namespace mrv::detail
