// The parse tree of a formula, before names are resolved. Every node keeps
// the byte offset and length of its text inside the formula, so that the
// compiler can point at the offending token.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mrv::detail {

struct AstNode {
  enum class Kind { number, string, name, unary, binary, call };
  Kind kind = Kind::number;
  // Operator text for unary/binary ("-", "not", "+", "<=", "and"...), the
  // name for names and calls, the text for string literals.
  std::string text;
  double number = 0;
  std::string unit; // a number literal's unit: 37[degC]
  std::vector<AstNode> args;
  std::size_t offset = 0;
  std::size_t length = 0;
};

struct ParseError {
  std::string message;
  std::size_t offset = 0;
  std::size_t length = 1;
};

// Parses a whole formula; on failure returns false and fills `error`.
// The grammar is in docs/formula-language.md.
bool parse_formula(const std::string& text, AstNode& out, ParseError& error);

// Longest formula and deepest nesting accepted (resource limits).
inline constexpr std::size_t max_formula_bytes = 4096;
inline constexpr int max_formula_depth = 64;
// The parse tree's depth, where each operator of a chain such as
// a + b + c counts as a level: bounds the recursion of the compiler,
// evaluator and printer on the smallest thread stack.
inline constexpr std::size_t max_formula_tree_depth = 256;

} // namespace mrv::detail
