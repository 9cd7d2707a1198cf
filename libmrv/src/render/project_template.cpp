// `mrv init`: a commented project template for a methodology. It names every
// ex-ante and monitored parameter with its description, unit (or allowed key
// values), monitoring option and source, and loads with `mrv calc` once every
// ___ is replaced by a value (the project loader refuses a ___ left in).
#include "mrv/render.hpp"

#include "model/compiled_methodology.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <sstream>
#include <string>
#include <vector>

namespace mrv {

namespace {

constexpr std::size_t comment_width = 92;
constexpr const char* blank = "___";

// One-line text: YAML folded scalars can still carry line breaks.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return text;
}

// Appends `text` as comment lines: `indent` + "# " + `lead` on the first
// line, `indent` + "# " + `next` on the others, wrapped at words.
void comment(std::string& out, const std::string& indent, const std::string& text,
             const std::string& lead = "", const std::string& next = "") {
  std::istringstream words(one_line(text));
  std::string word, line;
  bool first = true;
  const auto flush = [&] {
    out += indent + "# " + (first ? lead : next) + line + "\n";
    first = false;
    line.clear();
  };
  while (words >> word) {
    const std::size_t prefix = indent.size() + 2 + (first ? lead : next).size();
    if (!line.empty() && prefix + line.size() + 1 + word.size() > comment_width) flush();
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty() || first) flush();
}

// A detail line under a parameter's heading: "#   text", continued at "#     ".
void detail(std::string& out, const std::string& indent, const std::string& text) {
  comment(out, indent, text, "  ", "    ");
}

std::string number(double value) {
  return fmt::format("{}", value);
}

std::string describe_source(const Provenance& source) {
  if (source.document.empty()) return "no source given (not confirmed)";
  std::string text = source.document;
  if (!source.section.empty()) text += ", " + source.section;
  text += source.confirmed ? " (confirmed)" : " (not confirmed)";
  return text;
}

std::string describe_range(const Parameter& p) {
  if (!p.minimum && !p.maximum) return "";
  return fmt::format("; allowed range [{}, {}]", p.minimum ? number(*p.minimum) : "-inf",
                     p.maximum ? number(*p.maximum) : "inf");
}

std::string heading(const Parameter& p) {
  std::string text = p.id;
  if (p.symbol != p.id) text += " (" + p.symbol + ")";
  return text + ": " + one_line(p.description);
}

// The comment block and the line of one ex-ante value.
// A blank, or for a value that varies by an index a blank per index value.
std::string blank_value(const Methodology& m, const Parameter& p) {
  if (p.index < 0) return blank;
  std::vector<std::string> entries;
  for (const std::string& v : m.indices[static_cast<std::size_t>(p.index)].values)
    entries.push_back(v + ": " + blank);
  return fmt::format("{{{}}}", fmt::join(entries, ", "));
}

void ex_ante_entry(std::string& out, const std::string& indent, const Methodology& m,
                   const Parameter& p) {
  comment(out, indent, heading(p), "", "  ");
  if (p.is_key) {
    detail(out, indent, fmt::format("one of: {}", fmt::join(p.key_values, ", ")));
  } else if (p.unit.dimension.dimensionless() && p.unit.text == "1") {
    detail(out, indent, "a pure number" + describe_range(p));
  } else {
    detail(out, indent,
           fmt::format("unit: {}{} (a number in {}, or in quotes with its unit: \"12.5 {}\")",
                       p.unit.text, describe_range(p), p.unit.text, p.unit.text));
  }
  if (!p.option.empty()) detail(out, indent, "monitoring option " + p.option);
  detail(out, indent, "source: " + describe_source(p.source));
  out += indent + p.id + ": " + blank_value(m, p) + "\n";
}

void monitored_entry(std::string& out, const std::string& indent, const Parameter& p) {
  comment(out, indent, heading(p), "", "  ");
  std::string how = "unit: " + p.unit.text + describe_range(p);
  if (!p.option.empty()) how += "; option " + p.option;
  how += fmt::format("; {} over the period", aggregate_name(p.aggregate));
  how += p.missing == MissingValue::zero ? "; an empty value counts as zero"
                                         : "; an empty value is an error";
  detail(out, indent, how);
  detail(out, indent,
         fmt::format("column: its header text; unit: the unit its values are in, as the export "
                     "writes them (kWh or MWh...), converted to {}",
                     p.unit.text));
  if (!p.monitoring.empty()) detail(out, indent, "monitoring: " + p.monitoring);
  detail(out, indent, "source: " + describe_source(p.source));
  out += fmt::format("{}{}: {{column: {}, unit: {}}}\n", indent, p.id, blank, blank);
}

// How a data source's rows are written: nothing guessed, every line a blank.
void source_format(std::string& out) {
  comment(out, "    ",
          "interval: the time each row covers (\"1 h\", \"15 min\", \"1 d\"), or irregular for "
          "batches; decimal: the decimal mark of the values, \".\" or \",\" (with `thousands: "
          "\".\"` if the values group thousands)");
  out += fmt::format("    interval: {}\n", blank);
  out += fmt::format("    decimal: {}\n", blank);
}

bool is_path(std::string_view text) {
  return text.find('/') != std::string_view::npos || text.ends_with(".yaml");
}

// The parameters a project file gives or reads, by where they go.
struct TemplateParameters {
  std::vector<const Parameter*> project_values, unit_values, monitored, site, fixed;
};

TemplateParameters by_place(const Methodology& m) {
  TemplateParameters t;
  for (const Parameter& p : m.parameters) {
    switch (p.kind) {
    case ParameterKind::ex_ante:
      (p.level == Level::unit ? t.unit_values : t.project_values).push_back(&p);
      break;
    case ParameterKind::monitored:
      (is_site_value(p) ? t.site : t.monitored).push_back(&p);
      break;
    case ParameterKind::fixed:
      t.fixed.push_back(&p);
      break;
    case ParameterKind::calculated:
      break;
    }
  }
  return t;
}

// What the methodology is, how to fill the file, and the project's own lines.
void header(std::string& out, const Methodology& m, std::string_view requested) {
  comment(out, "", fmt::format("Project file for {}: {}", m.full_id(), m.title), "", "  ");
  std::string about = "family " + m.family;
  if (!m.countries.empty())
    about += "; countries " + fmt::format("{}", fmt::join(m.countries, ", "));
  if (!m.status.empty()) about += "; status " + m.status;
  comment(out, "", about);
  comment(out, "", "methodology source: " + describe_source(m.source));
  out += "#\n";
  comment(out, "",
          fmt::format("Written by `mrv init {}`. Replace every {} with a value, give one entry "
                      "under units: per unit of equipment and one under periods: per monitoring "
                      "period, then run `mrv calc project.yaml`. `mrv methodology show {}` "
                      "prints the equations. The format is in docs/project-format.md.",
                      requested, blank, m.full_id()));
  out += "mrv: project/1\n";
  out += fmt::format("id: {}                       # a name for the project\n", blank);
  out += fmt::format("title: {}\n", blank);
  if (m.countries.size() == 1)
    out += "country: " + m.countries.front() + "\n";
  else
    out += fmt::format("# country: {}                # optional\n", blank);
  out += "methodology: " + (is_path(requested) ? std::string(requested) : m.full_id()) + "\n";
  out += fmt::format(
      "utc_offset: \"{}\"              # the site's offset from UTC, e.g. \"+07:00\"\n", blank);
}

// With sum_x: the earlier periods, each with the values sum_x reads there.
void history_entry(std::string& out, const Methodology& m) {
  out += "\n";
  comment(out, "",
          "Earlier periods before the first monitoring period, oldest first, from earlier "
          "monitoring reports: the methodology sums over earlier periods (sum_x) and reads "
          "these values at each. Copy the entry for each earlier period; remove the list when "
          "the first monitoring period is the project's first.");
  out += "history:\n";
  out += fmt::format("  - id: {}\n    from: {}\n    to: {}\n", blank, blank, blank);
  out +=
      fmt::format("    source: {}    # the earlier report: title, version, date, table\n", blank);
  out += "    values:\n";
  for (std::size_t i : m.compiled->past_parameters) {
    const Parameter& p = m.parameters[i];
    comment(out, "      ", heading(p) + (p.is_key ? "" : ", in " + p.unit.text), "", "  ");
    out += "      " + p.id + ": " + blank_value(m, p) + "\n";
  }
}

// The project's ex-ante values, the units with theirs, and the periods.
void values_units_periods(std::string& out, const Methodology& m, const TemplateParameters& t) {
  if (!t.project_values.empty()) {
    out += "\n# Ex-ante values of the whole project.\n";
    out += "values:\n";
    for (const Parameter* p : t.project_values)
      ex_ante_entry(out, "  ", m, *p);
  }
  out += "\n";
  comment(out, "",
          "Units of equipment (i in the equations): one entry per unit, each with its own "
          "ex-ante values. Copy the entry for each further unit.");
  out += "units:\n";
  out += fmt::format("  - id: {}\n", blank);
  if (m.rating && m.rating->unit) {
    comment(out, "    ",
            fmt::format("rating: {}, a number with its unit (\"12.5 {}\"); it bounds what the "
                        "data may hold",
                        m.rating->description, m.rating->unit->text));
    out += fmt::format("    rating: {}\n", blank);
  }
  if (!t.unit_values.empty()) {
    out += "    values:\n";
    for (const Parameter* p : t.unit_values)
      ex_ante_entry(out, "      ", m, *p);
  }
  out += "\n# Monitoring periods: dates YYYY-MM-DD, both inclusive; add one line per period.\n";
  out += "periods:\n";
  out += fmt::format("  - {{id: {0}, from: {0}, to: {0}}}\n", blank);
  if (m.compiled->reads_past) history_entry(out, m);
}

// The data sources: one for the units' monitored values, one for the site's.
void data_sources(std::string& out, const TemplateParameters& t) {
  if (!t.monitored.empty()) {
    out += "\n";
    comment(out, "",
            "Monitoring data: a CSV file with a timestamp column, a column naming the unit of "
            "each row (or `unit: UNIT_ID` when the file holds one unit) and a column per "
            "monitored parameter, with the unit its values are in. Several sources may feed "
            "different parameters.");
    out += "data:\n";
    out += "  - id: data1\n";
    out += fmt::format("    file: {}\n", blank);
    source_format(out);
    out += "    # marks: the row covers the interval that starts (start) or ends (end) at its "
           "timestamp\n";
    out += fmt::format("    timestamp: {{column: {}, marks: start}}\n", blank);
    out += fmt::format("    unit: {{column: {}}}\n", blank);
    out += "    columns:\n";
    for (const Parameter* p : t.monitored)
      monitored_entry(out, "      ", *p);
  }
  if (!t.site.empty()) {
    out += t.monitored.empty() ? "\n" : "";
    if (t.monitored.empty()) out += "data:\n";
    comment(out, "  ",
            "Values measured for the whole site: a data source without `unit`, its rows "
            "the site's.");
    out += "  - id: site\n";
    out += fmt::format("    file: {}\n", blank);
    source_format(out);
    out += fmt::format("    timestamp: {{column: {}, marks: start}}\n", blank);
    out += "    columns:\n";
    for (const Parameter* p : t.site)
      monitored_entry(out, "      ", *p);
  }
}

// The methodology's fixed values, for information.
void fixed_values(std::string& out, const TemplateParameters& t) {
  if (t.fixed.empty()) return;
  out += "\n# Fixed by the methodology (for information; not given in this file):\n";
  for (const Parameter* p : t.fixed) {
    const std::string value = p->value ? number(*p->value) + " " + p->unit.text
                                       : one_line(p->formula) + " [" + p->unit.text + "]";
    comment(out, "", fmt::format("{} = {}: {}", p->id, value, one_line(p->description)), "", "  ");
    detail(out, "", "source: " + describe_source(p->source));
  }
}

} // namespace

std::string render_project_template(const Methodology& methodology, std::string_view requested) {
  const TemplateParameters t = by_place(methodology);
  std::string out;
  header(out, methodology, requested);
  values_units_periods(out, methodology, t);
  data_sources(out, t);
  fixed_values(out, t);
  return out;
}

} // namespace mrv
