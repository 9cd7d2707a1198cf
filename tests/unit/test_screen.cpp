#include "mrv/screen.hpp"

#include <doctest/doctest.h>

#include <string>
#include <tuple>

using namespace mrv;

namespace {

const char* model_project = R"(mrv: scheme/1
id: model-project-FY2020
programme: model-project
title: test
fiscal_year: 2020
source: {document: test, confirmed: false}
allocation: {minimum_share: 0.5, status: seed, statement: s, source: {document: t, confirmed: false}}
thresholds:
  subsidy_rate_cap:
    unit: "%"
    tiers:
      - {from: 0, to: 0, value: 50}
      - {from: 1, to: 3, value: 40}
      - {from: 4, value: 30}
    confirmed: false
    source: {document: jcm.md, section: "§3", confirmed: false}
  cost_effectiveness_max:
    value: 4000
    unit: JPY/tCO2
    confirmed: false
    source: {document: jcm.md, confirmed: false}
  payback_min: {value: 3, confirmed: false, source: {document: jcm.md, confirmed: false}}
  pv_module_efficiency_min: {value: 20, confirmed: false, source: {document: jcm.md, confirmed: false}}
  fossil_fuel_switch_power_only: {confirmed: false, source: {document: jcm.md, confirmed: false}}
  decarbonisation_plan: {confirmed: false, source: {document: jcm.md, confirmed: false}}
)";

const ScreenCheck& find(const std::vector<ScreenCheck>& checks, const std::string& id) {
  for (const ScreenCheck& c : checks)
    if (c.id == id) return c;
  FAIL("no check " << id);
  return checks.front();
}

Scheme scheme(const char* text) {
  Expected<Scheme> s = load_scheme(text, "scheme.yaml");
  REQUIRE_MESSAGE(s.has_value(), (s ? "" : format_diagnostic(s.error())));
  return *s;
}

} // namespace

