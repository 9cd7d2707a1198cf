// The box of unconfirmed values at the top of the report and the mark in the
// parameters tables: a verifier sees, without opening the methodology file,
// which assumptions each credited amount rests on.
#include "report/section_assumptions.hpp"

#include "mrv/numbers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace mrv::detail {

namespace {

std::string source_line(const Provenance& p) {
  std::string text = p.document.empty() ? "no source given" : p.document;
  if (!p.section.empty()) text += ", " + p.section;
  if (!p.note.empty()) text += " (" + p.note + ")";
  return text;
}

struct Entry {
  const Unconfirmed* value;
  std::vector<std::string> periods;
};

// Each value once, in the order the periods list them, with the periods
// that depend on it.
std::vector<Entry> entries(const Report& report) {
  std::vector<Entry> out;
  for (const ReportPeriod& period : report.periods)
    for (const Unconfirmed& u : period.period.unconfirmed) {
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const Entry& e) { return e.value->name == u.name; });
      if (it == out.end()) it = out.insert(out.end(), Entry{&u, {}});
      it->periods.push_back(period.period.period);
    }
  return out;
}

std::string item_text(const Entry& e, std::size_t period_count) {
  const Unconfirmed& u = *e.value;
  std::string text = u.name;
  if (u.value) text += " = " + format_quantity(*u.value, u.unit);
  if (!u.description.empty()) text += ": " + u.description;
  text += "; source: " + source_line(u.source);
  if (e.periods.size() < period_count)
    text += "; periods " + fmt::format("{}", fmt::join(e.periods, ", "));
  if (u.accepted) text += "; accepted (--accept-unconfirmed)";
  return text;
}

} // namespace

std::vector<DocBlock> assumptions_blocks(const Report& report) {
  const std::vector<Entry> all = entries(report);
  if (all.empty()) return {};
  DocBlock box;
  box.kind = DocBlock::Kind::notice;
  box.id = "unconfirmed";
  box.title = fmt::format("This result depends on {} value{} not confirmed against the official "
                          "methodology text",
                          all.size(), all.size() == 1 ? "" : "s");
  box.text = "Each is the team's working reading or a placeholder until it is checked; mrv calc "
             "--strict and mrv report --strict refuse a result that depends on one not accepted "
             "by name (--accept-unconfirmed). Parameters among them are marked † in the "
             "parameters tables.";
  for (const Entry& e : all)
    box.items.push_back(item_text(e, report.periods.size()));
  return {box};
}

std::string unconfirmed_mark(const SliceResult& period, const std::string& parameter) {
  for (const Unconfirmed& u : period.unconfirmed)
    if (u.kind == "parameter" && u.name == parameter) return u.accepted ? " † accepted" : " †";
  return "";
}

std::string unconfirmed_legend(const SliceResult& period) {
  const bool any = std::any_of(period.unconfirmed.begin(), period.unconfirmed.end(),
                               [](const Unconfirmed& u) { return u.kind == "parameter"; });
  return any ? " († not confirmed against the official methodology text: see the box at the top)"
             : "";
}

} // namespace mrv::detail
