// Evidence, co-benefits and uses of the credits: values written
// {value, unit, source, evidence} beside values by index value
// (project_sections), the UN list of SDG targets (sdg_targets), the rules of
// a use against a period (credit_uses) and the report's sections built from
// them (report_evidence, report_uses).
#include "model/project_sections.hpp"
#include "model/sdg_targets.hpp"
#include "mrv/credit_uses.hpp"
#include "mrv/project.hpp"
#include "mrv/report.hpp"
#include "mrv/verify.hpp"
#include "report/report_sections.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace mrv;

namespace {

std::string project_text(const std::string& tail) {
  return "mrv: project/1\nid: T\nmethodology: m.yaml\nutc_offset: \"+00:00\"\n"
         "units: [{id: U1}]\n"
         "periods: [{id: P, from: 2024-01-01, to: 2024-12-31}]\n" +
         tail;
}

std::string error_of(const std::string& text) {
  Expected<Project> p = load_project(text, "p.yaml");
  REQUIRE_FALSE(p);
  return p.error().message;
}

} // namespace

TEST_SUITE("project_sections") {
  TEST_CASE("a value with its evidence: the value, its unit, source and evidence") {
    Expected<Project> p = load_project(
        project_text("values:\n  COP: {value: 6.1, source: \"FT-2231, p. 4\", evidence: [FT-2231, "
                     "photo.jpg]}\n  Q: {value: 500, unit: USRt}\n  K: grid\n"),
        "p.yaml");
    REQUIRE(p);
    REQUIRE(p->values.size() == 3);
    CHECK(p->values[0].text == "6.1");
    CHECK_FALSE(p->values[0].quoted);
    CHECK(p->values[1].text == "500 USRt");
    CHECK(p->values[1].quoted);
    CHECK(p->values[2].text == "grid");
    REQUIRE(p->value_evidence.size() == 1); // Q has neither source nor evidence
    CHECK(p->value_evidence[0].parameter == "COP");
    CHECK(p->value_evidence[0].source == "FT-2231, p. 4");
    CHECK(p->value_evidence[0].evidence == std::vector<std::string>{"FT-2231", "photo.jpg"});
    CHECK(p->value_evidence[0].unit.empty());
  }

  TEST_CASE("a map by index value, each value plain or with its evidence") {
    Expected<Project> p = load_project(
        project_text("values:\n  DOC_j: {food: {value: 0.15, source: IPCC}, paper: 0.4}\n"),
        "p.yaml");
    REQUIRE(p);
    REQUIRE(p->values.size() == 2);
    CHECK(p->values[0].index == "food");
    CHECK(p->values[0].text == "0.15");
    CHECK(p->values[1].index == "paper");
    REQUIRE(p->value_evidence.size() == 1);
    CHECK(p->value_evidence[0].index == "food");
  }

  TEST_CASE("a map is read one way only") {
    CHECK(error_of(project_text("values:\n  DOC_j: {value: 0.15, food: 0.2}\n")) ==
          "this map has `value:`, so it is one value with its evidence ({value, unit, source, "
          "evidence}) and cannot have 'food'; a value per index value is written {food: 0.15} "
          "or {food: {value: 0.15, source: ...}}, and no index value can be named value");
    CHECK(error_of(project_text("values:\n  COP: {source: test, food: 2}\n")) ==
          "'source' is a key of a value with its evidence ({value, unit, source, evidence}), "
          "which needs `value:`; an index value cannot be named value, unit, source or evidence");
    CHECK(error_of(project_text("indices: {j: [food, unit]}\n")) ==
          "an index value cannot be named 'unit': a map of values with that key is a value "
          "with its evidence");
  }

  TEST_CASE("malformed evidence") {
    CHECK(error_of(project_text("values:\n  COP: {value: 6.1, evidence: []}\n")) ==
          "evidence cannot be empty: name the document, certificate or file that proves the "
          "value");
    CHECK(error_of(project_text("values:\n  COP: {value: 6.1, evidence: [{a: 1}]}\n")) ==
          "evidence must be a text or a list of texts (a certificate id, a document and page, a "
          "photograph's file name)");
    CHECK(error_of(project_text("values:\n  Q: {value: \"500 USRt\", unit: USRt}\n")) ==
          "value is a number when its unit is given apart (value: 12.5, unit: USRt), not '500 "
          "USRt'");
  }

  TEST_CASE("a calibration made after the last period needs the error it found") {
    const std::string meter = "meters:\n  - {serial: M1, unit: U1, parameter: EG, calibrations: "
                              "[{date: 2025-02-01, to: 2026-01-31";
    CHECK(error_of(project_text(meter + "}]}\n")) ==
          "this calibration was made on 2025-02-01, after the last monitoring period ends "
          "(2024-12-31): it vouches for no value of the periods; give the calibration valid "
          "during them, or, when this one ended a lapse, the error it found (error_found:)");
    CHECK(load_project(project_text(meter + ", error_found: 1%}]}\n"), "p.yaml"));
  }
}

