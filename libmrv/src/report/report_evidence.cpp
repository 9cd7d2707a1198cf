// What proves the report's numbers, after the calculation: the monitoring
// equipment and its calibrations, how each data source was read and what
// its checks found, and where the project took its ex-ante values from
// (docs/report.md#evidence). Its own file so that the sections of the
// calculation (report_document.cpp) stay apart from these.
#include "report/report_sections.hpp"

#include "data/interval_grid.hpp"
#include "data/timestamp.hpp"

#include "mrv/numbers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>

namespace mrv::detail {

namespace {

std::string calibration_text(const Calibration& c) {
  std::string text = c.made_day ? "made " + format_date(*c.made_day) + ", " : "";
  text += fmt::format("valid {} to {}", format_date(c.first_day), format_date(c.last_day));
  if (!c.certificate.empty()) text += ", certificate " + c.certificate;
  if (c.error_found) text += fmt::format(", error found {}%", format_number(*c.error_found * 100));
  return text;
}

std::string replacement_text(const MeterReplacement& r) {
  return fmt::format("{}: old meter's last reading {}, new meter's first {}", utc_timestamp(r.time),
                     format_number(r.old_final), format_number(r.new_initial));
}

void equipment(DocBlocks& b, const Report& r) {
  const std::vector<Meter>& meters = r.project.meters;
  b.heading(2, "Monitoring equipment", "equipment");
  if (meters.empty()) {
    b.paragraph("The project file declares no meters (meters:): no serial, accuracy class or "
                "calibration is shown, and no calibration treatment applied.");
    return;
  }
  TextTable t = make_table({"serial", "model", "accuracy class", "unit i", "parameter",
                            "max. permissible error", "calibrations", "replacements"},
                           {false, false, false, false, false, true, false, false});
  for (const Meter& m : meters) {
    std::vector<std::string> calibrations, replacements;
    for (const Calibration& c : m.calibrations)
      calibrations.push_back(calibration_text(c));
    for (const MeterReplacement& rep : m.replacements)
      replacements.push_back(replacement_text(rep));
    t.rows.push_back(
        {m.serial, m.model.empty() ? "not declared" : m.model,
         m.accuracy_class.empty() ? "not declared" : m.accuracy_class, m.unit, m.parameter,
         m.max_error_declared ? format_number(m.max_error * 100) + "%" : "",
         calibrations.empty() ? "none declared" : fmt::format("{}", fmt::join(calibrations, "; ")),
         fmt::format("{}", fmt::join(replacements, "; "))});
  }
  b.table("Meters, as the project file declares them (meters:)", std::move(t));
}

std::string interval_text(const DataSourceFacts& f) {
  if (f.interval_seconds == 0) return f.interval_basis;
  return fmt::format("{} ({})", format_duration(f.interval_seconds), f.interval_basis);
}

void source(DocBlocks& b, const DataSourceFacts& f) {
  std::string id = "source-"; // an anchor: letters, digits and '-' only
  for (char c : f.id)
    id += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  b.heading(3, "Data source " + f.id, id);
  b.facts({{"Encoding", f.encoding},
           {"Delimiter", f.delimiter},
           {"Decimal mark", f.decimal + (f.marks_declared ? " (declared)" : " (not declared)")},
           {"Thousands separator", f.thousands.empty() ? "none" : f.thousands},
           {"Timestamp", fmt::format("column '{}', {}, marking the {} of its interval",
                                     f.timestamp_column, f.timestamp_format, f.marks)},
           {"Time zone", f.zone},
           {"Interval", interval_text(f)},
           {"Units covered",
            f.units.empty() ? f.units_basis
                            : fmt::format("{} ({})", fmt::join(f.units, ", "), f.units_basis)}});
  TextTable files =
      make_table({"file", "SHA-256", "rows read", "used"}, {false, false, true, true});
  for (const DataFileRead& file : f.files)
    files.rows.push_back({file.path, file.sha256.empty() ? "not hashed" : file.sha256,
                          std::to_string(file.rows.read), std::to_string(file.rows.used)});
  b.table("Files", std::move(files));
  TextTable columns = make_table({"parameter", "column", "unit", "cumulative", "rollover"},
                                 {false, false, false, false, true});
  for (const DataSourceColumn& c : f.columns)
    columns.rows.push_back({c.parameter, c.column, c.unit, c.cumulative ? "yes" : "no",
                            c.rollover ? format_number(*c.rollover) : ""});
  b.table("Columns", std::move(columns));
  TextTable checks = make_table({"check", "result"}, {false, false});
  for (const DataSourceCheck& c : f.checks)
    checks.rows.push_back({c.check, c.result});
  b.table("Checks", std::move(checks));
}

void value_evidence(DocBlocks& b, const Report& r) {
  const std::vector<ValueEvidence>& all = r.project.value_evidence;
  if (all.empty()) return;
  b.heading(2, "Evidence of ex-ante values", "value-evidence");
  TextTable t = make_table({"parameter", "index", "unit i", "source", "evidence"},
                           {false, false, false, false, false});
  for (const ValueEvidence& e : all)
    t.rows.push_back({e.parameter, e.index, e.unit.empty() ? "project" : e.unit, e.source,
                      fmt::format("{}", fmt::join(e.evidence, "; "))});
  b.table("Where the project file says each value comes from ({value, unit, source, evidence})",
          std::move(t));
}

} // namespace

void evidence_sections(DocBlocks& b, const Report& r) {
  equipment(b, r);
  b.heading(2, "Data sources", "sources");
  b.paragraph("How each data file was read and what each check found. A check that fails stops "
              "the calculation, so every check listed here was passed.");
  for (const DataSourceFacts& f : r.result.sources)
    source(b, f);
  value_evidence(b, r);
}

} // namespace mrv::detail
