// One monitoring period in the xlsx report: its input values (monitored
// aggregates, ex-ante and fixed values, table look-ups) in Inputs, and its
// equations as live formulas over them in Calculation, down to the credited
// amount with mrv's rounding.
#include "report/report_xlsx.hpp"

#include "model/compiled_methodology.hpp"
#include "mrv/render.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

namespace mrv::detail {

// ---- XlsxSheet

XlsxSheet::XlsxSheet(lxw_workbook* workbook, const std::string& name, lxw_format* header)
    : workbook_(workbook), sheet_(workbook_add_worksheet(workbook, name.c_str())), name_(name),
      header_(header) {}

lxw_format* XlsxSheet::fixed(std::optional<int> decimals) {
  if (!decimals) return nullptr;
  lxw_format*& format = fixed_[*decimals];
  if (!format) {
    format = workbook_add_format(workbook_);
    const std::string code =
        *decimals == 0 ? "0" : "0." + std::string(static_cast<std::size_t>(*decimals), '0');
    format_set_num_format(format, code.c_str());
  }
  return format;
}

void XlsxSheet::columns(const std::vector<std::pair<std::string, double>>& headers) {
  for (std::size_t c = 0; c < headers.size(); ++c) {
    text(0, static_cast<int>(c), headers[c].first, header_);
    worksheet_set_column(sheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         headers[c].second, nullptr);
  }
  column_count_ = static_cast<int>(headers.size());
  worksheet_freeze_panes(sheet_, 1, 0);
  next_row_ = 1;
}

void XlsxSheet::text(int row, int column, std::string_view text, lxw_format* format) {
  if (text.empty()) return;
  worksheet_write_string(sheet_, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column),
                         guard_spreadsheet_text(text).c_str(), format);
}

void XlsxSheet::number(int row, int column, double value, std::optional<int> decimals) {
  if (!std::isfinite(value)) return text(row, column, "not finite");
  worksheet_write_number(sheet_, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column), value,
                         fixed(decimals));
}

void XlsxSheet::formula(int row, int column, const std::string& formula, double cached,
                        std::optional<int> decimals) {
  // The cached result is mrv's value: what a reader that does not
  // recalculate shows; Excel and LibreOffice can recalculate it.
  worksheet_write_formula_num(sheet_, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column),
                              ("=" + formula).c_str(), fixed(decimals),
                              std::isfinite(cached) ? cached : 0);
}

void XlsxSheet::filter() {
  if (next_row_ > 1 && column_count_ > 0)
    worksheet_autofilter(sheet_, 0, 0, static_cast<lxw_row_t>(next_row_ - 1),
                         static_cast<lxw_col_t>(column_count_ - 1));
}

std::string XlsxSheet::ref(int row, int column, const XlsxSheet* from) const {
  return (from == this ? "" : name_ + "!") + excel_cell(row, column);
}

// ---- XlsxPeriodWriter

namespace {

bool per_unit(Level level) {
  return level == Level::unit || level == Level::unit_period;
}

std::string source_text(const Provenance& p) {
  std::string text = p.document;
  if (!p.section.empty()) text += ", " + p.section;
  return text + (p.confirmed ? "" : " (not confirmed)");
}

} // namespace

XlsxPeriodWriter::XlsxPeriodWriter(const Report& report, const ReportPeriod& period,
                                   XlsxSheet& inputs, XlsxSheet& calculation)
    : report_(report), period_(period), inputs_(inputs), calculation_(calculation),
      frame_(report.methodology, period.period) {}

const TraceValue* XlsxPeriodWriter::traced(const std::string& id, int unit,
                                           const std::string& index) const {
  const std::vector<TraceValue>& values =
      unit < 0 ? period_.period.values
               : period_.period.units[static_cast<std::size_t>(unit)].values;
  for (const TraceValue& v : values)
    if (v.parameter == id && v.index == index) return &v;
  return nullptr;
}

std::string XlsxPeriodWriter::write() {
  write_inputs();
  std::string error = write_calculation();
  if (!error.empty()) return error;
  write_credit();
  return "";
}

