// The values a result depends on that are not confirmed against the official
// methodology text, as the JSON forms write them (calc JSON, the report's
// JSON): one writer, so that every form says it the same way.
#pragma once

#include "data/json_writer.hpp"
#include "mrv/calc.hpp"

#include <vector>

namespace mrv::detail {

// A source: {"document", "section", "url", "note", "confirmed"}.
void write_provenance(JsonWriter& json, const Provenance& source);

// The members "unconfirmed_count" and "unconfirmed" (one object per value:
// kind, name, description, value, unit, source, accepted).
void write_unconfirmed(JsonWriter& json, const std::vector<Unconfirmed>& items);

} // namespace mrv::detail