TEST_SUITE("sdg_targets") {
  TEST_CASE("17 goals, 169 targets") {
    std::size_t targets = 0;
    for (int goal = 1; goal <= 17; ++goal) {
      REQUIRE(detail::sdg_goal(goal) != nullptr);
      targets += detail::sdg_targets(*detail::sdg_goal(goal)).size();
    }
    CHECK(targets == 169);
    CHECK(detail::sdg_goal(0) == nullptr);
    CHECK(detail::sdg_goal(18) == nullptr);
    const detail::SdgGoal& energy = *detail::sdg_goal(7);
    CHECK(detail::is_sdg_target(energy, "7.3"));
    CHECK(detail::is_sdg_target(energy, "7.b"));
    CHECK_FALSE(detail::is_sdg_target(energy, "7.4"));
    CHECK_FALSE(detail::is_sdg_target(energy, "7.c"));
    CHECK_FALSE(detail::is_sdg_target(energy, "13.2"));
  }

  TEST_CASE("co-benefits are checked against the list") {
    const std::string head = "co_benefits:\n  - {goal: ";
    CHECK(error_of(project_text(head + "18, indicator: x}\n")) ==
          "goal must be a Sustainable Development Goal, 1 to 17, not '18'");
    CHECK(error_of(project_text(head + "7, targets: [\"7.9\"], indicator: x}\n")) ==
          "'7.9' is not a target of goal 7 (its targets: 7.1, 7.2, 7.3, 7.a, 7.b)");
    CHECK(error_of(project_text(head + "7, targets: [\"13.2\"], indicator: x}\n")) ==
          "target '13.2' belongs to goal 13, not goal 7");
    Expected<Project> p =
        load_project(project_text(head + "13, targets: [\"13.a\"], indicator: x}\n"), "p.yaml");
    REQUIRE(p);
    CHECK(p->co_benefits.at(0).targets == std::vector<std::string>{"13.a"});
  }
}

TEST_SUITE("credit_uses") {
  UseRules corsia_rules() {
    Expected<UseRules> r = load_use_rules(R"yaml(mrv: use/1
use: CORSIA
title: test
source: {document: test, confirmed: false}
rules:
  - {kind: vintage, statement: v, from: 2021-01-01, to: 2024-06-30, source: {document: t, confirmed: false}}
  - {kind: programme, statement: p, programmes: [JCM], source: {document: t, confirmed: true}}
  - {kind: authorisation, statement: a, source: {document: t, confirmed: false}}
)yaml",
                                          "use-corsia.yaml");
    REQUIRE(r);
    return *r;
  }

  TEST_CASE("each period against each rule") {
    Expected<Project> p =
        load_project(project_text("credits: {intended_uses: [CORSIA]}\n"), "p.yaml");
    REQUIRE(p);
    std::vector<UseAssessment> a = assess_uses(*p, {corsia_rules()});
    REQUIRE(a.size() == 1);
    CHECK(a[0].period == "P");
    REQUIRE(a[0].rules.size() == 3);
    CHECK(a[0].rules[0].result == RuleResult::not_met); // half of 2024 is past 2024-06-30
    CHECK(a[0].rules[0].why ==
          "only 182 of the period's 366 days are within the eligible vintages (2021-01-01 to "
          "2024-06-30)");
    CHECK(a[0].rules[1].result == RuleResult::met);
    CHECK(a[0].rules[2].result == RuleResult::unknown); // no authorisation declared
    CHECK(a[0].verdict == RuleResult::not_met);
  }

  TEST_CASE("an authorisation for the use meets the rule") {
    Expected<Project> p = load_project(
        project_text("credits:\n  authorisation: {host_country: TH, reference: LoA-1, uses: "
                     "[CORSIA]}\n  intended_uses: [CORSIA]\n"),
        "p.yaml");
    REQUIRE(p);
    std::vector<UseAssessment> a = assess_uses(*p, {corsia_rules()});
    CHECK(a.at(0).rules.at(2).result == RuleResult::met);
    CHECK(error_of(project_text("credits: {intended_uses: [CORSA]}\n")) ==
          "unknown use 'CORSA' (NDC, CORSIA, OIMP, voluntary)");
  }
}

TEST_SUITE("report_evidence") {
  TEST_CASE("the equipment and data source sections, from the project and the result") {
    Report r;
    Meter m;
    m.serial = "EM-1";
    m.unit = "U1";
    m.parameter = "EG";
    Calibration c;
    c.made_day = c.first_day = 19723; // 2024-01-01
    c.last_day = 20088;               // 2024-12-31
    c.certificate = "CAL-1";
    m.calibrations.push_back(c);
    r.project.meters.push_back(m);
    DataSourceFacts f;
    f.id = "logger";
    f.files.push_back({"d.csv", "abc", RowCounts{}});
    f.checks.push_back({"interval", "1 h (declared)"});
    r.result.sources.push_back(f);
    detail::Document doc;
    detail::DocBlocks b(doc);
    detail::evidence_sections(b, r);
    std::vector<std::string> headings;
    const detail::TextTable* meters = nullptr;
    for (const detail::DocBlock& block : doc.blocks) {
      if (block.kind == detail::DocBlock::Kind::heading) headings.push_back(block.text);
      if (block.kind == detail::DocBlock::Kind::table && !meters) meters = &block.table;
    }
    CHECK(headings ==
          std::vector<std::string>{"Monitoring equipment", "Data sources", "Data source logger"});
    REQUIRE(meters != nullptr);
    REQUIRE(meters->rows.size() == 1);
    CHECK(meters->rows[0][1] == "not declared"); // model
    CHECK(meters->rows[0][6] == "made 2024-01-01, valid 2024-01-01 to 2024-12-31, certificate "
                                "CAL-1");
  }
}

TEST_SUITE("verify_lines") {
  TEST_CASE("a line's uses are written only when there are some, and read back") {
    PeriodVerdict v;
    v.id = "E";
    v.period = "P";
    v.status = VerifyStatus::match;
    CHECK(render_verdict_line(v).find("\"uses\"") == std::string::npos);
    v.uses = {"the credits of period P meet the CORSIA rules (vintage: met)"};
    const std::string line = render_verdict_line(v);
    CHECK(line.find("\"uses\":[\"the credits of period P meet") != std::string::npos);
    Expected<PeriodVerdict> back = parse_verdict_line(line, "l.jsonl", 1);
    REQUIRE(back);
    CHECK(*back == v);
  }
}
