// Streaming monitoring data into per-unit, per-month summaries.
//
// Each data row is placed in one month of one monitoring period (by its
// timestamp in the site's local time) and one unit; its values are checked
// against what the project declares and what the equipment can do,
// converted to the methodology's units, and summarised; per-record
// equations are evaluated over batches of rows. Memory is bounded by
// units × months, plus a bit per interval that had a row, whatever the
// number of rows.
#pragma once

#include "base/int128.hpp"
#include "data/csv_reader.hpp"
#include "engine/engine.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mrv::detail {

// The summaries a period may need. Sums are exact for readings written as
// plain decimals (kept as integers of 1e-12 of the parameter's unit), and
// compensated (Neumaier) for the rest, so a total does not depend on the
// order of the rows.
struct Accumulator {
  static constexpr int exact_decimals = 12;
  Int128 exact = 0;
  double sum = 0, compensation = 0;
  std::int64_t count = 0;
  std::int64_t inexact = 0; // values added to `sum` (not exactly)
  double min = 0, max = 0, first = 0, last = 0;
  std::int64_t first_time = 0, last_time = 0;
  // Two values at the first (last) time: `first` (`last`) would depend on
  // the order of the rows.
  bool first_tied = false, last_tied = false;

  void add(double value, std::int64_t time);
  // `scaled` is `value` in units of 1e-12, exactly. Inline: every reading.
  [[gnu::always_inline]] void add_exact(Int128 scaled, double value, std::int64_t time) {
    exact += scaled;
    if (count == 0) [[unlikely]] {
      min = max = first = last = value;
      first_time = last_time = time;
    } else {
      min = std::min(min, value);
      max = std::max(max, value);
      if (time < first_time) {
        first = value, first_time = time, first_tied = false;
      } else if (time == first_time && value != first) {
        first_tied = true;
      }
      if (time > last_time) {
        last = value, last_time = time, last_tied = false;
      } else if (time == last_time && value != last) {
        last_tied = true;
      }
    }
    ++count;
  }
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
// The file is an index into Aggregation::files().
struct RowSpan {
  std::int32_t file = 0;
  std::int64_t first = 0, last = 0, count = 0;
  void add(std::int32_t in_file, std::int64_t line);
  void merge(const RowSpan& other);
  // The same span with its lines moved by `line_delta` (a later part of a file).
  RowSpan moved(std::int64_t line_delta) const;
  // "data.csv:12" or "data.csv:12-340 (5 rows)"
  std::string describe(const std::vector<std::string>& files) const;
};

// What was done to the data of one parameter of one unit in one month.
struct Quality {
  RowSpan empty;              // empty cells: no value for the interval
  RowSpan out_of_range;       // values outside the allowed range, treated as gaps
  RowSpan lapsed;             // values measured while the meter's calibration was overdue
  double lapsed_weighted = 0; // Σ error × value over those, in the parameter's unit
  RowSpan rollover;           // cumulative register wrapped around
  RowSpan replacement;        // cumulative register of a replaced meter
  RowSpan above_rating;       // values above the rating that the project explains
  // Register differences over an outage that this month shares with another
  // period or with time outside the periods: this month's part under each
  // rule (the least the rating proves, the most it allows, a time share).
  RowSpan spans;
  double span_least = 0, span_most = 0, span_by_time = 0;
  double span_whole = 0; // the whole differences, once per period (in its first month they touch)
  bool span_split_by_time = false; // the column declares `split: time`
  double largest = 0;              // the largest interval value seen (fills project-side gaps)
  std::int64_t largest_line = 0;   // where, in file largest_file
  std::int32_t largest_file = 0;
  bool any_value = false;
  // One file read in parts (series_parts.cpp). A field added above is added
  // to both: whether a later part's record can be added exactly (its running
  // sums are of values a split source never has: lapses, register spans),
  // and adding it, as if its rows had followed this record's.
  bool mergeable() const;
  void merge_later(const Quality& later, std::int64_t line_delta);
};

// Intervals of one unit and month with no row, from the sources that give
// the parameter.
struct GapSummary {
  std::int64_t missing = 0;
  std::string ranges;   // the first ranges, as local times
  bool no_data = false; // no data source has rows of the unit for the parameter
};

// A source's sampling interval: declared, inferred from its rows, or none
// (rows too few or irregular: repeats are then found by equal timestamps
// only, and gaps are not counted).
struct SourceInterval {
  std::int64_t seconds = 0;
  bool inferred = false;
  std::string why_none; // when seconds is 0
};

// What the data could not settle: a warning that --strict makes an error.
struct DataWarning {
  Location where;
  std::string source_line;
  std::string message;
};

class SourceReading; // series_read.cpp: one pass over a file of a source

class Aggregation {
public:
  Aggregation(const Methodology& m, const Project& project, const BoundValues& bound);
  ~Aggregation();

