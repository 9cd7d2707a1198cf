// What a period's result rests on that nobody checked against the official
// methodology text: the parameters its RE, PE and ER were computed from, the
// table rows it looked up and the rounding rule, whose source says
// `confirmed: false`. --strict refuses such a result unless each is accepted
// by name (CalcOptions::accept_unconfirmed).
#pragma once

#include "engine/engine.hpp"
#include "mrv/calc.hpp"

#include <string>
#include <vector>

namespace mrv::detail {

// The unconfirmed values of one period, from its evaluated slice (`units`:
// the units Σ_i ran over), accepted ones marked.
std::vector<Unconfirmed> unconfirmed_values(const Methodology& m, const BoundValues& bound,
                                            const SliceValues& slice, const std::vector<int>& units,
                                            const std::vector<std::string>& accepted);

// Every name --accept-unconfirmed can take: the parameters, the tables and
// their rows, and "rounding".
std::vector<std::string> acceptable_names(const Methodology& m);

// An error (ExitCode::usage) for a name that is none of them.
Status check_accepted_names(const Methodology& m, const std::vector<std::string>& names);

// "8 values not confirmed against the official methodology text: EG_i_p, ..."
std::string describe_unconfirmed(const std::vector<Unconfirmed>& items);

} // namespace mrv::detail
