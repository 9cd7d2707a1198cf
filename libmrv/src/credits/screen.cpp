// Subsidy screening: one check per threshold of the scheme (rendered by
// render/render_screen.cpp). The meaning of each check: docs/screen.md.
#include "mrv/screen.hpp"

#include "mrv/calc.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdlib>

namespace mrv {
namespace {

std::string source_text(const Threshold& t) {
  std::string out = t.source.document;
  if (!t.source.section.empty()) out += " " + t.source.section;
  return out;
}

ScreenCheck base(const Threshold& t, std::string id, std::string unit) {
  ScreenCheck c;
  c.id = std::move(id);
  c.unit = std::move(unit);
  c.source = source_text(t);
  c.confirmed = t.confirmed;
  c.note = t.note;
  return c;
}

void add_note(ScreenCheck& c, std::string_view text) {
  if (!c.note.empty()) c.note += "; ";
  c.note += text;
}

// value <= limit (or >=), with a relative tolerance for rounding noise.
bool at_most(double value, double limit) {
  return value <= limit + 1e-9 * std::max(1.0, std::fabs(limit));
}
bool at_least(double value, double limit) {
  return value >= limit - 1e-9 * std::max(1.0, std::fabs(limit));
}

void compare(ScreenCheck& c, double value, double limit, bool upper) {
  c.value = value;
  c.threshold = limit;
  c.comparison = upper ? "<=" : ">=";
  c.status = (upper ? at_most(value, limit) : at_least(value, limit)) ? CheckStatus::pass
                                                                      : CheckStatus::fail;
}

std::optional<double> tier_value(const Threshold& t, double x) {
  if (t.tiers.empty()) return t.value;
  for (const ThresholdTier& tier : t.tiers)
    if ((!tier.from || x >= *tier.from) && (!tier.to || x <= *tier.to)) return tier.value;
  return std::nullopt;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

} // namespace

const char* check_status_name(CheckStatus status) {
  switch (status) {
  case CheckStatus::pass:
    return "pass";
  case CheckStatus::fail:
    return "fail";
  case CheckStatus::not_applicable:
    return "not_applicable";
  case CheckStatus::info:
    return "info";
  }
  return "?";
}

bool is_fossil_fuel(std::string_view fuel) {
  static const std::array<std::string_view, 15> fossil = {
      "coal",     "lignite",     "peat",      "oil",      "crude_oil",
      "diesel",   "gas_oil",     "heavy_oil", "fuel_oil", "kerosene",
      "gasoline", "natural_gas", "lng",       "lpg",      "naphtha"};
  for (std::string_view f : fossil)
    if (fuel == f) return true;
  return false;
}

bool ScreenResult::passed() const {
  for (const ScreenCheck& c : checks)
    if (c.status == CheckStatus::fail) return false;
  return true;
}

namespace {

// The legal useful life: the project's, or the statutory life of its
// equipment type; the info row that says where a life from the table comes
// from; or why there is none.
struct LifeChoice {
  std::optional<double> years;
  std::optional<ScreenCheck> row;
  std::string missing;
};

LifeChoice legal_useful_life(const Financing& f, const UsefulLifeTable* lives) {
  LifeChoice choice;
  if (f.legal_useful_life) {
    choice.years = f.legal_useful_life;
    return choice;
  }
  if (f.equipment_type.empty() || !lives) return choice;
  const UsefulLife* life = lives->find(f.equipment_type);
  if (!life) {
    choice.missing = fmt::format("equipment type '{}' is not in the statutory useful lives table",
                                 f.equipment_type);
    if (std::string close = closest_match(f.equipment_type, lives->types()); !close.empty())
      choice.missing += fmt::format(" (did you mean '{}'?)", close);
    return choice;
  }
  choice.years = life->years;
  ScreenCheck c;
  c.id = "legal_useful_life";
  c.value = life->years;
  c.unit = "years";
  c.status = CheckStatus::info;
  c.source = life->source.document;
  if (!life->source.section.empty()) c.source += " " + life->source.section;
  c.confirmed = life->confirmed;
  c.note = fmt::format("statutory useful life of {} ({}), from {}; not given by the project",
                       f.equipment_type, life->classification, lives->id);
  choice.row = std::move(c);
  return choice;
}

} // namespace

namespace {

// What every check may read.
struct ScreenInputs {
  const Scheme& scheme;
  const Financing& f;
  const std::optional<AnnualEstimate>& annual;
  std::string_view family;
  const UsefulLifeTable* lives;
};
using Checks = std::vector<ScreenCheck>;

void subsidy_rate(const Threshold& t, const ScreenInputs& in, Checks& out) {
  const Financing& f = in.f;
  ScreenCheck c = base(t, "subsidy_rate", "%");
  if (!f.subsidy_requested || !f.initial_investment || !f.similar_projects_in_country ||
      *f.initial_investment <= 0) {
    add_note(c, "needs subsidy_requested, initial_investment and similar_projects_in_country");
  } else if (auto cap = tier_value(t, *f.similar_projects_in_country)) {
    compare(c, *f.subsidy_requested / *f.initial_investment * 100, *cap, true);
    add_note(c, fmt::format("cap for {} similar projects in the country",
                            *f.similar_projects_in_country));
  } else {
    add_note(c, "no tier for this number of similar projects");
  }
  out.push_back(c);
}

// With the statutory life's info row first when the life comes from the table.
void cost_effectiveness(const Threshold& t, const ScreenInputs& in, Checks& out) {
  const Financing& f = in.f;
  ScreenCheck c = base(t, "cost_effectiveness", "JPY/tCO2");
  const LifeChoice life = legal_useful_life(f, in.lives);
  if (life.row) out.push_back(*life.row);
  if (!f.subsidy_requested || !in.annual || !life.years) {
    add_note(c, "needs subsidy_requested, annual_estimates and equipment.legal_useful_life (or "
                "an equipment.type with a statutory useful life)");
    if (!life.missing.empty()) add_note(c, life.missing);
  } else if (in.annual->reductions <= 0) {
    c.threshold = t.value;
    c.comparison = "<=";
    c.status = CheckStatus::fail;
    add_note(c, "the annual ER is not positive");
  } else {
    compare(c, *f.subsidy_requested / (in.annual->reductions * *life.years), t.value, true);
  }
  out.push_back(c);
}

// The payback without the subsidy is shown; the one with it is checked.
void payback(const Threshold& t, const ScreenInputs& in, Checks& out) {
  const Financing& f = in.f;
  ScreenCheck without = base(t, "payback_without_subsidy", "years");
  ScreenCheck with = base(t, "payback_with_subsidy", "years");
  if (!f.initial_investment || !f.annual_savings || *f.annual_savings <= 0) {
    add_note(without, "needs initial_investment and a positive annual_savings");
    add_note(with, "needs initial_investment and a positive annual_savings");
  } else {
    without.value = *f.initial_investment / *f.annual_savings;
    without.threshold = t.value;
    without.status = CheckStatus::info;
    add_note(without, "shown only, not checked");
    if (f.subsidy_requested)
      compare(with, (*f.initial_investment - *f.subsidy_requested) / *f.annual_savings, t.value,
              false);
    else
      add_note(with, "needs subsidy_requested");
  }
  out.push_back(without);
  out.push_back(with);
}

void lease_subsidy_share(const Threshold& t, const ScreenInputs& in, Checks& out) {
  const Financing& f = in.f;
  ScreenCheck c = base(t, "lease_subsidy_share", "%");
  if (!f.subsidy_requested || !f.lease_total_payments || *f.lease_total_payments <= 0)
    add_note(c, "needs subsidy_requested and lease.total_payments");
  else
    compare(c, *f.subsidy_requested / *f.lease_total_payments * 100, t.value, true);
  out.push_back(c);
}

void lease_years(const Threshold& t, const ScreenInputs& in, Checks& out) {
  ScreenCheck c = base(t, "lease_years", "years");
  if (!in.f.lease_years)
    add_note(c, "needs lease.years");
  else
    compare(c, *in.f.lease_years, t.value, false);
  out.push_back(c);
}

// The cap of the project's fiscal year, else of the scheme's.
void fixed_subsidy_cap(const Threshold& t, const ScreenInputs& in, Checks& out) {
  ScreenCheck c = base(t, "fixed_subsidy_cap", "JPY");
  const int year = in.f.fiscal_year.value_or(in.scheme.fiscal_year);
  if (!in.f.subsidy_requested) {
    add_note(c, "needs subsidy_requested");
  } else if (auto cap = tier_value(t, year)) {
    compare(c, *in.f.subsidy_requested, *cap, true);
    add_note(c, fmt::format("cap for FY{}", year));
  } else {
    add_note(c, fmt::format("no cap is sourced for FY{}", year));
  }
  out.push_back(c);
}

void pv_module_efficiency(const Threshold& t, const ScreenInputs& in, Checks& out) {
  ScreenCheck c = base(t, "pv_module_efficiency", "%");
  if (in.family != "solar-pv")
    add_note(c, "applies to solar-pv methodologies only");
  else if (!in.f.pv_module_efficiency)
    add_note(c, "needs pv_module_efficiency");
  else
    compare(c, *in.f.pv_module_efficiency, t.value, false);
  out.push_back(c);
}

void fossil_fuel_switch(const Threshold& t, const ScreenInputs& in, Checks& out) {
  const Financing& f = in.f;
  ScreenCheck c = base(t, "fossil_fuel_switch_power_only", "");
  if (f.fuel_before.empty() || f.fuel_after.empty() || !f.power_only) {
    add_note(c, "needs fuel_before, fuel_after and power_only");
  } else {
    const bool excluded =
        *f.power_only && is_fossil_fuel(f.fuel_before) && is_fossil_fuel(f.fuel_after);
    c.status = excluded ? CheckStatus::fail : CheckStatus::pass;
    add_note(c, fmt::format("{} -> {}{}", f.fuel_before, f.fuel_after,
                            *f.power_only ? " at a power-only plant" : ""));
  }
  out.push_back(c);
}

void decarbonisation_plan(const Threshold& t, const ScreenInputs& in, Checks& out) {
  const Financing& f = in.f;
  ScreenCheck c = base(t, "decarbonisation_plan", "");
  const bool fired_equipment =
      contains(f.equipment_type, "boiler") || contains(f.equipment_type, "cogeneration");
  if (f.fuel_after.empty() || f.equipment_type.empty()) {
    add_note(c, "needs fuel_after and equipment.type");
  } else if (!is_fossil_fuel(f.fuel_after) || !fired_equipment) {
    add_note(c, "applies to fossil-fired boilers and cogeneration only");
  } else {
    c.status = f.decarbonisation_plan.value_or(false) ? CheckStatus::pass : CheckStatus::fail;
    if (!f.decarbonisation_plan) add_note(c, "decarbonisation_plan is not given");
  }
  out.push_back(c);
}

// The checks in the order they are listed, each with the threshold it needs.
struct ScreenStep {
  std::string_view threshold;
  void (*check)(const Threshold&, const ScreenInputs&, Checks&);
};
constexpr std::array<ScreenStep, 9> screen_steps = {{
    {"subsidy_rate_cap", subsidy_rate},
    {"cost_effectiveness_max", cost_effectiveness},
    {"payback_min", payback},
    {"lease_subsidy_share", lease_subsidy_share},
    {"lease_years_min", lease_years},
    {"fixed_subsidy_cap", fixed_subsidy_cap},
    {"pv_module_efficiency_min", pv_module_efficiency},
    {"fossil_fuel_switch_power_only", fossil_fuel_switch},
    {"decarbonisation_plan", decarbonisation_plan},
}};

} // namespace

std::vector<ScreenCheck> screen_checks(const Scheme& scheme, const Financing& f,
                                       const std::optional<AnnualEstimate>& annual,
                                       std::string_view family, const UsefulLifeTable* lives) {
  const ScreenInputs in{scheme, f, annual, family, lives};
  Checks out;
  for (const ScreenStep& step : screen_steps)
    if (const Threshold* t = scheme.threshold(step.threshold)) step.check(*t, in, out);
  return out;
}

} // namespace mrv
