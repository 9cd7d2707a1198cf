// `mrv verify` output lines (mrv.verify/1) and the summary texts.
#include "mrv/render_verify.hpp"

#include "render/render_common.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mrv {
namespace {

using detail::JsonWriter;

// A difference of two doubles carries the noise of both (1335.490540246 −
// 1335.5 is −0.00945975400009047): shown at 15 significant digits, as a
// spreadsheet would, it reads −0.00945975400009.
double shown_difference(double a, double b) {
  return at_15_significant_digits(a - b);
}

void optional_number(JsonWriter& w, std::string_view key, const std::optional<double>& value) {
  w.key(key);
  if (value)
    w.value(*value);
  else
    w.null();
}

void checks(JsonWriter& w, std::string_view key, const std::vector<ValueCheck>& list) {
  w.key(key);
  w.begin_object();
  for (const ValueCheck& c : list) {
    w.key(c.name);
    w.begin_object();
    optional_number(w, "claimed", c.claimed);
    optional_number(w, "computed", c.computed);
    std::optional<double> difference;
    if (c.claimed && c.computed) difference = shown_difference(*c.computed, *c.claimed);
    optional_number(w, "difference", difference);
    w.key("match");
    if (c.match)
      w.value(*c.match);
    else
      w.null();
    w.end_object();
  }
  w.end_object();
}

void methodology(JsonWriter& w, const PeriodVerdict& v) {
  w.key("methodology");
  if (v.methodology.empty()) {
    w.null();
    return;
  }
  w.begin_object();
  w.member("id", v.methodology);
  w.member("version", v.methodology_version);
  w.key("tables");
  w.begin_object();
  for (const auto& [id, version] : v.tables)
    w.member(id, version);
  w.end_object();
  w.end_object();
}

void inputs(JsonWriter& w, const std::vector<InputFile>& list) {
  w.key("inputs");
  w.begin_array();
  for (const InputFile& input : list) {
    w.begin_object();
    w.member("role", input.role);
    w.member("path", input.path);
    w.member("sha256", input.sha256);
    w.end_object();
  }
  w.end_array();
}

void against(JsonWriter& w, const Movement& m) {
  w.key("against");
  w.begin_object();
  w.member("found", m.found);
  w.key("previous_status");
  if (m.previous_status)
    w.value(verify_status_name(*m.previous_status));
  else
    w.null();
  w.key("moved");
  w.begin_array();
  for (const Movement::Value& value : m.moved) {
    w.begin_object();
    w.member("name", value.name);
    optional_number(w, "previous", value.previous);
    optional_number(w, "now", value.now);
    std::optional<double> difference;
    if (value.previous && value.now) difference = shown_difference(*value.now, *value.previous);
    optional_number(w, "difference", difference);
    w.end_object();
  }
  w.end_array();
  w.key("changes");
  w.begin_array();
  for (const Movement::Change& change : m.changes) {
    w.begin_object();
    w.member("what", change.what);
    w.member("subject", change.subject);
    w.member("previous", change.previous);
    w.member("now", change.now);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

std::string signed_number(double value) {
  return value > 0 ? "+" + format_number(value) : format_number(value);
}

std::string optional_text(const std::optional<double>& value) {
  return value ? format_number(*value) : "none";
}

std::string short_hash(const std::string& hash) {
  return hash.size() > 12 ? hash.substr(0, 12) : hash;
}

std::string describe_change(const Movement::Change& c) {
  auto or_none = [](const std::string& text) { return text.empty() ? "none" : text; };
  if (c.what == "mrv_version") return fmt::format("mrv {} -> {}", c.previous, c.now);
  if (c.what == "methodology") return fmt::format("methodology {} -> {}", c.previous, c.now);
  if (c.what == "methodology_version")
    return fmt::format("methodology version {} -> {}", c.previous, c.now);
  if (c.what == "table")
    return fmt::format("table {} version {} -> {}", c.subject, or_none(c.previous), or_none(c.now));
  if (c.what == "input")
    return fmt::format("{} sha256 {} -> {}", c.subject, short_hash(c.previous), short_hash(c.now));
  if (c.what == "input_path") return fmt::format("{} path {} -> {}", c.subject, c.previous, c.now);
  if (c.what == "claimed") return fmt::format("claimed {} {} -> {}", c.subject, c.previous, c.now);
  if (c.what == "error")
    return fmt::format("error '{}' -> '{}'", or_none(c.previous), or_none(c.now));
  return fmt::format("{} {} -> {}", c.what, c.previous, c.now);
}

} // namespace

std::string render_verdict_line(const PeriodVerdict& v, const Movement* movement) {
  JsonWriter w(false);
  w.begin_object();
  w.member("format", "mrv.verify/1");
  w.member("id", v.id);
  w.member("period", v.period);
  w.member("status", verify_status_name(v.status));
  w.key("project");
  if (v.project.empty())
    w.null();
  else
    w.value(v.project);
  methodology(w, v);
  w.member("mrv_version", v.mrv_version);
  inputs(w, v.inputs);
  w.key("tolerance");
  w.begin_object();
  w.member("absolute", v.tolerance.absolute);
  w.member("relative", v.tolerance.relative);
  w.member("credited", v.tolerance.credited);
  w.end_object();
  checks(w, "values", v.values);
  checks(w, "allocation", v.allocation);
  w.key("scheme_check");
  if (v.scheme_check) {
    w.begin_object();
    w.member("scheme", v.scheme_check->scheme);
    w.member("passed", v.scheme_check->passed);
    w.member("minimum", v.scheme_check->minimum);
    w.member("actual", v.scheme_check->actual);
    w.end_object();
  } else {
    w.null();
  }
  w.key("error");
  if (v.error.empty())
    w.null();
  else
    w.value(v.error);
  if (movement) against(w, *movement);
  w.end_object();
  return w.text() + "\n";
}

std::string describe_verdict(const PeriodVerdict& v) {
  const std::string head = fmt::format("{} {}: {}", v.id, v.period, verify_status_name(v.status));
  if (v.status == VerifyStatus::error) return head + ": " + v.error;
  std::vector<std::string> parts;
  auto add = [&](const ValueCheck& c, const std::string& prefix) {
    if (c.match != false) return;
    parts.push_back(fmt::format("{}{} claimed {}, computed {} ({})", prefix, c.name,
                                optional_text(c.claimed), optional_text(c.computed),
                                signed_number(shown_difference(*c.computed, *c.claimed))));
  };
  for (const ValueCheck& c : v.values)
    add(c, "");
  for (const ValueCheck& c : v.allocation)
    add(c, "allocation ");
  if (v.scheme_check && !v.scheme_check->passed)
    parts.push_back(fmt::format("scheme {}: japan {}, below the minimum {}", v.scheme_check->scheme,
                                v.scheme_check->actual, v.scheme_check->minimum));
  if (parts.empty()) return head;
  return head + ": " + fmt::format("{}", fmt::join(parts, "; "));
}

std::string describe_movement(const PeriodVerdict& v, const Movement& m) {
  std::vector<std::string> moved;
  if (m.previous_status && *m.previous_status != v.status)
    moved.push_back(fmt::format("status {} -> {}", verify_status_name(*m.previous_status),
                                verify_status_name(v.status)));
  for (const Movement::Value& value : m.moved) {
    std::string text = fmt::format("{} {} -> {}", value.name, optional_text(value.previous),
                                   optional_text(value.now));
    if (value.previous && value.now)
      text += fmt::format(" ({})", signed_number(shown_difference(*value.now, *value.previous)));
    moved.push_back(std::move(text));
  }
  std::vector<std::string> causes;
  for (const Movement::Change& c : m.changes)
    causes.push_back(describe_change(c));
  const std::string because =
      causes.empty() ? "nothing this run can see changed (same engine version, methodology, "
                       "tables, inputs and claims)"
                     : fmt::format("{}", fmt::join(causes, ", "));
  return fmt::format("{} {}: {}; because: {}", v.id, v.period, fmt::join(moved, ", "), because);
}

void VerifyCounts::add(const PeriodVerdict& verdict) {
  ++lines;
  switch (verdict.status) {
  case VerifyStatus::match:
    ++match;
    break;
  case VerifyStatus::mismatch:
    ++mismatch;
    break;
  case VerifyStatus::error:
    ++error;
    break;
  }
}

std::string describe_counts(const VerifyCounts& c, std::size_t of) {
  const std::size_t projects = of != 0 ? of : c.projects;
  return fmt::format("{}{} project{}, {} period{}: {} match, {} mismatch, {} error",
                     of != 0 ? fmt::format("{} of ", c.projects) : "", projects,
                     projects == 1 ? "" : "s", c.lines, c.lines == 1 ? "" : "s", c.match,
                     c.mismatch, c.error);
}

} // namespace mrv
