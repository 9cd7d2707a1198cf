// A value's source and evidence, the co-benefits and the credits' uses, as
// a project file writes them (docs/project-format.md#evidence,
// #co-benefits, #credits). Each mistake is refused at its place.
#include "model/project_sections.hpp"
#include "base/try.hpp"

#include "data/timestamp.hpp"
#include "model/sdg_targets.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace mrv {

const std::vector<std::string>& credit_use_names() {
  static const std::vector<std::string> names = {"NDC", "CORSIA", "OIMP", "voluntary"};
  return names;
}

namespace detail {
namespace {

constexpr std::string_view kEvidenceShape =
    "evidence must be a text or a list of texts (a certificate id, a document and page, a "
    "photograph's file name)";

Expected<std::string> nonempty_text(const YamlReader& r, const YamlNode& node,
                                    std::string_view what) {
  std::string text = MRV_TRY(r.string(node, what));
  if (text.empty()) return r.error(node, fmt::format("{} cannot be empty", what));
  return text;
}

// A use as credit_use_names() spells it, with a did-you-mean.
Expected<std::vector<std::string>> uses(const YamlReader& r, const YamlNode& node,
                                        std::string_view what) {
  if (!node.is_sequence() || node.items.empty())
    return r.error(node, fmt::format("{} must be a list of uses ({})", what,
                                     fmt::join(credit_use_names(), ", ")));
  std::vector<std::string> out;
  for (const YamlNode& item : node.items) {
    const std::string use = MRV_TRY(r.string(item, what));
    const auto& names = credit_use_names();
    if (std::find(names.begin(), names.end(), use) == names.end()) {
      Diagnostic d =
          r.error(item, fmt::format("unknown use '{}' ({})", use, fmt::join(names, ", ")));
      if (std::string hint = closest_match(use, names); !hint.empty())
        d.notes.push_back(fmt::format("did you mean '{}'?", hint));
      return d;
    }
    if (std::find(out.begin(), out.end(), use) != out.end())
      return r.error(item, fmt::format("use '{}' is listed twice", use));
    out.push_back(use);
  }
  return out;
}

Expected<std::int64_t> day(const YamlReader& r, const YamlNode& node, std::string_view what) {
  const std::string text = MRV_TRY(r.string(node, what));
  const std::optional<std::int64_t> days = parse_date(text);
  if (!days)
    return r.error(node, fmt::format("{} must be a date YYYY-MM-DD, not '{}'", what, text));
  return *days;
}

// "7.2", "13.a": a target of `goal` in the UN list.
Status check_target(const YamlReader& r, const YamlNode& node, const SdgGoal& goal,
                    const std::string& target) {
  if (is_sdg_target(goal, target)) return Ok{};
  const std::size_t dot = target.find('.');
  const SdgGoal* other = nullptr;
  if (dot != std::string::npos && dot > 0 && target.find_first_not_of("0123456789") == dot) {
    const int number = std::stoi(target.substr(0, std::min<std::size_t>(dot, 3)));
    other = sdg_goal(number);
    if (other && other != &goal && is_sdg_target(*other, target))
      return r.error(node, fmt::format("target '{}' belongs to goal {}, not goal {}", target,
                                       other->number, goal.number));
    if (other == &goal)
      return r.error(node, fmt::format("'{}' is not a target of goal {} (its targets: {})", target,
                                       goal.number, fmt::join(sdg_targets(goal), ", ")));
  }
  return r.error(node, fmt::format("a target is written goal.number or goal.letter (\"7.2\", "
                                   "\"13.a\"), not '{}'",
                                   target));
}

Expected<CoBenefit> co_benefit(const YamlReader& r, const YamlNode& item) {
  MRV_TRY(
      r.expect_map(item, {"goal", "targets", "indicator", "value", "evidence"}, "a co-benefit"));
  CoBenefit b;
  b.location = r.document().location(item);
  const YamlNode* goal = MRV_TRY(r.required(item, "goal", "a co-benefit"));
  const std::string text = MRV_TRY(r.string(*goal, "goal"));
  const bool digits = !text.empty() && text.size() <= 2 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  const SdgGoal* g = digits ? sdg_goal(std::stoi(text)) : nullptr;
  if (!g)
    return r.error(*goal, fmt::format("goal must be a Sustainable Development Goal, 1 to 17, not "
                                      "'{}'",
                                      text));
  b.goal = g->number;
  if (const YamlNode* targets = item.find("targets")) {
    if (!targets->is_sequence())
      return r.error(*targets, "targets must be a list of targets (\"7.2\", \"7.b\")");
    for (const YamlNode& t : targets->items) {
      const std::string target = MRV_TRY(r.string(t, "target"));
      MRV_TRY(check_target(r, t, *g, target));
      b.targets.push_back(target);
    }
  }
  b.indicator = MRV_TRY(
      nonempty_text(r, *MRV_TRY(r.required(item, "indicator", "a co-benefit")), "indicator"));
  if (const YamlNode* v = item.find("value")) b.value = MRV_TRY(nonempty_text(r, *v, "value"));
  if (const YamlNode* e = item.find("evidence")) b.evidence = MRV_TRY(read_evidence(r, *e));
  return b;
}

Expected<CreditsDeclaration::Authorisation> authorisation(const YamlReader& r,
                                                          const YamlNode& node) {
  MRV_TRY(r.expect_map(node, {"host_country", "reference", "date", "uses"}, "an authorisation"));
  CreditsDeclaration::Authorisation a;
  a.host_country = MRV_TRY(nonempty_text(
      r, *MRV_TRY(r.required(node, "host_country", "an authorisation")), "host_country"));
  a.reference = MRV_TRY(
      nonempty_text(r, *MRV_TRY(r.required(node, "reference", "an authorisation")), "reference"));
  if (const YamlNode* d = node.find("date")) a.day = MRV_TRY(day(r, *d, "date"));
  a.uses = MRV_TRY(uses(r, *MRV_TRY(r.required(node, "uses", "an authorisation")), "uses"));
  return a;
}

// `corresponding_adjustment: true`, or {applied, reference}.
Status adjustment(const YamlReader& r, const YamlNode& node, CreditsDeclaration& c) {
  if (node.is_map()) {
    MRV_TRY(r.expect_map(node, {"applied", "reference"}, "a corresponding adjustment"));
    c.corresponding_adjustment = MRV_TRY(
        r.boolean(*MRV_TRY(r.required(node, "applied", "a corresponding adjustment")), "applied"));
    if (const YamlNode* ref = node.find("reference"))
      c.adjustment_reference = MRV_TRY(nonempty_text(r, *ref, "reference"));
    return Ok{};
  }
  c.corresponding_adjustment = MRV_TRY(r.boolean(node, "corresponding_adjustment"));
  return Ok{};
}

} // namespace

Expected<std::vector<std::string>> read_evidence(const YamlReader& r, const YamlNode& node) {
  std::vector<std::string> out;
  if (node.is_scalar()) {
    out.push_back(node.value);
  } else if (node.is_sequence()) {
    for (const YamlNode& item : node.items) {
      if (!item.is_scalar()) return r.error(item, std::string(kEvidenceShape));
      out.push_back(item.value);
    }
  } else {
    return r.error(node, std::string(kEvidenceShape));
  }
  if (out.empty() || std::any_of(out.begin(), out.end(), [](auto& t) { return t.empty(); }))
    return r.error(node, "evidence cannot be empty: name the document, certificate or file that "
                         "proves the value");
  return out;
}

namespace {

// A value: a scalar ("6.1", "500 USRt", a key) or {value, unit, source,
// evidence}; `index` is the index value it is for (a node of a map by index
// value), or null.
Expected<ValueInput> read_value_input(const YamlReader& r, const YamlNode& key,
                                      const YamlNode& value, const YamlNode* index,
                                      const std::string& unit,
                                      std::vector<ValueEvidence>& evidence) {
  const YamlDocument& doc = r.document();
  const YamlNode* v = &value;
  if (value.is_map() && !value.entries.empty()) {
    MRV_TRY(
        r.expect_map(value, {"value", "unit", "source", "evidence"}, "a value with its evidence"));
    v = MRV_TRY(r.required(value, "value", "a value with its evidence"));
    if (!v->is_scalar())
      return r.error(*v, "value must be a number, a number with a unit or a key");
  } else if (!value.is_scalar()) {
    return r.error(value, "a value must be a number, a number with a unit (\"12.5 MWh\"), a key, "
                          "{value, unit, source, evidence}, or a map of values by index value "
                          "({food: 0.15})");
  }
  ValueInput in{key.value,        v->value,          v->quoted,
                doc.location(*v), doc.location(key), doc.line_text(v->line)};
  if (index) {
    in.index = index->value;
    in.index_location = doc.location(*index);
  }
  if (!value.is_map()) return in;
  if (const YamlNode* u = value.find("unit")) {
    const std::string text = MRV_TRY(nonempty_text(r, *u, "unit"));
    if (v->quoted || v->value.find(' ') != std::string::npos)
      return r.error(*v, fmt::format("value is a number when its unit is given apart (value: "
                                     "12.5, unit: {}), not '{}'",
                                     text, v->value));
    in.text = v->value + " " + text;
    in.quoted = true;
  }
  ValueEvidence e{key.value, in.index, unit, "", {}, doc.location(key)};
  if (const YamlNode* s = value.find("source")) e.source = MRV_TRY(nonempty_text(r, *s, "source"));
  if (const YamlNode* list = value.find("evidence")) e.evidence = MRV_TRY(read_evidence(r, *list));
  if (!e.source.empty() || !e.evidence.empty()) evidence.push_back(std::move(e));
  return in;
}

bool is_evidence_key(std::string_view k) {
  return k == "value" || k == "unit" || k == "source" || k == "evidence";
}

} // namespace

// Both forms are maps; `value:` tells them apart. A map with `value:` is one
// value with its evidence and has only the evidence form's keys; any other
// map is a value per index value, none of which may be named like those
// keys, so that no map can be read both ways.
Status read_value_inputs(const YamlReader& r, const YamlNode& key, const YamlNode& value,
                         const std::string& unit, std::vector<ValueInput>& out,
                         std::vector<ValueEvidence>& evidence) {
  if (value.is_map() && !value.entries.empty() && !value.find("value")) {
    for (const auto& [index, v] : value.entries) {
      if (is_evidence_key(index.value))
        return r.error(index, fmt::format("'{}' is a key of a value with its evidence ({{value, "
                                          "unit, source, evidence}}), which needs `value:`; an "
                                          "index value cannot be named value, unit, source or "
                                          "evidence",
                                          index.value));
      out.push_back(MRV_TRY(read_value_input(r, key, v, &index, unit, evidence)));
    }
    return Ok{};
  }
  for (const auto& [k, v] : value.entries)
    if (!is_evidence_key(k.value))
      return r.error(k, fmt::format("this map has `value:`, so it is one value with its "
                                    "evidence ({{value, unit, source, evidence}}) and cannot "
                                    "have '{}'; a value per index value is written {{{}: 0.15}} "
                                    "or {{{}: {{value: 0.15, source: ...}}}}, and no index value "
                                    "can be named value",
                                    k.value, k.value, k.value));
  out.push_back(MRV_TRY(read_value_input(r, key, value, nullptr, unit, evidence)));
  return Ok{};
}

Expected<std::vector<CoBenefit>> read_co_benefits(const YamlReader& r, const YamlNode& node) {
  if (!node.is_sequence() || node.items.empty())
    return r.error(node, "co_benefits must be a non-empty list of {goal, targets, indicator, "
                         "value, evidence}");
  std::vector<CoBenefit> out;
  for (const YamlNode& item : node.items)
    out.push_back(MRV_TRY(co_benefit(r, item)));
  return out;
}

Expected<CreditsDeclaration> read_credits(const YamlReader& r, const YamlNode& key,
                                          const YamlNode& node) {
  MRV_TRY(r.expect_map(
      node, {"programme", "authorisation", "corresponding_adjustment", "intended_uses", "evidence"},
      "credits"));
  CreditsDeclaration c;
  c.location = r.document().location(key);
  if (const YamlNode* p = node.find("programme"))
    c.programme = MRV_TRY(nonempty_text(r, *p, "programme"));
  if (const YamlNode* a = node.find("authorisation"))
    c.authorisation = MRV_TRY(authorisation(r, *a));
  if (const YamlNode* a = node.find("corresponding_adjustment")) MRV_TRY(adjustment(r, *a, c));
  c.intended_uses =
      MRV_TRY(uses(r, *MRV_TRY(r.required(node, "intended_uses", "credits")), "intended_uses"));
  if (const YamlNode* e = node.find("evidence")) c.evidence = MRV_TRY(read_evidence(r, *e));
  return c;
}

} // namespace detail
} // namespace mrv