TEST_SUITE("screen") {
  TEST_CASE("subsidy rate tiers") {
    const Scheme s = scheme(model_project);
    Financing f;
    f.initial_investment = 1000;
    f.subsidy_requested = 450;
    for (auto [similar, cap, status] :
         {std::tuple{0, 50.0, CheckStatus::pass}, std::tuple{1, 40.0, CheckStatus::fail},
          std::tuple{3, 40.0, CheckStatus::fail}, std::tuple{4, 30.0, CheckStatus::fail}}) {
      f.similar_projects_in_country = similar;
      const ScreenCheck c = find(screen_checks(s, f, {}, "solar-pv"), "subsidy_rate");
      CHECK(*c.value == doctest::Approx(45));
      CHECK(*c.threshold == cap);
      CHECK(c.status == status);
    }
    f.subsidy_requested = 400; // exactly at the 40% cap
    f.similar_projects_in_country = 2;
    CHECK(find(screen_checks(s, f, {}, ""), "subsidy_rate").status == CheckStatus::pass);
  }

  TEST_CASE("cost-effectiveness and payback") {
    const Scheme s = scheme(model_project);
    Financing f;
    f.initial_investment = 2e9;
    f.subsidy_requested = 7e8;
    f.annual_savings = 2.5e8;
    f.legal_useful_life = 17;
    const AnnualEstimate annual{11163, 0, 11163};
    auto checks = screen_checks(s, f, annual, "solar-pv");
    const ScreenCheck& ce = find(checks, "cost_effectiveness");
    CHECK(*ce.value == doctest::Approx(7e8 / (11163.0 * 17)));
    CHECK(ce.status == CheckStatus::pass);
    CHECK(*find(checks, "payback_without_subsidy").value == doctest::Approx(8));
    CHECK(find(checks, "payback_without_subsidy").status == CheckStatus::info);
    CHECK(*find(checks, "payback_with_subsidy").value == doctest::Approx(5.2));
    CHECK(find(checks, "payback_with_subsidy").status == CheckStatus::pass);
    f.subsidy_requested = 8e8; // 4,215.6 JPY/tCO2
    checks = screen_checks(s, f, annual, "solar-pv");
    CHECK(find(checks, "cost_effectiveness").status == CheckStatus::fail);
    f.annual_savings = 5e8; // (2e9 - 8e8) / 5e8 = 2.4 years
    checks = screen_checks(s, f, annual, "solar-pv");
    CHECK(find(checks, "payback_with_subsidy").status == CheckStatus::fail);
  }

  TEST_CASE("absent inputs are not applicable") {
    const Scheme s = scheme(model_project);
    const auto checks = screen_checks(s, Financing{}, {}, "boiler");
    CHECK(checks.size() == 7);
    for (const ScreenCheck& c : checks)
      CHECK(c.status == CheckStatus::not_applicable);
  }

  TEST_CASE("fuel switch and decarbonisation plan") {
    const Scheme s = scheme(model_project);
    Financing f;
    f.fuel_before = "coal";
    f.fuel_after = "natural_gas";
    f.power_only = true;
    f.equipment_type = "gas_cogeneration";
    auto checks = screen_checks(s, f, {}, "boiler");
    CHECK(find(checks, "fossil_fuel_switch_power_only").status == CheckStatus::fail);
    CHECK(find(checks, "decarbonisation_plan").status == CheckStatus::fail);
    f.power_only = false;
    f.decarbonisation_plan = true;
    checks = screen_checks(s, f, {}, "boiler");
    CHECK(find(checks, "fossil_fuel_switch_power_only").status == CheckStatus::pass);
    CHECK(find(checks, "decarbonisation_plan").status == CheckStatus::pass);
    f.fuel_after = "biomass";
    CHECK(find(screen_checks(s, f, {}, "boiler"), "decarbonisation_plan").status ==
          CheckStatus::not_applicable);
  }

  TEST_CASE("eco lease and f-gas caps") {
    const Scheme lease = scheme(R"(mrv: scheme/1
id: eco-lease-FY2020
programme: eco-lease
title: test
fiscal_year: 2020
source: {document: t, confirmed: true}
allocation: {minimum_share: 0.5, status: seed, statement: s, source: {document: t, confirmed: false}}
thresholds:
  lease_subsidy_share: {value: 10, confirmed: true, source: {document: t, confirmed: true}}
  lease_years_min: {value: 5, confirmed: false, source: {document: t, confirmed: false}}
)");
    Financing f;
    f.subsidy_requested = 5e7;
    f.lease_total_payments = 5e8;
    f.lease_years = 4;
    auto checks = screen_checks(lease, f, {}, "");
    CHECK(*find(checks, "lease_subsidy_share").value == doctest::Approx(10));
    CHECK(find(checks, "lease_subsidy_share").status == CheckStatus::pass);
    CHECK(find(checks, "lease_years").status == CheckStatus::fail);

    const Scheme fgas = scheme(R"(mrv: scheme/1
id: fgas-FY2022
programme: fgas
title: test
fiscal_year: 2022
source: {document: t, confirmed: true}
allocation: {minimum_share: 0.5, status: seed, statement: s, source: {document: t, confirmed: false}}
thresholds:
  fixed_subsidy_cap:
    tiers: [{from: 2018, to: 2020, value: 40000000}, {from: 2022, value: 60000000}]
    confirmed: true
    source: {document: t, confirmed: true}
)");
    Financing g;
    g.subsidy_requested = 5e7;
    CHECK(find(screen_checks(fgas, g, {}, ""), "fixed_subsidy_cap").status == CheckStatus::pass);
    g.fiscal_year = 2019;
    CHECK(find(screen_checks(fgas, g, {}, ""), "fixed_subsidy_cap").status == CheckStatus::fail);
    g.fiscal_year = 2021;
    CHECK(find(screen_checks(fgas, g, {}, ""), "fixed_subsidy_cap").status ==
          CheckStatus::not_applicable);
  }

  TEST_CASE("financing section") {
    Expected<Financing> f = parse_financing(R"(mrv: project/1
financing:
  scheme: model-project-FY2020
  initial_investment: 1000
  lease: {total_payments: 10, years: 5}
  annual_estimates:
    PV-A: {EG_i_p: "12000 MWh"}
)",
                                            "p.yaml");
    REQUIRE(f);
    CHECK(f->scheme == "model-project-FY2020");
    CHECK(*f->initial_investment == 1000);
    CHECK(*f->lease_years == 5);
    REQUIRE(f->annual_estimates.size() == 1);
    CHECK(f->annual_estimates[0].values[0].text == "12000 MWh");

    Expected<Financing> bad =
        parse_financing("mrv: project/1\nfinancing:\n  subsidy: 1\n", "p.yaml");
    REQUIRE(!bad);
    CHECK(bad.error().where.line == 3);
    CHECK(!parse_financing("mrv: project/1\n", "p.yaml"));
  }

  TEST_CASE("a statutory useful lives table: types, other names, provenance") {
    Expected<UsefulLifeTable> t = load_useful_lives(R"(mrv: useful-lives/1
id: lives
source: {document: ordinance, confirmed: false}
equipment:
  solar_pv:
    years: 17
    classification: table 2, 31
    confirmed: false
    source: {document: nta, section: "3", confirmed: false}
  boiler:
    years: 15
    classification: table 1
    also: [steam_boiler]
    confirmed: false
    source: {document: accountant, confirmed: false}
)",
                                                    "lives.yaml");
    REQUIRE(t);
    REQUIRE(t->find("solar_pv"));
    CHECK(t->find("solar_pv")->years == 17);
    CHECK(t->find("steam_boiler") == t->find("boiler"));
    CHECK_FALSE(t->find("chiller"));
    CHECK(t->types() == std::vector<std::string>{"solar_pv", "boiler", "steam_boiler"});
  }

  TEST_CASE("a useful lives table refuses a type listed twice and a life that is not whole") {
    const auto error = [](const char* equipment) {
      Expected<UsefulLifeTable> t =
          load_useful_lives(std::string("mrv: useful-lives/1\nid: x\nsource: {document: d, "
                                        "confirmed: false}\nequipment:\n") +
                                equipment,
                            "lives.yaml");
      REQUIRE_FALSE(t);
      return format_diagnostic(t.error()).substr(0, format_diagnostic(t.error()).find('\n'));
    };
    CHECK(error("  a: {years: 5, classification: c, confirmed: false, source: {document: d, "
                "confirmed: false}}\n"
                "  b: {years: 5, classification: c, also: [a], confirmed: false, source: "
                "{document: d, confirmed: false}}\n") ==
          "mrv: lives.yaml:6:3: error: equipment type 'a' is listed twice");
    CHECK(error("  a: {years: 7.5, classification: c, confirmed: false, source: {document: d, "
                "confirmed: false}}\n") ==
          "mrv: lives.yaml:5:14: error: years must be a whole number of years, more than 0");
    CHECK(error("  a: {years: 5, classification: c, confirmed: false}\n") ==
          "mrv: lives.yaml:5:6: error: a useful life is missing 'source'");
  }

  TEST_CASE("the bundled useful lives: every value unconfirmed, with its source") {
    Expected<UsefulLifeTable> t = bundled_useful_lives();
    REQUIRE_MESSAGE(t.has_value(), (t ? std::string() : format_diagnostic(t.error())));
    REQUIRE(t->find("solar_pv"));
    CHECK(t->find("solar_pv")->years == 17);
    CHECK(t->find("boiler")->years == 15);
    for (const UsefulLife& life : t->entries) {
      CHECK_MESSAGE(!life.confirmed, life.type);
      CHECK_FALSE(life.source.document.empty());
      CHECK_FALSE(life.classification.empty());
    }
  }

  TEST_CASE("without a legal useful life, the equipment type's statutory life is used") {
    const Scheme s = scheme(model_project);
    Expected<UsefulLifeTable> lives = bundled_useful_lives();
    REQUIRE(lives);
    Financing f;
    f.subsidy_requested = 700000000;
    f.equipment_type = "solar_pv";
    const std::optional<AnnualEstimate> annual = AnnualEstimate{11163, 0, 11163};
    auto checks = screen_checks(s, f, annual, "solar-pv", &*lives);
    const ScreenCheck& life = find(checks, "legal_useful_life");
    CHECK(life.status == CheckStatus::info);
    CHECK(life.value == 17);
    CHECK_FALSE(life.confirmed);
    CHECK(life.note.find("not given by the project") != std::string::npos);
    CHECK(*find(checks, "cost_effectiveness").value == doctest::Approx(700000000.0 / (11163 * 17)));
    // The row sits just before the check that uses it.
    for (std::size_t i = 0; i < checks.size(); ++i)
      if (checks[i].id == "legal_useful_life") CHECK(checks[i + 1].id == "cost_effectiveness");

    f.legal_useful_life = 20; // the project's own life wins, and needs no row
    checks = screen_checks(s, f, annual, "solar-pv", &*lives);
    CHECK(*find(checks, "cost_effectiveness").value == doctest::Approx(700000000.0 / (11163 * 20)));
    for (const ScreenCheck& c : checks)
      CHECK(c.id != "legal_useful_life");

    f.legal_useful_life.reset();
    f.equipment_type = "solar-pv";
    checks = screen_checks(s, f, annual, "solar-pv", &*lives);
    const ScreenCheck& missing = find(checks, "cost_effectiveness");
    CHECK(missing.status == CheckStatus::not_applicable);
    CHECK(missing.note.find("equipment type 'solar-pv' is not in the statutory useful lives "
                            "table (did you mean 'solar_pv'?)") != std::string::npos);
  }
}
