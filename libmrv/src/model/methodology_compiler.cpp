// Compiles a methodology's equations: parses every formula, orders the
// equations by their dependencies (reporting cycles), resolves each name to
// a storage slot at its level and checks every dimension.
#include "base/try.hpp"
#include "model/compiled_methodology.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace mrv::detail {
namespace {

void collect_names(const AstNode& node, std::set<std::string>& names) {
  if (node.kind == AstNode::Kind::name) names.insert(node.text);
  for (std::size_t i = 0; i < node.args.size(); ++i) {
    // The first argument of lookup() names a table, not a value.
    if (node.kind == AstNode::Kind::call && node.text == "lookup" && i == 0) continue;
    collect_names(node.args[i], names);
  }
}

class MethodologyScope : public CompileScope {
public:
  // The indices are names too: each the key of its current value.
  explicit MethodologyScope(const Methodology& m) : m_(m) {
    for (std::size_t k = 0; k < m.indices.size(); ++k) {
      const Index& index = m.indices[k];
      indices_.push_back(IndexSymbol{index.name, index.description, &index.values});
      Symbol s;
      s.id = index.name;
      s.type = ValueType::key;
      s.key_domain = &index.values;
      s.index = static_cast<int>(k);
      s.index_value = true;
      symbols[index.name] = s;
    }
  }
  std::map<std::string, Symbol, std::less<>> symbols;
  const std::vector<IndexSymbol>& indices() const override { return indices_; }

  const Symbol* symbol(std::string_view id) const override {
    auto it = symbols.find(id);
    return it == symbols.end() ? nullptr : &it->second;
  }
  const Table* table(std::string_view id) const override {
    for (const Table& t : m_.tables)
      if (t.id == id) return &t;
    return nullptr;
  }
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const Parameter& p : m_.parameters)
      out.push_back(p.id);
    for (const Table& t : m_.tables)
      out.push_back(t.id);
    for (const Index& index : m_.indices)
      out.push_back(index.name);
    return out;
  }

private:
  const Methodology& m_;
  std::vector<IndexSymbol> indices_;
};

// The names a rating bound sees: the methodology's values known before any
// data (project and unit level), the unit's rating and the row's interval.
class BoundScope : public CompileScope {
public:
  BoundScope(const MethodologyScope& inner, Symbol rating, Symbol interval)
      : inner_(inner), rating_(std::move(rating)), interval_(std::move(interval)) {}
  const Symbol* symbol(std::string_view id) const override {
    if (!rating_.id.empty() && id == rating_.id) return &rating_;
    if (id == interval_.id) return &interval_;
    const Symbol* s = inner_.symbol(id);
    return s && s->index < 0 && (s->level == Level::project || s->level == Level::unit) ? s
                                                                                        : nullptr;
  }
  const Table* table(std::string_view id) const override { return inner_.table(id); }
  std::vector<std::string> names() const override {
    std::vector<std::string> out = inner_.names();
    if (!rating_.id.empty()) out.push_back(rating_.id);
    out.push_back(interval_.id);
    return out;
  }

private:
  const MethodologyScope& inner_;
  Symbol rating_, interval_;
};

bool uses_slot(const Expr& e, Level level, int slot) {
  if (e.op == Expr::Op::parameter && e.level == level && e.slot == slot) return true;
  for (const Expr& arg : e.args)
    if (uses_slot(arg, level, slot)) return true;
  return false;
}

// How a period-level expression depends on the units: not at all, as a sum
// of each unit's own terms (Σ_i, added, subtracted, scaled by what depends
// on no unit), or otherwise (a Σ_i inside min, max, if, a product of two...).
enum class UnitDependence { none, additive, other };

