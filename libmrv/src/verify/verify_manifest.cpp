// YAML → Manifest, the input of `mrv verify`. The format: docs/verify.md.
#include "base/try.hpp"
#include "mrv/verify.hpp"

#include "data/sha256.hpp"
#include "data/yaml_tree.hpp"
#include "model/party_yaml.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace mrv {
namespace {

using detail::YamlDocument;
using detail::YamlNode;
using detail::YamlReader;

// Whole tonnes are read as numbers, then checked: beyond 2^53 a double no
// longer holds every integer, and no credit amount comes near it.
constexpr double largest_whole = 9007199254740992.0;

// A registry's manifest lists thousands of projects: more room than the
// limits meant for one project or methodology file.
detail::YamlLimits manifest_limits() {
  detail::YamlLimits limits;
  limits.max_bytes = std::size_t{16} << 20;
  limits.max_nodes = 1000000;
  return limits;
}

class ManifestLoader {
public:
  ManifestLoader(const YamlDocument& doc, std::string base_dir)
      : doc_(doc), r_(doc), base_(std::move(base_dir)) {}

  Status load(Manifest& manifest) {
    const YamlNode& root = doc_.root;
    MRV_TRY(r_.expect_map(root, {"mrv", "tolerance", "projects"}, "a manifest"));
    const YamlNode* format = MRV_TRY(r_.required(root, "mrv", "a manifest"));
    if (MRV_TRY(r_.string(*format, "mrv")) != "verify/1")
      return r_.error(*format, "unsupported format: expected 'mrv: verify/1'");
    Tolerance defaults;
    if (const YamlNode* n = root.find("tolerance")) defaults = MRV_TRY(tolerance(*n, defaults));
    const YamlNode* projects = MRV_TRY(r_.required(root, "projects", "a manifest"));
    if (!projects->is_sequence() || projects->items.empty())
      return r_.error(*projects, "projects must be a non-empty list");
    for (const YamlNode& item : projects->items)
      manifest.projects.push_back(MRV_TRY(project(item, defaults, manifest)));
    return Ok{};
  }

private:
  const YamlDocument& doc_;
  YamlReader r_;
  std::string base_;

  std::string resolve(const std::string& path) const {
    if (path.empty() || path.front() == '/') return path;
    return (std::filesystem::path(base_) / path).lexically_normal().string();
  }

  Expected<double> non_negative(const YamlNode& node, std::string_view what) {
    const double value = MRV_TRY(r_.number(node, what));
    if (value < 0) return r_.error(node, fmt::format("{} cannot be negative", what));
    return value;
  }

  Expected<std::int64_t> whole_tonnes(const YamlNode& node, std::string_view what) {
    const double value = MRV_TRY(r_.number(node, what));
    if (value != std::floor(value) || std::fabs(value) > largest_whole)
      return r_.error(node,
                      fmt::format("{} must be a whole number of tCO2, not '{}'", what, node.value));
    if (value < 0) return r_.error(node, fmt::format("{} cannot be negative", what));
    return static_cast<std::int64_t>(value);
  }

  // Members not given keep the value of `base` (the manifest's defaults).
  Expected<Tolerance> tolerance(const YamlNode& node, Tolerance base) {
    MRV_TRY(r_.expect_map(node, {"absolute", "relative", "credited"}, "tolerance"));
    if (const YamlNode* n = node.find("absolute"))
      base.absolute = MRV_TRY(non_negative(*n, "absolute tolerance"));
    if (const YamlNode* n = node.find("relative"))
      base.relative = MRV_TRY(non_negative(*n, "relative tolerance"));
    if (const YamlNode* n = node.find("credited"))
      base.credited = MRV_TRY(whole_tonnes(*n, "credited tolerance"));
    return base;
  }

  Expected<ManifestProject> project(const YamlNode& item, const Tolerance& defaults,
                                    const Manifest& manifest) {
    MRV_TRY(r_.expect_map(item, {"id", "project", "data", "tolerance", "allocation", "claims"},
                          "a manifest project"));
    ManifestProject entry;
    entry.location = doc_.location(item);
    entry.tolerance = defaults;
    const YamlNode* id = MRV_TRY(r_.required(item, "id", "a manifest project"));
    entry.id = MRV_TRY(r_.string(*id, "id"));
    if (entry.id.empty()) return r_.error(*id, "id cannot be empty");
    for (const ManifestProject& other : manifest.projects)
      if (other.id == entry.id)
        return r_.error(*id, fmt::format("project '{}' is listed twice (first on line {})",
                                         entry.id, other.location.line));
    const YamlNode* file = MRV_TRY(r_.required(item, "project", "a manifest project"));
    entry.project_file = resolve(MRV_TRY(r_.string(*file, "project")));
    if (const YamlNode* n = item.find("data")) entry.data_files = MRV_TRY(data(*n));
    if (const YamlNode* n = item.find("tolerance"))
      entry.tolerance = MRV_TRY(tolerance(*n, defaults));
    if (const YamlNode* n = item.find("allocation")) entry.allocation = MRV_TRY(allocation(*n));
    const YamlNode* claims = MRV_TRY(r_.required(item, "claims", "a manifest project"));
    if (!claims->is_sequence() || claims->items.empty())
      return r_.error(*claims, "claims must be a non-empty list");
    for (const YamlNode& c : claims->items) {
      Claim made = MRV_TRY(claim(c));
      for (const Claim& other : entry.claims)
        if (other.period == made.period)
          return r_.error(*c.find("period"),
                          fmt::format("period '{}' is claimed twice (first on line {})",
                                      made.period, other.location.line));
      entry.claims.push_back(std::move(made));
    }
    return entry;
  }

