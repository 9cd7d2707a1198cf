// Screening inputs besides the scheme file (model/scheme_loader.cpp): the
// statutory useful lives, the project file's `financing:` section, and the
// ex-ante annual ER. Format: docs/screen.md.
#include "base/try.hpp"
#include "data/yaml_tree.hpp"
#include "engine/engine.hpp"
#include "model/compiled_methodology.hpp"
#include "model/provenance_yaml.hpp"
#include "model/yaml_fields.hpp"
#include "mrv/screen.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace mrv {
namespace {

using detail::optional_number;
using detail::optional_text;
using detail::YamlDocument;
using detail::YamlNode;
using detail::YamlReader;

constexpr std::size_t max_file_bytes = 4 << 20;

Expected<ValueInput> value_input(const YamlDocument& doc, const YamlReader& r, const YamlNode& key,
                                 const YamlNode& value) {
  if (!value.is_scalar())
    return r.error(value,
                   "a value must be a number, a number with a unit (\"12000 MWh\") or a key");
  return ValueInput{key.value,           value.value,       value.quoted,
                    doc.location(value), doc.location(key), doc.line_text(value.line)};
}

} // namespace

const UsefulLife* UsefulLifeTable::find(std::string_view type) const {
  for (const UsefulLife& entry : entries) {
    if (entry.type == type) return &entry;
    for (const std::string& name : entry.also)
      if (name == type) return &entry;
  }
  return nullptr;
}

std::vector<std::string> UsefulLifeTable::types() const {
  std::vector<std::string> out;
  for (const UsefulLife& entry : entries) {
    out.push_back(entry.type);
    out.insert(out.end(), entry.also.begin(), entry.also.end());
  }
  return out;
}

Expected<UsefulLifeTable> load_useful_lives(std::string text, std::string file) {
  const YamlDocument doc = MRV_TRY(detail::parse_yaml(std::move(text), file));
  const YamlReader r(doc);
  const YamlNode& root = doc.root;
  MRV_TRY(
      r.expect_map(root, {"mrv", "id", "title", "source", "equipment"}, "a useful-lives table"));
  const YamlNode* format = MRV_TRY(r.required(root, "mrv", "a useful-lives table"));
  if (MRV_TRY(r.string(*format, "mrv")) != "useful-lives/1")
    return r.error(*format, "unsupported format: expected 'mrv: useful-lives/1'");
  UsefulLifeTable table;
  table.file = file;
  table.id = MRV_TRY(r.string(*MRV_TRY(r.required(root, "id", "a useful-lives table")), "id"));
  table.title = MRV_TRY(optional_text(r, root, "title"));
  table.source = MRV_TRY(
      detail::read_provenance(r, *MRV_TRY(r.required(root, "source", "a useful-lives table"))));
  const YamlNode* equipment = MRV_TRY(r.required(root, "equipment", "a useful-lives table"));
  if (!equipment->is_map() || equipment->entries.empty())
    return r.error(*equipment, "equipment must map equipment types to their useful lives");
  for (const auto& [key, node] : equipment->entries) {
    MRV_TRY(r.expect_map(node, {"years", "classification", "also", "confirmed", "note", "source"},
                         "a useful life"));
    UsefulLife life;
    life.type = key.value;
    life.location = doc.location(key);
    if (const YamlNode* n = node.find("also")) life.also = MRV_TRY(r.string_list(*n, "also"));
    std::vector<std::string> names = {life.type};
    names.insert(names.end(), life.also.begin(), life.also.end());
    for (auto name = names.begin(); name != names.end(); ++name)
      if (table.find(*name) || std::find(names.begin(), name, *name) != name)
        return r.error(key, fmt::format("equipment type '{}' is listed twice", *name));
    const YamlNode* years = MRV_TRY(r.required(node, "years", "a useful life"));
    life.years = MRV_TRY(r.number(*years, "years"));
    if (!(life.years > 0) || std::floor(life.years) != life.years)
      return r.error(*years, "years must be a whole number of years, more than 0");
    life.classification = MRV_TRY(
        r.string(*MRV_TRY(r.required(node, "classification", "a useful life")), "classification"));
    life.confirmed =
        MRV_TRY(r.boolean(*MRV_TRY(r.required(node, "confirmed", "a useful life")), "confirmed"));
    life.note = MRV_TRY(optional_text(r, node, "note"));
    life.source =
        MRV_TRY(detail::read_provenance(r, *MRV_TRY(r.required(node, "source", "a useful life"))));
    table.entries.push_back(std::move(life));
  }
  return table;
}

Expected<UsefulLifeTable> bundled_useful_lives() {
  const std::string path =
      (std::filesystem::path(methodology_directory()) / "schemes" / "useful-lives-JP.yaml")
          .string();
  std::string text = MRV_TRY(detail::read_text_file(path, max_file_bytes));
  return load_useful_lives(std::move(text), path);
}