UnitDependence unit_dependence(const Expr& e, const CompiledMethodology& c,
                               const std::vector<int>& period_parameter) {
  using Op = Expr::Op;
  const auto worst = [](UnitDependence a, UnitDependence b) { return std::max(a, b); };
  switch (e.op) {
  case Op::constant:
    return UnitDependence::none;
  case Op::sum_units:
    return UnitDependence::additive;
  case Op::sum_index: // a sum of sums over the units is one too
  // sum_x: the earlier periods' terms are stored values, independent of
  // this period's units; only the period's own term varies with them.
  case Op::sum_periods:
    return unit_dependence(e.args[0], c, period_parameter);
  case Op::parameter: {
    if (e.level == Level::project) return UnitDependence::none;
    if (e.level != Level::period) return UnitDependence::other;
    const int i = period_parameter[static_cast<std::size_t>(e.slot)];
    if (i < 0 || !c.parameters[static_cast<std::size_t>(i)].has_formula)
      return UnitDependence::none; // a site value
    return unit_dependence(c.parameters[static_cast<std::size_t>(i)].formula.expr, c,
                           period_parameter);
  }
  case Op::add:
  case Op::subtract:
    return worst(unit_dependence(e.args[0], c, period_parameter),
                 unit_dependence(e.args[1], c, period_parameter));
  case Op::negate:
    return unit_dependence(e.args[0], c, period_parameter);
  case Op::multiply: {
    const UnitDependence a = unit_dependence(e.args[0], c, period_parameter);
    const UnitDependence b = unit_dependence(e.args[1], c, period_parameter);
    if (a == UnitDependence::none) return b;
    if (b == UnitDependence::none) return a;
    return UnitDependence::other;
  }
  case Op::divide:
    if (unit_dependence(e.args[1], c, period_parameter) != UnitDependence::none)
      return UnitDependence::other;
    return unit_dependence(e.args[0], c, period_parameter);
  default: {
    UnitDependence d = UnitDependence::none;
    for (const Expr& arg : e.args)
      d = worst(d, unit_dependence(arg, c, period_parameter));
    return d == UnitDependence::none ? d : UnitDependence::other;
  }
  }
}

// The first of `count` consecutive slots at `level` (an indexed value has
// one per index value).
int next_slot(CompiledMethodology& c, Level level, int count = 1) {
  int* slots = nullptr;
  switch (level) {
  case Level::project:
    slots = &c.project_slots;
    break;
  case Level::unit:
    slots = &c.unit_slots;
    break;
  case Level::record:
    slots = &c.record_slots;
    break;
  case Level::unit_period:
    slots = &c.unit_period_slots;
    break;
  case Level::period:
    slots = &c.period_slots;
    break;
  }
  const int first = *slots;
  *slots += count;
  return first;
}

// Whether an expression reads a value at an earlier period (sum_x), and which.
void collect_past_reads(const Expr& e, std::vector<std::string>& names) {
  if (e.op == Expr::Op::parameter && e.at_x &&
      std::find(names.begin(), names.end(), e.name) == names.end())
    names.push_back(e.name);
  for (const Expr& arg : e.args)
    collect_past_reads(arg, names);
}

// One methodology's compilation, as named steps run in order; each step
// returns the first error it meets, located in the file.
class MethodologyCompilation {
public:
  MethodologyCompilation(Methodology& m, const YamlDocument& doc,
                         const std::vector<const YamlNode*>& parameter_formulas,
                         const std::vector<const YamlNode*>& criterion_formulas,
                         const std::vector<const YamlNode*>& bound_formulas)
      : m_(m), doc_(doc), parameter_formulas_(parameter_formulas),
        criterion_formulas_(criterion_formulas), bound_formulas_(bound_formulas),
        compiled_(std::make_shared<CompiledMethodology>()), c_(*compiled_), scope_(m) {
    c_.parameters.resize(m.parameters.size());
    for (std::size_t i = 0; i < m.parameters.size(); ++i)
      index_[m.parameters[i].id] = i;
  }

