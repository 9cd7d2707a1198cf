// Whether a period's credits meet the rules of each use the project
// intends (CORSIA): each rule against what the project declares in
// `credits:` and the period's dates. A rule the project declares nothing
// for is not established (unknown), never taken as met.
#include "mrv/credit_uses.hpp"

#include "data/timestamp.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace mrv {
namespace {

std::string day_text(std::optional<std::int64_t> day, std::string_view open) {
  return day ? detail::format_date(*day) : std::string(open);
}

RuleOutcome vintage(const UseRule& rule, const MonitoringPeriod& period) {
  RuleOutcome o{rule.kind, RuleResult::met, "", rule.source};
  const std::int64_t first = std::max(period.first_day, rule.first_day.value_or(period.first_day));
  const std::int64_t last = std::min(period.last_day, rule.last_day.value_or(period.last_day));
  const std::string window = fmt::format("{} to {}", day_text(rule.first_day, "any date"),
                                         day_text(rule.last_day, "any date"));
  const std::int64_t days = period.last_day - period.first_day + 1;
  if (last < first) {
    o.result = RuleResult::not_met;
    o.why = fmt::format("the period's reductions ({} to {}) are outside the eligible vintages ({})",
                        detail::format_date(period.first_day), detail::format_date(period.last_day),
                        window);
  } else if (last - first + 1 < days) {
    o.result = RuleResult::not_met;
    o.why = fmt::format("only {} of the period's {} days are within the eligible vintages ({})",
                        last - first + 1, days, window);
  } else {
    o.why = fmt::format("the period lies within the eligible vintages ({})", window);
  }
  return o;
}

RuleOutcome programme(const UseRule& rule, const CreditsDeclaration& c) {
  RuleOutcome o{rule.kind, RuleResult::not_met, "", rule.source};
  if (std::find(rule.programmes.begin(), rule.programmes.end(), c.programme) !=
      rule.programmes.end()) {
    o.result = RuleResult::met;
    o.why = fmt::format("{} is an eligible programme", c.programme);
  } else {
    o.why = rule.programmes.empty()
                ? fmt::format("{} is not among the eligible programmes (the rules list none)",
                              c.programme)
                : fmt::format("{} is not among the eligible programmes ({})", c.programme,
                              fmt::join(rule.programmes, ", "));
  }
  return o;
}

RuleOutcome authorisation(const UseRule& rule, const CreditsDeclaration& c,
                          const std::string& use) {
  RuleOutcome o{rule.kind, RuleResult::unknown, "", rule.source};
  if (!c.authorisation) {
    o.why = "the project declares no authorisation by the host country";
    return o;
  }
  const auto& uses = c.authorisation->uses;
  const bool covered = std::find(uses.begin(), uses.end(), use) != uses.end();
  o.result = covered ? RuleResult::met : RuleResult::not_met;
  o.why =
      fmt::format("{}'s authorisation {} is for {}{}", c.authorisation->host_country,
                  c.authorisation->reference, fmt::join(uses, ", "), covered ? "" : ", not " + use);
  return o;
}

RuleOutcome adjustment(const UseRule& rule, const CreditsDeclaration& c) {
  RuleOutcome o{rule.kind, RuleResult::unknown, "", rule.source};
  if (!c.corresponding_adjustment) {
    o.why = "the project does not declare whether a corresponding adjustment is applied";
    return o;
  }
  o.result = *c.corresponding_adjustment ? RuleResult::met : RuleResult::not_met;
  o.why = *c.corresponding_adjustment
              ? "the host country applies a corresponding adjustment" +
                    (c.adjustment_reference.empty() ? "" : " (" + c.adjustment_reference + ")")
              : "the project declares no corresponding adjustment";
  return o;
}

std::string statement_of(const UseAssessment& a) {
  std::vector<std::string> parts;
  std::vector<std::string> unconfirmed;
  for (const RuleOutcome& r : a.rules) {
    parts.push_back(fmt::format("{}: {}", r.kind, rule_result_name(r.result)));
    if (!r.source.confirmed) unconfirmed.push_back(r.kind);
  }
  const char* verdict = a.verdict == RuleResult::met       ? "meet"
                        : a.verdict == RuleResult::not_met ? "do not meet"
                                                           : "cannot be shown to meet";
  std::string text = fmt::format("the credits of period {} {} the {} rules ({})", a.period, verdict,
                                 a.use, fmt::join(parts, "; "));
  if (!unconfirmed.empty())
    text += fmt::format("; rules not confirmed against the official text: {}",
                        fmt::join(unconfirmed, ", "));
  return text;
}

} // namespace

const char* rule_result_name(RuleResult result) {
  switch (result) {
  case RuleResult::met:
    return "met";
  case RuleResult::not_met:
    return "not met";
  case RuleResult::unknown:
    return "not established";
  }
  return "?";
}

std::vector<UseAssessment> assess_uses(const Project& project, const std::vector<UseRules>& rules) {
  std::vector<UseAssessment> out;
  if (!project.credits) return out;
  const CreditsDeclaration& c = *project.credits;
  for (const UseRules& use : rules)
    for (const MonitoringPeriod& period : project.periods) {
      UseAssessment a{use.use, period.id, RuleResult::met, {}, "", use.file};
      for (const UseRule& rule : use.rules) {
        RuleOutcome o = rule.kind == "vintage"         ? vintage(rule, period)
                        : rule.kind == "programme"     ? programme(rule, c)
                        : rule.kind == "authorisation" ? authorisation(rule, c, use.use)
                                                       : adjustment(rule, c);
        if (o.result == RuleResult::not_met) a.verdict = RuleResult::not_met;
        if (o.result == RuleResult::unknown && a.verdict == RuleResult::met)
          a.verdict = RuleResult::unknown;
        a.rules.push_back(std::move(o));
      }
      a.statement = statement_of(a);
      out.push_back(std::move(a));
    }
  return out;
}

} // namespace mrv
