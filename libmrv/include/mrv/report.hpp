// The monitoring report: one calculation (by unit and by month) arranged as
// a verifier reads it, per monitoring period: identity, the parameters
// table, the calculation process (each equation as it ran, with the values
// it used), the credited amount and its rounding, the treatments of the
// data, the credit allocation, and a receipt of every input.
//
// build_report() computes; render_report() is a pure function of the
// Report in four forms: self-contained HTML, Markdown, xlsx with live
// formulas, and JSON (docs/report.md documents them all).
#pragma once

#include "mrv/allocate.hpp"
#include "mrv/calc.hpp"
#include "mrv/credit_uses.hpp"
#include "mrv/diagnostic.hpp"
#include "mrv/methodology.hpp"
#include "mrv/project.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrv {

enum class ReportFormat { html, md, xlsx, json };
std::optional<ReportFormat> parse_report_format(std::string_view name);
// The form a file name asks for by its extension (.html, .htm, .md, .xlsx, .json).
std::optional<ReportFormat> report_format_for_path(std::string_view path);
const char* report_format_name(ReportFormat format);

// One value of a parameter in a period: for one unit i (`unit_id`), or for
// the project or the period as a whole (`unit_id` empty).
struct ReportValue {
  std::string unit_id;
  double value = 0;
  std::string text; // a key parameter's value; then `unit` is empty
  std::string unit; // unit of measure, "1" for a dimensionless number
  // The index value of a parameter that varies by an index ("food"), else "".
  std::string index = {};
};

// A row of the parameters table, as the Monitoring Report Sheet lists it:
// every parameter that is not calculated (monitored, fixed, chosen ex ante).
struct ReportParameter {
  std::string id, symbol, description;
  std::string kind;       // kind_name()
  std::string unit;       // unit of measure; "" for a key parameter
  std::string option;     // monitoring option A, B, C
  std::string monitoring; // measurement method and frequency
  std::string aggregate;  // monitored: how records combine over the period
  Provenance source;
  std::vector<ReportValue> values; // one per unit for unit-level values
};

// A value an equation used, named by parameter.
struct ReportInput {
  std::string parameter;
  ReportValue value;
};

// One evaluation of an equation: for one unit, or once.
struct ReportEvaluation {
  std::string unit_id;             // "" for a project- or period-level equation
  std::string index;               // the index value, for an equation that varies by an index
  std::vector<ReportInput> inputs; // the values it used, in order of first use
  ReportValue result;
};

// An equation of the calculation process, printed from the compiled
// formula that ran (describe_equation), with its evaluations.
struct ReportStep {
  std::string parameter, symbol, description;
  std::string level;    // as `per:` writes it: project, unit, record, unit_period, period
  std::string unit;     // unit of the result; "" for a key
  std::string equation; // "RE_p = sum_i(RE_i_p)"
  // A per-record equation runs on every monitoring row and is aggregated
  // over the period: its evaluations show the aggregate, without inputs.
  bool per_record = false;
  std::string aggregate;
  std::vector<std::string> tables; // tables it looks values up in
  std::vector<ReportEvaluation> evaluations;
};

struct ReportPeriod {
  SliceResult period;              // totals, credited, values, per-unit results
  std::vector<SliceResult> months; // its calendar months, in order
  std::vector<ReportParameter> parameters;
  std::vector<ReportStep> steps; // dependencies first, RE_p, PE_p, ER_p among them
  std::vector<Treatment> treatments;
};

// A default-value table a formula looked values up in.
struct ReportTable {
  std::string id, title, version, unit;
  Provenance source;
  std::vector<std::string> used_by; // parameter ids
};

struct ReportOptions {
  // As CalcOptions::data_files: replaces the project's data files.
  std::vector<std::string> data_files;
  // When the report says it was generated (seconds since the epoch, UTC);
  // nothing: no date at all, so the same inputs give the same bytes. The
  // command line takes it from SOURCE_DATE_EPOCH.
  std::optional<std::int64_t> generated;
  // As CalcOptions::strict and accept_unconfirmed: no report of data that
  // needs a treatment, or of a result that depends on a value not confirmed
  // against the official methodology text unless accepted by name.
  bool strict = false;
  std::vector<std::string> accept_unconfirmed;
};

struct Report {
  Methodology methodology; // with its compiled formulas (the xlsx translates them)
  Project project;
  CalcResult result; // calculated by unit and by month
  std::vector<ReportPeriod> periods;
  std::vector<ReportTable> tables;
  std::optional<std::int64_t> generated;
  // The credit allocation by the project's credit terms (nothing without
  // them): each period's credited amount and their total (allocate_calc).
  std::optional<AllocationResult> allocation;
  // Each period against the rules of each use the project's `credits:`
  // section intends (assess_uses); empty without one.
  std::vector<UseAssessment> uses;
};

// Runs the calculation (by unit and by month) and arranges it.
Expected<Report> build_report(const Methodology& methodology, const Project& project,
                              const ReportOptions& options);

// The report in one form. HTML, Markdown and JSON are UTF-8 text; xlsx is
// the bytes of the workbook (libxlsxwriter writes through a temporary file,
// whose failure is the only error: ExitCode::cannot_write).
Expected<std::string> render_report(const Report& report, ReportFormat format);

} // namespace mrv
