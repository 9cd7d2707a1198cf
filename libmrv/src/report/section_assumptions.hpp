// The assumptions of a report: the values its results depend on that are
// not confirmed against the official methodology text, as a box at the top
// (HTML and Markdown) and as a mark in each period's parameters table.
#pragma once

#include "mrv/report.hpp"
#include "report/report_document.hpp"

#include <string>
#include <vector>

namespace mrv::detail {

// The box: "This result depends on N values not confirmed against the
// official methodology text", each value with its source and the periods
// that depend on it; nothing when every value is confirmed.
std::vector<DocBlock> assumptions_blocks(const Report& report);

// The mark of a parameter in the parameters table of `period` when the
// period depends on it unconfirmed (" †", " † accepted"), else "".
std::string unconfirmed_mark(const SliceResult& period, const std::string& parameter);

// The caption's explanation of the mark, or "" when no row is marked.
std::string unconfirmed_legend(const SliceResult& period);

} // namespace mrv::detail
