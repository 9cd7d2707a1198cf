// What the fuzz targets share: a check that survives NDEBUG (a failed
// property is a crash libFuzzer records), and the input as text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(condition)                                                                      \
  do {                                                                                             \
    if (!(condition)) {                                                                            \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition);        \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)

inline std::string_view fuzz_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Where the repository is, for targets that load the bundled methodologies.
#ifndef MRV_SOURCE_DIR
#define MRV_SOURCE_DIR "."
#endif
