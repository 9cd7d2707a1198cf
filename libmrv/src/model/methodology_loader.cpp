// YAML → Methodology: checks the structure of a methodology file, then
// hands its formulas to the compiler. The format: docs/methodology-format.md.
#include "base/try.hpp"
#include "data/sha256.hpp"
#include "data/yaml_tree.hpp"
#include "model/compiled_methodology.hpp"
#include "model/presentation_yaml.hpp"
#include "model/provenance_yaml.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace mrv {

const char* level_name(Level level) {
  switch (level) {
  case Level::project:
    return "project";
  case Level::unit:
    return "unit";
  case Level::record:
    return "record";
  case Level::unit_period:
    return "unit and period";
  case Level::period:
    return "period";
  }
  return "?";
}

const char* kind_name(ParameterKind kind) {
  switch (kind) {
  case ParameterKind::monitored:
    return "monitored";
  case ParameterKind::fixed:
    return "fixed";
  case ParameterKind::ex_ante:
    return "ex_ante";
  case ParameterKind::calculated:
    return "calculated";
  }
  return "?";
}

const char* aggregate_name(Aggregate aggregate) {
  switch (aggregate) {
  case Aggregate::sum:
    return "sum";
  case Aggregate::mean:
    return "mean";
  case Aggregate::min:
    return "min";
  case Aggregate::max:
    return "max";
  case Aggregate::first:
    return "first";
  case Aggregate::last:
    return "last";
  }
  return "?";
}

const char* rounding_name(Rounding rounding) {
  switch (rounding) {
  case Rounding::floor:
    return "floor";
  case Rounding::round:
    return "round";
  case Rounding::ceil:
    return "ceil";
  }
  return "?";
}

const Parameter* Methodology::parameter(const std::string& wanted) const {
  for (const Parameter& p : parameters)
    if (p.id == wanted) return &p;
  return nullptr;
}

const Table* Methodology::table(const std::string& wanted) const {
  for (const Table& t : tables)
    if (t.id == wanted) return &t;
  return nullptr;
}

namespace {

using detail::YamlDocument;
using detail::YamlNode;
using detail::YamlReader;

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) return false;
  static const char* reserved[] = {"and",   "or",    "not",   "if",    "min", "max",
                                   "abs",   "floor", "ceil",  "round", "exp", "ln",
                                   "sum_i", "sum_x", "age_x", "lookup"};
  for (const char* r : reserved)
    if (s == r) return false;
  return true;
}

// A table version as it appears in a file name: "1", "2024.1", "03-rev".
bool is_version_text(const std::string& s) {
  if (s.empty() || s.size() > 32 || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
  for (char ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == '_'))
      return false;
  return true;
}

// A choice among fixed words, with a did-you-mean.
template <class E> Expected<E> choice(const YamlReader& r, const YamlNode& node,
                                      std::string_view what,
                                      const std::vector<std::pair<std::string, E>>& options) {
  std::string text = MRV_TRY(r.string(node, what));
  std::vector<std::string> names;
  for (const auto& [name, value] : options) {
    if (name == text) return value;
    names.push_back(name);
  }
  Diagnostic d = r.error(
      node, fmt::format("{} must be one of {}, not '{}'", what, fmt::join(names, ", "), text));
  std::string hint = closest_match(text, names);
  if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
  return d;
}

class Loader {
public:
  explicit Loader(const YamlDocument& doc) : doc_(doc), r_(doc) {}
  friend Expected<Table> read_table_file(Table t);

  std::vector<const YamlNode*> parameter_formulas, criterion_formulas, bound_formulas;

