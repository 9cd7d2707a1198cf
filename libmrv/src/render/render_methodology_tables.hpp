// The default-value tables of a methodology with every row, as
// `mrv methodology show` prints them: its keys or bands, value and unit,
// and each row's source and confirmation (a row without a source of its
// own has its table's).
#pragma once

#include "data/json_writer.hpp"
#include "mrv/methodology.hpp"
#include "render/render_common.hpp"

#include <string>

namespace mrv::detail {

// One table's rows: a column per key (or `from` and `to` in the band's
// unit), `value`, `unit`, `source`, `confirmed`.
TextTable table_rows(const Table& table);

// "EF_RE_MN: Conservative emission factors... (version 2013-2015 data; rows
// in tCO2/MWh; source: ..., not confirmed)": the line above its rows.
std::string table_heading(const Table& table);

// The member "row_values": one object per row ({"keys": [...]} or
// {"from", "to", "band_unit"}, "value", "unit", "source").
void write_table_rows(JsonWriter& json, const Table& table);
// One row's object.
void write_table_row(JsonWriter& json, const Table& table, const TableRow& row);

} // namespace mrv::detail
