// Where scheme files are found ($MRV_SCHEMES, then the library's schemes/),
// what they are called, and a scheme by the name a user gives it.
#include "base/try.hpp"
#include "mrv/scheme.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace mrv {
namespace {

namespace fs = std::filesystem;

bool is_path(const std::string& name) {
  return name.find('/') != std::string::npos || name.ends_with(".yaml");
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "fgas-FY2022" → {fgas, 2022}; nothing for a name of another shape
// (useful-lives-JP.yaml shares the folder).
std::optional<SchemeFile> scheme_file_named(const fs::path& path) {
  const std::string stem = path.stem().string();
  const std::size_t fy = stem.rfind("-FY");
  if (fy == std::string::npos || fy == 0 || stem.size() != fy + 7) return std::nullopt;
  const std::string year = stem.substr(fy + 3);
  if (!std::all_of(year.begin(), year.end(), is_digit)) return std::nullopt;
  const std::string programme = stem.substr(0, fy);
  if (programme.front() < 'a' || programme.front() > 'z') return std::nullopt;
  return SchemeFile{stem, programme, std::stoi(year), path.string()};
}

Status add_folder(const std::string& folder, std::vector<SchemeFile>& files) {
  std::error_code ec;
  fs::directory_iterator it(folder, ec);
  if (ec) {
    Diagnostic d = cannot_open(folder, ec.message());
    d.notes.push_back("scheme files are read from each folder of $MRV_SCHEMES, then the "
                      "library's schemes/ (docs/schemes.md)");
    return d;
  }
  for (fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return cannot_open(folder, ec.message());
    if (!it->is_regular_file(ec) || it->path().extension() != ".yaml") continue;
    std::optional<SchemeFile> file = scheme_file_named(it->path());
    if (!file) continue;
    const bool hidden = std::any_of(files.begin(), files.end(),
                                    [&](const SchemeFile& f) { return f.id == file->id; });
    if (!hidden) files.push_back(std::move(*file));
  }
  return Ok{};
}

Expected<std::vector<SchemeFile>> listed_files() {
  std::vector<SchemeFile> files;
  for (const std::string& folder : scheme_directories())
    MRV_TRY(add_folder(folder, files));
  std::sort(files.begin(), files.end(),
            [](const SchemeFile& a, const SchemeFile& b) { return a.id < b.id; });
  return files;
}

std::vector<std::string> programmes_of(const std::vector<SchemeFile>& files) {
  std::vector<std::string> out;
  for (const SchemeFile& f : files)
    if (std::find(out.begin(), out.end(), f.programme) == out.end()) out.push_back(f.programme);
  std::sort(out.begin(), out.end());
  return out;
}

std::string choices_of(const std::vector<SchemeFile>& files) {
  std::vector<std::string> ids;
  for (const SchemeFile& f : files)
    ids.push_back(f.id);
  return fmt::format("a scheme file: {}; a programme, for its latest fiscal year: {}; or none",
                     fmt::join(ids, ", "), fmt::join(programmes_of(files), ", "));
}

Diagnostic unknown_scheme(const std::string& name, const std::vector<SchemeFile>& files) {
  Diagnostic d;
  d.code = ExitCode::usage;
  d.message = fmt::format("unknown scheme '{}' ({})", name, choices_of(files));
  std::vector<std::string> names = programmes_of(files);
  for (const SchemeFile& f : files)
    names.push_back(f.id);
  names.push_back("none");
  if (const std::string hint = closest_match(name, names); !hint.empty())
    d.notes.push_back(fmt::format("did you mean '{}'?", hint));
  d.notes.push_back(fmt::format("scheme files are read from {} ($MRV_SCHEMES names folders "
                                "read first; docs/schemes.md)",
                                fmt::join(scheme_directories(), ", then ")));
  return d;
}

// The file of an id, or the latest fiscal year of a programme.
const SchemeFile* file_named(const std::string& name, const std::vector<SchemeFile>& files) {
  const SchemeFile* latest = nullptr;
  for (const SchemeFile& f : files) {
    if (f.id == name) return &f;
    if (f.programme == name && (!latest || f.fiscal_year > latest->fiscal_year)) latest = &f;
  }
  return latest;
}

} // namespace

std::vector<std::string> scheme_directories() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("MRV_SCHEMES"); env && *env) {
    const std::string_view list = env;
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t colon = std::min(list.find(':', start), list.size());
      if (colon > start) out.emplace_back(list.substr(start, colon - start));
      start = colon + 1;
    }
  }
  out.push_back((fs::path(methodology_directory()) / "schemes").string());
  return out;
}

std::vector<SchemeFile> scheme_files() {
  Expected<std::vector<SchemeFile>> files = listed_files();
  return files ? std::move(*files) : std::vector<SchemeFile>{};
}

std::vector<std::string> scheme_programmes() {
  return programmes_of(scheme_files());
}

std::string scheme_choices() {
  const Expected<std::vector<SchemeFile>> files = listed_files();
  if (!files)
    return fmt::format("the scheme files cannot be listed: {}: {}", files.error().where.file,
                       files.error().message);
  return choices_of(*files);
}

Expected<Scheme> find_scheme(const std::string& name, const std::string& base_dir) {
  if (is_path(name)) {
    const fs::path path(name);
    if (base_dir.empty() || path.is_absolute()) return load_scheme_file(name);
    return load_scheme_file((fs::path(base_dir) / path).lexically_normal().string());
  }
  if (name == "none") {
    Diagnostic d;
    d.code = ExitCode::usage;
    d.message = "scheme none is no scheme file: it has no rule to check and no thresholds";
    return d;
  }
  const std::vector<SchemeFile> files = MRV_TRY(listed_files());
  if (const SchemeFile* file = file_named(name, files)) return load_scheme_file(file->path);
  return unknown_scheme(name, files);
}

Expected<SchemeRule> find_scheme_rule(const std::string& name, const std::string& base_dir) {
  if (name == "none") return no_scheme_rule();
  const Scheme scheme = MRV_TRY(find_scheme(name, base_dir));
  SchemeRule rule = scheme.allocation;
  // Results name the rule as it was asked for: "fgas" stays "fgas".
  if (!is_path(name)) rule.id = name;
  return rule;
}

std::vector<std::string> subsidy_ratio_programmes() {
  std::vector<std::string> out;
  for (const std::string& programme : scheme_programmes()) {
    const Expected<Scheme> scheme = find_scheme(programme);
    if (scheme && scheme->allocation.subsidy_ratio) out.push_back(programme);
  }
  return out;
}

} // namespace mrv
