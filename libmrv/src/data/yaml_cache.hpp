// The parse cache behind mrv/cache.hpp: a YamlNode tree written to a file
// and read back, named by the content hash of the YAML text it came from.
#pragma once

#include "data/yaml_tree.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mrv::detail {

// The tree of `text` parsed under `limits`, if the cache holds it.
std::optional<YamlNode> cached_tree(std::string_view text, const YamlLimits& limits);
// Keeps `root`, the tree of `text` parsed under `limits` (errors ignored).
void keep_tree(std::string_view text, const YamlLimits& limits, const YamlNode& root);

// The tree as bytes, and back (nothing when the bytes are not a whole tree
// within `limits`): the entry's format.
std::string tree_bytes(const YamlNode& root);
std::optional<YamlNode> tree_from_bytes(std::string_view bytes, const YamlLimits& limits);

} // namespace mrv::detail
