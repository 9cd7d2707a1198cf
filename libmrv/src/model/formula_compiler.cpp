// Resolves names, checks dimensions and folds constants: AstNode → Expr.
#include "model/formula.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <bit>

#include <cmath>
#include <optional>

namespace mrv::detail {
namespace {

using Op = Expr::Op;

// The finer of two levels that a formula combining them must live at, or
// nothing when they cannot be combined (a row value with a period total).
std::optional<Level> join(Level a, Level b) {
  if (a == b) return a;
  if (a == Level::project) return b;
  if (b == Level::project) return a;
  if (a == Level::record || b == Level::record) {
    Level other = a == Level::record ? b : a;
    if (other == Level::unit) return Level::record;
    return std::nullopt;
  }
  return Level::unit_period; // unit with period, or either with unit_period
}

struct Compiled {
  Expr expr;
  Level level = Level::project;
  unsigned indices = 0; // the indices the value varies by, a bit each
};

class Compiler {
public:
  Compiler(const CompileScope& scope, bool record_context)
      : scope_(scope), record_context_(record_context) {}

  bool compile(const AstNode& node, Compiled& out) {
    switch (node.kind) {
    case AstNode::Kind::number:
      return number(node, out);
    case AstNode::Kind::string:
      return fail(
          node,
          fmt::format(
              "a text (\"{}\") can only be compared with a key parameter or used as a table key",
              node.text));
    case AstNode::Kind::name:
      return name(node, out);
    case AstNode::Kind::unary:
      return unary(node, out);
    case AstNode::Kind::binary:
      return binary(node, out);
    case AstNode::Kind::call:
      return call(node, out);
    }
    return fail(node, "unsupported expression");
  }

  ParseError error;
  bool reads_past = false; // a sum_x was compiled

private:
  const CompileScope& scope_;
  bool record_context_;
  int sum_depth_ = 0;
  int past_depth_ = 0;          // inside sum_x
  unsigned summed_indices_ = 0; // the indices whose sum we are inside

  // The index summed by a call such as sum_j, or -1.
  int summed_index(const std::string& function) const {
    if (!function.starts_with("sum_")) return -1;
    const auto& indices = scope_.indices();
    for (std::size_t k = 0; k < indices.size(); ++k)
      if (function.compare(4, std::string::npos, indices[k].name) == 0) return static_cast<int>(k);
    return -1;
  }

  bool fail(const AstNode& node, std::string message) {
    error = ParseError{std::move(message), node.offset, std::max<std::size_t>(1, node.length)};
    return false;
  }

  static std::string unit_label(const Expr& e) {
    if (e.type == ValueType::boolean) return "a true/false value";
    if (e.type == ValueType::key) return "a key";
    if (e.unit.dimension.dimensionless() && e.unit.text == "1") return "a dimensionless number";
    return fmt::format("{} [{}]", e.unit.dimension.describe(), e.unit.text);
  }

  bool combine_levels(const AstNode& node, Level a, Level b, Level& out) {
    std::optional<Level> joined = join(a, b);
    if (!joined)
      return fail(node, fmt::format("cannot combine a per-record value with a {}-level value",
                                    level_name(a == Level::record ? b : a)));
    out = *joined;
    return true;
  }

  // Folds a node whose arguments are all constants into a constant. Only
  // numbers: a condition stays a condition, so that the printed equation
  // ("0 < 0 or a >= 2") is the one that runs and compiles again.
  static void fold(Expr& e) {
    if (e.op == Op::constant || e.op == Op::parameter || e.op == Op::sum_units ||
        e.op == Op::sum_index || e.op == Op::sum_periods || e.op == Op::index_value ||
        e.op == Op::age)
      return;
    if (e.type != ValueType::number) return;
    for (const Expr& a : e.args)
      if (a.op != Op::constant) return;
    double value = evaluate_scalar(e, EvalFrame{});
    Expr folded;
    folded.op = Op::constant;
    folded.type = e.type;
    folded.unit = e.unit;
    folded.any_unit = e.any_unit && value == 0;
    folded.value = value;
    e = std::move(folded);
  }

