// The report as an xlsx workbook (libxlsxwriter), for a verifier to audit
// in the tool they know. Sheets, in order:
//   Summary      per period RE, PE, ER, ER at 15 digits, credited: formulas
//                reading Calculation; then identity and the rows read
//   Inputs       every input value of every period, and each table look-up
//   Calculation  every equation of every period as a live formula
//   Treatments   substitutions, exclusions and corrections of the data
//   Receipt      input files with SHA-256, tables used, mrv version
//   Allocation   only when the project has credit terms
//   Evidence     meters, data sources, evidence of values, co-benefits, uses
// The bytes depend only on the report: the creation date is
// SOURCE_DATE_EPOCH when given, else 1980-01-01 (the zip entries' date).
#include "base/try.hpp"
#include "report/report_forms.hpp"

#include "report/report_document.hpp"
#include "report/report_xlsx.hpp"
#include "report/section_assumptions.hpp"
#include "report/xlsx_library.hpp"

#include "mrv/render_allocate.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <unistd.h>

namespace mrv::detail {

namespace {

constexpr std::time_t fixed_creation_time = 315532800; // 1980-01-01T00:00:00Z

std::string provenance_text(const Provenance& p) {
  std::string text = p.document;
  if (!p.section.empty()) text += ", " + p.section;
  return text + (p.confirmed ? "" : " (not confirmed)");
}

// Writes label / value lines under the last row of `sheet`.
void lines(XlsxSheet& sheet, const std::vector<std::pair<std::string, std::string>>& pairs,
           lxw_format* bold) {
  for (const auto& [label, value] : pairs) {
    const int row = sheet.add_row();
    sheet.text(row, 0, label, bold);
    sheet.text(row, 1, value);
  }
}

// Summary rows and the period's Inputs and Calculation rows, period by
// period; an error when a formula has no Excel form.
std::string write_periods(const Report& r, XlsxSheet& summary, XlsxSheet& inputs,
                          XlsxSheet& calculation) {
  summary.columns({{"period", 12},
                   {"from", 12},
                   {"to", 12},
                   {"RE (tCO2)", 20},
                   {"PE (tCO2)", 20},
                   {"ER (tCO2)", 20},
                   {"ER at 15 significant digits (tCO2)", 20},
                   {"credited (tCO2)", 16},
                   {"rounding", 10}});
  inputs.columns({{"period", 10},
                  {"parameter", 16},
                  {"symbol", 28},
                  {"unit i", 12},
                  {"value", 20},
                  {"unit", 12},
                  {"description", 60},
                  {"kind", 26},
                  {"option", 8},
                  {"measurement method and frequency", 40},
                  {"source", 60}});
  calculation.columns({{"period", 10},
                       {"parameter", 16},
                       {"symbol", 28},
                       {"unit i", 12},
                       {"value", 20},
                       {"unit", 12},
                       {"equation (as mrv ran it)", 50},
                       {"mrv's value", 20}});

  for (const ReportPeriod& period : r.periods) {
    XlsxPeriodWriter writer(r, period, inputs, calculation);
    const std::string error = writer.write();
    if (!error.empty()) return fmt::format("period '{}': {}", period.period.period, error);
    const SliceResult& s = period.period;
    const int row = summary.add_row();
    summary.text(row, 0, s.period);
    summary.text(row, 1, s.from);
    summary.text(row, 2, s.to);
    const std::optional<int> tonnes = r.result.presentation.tonnes();
    summary.formula(row, 3, writer.output_cell(r.methodology.reference_emissions), s.reference,
                    tonnes);
    summary.formula(row, 4, writer.output_cell(r.methodology.project_emissions), s.project, tonnes);
    summary.formula(row, 5, writer.output_cell(r.methodology.emission_reductions), s.reductions,
                    tonnes);
    summary.formula(row, 6, writer.reductions_15_cell(), s.reductions_15);
    summary.formula(row, 7, writer.credited_cell(), static_cast<double>(s.credited.value_or(0)));
    summary.text(row, 8, rounding_name(r.methodology.rounding));
  }
  inputs.filter();
  calculation.filter();
  return "";
}

void write_identity(const Report& r, XlsxSheet& summary, lxw_format* bold) {
  summary.add_row();
  const RowCounts& rows = r.result.rows;
  std::vector<std::pair<std::string, std::string>> facts = {
      {"Project", r.project.id},
      {"Title", r.project.title},
      {"Country", r.project.country},
      {"Methodology", r.methodology.full_id()},
      {"Methodology title", r.methodology.title},
      {"Rounding", fmt::format("{} of ER_p at 15 significant digits ({})",
                               rounding_name(r.methodology.rounding),
                               provenance_text(r.methodology.rounding_source))},
      {"Rows read",
       fmt::format("{} read, {} used, {} outside periods, {} blank, {} empty values", rows.read,
                   rows.used, rows.outside_periods, rows.blank_lines, rows.missing_values)},
      {"Credit allocation", r.allocation ? "see the Allocation sheet"
                                         : "not computed: the project file states no credit terms"},
      {"Generated by", "mrv " + r.result.mrv_version}};
  if (r.generated) facts.push_back({"Generated", utc_timestamp(*r.generated)});
  for (const Diagnostic& w : r.result.warnings)
    facts.push_back(
        {"Warning",
         fmt::format("{}{}: {}", w.where.file,
                     w.where.line > 0 ? fmt::format(":{}", w.where.line) : "", w.message)});
  for (const std::string& note : r.result.notes)
    facts.push_back({"Note", note});
  for (const DocBlock& box : assumptions_blocks(r)) {
    facts.push_back({"Not confirmed", box.title});
    for (const std::string& item : box.items)
      facts.push_back({"Unconfirmed value", item});
  }
  lines(summary, facts, bold);
}

void write_treatments(const Report& r, XlsxSheet& treatments) {
  treatments.columns({{"period", 10},
                      {"kind", 16},
                      {"unit i", 12},
                      {"parameter", 16},
                      {"where", 24},
                      {"rows", 8},
                      {"what was done", 60},
                      {"change", 14},
                      {"unit", 10},
                      {"effect on ER (tCO2)", 18}});
  for (const Treatment& t : r.result.treatments) {
    const int row = treatments.add_row();
    treatments.text(row, 0, t.period);
    treatments.text(row, 1, t.kind);
    treatments.text(row, 2, t.unit);
    treatments.text(row, 3, t.parameter);
    treatments.text(row, 4, t.where);
    treatments.number(row, 5, static_cast<double>(t.rows));
    treatments.text(row, 6, t.description);
    treatments.number(row, 7, t.amount);
    treatments.text(row, 8, t.amount_unit);
    treatments.number(row, 9, t.effect);
  }
  if (r.result.treatments.empty())
    treatments.text(treatments.add_row(), 0, "None: no substitution, exclusion or correction.");
}

void write_receipt(const Report& r, XlsxSheet& receipt, lxw_format* bold) {
  receipt.columns(
      {{"role / table", 16}, {"file / title", 50}, {"SHA-256 / version", 68}, {"source", 60}});
  for (const InputFile& input : r.result.inputs) {
    const int row = receipt.add_row();
    receipt.text(row, 0, input.role);
    receipt.text(row, 1, input.path);
    receipt.text(row, 2, input.sha256);
  }
  for (const ReportTable& t : r.tables) {
    const int row = receipt.add_row();
    receipt.text(row, 0, t.id);
    receipt.text(row, 1, t.title);
    receipt.text(row, 2, t.version);
    receipt.text(row, 3, provenance_text(t.source));
  }
  receipt.add_row();
  lines(receipt, {{"mrv version", r.result.mrv_version}}, bold);
}

// Each period's parties, then the allocation of the total and the sum of
// the periods, then the scheme, its checks and the notes.
void write_allocation(const Report& r, lxw_workbook* wb, lxw_format* header, lxw_format* bold) {
  if (!r.allocation) return;
  const AllocationResult& a = *r.allocation;
  XlsxSheet allocation(wb, "Allocation", header);
  allocation.columns({{"period", 18},
                      {"party", 20},
                      {"share", 12},
                      {"basis", 16},
                      {"rounding", 10},
                      {"credits", 12}});
  const auto party_row = [&](const std::string& period, const PartyAllocation& p, bool share) {
    const int row = allocation.add_row();
    allocation.text(row, 0, period);
    allocation.text(row, 1, p.name);
    if (share) {
      allocation.number(row, 2, p.share);
      allocation.text(row, 3, party_basis_name(p.basis));
      if (p.rounding) allocation.text(row, 4, share_rounding_name(*p.rounding));
    }
    allocation.number(row, 5, static_cast<double>(p.credits));
  };
  for (const PeriodAllocation& pa : a.periods)
    for (const PartyAllocation& p : pa.allocation.parties)
      party_row(pa.period, p, true);
  for (const PartyAllocation& p : a.total.parties)
    party_row("total", p, true);
  for (const PartyAllocation& p : a.sum_of_periods)
    party_row("sum of the periods", p, false);
  allocation.add_row();
  std::vector<std::pair<std::string, std::string>> facts = {
      {"Scheme", a.scheme.status.empty() ? fmt::format("{}: {}", a.scheme.id, a.scheme.statement)
                                         : fmt::format("{} ({}): {}", a.scheme.id, a.scheme.status,
                                                       a.scheme.statement)}};
  if (a.terms) facts.push_back({"Terms", "credit_terms of " + a.terms->path});
  for (const PeriodAllocation& pa : a.periods)
    facts.push_back({"Check " + pa.period, describe_scheme_check(pa.allocation.check)});
  facts.push_back({"Check total", describe_scheme_check(a.total.check)});
  for (const std::string& note : a.notes)
    facts.push_back({"Note", note});
  lines(allocation, facts, bold);
}

std::string write_sheets(lxw_workbook* wb, const Report& r) {
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xE8EEF4);
  format_set_bottom(header, LXW_BORDER_THIN);

