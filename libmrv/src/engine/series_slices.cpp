// What the aggregation hands a slice (a period, or a calendar year or month
// of one): each owner's summaries of its months, with the treatments'
// adjustments, laid out as the engine reads them.
#include "base/try.hpp"
#include "engine/series.hpp"

#include <fmt/format.h>

#include <cmath>

namespace mrv::detail {

Expected<SliceValues> Aggregation::slice_inputs(const std::vector<std::size_t>& months,
                                                const std::vector<double>& adjustments,
                                                const std::string& name) const {
  const CompiledMethodology& c = *m_.compiled;
  SliceValues in;
  in.unit_period.assign(unit_count_ * static_cast<std::size_t>(c.unit_period_slots), std::nan(""));
  in.period.assign(static_cast<std::size_t>(c.period_slots), std::nan(""));
  for (std::size_t u = 0; u < width_; ++u)
    MRV_TRY(write_owner_inputs(u, months, adjustments, name, in));
  return in;
}

Status Aggregation::write_owner_inputs(std::size_t u, const std::vector<std::size_t>& months,
                                       const std::vector<double>& adjustments,
                                       const std::string& name, SliceValues& in) const {
  const auto slots = static_cast<std::size_t>(m_.compiled->unit_period_slots);
  for (std::size_t a = 0; a < aggregated_.size(); ++a) {
    const Aggregated& agg = aggregated_[a];
    if (agg.site != (u == site_)) continue;
    Accumulator total;
    double adjustment = 0;
    for (std::size_t k : months) {
      total.merge(at(k, u, a));
      adjustment += adjustments[(k * width_ + u) * aggregated_.size() + a];
    }
    const std::string owner =
        u == site_ ? std::string("the site") : fmt::format("unit '{}'", bound_.unit_ids[u]);
    if ((agg.aggregate == Aggregate::first && total.first_tied) ||
        (agg.aggregate == Aggregate::last && total.last_tied))
      return error_at(Location{project_.file, 0, 0},
                      fmt::format("two rows of {} at the same time give different values of "
                                  "'{}' in {}: its {} value depends on the order of the rows",
                                  owner, aggregated_name(a), name, aggregate_name(agg.aggregate)));
    double value = total.value(agg.aggregate);
    if (std::isnan(value))
      return error_at(Location{project_.file, 0, 0},
                      fmt::format("no records of '{}' for {} in {}: its {} is undefined",
                                  aggregated_name(a), owner, name, aggregate_name(agg.aggregate)));
    if (agg.aggregate == Aggregate::sum) value += adjustment;
    if (agg.site)
      in.period[static_cast<std::size_t>(agg.slot)] = value;
    else
      in.unit_period[u * slots + static_cast<std::size_t>(agg.slot)] = value;
  }
  return Ok{};
}

std::int64_t Aggregation::slice_records(const std::vector<std::size_t>& months,
                                        std::size_t u) const {
  std::int64_t records = 0;
  for (std::size_t k : months)
    records += records_[k * width_ + u];
  return records;
}

} // namespace mrv::detail
