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
#include <map>
#include <memory>
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

// Where something happened: the first and last data lines, and how often.
struct RowSpan {
  std::string file;
  std::int64_t first = 0, last = 0, count = 0;
  void add(const std::string& in_file, std::int64_t line);
  std::string describe() const; // "data.csv:12" or "data.csv:12-340 (5 rows)"
};

// What was done to the data of one parameter of one unit in one month.
struct Quality {
  RowSpan empty;              // empty cells: no value for the interval
  RowSpan out_of_range;       // values outside the allowed range, treated as gaps
  RowSpan lapsed;             // values measured while the meter's calibration was overdue
  double lapsed_weighted = 0; // Σ error × value over those, in the parameter's unit
  RowSpan rollover;           // cumulative register wrapped around
  RowSpan replacement;        // cumulative register of a replaced meter
  double largest = 0;         // the largest interval value seen (fills project-side gaps)
  bool any_value = false;
};

// Intervals of one unit and month with no row, from a source with an interval.
struct GapSummary {
  std::int64_t missing = 0;
  std::string ranges; // the first ranges, as local times
};

class Aggregation {
public:
  Aggregation(const Methodology& m, const Project& project, const BoundValues& bound);

  // The monitored and per-record parameters that are summarised.
  struct Aggregated {
    std::size_t parameter; // index into Methodology::parameters
    int record_slot;
    int slot;  // its unit-and-period slot, or for a site value its period slot
    bool site; // a site value (is_site_value): only the site's summaries hold it
    Aggregate aggregate;
  };
  const std::vector<Aggregated>& aggregated() const { return aggregated_; }
  const std::vector<MonthSlice>& months() const { return months_; }
  // The summaries are per month and per "row owner": each unit, then the
  // site when the methodology has site values. site() is the site's index
  // (npos without site values); owners() counts them.
  std::size_t site() const { return site_; }
  std::size_t owners() const { return width_; }

  // Reads every row of `reader` as data source `source`.
  // Several files of one source are read in turn, as one stream: a meter's
  // register and the intervals seen carry over from one file to the next.
  Status read(const DataSource& source, CsvReader& reader, RowCounts& counts);
  // After the last file of a source: the intervals it never had.
  void finish(const DataSource& source);
  ~Aggregation();

  const Accumulator& at(std::size_t month, std::size_t unit, std::size_t aggregated) const {
    return accumulators_[(month * width_ + unit) * aggregated_.size() + aggregated];
  }
  std::int64_t records(std::size_t month, std::size_t unit) const {
    return records_[month * width_ + unit];
  }
  const Quality& quality(std::size_t month, std::size_t unit, std::size_t aggregated) const {
    return quality_[(month * width_ + unit) * aggregated_.size() + aggregated];
  }
  // Keeps each unit's data per local day too (CalcOptions::by_day): from
  // before the first read, for the days of the periods. Refused (false)
  // when that would take more than `max_values` numbers.
  bool keep_days(std::size_t max_values);
  // The daily series, one per unit (after the last source's finish()).
  std::vector<DailySeries> days() const;

  // Identical duplicate rows kept once, per month and unit.
  const RowSpan& duplicates(std::size_t month, std::size_t unit) const {
    return duplicates_[month * width_ + unit];
  }
  // Intervals without a row, per month, unit and aggregated parameter.
  const GapSummary& gaps(std::size_t month, std::size_t unit, std::size_t aggregated) const {
    return gaps_[(month * width_ + unit) * aggregated_.size() + aggregated];
  }

private:
  const Methodology& m_;
  const Project& project_;
  const BoundValues& bound_;
  std::size_t unit_count_;
  std::size_t width_;                    // row owners: the units, then the site if any
  std::size_t site_ = std::string::npos; // the site's index, or npos
  std::vector<Aggregated> aggregated_;
  std::vector<MonthSlice> months_;
  std::vector<Accumulator> accumulators_;
  std::vector<std::int64_t> records_;
  std::vector<Quality> quality_;
  std::vector<RowSpan> duplicates_;
  std::vector<GapSummary> gaps_;
  // With keep_days(): per (day × unit) records, missing intervals and
  // treated values, and per (day × unit × summed parameter) the sum.
  bool days_kept_ = false;
  std::int64_t first_day_ = 0;
  std::size_t day_count_ = 0;
  std::vector<std::size_t> daily_index_;      // aggregated index → daily column, or npos
  std::vector<std::size_t> daily_parameters_; // daily column → aggregated index
  std::vector<double> daily_values_;
  std::vector<std::int64_t> daily_records_, daily_missing_, daily_treated_;
  struct SourceState; // what reading a source remembers between its files
  std::map<const DataSource*, std::unique_ptr<SourceState>> sources_;
};

} // namespace mrv::detail