  // The monitored and per-record parameters that are summarised.
  struct Aggregated {
    std::size_t parameter; // index into Methodology::parameters
    int record_slot;
    int slot;  // its unit-and-period slot, or for a site value its period slot
    bool site; // a site value (is_site_value): only the site's summaries hold it
    Aggregate aggregate;
    // A parameter that varies by an index has one entry per index value the
    // project uses (record_slot and slot are then that value's); -1: none.
    int index_value = -1;
  };
  const std::vector<Aggregated>& aggregated() const { return aggregated_; }
  // How messages and results name an aggregated value: "EG_i_p", or
  // "W_j_p[food]" for an index value.
  std::string aggregated_name(std::size_t aggregated) const;
  const std::vector<MonthSlice>& months() const { return months_; }
  // The summaries are per month and per "row owner": each unit, then the
  // site when the methodology has site values. site() is the site's index
  // (npos without site values); owners() counts them.
  std::size_t site() const { return site_; }
  std::size_t owners() const { return width_; }
  // The data files read, in order (RowSpan::file indexes them).
  const std::vector<std::string>& files() const { return files_; }

  // Reads every row of `reader` as data source `source` (an index into
  // Project::data). Several files of one source are read in turn, as one
  // stream: a meter's register and the intervals seen carry over.
  Status read(std::size_t source, CsvReader& reader, RowCounts& counts);
  // After every source was read: the intervals no source had, coverage,
  // and what the data could not settle (warnings()).
  Status finish();

  // The inputs of a slice made of `months`: every owner's summaries, plus
  // the treatments' adjustments (sums only); `name` names the slice in errors.
  Expected<SliceValues> slice_inputs(const std::vector<std::size_t>& months,
                                     const std::vector<double>& adjustments,
                                     const std::string& name) const;
  // One owner's inputs of the slice, written into `in` (the others untouched).
  Status write_owner_inputs(std::size_t owner, const std::vector<std::size_t>& months,
                            const std::vector<double>& adjustments, const std::string& name,
                            SliceValues& in) const;
  // The rows an owner has in the slice's months.
  std::int64_t slice_records(const std::vector<std::size_t>& months, std::size_t owner) const;

  const Accumulator& at(std::size_t month, std::size_t unit, std::size_t aggregated) const {
    return accumulators_[(month * width_ + unit) * aggregated_.size() + aggregated];
  }
  std::int64_t records(std::size_t month, std::size_t unit) const {
    return records_[month * width_ + unit];
  }
  const Quality& quality(std::size_t month, std::size_t unit, std::size_t aggregated) const {
    return quality_[(month * width_ + unit) * aggregated_.size() + aggregated];
  }
  // Identical duplicate rows kept once, per month and unit.
  const RowSpan& duplicates(std::size_t month, std::size_t unit) const {
    return duplicates_[month * width_ + unit];
  }
  // Intervals without a row, per month, unit and aggregated parameter.
  const GapSummary& gaps(std::size_t month, std::size_t unit, std::size_t aggregated) const {
    return gaps_[(month * width_ + unit) * aggregated_.size() + aggregated];
  }
  // The interval of the sources that give aggregated parameter `a` (0 when
  // they have none or disagree), for fills of whole missing unit-periods.
  std::int64_t interval_of(std::size_t aggregated) const { return intervals_[aggregated]; }
  const std::vector<SourceInterval>& source_intervals() const { return source_intervals_; }
  const std::vector<DataWarning>& warnings() const { return warnings_; }

  // How source `source` was read, once every source is (after finish()):
  // the interval, the units it speaks for, and each check's result, into
  // `facts`, whose declarations and files the caller filled.
  void describe_source(std::size_t source, DataSourceFacts& facts) const;

