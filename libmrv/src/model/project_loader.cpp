// YAML → Project. The format: docs/project-format.md.
#include "base/try.hpp"
#include "mrv/project.hpp"

#include "mrv/numbers.hpp"

#include "data/sha256.hpp"
#include "data/text_number.hpp"
#include "data/timestamp.hpp"
#include "data/yaml_tree.hpp"
#include "model/party_yaml.hpp"
#include "model/project_sections.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <unordered_set>

namespace mrv {
namespace {

using detail::YamlDocument;
using detail::YamlNode;
using detail::YamlReader;

class ProjectLoader {
public:
  ProjectLoader(const YamlDocument& doc, std::string base_dir)
      : doc_(doc), r_(doc), base_(std::move(base_dir)) {}

  Status load(Project& p) {
    const YamlNode& root = doc_.root;
    MRV_TRY(no_blanks(root, ""));
    MRV_TRY(r_.expect_map(root,
                          {"mrv", "id", "title", "country", "methodology", "utc_offset", "indices",
                           "values", "units", "periods", "history", "data", "meters", "fills",
                           "credit_terms", "financing", "co_benefits", "credits"},
                          "a project"));
    const YamlNode* format = MRV_TRY(r_.required(root, "mrv", "a project"));
    if (MRV_TRY(r_.string(*format, "mrv")) != "project/1")
      return r_.error(*format, "unsupported format: expected 'mrv: project/1'");
    p.id = MRV_TRY(r_.string(*MRV_TRY(r_.required(root, "id", "a project")), "id"));
    if (const YamlNode* n = root.find("title")) p.title = MRV_TRY(r_.string(*n, "title"));
    if (const YamlNode* n = root.find("country")) p.country = MRV_TRY(r_.string(*n, "country"));
    const YamlNode* methodology = MRV_TRY(r_.required(root, "methodology", "a project"));
    p.methodology = MRV_TRY(r_.string(*methodology, "methodology"));
    p.methodology_location = doc_.location(*methodology);
    if (p.methodology.find('/') != std::string::npos || p.methodology.ends_with(".yaml"))
      p.methodology = resolve(p.methodology);
    const YamlNode* offset = MRV_TRY(r_.required(root, "utc_offset", "a project"));
    std::optional<int> minutes =
        detail::parse_utc_offset(MRV_TRY(r_.string(*offset, "utc_offset")));
    if (!minutes) return r_.error(*offset, "utc_offset must look like \"+08:00\"");
    p.utc_offset_minutes = *minutes;
    if (const YamlNode* n = root.find("indices")) p.indices = MRV_TRY(indices(*n));
    if (const YamlNode* n = root.find("values"))
      p.values = MRV_TRY(values(*n, "", p.value_evidence));
    MRV_TRY(units(*MRV_TRY(r_.required(root, "units", "a project")), p));
    MRV_TRY(periods(*MRV_TRY(r_.required(root, "periods", "a project")), p));
    if (const YamlNode* n = root.find("history")) MRV_TRY(history(*n, p));
    if (const YamlNode* n = root.find("data")) MRV_TRY(data(*n, p));
    if (const YamlNode* n = root.find("meters")) MRV_TRY(meters(*n, p));
    if (const YamlNode* n = root.find("fills")) MRV_TRY(fills(*n, p));
    for (const auto& [key, value] : root.entries) {
      if (key.value == "credit_terms") p.credit_terms = MRV_TRY(credit_terms(key, value));
      if (key.value == "co_benefits") p.co_benefits = MRV_TRY(detail::read_co_benefits(r_, value));
      if (key.value == "credits") p.credits = MRV_TRY(detail::read_credits(r_, key, value));
    }
    return Ok{};
  }

private:
  const YamlDocument& doc_;
  YamlReader r_;
  std::string base_;
  std::unordered_set<std::string> unit_ids_;
  // Limits that keep loading and memory bounded (docs/security.md).
  static constexpr std::size_t kMaxUnits = 100000;
  static constexpr std::size_t kMaxPeriods = 1000;
  static constexpr std::size_t kMaxParties = 1000; // of credit_terms: checked pairwise

  // A `___` left from the `mrv init` template: nothing is guessed for it.
  Status no_blanks(const YamlNode& node, const std::string& key) const {
    if (node.is_scalar() && node.value == "___")
      return r_.error(node, key.empty() ? "fill in this blank of the `mrv init` template"
                                        : fmt::format("fill in '{}': a blank of the `mrv init` "
                                                      "template",
                                                      key));
    for (const YamlNode& item : node.items)
      MRV_TRY(no_blanks(item, key));
    for (const detail::YamlEntry& entry : node.entries)
      MRV_TRY(no_blanks(entry.value, entry.key.value));
    return Ok{};
  }

  std::string resolve(const std::string& path) const {
    if (path == "-" || path.empty() || path.front() == '/') return path;
    return (std::filesystem::path(base_) / path).lexically_normal().string();
  }

