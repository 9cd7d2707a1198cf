#include "mrv/diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mrv {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = "mrv: ";
  if (!d.where.file.empty()) {
    out += d.where.file;
    if (d.where.line > 0) {
      out += fmt::format(":{}", d.where.line);
      if (d.where.column > 0) out += fmt::format(":{}", d.where.column);
    }
    out += ": ";
  }
  out += (d.severity == Severity::warning ? "warning: " : "error: ") + d.message + "\n";
  if (!d.source_line.empty() && d.where.column > 0) {
    out += "  " + d.source_line + "\n";
    // Keep tabs in the padding so the caret lines up under tabbed text.
    std::string pad;
    for (int i = 0; i + 1 < d.where.column && i < static_cast<int>(d.source_line.size()); ++i)
      pad += d.source_line[static_cast<std::size_t>(i)] == '\t' ? '\t' : ' ';
    out += "  " + pad + "^" +
           std::string(static_cast<std::size_t>(std::max(0, d.caret_length - 1)), '~') + "\n";
  }
  for (const std::string& note : d.notes)
    out += "mrv: note: " + note + "\n";
  return out;
}

Diagnostic error_at(Location where, std::string message) {
  Diagnostic d;
  d.where = std::move(where);
  d.message = std::move(message);
  return d;
}

Diagnostic cannot_open(const std::string& path, const std::string& reason) {
  Diagnostic d;
  d.code = ExitCode::cannot_open;
  d.message = fmt::format("cannot open '{}': {}", path, reason);
  return d;
}

namespace {
// Optimal string alignment distance (Levenshtein plus transpositions).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}
} // namespace

std::string closest_match(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const std::string& c : candidates) {
    std::size_t distance = edit_distance(name, c);
    if (distance < best_distance) {
      best_distance = distance;
      best = c;
    }
  }
  return best;
}

} // namespace mrv
