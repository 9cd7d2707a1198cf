#include "engine/treatments.hpp"
#include "base/try.hpp"

#include "data/interval_grid.hpp"
#include "engine/rating_bounds.hpp"
#include "mrv/calc.hpp"
#include "mrv/numbers.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>

namespace mrv::detail {
namespace {

using Amounts = std::vector<std::pair<std::size_t, double>>; // adjustment index → amount

// One parameter's data of one unit over the period's months.
struct PeriodQuality {
  Quality q;
  std::int64_t gaps = 0;
  std::string gap_ranges;
  bool no_data = false;
  double largest = 0; // the largest interval value seen in the period
  bool any_value = false;
  double span_least = 0, span_most = 0, span_by_time = 0, span_whole = 0;
  bool span_split_by_time = false;
};

class Planner {
public:
  Planner(const Methodology& m, const Project& project, const BoundValues& bound,
          const Aggregation& aggregation, const std::vector<std::size_t>& months,
          const std::string& period_id, const PeriodReductions& reductions)
      : m_(m), project_(project), bound_(bound), a_(aggregation), months_(months),
        period_(period_id), reductions_(reductions), bounds_(m, bound),
        owners_(aggregation.owners()), site_(aggregation.site()),
        aggs_(aggregation.aggregated().size()) {}

  Expected<TreatmentPlan> run() {
    plan_.adjustments.assign(a_.months().size() * owners_ * aggs_, 0.0);
    if (months_.empty()) return plan_;
    base_ = MRV_TRY(reductions_.all(plan_.adjustments));
    for (std::size_t u = 0; u < owners_; ++u) {
      RowSpan duplicates;
      for (std::size_t k : months_)
        duplicates.merge(a_.duplicates(k, u));
      add("duplicate", u, aggs_, duplicates, duplicates.count, "",
          "identical repeated rows, each counted once", {});
      for (std::size_t a = 0; a < aggs_; ++a)
        if (a_.aggregated()[a].site == (u == site_)) MRV_TRY(plan_parameter(u, a));
    }
    MRV_TRY(apply_in_turn());
    return std::move(plan_);
  }

private:
  struct Pending {
    Treatment treatment;
    Amounts amounts;
    std::size_t owner = 0;
  };
  const Methodology& m_;
  const Project& project_;
  const BoundValues& bound_;
  const Aggregation& a_;
  const std::vector<std::size_t>& months_;
  const std::string& period_;
  const PeriodReductions& reductions_;
  RatingBounds bounds_;
  const std::size_t owners_, site_, aggs_;
  double base_ = 0;
  TreatmentPlan plan_;
  std::vector<Pending> pending_;

  std::size_t at(std::size_t k, std::size_t u, std::size_t a) const {
    return (k * owners_ + u) * aggs_ + a;
  }
  const Parameter& parameter(std::size_t a) const {
    return m_.parameters[a_.aggregated()[a].parameter];
  }
  std::string unit_name(std::size_t u) const {
    return u == site_ ? std::string(site_label) : bound_.unit_ids[u];
  }

  void add(std::string kind, std::size_t u, std::size_t a, const RowSpan& rows, std::int64_t count,
           std::string where, std::string description, Amounts amounts) {
    if (count == 0) return;
    Pending p;
    p.owner = u;
    p.treatment.kind = std::move(kind);
    p.treatment.period = period_;
    p.treatment.unit = unit_name(u);
    p.treatment.parameter = a < aggs_ ? a_.aggregated_name(a) : "";
    p.treatment.rows = count;
    p.treatment.where = where.empty() ? rows.describe(a_.files()) : std::move(where);
    p.treatment.description = std::move(description);
    p.treatment.amount_unit = a < aggs_ ? parameter(a).unit.text : "";
    for (const auto& [index, amount] : amounts)
      p.treatment.amount += amount;
    p.amounts = std::move(amounts);
    pending_.push_back(std::move(p));
  }