  // As the DATA arguments of `mrv calc`; PATH of ID=PATH is resolved too.
  Expected<std::vector<std::string>> data(const YamlNode& node) {
    std::vector<std::string> out;
    const std::vector<const YamlNode*> items =
        node.is_sequence() ? pointers(node.items) : std::vector{&node};
    for (const YamlNode* item : items) {
      const std::string text = MRV_TRY(r_.string(*item, "data"));
      const std::size_t eq = text.find('=');
      const std::string path = eq != std::string::npos && eq > 0 ? text.substr(eq + 1) : text;
      if (path == "-") return r_.error(*item, "data cannot be standard input ('-') in a manifest");
      if (path.empty()) return r_.error(*item, "data cannot be an empty path");
      out.push_back(eq != std::string::npos && eq > 0 ? text.substr(0, eq + 1) + resolve(path)
                                                      : resolve(path));
    }
    return out;
  }

  static std::vector<const YamlNode*> pointers(const std::vector<YamlNode>& nodes) {
    std::vector<const YamlNode*> out;
    for (const YamlNode& n : nodes)
      out.push_back(&n);
    return out;
  }

  Expected<Claim> claim(const YamlNode& node) {
    MRV_TRY(r_.expect_map(node, {"period", "RE", "PE", "ER", "credited", "allocation"}, "a claim"));
    Claim c;
    c.location = doc_.location(node);
    c.period = MRV_TRY(r_.string(*MRV_TRY(r_.required(node, "period", "a claim")), "period"));
    if (const YamlNode* n = node.find("RE")) c.reference = MRV_TRY(r_.number(*n, "RE"));
    if (const YamlNode* n = node.find("PE")) c.project = MRV_TRY(r_.number(*n, "PE"));
    if (const YamlNode* n = node.find("ER")) c.reductions = MRV_TRY(r_.number(*n, "ER"));
    if (const YamlNode* n = node.find("credited"))
      c.credited = MRV_TRY(whole_tonnes(*n, "credited"));
    if (const YamlNode* n = node.find("allocation")) {
      if (!n->is_map() || n->entries.empty())
        return r_.error(*n, "allocation must map each party to its whole tCO2");
      for (const auto& [party, credits] : n->entries)
        c.allocation.emplace_back(
            party.value,
            MRV_TRY(whole_tonnes(credits, fmt::format("the allocation of '{}'", party.value))));
    }
    if (!c.reference && !c.project && !c.reductions && !c.credited && c.allocation.empty())
      return r_.error(node, "a claim must give at least one of RE, PE, ER, credited, allocation");
    return c;
  }

  // The options of `mrv allocate`, with its defaults.
  Expected<AllocationRequest> allocation(const YamlNode& node) {
    MRV_TRY(r_.expect_map(
        node, {"scheme", "parties", "remainder", "subsidy", "eligible_cost", "fgas_reading"},
        "allocation terms"));
    AllocationRequest request;
    const YamlNode* scheme = node.find("scheme");
    const std::string name =
        scheme ? MRV_TRY(r_.string(*scheme, "scheme")) : std::string(default_scheme);
    Expected<SchemeRule> rule = find_scheme_rule(name);
    if (!rule && rule.error().code == ExitCode::usage) {
      Diagnostic d = r_.error(scheme ? *scheme : node, rule.error().message);
      d.notes = rule.error().notes;
      return d;
    }
    request.scheme = MRV_TRY(std::move(rule));
    if (const YamlNode* n = node.find("parties")) {
      if (!n->is_sequence()) return r_.error(*n, "parties must be a list of NAME=SHARE");
      for (const YamlNode& item : n->items)
        request.parties.push_back(MRV_TRY(read_party(r_, item)));
    }
    if (const YamlNode* n = node.find("remainder"))
      request.remainder = MRV_TRY(r_.string(*n, "remainder"));
    if (const YamlNode* n = node.find("subsidy"))
      request.subsidy = MRV_TRY(non_negative(*n, "subsidy"));
    if (const YamlNode* n = node.find("eligible_cost"))
      request.eligible_cost = MRV_TRY(non_negative(*n, "eligible_cost"));
    if (const YamlNode* n = node.find("fgas_reading")) {
      const std::optional<FgasReading> reading =
          parse_fgas_reading(MRV_TRY(r_.string(*n, "fgas_reading")));
      if (!reading) return r_.error(*n, "fgas_reading must be 'net' or 'total'");
      request.fgas_reading = *reading;
    }
    return request;
  }
};

} // namespace

Expected<Manifest> load_manifest(std::string text, std::string file) {
  std::string digest = detail::sha256_hex(text);
  YamlDocument doc = MRV_TRY(detail::parse_mrv_yaml(std::move(text), file, "verify/1",
                                                    "a verify manifest", manifest_limits()));
  Manifest manifest;
  manifest.file = file;
  manifest.sha256 = std::move(digest);
  const std::string base = std::filesystem::path(file).parent_path().string();
  ManifestLoader loader(doc, base.empty() ? "." : base);
  MRV_TRY(loader.load(manifest));
  return manifest;
}

Expected<Manifest> load_manifest_file(const std::string& path) {
  std::string text = MRV_TRY(detail::read_text_file(path, manifest_limits().max_bytes));
  return load_manifest(std::move(text), path);
}

} // namespace mrv
