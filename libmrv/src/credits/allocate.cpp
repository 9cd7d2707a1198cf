// Credit allocation among parties and the financing schemes' rules; the
// reader of `mrv calc --format json` results for the pipeline form.
#include "mrv/allocate.hpp"
#include "base/try.hpp"

#include "data/sha256.hpp"
#include "data/text_number.hpp"
#include "data/yaml_tree.hpp"
#include "mrv/calc.hpp"
#include "mrv/numbers.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include <unistd.h>

namespace mrv {

namespace {

Diagnostic usage_error(std::string message) {
  Diagnostic d;
  d.code = ExitCode::usage;
  d.message = std::move(message);
  return d;
}

// The bundled rules. Status and wording follow docs/jcm-rules.md#financing-schemes;
// docs/allocate.md cites them.
const std::vector<SchemeRule> bundled_rules = {
    {.id = "model-project",
     .title = "JCM Model Project (equipment subsidy)",
     .minimum_share = 0.5,
     .net_of_partner = false,
     .subsidy_ratio = false,
     .status = "confirmed",
     .statement = "at least 1/2 of the issued credits to the Government of Japan, rounded up"},
    {.id = "eco-lease",
     .title = "Eco Lease",
     .minimum_share = 0.5,
     .net_of_partner = false,
     .subsidy_ratio = false,
     .status = "unconfirmed",
     .statement = "no credit rule of its own sourced yet: the Model Project rule (at least 1/2 "
                  "to the Government of Japan, rounded up) applies until one is"},
    {.id = "fgas",
     .title = "F-gas recovery and destruction",
     .minimum_share = 0.5,
     .net_of_partner = true,
     .subsidy_ratio = true,
     .status = "seed",
     .statement = "of the credits net of the partner country's allocation, the Government of "
                  "Japan receives the larger of (subsidy / eligible cost) and 1/2, rounded up"},
    {.id = "jfjcm",
     .title = "ADB Japan Fund for JCM",
     .minimum_share = 0,
     .net_of_partner = false,
     .subsidy_ratio = false,
     .status = "unconfirmed",
     .statement = "Japan's share is set per project agreement: no minimum is checked"},
    {.id = "none",
     .title = "no financing scheme",
     .minimum_share = 0,
     .net_of_partner = false,
     .subsidy_ratio = false,
     .status = "",
     .statement = "no scheme rule"},
};

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

// The largest N handled: share × N must stay exact at 15 significant digits.
constexpr std::int64_t max_credits = 1'000'000'000'000; // 10^12 tCO2

bool is_reserved(std::string_view name) {
  return name == japan_party || name == partner_party;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Status check_party_name(const std::string& name, std::string_view what) {
  const std::string problem = party_name_problem(name);
  if (!problem.empty()) return usage_error(fmt::format("{}: {}", what, problem));
  return Ok{};
}

Status validate_request(const AllocationRequest& request) {
  if (request.credits < 0)
    return usage_error(
        fmt::format("the credits to allocate must not be negative, got {}", request.credits));
  if (request.credits > max_credits)
    return usage_error(fmt::format("the credits to allocate must be at most {}, got {}",
                                   max_credits, request.credits));
  MRV_TRY(check_party_name(request.remainder, "remainder"));
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

  const SchemeRule& rule = request.scheme;
  const bool has_subsidy = request.subsidy.has_value(),
             has_cost = request.eligible_cost.has_value();
  if (!rule.subsidy_ratio) {
    if (has_subsidy || has_cost)
      return usage_error(fmt::format("scheme {} does not use a subsidy or an eligible cost "
                                     "(--subsidy, --eligible-cost are for --scheme fgas)",
                                     rule.id));
  } else {
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
  }
  return Ok{};
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

} // namespace

std::string party_name_problem(std::string_view name) {
  if (name.empty()) return "the party name is empty";
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return "the party name contains a control character";
  const std::string lower = lowercase(name);
  if (!is_reserved(name) && is_reserved(lower))
    return fmt::format("party '{}' would be a participant; the reserved name is '{}' (lowercase)",
                       name, lower);
  return "";
}

bool TermsOverrides::any() const {
  return !names().empty();
}

std::vector<std::string> TermsOverrides::names() const {
  std::vector<std::string> out;
  if (scheme) out.push_back("--scheme");
  if (parties) out.push_back("--party");
  if (remainder) out.push_back("--remainder");
  if (subsidy) out.push_back("--subsidy");
  if (eligible_cost) out.push_back("--eligible-cost");
  if (fgas_reading) out.push_back("--fgas-reading");
  return out;
}

AllocationRequest override_terms(const AllocationRequest& terms, const TermsOverrides& overrides) {
  AllocationRequest request = terms;
  if (overrides.scheme) {
    request.scheme = *overrides.scheme;
    // The project's subsidy figures belong to the scheme they were written for.
    if (!request.scheme.subsidy_ratio) {
      request.subsidy.reset();
      request.eligible_cost.reset();
      request.fgas_reading = FgasReading::net;
    }
  }
  if (overrides.parties) request.parties = *overrides.parties;
  if (overrides.remainder) request.remainder = *overrides.remainder;
  if (overrides.subsidy) request.subsidy = overrides.subsidy;
  if (overrides.eligible_cost) request.eligible_cost = overrides.eligible_cost;
  if (overrides.fgas_reading) request.fgas_reading = *overrides.fgas_reading;
  return request;
}

std::optional<ShareRounding> parse_share_rounding(std::string_view name) {
  if (name == "up") return ShareRounding::up;
  if (name == "down") return ShareRounding::down;
  if (name == "nearest") return ShareRounding::nearest;
  return std::nullopt;
}

const char* share_rounding_name(ShareRounding rounding) {
  switch (rounding) {
  case ShareRounding::up:
    return "up";
  case ShareRounding::down:
    return "down";
  case ShareRounding::nearest:
    return "nearest";
  }
  return "?";
}

ShareRounding default_share_rounding(std::string_view party) {
  return party == japan_party ? ShareRounding::up : ShareRounding::down;
}

std::optional<double> parse_share(std::string_view text) {
  const bool percent = !text.empty() && text.back() == '%';
  if (percent) text.remove_suffix(1);
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return std::nullopt;
  const std::optional<double> value = detail::parse_number(text);
  if (!value) return std::nullopt;
  return percent ? *value / 100 : *value;
}

Expected<PartyShare> parse_party(std::string_view text) {
  const std::string flag = fmt::format("--party '{}'", text);
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos)
    return usage_error(fmt::format("{}: expected NAME=SHARE[:up|down|nearest]", flag));
  PartyShare party;
  party.name = std::string(text.substr(0, equals));
  MRV_TRY(check_party_name(party.name, flag));
  std::string_view rest = text.substr(equals + 1);
  std::string_view share = rest, mode;
  if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
    share = rest.substr(0, colon);
    mode = rest.substr(colon + 1);
  }
  const std::optional<double> value = parse_share(share);
  if (!value)
    return usage_error(fmt::format("{}: '{}' is not a share (a fraction such as 0.5 or a "
                                   "percentage such as 50%)",
                                   flag, share));
  if (!(*value >= 0 && *value <= 1))
    return usage_error(fmt::format("{}: share {} is outside 0 to 1 (0% to 100%)", flag, share));
  party.share = *value;
  party.rounding = default_share_rounding(party.name);
  if (!mode.empty() || rest.find(':') != std::string_view::npos) {
    const std::optional<ShareRounding> rounding = parse_share_rounding(mode);
    if (!rounding) {
      Diagnostic d =
          usage_error(fmt::format("{}: unknown rounding '{}' (up, down or nearest)", flag, mode));
      const std::string hint = closest_match(std::string(mode), {"up", "down", "nearest"});
      if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
      return d;
    }
    party.rounding = *rounding;
  }
  return party;
}

const std::vector<SchemeRule>& scheme_rules() {
  return bundled_rules;
}

const SchemeRule* find_scheme(std::string_view id) {
  for (const SchemeRule& rule : bundled_rules)
    if (rule.id == id) return &rule;
  return nullptr;
}

std::optional<FgasReading> parse_fgas_reading(std::string_view name) {
  if (name == "net") return FgasReading::net;
  if (name == "total") return FgasReading::total;
  return std::nullopt;
}

const char* fgas_reading_name(FgasReading reading) {
  return reading == FgasReading::net ? "net" : "total";
}

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
  const SchemeRule& rule = request.scheme;
  Allocation result;
  result.credits = request.credits;

