// mrv calc: binds the project's values, streams its data, treats it, and
// evaluates every period (and its calendar years, months and units), as
// the named steps of a Calculation.
#include "mrv/calc.hpp"
#include "base/try.hpp"

#include "data/timestamp.hpp"
#include "engine/calc_inputs.hpp"
#include "engine/engine.hpp"
#include "engine/series.hpp"
#include "engine/treatments.hpp"
#include "engine/unconfirmed.hpp"
#include "mrv/numbers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

namespace mrv {

std::vector<InputFile> methodology_inputs(const Methodology& m) {
  std::vector<InputFile> inputs = {{"methodology", library_relative_path(m.file), m.sha256}};
  // The shared table files it reads (methodologies/tables/), each once.
  for (const Table& t : m.tables) {
    if (t.file.empty()) continue;
    InputFile input{"table", library_relative_path(t.file), t.sha256};
    bool seen = false;
    for (const InputFile& other : inputs)
      seen = seen || other.path == input.path;
    if (!seen) inputs.push_back(std::move(input));
  }
  return inputs;
}

namespace {

using namespace detail;

constexpr const char* kSiteShareNote =
    "the site's share could not be separated from the units' (the equations have no value "
    "over no unit): each unit's row includes the site values";

// One calculation: bind, read, then per period plan the treatments and
// evaluate the period and its slices.
class Calculation {
public:
  Calculation(const Methodology& m, const Project& project, const CalcOptions& options)
      : m_(m), project_(project), options_(options) {}

  Expected<CalcResult> run() {
    describe();
    MRV_TRY(check_accepted_names(m_, options_.accept_unconfirmed));
    MRV_TRY(bind());
    Aggregation aggregation(m_, project_, *bound_);
    // The daily series are a picture of the data, not a result: too many
    // cells and they are left out, with a note, rather than stop the report.
    const bool days_left_out = options_.by_day && !aggregation.keep_days(max_daily_values);
    MRV_TRY(read_data(project_, options_, aggregation, result_));
    MRV_TRY(take_warnings(aggregation));
    for (std::size_t p = 0; p < project_.periods.size(); ++p)
      MRV_TRY(period(aggregation, p));
    MRV_TRY(warn_about_empty_periods());
    result_.days = aggregation.days();
    if (days_left_out)
      result_.notes.push_back(fmt::format("the data per day is not kept ({} units over the days "
                                          "of the periods take more than {} values); the charts "
                                          "show months",
                                          bound_->unit_count, max_daily_values));
    summarise();
    note_unconfirmed();
    return std::move(result_);
  }

private:
  const Methodology& m_;
  const Project& project_;
  const CalcOptions& options_;
  CalcResult result_;
  std::optional<BoundValues> bound_;
  std::vector<int> all_units_;
  // sum_x: the period values of each period evaluated so far, and the
  // earlier periods the period being evaluated reads.
  std::vector<std::vector<double>> run_periods_;
  std::vector<EarlierPeriod> pending_earlier_;
  std::vector<double> last_period_values_;

  void describe() {
    result_.mrv_version = mrv_version();
    result_.methodology = m_.id;
    result_.methodology_version = m_.version;
    result_.project = project_.id;
    result_.rounding = rounding_name(m_.rounding);
    result_.presentation = m_.presentation;
    // A bundled methodology is named by its place in the library, so results
    // do not depend on where mrv is installed or checked out.
    result_.inputs = methodology_inputs(m_);
    result_.inputs.push_back({"project", project_.file, project_.sha256});
  }

  Status bind() {
    MRV_TRY(check_mappings(m_, project_));
    std::vector<UnitValues> units;
    for (const ProjectUnit& u : project_.units)
      units.push_back({u.id, u.location, &u.values, &u.rating});
    std::vector<HistoryInput> history;
    for (const HistoryPeriod& h : project_.history)
      history.push_back({fmt::format("earlier period '{}'", h.id), &h.values, h.location});
    bound_ = MRV_TRY(bind_values(m_, project_.values, units, false, Location{project_.file, 0, 0},
                                 project_.indices, history));
    MRV_TRY(periods_in_order());
    describe_history();
    all_units_.resize(bound_->unit_count);
    std::iota(all_units_.begin(), all_units_.end(), 0);
    // Summaries are kept per month, unit and monitored value: bound them.
    const std::size_t months = month_slices(project_).size();
    if (months * bound_->unit_count * m_.parameters.size() > 20'000'000)
      return error_at(Location{project_.file, 0, 0},
                      fmt::format("{} units over {} months are more than mrv keeps in memory; "
                                  "split the project or its periods",
                                  bound_->unit_count, months));
    return Ok{};
  }

