// Claims × a calculation → one verdict per claimed period. No I/O: the
// runner (verify_run.cpp) does the loading, this decides what matches.
#include "base/try.hpp"
#include "mrv/verify.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

namespace mrv {

const char* verify_status_name(VerifyStatus status) {
  switch (status) {
  case VerifyStatus::match:
    return "match";
  case VerifyStatus::mismatch:
    return "mismatch";
  case VerifyStatus::error:
    return "error";
  }
  return "error";
}

std::optional<VerifyStatus> parse_verify_status(std::string_view name) {
  for (VerifyStatus s : {VerifyStatus::match, VerifyStatus::mismatch, VerifyStatus::error})
    if (name == verify_status_name(s)) return s;
  return std::nullopt;
}

bool operator==(const InputFile& a, const InputFile& b) {
  return a.role == b.role && a.path == b.path && a.sha256 == b.sha256;
}

bool within_tolerance(double claimed, double computed, const Tolerance& tolerance, bool whole) {
  const double difference = std::fabs(computed - claimed);
  // Written so that a NaN anywhere is a mismatch.
  if (whole) return difference <= static_cast<double>(tolerance.credited);
  return difference <= std::max(tolerance.absolute, tolerance.relative * std::fabs(claimed));
}

std::string diagnostic_text(const Diagnostic& d) {
  std::string text;
  if (!d.where.file.empty()) {
    text = d.where.file;
    if (d.where.line > 0) text += fmt::format(":{}", d.where.line);
    if (d.where.line > 0 && d.where.column > 0) text += fmt::format(":{}", d.where.column);
    text += ": ";
  }
  text += d.message;
  for (const std::string& note : d.notes)
    text += fmt::format(" ({})", note);
  return text;
}

namespace {

ValueCheck check(std::string name, std::optional<double> claimed, std::optional<double> computed,
                 const Tolerance& tolerance, bool whole) {
  ValueCheck c{std::move(name), claimed, computed, std::nullopt};
  if (claimed && computed) c.match = within_tolerance(*claimed, *computed, tolerance, whole);
  return c;
}

std::optional<double> as_double(std::optional<std::int64_t> value) {
  if (!value) return std::nullopt;
  return static_cast<double>(*value);
}

// The claimed values beside nothing computed (an error).
void claimed_only(const Claim& claim, PeriodVerdict& v) {
  v.values = {check("RE", claim.reference, std::nullopt, v.tolerance, false),
              check("PE", claim.project, std::nullopt, v.tolerance, false),
              check("ER", claim.reductions, std::nullopt, v.tolerance, false),
              check("credited", as_double(claim.credited), std::nullopt, v.tolerance, true)};
  v.allocation.clear();
  for (const auto& [party, credits] : claim.allocation)
    v.allocation.push_back(
        check(party, static_cast<double>(credits), std::nullopt, v.tolerance, true));
}

// Splits the period's credits as the entry says and checks the claimed split.
Status check_allocation(const ManifestProject& entry, const Claim& claim, std::int64_t credits,
                        PeriodVerdict& v) {
  AllocationRequest request;
  if (entry.allocation)
    request = *entry.allocation;
  else
    request.scheme = MRV_TRY(find_scheme_rule(std::string(default_scheme)));
  request.credits = credits;
  const Allocation allocation = MRV_TRY(allocate(request));
  auto claimed = [&](const std::string& party) -> std::optional<double> {
    for (const auto& [name, value] : claim.allocation)
      if (name == party) return static_cast<double>(value);
    return std::nullopt;
  };
  for (const PartyAllocation& p : allocation.parties)
    v.allocation.push_back(
        check(p.name, claimed(p.name), static_cast<double>(p.credits), v.tolerance, true));
  // A claimed party the split does not name receives nothing. (No
  // structured binding here: clang 14 cannot capture one in a lambda.)
  for (const std::pair<std::string, std::int64_t>& party : claim.allocation)
    if (std::none_of(allocation.parties.begin(), allocation.parties.end(),
                     [&](const PartyAllocation& p) { return p.name == party.first; }))
      v.allocation.push_back(
          check(party.first, static_cast<double>(party.second), 0.0, v.tolerance, true));
  if (allocation.check.applies)
    v.scheme_check = SchemeVerdict{allocation.check.scheme, allocation.check.passed,
                                   allocation.check.minimum, allocation.check.actual};
  return Ok{};
}

VerifyStatus status_of(const PeriodVerdict& v) {
  if (!v.error.empty()) return VerifyStatus::error;
  auto failed = [](const ValueCheck& c) { return c.match == false; };
  if (std::any_of(v.values.begin(), v.values.end(), failed) ||
      std::any_of(v.allocation.begin(), v.allocation.end(), failed) ||
      (v.scheme_check && !v.scheme_check->passed))
    return VerifyStatus::mismatch;
  return VerifyStatus::match;
}

PeriodVerdict verdict_of(const ManifestProject& entry, const Claim& claim,
                         const PeriodVerdict& base, const CalcResult& result) {
  PeriodVerdict v = base;
  v.period = claim.period;
  const auto slice = std::find_if(result.periods.begin(), result.periods.end(),
                                  [&](const SliceResult& s) { return s.period == claim.period; });
  if (slice == result.periods.end()) {
    std::vector<std::string> known;
    for (const SliceResult& s : result.periods)
      known.push_back(s.period);
    claimed_only(claim, v);
    v.error = fmt::format("the project has no monitoring period '{}' (periods: {})", claim.period,
                          fmt::join(known, ", "));
    v.status = VerifyStatus::error;
    return v;
  }
  v.values = {
      check("RE", claim.reference, slice->reference, v.tolerance, false),
      check("PE", claim.project, slice->project, v.tolerance, false),
      check("ER", claim.reductions, slice->reductions, v.tolerance, false),
      check("credited", as_double(claim.credited), as_double(slice->credited), v.tolerance, true)};
  for (const Unconfirmed& u : slice->unconfirmed)
    v.unconfirmed.push_back(u.name);
  if (entry.allocation || !claim.allocation.empty()) {
    const Status allocated = check_allocation(entry, claim, slice->credited.value_or(0), v);
    if (!allocated) {
      claimed_only(claim, v);
      v.scheme_check.reset();
      v.error = "allocation: " + diagnostic_text(allocated.error());
    }
  }
  v.status = status_of(v);
  return v;
}

} // namespace

std::vector<PeriodVerdict> compare_claims(const ManifestProject& entry, const CalcResult& result,
                                          const Methodology& methodology) {
  PeriodVerdict base;
  base.id = entry.id;
  base.project = result.project;
  base.methodology = result.methodology;
  base.methodology_version = result.methodology_version;
  for (const Table& table : methodology.tables)
    if (!table.version.empty()) base.tables.emplace_back(table.id, table.version);
  base.mrv_version = result.mrv_version;
  base.inputs = result.inputs;
  base.tolerance = entry.tolerance;
  std::vector<PeriodVerdict> verdicts;
  for (const Claim& claim : entry.claims)
    verdicts.push_back(verdict_of(entry, claim, base, result));
  return verdicts;
}

std::vector<PeriodVerdict> error_verdicts(const ManifestProject& entry,
                                          const PeriodVerdict& partial,
                                          const Diagnostic& diagnostic) {
  std::vector<PeriodVerdict> verdicts;
  for (const Claim& claim : entry.claims) {
    PeriodVerdict v = partial;
    v.id = entry.id;
    v.period = claim.period;
    v.tolerance = entry.tolerance;
    v.status = VerifyStatus::error;
    v.error = diagnostic_text(diagnostic);
    claimed_only(claim, v);
    verdicts.push_back(std::move(v));
  }
  return verdicts;
}

} // namespace mrv