  // ---- One file read on several cores (series_parts.cpp).
  // An empty Aggregation of the same project, to read one part of a file;
  // it numbers files as this one does.
  std::unique_ptr<Aggregation> part_twin() const;
  // Reads source `source` with `interval` and without inferring it: the
  // parts after a file's first, whose interval the first part settles.
  void assume_interval(const SourceInterval& interval) { assumed_interval_ = interval; }
  // Whether rows of `source` have been read.
  bool has_read(std::size_t source) const { return sources_[source] != nullptr; }
  // The summaries kept (months × owners × aggregated values): what a twin
  // costs in memory, about 450 bytes each.
  std::size_t summaries() const { return accumulators_.size(); }
  // Whether `source`'s rows, as far as they were read, can be read in parts:
  // one interval column of plain numbers (the lean path), an interval known.
  bool splittable(std::size_t source) const;
  const SourceInterval* interval_read(std::size_t source) const;
  // Adds the parts of one file of `source`, read in file order by twins
  // (part k's line numbers plus line_deltas[k] are the file's), exactly as
  // reading the file in one pass would have, and returns true; or returns
  // false and changes nothing when that cannot be exact (a repeat across
  // the cut, an interval the first part settles otherwise...): the file is
  // then read in one pass.
  bool absorb_parts(std::size_t source, std::vector<std::unique_ptr<Aggregation>>& parts,
                    const std::vector<std::int64_t>& line_deltas);

  // Keeps each unit's data per local day too (CalcOptions::by_day): from
  // before the first read, for the days of the periods. Refused (false)
  // when that would take more than `max_values` numbers.
  bool keep_days(std::size_t max_values);
  // The daily series, one per unit (after finish()).
  std::vector<DailySeries> days() const;

private:
  friend class SourceReading;
  struct SourceState; // what reading a source remembers between its files
  // Infers a source's interval from its first rows (IntervalInference) and
  // marks the rows read so far in its interval bits.
  Status settle_interval(std::size_t source);
  Status finish_source(std::size_t source);
  struct Coverage;
  Expected<Coverage> coverage(std::size_t aggregated, std::size_t owner) const;
  void describe_bounds(std::size_t source, DataSourceFacts& facts) const;
  Status count_gaps();
  static bool any_row_between(const Coverage& c, std::int64_t first, std::int64_t last);
  static std::int64_t empty_block_end(const Coverage& c, std::int64_t word_start,
                                      std::int64_t last);
  Status count_month_gaps(const Coverage& c, std::size_t aggregated, std::size_t owner,
                          std::size_t month, GapSummary& summary,
                          std::vector<std::int64_t>& missing_per_day) const;
  Diagnostic overlapping_sources(const Coverage& c, std::size_t aggregated, std::size_t owner,
                                 std::int64_t slot) const;
  std::string owner_name(std::size_t owner) const;
  void warn_about_unchecked_values();
  void warn_about_fractions_in_percent();
  Status check_unrated_values() const;
  Status check_registers_read_as_values() const;
  static constexpr double kOutlier = 50;
  static constexpr std::int64_t kRegisterRows = 48; // rows before rising values say "register"
  static constexpr std::size_t kMaxIntervalBlocks = 1 << 18; // 128 MiB of interval bits

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
  std::vector<std::int64_t> intervals_;
  std::vector<SourceInterval> source_intervals_; // per data source
  std::vector<std::string> files_;
  std::vector<DataWarning> warnings_;
  std::size_t interval_blocks_ = 0; // blocks of seen-interval bits held, for the limit
  std::size_t recent_rows_ = 0;     // RecentRows capacity per unit and source
  // With keep_days(): per (day × unit) records, missing intervals and
  // treated values, and per (day × unit × summed parameter) the sum.
  bool days_kept_ = false;
  std::int64_t first_day_ = 0;
  std::size_t day_count_ = 0;
  std::vector<std::size_t> daily_index_;      // aggregated index → daily column, or npos
  std::vector<std::size_t> daily_parameters_; // daily column → aggregated index
  std::vector<double> daily_values_;
  std::vector<std::int64_t> daily_records_, daily_missing_, daily_treated_;
  std::vector<std::unique_ptr<SourceState>> sources_; // per data source
  std::optional<SourceInterval> assumed_interval_;    // assume_interval()
  bool parts_absorbable(std::size_t source,
                        const std::vector<std::unique_ptr<Aggregation>>& parts) const;
  void absorb(std::size_t source, Aggregation& part, std::int64_t line_delta);
};

} // namespace mrv::detail
