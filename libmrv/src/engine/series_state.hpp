// What reading a data source remembers between its rows and files: each
// unit's register, the intervals that had a row, and the evidence about the
// source's declarations. Internal to the series_* files.
#pragma once

#include "data/interval_grid.hpp"
#include "data/source_evidence.hpp"
#include "engine/series.hpp"

#include <cstdint>
#include <limits>
#include <map>
#include <unordered_map>
#include <vector>

namespace mrv::detail {

// The largest rate of a column's values against their mean rate (a value per
// interval, or a register difference per second), to find what no rating
// bounds: a meter replaced or reset, a glitch, a unit mistaken.
struct RateExtreme {
  std::int64_t count = 0;
  double total = 0, seconds = 0; // Σ amount, Σ time (interval values: 1 each)
  double largest_rate = 0, largest = 0;
  std::int64_t line = 0;
  std::int32_t file = 0;
  // An interval value: its rate is the value (the interval is the source's).
  // Interval values in row order: whether they ever fell, how often they
  // rose, and the first (a register read as values only rises).
  double previous = 0, first_value = 0;
  std::int64_t rises = 0, first_line = 0;
  std::int32_t first_file = 0;
  bool fell = false;

  [[gnu::always_inline]] void add_value(double amount, std::int64_t at_line, std::int32_t in_file) {
    if (count == 0) [[unlikely]] {
      first_value = amount;
      first_line = at_line;
      first_file = in_file;
    } else {
      fell = fell || amount < previous;
      rises += amount > previous;
    }
    previous = amount;
    if (count == 0 || amount > largest_rate) {
      largest_rate = largest = amount;
      line = at_line;
      file = in_file;
    }
    ++count;
    total += amount;
    seconds += 1;
  }
  // Adds what `later` saw after this one's rows (one file read in parts),
  // its lines moved by `line_delta`. Exact but for `total`, summed in parts.
  void merge_later(const RateExtreme& later, std::int64_t line_delta) {
    if (later.count == 0) return;
    if (count == 0) {
      *this = later;
      line += line_delta;
      first_line += line_delta;
      return;
    }
    fell = fell || later.fell || later.first_value < previous;
    rises += later.rises + (later.first_value > previous ? 1 : 0);
    previous = later.previous;
    if (later.largest_rate > largest_rate) {
      largest_rate = later.largest_rate;
      largest = later.largest;
      line = later.line + line_delta;
      file = later.file;
    }
    count += later.count;
    total += later.total;
    seconds += later.seconds;
  }
  void add(double amount, double over_seconds, std::int64_t at_line, std::int32_t in_file) {
    const double rate = amount / over_seconds;
    if (count == 0 || rate > largest_rate) {
      largest_rate = rate;
      largest = amount;
      line = at_line;
      file = in_file;
    }
    ++count;
    total += amount;
    seconds += over_seconds;
  }
};

// A register reading written as a plain decimal: mantissa × 10^-decimals.
struct ExactReading {
  bool exact = false;
  std::int64_t mantissa = 0;
  int decimals = 0;
};

// One unit's state in one source.
struct UnitState {
  // Cumulative registers, per mapped column: the last reading and where.
  std::vector<double> reading;
  std::vector<std::int64_t> reading_line, reading_time;
  std::vector<bool> has_reading;
  std::vector<ExactReading> reading_exact;
  // The first and last reading times (any column), for the time a register
  // does not cover at the ends of the periods.
  std::int64_t first_reading = 0, last_reading = 0;
  bool any_reading = false;
  // Time order of a source with a cumulative column, and the last row's
  // texts, to tell a repeat of it from a conflicting row.
  std::int64_t last_time = std::numeric_limits<std::int64_t>::min();
  std::int64_t last_line = 0;
  std::uint64_t last_texts = 0;
  // Intervals with a row, and the recent rows to compare a repeat with.
  SeenIntervals seen;
  RecentRows recent;
  std::int64_t last_instant = std::numeric_limits<std::int64_t>::min(), last_slot = -1;
  // Without an interval: every timestamp, to find repeats by equal time.
  std::unordered_map<std::int64_t, RecentRows::Entry> times;
  // What the rating allows per mapped column, for `bound_seconds`.
  std::vector<double> most;
  std::vector<RateExtreme> extremes; // per mapped column
  std::int64_t bound_seconds = -1;
  bool has_rows = false; // the source mentions the unit (coverage)
};

// A row read while the source's interval was still being inferred.
struct PendingRow {
  std::size_t unit;
  std::int64_t instant, time;
  std::uint64_t hash;
  std::int64_t line;
  std::int32_t file;
  // The values a rating bounds, checked once the interval is known:
  // (mapped column, value in the parameter's unit, field column).
  std::vector<std::pair<std::size_t, double>> bounded;
  std::vector<int> columns;
};

struct Aggregation::SourceState {
  std::vector<UnitState> units;
  SourceInterval interval;
  bool inferring = false; // interval not declared and not yet inferred
  IntervalInference inference;
  std::vector<PendingRow> pending;
  std::map<std::pair<std::size_t, std::int64_t>, std::size_t> pending_times;
  std::string pending_text; // the first pending row's text, for a caret
  bool check_decimals = false;
  DecimalEvidence decimals;
  std::int32_t decimals_file = 0;
  // Per mapped column: its aggregated index and whether it is cumulative.
  std::vector<std::pair<std::size_t, bool>> columns;
  std::vector<int> bounds; // per mapped column: its rating bound, or -1
  std::vector<std::string> column_names;
  std::vector<bool> reading_declared; // per mapped column: `reading:` written
  std::vector<double> percent_scale;  // per mapped column in %: raw = value / scale; else 0
  int constant_unit = -1;
  bool any_cumulative = false;
  bool has_record_equations = false;
  bool lean = false;           // its rows take SourceReading's lean path (series_parts.cpp)
  std::size_t equal_times = 0; // entries in the units' `times`, for the limit
};

} // namespace mrv::detail
