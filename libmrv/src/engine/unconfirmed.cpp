// The values a period's result depended on whose source is not confirmed:
// the parameters RE, PE and ER reach through their equations, the table
// rows their look-ups took (evaluated as the engine evaluated them, for
// each unit), and the rounding rule.
#include "engine/unconfirmed.hpp"

#include "model/formula_ast.hpp"
#include "mrv/numbers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace mrv::detail {

namespace {

using Op = Expr::Op;

std::string row_name(const Table& t, const TableRow& row) {
  std::vector<std::string> parts = row.keys;
  if (t.banded)
    parts.push_back(format_number(row.from) + ".." +
                    (std::isinf(row.to) ? std::string() : format_number(row.to)));
  return fmt::format("{}[{}]", t.id, fmt::join(parts, ","));
}

// A row without a source of its own has its table's.
const Provenance& row_source(const Table& t, const TableRow& row) {
  return row.source.document.empty() ? t.source : row.source;
}

void parameters_in(const Expr& e, std::vector<std::string>& out) {
  if (e.op == Op::parameter) out.push_back(e.name);
  for (const Expr& a : e.args)
    parameters_in(a, out);
}

// Every parameter RE, PE and ER are computed from, themselves included.
std::vector<bool> dependencies(const Methodology& m) {
  const CompiledMethodology& c = *m.compiled;
  std::vector<bool> used(m.parameters.size(), false);
  std::vector<int> pending = {c.reference_parameter, c.project_emissions_parameter,
                              c.reductions_parameter};
  while (!pending.empty()) {
    const int index = pending.back();
    pending.pop_back();
    if (index < 0 || used[static_cast<std::size_t>(index)]) continue;
    used[static_cast<std::size_t>(index)] = true;
    const CompiledParameter& cp = c.parameters[static_cast<std::size_t>(index)];
    if (!cp.has_formula) continue;
    std::vector<std::string> names;
    parameters_in(cp.formula.expr, names);
    for (const std::string& name : names)
      if (const Parameter* p = m.parameter(name))
        pending.push_back(static_cast<int>(p - m.parameters.data()));
  }
  return used;
}

// Rows looked up, by table: a row index, or npos for "some row of it" (a
// look-up whose row cannot be told, as in a per-record equation).
using Lookups = std::set<std::pair<const Table*, std::size_t>>;
constexpr std::size_t whole_table = static_cast<std::size_t>(-1);

struct ArgLevels {
  bool record = false, unit = false;
};
void arg_levels(const Expr& e, ArgLevels& levels) {
  if (e.op == Op::parameter) {
    levels.record = levels.record || e.level == Level::record;
    levels.unit = levels.unit || e.level == Level::unit || e.level == Level::unit_period;
  }
  for (const Expr& a : e.args)
    arg_levels(a, levels);
}

// The row a look-up took in `frame`: its keys' texts and, for a band
// table, the band holding its number; nothing when they cannot be told.
std::optional<std::size_t> looked_up_row(const Methodology& m, const Table& t, const Expr& e,
                                         const EvalFrame& frame) {
  std::vector<std::string> keys;
  for (std::size_t k = 0; k < t.keys.size() && k < e.args.size(); ++k) {
    const Expr& arg = e.args[k];
    if (arg.name.size() >= 2 && arg.name.front() == '"') { // a text written in the formula
      keys.push_back(arg.name.substr(1, arg.name.size() - 2));
      continue;
    }
    const Parameter* p = arg.op == Op::parameter ? m.parameter(arg.name) : nullptr;
    const double index = evaluate_scalar(arg, frame);
    if (!p || !p->is_key || !(index >= 0) || index >= static_cast<double>(p->key_values.size()))
      return std::nullopt;
    keys.push_back(p->key_values[static_cast<std::size_t>(index)]);
  }
  const double number =
      t.banded && e.args.size() > t.keys.size() ? evaluate_scalar(e.args.back(), frame) : 0;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const TableRow& row = t.rows[r];
    if (row.keys == keys && (!t.banded || (number >= row.from && number < row.to))) return r;
  }
  return std::nullopt;
}

class LookupFinder {
public:
  LookupFinder(const Methodology& m, const BoundValues& bound, const SliceValues& slice,
               const std::vector<int>& units)
      : m_(m), units_(units), frame_(slice_frame(m, bound, slice, units)) {}

  void walk(const Expr& e) {
    if (e.op == Op::key_lookup || e.op == Op::band_lookup)
      if (const Table* t = m_.table(e.name)) add(*t, e);
    for (const Expr& a : e.args)
      walk(a);
  }

  // A look-up whose keys are all texts written in the formula was folded
  // into its value when it compiled: it is found in the formula's text.
  void walk_text(const std::string& formula) {
    AstNode ast;
    ParseError error;
    if (!formula.empty() && parse_formula(formula, ast, error)) walk_ast(ast);
  }