  // sum_x reads the periods before the one evaluated: the earlier ones of
  // the run are those listed before it.
  Status periods_in_order() const {
    if (!m_.compiled->reads_past) return Ok{};
    for (std::size_t p = 1; p < project_.periods.size(); ++p)
      if (project_.periods[p].first_day < project_.periods[p - 1].first_day)
        return error_at(project_.periods[p].location,
                        fmt::format("period '{}' starts before period '{}': {} sums over earlier "
                                    "periods (sum_x), so list the periods oldest first",
                                    project_.periods[p].id, project_.periods[p - 1].id,
                                    m_.full_id()));
    return Ok{};
  }

  // The earlier periods of period p, oldest first, with their ages at its
  // start: the project's history, then the run's periods before it.
  void set_past(std::size_t p) {
    if (!m_.compiled->reads_past) return;
    const std::int64_t start = project_.periods[p].first_day;
    bound_->past.clear();
    for (std::size_t h = 0; h < project_.history.size(); ++h)
      bound_->past.push_back(
          {bound_->history[h].data(), age_in_years(project_.history[h].first_day, start)});
    for (std::size_t q = 0; q < p; ++q)
      bound_->past.push_back(
          {run_periods_[q].data(), age_in_years(project_.periods[q].first_day, start)});
    pending_earlier_.clear();
    for (std::size_t k = 0; k < bound_->past.size(); ++k) {
      const bool own = k < project_.history.size();
      pending_earlier_.push_back(
          {own ? project_.history[k].id : project_.periods[k - project_.history.size()].id,
           bound_->past[k].age});
    }
  }

  // The history's values sum_x reads, for the result's trace.
  void describe_history() {
    for (std::size_t h = 0; h < project_.history.size(); ++h) {
      const HistoryPeriod& period = project_.history[h];
      HistoryUsed used{period.id,
                       format_date(period.first_day),
                       format_date(period.last_day),
                       period.source,
                       {}};
      for (std::size_t i : m_.compiled->past_parameters)
        for (int v : values_of(*bound_, m_.compiled->parameters[i])) {
          TraceValue t;
          t.parameter = m_.parameters[i].id;
          const int k = m_.compiled->parameters[i].index;
          if (k >= 0)
            t.index = m_.indices[static_cast<std::size_t>(k)].values[static_cast<std::size_t>(v)];
          const double value =
              bound_->history[h][static_cast<std::size_t>(m_.compiled->parameters[i].slot + v)];
          if (m_.parameters[i].is_key) {
            t.text = m_.parameters[i].key_values[static_cast<std::size_t>(value)];
          } else {
            t.value = value;
            t.unit = m_.parameters[i].unit.text;
          }
          used.values.push_back(std::move(t));
        }
      result_.history.push_back(std::move(used));
    }
  }

  // What the data could not settle: warnings, or with --strict an error.
  Status take_warnings(const Aggregation& aggregation) {
    for (const DataWarning& w : aggregation.warnings())
      MRV_TRY(warn(error_at(w.where, w.message), w.source_line));
    return Ok{};
  }
  Status warn(Diagnostic d, const std::string& source_line = "") {
    d.source_line = source_line;
    if (options_.strict) {
      d.message = "--strict: " + d.message;
      return d;
    }
    d.severity = Severity::warning;
    result_.warnings.push_back(std::move(d));
    return Ok{};
  }

  // A period that no data row falls in, while the project reads data: its
  // ER is what the treatments of missing data leave (often 0), which a data
  // file of another year or a mistyped period would also give.
  Status warn_about_empty_periods() {
    if (project_.data.empty()) return Ok{};
    for (std::size_t p = 0; p < project_.periods.size(); ++p) {
      if (result_.periods[p].records > 0) continue;
      const MonitoringPeriod& period = project_.periods[p];
      MRV_TRY(warn(error_at(period.location,
                            fmt::format("no data row falls in period '{}' ({} to {}){}: a data "
                                        "file of another year, or a period mistyped?",
                                        period.id, result_.periods[p].from, result_.periods[p].to,
                                        result_.rows.outside_periods > 0
                                            ? fmt::format(" while {} rows fall outside every "
                                                          "period",
                                                          result_.rows.outside_periods)
                                            : std::string()))));
    }
    return Ok{};
  }