void XlsxPeriodWriter::input_row(const Parameter& p, int unit, const TraceValue& value) {
  const int row = inputs_.add_row();
  const std::string unit_id =
      unit < 0 ? "" : period_.period.units[static_cast<std::size_t>(unit)].unit;
  inputs_.text(row, 0, period_.period.period);
  inputs_.text(row, 1, value.index.empty() ? p.id : p.id + "[" + value.index + "]");
  inputs_.text(row, 2, p.symbol);
  inputs_.text(row, 3, unit_id);
  if (p.is_key)
    inputs_.text(row, xlsx_value_column, value.text);
  else
    inputs_.number(row, xlsx_value_column, value.value,
                   report_.result.presentation.decimals(p.id, p.unit.text));
  inputs_.text(row, 5, p.is_key ? "" : p.unit.text);
  inputs_.text(row, 6, p.description);
  std::string kind = kind_name(p.kind);
  if ((p.kind == ParameterKind::monitored || p.level == Level::record) && unit >= 0)
    kind += fmt::format(" ({} of {} records)", aggregate_name(p.aggregate),
                        period_.period.units[static_cast<std::size_t>(unit)].records);
  inputs_.text(row, 7, kind);
  inputs_.text(row, 8, p.option);
  inputs_.text(row, 9, p.monitoring);
  inputs_.text(row, 10, source_text(p.source));
  cells_[{p.id, unit, value.index}] = Cell{&inputs_, row};
}

// Inputs: what no formula of the period computes: monitored aggregates,
// per-record equations' aggregates, fixed and ex-ante values.
void XlsxPeriodWriter::write_inputs() {
  const Methodology& m = report_.methodology;
  for (std::size_t i = 0; i < m.parameters.size(); ++i) {
    const Parameter& p = m.parameters[i];
    const CompiledParameter& cp = m.compiled->parameters[i];
    if (cp.has_formula && cp.formula.level != Level::record) continue;
    // Every traced value: one per unit, per index value, or both.
    const int first = per_unit(cp.level) ? 0 : -1;
    const int last = per_unit(cp.level) ? unit_count() : 0;
    for (int u = first; u < last; ++u)
      for (const TraceValue& v :
           u < 0 ? period_.period.values : period_.period.units[static_cast<std::size_t>(u)].values)
        if (v.parameter == p.id) input_row(p, u, v);
  }
  write_earlier();
}

// With sum_x: a row per earlier period and value it reads, from the
// project's history or from an earlier period of this report.
void XlsxPeriodWriter::write_earlier() {
  const std::vector<EarlierPeriod>& earlier = period_.period.earlier;
  for (std::size_t k = 0; k < earlier.size(); ++k) {
    for (const HistoryUsed& h : report_.result.history)
      if (h.id == earlier[k].period) earlier_row(static_cast<int>(k), h.values, h.source);
    for (const SliceResult& s : report_.result.periods)
      if (s.period == earlier[k].period)
        earlier_row(static_cast<int>(k), s.values,
                    fmt::format("period {} of this report (its Calculation rows)", s.period));
  }
}

void XlsxPeriodWriter::earlier_row(int past, const std::vector<TraceValue>& values,
                                   const std::string& source) {
  const Methodology& m = report_.methodology;
  const EarlierPeriod& x = period_.period.earlier[static_cast<std::size_t>(past)];
  for (std::size_t i : m.compiled->past_parameters) {
    const Parameter& p = m.parameters[i];
    for (const TraceValue& v : values) {
      if (v.parameter != p.id) continue;
      const int row = inputs_.add_row();
      inputs_.text(row, 0, period_.period.period);
      inputs_.text(row, 1,
                   (v.index.empty() ? p.id : p.id + "[" + v.index + "]") + " at " + x.period);
      inputs_.text(row, 2, p.symbol);
      if (p.is_key)
        inputs_.text(row, xlsx_value_column, v.text);
      else
        inputs_.number(row, xlsx_value_column, v.value);
      inputs_.text(row, 5, p.is_key ? "" : p.unit.text);
      inputs_.text(row, 6, p.description);
      inputs_.text(row, 7,
                   fmt::format("earlier period {} read by sum_x, age_x = {} yr", x.period,
                               format_number(x.age)));
      inputs_.text(row, 10, source);
      earlier_cells_[{past, p.id, v.index}] = Cell{&inputs_, row};
    }
  }
}

std::string XlsxPeriodWriter::write_calculation() {
  const Methodology& m = report_.methodology;
  for (int index : m.compiled->order) {
    const Parameter& p = m.parameters[static_cast<std::size_t>(index)];
    const CompiledParameter& cp = m.compiled->parameters[static_cast<std::size_t>(index)];
    if (cp.formula.level == Level::record) continue;
    const int first = per_unit(cp.level) ? 0 : -1;
    const int last = per_unit(cp.level) ? unit_count() : 0;
    const std::vector<int> values = cp.index < 0 ? std::vector<int>{-1} : index_values(cp.index);
    for (int v : values)
      for (int u = first; u < last; ++u) {
        const std::string error = write_equation(p, cp, u, v);
        if (!error.empty()) return error;
      }
  }
  return "";
}

