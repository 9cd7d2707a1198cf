// Fuzzes methodology files, the most code-like untrusted input: YAML, then
// structure, formulas, dependency order and units, then the embedded
// examples through the engine and every renderer of a methodology.
#include "fuzz_check.hpp"
#include "mrv/calc.hpp"
#include "mrv/methodology.hpp"
#include "mrv/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mrv::Expected<mrv::Methodology> m =
      mrv::load_methodology(std::string(fuzz_text(data, size)), "fuzz.yaml");
  if (!m) {
    const mrv::Diagnostic& d = m.error();
    FUZZ_CHECK(!d.message.empty() && d.where.file == "fuzz.yaml");
    FUZZ_CHECK(!mrv::format_diagnostic(d).empty());
    return 0;
  }
  FUZZ_CHECK(m->compiled != nullptr);
  (void)mrv::run_examples(*m);
  for (const mrv::Parameter& p : m->parameters)
    (void)mrv::describe_equation(*m, p.id);
  for (mrv::Format format : {mrv::Format::json, mrv::Format::md, mrv::Format::table})
    (void)mrv::render_methodology(*m, format);
  return 0;
}