  // ER of the period with adjustments: over every unit, and (when ER is a
  // sum over the units) over one unit, patching only that unit's inputs.
  PeriodReductions reductions_of(const Aggregation& aggregation,
                                 const std::vector<std::size_t>& months, const std::string& name,
                                 SliceValues& scratch) {
    PeriodReductions r;
    r.all = [&, name](const std::vector<double>& adjustments) -> Expected<double> {
      SliceValues in = MRV_TRY(aggregation.slice_inputs(months, adjustments, name));
      MRV_TRY(evaluate_slice_into(m_, *bound_, in, all_units_, name));
      return slice_outputs(m_, *bound_, in).reductions;
    };
    if (m_.compiled->reductions_additive_in_units)
      r.one_unit = [&, name](std::size_t u,
                             const std::vector<double>& adjustments) -> Expected<double> {
        MRV_TRY(aggregation.write_owner_inputs(u, months, adjustments, name, scratch));
        MRV_TRY(evaluate_slice_into(m_, *bound_, scratch, {static_cast<int>(u)}, name));
        return slice_outputs(m_, *bound_, scratch).reductions;
      };
    return r;
  }

  Status period(const Aggregation& aggregation, std::size_t p) {
    const MonitoringPeriod& period = project_.periods[p];
    const std::vector<MonthSlice>& months = aggregation.months();
    std::vector<std::size_t> period_months;
    for (std::size_t k = 0; k < months.size(); ++k)
      if (months[k].period == static_cast<int>(p)) period_months.push_back(k);
    const std::string name = fmt::format("period '{}'", period.id);
    set_past(p);
    SliceValues scratch;
    if (m_.compiled->reductions_additive_in_units && !period_months.empty())
      scratch = MRV_TRY(aggregation.slice_inputs(
          period_months,
          std::vector<double>(
              months.size() * aggregation.owners() * aggregation.aggregated().size(), 0.0),
          name));
    const PeriodReductions reductions = reductions_of(aggregation, period_months, name, scratch);
    TreatmentPlan plan = MRV_TRY(
        plan_treatments(m_, project_, *bound_, aggregation, period_months, period.id, reductions));
    MRV_TRY(refuse_treatments_if_strict(period, plan));
    SliceResult slice;
    slice.period = period.id;
    slice.from = format_date(period.first_day);
    slice.to = format_date(period.last_day);
    SliceValues values;
    MRV_TRY(evaluate(aggregation, period_months, plan.adjustments, name, slice, &values));
    if (m_.compiled->reads_past) {
      run_periods_.push_back(std::move(last_period_values_));
      slice.earlier = std::move(pending_earlier_);
    }
    MRV_TRY(credit(period, slice));
    slice.unconfirmed =
        unconfirmed_values(m_, *bound_, values, all_units_, options_.accept_unconfirmed);
    MRV_TRY(refuse_unconfirmed_if_strict(slice));
    for (Treatment& t : plan.treatments)
      result_.treatments.push_back(std::move(t));
    result_.periods.push_back(std::move(slice));
    if (options_.by_year) MRV_TRY(years(aggregation, period, period_months, plan.adjustments));
    if (options_.by_month)
      MRV_TRY(each_month(aggregation, period, period_months, plan.adjustments));
    return Ok{};
  }

  Status refuse_treatments_if_strict(const MonitoringPeriod& period, const TreatmentPlan& plan) {
    if (!options_.strict || plan.treatments.empty()) return Ok{};
    const Treatment& t = plan.treatments.front();
    return error_at(
        Location{project_.file, 0, 0},
        fmt::format("--strict: the data of period '{}' needs {} treatment{} ({} of unit '{}'{}{}: "
                    "{})",
                    period.id, plan.treatments.size(), plan.treatments.size() == 1 ? "" : "s",
                    t.kind, t.unit, t.parameter.empty() ? "" : ", ", t.parameter,
                    t.where.empty() ? t.description : t.where));
  }

  // --strict: a result that rests on a value nobody checked against the
  // official text is refused, unless each such value is accepted by name.
  Status refuse_unconfirmed_if_strict(const SliceResult& slice) {
    if (!options_.strict) return Ok{};
    std::vector<Unconfirmed> refused;
    for (const Unconfirmed& u : slice.unconfirmed)
      if (!u.accepted) refused.push_back(u);
    if (refused.empty()) return Ok{};
    Diagnostic d = error_at(Location{project_.file, 0, 0},
                            fmt::format("--strict: period '{}' depends on {}", slice.period,
                                        describe_unconfirmed(refused)));
    d.notes.push_back("check each against the official methodology text, or accept it by name: "
                      "--accept-unconfirmed NAME[,NAME...]");
    return d;
  }

