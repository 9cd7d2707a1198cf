#include "mrv/allocate.hpp"
#include "mrv/project.hpp"
#include "mrv/render_allocate.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace mrv;

namespace {

// A bundled scheme's rule, as `--scheme NAME` finds it.
SchemeRule rule_of(const char* name) {
  Expected<SchemeRule> rule = find_scheme_rule(name);
  REQUIRE_MESSAGE(rule.has_value(), (rule ? "" : format_diagnostic(rule.error())));
  return *rule;
}

AllocationRequest request_for(std::int64_t credits, std::vector<PartyShare> parties = {},
                              const char* scheme = "model-project") {
  AllocationRequest request;
  request.credits = credits;
  request.scheme = rule_of(scheme);
  request.parties = std::move(parties);
  return request;
}

PartyShare party(const char* name, double share, ShareRounding rounding) {
  return PartyShare{name, share, rounding};
}

PartyShare party(const char* name, double share) {
  return PartyShare{name, share, default_share_rounding(name)};
}

Allocation allocated(const AllocationRequest& request) {
  Expected<Allocation> result = allocate(request);
  REQUIRE_MESSAGE(result.has_value(), (result ? "" : result.error().message));
  return *result;
}

std::int64_t credits_of(const Allocation& allocation, const std::string& name) {
  for (const PartyAllocation& p : allocation.parties)
    if (p.name == name) return p.credits;
  FAIL("no party " << name);
  return -1;
}

std::int64_t sum_of(const Allocation& allocation) {
  std::int64_t sum = 0;
  for (const PartyAllocation& p : allocation.parties)
    sum += p.credits;
  return sum;
}

std::string error_of(const AllocationRequest& request) {
  Expected<Allocation> result = allocate(request);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ExitCode::usage);
  return result.error().message;
}

std::string party_error(const char* text) {
  Expected<PartyShare> result = parse_party(text);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ExitCode::usage);
  return result.error().message;
}

// Two periods as `mrv calc --format json` writes them (only the members
// allocation reads, plus one it ignores).
const char* two_periods = R"({
  "format": "mrv.calc/1",
  "mrv_version": "0.1.0",
  "methodology": {"id": "JCM_MN_AM003", "version": "02.0"},
  "project": "MN-PV-EXAMPLE",
  "periods": [
    {"id": "MP1", "from": "2017-01-25", "to": "2017-08-31", "ER": 8165.8, "credited": 8165},
    {"id": "MP2", "from": "2017-09-01", "to": "2017-12-31", "ER": 3529.2, "credited": 3529}
  ]
})";

} // namespace

