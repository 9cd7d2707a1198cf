// The report's sections beyond the calculation, each in its own file, and
// the builder every section writes its blocks with.
#pragma once

#include "data/json_writer.hpp"
#include "report/report_document.hpp"

#include <string>
#include <utility>
#include <vector>

namespace mrv::detail {

class DocBlocks {
public:
  explicit DocBlocks(Document& document) : doc_(document) {}

  void heading(int level, std::string text, std::string id = "") {
    DocBlock b;
    b.kind = DocBlock::Kind::heading;
    b.level = level;
    b.text = std::move(text);
    b.id = std::move(id);
    add(std::move(b));
  }
  void paragraph(std::string text) {
    DocBlock b;
    b.kind = DocBlock::Kind::paragraph;
    b.text = std::move(text);
    add(std::move(b));
  }
  void facts(std::vector<std::pair<std::string, std::string>> facts) {
    DocBlock b;
    b.kind = DocBlock::Kind::facts;
    b.facts = std::move(facts);
    add(std::move(b));
  }
  void table(std::string caption, TextTable table) {
    DocBlock b;
    b.kind = DocBlock::Kind::table;
    b.title = std::move(caption);
    b.table = std::move(table);
    add(std::move(b));
  }
  void list(std::vector<std::string> items) {
    DocBlock b;
    b.kind = DocBlock::Kind::list;
    b.items = std::move(items);
    add(std::move(b));
  }
  void chart(BarChart chart) {
    DocBlock b;
    b.kind = DocBlock::Kind::chart;
    b.title = chart.title;
    b.chart = std::move(chart);
    add(std::move(b));
  }
  void add(DocBlock block) { doc_.blocks.push_back(std::move(block)); }

private:
  Document& doc_;
};

inline TextTable make_table(std::vector<std::string> header, std::vector<bool> right) {
  TextTable t;
  t.header = std::move(header);
  t.right_aligned = std::move(right);
  return t;
}

// Monitoring equipment, data sources, and the evidence of ex-ante values
// (report_evidence.cpp).
void evidence_sections(DocBlocks& b, const Report& r);
// Co-benefits (SDG contributions) and the use of the credits
// (report_uses.cpp).
void use_sections(DocBlocks& b, const Report& r);

// The same in the report JSON (report_evidence_json.cpp).
void write_evidence_json(JsonWriter& json, const Report& r);
void write_uses_json(JsonWriter& json, const Report& r);

} // namespace mrv::detail
