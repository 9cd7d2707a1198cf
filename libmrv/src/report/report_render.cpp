// Choosing a report form and rendering it.
#include "mrv/report.hpp"

#include "report/report_document.hpp"
#include "report/report_forms.hpp"

#include <array>

namespace mrv {

namespace {

struct FormName {
  ReportFormat format;
  const char* name;
};
constexpr std::array<FormName, 4> form_names = {{
    {ReportFormat::html, "html"},
    {ReportFormat::md, "md"},
    {ReportFormat::xlsx, "xlsx"},
    {ReportFormat::json, "json"},
}};

} // namespace

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  for (const FormName& f : form_names)
    if (name == f.name) return f.format;
  return std::nullopt;
}

const char* report_format_name(ReportFormat format) {
  for (const FormName& f : form_names)
    if (f.format == format) return f.name;
  return "?";
}

std::optional<ReportFormat> report_format_for_path(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  const std::size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return std::nullopt;
  std::string extension;
  for (char c : path.substr(dot + 1))
    extension += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (extension == "htm") return ReportFormat::html;
  if (extension == "markdown") return ReportFormat::md;
  return parse_report_format(extension);
}

Expected<std::string> render_report(const Report& report, ReportFormat format) {
  switch (format) {
  case ReportFormat::html:
    return detail::render_document_html(detail::report_document(report));
  case ReportFormat::md:
    return detail::render_document_markdown(detail::report_document(report));
  case ReportFormat::json:
    return detail::render_report_json(report);
  case ReportFormat::xlsx:
    return detail::render_report_xlsx(report);
  }
  return std::string();
}

} // namespace mrv