TEST_SUITE("allocate") {

  TEST_CASE("published issuances: 2,477 credits with japan 50% rounded up give japan 1,239") {
    const Allocation a = allocated(request_for(2477, {party("japan", 0.5)}));
    CHECK(credits_of(a, "japan") == 1239);
    CHECK(credits_of(a, "participants") == 1238);
    CHECK(a.check.passed);
  }

  TEST_CASE("published issuances: 17,673 credits with japan 50% rounded up give japan 8,837") {
    const Allocation a = allocated(request_for(17673, {party("japan", 0.5, ShareRounding::up)}));
    CHECK(credits_of(a, "japan") == 8837);
    CHECK(credits_of(a, "participants") == 8836);
  }

  TEST_CASE("published issuances: 296 credits with japan 75% give japan 222") {
    const Allocation a = allocated(request_for(296, {party("japan", 0.75)}));
    CHECK(credits_of(a, "japan") == 222);
    CHECK(credits_of(a, "participants") == 74);
  }

  TEST_CASE("without a share for japan, japan receives exactly the scheme's minimum") {
    const Allocation a = allocated(request_for(2477));
    REQUIRE(a.parties.size() == 2);
    CHECK(a.parties[0].name == "japan");
    CHECK(a.parties[0].basis == PartyBasis::scheme_minimum);
    CHECK(a.parties[0].credits == 1239);
    CHECK(a.parties[0].share == 0.5);
    CHECK(a.parties[1].name == "participants");
    CHECK(a.parties[1].basis == PartyBasis::remainder);
    CHECK(a.parties[1].credits == 1238);
    CHECK(a.check.minimum == 1239);
    CHECK(a.check.actual == 1239);
    CHECK(a.check.passed);
  }

  TEST_CASE("each rounding mode rounds the party's share of N its own way") {
    // 0.5 × 2477 = 1238.5
    CHECK(credits_of(allocated(request_for(2477, {party("japan", 0.5, ShareRounding::up)})),
                     "japan") == 1239);
    CHECK(credits_of(allocated(request_for(2477, {party("japan", 0.5, ShareRounding::down)})),
                     "japan") == 1238);
    CHECK(credits_of(allocated(request_for(2477, {party("japan", 0.5, ShareRounding::nearest)})),
                     "japan") == 1239); // half up
    // 0.3 × 7 = 2.1 and 0.7 × 7 = 4.9, on a scheme without a minimum
    const auto alone = [](double share, ShareRounding rounding) {
      return credits_of(allocated(request_for(7, {party("a", share, rounding)}, "none")), "a");
    };
    CHECK(alone(0.3, ShareRounding::up) == 3);
    CHECK(alone(0.3, ShareRounding::down) == 2);
    CHECK(alone(0.3, ShareRounding::nearest) == 2);
    CHECK(alone(0.7, ShareRounding::nearest) == 5);
  }

  TEST_CASE("the default rounding is up for japan and down for everyone else") {
    CHECK(default_share_rounding("japan") == ShareRounding::up);
    CHECK(default_share_rounding("partner") == ShareRounding::down);
    CHECK(default_share_rounding("acme") == ShareRounding::down);
  }

  TEST_CASE("a share times N is taken at 15 significant digits before rounding") {
    // 0.3 × 1000 is 300.00000000000006 in binary; rounded up it must stay 300.
    const Allocation a = allocated(request_for(1000, {party("a", 0.3, ShareRounding::up)}, "none"));
    CHECK(credits_of(a, "a") == 300);
  }

  TEST_CASE("the remainder party receives N minus the others, so the parts sum exactly to N") {
    for (std::int64_t n : {0, 1, 2, 3, 7, 296, 2477, 17673, 999999}) {
      CAPTURE(n);
      const Allocation a = allocated(
          request_for(n, {party("japan", 0.6), party("partner", 0.1, ShareRounding::nearest),
                          party("acme", 0.15)}));
      CHECK(sum_of(a) == n);
      CHECK(a.parties.back().name == "participants");
      CHECK(a.parties.back().basis == PartyBasis::remainder);
    }
  }

  TEST_CASE("the remainder can go to a party other than the participants") {
    AllocationRequest request = request_for(296, {party("japan", 0.75), party("partner", 0.1)});
    request.remainder = "acme";
    const Allocation a = allocated(request);
    CHECK(credits_of(a, "japan") == 222);
    CHECK(credits_of(a, "partner") == 29);
    CHECK(credits_of(a, "acme") == 45);
    CHECK(a.parties.back().share == 0.15);
  }

  TEST_CASE("japan as the remainder party is checked against the scheme like any japan") {
    AllocationRequest request = request_for(100, {party("partner", 0.1), party("acme", 0.5)});
    request.remainder = "japan";
    const Allocation a = allocated(request);
    CHECK(credits_of(a, "japan") == 40);
    CHECK_FALSE(a.check.passed);
    CHECK(a.check.shortfall == 10);
  }

  TEST_CASE("a partner share of 10% is rounded down by default") {
    const Allocation a = allocated(request_for(2477, {party("japan", 0.5), party("partner", 0.1)}));
    CHECK(credits_of(a, "japan") == 1239);
    CHECK(credits_of(a, "partner") == 247);
    CHECK(credits_of(a, "participants") == 991);
    CHECK(a.parties.back().share == 0.4);
  }

  TEST_CASE("fgas: a subsidy ratio above 1/2 sets japan's minimum on the credits net of the "
            "partner") {
    AllocationRequest request = request_for(2000, {party("partner", 0.1)}, "fgas");
    request.subsidy = 30'000'000;
    request.eligible_cost = 50'000'000;
    const Allocation a = allocated(request);
    CHECK(a.check.partner_credits == 200);
    CHECK(a.check.base == 1800);
    CHECK(a.check.fraction == 0.6);
    CHECK(a.check.minimum == 1080); // ceil(0.6 × 1800)
    CHECK(credits_of(a, "japan") == 1080);
    CHECK(credits_of(a, "participants") == 720);
    CHECK(scheme_check_formula(a.check) == "ceil(max(30000000/50000000, 0.5) * (2000 - 200))");
  }

  TEST_CASE("fgas: a subsidy ratio below 1/2 leaves japan 1/2 of the net credits") {
    AllocationRequest request = request_for(2000, {party("partner", 0.1)}, "fgas");
    request.subsidy = 20'000'000;
    request.eligible_cost = 50'000'000;
    const Allocation a = allocated(request);
    CHECK(a.check.fraction == 0.5);
    CHECK(a.check.minimum == 900); // ceil(0.5 × 1800)
    CHECK(credits_of(a, "japan") == 900);
  }

  TEST_CASE("fgas: the total reading takes 1/2 of all credits as the floor") {
    AllocationRequest request = request_for(2000, {party("partner", 0.1)}, "fgas");
    request.fgas_reading = FgasReading::total;
    request.eligible_cost = 50'000'000;
    SUBCASE("with a ratio below 1/2, 1/2 of all N decides") {
      request.subsidy = 20'000'000;
      const Allocation a = allocated(request);
      CHECK(a.check.half_of_all == 1000);
      CHECK(a.check.minimum == 1000); // max(ceil(0.4 × 1800) = 720, ceil(0.5 × 2000) = 1000)
      CHECK(credits_of(a, "japan") == 1000);
      CHECK(scheme_check_formula(a.check) ==
            "max(ceil(20000000/50000000 * (2000 - 200)), ceil(0.5 * 2000))");
    }
    SUBCASE("with a ratio above 1/2, the ratio of the net credits decides") {
      request.subsidy = 30'000'000;
      const Allocation a = allocated(request);
      CHECK(a.check.minimum == 1080); // max(ceil(0.6 × 1800) = 1080, 1000)
    }
  }

  TEST_CASE("fgas: an explicit japan share below the minimum is a finding") {
    AllocationRequest request =
        request_for(2000, {party("japan", 0.5), party("partner", 0.1)}, "fgas");
    request.subsidy = 30'000'000;
    request.eligible_cost = 50'000'000;
    const Allocation a = allocated(request);
    CHECK(credits_of(a, "japan") == 1000);
    CHECK_FALSE(a.check.passed);
    CHECK(a.check.shortfall == 80);
  }

  TEST_CASE("fgas needs the subsidy and the eligible cost, and only fgas takes them") {
    CHECK(
        error_of(request_for(100, {}, "fgas")) ==
        "scheme fgas needs the subsidy and the eligible cost (--subsidy JPY --eligible-cost JPY)");
    AllocationRequest request = request_for(100);
    request.subsidy = 1;
    request.eligible_cost = 2;
    CHECK(error_of(request) == "scheme model-project does not use a subsidy or an eligible cost "
                               "(--subsidy, --eligible-cost are for --scheme fgas or redd-plus)");
    request = request_for(100, {}, "fgas");
    request.subsidy = 3;
    request.eligible_cost = 2;
    CHECK(error_of(request) == "the subsidy (3 JPY) is more than the eligible cost (2 JPY)");
    request.eligible_cost = 0;
    CHECK(error_of(request) == "the eligible cost must be more than 0 JPY, got 0");
  }

  TEST_CASE("fgas refuses the partner as the remainder party, which japan's minimum needs") {
    AllocationRequest request = request_for(2000, {party("acme", 0.3)}, "fgas");
    request.subsidy = 1;
    request.eligible_cost = 2;
    request.remainder = "partner";
    CHECK(error_of(request) == "scheme fgas: the partner cannot be the remainder party: japan's "
                               "minimum depends on the partner's allocation");
  }

  TEST_CASE("a violated model-project rule is a finding with the minimum and the shortfall") {
    const Allocation a = allocated(request_for(2477, {party("japan", 0.4)}));
    CHECK(credits_of(a, "japan") == 991);
    CHECK(credits_of(a, "participants") == 1486);
    CHECK(a.check.applies);
    CHECK_FALSE(a.check.passed);
    CHECK(a.check.minimum == 1239);
    CHECK(a.check.shortfall == 248);
    CHECK(describe_scheme_check(a.check) ==
          "japan 991, minimum 1239 = ceil(0.5 * 2477): fail, shortfall 248");
    CHECK(describe_failed_check(a.check) ==
          "scheme model-project (seed): japan receives 991 credits, below the minimum 1239 "
          "= ceil(0.5 * 2477); shortfall 248");
  }

  TEST_CASE("eco-lease applies the model-project rule until its own is sourced") {
    const Allocation a = allocated(request_for(2477, {}, "eco-lease"));
    CHECK(credits_of(a, "japan") == 1239);
    CHECK(rule_of("eco-lease").status == "unconfirmed");
  }

  TEST_CASE("jfjcm and none set no minimum and add no japan of their own") {
    for (const char* scheme : {"jfjcm", "none"}) {
      CAPTURE(scheme);
      const Allocation a = allocated(request_for(100, {party("acme", 0.3)}, scheme));
      CHECK_FALSE(a.check.applies);
      CHECK(a.check.passed);
      REQUIRE(a.parties.size() == 2);
      CHECK(a.parties[0].name == "acme");
      CHECK(describe_scheme_check(a.check) == "no minimum for japan");
    }
  }

  TEST_CASE("the parties other than the remainder receiving more than N is an error") {
    CHECK(error_of(request_for(1, {party("partner", 0.5, ShareRounding::up)})) ==
          "japan 1 + partner 1 = 2 credits, more than the 1 to allocate");
    CHECK(error_of(request_for(2477, {party("partner", 0.6)})) ==
          "japan 1239 + partner 1486 = 2725 credits, more than the 2477 to allocate");
  }

  TEST_CASE("invalid shares are refused with the party named") {
    CHECK(error_of(request_for(100, {party("japan", -0.1)})) ==
          "party 'japan': share -0.1 is outside 0 to 1 (0% to 100%)");
    CHECK(error_of(request_for(100, {party("japan", 1.5)})) ==
          "party 'japan': share 1.5 is outside 0 to 1 (0% to 100%)");
    CHECK(error_of(request_for(100, {party("japan", 0.6), party("partner", 0.5)})) ==
          "the shares add up to 1.1, more than 1: japan 0.6, partner 0.5");
  }

  TEST_CASE("shares that add up to 1 within binary rounding are accepted") {
    AllocationRequest request =
        request_for(10, {party("a", 0.1), party("b", 0.2), party("japan", 0.7)});
    const Allocation a = allocated(request);
    CHECK(sum_of(a) == 10);
    CHECK(a.parties.back().share == 0);
  }

  TEST_CASE("a party named twice, or the remainder party with a share, is refused") {
    CHECK(error_of(request_for(100, {party("japan", 0.5), party("japan", 0.2)})) ==
          "party 'japan' is given twice");
    CHECK(error_of(request_for(100, {party("participants", 0.2)})) ==
          "party 'participants' receives the remainder and cannot also have a share; name "
          "another remainder party (--remainder)");
  }

  TEST_CASE("negative credits are refused") {
    CHECK(error_of(request_for(-5)) == "the credits to allocate must not be negative, got -5");
  }

  TEST_CASE("zero credits allocate nothing to anyone") {
    const Allocation a = allocated(request_for(0, {party("partner", 0.1)}));
    CHECK(sum_of(a) == 0);
    CHECK(a.check.passed);
  }
}