  static Expr constant(double value, Unit unit = Unit::dimensionless()) {
    Expr e;
    e.op = Op::constant;
    e.value = value;
    e.unit = std::move(unit);
    return e;
  }

  // Makes `e` yield values in `target` (same dimension): multiplies by the factor.
  static void rescale(Expr& e, const Unit& target) {
    if (e.any_unit) {
      e.unit = target;
      e.any_unit = false;
      return;
    }
    double factor = conversion_factor(e.unit, target);
    if (factor != 1.0) {
      Expr product;
      product.op = Op::multiply;
      product.args.push_back(std::move(e));
      product.args.push_back(constant(factor));
      product.unit = target;
      fold(product);
      e = std::move(product);
    }
    e.unit = target;
  }

  bool expect_number(const AstNode& node, const Expr& e) {
    if (e.type != ValueType::number)
      return fail(node, fmt::format("expected a number here, found {}", unit_label(e)));
    return true;
  }

  // The argument of exp() or ln(): a pure number, taken in 1 (a value in %
  // is converted first, so that exp(5[%]) is e^0.05).
  bool expect_dimensionless(const AstNode& call, Expr& e) {
    if (!expect_number(call.args[0], e)) return false;
    if (!e.unit.dimension.dimensionless())
      return fail(call.args[0], fmt::format("{}() takes a dimensionless number; this is {}",
                                            call.text, unit_label(e)));
    rescale(e, Unit::dimensionless());
    return true;
  }

  bool expect_boolean(const AstNode& node, const Expr& e) {
    if (e.type != ValueType::boolean)
      return fail(node,
                  fmt::format("expected a condition (true/false) here, found {}", unit_label(e)));
    return true;
  }

  // Brings numbers b to a's unit; both must share a dimension.
  bool unify(const AstNode& where, Expr& a, Expr& b, const char* what) {
    if (a.any_unit && b.any_unit) return true;
    if (a.any_unit) {
      rescale(a, b.unit);
      return true;
    }
    if (b.any_unit) {
      rescale(b, a.unit);
      return true;
    }
    if (!same_dimension(a.unit, b.unit))
      return fail(where, fmt::format("dimension mismatch: cannot {} {} and {}", what, unit_label(a),
                                     unit_label(b)));
    rescale(b, a.unit);
    return true;
  }

  bool number(const AstNode& node, Compiled& out) {
    out.expr = constant(node.number);
    out.level = Level::project;
    if (!node.unit.empty()) {
      UnitParseError unit_error;
      std::optional<Unit> unit = parse_unit(node.unit, &unit_error);
      if (!unit) {
        error =
            ParseError{unit_error.message, node.offset + node.text.size() + 1 + unit_error.offset,
                       unit_error.length};
        return false;
      }
      out.expr.unit = *unit;
    } else if (node.number == 0) {
      out.expr.any_unit = true;
    }
    return true;
  }

  bool name(const AstNode& node, Compiled& out) {
    if (node.text == "age_x") return age(node, out);
    const Symbol* symbol = scope_.symbol(node.text);
    if (!symbol) {
      if (scope_.table(node.text))
        return fail(node,
                    fmt::format("'{}' is a table: use lookup({}, key)", node.text, node.text));
      std::string message = fmt::format("unknown symbol '{}'", node.text);
      std::string hint = closest_match(node.text, scope_.names());
      if (!hint.empty()) message += fmt::format(" (did you mean '{}'?)", hint);
      return fail(node, message);
    }
    if (symbol->index_value) return index_value(node, *symbol, out);
    Expr e;
    e.op = Op::parameter;
    e.name = symbol->id;
    e.type = symbol->type;
    e.unit = symbol->unit;
    e.index = symbol->index;
    if (record_context_ && symbol->index >= 0)
      return fail(node, fmt::format("'{}' varies by {} and cannot be used in a per-record equation",
                                    node.text, index_name(symbol->index)));
    if (record_context_ && symbol->record_slot >= 0) {
      e.level = Level::record;
      e.slot = symbol->record_slot;
    } else {
      e.level = symbol->level;
      e.slot = symbol->slot;
    }
    if (record_context_ && (e.level == Level::unit_period || e.level == Level::period))
      return fail(
          node, fmt::format("'{}' is a {}-level value and cannot be used in a per-record equation",
                            node.text, level_name(e.level)));
    if (past_depth_ > 0 && !read_at_x(node, e)) return false;
    out.level = e.level;
    out.indices = e.index < 0 ? 0u : 1u << e.index;
    out.expr = std::move(e);
    return true;
  }

