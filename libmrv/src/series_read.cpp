// Aggregation::read: one pass over a data source. Each row is placed in a
// month of a period and a unit, checked (duplicates, order of cumulative
// readings, range, calibration), converted to the methodology's units and
// summarised; what was done to it is recorded in Quality for calc to report.
#include "series.hpp"

#include "text_number.hpp"
#include "timestamp.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace mrv::detail {
namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// 10^k for the k that makes `factor` an exact power of ten, if any.
bool power_of_ten(double factor, int& k) {
  for (int e = -12; e <= 12; ++e) {
    long double p = 1.0L;
    for (int j = 0; j < std::abs(e); ++j)
      p *= 10.0L;
    if (static_cast<double>(e < 0 ? 1.0L / p : p) == factor) {
      k = e;
      return true;
    }
  }
  return false;
}

// 10^n for n in [0, 30], as a table: this runs on every reading.
__int128 pow10_128(int n) {
  static const auto table = [] {
    std::array<__int128, 31> t{};
    t[0] = 1;
    for (std::size_t i = 1; i < t.size(); ++i)
      t[i] = t[i - 1] * 10;
    return t;
  }();
  return table[static_cast<std::size_t>(n)];
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash) {
  for (unsigned char c : text)
    hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

// One mapped column: where it is, what it feeds and how to convert it.
struct MappedColumn {
  std::size_t field;
  int record_slot;
  double scale, shift; // value in the parameter's unit = raw × scale + shift
  const Parameter* parameter;
  const ColumnMapping* mapping;
  std::size_t aggregated; // index into Aggregation::aggregated()
  // When the conversion is a power of ten (kWh → MWh), plain decimals are
  // summed exactly: in 1e-12 units, mantissa × 10^(exact_shift - decimals).
  bool exact = false;
  int exact_shift = 0;
  std::vector<const Meter*> meters; // per unit: the meter measuring it, if declared
};

constexpr std::size_t kRecent = 4096;
constexpr std::size_t kBatch = 1024;

// The error to apply to a value measured on `day` by `meter`: 0 while a
// calibration is valid; else the error found when calibration resumed, or
// the maximum permissible error.
double lapse_error(const Meter& meter, std::int64_t day) {
  const Calibration* next = nullptr;
  for (const Calibration& c : meter.calibrations) {
    if (day >= c.first_day && day <= c.last_day) return 0.0;
    if (c.first_day > day && (!next || c.first_day < next->first_day)) next = &c;
  }
  if (next && next->error_found) return *next->error_found;
  return meter.max_error;
}

// Nothing but spaces and tabs (or nothing): an empty cell. A loop, not
// find_first_not_of, which calls memchr once per character.
bool is_blank(std::string_view text) {
  for (char c : text)
    if (c != ' ' && c != '\t') return false;
  return true;
}

std::string local_time(std::int64_t utc, int offset_minutes) {
  std::int64_t local = utc + static_cast<std::int64_t>(offset_minutes) * 60;
  std::int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  std::int64_t second = local - day * 86400;
  return fmt::format("{}T{:02}:{:02}", format_date(day), second / 3600, second / 60 % 60);
}

} // namespace

// The state of one unit while a source is read.
struct UnitState {
  std::vector<double> reading; // last cumulative reading per mapped column (raw)
  std::vector<std::int64_t> reading_line;
  std::vector<std::int64_t> reading_time;
  std::vector<bool> has_reading;
  std::int64_t last_time = std::numeric_limits<std::int64_t>::min();
  std::int64_t last_line = 0;
  std::vector<std::uint64_t> seen; // one bit per interval: a row was there
  struct Recent {
    std::int64_t slot = -1;
    std::uint64_t hash = 0;
    std::int64_t line = 0;
  };
  std::vector<Recent> recent; // the last rows by interval, to compare duplicates
};

struct Aggregation::SourceState {
  std::vector<UnitState> units;
  std::vector<std::pair<std::size_t, bool>> columns; // aggregated index, cumulative
  int constant_unit = -1;
};