TEST_SUITE("allocate: parsing --party") {

  TEST_CASE("a share is a fraction or a percentage") {
    CHECK(parse_share("0.5") == 0.5);
    CHECK(parse_share(".75") == 0.75);
    CHECK(parse_share("50%") == 0.5);
    CHECK(parse_share("12.5%") == 0.125);
    CHECK(parse_share("1") == 1.0);
    CHECK(parse_share("") == std::nullopt);
    CHECK(parse_share("%") == std::nullopt);
    CHECK(parse_share("half") == std::nullopt);
    CHECK(parse_share("50 %") == std::nullopt);
  }

  TEST_CASE("NAME=SHARE takes the name's default rounding") {
    const Expected<PartyShare> japan = parse_party("japan=50%");
    REQUIRE(japan);
    CHECK(japan->name == "japan");
    CHECK(japan->share == 0.5);
    CHECK(japan->rounding == ShareRounding::up);
    const Expected<PartyShare> partner = parse_party("partner=0.1");
    REQUIRE(partner);
    CHECK(partner->rounding == ShareRounding::down);
  }

  TEST_CASE("NAME=SHARE:MODE sets the rounding") {
    const Expected<PartyShare> p = parse_party("partner=10%:nearest");
    REQUIRE(p);
    CHECK(p->share == 0.1);
    CHECK(p->rounding == ShareRounding::nearest);
  }

  TEST_CASE("malformed --party values are usage errors that quote the value") {
    CHECK(party_error("japan") == "--party 'japan': expected NAME=SHARE[:up|down|nearest]");
    CHECK(party_error("=0.5") == "--party '=0.5': the party name is empty");
    CHECK(party_error("japan=abc") == "--party 'japan=abc': 'abc' is not a share (a fraction "
                                      "such as 0.5 or a percentage such as 50%)");
    CHECK(party_error("japan=-0.1") ==
          "--party 'japan=-0.1': share -0.1 is outside 0 to 1 (0% to 100%)");
    CHECK(party_error("japan=1.5") ==
          "--party 'japan=1.5': share 1.5 is outside 0 to 1 (0% to 100%)");
    CHECK(party_error("japan=150%") ==
          "--party 'japan=150%': share 150% is outside 0 to 1 (0% to 100%)");
    CHECK(party_error("japan=0.5:upp") ==
          "--party 'japan=0.5:upp': unknown rounding 'upp' (up, down or nearest)");
    CHECK(parse_party("japan=0.5:upp").error().notes ==
          std::vector<std::string>{"did you mean 'up'?"});
    CHECK(party_error("Japan=0.5") == "--party 'Japan=0.5': party 'Japan' would be a "
                                      "participant; the reserved name is 'japan' (lowercase)");
  }
}

