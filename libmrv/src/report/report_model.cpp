// build_report: one calculation by unit and by month, arranged per period
// as the report shows it. Everything here is read from the calculation's
// trace and from the compiled formulas, so the report cannot disagree with
// what ran.
#include "base/try.hpp"
#include "mrv/report.hpp"

#include "model/compiled_methodology.hpp"

#include <algorithm>
#include <optional>

namespace mrv {

namespace {

using detail::Expr;

// A parameter's value in a trace: for index value `index` ("" without one).
const TraceValue* find_value(const std::vector<TraceValue>& values, const std::string& id,
                             const std::string& index = "") {
  for (const TraceValue& v : values)
    if (v.parameter == id && v.index == index) return &v;
  return nullptr;
}

ReportValue report_value(const TraceValue& t, const std::string& unit_id) {
  return ReportValue{unit_id, t.value, t.text, t.text.empty() ? t.unit : "", t.index};
}

// Every value of a parameter in a trace: one, or one per index value.
void append_values(const std::vector<TraceValue>& values, const std::string& id,
                   const std::string& unit_id, std::vector<ReportValue>& out) {
  for (const TraceValue& v : values)
    if (v.parameter == id) out.push_back(report_value(v, unit_id));
}

// As a methodology file writes a level (`per: unit_period`).
const char* level_id(Level level) {
  switch (level) {
  case Level::project:
    return "project";
  case Level::unit:
    return "unit";
  case Level::record:
    return "record";
  case Level::unit_period:
    return "unit_period";
  case Level::period:
    return "period";
  }
  return "?";
}

bool per_unit(Level level) {
  return level == Level::unit || level == Level::unit_period || level == Level::record;
}

// What an expression reads: parameters in order of first use (and whether
// inside sum_i, where a per-unit value is read for every unit, or inside a
// sum over its index, where it is read for every index value), and tables.
struct Uses {
  struct Use {
    std::string parameter;
    bool in_sum = false;
    bool in_index_sum = false;
  };
  std::vector<Use> parameters;
  std::vector<std::string> tables;
};

void collect_uses(const Expr& e, bool in_sum, unsigned index_sums, Uses& uses) {
  if (e.op == Expr::Op::parameter) {
    const bool in_index_sum = e.index >= 0 && (index_sums & (1u << e.index)) != 0;
    const bool seen = std::any_of(uses.parameters.begin(), uses.parameters.end(), [&](auto& u) {
      return u.parameter == e.name && u.in_sum == in_sum && u.in_index_sum == in_index_sum;
    });
    if (!seen) uses.parameters.push_back({e.name, in_sum, in_index_sum});
  }
  if ((e.op == Expr::Op::key_lookup || e.op == Expr::Op::band_lookup) &&
      std::find(uses.tables.begin(), uses.tables.end(), e.name) == uses.tables.end())
    uses.tables.push_back(e.name);
  const unsigned sums = e.op == Expr::Op::sum_index ? index_sums | (1u << e.index) : index_sums;
  for (const Expr& a : e.args)
    collect_uses(a, in_sum || e.op == Expr::Op::sum_units, sums, uses);
}

void collect_uses(const Expr& e, Uses& uses) {
  collect_uses(e, false, 0, uses);
}

// The value of a parameter in a period: per unit, or one value.
class PeriodValues {
public:
  PeriodValues(const Methodology& m, const SliceResult& period) : m_(m), period_(period) {}

  Level level(const std::string& id) const {
    const Parameter* p = m_.parameter(id);
    return m_.compiled->parameters[static_cast<std::size_t>(p - m_.parameters.data())].level;
  }

  // Every unit's value of a per-unit parameter; the one value of another
  // (each per index value, for a parameter that varies by an index).
  std::vector<ReportValue> all(const std::string& id) const {
    std::vector<ReportValue> out;
    if (per_unit(level(id))) {
      for (const UnitResult& u : period_.units)
        append_values(u.values, id, u.unit, out);
    } else {
      append_values(period_.values, id, "", out);
    }
    return out;
  }