// Here, where SourceState is complete.
Aggregation::Aggregation(const Methodology& m, const Project& project, const BoundValues& bound)
    : m_(m), project_(project), bound_(bound), unit_count_(bound.unit_count),
      width_(bound.unit_count) {
  const CompiledMethodology& c = *m.compiled;
  for (std::size_t i = 0; i < m.parameters.size(); ++i)
    if (c.parameters[i].record_slot >= 0)
      aggregated_.push_back({i, c.parameters[i].record_slot, c.parameters[i].slot,
                             is_site_value(m.parameters[i]), m.parameters[i].aggregate});
  if (std::any_of(aggregated_.begin(), aggregated_.end(),
                  [](const Aggregated& a) { return a.site; }))
    site_ = width_++;
  months_ = month_slices(project);
  accumulators_.resize(months_.size() * width_ * aggregated_.size());
  records_.assign(months_.size() * width_, 0);
  quality_.resize(accumulators_.size());
  duplicates_.resize(records_.size());
  gaps_.resize(accumulators_.size());
}

Aggregation::~Aggregation() = default;

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
      DailySeries::Values values{p.id, p.unit.text, {}};
      for (std::size_t d = 0; d < day_count_; ++d)
        values.values.push_back(
            daily_values_[(d * width_ + u) * daily_parameters_.size() + column]);
      series.parameters.push_back(std::move(values));
    }
    out.push_back(std::move(series));
  }
  return out;
}

