// MRV_TRY: the library's early-return idiom, kept inside libmrv (not in the
// installed headers), so a program built on the public API sees plain
// Expected<T> values and needs no compiler extension.
#pragma once

#include "mrv/diagnostic.hpp"

#include <utility>

// MRV_TRY(expr): evaluates an Expected; on error returns its Diagnostic from
// the enclosing function, otherwise yields the value. It is a GNU statement
// expression (g++ and clang); __extension__ keeps -Wpedantic quiet, and the
// __COUNTER__-made name keeps a nested MRV_TRY from shadowing the outer one.
#define MRV_TRY(...) MRV_TRY_NAMED_(MRV_TRY_CONCAT_(mrv_try_result_, __COUNTER__), __VA_ARGS__)
#define MRV_TRY_CONCAT_(a, b) MRV_TRY_CONCAT2_(a, b)
#define MRV_TRY_CONCAT2_(a, b) a##b
#define MRV_TRY_NAMED_(name, ...)                                                                  \
  __extension__({                                                                                  \
    auto name = (__VA_ARGS__);                                                                     \
    if (!name) return std::move(name).error();                                                     \
    std::move(*name);                                                                              \
  })