  std::string index_name(int index) const {
    return scope_.indices()[static_cast<std::size_t>(index)].name;
  }

  // Inside sum_x, a period value is its value in period x; a value per unit
  // and period has no history of its own.
  bool read_at_x(const AstNode& node, Expr& e) {
    if (e.level == Level::period) e.at_x = true;
    if (e.level == Level::unit_period)
      return fail(node, fmt::format("'{}' is per unit and period: sum_x() reads the earlier "
                                    "periods' values of period-level parameters only (sum it "
                                    "over the units in a parameter per period)",
                                    node.text));
    return true;
  }

  // The index itself (j): its current value, a key of the index's values.
  bool index_value(const AstNode& node, const Symbol& symbol, Compiled& out) {
    if (record_context_)
      return fail(node, fmt::format("'{}' is an index and cannot be used in a per-record equation",
                                    node.text));
    Expr e;
    e.op = Op::index_value;
    e.type = ValueType::key;
    e.name = symbol.id;
    e.index = symbol.index;
    out.expr = std::move(e);
    out.level = Level::project;
    out.indices = 1u << symbol.index;
    return true;
  }

  // age_x: inside sum_x, the time from the start of period x to the start of
  // the period evaluated, in years.
  bool age(const AstNode& node, Compiled& out) {
    if (past_depth_ == 0)
      return fail(node, "age_x is the age of an earlier period x, inside sum_x(...)");
    Expr e;
    e.op = Op::age;
    e.name = "age_x";
    e.unit = *parse_unit("yr");
    out.expr = std::move(e);
    out.level = Level::period;
    return true;
  }

  bool unary(const AstNode& node, Compiled& out) {
    Compiled operand;
    if (!compile(node.args[0], operand)) return false;
    Expr e;
    if (node.text == "not") {
      if (!expect_boolean(node.args[0], operand.expr)) return false;
      e.op = Op::logical_not;
      e.type = ValueType::boolean;
    } else {
      if (!expect_number(node.args[0], operand.expr)) return false;
      e.op = Op::negate;
      e.unit = operand.expr.unit;
      e.any_unit = operand.expr.any_unit;
    }
    e.args.push_back(std::move(operand.expr));
    fold(e);
    out.expr = std::move(e);
    out.level = operand.level;
    out.indices = operand.indices;
    return true;
  }