  Status load(Methodology& m) {
    const YamlNode& root = doc_.root;
    if (const YamlNode* format = root.is_map() ? root.find("mrv") : nullptr;
        format && format->is_scalar() && format->value == "table/1")
      return r_.error(*format, "this is a shared table file, not a methodology: `mrv methodology "
                               "check FILE` validates it");
    MRV_TRY(r_.expect_map(root,
                          {"mrv",        "id",       "version",        "title",    "countries",
                           "family",     "category", "sectoral_scope", "status",   "approved",
                           "source",     "outputs",  "rounding",       "indices",  "tables",
                           "parameters", "rating",   "criteria",       "examples", "presentation"},
                          "a methodology"));
    const YamlNode* format = MRV_TRY(r_.required(root, "mrv", "a methodology"));
    if (MRV_TRY(r_.string(*format, "mrv")) != "methodology/1")
      return r_.error(*format, "unsupported format: expected 'mrv: methodology/1'");
    m.id = MRV_TRY(text(root, "id", true));
    if (!is_identifier(m.id))
      return r_.error(*root.find("id"), "id must be an identifier such as JCM_MN_AM003");
    m.version = MRV_TRY(text(root, "version", true));
    m.title = MRV_TRY(text(root, "title", true));
    if (const YamlNode* n = root.find("countries"))
      m.countries = MRV_TRY(r_.string_list(*n, "countries"));
    m.family = MRV_TRY(text(root, "family", true));
    m.category = MRV_TRY(text(root, "category", false));
    m.sectoral_scope = MRV_TRY(text(root, "sectoral_scope", false));
    m.status = MRV_TRY(text(root, "status", false));
    m.approved = MRV_TRY(text(root, "approved", false));
    m.source = MRV_TRY(provenance(*MRV_TRY(r_.required(root, "source", "a methodology"))));
    m.source_url = m.source.url;
    MRV_TRY(outputs(*MRV_TRY(r_.required(root, "outputs", "a methodology")), m));
    if (const YamlNode* n = root.find("rounding")) MRV_TRY(rounding(*n, m));
    if (const YamlNode* n = root.find("indices")) MRV_TRY(indices(*n, m));
    if (const YamlNode* n = root.find("tables")) MRV_TRY(tables(*n, m));
    MRV_TRY(parameters(*MRV_TRY(r_.required(root, "parameters", "a methodology")), m));
    if (const YamlNode* n = root.find("rating")) MRV_TRY(rating(*n, m));
    if (const YamlNode* n = root.find("criteria")) MRV_TRY(criteria(*n, m));
    if (const YamlNode* n = root.find("examples")) MRV_TRY(examples(*n, m));
    if (const YamlNode* n = root.find("presentation"))
      MRV_TRY(detail::read_presentation(r_, *n, m));
    return Ok{};
  }

private:
  static constexpr int kMaxSharedTables = 64;
  const YamlDocument& doc_;
  YamlReader r_;
  int shared_references_ = 0;

  Expected<std::string> text(const YamlNode& map, std::string_view key, bool required) {
    const YamlNode* n = map.find(key);
    if (!n) {
      if (required) return r_.error(map, fmt::format("missing '{}'", key));
      return std::string();
    }
    return r_.string(*n, key);
  }

  Expected<Provenance> provenance(const YamlNode& node) {
    return detail::read_provenance(r_, node);
  }

  Expected<Unit> unit(const YamlNode& node) {
    std::string written = MRV_TRY(r_.string(node, "unit"));
    UnitParseError e;
    std::optional<Unit> u = parse_unit(written, &e);
    if (!u) return doc_.error_in_scalar(node, e.offset, e.length, e.message);
    return *u;
  }

  Status outputs(const YamlNode& node, Methodology& m) {
    MRV_TRY(r_.expect_map(node, {"reference_emissions", "project_emissions", "emission_reductions"},
                          "outputs"));
    m.reference_emissions = MRV_TRY(text(node, "reference_emissions", true));
    m.project_emissions = MRV_TRY(text(node, "project_emissions", true));
    m.emission_reductions = MRV_TRY(text(node, "emission_reductions", true));
    return Ok{};
  }

  Status rounding(const YamlNode& node, Methodology& m) {
    MRV_TRY(r_.expect_map(node, {"rule", "source"}, "rounding"));
    m.rounding = MRV_TRY(choice<Rounding>(
        r_, *MRV_TRY(r_.required(node, "rule", "rounding")), "rounding rule",
        {{"floor", Rounding::floor}, {"round", Rounding::round}, {"ceil", Rounding::ceil}}));
    m.rounding_source = MRV_TRY(provenance(*MRV_TRY(r_.required(node, "source", "rounding"))));
    return Ok{};
  }

  Status tables(const YamlNode& node, Methodology& m) {
    if (!node.is_map()) return r_.error(node, "tables must be a map of table names");
    for (const auto& [key, body] : node.entries) {
      Table t;
      t.id = key.value;
      t.location = doc_.location(key);
      if (!is_identifier(t.id))
        return r_.error(key, fmt::format("table name '{}' is not an identifier", t.id));
      MRV_TRY(not_an_index_name(key, m));
      if (m.table(t.id)) return r_.error(key, fmt::format("table '{}' is defined twice", t.id));
      if (body.is_map() && body.find("use")) {
        // Each reference reads a file of up to 4 MiB: keep their number bounded.
        if (++shared_references_ > kMaxSharedTables)
          return r_.error(key,
                          fmt::format("more than {} shared table references", kMaxSharedTables));
        MRV_TRY(table_reference(body, t));
      } else {
        MRV_TRY(r_.expect_map(body, {"title", "unit", "keys", "band", "version", "source", "rows"},
                              "a table"));
        t.version = MRV_TRY(text(body, "version", false));
        MRV_TRY(table_body(body, t, t.id));
      }
      m.tables.push_back(std::move(t));
    }
    return Ok{};
  }

