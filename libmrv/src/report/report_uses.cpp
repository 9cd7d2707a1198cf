// What the project says it contributes besides the reductions and what its
// credits are for: the SDG contributions it declares (`co_benefits:`, shown
// as declared: mrv computes none) and, with a `credits:` section, each
// period's assessment against the rules of each intended use
// (docs/report.md#co-benefits-and-use-of-the-credits).
#include "report/report_sections.hpp"

#include "data/timestamp.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mrv::detail {

namespace {

std::string joined(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, "; "));
}

void co_benefits(DocBlocks& b, const Report& r) {
  if (r.project.co_benefits.empty()) return;
  b.heading(2, "Contributions to the Sustainable Development Goals", "co-benefits");
  b.paragraph("As the project declares them (co_benefits:); goal and target numbers are "
              "checked against the UN list of targets, the values are not computed by mrv.");
  TextTable t = make_table({"goal", "targets", "indicator", "value", "evidence"},
                           {true, false, false, false, false});
  for (const CoBenefit& c : r.project.co_benefits)
    t.rows.push_back({std::to_string(c.goal), fmt::format("{}", fmt::join(c.targets, ", ")),
                      c.indicator, c.value, joined(c.evidence)});
  b.table("Sustainable-development contributions", std::move(t));
}

std::vector<std::pair<std::string, std::string>> declaration(const CreditsDeclaration& c) {
  std::vector<std::pair<std::string, std::string>> facts = {
      {"Programme", c.programme},
      {"Intended uses", fmt::format("{}", fmt::join(c.intended_uses, ", "))}};
  if (c.authorisation) {
    const auto& a = *c.authorisation;
    facts.push_back({"Authorisation", fmt::format("{}, {}{}, for {}", a.host_country, a.reference,
                                                  a.day ? ", " + format_date(*a.day) : "",
                                                  fmt::join(a.uses, ", "))});
  } else {
    facts.push_back({"Authorisation", "not declared"});
  }
  facts.push_back(
      {"Corresponding adjustment",
       !c.corresponding_adjustment ? "not declared"
       : *c.corresponding_adjustment
           ? "applied" + (c.adjustment_reference.empty() ? std::string()
                                                         : " (" + c.adjustment_reference + ")")
           : "not applied"});
  if (!c.evidence.empty()) facts.push_back({"Evidence", joined(c.evidence)});
  return facts;
}

std::string source_of(const Provenance& p) {
  std::string text = p.document;
  if (!p.section.empty()) text += ", " + p.section;
  return text + (p.confirmed ? "" : " (not confirmed)");
}

void uses(DocBlocks& b, const Report& r) {
  if (!r.project.credits) return;
  b.heading(2, "Use of the credits", "uses");
  b.facts(declaration(*r.project.credits));
  if (r.uses.empty()) {
    b.paragraph("No intended use has rules in the scheme data: none is assessed.");
    return;
  }
  TextTable t = make_table({"period", "use", "rule", "result", "why", "source"},
                           {false, false, false, false, false, false});
  std::vector<std::string> lines;
  for (const UseAssessment& a : r.uses) {
    lines.push_back(a.statement);
    for (const RuleOutcome& o : a.rules)
      t.rows.push_back(
          {a.period, a.use, o.kind, rule_result_name(o.result), o.why, source_of(o.source)});
  }
  b.list(std::move(lines));
  b.table("Each rule of each intended use, per monitoring period", std::move(t));
}

} // namespace

void use_sections(DocBlocks& b, const Report& r) {
  co_benefits(b, r);
  uses(b, r);
}

} // namespace mrv::detail
