// What is known only once rows have been read: a source's interval when it
// does not declare one, the intervals no source had (gaps), which units a
// source speaks for, and the warnings about what the data cannot settle.
#include "base/try.hpp"
#include "engine/series_state.hpp"

#include "data/timestamp.hpp"
#include "engine/rating_bounds.hpp"
#include "mrv/numbers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <bit>
#include <cmath>

namespace mrv::detail {

std::string local_time(std::int64_t utc, int offset_minutes); // series_read.cpp

namespace {

// "A, B, C" for a few ids; the first ten and how many more for many.
std::string listed(const std::vector<std::string>& ids) {
  if (ids.size() <= 10) return fmt::format("{}", fmt::join(ids, ", "));
  return fmt::format("{}, and {} more", fmt::join(ids.begin(), ids.begin() + 10, ", "),
                     ids.size() - 10);
}

} // namespace

Aggregation::Aggregation(const Methodology& m, const Project& project, const BoundValues& bound)
    : m_(m), project_(project), bound_(bound), unit_count_(bound.unit_count),
      width_(bound.unit_count) {
  const CompiledMethodology& c = *m.compiled;
  for (std::size_t i = 0; i < m.parameters.size(); ++i) {
    const CompiledParameter& cp = c.parameters[i];
    if (cp.record_slot < 0) continue;
    for (int v : values_of(bound, cp))
      aggregated_.push_back({i, cp.record_slot + v, cp.slot + v, is_site_value(m.parameters[i]),
                             m.parameters[i].aggregate, cp.index < 0 ? -1 : v});
  }
  if (std::any_of(aggregated_.begin(), aggregated_.end(),
                  [](const Aggregated& a) { return a.site; }))
    site_ = width_++;
  months_ = month_slices(project);
  accumulators_.resize(months_.size() * width_ * aggregated_.size());
  records_.assign(months_.size() * width_, 0);
  quality_.resize(accumulators_.size());
  duplicates_.resize(records_.size());
  gaps_.resize(accumulators_.size());
  intervals_.assign(aggregated_.size(), 0);
  // The rows kept to compare repeats with: 32 MiB at most over all units.
  recent_rows_ =
      RecentRows::capacity_for(width_ * std::max<std::size_t>(project.data.size(), 1), 32 << 20);
  source_intervals_.resize(project.data.size());
  sources_.resize(project.data.size());
}

Aggregation::~Aggregation() = default;

std::string Aggregation::aggregated_name(std::size_t a) const {
  const Aggregated& agg = aggregated_[a];
  const Parameter& p = m_.parameters[agg.parameter];
  if (agg.index_value < 0) return p.id;
  return fmt::format("{}[{}]", p.id,
                     m_.indices[static_cast<std::size_t>(p.index)]
                         .values[static_cast<std::size_t>(agg.index_value)]);
}

bool Aggregation::keep_days(std::size_t max_values) {
  if (months_.empty()) return false;
  std::vector<std::size_t> index(aggregated_.size(), std::string::npos), parameters;
  for (std::size_t a = 0; a < aggregated_.size(); ++a)
    if (m_.parameters[aggregated_[a].parameter].kind == ParameterKind::monitored &&
        aggregated_[a].aggregate == Aggregate::sum) {
      index[a] = parameters.size();
      parameters.push_back(a);
    }
  const auto days =
      static_cast<std::size_t>(months_.back().last_day - months_.front().first_day + 1);
  // A value per summed parameter, and records, missing and treated counts.
  if (days * width_ * (parameters.size() + 3) > max_values) return false;
  days_kept_ = true;
  first_day_ = months_.front().first_day;
  day_count_ = days;
  daily_index_ = std::move(index);
  daily_parameters_ = std::move(parameters);
  const std::size_t cells = day_count_ * width_;
  daily_values_.assign(cells * daily_parameters_.size(), 0);
  daily_records_.assign(cells, 0);
  daily_missing_.assign(cells, 0);
  daily_treated_.assign(cells, 0);
  return true;
}

std::vector<DailySeries> Aggregation::days() const {
  std::vector<DailySeries> out;
  if (!days_kept_) return out;
  for (std::size_t u = 0; u < width_; ++u) {
    DailySeries series;
    series.unit = u == site_ ? std::string(site_label) : bound_.unit_ids[u];
    series.first_day = format_date(first_day_);
    for (std::size_t d = 0; d < day_count_; ++d) {
      series.records.push_back(daily_records_[d * width_ + u]);
      series.missing.push_back(daily_missing_[d * width_ + u]);
      series.treated.push_back(daily_treated_[d * width_ + u]);
    }
    for (std::size_t column = 0; column < daily_parameters_.size(); ++column) {
      const Parameter& p = m_.parameters[aggregated_[daily_parameters_[column]].parameter];
      DailySeries::Values values{aggregated_name(daily_parameters_[column]), p.unit.text, {}};
      for (std::size_t d = 0; d < day_count_; ++d)
        values.values.push_back(
            daily_values_[(d * width_ + u) * daily_parameters_.size() + column]);
      series.parameters.push_back(std::move(values));
    }
    out.push_back(std::move(series));
  }
  return out;
}

Status Aggregation::settle_interval(std::size_t source) {
  SourceState& s = *sources_[source];
  if (!s.inferring) return Ok{};
  s.inferring = false;
  std::string why;
  const std::optional<std::int64_t> step = s.inference.infer(why);
  if (!step) {
    s.interval.why_none = why;
  } else {
    s.interval.seconds = *step;
    s.interval.inferred = true;
  }
  // The rows read meanwhile: their intervals, and what the rating allows.
  RatingBounds bounds(m_, bound_);
  const std::int64_t origin = months_.empty() ? 0 : months_.front().start;
  for (const PendingRow& row : s.pending) {
    UnitState& unit = s.units[row.unit];
    if (s.interval.seconds == 0) {
      if (!s.any_cumulative) {
        unit.times.emplace(
            row.instant, RecentRows::Entry{row.instant, row.hash, row.line, row.file, row.instant});
        ++s.equal_times;
      }
      continue;
    }
    const std::int64_t slot = (row.instant - origin) / s.interval.seconds;
    const bool repeat = unit.seen.test_and_set(slot, interval_blocks_);
    if (repeat && !s.any_cumulative) {
      const RecentRows::Entry* earlier = unit.recent.find(slot);
      Diagnostic d = error_at(
          Location{files_[static_cast<std::size_t>(row.file)], static_cast<int>(row.line), 0},
          fmt::format("this row falls in the same {} interval of unit '{}' as line {}",
                      format_duration(s.interval.seconds),
                      row.unit == site_ ? std::string(site_label) : bound_.unit_ids[row.unit],
                      earlier ? earlier->line : 0));
      d.notes.push_back(fmt::format("the interval {} was inferred from the rows: declare "
                                    "`interval:` (the rows' real sampling interval)",
                                    format_duration(s.interval.seconds)));
      return d;
    }
    unit.recent.put({slot, row.hash, row.line, row.file, row.instant}, recent_rows_);
    for (std::size_t b = 0; b < row.bounded.size(); ++b) {
      const auto [column, value] = row.bounded[b];
      const double most =
          bounds.most(s.bounds[column], row.unit, static_cast<double>(s.interval.seconds));
      if (!(value > most)) continue;
      bool explained = false;
      if (row.unit < unit_count_)
        for (const RatingException& e : project_.units[row.unit].above_rating)
          explained = explained || e.time == row.time;
      if (explained) continue;
      const Parameter& p = m_.parameters[aggregated_[s.columns[column].first].parameter];
      Diagnostic d = error_at(
          Location{files_[static_cast<std::size_t>(row.file)], static_cast<int>(row.line),
                   row.columns[b]},
          fmt::format("{} {} of unit '{}' in {} is more than its rating allows ({} {} = {}, "
                      "rating {})",
                      format_number(value), p.unit.text, bound_.unit_ids[row.unit],
                      format_duration(s.interval.seconds), format_number(most), p.unit.text,
                      m_.rating->bounds[static_cast<std::size_t>(s.bounds[column])].formula,
                      project_.units[row.unit].rating.text));
      d.notes.push_back("a wrong `unit:` (kWh for MWh), a wrong rating, or a wrong interval? If "
                        "the value is right, say why under the unit: `above_rating:`");
      return d;
    }
  }
  s.pending.clear();
  s.pending.shrink_to_fit();
  s.pending_times.clear();
  return Ok{};
}

Status Aggregation::finish_source(std::size_t source) {
  SourceState& s = *sources_[source];
  MRV_TRY(settle_interval(source));
  source_intervals_[source] = s.interval;
  const DataSource& d = project_.data[source];
  if (s.check_decimals && s.decimals.ambiguous()) {
    Diagnostic e = error_at(
        Location{files_[static_cast<std::size_t>(s.decimals_file)],
                 static_cast<int>(s.decimals.line()), s.decimals.column()},
        fmt::format("'{}' could be {} or a whole number written with '.' "
                    "between thousands: every value of this '{}'-separated "
                    "file with a '.' has three digits after it",
                    s.decimals.text(), s.decimals.text(),
                    d.delimiter == '\t' ? std::string("tab") : std::string(1, d.delimiter)));
    e.source_line = s.decimals.row();
    e.caret_length = static_cast<int>(s.decimals.text().size());
    e.notes.push_back(fmt::format("declare the data source's marks: `decimal: \".\"` if '.' is "
                                  "the decimal point, or `decimal: \",\"` and `thousands: \".\"` "
                                  "if it groups thousands ({}:{})",
                                  d.location.file, d.location.line));
    return e;
  }
  return Ok{};
}

namespace {

// Which rows of a unit a data source speaks for.
bool covers(const DataSource& d, const UnitState& state, std::size_t unit, int constant_unit,
            const std::vector<std::string>& unit_ids) {
  if (constant_unit >= 0) return static_cast<std::size_t>(constant_unit) == unit;
  if (!d.covers.empty())
    return unit < unit_ids.size() &&
           std::find(d.covers.begin(), d.covers.end(), unit_ids[unit]) != d.covers.end();
  return state.has_rows;
}

} // namespace

Status Aggregation::finish() {
  for (std::size_t s = 0; s < sources_.size(); ++s)
    if (sources_[s]) MRV_TRY(finish_source(s));
  MRV_TRY(count_gaps());
  MRV_TRY(check_registers_read_as_values());
  MRV_TRY(check_unrated_values());
  warn_about_unchecked_values();
  warn_about_fractions_in_percent();
  return Ok{};
}

// What covers one owner's parameter: the interval bits of the sources
// that give it by rows, the intervals its registers' readings span, and the
// interval they share.
struct Aggregation::Coverage {
  std::vector<const UnitState*> rows;
  std::vector<std::size_t> row_sources;
  std::vector<std::pair<std::int64_t, std::int64_t>> registers; // covered slots [from, to)
  std::int64_t interval = 0;
  bool any = false;     // some source speaks for the owner and gives the parameter
  bool unknown = false; // one of them has no interval
};

Expected<Aggregation::Coverage> Aggregation::coverage(std::size_t a, std::size_t u) const {
  Coverage c;
  for (std::size_t s = 0; s < sources_.size(); ++s) {
    if (!sources_[s]) continue;
    const SourceState& state = *sources_[s];
    const UnitState& unit = state.units[u];
    if (!covers(project_.data[s], unit, u, state.constant_unit, bound_.unit_ids)) continue;
    for (const auto& [aggregated, cumulative] : state.columns) {
      if (aggregated != a) continue;
      c.any = true;
      const std::int64_t interval = state.interval.seconds;
      if (interval == 0) {
        c.unknown = true;
        continue;
      }
      if (c.interval != 0 && c.interval != interval)
        return error_at(project_.data[s].location,
                        fmt::format("data sources give '{}' of {} at different intervals ({} and "
                                    "{}): give them the same interval",
                                    aggregated_name(a), owner_name(u), format_duration(c.interval),
                                    format_duration(interval)));
      c.interval = interval;
      const std::int64_t origin = months_.front().start;
      if (!cumulative) {
        c.rows.push_back(&unit);
        c.row_sources.push_back(s);
      } else if (unit.any_reading) {
        // The whole intervals between the first and the last reading.
        const std::int64_t from = unit.first_reading - origin, to = unit.last_reading - origin;
        c.registers.emplace_back(from <= 0 ? 0 : (from + interval - 1) / interval,
                                 to <= 0 ? 0 : to / interval);
      }
    }
  }
  return c;
}

std::string Aggregation::owner_name(std::size_t u) const {
  return u == site_ ? std::string("the site") : fmt::format("unit '{}'", bound_.unit_ids[u]);
}

Status Aggregation::count_gaps() {
  if (months_.empty()) return Ok{};
  for (std::size_t a = 0; a < aggregated_.size(); ++a) {
    // Per-record equations have the gaps of their inputs.
    if (m_.parameters[aggregated_[a].parameter].kind != ParameterKind::monitored) continue;
    // The interval of the sources that give the parameter, when they agree.
    std::int64_t common = -1;
    for (const std::unique_ptr<SourceState>& source : sources_)
      if (source)
        for (const auto& column : source->columns)
          if (column.first == a)
            common =
                common < 0 || common == source->interval.seconds ? source->interval.seconds : 0;
    intervals_[a] = std::max<std::int64_t>(common, 0);
    for (std::size_t u = 0; u < width_; ++u) {
      if (aggregated_[a].site != (u == site_)) continue;
      Coverage c = MRV_TRY(coverage(a, u));
      if (!c.any) c.interval = intervals_[a]; // no data: every interval is missing
      const bool countable =
          c.interval != 0 && !(c.any && c.unknown && c.rows.empty() && c.registers.empty());
      std::vector<std::int64_t> missing_per_day(days_kept_ && countable ? day_count_ : 0, 0);
      for (std::size_t k = 0; k < months_.size(); ++k) {
        GapSummary& summary = gaps_[(k * width_ + u) * aggregated_.size() + a];
        summary.no_data = !c.any;
        if (countable) MRV_TRY(count_month_gaps(c, a, u, k, summary, missing_per_day));
      }
      for (std::size_t d = 0; d < missing_per_day.size(); ++d) {
        std::int64_t& day = daily_missing_[d * width_ + u];
        day = std::max(day, missing_per_day[d]);
      }
    }
  }
  return Ok{};
}

// When word_start begins a block of intervals in which no source of `c` has
// a row and no register difference covers one, the end of that block
// (clipped to `last`); otherwise word_start.
std::int64_t Aggregation::empty_block_end(const Coverage& c, std::int64_t word_start,
                                          std::int64_t last) {
  if (word_start % SeenIntervals::block_bits != 0) return word_start;
  const std::int64_t block = word_start / SeenIntervals::block_bits;
  for (const UnitState* unit : c.rows)
    if (unit->seen.block(block)) return word_start;
  const std::int64_t end = std::min(last, word_start + SeenIntervals::block_bits);
  for (const auto& [from, to] : c.registers)
    if (from < end && to > word_start) return word_start;
  return end;
}

// Whether a source of `c` holds a block of interval bits within slots
// [first, last): where it holds none, it has no row.
bool Aggregation::any_row_between(const Coverage& c, std::int64_t first, std::int64_t last) {
  for (std::int64_t b = first / SeenIntervals::block_bits;
       b <= (last - 1) / SeenIntervals::block_bits; ++b)
    for (const UnitState* unit : c.rows)
      if (unit->seen.block(b)) return true;
  return false;
}

// The intervals of month k that nothing covers, 64 at a time: a word with
// every interval covered, or none, takes no look at its bits.
Status Aggregation::count_month_gaps(const Coverage& c, std::size_t a, std::size_t u, std::size_t k,
                                     GapSummary& summary,
                                     std::vector<std::int64_t>& missing_per_day) const {
  const std::int64_t origin = months_.front().start, interval = c.interval;
  const int offset = project_.utc_offset_minutes;
  const std::int64_t first = (months_[k].start - origin) / interval;
  const std::int64_t last = (months_[k].end - origin) / interval; // exclusive
  std::int64_t run_start = -1, runs = 0;
  std::vector<const SeenIntervals::Block*> blocks(c.rows.size());
  std::int64_t blocks_of = -1;
  auto close_run = [&](std::int64_t end_slot) {
    if (run_start < 0) return;
    if (runs < 3)
      summary.ranges += fmt::format("{}{} to {}", runs ? ", " : "",
                                    local_time(origin + run_start * interval, offset),
                                    local_time(origin + end_slot * interval, offset));
    ++runs;
    run_start = -1;
  };
  // A month in which no source has a row and no register difference falls
  // (most months of a short file over long periods) is missing whole.
  if (missing_per_day.empty() && c.registers.empty() && last > first &&
      !any_row_between(c, first, last)) {
    summary.missing += last - first;
    run_start = first;
    close_run(last);
    return Ok{};
  }
  for (std::int64_t word_start = first / 64 * 64; word_start < last; word_start += 64) {
    // A block of intervals no source has a row in (a short file over long
    // periods) is missing as a whole: counted at once, not word by word.
    if (missing_per_day.empty()) {
      if (const std::int64_t end = empty_block_end(c, word_start, last); end > word_start) {
        summary.missing += end - std::max(first, word_start);
        if (run_start < 0) run_start = std::max(first, word_start);
        word_start = end - 64; // the loop's step takes it to `end`, a block boundary
        continue;
      }
    }
    const std::int64_t lo = std::max(first, word_start), hi = std::min(last, word_start + 64);
    const std::uint64_t range = (hi - word_start == 64 ? ~0ull : (1ull << (hi - word_start)) - 1) &
                                ~((1ull << (lo - word_start)) - 1);
    std::uint64_t seen = 0, overlap = 0;
    const std::int64_t block = word_start / SeenIntervals::block_bits;
    const auto word = static_cast<std::size_t>((word_start % SeenIntervals::block_bits) / 64);
    if (block != blocks_of) { // each source's block, looked up once for its 64 words
      for (std::size_t r = 0; r < c.rows.size(); ++r)
        blocks[r] = c.rows[r]->seen.block(block);
      blocks_of = block;
    }
    for (const SeenIntervals::Block* b : blocks)
      if (b) {
        overlap |= seen & (*b)[word];
        seen |= (*b)[word];
      }
    if ((overlap & range) != 0)
      return overlapping_sources(c, a, u, word_start + std::countr_zero(overlap & range));
    for (const auto& [from, to] : c.registers) {
      const std::int64_t x = std::max(from, lo), y = std::min(to, hi);
      if (x < y)
        seen |= (y - word_start == 64 ? ~0ull : (1ull << (y - word_start)) - 1) &
                ~((1ull << (x - word_start)) - 1);
    }
    const std::uint64_t missing = range & ~seen;
    summary.missing += std::popcount(missing);
    if (missing == 0) {
      close_run(lo);
      continue;
    }
    if (missing == range && run_start >= 0 && missing_per_day.empty()) continue;
    for (std::int64_t s = lo; s < hi; ++s) {
      if (!((missing >> (s - word_start)) & 1)) {
        close_run(s);
        continue;
      }
      if (run_start < 0) run_start = s;
      if (!missing_per_day.empty()) {
        const std::int64_t local = origin + s * interval + offset * 60;
        const std::int64_t day =
            (local >= 0 ? local / 86400 : (local - 86399) / 86400) - first_day_;
        if (day >= 0 && static_cast<std::size_t>(day) < day_count_)
          ++missing_per_day[static_cast<std::size_t>(day)];
      }
    }
  }
  close_run(last);
  if (runs > 3) summary.ranges += fmt::format(" and {} more", runs - 3);
  return Ok{};
}

Diagnostic Aggregation::overlapping_sources(const Coverage& c, std::size_t a, std::size_t u,
                                            std::int64_t slot) const {
  return error_at(project_.data[c.row_sources.back()].location,
                  fmt::format("two data sources give '{}' of {} for the interval {}: the same "
                              "data given twice, or exports that overlap; ER would count it twice",
                              aggregated_name(a), owner_name(u),
                              local_time(months_.front().start + slot * c.interval,
                                         project_.utc_offset_minutes)));
}

void Aggregation::warn_about_unchecked_values() {
  // Intervals the sources do not declare.
  for (std::size_t s = 0; s < sources_.size(); ++s) {
    if (!sources_[s]) continue;
    const DataSource& d = project_.data[s];
    const SourceState& state = *sources_[s];
    if (state.interval.inferred)
      warnings_.push_back(
          {d.location, "",
           fmt::format("data source '{}' declares no interval: its rows are {} apart, as mrv "
                       "inferred from its first rows and used to find repeats and gaps; declare "
                       "`interval: {}`",
                       d.id, format_duration(state.interval.seconds),
                       format_duration(state.interval.seconds))});
    else if (state.interval.seconds == 0 && !d.interval_irregular)
      warnings_.push_back(
          {d.location, "",
           fmt::format("data source '{}' declares no interval and {}: repeats were found by "
                       "equal timestamps only, and gaps were not counted; declare `interval:`",
                       d.id, state.interval.why_none)});
    // Which units a source with a unit column speaks for.
    if (!d.unit_column.empty() && d.covers.empty()) {
      std::vector<std::string> seen;
      for (std::size_t u = 0; u < unit_count_; ++u)
        if (state.units[u].has_rows) seen.push_back(bound_.unit_ids[u]);
      if (seen.size() < unit_count_)
        warnings_.push_back(
            {d.location, "",
             fmt::format("data source '{}' has rows of {} of the project's {} units: it is taken "
                         "to cover those only; declare `units: [{}]`, or give the other units' "
                         "data",
                         d.id, seen.size(), unit_count_, listed(seen))});
    }
  }
  // Units whose values no rating bounds.
  if (!m_.rating) return;
  RatingBounds bounds(m_, bound_);
  if (!bounds.needs_rating()) return;
  std::vector<std::string> unrated;
  for (std::size_t u = 0; u < unit_count_; ++u)
    if (!bounds.has_rating(u)) unrated.push_back(bound_.unit_ids[u]);
  if (unrated.empty()) return;
  warnings_.push_back(
      {project_.units[0].location, "",
       fmt::format("{} of the project's units declare no rating ({}): their values were not "
                   "checked against what the equipment can do; declare `rating:` ({}, in {})",
                   unrated.size(), listed(unrated), m_.rating->description,
                   m_.rating->unit->text)});
}

// Without a rating, a value (or a register's rise per second) more than
// kOutlier times the unit's mean is refused: a meter replaced or reset, a
// glitch, a unit mistaken. Declaring the rating checks it properly.
Status Aggregation::check_unrated_values() const {
  if (!m_.rating) return Ok{};
  RatingBounds bounds(m_, bound_);
  for (std::size_t s = 0; s < sources_.size(); ++s) {
    if (!sources_[s]) continue;
    const SourceState& state = *sources_[s];
    for (std::size_t u = 0; u < unit_count_; ++u)
      for (std::size_t k = 0; k < state.columns.size(); ++k) {
        const int b = state.bounds[k];
        const RateExtreme& e = state.units[u].extremes[k];
        if (b < 0 || bounds.applies(b, u) || e.count < 24 || !(e.total > 0)) continue;
        const double mean_rate = e.total / e.seconds;
        if (e.largest_rate <= kOutlier * mean_rate) continue;
        const Parameter& p = m_.parameters[aggregated_[state.columns[k].first].parameter];
        const bool cumulative = state.columns[k].second;
        Diagnostic d = error_at(
            Location{files_[static_cast<std::size_t>(e.file)], static_cast<int>(e.line), 0},
            fmt::format("{} of unit '{}' ({} {}) {} {} times its mean{}, and the unit declares "
                        "no rating to check it against",
                        cumulative ? "this register difference" : "this value", bound_.unit_ids[u],
                        format_number(e.largest), p.unit.text, cumulative ? "rises" : "is",
                        format_number(std::round(e.largest_rate / mean_rate)),
                        cumulative ? " rate" : ""));
        d.notes.push_back(fmt::format("a meter replaced or reset here, a glitch, or a wrong "
                                      "`unit:`? Declare the replacement (meters:), or the unit's "
                                      "rating ({}, in {}) so that its values are checked against "
                                      "what it can do",
                                      m_.rating->description, m_.rating->unit->text));
        return d;
      }
  }
  return Ok{};
}

// Interval values of a unit that never fall and rise at least every fourth
// row, over two days of hourly rows or more, are a cumulative register's
// readings: summed as values, every reading would count whole (a register
// at 1,500,000 kWh credits 1,500 MWh an hour). Refused unless the column
// says `reading: interval` itself; a rating would catch it too, but not
// every unit declares one.
Status Aggregation::check_registers_read_as_values() const {
  for (std::size_t s = 0; s < sources_.size(); ++s) {
    if (!sources_[s]) continue;
    const SourceState& state = *sources_[s];
    for (std::size_t k = 0; k < state.columns.size(); ++k) {
      if (state.columns[k].second || state.reading_declared[k]) continue;
      for (std::size_t u = 0; u < unit_count_; ++u) {
        const RateExtreme& e = state.units[u].extremes[k];
        if (e.count < kRegisterRows || e.fell || e.rises * 4 < e.count) continue;
        const std::string& unit =
            m_.parameters[aggregated_[state.columns[k].first].parameter].unit.text;
        Diagnostic d = error_at(
            Location{files_[static_cast<std::size_t>(e.first_file)], static_cast<int>(e.first_line),
                     0},
            fmt::format("the values of column '{}' of {} only rise, from {} here to {} over "
                        "{} rows: a cumulative register's readings, which summed as interval "
                        "values would each count whole",
                        state.column_names[k], owner_name(u),
                        format_quantity(at_15_significant_digits(e.first_value), unit),
                        format_quantity(at_15_significant_digits(e.previous), unit), e.count));
        d.notes.push_back(fmt::format("declare `reading: cumulative` under the column ({}:{}), "
                                      "or `reading: interval` if these are interval values",
                                      project_.data[s].location.file,
                                      project_.data[s].location.line));
        return d;
      }
    }
  }
  return Ok{};
}

// A column declared in % whose every value is at most 1 over a day of
// hourly rows or more: fractions (0.65 for 65 %) written where per cents
// are declared, a hundred times off. The data cannot settle it (a small
// per cent is possible): a warning, an error under --strict.
void Aggregation::warn_about_fractions_in_percent() {
  for (std::size_t s = 0; s < sources_.size(); ++s) {
    if (!sources_[s]) continue;
    const SourceState& state = *sources_[s];
    for (std::size_t k = 0; k < state.columns.size(); ++k) {
      const double scale = state.percent_scale[k];
      if (!(scale > 0) || state.columns[k].second) continue;
      for (std::size_t u = 0; u < unit_count_; ++u) {
        const RateExtreme& e = state.units[u].extremes[k];
        const double largest = e.largest / scale;
        if (e.count < 24 || !(largest > 0) || largest > 1) continue;
        warnings_.push_back(
            {Location{files_[static_cast<std::size_t>(e.file)], static_cast<int>(e.line), 0}, "",
             fmt::format("every value of column '{}' of {} is at most 1 % (the largest, {} %, "
                         "here): fractions written where the column declares per cents? Declare "
                         "`unit: \"1\"` if they are fractions",
                         state.column_names[k], owner_name(u), format_number(largest))});
        break; // one warning per column
      }
    }
  }
}

} // namespace mrv::detail
