// The report JSON's evidence and uses (docs/report.md#json): the meters,
// how each data source was read, the evidence of ex-ante values, the SDG
// contributions, and the credits' declaration with each period's
// assessment, as the HTML's sections show them.
#include "report/report_sections.hpp"

#include "data/json_writer.hpp"
#include "data/timestamp.hpp"

namespace mrv::detail {

namespace {

void strings(JsonWriter& json, std::string_view name, const std::vector<std::string>& items) {
  json.key(name);
  json.begin_array();
  for (const std::string& item : items)
    json.value(item);
  json.end_array();
}

void optional_day(JsonWriter& json, std::string_view name, std::optional<std::int64_t> day) {
  json.key(name);
  if (day)
    json.value(format_date(*day));
  else
    json.null();
}

void meter(JsonWriter& json, const Meter& m) {
  json.begin_object();
  json.member("serial", m.serial);
  json.member("model", m.model);
  json.member("accuracy_class", m.accuracy_class);
  json.member("unit_id", m.unit);
  json.member("parameter", m.parameter);
  json.key("max_error");
  if (m.max_error_declared)
    json.value(m.max_error);
  else
    json.null();
  json.key("calibrations");
  json.begin_array();
  for (const Calibration& c : m.calibrations) {
    json.begin_object();
    optional_day(json, "date", c.made_day);
    json.member("from", format_date(c.first_day));
    json.member("to", format_date(c.last_day));
    json.member("certificate", c.certificate);
    json.key("error_found");
    if (c.error_found)
      json.value(*c.error_found);
    else
      json.null();
    json.end_object();
  }
  json.end_array();
  json.key("replacements");
  json.begin_array();
  for (const MeterReplacement& r : m.replacements) {
    json.begin_object();
    json.member("at", utc_timestamp(r.time));
    json.member("old_final", r.old_final);
    json.member("new_initial", r.new_initial);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

void source_files(JsonWriter& json, const DataSourceFacts& f) {
  json.key("files");
  json.begin_array();
  for (const DataFileRead& file : f.files) {
    json.begin_object();
    json.member("path", file.path);
    json.member("sha256", file.sha256);
    json.member("rows_read", file.rows.read);
    json.member("rows_used", file.rows.used);
    json.end_object();
  }
  json.end_array();
  json.key("columns");
  json.begin_array();
  for (const DataSourceColumn& c : f.columns) {
    json.begin_object();
    json.member("parameter", c.parameter);
    json.member("column", c.column);
    json.member("unit", c.unit);
    json.member("header_unit", c.header_unit);
    json.member("cumulative", c.cumulative);
    json.key("rollover");
    if (c.rollover)
      json.value(*c.rollover);
    else
      json.null();
    json.end_object();
  }
  json.end_array();
}

void source(JsonWriter& json, const DataSourceFacts& f) {
  json.begin_object();
  json.member("id", f.id);
  source_files(json, f);
  json.member("encoding", f.encoding);
  json.member("delimiter", f.delimiter);
  json.member("decimal", f.decimal);
  json.member("thousands", f.thousands);
  json.member("number_format_declared", f.marks_declared);
  json.member("timestamp_column", f.timestamp_column);
  json.member("timestamp_format", f.timestamp_format);
  json.member("timestamp_marks", f.marks);
  json.member("zone", f.zone);
  json.member("interval_seconds", f.interval_seconds);
  json.member("interval_basis", f.interval_basis);
  strings(json, "units", f.units);
  json.member("units_basis", f.units_basis);
  json.key("checks");
  json.begin_array();
  for (const DataSourceCheck& c : f.checks) {
    json.begin_object();
    json.member("check", c.check);
    json.member("result", c.result);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

void value_evidence(JsonWriter& json, const ValueEvidence& e) {
  json.begin_object();
  json.member("parameter", e.parameter);
  json.member("index", e.index);
  json.member("unit_id", e.unit);
  json.member("source", e.source);
  strings(json, "evidence", e.evidence);
  json.end_object();
}

void credits(JsonWriter& json, const CreditsDeclaration& c) {
  json.begin_object();
  json.member("programme", c.programme);
  json.key("authorisation");
  if (c.authorisation) {
    json.begin_object();
    json.member("host_country", c.authorisation->host_country);
    json.member("reference", c.authorisation->reference);
    optional_day(json, "date", c.authorisation->day);
    strings(json, "uses", c.authorisation->uses);
    json.end_object();
  } else {
    json.null();
  }
  json.key("corresponding_adjustment");
  if (c.corresponding_adjustment)
    json.value(*c.corresponding_adjustment);
  else
    json.null();
  json.member("adjustment_reference", c.adjustment_reference);
  strings(json, "intended_uses", c.intended_uses);
  strings(json, "evidence", c.evidence);
  json.end_object();
}

void assessment(JsonWriter& json, const UseAssessment& a) {
  json.begin_object();
  json.member("period", a.period);
  json.member("use", a.use);
  json.member("verdict", rule_result_name(a.verdict));
  json.member("statement", a.statement);
  json.member("rules_file", a.file);
  json.key("rules");
  json.begin_array();
  for (const RuleOutcome& o : a.rules) {
    json.begin_object();
    json.member("kind", o.kind);
    json.member("result", rule_result_name(o.result));
    json.member("why", o.why);
    json.member("source", o.source.document);
    json.member("section", o.source.section);
    json.member("confirmed", o.source.confirmed);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

} // namespace

void write_uses_json(JsonWriter& json, const Report& r) {
  json.key("co_benefits");
  json.begin_array();
  for (const CoBenefit& c : r.project.co_benefits) {
    json.begin_object();
    json.member("goal", c.goal);
    strings(json, "targets", c.targets);
    json.member("indicator", c.indicator);
    json.member("value", c.value);
    strings(json, "evidence", c.evidence);
    json.end_object();
  }
  json.end_array();
  json.key("credits");
  if (r.project.credits)
    credits(json, *r.project.credits);
  else
    json.null();
  json.key("uses");
  json.begin_array();
  for (const UseAssessment& a : r.uses)
    assessment(json, a);
  json.end_array();
}

void write_evidence_json(JsonWriter& json, const Report& r) {
  json.key("meters");
  json.begin_array();
  for (const Meter& m : r.project.meters)
    meter(json, m);
  json.end_array();
  json.key("data_sources");
  json.begin_array();
  for (const DataSourceFacts& f : r.result.sources)
    source(json, f);
  json.end_array();
  json.key("value_evidence");
  json.begin_array();
  for (const ValueEvidence& e : r.project.value_evidence)
    value_evidence(json, e);
  json.end_array();
}

} // namespace mrv::detail
