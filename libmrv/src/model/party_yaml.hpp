// A party written as `--party` takes it (NAME=SHARE[:MODE]) in a YAML file:
// project credit terms and verify manifests read parties alike.
#pragma once

#include "data/yaml_tree.hpp"

#include "mrv/credit_terms.hpp"

namespace mrv::detail {

// The party in `item`, a string; an error is placed at the item and names
// the party instead of the command-line flag.
Expected<PartyShare> read_party(const YamlReader& reader, const YamlNode& item);

} // namespace mrv::detail