Status Aggregation::read(const DataSource& source, CsvReader& reader, RowCounts& counts) {
  const CompiledMethodology& c = *m_.compiled;
  const std::string& file = reader.display_name();
  const int offset = project_.utc_offset_minutes;
  CsvRow row;
  auto row_error = [&](std::size_t field, std::string message) {
    Diagnostic d = error_at(Location{file, static_cast<int>(row.line),
                                     field < row.columns.size() ? row.columns[field] : 1},
                            std::move(message));
    d.source_line = std::string(row.text);
    if (field < row.fields.size())
      d.caret_length = static_cast<int>(std::max<std::size_t>(1, row.fields[field].size()));
    return d;
  };

  // The header names the columns.
  if (!MRV_TRY(reader.next(row)))
    return error_at(Location{file, 1, 1}, "the file is empty: a header row was expected");
  std::vector<std::string> header(row.fields.begin(), row.fields.end());
  const std::size_t width = header.size();
  {
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t f = 0; f < width; ++f)
      if (!seen.emplace(header[f], f).second)
        return row_error(f, fmt::format("column '{}' appears twice in the header", header[f]));
  }
  auto column_index = [&](const std::string& name,
                          const std::string& role) -> Expected<std::size_t> {
    for (std::size_t f = 0; f < width; ++f)
      if (header[f] == name) return f;
    Diagnostic d = row_error(0, fmt::format("no column '{}' ({}) in the header; columns are: {}",
                                            name, role, fmt::join(header, ", ")));
    std::string hint = closest_match(name, header);
    if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
    return d;
  };
  std::size_t time_field = MRV_TRY(column_index(source.timestamp_column, "the timestamp"));
  std::optional<std::size_t> unit_field;
  int constant_unit = -1;
  if (!source.unit_column.empty()) {
    unit_field = MRV_TRY(column_index(source.unit_column, "the unit of each row"));
  } else if (source.site()) {
    constant_unit = static_cast<int>(site_); // calc checked that it maps site values only
  } else {
    for (std::size_t u = 0; u < bound_.unit_ids.size(); ++u)
      if (bound_.unit_ids[u] == source.constant_unit) constant_unit = static_cast<int>(u);
  }
  const NumberFormat number_format{source.decimal_point, source.thousands_separator};
  const bool plain_numbers = source.decimal_point == '.' && source.thousands_separator == 0;

  std::vector<MappedColumn> mapped;
  std::vector<bool> present(static_cast<std::size_t>(c.record_slots), false);
  for (const ColumnMapping& cm : source.columns) {
    const Parameter* p = m_.parameter(cm.parameter);
    std::size_t index = static_cast<std::size_t>(p - m_.parameters.data());
    std::size_t field = MRV_TRY(column_index(cm.column, "mapped to " + cm.parameter));
    // Affine conversion for absolute temperatures, otherwise a pure factor.
    double shift = convert_value(0.0, cm.unit, p->unit);
    double scale = convert_value(1.0, cm.unit, p->unit) - shift;
    if (cm.unit.offset == 0 && p->unit.offset == 0) {
      scale = conversion_factor(cm.unit, p->unit);
      shift = 0;
    }
    int slot = c.parameters[index].record_slot;
    present[static_cast<std::size_t>(slot)] = true;
    std::size_t aggregated_index = 0;
    while (aggregated_[aggregated_index].parameter != index)
      ++aggregated_index;
    MappedColumn column{field, slot, scale, shift, p, &cm, aggregated_index, false, 0, {}};
    int k = 0;
    if (shift == 0 && plain_numbers && !cm.cumulative && power_of_ten(scale, k)) {
      column.exact = true;
      column.exact_shift = k + Accumulator::exact_decimals;
    }
    column.meters.assign(width_, nullptr); // none for the site (refused by calc)
    for (const Meter& meter : project_.meters)
      if (meter.parameter == cm.parameter)
        for (std::size_t u = 0; u < unit_count_; ++u)
          if (bound_.unit_ids[u] == meter.unit) column.meters[u] = &meter;
    mapped.push_back(std::move(column));
  }

  // Per-record equations run for this source when all their inputs are here
  // (never on the site's rows: they are equations of a unit's rows).
  std::vector<std::size_t> record_equations;
  for (int index : source.site() ? std::vector<int>{} : c.order) {
    const CompiledParameter& cp = c.parameters[static_cast<std::size_t>(index)];
    if (cp.record_slot < 0 || !cp.has_formula) continue;
    std::vector<const Expr*> stack{&cp.formula.expr};
    bool inputs_present = true;
    while (!stack.empty()) {
      const Expr* e = stack.back();
      stack.pop_back();
      if (e->op == Expr::Op::parameter && e->level == Level::record)
        inputs_present = inputs_present && present[static_cast<std::size_t>(e->slot)];
      for (const Expr& a : e->args)
        stack.push_back(&a);
    }
    if (inputs_present) {
      record_equations.push_back(static_cast<std::size_t>(index));
      present[static_cast<std::size_t>(cp.record_slot)] = true;
    }
  }
  std::vector<std::size_t> summarised; // per-record results, summed from the batch
  std::vector<bool> from_columns(aggregated_.size(), false);
  for (const MappedColumn& mc : mapped)
    from_columns[mc.aggregated] = true;
  for (std::size_t a = 0; a < aggregated_.size(); ++a)
    if (present[static_cast<std::size_t>(aggregated_[a].record_slot)] && !from_columns[a] &&
        !source.site())
      summarised.push_back(a);

  // Batches of rows, column by column, for the per-record equations.
  std::vector<std::vector<double>> columns(static_cast<std::size_t>(c.record_slots),
                                           std::vector<double>(kBatch));
  std::vector<const double*> column_pointers(columns.size());
  for (std::size_t s = 0; s < columns.size(); ++s)
    column_pointers[s] = columns[s].data();
  std::vector<int> batch_units(kBatch);
  std::vector<std::size_t> batch_buckets(kBatch);
  std::vector<std::int64_t> batch_times(kBatch), batch_lines(kBatch);
  std::size_t n = 0;
  EvalFrame frame;
  frame.project = bound_.project.data();
  frame.units = bound_.units.data();
  frame.unit_stride = static_cast<std::size_t>(c.unit_slots);
  frame.record = column_pointers.data();
  frame.record_units = batch_units.data();
  auto flush = [&]() -> Status {
    for (std::size_t index : record_equations) {
      const CompiledParameter& cp = c.parameters[index];
      double* out = columns[static_cast<std::size_t>(cp.record_slot)].data();
      evaluate(cp.formula.expr, frame, n, out);
      for (std::size_t k = 0; k < n; ++k)
        if (!std::isfinite(out[k]))
          return error_at(Location{file, static_cast<int>(batch_lines[k]), 0},
                          fmt::format("per-record equation '{}' gives no value for unit '{}' at {}",
                                      m_.parameters[index].id,
                                      bound_.unit_ids[static_cast<std::size_t>(batch_units[k])],
                                      local_time(batch_times[k], offset)));
    }
    for (std::size_t a : summarised) {
      const double* values = columns[static_cast<std::size_t>(aggregated_[a].record_slot)].data();
      for (std::size_t k = 0; k < n; ++k)
        accumulators_[batch_buckets[k] * aggregated_.size() + a].add(values[k], batch_times[k]);
    }
    n = 0;
    return Ok{};
  };

  // Intervals: a bit per interval and unit, from the first month's start.
  const std::int64_t interval = source.interval_seconds;
  const std::int64_t origin = months_.empty() ? 0 : months_.front().start;
  const std::int64_t slots = interval > 0 && !months_.empty()
                                 ? (months_.back().end - origin + interval - 1) / interval
                                 : 0;
  std::unique_ptr<SourceState>& source_state = sources_[&source];
  if (!source_state) {
    source_state = std::make_unique<SourceState>();
    source_state->units.resize(width_);
    for (UnitState& s : source_state->units) {
      s.reading.assign(mapped.size(), 0);
      s.reading_line.assign(mapped.size(), 0);
      s.reading_time.assign(mapped.size(), 0);
      s.has_reading.assign(mapped.size(), false);
      if (interval > 0) {
        s.seen.assign(static_cast<std::size_t>((slots + 63) / 64), 0);
        s.recent.resize(kRecent);
      }
    }
    for (const MappedColumn& mc : mapped)
      source_state->columns.emplace_back(mc.aggregated, mc.mapping->cumulative);
    source_state->constant_unit = constant_unit;
  }
  std::vector<UnitState>& states = source_state->units;
  bool any_cumulative = std::any_of(mapped.begin(), mapped.end(),
                                    [](const MappedColumn& mc) { return mc.mapping->cumulative; });

  std::unordered_map<std::string, int, StringHash, std::equal_to<>> unit_index;
  for (std::size_t u = 0; u < bound_.unit_ids.size(); ++u)
    unit_index.emplace(bound_.unit_ids[u], static_cast<int>(u));
  // Rows usually name the same unit as the row before, or the next one
  // (sorted by time, then unit; or by unit, then time): both are tried
  // before the hash look-up.
  // An id of 1 to 7 bytes is compared as one 64-bit key, its bytes above
  // its length (so no two ids share a key), built without a call; 0 means
  // "compare the text".
  auto key_of = [](std::string_view text) -> std::uint64_t {
    if (text.empty() || text.size() > 7) return 0;
    std::uint64_t bytes = 0;
    for (char c : text)
      bytes = bytes << 8 | static_cast<unsigned char>(c);
    return bytes << 8 | text.size();
  };
  const std::vector<std::string>& unit_ids = bound_.unit_ids;
  std::vector<std::uint64_t> unit_keys;
  for (const std::string& id : unit_ids)
    unit_keys.push_back(key_of(id));
  auto is = [&](int unit, std::string_view text, std::uint64_t key) {
    const auto u = static_cast<std::size_t>(unit);
    return key != 0 ? unit_keys[u] == key : unit_ids[u] == text;
  };
  auto unit_of = [&](std::string_view text, int guess) -> int {
    if (guess >= 0) {
      const std::uint64_t key = key_of(text);
      if (is(guess, text, key)) return guess;
      const int next = guess + 1 == static_cast<int>(unit_ids.size()) ? 0 : guess + 1;
      if (is(next, text, key)) return next;
    }
    auto it = unit_index.find(text);
    return it == unit_index.end() ? -1 : it->second;
  };
  int last_unit = -1;
  std::size_t month = 0;
  DateMemo date_memo;

  while (MRV_TRY(reader.next(row))) {
    ++counts.read;
    if (row.fields.size() != width)
      return row_error(
          std::min(row.fields.size(), width) == 0 ? 0 : std::min(row.fields.size(), width) - 1,
          fmt::format("row has {} fields but the header has {}", row.fields.size(), width));
    std::int64_t time = 0;
    bool has_time;
    if (source.timestamp_format.pattern.empty()) {
      has_time = parse_timestamp(row.fields[time_field], offset, date_memo, time);
    } else {
      const std::optional<std::int64_t> parsed =
          parse_timestamp_pattern(row.fields[time_field], source.timestamp_format.pattern, offset);
      has_time = parsed.has_value();
      time = parsed.value_or(0);
    }
    if (!has_time)
      return row_error(time_field,
                       source.timestamp_format.pattern.empty()
                           ? fmt::format("cannot read timestamp '{}' (expected ISO 8601, such as "
                                         "2017-01-01T00:00:00+08:00 or 2017-01-01 00:00)",
                                         row.fields[time_field])
                           : fmt::format("cannot read timestamp '{}' as '{}'",
                                         row.fields[time_field], source.timestamp_format.pattern));
    int unit = constant_unit;
    if (unit_field) {
      std::string_view text = row.fields[*unit_field];
      last_unit = unit_of(text, last_unit);
      if (last_unit < 0) {
        Diagnostic d =
            row_error(*unit_field, fmt::format("unit '{}' is not declared in the project", text));
        std::string hint = closest_match(std::string(text), bound_.unit_ids);
        if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
        return d;
      }
      unit = last_unit;
    }
    UnitState& state = states[static_cast<std::size_t>(unit)];
    // Cumulative registers need each unit's readings in time order.
    if (any_cumulative) {
      if (time <= state.last_time)
        return row_error(
            time_field,
            fmt::format("cumulative readings of unit '{}' must be in time order: this row ({}) "
                        "does not come after line {} ({})",
                        bound_.unit_ids[static_cast<std::size_t>(unit)], local_time(time, offset),
                        state.last_line, local_time(state.last_time, offset)));
      state.last_time = time;
      state.last_line = row.line;
    }

    // A row belongs to the month holding the start of its interval.
    std::int64_t instant = source.marks == TimestampMarks::end ? time - 1 : time;
    bool inside = true;
    if (month >= months_.size() || instant < months_[month].start ||
        instant >= months_[month].end) {
      auto it = std::upper_bound(months_.begin(), months_.end(), instant,
                                 [](std::int64_t t, const MonthSlice& s) { return t < s.start; });
      inside = it != months_.begin() && instant < (it - 1)->end;
      if (inside) month = static_cast<std::size_t>(it - 1 - months_.begin());
    }
    if (!inside && !any_cumulative) {
      ++counts.outside_periods;
      continue;
    }
    const std::size_t bucket = month * width_ + static_cast<std::size_t>(unit);

    // Duplicates: a second row for the same unit and interval.
    if (inside && interval > 0) {
      std::int64_t slot = (instant - origin) / interval;
      std::uint64_t& word = state.seen[static_cast<std::size_t>(slot / 64)];
      std::uint64_t bit = 1ull << (slot % 64);
      std::uint64_t hash = 14695981039346656037ull;
      for (const MappedColumn& mc : mapped)
        hash = fnv1a(row.fields[mc.field], hash) * 31;
      UnitState::Recent& recent = state.recent[static_cast<std::size_t>(slot) % kRecent];
      if (word & bit) {
        if (recent.slot != slot)
          return row_error(
              time_field,
              fmt::format("this row repeats the interval {} of unit '{}' from a row too far "
                          "back to compare; sort the data by time",
                          local_time(time, offset),
                          bound_.unit_ids[static_cast<std::size_t>(unit)]));
        if (recent.hash != hash)
          return row_error(
              time_field,
              fmt::format("this row has the same unit and interval as line {} but different "
                          "values",
                          recent.line));
        duplicates_[bucket].add(file, row.line);
        ++counts.duplicates;
        continue;
      }
      word |= bit;
      recent = {slot, hash, row.line};
    }

    const std::int64_t local_day = (instant + offset * 60) >= 0
                                       ? (instant + offset * 60) / 86400
                                       : (instant + offset * 60 - 86399) / 86400;
    // The row's cell of the daily series (keep_days()), when it counts.
    const std::size_t day_cell = days_kept_ && inside
                                     ? static_cast<std::size_t>(local_day - first_day_) * width_ +
                                           static_cast<std::size_t>(unit)
                                     : std::string::npos;
    auto treated_today = [&] {
      if (day_cell != std::string::npos) ++daily_treated_[day_cell];
    };
    bool row_complete = true;
    for (std::size_t k = 0; k < mapped.size(); ++k) {
      const MappedColumn& mc = mapped[k];
      const ColumnMapping& cm = *mc.mapping;
      const Parameter& p = *mc.parameter;
      std::string_view text = row.fields[mc.field];
      Quality& quality = quality_[bucket * aggregated_.size() + mc.aggregated];
      bool has_value = true;
      double raw = 0;
      bool exact = false; // `text` read as mantissa × 10^-decimals too
      std::int64_t mantissa = 0;
      int decimals = 0;
      if (is_blank(text)) {
        if (p.missing == MissingValue::error)
          return row_error(mc.field,
                           fmt::format("empty value in column '{}' ({})", cm.column, p.id));
        ++counts.missing_values;
        // An empty register reading loses nothing: the next reading holds it.
        if (inside && !cm.cumulative) {
          quality.empty.add(file, row.line);
          treated_today();
        }
        has_value = false;
      } else {
        std::optional<double> number;
        if (plain_numbers) {
          if (double plain; parse_number_and_decimal(text, plain, exact, mantissa, decimals))
            number = plain;
        } else {
          number = parse_number(text, number_format);
        }
        if (!number)
          return row_error(mc.field,
                           fmt::format("'{}' in column '{}' is not a number{}", text, cm.column,
                                       plain_numbers && text.find(',') != std::string_view::npos
                                           ? " (declare `decimal: \",\"` for a decimal comma)"
                                           : ""));
        raw = *number;
      }
      if (has_value && cm.cumulative) {
        // The register becomes the amount since the previous reading.
        double reading = raw;
        if (!state.has_reading[k]) {
          has_value = false; // the first reading is where the register starts
        } else {
          double previous = state.reading[k];
          const MeterReplacement* replaced = nullptr;
          if (const Meter* meter = mc.meters[static_cast<std::size_t>(unit)])
            for (const MeterReplacement& r : meter->replacements)
              if (r.time > state.reading_time[k] && r.time <= time) replaced = &r;
          if (replaced) {
            raw = (replaced->old_final - previous) + (reading - replaced->new_initial);
            if (inside) {
              quality.replacement.add(file, row.line);
              treated_today();
            }
          } else if (reading < previous) {
            if (!cm.rollover)
              return row_error(
                  mc.field,
                  fmt::format("the register of unit '{}' goes down from {} (line {}) to {}; "
                              "declare the meter's rollover or its replacement",
                              bound_.unit_ids[static_cast<std::size_t>(unit)], previous,
                              state.reading_line[k], text));
            raw = reading + *cm.rollover - previous;
            if (inside) {
              quality.rollover.add(file, row.line);
              treated_today();
            }
          } else {
            raw = reading - previous;
          }
        }
        state.reading[k] = reading;
        state.reading_line[k] = row.line;
        state.has_reading[k] = true;
        state.reading_time[k] = time;
      }
      if (!inside) continue;
      double value = raw * mc.scale + mc.shift;
      if (has_value) {
        bool out = (p.minimum && value < *p.minimum) || (p.maximum && value > *p.maximum) ||
                   (cm.maximum && raw > *cm.maximum);
        if (out) {
          if (cm.out_of_range == OutOfRange::error)
            return row_error(
                mc.field,
                fmt::format("{} {} in column '{}' is outside the allowed range of {} [{}, {}] {}{}",
                            text, cm.unit.text, cm.column, p.id,
                            p.minimum ? fmt::format("{}", *p.minimum) : "-inf",
                            p.maximum ? fmt::format("{}", *p.maximum) : "inf", p.unit.text,
                            cm.maximum ? fmt::format(" (column maximum {})", *cm.maximum) : ""));
          quality.out_of_range.add(file, row.line);
          treated_today();
          has_value = false;
        }
      }
      if (!has_value) {
        row_complete = false;
        columns[static_cast<std::size_t>(mc.record_slot)][n] = std::nan("");
        continue;
      }
      if (const Meter* meter = mc.meters[static_cast<std::size_t>(unit)]) {
        double error = lapse_error(*meter, local_day);
        if (error > 0) {
          quality.lapsed.add(file, row.line);
          quality.lapsed_weighted += error * value;
          treated_today();
        }
      }
      quality.largest = quality.any_value ? std::max(quality.largest, value) : value;
      quality.any_value = true;
      Accumulator& accumulator = accumulators_[bucket * aggregated_.size() + mc.aggregated];
      if (mc.exact && exact && mc.exact_shift >= decimals && mc.exact_shift - decimals <= 30)
        accumulator.add_exact(
            static_cast<__int128>(mantissa) * pow10_128(mc.exact_shift - decimals), value, time);
      else
        accumulator.add(value, time);
      columns[static_cast<std::size_t>(mc.record_slot)][n] = value;
      if (day_cell != std::string::npos && daily_index_[mc.aggregated] != std::string::npos)
        daily_values_[day_cell * daily_parameters_.size() + daily_index_[mc.aggregated]] += value;
    }
    if (!inside) {
      ++counts.outside_periods;
      continue;
    }
    if (!row_complete && !record_equations.empty())
      return row_error(0, "this row lacks a value that a per-record equation needs");
    ++counts.used;
    ++records_[bucket];
    if (day_cell != std::string::npos) ++daily_records_[day_cell];
    batch_units[n] = unit;
    batch_buckets[n] = bucket;
    batch_times[n] = time;
    batch_lines[n] = row.line;
    if (++n == kBatch) MRV_TRY(flush());
  }
  MRV_TRY(flush());
  counts.blank_lines += reader.blank_lines();

  return Ok{};
}

