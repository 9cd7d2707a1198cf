// The `presentation:` section of a methodology: how many decimals the forms
// for people show each quantity with (docs/methodology-format.md#presentation).
#pragma once

#include "data/yaml_tree.hpp"
#include "mrv/methodology.hpp"

namespace mrv::detail {

// Reads `node` into m.presentation; the parameters must be loaded already
// (a rule names one of them).
Status read_presentation(const YamlReader& r, const YamlNode& node, Methodology& m);

} // namespace mrv::detail