  // Sheets appear in the order they are added.
  XlsxSheet summary(wb, "Summary", header);
  XlsxSheet inputs(wb, "Inputs", header);
  XlsxSheet calculation(wb, "Calculation", header);
  XlsxSheet treatments(wb, "Treatments", header);
  XlsxSheet receipt(wb, "Receipt", header);
  const std::string error = write_periods(r, summary, inputs, calculation);
  if (!error.empty()) return error;
  write_identity(r, summary, bold);
  write_treatments(r, treatments);
  write_receipt(r, receipt, bold);
  write_allocation(r, wb, header, bold);
  write_evidence_sheet(r, wb, header, bold);
  return "";
}

Diagnostic cannot_write_workbook(const std::string& why) {
  Diagnostic d;
  d.code = ExitCode::cannot_write;
  d.message = "cannot write the xlsx workbook: " + why;
  return d;
}

} // namespace

Expected<std::string> render_report_xlsx(const Report& r) {
  MRV_TRY(open_xlsx_library());
  // libxlsxwriter writes to a file name only: a private temporary file,
  // read back and removed, so that the caller writes the output atomically.
  std::error_code ec;
  const std::filesystem::path directory = std::filesystem::temp_directory_path(ec);
  if (ec) return cannot_write_workbook(ec.message());
  std::string path = (directory / "mrv-report-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return cannot_write_workbook(path + ": " + std::strerror(errno));
  ::close(fd);
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove{path};

  std::string tmpdir = directory.string();
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.data();
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) return cannot_write_workbook(path);

  std::string title = "Monitoring report: " + r.project.id;
  std::string subject = r.methodology.full_id();
  std::string author = "mrv " + r.result.mrv_version;
  lxw_doc_properties properties{};
  properties.title = title.data();
  properties.subject = subject.data();
  properties.author = author.data();
  // libxlsxwriter takes 0 to mean "now": the epoch itself gets the fixed date.
  properties.created = r.generated && *r.generated > 0 ? static_cast<std::time_t>(*r.generated)
                                                       : fixed_creation_time;
  workbook_set_properties(wb, &properties);

  const std::string error = write_sheets(wb, r);
  const lxw_error closed = workbook_close(wb); // frees the workbook whatever happened
  if (!error.empty()) {
    Diagnostic d = cannot_write_workbook(error);
    d.code = ExitCode::internal; // a formula the translator cannot express is a bug of ours
    return d;
  }
  if (closed != LXW_NO_ERROR) return cannot_write_workbook(lxw_strerror(closed));

  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return cannot_write_workbook("cannot read back " + path);
  return bytes.str();
}

} // namespace mrv::detail
