// Compiles a methodology's equations: parses every formula, orders the
// equations by their dependencies (reporting cycles), resolves each name to
// a storage slot at its level and checks every dimension.
#include "base/try.hpp"
#include "model/compiled_methodology.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <functional>
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
  explicit MethodologyScope(const Methodology& m) : m_(m) {}
  std::map<std::string, Symbol, std::less<>> symbols;

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
    return out;
  }

private:
  const Methodology& m_;
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
    return s && (s->level == Level::project || s->level == Level::unit) ? s : nullptr;
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

int next_slot(CompiledMethodology& c, Level level) {
  switch (level) {
  case Level::project:
    return c.project_slots++;
  case Level::unit:
    return c.unit_slots++;
  case Level::record:
    return c.record_slots++;
  case Level::unit_period:
    return c.unit_period_slots++;
  case Level::period:
    return c.period_slots++;
  }
  return -1;
}

} // namespace

Expected<std::shared_ptr<const CompiledMethodology>>
compile_methodology(Methodology& m, const YamlDocument& doc,
                    const std::vector<const YamlNode*>& parameter_formulas,
                    const std::vector<const YamlNode*>& criterion_formulas,
                    const std::vector<const YamlNode*>& bound_formulas) {
  auto compiled = std::make_shared<CompiledMethodology>();
  CompiledMethodology& c = *compiled;
  c.parameters.resize(m.parameters.size());
  MethodologyScope scope(m);

  auto formula_error = [&](const YamlNode& node, const ParseError& e) {
    return doc.error_in_scalar(node, e.offset, e.length, e.message);
  };

  // 1. Parse every formula.
  std::vector<AstNode> asts(m.parameters.size());
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < m.parameters.size(); ++i)
    index[m.parameters[i].id] = i;
  for (std::size_t i = 0; i < m.parameters.size(); ++i) {
    if (!parameter_formulas[i]) continue;
    ParseError e;
    if (!parse_formula(m.parameters[i].formula, asts[i], e))
      return formula_error(*parameter_formulas[i], e);
  }

  // 2. Values that need no formula get their storage now.
  auto declare = [&](std::size_t i, Level level) {
    const Parameter& p = m.parameters[i];
    CompiledParameter& cp = c.parameters[i];
    Symbol s;
    s.id = p.id;
    s.unit = p.unit;
    s.type = p.is_key ? ValueType::key : ValueType::number;
    s.key_domain = p.is_key ? &p.key_values : nullptr;
    if (level == Level::record) {
      cp.record_slot = next_slot(c, Level::record);
      cp.level = Level::unit_period; // referenced outside rows: the period aggregate
    } else {
      cp.level = level;
    }
    cp.slot = next_slot(c, cp.level);
    s.level = cp.level;
    s.slot = cp.slot;
    s.record_slot = cp.record_slot;
    if (p.kind == ParameterKind::monitored && level == Level::period) {
      // A site value: read from rows (a record slot for the reader), but
      // in formulas only its period total, so no per-record equation (which
      // runs over a unit's rows) can use it.
      cp.record_slot = next_slot(c, Level::record);
      s.record_slot = -1;
    }
    scope.symbols[p.id] = s;
    m.parameters[i].level = level;
  };
  for (std::size_t i = 0; i < m.parameters.size(); ++i) {
    const Parameter& p = m.parameters[i];
    if (parameter_formulas[i]) continue;
    if (p.kind == ParameterKind::monitored)
      declare(i, p.level_declared ? Level::period : Level::record);
    else
      declare(i, p.level); // fixed values: project; ex ante: project or unit as declared
  }

  // 3. Order the equations so that every value is computed before its use.
  std::vector<int> state(m.parameters.size(), 0); // 0 new, 1 in progress, 2 done
  std::vector<std::string> path;
  std::function<Status(std::size_t)> visit = [&](std::size_t i) -> Status {
    if (state[i] == 2 || !parameter_formulas[i]) return Ok{};
    if (state[i] == 1) {
      auto start = std::find(path.begin(), path.end(), m.parameters[i].id);
      std::vector<std::string> cycle(start, path.end());
      cycle.push_back(m.parameters[i].id);
      return doc.error(*parameter_formulas[i],
                       fmt::format("equations form a cycle: {}", fmt::join(cycle, " -> ")));
    }
    state[i] = 1;
    path.push_back(m.parameters[i].id);
    std::set<std::string> names;
    collect_names(asts[i], names);
    for (const std::string& name : names) {
      auto it = index.find(name);
      if (it != index.end()) MRV_TRY(visit(it->second));
    }
    path.pop_back();
    state[i] = 2;
    c.order.push_back(static_cast<int>(i));
    return Ok{};
  };
  for (std::size_t i = 0; i < m.parameters.size(); ++i)
    MRV_TRY(visit(i));

  // 4. Compile in that order; each equation's level follows from its inputs.
  for (int i : c.order) {
    Parameter& p = m.parameters[static_cast<std::size_t>(i)];
    const YamlNode& node = *parameter_formulas[static_cast<std::size_t>(i)];
    bool per_record = p.level_declared && p.level == Level::record;
    CompiledFormula f;
    ParseError e;
    if (!compile_formula(asts[static_cast<std::size_t>(i)], scope, per_record, f, e))
      return formula_error(node, e);
    if (p.is_key)
      return doc.error(node, fmt::format("'{}' is a key and cannot have a formula", p.id));
    std::string message;
    if (!convert_to_unit(f.expr, p.unit, message))
      return doc.error_in_scalar(node, 0, p.formula.size(), fmt::format("'{}': {}", p.id, message));
    if (f.expr.op == Expr::Op::constant && !std::isfinite(f.expr.value))
      return doc.error_in_scalar(
          node, 0, p.formula.size(),
          fmt::format("'{}': the formula has no finite value (a division by zero?)", p.id));
    if (per_record) f.level = Level::record;
    if (p.kind == ParameterKind::fixed && f.level != Level::project && f.level != Level::unit)
      return doc.error(node, fmt::format("'{}' is fixed ex ante but its formula is per {}", p.id,
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
      return doc.error_in_scalar(
          node, 0, p.formula.size(),
          fmt::format("'{}' is declared per {} but its formula is per {}{}", p.id,
                      level_name(p.level), level_name(f.level),
                      p.level == Level::period && f.level == Level::unit_period
                          ? " (sum over the units with sum_i(...)?)"
                          : ""));
    std::size_t k = static_cast<std::size_t>(i);
    declare(k, f.level);
    c.parameters[k].has_formula = true;
    c.parameters[k].formula = std::move(f);
  }

  // 5. The outputs: period-level CO2e masses.
  struct Output {
    const std::string* id;
    int* slot;
    const char* what;
  };
  for (Output o :
       {Output{&m.reference_emissions, &c.reference_parameter, "reference emissions"},
        Output{&m.project_emissions, &c.project_emissions_parameter, "project emissions"},
        Output{&m.emission_reductions, &c.reductions_parameter, "emission reductions"}}) {
    auto it = index.find(*o.id);
    if (it == index.end())
      return error_at(Location{doc.file, 0, 0},
                      fmt::format("{} parameter '{}' is not defined", o.what, *o.id));
    const Parameter& p = m.parameters[it->second];
    const CompiledParameter& cp = c.parameters[it->second];
    if (cp.level != Level::period && cp.level != Level::project)
      return error_at(p.location,
                      fmt::format("{} '{}' must be one value per period, but it is per {}", o.what,
                                  p.id, level_name(cp.level)));
    if (p.unit.dimension != parse_unit("tCO2")->dimension)
      return error_at(p.location, fmt::format("{} '{}' must be a CO2e mass, not {}", o.what, p.id,
                                              p.unit.dimension.describe()));
    *o.slot = static_cast<int>(it->second);
  }

  // 6. Whether ER is a sum over the units.
  {
    std::vector<int> period_parameter(static_cast<std::size_t>(c.period_slots), -1);
    for (std::size_t i = 0; i < c.parameters.size(); ++i)
      if (c.parameters[i].level == Level::period)
        period_parameter[static_cast<std::size_t>(c.parameters[i].slot)] = static_cast<int>(i);
    const CompiledParameter& er = c.parameters[static_cast<std::size_t>(c.reductions_parameter)];
    c.reductions_additive_in_units =
        !er.has_formula ||
        unit_dependence(er.formula.expr, c, period_parameter) != UnitDependence::other;
  }

  // 7. Eligibility criteria: conditions over ex-ante values.
  c.criteria.resize(m.criteria.size());
  for (std::size_t i = 0; i < m.criteria.size(); ++i) {
    if (!criterion_formulas[i]) continue;
    const YamlNode& node = *criterion_formulas[i];
    AstNode ast;
    ParseError e;
    if (!parse_formula(m.criteria[i].formula, ast, e)) return formula_error(node, e);
    CompiledFormula f;
    if (!compile_formula(ast, scope, false, f, e)) return formula_error(node, e);
    if (f.expr.type != ValueType::boolean)
      return doc.error_in_scalar(node, 0, m.criteria[i].formula.size(),
                                 "a criterion must be a condition (true/false)");
    if (f.level != Level::project && f.level != Level::unit)
      return doc.error_in_scalar(node, 0, m.criteria[i].formula.size(),
                                 "a criterion can only use ex-ante values (project or unit level)");
    c.criteria[i].has_formula = true;
    c.criteria[i].formula = std::move(f);
  }

  // 8. Rating bounds: the most one row can hold, in the parameter's unit.
  if (m.rating) {
    for (const char* name : {"rating_i", "interval"})
      if (index.count(name))
        return error_at(m.parameters[index[name]].location,
                        fmt::format("'{}' names the unit's rating or the row's interval in rating "
                                    "bounds; a parameter cannot be called so",
                                    name));
    // Without a rating, `rating_i` is no name (an unknown symbol in a bound).
    Symbol rating{m.rating->unit ? "rating_i" : "",
                  Level::unit,
                  ValueType::number,
                  m.rating->unit.value_or(Unit::dimensionless()),
                  -1,
                  -1,
                  nullptr};
    if (m.rating->unit) rating.slot = c.rating_slot = next_slot(c, Level::unit);
    Symbol interval{"interval", Level::project, ValueType::number, *parse_unit("s"), -1,
                    -1,         nullptr};
    interval.slot = c.interval_slot = next_slot(c, Level::project);
    BoundScope bound_scope(scope, rating, interval);
    for (std::size_t b = 0; b < m.rating->bounds.size(); ++b) {
      const RatingBound& bound = m.rating->bounds[b];
      const YamlNode& node = *bound_formulas[b];
      AstNode ast;
      ParseError e;
      if (!parse_formula(bound.formula, ast, e)) return formula_error(node, e);
      CompiledFormula f;
      if (!compile_formula(ast, bound_scope, false, f, e)) return formula_error(node, e);
      const std::size_t parameter = index[bound.parameter];
      std::string message;
      if (!convert_to_unit(f.expr, m.parameters[parameter].unit, message))
        return doc.error_in_scalar(node, 0, bound.formula.size(),
                                   fmt::format("the bound of '{}': {}", bound.parameter, message));
      c.bound_uses_rating.push_back(uses_slot(f.expr, Level::unit, c.rating_slot));
      c.bounds.push_back(std::move(f));
      c.bound_parameters.push_back(parameter);
    }
  }
  return std::shared_ptr<const CompiledMethodology>(std::move(compiled));
}

} // namespace mrv::detail