// One row of Calculation: equation p for unit u and index value v (-1: none).
std::string XlsxPeriodWriter::write_equation(const Parameter& p, const CompiledParameter& cp, int u,
                                             int v) {
  ExcelPlace at(u);
  std::string index;
  if (v >= 0) {
    at.index[static_cast<std::size_t>(cp.index)] = v;
    index = index_text(cp.index, v);
  }
  const ExcelFormula formula = excel_formula(cp.formula.expr, *this, at);
  if (!formula.ok()) return fmt::format("'{}': {}", p.id, formula.error);
  const TraceValue* traced_value = traced(p.id, u, index);
  const double value = traced_value ? traced_value->value : std::nan("");
  const int row = calculation_.add_row();
  calculation_.text(row, 0, period_.period.period);
  calculation_.text(row, 1, index.empty() ? p.id : p.id + "[" + index + "]");
  calculation_.text(row, 2, p.symbol);
  if (u >= 0) calculation_.text(row, 3, period_.period.units[static_cast<std::size_t>(u)].unit);
  const std::optional<int> decimals = report_.result.presentation.decimals(p.id, p.unit.text);
  calculation_.formula(row, xlsx_value_column, formula.text, value, decimals);
  calculation_.text(row, 5, p.unit.text);
  calculation_.text(row, 6, describe_equation(report_.methodology, p.id));
  calculation_.number(row, 7, value, decimals);
  cells_[{p.id, u, index}] = Cell{&calculation_, row};
  return "";
}

// ER at 15 significant digits, as Excel shows a number, then the rounding
// rule; 0 for negative reductions, as mrv credits them.
void XlsxPeriodWriter::write_credit() {
  const SliceResult& s = period_.period;
  const std::string x = output_cell(report_.methodology.emission_reductions, &calculation_);
  const std::string fifteen = fmt::format("IF({0}=0,0,ROUND({0},14-INT(LOG10(ABS({0})))))", x);
  reductions_15_row_ = calculation_.add_row();
  calculation_.text(reductions_15_row_, 0, s.period);
  calculation_.text(reductions_15_row_, 1, "ER_15");
  calculation_.text(reductions_15_row_, 2, "ER_p at 15 significant digits");
  calculation_.formula(reductions_15_row_, xlsx_value_column, fifteen, s.reductions_15);
  calculation_.text(reductions_15_row_, 5, "tCO2");
  calculation_.text(reductions_15_row_, 6, "ER_p (tCO2) taken at 15 significant digits");
  calculation_.number(reductions_15_row_, 7, s.reductions_15);

  const std::string r = excel_cell(reductions_15_row_, xlsx_value_column);
  const Rounding rule = report_.methodology.rounding;
  const std::string whole = rule == Rounding::floor  ? "INT(" + r + ")"
                            : rule == Rounding::ceil ? "-INT(-" + r + ")"
                                                     : "ROUND(" + r + ",0)";
  credited_row_ = calculation_.add_row();
  calculation_.text(credited_row_, 0, s.period);
  calculation_.text(credited_row_, 1, "credited");
  calculation_.text(credited_row_, 2, "credited_p");
  calculation_.formula(credited_row_, xlsx_value_column, "MAX(0," + whole + ")",
                       static_cast<double>(s.credited.value_or(0)));
  calculation_.text(credited_row_, 5, "tCO2");
  calculation_.text(credited_row_, 6, fmt::format("{}(ER_15), 0 if negative", rounding_name(rule)));
  calculation_.number(credited_row_, 7, static_cast<double>(s.credited.value_or(0)));
}

std::string XlsxPeriodWriter::output_cell(const std::string& parameter,
                                          const XlsxSheet* from) const {
  const auto it = cells_.find({parameter, -1, ""});
  if (it == cells_.end()) return "";
  std::string cell = it->second.sheet->ref(it->second.row, xlsx_value_column, from);
  // RE, PE and ER are reported in tCO2 whatever unit the methodology uses.
  const Parameter* p = report_.methodology.parameter(parameter);
  static const Unit tonnes = *parse_unit("tCO2");
  const double factor = p ? conversion_factor(p->unit, tonnes) : 1.0;
  return factor == 1.0 ? cell : cell + "*" + excel_number(factor);
}

