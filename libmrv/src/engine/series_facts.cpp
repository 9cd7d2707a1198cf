// How each data source was read, for the report's "Data sources" table:
// what the reading already settled (the interval, the units a source speaks
// for, the decimal-mark evidence, the ratings that bounded its values) put
// into words once per source after every row was read. Every check that
// fails stops the calculation with its own error, so what is described
// here is what the checks found on data they accepted.
#include "engine/series_state.hpp"

#include "data/source_evidence.hpp"
#include "engine/rating_bounds.hpp"
#include "mrv/numbers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mrv::detail {
namespace {

std::string plural(std::int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string header_check(const DataSourceFacts& f) {
  std::vector<std::string> parts;
  for (const DataSourceColumn& c : f.columns)
    parts.push_back(c.header_unit.empty()
                        ? fmt::format("'{}' names no unit: read as declared, {}", c.column, c.unit)
                        : fmt::format("'{}' names {}, as declared", c.column, c.header_unit));
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string decimal_check(const DataSource& d, bool checked, const DecimalEvidence& e) {
  if (d.number_format_declared)
    return d.thousands_separator ? fmt::format("declared: decimal '{}', thousands '{}'",
                                               d.decimal_point, d.thousands_separator)
                                 : fmt::format("declared: decimal '{}'", d.decimal_point);
  if (d.delimiter == ',')
    return "'.' (not declared): a comma-separated file cannot hide a ',' in an unquoted value";
  if (!checked) return "'.' (not declared); the values were not checked for grouped thousands";
  if (e.other_decimals() > 0)
    return fmt::format("'.' (not declared): {} with a '.' and other than three decimals settle "
                       "it",
                       plural(e.other_decimals(), "value", "values"));
  return "'.' (not declared): no value has a '.' with three decimals, none could be grouped "
         "thousands";
}

std::string interval_check(const DataSource& d, const SourceInterval& i) {
  if (d.interval_irregular)
    return "irregular (declared): repeats found by equal timestamps, gaps not counted";
  if (i.seconds == 0)
    return fmt::format("none: {}; repeats found by equal timestamps, gaps not counted (a "
                       "warning)",
                       i.why_none);
  if (i.inferred)
    return fmt::format("{}, inferred from the first rows (a warning: declare interval: {}); "
                       "repeats and gaps counted by it",
                       format_duration(i.seconds), format_duration(i.seconds));
  return fmt::format("{} (declared): repeats and gaps counted by it", format_duration(i.seconds));
}

std::string rows_check(const DataSourceFacts& f) {
  RowCounts total;
  for (const DataFileRead& file : f.files) {
    total.read += file.rows.read;
    total.used += file.rows.used;
    total.outside_periods += file.rows.outside_periods;
    total.blank_lines += file.rows.blank_lines;
    total.missing_values += file.rows.missing_values;
    total.duplicates += file.rows.duplicates;
  }
  return fmt::format("{} read: {} used, {} outside every period; {}; {}; {} counted once",
                     total.read, total.used, total.outside_periods,
                     plural(total.blank_lines, "blank line", "blank lines"),
                     plural(total.missing_values, "empty value", "empty values"),
                     plural(total.duplicates, "identical repeated row", "identical repeated rows"));
}

} // namespace

void Aggregation::describe_source(std::size_t source, DataSourceFacts& f) const {
  const DataSource& d = project_.data[source];
  const SourceInterval& interval = source_intervals_[source];
  f.interval_seconds = interval.seconds;
  f.interval_basis = d.interval_irregular    ? "irregular"
                     : interval.seconds == 0 ? "none"
                     : interval.inferred     ? "inferred"
                                             : "declared";
  const SourceState* state = sources_[source].get();
  if (d.site()) {
    f.units_basis = "the site";
  } else if (!d.constant_unit.empty()) {
    f.units = {d.constant_unit};
    f.units_basis = "one unit";
  } else if (!d.covers.empty()) {
    f.units = d.covers;
    f.units_basis = "declared";
  } else {
    for (std::size_t u = 0; state && u < unit_count_; ++u)
      if (state->units[u].has_rows) f.units.push_back(bound_.unit_ids[u]);
    f.units_basis = "the rows";
  }
  f.checks.push_back({"encoding", d.encoding.empty()
                                      ? "UTF-8, no conversion; the header is valid UTF-8"
                                      : fmt::format("converted from {} to UTF-8; every byte "
                                                    "valid {}",
                                                    d.encoding, d.encoding)});
  f.checks.push_back({"header units", header_check(f)});
  f.checks.push_back({"decimal mark", decimal_check(d, state && state->check_decimals,
                                                    state ? state->decimals : DecimalEvidence{})});
  f.checks.push_back({"interval", interval_check(d, interval)});
  f.checks.push_back({"rows", rows_check(f)});
  describe_bounds(source, f);
  f.checks.push_back({"overlap", "no interval of a unit and parameter given twice by two sources "
                                 "or files; no file, or content, given twice"});
}

// Which of the source's values a rating bounded, and the registers.
void Aggregation::describe_bounds(std::size_t source, DataSourceFacts& f) const {
  const DataSource& d = project_.data[source];
  RatingBounds bounds(m_, bound_);
  std::vector<std::string> rated, unrated;
  bool bounded = false;
  for (const ColumnMapping& cm : d.columns) {
    const Parameter* p = m_.parameter(cm.parameter);
    if (p && bounds.bound_for(static_cast<std::size_t>(p - m_.parameters.data())) >= 0)
      bounded = true;
  }
  for (const std::string& unit : f.units) {
    for (std::size_t u = 0; u < unit_count_; ++u)
      if (bound_.unit_ids[u] == unit) (bounds.has_rating(u) ? rated : unrated).push_back(unit);
  }
  if (bounded && d.interval_irregular)
    f.checks.push_back({"rating", "not checked: an irregular source has no interval to bound"});
  else if (bounded)
    f.checks.push_back(
        {"rating",
         fmt::format("{}{}{}",
                     rated.empty() ? ""
                                   : fmt::format("values of {} within what their rating allows",
                                                 fmt::join(rated, ", ")),
                     rated.empty() || unrated.empty() ? "" : "; ",
                     unrated.empty() ? ""
                                     : fmt::format("{} declare no rating: values within 50 times "
                                                   "the unit's mean (a warning)",
                                                   fmt::join(unrated, ", ")))});
  for (const DataSourceColumn& c : f.columns)
    if (c.cumulative)
      f.checks.push_back({
          "register",
          fmt::format("'{}': readings in time order per unit; {}; drops accepted only as a "
                      "plausible rollover or a declared replacement",
                      c.column,
                      c.rollover
                          ? fmt::format("rollover at {} {}", format_number(*c.rollover), c.unit)
                          : std::string("no rollover declared")),
      });
}

} // namespace mrv::detail