  // 1. Every party with a share.
  std::vector<PartyAllocation> shared;
  double shares = 0;
  for (const PartyShare& party : request.parties) {
    shared.push_back({.name = party.name,
                      .share = at_15_significant_digits(party.share),
                      .rounding = party.rounding,
                      .basis = PartyBasis::share,
                      .credits = whole_tonnes(party.share, request.credits, party.rounding)});
    shares += party.share;
  }

  // 2. The scheme's minimum, which for fgas depends on the partner's part.
  const PartyAllocation* partner = find_party(shared, partner_party);
  result.check = scheme_minimum(request, partner ? partner->credits : 0);

  // 3. Japan by the scheme, when the agreement gives it no share.
  const bool japan_by_rule =
      result.check.applies && !find_party(shared, japan_party) && request.remainder != japan_party;
  if (japan_by_rule) {
    const double share = at_15_significant_digits(minimum_as_share(result.check, rule));
    result.parties.push_back({.name = std::string(japan_party),
                              .share = share,
                              .rounding = std::nullopt,
                              .basis = PartyBasis::scheme_minimum,
                              .credits = result.check.minimum});
    shares += share;
  }
  for (PartyAllocation& party : shared)
    result.parties.push_back(std::move(party));

  // 4. The remainder: what is left, never less than nothing.
  std::int64_t given = 0;
  std::vector<std::string> terms;
  for (const PartyAllocation& party : result.parties) {
    given += party.credits;
    terms.push_back(fmt::format("{} {}", party.name, party.credits));
  }
  if (given > request.credits)
    return usage_error(fmt::format("{} = {} credits, more than the {} to allocate",
                                   fmt::join(terms, " + "), given, request.credits));
  result.parties.push_back({.name = request.remainder,
                            .share = std::max(0.0, at_15_significant_digits(1 - shares)),
                            .rounding = std::nullopt,
                            .basis = PartyBasis::remainder,
                            .credits = request.credits - given});