  // A shared table file, methodologies/tables/<id>_v<version>.yaml, read
  // into `t` (whose `use` and `use_version` name the file).
  Status table_file(Table& t) {
    const YamlNode& root = doc_.root;
    MRV_TRY(r_.expect_map(
        root,
        {"mrv", "id", "version", "title", "edition", "unit", "keys", "band", "source", "rows"},
        "a table file"));
    const YamlNode* format = MRV_TRY(r_.required(root, "mrv", "a table file"));
    if (MRV_TRY(r_.string(*format, "mrv")) != "table/1")
      return r_.error(*format, "unsupported format: expected 'mrv: table/1'");
    const YamlNode* id = MRV_TRY(r_.required(root, "id", "a table file"));
    if (MRV_TRY(r_.string(*id, "id")) != t.use)
      return r_.error(*id, fmt::format("the file is named after table '{}' but its id is '{}'",
                                       t.use, id->value));
    const YamlNode* version = MRV_TRY(r_.required(root, "version", "a table file"));
    if (MRV_TRY(r_.string(*version, "version")) != t.use_version)
      return r_.error(*version,
                      fmt::format("the file is named after version '{}' but its version is '{}'",
                                  t.use_version, version->value));
    t.version = MRV_TRY(text(root, "edition", false));
    return table_body(root, t, t.use);
  }

  // What inline tables and table files share: title, unit, source, the key
  // columns or the band unit, and the rows.
  Status table_body(const YamlNode& body, Table& t, const std::string& name) {
    t.title = MRV_TRY(text(body, "title", false));
    t.unit = MRV_TRY(unit(*MRV_TRY(r_.required(body, "unit", "a table"))));
    t.source = MRV_TRY(provenance(*MRV_TRY(r_.required(body, "source", "a table"))));
    const YamlNode* keys = body.find("keys");
    const YamlNode* band = body.find("band");
    if (!keys && !band)
      return r_.error(body, fmt::format("table '{}' needs 'keys' (a list of key columns), 'band' "
                                        "(the unit of the banded quantity) or both",
                                        name));
    if (keys) t.keys = MRV_TRY(r_.string_list(*keys, "keys"));
    if (band) {
      t.banded = true;
      t.band_unit = MRV_TRY(unit(*band));
    }
    const YamlNode* rows = MRV_TRY(r_.required(body, "rows", "a table"));
    if (!rows->is_sequence() || rows->items.empty())
      return r_.error(*rows, "rows must be a non-empty list");
    for (const YamlNode& row_node : rows->items) {
      std::vector<std::string> allowed = {"value", "source"};
      if (t.banded) allowed.insert(allowed.end(), {"from", "to"});
      allowed.insert(allowed.end(), t.keys.begin(), t.keys.end());
      MRV_TRY(r_.expect_map(row_node, allowed, "a table row"));
      TableRow row;
      row.value =
          MRV_TRY(r_.number(*MRV_TRY(r_.required(row_node, "value", "a table row")), "value"));
      if (const YamlNode* s = row_node.find("source"))
        row.source = MRV_TRY(provenance(*s));
      else
        row.source = t.source;
      for (const std::string& k : t.keys)
        row.keys.push_back(
            MRV_TRY(r_.string(*MRV_TRY(r_.required(row_node, k, "a table row")), k)));
      if (t.banded) {
        row.from =
            MRV_TRY(r_.number(*MRV_TRY(r_.required(row_node, "from", "a band row")), "from"));
        const YamlNode* to = MRV_TRY(r_.required(row_node, "to", "a band row"));
        row.to = to->is_null() ? INFINITY : MRV_TRY(r_.number(*to, "to"));
        if (!(row.from < row.to)) return r_.error(row_node, "a band needs from < to");
        // Bands of the same keys (all rows, without keys) must not overlap.
        for (const TableRow& other : t.rows)
          if (other.keys == row.keys && row.from < other.to && other.from < row.to)
            return r_.error(row_node, row.keys.empty() ? std::string("bands overlap")
                                                       : fmt::format("bands overlap for ({})",
                                                                     fmt::join(row.keys, ", ")));
      } else {
        for (const TableRow& other : t.rows)
          if (other.keys == row.keys)
            return r_.error(row_node, fmt::format("duplicate row ({})", fmt::join(row.keys, ", ")));
      }
      t.rows.push_back(std::move(row));
    }
    return Ok{};
  }