  // Compares a key expression with a text literal or another key.
  bool key_comparison(const AstNode& node, Compiled& out) {
    const AstNode* key_node = nullptr;
    const AstNode* text_node = nullptr;
    for (const AstNode& a : node.args)
      (a.kind == AstNode::Kind::string ? text_node : key_node) = &a;
    if (!key_node || !text_node)
      return fail(node, "compare a key parameter with a text, e.g. connection_i == \"grid\"");
    Compiled key;
    if (!compile(*key_node, key)) return false;
    if (key.expr.type != ValueType::key)
      return fail(*key_node,
                  fmt::format("only a key parameter can be compared with a text; this is {}",
                              unit_label(key.expr)));
    const Symbol* symbol = scope_.symbol(key.expr.name);
    const auto& domain = *symbol->key_domain;
    auto it = std::find(domain.begin(), domain.end(), text_node->text);
    if (it == domain.end()) {
      std::string hint = closest_match(text_node->text, domain);
      return fail(*text_node,
                  fmt::format("'{}' is not a value of '{}' (one of: {}){}", text_node->text,
                              key.expr.name, fmt::join(domain, ", "),
                              hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
    }
    Expr e;
    e.op = node.text == "==" ? Op::equal : Op::not_equal;
    e.type = ValueType::boolean;
    e.args.push_back(std::move(key.expr));
    e.args.push_back(constant(static_cast<double>(it - domain.begin())));
    e.args.back().name = "\"" + text_node->text + "\"";
    out.expr = std::move(e);
    out.level = key.level;
    out.indices = key.indices;
    return true;
  }

  bool binary(const AstNode& node, Compiled& out) {
    const std::string& op = node.text;
    if ((op == "==" || op == "!=") &&
        (node.args[0].kind == AstNode::Kind::string || node.args[1].kind == AstNode::Kind::string))
      return key_comparison(node, out);
    Compiled left, right;
    if (!compile(node.args[0], left) || !compile(node.args[1], right)) return false;
    Level level = Level::project;
    if (!combine_levels(node, left.level, right.level, level)) return false;
    const unsigned indices = left.indices | right.indices;
    Expr e;
    if (op == "and" || op == "or") {
      if (!expect_boolean(node.args[0], left.expr) || !expect_boolean(node.args[1], right.expr))
        return false;
      e.op = op == "and" ? Op::logical_and : Op::logical_or;
      e.type = ValueType::boolean;
    } else if (op == "<" || op == "<=" || op == ">" || op == ">=" || op == "==" || op == "!=") {
      if (left.expr.type == ValueType::key && right.expr.type == ValueType::key &&
          (op == "==" || op == "!=")) {
        if (*scope_.symbol(left.expr.name)->key_domain !=
            *scope_.symbol(right.expr.name)->key_domain)
          return fail(node, "these keys take different sets of values");
      } else {
        if (!expect_number(node.args[0], left.expr) || !expect_number(node.args[1], right.expr))
          return false;
        if (!unify(node, left.expr, right.expr, "compare")) return false;
      }
      e.op = op == "<"    ? Op::less
             : op == "<=" ? Op::less_equal
             : op == ">"  ? Op::greater
             : op == ">=" ? Op::greater_equal
             : op == "==" ? Op::equal
                          : Op::not_equal;
      e.type = ValueType::boolean;
    } else {
      if (!expect_number(node.args[0], left.expr) || !expect_number(node.args[1], right.expr))
        return false;
      if (op == "+" || op == "-") {
        if (!unify(node, left.expr, right.expr, op == "+" ? "add" : "subtract")) return false;
        e.op = op == "+" ? Op::add : Op::subtract;
        e.unit = left.expr.unit;
        e.any_unit = left.expr.any_unit && right.expr.any_unit;
      } else if (op == "*") {
        e.op = Op::multiply;
        e.unit = left.expr.unit * right.expr.unit;
      } else if (op == "/") {
        e.op = Op::divide;
        e.unit = left.expr.unit / right.expr.unit;
      } else if (op == "^") {
        e.op = Op::power;
        if (!right.expr.unit.dimension.dimensionless() || right.expr.unit.scale != 1.0L)
          return fail(node.args[1], "an exponent must be dimensionless");
        if (left.expr.unit.dimension.dimensionless()) {
          if (left.expr.unit.scale != 1.0L) rescale(left.expr, Unit::dimensionless());
          e.unit = Unit::dimensionless();
        } else {
          double exponent = right.expr.value;
          if (right.expr.op != Op::constant || exponent != std::floor(exponent) ||
              std::fabs(exponent) > 8)
            return fail(
                node.args[1],
                fmt::format(
                    "a quantity with a dimension ({}) can only be raised to a whole constant power",
                    unit_label(left.expr)));
          e.unit = left.expr.unit.pow(static_cast<int>(exponent));
        }
      } else {
        return fail(node, fmt::format("unknown operator '{}'", op));
      }
    }
    e.args.push_back(std::move(left.expr));
    e.args.push_back(std::move(right.expr));
    fold(e);
    out.expr = std::move(e);
    out.level = level;
    out.indices = indices;
    return true;
  }

  bool arity(const AstNode& node, std::size_t least, std::size_t most) {
    if (node.args.size() < least || node.args.size() > most) {
      std::string expected = least == most      ? fmt::format("{}", least)
                             : most == SIZE_MAX ? fmt::format("at least {}", least)
                                                : fmt::format("{} or {}", least, most);
      return fail(node, fmt::format("{}() takes {} argument{}, not {}", node.text, expected,
                                    most == 1 ? "" : "s", node.args.size()));
    }
    return true;
  }

  bool call(const AstNode& node, Compiled& out) {
    const std::string& f = node.text;
    if (f == "lookup") return lookup(node, out);
    if (f == "sum_i") return sum_units(node, out);
    if (f == "sum_x") return sum_periods(node, out);
    if (const int summed = summed_index(f); summed >= 0) return sum_index(node, summed, out);
    std::vector<Compiled> args(node.args.size());
    Level level = Level::project;
    unsigned indices = 0;
    std::vector<std::string> functions = {"if",    "min", "max", "abs",   "floor", "ceil",
                                          "round", "exp", "ln",  "sum_i", "sum_x", "lookup"};
    if (std::find(functions.begin(), functions.end(), f) == functions.end()) {
      for (const IndexSymbol& i : scope_.indices())
        functions.push_back("sum_" + i.name);
      std::string hint = closest_match(f, functions);
      return fail(node,
                  fmt::format("unknown function '{}'{}", f,
                              hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
    for (std::size_t i = 0; i < node.args.size(); ++i) {
      if (!compile(node.args[i], args[i])) return false;
      if (!combine_levels(node, level, args[i].level, level)) return false;
      indices |= args[i].indices;
    }
    Expr e;
    e.name = f;
    if (f == "if") {
      if (!arity(node, 3, 3) || !expect_boolean(node.args[0], args[0].expr)) return false;
      if (args[1].expr.type != args[2].expr.type)
        return fail(node, "both branches of if() must give the same kind of value");
      // Keys only ever come straight from a key parameter, so that comparisons
      // and look-ups always know their set of values.
      if (args[1].expr.type == ValueType::key)
        return fail(node, "if() cannot choose between keys; compare the key instead");
      if (args[1].expr.type == ValueType::number &&
          !unify(node, args[1].expr, args[2].expr, "choose between"))
        return false;
      e.op = Op::if_then_else;
      e.type = args[1].expr.type;
      e.unit = args[1].expr.unit;
      e.any_unit = args[1].expr.any_unit && args[2].expr.any_unit;
    } else if (f == "min" || f == "max") {
      if (!arity(node, 2, SIZE_MAX)) return false;
      for (std::size_t i = 0; i < args.size(); ++i)
        if (!expect_number(node.args[i], args[i].expr)) return false;
      // Take the unit of the first argument that has one.
      std::size_t anchor = 0;
      while (anchor + 1 < args.size() && args[anchor].expr.any_unit)
        ++anchor;
      for (std::size_t i = 0; i < args.size(); ++i)
        if (i != anchor && !unify(node.args[i], args[anchor].expr, args[i].expr, "compare"))
          return false;
      e.op = f == "min" ? Op::min : Op::max;
      e.unit = args[anchor].expr.unit;
      e.any_unit = args[anchor].expr.any_unit;
    } else if (f == "round") {
      if (!arity(node, 1, 2) || !expect_number(node.args[0], args[0].expr)) return false;
      e.op = Op::round;
      e.unit = args[0].expr.unit;
      if (args.size() == 2) {
        const Expr& digits = args[1].expr;
        if (digits.op != Op::constant || digits.value != std::floor(digits.value) ||
            std::fabs(digits.value) > 15)
          return fail(node.args[1],
                      "round(x, digits): digits must be a whole constant between -15 and 15");
        e.value = digits.value;
        args.pop_back();
      }
    } else if (f == "exp" || f == "ln") {
      if (!arity(node, 1, 1) || !expect_dimensionless(node, args[0].expr)) return false;
      e.op = f == "exp" ? Op::exp : Op::ln;
      e.unit = Unit::dimensionless();
    } else {
      if (!arity(node, 1, 1) || !expect_number(node.args[0], args[0].expr)) return false;
      e.op = f == "abs" ? Op::abs : f == "floor" ? Op::floor : Op::ceil;
      e.unit = args[0].expr.unit;
    }
    for (Compiled& a : args)
      e.args.push_back(std::move(a.expr));
    fold(e);
    out.expr = std::move(e);
    out.level = level;
    out.indices = indices;
    return true;
  }

  // sum_i(expression): Σ over the units i.
  bool sum_units(const AstNode& node, Compiled& out) {
    if (!arity(node, 1, 1)) return false;
    if (record_context_) return fail(node, "sum_i() cannot be used in a per-record equation");
    if (sum_depth_ > 0) return fail(node, "sum_i() cannot be nested");
    ++sum_depth_;
    Compiled inner;
    bool ok = compile(node.args[0], inner);
    --sum_depth_;
    if (!ok) return false;
    if (!expect_number(node.args[0], inner.expr)) return false;
    Expr e;
    e.op = Op::sum_units;
    e.name = "sum_i";
    e.unit = inner.expr.unit;
    e.args.push_back(std::move(inner.expr));
    out.level = (inner.level == Level::project || inner.level == Level::unit) ? Level::project
                                                                              : Level::period;
    out.indices = inner.indices;
    out.expr = std::move(e);
    return true;
  }

  // sum_j(expression): Σ over the values of index j the project uses.
  bool sum_index(const AstNode& node, int index, Compiled& out) {
    if (!arity(node, 1, 1)) return false;
    if (record_context_)
      return fail(node, fmt::format("{}() cannot be used in a per-record equation", node.text));
    const unsigned bit = 1u << index;
    if (summed_indices_ & bit) return fail(node, fmt::format("{}() cannot be nested", node.text));
    summed_indices_ |= bit;
    Compiled inner;
    const bool ok = compile(node.args[0], inner);
    summed_indices_ &= ~bit;
    if (!ok || !expect_number(node.args[0], inner.expr)) return false;
    Expr e;
    e.op = Op::sum_index;
    e.name = node.text;
    e.index = index;
    e.unit = inner.expr.unit;
    e.args.push_back(std::move(inner.expr));
    out.level = inner.level;
    out.indices = inner.indices & ~bit;
    out.expr = std::move(e);
    return true;
  }

  // sum_x(expression): Σ over the earlier periods x and the current one,
  // period values read at x, age_x the years from x to now.
  bool sum_periods(const AstNode& node, Compiled& out) {
    if (!arity(node, 1, 1)) return false;
    if (record_context_) return fail(node, "sum_x() cannot be used in a per-record equation");
    if (past_depth_ > 0) return fail(node, "sum_x() cannot be nested");
    ++past_depth_;
    Compiled inner;
    const bool ok = compile(node.args[0], inner);
    --past_depth_;
    if (!ok || !expect_number(node.args[0], inner.expr)) return false;
    reads_past = true;
    Expr e;
    e.op = Op::sum_periods;
    e.name = "sum_x";
    e.unit = inner.expr.unit;
    e.args.push_back(std::move(inner.expr));
    // One value per period at least: the sum has as many terms as periods.
    if (!combine_levels(node, inner.level, Level::period, out.level)) return false;
    out.indices = inner.indices;
    out.expr = std::move(e);
    return true;
  }

  // lookup(TABLE, key...), lookup(TABLE, number) for a band table, or
  // lookup(TABLE, key..., number) for a table by key and band.
  bool lookup(const AstNode& node, Compiled& out) {
    if (node.args.empty() || node.args[0].kind != AstNode::Kind::name)
      return fail(node, "lookup() takes a table name first: lookup(TABLE, key)");
    const AstNode& table_node = node.args[0];
    const Table* table = scope_.table(table_node.text);
    if (!table) {
      std::string hint = closest_match(table_node.text, scope_.names());
      return fail(table_node,
                  fmt::format("unknown table '{}'{}", table_node.text,
                              hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
    const std::size_t wanted = table->keys.size() + (table->banded ? 1 : 0);
    if (node.args.size() != wanted + 1) {
      std::vector<std::string> arguments = table->keys;
      if (table->banded) arguments.push_back(fmt::format("a number in {}", table->band_unit.text));
      return fail(node, fmt::format("table '{}' is looked up by {} ({}): lookup() needs {} "
                                    "argument{} after the table",
                                    table->id, wanted, fmt::join(arguments, ", "), wanted,
                                    wanted == 1 ? "" : "s"));
    }
    Expr e;
    e.name = table->id;
    e.unit = table->unit;
    Level level = Level::project;
    unsigned varies_by = 0;
    std::vector<std::vector<std::string>> domains;
    if (!key_arguments(node, *table, e, domains, level, varies_by)) return false;

    // Every combination of key values has an index: keep that bounded.
    std::size_t size = 1;
    e.strides.assign(domains.size(), 0);
    for (std::size_t k = domains.size(); k-- > 0;) {
      e.strides[k] = static_cast<int>(size);
      size *= domains[k].size();
      if (size > (1u << 20))
        return fail(node,
                    fmt::format("lookup in '{}' spans more than {} combinations of key values",
                                table->id, 1u << 20));
    }
    // The combined key index of a row, or nothing when a key value is outside
    // what the arguments can be.
    auto row_index = [&](const TableRow& row) -> std::optional<std::size_t> {
      std::size_t index = 0;
      for (std::size_t k = 0; k < domains.size(); ++k) {
        auto it = std::find(domains[k].begin(), domains[k].end(), row.keys[k]);
        if (it == domains[k].end()) return std::nullopt;
        index += static_cast<std::size_t>(it - domains[k].begin()) *
                 static_cast<std::size_t>(e.strides[k]);
      }
      return index;
    };

    if (table->banded) {
      const AstNode& band_node = node.args.back();
      Compiled arg;
      if (!compile(band_node, arg) || !expect_number(band_node, arg.expr)) return false;
      if (!same_dimension(arg.expr.unit, table->band_unit))
        return fail(band_node, fmt::format("table '{}' is banded by {} [{}], not by {}", table->id,
                                           table->band_unit.dimension.describe(),
                                           table->band_unit.text, unit_label(arg.expr)));
      rescale(arg.expr, table->band_unit);
      e.op = Op::band_lookup;
      for (const TableRow& row : table->rows) {
        const std::optional<std::size_t> index = row_index(row);
        if (!index) continue;
        e.band_key.push_back(static_cast<int>(*index));
        e.band_from.push_back(row.from);
        e.band_to.push_back(row.to);
        e.table.push_back(row.value);
      }
      if (!combine_levels(node, level, arg.level, level)) return false;
      varies_by |= arg.indices;
      e.args.push_back(std::move(arg.expr));
    } else {
      e.table.assign(size, std::nan(""));
      for (const TableRow& row : table->rows)
        if (const std::optional<std::size_t> index = row_index(row)) e.table[*index] = row.value;
      e.op = Op::key_lookup;
    }
    fold(e);
    out.expr = std::move(e);
    out.level = level;
    out.indices = varies_by;
    return true;
  }

  // The key arguments of lookup(TABLE, key...[, number]): each a key parameter
  // or a text; `domains` gets the values each can take, in index order.
  bool key_arguments(const AstNode& node, const Table& table, Expr& e,
                     std::vector<std::vector<std::string>>& domains, Level& level,
                     unsigned& indices) {
    for (std::size_t k = 0; k < table.keys.size(); ++k) {
      const AstNode& arg_node = node.args[k + 1];
      std::vector<std::string> column_values;
      for (const TableRow& row : table.rows)
        if (std::find(column_values.begin(), column_values.end(), row.keys[k]) ==
            column_values.end())
          column_values.push_back(row.keys[k]);
      if (arg_node.kind == AstNode::Kind::string) {
        if (std::find(column_values.begin(), column_values.end(), arg_node.text) ==
            column_values.end()) {
          std::string hint = closest_match(arg_node.text, column_values);
          return fail(arg_node,
                      fmt::format("table '{}' has no {} '{}'{}", table.id, table.keys[k],
                                  arg_node.text,
                                  hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
        }
        domains.push_back({arg_node.text});
        e.args.push_back(constant(0));
        e.args.back().name = "\"" + arg_node.text + "\"";
        continue;
      }
      Compiled arg;
      if (!compile(arg_node, arg)) return false;
      if (arg.expr.type != ValueType::key)
        return fail(arg_node, fmt::format("table '{}' is looked up by {}, a key; this is {}",
                                          table.id, table.keys[k], unit_label(arg.expr)));
      const Symbol* symbol = scope_.symbol(arg.expr.name);
      for (const std::string& v : *symbol->key_domain)
        if (std::find(column_values.begin(), column_values.end(), v) == column_values.end() &&
            table.keys.size() == 1)
          return fail(arg_node, fmt::format("'{}' can be '{}', which table '{}' has no row for",
                                            arg.expr.name, v, table.id));
      domains.push_back(*symbol->key_domain);
      if (!combine_levels(node, level, arg.level, level)) return false;
      indices |= arg.indices;
      e.args.push_back(std::move(arg.expr));
    }
    return true;
  }
};

} // namespace

bool compile_formula(const AstNode& ast, const CompileScope& scope, bool record_context,
                     CompiledFormula& out, ParseError& error) {
  Compiler compiler(scope, record_context);
  Compiled compiled;
  if (!compiler.compile(ast, compiled)) {
    error = compiler.error;
    return false;
  }
  // A stored value varies by one index at most: inside a formula a term may
  // vary by two when a sum removes one of them (sum_g(w_k * G_g)).
  const unsigned indices = compiled.indices;
  if (indices & (indices - 1)) {
    std::vector<std::string> names;
    for (std::size_t k = 0; k < scope.indices().size(); ++k)
      if (indices & (1u << k)) names.push_back("'" + scope.indices()[k].name + "'");
    error = ParseError{
        fmt::format(
            "a value cannot vary by two indices ({}): sum over one of "
            "them, sum_{}(...)",
            fmt::join(names, " and "),
            scope.indices()[static_cast<std::size_t>(std::countr_zero(indices & (indices - 1)))]
                .name),
        ast.offset, std::max<std::size_t>(1, ast.length)};
    return false;
  }
  out.expr = std::move(compiled.expr);
  out.level = compiled.level;
  out.index = indices == 0 ? -1 : std::countr_zero(indices);
  out.reads_past = compiler.reads_past;
  return true;
}

bool convert_to_unit(Expr& expr, const Unit& target, std::string& message) {
  if (expr.type != ValueType::number) {
    message = "the formula gives a condition, not a number";
    return false;
  }
  if (expr.any_unit) {
    expr.unit = target;
    expr.any_unit = false;
    return true;
  }
  if (!same_dimension(expr.unit, target)) {
    message = fmt::format(
        "dimension mismatch: the formula gives {} [{}] but the parameter is {} [{}]",
        expr.unit.dimension.describe(), expr.unit.text, target.dimension.describe(), target.text);
    return false;
  }
  double factor = conversion_factor(expr.unit, target);
  if (factor != 1.0) {
    Expr product;
    product.op = Expr::Op::multiply;
    product.unit = target;
    Expr c;
    c.op = Expr::Op::constant;
    c.value = factor;
    bool constant = expr.op == Expr::Op::constant;
    product.args.push_back(std::move(expr));
    product.args.push_back(std::move(c));
    if (constant) {
      double value = evaluate_scalar(product, EvalFrame{});
      product = Expr{};
      product.op = Expr::Op::constant;
      product.value = value;
    }
    expr = std::move(product);
  }
  expr.unit = target;
  return true;
}

} // namespace mrv::detail
