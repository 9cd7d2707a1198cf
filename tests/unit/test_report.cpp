#include "mrv/report.hpp"

#include "report/report_document.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using namespace mrv;

namespace {

// The bundled Mongolian example: two periods, two units, a key look-up.
const Report& mn_pv() {
  static const Report report = [] {
    Expected<Project> project = load_project_file(MRV_SOURCE_DIR "/examples/mn-pv/project.yaml");
    REQUIRE_MESSAGE(project.has_value(),
                    (project ? std::string() : format_diagnostic(project.error())));
    Expected<Methodology> methodology = find_methodology(project->methodology);
    REQUIRE(methodology.has_value());
    Expected<Report> built = build_report(*methodology, *project, ReportOptions{});
    REQUIRE_MESSAGE(built.has_value(), (built ? std::string() : format_diagnostic(built.error())));
    return *built;
  }();
  return report;
}

std::string rendered(const Report& report, ReportFormat format) {
  Expected<std::string> text = render_report(report, format);
  REQUIRE(text.has_value());
  return *text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const ReportStep& step(const ReportPeriod& period, const std::string& parameter) {
  for (const ReportStep& s : period.steps)
    if (s.parameter == parameter) return s;
  FAIL("no step " << parameter);
  return period.steps.front();
}

} // namespace

TEST_SUITE("report") {
  TEST_CASE("report: each period holds its parameters, with one value per unit") {
    const Report& r = mn_pv();
    REQUIRE(r.periods.size() == 2);
    const ReportPeriod& mp1 = r.periods[0];
    CHECK(mp1.period.period == "MP1");
    CHECK(mp1.period.credited == 8165);
    CHECK(mp1.months.size() == 8);
    REQUIRE(mp1.parameters.size() == 3); // EG_i_p, connection_i, EF_RE_i: not the calculated ones
    const ReportParameter& eg = mp1.parameters[0];
    CHECK(eg.id == "EG_i_p");
    CHECK(eg.option == "C");
    CHECK(eg.aggregate == "sum");
    REQUIRE(eg.values.size() == 2);
    CHECK(eg.values[0].unit_id == "PV-A");
    CHECK(eg.values[0].value == 8995.75455);
    CHECK(eg.values[0].unit == "MWh");
    CHECK(mp1.parameters[1].values[1].text == "internal_grid_with_captive");
    CHECK(mp1.parameters[1].values[1].unit.empty());
    CHECK(mp1.treatments.empty());
  }

  TEST_CASE("report: each equation is shown with the values it used and its result") {
    const ReportPeriod& mp1 = mn_pv().periods[0];
    const ReportStep& re_i = step(mp1, "RE_i_p");
    CHECK(re_i.equation == "RE_i_p = EG_i_p * EF_RE_i");
    CHECK(re_i.level == "unit_period");
    REQUIRE(re_i.evaluations.size() == 2);
    const ReportEvaluation& a = re_i.evaluations[0];
    CHECK(a.unit_id == "PV-A");
    REQUIRE(a.inputs.size() == 2);
    CHECK(a.inputs[0].parameter == "EG_i_p");
    CHECK(a.inputs[0].value.value == 8995.75455);
    CHECK(a.inputs[1].parameter == "EF_RE_i");
    CHECK(a.inputs[1].value.value == 0.797);
    CHECK(a.result.value == mp1.period.units[0].reference);

    // Inside sum_i, every unit's value is read.
    const ReportStep& re = step(mp1, "RE_p");
    REQUIRE(re.evaluations.size() == 1);
    REQUIRE(re.evaluations[0].inputs.size() == 2);
    CHECK(re.evaluations[0].inputs[1].value.unit_id == "PV-B");
    CHECK(re.evaluations[0].result.value == mp1.period.reference);

    const ReportStep& ef = step(mp1, "EF_RE_i");
    CHECK(ef.tables == std::vector<std::string>{"EF_RE_MN"});
    CHECK(ef.evaluations[1].inputs[0].value.text == "internal_grid_with_captive");
  }

  TEST_CASE("report: the receipt names the tables the formulas looked values up in") {
    const Report& r = mn_pv();
    REQUIRE(r.tables.size() == 1);
    CHECK(r.tables[0].id == "EF_RE_MN");
    CHECK(r.tables[0].version == "2013-2015 data");
    CHECK(r.tables[0].used_by == std::vector<std::string>{"EF_RE_i"});
    REQUIRE(r.result.inputs.size() == 4); // methodology, its shared table file, project, data
    CHECK(r.result.inputs[1].role == "table");
    CHECK(r.result.inputs[1].path == "bundled/tables/EF_grid_MN_v1.yaml");
  }

  TEST_CASE("report: Markdown shows the substituted equations and the credited amount") {
    const std::string md = rendered(mn_pv(), ReportFormat::md);
    CHECK(md.starts_with("# Monitoring report: 12.1 MW solar PV near Ulaanbaatar (example)\n"));
    CHECK(contains(md, "**Credited for MP1: 8165 tCO2**"));
    CHECK(contains(md, "`RE_i_p = EG_i_p * EF_RE_i`"));
    CHECK(contains(md, "- PV-A: EG_i_p = 8995.75455 MWh, EF_RE_i = 0.797 tCO2/MWh → RE_i_p = "
                       "7169.61637635 tCO2\n"));
    CHECK(contains(md, "- floor → credited_p = 8165 tCO2\n"));
    CHECK(contains(md, "| EF_RE_MN | Conservative emission factors"));
    CHECK_FALSE(contains(md, "Generated:"));
    CHECK(md.ends_with("- **mrv version:** 0.1.0\n"));
  }

  TEST_CASE("report: the date appears only when given") {
    Report r = mn_pv();
    r.generated = 1700000000;
    CHECK(contains(rendered(r, ReportFormat::md), "- **Generated:** 2023-11-14T22:13:20Z\n"));
    CHECK(contains(rendered(r, ReportFormat::json), "\"generated\": \"2023-11-14T22:13:20Z\""));
  }

  TEST_CASE("report: HTML is self-contained and escapes every text") {
    Report r = mn_pv();
    r.project.title = "<script>alert(1)</script> & 太陽光";
    const std::string html = rendered(r, ReportFormat::html);
    CHECK(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"));
    CHECK(contains(html, "Content-Security-Policy\" content=\"default-src 'none'"));
    CHECK(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 太陽光"));
    CHECK_FALSE(contains(html, "<script"));
    CHECK(contains(html, "data-period=\"MP1\">8165</strong>"));
    CHECK(contains(html, "<section class=\"period\" id=\"period-MP1\">"));
    CHECK(contains(html, "section.period { break-before: page; }"));
    CHECK(contains(html, "\"Noto Sans CJK JP\""));
  }

  TEST_CASE("report: Markdown escapes what it would read as markup") {
    Report r = mn_pv();
    r.project.title = "*bold* <b> `code` _x_ [a](b)";
    const std::string md = rendered(r, ReportFormat::md);
    CHECK(contains(md, "# Monitoring report: \\*bold\\* \\<b\\> \\`code\\` \\_x\\_ [a\\](b)\n"));
    CHECK(contains(md, "RE_i_p")); // an underscore inside a word stays as it is
  }

  TEST_CASE("report: JSON holds the report model and the calc result") {
    const nlohmann::json j = nlohmann::json::parse(rendered(mn_pv(), ReportFormat::json));
    CHECK(j["format"] == "mrv.report/1");
    CHECK(j["generated"].is_null());
    CHECK(j["methodology"]["rounding"]["rule"] == "floor");
    CHECK(j["periods"][0]["credited"] == 8165);
    CHECK(j["periods"][0]["calculation"][1]["equation"] == "RE_i_p = EG_i_p * EF_RE_i");
    CHECK(j["periods"][0]["allocation"]["parties"][0]["credits"] == 4083);
    CHECK(j["tables"][0]["id"] == "EF_RE_MN");
    CHECK(j["calc"]["format"] == "mrv.calc/1");
    CHECK(j["calc"]["periods"][1]["credited"] == 3529);
  }

  TEST_CASE("report: the xlsx workbook is the same bytes for the same report") {
    const std::string a = rendered(mn_pv(), ReportFormat::xlsx);
    CHECK(a.starts_with("PK\x03\x04"));
    CHECK(a == rendered(mn_pv(), ReportFormat::xlsx));
    Report dated = mn_pv();
    dated.generated = 1700000000;
    CHECK(rendered(dated, ReportFormat::xlsx) != a);
  }

  TEST_CASE("report: a credit allocation, when there is one, is in every form") {
    Report r = mn_pv();
    AllocationRequest request;
    request.scheme = *find_scheme_rule("model-project");
    request.credits = 8165;
    Expected<Allocation> allocation = allocate(request);
    REQUIRE(allocation.has_value());
    r.allocation = AllocationResult{};
    r.allocation->scheme = request.scheme;
    r.allocation->periods.push_back({"MP1", *allocation});
    const std::string md = rendered(r, ReportFormat::md);
    CHECK(contains(md, "*Allocation under scheme model-project*"));
    CHECK(contains(md, "| japan "));
    CHECK(contains(md, "4083 |")); // ceil(8165 / 2)
    const nlohmann::json j = nlohmann::json::parse(rendered(r, ReportFormat::json));
    CHECK(j["periods"][0]["allocation"]["scheme"] == "model-project");
    CHECK(j["periods"][1]["allocation"].is_null());
    CHECK(rendered(r, ReportFormat::xlsx).starts_with("PK"));
  }

  TEST_CASE("report: the project's credit terms split each period and the total") {
    // examples/mn-pv: model-project, japan 50% rounded up, the participants the rest.
    const Report& r = mn_pv();
    REQUIRE(r.allocation.has_value());
    REQUIRE(r.allocation->periods.size() == 2);
    CHECK(r.allocation->periods[0].allocation.parties[0].credits == 4083);
    CHECK(r.allocation->periods[1].allocation.parties[0].credits == 1765);
    CHECK(r.allocation->total.parties[0].credits == 5847);
    CHECK(r.allocation->sum_of_periods[0].credits == 5848);
    REQUIRE(r.allocation->terms.has_value());
    CHECK(r.allocation->terms->path.ends_with("examples/mn-pv/project.yaml"));

    const std::string md = rendered(r, ReportFormat::md);
    CHECK(contains(md, "## Credit allocation\n"));
    CHECK(contains(md, "| party        |  MP1 |  MP2 | sum of the periods | allocation of the "
                       "total |\n"));
    CHECK(contains(md, "| japan        | 4083 | 1765 |               5848 |                    "
                       "5847 |\n"));
    CHECK(contains(md, "- Check of the total: japan 5847, minimum 5847 = ceil(0.5 \\* 11694): "
                       "pass\n"));
    CHECK(contains(rendered(r, ReportFormat::html), "allocation of the total"));

    const nlohmann::json j = nlohmann::json::parse(rendered(r, ReportFormat::json));
    CHECK(j["allocation"]["format"] == "mrv.allocate/1");
    CHECK(j["allocation"]["total"]["credits"] == 11694);
    CHECK(j["allocation"]["sum_of_periods"][0]["credits"] == 5848);
    CHECK(j["allocation"]["inputs"][0]["role"] == "project");
    CHECK(j["calc"]["format"] == "mrv.calc/1");
  }

  TEST_CASE("report: without credit terms, no allocation") {
    Report r = mn_pv();
    r.allocation.reset();
    const std::string md = rendered(r, ReportFormat::md);
    CHECK(contains(md, "Not computed: the project file states no credit terms"));
    CHECK_FALSE(contains(md, "\n## Credit allocation\n"));
    const nlohmann::json j = nlohmann::json::parse(rendered(r, ReportFormat::json));
    CHECK(j["allocation"].is_null());
    CHECK(j["periods"][0]["allocation"].is_null());
  }

  TEST_CASE("report: the form follows the file name's extension") {
    CHECK(report_format_for_path("out/report.html") == ReportFormat::html);
    CHECK(report_format_for_path("REPORT.HTM") == ReportFormat::html);
    CHECK(report_format_for_path("r.md") == ReportFormat::md);
    CHECK(report_format_for_path("r.xlsx") == ReportFormat::xlsx);
    CHECK(report_format_for_path("r.json") == ReportFormat::json);
    CHECK_FALSE(report_format_for_path("r.pdf"));
    CHECK_FALSE(report_format_for_path("report"));
    CHECK_FALSE(report_format_for_path("dir.md/report"));
    CHECK(parse_report_format("xlsx") == ReportFormat::xlsx);
    CHECK_FALSE(parse_report_format("csv"));
    CHECK(std::string(report_format_name(ReportFormat::md)) == "md");
  }

  TEST_CASE("report: timestamps are UTC, in ISO 8601") {
    CHECK(detail::utc_timestamp(0) == "1970-01-01T00:00:00Z");
    CHECK(detail::utc_timestamp(1700000000) == "2023-11-14T22:13:20Z");
    CHECK(detail::utc_timestamp(-1) == "1969-12-31T23:59:59Z");
  }
}
