// The bundled methodology library and readable equations.
#include "model/compiled_methodology.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace mrv {

namespace {
// "9.0" < "10.0": versions compare number by number.
bool version_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    long x = 0, y = 0;
    while (i < a.size() && a[i] != '.')
      x = x * 10 + (a[i++] - '0');
    while (j < b.size() && b[j] != '.')
      y = y * 10 + (b[j++] - '0');
    if (x != y) return x < y;
    ++i, ++j;
  }
  return false;
}
} // namespace

std::string methodology_directory() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("MRV_METHODOLOGIES"); env && *env) return env;
  std::error_code ec;
  if (fs::is_directory(MRV_SOURCE_METHODOLOGIES, ec)) return MRV_SOURCE_METHODOLOGIES;
  return MRV_INSTALLED_METHODOLOGIES;
}

std::string table_directory() {
  return methodology_directory() + "/tables";
}

std::string library_relative_path(const std::string& path) {
  const std::string library = methodology_directory() + "/";
  if (path.starts_with(library)) return "bundled/" + path.substr(library.size());
  return path;
}

std::vector<std::string> bundled_methodology_files() {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(methodology_directory(), ec), end; !ec && it != end;
       it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".yaml")
      files.push_back(it->path().string());
  std::sort(files.begin(), files.end());
  return files;
}

Expected<Methodology> find_methodology(const std::string& wanted) {
  if (wanted.find('/') != std::string::npos || wanted.ends_with(".yaml"))
    return load_methodology_file(wanted);
  // Bundled files are named after the full id: JCM_MN_AM003_ver02.0.yaml.
  std::vector<std::string> known;
  std::string best_file, best_version;
  for (const std::string& file : bundled_methodology_files()) {
    std::string stem = std::filesystem::path(file).stem().string();
    known.push_back(stem);
    if (stem == wanted) return load_methodology_file(file);
    std::size_t ver = stem.rfind("_ver");
    if (ver != std::string::npos && stem.substr(0, ver) == wanted) {
      std::string version = stem.substr(ver + 4);
      if (best_file.empty() || version_less(best_version, version))
        best_file = file, best_version = version;
    }
  }
  if (!best_file.empty()) return load_methodology_file(best_file);
  Diagnostic d = error_at(Location{}, fmt::format("no bundled methodology '{}' in {}", wanted,
                                                  methodology_directory()));
  d.code = ExitCode::cannot_open;
  std::string hint = closest_match(wanted, known);
  if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
  return d;
}

std::string describe_equation(const Methodology& m, const std::string& parameter_id) {
  const Parameter* p = m.parameter(parameter_id);
  if (!p || !m.compiled) return "";
  std::size_t index = static_cast<std::size_t>(p - m.parameters.data());
  const CompiledParameter& cp = m.compiled->parameters[index];
  if (!cp.has_formula) return "";
  return fmt::format("{} = {}", p->id, detail::format_expr(cp.formula.expr));
}

} // namespace mrv