  PeriodQuality gather(std::size_t u, std::size_t a) const {
    PeriodQuality pq;
    for (std::size_t k : months_) {
      const Quality& mq = a_.quality(k, u, a);
      pq.q.empty.merge(mq.empty);
      pq.q.out_of_range.merge(mq.out_of_range);
      pq.q.lapsed.merge(mq.lapsed);
      pq.q.rollover.merge(mq.rollover);
      pq.q.replacement.merge(mq.replacement);
      pq.q.above_rating.merge(mq.above_rating);
      pq.q.spans.merge(mq.spans);
      pq.q.lapsed_weighted += mq.lapsed_weighted;
      pq.span_least += mq.span_least;
      pq.span_most += mq.span_most;
      pq.span_by_time += mq.span_by_time;
      pq.span_whole += mq.span_whole;
      pq.span_split_by_time = pq.span_split_by_time || mq.span_split_by_time;
      if (mq.any_value) pq.largest = pq.any_value ? std::max(pq.largest, mq.largest) : mq.largest;
      pq.any_value = pq.any_value || mq.any_value;
      const GapSummary& g = a_.gaps(k, u, a);
      pq.gaps += g.missing;
      pq.no_data = pq.no_data || g.no_data;
      if (!g.ranges.empty()) pq.gap_ranges += (pq.gap_ranges.empty() ? "" : "; ") + g.ranges;
    }
    if (pq.no_data)
      pq.gap_ranges = fmt::format("no data source has rows of unit '{}'{}", unit_name(u),
                                  pq.gaps ? fmt::format(" ({} intervals)", pq.gaps) : "");
    return pq;
  }

  // Whether a change to owner u's values is seen by evaluating u alone.
  bool one_unit(std::size_t u) const { return reductions_.one_unit && u != site_; }

  // ER, over owner u alone when that is exact, else over every unit.
  Expected<double> reductions(std::size_t u, const std::vector<double>& adjustments) const {
    return one_unit(u) ? reductions_.one_unit(u, adjustments) : reductions_.all(adjustments);
  }

  // +1 when ER grows with the value, -1 when it falls, 0 when it does not move.
  Expected<int> direction(std::size_t u, std::size_t a, double scale) {
    std::vector<double>& adjustments = plan_.adjustments;
    const double before = one_unit(u) ? MRV_TRY(reductions(u, adjustments)) : base_;
    const double step = std::max(std::fabs(scale), 1.0) * 1e-6;
    double& probe = adjustments[at(months_.front(), u, a)];
    const double kept = probe;
    probe += step;
    const Expected<double> nudged = reductions(u, adjustments);
    probe = kept;
    const double change = MRV_TRY(nudged) - before;
    const double noise = std::max({std::fabs(base_), std::fabs(before), 1.0}) * 1e-12;
    return change > noise ? 1 : change < -noise ? -1 : 0;
  }

  Status plan_parameter(std::size_t u, std::size_t a) {
    const Aggregation::Aggregated& agg = a_.aggregated()[a];
    const PeriodQuality pq = gather(u, a);
    add("rollover", u, a, pq.q.rollover, pq.q.rollover.count, "",
        "the cumulative register wrapped around at its declared size", {});
    add("meter_replacement", u, a, pq.q.replacement, pq.q.replacement.count, "",
        "readings joined across the declared meter replacement", {});
    add("above_rating", u, a, pq.q.above_rating, pq.q.above_rating.count, "",
        "above what the unit's rating allows, kept as the project explains (above_rating)", {});
    const bool summable = agg.aggregate == Aggregate::sum;
    const bool affected = pq.q.empty.count + pq.q.out_of_range.count + pq.gaps + pq.q.lapsed.count +
                                  pq.q.spans.count >
                              0 ||
                          pq.no_data;
    int d = 0;
    if (affected && summable) d = MRV_TRY(direction(u, a, pq.largest));
    if (pq.q.spans.count > 0) plan_spans(u, a, d, pq);
    const std::string fill_text = describe_fill(agg, a, d);
    add("gap", u, a, RowSpan{}, pq.no_data ? std::max<std::int64_t>(pq.gaps, 1) : pq.gaps,
        pq.gap_ranges, (pq.no_data ? "no data: " : "intervals with no row: ") + fill_text,
        MRV_TRY(fills(u, a, d, pq, pq.no_data ? "no data" : "intervals with no row",
                      [&](std::size_t k) { return a_.gaps(k, u, a).missing; })));
    add("missing_value", u, a, pq.q.empty, pq.q.empty.count, "", "empty values: " + fill_text,
        MRV_TRY(fills(u, a, d, pq, "empty values",
                      [&](std::size_t k) { return a_.quality(k, u, a).empty.count; })));
    add("out_of_range", u, a, pq.q.out_of_range, pq.q.out_of_range.count, "",
        "values outside the allowed range, treated as gaps: " + fill_text,
        MRV_TRY(fills(u, a, d, pq, "values out of range",
                      [&](std::size_t k) { return a_.quality(k, u, a).out_of_range.count; })));
    plan_calibration(u, a, d, summable, pq);
    return Ok{};
  }

