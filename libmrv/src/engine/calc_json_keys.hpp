// The names of `mrv calc --format json` (docs/calc-json.md) that its writer
// (render/render_calc.cpp) and its reader (credits/calc_credits.cpp, for the
// pipeline form of `mrv allocate`) share: stated once, here, so the two
// cannot drift apart; unit/calc_json_round_trip holds them together.
#pragma once

namespace mrv::detail::calc_json {

inline constexpr const char* format_name = "mrv.calc/1"; // the value of `format`
inline constexpr const char* format = "format";
inline constexpr const char* methodology = "methodology"; // {id, version}
inline constexpr const char* project = "project";
inline constexpr const char* periods = "periods"; // [{id, from, to, ..., credited}]
inline constexpr const char* id = "id";
inline constexpr const char* version = "version";
inline constexpr const char* from = "from";
inline constexpr const char* to = "to";
inline constexpr const char* credited = "credited";

} // namespace mrv::detail::calc_json
