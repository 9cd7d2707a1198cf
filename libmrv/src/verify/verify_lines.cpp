// The `mrv verify` output line, format mrv.verify/1 (docs/verify.md), in one
// place: written from a PeriodVerdict (JsonWriter, for byte-identical
// numbers) and read back into one for --against (nlohmann-json, strictly).
#include "base/try.hpp"
#include "mrv/verify.hpp"

#include "data/json_writer.hpp"
#include "data/yaml_tree.hpp" // read_text_file

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace mrv {
namespace {

// ---- Writing

using detail::JsonWriter;

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

// ---- Reading

using Json = nlohmann::ordered_json; // keeps the order of allocation parties

// Members are read strictly: a line that does not say what this version
// writes is refused rather than half understood.
class LineReader {
public:
  LineReader(const std::string& file, int line) : file_(file), line_(line) {}

  Diagnostic error(std::string message, int column = 0) const {
    return error_at(Location{file_, line_, column}, std::move(message));
  }

  Expected<const Json*> member(const Json& object, const char* key) const {
    const auto it = object.find(key);
    if (it == object.end()) return error(fmt::format("missing member '{}'", key));
    return &*it;
  }

  Expected<std::string> text(const Json& object, const char* key, bool nullable = false) const {
    const Json* value = MRV_TRY(member(object, key));
    if (nullable && value->is_null()) return std::string();
    if (!value->is_string()) return error(fmt::format("member '{}' must be a string", key));
    return value->get<std::string>();
  }

  Expected<std::optional<double>> number(const Json& object, const char* key) const {
    const Json* value = MRV_TRY(member(object, key));
    if (value->is_null()) return std::optional<double>();
    if (!value->is_number()) return error(fmt::format("member '{}' must be a number", key));
    return std::optional<double>(value->get<double>());
  }

  Expected<const Json*> object(const Json& parent, const char* key, bool nullable = false) const {
    const Json* value = MRV_TRY(member(parent, key));
    if (nullable && value->is_null()) return value;
    if (!value->is_object()) return error(fmt::format("member '{}' must be an object", key));
    return value;
  }

  Expected<ValueCheck> check(const std::string& name, const Json& value) const {
    if (!value.is_object()) return error(fmt::format("'{}' must be an object", name));
    ValueCheck c;
    c.name = name;
    c.claimed = MRV_TRY(number(value, "claimed"));
    c.computed = MRV_TRY(number(value, "computed"));
    const Json* match = MRV_TRY(member(value, "match"));
    if (match->is_boolean())
      c.match = match->get<bool>();
    else if (!match->is_null())
      return error(fmt::format("'{}.match' must be true, false or null", name));
    return c;
  }

  Expected<std::vector<ValueCheck>> checks(const Json& object) const {
    std::vector<ValueCheck> out;
    for (const auto& [name, value] : object.items())
      out.push_back(MRV_TRY(check(name, value)));
    return out;
  }

  Expected<PeriodVerdict> verdict(const Json& line) const {
    PeriodVerdict v;
    v.id = MRV_TRY(text(line, "id"));
    v.period = MRV_TRY(text(line, "period"));
    const std::string status = MRV_TRY(text(line, "status"));
    const std::optional<VerifyStatus> parsed = parse_verify_status(status);
    if (!parsed) return error(fmt::format("unknown status '{}'", status));
    v.status = *parsed;
    v.project = MRV_TRY(text(line, "project", true));
    const Json* methodology = MRV_TRY(object(line, "methodology", true));
    if (!methodology->is_null()) {
      v.methodology = MRV_TRY(text(*methodology, "id"));
      v.methodology_version = MRV_TRY(text(*methodology, "version"));
      const Json* tables = MRV_TRY(object(*methodology, "tables"));
      for (const auto& [id, version] : tables->items()) {
        if (!version.is_string()) return error(fmt::format("table '{}' must have a string", id));
        v.tables.emplace_back(id, version.get<std::string>());
      }
    }
    v.mrv_version = MRV_TRY(text(line, "mrv_version"));
    const Json* inputs = MRV_TRY(member(line, "inputs"));
    if (!inputs->is_array()) return error("member 'inputs' must be an array");
    for (const Json& input : *inputs) {
      if (!input.is_object()) return error("every input must be an object");
      v.inputs.push_back({MRV_TRY(text(input, "role")), MRV_TRY(text(input, "path")),
                          MRV_TRY(text(input, "sha256"))});
    }
    const Json* tolerance = MRV_TRY(object(line, "tolerance"));
    v.tolerance.absolute = MRV_TRY(number(*tolerance, "absolute")).value_or(0);
    v.tolerance.relative = MRV_TRY(number(*tolerance, "relative")).value_or(0);
    v.tolerance.credited =
        static_cast<std::int64_t>(MRV_TRY(number(*tolerance, "credited")).value_or(0));
    v.values = MRV_TRY(checks(*MRV_TRY(object(line, "values"))));
    v.allocation = MRV_TRY(checks(*MRV_TRY(object(line, "allocation"))));
    const Json* scheme = MRV_TRY(object(line, "scheme_check", true));
    if (!scheme->is_null()) {
      SchemeVerdict s;
      s.scheme = MRV_TRY(text(*scheme, "scheme"));
      const Json* passed = MRV_TRY(member(*scheme, "passed"));
      if (!passed->is_boolean()) return error("member 'passed' must be true or false");
      s.passed = passed->get<bool>();
      s.minimum = static_cast<std::int64_t>(MRV_TRY(number(*scheme, "minimum")).value_or(0));
      s.actual = static_cast<std::int64_t>(MRV_TRY(number(*scheme, "actual")).value_or(0));
      v.scheme_check = s;
    }
    // Lines written before the list was added have none.
    if (const auto it = line.find("unconfirmed"); it != line.end()) {
      if (!it->is_array()) return error("member 'unconfirmed' must be an array");
      for (const Json& name : *it) {
        if (!name.is_string()) return error("every unconfirmed value must be a string");
        v.unconfirmed.push_back(name.get<std::string>());
      }
    }
    v.error = MRV_TRY(text(line, "error", true));
    if (line.contains("uses")) {
      const Json& uses = line["uses"];
      if (!uses.is_array()) return error("member 'uses' must be an array");
      for (const Json& use : uses) {
        if (!use.is_string()) return error("every use must be a string");
        v.uses.push_back(use.get<std::string>());
      }
    }
    return v;
  }

private:
  const std::string& file_;
  int line_;
};

} // namespace

// A difference of two doubles carries the noise of both (1335.490540246 −
// 1335.5 is −0.00945975400009047): shown at 15 significant digits, as a
// spreadsheet would, it reads −0.00945975400009.
double shown_difference(double a, double b) {
  return at_15_significant_digits(a - b);
}

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
  w.member("unconfirmed_count", static_cast<std::int64_t>(v.unconfirmed.size()));
  w.key("unconfirmed");
  w.begin_array();
  for (const std::string& name : v.unconfirmed)
    w.value(name);
  w.end_array();
  w.key("error");
  if (v.error.empty())
    w.null();
  else
    w.value(v.error);
  if (!v.uses.empty()) { // only for a project whose `credits:` intends a use with rules
    w.key("uses");
    w.begin_array();
    for (const std::string& use : v.uses)
      w.value(use);
    w.end_array();
  }
  if (movement) against(w, *movement);
  w.end_object();
  return w.text() + "\n";
}

