// Renderers: functions of a result, kept apart from the result model.
// Machine formats (csv, tsv, json, jsonl) are stable and versioned; table and
// md are for people. Numbers are printed in their shortest round-trip form,
// so the same inputs give byte-identical output.
#pragma once

#include "mrv/calc.hpp"
#include "mrv/methodology.hpp"
#include "mrv/numbers.hpp"
#include "mrv/screen.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mrv {

enum class Format { csv, tsv, json, jsonl, table, md };
std::optional<Format> parse_format(std::string_view name);
const char* format_name(Format format);

// What `mrv calc` prints. csv/tsv/table/md: one row per period (and per
// month and unit when the result has them); json: the whole result as one
// document; jsonl: one JSON object per row.
std::string render_calc(const CalcResult& result, Format format);

// `mrv methodology list` and `mrv methodology show`.
std::string render_methodology_list(const std::vector<Methodology>& methodologies, Format format);
std::string render_methodology(const Methodology& methodology, Format format);
// `mrv methodology show ID --table TABLE`: one table's rows in any format
// (csv, tsv, jsonl: a row each). A table the methodology does not have is
// an error (ExitCode::usage) naming the ones it has.
Expected<std::string> render_methodology_table(const Methodology& methodology,
                                               std::string_view table, Format format);

// `mrv init`: the commented project template of a methodology, every value
// to give a ___ blank. `requested` is what the user named (an id or a file):
// a file is kept as the template's methodology line.
std::string render_project_template(const Methodology& methodology, std::string_view requested);

// Escapes a text for JSON (without the quotes).
std::string json_escape(std::string_view text);
// Quotes a CSV field when needed (delimiter, quote, line break), and guards
// against spreadsheet formula injection (a leading = + - @ gets a "'").
std::string csv_field(std::string_view text, char delimiter);

// `mrv screen`.
// csv/tsv/table/md: the annual estimate as three info rows, then one row per
// check (columns check,value,unit,threshold,comparison,status,source,
// confirmed); json: one document; jsonl: one object per row.
std::string render_screen(const ScreenResult& result, Format format);

} // namespace mrv