  Expected<std::vector<ValueInput>> values(const YamlNode& node, const std::string& unit,
                                           std::vector<ValueEvidence>& evidence) {
    if (!node.is_map()) return r_.error(node, "values must be a map of parameter ids");
    std::vector<ValueInput> out;
    for (const auto& [key, value] : node.entries)
      MRV_TRY(detail::read_value_inputs(r_, key, value, unit, out, evidence));
    return out;
  }

  // `indices: {j: [food, paper]}`: the values of each index the project uses.
  Expected<std::vector<ProjectIndex>> indices(const YamlNode& node) {
    if (!node.is_map())
      return r_.error(node, "indices must map index names to the values the project uses");
    std::vector<ProjectIndex> out;
    for (const auto& [key, value] : node.entries) {
      ProjectIndex index;
      index.index = key.value;
      index.location = doc_.location(key);
      index.values = MRV_TRY(r_.string_list(value, "values"));
      if (index.values.empty()) return r_.error(value, "an index needs at least one value");
      for (const YamlNode& item : value.items) {
        // `{value: ...}` is a value with its evidence (project_sections).
        if (item.value == "value" || item.value == "unit" || item.value == "source" ||
            item.value == "evidence")
          return r_.error(item, fmt::format("an index value cannot be named '{}': a map of "
                                            "values with that key is a value with its evidence",
                                            item.value));
        index.value_locations.push_back(doc_.location(item));
      }
      out.push_back(std::move(index));
    }
    return out;
  }

  Status units(const YamlNode& node, Project& p) {
    if (!node.is_sequence() || node.items.empty())
      return r_.error(node, "units must be a non-empty list");
    for (const YamlNode& item : node.items) {
      MRV_TRY(r_.expect_map(item, {"id", "values", "rating", "above_rating"}, "a unit"));
      ProjectUnit u;
      const YamlNode* id = MRV_TRY(r_.required(item, "id", "a unit"));
      u.id = MRV_TRY(r_.string(*id, "unit id"));
      u.location = doc_.location(*id);
      // Results name the site "(site)" where they name units.
      if (u.id.empty() || u.id.front() == '(')
        return r_.error(*id, "a unit id cannot be empty or start with '(' (\"(site)\" names "
                             "the site in results)");
      if (!unit_ids_.insert(u.id).second)
        return r_.error(*id, fmt::format("unit '{}' is declared twice", u.id));
      if (p.units.size() >= kMaxUnits)
        return r_.error(*id, fmt::format("more than {} units", kMaxUnits));
      if (const YamlNode* v = item.find("values"))
        u.values = MRV_TRY(values(*v, u.id, p.value_evidence));
      if (const YamlNode* rating = item.find("rating")) {
        if (!rating->is_scalar())
          return r_.error(*rating, "rating must be a number with its unit (\"4 MW\", \"500 kVA\")");
        u.rating = ValueInput{"rating",
                              rating->value,
                              rating->quoted,
                              doc_.location(*rating),
                              doc_.location(*rating),
                              doc_.line_text(rating->line)};
      }
      if (const YamlNode* list = item.find("above_rating"))
        u.above_rating = MRV_TRY(above_rating(*list, p.utc_offset_minutes));
      p.units.push_back(std::move(u));
    }
    return Ok{};
  }

  // Rows whose values exceed the unit's rating, and why (`above_rating:`).
  Expected<std::vector<RatingException>> above_rating(const YamlNode& node, int offset_minutes) {
    if (!node.is_sequence()) return r_.error(node, "above_rating must be a list of {at, why}");
    std::vector<RatingException> out;
    for (const YamlNode& item : node.items) {
      MRV_TRY(r_.expect_map(item, {"at", "why"}, "an above_rating entry"));
      RatingException e;
      e.location = doc_.location(item);
      const YamlNode* at = MRV_TRY(r_.required(item, "at", "an above_rating entry"));
      std::optional<std::int64_t> t =
          detail::parse_timestamp(MRV_TRY(r_.string(*at, "at")), offset_minutes);
      if (!t)
        return r_.error(*at, "at must be the row's timestamp, such as 2017-06-01T10:00:00+08:00");
      e.time = *t;
      e.why =
          MRV_TRY(r_.string(*MRV_TRY(r_.required(item, "why", "an above_rating entry")), "why"));
      if (e.why.empty()) return r_.error(item, "why must say why the value is above the rating");
      out.push_back(std::move(e));
    }
    return out;
  }

  // `fills:` parameter → `bound` or an amount per interval ("120 kWh").
  Status fills(const YamlNode& node, Project& p) {
    if (!node.is_map())
      return r_.error(node, "fills must map monitored parameter ids to `bound` or an amount per "
                            "interval (\"120 kWh\")");
    for (const auto& [key, value] : node.entries) {
      Fill f;
      f.parameter = key.value;
      f.location = doc_.location(key);
      if (!value.is_scalar())
        return r_.error(value, "a fill is `bound` or an amount per interval (\"120 kWh\")");
      f.rule = !value.quoted && value.value == "bound"     ? FillRule::bound
               : !value.quoted && value.value == "largest" ? FillRule::largest
                                                           : FillRule::amount;
      if (f.rule == FillRule::amount)
        f.value = ValueInput{key.value,          value.value,
                             value.quoted,       doc_.location(value),
                             doc_.location(key), doc_.line_text(value.line)};
      p.fills.push_back(std::move(f));
    }
    return Ok{};
  }