Expected<PeriodVerdict> parse_verdict_line(std::string_view text, const std::string& file,
                                           int line) {
  const LineReader reader(file, line);
  Json json;
  try {
    json = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // e.byte: 1-based position of the byte that could not be read.
    return reader.error("not valid JSON", static_cast<int>(std::max<std::size_t>(e.byte, 1)));
  }
  if (!json.is_object()) return reader.error("a line must be a JSON object", 1);
  const auto format = json.find("format");
  if (format == json.end() || !format->is_string() || *format != "mrv.verify/1")
    return reader.error("not a line of `mrv verify` output (format 'mrv.verify/1')");
  return reader.verdict(json);
}

const PeriodVerdict* PreviousRun::find(const std::string& id, const std::string& period) const {
  const auto it = index.find({id, period});
  return it == index.end() ? nullptr : &lines[it->second];
}

Expected<PreviousRun> parse_previous_run(std::string_view text, const std::string& file) {
  PreviousRun run;
  run.file = file;
  std::vector<int> line_numbers;
  int line_number = 0;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    PeriodVerdict v = MRV_TRY(parse_verdict_line(line, file, line_number));
    const auto [it, added] = run.index.emplace(std::pair{v.id, v.period}, run.lines.size());
    if (!added)
      return error_at(Location{file, line_number, 0},
                      fmt::format("project '{}' period '{}' appears twice (first on line {})", v.id,
                                  v.period, line_numbers[it->second]));
    run.lines.push_back(std::move(v));
    line_numbers.push_back(line_number);
  }
  return run;
}

Expected<PreviousRun> read_previous_run(const std::string& path) {
  constexpr std::size_t max_bytes = std::size_t{1} << 30;
  const std::string text = MRV_TRY(detail::read_text_file(path, max_bytes));
  return parse_previous_run(text, path);
}

} // namespace mrv
