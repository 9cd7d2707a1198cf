// The data of a calculation (calc_inputs.cpp): the mappings of the
// project's data sources checked against the methodology, and every source
// read into the aggregation.
#pragma once

#include "engine/series.hpp"

namespace mrv::detail {

// Every monitored parameter is fed by some data source, every mapping
// feeds a monitored parameter in a unit of its dimension, site values come
// from a source without units and unit values from one with.
Status check_mappings(const Methodology& m, const Project& project);

// Reads every data source (the project's files, or CalcOptions::data_files)
// into `aggregation`, lists each file in result.inputs and adds its rows to
// result.rows; an input given twice for one parameter (the same path, file,
// or content) is refused, and standard input may be named once.
Status read_data(const Project& project, const CalcOptions& options, Aggregation& aggregation,
                 CalcResult& result);

} // namespace mrv::detail
