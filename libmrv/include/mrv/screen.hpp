// Subsidy screening at proposal stage: a financing scheme's thresholds (one
// file per programme and fiscal year, mrv/scheme.hpp, docs/schemes.md), the
// project file's `financing:` section, the ex-ante annual ER computed by the
// same engine as the embedded examples, and one check per threshold.
// Formats: docs/screen.md.
#pragma once

#include "mrv/diagnostic.hpp"
#include "mrv/methodology.hpp"
#include "mrv/project.hpp"
#include "mrv/scheme.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrv {

// Japanese statutory useful lives (法定耐用年数) by equipment type: what the
// cost-effectiveness check uses when a project gives its equipment type but
// not its life (methodologies/schemes/useful-lives-JP.yaml, format
// useful-lives/1 in docs/screen.md).
struct UsefulLife {
  std::string type;              // as financing.equipment.type writes it: solar_pv
  std::vector<std::string> also; // other type names for the same entry
  double years = 0;
  std::string classification; // where the ordinance lists it
  bool confirmed = false;     // read in the official table
  std::string note;
  Provenance source;
  Location location;
};

struct UsefulLifeTable {
  std::string id, title;
  Provenance source;
  std::vector<UsefulLife> entries;
  std::string file;
  const UsefulLife* find(std::string_view type) const;
  std::vector<std::string> types() const; // every name, for a did-you-mean
};

Expected<UsefulLifeTable> load_useful_lives(std::string text, std::string file);
// <methodology_directory()>/schemes/useful-lives-JP.yaml
Expected<UsefulLifeTable> bundled_useful_lives();

// Ex-ante annual totals of the monitored parameters of one unit.
struct UnitEstimate {
  std::string unit;
  std::vector<ValueInput> values;
  Location location;
};

// The project file's `financing:` section. Absent inputs stay empty.
struct Financing {
  std::string scheme;
  Location scheme_location;
  std::optional<int> fiscal_year;
  std::optional<double> initial_investment; // JPY
  std::optional<double> subsidy_requested;  // JPY
  std::optional<double> annual_savings;     // JPY per year
  std::string equipment_type;
  std::optional<double> legal_useful_life; // years
  std::optional<int> similar_projects_in_country;
  std::optional<double> lease_total_payments; // JPY
  std::optional<double> lease_years;
  std::optional<double> pv_module_efficiency; // percent
  std::string fuel_before, fuel_after;
  std::optional<bool> power_only;
  std::optional<bool> decarbonisation_plan;
  std::vector<UnitEstimate> annual_estimates;
  Location location;
};

// Re-reads project.file and parses its `financing:` map; a project without
// one is an error (exit 65).
Expected<Financing> load_financing(const Project& project);
Expected<Financing> parse_financing(std::string text, std::string file);

// Annual RE, PE and ER in tCO2 per year.
struct AnnualEstimate {
  double reference = 0, project = 0, reductions = 0;
};
// Runs the methodology over the annual estimates as period totals (the path
// of embedded examples). Nothing when the financing gives no estimates.
Expected<std::optional<AnnualEstimate>>
estimate_annual(const Methodology& methodology, const Project& project, const Financing& financing);

bool is_fossil_fuel(std::string_view fuel);

enum class CheckStatus { pass, fail, not_applicable, info };
const char* check_status_name(CheckStatus status);

struct ScreenCheck {
  std::string id;
  std::optional<double> value;
  std::string unit;
  std::optional<double> threshold;
  std::string comparison; // "<=", ">=", "==" or ""
  CheckStatus status = CheckStatus::not_applicable;
  std::string source;
  bool confirmed = false;
  std::string note;
};

struct ScreenResult {
  std::string project, methodology, scheme, scheme_file;
  std::optional<AnnualEstimate> annual;
  std::vector<ScreenCheck> checks;
  bool passed() const;
};

// The checks of `scheme` against `financing`. `family` is the methodology's.
// Without financing.equipment.legal_useful_life, the life of the equipment
// type is taken from `lives` (when given), shown as an info row
// `legal_useful_life` before the cost-effectiveness check.
std::vector<ScreenCheck> screen_checks(const Scheme& scheme, const Financing& financing,
                                       const std::optional<AnnualEstimate>& annual,
                                       std::string_view family,
                                       const UsefulLifeTable* lives = nullptr);

} // namespace mrv