  // One note when every period rests on the same values, else one per period.
  void note_unconfirmed() {
    const auto names = [](const SliceResult& s) {
      std::vector<std::string> out;
      for (const Unconfirmed& u : s.unconfirmed)
        out.push_back(u.name + (u.accepted ? "+" : ""));
      return out;
    };
    const std::vector<SliceResult>& periods = result_.periods;
    const bool same = std::all_of(periods.begin(), periods.end(), [&](const SliceResult& s) {
      return names(s) == names(periods.front());
    });
    for (const SliceResult& s : periods) {
      if (s.unconfirmed.empty()) continue;
      const std::string who =
          same && periods.size() > 1 ? "every period" : fmt::format("period '{}'", s.period);
      result_.notes.push_back(fmt::format("{} depends on {} (--strict refuses what "
                                          "--accept-unconfirmed does not name)",
                                          who, describe_unconfirmed(s.unconfirmed)));
      if (same) break;
    }
  }

  Status credit(const MonitoringPeriod& period, SliceResult& slice) {
    if (!(std::fabs(slice.reductions) < max_creditable))
      return error_at(
          Location{project_.file, 0, 0},
          fmt::format("the emission reductions of period '{}' ({} tCO2) are beyond any project: "
                      "check the units of the data",
                      period.id, slice.reductions));
    slice.credited = credited_tonnes(slice.reductions, m_.rounding);
    if (slice.reductions < 0)
      result_.notes.push_back(fmt::format(
          "period '{}': emission reductions are negative ({} tCO2); nothing is credited", period.id,
          slice.reductions));
    return Ok{};
  }

  // A year slice is the period's months of that calendar year (labels
  // "YYYY-MM" in time order), so it adds up as the months do.
  Status years(const Aggregation& aggregation, const MonitoringPeriod& period,
               const std::vector<std::size_t>& period_months,
               const std::vector<double>& adjustments) {
    const std::vector<MonthSlice>& months = aggregation.months();
    for (std::size_t first = 0; first < period_months.size();) {
      const std::string year = months[period_months[first]].label.substr(0, 4);
      std::vector<std::size_t> year_months;
      std::size_t next = first;
      while (next < period_months.size() &&
             months[period_months[next]].label.compare(0, 4, year) == 0)
        year_months.push_back(period_months[next++]);
      SliceResult slice;
      slice.period = period.id;
      slice.year = year;
      slice.from = format_date(months[year_months.front()].first_day);
      slice.to = format_date(months[year_months.back()].last_day);
      MRV_TRY(evaluate(aggregation, year_months, adjustments,
                       fmt::format("year {} of period '{}'", year, period.id), slice));
      result_.years.push_back(std::move(slice));
      first = next;
    }
    return Ok{};
  }

  Status each_month(const Aggregation& aggregation, const MonitoringPeriod& period,
                    const std::vector<std::size_t>& period_months,
                    const std::vector<double>& adjustments) {
    const std::vector<MonthSlice>& months = aggregation.months();
    for (std::size_t k : period_months) {
      SliceResult slice;
      slice.period = period.id;
      slice.month = months[k].label;
      slice.from = format_date(months[k].first_day);
      slice.to = format_date(months[k].last_day);
      MRV_TRY(evaluate(aggregation, {k}, adjustments,
                       fmt::format("month {} of period '{}'", months[k].label, period.id), slice));
      result_.months.push_back(std::move(slice));
    }
    return Ok{};
  }

  // Evaluates one slice from the summaries of the given months.
  // `kept`, when given, gets the slice's values (the unconfirmed values
  // read the table rows its look-ups took from them).
  Status evaluate(const Aggregation& aggregation, const std::vector<std::size_t>& months,
                  const std::vector<double>& adjustments, const std::string& name,
                  SliceResult& slice, SliceValues* kept = nullptr) {
    const SliceValues in = MRV_TRY(aggregation.slice_inputs(months, adjustments, name));
    for (std::size_t u = 0; u < aggregation.owners(); ++u)
      slice.records += aggregation.slice_records(months, u);
    SliceValues values = in;
    MRV_TRY(evaluate_slice_into(m_, *bound_, values, all_units_, name));
    const Outputs o = slice_outputs(m_, *bound_, values);
    slice.reference = o.reference;
    slice.project = o.project;
    slice.reductions = o.reductions;
    slice.reductions_15 = at_15_significant_digits(o.reductions);
    slice.values = trace(m_, *bound_, values, {Level::project, Level::period}, -1);
    last_period_values_ = values.period;
    if (options_.by_unit) MRV_TRY(by_unit(aggregation, months, in, values, name, slice));
    if (kept) *kept = std::move(values);
    return Ok{};
  }