  Expected<std::shared_ptr<const CompiledMethodology>> run() {
    MRV_TRY(parse_formulas());
    declare_values_without_formulas();
    MRV_TRY(order_equations());
    for (int i : c_.order)
      MRV_TRY(compile_equation(static_cast<std::size_t>(i)));
    MRV_TRY(check_outputs());
    find_whether_reductions_are_additive();
    MRV_TRY(compile_criteria());
    if (m_.rating) MRV_TRY(compile_bounds());
    find_past_parameters();
    return std::shared_ptr<const CompiledMethodology>(std::move(compiled_));
  }

private:
  Methodology& m_;
  const YamlDocument& doc_;
  const std::vector<const YamlNode*>& parameter_formulas_;
  const std::vector<const YamlNode*>& criterion_formulas_;
  const std::vector<const YamlNode*>& bound_formulas_;
  std::shared_ptr<CompiledMethodology> compiled_;
  CompiledMethodology& c_;
  MethodologyScope scope_;
  std::vector<AstNode> asts_;
  std::map<std::string, std::size_t> index_;
  // Ordering: 0 new, 1 in progress, 2 done; the path being visited.
  std::vector<int> state_;
  std::vector<std::string> path_;

  Diagnostic formula_error(const YamlNode& node, const ParseError& e) const {
    return doc_.error_in_scalar(node, e.offset, e.length, e.message);
  }

  // 1. Parse every formula.
  Status parse_formulas() {
    asts_.resize(m_.parameters.size());
    for (std::size_t i = 0; i < m_.parameters.size(); ++i) {
      if (!parameter_formulas_[i]) continue;
      ParseError e;
      if (!parse_formula(m_.parameters[i].formula, asts_[i], e))
        return formula_error(*parameter_formulas_[i], e);
    }
    return Ok{};
  }

  // Gives parameter i its storage at `level` (a slot per value of its
  // index, if it varies by one) and its symbol in the scope.
  void declare(std::size_t i, Level level, int index) {
    const Parameter& p = m_.parameters[i];
    CompiledParameter& cp = c_.parameters[i];
    const int count =
        index < 0 ? 1 : static_cast<int>(m_.indices[static_cast<std::size_t>(index)].values.size());
    Symbol s;
    s.id = p.id;
    s.unit = p.unit;
    s.type = p.is_key ? ValueType::key : ValueType::number;
    s.key_domain = p.is_key ? &p.key_values : nullptr;
    s.index = cp.index = index;
    if (level == Level::record) {
      cp.record_slot = next_slot(c_, Level::record, count);
      cp.level = Level::unit_period; // referenced outside rows: the period aggregate
    } else {
      cp.level = level;
    }
    cp.slot = next_slot(c_, cp.level, count);
    s.level = cp.level;
    s.slot = cp.slot;
    s.record_slot = cp.record_slot;
    if (p.kind == ParameterKind::monitored && level == Level::period) {
      // A site value: read from rows (a record slot for the reader), but
      // in formulas only its period total, so no per-record equation (which
      // runs over a unit's rows) can use it.
      cp.record_slot = next_slot(c_, Level::record, count);
      s.record_slot = -1;
    }
    scope_.symbols[p.id] = s;
    m_.parameters[i].level = level;
    m_.parameters[i].index = index;
  }

  // 2. Values that need no formula get their storage now.
  void declare_values_without_formulas() {
    for (std::size_t i = 0; i < m_.parameters.size(); ++i) {
      const Parameter& p = m_.parameters[i];
      if (parameter_formulas_[i]) continue;
      if (p.kind == ParameterKind::monitored)
        declare(i, p.level_declared ? Level::period : Level::record, p.index);
      else
        declare(i, p.level, p.index); // fixed: project; ex ante: project or unit as declared
    }
  }

  // 3. Order the equations so that every value is computed before its use.
  Status order_equations() {
    state_.assign(m_.parameters.size(), 0);
    for (std::size_t i = 0; i < m_.parameters.size(); ++i)
      MRV_TRY(visit(i));
    return Ok{};
  }

