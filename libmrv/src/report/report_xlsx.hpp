// The xlsx report's building blocks: a worksheet that writes rows of guarded
// text, numbers and formulas, and the writer of one monitoring period's
// rows in the Inputs and Calculation sheets.
#pragma once

#include "model/compiled_methodology.hpp"
#include "mrv/report.hpp"
#include "report/excel_formula.hpp"
#include "report/report_trace_frame.hpp"

#include <xlsxwriter.h>

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace mrv::detail {

// Column E holds the value of every row of Inputs and Calculation.
inline constexpr int xlsx_value_column = 4;

class XlsxSheet {
public:
  XlsxSheet(lxw_workbook* workbook, const std::string& name, lxw_format* header);

  // Writes the column headers in row 0 (frozen) and sets the widths.
  void columns(const std::vector<std::pair<std::string, double>>& headers);
  // Every text goes through guard_spreadsheet_text: no input becomes a formula.
  void text(int row, int column, std::string_view text, lxw_format* format = nullptr);
  // `decimals`: the number format shows that many (the presentation
  // precision); the cell keeps every digit.
  void number(int row, int column, double value, std::optional<int> decimals = std::nullopt);
  void formula(int row, int column, const std::string& formula, double cached,
               std::optional<int> decimals = std::nullopt);
  // Adds a filter on the columns' headers over the rows written.
  void filter();

  int add_row() { return next_row_++; }
  int next_row() const { return next_row_; }
  // "Inputs!E12", or "E12" when `from` is this sheet.
  std::string ref(int row, int column, const XlsxSheet* from = nullptr) const;
  const std::string& name() const { return name_; }

private:
  lxw_format* fixed(std::optional<int> decimals); // "0.000"; nullptr: General

  lxw_workbook* workbook_;
  lxw_worksheet* sheet_;
  std::map<int, lxw_format*> fixed_; // by decimals, owned by the workbook
  std::string name_;
  lxw_format* header_;
  int next_row_ = 0;
  int column_count_ = 0;
};

// One period's inputs and calculation. The Calculation rows hold formulas
// translated from the compiled Expr trees, reading the Inputs rows.
class XlsxPeriodWriter : public ExcelCells {
public:
  XlsxPeriodWriter(const Report& report, const ReportPeriod& period, XlsxSheet& inputs,
                   XlsxSheet& calculation);

  // Writes every row; an error message when a formula has no Excel form.
  std::string write();

  // The cell of RE_p, PE_p or ER_p, in tCO2 (times a factor when the
  // methodology uses another unit), as read from sheet `from`.
  std::string output_cell(const std::string& parameter, const XlsxSheet* from = nullptr) const;
  std::string reductions_15_cell() const;
  std::string credited_cell() const;

  std::string parameter(const std::string& id, Level level, int unit) override;
  std::string lookup(const Expr& lookup, int unit) override;
  int unit_count() const override { return static_cast<int>(period_.period.units.size()); }
  std::string parameter_at(const Expr& e, const ExcelPlace& at) override;
  std::string lookup_at(const Expr& e, const ExcelPlace& at) override;
  std::vector<int> index_values(int index) const override;
  std::string index_text(int index, int value) const override;
  int past_count() const override { return static_cast<int>(period_.period.earlier.size()); }
  double age(int past) const override {
    return period_.period.earlier[static_cast<std::size_t>(past)].age;
  }

private:
  struct Cell {
    const XlsxSheet* sheet;
    int row;
  };
  // A value's cell: by parameter, unit (-1: none) and index value ("": none).
  using CellKey = std::tuple<std::string, int, std::string>;
  void write_inputs();
  void write_earlier();
  void earlier_row(int past, const std::vector<TraceValue>& values, const std::string& source);
  std::string write_calculation();
  std::string write_equation(const Parameter& p, const CompiledParameter& cp, int unit, int value);
  void write_credit();
  void input_row(const Parameter& p, int unit, const TraceValue& value);
  const TraceValue* traced(const std::string& id, int unit, const std::string& index = "") const;
  std::string cell_of(const CellKey& key) const;

  const Report& report_;
  const ReportPeriod& period_;
  XlsxSheet& inputs_;
  XlsxSheet& calculation_;
  TraceFrame frame_;
  std::map<CellKey, Cell> cells_;
  // The values sum_x reads at earlier period k: by (k, parameter, index value).
  std::map<std::tuple<int, std::string, std::string>, Cell> earlier_cells_;
  std::map<std::tuple<const Expr*, int, std::array<int, max_indices>>, Cell> lookups_;
  int reductions_15_row_ = -1, credited_row_ = -1;
};

// The Evidence sheet (report_xlsx_evidence.cpp), added after the others.
void write_evidence_sheet(const Report& r, lxw_workbook* wb, lxw_format* header, lxw_format* bold);

} // namespace mrv::detail
