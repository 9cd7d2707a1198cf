// --against: what moved since an earlier run, and what differs between the
// two runs that can explain it (engine version, methodology version, default
// table versions, input hashes, tolerances, claims).
#include "mrv/verify.hpp"

#include "mrv/numbers.hpp" // format_number

#include <fmt/format.h>

namespace mrv {
namespace {

// Not inlined: GCC 12, seeing fmt's code inlined too (header-only fmt),
// warns that the optional's value may be read uninitialized (a false alarm).
[[gnu::noinline]] std::string optional_number(const std::optional<double>& value) {
  return value ? format_number(*value) : "none";
}

std::string tolerance_text(const Tolerance& t) {
  return fmt::format("absolute {}, relative {}, credited {}", format_number(t.absolute),
                     format_number(t.relative), t.credited);
}

const ValueCheck* named(const std::vector<ValueCheck>& checks, const std::string& name) {
  for (const ValueCheck& c : checks)
    if (c.name == name) return &c;
  return nullptr;
}

// Every name of `now`, then those only `previous` has: a value that
// disappeared has moved too.
std::vector<std::string> names(const std::vector<ValueCheck>& previous,
                               const std::vector<ValueCheck>& now) {
  std::vector<std::string> out;
  for (const ValueCheck& c : now)
    out.push_back(c.name);
  for (const ValueCheck& c : previous)
    if (!named(now, c.name)) out.push_back(c.name);
  return out;
}

void compare_checks(const std::vector<ValueCheck>& previous, const std::vector<ValueCheck>& now,
                    const std::string& prefix, Movement& m) {
  for (const std::string& name : names(previous, now)) {
    const ValueCheck* p = named(previous, name);
    const ValueCheck* n = named(now, name);
    const std::optional<double> was = p ? p->computed : std::nullopt;
    const std::optional<double> is = n ? n->computed : std::nullopt;
    if (was != is) m.moved.push_back({prefix + name, was, is});
    const std::optional<double> claimed_was = p ? p->claimed : std::nullopt;
    const std::optional<double> claimed_is = n ? n->claimed : std::nullopt;
    if (claimed_was != claimed_is)
      m.changes.push_back(
          {"claimed", prefix + name, optional_number(claimed_was), optional_number(claimed_is)});
  }
}

void compare_tables(const PeriodVerdict& previous, const PeriodVerdict& now, Movement& m) {
  auto version = [](const PeriodVerdict& v, const std::string& id) -> std::string {
    for (const auto& [table, text] : v.tables)
      if (table == id) return text;
    return "";
  };
  std::vector<std::string> ids;
  for (const auto& [id, text] : now.tables)
    ids.push_back(id);
  for (const auto& [id, text] : previous.tables)
    if (version(now, id).empty()) ids.push_back(id);
  for (const std::string& id : ids)
    if (version(previous, id) != version(now, id))
      m.changes.push_back({"table", id, version(previous, id), version(now, id)});
}

// Inputs are paired by role and rank within the role (the first data file
// with the first data file): paths may move while the contents stay.
void compare_inputs(const PeriodVerdict& previous, const PeriodVerdict& now, Movement& m) {
  auto of_role = [](const PeriodVerdict& v, const std::string& role) {
    std::vector<const InputFile*> out;
    for (const InputFile& input : v.inputs)
      if (input.role == role) out.push_back(&input);
    return out;
  };
  for (const char* role : {"methodology", "table", "project", "data"}) {
    const std::vector<const InputFile*> was = of_role(previous, role), is = of_role(now, role);
    for (std::size_t i = 0; i < std::max(was.size(), is.size()); ++i) {
      const InputFile* p = i < was.size() ? was[i] : nullptr;
      const InputFile* n = i < is.size() ? is[i] : nullptr;
      const std::string subject = fmt::format("{} {}", role, n ? n->path : p->path);
      if (p && n && p->path != n->path) m.changes.push_back({"input_path", role, p->path, n->path});
      if (!p || !n || p->sha256 != n->sha256)
        m.changes.push_back({"input", subject, p ? p->sha256 : "none", n ? n->sha256 : "none"});
    }
  }
}

void compare_text(const char* what, const std::string& was, const std::string& is, Movement& m) {
  if (was != is) m.changes.push_back({what, "", was, is});
}

} // namespace

Movement compare_with_previous(const PeriodVerdict* previous, const PeriodVerdict& now) {
  Movement m;
  if (!previous) return m;
  m.found = true;
  m.previous_status = previous->status;
  compare_checks(previous->values, now.values, "", m);
  compare_checks(previous->allocation, now.allocation, "allocation ", m);
  compare_text("mrv_version", previous->mrv_version, now.mrv_version, m);
  compare_text("methodology", previous->methodology, now.methodology, m);
  compare_text("methodology_version", previous->methodology_version, now.methodology_version, m);
  compare_tables(*previous, now, m);
  compare_inputs(*previous, now, m);
  if (previous->tolerance != now.tolerance)
    m.changes.push_back(
        {"tolerance", "", tolerance_text(previous->tolerance), tolerance_text(now.tolerance)});
  compare_text("error", previous->error, now.error, m);
  return m;
}

std::vector<const PeriodVerdict*>
missing_from_run(const PreviousRun& previous,
                 const std::set<std::pair<std::string, std::string>>& produced,
                 const Shard& shard) {
  std::vector<const PeriodVerdict*> out;
  for (const PeriodVerdict& line : previous.lines)
    if (in_shard(line.id, shard) && !produced.contains({line.id, line.period}))
      out.push_back(&line);
  return out;
}

} // namespace mrv
