#include "model/yaml_fields.hpp"
#include "base/try.hpp"

namespace mrv::detail {

Expected<std::string> optional_text(const YamlReader& r, const YamlNode& map,
                                    std::string_view key) {
  if (const YamlNode* n = map.find(key)) return r.string(*n, key);
  return std::string();
}

Expected<std::optional<double>> optional_number(const YamlReader& r, const YamlNode& map,
                                                std::string_view key) {
  if (const YamlNode* n = map.find(key); n && !n->is_null())
    return std::optional<double>(MRV_TRY(r.number(*n, key)));
  return std::optional<double>();
}

Expected<bool> optional_flag(const YamlReader& r, const YamlNode& map, std::string_view key) {
  if (const YamlNode* n = map.find(key)) return r.boolean(*n, key);
  return false;
}

} // namespace mrv::detail
