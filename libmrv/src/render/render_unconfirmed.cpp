// Unconfirmed values in JSON (docs/calc-json.md#unconfirmed-values).
#include "render/render_unconfirmed.hpp"

namespace mrv::detail {

void write_provenance(JsonWriter& json, const Provenance& p) {
  json.begin_object();
  json.member("document", p.document);
  json.member("section", p.section);
  json.member("url", p.url);
  json.member("note", p.note);
  json.member("confirmed", p.confirmed);
  json.end_object();
}

void write_unconfirmed(JsonWriter& json, const std::vector<Unconfirmed>& items) {
  json.member("unconfirmed_count", static_cast<std::int64_t>(items.size()));
  json.key("unconfirmed");
  json.begin_array();
  for (const Unconfirmed& u : items) {
    json.begin_object();
    json.member("kind", u.kind);
    json.member("name", u.name);
    json.member("description", u.description);
    if (u.value) {
      json.quantity_members(*u.value, u.unit);
    } else {
      json.key("value");
      json.null();
      json.member("unit", "");
    }
    json.key("source");
    write_provenance(json, u.source);
    json.member("accepted", u.accepted);
    json.end_object();
  }
  json.end_array();
}

} // namespace mrv::detail