  std::string describe_fill(const Aggregation::Aggregated& agg, std::size_t a, int d) const {
    if (agg.aggregate != Aggregate::sum)
      return "left out of the period's " + std::string(aggregate_name(agg.aggregate));
    if (d > 0) return "counted as nothing (a larger value would raise ER)";
    if (d == 0) return "counted as nothing (the value does not change ER)";
    const Fill* fill = declared_fill(a);
    if (!fill || fill->rule == FillRule::bound)
      return "filled with the most the unit can do in an interval (its bound: a larger value "
             "would lower ER)";
    if (fill->rule == FillRule::largest)
      return "filled with the largest interval value seen in the month (fills: largest)";
    return fmt::format("filled with {} per interval (fills)", fill->value.text);
  }

  const Fill* declared_fill(std::size_t a) const {
    for (const Fill& f : project_.fills)
      if (f.parameter == parameter(a).id) return &f;
    return nullptr;
  }

  // Intervals without a usable value: nothing on the reference side; on the
  // project side the declared fill, else the largest interval value seen.
  Expected<Amounts> fills(std::size_t u, std::size_t a, int d, const PeriodQuality& pq,
                          const char* what,
                          const std::function<std::int64_t(std::size_t)>& count_of) {
    Amounts amounts;
    if (d >= 0 || a_.aggregated()[a].aggregate != Aggregate::sum) return amounts;
    for (std::size_t k : months_) {
      const std::int64_t count = count_of(k);
      if (count == 0) continue;
      const double per_interval = MRV_TRY(fill_value(u, a, k, pq, what));
      amounts.emplace_back(at(k, u, a), static_cast<double>(count) * per_interval);
    }
    if (pq.no_data && pq.gaps == 0 && std::string_view(what) == "no data")
      return refuse_fill(u, a, "no data, and no interval to count the missing intervals by");
    return amounts;
  }

  // What fills one missing interval of owner u in month k: the declared
  // rule, else the bound where the unit has one; else the fill is refused.
  Expected<double> fill_value(std::size_t u, std::size_t a, std::size_t k, const PeriodQuality& pq,
                              const char* what) {
    const Fill* fill = declared_fill(a);
    // A unit-period without any value is not filled unless the project says how.
    if (!fill && !pq.any_value) return refuse_fill(u, a, what);
    const FillRule rule = fill ? fill->rule : FillRule::bound;
    if (rule == FillRule::amount) return MRV_TRY(parse_value(parameter(a), fill->value));
    if (rule == FillRule::largest) {
      const Quality& mq = a_.quality(k, u, a);
      if (mq.any_value) return mq.largest;
      if (pq.any_value) return pq.largest;
      return refuse_fill(u, a, std::string(what) + ", and no value to take the largest of");
    }
    const double most = bound_per_interval(u, a);
    if (!std::isnan(most)) return most;
    if (!fill) return refuse_fill(u, a, what);
    return error_at(fill->location,
                    fmt::format("`fills: {{{}: bound}}`: {} has no bound here (a rating, and the "
                                "sources' interval, are needed)",
                                fill->parameter, unit_name(u)));
  }

  // The most the unit can give in one of its sources' intervals, or NaN.
  double bound_per_interval(std::size_t u, std::size_t a) {
    const int b = bounds_.bound_for(a_.aggregated()[a].parameter);
    const std::int64_t interval = a_.interval_of(a);
    return b < 0 || interval == 0 ? std::nan("")
                                  : bounds_.most(b, u, static_cast<double>(interval));
  }

