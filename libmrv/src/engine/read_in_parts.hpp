// One large data file read on several cores (CalcOptions::jobs): cut at
// row boundaries, each part read by a thread into a twin of the
// Aggregation, the parts then added in file order (series_parts.cpp).
#pragma once

#include "data/csv_reader.hpp"
#include "engine/series.hpp"

#include <string>

namespace mrv::detail {

struct PartsPlan {
  unsigned jobs = 1;
  std::int64_t part_bytes = 16 << 20; // the smallest part worth a thread
  bool hash = false;                  // the file's SHA-256 too
};

// Reads file `path` of source `source` in parts, adds its rows to `counts`
// and its hash to `sha256`, and returns the number of parts; or returns 0, having
// changed nothing, when the file is not worth splitting or cannot be split
// exactly (see series_parts.cpp), and the caller reads it in one pass. Any
// error found in a part also returns 0: the pass in one part reports it
// as it always does, with everything read before it.
unsigned read_in_parts(Aggregation& aggregation, std::size_t source, const std::string& path,
                       const CsvDialect& dialect, const PartsPlan& plan, RowCounts& counts,
                       std::string& sha256);

} // namespace mrv::detail