namespace {

// equipment: {type, legal_useful_life}
Status read_equipment(const YamlReader& r, const YamlNode& n, Financing& f) {
  MRV_TRY(r.expect_map(n, {"type", "legal_useful_life"}, "equipment"));
  f.equipment_type = MRV_TRY(optional_text(r, n, "type"));
  f.legal_useful_life = MRV_TRY(optional_number(r, n, "legal_useful_life"));
  if (f.legal_useful_life && !(*f.legal_useful_life > 0))
    return r.error(*n.find("legal_useful_life"), "legal_useful_life must be positive");
  return Ok{};
}

// The year and the money of the proposal.
Status read_money(const YamlReader& r, const YamlNode& node, Financing& f) {
  if (auto year = MRV_TRY(optional_number(r, node, "fiscal_year")))
    f.fiscal_year = static_cast<int>(*year);
  f.initial_investment = MRV_TRY(optional_number(r, node, "initial_investment"));
  f.subsidy_requested = MRV_TRY(optional_number(r, node, "subsidy_requested"));
  f.annual_savings = MRV_TRY(optional_number(r, node, "annual_savings"));
  return Ok{};
}

// The similar projects, the lease and the PV modules.
Status read_counts(const YamlReader& r, const YamlNode& node, Financing& f) {
  if (auto similar = MRV_TRY(optional_number(r, node, "similar_projects_in_country"))) {
    if (*similar < 0 || std::floor(*similar) != *similar)
      return r.error(*node.find("similar_projects_in_country"),
                     "similar_projects_in_country must be a whole number >= 0");
    f.similar_projects_in_country = static_cast<int>(*similar);
  }
  if (const YamlNode* n = node.find("lease")) {
    MRV_TRY(r.expect_map(*n, {"total_payments", "years"}, "lease"));
    f.lease_total_payments = MRV_TRY(optional_number(r, *n, "total_payments"));
    f.lease_years = MRV_TRY(optional_number(r, *n, "years"));
  }
  f.pv_module_efficiency = MRV_TRY(optional_number(r, node, "pv_module_efficiency"));
  return Ok{};
}

Status no_negative_money(const YamlReader& r, const YamlNode& node) {
  for (const char* money : {"initial_investment", "subsidy_requested", "annual_savings"})
    if (const YamlNode* n = node.find(money); n && MRV_TRY(r.number(*n, money)) < 0)
      return r.error(*n, fmt::format("{} must not be negative", money));
  return Ok{};
}

// The fuels and the conditions of the eligibility rules.
Status read_conditions(const YamlReader& r, const YamlNode& node, Financing& f) {
  f.fuel_before = MRV_TRY(optional_text(r, node, "fuel_before"));
  f.fuel_after = MRV_TRY(optional_text(r, node, "fuel_after"));
  if (const YamlNode* n = node.find("power_only"))
    f.power_only = MRV_TRY(r.boolean(*n, "power_only"));
  if (const YamlNode* n = node.find("decarbonisation_plan"))
    f.decarbonisation_plan = MRV_TRY(r.boolean(*n, "decarbonisation_plan"));
  return Ok{};
}

// annual_estimates: {UNIT: {PARAMETER: "12000 MWh"}}
Status read_estimates(const YamlDocument& doc, const YamlReader& r, const YamlNode& n,
                      Financing& f) {
  if (!n.is_map()) return r.error(n, "annual_estimates must be a map of unit ids");
  for (const auto& [key, value] : n.entries) {
    if (!value.is_map())
      return r.error(value, fmt::format("annual_estimates of '{}' must be a map of monitored "
                                        "parameters to annual totals",
                                        key.value));
    UnitEstimate u;
    u.unit = key.value;
    u.location = doc.location(key);
    for (const auto& [pkey, pvalue] : value.entries)
      u.values.push_back(MRV_TRY(value_input(doc, r, pkey, pvalue)));
    f.annual_estimates.push_back(std::move(u));
  }
  return Ok{};
}

} // namespace

Expected<Financing> parse_financing(std::string text, std::string file) {
  const YamlDocument doc = MRV_TRY(detail::parse_yaml(std::move(text), file));
  const YamlReader r(doc);
  const YamlNode* node = doc.root.is_map() ? doc.root.find("financing") : nullptr;
  if (!node)
    return error_at(Location{file, 0, 0},
                    "the project has no financing section: add `financing:` with the scheme "
                    "and the proposal's figures (docs/screen.md)");
  MRV_TRY(r.expect_map(*node,
                       {"scheme", "fiscal_year", "initial_investment", "subsidy_requested",
                        "annual_savings", "equipment", "similar_projects_in_country", "lease",
                        "pv_module_efficiency", "fuel_before", "fuel_after", "power_only",
                        "decarbonisation_plan", "annual_estimates"},
                       "the financing section"));
  Financing f;
  f.location = doc.location(*node);
  if (const YamlNode* n = node->find("scheme")) {
    f.scheme = MRV_TRY(r.string(*n, "scheme"));
    f.scheme_location = doc.location(*n);
  }
  // One step after another, so that the first error found is reported.
  MRV_TRY(read_money(r, *node, f));
  if (const YamlNode* n = node->find("equipment")) MRV_TRY(read_equipment(r, *n, f));
  MRV_TRY(read_counts(r, *node, f));
  MRV_TRY(read_conditions(r, *node, f));
  MRV_TRY(no_negative_money(r, *node));
  if (const YamlNode* n = node->find("annual_estimates")) MRV_TRY(read_estimates(doc, r, *n, f));
  return f;
}