  Status visit(std::size_t i) {
    if (state_[i] == 2 || !parameter_formulas_[i]) return Ok{};
    if (state_[i] == 1) {
      auto start = std::find(path_.begin(), path_.end(), m_.parameters[i].id);
      std::vector<std::string> cycle(start, path_.end());
      cycle.push_back(m_.parameters[i].id);
      return doc_.error(*parameter_formulas_[i],
                        fmt::format("equations form a cycle: {}", fmt::join(cycle, " -> ")));
    }
    state_[i] = 1;
    path_.push_back(m_.parameters[i].id);
    std::set<std::string> names;
    collect_names(asts_[i], names);
    for (const std::string& name : names) {
      auto it = index_.find(name);
      if (it != index_.end()) MRV_TRY(visit(it->second));
    }
    path_.pop_back();
    state_[i] = 2;
    c_.order.push_back(static_cast<int>(i));
    return Ok{};
  }

  // 4. One equation, in dependency order: its level follows from its inputs.
  Status compile_equation(std::size_t i) {
    Parameter& p = m_.parameters[i];
    const YamlNode& node = *parameter_formulas_[i];
    const bool per_record = p.level_declared && p.level == Level::record;
    CompiledFormula f;
    ParseError e;
    if (!compile_formula(asts_[i], scope_, per_record, f, e)) return formula_error(node, e);
    if (p.is_key)
      return doc_.error(node, fmt::format("'{}' is a key and cannot have a formula", p.id));
    std::string message;
    if (!convert_to_unit(f.expr, p.unit, message))
      return doc_.error_in_scalar(node, 0, p.formula.size(),
                                  fmt::format("'{}': {}", p.id, message));
    if (f.expr.op == Expr::Op::constant && !std::isfinite(f.expr.value))
      return doc_.error_in_scalar(
          node, 0, p.formula.size(),
          fmt::format("'{}': the formula has no finite value (a division by zero?)", p.id));
    if (per_record) f.level = Level::record;
    MRV_TRY(settle_level(p, node, per_record, f));
    MRV_TRY(settle_index(p, node, f));
    if (f.reads_past) c_.reads_past = true;
    declare(i, f.level, f.index);
    c_.parameters[i].has_formula = true;
    c_.parameters[i].formula = std::move(f);
    return Ok{};
  }

  // The index the equation varies by, checked against `index:`: a formula
  // the same for every index value may be declared per index value.
  Status settle_index(const Parameter& p, const YamlNode& node, CompiledFormula& f) const {
    if (!p.index_declared || p.index == f.index) return Ok{};
    if (f.index < 0) {
      f.index = p.index;
      return Ok{};
    }
    const std::string& declared = m_.indices[static_cast<std::size_t>(p.index)].name;
    const std::string& inferred = m_.indices[static_cast<std::size_t>(f.index)].name;
    return doc_.error_in_scalar(
        node, 0, p.formula.size(),
        fmt::format("'{}' is declared per index {} but its formula varies by {}", p.id, declared,
                    inferred));
  }

  // The equation's level, checked against `per:` and the parameter's kind.
  Status settle_level(const Parameter& p, const YamlNode& node, bool per_record,
                      CompiledFormula& f) const {
    if (p.kind == ParameterKind::fixed && f.level != Level::project && f.level != Level::unit)
      return doc_.error(node, fmt::format("'{}' is fixed ex ante but its formula is per {}", p.id,
                                          level_name(f.level)));
    // A formula may be declared at a finer level than its inputs need
    // (PE_p = 0 is still one value per period).
    if (p.level_declared && !per_record) {
      bool finer = f.level == Level::project ||
                   (f.level == Level::unit && p.level == Level::unit_period) ||
                   (f.level == Level::period && p.level == Level::unit_period);
      if (finer) f.level = p.level;
    }
    if (p.level_declared && p.level != f.level)
      return doc_.error_in_scalar(
          node, 0, p.formula.size(),
          fmt::format("'{}' is declared per {} but its formula is per {}{}", p.id,
                      level_name(p.level), level_name(f.level),
                      p.level == Level::period && f.level == Level::unit_period
                          ? " (sum over the units with sum_i(...)?)"
                          : ""));
    return Ok{};
  }

