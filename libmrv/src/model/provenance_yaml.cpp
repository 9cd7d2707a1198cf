#include "model/provenance_yaml.hpp"
#include "base/try.hpp"
#include "model/yaml_fields.hpp"

namespace mrv::detail {

Expected<Provenance> read_provenance(const YamlReader& r, const YamlNode& node) {
  MRV_TRY(r.expect_map(node, {"document", "section", "url", "note", "confirmed"}, "a source"));
  Provenance p;
  p.document = MRV_TRY(r.string(*MRV_TRY(r.required(node, "document", "a source")), "document"));
  p.section = MRV_TRY(optional_text(r, node, "section"));
  p.url = MRV_TRY(optional_text(r, node, "url"));
  p.note = MRV_TRY(optional_text(r, node, "note"));
  // Every source says whether it was checked against the official text.
  p.confirmed =
      MRV_TRY(r.boolean(*MRV_TRY(r.required(node, "confirmed", "a source")), "confirmed"));
  return p;
}

} // namespace mrv::detail
