#include "series.hpp"

#include "text_number.hpp"
#include "timestamp.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

namespace mrv::detail {

namespace {
void neumaier_add(double& sum, double& compensation, double value) {
  double t = sum + value;
  compensation += std::fabs(sum) >= std::fabs(value) ? (sum - t) + value : (value - t) + sum;
  sum = t;
}
} // namespace

void Accumulator::add(double value, std::int64_t time) {
  neumaier_add(sum, compensation, value);
  add_exact(0, value, time);
}

double Accumulator::total() const {
  double exact_part = static_cast<double>(static_cast<long double>(exact) / 1e12L);
  if (sum == 0 && compensation == 0) return exact_part;
  double s = exact_part, c = 0;
  neumaier_add(s, c, sum);
  neumaier_add(s, c, compensation);
  return s + c;
}

void Accumulator::add_exact(__int128 scaled, double value, std::int64_t time) {
  exact += scaled;
  if (count == 0) {
    min = max = first = last = value;
    first_time = last_time = time;
  } else {
    min = std::min(min, value);
    max = std::max(max, value);
    if (time < first_time) first = value, first_time = time;
    if (time >= last_time) last = value, last_time = time;
  }
  ++count;
}

void Accumulator::merge(const Accumulator& o) {
  if (o.count == 0) return;
  if (count == 0) {
    *this = o;
    return;
  }
  exact += o.exact;
  double c = compensation + o.compensation;
  neumaier_add(sum, c, o.sum);
  compensation = c;
  min = std::min(min, o.min);
  max = std::max(max, o.max);
  if (o.first_time < first_time) first = o.first, first_time = o.first_time;
  if (o.last_time >= last_time) last = o.last, last_time = o.last_time;
  count += o.count;
}

double Accumulator::value(Aggregate aggregate) const {
  if (aggregate == Aggregate::sum) return total();
  if (count == 0) return std::nan("");
  switch (aggregate) {
  case Aggregate::mean:
    return total() / static_cast<double>(count);
  case Aggregate::min:
    return min;
  case Aggregate::max:
    return max;
  case Aggregate::first:
    return first;
  case Aggregate::last:
    return last;
  case Aggregate::sum:
    break;
  }
  return total();
}

std::vector<MonthSlice> month_slices(const Project& project) {
  std::vector<MonthSlice> out;
  std::int64_t offset = static_cast<std::int64_t>(project.utc_offset_minutes) * 60;
  for (std::size_t p = 0; p < project.periods.size(); ++p) {
    const MonitoringPeriod& period = project.periods[p];
    std::int64_t day = period.first_day;
    while (day <= period.last_day) {
      CivilDate d = civil_from_days(day);
      std::int64_t next_month = d.month == 12 ? days_from_civil(d.year + 1, 1, 1)
                                              : days_from_civil(d.year, d.month + 1, 1);
      MonthSlice s;
      s.period = static_cast<int>(p);
      s.first_day = day;
      s.last_day = std::min(next_month - 1, period.last_day);
      s.start = s.first_day * 86400 - offset;
      s.end = (s.last_day + 1) * 86400 - offset;
      s.label = fmt::format("{:04}-{:02}", d.year, d.month);
      out.push_back(std::move(s));
      day = s.last_day + 1;
    }
  }
  std::sort(out.begin(), out.end(),
            [](const MonthSlice& a, const MonthSlice& b) { return a.start < b.start; });
  return out;
}

Aggregation::Aggregation(const Methodology& m, const Project& project, const BoundValues& bound)
    : m_(m), project_(project), bound_(bound), unit_count_(bound.unit_count) {
  const CompiledMethodology& c = *m.compiled;
  for (std::size_t i = 0; i < m.parameters.size(); ++i)
    if (c.parameters[i].record_slot >= 0)
      aggregated_.push_back(
          {i, c.parameters[i].record_slot, c.parameters[i].slot, m.parameters[i].aggregate});
  months_ = month_slices(project);
  accumulators_.resize(months_.size() * unit_count_ * aggregated_.size());
  records_.assign(months_.size() * unit_count_, 0);
}

namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One mapped column: where it is, what it feeds and how to convert it.
struct MappedColumn {
  std::size_t field;
  int record_slot;
  double scale, shift; // value in the parameter's unit = raw × scale + shift
  const Parameter* parameter;
  std::string column;
  std::size_t aggregated; // index into Aggregation::aggregated()
  // When the conversion is a power of ten (kWh → MWh), plain decimals are
  // summed exactly: the value in 1e-12 units is mantissa × 10^(exact_shift - decimals).
  bool exact = false;
  int exact_shift = 0;
};

// 10^k for the k that makes `factor` an exact power of ten, if any.
bool power_of_ten(double factor, int& k) {
  for (int e = -12; e <= 12; ++e) {
    long double p = 1.0L;
    for (int j = 0; j < std::abs(e); ++j)
      p *= 10.0L;
    double value = static_cast<double>(e < 0 ? 1.0L / p : p);
    if (value == factor) {
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

constexpr std::size_t kBatch = 1024;

} // namespace

Status Aggregation::read(const DataSource& source, CsvReader& reader, RowCounts& counts) {
  const CompiledMethodology& c = *m_.compiled;
  const std::string& file = reader.display_name();
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
  for (std::size_t f = 0; f < width; ++f)
    for (std::size_t g = 0; g < f; ++g)
      if (header[f] == header[g])
        return row_error(f, fmt::format("column '{}' appears twice in the header", header[f]));
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
  } else {
    for (std::size_t u = 0; u < bound_.unit_ids.size(); ++u)
      if (bound_.unit_ids[u] == source.constant_unit) constant_unit = static_cast<int>(u);
  }
  std::vector<MappedColumn> mapped;
  std::vector<bool> present(static_cast<std::size_t>(c.record_slots), false);
  for (const ColumnMapping& cm : source.columns) {
    const Parameter* p = m_.parameter(cm.parameter);
    std::size_t index = static_cast<std::size_t>(p - m_.parameters.data());
    std::size_t field = MRV_TRY(column_index(cm.column, "mapped to " + cm.parameter));
    // Affine conversion (absolute temperatures), otherwise a pure factor.
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
    MappedColumn column{field, slot, scale, shift, p, cm.column, aggregated_index};
    int k = 0;
    if (shift == 0 && power_of_ten(scale, k)) {
      column.exact = true;
      column.exact_shift = k + Accumulator::exact_decimals;
    }
    mapped.push_back(std::move(column));
  }

  // Per-record equations run for this source when all their inputs are here.
  std::vector<std::size_t> record_equations;
  for (int index : c.order) {
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
  // Summarised from doubles: per-record results, and mapped columns whose
  // values are not all exact decimals (those rows are added as they come).
  std::vector<std::size_t> summarised;
  std::vector<bool> from_columns(aggregated_.size(), false);
  for (const MappedColumn& mc : mapped)
    from_columns[mc.aggregated] = true;
  for (std::size_t a = 0; a < aggregated_.size(); ++a)
    if (present[static_cast<std::size_t>(aggregated_[a].record_slot)] && !from_columns[a])
      summarised.push_back(a);

  // Batches of rows, column by column.
  std::vector<std::vector<double>> columns(static_cast<std::size_t>(c.record_slots),
                                           std::vector<double>(kBatch));
  std::vector<const double*> column_pointers(columns.size());
  for (std::size_t s = 0; s < columns.size(); ++s)
    column_pointers[s] = columns[s].data();
  std::vector<int> batch_units(kBatch);
  std::vector<std::size_t> batch_buckets(kBatch);
  std::vector<std::int64_t> batch_times(kBatch);
  std::size_t n = 0;

  EvalFrame frame;
  frame.project = bound_.project.data();
  frame.units = bound_.units.data();
  frame.unit_stride = static_cast<std::size_t>(c.unit_slots);
  frame.record = column_pointers.data();
  frame.record_units = batch_units.data();
  std::vector<double> results(kBatch);

  auto flush = [&]() -> Status {
    for (std::size_t index : record_equations) {
      const CompiledParameter& cp = c.parameters[index];
      double* out = columns[static_cast<std::size_t>(cp.record_slot)].data();
      evaluate(cp.formula.expr, frame, n, out);
      for (std::size_t k = 0; k < n; ++k)
        if (!std::isfinite(out[k]))
          return error_at(
              Location{file, 0, 0},
              fmt::format("per-record equation '{}' gives no value for a row of unit '{}' at {}",
                          m_.parameters[index].id,
                          bound_.unit_ids[static_cast<std::size_t>(batch_units[k])],
                          batch_times[k]));
    }
    for (std::size_t a : summarised) {
      const double* values = columns[static_cast<std::size_t>(aggregated_[a].record_slot)].data();
      for (std::size_t k = 0; k < n; ++k)
        accumulators_[batch_buckets[k] * aggregated_.size() + a].add(values[k], batch_times[k]);
    }
    n = 0;
    return Ok{};
  };

  std::unordered_map<std::string, int, StringHash, std::equal_to<>> unit_index;
  for (std::size_t u = 0; u < bound_.unit_ids.size(); ++u)
    unit_index.emplace(bound_.unit_ids[u], static_cast<int>(u));
  std::string last_unit_text;
  int last_unit = -1;
  std::size_t month = 0;
  const std::int64_t default_offset = project_.utc_offset_minutes;

  while (MRV_TRY(reader.next(row))) {
    ++counts.read;
    if (row.fields.size() != width)
      return row_error(
          std::min(row.fields.size(), width) == 0 ? 0 : std::min(row.fields.size(), width) - 1,
          fmt::format("row has {} fields but the header has {}", row.fields.size(), width));
    std::optional<std::int64_t> time =
        parse_timestamp(row.fields[time_field], static_cast<int>(default_offset));
    if (!time)
      return row_error(time_field,
                       fmt::format("cannot read timestamp '{}' (expected ISO 8601, such as "
                                   "2017-01-01T00:00:00+08:00 or 2017-01-01 00:00)",
                                   row.fields[time_field]));
    // A row belongs to the month holding the start of its interval.
    std::int64_t instant = source.marks == TimestampMarks::end ? *time - 1 : *time;
    if (month >= months_.size() || instant < months_[month].start ||
        instant >= months_[month].end) {
      auto it = std::upper_bound(months_.begin(), months_.end(), instant,
                                 [](std::int64_t t, const MonthSlice& s) { return t < s.start; });
      if (it == months_.begin() || instant >= (it - 1)->end) {
        ++counts.outside_periods;
        continue;
      }
      month = static_cast<std::size_t>(it - 1 - months_.begin());
    }
    int unit = constant_unit;
    if (unit_field) {
      std::string_view text = row.fields[*unit_field];
      if (last_unit < 0 || text != last_unit_text) {
        auto it = unit_index.find(text);
        if (it == unit_index.end()) {
          Diagnostic d =
              row_error(*unit_field, fmt::format("unit '{}' is not declared in the project", text));
          std::string hint = closest_match(std::string(text), bound_.unit_ids);
          if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
          return d;
        }
        last_unit = it->second;
        last_unit_text.assign(text);
      }
      unit = last_unit;
    }
    for (const MappedColumn& mc : mapped) {
      std::string_view text = row.fields[mc.field];
      double value;
      if (text.empty() || text.find_first_not_of(" \t") == std::string_view::npos) {
        if (mc.parameter->missing == MissingValue::error)
          return row_error(mc.field, fmt::format("empty value in column '{}' ({})", mc.column,
                                                 mc.parameter->id));
        ++counts.missing_values;
        value = 0;
        accumulators_[(month * unit_count_ + static_cast<std::size_t>(unit)) * aggregated_.size() +
                      mc.aggregated]
            .add(0.0, *time);
      } else {
        std::optional<double> number = parse_number(text);
        if (!number)
          return row_error(mc.field,
                           fmt::format("'{}' in column '{}' is not a number", text, mc.column));
        value = *number * mc.scale + mc.shift;
        std::int64_t mantissa;
        int decimals;
        Accumulator& accumulator =
            accumulators_[(month * unit_count_ + static_cast<std::size_t>(unit)) *
                              aggregated_.size() +
                          mc.aggregated];
        if (mc.exact && parse_exact_decimal(text, mantissa, decimals) &&
            mc.exact_shift >= decimals && mc.exact_shift - decimals <= 30)
          accumulator.add_exact(
              static_cast<__int128>(mantissa) * pow10_128(mc.exact_shift - decimals), value, *time);
        else
          accumulator.add(value, *time);
        const Parameter& p = *mc.parameter;
        if ((p.minimum && value < *p.minimum) || (p.maximum && value > *p.maximum))
          return row_error(
              mc.field,
              fmt::format("{} {} in column '{}' is outside the allowed range of {} [{}, {}] {}",
                          text,
                          source.columns[static_cast<std::size_t>(&mc - mapped.data())].unit.text,
                          mc.column, p.id, p.minimum ? fmt::format("{}", *p.minimum) : "-inf",
                          p.maximum ? fmt::format("{}", *p.maximum) : "inf", p.unit.text));
      }
      columns[static_cast<std::size_t>(mc.record_slot)][n] = value;
    }
    ++counts.used;
    std::size_t bucket = month * unit_count_ + static_cast<std::size_t>(unit);
    ++records_[bucket];
    batch_units[n] = unit;
    batch_buckets[n] = bucket;
    batch_times[n] = *time;
    if (++n == kBatch) MRV_TRY(flush());
  }
  MRV_TRY(flush());
  counts.blank_lines += reader.blank_lines();
  return Ok{};
}

} // namespace mrv::detail
