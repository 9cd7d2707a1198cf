// libxlsxwriter, opened when the first xlsx report is written rather than at
// every start of mrv: the library and libcrypto under it (both bound at load,
// 5,000 symbol look-ups) were a tenth of a small calculation's start-up.
// xlsx_library.cpp defines the few functions of <xlsxwriter.h> that mrv
// calls, each forwarding to the library's own, so the writer's code reads as
// plain libxlsxwriter calls.
#pragma once

#include "mrv/diagnostic.hpp"

namespace mrv::detail {

// Opens libxlsxwriter (once); an error (ExitCode::cannot_write) says which
// library was looked for and how to install it.
Status open_xlsx_library();

} // namespace mrv::detail
