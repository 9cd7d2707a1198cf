// YAML → Scheme: one financing scheme file, its allocation rule and its
// screening thresholds. The format: docs/schemes.md.
#include "base/try.hpp"
#include "mrv/scheme.hpp"

#include "data/yaml_tree.hpp"
#include "model/provenance_yaml.hpp"
#include "model/yaml_fields.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace mrv {
namespace {

using detail::optional_flag;
using detail::optional_number;
using detail::optional_text;
using detail::read_provenance;
using detail::YamlDocument;
using detail::YamlNode;
using detail::YamlReader;

constexpr std::size_t max_file_bytes = 4 << 20;

Expected<std::vector<ThresholdTier>> tiers(const YamlReader& r, const YamlNode& node) {
  if (!node.is_sequence() || node.items.empty())
    return r.error(node, "tiers must be a non-empty list");
  std::vector<ThresholdTier> out;
  for (const YamlNode& item : node.items) {
    MRV_TRY(r.expect_map(item, {"from", "to", "value"}, "a tier"));
    ThresholdTier tier;
    tier.from = MRV_TRY(optional_number(r, item, "from"));
    tier.to = MRV_TRY(optional_number(r, item, "to"));
    tier.value = MRV_TRY(r.number(*MRV_TRY(r.required(item, "value", "a tier")), "tier value"));
    out.push_back(tier);
  }
  return out;
}

Expected<Threshold> threshold(const YamlReader& r, const YamlNode& key, const YamlNode& node) {
  MRV_TRY(
      r.expect_map(node, {"value", "tiers", "unit", "confirmed", "note", "source"}, "a threshold"));
  Threshold t;
  t.id = key.value;
  t.location = r.document().location(key);
  const YamlNode* value = node.find("value");
  const YamlNode* tiered = node.find("tiers");
  // The two eligibility rules are conditions without a number.
  const bool is_rule = t.id == "fossil_fuel_switch_power_only" || t.id == "decarbonisation_plan";
  if (value && tiered)
    return r.error(key, fmt::format("threshold '{}' has both value and tiers", t.id));
  if (!is_rule && !value && !tiered)
    return r.error(key, fmt::format("threshold '{}' needs a value or tiers", t.id));
  if (value) t.value = MRV_TRY(r.number(*value, "value"));
  if (tiered) t.tiers = MRV_TRY(tiers(r, *tiered));
  t.unit = MRV_TRY(optional_text(r, node, "unit"));
  t.confirmed =
      MRV_TRY(r.boolean(*MRV_TRY(r.required(node, "confirmed", "a threshold")), "confirmed"));
  t.note = MRV_TRY(optional_text(r, node, "note"));
  t.source = MRV_TRY(read_provenance(r, *MRV_TRY(r.required(node, "source", "a threshold"))));
  return t;
}

// A rule's status agrees with its source: "confirmed" exactly when the
// source was read in an official text.
Status check_status(const YamlReader& r, const YamlNode& node, const SchemeRule& rule) {
  if (rule.status != "confirmed" && rule.status != "seed" && rule.status != "unconfirmed")
    return r.error(
        node, fmt::format("unknown status '{}' (confirmed, seed or unconfirmed)", rule.status));
  if (rule.status == "confirmed" && !rule.source.confirmed)
    return r.error(node, "status confirmed needs a source read in an official text "
                         "(source.confirmed: true)");
  if (rule.status != "confirmed" && rule.source.confirmed)
    return r.error(node, fmt::format("status {} contradicts source.confirmed: true (a rule read "
                                     "in an official text is confirmed)",
                                     rule.status));
  return Ok{};
}

Expected<SchemeRule> allocation(const YamlReader& r, const YamlNode& node) {
  MRV_TRY(r.expect_map(node,
                       {"minimum_share", "net_of_partner", "subsidy_ratio", "share_by_agreement",
                        "status", "statement", "source"},
                       "allocation"));
  SchemeRule rule;
  const YamlNode* minimum = MRV_TRY(r.required(node, "minimum_share", "allocation"));
  rule.minimum_share = MRV_TRY(r.number(*minimum, "minimum_share"));
  if (!(rule.minimum_share >= 0 && rule.minimum_share <= 1))
    return r.error(*minimum, "minimum_share must be from 0 to 1 (0 sets no minimum)");
  rule.net_of_partner = MRV_TRY(optional_flag(r, node, "net_of_partner"));
  rule.subsidy_ratio = MRV_TRY(optional_flag(r, node, "subsidy_ratio"));
  rule.share_by_agreement = MRV_TRY(optional_flag(r, node, "share_by_agreement"));
  if (rule.share_by_agreement && rule.minimum_share > 0)
    return r.error(*node.find("share_by_agreement"),
                   "share_by_agreement: a scheme whose agreement sets Japan's share sets no "
                   "minimum (minimum_share: 0)");
  rule.statement =
      MRV_TRY(r.string(*MRV_TRY(r.required(node, "statement", "allocation")), "statement"));
  rule.source = MRV_TRY(read_provenance(r, *MRV_TRY(r.required(node, "source", "allocation"))));
  const YamlNode* status = MRV_TRY(r.required(node, "status", "allocation"));
  rule.status = MRV_TRY(r.string(*status, "status"));
  MRV_TRY(check_status(r, *status, rule));
  return rule;
}

bool is_programme_name(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

Expected<std::string> programme(const YamlReader& r, const YamlNode& root) {
  const YamlNode* node = MRV_TRY(r.required(root, "programme", "a scheme"));
  std::string name = MRV_TRY(r.string(*node, "programme"));
  if (name == "none") return r.error(*node, "programme 'none' is reserved: it names no scheme");
  if (!is_programme_name(name))
    return r.error(*node, "programme must be lowercase letters, digits and '-', starting with a "
                          "letter (model-project)");
  return name;
}

Expected<int> fiscal_year(const YamlReader& r, const YamlNode& root) {
  const YamlNode* node = MRV_TRY(r.required(root, "fiscal_year", "a scheme"));
  const double year = MRV_TRY(r.number(*node, "fiscal_year"));
  if (!(year >= 1000 && year <= 9999) || std::floor(year) != year)
    return r.error(*node, "fiscal_year must be a year of four digits (2022)");
  return static_cast<int>(year);
}

// The id names the programme and the fiscal year, and the file names the id,
// so that a folder of scheme files can be listed without reading them.
Status check_id(const YamlReader& r, const YamlNode& id, const Scheme& s,
                const std::optional<std::string>& file_stem) {
  const std::string expected = fmt::format("{}-FY{}", s.programme, s.fiscal_year);
  if (s.id != expected)
    return r.error(id, fmt::format("id must be '{}' (<programme>-FY<fiscal_year>)", expected));
  if (file_stem && *file_stem != s.id)
    return r.error(id, fmt::format("scheme '{}' must be in a file named {}.yaml", s.id, s.id));
  return Ok{};
}

Expected<std::vector<Threshold>> thresholds(const YamlReader& r, const YamlNode& node) {
  MRV_TRY(r.expect_map(node, threshold_ids(), "thresholds"));
  std::vector<Threshold> out;
  for (const auto& [key, value] : node.entries)
    out.push_back(MRV_TRY(threshold(r, key, value)));
  return out;
}

Expected<Scheme> parse_scheme(std::string text, std::string file,
                              const std::optional<std::string>& file_stem) {
  const YamlDocument doc = MRV_TRY(detail::parse_yaml(std::move(text), file));
  const YamlReader r(doc);
  const YamlNode& root = doc.root;
  MRV_TRY(r.expect_map(
      root,
      {"mrv", "id", "programme", "title", "fiscal_year", "source", "allocation", "thresholds"},
      "a scheme"));
  const YamlNode* format = MRV_TRY(r.required(root, "mrv", "a scheme"));
  if (MRV_TRY(r.string(*format, "mrv")) != "scheme/1")
    return r.error(*format, "unsupported format: expected 'mrv: scheme/1'");
  Scheme s;
  s.file = file;
  const YamlNode* id = MRV_TRY(r.required(root, "id", "a scheme"));
  s.id = MRV_TRY(r.string(*id, "id"));
  s.programme = MRV_TRY(programme(r, root));
  s.title = MRV_TRY(r.string(*MRV_TRY(r.required(root, "title", "a scheme")), "title"));
  s.fiscal_year = MRV_TRY(fiscal_year(r, root));
  MRV_TRY(check_id(r, *id, s, file_stem));
  s.source = MRV_TRY(read_provenance(r, *MRV_TRY(r.required(root, "source", "a scheme"))));
  s.allocation = MRV_TRY(allocation(r, *MRV_TRY(r.required(root, "allocation", "a scheme"))));
  s.allocation.id = s.id;
  s.allocation.title = s.title;
  s.allocation.file = file;
  if (const YamlNode* n = root.find("thresholds")) s.thresholds = MRV_TRY(thresholds(r, *n));
  return s;
}

} // namespace

SchemeRule no_scheme_rule() {
  SchemeRule rule;
  rule.id = "none";
  rule.title = "no financing scheme";
  rule.statement = "no scheme rule";
  return rule;
}

const std::vector<std::string>& threshold_ids() {
  static const std::vector<std::string> ids = {"subsidy_rate_cap",
                                               "cost_effectiveness_max",
                                               "payback_min",
                                               "lease_subsidy_share",
                                               "lease_years_min",
                                               "fixed_subsidy_cap",
                                               "pv_module_efficiency_min",
                                               "fossil_fuel_switch_power_only",
                                               "decarbonisation_plan"};
  return ids;
}

const Threshold* Scheme::threshold(std::string_view wanted) const {
  for (const Threshold& t : thresholds)
    if (t.id == wanted) return &t;
  return nullptr;
}

Expected<Scheme> load_scheme(std::string text, std::string file) {
  return parse_scheme(std::move(text), std::move(file), std::nullopt);
}

Expected<Scheme> load_scheme_file(const std::string& path) {
  std::string text = MRV_TRY(detail::read_text_file(path, max_file_bytes));
  return parse_scheme(std::move(text), path, std::filesystem::path(path).stem().string());
}

} // namespace mrv
