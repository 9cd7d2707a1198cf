// `mrv allocate` output: an AllocationResult as rows (csv, tsv, jsonl, table,
// md) or as one JSON document (format "mrv.allocate/1"). Both are specified
// in docs/allocate.md; a change to either is a change of the versioned format.
#pragma once

#include "mrv/allocate.hpp"
#include "mrv/render.hpp"

#include <string>

namespace mrv {

// csv/tsv/jsonl: one row per party (columns party, share, credits; with a
// calc result a `period` column first, empty on the rows of the total);
// table/md: the same rows, then the scheme, its check and the notes;
// json: the whole result.
std::string render_allocation(const AllocationResult& result, Format format);

// How japan's minimum was computed, with the figures used:
// "ceil(0.5 * 2477)", "ceil(max(30000000/50000000, 0.5) * (2000 - 200))".
// Empty when the scheme sets no minimum.
std::string scheme_check_formula(const SchemeCheck& check);

// The check in one line:
//   "japan 1239, minimum 1239 = ceil(0.5 * 2477): pass"
//   "japan 1000, minimum 1239 = ceil(0.5 * 2477): fail, shortfall 239"
//   "no minimum for japan"
std::string describe_scheme_check(const SchemeCheck& check);

// What `mrv allocate` says on standard error about a violated rule:
//   "scheme model-project (confirmed): japan receives 1000 credits, below the
//    minimum 1239 = ceil(0.5 * 2477); shortfall 239"
std::string describe_failed_check(const SchemeCheck& check);

} // namespace mrv
