// The reader of `mrv calc --format json` results for the pipeline form of
// `mrv allocate` (docs/calc-json.md): only what allocation needs.
#include "base/try.hpp"
#include "mrv/allocate.hpp"

#include "credits/credit_limits.hpp"
#include "data/sha256.hpp"
#include "data/yaml_tree.hpp"
#include "engine/calc_json_keys.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace mrv {

namespace {

namespace keys = detail::calc_json; // the names the reader and writer share

Diagnostic invalid(const std::string& file, std::string message) {
  Diagnostic d = error_at(Location{file, 0, 0}, std::move(message));
  d.notes.push_back("expected the output of `mrv calc --format json`");
  return d;
}

// Line, column and text of the line at a byte offset.
Location location_at(const std::string& file, std::string_view text, std::size_t offset,
                     std::string& line_text) {
  offset = std::min(offset, text.size());
  const std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t begin =
      line_start == std::string_view::npos || offset == 0 ? 0 : line_start + 1;
  std::size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  line_text = std::string(text.substr(begin, end - begin));
  if (!line_text.empty() && line_text.back() == '\r') line_text.pop_back();
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + begin, '\n')) + 1;
  return Location{file, line, static_cast<int>(offset - begin) + 1};
}

Diagnostic json_syntax_error(const std::string& file, std::string_view text,
                             const nlohmann::json::parse_error& e) {
  std::string message = e.what();
  // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
  if (const std::size_t colon = message.find(": ", message.find("parse error"));
      colon != std::string::npos)
    message = message.substr(colon + 2);
  std::string line_text;
  // e.byte is the 1-based position of the byte that could not be read.
  const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
  Diagnostic d = error_at(location_at(file, text, offset, line_text), "invalid JSON: " + message);
  d.source_line = line_text;
  if (text.starts_with("period,") || text.starts_with("period\t"))
    d.notes.push_back("this looks like CSV or TSV: run `mrv calc` with --format json");
  else if (message.find("expected end of input") != std::string::npos)
    d.notes.push_back("this looks like several JSON documents (jsonl): run `mrv calc` with "
                      "--format json");
  else
    d.notes.push_back("expected the output of `mrv calc --format json`");
  return d;
}

Expected<std::string> text_member(const std::string& file, const nlohmann::json& object,
                                  const char* name, const std::string& where, bool required) {
  const auto found = object.find(name);
  if (found == object.end() || found->is_null()) {
    if (!required) return std::string();
    return invalid(file, fmt::format("{} has no '{}'", where, name));
  }
  if (!found->is_string()) return invalid(file, fmt::format("{}.{} must be a text", where, name));
  return found->get<std::string>();
}

Expected<std::int64_t> credited_member(const std::string& file, const nlohmann::json& period,
                                       const std::string& where) {
  const auto found = period.find(keys::credited);
  if (found == period.end())
    return invalid(file, fmt::format("{} has no 'credited' amount", where));
  if (found->is_null())
    return invalid(file,
                   fmt::format("{}.credited is null: the period has no credited amount", where));
  if (found->is_number_unsigned()) {
    const std::uint64_t value = found->get<std::uint64_t>();
    if (value > static_cast<std::uint64_t>(detail::max_credits))
      return invalid(
          file, fmt::format("{}.credited is {}, more than {}", where, value, detail::max_credits));
    return static_cast<std::int64_t>(value);
  }
  if (found->is_number_integer())
    return invalid(file, fmt::format("{}.credited is {}: credits cannot be negative", where,
                                     found->get<std::int64_t>()));
  return invalid(file, fmt::format("{}.credited must be a whole number of tCO2, got {}", where,
                                   found->dump()));
}

Expected<CalcCredits::Period> read_period(const std::string& file, const nlohmann::json& period,
                                          std::size_t index) {
  const std::string where = fmt::format("periods[{}]", index);
  if (!period.is_object()) return invalid(file, fmt::format("{} must be an object", where));
  CalcCredits::Period p;
  p.id = MRV_TRY(text_member(file, period, keys::id, where, true));
  p.from = MRV_TRY(text_member(file, period, keys::from, where, false));
  p.to = MRV_TRY(text_member(file, period, keys::to, where, false));
  p.credited = MRV_TRY(credited_member(file, period, where));
  return p;
}

Expected<std::string> read_all(const std::string& path) {
  constexpr std::size_t max_bytes = std::size_t{1} << 30;
  if (path != "-") return detail::read_text_file(path, max_bytes);
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      return cannot_open("<stdin>", std::strerror(errno));
    }
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > max_bytes)
      return error_at(Location{"<stdin>", 0, 0},
                      fmt::format("input is larger than {} bytes", max_bytes));
  }
  return text;
}

} // namespace

Expected<CalcCredits> parse_calc_credits(std::string_view text, const std::string& file_name) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return invalid(file_name, "no input: the calc result is empty");
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return json_syntax_error(file_name, text, e);
  }
  if (!document.is_object()) return invalid(file_name, "the calc result must be a JSON object");

  CalcCredits result;
  result.path = file_name;
  result.sha256 = detail::sha256_hex(text);
  result.format = MRV_TRY(text_member(file_name, document, keys::format, "the calc result", false));
  if (!result.format.empty() && result.format != keys::format_name)
    return invalid(file_name, fmt::format("unsupported format '{}' (this mrv reads {})",
                                          result.format, keys::format_name));
  result.project =
      MRV_TRY(text_member(file_name, document, keys::project, "the calc result", false));
  if (const auto m = document.find(keys::methodology); m != document.end() && m->is_object()) {
    result.methodology = MRV_TRY(text_member(file_name, *m, keys::id, "methodology", false));
    result.methodology_version =
        MRV_TRY(text_member(file_name, *m, keys::version, "methodology", false));
  }
  const auto periods = document.find(keys::periods);
  if (periods == document.end()) return invalid(file_name, "the calc result has no 'periods'");
  if (!periods->is_array()) return invalid(file_name, "'periods' must be an array");
  if (periods->empty()) return invalid(file_name, "the calc result has no periods");
  for (std::size_t i = 0; i < periods->size(); ++i) {
    CalcCredits::Period period = MRV_TRY(read_period(file_name, (*periods)[i], i));
    for (const CalcCredits::Period& seen : result.periods)
      if (seen.id == period.id)
        return invalid(file_name, fmt::format("period '{}' appears twice", period.id));
    result.periods.push_back(std::move(period));
  }
  return result;
}

Expected<CalcCredits> read_calc_credits(const std::string& path) {
  const std::string text = MRV_TRY(read_all(path));
  CalcCredits result = MRV_TRY(parse_calc_credits(text, path == "-" ? "<stdin>" : path));
  result.path = path;
  return result;
}

} // namespace mrv