  Expected<std::int64_t> date(const YamlNode& node, std::string_view what) {
    std::string text = MRV_TRY(r_.string(node, what));
    std::optional<std::int64_t> days = detail::parse_date(text);
    if (!days)
      return r_.error(node, fmt::format("{} must be a date YYYY-MM-DD, not '{}'", what, text));
    return *days;
  }

  Status periods(const YamlNode& node, Project& p) {
    if (!node.is_sequence() || node.items.empty())
      return r_.error(node, "periods must be a non-empty list");
    for (const YamlNode& item : node.items) {
      MRV_TRY(r_.expect_map(item, {"id", "from", "to"}, "a monitoring period"));
      MonitoringPeriod period;
      period.id =
          MRV_TRY(r_.string(*MRV_TRY(r_.required(item, "id", "a monitoring period")), "period id"));
      period.location = doc_.location(item);
      period.first_day =
          MRV_TRY(date(*MRV_TRY(r_.required(item, "from", "a monitoring period")), "from"));
      period.last_day =
          MRV_TRY(date(*MRV_TRY(r_.required(item, "to", "a monitoring period")), "to"));
      if (period.last_day < period.first_day)
        return r_.error(*item.find("to"), "a period cannot end before it starts");
      if (p.periods.size() >= kMaxPeriods)
        return r_.error(item, fmt::format("more than {} monitoring periods", kMaxPeriods));
      for (const MonitoringPeriod& other : p.periods) {
        if (other.id == period.id)
          return r_.error(item, fmt::format("period '{}' is declared twice", period.id));
        if (period.first_day <= other.last_day && other.first_day <= period.last_day)
          return r_.error(item,
                          fmt::format("period '{}' overlaps period '{}'", period.id, other.id));
      }
      p.periods.push_back(std::move(period));
    }
    return Ok{};
  }

  // `history:` the earlier periods sum_x reads, from earlier monitoring
  // reports: oldest first, apart, and all before the first monitoring period.
  Status history(const YamlNode& node, Project& p) {
    if (!node.is_sequence() || node.items.empty())
      return r_.error(node, "history must be a non-empty list of earlier periods");
    std::int64_t first_current = p.periods.front().first_day;
    for (const MonitoringPeriod& period : p.periods)
      first_current = std::min(first_current, period.first_day);
    for (const YamlNode& item : node.items) {
      MRV_TRY(r_.expect_map(item, {"id", "from", "to", "source", "values"}, "an earlier period"));
      HistoryPeriod h;
      h.location = doc_.location(item);
      h.id = MRV_TRY(r_.string(*MRV_TRY(r_.required(item, "id", "an earlier period")), "id"));
      const YamlNode* to = MRV_TRY(r_.required(item, "to", "an earlier period"));
      h.first_day = MRV_TRY(date(*MRV_TRY(r_.required(item, "from", "an earlier period")), "from"));
      h.last_day = MRV_TRY(date(*to, "to"));
      h.source =
          MRV_TRY(r_.string(*MRV_TRY(r_.required(item, "source", "an earlier period")), "source"));
      // An earlier period's values come from its report (`source:`): no
      // evidence of their own, which the report would not show.
      std::vector<ValueEvidence> evidence;
      h.values =
          MRV_TRY(values(*MRV_TRY(r_.required(item, "values", "an earlier period")), "", evidence));
      if (!evidence.empty())
        return error_at(evidence.front().location,
                        "a value of an earlier period takes no source or evidence of its own: "
                        "the period's `source:` (its monitoring report) is where it comes from");
      if (h.last_day < h.first_day) return r_.error(*to, "a period cannot end before it starts");
      if (p.history.size() >= kMaxPeriods)
        return r_.error(item, fmt::format("more than {} earlier periods", kMaxPeriods));
      for (const HistoryPeriod& other : p.history)
        if (other.id == h.id)
          return r_.error(item, fmt::format("earlier period '{}' is declared twice", h.id));
      for (const MonitoringPeriod& other : p.periods)
        if (other.id == h.id)
          return r_.error(item, fmt::format("'{}' is a monitoring period of this project: an "
                                            "earlier period needs an id of its own",
                                            h.id));
      if (!p.history.empty() && h.first_day <= p.history.back().last_day)
        return r_.error(item, fmt::format("earlier period '{}' starts before '{}' ends: list the "
                                          "earlier periods oldest first, without overlaps",
                                          h.id, p.history.back().id));
      if (h.last_day >= first_current)
        return r_.error(*to, fmt::format("earlier period '{}' ends on {}, not before the first "
                                         "monitoring period starts ({}): history holds earlier "
                                         "periods only",
                                         h.id, detail::format_date(h.last_day),
                                         detail::format_date(first_current)));
      p.history.push_back(std::move(h));
    }
    return Ok{};
  }

