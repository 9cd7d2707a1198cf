// YAML → UseRules: the rules a use of the credits sets (CORSIA), one file
// per use in the scheme folders, use-<use>.yaml. The format:
// docs/schemes.md#rules-of-use.
#include "base/try.hpp"
#include "mrv/credit_uses.hpp"

#include "data/timestamp.hpp"
#include "data/yaml_tree.hpp"
#include "model/provenance_yaml.hpp"
#include "mrv/scheme.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace mrv {
namespace {

using detail::YamlNode;
using detail::YamlReader;

constexpr std::size_t max_file_bytes = 1 << 20;

const std::vector<std::string>& rule_kinds() {
  static const std::vector<std::string> kinds = {"vintage", "programme", "authorisation",
                                                 "corresponding_adjustment"};
  return kinds;
}

Expected<std::optional<std::int64_t>> optional_day(const YamlReader& r, const YamlNode& map,
                                                   std::string_view key) {
  const YamlNode* n = map.find(key);
  if (!n) return std::optional<std::int64_t>{};
  const std::string text = MRV_TRY(r.string(*n, key));
  const std::optional<std::int64_t> day = detail::parse_date(text);
  if (!day) return r.error(*n, fmt::format("{} must be a date YYYY-MM-DD, not '{}'", key, text));
  return day;
}

Expected<UseRule> rule(const YamlReader& r, const YamlNode& item) {
  MRV_TRY(
      r.expect_map(item, {"kind", "statement", "from", "to", "programmes", "source"}, "a rule"));
  UseRule u;
  u.location = r.document().location(item);
  const YamlNode* kind = MRV_TRY(r.required(item, "kind", "a rule"));
  u.kind = MRV_TRY(r.string(*kind, "kind"));
  if (std::find(rule_kinds().begin(), rule_kinds().end(), u.kind) == rule_kinds().end())
    return r.error(
        *kind, fmt::format("unknown rule kind '{}' ({})", u.kind, fmt::join(rule_kinds(), ", ")));
  u.statement = MRV_TRY(r.string(*MRV_TRY(r.required(item, "statement", "a rule")), "statement"));
  u.first_day = MRV_TRY(optional_day(r, item, "from"));
  u.last_day = MRV_TRY(optional_day(r, item, "to"));
  if ((u.first_day || u.last_day) != (u.kind == "vintage"))
    return r.error(item, "from and to belong to a vintage rule, which needs one of them");
  if (u.first_day && u.last_day && *u.last_day < *u.first_day)
    return r.error(item, "a vintage cannot end before it starts");
  if (const YamlNode* list = item.find("programmes")) {
    if (u.kind != "programme") return r.error(*list, "programmes belong to a programme rule");
    if (!list->is_sequence()) return r.error(*list, "programmes must be a list of programme names");
    for (const YamlNode& p : list->items)
      u.programmes.push_back(MRV_TRY(r.string(p, "programme")));
  } else if (u.kind == "programme") {
    return r.error(item, "a programme rule lists its eligible programmes (programmes: [...], "
                         "empty when none is)");
  }
  u.source = MRV_TRY(detail::read_provenance(r, *MRV_TRY(r.required(item, "source", "a rule"))));
  return u;
}

} // namespace

Expected<UseRules> load_use_rules(std::string text, std::string file) {
  detail::YamlDocument doc =
      MRV_TRY(detail::parse_mrv_yaml(std::move(text), file, "use/1", "a rules file"));
  YamlReader r(doc);
  const YamlNode& root = doc.root;
  MRV_TRY(r.expect_map(root, {"mrv", "use", "title", "source", "rules"}, "a rules file"));
  UseRules out;
  out.file = file;
  out.use = MRV_TRY(r.string(*MRV_TRY(r.required(root, "use", "a rules file")), "use"));
  const auto& names = credit_use_names();
  if (std::find(names.begin(), names.end(), out.use) == names.end())
    return r.error(*root.find("use"),
                   fmt::format("unknown use '{}' ({})", out.use, fmt::join(names, ", ")));
  out.title = MRV_TRY(r.string(*MRV_TRY(r.required(root, "title", "a rules file")), "title"));
  out.source =
      MRV_TRY(detail::read_provenance(r, *MRV_TRY(r.required(root, "source", "a rules file"))));
  const YamlNode* rules = MRV_TRY(r.required(root, "rules", "a rules file"));
  if (!rules->is_sequence() || rules->items.empty())
    return r.error(*rules, "rules must be a non-empty list");
  for (const YamlNode& item : rules->items)
    out.rules.push_back(MRV_TRY(rule(r, item)));
  return out;
}

Expected<std::optional<UseRules>> find_use_rules(const std::string& use) {
  std::string name = "use-";
  for (char c : use)
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  name += ".yaml";
  for (const std::string& folder : scheme_directories()) {
    const std::filesystem::path path = std::filesystem::path(folder) / name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    std::string text = MRV_TRY(detail::read_text_file(path.string(), max_file_bytes));
    return std::optional<UseRules>(MRV_TRY(load_use_rules(std::move(text), path.string())));
  }
  return std::optional<UseRules>{};
}

Expected<std::vector<UseRules>> rules_for_project(const Project& project) {
  std::vector<UseRules> out;
  if (!project.credits) return out;
  for (const std::string& use : project.credits->intended_uses)
    if (std::optional<UseRules> rules = MRV_TRY(find_use_rules(use))) out.push_back(*rules);
  return out;
}

} // namespace mrv