  // `NAME: {use: ID, version: V, keys: [...] | band: UNIT}`: a shared table,
  // read from <table_directory()>/ID_vV.yaml. The methodology says how it
  // looks the table up (its key columns or band unit), checked against the file.
  Status table_reference(const YamlNode& body, Table& t) {
    MRV_TRY(r_.expect_map(body, {"use", "version", "keys", "band"}, "a table reference"));
    const YamlNode* use = MRV_TRY(r_.required(body, "use", "a table reference"));
    t.use = MRV_TRY(r_.string(*use, "use"));
    if (!is_identifier(t.use))
      return r_.error(*use, fmt::format("'{}' is not a table id (letters, digits, '_')", t.use));
    const YamlNode* version = MRV_TRY(r_.required(body, "version", "a table reference"));
    t.use_version = MRV_TRY(r_.string(*version, "version"));
    if (!is_version_text(t.use_version))
      return r_.error(*version,
                      "a table version is letters, digits, '.', '-' and '_', starting with a "
                      "letter or digit (\"1\", \"2024.1\")");
    const YamlNode* keys = body.find("keys");
    const YamlNode* band = body.find("band");
    if (!keys && !band)
      return r_.error(body, fmt::format("table '{}' needs 'keys' (the key columns it is looked up "
                                        "by), 'band' (the unit of the banded quantity) or both",
                                        t.id));
    std::vector<std::string> wanted_keys;
    Unit wanted_band;
    if (keys) wanted_keys = MRV_TRY(r_.string_list(*keys, "keys"));
    if (band) wanted_band = MRV_TRY(unit(*band));

    namespace fs = std::filesystem;
    const std::string directory = table_directory();
    t.file = directory + "/" + t.use + "_v" + t.use_version + ".yaml";
    std::error_code ec;
    if (!fs::is_regular_file(t.file, ec)) {
      // Name what is there: the versions of this table, or the tables.
      std::vector<std::string> ids, versions;
      for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".yaml") continue;
        const std::string stem = it->path().stem().string();
        const std::size_t at = stem.rfind("_v");
        if (at == std::string::npos) continue;
        ids.push_back(stem.substr(0, at));
        if (ids.back() == t.use) versions.push_back(stem.substr(at + 2));
      }
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      std::sort(versions.begin(), versions.end());
      if (!versions.empty())
        return r_.error(*version,
                        fmt::format("table '{}' has no version '{}' (no file {}; "
                                    "versions: {})",
                                    t.use, t.use_version, t.file, fmt::join(versions, ", ")));
      Diagnostic d =
          r_.error(*use, fmt::format("no shared table '{}' (no file {})", t.use, t.file));
      const std::string hint = closest_match(t.use, ids);
      if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
      return d;
    }
    std::string text = MRV_TRY(detail::read_text_file(t.file, detail::YamlLimits{}.max_bytes));
    t.sha256 = detail::sha256_hex(text);
    const YamlDocument file_doc = MRV_TRY(detail::parse_yaml(std::move(text), t.file));
    Loader file_loader(file_doc);
    if (Status read = file_loader.table_file(t); !read) {
      Diagnostic d = std::move(read).error();
      d.notes.push_back(fmt::format("read as table '{}' of {}:{}", t.id, doc_.file, use->line));
      return d;
    }
    auto columns = [](const std::vector<std::string>& k) {
      return fmt::format("keys: [{}]", fmt::join(k, ", "));
    };
    // How the file is looked up, as the reference must repeat it.
    const std::string file_kind = !t.banded ? fmt::format("a key table ({})", columns(t.keys))
                                  : t.keys.empty()
                                      ? fmt::format("a band table (band: {})", t.band_unit.text)
                                      : fmt::format("a table by key and band ({}, band: {})",
                                                    columns(t.keys), t.band_unit.text);
    if (keys && !band && t.banded)
      return r_.error(*keys, fmt::format("'{}' is used as a key table ({}), but {} is {}", t.id,
                                         columns(wanted_keys), t.file, file_kind));
    if (band && !keys && !t.keys.empty())
      return r_.error(*band, fmt::format("'{}' is used as a band table (band: {}), but {} is {}",
                                         t.id, wanted_band.text, t.file, file_kind));
    if (keys && band && (!t.banded || t.keys.empty()))
      return r_.error(body,
                      fmt::format("'{}' is used as a table by key and band ({}, band: {}), "
                                  "but {} is {}",
                                  t.id, columns(wanted_keys), wanted_band.text, t.file, file_kind));
    if (keys && wanted_keys != t.keys)
      return r_.error(*keys, fmt::format("'{}' is looked up by {}, but {} has {}", t.id,
                                         columns(wanted_keys), t.file, columns(t.keys)));
    if (band && !(wanted_band.dimension == t.band_unit.dimension))
      return r_.error(*band,
                      fmt::format("'{}' is banded by {} ({}), but {} is banded by {} ({})", t.id,
                                  wanted_band.text, wanted_band.dimension.describe(), t.file,
                                  t.band_unit.text, t.band_unit.dimension.describe()));
    return Ok{};
  }

  Status parameters(const YamlNode& node, Methodology& m) {
    if (!node.is_map() || node.entries.empty())
      return r_.error(node, "parameters must be a map of parameter ids");
    // Bounded so that ordering the equations stays a shallow recursion.
    if (node.entries.size() > 2000) return r_.error(node, "more than 2000 parameters");
    for (const detail::YamlEntry& entry : node.entries) {
      Parameter p = MRV_TRY(parameter(entry.key, entry.value, m));
      MRV_TRY(kind_rules(entry.value, p));
      if (m.parameter(p.id))
        return r_.error(entry.key, fmt::format("parameter '{}' is defined twice", p.id));
      m.parameters.push_back(std::move(p));
      parameter_formulas.push_back(entry.value.find("formula"));
    }
    return Ok{};
  }

  // One parameter's fields, each read and checked on its own.
  Expected<Parameter> parameter(const YamlNode& key, const YamlNode& body, const Methodology& m) {
    Parameter p;
    p.id = key.value;
    p.location = doc_.location(key);
    if (!is_identifier(p.id))
      return r_.error(key, fmt::format("parameter id '{}' is not an identifier (letters, digits, "
                                       "'_'; not a function name)",
                                       p.id));
    if (m.table(p.id)) return r_.error(key, fmt::format("'{}' is already a table name", p.id));
    MRV_TRY(not_an_index_name(key, m));
    MRV_TRY(
        r_.expect_map(body,
                      {"symbol", "description", "kind", "per", "index", "unit", "values", "option",
                       "monitoring", "aggregate", "missing", "range", "value", "formula", "source"},
                      "a parameter"));
    p.symbol = MRV_TRY(text(body, "symbol", false));
    if (p.symbol.empty()) p.symbol = p.id;
    p.description = MRV_TRY(text(body, "description", true));
    p.kind = MRV_TRY(choice<ParameterKind>(r_, *MRV_TRY(r_.required(body, "kind", "a parameter")),
                                           "kind",
                                           {{"monitored", ParameterKind::monitored},
                                            {"fixed", ParameterKind::fixed},
                                            {"ex_ante", ParameterKind::ex_ante},
                                            {"calculated", ParameterKind::calculated}}));
    if (const YamlNode* per = body.find("per")) {
      p.level = MRV_TRY(choice<Level>(r_, *per, "per",
                                      {{"project", Level::project},
                                       {"unit", Level::unit},
                                       {"record", Level::record},
                                       {"unit_period", Level::unit_period},
                                       {"period", Level::period}}));
      p.level_declared = true;
    }
    MRV_TRY(unit_or_key(body, p));
    if (const YamlNode* index = body.find("index")) MRV_TRY(parameter_index(*index, m, p));
    p.option = MRV_TRY(text(body, "option", false));
    if (!p.option.empty() && p.option != "A" && p.option != "B" && p.option != "C")
      return r_.error(*body.find("option"), "option must be A, B or C");
    p.monitoring = MRV_TRY(text(body, "monitoring", false));
    MRV_TRY(how_monitored(body, p));
    if (const YamlNode* v = body.find("value")) p.value = MRV_TRY(r_.number(*v, "value"));
    if (const YamlNode* formula = body.find("formula"))
      p.formula = MRV_TRY(r_.string(*formula, "formula"));
    if (const YamlNode* s = body.find("source")) p.source = MRV_TRY(provenance(*s));
    return p;
  }

  // `indices:` the categories the methodology sums over besides the units.
  Status indices(const YamlNode& node, Methodology& m) {
    if (!node.is_map() || node.entries.empty())
      return r_.error(node, "indices must map index names to {description, values}");
    for (const auto& [key, body] : node.entries) {
      Index index;
      index.name = key.value;
      index.location = doc_.location(key);
      if (!is_identifier(index.name) || index.name == "i" || index.name == "x")
        return r_.error(key, fmt::format("index name '{}' is not an identifier other than i "
                                         "(the units) and x (the periods of sum_x)",
                                         index.name));
      if (m.indices.size() == static_cast<std::size_t>(detail::max_indices))
        return r_.error(key, fmt::format("more than {} indices", detail::max_indices));
      MRV_TRY(r_.expect_map(body, {"description", "values"}, "an index"));
      index.description = MRV_TRY(text(body, "description", true));
      const YamlNode* values = MRV_TRY(r_.required(body, "values", "an index"));
      index.values = MRV_TRY(r_.string_list(*values, "values"));
      if (index.values.empty()) return r_.error(*values, "an index needs at least one value");
      for (std::size_t v = 0; v < index.values.size(); ++v)
        if (std::find(index.values.begin(), index.values.begin() + static_cast<long>(v),
                      index.values[v]) != index.values.begin() + static_cast<long>(v))
          return r_.error(*values, fmt::format("'{}' is listed twice", index.values[v]));
      m.indices.push_back(std::move(index));
    }
    return Ok{};
  }

  // Parameters, tables and indices share the names of formulas; sum_j is the sum.
  Status not_an_index_name(const YamlNode& key, const Methodology& m) {
    for (const Index& index : m.indices)
      if (key.value == index.name || key.value == "sum_" + index.name)
        return r_.error(
            key, fmt::format("'{}' names index {} or its sum in formulas", key.value, index.name));
    return Ok{};
  }

  // `index: j`: the value varies by index j (one value per index value).
  Status parameter_index(const YamlNode& node, const Methodology& m, Parameter& p) {
    const std::string name = MRV_TRY(r_.string(node, "index"));
    std::vector<std::string> names;
    for (std::size_t k = 0; k < m.indices.size(); ++k) {
      if (m.indices[k].name == name) p.index = static_cast<int>(k);
      names.push_back(m.indices[k].name);
    }
    if (p.index < 0) {
      Diagnostic d = r_.error(
          node,
          names.empty()
              ? fmt::format("'{}' is not an index: the methodology declares no `indices`", name)
              : fmt::format("'{}' is not an index of this methodology (indices: {})", name,
                            fmt::join(names, ", ")));
      const std::string hint = closest_match(name, names);
      if (!hint.empty()) d.notes.push_back(fmt::format("did you mean '{}'?", hint));
      return d;
    }
    if (p.is_key) return r_.error(node, "a key parameter cannot vary by an index");
    p.index_declared = true;
    return Ok{};
  }

  // A key parameter's values, or a number's unit.
  Status unit_or_key(const YamlNode& body, Parameter& p) {
    const YamlNode* values = body.find("values");
    const YamlNode* unit_node = body.find("unit");
    if (values) {
      p.is_key = true;
      p.key_values = MRV_TRY(r_.string_list(*values, "values"));
      if (p.key_values.empty()) return r_.error(*values, "a key needs at least one value");
      if (unit_node) return r_.error(*unit_node, "a key parameter (with 'values') has no unit");
      return Ok{};
    }
    if (!unit_node)
      return r_.error(
          body, fmt::format("parameter '{}' needs a 'unit' (use \"1\" for a pure number)", p.id));
    p.unit = MRV_TRY(unit(*unit_node));
    return Ok{};
  }

  // How a monitored value combines over a period, what an empty one means,
  // and its allowed range.
  Status how_monitored(const YamlNode& body, Parameter& p) {
    if (const YamlNode* a = body.find("aggregate"))
      p.aggregate = MRV_TRY(choice<Aggregate>(r_, *a, "aggregate",
                                              {{"sum", Aggregate::sum},
                                               {"mean", Aggregate::mean},
                                               {"min", Aggregate::min},
                                               {"max", Aggregate::max},
                                               {"first", Aggregate::first},
                                               {"last", Aggregate::last}}));
    if (const YamlNode* a = body.find("missing"))
      p.missing = MRV_TRY(choice<MissingValue>(
          r_, *a, "missing", {{"error", MissingValue::error}, {"zero", MissingValue::zero}}));
    if (const YamlNode* range = body.find("range")) {
      if (!range->is_sequence() || range->items.size() != 2)
        return r_.error(*range, "range must be [minimum, maximum] (null for no bound)");
      if (!range->items[0].is_null())
        p.minimum = MRV_TRY(r_.number(range->items[0], "range minimum"));
      if (!range->items[1].is_null())
        p.maximum = MRV_TRY(r_.number(range->items[1], "range maximum"));
    }
    return Ok{};
  }

  // What each kind needs and forbids.
  Status kind_rules(const YamlNode& body, Parameter& p) {
    auto forbid = [&](const char* field, const char* why) -> Status {
      if (const YamlNode* n = body.find(field))
        return r_.error(*n, fmt::format("'{}' is not allowed for a parameter of kind {}{}", field,
                                        kind_name(p.kind), why));
      return Ok{};
    };
    const YamlNode* values = body.find("values");
    const YamlNode* formula = body.find("formula");
    switch (p.kind) {
    case ParameterKind::monitored:
      MRV_TRY(forbid("value", ""));
      MRV_TRY(forbid("formula", " (monitored values come from data)"));
      if (p.is_key) return r_.error(*values, "a monitored parameter must be a number");
      if (p.level_declared && p.level != Level::period)
        return r_.error(*body.find("per"),
                        "a monitored value is per record of a unit (leave out 'per') or "
                        "per period: measured for the whole site");
      break;
    case ParameterKind::fixed:
      if (p.is_key)
        return r_.error(*values, "a fixed parameter cannot be a key (use an ex_ante key)");
      if (p.index >= 0 && p.value)
        return r_.error(*body.find("index"),
                        "a fixed value cannot vary by an index: look it up in a table by the "
                        "index (formula: lookup(TABLE, j))");
      if (!p.value == !formula)
        return r_.error(
            body, fmt::format("fixed parameter '{}' needs either 'value' or 'formula'", p.id));
      if (!body.find("source"))
        return r_.error(
            body,
            fmt::format("fixed parameter '{}' needs a 'source' saying where the value comes from",
                        p.id));
      MRV_TRY(forbid("per", ""));
      p.level = Level::project;
      break;
    case ParameterKind::ex_ante:
      MRV_TRY(forbid("value", " (the project gives it)"));
      MRV_TRY(forbid("formula", ""));
      if (p.level_declared && p.level != Level::project && p.level != Level::unit)
        return r_.error(*body.find("per"), "an ex-ante value is per project or per unit");
      break;
    case ParameterKind::calculated:
      if (!formula)
        return r_.error(body, fmt::format("calculated parameter '{}' needs a 'formula'", p.id));
      MRV_TRY(forbid("value", ""));
      break;
    }
    if (p.level_declared && p.level == Level::record && p.kind != ParameterKind::calculated)
      return r_.error(*body.find("per"), "only calculated parameters can be per record");
    return Ok{};
  }

  // `rating:` what a unit's rating is and the monitored values it bounds.
  Status rating(const YamlNode& node, Methodology& m) {
    MRV_TRY(r_.expect_map(node, {"description", "unit", "bounds"}, "rating"));
    Rating rating;
    rating.location = doc_.location(node);
    rating.description = MRV_TRY(text(node, "description", false));
    if (const YamlNode* u = node.find("unit")) rating.unit = MRV_TRY(unit(*u));
    if (rating.description.empty() != !rating.unit)
      return r_.error(node, "a rating has both a description and a unit, or neither (bounds over "
                            "ex-ante values only)");
    const YamlNode* bounds = MRV_TRY(r_.required(node, "bounds", "rating"));
    if (!bounds->is_map() || bounds->entries.empty())
      return r_.error(*bounds, "bounds must map monitored parameters to {max, note}");
    for (const detail::YamlEntry& entry : bounds->entries) {
      MRV_TRY(r_.expect_map(entry.value, {"max", "note"}, "a bound"));
      RatingBound bound;
      bound.parameter = entry.key.value;
      bound.location = doc_.location(entry.key);
      const Parameter* p = m.parameter(bound.parameter);
      if (!p || p->kind != ParameterKind::monitored)
        return r_.error(entry.key, fmt::format("'{}' is not a monitored parameter: a rating "
                                               "bounds monitored values",
                                               bound.parameter));
      const YamlNode* max = MRV_TRY(r_.required(entry.value, "max", "a bound"));
      bound.formula = MRV_TRY(r_.string(*max, "max"));
      bound.note = MRV_TRY(text(entry.value, "note", true));
      bound_formulas.push_back(max);
      rating.bounds.push_back(std::move(bound));
    }
    m.rating = std::move(rating);
    return Ok{};
  }

  Status criteria(const YamlNode& node, Methodology& m) {
    if (!node.is_sequence()) return r_.error(node, "criteria must be a list");
    for (const YamlNode& item : node.items) {
      MRV_TRY(r_.expect_map(item, {"id", "text", "formula", "source"}, "a criterion"));
      Criterion c;
      c.id = MRV_TRY(text(item, "id", true));
      c.text = MRV_TRY(text(item, "text", true));
      const YamlNode* formula = item.find("formula");
      if (formula) c.formula = MRV_TRY(r_.string(*formula, "formula"));
      c.source = MRV_TRY(provenance(*MRV_TRY(r_.required(item, "source", "a criterion"))));
      m.criteria.push_back(std::move(c));
      criterion_formulas.push_back(formula);
    }
    return Ok{};
  }

  Expected<std::vector<ExampleValue>> example_values(const YamlNode& node) {
    if (!node.is_map()) return r_.error(node, "values must be a map of parameter ids");
    std::vector<ExampleValue> out;
    for (const auto& [key, value] : node.entries) {
      // A value per index value: `DOC_j: {food: 0.15, paper: 0.4}`.
      if (value.is_map() && !value.entries.empty()) {
        for (const auto& [index_value, v] : value.entries) {
          if (!v.is_scalar())
            return r_.error(v, "a value must be a number, a number with a unit, or a key");
          out.push_back(ExampleValue{key.value, v.value, doc_.location(v), index_value.value});
        }
        continue;
      }
      if (!value.is_scalar())
        return r_.error(value, "a value must be a number, a number with a unit, a key, or a map "
                               "of values by index value");
      out.push_back(ExampleValue{key.value, value.value, doc_.location(value), ""});
    }
    return out;
  }

  // An example's `indices: {j: [food, paper]}`.
  Expected<std::vector<IndexChoice>> example_indices(const YamlNode& node) {
    if (!node.is_map()) return r_.error(node, "indices must map index names to lists of values");
    std::vector<IndexChoice> out;
    for (const auto& [key, value] : node.entries)
      out.push_back(
          IndexChoice{key.value, MRV_TRY(r_.string_list(value, "values")), doc_.location(key)});
    return out;
  }

  // An example's `history:` list of {age, values}, oldest first.
  Expected<std::vector<ExampleHistory>> example_history(const YamlNode& node) {
    if (!node.is_sequence()) return r_.error(node, "history must be a list of {age, values}");
    std::vector<ExampleHistory> out;
    for (const YamlNode& item : node.items) {
      MRV_TRY(r_.expect_map(item, {"age", "values"}, "an earlier period of an example"));
      ExampleHistory h;
      h.location = doc_.location(item);
      const YamlNode* age = MRV_TRY(r_.required(item, "age", "an earlier period of an example"));
      h.age = MRV_TRY(r_.number(*age, "age"));
      if (!(h.age > 0) || (!out.empty() && !(h.age < out.back().age)))
        return r_.error(*age, "age must be more than 0 years, and the earlier periods listed "
                              "oldest first (ages decreasing)");
      h.values =
          MRV_TRY(example_values(*MRV_TRY(r_.required(item, "values", "an earlier period"))));
      out.push_back(std::move(h));
    }
    return out;
  }

  Status examples(const YamlNode& node, Methodology& m) {
    if (!node.is_sequence()) return r_.error(node, "examples must be a list");
    for (const YamlNode& item : node.items) {
      MRV_TRY(r_.expect_map(
          item,
          {"id", "description", "indices", "values", "units", "history", "expected", "tolerance"},
          "an example"));
      Example e;
      e.location = doc_.location(item);
      e.id = MRV_TRY(text(item, "id", true));
      e.description = MRV_TRY(text(item, "description", false));
      if (const YamlNode* v = item.find("values")) e.values = MRV_TRY(example_values(*v));
      if (const YamlNode* v = item.find("indices")) e.indices = MRV_TRY(example_indices(*v));
      if (const YamlNode* v = item.find("history")) e.history = MRV_TRY(example_history(*v));
      const YamlNode* units = MRV_TRY(r_.required(item, "units", "an example"));
      if (!units->is_sequence() || units->items.empty())
        return r_.error(*units, "units must be a non-empty list");
      for (const YamlNode& u : units->items) {
        MRV_TRY(r_.expect_map(u, {"id", "values"}, "an example unit"));
        ExampleUnit eu;
        eu.id = MRV_TRY(text(u, "id", true));
        if (const YamlNode* v = u.find("values")) eu.values = MRV_TRY(example_values(*v));
        e.units.push_back(std::move(eu));
      }
      const YamlNode* expected = MRV_TRY(r_.required(item, "expected", "an example"));
      if (!expected->is_map() || expected->entries.empty())
        return r_.error(*expected, "expected must be a map of results");
      for (const auto& [key, value] : expected->entries) {
        if (key.value != "credited" && !m.parameter(key.value))
          return r_.error(key,
                          fmt::format("'{}' is not a parameter of this methodology", key.value));
        e.expected.emplace_back(key.value, MRV_TRY(r_.number(value, key.value)));
      }
      if (const YamlNode* t = item.find("tolerance"))
        e.tolerance = MRV_TRY(r_.number(*t, "tolerance"));
      m.examples.push_back(std::move(e));
    }
    return Ok{};
  }
};

} // namespace

