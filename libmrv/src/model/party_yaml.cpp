#include "model/party_yaml.hpp"
#include "base/try.hpp"

#include <fmt/format.h>

namespace mrv::detail {

Expected<PartyShare> read_party(const YamlReader& reader, const YamlNode& item) {
  const std::string text = MRV_TRY(reader.string(item, "a party"));
  Expected<PartyShare> parsed = parse_party(text);
  if (parsed) return parsed;
  Diagnostic d = reader.error(item, parsed.error().message);
  const std::string flag = fmt::format("--party '{}'", text);
  if (d.message.starts_with(flag))
    d.message = fmt::format("party '{}'{}", text, d.message.substr(flag.size()));
  d.notes = parsed.error().notes;
  return d;
}

} // namespace mrv::detail
