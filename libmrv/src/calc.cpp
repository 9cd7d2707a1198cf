// mrv calc: binds the project's values, streams its data, evaluates every
// period (and month, and unit) and rounds the credited amount.
#include "mrv/calc.hpp"

#include "engine.hpp"
#include "mrv/render.hpp"
#include "series.hpp"
#include "timestamp.hpp"
#include "treatments.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include <cmath>
#include <cstdlib>
#include <map>

#include <sys/stat.h>

namespace mrv {

std::string mrv_version() {
  return MRV_VERSION;
}

double at_15_significant_digits(double value) {
  if (!std::isfinite(value) || value == 0) return value;
  return std::strtod(fmt::format("{:.15g}", value).c_str(), nullptr);
}

std::int64_t credited_tonnes(double reductions, Rounding rule) {
  double v = at_15_significant_digits(reductions);
  double whole = rule == Rounding::floor  ? std::floor(v)
                 : rule == Rounding::ceil ? std::ceil(v)
                                          : std::round(v);
  // calculate() refuses reductions of max_creditable or more; the clamp keeps
  // the conversion defined for any other caller.
  return whole > 0 ? static_cast<std::int64_t>(std::min(whole, max_creditable)) : 0;
}

namespace {

using namespace detail;

struct Outputs {
  double reference, project, reductions;
};

// RE, PE and ER in tCO2, whatever CO2e unit their parameters declare.
double output_value(const Methodology& m, const BoundValues& b, const SliceValues& s, int parameter,
                    int unit) {
  std::size_t index = static_cast<std::size_t>(parameter);
  static const Unit tonnes = *parse_unit("tCO2");
  return parameter_value(m, b, s, index, unit) *
         conversion_factor(m.parameters[index].unit, tonnes);
}

constexpr const char* kSiteShareNote =
    "the site's share could not be separated from the units' (the equations have no value "
    "over no unit): each unit's row includes the site values";

Outputs outputs(const Methodology& m, const BoundValues& b, const SliceValues& s, int unit) {
  const CompiledMethodology& c = *m.compiled;
  return {output_value(m, b, s, c.reference_parameter, unit),
          output_value(m, b, s, c.project_emissions_parameter, unit),
          output_value(m, b, s, c.reductions_parameter, unit)};
}

// Which files feed which data source, after the command line's overrides.
Expected<std::vector<std::vector<std::string>>> data_files(const Project& project,
                                                           const CalcOptions& options) {
  std::vector<std::vector<std::string>> files(project.data.size());
  if (options.data_files.empty()) {
    for (std::size_t s = 0; s < project.data.size(); ++s)
      files[s].push_back(project.data[s].file);
    return files;
  }
  for (const std::string& arg : options.data_files) {
    std::size_t eq = arg.find('=');
    std::size_t source = 0;
    std::string path = arg;
    if (eq != std::string::npos && eq > 0) {
      std::string id = arg.substr(0, eq);
      path = arg.substr(eq + 1);
      auto it = std::find_if(project.data.begin(), project.data.end(),
                             [&](const DataSource& d) { return d.id == id; });
      if (it == project.data.end()) {
        Diagnostic d = error_at(Location{}, fmt::format("the project has no data source '{}'", id));
        d.code = ExitCode::usage;
        return d;
      }
      source = static_cast<std::size_t>(it - project.data.begin());
    } else if (project.data.size() != 1) {
      Diagnostic d =
          error_at(Location{}, fmt::format("the project has {} data sources: name one as ID=FILE",
                                           project.data.size()));
      d.code = ExitCode::usage;
      return d;
    }
    files[source].push_back(path);
  }
  for (std::size_t s = 0; s < project.data.size(); ++s)
    if (files[s].empty()) files[s].push_back(project.data[s].file);
  return files;
}

// Every monitored parameter is fed by some data source, and every mapping
// feeds a monitored parameter.
Status check_mappings(const Methodology& m, const Project& project) {
  for (const DataSource& source : project.data)
    for (const ColumnMapping& cm : source.columns) {
      const Parameter* p = m.parameter(cm.parameter);
      if (!p || p->kind != ParameterKind::monitored) {
        std::vector<std::string> monitored;
        for (const Parameter& q : m.parameters)
          if (q.kind == ParameterKind::monitored) monitored.push_back(q.id);
        Diagnostic d = error_at(
            cm.location, fmt::format("'{}' is not a monitored parameter of {} (monitored: {})",
                                     cm.parameter, m.full_id(), fmt::join(monitored, ", ")));
        std::string hint = closest_match(cm.parameter, monitored);
        if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
        return d;
      }
      if (!same_dimension(cm.unit, p->unit))
        return error_at(cm.location,
                        fmt::format("column '{}' is declared in {} ({}), but '{}' is {} [{}]",
                                    cm.column, cm.unit.text, cm.unit.dimension.describe(), p->id,
                                    p->unit.dimension.describe(), p->unit.text));
      // A site value comes from the site's rows, a unit's value from a unit's.
      if (source.site() && !is_site_value(*p))
        return error_at(cm.location,
                        fmt::format("'{}' is measured per unit, but data source '{}' names no "
                                    "unit: give `unit: ID` (all rows one unit) or `unit: "
                                    "{{column: NAME}}` (a column naming each row's unit)",
                                    p->id, source.id));
      if (!source.site() && is_site_value(*p))
        return error_at(cm.location,
                        fmt::format("'{}' is measured for the whole site (per period), but data "
                                    "source '{}' gives rows per unit: map it in a data source "
                                    "without 'unit'",
                                    p->id, source.id));
    }
  for (const Meter& meter : project.meters) {
    const Parameter* p = m.parameter(meter.parameter);
    if (!p || p->kind != ParameterKind::monitored)
      return error_at(
          meter.location,
          fmt::format("meter '{}' measures '{}', which is not a monitored parameter of {}",
                      meter.serial, meter.parameter, m.full_id()));
    if (is_site_value(*p))
      return error_at(meter.location,
                      fmt::format("meter '{}' measures the site value '{}': calibration of site "
                                  "meters is not supported yet",
                                  meter.serial, meter.parameter));
  }
  for (const Parameter& p : m.parameters) {
    if (p.kind != ParameterKind::monitored) continue;
    bool fed = false;
    for (const DataSource& source : project.data)
      for (const ColumnMapping& cm : source.columns)
        fed = fed || cm.parameter == p.id;
    if (!fed)
      return error_at(Location{project.file, 0, 0},
                      fmt::format("no data source gives the monitored parameter '{}' ({}, {})",
                                  p.id, p.description, p.unit.text));
  }
  return Ok{};
}

// Whether two data sources feed a parameter in common (the same source does).
bool shares_parameter(const DataSource& a, const DataSource& b) {
  for (const ColumnMapping& x : a.columns)
    for (const ColumnMapping& y : b.columns)
      if (x.parameter == y.parameter) return true;
  return false;
}

// The same data read twice for one parameter would count twice: standard
// input named more than once, or one file named twice, is refused before
// reading; files of equal content (same SHA-256) after.
Status check_named_once(const Project& project,
                        const std::vector<std::vector<std::string>>& files) {
  std::size_t stdin_uses = 0;
  for (const std::vector<std::string>& paths : files)
    stdin_uses += static_cast<std::size_t>(std::count(paths.begin(), paths.end(), "-"));
  if (stdin_uses > 1) {
    Diagnostic d = error_at(Location{}, "standard input ('-') is named more than once; it can be "
                                        "read only once");
    d.code = ExitCode::usage;
    return d;
  }
  struct Seen {
    dev_t device;
    ino_t inode;
    std::size_t source;
    std::string path;
  };
  std::vector<Seen> seen;
  for (std::size_t s = 0; s < files.size(); ++s)
    for (const std::string& path : files[s]) {
      struct stat info;
      if (path == "-" || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
      for (const Seen& other : seen)
        if (other.device == info.st_dev && other.inode == info.st_ino &&
            shares_parameter(project.data[s], project.data[other.source]))
          return error_at(
              project.data[s].location,
              fmt::format("'{}' is given twice ({}{}): its rows would count twice", path,
                          other.path == path ? "" : "also as '" + other.path + "', ",
                          other.source == s ? "for data source '" + project.data[s].id + "'"
                                            : "for data sources '" + project.data[other.source].id +
                                                  "' and '" + project.data[s].id + "'"));
      seen.push_back({info.st_dev, info.st_ino, s, path});
    }
  return Ok{};
}

// Reads every data source; inputs of equal content feeding one parameter
// are refused.
Status read_data(const Project& project, const CalcOptions& options, Aggregation& aggregation,
                 CalcResult& result) {
  const std::vector<std::vector<std::string>> files = MRV_TRY(data_files(project, options));
  MRV_TRY(check_named_once(project, files));
  // Hash what could repeat another input of a parameter, to compare.
  std::vector<bool> compared(project.data.size(), false);
  for (std::size_t s = 0; s < project.data.size(); ++s)
    for (std::size_t t = 0; t < project.data.size(); ++t)
      if (shares_parameter(project.data[s], project.data[t]) && (s != t || files[s].size() > 1))
        compared[s] = true;
  struct Read {
    std::size_t source;
    std::string path, sha256;
  };
  std::vector<Read> read;
  for (std::size_t s = 0; s < project.data.size(); ++s) {
    for (const std::string& path : files[s]) {
      CsvDialect dialect;
      dialect.delimiter = project.data[s].delimiter;
      dialect.encoding = project.data[s].encoding;
      std::unique_ptr<CsvReader> reader =
          MRV_TRY(CsvReader::open(path, dialect, "", options.hash_data || compared[s]));
      MRV_TRY(aggregation.read(s, *reader, result.rows));
      const std::string sha256 = reader->sha256_hex();
      for (const Read& other : read)
        if (compared[s] && !sha256.empty() && other.sha256 == sha256 &&
            shares_parameter(project.data[s], project.data[other.source]))
          return error_at(Location{path, 0, 0},
                          fmt::format("'{}' has the same content as '{}' (SHA-256 {}), and both "
                                      "feed {}: its rows would count twice",
                                      path, other.path, sha256.substr(0, 12),
                                      other.source == s
                                          ? "data source '" + project.data[s].id + "'"
                                          : "data sources '" + project.data[other.source].id +
                                                "' and '" + project.data[s].id + "'"));
      read.push_back({s, path, sha256});
      result.inputs.push_back(
          {"data", path == "-" ? "-" : path, options.hash_data ? sha256 : std::string()});
    }
  }
  return aggregation.finish();
}

} // namespace

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

Expected<CalcResult> calculate(const Methodology& m, const Project& project,
                               const CalcOptions& options) {
  CalcResult result;
  result.mrv_version = mrv_version();
  result.methodology = m.id;
  result.methodology_version = m.version;
  result.project = project.id;
  result.rounding = rounding_name(m.rounding);
  // A bundled methodology is named by its place in the library, so results
  // do not depend on where mrv is installed or checked out.
  result.inputs = methodology_inputs(m);
  result.inputs.push_back({"project", project.file, project.sha256});

  MRV_TRY(check_mappings(m, project));
  std::vector<UnitValues> units;
  for (const ProjectUnit& u : project.units)
    units.push_back({u.id, u.location, &u.values, &u.rating});
  BoundValues bound =
      MRV_TRY(bind_values(m, project.values, units, false, Location{project.file, 0, 0}));

  // Summaries are kept per month, unit and monitored value: bound them.
  std::size_t cells = month_slices(project).size() * bound.unit_count * m.parameters.size();
  if (cells > 20'000'000)
    return error_at(
        Location{project.file, 0, 0},
        fmt::format("{} units over {} months are more than mrv keeps in memory; split the "
                    "project or its periods",
                    bound.unit_count, month_slices(project).size()));
  Aggregation aggregation(m, project, bound);
  // The daily series are a picture of the data, not a result: too many
  // cells and they are left out, with a note, rather than stop the report.
  const bool days_left_out = options.by_day && !aggregation.keep_days(max_daily_values);
  MRV_TRY(read_data(project, options, aggregation, result));
  for (const DataWarning& w : aggregation.warnings()) {
    Diagnostic d = error_at(w.where, w.message);
    d.source_line = w.source_line;
    if (!options.strict) {
      d.severity = Severity::warning;
      result.warnings.push_back(std::move(d));
      continue;
    }
    d.message = "--strict: " + d.message;
    return d;
  }

  const CompiledMethodology& c = *m.compiled;
  const std::vector<MonthSlice>& months = aggregation.months();
  std::vector<int> all_units(bound.unit_count);
  for (std::size_t u = 0; u < bound.unit_count; ++u)
    all_units[u] = static_cast<int>(u);

  const std::size_t aggs = aggregation.aggregated().size();
  const std::size_t owners = aggregation.owners(); // the units, then the site if any
  const std::size_t site = aggregation.site();
  auto owner_name = [&](std::size_t u) {
    return u == site ? std::string("the site") : fmt::format("unit '{}'", bound.unit_ids[u]);
  };
  // The inputs of a slice: the summaries of its months, plus the
  // treatments' adjustments (sums only); per unit and period, and the site
  // values at the period level.
  auto inputs = [&](const std::vector<std::size_t>& month_indexes,
                    const std::vector<double>& adjustments,
                    const std::string& name) -> Expected<SliceValues> {
    SliceValues in;
    in.unit_period.assign(bound.unit_count * static_cast<std::size_t>(c.unit_period_slots),
                          std::nan(""));
    in.period.assign(static_cast<std::size_t>(c.period_slots), std::nan(""));
    for (std::size_t u = 0; u < owners; ++u)
      for (std::size_t a = 0; a < aggs; ++a) {
        const Aggregation::Aggregated& agg = aggregation.aggregated()[a];
        if (agg.site != (u == site)) continue;
        Accumulator total;
        double adjustment = 0;
        for (std::size_t k : month_indexes) {
          total.merge(aggregation.at(k, u, a));
          adjustment += adjustments[(k * owners + u) * aggs + a];
        }
        if ((agg.aggregate == Aggregate::first && total.first_tied) ||
            (agg.aggregate == Aggregate::last && total.last_tied))
          return error_at(Location{project.file, 0, 0},
                          fmt::format("two rows of {} at the same time give different values of "
                                      "'{}' in {}: its {} value depends on the order of the rows",
                                      owner_name(u), m.parameters[agg.parameter].id, name,
                                      aggregate_name(agg.aggregate)));
        double value = total.value(agg.aggregate);
        if (std::isnan(value))
          return error_at(Location{project.file, 0, 0},
                          fmt::format("no records of '{}' for {} in {}: its {} is undefined",
                                      m.parameters[agg.parameter].id, owner_name(u), name,
                                      aggregate_name(agg.aggregate)));
        if (agg.aggregate == Aggregate::sum) value += adjustment;
        if (agg.site)
          in.period[static_cast<std::size_t>(agg.slot)] = value;
        else
          in.unit_period[u * static_cast<std::size_t>(c.unit_period_slots) +
                         static_cast<std::size_t>(agg.slot)] = value;
      }
    return in;
  };

  // Evaluates one slice from the summaries of the given months.
  auto evaluate = [&](const std::vector<std::size_t>& month_indexes,
                      const std::vector<double>& adjustments, const std::string& name,
                      SliceResult& slice) -> Status {
    SliceValues in = MRV_TRY(inputs(month_indexes, adjustments, name));
    std::vector<std::int64_t> records(owners, 0);
    for (std::size_t u = 0; u < owners; ++u) {
      for (std::size_t k : month_indexes)
        records[u] += aggregation.records(k, u);
      slice.records += records[u];
    }
    SliceValues values = MRV_TRY(evaluate_slice(m, bound, in, all_units, name));
    Outputs o = outputs(m, bound, values, -1);
    slice.reference = o.reference;
    slice.project = o.project;
    slice.reductions = o.reductions;
    slice.reductions_15 = at_15_significant_digits(o.reductions);
    slice.values = trace(m, bound, values, {Level::project, Level::period}, -1);
    if (options.by_unit) {
      // With site values, each unit's share is the equations over that unit
      // less the equations over no unit (the site's share, its own row).
      std::optional<Outputs> site_share;
      if (site != std::string::npos) {
        Expected<SliceValues> none = evaluate_slice(m, bound, in, {}, name);
        if (none) {
          site_share = outputs(m, bound, *none, -1);
        } else if (std::find(result.notes.begin(), result.notes.end(), kSiteShareNote) ==
                   result.notes.end()) {
          result.notes.push_back(kSiteShareNote);
        }
      }
      for (std::size_t u = 0; u < bound.unit_count; ++u) {
        SliceValues own = MRV_TRY(
            evaluate_slice(m, bound, {values.unit_period, in.period}, {static_cast<int>(u)}, name));
        Outputs ou = outputs(m, bound, own, static_cast<int>(u));
        UnitResult ur;
        ur.unit = bound.unit_ids[u];
        ur.reference = ou.reference - (site_share ? site_share->reference : 0);
        ur.project = ou.project - (site_share ? site_share->project : 0);
        ur.reductions = ou.reductions - (site_share ? site_share->reductions : 0);
        ur.records = records[u];
        ur.values = trace(m, bound, values, {Level::unit, Level::unit_period}, static_cast<int>(u));
        slice.units.push_back(std::move(ur));
      }
      if (site_share) {
        UnitResult ur;
        ur.unit = std::string(site_label);
        ur.reference = site_share->reference;
        ur.project = site_share->project;
        ur.reductions = site_share->reductions;
        ur.records = records[site];
        slice.site = std::move(ur);
      }
    }
    return Ok{};
  };

  for (std::size_t p = 0; p < project.periods.size(); ++p) {
    const MonitoringPeriod& period = project.periods[p];
    std::vector<std::size_t> period_months;
    for (std::size_t k = 0; k < months.size(); ++k)
      if (months[k].period == static_cast<int>(p)) period_months.push_back(k);
    SliceResult slice;
    slice.period = period.id;
    slice.from = format_date(period.first_day);
    slice.to = format_date(period.last_day);
    const std::string name = fmt::format("period '{}'", period.id);
    ReductionsOf reductions_of = [&](const std::vector<double>& adjustments) -> Expected<double> {
      SliceValues in = MRV_TRY(inputs(period_months, adjustments, name));
      SliceValues values = MRV_TRY(evaluate_slice(m, bound, std::move(in), all_units, name));
      return outputs(m, bound, values, -1).reductions;
    };
    TreatmentPlan plan = MRV_TRY(
        plan_treatments(m, project, bound, aggregation, period_months, period.id, reductions_of));
    if (options.strict && !plan.treatments.empty()) {
      const Treatment& t = plan.treatments.front();
      return error_at(
          Location{project.file, 0, 0},
          fmt::format("--strict: {} period '{}' needs {} treatment{} ({} of unit '{}'{}{}: {})",
                      "the data of", period.id, plan.treatments.size(),
                      plan.treatments.size() == 1 ? "" : "s", t.kind, t.unit,
                      t.parameter.empty() ? "" : ", ", t.parameter,
                      t.where.empty() ? t.description : t.where));
    }
    MRV_TRY(evaluate(period_months, plan.adjustments, name, slice));
    if (!(std::fabs(slice.reductions) < max_creditable))
      return error_at(
          Location{project.file, 0, 0},
          fmt::format("the emission reductions of period '{}' ({} tCO2) are beyond any project: "
                      "check the units of the data",
                      period.id, slice.reductions));
    for (Treatment& t : plan.treatments)
      result.treatments.push_back(std::move(t));
    slice.credited = credited_tonnes(slice.reductions, m.rounding);
    if (slice.reductions < 0)
      result.notes.push_back(fmt::format(
          "period '{}': emission reductions are negative ({} tCO2); nothing is credited", period.id,
          slice.reductions));
    result.periods.push_back(std::move(slice));
    if (options.by_year) {
      // A year slice is the period's months of that calendar year (labels
      // "YYYY-MM" in time order), so it adds up as the months do.
      for (std::size_t first = 0; first < period_months.size();) {
        const std::string year = months[period_months[first]].label.substr(0, 4);
        std::vector<std::size_t> year_months;
        std::size_t next = first;
        while (next < period_months.size() &&
               months[period_months[next]].label.compare(0, 4, year) == 0)
          year_months.push_back(period_months[next++]);
        SliceResult slice_of_year;
        slice_of_year.period = period.id;
        slice_of_year.year = year;
        slice_of_year.from = format_date(months[year_months.front()].first_day);
        slice_of_year.to = format_date(months[year_months.back()].last_day);
        MRV_TRY(evaluate(year_months, plan.adjustments,
                         fmt::format("year {} of period '{}'", year, period.id), slice_of_year));
        result.years.push_back(std::move(slice_of_year));
        first = next;
      }
    }
    if (options.by_month) {
      for (std::size_t k : period_months) {
        SliceResult month;
        month.period = period.id;
        month.month = months[k].label;
        month.from = format_date(months[k].first_day);
        month.to = format_date(months[k].last_day);
        MRV_TRY(evaluate({k}, plan.adjustments,
                         fmt::format("month {} of period '{}'", months[k].label, period.id),
                         month));
        result.months.push_back(std::move(month));
      }
    }
  }
  result.days = aggregation.days();
  if (days_left_out)
    result.notes.push_back(fmt::format("the data per day is not kept ({} units over the days "
                                       "of the periods take more than {} values); the charts "
                                       "show months",
                                       bound.unit_count, max_daily_values));
  if (!result.treatments.empty()) {
    double effect = 0;
    for (const Treatment& t : result.treatments)
      effect += t.effect;
    result.notes.push_back(fmt::format(
        "{} treatment{} of the data changed ER by {} tCO2 in all (listed in the "
        "json, table and md formats)",
        result.treatments.size(), result.treatments.size() == 1 ? "" : "s", format_number(effect)));
  }
  if (result.rows.outside_periods > 0)
    result.notes.push_back(fmt::format("{} row{} outside every monitoring period and {} not used",
                                       result.rows.outside_periods,
                                       result.rows.outside_periods == 1 ? " falls" : "s fall",
                                       result.rows.outside_periods == 1 ? "was" : "were"));
  return result;
}

Expected<std::vector<ExampleOutcome>> run_examples(const Methodology& m) {
  std::vector<ExampleOutcome> outcomes;
  for (const Example& e : m.examples) {
    auto to_inputs = [](const std::vector<ExampleValue>& values) {
      std::vector<ValueInput> out;
      for (const ExampleValue& v : values)
        out.push_back(ValueInput{v.parameter, v.text, false, v.location, v.location, ""});
      return out;
    };
    std::vector<ValueInput> project_values = to_inputs(e.values);
    std::vector<std::vector<ValueInput>> unit_values;
    for (const ExampleUnit& u : e.units)
      unit_values.push_back(to_inputs(u.values));
    std::vector<UnitValues> units;
    for (std::size_t u = 0; u < e.units.size(); ++u)
      units.push_back({e.units[u].id, e.location, &unit_values[u]});
    BoundValues bound = MRV_TRY(bind_values(m, project_values, units, true, e.location));
    // Every monitored (and per-record) value is given per unit as its period total.
    std::optional<MissingTotal> missing;
    SliceValues in = inputs_from_totals(m, bound, missing);
    if (missing) {
      const Parameter& p = m.parameters[missing->parameter];
      return error_at(
          e.location,
          missing->unit == std::string::npos
              ? fmt::format("example '{}' does not give the site value '{}' (its "
                            "period {}) with its values",
                            e.id, p.id, aggregate_name(p.aggregate))
              : fmt::format("example '{}': unit '{}' does not give '{}' (its period {})", e.id,
                            e.units[missing->unit].id, p.id, aggregate_name(p.aggregate)));
    }
    std::vector<int> all_units(bound.unit_count);
    for (std::size_t u = 0; u < bound.unit_count; ++u)
      all_units[u] = static_cast<int>(u);
    SliceValues values =
        MRV_TRY(evaluate_slice(m, bound, std::move(in), all_units, "example '" + e.id + "'"));
    ExampleOutcome outcome;
    outcome.id = e.id;
    for (const auto& [name, expected] : e.expected) {
      double got;
      if (name == "credited") {
        got = static_cast<double>(
            credited_tonnes(outputs(m, bound, values, -1).reductions, m.rounding));
      } else {
        std::size_t index = static_cast<std::size_t>(m.parameter(name) - m.parameters.data());
        Level level = m.compiled->parameters[index].level;
        if (level == Level::unit || level == Level::unit_period) {
          outcome.failures.push_back(
              fmt::format("{}: a per-unit value cannot be an expected result", name));
          continue;
        }
        got = parameter_value(m, bound, values, index, -1);
      }
      double tolerance = e.tolerance * std::max(1.0, std::fabs(expected));
      if (!(std::fabs(got - expected) <= tolerance))
        outcome.failures.push_back(fmt::format("{}: expected {}, got {}", name, expected, got));
    }
    outcome.passed = outcome.failures.empty();
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

} // namespace mrv
