// Compiled formulas as Excel formulas, so that the xlsx report's
// calculation sheet recomputes mrv's numbers live from its input cells.
//
// The translation keeps the tree's grouping exactly (a + (b + c) stays
// parenthesised: floating-point addition is not associative) and bridges
// where Excel reads differently: unary minus binds tighter than ^ in Excel
// (-x^2 is (-x)^2) and ^ is left-associative there, so both are always
// parenthesised; and/or/not become AND()/OR()/NOT(); floor(x) is INT(x) and
// ceil(x) is -INT(-x), exact for every sign (Excel's FLOOR and CEILING
// differ between versions for negative numbers); sum_i becomes SUM over the
// units' cells, sum_j over the cells of the index values, sum_x over the
// earlier periods' cells (age_x a number for each); a table look-up is the
// looked-up value placed in a cell.
//
// Known difference: mrv's round(x, d) is round-half-away(x × 10^d) / 10^d
// in binary, Excel's ROUND rounds the decimal it displays; they can differ
// when x × 10^d lands within an ulp of a half.
#pragma once

#include "model/formula.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace mrv::detail {

// Where in the calculation a formula is translated: for a unit (-1: none),
// for a value of each index (-1: none), and inside sum_x for an earlier
// period (0 to past_count() - 1, the oldest first; past_count() is the
// current period; -1 outside sum_x).
struct ExcelPlace {
  int unit = -1;
  std::array<int, max_indices> index;
  int past = -1;
  ExcelPlace() { index.fill(-1); }
  explicit ExcelPlace(int at_unit) : ExcelPlace() { unit = at_unit; }
};

// Where the values a formula reads are in the workbook.
class ExcelCells {
public:
  virtual ~ExcelCells() = default;
  // The cell holding parameter `id` (for unit `unit`, an index, when its
  // level is per unit; -1 otherwise), e.g. "Inputs!E12"; "" if none does.
  virtual std::string parameter(const std::string& id, Level level, int unit) = 0;
  // The cell holding the value of a key_lookup or band_lookup node for unit
  // `unit` (-1 outside a unit); "" if none does.
  virtual std::string lookup(const Expr& lookup, int unit) = 0;
  // How many units sum_i runs over.
  virtual int unit_count() const = 0;

  // Methodologies with indices or sum_x (none by default): the cell of an
  // indexed value or of a value at an earlier period, and of a look-up at a
  // place; the values Σ_j runs over and their texts; the earlier periods.
  virtual std::string parameter_at(const Expr& e, const ExcelPlace& at) {
    return e.index < 0 && !e.at_x ? parameter(e.name, e.level, at.unit) : std::string();
  }
  virtual std::string lookup_at(const Expr& e, const ExcelPlace& at) { return lookup(e, at.unit); }
  virtual std::vector<int> index_values(int /*index*/) const { return {}; }
  virtual std::string index_text(int /*index*/, int /*value*/) const { return ""; }
  virtual int past_count() const { return 0; }
  virtual double age(int /*past*/) const { return 0; }
};

struct ExcelFormula {
  std::string text;  // without the leading '='
  std::string error; // why there is none
  bool ok() const { return error.empty(); }
};

// Translates `expr` evaluated for unit `unit` (-1 outside a unit), or at a place.
ExcelFormula excel_formula(const Expr& expr, ExcelCells& cells, int unit);
ExcelFormula excel_formula(const Expr& expr, ExcelCells& cells, const ExcelPlace& at);

// A number as Excel reads it back exactly: "0.797", "1E-06".
std::string excel_number(double value);
// A text literal: quoted, inner quotes doubled.
std::string excel_string(std::string_view text);
// A1 reference of a zero-based row and column: (11, 4) → "E12".
std::string excel_cell(int row, int column);

// Text that a spreadsheet would take for a formula when typed or pasted
// (a leading =, +, -, @, tab or CR), guarded as mrv's CSV guards it: with a
// leading apostrophe, so that no input ever becomes a formula.
bool needs_formula_guard(std::string_view text);
std::string guard_spreadsheet_text(std::string_view text);

} // namespace mrv::detail
