// Optional keys of a YAML map, as the scheme, provenance and financing
// readers take them: absent is empty, present must be of its type.
#pragma once

#include "data/yaml_tree.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mrv::detail {

// The text at `key`, or "" when absent.
Expected<std::string> optional_text(const YamlReader& r, const YamlNode& map, std::string_view key);
// The number at `key`, or nothing when absent or null.
Expected<std::optional<double>> optional_number(const YamlReader& r, const YamlNode& map,
                                                std::string_view key);
// The boolean at `key`, or false when absent.
Expected<bool> optional_flag(const YamlReader& r, const YamlNode& map, std::string_view key);

} // namespace mrv::detail
