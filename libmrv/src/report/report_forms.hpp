// The forms of the report that are not drawn from the shared document
// blocks (report_document.hpp): JSON from the model, xlsx from the model and
// the compiled formulas.
#pragma once

#include "mrv/report.hpp"

#include <string>

namespace mrv::detail {

std::string render_report_json(const Report& report);
// The workbook's bytes; an error only when its temporary file fails.
Expected<std::string> render_report_xlsx(const Report& report);

} // namespace mrv::detail
