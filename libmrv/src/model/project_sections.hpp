// The parts of a project file that say what proves its values and what its
// credits are for: a value's evidence, the co-benefits (SDG contributions)
// and the credits' authorisation and intended uses. Read by project_loader;
// the format is docs/project-format.md.
#pragma once

#include "data/yaml_tree.hpp"

#include "mrv/project.hpp"

#include <string>
#include <vector>

namespace mrv::detail {

// `evidence:` as a text or a list of texts, none empty.
Expected<std::vector<std::string>> read_evidence(const YamlReader& r, const YamlNode& node);

// One entry of `values:`: a scalar ("6.1", "500 USRt", a key),
// {value, unit, source, evidence}, or a map of either by index value
// ({food: 0.15}), appended to `out`; each source and evidence is added to
// `evidence` (for unit `unit`, "" at project level).
Status read_value_inputs(const YamlReader& r, const YamlNode& key, const YamlNode& value,
                         const std::string& unit, std::vector<ValueInput>& out,
                         std::vector<ValueEvidence>& evidence);

// `co_benefits:`: each goal and its targets checked against the UN list.
Expected<std::vector<CoBenefit>> read_co_benefits(const YamlReader& r, const YamlNode& node);

// `credits:`: authorisation, corresponding adjustment, intended uses.
Expected<CreditsDeclaration> read_credits(const YamlReader& r, const YamlNode& key,
                                          const YamlNode& node);

} // namespace mrv::detail