Expected<Methodology> load_methodology(std::string text, std::string file) {
  std::string digest = detail::sha256_hex(text);
  YamlDocument doc =
      MRV_TRY(detail::parse_mrv_yaml(std::move(text), file, "methodology/1", "a methodology"));
  Methodology m;
  m.file = file;
  m.sha256 = digest;
  Loader loader(doc);
  MRV_TRY(loader.load(m));
  m.compiled = MRV_TRY(detail::compile_methodology(
      m, doc, loader.parameter_formulas, loader.criterion_formulas, loader.bound_formulas));
  return m;
}

namespace {

// Reads and checks the table file at `t.file`, named after `t.use` and
// `t.use_version`.
Expected<Table> read_table_file(Table t) {
  std::string text = MRV_TRY(detail::read_text_file(t.file, detail::YamlLimits{}.max_bytes));
  t.sha256 = detail::sha256_hex(text);
  const YamlDocument doc =
      MRV_TRY(detail::parse_mrv_yaml(std::move(text), t.file, "table/1", "a shared table"));
  Loader loader(doc);
  MRV_TRY(loader.table_file(t));
  return t;
}

} // namespace

Expected<Table> load_shared_table(const std::string& id, const std::string& version) {
  Table t;
  t.id = t.use = id;
  t.use_version = version;
  t.file = table_directory() + "/" + id + "_v" + version + ".yaml";
  return read_table_file(std::move(t));
}

Expected<Table> load_table_file(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1);
  const std::size_t v = name.rfind("_v");
  if (!name.ends_with(".yaml") || v == std::string::npos || v == 0 || v + 2 >= name.size() - 5)
    return error_at(Location{path, 0, 0},
                    "a table file is named <id>_v<version>.yaml (EF_grid_MN_v1.yaml)");
  Table t;
  t.id = t.use = name.substr(0, v);
  t.use_version = name.substr(v + 2, name.size() - 5 - (v + 2));
  t.file = path;
  return read_table_file(std::move(t));
}

bool is_table_file_text(std::string_view text) {
  // The top-level key written first, as the bundled files and the docs do;
  // comments and blank lines before it are skipped.
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.front() != '#' &&
        line.find_first_not_of(" \t\r") != std::string_view::npos)
      return line.starts_with("mrv: table/1") || line.starts_with("mrv: \"table/1\"");
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return false;
}

Expected<Methodology> load_methodology_file(const std::string& path) {
  std::string text = MRV_TRY(detail::read_text_file(path, detail::YamlLimits{}.max_bytes));
  return load_methodology(std::move(text), path);
}

} // namespace mrv