  // Every value for unit `unit` (an index into period.units), or of the period.
  std::vector<ReportValue> all_of(const std::string& id, int unit) const {
    std::vector<ReportValue> out;
    if (!per_unit(level(id)))
      append_values(period_.values, id, "", out);
    else if (unit >= 0)
      append_values(period_.units[static_cast<std::size_t>(unit)].values, id,
                    period_.units[static_cast<std::size_t>(unit)].unit, out);
    return out;
  }

  // The value for unit `unit` (an index into period.units), or the one
  // value; for index value `index` of a parameter that varies by an index.
  std::optional<ReportValue> of(const std::string& id, int unit,
                                const std::string& index = "") const {
    if (per_unit(level(id))) {
      if (unit < 0) return std::nullopt;
      const UnitResult& u = period_.units[static_cast<std::size_t>(unit)];
      if (const TraceValue* t = find_value(u.values, id, index)) return report_value(*t, u.unit);
      return std::nullopt;
    }
    if (const TraceValue* t = find_value(period_.values, id, index)) return report_value(*t, "");
    return std::nullopt;
  }

  bool indexed(const std::string& id) const { return m_.parameter(id)->index >= 0; }

private:
  const Methodology& m_;
  const SliceResult& period_;
};

// One evaluation of equation `id`: for unit `unit` and index value `index`.
ReportEvaluation evaluation(const PeriodValues& values, const Uses& uses, const std::string& id,
                            int unit, const std::string& index, bool with_inputs) {
  ReportEvaluation out;
  if (std::optional<ReportValue> result = values.of(id, unit, index)) out.result = *result;
  out.unit_id = out.result.unit_id;
  out.index = index;
  if (!with_inputs) return out;
  // A value read both inside and outside a sum is listed once.
  const auto add = [&](const std::string& parameter, ReportValue v) {
    for (const ReportInput& input : out.inputs)
      if (input.parameter == parameter && input.value.unit_id == v.unit_id &&
          input.value.index == v.index)
        return;
    out.inputs.push_back({parameter, std::move(v)});
  };
  for (const Uses::Use& use : uses.parameters) {
    const bool every_unit = use.in_sum && per_unit(values.level(use.parameter));
    // An indexed value outside a sum over its index is this evaluation's own.
    const bool own_index = values.indexed(use.parameter) && !use.in_index_sum;
    if (every_unit && !own_index) {
      for (ReportValue& v : values.all(use.parameter))
        add(use.parameter, std::move(v));
    } else if (own_index) {
      const std::vector<ReportValue> each =
          every_unit ? values.all(use.parameter) : values.all_of(use.parameter, unit);
      for (const ReportValue& v : each)
        if (v.index == index) add(use.parameter, v);
    } else if (values.indexed(use.parameter)) {
      for (ReportValue& v : values.all_of(use.parameter, unit))
        add(use.parameter, std::move(v));
    } else if (std::optional<ReportValue> v = values.of(use.parameter, unit)) {
      add(use.parameter, std::move(*v));
    }
  }
  return out;
}

// The index values an equation of parameter `p` is evaluated for: "" when
// it has no index, else each the trace has (in order of first appearance).
std::vector<std::string> index_values(const SliceResult& period, const Parameter& p) {
  if (p.index < 0) return {""};
  std::vector<std::string> out;
  const auto add = [&](const std::vector<TraceValue>& values) {
    for (const TraceValue& v : values)
      if (v.parameter == p.id && std::find(out.begin(), out.end(), v.index) == out.end())
        out.push_back(v.index);
  };
  add(period.values);
  for (const UnitResult& u : period.units)
    add(u.values);
  return out;
}

std::vector<ReportStep> steps_of(const Methodology& m, const SliceResult& period) {
  const CompiledMethodology& c = *m.compiled;
  PeriodValues values(m, period);
  std::vector<ReportStep> steps;
  for (int index : c.order) {
    const Parameter& p = m.parameters[static_cast<std::size_t>(index)];
    const CompiledParameter& cp = c.parameters[static_cast<std::size_t>(index)];
    ReportStep step;
    step.parameter = p.id;
    step.symbol = p.symbol;
    step.description = p.description;
    step.per_record = cp.formula.level == Level::record;
    step.level = level_id(cp.formula.level);
    step.unit = p.is_key ? "" : p.unit.text;
    step.equation = describe_equation(m, p.id);
    if (step.per_record) step.aggregate = aggregate_name(p.aggregate);
    Uses uses;
    collect_uses(cp.formula.expr, uses);
    step.tables = uses.tables;
    for (const std::string& at : index_values(period, p)) {
      if (per_unit(cp.level)) {
        for (std::size_t u = 0; u < period.units.size(); ++u)
          step.evaluations.push_back(
              evaluation(values, uses, p.id, static_cast<int>(u), at, !step.per_record));
      } else {
        step.evaluations.push_back(evaluation(values, uses, p.id, -1, at, true));
      }
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

std::vector<ReportParameter> parameters_of(const Methodology& m, const SliceResult& period) {
  PeriodValues values(m, period);
  std::vector<ReportParameter> out;
  for (const Parameter& p : m.parameters) {
    if (p.kind == ParameterKind::calculated) continue;
    ReportParameter row;
    row.id = p.id;
    row.symbol = p.symbol;
    row.description = p.description;
    row.kind = kind_name(p.kind);
    row.unit = p.is_key ? "" : p.unit.text;
    row.option = p.option;
    row.monitoring = p.monitoring;
    if (p.kind == ParameterKind::monitored) row.aggregate = aggregate_name(p.aggregate);
    row.source = p.source;
    row.values = values.all(p.id);
    out.push_back(std::move(row));
  }
  return out;
}

// The tables the formulas look values up in, in the methodology's order.
std::vector<ReportTable> tables_of(const Methodology& m) {
  std::vector<ReportTable> out;
  for (const Table& t : m.tables) {
    ReportTable row{t.id, t.title, t.version, t.unit.text, t.source, {}};
    for (std::size_t i = 0; i < m.parameters.size(); ++i) {
      const CompiledParameter& cp = m.compiled->parameters[i];
      if (!cp.has_formula) continue;
      Uses uses;
      collect_uses(cp.formula.expr, uses);
      if (std::find(uses.tables.begin(), uses.tables.end(), t.id) != uses.tables.end())
        row.used_by.push_back(m.parameters[i].id);
    }
    if (!row.used_by.empty()) out.push_back(std::move(row));
  }
  return out;
}

} // namespace

Expected<Report> build_report(const Methodology& methodology, const Project& project,
                              const ReportOptions& options) {
  CalcOptions calc_options;
  calc_options.by_month = true;
  calc_options.by_unit = true;
  calc_options.by_day = true; // the daily charts
  calc_options.data_files = options.data_files;
  calc_options.strict = options.strict;
  calc_options.accept_unconfirmed = options.accept_unconfirmed;
  Report report;
  report.result = MRV_TRY(calculate(methodology, project, calc_options));
  report.methodology = methodology;
  report.project = project;
  report.generated = options.generated;
  report.tables = tables_of(methodology);
  for (const SliceResult& slice : report.result.periods) {
    ReportPeriod period;
    period.period = slice;
    for (const SliceResult& month : report.result.months)
      if (month.period == slice.period) period.months.push_back(month);
    period.parameters = parameters_of(methodology, slice);
    period.steps = steps_of(methodology, slice);
    for (const Treatment& t : report.result.treatments)
      if (t.period == slice.period) period.treatments.push_back(t);
    report.periods.push_back(std::move(period));
  }
  // The credit allocation, with the project's credit terms: each period's
  // credited amount and their total, as `mrv allocate PROJECT` splits them.
  if (project.credit_terms) {
    CalcCredits credits;
    credits.format = "mrv.calc/1";
    credits.project = project.id;
    credits.methodology = methodology.id;
    credits.methodology_version = methodology.version;
    for (const SliceResult& slice : report.result.periods)
      credits.periods.push_back({slice.period, slice.from, slice.to, slice.credited.value_or(0)});
    report.allocation = MRV_TRY(allocate_by_terms(*project.credit_terms, credits));
    report.allocation->terms = AllocationResult::TermsSource{project.file, project.sha256, {}};
  }
  report.uses = assess_uses(project, MRV_TRY(rules_for_project(project)));
  return report;
}

} // namespace mrv
