// Credit allocation: issued whole tCO2 split among the Government of Japan,
// the partner-country government and the participants, as the financing
// scheme and the project agreement say, with the scheme's rule checked.
//
// The rules are data (SchemeRule), not code: each year's call for proposals
// can change them. Allocation is integer and always sums exactly to the
// issued total: every party with a share gets its share of N rounded as the
// agreement says, and the remainder party gets what is left. A violated
// scheme rule is a finding (SchemeCheck::passed is false), not an error.
// docs/allocate.md documents the rules, their sources and the output formats.
#pragma once

#include "mrv/diagnostic.hpp"

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

// What a financing scheme requires of Japan's part. Japan's minimum is
//   ceil(fraction × base), fraction = minimum_share, or with subsidy_ratio
//   the larger of subsidy ÷ eligible cost and minimum_share; base = N, or
//   with net_of_partner N minus the partner's allocation.
// minimum_share 0 means the scheme sets no minimum.
struct SchemeRule {
  std::string id;    // "model-project"
  std::string title; // "JCM Model Project (equipment subsidy)"
  double minimum_share = 0;
  bool net_of_partner = false;
  bool subsidy_ratio = false;
  std::string status;    // "confirmed", "seed" or "unconfirmed"; "" for no scheme
  std::string statement; // the rule in words, as its source states it
};

// The bundled rules: model-project, eco-lease, fgas, jfjcm, none.
const std::vector<SchemeRule>& scheme_rules();
const SchemeRule* find_scheme(std::string_view id);

// Two readings of the F-gas rule's "1/2" (docs/allocate.md):
//   net:   japan ≥ ceil(max(subsidy ÷ eligible cost, 1/2) × (N − partner))
//   total: japan ≥ max(ceil(subsidy ÷ eligible cost × (N − partner)), ceil(N / 2))
enum class FgasReading { net, total };
std::optional<FgasReading> parse_fgas_reading(std::string_view name);
const char* fgas_reading_name(FgasReading reading);

struct AllocationRequest {
  std::int64_t credits = 0; // N, whole tCO2 issued
  SchemeRule scheme = *find_scheme("model-project");
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

// Why a party receives what it does.
enum class PartyBasis { share, scheme_minimum, remainder };
const char* party_basis_name(PartyBasis basis);

struct PartyAllocation {
  std::string name;
  // The party's nominal share of N: as given; for japan by the scheme
  // minimum, the rule's fraction of its base expressed as a share of N; for
  // the remainder party, 1 minus the others' shares. Taken at 15
  // significant digits.
  double share = 0;
  std::optional<ShareRounding> rounding; // for a party with a share
  PartyBasis basis = PartyBasis::share;
  std::int64_t credits = 0;
};

// The scheme's rule applied to an allocation, with the figures it used.
struct SchemeCheck {
  std::string scheme;   // rule id
  std::string status;   // the rule's status
  bool applies = false; // false when the scheme sets no minimum
  bool passed = true;
  std::int64_t minimum = 0;   // japan's minimum, whole tCO2
  std::int64_t actual = 0;    // what japan receives
  std::int64_t shortfall = 0; // minimum − actual when positive, else 0
  // The figures used.
  std::int64_t credits = 0;         // N
  std::int64_t partner_credits = 0; // the partner's allocation (net_of_partner)
  std::int64_t base = 0;            // what the fraction applies to: N, or N − partner
  double fraction = 0;              // the fraction applied to base
  double rule_share = 0;            // the rule's minimum share (1/2)
  std::optional<double> subsidy, eligible_cost, subsidy_ratio; // subsidy_ratio rules
  std::optional<FgasReading> reading;                          // subsidy_ratio rules
  std::int64_t half_of_all = 0;                                // the total reading: ceil(N / 2)
};

struct Allocation {
  std::int64_t credits = 0;             // N
  std::vector<PartyAllocation> parties; // parties with a share in request order,
                                        // japan by the scheme first, the remainder last
  SchemeCheck check;
};

// Splits request.credits. Japan, when it has no share and is not the
// remainder party, receives exactly the scheme's minimum. Errors (a share
// outside 0 to 1, shares adding up to more than 1, a party named twice, the
// parties other than the remainder receiving more than N, a missing or
// meaningless subsidy figure) are usage errors: the request is what the
// command line said.
Expected<Allocation> allocate(const AllocationRequest& request);

// ---- Allocating a `mrv calc --format json` result

// What allocation needs from a calc result (docs/calc-json.md).
struct CalcCredits {
  std::string path;   // as given; "-" for standard input; "" when computed in-process
  std::string sha256; // of the bytes read
  std::string format; // "mrv.calc/1"
  std::string project, methodology, methodology_version;
  struct Period {
    std::string id, from, to;
    std::int64_t credited = 0;
  };
  std::vector<Period> periods;
};

// Parses the JSON text of a calc result; `file_name` names it in messages.
// Malformed or unexpected content is invalid input (ExitCode::invalid_input)
// with the line and column where the JSON is broken.
Expected<CalcCredits> parse_calc_credits(std::string_view text, const std::string& file_name);
// Reads a file, or standard input for "-", and parses it.
Expected<CalcCredits> read_calc_credits(const std::string& path);

struct PeriodAllocation {
  std::string period;
  Allocation allocation;
};

// What `mrv allocate` reports: one allocation of N, or with a calc result
// each period's allocation and the allocation of their sum.
struct AllocationResult {
  SchemeRule scheme;
  std::optional<CalcCredits> source; // with a calc result
  // With terms from a project file: the file, its SHA-256 and the flags that
  // overrode its terms.
  struct TermsSource {
    std::string path, sha256;
    std::vector<std::string> overridden;
  };
  std::optional<TermsSource> terms;
  std::vector<PeriodAllocation> periods; // with a calc result
  Allocation total;                      // of N, or of the sum of the periods' credits
  // With a calc result: each party's credits summed over the periods, which
  // need not equal what the same party receives in `total` (per-party
  // rounding happens in every period).
  std::vector<PartyAllocation> sum_of_periods;
  std::vector<std::string> notes;

  bool passed() const; // every check passed
};

Expected<AllocationResult> allocate_credits(const AllocationRequest& request);
// request.credits is ignored: each period's credited amount is allocated,
// then their sum.
Expected<AllocationResult> allocate_calc(const CalcCredits& source,
                                         const AllocationRequest& request);

// Allocates each period of `source` and their total by a project's credit
// terms. A failure of the terms themselves (the parties, rounded up,
// receiving more than a period's credits) is invalid input located at the
// project's `credit_terms:`.
Expected<AllocationResult> allocate_by_terms(const CreditTerms& terms, const CalcCredits& source);

} // namespace mrv
