// The `source:` shape (document, section, url, note, confirmed) that
// methodologies, shared tables, scheme files and useful-lives tables all
// write: decoded here, once.
#pragma once

#include "data/yaml_tree.hpp"

#include "mrv/methodology.hpp"

namespace mrv::detail {

// `node` as a source: a map with a `document` and whether it was checked
// against the official text (`confirmed`, required); `section`, `url` and
// `note` optional. Unknown keys and missing ones are errors at their place.
Expected<Provenance> read_provenance(const YamlReader& reader, const YamlNode& node);

} // namespace mrv::detail