  finish_check(result.check, result.parties);
  return result;
}

// ---- The calc result

namespace {

Diagnostic invalid(const std::string& file, std::string message) {
  Diagnostic d = error_at(Location{file, 0, 0}, std::move(message));
  d.notes.push_back("expected the output of `mrv calc --format json`");
  return d;
}

// Line, column and text of the line at a byte offset.
Location location_at(const std::string& file, std::string_view text, std::size_t offset,
                     std::string& line_text) {
  offset = std::min(offset, text.size());
  const std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t begin =
      line_start == std::string_view::npos || offset == 0 ? 0 : line_start + 1;
  std::size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  line_text = std::string(text.substr(begin, end - begin));
  if (!line_text.empty() && line_text.back() == '\r') line_text.pop_back();
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + begin, '\n')) + 1;
  return Location{file, line, static_cast<int>(offset - begin) + 1};
}

Diagnostic json_syntax_error(const std::string& file, std::string_view text,
                             const nlohmann::json::parse_error& e) {
  std::string message = e.what();
  // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
  if (const std::size_t colon = message.find(": ", message.find("parse error"));
      colon != std::string::npos)
    message = message.substr(colon + 2);
  std::string line_text;
  // e.byte is the 1-based position of the byte that could not be read.
  const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
  Diagnostic d = error_at(location_at(file, text, offset, line_text), "invalid JSON: " + message);
  d.source_line = line_text;
  if (text.starts_with("period,") || text.starts_with("period\t"))
    d.notes.push_back("this looks like CSV or TSV: run `mrv calc` with --format json");
  else if (message.find("expected end of input") != std::string::npos)
    d.notes.push_back("this looks like several JSON documents (jsonl): run `mrv calc` with "
                      "--format json");
  else
    d.notes.push_back("expected the output of `mrv calc --format json`");
  return d;
}

Expected<std::string> text_member(const std::string& file, const nlohmann::json& object,
                                  const char* name, const std::string& where, bool required) {
  const auto found = object.find(name);
  if (found == object.end() || found->is_null()) {
    if (!required) return std::string();
    return invalid(file, fmt::format("{} has no '{}'", where, name));
  }
  if (!found->is_string()) return invalid(file, fmt::format("{}.{} must be a text", where, name));
  return found->get<std::string>();
}

Expected<std::int64_t> credited_member(const std::string& file, const nlohmann::json& period,
                                       const std::string& where) {
  const auto found = period.find("credited");
  if (found == period.end())
    return invalid(file, fmt::format("{} has no 'credited' amount", where));
  if (found->is_null())
    return invalid(file,
                   fmt::format("{}.credited is null: the period has no credited amount", where));
  if (found->is_number_unsigned()) {
    const std::uint64_t value = found->get<std::uint64_t>();
    if (value > static_cast<std::uint64_t>(max_credits))
      return invalid(file,
                     fmt::format("{}.credited is {}, more than {}", where, value, max_credits));
    return static_cast<std::int64_t>(value);
  }
  if (found->is_number_integer())
    return invalid(file, fmt::format("{}.credited is {}: credits cannot be negative", where,
                                     found->get<std::int64_t>()));
  return invalid(file, fmt::format("{}.credited must be a whole number of tCO2, got {}", where,
                                   found->dump()));
}