  // 5. The outputs: period-level CO2e masses.
  Status check_outputs() {
    struct Output {
      const std::string* id;
      int* slot;
      const char* what;
    };
    for (Output o :
         {Output{&m_.reference_emissions, &c_.reference_parameter, "reference emissions"},
          Output{&m_.project_emissions, &c_.project_emissions_parameter, "project emissions"},
          Output{&m_.emission_reductions, &c_.reductions_parameter, "emission reductions"}}) {
      auto it = index_.find(*o.id);
      if (it == index_.end())
        return error_at(Location{doc_.file, 0, 0},
                        fmt::format("{} parameter '{}' is not defined", o.what, *o.id));
      const Parameter& p = m_.parameters[it->second];
      const CompiledParameter& cp = c_.parameters[it->second];
      if (cp.level != Level::period && cp.level != Level::project)
        return error_at(p.location,
                        fmt::format("{} '{}' must be one value per period, but it is per {}",
                                    o.what, p.id, level_name(cp.level)));
      if (p.unit.dimension != parse_unit("tCO2")->dimension)
        return error_at(p.location, fmt::format("{} '{}' must be a CO2e mass, not {}", o.what, p.id,
                                                p.unit.dimension.describe()));
      if (cp.index >= 0)
        return error_at(p.location,
                        fmt::format("{} '{}' must be one value per period, but it varies by {} "
                                    "(sum over it with sum_{}(...))",
                                    o.what, p.id,
                                    m_.indices[static_cast<std::size_t>(cp.index)].name,
                                    m_.indices[static_cast<std::size_t>(cp.index)].name));
      *o.slot = static_cast<int>(it->second);
    }
    return Ok{};
  }

  // 6. Whether ER is a sum over the units.
  void find_whether_reductions_are_additive() {
    std::vector<int> period_parameter(static_cast<std::size_t>(c_.period_slots), -1);
    for (std::size_t i = 0; i < c_.parameters.size(); ++i) {
      const CompiledParameter& cp = c_.parameters[i];
      if (cp.level != Level::period) continue;
      const std::size_t count =
          cp.index < 0 ? 1 : m_.indices[static_cast<std::size_t>(cp.index)].values.size();
      for (std::size_t v = 0; v < count; ++v)
        period_parameter[static_cast<std::size_t>(cp.slot) + v] = static_cast<int>(i);
    }
    const CompiledParameter& er = c_.parameters[static_cast<std::size_t>(c_.reductions_parameter)];
    c_.reductions_additive_in_units =
        !er.has_formula ||
        unit_dependence(er.formula.expr, c_, period_parameter) != UnitDependence::other;
  }

  // The parameters sum_x reads at earlier periods: a project's history gives them.
  void find_past_parameters() {
    std::vector<std::string> names;
    for (const CompiledParameter& cp : c_.parameters)
      if (cp.has_formula) collect_past_reads(cp.formula.expr, names);
    for (std::size_t i = 0; i < m_.parameters.size(); ++i)
      if (std::find(names.begin(), names.end(), m_.parameters[i].id) != names.end())
        c_.past_parameters.push_back(i);
  }