Expected<Financing> load_financing(const Project& project) {
  std::string text = MRV_TRY(detail::read_text_file(project.file, max_file_bytes));
  return parse_financing(std::move(text), project.file);
}

namespace {

// Each unit's ex-ante values with its annual totals, and the project's with
// the site's, as an embedded example gives them.
struct EstimateValues {
  std::vector<ValueInput> project;
  std::vector<std::vector<ValueInput>> units; // in the project's order
};

Status add_site_estimate(const Methodology& m, const UnitEstimate& e, EstimateValues& out) {
  for (const ValueInput& v : e.values) {
    const Parameter* p = m.parameter(v.parameter);
    if (!p || !is_site_value(*p))
      return error_at(v.key_location,
                      fmt::format("annual_estimates: '{}' is not a site value of {}", v.parameter,
                                  m.full_id()));
  }
  out.project.insert(out.project.end(), e.values.begin(), e.values.end());
  return Ok{};
}

Status add_unit_estimate(const Methodology& m, const Project& project, const UnitEstimate& e,
                         EstimateValues& out) {
  auto it = std::find_if(project.units.begin(), project.units.end(),
                         [&](const ProjectUnit& u) { return u.id == e.unit; });
  if (it == project.units.end()) {
    Diagnostic d =
        error_at(e.location, fmt::format("annual_estimates: no unit '{}' in the project", e.unit));
    std::vector<std::string> ids;
    for (const ProjectUnit& u : project.units)
      ids.push_back(u.id);
    if (std::string close = closest_match(e.unit, ids); !close.empty())
      d.notes.push_back(fmt::format("did you mean '{}'?", close));
    return d;
  }
  for (const ValueInput& v : e.values) {
    const Parameter* p = m.parameter(v.parameter);
    if (!p || p->kind != ParameterKind::monitored)
      return error_at(v.key_location,
                      fmt::format("annual_estimates: '{}' is not a monitored parameter of {}",
                                  v.parameter, m.full_id()));
  }
  auto& values = out.units[static_cast<std::size_t>(it - project.units.begin())];
  values.insert(values.end(), e.values.begin(), e.values.end());
  return Ok{};
}

Expected<EstimateValues> estimate_values(const Methodology& m, const Project& project,
                                         const Financing& financing) {
  EstimateValues out;
  out.project = project.values;
  for (const ProjectUnit& u : project.units)
    out.units.push_back(u.values);
  for (const UnitEstimate& e : financing.annual_estimates)
    MRV_TRY(e.unit == site_label ? add_site_estimate(m, e, out)
                                 : add_unit_estimate(m, project, e, out));
  return out;
}

Diagnostic missing_total(const Methodology& m, const Project& project, const Financing& financing,
                         const detail::MissingTotal& missing) {
  const Parameter& p = m.parameters[missing.parameter];
  return error_at(
      financing.location,
      missing.unit == std::string::npos
          ? fmt::format("annual_estimates: the site does not give '{}' (its annual "
                        "{}; an entry with unit: \"{}\")",
                        p.id, aggregate_name(p.aggregate), site_label)
          : fmt::format("annual_estimates: unit '{}' does not give '{}' (its annual {})",
                        project.units[missing.unit].id, p.id, aggregate_name(p.aggregate)));
}

} // namespace

Expected<std::optional<AnnualEstimate>>
estimate_annual(const Methodology& m, const Project& project, const Financing& financing) {
  using namespace detail;
  if (financing.annual_estimates.empty()) return std::optional<AnnualEstimate>();
  EstimateValues given = MRV_TRY(estimate_values(m, project, financing));
  std::vector<UnitValues> units;
  for (std::size_t u = 0; u < project.units.size(); ++u)
    units.push_back({project.units[u].id, project.units[u].location, &given.units[u]});
  const BoundValues bound = MRV_TRY(bind_values(m, given.project, units, true, financing.location));
  std::optional<MissingTotal> missing;
  SliceValues in = inputs_from_totals(m, bound, missing);
  if (missing) return missing_total(m, project, financing, *missing);
  std::vector<int> all_units(bound.unit_count);
  for (std::size_t u = 0; u < bound.unit_count; ++u)
    all_units[u] = static_cast<int>(u);
  const SliceValues values =
      MRV_TRY(evaluate_slice(m, bound, std::move(in), all_units, "annual estimate"));
  static const Unit tonnes = *parse_unit("tCO2");
  const auto output = [&](int parameter) {
    const auto index = static_cast<std::size_t>(parameter);
    return parameter_value(m, bound, values, index, -1) *
           conversion_factor(m.parameters[index].unit, tonnes);
  };
  const CompiledMethodology& c = *m.compiled;
  return std::optional<AnnualEstimate>(AnnualEstimate{output(c.reference_parameter),
                                                      output(c.project_emissions_parameter),
                                                      output(c.reductions_parameter)});
}

} // namespace mrv