TEST_SUITE("allocate: a calc result") {

  TEST_CASE("the periods and their credited amounts are read from calc JSON") {
    const Expected<CalcCredits> calc = parse_calc_credits(two_periods, "calc.json");
    REQUIRE(calc);
    CHECK(calc->format == "mrv.calc/1");
    CHECK(calc->project == "MN-PV-EXAMPLE");
    CHECK(calc->methodology == "JCM_MN_AM003");
    CHECK(calc->methodology_version == "02.0");
    REQUIRE(calc->periods.size() == 2);
    CHECK(calc->periods[0].id == "MP1");
    CHECK(calc->periods[0].credited == 8165);
    CHECK(calc->periods[1].to == "2017-12-31");
    CHECK(calc->sha256.size() == 64);
  }

  TEST_CASE("allocating each period and summing is not allocating the sum") {
    // japan 50% rounded up: ceil(4082.5) + ceil(1764.5) = 4083 + 1765 = 5848,
    // but ceil(0.5 × (8165 + 3529)) = ceil(5847) = 5847.
    const Expected<CalcCredits> calc = parse_calc_credits(two_periods, "calc.json");
    REQUIRE(calc);
    const Expected<AllocationResult> result = allocate_calc(*calc, request_for(0));
    REQUIRE(result);
    REQUIRE(result->periods.size() == 2);
    CHECK(credits_of(result->periods[0].allocation, "japan") == 4083);
    CHECK(credits_of(result->periods[1].allocation, "japan") == 1765);
    CHECK(result->total.credits == 11694);
    CHECK(credits_of(result->total, "japan") == 5847);
    CHECK(credits_of(result->total, "participants") == 5847);
    REQUIRE(result->sum_of_periods.size() == 2);
    CHECK(result->sum_of_periods[0].name == "japan");
    CHECK(result->sum_of_periods[0].credits == 5848);
    CHECK(result->sum_of_periods[1].credits == 5846);
    CHECK(result->passed());
    CHECK(result->notes == std::vector<std::string>{
                               "per-party rounding: the sum of the periods' allocations differs "
                               "from the allocation of the total 11694: japan 5848 vs 5847, "
                               "participants 5846 vs 5847"});
  }

  TEST_CASE("with shares that divide every period exactly, the two ways agree") {
    const char* even =
        R"({"periods": [{"id": "A", "credited": 100}, {"id": "B", "credited": 40}]})";
    const Expected<CalcCredits> calc = parse_calc_credits(even, "calc.json");
    REQUIRE(calc);
    const Expected<AllocationResult> result = allocate_calc(*calc, request_for(0));
    REQUIRE(result);
    CHECK(result->sum_of_periods[0].credits == credits_of(result->total, "japan"));
    CHECK(result->notes.empty());
  }

  TEST_CASE("a period whose parties exceed its credits names the period") {
    const char* tiny = R"({"periods": [{"id": "P1", "credited": 1}]})";
    const Expected<CalcCredits> calc = parse_calc_credits(tiny, "calc.json");
    REQUIRE(calc);
    const Expected<AllocationResult> result =
        allocate_calc(*calc, request_for(0, {party("partner", 0.6, ShareRounding::up)}));
    REQUIRE_FALSE(result);
    CHECK(result.error().message ==
          "period P1: japan 1 + partner 1 = 2 credits, more than the 1 to allocate");
  }

  TEST_CASE("broken JSON is invalid input located at its line and column") {
    const Expected<CalcCredits> calc = parse_calc_credits(
        "{\n  \"periods\": [\n    {\"id\": \"P1\", \"credited\": 12,}\n", "c.json");
    REQUIRE_FALSE(calc);
    CHECK(calc.error().code == ExitCode::invalid_input);
    CHECK(calc.error().where.file == "c.json");
    CHECK(calc.error().where.line == 3);
    CHECK(calc.error().where.column == 33);
    CHECK(calc.error().source_line == "    {\"id\": \"P1\", \"credited\": 12,}");
    CHECK(calc.error().message ==
          "invalid JSON: syntax error while parsing object key - unexpected '}'; expected string "
          "literal");
  }

  TEST_CASE("calc CSV instead of JSON gets a hint") {
    const Expected<CalcCredits> calc =
        parse_calc_credits("period,month,unit,from,to,records,RE,PE,ER,credited\n", "-");
    REQUIRE_FALSE(calc);
    CHECK(
        calc.error().notes ==
        std::vector<std::string>{"this looks like CSV or TSV: run `mrv calc` with --format json"});
  }

  TEST_CASE("unexpected content is refused with the member named") {
    const auto message = [](const char* text) {
      const Expected<CalcCredits> calc = parse_calc_credits(text, "c.json");
      REQUIRE_FALSE(calc);
      CHECK(calc.error().code == ExitCode::invalid_input);
      return calc.error().message;
    };
    CHECK(message("") == "no input: the calc result is empty");
    CHECK(message("[]") == "the calc result must be a JSON object");
    CHECK(message("{}") == "the calc result has no 'periods'");
    CHECK(message(R"({"periods": []})") == "the calc result has no periods");
    CHECK(message(R"({"format": "mrv.calc/2", "periods": []})") ==
          "unsupported format 'mrv.calc/2' (this mrv reads mrv.calc/1)");
    CHECK(message(R"({"periods": [{"credited": 1}]})") == "periods[0] has no 'id'");
    CHECK(message(R"({"periods": [{"id": "P", "credited": 1.5}]})") ==
          "periods[0].credited must be a whole number of tCO2, got 1.5");
    CHECK(message(R"({"periods": [{"id": "P", "credited": -2}]})") ==
          "periods[0].credited is -2: credits cannot be negative");
    CHECK(message(R"({"periods": [{"id": "P", "credited": null}]})") ==
          "periods[0].credited is null: the period has no credited amount");
    CHECK(message(R"({"periods": [{"id": "P", "credited": 1}, {"id": "P", "credited": 2}]})") ==
          "period 'P' appears twice");
  }
}