  Diagnostic refuse_fill(std::size_t u, std::size_t a, const std::string& what) const {
    const Parameter& p = parameter(a);
    Diagnostic d = error_at(
        u < project_.units.size() ? project_.units[u].location : Location{project_.file, 0, 0},
        fmt::format("{} of '{}' for {} in period '{}' cannot count as nothing: '{}' is on the "
                    "project side (a larger value lowers ER), and nothing is declared to fill them "
                    "with",
                    what, a_.aggregated_name(a),
                    u == site_ ? "the site" : "unit '" + unit_name(u) + "'", period_, p.id));
    d.notes.push_back(fmt::format("give its data, or declare how to fill it: `fills: {{{0}: "
                                  "bound}}` (the most the unit can do, with its rating), `fills: "
                                  "{{{0}: largest}}` (the largest interval value seen) or an "
                                  "amount per interval, `fills: {{{0}: \"12.5 {1}\"}}`",
                                  p.id, p.unit.text));
    return d;
  }

  // A register difference across a period boundary: the least this period
  // can be proven to have had (reference side), the most it can have had
  // (project side), or its share by time (`split: time`, or no effect).
  void plan_spans(std::size_t u, std::size_t a, int d, const PeriodQuality& pq) {
    const bool by_time = pq.span_split_by_time || d == 0;
    Amounts amounts;
    for (std::size_t k : months_) {
      const Quality& mq = a_.quality(k, u, a);
      if (mq.spans.count == 0) continue;
      amounts.emplace_back(at(k, u, a), by_time ? mq.span_by_time
                                        : d > 0 ? mq.span_least
                                                : mq.span_most);
    }
    double given = 0;
    for (const auto& [index, amount] : amounts)
      given += amount;
    const std::string of_whole =
        fmt::format("{} of the {} {} the register rose by over an outage across a period boundary",
                    format_number(at_15_significant_digits(given)),
                    format_number(at_15_significant_digits(pq.span_whole)), parameter(a).unit.text);
    add("register_span", u, a, pq.q.spans, pq.q.spans.count, "",
        of_whole + (by_time ? ": shared by time"
                    : d > 0 ? ": only what the unit's rating proves was in this period (nothing "
                              "without a rating)"
                            : ": the most the unit's rating allows in this period (all of it "
                              "without a rating)"),
        std::move(amounts));
  }

  void plan_calibration(std::size_t u, std::size_t a, int d, bool summable,
                        const PeriodQuality& pq) {
    Amounts corrections;
    if (d != 0 && summable)
      for (std::size_t k : months_) {
        const double weighted = a_.quality(k, u, a).lapsed_weighted;
        if (weighted != 0) corrections.emplace_back(at(k, u, a), -d * weighted);
      }
    const Aggregation::Aggregated& agg = a_.aggregated()[a];
    add("calibration", u, a, pq.q.lapsed, pq.q.lapsed.count, "",
        !summable ? "measured while calibration was overdue: not corrected in a period's " +
                        std::string(aggregate_name(agg.aggregate))
        : d > 0 ? "measured while calibration was overdue: lowered by the meter's error"
        : d < 0 ? "measured while calibration was overdue: raised by the meter's error"
                : "measured while calibration was overdue: the value does not change ER",
        std::move(corrections));
  }

  // Apply them in turn: each one's effect is the change of ER it makes.
  Status apply_in_turn() {
    std::optional<double> whole = base_; // ER over every unit, while it is known
    for (Pending& p : pending_) {
      if (!p.amounts.empty()) {
        const bool alone = one_unit(p.owner);
        const double before = alone   ? MRV_TRY(reductions_.one_unit(p.owner, plan_.adjustments))
                              : whole ? *whole
                                      : MRV_TRY(reductions_.all(plan_.adjustments));
        for (const auto& [index, amount] : p.amounts)
          plan_.adjustments[index] += amount;
        const double after = MRV_TRY(reductions(p.owner, plan_.adjustments));
        p.treatment.effect = after - before;
        whole = alone ? std::nullopt : std::optional<double>(after);
      }
      plan_.treatments.push_back(std::move(p.treatment));
    }
    return Ok{};
  }
};

} // namespace

Expected<TreatmentPlan> plan_treatments(const Methodology& m, const Project& project,
                                        const BoundValues& bound, const Aggregation& aggregation,
                                        const std::vector<std::size_t>& period_months,
                                        const std::string& period_id,
                                        const PeriodReductions& reductions) {
  Planner planner(m, project, bound, aggregation, period_months, period_id, reductions);
  return planner.run();
}

} // namespace mrv::detail
