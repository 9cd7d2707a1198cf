// Prints a compiled formula back as text, with only the parentheses that
// precedence requires. Unit conversions appear as explicit factors.
#include "model/formula.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

namespace mrv::detail {
namespace {

using Op = Expr::Op;

int precedence(const Expr& e) {
  switch (e.op) {
  case Op::logical_or:
    return 1;
  case Op::logical_and:
    return 2;
  case Op::logical_not:
    return 3;
  case Op::less:
  case Op::less_equal:
  case Op::greater:
  case Op::greater_equal:
  case Op::equal:
  case Op::not_equal:
    return 4;
  case Op::add:
  case Op::subtract:
    return 5;
  case Op::multiply:
  case Op::divide:
    return 6;
  case Op::negate:
    return 7;
  case Op::power:
    return 8;
  default:
    return 9;
  }
}

const char* symbol(Op op) {
  switch (op) {
  case Op::add:
    return " + ";
  case Op::subtract:
    return " - ";
  case Op::multiply:
    return " * ";
  case Op::divide:
    return " / ";
  case Op::power:
    return "^";
  case Op::less:
    return " < ";
  case Op::less_equal:
    return " <= ";
  case Op::greater:
    return " > ";
  case Op::greater_equal:
    return " >= ";
  case Op::equal:
    return " == ";
  case Op::not_equal:
    return " != ";
  case Op::logical_and:
    return " and ";
  case Op::logical_or:
    return " or ";
  default:
    return " ? ";
  }
}

std::string print(const Expr& e);

std::string child(const Expr& c, int parent, bool right_side) {
  int p = precedence(c);
  const int power = 8;
  // ^ groups to the right: (a^2)^3 keeps its parentheses, a^(2^3) needs none;
  // a negative number as the base of ^ needs them too: (-2)^a, and (-0)^a
  // (signbit: -0 < 0 is false, and -0^a is -(0^a); found by the fuzzer).
  bool parens = parent == power
                    ? (right_side ? p < parent
                                  : p <= parent || (c.op == Op::constant && std::signbit(c.value)))
                    : p < parent || (right_side && p == parent && parent != 9);
  std::string text = print(c);
  return parens ? "(" + text + ")" : text;
}

std::string number_text(const Expr& e) {
  std::string text = fmt::format("{}", e.value);
  if (e.unit.text != "1" && !e.any_unit) text += "[" + e.unit.text + "]";
  return text;
}

std::string print(const Expr& e) {
  int p = precedence(e);
  switch (e.op) {
  case Op::constant:
    return e.name.empty() ? number_text(e) : e.name;
  case Op::parameter:
    return e.name;
  case Op::negate:
    return "-" + child(e.args[0], p, false);
  case Op::logical_not:
    return "not " + child(e.args[0], p, false);
  case Op::sum_units:
  case Op::sum_index:
  case Op::sum_periods:
    return e.name + "(" + print(e.args[0]) + ")";
  case Op::index_value:
  case Op::age:
    return e.name;
  case Op::if_then_else:
  case Op::min:
  case Op::max:
  case Op::abs:
  case Op::floor:
  case Op::ceil:
  case Op::exp:
  case Op::ln: {
    std::vector<std::string> args;
    for (const Expr& a : e.args)
      args.push_back(print(a));
    return fmt::format("{}({})", e.name, fmt::join(args, ", "));
  }
  case Op::round:
    return e.value == 0 ? fmt::format("round({})", print(e.args[0]))
                        : fmt::format("round({}, {})", print(e.args[0]), e.value);
  case Op::key_lookup:
  case Op::band_lookup: {
    std::vector<std::string> args{e.name};
    for (const Expr& a : e.args)
      args.push_back(print(a));
    return fmt::format("lookup({})", fmt::join(args, ", "));
  }
  default:
    return child(e.args[0], p, false) + symbol(e.op) + child(e.args[1], p, true);
  }
}

} // namespace

std::string format_expr(const Expr& expr) {
  return print(expr);
}

} // namespace mrv::detail
