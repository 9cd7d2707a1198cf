// Credit allocation among parties under a scheme's rule (the rule is data:
// mrv/scheme.hpp); each period of a calc result and their total.
#include "mrv/allocate.hpp"
#include "base/try.hpp"

#include "credits/credit_limits.hpp"
#include "mrv/numbers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

namespace mrv {

namespace {

using detail::max_credits;

Diagnostic usage_error(std::string message) {
  Diagnostic d;
  d.code = ExitCode::usage;
  d.message = std::move(message);
  return d;
}
// ceil, floor or half up of share × N, after taking the product at 15
// significant digits (so that 0.3 × 1000 is 300, not 300.00000000000006).
std::int64_t whole_tonnes(double fraction, std::int64_t credits, ShareRounding rounding) {
  const double amount = at_15_significant_digits(fraction * static_cast<double>(credits));
  double whole = std::floor(amount);
  switch (rounding) {
  case ShareRounding::up:
    whole = std::ceil(amount);
    break;
  case ShareRounding::down:
    break;
  case ShareRounding::nearest:
    if (amount - whole >= 0.5) whole += 1;
    break;
  }
  return static_cast<std::int64_t>(whole);
}

std::string share_text(double share) {
  return format_number(at_15_significant_digits(share));
}

Status check_party_name(const std::string& name, std::string_view what) {
  const std::string problem = party_name_problem(name);
  if (!problem.empty()) return usage_error(fmt::format("{}: {}", what, problem));
  return Ok{};
}

Status validate_credits(const AllocationRequest& request) {
  if (request.scheme.id.empty())
    return usage_error("no financing scheme: name one (a scheme file's id or programme, or none)");
  if (request.credits < 0)
    return usage_error(
        fmt::format("the credits to allocate must not be negative, got {}", request.credits));
  if (request.credits > max_credits)
    return usage_error(fmt::format("the credits to allocate must be at most {}, got {}",
                                   max_credits, request.credits));
  return check_party_name(request.remainder, "remainder");
}

Status validate_parties(const AllocationRequest& request) {
  double sum = 0;
  std::vector<std::string> names, listed;
  for (const PartyShare& party : request.parties) {
    MRV_TRY(check_party_name(party.name, fmt::format("party '{}'", party.name)));
    if (!(party.share >= 0 && party.share <= 1))
      return usage_error(fmt::format("party '{}': share {} is outside 0 to 1 (0% to 100%)",
                                     party.name, share_text(party.share)));
    if (std::find(names.begin(), names.end(), party.name) != names.end())
      return usage_error(fmt::format("party '{}' is given twice", party.name));
    if (party.name == request.remainder)
      return usage_error(fmt::format("party '{}' receives the remainder and cannot also have a "
                                     "share; name another remainder party (--remainder)",
                                     party.name));
    names.push_back(party.name);
    listed.push_back(fmt::format("{} {}", party.name, share_text(party.share)));
    sum += party.share;
  }
  if (at_15_significant_digits(sum) > 1)
    return usage_error(fmt::format("the shares add up to {}, more than 1: {}", share_text(sum),
                                   fmt::join(listed, ", ")));
  return Ok{};
}

// The schemes that take a subsidy and an eligible cost, as a flag names them.
std::string subsidy_schemes() {
  const std::vector<std::string> programmes = subsidy_ratio_programmes();
  if (programmes.empty()) return "a scheme whose rule uses the subsidy ratio";
  return fmt::format("--scheme {}", fmt::join(programmes, " or "));
}

// The subsidy figures: required by a rule with a subsidy ratio, refused by
// any other.
Status validate_subsidy(const AllocationRequest& request) {
  const SchemeRule& rule = request.scheme;
  const bool has_subsidy = request.subsidy.has_value(),
             has_cost = request.eligible_cost.has_value();
  if (!rule.subsidy_ratio) {
    if (has_subsidy || has_cost)
      return usage_error(fmt::format("scheme {} does not use a subsidy or an eligible cost "
                                     "(--subsidy, --eligible-cost are for {})",
                                     rule.id, subsidy_schemes()));
    return Ok{};
  }
  if (!has_subsidy || !has_cost)
    return usage_error(fmt::format("scheme {} needs the subsidy and the eligible cost "
                                   "(--subsidy JPY --eligible-cost JPY)",
                                   rule.id));
  const double subsidy = *request.subsidy, cost = *request.eligible_cost;
  if (!std::isfinite(subsidy) || subsidy < 0)
    return usage_error(
        fmt::format("the subsidy must be 0 or more JPY, got {}", format_number(subsidy)));
  if (!std::isfinite(cost) || cost <= 0)
    return usage_error(
        fmt::format("the eligible cost must be more than 0 JPY, got {}", format_number(cost)));
  if (subsidy > cost)
    return usage_error(fmt::format("the subsidy ({} JPY) is more than the eligible cost ({} JPY)",
                                   format_number(subsidy), format_number(cost)));
  if (rule.net_of_partner && request.remainder == partner_party)
    return usage_error(fmt::format("scheme {}: the partner cannot be the remainder party: "
                                   "japan's minimum depends on the partner's allocation",
                                   rule.id));
  return Ok{};
}

Status validate_request(const AllocationRequest& request) {
  MRV_TRY(validate_credits(request));
  MRV_TRY(validate_parties(request));
  return validate_subsidy(request);
}
const PartyAllocation* find_party(const std::vector<PartyAllocation>& parties,
                                  std::string_view name) {
  for (const PartyAllocation& party : parties)
    if (party.name == name) return &party;
  return nullptr;
}

// Japan's minimum under `rule`, with the figures used; `partner_credits` is
// the partner's allocation (0 without one).
SchemeCheck scheme_minimum(const AllocationRequest& request, std::int64_t partner_credits) {
  const SchemeRule& rule = request.scheme;
  SchemeCheck check;
  check.scheme = rule.id;
  check.status = rule.status;
  check.credits = request.credits;
  check.applies = rule.minimum_share > 0;
  if (!check.applies) return check;
  check.partner_credits = rule.net_of_partner ? partner_credits : 0;
  check.base = request.credits - check.partner_credits;
  check.fraction = rule.minimum_share;
  check.rule_share = rule.minimum_share;
  if (!rule.subsidy_ratio) {
    check.minimum = whole_tonnes(check.fraction, check.base, ShareRounding::up);
    return check;
  }
  check.subsidy = request.subsidy;
  check.eligible_cost = request.eligible_cost;
  check.subsidy_ratio = *request.subsidy / *request.eligible_cost;
  check.reading = request.fgas_reading;
  if (request.fgas_reading == FgasReading::net) {
    check.fraction = std::max(*check.subsidy_ratio, rule.minimum_share);
    check.minimum = whole_tonnes(check.fraction, check.base, ShareRounding::up);
  } else {
    check.fraction = *check.subsidy_ratio;
    check.half_of_all = whole_tonnes(rule.minimum_share, request.credits, ShareRounding::up);
    check.minimum =
        std::max(whole_tonnes(check.fraction, check.base, ShareRounding::up), check.half_of_all);
  }
  return check;
}

// Japan's nominal share when it receives the scheme's minimum.
double minimum_as_share(const SchemeCheck& check, const SchemeRule& rule) {
  if (check.credits == 0) return check.fraction;
  const double of_base =
      check.fraction * static_cast<double>(check.base) / static_cast<double>(check.credits);
  if (check.reading == FgasReading::total) return std::max(of_base, rule.minimum_share);
  return of_base;
}

void finish_check(SchemeCheck& check, const std::vector<PartyAllocation>& parties) {
  if (!check.applies) return;
  const PartyAllocation* japan = find_party(parties, japan_party);
  check.actual = japan ? japan->credits : 0;
  check.shortfall = std::max<std::int64_t>(0, check.minimum - check.actual);
  check.passed = check.shortfall == 0;
}

// 1. Every party with a share, its share of N rounded as it says.
std::vector<PartyAllocation> shared_parties(const AllocationRequest& request) {
  std::vector<PartyAllocation> shared;
  for (const PartyShare& party : request.parties)
    shared.push_back({.name = party.name,
                      .share = at_15_significant_digits(party.share),
                      .rounding = party.rounding,
                      .basis = PartyBasis::share,
                      .credits = whole_tonnes(party.share, request.credits, party.rounding)});
  return shared;
}

// 3. Japan by the scheme, when the agreement gives it no share.
std::optional<PartyAllocation> japan_by_rule(const AllocationRequest& request,
                                             const std::vector<PartyAllocation>& shared,
                                             const SchemeCheck& check) {
  if (!check.applies || find_party(shared, japan_party) || request.remainder == japan_party)
    return std::nullopt;
  return PartyAllocation{.name = std::string(japan_party),
                         .share = at_15_significant_digits(minimum_as_share(check, request.scheme)),
                         .rounding = std::nullopt,
                         .basis = PartyBasis::scheme_minimum,
                         .credits = check.minimum};
}

// 4. The remainder: what is left, never less than nothing.
Status add_remainder(const AllocationRequest& request, double shares,
                     std::vector<PartyAllocation>& parties) {
  std::int64_t given = 0;
  std::vector<std::string> terms;
  for (const PartyAllocation& party : parties) {
    given += party.credits;
    terms.push_back(fmt::format("{} {}", party.name, party.credits));
  }
  if (given > request.credits)
    return usage_error(fmt::format("{} = {} credits, more than the {} to allocate",
                                   fmt::join(terms, " + "), given, request.credits));
  parties.push_back({.name = request.remainder,
                     .share = std::max(0.0, at_15_significant_digits(1 - shares)),
                     .rounding = std::nullopt,
                     .basis = PartyBasis::remainder,
                     .credits = request.credits - given});
  return Ok{};
}

} // namespace

const char* party_basis_name(PartyBasis basis) {
  switch (basis) {
  case PartyBasis::share:
    return "share";
  case PartyBasis::scheme_minimum:
    return "scheme_minimum";
  case PartyBasis::remainder:
    return "remainder";
  }
  return "?";
}

Expected<Allocation> allocate(const AllocationRequest& request) {
  MRV_TRY(validate_request(request));
  Allocation result;
  result.credits = request.credits;
  std::vector<PartyAllocation> shared = shared_parties(request);
  double shares = 0;
  for (const PartyShare& party : request.parties)
    shares += party.share;

  // 2. The scheme's minimum, which net of the partner depends on its part.
  const PartyAllocation* partner = find_party(shared, partner_party);
  result.check = scheme_minimum(request, partner ? partner->credits : 0);

  if (std::optional<PartyAllocation> japan = japan_by_rule(request, shared, result.check)) {
    shares += japan->share;
    result.parties.push_back(std::move(*japan));
  }
  for (PartyAllocation& party : shared)
    result.parties.push_back(std::move(party));
  MRV_TRY(add_remainder(request, shares, result.parties));
  finish_check(result.check, result.parties);
  return result;
}

// ---- The result

bool AllocationResult::passed() const {
  if (!total.check.passed) return false;
  for (const PeriodAllocation& period : periods)
    if (!period.allocation.check.passed) return false;
  return true;
}

namespace {

// A scheme whose agreement sets Japan's share, without one: say where it comes from.
void add_scheme_notes(AllocationResult& result, const AllocationRequest& request) {
  const bool japan_has_share =
      std::any_of(request.parties.begin(), request.parties.end(),
                  [](const PartyShare& p) { return p.name == japan_party; });
  if (request.scheme.share_by_agreement && !japan_has_share && request.remainder != japan_party)
    result.notes.push_back(fmt::format("scheme {}: Japan's share is set by the project "
                                       "agreement; give it with --party japan=SHARE",
                                       request.scheme.id));
}

Expected<Allocation> allocate_labelled(const AllocationRequest& request, std::string_view label) {
  Expected<Allocation> allocation = allocate(request);
  if (allocation) return allocation;
  Diagnostic d = std::move(allocation).error();
  d.message = fmt::format("{}: {}", label, d.message);
  return d;
}

// Each party's credits summed over the periods, and a note where that is not
// what the same party receives in the allocation of the total.
void sum_the_periods(AllocationResult& result) {
  // The same request lists the same parties in the same order every time.
  result.sum_of_periods = result.total.parties;
  for (PartyAllocation& party : result.sum_of_periods)
    party.credits = 0;
  for (const PeriodAllocation& period : result.periods)
    for (std::size_t i = 0; i < result.sum_of_periods.size(); ++i)
      result.sum_of_periods[i].credits += period.allocation.parties.at(i).credits;

  std::vector<std::string> differences;
  for (std::size_t i = 0; i < result.sum_of_periods.size(); ++i) {
    const PartyAllocation& summed = result.sum_of_periods[i];
    const std::int64_t whole = result.total.parties[i].credits;
    if (summed.credits != whole)
      differences.push_back(fmt::format("{} {} vs {}", summed.name, summed.credits, whole));
  }
  if (!differences.empty())
    result.notes.push_back(fmt::format("per-party rounding: the sum of the periods' allocations "
                                       "differs from the allocation of the total {}: {}",
                                       result.total.credits, fmt::join(differences, ", ")));
}

} // namespace

Expected<AllocationResult> allocate_credits(const AllocationRequest& request) {
  AllocationResult result;
  result.scheme = request.scheme;
  result.total = MRV_TRY(allocate(request));
  add_scheme_notes(result, request);
  return result;
}

Expected<AllocationResult> allocate_calc(const CalcCredits& source,
                                         const AllocationRequest& request) {
  AllocationResult result;
  result.scheme = request.scheme;
  result.source = source;
  AllocationRequest each = request;
  std::int64_t sum = 0;
  for (const CalcCredits::Period& period : source.periods) {
    each.credits = period.credited;
    Allocation allocation = MRV_TRY(allocate_labelled(each, "period " + period.id));
    sum += period.credited;
    result.periods.push_back({period.id, std::move(allocation)});
  }
  each.credits = sum;
  result.total = MRV_TRY(allocate_labelled(each, "total of the periods"));
  sum_the_periods(result);
  add_scheme_notes(result, request);
  return result;
}

Expected<AllocationResult> allocate_by_terms(const CreditTerms& terms, const CalcCredits& source) {
  Expected<AllocationResult> result = allocate_calc(source, terms.request);
  if (result || result.error().code != ExitCode::usage) return result;
  return terms.error(result.error());
}

} // namespace mrv
