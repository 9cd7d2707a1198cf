// Streaming monitoring data into per-unit, per-month summaries.
//
// Each data row is placed in one month of one monitoring period (by its
// timestamp in the site's local time) and one unit; its values are converted
// to the methodology's units, per-record equations are evaluated over batches
// of rows, and every monitored or per-record value is summarised. Memory is
// bounded by units × months, whatever the number of rows.
#pragma once

#include "csv_reader.hpp"
#include "engine.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace mrv::detail {

// The summaries a period may need. Sums are exact for readings written as
// plain decimals (kept as integers of 1e-12 of the parameter's unit), and
// compensated (Neumaier) for the rest, so a total does not depend on the
// order of the rows.
struct Accumulator {
  static constexpr int exact_decimals = 12;
  __int128 exact = 0;
  double sum = 0, compensation = 0;
  std::int64_t count = 0;
  double min = 0, max = 0, first = 0, last = 0;
  std::int64_t first_time = 0, last_time = 0;

  void add(double value, std::int64_t time);
  // `scaled` is `value` in units of 1e-12, exactly.
  void add_exact(__int128 scaled, double value, std::int64_t time);
  void merge(const Accumulator& other);
  double total() const;
  // The summary by `aggregate`; NaN when nothing was added (except sum: 0).
  double value(Aggregate aggregate) const;
};

// The calendar months of the monitoring periods, in time order.
struct MonthSlice {
  int period = 0;             // index into Project::periods
  std::int64_t first_day = 0; // inclusive, clipped to the period
  std::int64_t last_day = 0;
  std::int64_t start = 0, end = 0; // [start, end) in seconds UTC
  std::string label;               // "2017-03"
};
std::vector<MonthSlice> month_slices(const Project& project);

class Aggregation {
public:
  Aggregation(const Methodology& m, const Project& project, const BoundValues& bound);

  // The monitored and per-record parameters that are summarised.
  struct Aggregated {
    std::size_t parameter; // index into Methodology::parameters
    int record_slot;
    int unit_period_slot;
    Aggregate aggregate;
  };
  const std::vector<Aggregated>& aggregated() const { return aggregated_; }
  const std::vector<MonthSlice>& months() const { return months_; }

  // Reads every row of `reader` as data source `source`.
  Status read(const DataSource& source, CsvReader& reader, RowCounts& counts);

  const Accumulator& at(std::size_t month, std::size_t unit, std::size_t aggregated) const {
    return accumulators_[(month * unit_count_ + unit) * aggregated_.size() + aggregated];
  }
  std::int64_t records(std::size_t month, std::size_t unit) const {
    return records_[month * unit_count_ + unit];
  }

private:
  const Methodology& m_;
  const Project& project_;
  const BoundValues& bound_;
  std::size_t unit_count_;
  std::vector<Aggregated> aggregated_;
  std::vector<MonthSlice> months_;
  std::vector<Accumulator> accumulators_;
  std::vector<std::int64_t> records_;
};

} // namespace mrv::detail