  // 7. Eligibility criteria: conditions over ex-ante values.
  Status compile_criteria() {
    c_.criteria.resize(m_.criteria.size());
    for (std::size_t i = 0; i < m_.criteria.size(); ++i) {
      if (!criterion_formulas_[i]) continue;
      const YamlNode& node = *criterion_formulas_[i];
      AstNode ast;
      ParseError e;
      if (!parse_formula(m_.criteria[i].formula, ast, e)) return formula_error(node, e);
      CompiledFormula f;
      if (!compile_formula(ast, scope_, false, f, e)) return formula_error(node, e);
      if (f.expr.type != ValueType::boolean)
        return doc_.error_in_scalar(node, 0, m_.criteria[i].formula.size(),
                                    "a criterion must be a condition (true/false)");
      if (f.level != Level::project && f.level != Level::unit)
        return doc_.error_in_scalar(
            node, 0, m_.criteria[i].formula.size(),
            "a criterion can only use ex-ante values (project or unit level)");
      if (f.index >= 0)
        return doc_.error_in_scalar(
            node, 0, m_.criteria[i].formula.size(),
            fmt::format("a criterion is one condition: it cannot vary by "
                        "{} (use sum_{}, min or max)",
                        m_.indices[static_cast<std::size_t>(f.index)].name,
                        m_.indices[static_cast<std::size_t>(f.index)].name));
      c_.criteria[i].has_formula = true;
      c_.criteria[i].formula = std::move(f);
    }
    return Ok{};
  }

  // 8. Rating bounds: the most one row can hold, in the parameter's unit.
  Status compile_bounds() {
    for (const char* name : {"rating_i", "interval"})
      if (index_.count(name))
        return error_at(m_.parameters[index_[name]].location,
                        fmt::format("'{}' names the unit's rating or the row's interval in rating "
                                    "bounds; a parameter cannot be called so",
                                    name));
    // Without a rating, `rating_i` is no name (an unknown symbol in a bound).
    Symbol rating{m_.rating->unit ? "rating_i" : "",
                  Level::unit,
                  ValueType::number,
                  m_.rating->unit.value_or(Unit::dimensionless()),
                  -1,
                  -1,
                  nullptr};
    if (m_.rating->unit) rating.slot = c_.rating_slot = next_slot(c_, Level::unit);
    Symbol interval{"interval", Level::project, ValueType::number, *parse_unit("s"), -1,
                    -1,         nullptr};
    interval.slot = c_.interval_slot = next_slot(c_, Level::project);
    BoundScope bound_scope(scope_, rating, interval);
    for (std::size_t b = 0; b < m_.rating->bounds.size(); ++b)
      MRV_TRY(compile_bound(bound_scope, b));
    return Ok{};
  }

  Status compile_bound(const BoundScope& bound_scope, std::size_t b) {
    const RatingBound& bound = m_.rating->bounds[b];
    const YamlNode& node = *bound_formulas_[b];
    AstNode ast;
    ParseError e;
    if (!parse_formula(bound.formula, ast, e)) return formula_error(node, e);
    CompiledFormula f;
    if (!compile_formula(ast, bound_scope, false, f, e)) return formula_error(node, e);
    const std::size_t parameter = index_[bound.parameter];
    std::string message;
    if (!convert_to_unit(f.expr, m_.parameters[parameter].unit, message))
      return doc_.error_in_scalar(node, 0, bound.formula.size(),
                                  fmt::format("the bound of '{}': {}", bound.parameter, message));
    c_.bound_uses_rating.push_back(uses_slot(f.expr, Level::unit, c_.rating_slot));
    c_.bounds.push_back(std::move(f));
    c_.bound_parameters.push_back(parameter);
    return Ok{};
  }
};

} // namespace

Expected<std::shared_ptr<const CompiledMethodology>>
compile_methodology(Methodology& m, const YamlDocument& doc,
                    const std::vector<const YamlNode*>& parameter_formulas,
                    const std::vector<const YamlNode*>& criterion_formulas,
                    const std::vector<const YamlNode*>& bound_formulas) {
  return MethodologyCompilation(m, doc, parameter_formulas, criterion_formulas, bound_formulas)
      .run();
}

} // namespace mrv::detail