  Lookups found;

private:
  void add(const Table& t, const Expr& e) {
    ArgLevels levels;
    for (const Expr& a : e.args)
      arg_levels(a, levels);
    if (levels.record) {
      found.insert({&t, whole_table});
      return;
    }
    std::vector<int> units = {-1};
    if (levels.unit) units = units_;
    for (int u : units) {
      EvalFrame frame = frame_;
      frame.unit = u;
      const std::optional<std::size_t> row = looked_up_row(m_, t, e, frame);
      found.insert({&t, row.value_or(whole_table)});
    }
  }

  void walk_ast(const AstNode& node) {
    const bool constant_lookup =
        node.kind == AstNode::Kind::call && node.text == "lookup" && node.args.size() >= 2 &&
        std::all_of(node.args.begin() + 1, node.args.end(),
                    [](const AstNode& a) { return a.kind == AstNode::Kind::string; });
    if (constant_lookup)
      if (const Table* t = m_.table(node.args[0].text)) {
        std::vector<std::string> keys;
        for (auto a = node.args.begin() + 1; a != node.args.end(); ++a)
          keys.push_back(a->text);
        std::size_t row = whole_table;
        for (std::size_t r = 0; r < t->rows.size(); ++r)
          if (!t->banded && t->rows[r].keys == keys) row = r;
        found.insert({t, row});
      }
    for (const AstNode& a : node.args)
      walk_ast(a);
  }

  const Methodology& m_;
  const std::vector<int>& units_;
  EvalFrame frame_;
};

bool accepted(const std::vector<std::string>& names, const std::string& name,
              const std::string& table = "") {
  return std::find(names.begin(), names.end(), name) != names.end() ||
         (!table.empty() && std::find(names.begin(), names.end(), table) != names.end());
}

void table_items(const Lookups& lookups, const std::vector<std::string>& names,
                 std::vector<Unconfirmed>& out) {
  for (const auto& [t, r] : lookups) {
    if (r == whole_table) {
      // Some row of it: the table's source, or the first row's that is not confirmed.
      const Provenance* source = t->source.confirmed ? nullptr : &t->source;
      for (const TableRow& row : t->rows)
        if (!source && !row_source(*t, row).confirmed) source = &row_source(*t, row);
      if (source)
        out.push_back({"table", t->id, t->title, std::nullopt, t->unit.text, *source,
                       accepted(names, t->id)});
      continue;
    }
    const TableRow& row = t->rows[r];
    if (row_source(*t, row).confirmed) continue;
    out.push_back({"table_row", row_name(*t, row), t->title, row.value, t->unit.text,
                   row_source(*t, row), accepted(names, row_name(*t, row), t->id)});
  }
}

} // namespace

std::vector<Unconfirmed> unconfirmed_values(const Methodology& m, const BoundValues& bound,
                                            const SliceValues& slice, const std::vector<int>& units,
                                            const std::vector<std::string>& names) {
  std::vector<Unconfirmed> out;
  const std::vector<bool> used = dependencies(m);
  LookupFinder lookups(m, bound, slice, units);
  for (std::size_t i = 0; i < m.parameters.size(); ++i) {
    if (!used[i]) continue;
    const Parameter& p = m.parameters[i];
    const CompiledParameter& cp = m.compiled->parameters[i];
    if (cp.has_formula) {
      lookups.walk(cp.formula.expr);
      lookups.walk_text(p.formula);
    }
    if (!p.source.confirmed)
      out.push_back(
          {"parameter", p.id, p.description, std::nullopt, "", p.source, accepted(names, p.id)});
  }
  // The set holds tables in the methodology's order (pointers into its
  // vector), each one's rows in order.
  table_items(lookups.found, names, out);
  if (!m.rounding_source.confirmed)
    out.push_back({"rounding", "rounding",
                   fmt::format("rounding of credits: {}", rounding_name(m.rounding)), std::nullopt,
                   "", m.rounding_source, accepted(names, "rounding")});
  return out;
}

std::vector<std::string> acceptable_names(const Methodology& m) {
  std::vector<std::string> names;
  for (const Parameter& p : m.parameters)
    names.push_back(p.id);
  for (const Table& t : m.tables) {
    names.push_back(t.id);
    for (const TableRow& row : t.rows)
      names.push_back(row_name(t, row));
  }
  names.push_back("rounding");
  return names;
}

Status check_accepted_names(const Methodology& m, const std::vector<std::string>& names) {
  const std::vector<std::string> known = acceptable_names(m);
  for (const std::string& name : names) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    Diagnostic d;
    d.code = ExitCode::usage;
    d.message = fmt::format("--accept-unconfirmed: '{}' is not a parameter, table, table row or "
                            "'rounding' of {}",
                            name, m.full_id());
    if (const std::string hint = closest_match(name, known); !hint.empty())
      d.notes.push_back(fmt::format("did you mean '{}'?", hint));
    return d;
  }
  return Ok{};
}

std::string describe_unconfirmed(const std::vector<Unconfirmed>& items) {
  std::vector<std::string> names;
  for (const Unconfirmed& u : items)
    names.push_back(u.name + (u.accepted ? " (accepted)" : ""));
  return fmt::format("{} value{} not confirmed against the official methodology text: {}",
                     items.size(), items.size() == 1 ? "" : "s", fmt::join(names, ", "));
}

} // namespace mrv::detail
