// Expr → Excel formula text: a tree walk that returns each piece with the
// precedence of its outermost operator, parenthesising a child only where
// Excel would otherwise group it differently from the tree.
#include "report/excel_formula.hpp"

#include "mrv/render.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <cmath>
#include <optional>

namespace mrv::detail {

namespace {

using Op = Expr::Op;

// Excel's binding, loosest first. A negation (or a negative number) is
// parenthesised inside any operator, so it gets the loosest of all.
enum Precedence {
  negation = 0,
  comparison = 1,
  additive = 2,
  multiplicative = 3,
  power = 4,
  atom = 5
};

struct Piece {
  std::string text;
  int precedence = atom;
};

std::string wrap(const Piece& p, bool parenthesise) {
  return parenthesise ? "(" + p.text + ")" : p.text;
}

// A plain reference "Sheet!E12" or "E12": its sheet prefix, column and row.
struct CellRef {
  std::string sheet, column;
  long row = 0;
};
std::optional<CellRef> parse_ref(const std::string& text) {
  CellRef ref;
  std::size_t i = text.rfind('!');
  ref.sheet = i == std::string::npos ? "" : text.substr(0, i + 1);
  i = i == std::string::npos ? 0 : i + 1;
  while (i < text.size() && std::isupper(static_cast<unsigned char>(text[i])))
    ref.column += text[i++];
  if (ref.column.empty() || i == text.size()) return std::nullopt;
  for (; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    ref.row = ref.row * 10 + (text[i] - '0');
  }
  return ref;
}

// SUM of the pieces: a range when they are consecutive cells of one column,
// else a list, nested so that no call has more than Excel's 255 arguments.
std::string sum_of(const std::vector<std::string>& terms) {
  if (terms.empty()) return "0";
  bool range = terms.size() > 1;
  std::optional<CellRef> first = parse_ref(terms.front());
  for (std::size_t k = 0; range && k < terms.size(); ++k) {
    std::optional<CellRef> r = parse_ref(terms[k]);
    range = first && r && r->sheet == first->sheet && r->column == first->column &&
            r->row == first->row + static_cast<long>(k);
  }
  if (range) {
    const std::string& last = terms.back();
    return fmt::format("SUM({}:{})", terms.front(), last.substr(first->sheet.size()));
  }
  constexpr std::size_t most = 255;
  if (terms.size() <= most) return "SUM(" + fmt::format("{}", fmt::join(terms, ",")) + ")";
  std::vector<std::string> groups;
  for (std::size_t k = 0; k < terms.size(); k += most)
    groups.push_back(sum_of(std::vector<std::string>(
        terms.begin() + static_cast<long>(k),
        terms.begin() + static_cast<long>(std::min(terms.size(), k + most)))));
  return sum_of(groups);
}

class Translator {
public:
  explicit Translator(ExcelCells& cells) : cells_(cells) {}

  Piece translate(const Expr& e, const ExcelPlace& unit) {
    switch (e.op) {
    case Op::constant:
      return constant(e);
    case Op::parameter:
      return parameter(e, unit);
    case Op::negate: {
      const Piece x = translate(e.args[0], unit);
      return {"-" + wrap(x, x.precedence < atom), negation};
    }
    case Op::add:
      return binary(e, unit, "+", additive);
    case Op::subtract:
      return binary(e, unit, "-", additive);
    case Op::multiply:
      return binary(e, unit, "*", multiplicative);
    case Op::divide:
      return binary(e, unit, "/", multiplicative);
    case Op::power:
      return binary(e, unit, "^", power);
    case Op::less:
      return binary(e, unit, "<", comparison);
    case Op::less_equal:
      return binary(e, unit, "<=", comparison);
    case Op::greater:
      return binary(e, unit, ">", comparison);
    case Op::greater_equal:
      return binary(e, unit, ">=", comparison);
    case Op::equal:
      return binary(e, unit, "=", comparison);
    case Op::not_equal:
      return binary(e, unit, "<>", comparison);
    case Op::logical_and:
      return call("AND", e, unit);
    case Op::logical_or:
      return call("OR", e, unit);
    case Op::logical_not:
      return call("NOT", e, unit);
    case Op::if_then_else:
      return call("IF", e, unit);
    case Op::min:
      return call("MIN", e, unit);
    case Op::max:
      return call("MAX", e, unit);
    case Op::abs:
      return call("ABS", e, unit);
    case Op::floor:
      return call("INT", e, unit);
    case Op::exp:
      return call("EXP", e, unit);
    case Op::ln:
      return call("LN", e, unit);
    case Op::ceil: {
      const Piece x = translate(e.args[0], unit);
      return {"-INT(-" + wrap(x, x.precedence < atom) + ")", negation};
    }
    case Op::round:
      return {fmt::format("ROUND({},{})", translate(e.args[0], unit).text,
                          static_cast<long long>(e.value)),
              atom};
    case Op::sum_units: {
      std::vector<std::string> terms;
      ExcelPlace at = unit;
      for (at.unit = 0; at.unit < cells_.unit_count(); ++at.unit)
        terms.push_back(translate(e.args[0], at).text);
      return {sum_of(terms), atom};
    }
    case Op::sum_index: {
      std::vector<std::string> terms;
      ExcelPlace at = unit;
      for (int v : cells_.index_values(e.index)) {
        at.index[static_cast<std::size_t>(e.index)] = v;
        terms.push_back(translate(e.args[0], at).text);
      }
      return {sum_of(terms), atom};
    }
    case Op::sum_periods: {
      std::vector<std::string> terms;
      ExcelPlace at = unit;
      for (at.past = 0; at.past <= cells_.past_count(); ++at.past)
        terms.push_back(translate(e.args[0], at).text);
      return {sum_of(terms), atom};
    }
    case Op::index_value: {
      const int v = unit.index[static_cast<std::size_t>(e.index)];
      if (v < 0) fail(fmt::format("'{}' outside its sum", e.name));
      return {excel_string(cells_.index_text(e.index, v)), atom};
    }
    case Op::age: {
      const double age = unit.past == cells_.past_count() ? 0 : cells_.age(unit.past);
      return {excel_number(age), age < 0 ? negation : atom};
    }
    case Op::key_lookup:
    case Op::band_lookup: {
      std::string cell = cells_.lookup_at(e, unit);
      if (cell.empty()) fail(fmt::format("no cell holds the look-up in table '{}'", e.name));
      return {cell, atom};
    }
    }
    fail("an operation Excel cannot express");
    return {};
  }