Expected<CalcCredits::Period> read_period(const std::string& file, const nlohmann::json& period,
                                          std::size_t index) {
  const std::string where = fmt::format("periods[{}]", index);
  if (!period.is_object()) return invalid(file, fmt::format("{} must be an object", where));
  CalcCredits::Period p;
  p.id = MRV_TRY(text_member(file, period, "id", where, true));
  p.from = MRV_TRY(text_member(file, period, "from", where, false));
  p.to = MRV_TRY(text_member(file, period, "to", where, false));
  p.credited = MRV_TRY(credited_member(file, period, where));
  return p;
}

Expected<std::string> read_all(const std::string& path) {
  constexpr std::size_t max_bytes = std::size_t{1} << 30;
  if (path != "-") return detail::read_text_file(path, max_bytes);
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      return cannot_open("<stdin>", std::strerror(errno));
    }
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > max_bytes)
      return error_at(Location{"<stdin>", 0, 0},
                      fmt::format("input is larger than {} bytes", max_bytes));
  }
  return text;
}

} // namespace

Expected<CalcCredits> parse_calc_credits(std::string_view text, const std::string& file_name) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return invalid(file_name, "no input: the calc result is empty");
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return json_syntax_error(file_name, text, e);
  }
  if (!document.is_object()) return invalid(file_name, "the calc result must be a JSON object");

  CalcCredits result;
  result.path = file_name;
  result.sha256 = detail::sha256_hex(text);
  result.format = MRV_TRY(text_member(file_name, document, "format", "the calc result", false));
  if (!result.format.empty() && result.format != "mrv.calc/1")
    return invalid(file_name, fmt::format("unsupported format '{}' (this mrv reads mrv.calc/1)",
                                          result.format));
  result.project = MRV_TRY(text_member(file_name, document, "project", "the calc result", false));
  if (const auto m = document.find("methodology"); m != document.end() && m->is_object()) {
    result.methodology = MRV_TRY(text_member(file_name, *m, "id", "methodology", false));
    result.methodology_version =
        MRV_TRY(text_member(file_name, *m, "version", "methodology", false));
  }
  const auto periods = document.find("periods");
  if (periods == document.end()) return invalid(file_name, "the calc result has no 'periods'");
  if (!periods->is_array()) return invalid(file_name, "'periods' must be an array");
  if (periods->empty()) return invalid(file_name, "the calc result has no periods");
  for (std::size_t i = 0; i < periods->size(); ++i) {
    CalcCredits::Period period = MRV_TRY(read_period(file_name, (*periods)[i], i));
    for (const CalcCredits::Period& seen : result.periods)
      if (seen.id == period.id)
        return invalid(file_name, fmt::format("period '{}' appears twice", period.id));
    result.periods.push_back(std::move(period));
  }
  return result;
}

Expected<CalcCredits> read_calc_credits(const std::string& path) {
  const std::string text = MRV_TRY(read_all(path));
  CalcCredits result = MRV_TRY(parse_calc_credits(text, path == "-" ? "<stdin>" : path));
  result.path = path;
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

void add_scheme_notes(AllocationResult& result, const AllocationRequest& request) {
  const bool japan_has_share =
      std::any_of(request.parties.begin(), request.parties.end(),
                  [](const PartyShare& p) { return p.name == japan_party; });
  if (request.scheme.id == "jfjcm" && !japan_has_share && request.remainder != japan_party)
    result.notes.push_back("scheme jfjcm: Japan's share is set by the project agreement; give it "
                           "with --party japan=SHARE");
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
    Expected<Allocation> allocation = allocate(each);
    if (!allocation) {
      Diagnostic d = std::move(allocation).error();
      d.message = fmt::format("period {}: {}", period.id, d.message);
      return d;
    }
    sum += period.credited;
    result.periods.push_back({period.id, std::move(*allocation)});
  }
  each.credits = sum;
  Expected<Allocation> total = allocate(each);
  if (!total) {
    Diagnostic d = std::move(total).error();
    d.message = "total of the periods: " + d.message;
    return d;
  }
  result.total = std::move(*total);

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
                                       sum, fmt::join(differences, ", ")));
  add_scheme_notes(result, request);
  return result;
}

Diagnostic CreditTerms::error(const Diagnostic& cause) const {
  Diagnostic d = error_at(location, "credit_terms: " + cause.message);
  d.source_line = source_line;
  d.caret_length = static_cast<int>(std::string_view("credit_terms").size());
  d.notes = cause.notes;
  return d;
}

Expected<AllocationResult> allocate_by_terms(const CreditTerms& terms, const CalcCredits& source) {
  Expected<AllocationResult> result = allocate_calc(source, terms.request);
  if (result || result.error().code != ExitCode::usage) return result;
  return terms.error(result.error());
}

} // namespace mrv
