// Recursive-descent parser for the formula language. Each function opens
// with the grammar rule it implements; docs/formula-language.md has them all.
#include "model/formula_ast.hpp"

#include "data/text_number.hpp"

#include <cctype>
#include <fmt/format.h>

namespace mrv::detail {
namespace {

struct Token {
  enum class Kind { end, number, name, string, op, lparen, rparen, lbracket, comma };
  Kind kind = Kind::end;
  std::string text;
  std::size_t offset = 0;
};

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

class Parser {
public:
  explicit Parser(const std::string& text) : text_(text) {}

  bool parse(AstNode& out, ParseError& error) {
    if (text_.size() > max_formula_bytes) {
      error = {fmt::format("formula longer than {} bytes", max_formula_bytes), 0, 1};
      return false;
    }
    if (!advance()) return fail(error);
    if (current_.kind == Token::Kind::end) {
      error_ = {"empty formula", 0, 1};
      return fail(error);
    }
    if (!expression(out)) return fail(error);
    if (current_.kind != Token::Kind::end) {
      error_ = {fmt::format("unexpected '{}' after the end of the formula", current_.text),
                current_.offset, current_.text.size()};
      return fail(error);
    }
    if (const AstNode* deep = deeper_than(out, max_formula_tree_depth)) {
      error = {fmt::format("formula nested deeper than {} levels (each operator of a chain such "
                           "as a + b + c counts as one)",
                           max_formula_tree_depth),
               deep->offset, std::max<std::size_t>(1, deep->length)};
      return false;
    }
    return true;
  }

private:
  // The first node found below `limit` levels, or null. Walks the tree
  // without recursion, since a chain of operators makes it deep.
  static const AstNode* deeper_than(const AstNode& root, std::size_t limit) {
    std::vector<std::pair<const AstNode*, std::size_t>> todo = {{&root, 1}};
    while (!todo.empty()) {
      auto [node, depth] = todo.back();
      todo.pop_back();
      if (depth > limit) return node;
      for (const AstNode& arg : node->args)
        todo.emplace_back(&arg, depth + 1);
    }
    return nullptr;
  }

  const std::string& text_;
  std::size_t pos_ = 0;
  Token current_;
  ParseError error_;
  int depth_ = 0;

  bool fail(ParseError& error) {
    error = error_;
    return false;
  }
  bool set_error(std::string message, std::size_t offset, std::size_t length) {
    error_ = {std::move(message), offset, std::max<std::size_t>(1, length)};
    return false;
  }
  bool unexpected(const char* expected) {
    if (current_.kind == Token::Kind::end)
      return set_error(fmt::format("expected {} before the end of the formula", expected),
                       text_.size(), 1);
    return set_error(fmt::format("expected {}, found '{}'", expected, current_.text),
                     current_.offset, current_.text.size());
  }