  // With site values, each unit's share is the equations over that unit
  // less the equations over no unit (the site's share, its own row).
  Status by_unit(const Aggregation& aggregation, const std::vector<std::size_t>& months,
                 const SliceValues& in, const SliceValues& values, const std::string& name,
                 SliceResult& slice) {
    const std::size_t site = aggregation.site();
    std::optional<Outputs> site_share;
    // With sum_x the equations over no unit hold the earlier periods' terms:
    // they are the "(site)" row, not a part of each unit's.
    if (site != std::string::npos || !bound_->past.empty()) {
      Expected<SliceValues> none = evaluate_slice(m_, *bound_, in, {}, name);
      if (none) {
        site_share = slice_outputs(m_, *bound_, *none);
      } else if (std::find(result_.notes.begin(), result_.notes.end(), kSiteShareNote) ==
                 result_.notes.end()) {
        result_.notes.push_back(kSiteShareNote);
      }
    }
    SliceValues own = {values.unit_period, in.period};
    for (std::size_t u = 0; u < bound_->unit_count; ++u) {
      MRV_TRY(evaluate_slice_into(m_, *bound_, own, {static_cast<int>(u)}, name));
      const Outputs ou = slice_outputs(m_, *bound_, own, static_cast<int>(u));
      UnitResult ur;
      ur.unit = bound_->unit_ids[u];
      ur.reference = ou.reference - (site_share ? site_share->reference : 0);
      ur.project = ou.project - (site_share ? site_share->project : 0);
      ur.reductions = ou.reductions - (site_share ? site_share->reductions : 0);
      ur.records = aggregation.slice_records(months, u);
      ur.values =
          trace(m_, *bound_, values, {Level::unit, Level::unit_period}, static_cast<int>(u));
      slice.units.push_back(std::move(ur));
    }
    if (site_share) {
      UnitResult ur;
      ur.unit = std::string(site_label);
      ur.reference = site_share->reference;
      ur.project = site_share->project;
      ur.reductions = site_share->reductions;
      ur.records = site == std::string::npos ? 0 : aggregation.slice_records(months, site);
      slice.site = std::move(ur);
    }
    return Ok{};
  }

  void summarise() {
    if (m_.compiled->reads_past && options_.by_unit)
      result_.notes.push_back(
          "the row (site) of each period holds the earlier periods' share of sum_x (the "
          "equations over no unit); each unit's row holds its own period's share");
    if (m_.compiled->reads_past && (options_.by_month || options_.by_year))
      result_.notes.push_back(
          "each month and year of a period reads the same earlier periods as its period (sum_x "
          "adds them whole to each): the months and years do not add up to their period");
    if (!result_.treatments.empty()) {
      double effect = 0;
      for (const Treatment& t : result_.treatments)
        effect += t.effect;
      result_.notes.push_back(fmt::format(
          "{} treatment{} of the data changed ER by {} tCO2 in all (listed in the json, table and "
          "md formats)",
          result_.treatments.size(), result_.treatments.size() == 1 ? "" : "s",
          format_number(effect)));
    }
    const std::int64_t outside = result_.rows.outside_periods;
    if (outside > 0)
      result_.notes.push_back(
          fmt::format("{} row{} outside every monitoring period and {} not used", outside,
                      outside == 1 ? " falls" : "s fall", outside == 1 ? "was" : "were"));
    // A repeated row is counted once; say so, as for rows outside the periods.
    const std::int64_t repeated = result_.rows.duplicates;
    if (repeated > 0)
      result_.notes.push_back(fmt::format(
          "{} row{} an earlier row of {} unit and interval with equal values and {} counted once",
          repeated, repeated == 1 ? " repeats" : "s repeat", repeated == 1 ? "its" : "their",
          repeated == 1 ? "was" : "were"));
  }
};

} // namespace

Expected<CalcResult> calculate(const Methodology& methodology, const Project& project,
                               const CalcOptions& options) {
  Calculation calculation(methodology, project, options);
  return calculation.run();
}

} // namespace mrv