std::string XlsxPeriodWriter::reductions_15_cell() const {
  return calculation_.ref(reductions_15_row_, xlsx_value_column);
}

std::string XlsxPeriodWriter::credited_cell() const {
  return calculation_.ref(credited_row_, xlsx_value_column);
}

std::string XlsxPeriodWriter::cell_of(const CellKey& key) const {
  const auto it = cells_.find(key);
  if (it == cells_.end()) return "";
  return it->second.sheet->ref(it->second.row, xlsx_value_column, &calculation_);
}

std::string XlsxPeriodWriter::parameter(const std::string& id, Level level, int unit) {
  return cell_of({id, per_unit(level) ? unit : -1, ""});
}

// An indexed value's cell, at the index value the place has.
std::string XlsxPeriodWriter::parameter_at(const Expr& e, const ExcelPlace& at) {
  const int v = e.index < 0 ? -1 : at.index[static_cast<std::size_t>(e.index)];
  if (e.index >= 0 && v < 0) return "";
  const std::string index = e.index < 0 ? "" : index_text(e.index, v);
  // Inside sum_x, at an earlier period: that period's row in Inputs.
  if (e.at_x && at.past >= 0) {
    const auto it = earlier_cells_.find({at.past, e.name, index});
    if (it == earlier_cells_.end()) return "";
    return it->second.sheet->ref(it->second.row, xlsx_value_column, &calculation_);
  }
  if (e.index < 0) return "";
  return cell_of({e.name, per_unit(e.level) ? at.unit : -1, index});
}

std::vector<int> XlsxPeriodWriter::index_values(int index) const {
  return frame_.index_values()[static_cast<std::size_t>(index)];
}

std::string XlsxPeriodWriter::index_text(int index, int value) const {
  return report_.methodology.indices[static_cast<std::size_t>(index)]
      .values[static_cast<std::size_t>(value)];
}

std::string XlsxPeriodWriter::lookup(const Expr& e, int unit) {
  return lookup_at(e, ExcelPlace(unit));
}

// A table look-up's value, placed once per unit (and index value) in Inputs
// with the keys it was looked up by and the table's source.
std::string XlsxPeriodWriter::lookup_at(const Expr& e, const ExcelPlace& at) {
  const int unit = at.unit;
  const auto found = lookups_.find({&e, unit, at.index});
  if (found != lookups_.end())
    return found->second.sheet->ref(found->second.row, xlsx_value_column, &calculation_);
  const Methodology& m = report_.methodology;
  const Table* table = m.table(e.name);
  std::vector<std::string> keys;
  for (const Expr& arg : e.args) {
    const double value = frame_.evaluate(arg, unit, &at.index);
    const Parameter* p = arg.op == Expr::Op::parameter ? m.parameter(arg.name) : nullptr;
    if (p && p->is_key && value >= 0 && value < static_cast<double>(p->key_values.size()))
      keys.push_back(p->id + " = " + p->key_values[static_cast<std::size_t>(value)]);
    else if (arg.op == Expr::Op::index_value)
      keys.push_back(arg.name + " = " + index_text(arg.index, static_cast<int>(value)));
    else if (arg.name.starts_with('"'))
      keys.push_back(arg.name);
    else
      keys.push_back(format_expr(arg) + " = " + format_number(value) + " " + arg.unit.text);
  }
  const int row = inputs_.add_row();
  inputs_.text(row, 0, period_.period.period);
  inputs_.text(row, 1, e.name);
  inputs_.text(row, 2, format_expr(e));
  if (unit >= 0) inputs_.text(row, 3, period_.period.units[static_cast<std::size_t>(unit)].unit);
  inputs_.number(row, xlsx_value_column, frame_.evaluate(e, unit, &at.index));
  inputs_.text(row, 5, e.unit.text);
  inputs_.text(row, 6,
               (table ? table->title : e.name) + ", for " +
                   fmt::format("{}", fmt::join(keys, ", ")));
  inputs_.text(row, 7, "table value");
  if (table)
    inputs_.text(row, 10,
                 source_text(table->source) +
                     (table->version.empty() ? "" : ", version " + table->version));
  lookups_[{&e, unit, at.index}] = Cell{&inputs_, row};
  return inputs_.ref(row, xlsx_value_column, &calculation_);
}

} // namespace mrv::detail
