#include "treatments.hpp"

#include <fmt/format.h>

#include <cmath>

namespace mrv::detail {
namespace {

// +1 when ER grows with the value, -1 when it falls, 0 when it does not move.
Expected<int> direction(const ReductionsOf& reductions_of, std::vector<double> adjustments,
                        std::size_t index, double base, double scale) {
  double step = std::max(std::fabs(scale), 1.0) * 1e-6;
  adjustments[index] += step;
  double nudged = MRV_TRY(reductions_of(adjustments));
  double change = nudged - base;
  double noise = std::max(std::fabs(base), 1.0) * 1e-12;
  return change > noise ? 1 : change < -noise ? -1 : 0;
}

} // namespace

Expected<TreatmentPlan> plan_treatments(const Methodology& m, const BoundValues& bound,
                                        const Aggregation& aggregation,
                                        const std::vector<std::size_t>& period_months,
                                        const std::string& period_id,
                                        const ReductionsOf& reductions_of) {
  const std::size_t units = aggregation.owners(); // the units, then the site if any
  const std::size_t site = aggregation.site();
  const std::size_t aggs = aggregation.aggregated().size();
  auto at = [&](std::size_t k, std::size_t u, std::size_t a) { return (k * units + u) * aggs + a; };
  TreatmentPlan plan;
  plan.adjustments.assign(aggregation.months().size() * units * aggs, 0.0);
  if (period_months.empty()) return plan;
  double base = MRV_TRY(reductions_of(plan.adjustments));

  // One treatment of one kind for one unit and parameter, with its amounts per month.
  struct Pending {
    Treatment treatment;
    std::vector<std::pair<std::size_t, double>> amounts; // adjustment index → amount
  };
  std::vector<Pending> pending;
  auto add = [&](std::string kind, std::size_t u, std::size_t a, const RowSpan& rows,
                 std::int64_t count, std::string where, std::string description,
                 std::vector<std::pair<std::size_t, double>> amounts) {
    if (count == 0) return;
    Pending p;
    p.treatment.kind = std::move(kind);
    p.treatment.period = period_id;
    p.treatment.unit = u == site ? std::string(site_label) : bound.unit_ids[u];
    p.treatment.parameter = a < aggs ? m.parameters[aggregation.aggregated()[a].parameter].id : "";
    p.treatment.rows = count;
    p.treatment.where = where.empty() ? rows.describe() : std::move(where);
    p.treatment.description = std::move(description);
    p.treatment.amount_unit =
        a < aggs ? m.parameters[aggregation.aggregated()[a].parameter].unit.text : "";
    for (const auto& [index, amount] : amounts)
      p.treatment.amount += amount;
    p.amounts = std::move(amounts);
    pending.push_back(std::move(p));
  };
  auto merge = [](RowSpan& into, const RowSpan& from) {
    if (from.count == 0) return;
    if (into.count == 0)
      into = from;
    else {
      into.last = from.last;
      into.count += from.count;
    }
  };

  for (std::size_t u = 0; u < units; ++u) {
    RowSpan duplicates;
    for (std::size_t k : period_months)
      merge(duplicates, aggregation.duplicates(k, u));
    add("duplicate", u, aggs, duplicates, duplicates.count, "",
        "identical repeated rows, each counted once", {});
    for (std::size_t a = 0; a < aggs; ++a) {
      const Aggregation::Aggregated& agg = aggregation.aggregated()[a];
      if (agg.site != (u == site)) continue; // site values are only the site's
      Quality q;
      std::int64_t gaps = 0;
      std::string gap_ranges;
      double period_largest = 0;
      bool any_value = false;
      for (std::size_t k : period_months) {
        const Quality& mq = aggregation.quality(k, u, a);
        merge(q.empty, mq.empty);
        merge(q.out_of_range, mq.out_of_range);
        merge(q.lapsed, mq.lapsed);
        merge(q.rollover, mq.rollover);
        merge(q.replacement, mq.replacement);
        q.lapsed_weighted += mq.lapsed_weighted;
        if (mq.any_value)
          period_largest = any_value ? std::max(period_largest, mq.largest) : mq.largest;
        any_value = any_value || mq.any_value;
        const GapSummary& g = aggregation.gaps(k, u, a);
        gaps += g.missing;
        if (!g.ranges.empty()) gap_ranges += (gap_ranges.empty() ? "" : "; ") + g.ranges;
      }
      add("rollover", u, a, q.rollover, q.rollover.count, "",
          "the cumulative register wrapped around at its declared size", {});
      add("meter_replacement", u, a, q.replacement, q.replacement.count, "",
          "readings joined across the declared meter replacement", {});
      bool summable = agg.aggregate == Aggregate::sum;
      bool affected = q.empty.count + q.out_of_range.count + gaps + q.lapsed.count > 0;
      int d = 0;
      if (affected && summable) {
        std::size_t probe = at(period_months.front(), u, a);
        d = MRV_TRY(direction(reductions_of, plan.adjustments, probe, base, period_largest));
      }
      // Intervals without a usable value: nothing on the reference side, the
      // largest interval value seen on the project side.
      auto fills = [&](auto count_of) {
        std::vector<std::pair<std::size_t, double>> amounts;
        if (d >= 0 || !summable) return amounts;
        for (std::size_t k : period_months) {
          const Quality& mq = aggregation.quality(k, u, a);
          double largest = mq.any_value ? mq.largest : period_largest;
          std::int64_t count = count_of(k);
          if (count > 0) amounts.emplace_back(at(k, u, a), static_cast<double>(count) * largest);
        }
        return amounts;
      };
      std::string fill_text =
          !summable ? "left out of the period's " + std::string(aggregate_name(agg.aggregate))
          : d < 0   ? "filled with the largest interval value seen (it raises project emissions)"
          : d > 0   ? "counted as nothing (a larger value would raise ER)"
                    : "counted as nothing (the value does not change ER)";
      add("gap", u, a, RowSpan{}, gaps, gap_ranges, "intervals with no row: " + fill_text,
          fills([&](std::size_t k) { return aggregation.gaps(k, u, a).missing; }));
      add("missing_value", u, a, q.empty, q.empty.count, "", "empty values: " + fill_text,
          fills([&](std::size_t k) { return aggregation.quality(k, u, a).empty.count; }));
      add("out_of_range", u, a, q.out_of_range, q.out_of_range.count, "",
          "values outside the allowed range, treated as gaps: " + fill_text,
          fills([&](std::size_t k) { return aggregation.quality(k, u, a).out_of_range.count; }));
      std::vector<std::pair<std::size_t, double>> corrections;
      if (d != 0 && summable)
        for (std::size_t k : period_months) {
          double weighted = aggregation.quality(k, u, a).lapsed_weighted;
          if (weighted != 0) corrections.emplace_back(at(k, u, a), -d * weighted);
        }
      add("calibration", u, a, q.lapsed, q.lapsed.count, "",
          !summable ? "measured while calibration was overdue: not corrected in a period's " +
                          std::string(aggregate_name(agg.aggregate))
          : d > 0 ? "measured while calibration was overdue: lowered by the meter's error"
          : d < 0 ? "measured while calibration was overdue: raised by the meter's error"
                  : "measured while calibration was overdue: the value does not change ER",
          std::move(corrections));
    }
  }

  // Apply them in turn: each one's effect is the change of ER it makes.
  double before = base;
  for (Pending& p : pending) {
    for (const auto& [index, amount] : p.amounts)
      plan.adjustments[index] += amount;
    double after = p.amounts.empty() ? before : MRV_TRY(reductions_of(plan.adjustments));
    p.treatment.effect = after - before;
    before = after;
    plan.treatments.push_back(std::move(p.treatment));
  }
  return plan;
}

} // namespace mrv::detail