TEST_SUITE("render_allocate") {

  TEST_CASE("csv has the columns party, share and credits") {
    const Expected<AllocationResult> result =
        allocate_credits(request_for(296, {party("japan", 0.75), party("partner", 0.1)}));
    REQUIRE(result);
    CHECK(render_allocation(*result, Format::csv) ==
          "party,share,credits\njapan,0.75,222\npartner,0.1,29\nparticipants,0.15,45\n");
    CHECK(render_allocation(*result, Format::tsv) ==
          "party\tshare\tcredits\njapan\t0.75\t222\npartner\t0.1\t29\nparticipants\t0.15\t45\n");
    CHECK(render_allocation(*result, Format::jsonl) ==
          "{\"party\":\"japan\",\"share\":0.75,\"credits\":222}\n"
          "{\"party\":\"partner\",\"share\":0.1,\"credits\":29}\n"
          "{\"party\":\"participants\",\"share\":0.15,\"credits\":45}\n");
  }

  TEST_CASE("the table ends with the scheme and its check") {
    const Expected<AllocationResult> result = allocate_credits(request_for(2477));
    REQUIRE(result);
    CHECK(render_allocation(*result, Format::table) ==
          "party         share  credits  basis\n"
          "japan           0.5     1239  scheme minimum\n"
          "participants    0.5     1238  remainder\n"
          "\n"
          "scheme: model-project (seed): at least 1/2 of the issued credits to the "
          "Government of Japan, rounded up\n"
          "check: japan 1239, minimum 1239 = ceil(0.5 * 2477): pass\n");
  }

  TEST_CASE("with a calc result the rows carry the period, empty for the total") {
    const Expected<CalcCredits> calc = parse_calc_credits(two_periods, "calc.json");
    REQUIRE(calc);
    const Expected<AllocationResult> result = allocate_calc(*calc, request_for(0));
    REQUIRE(result);
    CHECK(render_allocation(*result, Format::csv) == "period,party,share,credits\n"
                                                     "MP1,japan,0.5,4083\n"
                                                     "MP1,participants,0.5,4082\n"
                                                     "MP2,japan,0.5,1765\n"
                                                     "MP2,participants,0.5,1764\n"
                                                     ",japan,0.5,5847\n"
                                                     ",participants,0.5,5847\n");
  }
}

