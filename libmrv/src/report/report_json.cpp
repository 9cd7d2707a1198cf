// The report as JSON ("mrv.report/1", docs/report.md): the report model,
// then the whole calculation result in its own documented form under "calc".
#include "mrv/report.hpp"

#include "mrv/render_allocate.hpp"

#include "render/render_common.hpp"
#include "render/render_unconfirmed.hpp"
#include "report/report_document.hpp"
#include "report/report_forms.hpp"
#include "report/report_sections.hpp"

namespace mrv::detail {

namespace {

constexpr const char* report_json_format = "mrv.report/1";

void text_or_null(JsonWriter& json, std::string_view name, const std::string& text) {
  json.key(name);
  if (text.empty())
    json.null();
  else
    json.value(text);
}

// As in calc JSON: {"value": 12.5, "unit": "MWh"} or a key's {"value": "text"},
// with the unit i it belongs to.
void write_value(JsonWriter& json, const ReportValue& v) {
  json.begin_object();
  text_or_null(json, "unit_id", v.unit_id);
  if (!v.index.empty()) json.member("index", v.index); // only for a value per index value
  json.quantity_members(v.value, v.unit, v.text);
  json.end_object();
}

void write_parameter(JsonWriter& json, const ReportParameter& p) {
  json.begin_object();
  json.member("id", p.id);
  json.member("symbol", p.symbol);
  json.member("description", p.description);
  json.member("kind", p.kind);
  json.member("unit", p.unit);
  json.member("option", p.option);
  json.member("monitoring", p.monitoring);
  json.member("aggregate", p.aggregate);
  json.key("source");
  write_provenance(json, p.source);
  json.key("values");
  json.begin_array();
  for (const ReportValue& v : p.values)
    write_value(json, v);
  json.end_array();
  json.end_object();
}

void write_step(JsonWriter& json, const ReportStep& s) {
  json.begin_object();
  json.member("parameter", s.parameter);
  json.member("symbol", s.symbol);
  json.member("description", s.description);
  json.member("level", s.level);
  json.member("unit", s.unit);
  json.member("equation", s.equation);
  json.member("per_record", s.per_record);
  json.member("aggregate", s.aggregate);
  json.key("tables");
  json.begin_array();
  for (const std::string& t : s.tables)
    json.value(t);
  json.end_array();
  json.key("evaluations");
  json.begin_array();
  for (const ReportEvaluation& e : s.evaluations) {
    json.begin_object();
    text_or_null(json, "unit_id", e.unit_id);
    if (!e.index.empty()) json.member("index", e.index);
    json.key("inputs");
    json.begin_array();
    for (const ReportInput& input : e.inputs) {
      json.begin_object();
      json.member("parameter", input.parameter);
      json.key("value");
      write_value(json, input.value);
      json.end_object();
    }
    json.end_array();
    json.key("result");
    write_value(json, e.result);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

void write_treatment(JsonWriter& json, const Treatment& t) {
  json.begin_object();
  json.member("kind", t.kind);
  json.member("unit_id", t.unit);
  json.member("parameter", t.parameter);
  json.member("where", t.where);
  json.member("description", t.description);
  json.member("rows", t.rows);
  json.member("amount", t.amount);
  json.member("amount_unit", t.amount_unit);
  json.member("effect", t.effect);
  json.end_object();
}

void write_allocation(JsonWriter& json, const Report& r, const std::string& period) {
  json.key("allocation");
  const PeriodAllocation* found = nullptr;
  if (r.allocation)
    for (const PeriodAllocation& a : r.allocation->periods)
      if (a.period == period) found = &a;
  if (!found) {
    json.null();
    return;
  }
  json.begin_object();
  json.member("scheme", r.allocation->scheme.id);
  json.key("parties");
  json.begin_array();
  for (const PartyAllocation& p : found->allocation.parties) {
    json.begin_object();
    json.member("party", p.name);
    json.member("share", p.share);
    json.key("rounding");
    if (p.rounding)
      json.value(share_rounding_name(*p.rounding));
    else
      json.null();
    json.member("basis", party_basis_name(p.basis));
    json.member("credits", p.credits);
    json.end_object();
  }
  json.end_array();
  const SchemeCheck& check = found->allocation.check;
  json.key("check");
  json.begin_object();
  json.member("applies", check.applies);
  json.member("passed", check.passed);
  json.member("minimum", check.minimum);
  json.member("actual", check.actual);
  json.member("shortfall", check.shortfall);
  json.member("formula", scheme_check_formula(check));
  json.end_object();
  json.end_object();
}

void write_period(JsonWriter& json, const Report& r, const ReportPeriod& period) {
  const SliceResult& s = period.period;
  json.begin_object();
  json.member("id", s.period);
  json.member("from", s.from);
  json.member("to", s.to);
  json.member("records", s.records);
  json.member("RE", s.reference);
  json.member("PE", s.project);
  json.member("ER", s.reductions);
  json.member("ER_15", s.reductions_15);
  json.member("rounding", rounding_name(r.methodology.rounding));
  json.member("credited", s.credited.value_or(0));
  write_unconfirmed(json, s.unconfirmed);
  json.key("parameters");
  json.begin_array();
  for (const ReportParameter& p : period.parameters)
    write_parameter(json, p);
  json.end_array();
  json.key("calculation");
  json.begin_array();
  for (const ReportStep& step : period.steps)
    write_step(json, step);
  json.end_array();
  json.key("months");
  json.begin_array();
  for (const SliceResult& m : period.months) {
    json.begin_object();
    json.member("month", m.month);
    json.member("from", m.from);
    json.member("to", m.to);
    json.member("records", m.records);
    json.member("RE", m.reference);
    json.member("PE", m.project);
    json.member("ER", m.reductions);
    json.end_object();
  }
  json.end_array();
  json.key("treatments");
  json.begin_array();
  for (const Treatment& t : period.treatments)
    write_treatment(json, t);
  json.end_array();
  write_allocation(json, r, s.period);
  json.end_object();
}

void write_identity(JsonWriter& json, const Report& r) {
  const Project& p = r.project;
  json.key("project");
  json.begin_object();
  json.member("id", p.id);
  json.member("title", p.title);
  json.member("country", p.country);
  json.end_object();
  const Methodology& m = r.methodology;
  json.key("methodology");
  json.begin_object();
  json.member("id", m.id);
  json.member("version", m.version);
  json.member("title", m.title);
  json.key("countries");
  json.begin_array();
  for (const std::string& c : m.countries)
    json.value(c);
  json.end_array();
  json.member("category", m.category);
  json.member("sectoral_scope", m.sectoral_scope);
  json.member("status", m.status);
  json.member("approved", m.approved);
  json.member("source_url", m.source_url);
  json.member("sha256", m.sha256);
  json.key("rounding");
  json.begin_object();
  json.member("rule", rounding_name(m.rounding));
  json.key("source");
  write_provenance(json, m.rounding_source);
  json.end_object();
  json.end_object();
}

void write_receipt(JsonWriter& json, const Report& r) {
  json.key("inputs");
  json.begin_array();
  for (const InputFile& input : r.result.inputs) {
    json.begin_object();
    json.member("role", input.role);
    json.member("path", input.path);
    json.member("sha256", input.sha256);
    json.end_object();
  }
  json.end_array();
  json.key("tables");
  json.begin_array();
  for (const ReportTable& t : r.tables) {
    json.begin_object();
    json.member("id", t.id);
    json.member("title", t.title);
    json.member("version", t.version);
    json.member("unit", t.unit);
    json.key("used_by");
    json.begin_array();
    for (const std::string& id : t.used_by)
      json.value(id);
    json.end_array();
    json.key("source");
    write_provenance(json, t.source);
    json.end_object();
  }
  json.end_array();
}

// `document` with one more member, `name`: `json`, a whole pretty document
// of its own, indented to sit inside it. The JSON writer has no raw member,
// and the calc document must stay exactly what render_calc writes.
std::string append_document(const std::string& document, std::string_view name,
                            const std::string& json) {
  std::string nested;
  for (std::size_t start = 0; start < json.size();) {
    std::size_t end = json.find('\n', start);
    if (end == std::string::npos) end = json.size();
    if (start > 0) nested += "\n  ";
    nested.append(json, start, end - start);
    start = end + 1;
  }
  // A pretty object with members ends with "\n}", and with "\n}\n" once a
  // document has been appended.
  const std::size_t end = document.ends_with("\n}\n") ? document.size() - 3 : document.size() - 2;
  return document.substr(0, end) + ",\n  \"" + std::string(name) + "\": " + nested + "\n}\n";
}

} // namespace

std::string render_report_json(const Report& r) {
  JsonWriter json(true);
  json.begin_object();
  json.member("format", report_json_format);
  json.member("mrv_version", r.result.mrv_version);
  json.key("generated");
  if (r.generated)
    json.value(utc_timestamp(*r.generated));
  else
    json.null();
  write_identity(json, r);
  json.key("periods");
  json.begin_array();
  for (const ReportPeriod& period : r.periods)
    write_period(json, r, period);
  json.end_array();
  write_evidence_json(json, r);
  write_uses_json(json, r);
  write_receipt(json, r);
  json.end_object();
  // The whole allocation (every period, the total, the sum of the periods)
  // as `mrv allocate --format json` writes it.
  const std::string allocation =
      r.allocation ? render_allocation(*r.allocation, Format::json) : std::string("null\n");
  return append_document(append_document(json.text(), "allocation", allocation), "calc",
                         render_calc(r.result, Format::json));
}

} // namespace mrv::detail
