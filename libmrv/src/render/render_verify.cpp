// `mrv verify` output lines (mrv.verify/1) and the summary texts.
#include "mrv/render_verify.hpp"

#include "render/render_common.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mrv {
namespace {

using detail::JsonWriter;

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
  parts.insert(parts.end(), v.uses.begin(), v.uses.end());
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
