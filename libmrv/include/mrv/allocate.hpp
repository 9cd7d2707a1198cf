// Credit allocation: issued whole tCO2 split among the Government of Japan,
// the partner-country government and the participants, as the financing
// scheme and the project agreement say, with the scheme's rule checked.
//
// The rules are data: each scheme file (mrv/scheme.hpp) holds its rule, and
// the terms (parties, shares, scheme) are mrv/credit_terms.hpp. Allocation
// is integer and always sums exactly to the issued total: every party with a
// share gets its share of N rounded as the agreement says, and the remainder
// party gets what is left. A violated
// scheme rule is a finding (SchemeCheck::passed is false), not an error.
// docs/allocate.md documents the rules, their sources and the output formats.
#pragma once

#include "mrv/credit_terms.hpp"
#include "mrv/diagnostic.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrv {

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
