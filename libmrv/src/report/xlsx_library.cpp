#include "report/xlsx_library.hpp"

#include <xlsxwriter.h>

#include <dlfcn.h>

#include <mutex>
#include <string>

#ifndef MRV_XLSXWRITER_SONAME
#define MRV_XLSXWRITER_SONAME "libxlsxwriter.so"
#endif

namespace mrv::detail {

namespace {

// The functions mrv calls: each is listed here once, and defined below as a
// forward to the library's own (the compiler checks each definition against
// <xlsxwriter.h>; a function defined but not listed would call a null pointer,
// which the list's use in both places below rules out).
#define MRV_XLSX_FUNCTIONS(X)                                                                      \
  X(workbook_new_opt)                                                                              \
  X(workbook_add_format)                                                                           \
  X(workbook_add_worksheet)                                                                        \
  X(workbook_set_properties)                                                                       \
  X(workbook_close)                                                                                \
  X(worksheet_write_string)                                                                        \
  X(worksheet_write_number)                                                                        \
  X(worksheet_write_formula_num)                                                                   \
  X(worksheet_set_column)                                                                          \
  X(worksheet_freeze_panes)                                                                        \
  X(worksheet_autofilter)                                                                          \
  X(format_set_bold)                                                                               \
  X(format_set_bottom)                                                                             \
  X(format_set_bg_color)                                                                           \
  X(format_set_num_format)                                                                         \
  X(lxw_strerror)

// The functions, as the library has them.
struct Functions {
#define MRV_POINTER(name) decltype(&::name) name = nullptr;
  MRV_XLSX_FUNCTIONS(MRV_POINTER)
#undef MRV_POINTER
};

Functions library;
std::string failure;

template <class F> bool find(void* handle, const char* name, F& function) {
  function = reinterpret_cast<F>(::dlsym(handle, name));
  if (!function) failure = std::string("no function ") + name + " in " MRV_XLSXWRITER_SONAME;
  return function != nullptr;
}

void open_once() {
  void* handle = ::dlopen(MRV_XLSXWRITER_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    failure = why ? why : "cannot open " MRV_XLSXWRITER_SONAME;
    return;
  }
  // Each found in turn; the first missing one is named in `failure`.
#define MRV_FIND(name) find(handle, #name, library.name)&&
  (void)(MRV_XLSX_FUNCTIONS(MRV_FIND) true);
#undef MRV_FIND
}

} // namespace

Status open_xlsx_library() {
  static std::once_flag opened;
  std::call_once(opened, open_once);
  if (failure.empty()) return Ok{};
  Diagnostic d;
  d.code = ExitCode::cannot_write;
  d.message = "cannot write an xlsx report: " + failure;
  d.notes.push_back("the xlsx report needs libxlsxwriter (" MRV_XLSXWRITER_SONAME
                    "; Debian: apt-get install libxlsxwriter4); the other forms do not");
  return d;
}

} // namespace mrv::detail

// The functions of <xlsxwriter.h> that mrv calls, each the library's own once
// open_xlsx_library() has succeeded. Hidden: the library, once opened, never
// binds to these instead of its own functions.
#define MRV_FORWARD(name, ...) mrv::detail::library.name(__VA_ARGS__)
#define MRV_HIDDEN __attribute__((visibility("hidden")))

extern "C" {
MRV_HIDDEN lxw_workbook* workbook_new_opt(const char* filename, lxw_workbook_options* options) {
  return MRV_FORWARD(workbook_new_opt, filename, options);
}
MRV_HIDDEN lxw_format* workbook_add_format(lxw_workbook* workbook) {
  return MRV_FORWARD(workbook_add_format, workbook);
}
MRV_HIDDEN lxw_worksheet* workbook_add_worksheet(lxw_workbook* workbook, const char* name) {
  return MRV_FORWARD(workbook_add_worksheet, workbook, name);
}
MRV_HIDDEN lxw_error workbook_set_properties(lxw_workbook* workbook, lxw_doc_properties* p) {
  return MRV_FORWARD(workbook_set_properties, workbook, p);
}
MRV_HIDDEN lxw_error workbook_close(lxw_workbook* workbook) {
  return MRV_FORWARD(workbook_close, workbook);
}
MRV_HIDDEN lxw_error worksheet_write_string(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col,
                                            const char* text, lxw_format* format) {
  return MRV_FORWARD(worksheet_write_string, sheet, row, col, text, format);
}
MRV_HIDDEN lxw_error worksheet_write_number(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col,
                                            double number, lxw_format* format) {
  return MRV_FORWARD(worksheet_write_number, sheet, row, col, number, format);
}
MRV_HIDDEN lxw_error worksheet_write_formula_num(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col,
                                                 const char* formula, lxw_format* format,
                                                 double result) {
  return MRV_FORWARD(worksheet_write_formula_num, sheet, row, col, formula, format, result);
}
MRV_HIDDEN lxw_error worksheet_set_column(lxw_worksheet* sheet, lxw_col_t first, lxw_col_t last,
                                          double width, lxw_format* format) {
  return MRV_FORWARD(worksheet_set_column, sheet, first, last, width, format);
}
MRV_HIDDEN void worksheet_freeze_panes(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col) {
  MRV_FORWARD(worksheet_freeze_panes, sheet, row, col);
}
MRV_HIDDEN lxw_error worksheet_autofilter(lxw_worksheet* sheet, lxw_row_t first_row,
                                          lxw_col_t first_col, lxw_row_t last_row,
                                          lxw_col_t last_col) {
  return MRV_FORWARD(worksheet_autofilter, sheet, first_row, first_col, last_row, last_col);
}
MRV_HIDDEN void format_set_bold(lxw_format* format) {
  MRV_FORWARD(format_set_bold, format);
}
MRV_HIDDEN void format_set_bottom(lxw_format* format, uint8_t style) {
  MRV_FORWARD(format_set_bottom, format, style);
}
MRV_HIDDEN void format_set_bg_color(lxw_format* format, lxw_color_t color) {
  MRV_FORWARD(format_set_bg_color, format, color);
}
MRV_HIDDEN void format_set_num_format(lxw_format* format, const char* num_format) {
  MRV_FORWARD(format_set_num_format, format, num_format);
}
MRV_HIDDEN char* lxw_strerror(lxw_error error) {
  return MRV_FORWARD(lxw_strerror, error);
}
}
