// The workbook's Evidence sheet: the same blocks as the HTML's monitoring
// equipment, data sources, evidence of ex-ante values, co-benefits and use
// of the credits (report_evidence.cpp, report_uses.cpp), laid out row by
// row: a heading in bold, facts as label and value, a table as a bold
// header row and its rows. No formula: these are declarations and checks.
#include "report/report_sections.hpp"
#include "report/report_xlsx.hpp"

namespace mrv::detail {

namespace {

void write_block(XlsxSheet& sheet, const DocBlock& b, lxw_format* bold) {
  switch (b.kind) {
  case DocBlock::Kind::heading:
    if (b.level <= 2 && sheet.next_row() > 1) sheet.add_row();
    sheet.text(sheet.add_row(), 0, b.text, bold);
    return;
  case DocBlock::Kind::paragraph:
    sheet.text(sheet.add_row(), 0, b.text);
    return;
  case DocBlock::Kind::facts:
    for (const auto& [label, value] : b.facts) {
      const int row = sheet.add_row();
      sheet.text(row, 0, label, bold);
      sheet.text(row, 1, value);
    }
    return;
  case DocBlock::Kind::list:
    for (const std::string& item : b.items)
      sheet.text(sheet.add_row(), 0, item);
    return;
  case DocBlock::Kind::table: {
    sheet.text(sheet.add_row(), 0, b.title);
    const int header = sheet.add_row();
    for (std::size_t c = 0; c < b.table.header.size(); ++c)
      sheet.text(header, static_cast<int>(c), b.table.header[c], bold);
    for (const std::vector<std::string>& cells : b.table.rows) {
      const int row = sheet.add_row();
      for (std::size_t c = 0; c < cells.size(); ++c)
        sheet.text(row, static_cast<int>(c), cells[c]);
    }
    return;
  }
  default:
    return;
  }
}

} // namespace

void write_evidence_sheet(const Report& r, lxw_workbook* wb, lxw_format* header, lxw_format* bold) {
  Document doc;
  DocBlocks b(doc);
  evidence_sections(b, r);
  use_sections(b, r);
  XlsxSheet sheet(wb, "Evidence", header);
  sheet.columns({{"", 28}, {"", 40}, {"", 24}, {"", 24}, {"", 40}, {"", 40}, {"", 40}, {"", 30}});
  for (const DocBlock& block : doc.blocks)
    write_block(sheet, block, bold);
}

} // namespace mrv::detail
