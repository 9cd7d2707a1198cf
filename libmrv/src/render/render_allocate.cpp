// `mrv allocate` output: the AllocationResult as party rows or as one JSON
// document. docs/allocate.md specifies both.
#include "mrv/render_allocate.hpp"

#include "render/render_common.hpp"

#include <fmt/format.h>

namespace mrv {

namespace {

using detail::JsonWriter;
using detail::TextTable;

constexpr const char* allocate_json_format = "mrv.allocate/1";

// One party row; `period` is empty for the single allocation and for the
// rows of the total.
struct PartyRow {
  std::string period;
  const PartyAllocation* party;
};

std::vector<PartyRow> party_rows(const AllocationResult& result) {
  std::vector<PartyRow> rows;
  for (const PeriodAllocation& period : result.periods)
    for (const PartyAllocation& party : period.allocation.parties)
      rows.push_back({period.period, &party});
  for (const PartyAllocation& party : result.total.parties)
    rows.push_back({"", &party});
  return rows;
}

bool has_periods(const AllocationResult& result) {
  return result.source.has_value();
}

// What the human formats say about where a party's credits come from.
std::string basis_text(const PartyAllocation& party) {
  switch (party.basis) {
  case PartyBasis::share:
    return fmt::format("share, rounded {}",
                       share_rounding_name(party.rounding.value_or(ShareRounding::down)));
  case PartyBasis::scheme_minimum:
    return "scheme minimum";
  case PartyBasis::remainder:
    return "remainder";
  }
  return "";
}

// Machine rows: [period,] party, share, credits.
TextTable machine_table(const AllocationResult& result) {
  TextTable table;
  const bool periods = has_periods(result);
  if (periods) table.header.push_back("period");
  table.header.insert(table.header.end(), {"party", "share", "credits"});
  for (const PartyRow& row : party_rows(result)) {
    std::vector<std::string> cells;
    if (periods) cells.push_back(row.period);
    cells.insert(cells.end(), {row.party->name, format_number(row.party->share),
                               std::to_string(row.party->credits)});
    table.rows.push_back(std::move(cells));
  }
  return table;
}

std::vector<bool> machine_numeric(const AllocationResult& result) {
  if (has_periods(result)) return {false, false, true, true};
  return {false, true, true};
}

// Human rows: [period,] party, share, credits, basis; the total labelled.
TextTable human_table(const AllocationResult& result) {
  TextTable table;
  const bool periods = has_periods(result);
  if (periods) {
    table.header.push_back("period");
    table.right_aligned.push_back(false);
  }
  table.header.insert(table.header.end(), {"party", "share", "credits", "basis"});
  table.right_aligned.insert(table.right_aligned.end(), {false, true, true, false});
  for (const PartyRow& row : party_rows(result)) {
    std::vector<std::string> cells;
    if (periods) cells.push_back(row.period.empty() ? "total" : row.period);
    cells.insert(cells.end(), {row.party->name, format_number(row.party->share),
                               std::to_string(row.party->credits), basis_text(*row.party)});
    table.rows.push_back(std::move(cells));
  }
  return table;
}

std::string scheme_line(const SchemeRule& scheme) {
  if (scheme.status.empty()) return fmt::format("scheme: {}: {}", scheme.id, scheme.statement);
  return fmt::format("scheme: {} ({}): {}", scheme.id, scheme.status, scheme.statement);
}

// The lines under the table: scheme, checks, sum of the periods, notes.
std::vector<std::string> summary_lines(const AllocationResult& result) {
  std::vector<std::string> lines;
  lines.push_back(scheme_line(result.scheme));
  if (result.terms) {
    std::string terms = "terms: credit_terms of " + result.terms->path;
    if (!result.terms->overridden.empty())
      terms += fmt::format(", overridden by {}", fmt::join(result.terms->overridden, ", "));
    lines.push_back(std::move(terms));
  }
  for (const PeriodAllocation& period : result.periods)
    lines.push_back(
        fmt::format("check {}: {}", period.period, describe_scheme_check(period.allocation.check)));
  lines.push_back(fmt::format("{}: {}", has_periods(result) ? "check total" : "check",
                              describe_scheme_check(result.total.check)));
  if (has_periods(result)) {
    std::vector<std::string> sums;
    for (const PartyAllocation& party : result.sum_of_periods)
      sums.push_back(fmt::format("{} {}", party.name, party.credits));
    lines.push_back(fmt::format("sum of the periods: {}", fmt::join(sums, ", ")));
  }
  for (const std::string& note : result.notes)
    lines.push_back("note: " + note);
  return lines;
}

// ---- JSON

void write_party(JsonWriter& json, const PartyAllocation& party) {
  json.begin_object();
  json.member("party", party.name);
  json.member("share", party.share);
  json.key("rounding");
  if (party.rounding)
    json.value(share_rounding_name(*party.rounding));
  else
    json.null();
  json.member("basis", party_basis_name(party.basis));
  json.member("credits", party.credits);
  json.end_object();
}

void optional_number(JsonWriter& json, const char* name, const std::optional<double>& value) {
  json.key(name);
  if (value)
    json.value(*value);
  else
    json.null();
}

void write_check(JsonWriter& json, const SchemeCheck& check) {
  json.key("check");
  json.begin_object();
  json.member("applies", check.applies);
  json.member("passed", check.passed);
  json.member("party", "japan");
  const auto integer_or_null = [&](const char* name, std::int64_t value) {
    json.key(name);
    if (check.applies)
      json.value(value);
    else
      json.null();
  };
  integer_or_null("minimum", check.minimum);
  integer_or_null("actual", check.actual);
  integer_or_null("shortfall", check.shortfall);
  json.key("formula");
  if (check.applies)
    json.value(scheme_check_formula(check));
  else
    json.null();
  json.member("credits", check.credits);
  integer_or_null("partner_credits", check.partner_credits);
  integer_or_null("base", check.base);
  optional_number(json, "fraction",
                  check.applies ? std::optional<double>(check.fraction) : std::nullopt);
  optional_number(json, "subsidy", check.subsidy);
  optional_number(json, "eligible_cost", check.eligible_cost);
  optional_number(json, "subsidy_ratio", check.subsidy_ratio);
  json.key("reading");
  if (check.reading)
    json.value(fgas_reading_name(*check.reading));
  else
    json.null();
  json.end_object();
}

void write_allocation_members(JsonWriter& json, const Allocation& allocation) {
  json.member("credits", allocation.credits);
  json.key("parties");
  json.begin_array();
  for (const PartyAllocation& party : allocation.parties)
    write_party(json, party);
  json.end_array();
  write_check(json, allocation.check);
}

void write_source(JsonWriter& json, const AllocationResult& result) {
  json.key("inputs");
  json.begin_array();
  if (result.terms) {
    json.begin_object();
    json.member("role", "project");
    json.member("path", result.terms->path);
    json.member("sha256", result.terms->sha256);
    json.end_object();
  }
  if (result.source && !result.source->path.empty()) {
    json.begin_object();
    json.member("role", "calc");
    json.member("path", result.source->path);
    json.member("sha256", result.source->sha256);
    json.end_object();
  }
  json.end_array();
  const auto text_or_null = [&](const char* name, const std::string& text) {
    json.key(name);
    if (result.source && !text.empty())
      json.value(text);
    else
      json.null();
  };
  json.key("methodology");
  if (result.source && !result.source->methodology.empty()) {
    json.begin_object();
    json.member("id", result.source->methodology);
    json.member("version", result.source->methodology_version);
    json.end_object();
  } else {
    json.null();
  }
  text_or_null("project", result.source ? result.source->project : "");
}

std::string allocation_json(const AllocationResult& result) {
  JsonWriter json(true);
  json.begin_object();
  json.member("format", allocate_json_format);
  json.member("mrv_version", mrv_version());
  json.key("scheme");
  json.begin_object();
  json.member("id", result.scheme.id);
  json.member("title", result.scheme.title);
  json.key("status");
  if (result.scheme.status.empty())
    json.null();
  else
    json.value(result.scheme.status);
  json.member("rule", result.scheme.statement);
  json.end_object();
  json.key("terms");
  if (result.terms) {
    json.begin_object();
    json.member("project", result.terms->path);
    json.key("overridden");
    json.begin_array();
    for (const std::string& flag : result.terms->overridden)
      json.value(flag);
    json.end_array();
    json.end_object();
  } else {
    json.null();
  }
  write_source(json, result);
  json.key("periods");
  json.begin_array();
  for (const PeriodAllocation& period : result.periods) {
    json.begin_object();
    json.member("id", period.period);
    write_allocation_members(json, period.allocation);
    json.end_object();
  }
  json.end_array();
  json.key("total");
  json.begin_object();
  write_allocation_members(json, result.total);
  json.end_object();
  json.key("sum_of_periods");
  if (has_periods(result)) {
    json.begin_array();
    for (const PartyAllocation& party : result.sum_of_periods) {
      json.begin_object();
      json.member("party", party.name);
      json.member("credits", party.credits);
      json.end_object();
    }
    json.end_array();
  } else {
    json.null();
  }
  json.member("passed", result.passed());
  json.key("notes");
  json.begin_array();
  for (const std::string& note : result.notes)
    json.value(note);
  json.end_array();
  json.end_object();
  return json.text() + '\n';
}

std::string allocation_jsonl(const AllocationResult& result) {
  std::string out;
  for (const PartyRow& row : party_rows(result)) {
    JsonWriter json(false);
    json.begin_object();
    if (has_periods(result)) {
      json.key("period");
      if (row.period.empty())
        json.null();
      else
        json.value(row.period);
    }
    json.member("party", row.party->name);
    json.member("share", row.party->share);
    json.member("credits", row.party->credits);
    json.end_object();
    out += json.text() + '\n';
  }
  return out;
}

} // namespace

std::string scheme_check_formula(const SchemeCheck& check) {
  if (!check.applies) return "";
  const std::string base = check.partner_credits > 0 || check.reading
                               ? fmt::format("({} - {})", check.credits, check.partner_credits)
                               : std::to_string(check.base);
  if (!check.subsidy_ratio)
    return fmt::format("ceil({} * {})", format_number(check.fraction), base);
  const std::string ratio =
      fmt::format("{}/{}", format_number(*check.subsidy), format_number(*check.eligible_cost));
  if (check.reading == FgasReading::total)
    return fmt::format("max(ceil({} * {}), ceil({} * {}))", ratio, base,
                       format_number(check.rule_share), check.credits);
  return fmt::format("ceil(max({}, {}) * {})", ratio, format_number(check.rule_share), base);
}

std::string describe_scheme_check(const SchemeCheck& check) {
  if (!check.applies) return "no minimum for japan";
  std::string text = fmt::format("japan {}, minimum {} = {}: ", check.actual, check.minimum,
                                 scheme_check_formula(check));
  text += check.passed ? "pass" : fmt::format("fail, shortfall {}", check.shortfall);
  return text;
}

std::string describe_failed_check(const SchemeCheck& check) {
  const std::string scheme =
      check.status.empty() ? check.scheme : fmt::format("{} ({})", check.scheme, check.status);
  return fmt::format("scheme {}: japan receives {} credits, below the minimum {} = {}; "
                     "shortfall {}",
                     scheme, check.actual, check.minimum, scheme_check_formula(check),
                     check.shortfall);
}

std::string render_allocation(const AllocationResult& result, Format format) {
  switch (format) {
  case Format::json:
    return allocation_json(result);
  case Format::jsonl:
    return allocation_jsonl(result);
  case Format::csv:
    return machine_table(result).to_delimited(',', machine_numeric(result));
  case Format::tsv:
    return machine_table(result).to_delimited('\t', machine_numeric(result));
  case Format::table: {
    std::string out = human_table(result).to_aligned() + '\n';
    for (const std::string& line : summary_lines(result))
      out += line + '\n';
    return out;
  }
  case Format::md: {
    std::string out = human_table(result).to_markdown() + '\n';
    for (const std::string& line : summary_lines(result))
      out += "- " + line + '\n';
    return out;
  }
  }
  return {};
}

} // namespace mrv