  std::string error;

private:
  ExcelCells& cells_;

  void fail(std::string message) {
    if (error.empty()) error = std::move(message);
  }

  Piece constant(const Expr& e) {
    // A text compared with a key keeps its text as its name: "national_grid".
    if (e.name.size() >= 2 && e.name.front() == '"')
      return {excel_string(e.name.substr(1, e.name.size() - 2)), atom};
    if (e.type == ValueType::boolean) return {e.value != 0 ? "TRUE" : "FALSE", atom};
    if (!std::isfinite(e.value)) fail(fmt::format("the constant {} has no Excel form", e.value));
    return {excel_number(e.value), e.value < 0 ? negation : atom};
  }

  Piece parameter(const Expr& e, const ExcelPlace& at) {
    const bool per_unit = e.level == Level::unit || e.level == Level::unit_period;
    if (e.level == Level::record) fail(fmt::format("'{}' is a per-record value", e.name));
    if (per_unit && at.unit < 0) fail(fmt::format("'{}' is per unit, outside sum_i", e.name));
    ExcelPlace place = at;
    if (!per_unit) place.unit = -1;
    // Inside sum_x the current period's values are its own cells.
    if (place.past == cells_.past_count()) place.past = -1;
    std::string cell = e.index >= 0 || (e.at_x && place.past >= 0)
                           ? cells_.parameter_at(e, place)
                           : cells_.parameter(e.name, e.level, place.unit);
    if (cell.empty()) fail(fmt::format("no cell holds '{}'", e.name));
    return {cell, atom};
  }

  // Left operands group as Excel does (left to right); right operands of
  // the same precedence are parenthesised, and both operands of ^.
  Piece binary(const Expr& e, const ExcelPlace& unit, const char* op, Precedence precedence) {
    const Piece left = translate(e.args[0], unit), right = translate(e.args[1], unit);
    const bool is_power = precedence == power;
    return {wrap(left, is_power ? left.precedence < atom : left.precedence < precedence) + op +
                wrap(right, is_power ? right.precedence < atom : right.precedence <= precedence),
            precedence};
  }

  Piece call(const char* function, const Expr& e, const ExcelPlace& unit) {
    std::vector<std::string> args;
    for (const Expr& a : e.args)
      args.push_back(translate(a, unit).text);
    return {fmt::format("{}({})", function, fmt::join(args, ",")), atom};
  }
};

} // namespace

ExcelFormula excel_formula(const Expr& expr, ExcelCells& cells, int unit) {
  return excel_formula(expr, cells, ExcelPlace(unit));
}

ExcelFormula excel_formula(const Expr& expr, ExcelCells& cells, const ExcelPlace& at) {
  Translator translator(cells);
  ExcelFormula out;
  out.text = translator.translate(expr, at).text;
  out.error = translator.error;
  if (!out.ok()) out.text.clear();
  return out;
}

std::string excel_number(double value) {
  std::string text = format_number(value);
  for (char& c : text)
    if (c == 'e') c = 'E';
  return text;
}

std::string excel_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string excel_cell(int row, int column) {
  std::string letters;
  for (int c = column + 1; c > 0; c = (c - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  return letters + std::to_string(row + 1);
}

bool needs_formula_guard(std::string_view text) {
  if (text.empty()) return false;
  const char first = text.front();
  return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
         first == '\r';
}

std::string guard_spreadsheet_text(std::string_view text) {
  return needs_formula_guard(text) ? "'" + std::string(text) : std::string(text);
}

} // namespace mrv::detail