  Expected<char> one_char(const YamlNode& node, std::string_view what) {
    std::string text = MRV_TRY(r_.string(node, what));
    if (text.size() != 1 || text[0] == '"' || text[0] == '\n' || text[0] == '\r')
      return r_.error(node, fmt::format("{} must be one character", what));
    return text[0];
  }

  // "1 h", "15 min", "1d": a positive whole number of seconds.
  Expected<std::int64_t> duration(const YamlNode& node, std::string_view what) {
    std::string text = MRV_TRY(r_.string(node, what));
    std::size_t split = 0;
    while (split < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[split])) || text[split] == '.'))
      ++split;
    std::optional<double> number = detail::parse_number(text.substr(0, split));
    std::optional<Unit> unit = parse_unit(text.substr(split));
    static const Unit seconds = *parse_unit("s");
    if (!number || !unit || !same_dimension(*unit, seconds) || *number <= 0)
      return r_.error(
          node,
          fmt::format("{} must be a duration such as \"1 h\" or \"15 min\", not '{}'", what, text));
    double value = convert_value(*number, *unit, seconds);
    if (value != std::floor(value))
      return r_.error(node, fmt::format("{} must be a whole number of seconds", what));
    return static_cast<std::int64_t>(value);
  }

  // "0.5%" or 0.005.
  Expected<double> fraction(const YamlNode& node, std::string_view what) {
    std::string text = MRV_TRY(r_.string(node, what));
    bool percent = !text.empty() && text.back() == '%';
    std::optional<double> value =
        detail::parse_number(percent ? text.substr(0, text.size() - 1) : text);
    if (!value || *value < 0)
      return r_.error(node,
                      fmt::format("{} must be a fraction (0.005) or a percentage (0.5%)", what));
    double f = percent ? *value / 100 : *value;
    if (f >= 1) return r_.error(node, fmt::format("{} must be below 100%", what));
    return f;
  }

  Status meters(const YamlNode& node, Project& p) {
    if (!node.is_sequence()) return r_.error(node, "meters must be a list");
    for (const YamlNode& item : node.items) {
      MRV_TRY(r_.expect_map(item,
                            {"serial", "model", "accuracy_class", "unit", "parameter", "max_error",
                             "calibrations", "replacements"},
                            "a meter"));
      Meter m;
      m.location = doc_.location(item);
      m.serial = MRV_TRY(r_.string(*MRV_TRY(r_.required(item, "serial", "a meter")), "serial"));
      if (const YamlNode* n = item.find("model")) m.model = MRV_TRY(r_.string(*n, "model"));
      if (const YamlNode* n = item.find("accuracy_class"))
        m.accuracy_class = MRV_TRY(r_.string(*n, "accuracy_class"));
      const YamlNode* unit = MRV_TRY(r_.required(item, "unit", "a meter"));
      m.unit = MRV_TRY(r_.string(*unit, "unit"));
      if (!unit_ids_.count(m.unit))
        return r_.error(*unit, fmt::format("unit '{}' is not one of the project's units", m.unit));
      m.parameter =
          MRV_TRY(r_.string(*MRV_TRY(r_.required(item, "parameter", "a meter")), "parameter"));
      if (const YamlNode* e = item.find("max_error")) {
        m.max_error = MRV_TRY(fraction(*e, "max_error"));
        m.max_error_declared = true;
      }
      if (const YamlNode* list = item.find("calibrations")) {
        if (!list->is_sequence()) return r_.error(*list, "calibrations must be a list");
        for (const YamlNode& c : list->items)
          m.calibrations.push_back(MRV_TRY(calibration(c, p.periods)));
      }
      if (m.calibrations.empty() && item.find("max_error"))
        return r_.error(item, "a meter with a max_error needs its calibrations (from, to)");
      if (const YamlNode* list = item.find("replacements"))
        m.replacements = MRV_TRY(replacements(*list, p.utc_offset_minutes));
      p.meters.push_back(std::move(m));
    }
    return Ok{};
  }

  // A calibration: when it was made (`date`) and its certificate, and its
  // validity `from` (default: the date) `to`. A calibration vouches for the
  // values measured after it was made, never before.
  Expected<Calibration> calibration(const YamlNode& c,
                                    const std::vector<MonitoringPeriod>& periods) {
    MRV_TRY(
        r_.expect_map(c, {"date", "from", "to", "error_found", "certificate"}, "a calibration"));
    Calibration cal;
    cal.location = doc_.location(c);
    const YamlNode* made = c.find("date");
    const YamlNode* from = c.find("from");
    if (!made && !from)
      return r_.error(c, "a calibration needs the date it was made (date:) or the start of its "
                         "validity (from:)");
    if (made) cal.made_day = MRV_TRY(date(*made, "date"));
    cal.first_day = from ? MRV_TRY(date(*from, "from")) : *cal.made_day;
    cal.last_day = MRV_TRY(date(*MRV_TRY(r_.required(c, "to", "a calibration")), "to"));
    if (cal.last_day < cal.first_day)
      return r_.error(c, "a calibration cannot end before it starts");
    if (cal.made_day && cal.first_day < *cal.made_day)
      return r_.error(*from, fmt::format("this calibration was made on {}, after the first days it "
                                         "claims to cover ({} to {}): a calibration vouches for "
                                         "values measured from the day it was made; declare "
                                         "`from: {}`, and the calibration before it for the days "
                                         "before",
                                         detail::format_date(*cal.made_day),
                                         detail::format_date(cal.first_day),
                                         detail::format_date(*cal.made_day - 1),
                                         detail::format_date(*cal.made_day)));
    if (const YamlNode* e = c.find("error_found"))
      cal.error_found = MRV_TRY(fraction(*e, "error_found"));
    MRV_TRY(made_within_periods(c, cal, periods));
    if (const YamlNode* n = c.find("certificate"))
      cal.certificate = MRV_TRY(r_.string(*n, "certificate"));
    return cal;
  }

  // A calibration made after the last period vouches for none of its
  // values: a mistyped date, unless it ended a lapse and says what error it
  // found then (error_found), which corrects the values before it.
  Status made_within_periods(const YamlNode& c, const Calibration& cal,
                             const std::vector<MonitoringPeriod>& periods) const {
    if (!cal.made_day || cal.error_found || periods.empty()) return Ok{};
    std::int64_t last = periods.front().last_day;
    for (const MonitoringPeriod& period : periods)
      last = std::max(last, period.last_day);
    if (*cal.made_day <= last) return Ok{};
    return r_.error(*c.find("date"),
                    fmt::format("this calibration was made on {}, after the last monitoring "
                                "period ends ({}): it vouches for no value of the periods; give "
                                "the calibration valid during them, or, when this one ended a "
                                "lapse, the error it found (error_found:)",
                                detail::format_date(*cal.made_day), detail::format_date(last)));
  }

  Expected<std::vector<MeterReplacement>> replacements(const YamlNode& list, int offset_minutes) {
    if (!list.is_sequence()) return r_.error(list, "replacements must be a list");
    std::vector<MeterReplacement> out;
    for (const YamlNode& c : list.items) {
      MRV_TRY(r_.expect_map(c, {"at", "old_final", "new_initial"}, "a meter replacement"));
      MeterReplacement r;
      r.location = doc_.location(c);
      const YamlNode* at = MRV_TRY(r_.required(c, "at", "a meter replacement"));
      std::optional<std::int64_t> t =
          detail::parse_timestamp(MRV_TRY(r_.string(*at, "at")), offset_minutes);
      if (!t) return r_.error(*at, "at must be a timestamp such as 2017-06-01T10:00:00+08:00");
      r.time = *t;
      r.old_final = MRV_TRY(
          r_.number(*MRV_TRY(r_.required(c, "old_final", "a meter replacement")), "old_final"));
      r.new_initial = MRV_TRY(
          r_.number(*MRV_TRY(r_.required(c, "new_initial", "a meter replacement")), "new_initial"));
      out.push_back(r);
    }
    return out;
  }

  // A party's share: 0.5 or "50%", from 0 to 1.
  Expected<double> share(const YamlNode& node, const std::string& party) {
    const std::string what = fmt::format("the share of party '{}'", party);
    if (!node.is_scalar())
      return r_.error(node, what + " must be a fraction (0.5) or a percentage (50%)");
    const std::optional<double> value = parse_share(node.value);
    if (!value)
      return r_.error(node, fmt::format("{} must be a fraction (0.5) or a percentage (50%), not "
                                        "'{}'",
                                        what, node.value));
    if (!(*value >= 0 && *value <= 1))
      return r_.error(node, fmt::format("{} is outside 0 to 1 (0% to 100%)", what));
    return *value;
  }

  Status add_party(PartyShare party, const YamlNode& where, double& sum,
                   AllocationRequest& request) {
    if (request.parties.size() >= kMaxParties)
      return r_.error(where, fmt::format("more than {} parties", kMaxParties));
    for (const PartyShare& other : request.parties)
      if (other.name == party.name)
        return r_.error(where, fmt::format("party '{}' is given twice", party.name));
    sum += party.share;
    if (at_15_significant_digits(sum) > 1)
      return r_.error(where, fmt::format("the shares add up to {}, more than 1",
                                         format_number(at_15_significant_digits(sum))));
    request.parties.push_back(std::move(party));
    return Ok{};
  }

  // `parties:` maps a party to its share, or to {share, rounding}; or lists
  // NAME=SHARE[:MODE] as `--party` (and a verify manifest) writes them.
  Status credit_parties(const YamlNode& node, AllocationRequest& request) {
    double sum = 0;
    if (node.is_sequence() && !node.items.empty()) {
      for (const YamlNode& item : node.items)
        MRV_TRY(add_party(MRV_TRY(read_party(r_, item)), item, sum, request));
      return Ok{};
    }
    if (!node.is_map() || node.entries.empty())
      return r_.error(node, "parties must map party names to shares (japan: 50%), or list "
                            "NAME=SHARE[:up|down|nearest]");
    for (const auto& [key, value] : node.entries) {
      PartyShare party;
      party.name = key.value;
      if (std::string problem = party_name_problem(party.name); !problem.empty())
        return r_.error(key, problem);
      party.rounding = default_share_rounding(party.name);
      if (value.is_map()) {
        MRV_TRY(r_.expect_map(value, {"share", "rounding"}, "a party's terms"));
        party.share =
            MRV_TRY(share(*MRV_TRY(r_.required(value, "share", "a party's terms")), party.name));
        if (const YamlNode* n = value.find("rounding")) {
          const std::string mode = MRV_TRY(r_.string(*n, "rounding"));
          const std::optional<ShareRounding> rounding = parse_share_rounding(mode);
          if (!rounding) {
            Diagnostic d =
                r_.error(*n, fmt::format("unknown rounding '{}' (up, down or nearest)", mode));
            if (std::string hint = closest_match(mode, {"up", "down", "nearest"}); !hint.empty())
              d.notes.push_back(fmt::format("did you mean '{}'?", hint));
            return d;
          }
          party.rounding = *rounding;
        }
      } else {
        party.share = MRV_TRY(share(value, party.name));
      }
      MRV_TRY(add_party(std::move(party), value, sum, request));
    }
    return Ok{};
  }

  // The scheme of the terms: a scheme file's id, its programme, a path
  // (relative to the project file) or none. An unknown name is an error here.
  Expected<SchemeRule> scheme_rule(const YamlNode& node) {
    const std::string name = MRV_TRY(r_.string(node, "scheme"));
    Expected<SchemeRule> rule = find_scheme_rule(name, base_);
    if (rule || rule.error().code != ExitCode::usage) return rule;
    Diagnostic d = r_.error(node, rule.error().message);
    d.notes = rule.error().notes;
    return d;
  }

  // `credit_terms:` (docs/project-format.md#credit-terms): what `mrv
  // allocate PROJECT` and `mrv report` split the credited amounts by.
  Expected<CreditTerms> credit_terms(const YamlNode& key, const YamlNode& node) {
    MRV_TRY(r_.expect_map(
        node, {"scheme", "parties", "remainder", "subsidy", "eligible_cost", "fgas_reading"},
        "credit_terms"));
    CreditTerms terms;
    terms.location = doc_.location(key);
    terms.source_line = doc_.line_text(key.line);
    AllocationRequest& request = terms.request;
    const YamlNode* scheme = MRV_TRY(r_.required(node, "scheme", "credit_terms"));
    request.scheme = MRV_TRY(scheme_rule(*scheme));
    const SchemeRule* rule = &request.scheme;
    if (const YamlNode* n = node.find("parties")) MRV_TRY(credit_parties(*n, request));
    if (const YamlNode* n = node.find("remainder")) {
      request.remainder = MRV_TRY(r_.string(*n, "remainder"));
      if (std::string problem = party_name_problem(request.remainder); !problem.empty())
        return r_.error(*n, problem);
      for (const PartyShare& party : request.parties)
        if (party.name == request.remainder)
          return r_.error(*n, fmt::format("party '{}' receives the remainder and cannot also have "
                                          "a share",
                                          party.name));
    } else {
      for (const PartyShare& party : request.parties)
        if (party.name == request.remainder)
          return r_.error(*node.find("parties"),
                          fmt::format("party '{}' receives the remainder by default and cannot "
                                      "also have a share; name another remainder party "
                                      "(remainder:)",
                                      party.name));
    }
    // The subsidy figures belong to a scheme with a subsidy ratio (fgas).
    const YamlNode* subsidy = node.find("subsidy");
    const YamlNode* cost = node.find("eligible_cost");
    const YamlNode* reading = node.find("fgas_reading");
    if (!rule->subsidy_ratio) {
      for (const YamlNode* n : {subsidy, cost, reading})
        if (n)
          return r_.error(*n, fmt::format("scheme {} does not use a subsidy, an eligible cost or "
                                          "a reading (they are for scheme {})",
                                          rule->id, fmt::join(subsidy_ratio_programmes(), " or ")));
      return terms;
    }
    if (!subsidy || !cost)
      return r_.error(node, fmt::format("scheme {} needs the subsidy and the eligible cost "
                                        "(subsidy: JPY, eligible_cost: JPY)",
                                        rule->id));
    request.subsidy = MRV_TRY(r_.number(*subsidy, "subsidy"));
    request.eligible_cost = MRV_TRY(r_.number(*cost, "eligible_cost"));
    if (!std::isfinite(*request.subsidy) || *request.subsidy < 0)
      return r_.error(*subsidy, "the subsidy must be 0 or more JPY");
    if (!std::isfinite(*request.eligible_cost) || *request.eligible_cost <= 0)
      return r_.error(*cost, "the eligible cost must be more than 0 JPY");
    if (*request.subsidy > *request.eligible_cost)
      return r_.error(*subsidy, "the subsidy is more than the eligible cost");
    if (reading) {
      const std::string name = MRV_TRY(r_.string(*reading, "fgas_reading"));
      const std::optional<FgasReading> parsed = parse_fgas_reading(name);
      if (!parsed) return r_.error(*reading, "fgas_reading must be 'net' or 'total'");
      request.fgas_reading = *parsed;
    }
    if (rule->net_of_partner && request.remainder == partner_party)
      return r_.error(*node.find("remainder"),
                      fmt::format("scheme {}: the partner cannot be the remainder party: japan's "
                                  "minimum depends on the partner's allocation",
                                  rule->id));
    return terms;
  }

  Status data(const YamlNode& node, Project& p) {
    if (!node.is_sequence()) return r_.error(node, "data must be a list of data sources");
    for (const YamlNode& item : node.items)
      p.data.push_back(MRV_TRY(data_source(item, p)));
    return Ok{};
  }

  Expected<DataSource> data_source(const YamlNode& item, const Project& p) {
    MRV_TRY(r_.expect_map(item,
                          {"id", "file", "delimiter", "encoding", "decimal", "thousands",
                           "interval", "timestamp", "unit", "units", "columns"},
                          "a data source"));
    DataSource s;
    s.location = doc_.location(item);
    s.id = item.find("id") ? MRV_TRY(r_.string(*item.find("id"), "id"))
                           : fmt::format("data{}", p.data.size() + 1);
    s.file =
        resolve(MRV_TRY(r_.string(*MRV_TRY(r_.required(item, "file", "a data source")), "file")));
    if (const YamlNode* e = item.find("encoding")) s.encoding = MRV_TRY(r_.string(*e, "encoding"));
    MRV_TRY(text_marks(item, s));
    if (const YamlNode* i = item.find("interval")) {
      // Batches and events have no interval: say so, and nothing is inferred.
      if (i->is_scalar() && !i->quoted && i->value == "irregular")
        s.interval_irregular = true;
      else
        s.interval_seconds = MRV_TRY(duration(*i, "interval"));
    }
    MRV_TRY(timestamp(*MRV_TRY(r_.required(item, "timestamp", "a data source")), s));
    MRV_TRY(source_units(item, p, s));
    const YamlNode* columns = MRV_TRY(r_.required(item, "columns", "a data source"));
    if (!columns->is_map() || columns->entries.empty())
      return r_.error(*columns, "columns must map parameter ids to CSV columns");
    for (const auto& [key, body] : columns->entries)
      s.columns.push_back(MRV_TRY(column_mapping(key, body)));
    return s;
  }

  // The delimiter, the decimal point and the thousands separator.
  Status text_marks(const YamlNode& item, DataSource& s) {
    if (const YamlNode* d = item.find("delimiter")) {
      const std::string delimiter = MRV_TRY(r_.string(*d, "delimiter"));
      const char mark = delimiter == "tab" ? '\t' : delimiter.size() == 1 ? delimiter[0] : '\0';
      if (mark == '\0' || mark == '"' || mark == '\n' || mark == '\r')
        return r_.error(*d, "delimiter must be one character (',', ';', 'tab')");
      s.delimiter = mark;
    }
    if (const YamlNode* d = item.find("decimal"))
      s.decimal_point = MRV_TRY(one_char(*d, "decimal"));
    if (const YamlNode* t = item.find("thousands"))
      s.thousands_separator = MRV_TRY(one_char(*t, "thousands"));
    s.number_format_declared = item.find("decimal") || item.find("thousands");
    if (s.decimal_point == s.thousands_separator)
      return r_.error(item, "the decimal point and the thousands separator must differ");
    if (s.decimal_point == s.delimiter || s.thousands_separator == s.delimiter)
      return r_.error(item,
                      "the delimiter cannot also be the decimal point or the thousands separator");
    return Ok{};
  }

  // `timestamp: NAME` or `{column, marks, format}`.
  Status timestamp(const YamlNode& ts, DataSource& s) {
    if (ts.is_scalar()) {
      s.timestamp_column = ts.value;
      return Ok{};
    }
    MRV_TRY(r_.expect_map(ts, {"column", "marks", "format"}, "timestamp"));
    if (const YamlNode* f = ts.find("format")) {
      s.timestamp_format.pattern = MRV_TRY(r_.string(*f, "format"));
      std::string problem = detail::check_timestamp_pattern(s.timestamp_format.pattern);
      if (!problem.empty()) return r_.error(*f, problem);
    }
    s.timestamp_column =
        MRV_TRY(r_.string(*MRV_TRY(r_.required(ts, "column", "timestamp")), "column"));
    if (const YamlNode* marks = ts.find("marks")) {
      std::string m = MRV_TRY(r_.string(*marks, "marks"));
      if (m == "start")
        s.marks = TimestampMarks::start;
      else if (m == "end")
        s.marks = TimestampMarks::end;
      else
        return r_.error(*marks, "marks must be 'start' or 'end' (of the interval the row covers)");
    }
    return Ok{};
  }

  // `unit: ID` or `unit: {column: NAME}`, and the units a unit column covers.
  // Without `unit`, the rows are the site's: whether the columns are site
  // values is checked against the methodology (calc).
  Status source_units(const YamlNode& item, const Project& p, DataSource& s) {
    const YamlNode* unit = item.find("unit");
    if (unit && unit->is_scalar()) {
      s.constant_unit = MRV_TRY(r_.string(*unit, "unit"));
      if (s.constant_unit.empty()) return r_.error(*unit, "unit must name a unit of the project");
      bool known = false;
      for (const ProjectUnit& u : p.units)
        known = known || u.id == s.constant_unit;
      if (!known)
        return r_.error(
            *unit, fmt::format("unit '{}' is not one of the project's units", s.constant_unit));
    } else if (unit) {
      MRV_TRY(r_.expect_map(*unit, {"column"}, "unit"));
      const YamlNode* column = MRV_TRY(r_.required(*unit, "column", "unit"));
      s.unit_column = MRV_TRY(r_.string(*column, "column"));
      if (s.unit_column.empty()) return r_.error(*column, "column must name a CSV column");
    }
    if (const YamlNode* covers = item.find("units")) {
      if (s.unit_column.empty())
        return r_.error(*covers, "units lists the units a source with a unit column covers; "
                                 "this source has no unit column");
      s.covers = MRV_TRY(r_.string_list(*covers, "units"));
      for (const std::string& id : s.covers)
        if (!unit_ids_.count(id))
          return r_.error(*covers, fmt::format("unit '{}' is not one of the project's units", id));
    }
    return Ok{};
  }

  Expected<ColumnMapping> column_mapping(const YamlNode& key, const YamlNode& body) {
    MRV_TRY(r_.expect_map(
        body, {"column", "unit", "reading", "rollover", "maximum", "out_of_range", "split"},
        "a column mapping"));
    ColumnMapping c;
    c.parameter = key.value;
    c.location = doc_.location(key);
    // `W_j_p[food]`: the column gives the value for one index value.
    if (const std::size_t open = c.parameter.find('['); open != std::string::npos) {
      if (c.parameter.back() != ']' || open == 0 || open + 2 >= c.parameter.size())
        return r_.error(key, "a column of an indexed parameter is named PARAMETER[VALUE], such "
                             "as W_j_p[food]");
      c.index = c.parameter.substr(open + 1, c.parameter.size() - open - 2);
      c.parameter.resize(open);
    }
    c.column =
        MRV_TRY(r_.string(*MRV_TRY(r_.required(body, "column", "a column mapping")), "column"));
    // The unit of every column is declared: kWh vs MWh is the most common silent error.
    const YamlNode* unit_node = MRV_TRY(r_.required(body, "unit", "a column mapping"));
    UnitParseError e;
    std::optional<Unit> u = parse_unit(MRV_TRY(r_.string(*unit_node, "unit")), &e);
    if (!u) return doc_.error_in_scalar(*unit_node, e.offset, e.length, e.message);
    c.unit = *u;
    c.unit_location = doc_.location(*unit_node);
    if (const YamlNode* reading = body.find("reading")) {
      std::string kind = MRV_TRY(r_.string(*reading, "reading"));
      if (kind != "interval" && kind != "cumulative")
        return r_.error(
            *reading, "reading must be 'interval' (a value per row) or 'cumulative' (a register)");
      c.cumulative = kind == "cumulative";
      c.reading_declared = true;
    }
    MRV_TRY(register_options(body, c));
    if (const YamlNode* n = body.find("maximum")) c.maximum = MRV_TRY(r_.number(*n, "maximum"));
    if (const YamlNode* n = body.find("out_of_range")) {
      std::string what = MRV_TRY(r_.string(*n, "out_of_range"));
      if (what == "gap")
        c.out_of_range = OutOfRange::gap;
      else if (what != "error")
        return r_.error(*n, "out_of_range must be 'error' or 'gap'");
    }
    return c;
  }

  // `rollover` and `split`, which only a register has.
  Status register_options(const YamlNode& body, ColumnMapping& c) {
    if (const YamlNode* n = body.find("rollover")) {
      if (!c.cumulative) return r_.error(*n, "rollover applies to cumulative readings");
      c.rollover = MRV_TRY(r_.number(*n, "rollover"));
      if (*c.rollover <= 0) return r_.error(*n, "rollover must be positive (the register size)");
    }
    if (const YamlNode* n = body.find("split")) {
      if (!c.cumulative) return r_.error(*n, "split applies to cumulative readings");
      std::string how = MRV_TRY(r_.string(*n, "split"));
      if (how == "time")
        c.split = SpanSplit::time;
      else if (how != "conservative")
        return r_.error(*n, "split must be 'conservative' or 'time'");
    }
    return Ok{};
  }
};

} // namespace

Expected<Project> load_project(std::string text, std::string file) {
  std::string digest = detail::sha256_hex(text);
  YamlDocument doc =
      MRV_TRY(detail::parse_mrv_yaml(std::move(text), file, "project/1", "a project"));
  Project p;
  p.file = file;
  p.sha256 = digest;
  std::string base = std::filesystem::path(file).parent_path().string();
  ProjectLoader loader(doc, base.empty() ? "." : base);
  MRV_TRY(loader.load(p));
  return p;
}

Expected<Project> load_project_file(const std::string& path) {
  std::string text = MRV_TRY(detail::read_text_file(path, detail::YamlLimits{}.max_bytes));
  return load_project(std::move(text), path);
}

} // namespace mrv
