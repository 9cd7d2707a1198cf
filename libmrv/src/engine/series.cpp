#include "engine/series.hpp"

#include "data/text_number.hpp"
#include "data/timestamp.hpp"

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
  ++inexact;
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

void Accumulator::merge(const Accumulator& o) {
  if (o.count == 0) return;
  if (count == 0) {
    *this = o;
    return;
  }
  exact += o.exact;
  inexact += o.inexact;
  double c = compensation + o.compensation;
  neumaier_add(sum, c, o.sum);
  compensation = c;
  min = std::min(min, o.min);
  max = std::max(max, o.max);
  if (o.first_time < first_time) {
    first = o.first, first_time = o.first_time, first_tied = o.first_tied;
  } else if (o.first_time == first_time) {
    first_tied = first_tied || o.first_tied || o.first != first;
  }
  if (o.last_time > last_time) {
    last = o.last, last_time = o.last_time, last_tied = o.last_tied;
  } else if (o.last_time == last_time) {
    last_tied = last_tied || o.last_tied || o.last != last;
  }
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

void RowSpan::add(std::int32_t in_file, std::int64_t line) {
  if (count == 0) {
    file = in_file;
    first = line;
  }
  last = line;
  ++count;
}

void RowSpan::merge(const RowSpan& other) {
  if (other.count == 0) return;
  if (count == 0) {
    *this = other;
    return;
  }
  last = other.last;
  count += other.count;
}

RowSpan RowSpan::moved(std::int64_t line_delta) const {
  RowSpan span = *this;
  if (span.count > 0) {
    span.first += line_delta;
    span.last += line_delta;
  }
  return span;
}

bool Quality::mergeable() const {
  return lapsed_weighted == 0 && span_least == 0 && span_most == 0 && span_by_time == 0 &&
         span_whole == 0 && spans.count == 0;
}

void Quality::merge_later(const Quality& later, std::int64_t line_delta) {
  empty.merge(later.empty.moved(line_delta));
  out_of_range.merge(later.out_of_range.moved(line_delta));
  lapsed.merge(later.lapsed.moved(line_delta));
  rollover.merge(later.rollover.moved(line_delta));
  replacement.merge(later.replacement.moved(line_delta));
  above_rating.merge(later.above_rating.moved(line_delta));
  if (later.any_value && (!any_value || later.largest > largest)) {
    largest = later.largest;
    largest_line = later.largest_line + line_delta;
    largest_file = later.largest_file;
  }
  any_value = any_value || later.any_value;
}

std::string RowSpan::describe(const std::vector<std::string>& files) const {
  if (count == 0) return "";
  const std::string& name = files[static_cast<std::size_t>(file)];
  if (count == 1) return fmt::format("{}:{}", name, first);
  return fmt::format("{}:{}-{} ({} rows)", name, first, last, count);
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

} // namespace mrv::detail