void Aggregation::finish(const DataSource& source) {
  auto found = sources_.find(&source);
  if (found == sources_.end()) return;
  const SourceState& state = *found->second;
  const std::vector<UnitState>& states = state.units;
  const int constant_unit = state.constant_unit;
  const int offset = project_.utc_offset_minutes;
  const std::int64_t interval = source.interval_seconds;
  const std::int64_t origin = months_.empty() ? 0 : months_.front().start;
  if (interval > 0) {
    for (std::size_t k = 0; k < months_.size(); ++k) {
      std::int64_t first = (months_[k].start - origin) / interval;
      std::int64_t last = (months_[k].end - origin) / interval; // exclusive
      for (std::size_t u = 0; u < width_; ++u) {
        // A source with one unit (or the site) only speaks for that one; one
        // with a unit column is expected to cover every unit.
        if (constant_unit >= 0 ? u != static_cast<std::size_t>(constant_unit) : u >= unit_count_)
          continue;
        const std::vector<std::uint64_t>& seen = states[u].seen;
        GapSummary summary;
        std::int64_t run_start = -1;
        int ranges = 0;
        auto close_run = [&](std::int64_t end_slot) {
          if (run_start < 0) return;
          if (ranges < 3)
            summary.ranges += fmt::format("{}{} to {}", ranges ? ", " : "",
                                          local_time(origin + run_start * interval, offset),
                                          local_time(origin + end_slot * interval, offset));
          ++ranges;
          run_start = -1;
        };
        for (std::int64_t s = first; s < last; ++s) {
          bool present_here = (seen[static_cast<std::size_t>(s / 64)] >> (s % 64)) & 1;
          if (!present_here) {
            ++summary.missing;
            if (run_start < 0) run_start = s;
            if (days_kept_) {
              const std::int64_t local = origin + s * interval + offset * 60;
              const std::int64_t day = (local >= 0 ? local / 86400 : (local - 86399) / 86400);
              ++daily_missing_[static_cast<std::size_t>(day - first_day_) * width_ + u];
            }
          } else {
            close_run(s);
          }
        }
        close_run(last);
        if (ranges > 3) summary.ranges += fmt::format(" and {} more", ranges - 3);
        if (summary.missing == 0) continue;
        // A cumulative register loses nothing in a gap: the next reading holds it.
        for (const auto& [aggregated, cumulative] : state.columns) {
          if (cumulative) continue;
          GapSummary& target = gaps_[(k * width_ + u) * aggregated_.size() + aggregated];
          target.missing += summary.missing;
          if (target.ranges.empty()) target.ranges = summary.ranges;
        }
      }
    }
  }
}

} // namespace mrv::detail
