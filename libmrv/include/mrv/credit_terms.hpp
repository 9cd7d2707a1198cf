// Credit terms: how issued whole tCO2 are to be split among the Government of
// Japan, the partner-country government and the participants (the parties,
// their shares and roundings, the remainder party, the financing scheme and
// its figures), as `--party` flags, a project's `credit_terms:` and a verify
// manifest write them. The vocabulary the model reads; mrv/allocate.hpp
// splits the credits by it. docs/allocate.md documents the terms.
#pragma once

#include "mrv/diagnostic.hpp"
#include "mrv/scheme.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrv {

// How a party's share of N becomes whole tonnes. nearest is half up
// (1238.5 → 1239). The product share × N is first taken at 15 significant
// digits, as a spreadsheet shows it, so 0.3 × 1000 is 300, not 300.00000000000006.
enum class ShareRounding { up, down, nearest };
std::optional<ShareRounding> parse_share_rounding(std::string_view name);
const char* share_rounding_name(ShareRounding rounding);

// Reserved party names; any other name is a participant.
inline constexpr std::string_view japan_party = "japan";     // Government of Japan
inline constexpr std::string_view partner_party = "partner"; // partner-country government
inline constexpr std::string_view default_remainder_party = "participants";

struct PartyShare {
  std::string name;
  double share = 0; // fraction of the credits, 0 to 1
  ShareRounding rounding = ShareRounding::down;
};

// The default rounding of a party: up for japan, down for everyone else.
ShareRounding default_share_rounding(std::string_view party);

// A share as written on the command line: a fraction ("0.5", ".75") or a
// percentage ("50%", "12.5%"). Nothing for anything else. The range is not
// checked here.
std::optional<double> parse_share(std::string_view text);

// Why `name` cannot name a party, or "" when it can: empty, a control
// character, or a reserved name in other letter case ("Japan"), which would
// silently become a participant.
std::string party_name_problem(std::string_view name);

// `NAME=SHARE[:up|down|nearest]`, the value of `--party`. Errors are usage
// errors (ExitCode::usage) that quote the flag's value.
Expected<PartyShare> parse_party(std::string_view text);

// Two readings of the 1/2 of a rule with a subsidy ratio (F-gas, REDD+;
// docs/allocate.md):
//   net:   japan ≥ ceil(max(subsidy ÷ eligible cost, 1/2) × (N − partner))
//   total: japan ≥ max(ceil(subsidy ÷ eligible cost × (N − partner)), ceil(N / 2))
enum class FgasReading { net, total };
std::optional<FgasReading> parse_fgas_reading(std::string_view name);
const char* fgas_reading_name(FgasReading reading);

struct AllocationRequest {
  std::int64_t credits = 0; // N, whole tCO2 issued
  // The scheme's rule, from find_scheme_rule(); a request without one
  // (an empty id) is refused: there is no built-in default rule.
  SchemeRule scheme;
  std::vector<PartyShare> parties; // in the order they are to be listed
  std::string remainder = std::string(default_remainder_party);
  std::optional<double> subsidy;       // JPY, for a rule with subsidy_ratio
  std::optional<double> eligible_cost; // JPY, for a rule with subsidy_ratio
  FgasReading fgas_reading = FgasReading::net;
};

// ---- Credit terms written in a project file (`credit_terms:`,
// docs/project-format.md) and the command line's overrides of them.

// What the project file says: the request without its credits.
struct CreditTerms {
  AllocationRequest request; // credits is 0
  Location location;         // of the `credit_terms` key
  std::string source_line;   // the line of the key
  // An error of the terms themselves (not of a flag) at the terms.
  Diagnostic error(const Diagnostic& cause) const;
};

// The flags of `mrv allocate` that replace a project's terms; absent: the
// project's term stands. `parties` replaces every party of the project (the
// parties are one agreement, not merged name by name). A scheme that does
// not use a subsidy ratio drops the project's subsidy, eligible cost and
// reading, which only apply to the scheme they were written for.
struct TermsOverrides {
  std::optional<SchemeRule> scheme;
  std::optional<std::vector<PartyShare>> parties;
  std::optional<std::string> remainder;
  std::optional<double> subsidy, eligible_cost;
  std::optional<FgasReading> fgas_reading;
  bool any() const;
  std::vector<std::string> names() const; // the flags given: "--party", "--scheme", ...
};
AllocationRequest override_terms(const AllocationRequest& terms, const TermsOverrides& overrides);

} // namespace mrv