  // token := number | name | string | operator | punctuation
  bool advance() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
    current_ = Token{};
    current_.offset = pos_;
    if (pos_ >= text_.size()) return true;
    char c = text_[pos_];
    std::size_t start = pos_;
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && pos_ + 1 < text_.size() &&
         std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))) {
      while (pos_ < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.'))
        ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        std::size_t save = pos_++;
        if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
        if (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
          while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])))
            ++pos_;
        } else {
          pos_ = save;
        }
      }
      current_.kind = Token::Kind::number;
    } else if (is_name_start(c)) {
      while (pos_ < text_.size() && is_name_char(text_[pos_]))
        ++pos_;
      current_.kind = Token::Kind::name;
    } else if (c == '"') {
      ++pos_;
      while (pos_ < text_.size() && text_[pos_] != '"')
        ++pos_;
      if (pos_ >= text_.size()) return set_error("unterminated string", start, 1);
      ++pos_;
      current_.kind = Token::Kind::string;
    } else if (c == '(' || c == ')' || c == ',' || c == '[') {
      ++pos_;
      current_.kind = c == '('   ? Token::Kind::lparen
                      : c == ')' ? Token::Kind::rparen
                      : c == '[' ? Token::Kind::lbracket
                                 : Token::Kind::comma;
    } else {
      static const char* two[] = {"<=", ">=", "==", "!="};
      for (const char* op : two)
        if (pos_ == start && text_.compare(pos_, 2, op) == 0) pos_ += 2;
      if (pos_ == start) {
        if (std::string_view("+-*/^<>").find(c) == std::string_view::npos)
          return set_error(fmt::format("unexpected character '{}'", c), start, 1);
        ++pos_;
      }
      current_.kind = Token::Kind::op;
    }
    current_.text = text_.substr(start, pos_ - start);
    return true;
  }

  bool is_op(const char* op) const {
    return current_.kind == Token::Kind::op && current_.text == op;
  }
  bool is_word(const char* word) const {
    return current_.kind == Token::Kind::name && current_.text == word;
  }

  AstNode binary(std::string op, AstNode left, AstNode right) {
    AstNode node;
    node.kind = AstNode::Kind::binary;
    node.text = std::move(op);
    node.offset = left.offset;
    node.length = right.offset + right.length - left.offset;
    node.args.push_back(std::move(left));
    node.args.push_back(std::move(right));
    return node;
  }

  // expression := or_expr
  // or_expr    := and_expr ("or" and_expr)*
  bool expression(AstNode& out) {
    if (++depth_ > max_formula_depth)
      return set_error(fmt::format("formula nested deeper than {} levels", max_formula_depth),
                       current_.offset, 1);
    bool ok = and_expr(out);
    while (ok && is_word("or")) {
      AstNode right;
      ok = advance() && and_expr(right);
      if (ok) out = binary("or", std::move(out), std::move(right));
    }
    --depth_;
    return ok;
  }

  // and_expr := not_expr ("and" not_expr)*
  bool and_expr(AstNode& out) {
    if (!not_expr(out)) return false;
    while (is_word("and")) {
      AstNode right;
      if (!advance() || !not_expr(right)) return false;
      out = binary("and", std::move(out), std::move(right));
    }
    return true;
  }

  // not_expr := "not" not_expr | comparison
  bool not_expr(AstNode& out) {
    if (is_word("not")) {
      std::size_t offset = current_.offset;
      if (++depth_ > max_formula_depth)
        return set_error(fmt::format("formula nested deeper than {} levels", max_formula_depth),
                         offset, 3);
      AstNode operand;
      if (!advance() || !not_expr(operand)) return false;
      --depth_;
      out = AstNode{};
      out.kind = AstNode::Kind::unary;
      out.text = "not";
      out.offset = offset;
      out.length = operand.offset + operand.length - offset;
      out.args.push_back(std::move(operand));
      return true;
    }
    return comparison(out);
  }

  // comparison := additive (("<" | "<=" | ">" | ">=" | "==" | "!=") additive)?
  bool comparison(AstNode& out) {
    if (!additive(out)) return false;
    for (const char* op : {"<", "<=", ">", ">=", "==", "!="}) {
      if (is_op(op)) {
        AstNode right;
        if (!advance() || !additive(right)) return false;
        out = binary(op, std::move(out), std::move(right));
        for (const char* again : {"<", "<=", ">", ">=", "==", "!="})
          if (is_op(again))
            return set_error("comparisons do not chain; use 'and'", current_.offset,
                             current_.text.size());
        return true;
      }
    }
    return true;
  }

  // additive := term (("+" | "-") term)*
  bool additive(AstNode& out) {
    if (!term(out)) return false;
    while (is_op("+") || is_op("-")) {
      std::string op = current_.text;
      AstNode right;
      if (!advance() || !term(right)) return false;
      out = binary(op, std::move(out), std::move(right));
    }
    return true;
  }

  // term := unary (("*" | "/") unary)*
  bool term(AstNode& out) {
    if (!unary(out)) return false;
    while (is_op("*") || is_op("/")) {
      std::string op = current_.text;
      AstNode right;
      if (!advance() || !unary(right)) return false;
      out = binary(op, std::move(out), std::move(right));
    }
    return true;
  }

  // unary := "-" unary | power
  bool unary(AstNode& out) {
    if (is_op("-") || is_op("+")) {
      std::string op = current_.text;
      std::size_t offset = current_.offset;
      if (++depth_ > max_formula_depth)
        return set_error(fmt::format("formula nested deeper than {} levels", max_formula_depth),
                         offset, 1);
      AstNode operand;
      if (!advance() || !unary(operand)) return false;
      --depth_;
      if (op == "+") {
        out = std::move(operand);
        return true;
      }
      out = AstNode{};
      out.kind = AstNode::Kind::unary;
      out.text = "-";
      out.offset = offset;
      out.length = operand.offset + operand.length - offset;
      out.args.push_back(std::move(operand));
      return true;
    }
    return power(out);
  }

  // power := primary ("^" unary)?       (right-associative: 2^-1, 2^3^2 = 2^(3^2))
  bool power(AstNode& out) {
    if (!primary(out)) return false;
    if (is_op("^")) {
      // Each ^ nests its exponent: it counts toward the nesting limit.
      if (++depth_ > max_formula_depth)
        return set_error(fmt::format("formula nested deeper than {} levels", max_formula_depth),
                         current_.offset, 1);
      AstNode exponent;
      if (!advance() || !unary(exponent)) return false;
      --depth_;
      out = binary("^", std::move(out), std::move(exponent));
    }
    return true;
  }

  // primary := number ("[" unit "]")? | string | name | name "(" arguments? ")" | "(" expression
  // ")" arguments := expression ("," expression)*
  bool primary(AstNode& out) {
    out = AstNode{};
    out.offset = current_.offset;
    out.length = current_.text.size();
    switch (current_.kind) {
    case Token::Kind::number: {
      std::optional<double> value = parse_number(current_.text);
      if (!value)
        return set_error(fmt::format("invalid number '{}'", current_.text), out.offset, out.length);
      out.kind = AstNode::Kind::number;
      out.number = *value;
      out.text = current_.text;
      // A unit right after a number: 37[degC]. Scanned raw, since units
      // contain characters that are operators elsewhere (tCO2/MWh).
      if (pos_ < text_.size() && text_[pos_] == '[') {
        std::size_t close = text_.find(']', pos_);
        if (close == std::string::npos) return set_error("unterminated unit: missing ']'", pos_, 1);
        out.unit = text_.substr(pos_ + 1, close - pos_ - 1);
        pos_ = close + 1;
        out.length = pos_ - out.offset;
      }
      return advance();
    }
    case Token::Kind::string:
      out.kind = AstNode::Kind::string;
      out.text = current_.text.substr(1, current_.text.size() - 2);
      return advance();
    case Token::Kind::name: {
      if (is_word("and") || is_word("or") || is_word("not")) return unexpected("a value");
      out.kind = AstNode::Kind::name;
      out.text = current_.text;
      if (!advance()) return false;
      if (current_.kind != Token::Kind::lparen) return true;
      out.kind = AstNode::Kind::call;
      if (!advance()) return false;
      if (current_.kind != Token::Kind::rparen) {
        while (true) {
          AstNode argument;
          if (!expression(argument)) return false;
          out.args.push_back(std::move(argument));
          if (current_.kind == Token::Kind::comma) {
            if (!advance()) return false;
            continue;
          }
          break;
        }
      }
      if (current_.kind != Token::Kind::rparen) return unexpected("',' or ')'");
      out.length = current_.offset + 1 - out.offset;
      return advance();
    }
    case Token::Kind::lparen: {
      if (!advance() || !expression(out)) return false;
      if (current_.kind != Token::Kind::rparen) return unexpected("')'");
      return advance();
    }
    default:
      return unexpected("a value");
    }
  }
};

} // namespace

bool parse_formula(const std::string& text, AstNode& out, ParseError& error) {
  return Parser(text).parse(out, error);
}

} // namespace mrv::detail
