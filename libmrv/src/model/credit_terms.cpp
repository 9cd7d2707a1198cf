// The credit-terms vocabulary: parties as `--party` writes them, roundings,
// the readings of a subsidy-ratio rule, the overrides of a project's terms.
#include "mrv/credit_terms.hpp"
#include "base/try.hpp"

#include "data/text_number.hpp"

#include <fmt/format.h>

namespace mrv {

namespace {

Diagnostic usage_error(std::string message) {
  Diagnostic d;
  d.code = ExitCode::usage;
  d.message = std::move(message);
  return d;
}

bool is_reserved(std::string_view name) {
  return name == japan_party || name == partner_party;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The rounding after the ':' of `--party NAME=SHARE:MODE`.
Expected<ShareRounding> party_rounding(std::string_view mode, const std::string& flag) {
  const std::optional<ShareRounding> rounding = parse_share_rounding(mode);
  if (rounding) return *rounding;
  Diagnostic d =
      usage_error(fmt::format("{}: unknown rounding '{}' (up, down or nearest)", flag, mode));
  const std::string hint = closest_match(std::string(mode), {"up", "down", "nearest"});
  if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
  return d;
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
  if (const std::string problem = party_name_problem(party.name); !problem.empty())
    return usage_error(fmt::format("{}: {}", flag, problem));
  const std::string_view rest = text.substr(equals + 1);
  const std::size_t colon = rest.find(':');
  const std::string_view share = rest.substr(0, colon);
  const std::optional<double> value = parse_share(share);
  if (!value)
    return usage_error(fmt::format("{}: '{}' is not a share (a fraction such as 0.5 or a "
                                   "percentage such as 50%)",
                                   flag, share));
  if (!(*value >= 0 && *value <= 1))
    return usage_error(fmt::format("{}: share {} is outside 0 to 1 (0% to 100%)", flag, share));
  party.share = *value;
  party.rounding = default_share_rounding(party.name);
  if (colon != std::string_view::npos)
    party.rounding = MRV_TRY(party_rounding(rest.substr(colon + 1), flag));
  return party;
}

std::optional<FgasReading> parse_fgas_reading(std::string_view name) {
  if (name == "net") return FgasReading::net;
  if (name == "total") return FgasReading::total;
  return std::nullopt;
}

const char* fgas_reading_name(FgasReading reading) {
  return reading == FgasReading::net ? "net" : "total";
}

Diagnostic CreditTerms::error(const Diagnostic& cause) const {
  Diagnostic d = error_at(location, "credit_terms: " + cause.message);
  d.source_line = source_line;
  d.caret_length = static_cast<int>(std::string_view("credit_terms").size());
  d.notes = cause.notes;
  return d;
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

} // namespace mrv