// A project file with `credit_terms:` appended (docs/project-format.md).
std::string project_with(const std::string& terms) {
  return "mrv: project/1\n"
         "id: P\n"
         "methodology: JCM_MN_AM003_ver02.0\n"
         "utc_offset: \"+08:00\"\n"
         "units: [{id: U}]\n"
         "periods: [{id: MP1, from: 2017-01-01, to: 2017-12-31}]\n"
         "credit_terms:\n" +
         terms;
}

CreditTerms terms_of(const std::string& terms) {
  Expected<Project> project = load_project(project_with(terms), "p.yaml");
  REQUIRE_MESSAGE(project.has_value(),
                  (project ? std::string() : format_diagnostic(project.error())));
  REQUIRE(project->credit_terms.has_value());
  return *project->credit_terms;
}

// The first line of the diagnostic: "p.yaml:LINE:COL: error: MESSAGE".
std::string terms_error(const std::string& terms) {
  Expected<Project> project = load_project(project_with(terms), "p.yaml");
  REQUIRE_FALSE(project.has_value());
  CHECK(project.error().code == ExitCode::invalid_input);
  const std::string text = format_diagnostic(project.error());
  return text.substr(0, text.find('\n'));
}

TEST_SUITE("allocate: credit terms in a project file") {

  TEST_CASE("a project without credit_terms has none") {
    Expected<Project> project = load_project(project_with("  scheme: none\n"), "p.yaml");
    REQUIRE(project);
    std::string text = project_with("");
    text.resize(text.size() - std::string("credit_terms:\n").size());
    Expected<Project> without = load_project(text, "p.yaml");
    REQUIRE(without);
    CHECK_FALSE(without->credit_terms.has_value());
  }

  TEST_CASE("the scheme, the parties with their shares and roundings, and the remainder") {
    const CreditTerms terms = terms_of("  scheme: model-project\n"
                                       "  parties:\n"
                                       "    japan: {share: 50%, rounding: up}\n"
                                       "    partner: 0.1\n"
                                       "    operator: {share: 12.5%, rounding: nearest}\n"
                                       "  remainder: developer\n");
    const AllocationRequest& r = terms.request;
    CHECK(r.scheme.id == "model-project");
    REQUIRE(r.parties.size() == 3);
    CHECK(r.parties[0].name == "japan");
    CHECK(r.parties[0].share == 0.5);
    CHECK(r.parties[0].rounding == ShareRounding::up);
    CHECK(r.parties[1].name == "partner");
    CHECK(r.parties[1].share == 0.1);
    CHECK(r.parties[1].rounding == ShareRounding::down); // the default for all but japan
    CHECK(r.parties[2].rounding == ShareRounding::nearest);
    CHECK(r.remainder == "developer");
    CHECK_FALSE(r.subsidy.has_value());
    CHECK(terms.location.line == 7);
    CHECK(terms.location.column == 1);
  }

  TEST_CASE("the parties can also be listed as --party writes them") {
    const CreditTerms terms = terms_of("  scheme: model-project\n"
                                       "  parties: [japan=60%, \"partner=0.1:nearest\"]\n");
    REQUIRE(terms.request.parties.size() == 2);
    CHECK(terms.request.parties[0].share == 0.6);
    CHECK(terms.request.parties[0].rounding == ShareRounding::up);
    CHECK(terms.request.parties[1].rounding == ShareRounding::nearest);
    CHECK(terms_error("  scheme: none\n  parties: [japan=50%, japan=10%]\n") ==
          "mrv: p.yaml:9:24: error: party 'japan' is given twice");
    CHECK(terms_error("  scheme: none\n  parties: [japan=50%:ceil]\n") ==
          "mrv: p.yaml:9:13: error: party 'japan=50%:ceil': unknown rounding 'ceil' (up, down or "
          "nearest)");
  }

  TEST_CASE("fgas terms carry the subsidy, the eligible cost and the reading") {
    const CreditTerms terms = terms_of("  scheme: fgas\n"
                                       "  parties: {partner: 10%}\n"
                                       "  subsidy: 30000000\n"
                                       "  eligible_cost: 50000000\n"
                                       "  fgas_reading: total\n");
    CHECK(terms.request.scheme.id == "fgas");
    CHECK(terms.request.subsidy == 3e7);
    CHECK(terms.request.eligible_cost == 5e7);
    CHECK(terms.request.fgas_reading == FgasReading::total);
    CHECK(terms.request.remainder == "participants");
  }

  TEST_CASE("unknown keys and bad values are errors at their line and column") {
    CHECK(terms_error("  scheme: model-project\n  remainders: x\n") ==
          "mrv: p.yaml:9:3: error: unknown key 'remainders' in credit_terms");
    CHECK(terms_error("  parties: {japan: 50%}\n") ==
          "mrv: p.yaml:8:3: error: credit_terms is missing 'scheme'");
    CHECK(terms_error("  scheme: model_project\n") ==
          "mrv: p.yaml:8:11: error: unknown scheme 'model_project' (a scheme file: "
          "eco-lease-FY2020, fgas-FY2022, jfjcm-FY2020, model-project-FY2020, redd-plus-FY2020; a "
          "programme, for its latest fiscal year: eco-lease, fgas, jfjcm, model-project, "
          "redd-plus; or none)");
    CHECK(terms_error("  scheme: none\n  parties: {japan: {share: 50%, round: up}}\n") ==
          "mrv: p.yaml:9:33: error: unknown key 'round' in a party's terms");
    CHECK(terms_error("  scheme: none\n  parties: {japan: {share: 50%, rounding: ceil}}\n") ==
          "mrv: p.yaml:9:43: error: unknown rounding 'ceil' (up, down or nearest)");
    CHECK(terms_error("  scheme: none\n  parties: {japan: half}\n") ==
          "mrv: p.yaml:9:20: error: the share of party 'japan' must be a fraction (0.5) or a "
          "percentage (50%), not 'half'");
    CHECK(terms_error("  scheme: none\n  parties: {japan: 150%}\n") ==
          "mrv: p.yaml:9:20: error: the share of party 'japan' is outside 0 to 1 (0% to 100%)");
    CHECK(terms_error("  scheme: none\n  parties: {japan: 60%, partner: 50%}\n") ==
          "mrv: p.yaml:9:34: error: the shares add up to 1.1, more than 1");
    CHECK(terms_error("  scheme: none\n  parties: {Japan: 50%}\n") ==
          "mrv: p.yaml:9:13: error: party 'Japan' would be a participant; the reserved name is "
          "'japan' (lowercase)");
  }

  TEST_CASE("the parties are bounded") {
    std::string many = "  scheme: none\n  parties:\n";
    for (int i = 0; i <= 1000; ++i)
      many += "    p" + std::to_string(i) + ": 0\n";
    CHECK(terms_error(many) == "mrv: p.yaml:1010:12: error: more than 1000 parties");
  }

  TEST_CASE("the remainder party cannot also have a share") {
    CHECK(terms_error("  scheme: none\n  parties: {partner: 10%}\n  remainder: partner\n") ==
          "mrv: p.yaml:10:14: error: party 'partner' receives the remainder and cannot also have "
          "a share");
    CHECK(terms_error("  scheme: none\n  parties: {participants: 10%}\n") ==
          "mrv: p.yaml:9:12: error: party 'participants' receives the remainder by default and "
          "cannot also have a share; name another remainder party (remainder:)");
  }

  TEST_CASE("the subsidy figures belong to fgas, which needs both") {
    CHECK(terms_error("  scheme: model-project\n  subsidy: 100\n") ==
          "mrv: p.yaml:9:12: error: scheme model-project does not use a subsidy, an eligible "
          "cost or a reading (they are for scheme fgas or redd-plus)");
    CHECK(terms_error("  scheme: fgas\n  subsidy: 100\n") ==
          "mrv: p.yaml:8:3: error: scheme fgas needs the subsidy and the eligible cost "
          "(subsidy: JPY, eligible_cost: JPY)");
    CHECK(terms_error("  scheme: fgas\n  subsidy: 200\n  eligible_cost: 100\n") ==
          "mrv: p.yaml:9:12: error: the subsidy is more than the eligible cost");
    CHECK(terms_error("  scheme: fgas\n  subsidy: 1\n  eligible_cost: 2\n  fgas_reading: "
                      "gross\n") == "mrv: p.yaml:11:17: error: fgas_reading must be 'net' or "
                                    "'total'");
    CHECK(terms_error("  scheme: fgas\n  subsidy: 1\n  eligible_cost: 2\n  remainder: "
                      "partner\n") ==
          "mrv: p.yaml:11:14: error: scheme fgas: the partner cannot be the remainder party: "
          "japan's minimum depends on the partner's allocation");
  }

  TEST_CASE("flags override the project's terms, --party replacing every party") {
    const CreditTerms terms = terms_of("  scheme: fgas\n"
                                       "  parties: {japan: 60%, partner: 10%}\n"
                                       "  subsidy: 30000000\n"
                                       "  eligible_cost: 50000000\n"
                                       "  fgas_reading: total\n");
    TermsOverrides none;
    CHECK_FALSE(none.any());
    const AllocationRequest same = override_terms(terms.request, none);
    CHECK(same.parties.size() == 2);
    CHECK(same.subsidy == 3e7);

    TermsOverrides parties;
    parties.parties = std::vector<PartyShare>{party("japan", 0.7)};
    CHECK(parties.names() == std::vector<std::string>{"--party"});
    const AllocationRequest replaced = override_terms(terms.request, parties);
    REQUIRE(replaced.parties.size() == 1);
    CHECK(replaced.parties[0].share == 0.7);
    CHECK(replaced.scheme.id == "fgas");

    TermsOverrides scheme;
    scheme.scheme = rule_of("model-project");
    scheme.remainder = "developer";
    const AllocationRequest model = override_terms(terms.request, scheme);
    CHECK(model.scheme.id == "model-project");
    CHECK(model.remainder == "developer");
    CHECK_FALSE(model.subsidy.has_value()); // fgas figures do not follow another scheme
    CHECK_FALSE(model.eligible_cost.has_value());
    CHECK(model.fgas_reading == FgasReading::net);
    CHECK(scheme.names() == std::vector<std::string>{"--scheme", "--remainder"});
  }

  TEST_CASE("terms that cannot split a period are invalid input at the project's terms") {
    const CreditTerms terms = terms_of("  scheme: none\n"
                                       "  parties:\n"
                                       "    japan: {share: 50%, rounding: up}\n"
                                       "    partner: {share: 50%, rounding: up}\n");
    const Expected<CalcCredits> calc =
        parse_calc_credits(R"({"periods": [{"id": "P1", "credited": 3}]})", "calc.json");
    REQUIRE(calc);
    const Expected<AllocationResult> result = allocate_by_terms(terms, *calc);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ExitCode::invalid_input);
    CHECK(format_diagnostic(result.error()) ==
          "mrv: p.yaml:7:1: error: credit_terms: period P1: japan 2 + partner 2 = 4 credits, "
          "more than the 3 to allocate\n"
          "  credit_terms:\n"
          "  ^~~~~~~~~~~~\n");
  }

  TEST_CASE("a party rounded up in every period receives more than rounded up once") {
    // partner 10% up: ceil(0.3) + ceil(0.3) = 2 over two periods of 3 credits,
    // ceil(0.6) = 1 for the 6 credits allocated at once. Rounded down, the
    // sum of the periods is at most the allocation of the total.
    const CreditTerms terms = terms_of("  scheme: none\n"
                                       "  parties:\n"
                                       "    partner: {share: 10%, rounding: up}\n"
                                       "    operator: {share: 40%, rounding: down}\n");
    const Expected<CalcCredits> calc = parse_calc_credits(
        R"({"periods": [{"id": "A", "credited": 3}, {"id": "B", "credited": 3}]})", "calc.json");
    REQUIRE(calc);
    const Expected<AllocationResult> result = allocate_by_terms(terms, *calc);
    REQUIRE(result);
    CHECK(credits_of(result->periods[0].allocation, "partner") == 1);
    CHECK(credits_of(result->total, "partner") == 1);
    CHECK(result->sum_of_periods[0].credits == 2);
    CHECK(credits_of(result->total, "operator") == 2); // floor(2.4)
    CHECK(result->sum_of_periods[1].credits == 2);     // floor(1.2) + floor(1.2)
    CHECK(credits_of(result->total, "participants") == 3);
    CHECK(result->sum_of_periods[2].credits == 2);
    CHECK(result->notes == std::vector<std::string>{
                               "per-party rounding: the sum of the periods' allocations differs "
                               "from the allocation of the total 6: partner 2 vs 1, "
                               "participants 2 vs 3"});
  }
}
