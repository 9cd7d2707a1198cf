// A 128-bit integer for exact sums of decimal readings (see Accumulator).
// g++ and clang provide it as an extension; naming it once here keeps
// -Wpedantic quiet everywhere else.
#pragma once

namespace mrv::detail {
__extension__ typedef __int128 Int128;
} // namespace mrv::detail
