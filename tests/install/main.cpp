// A program that embeds libmrv through its installed CMake package.
#include <mrv/calc.hpp>

#include <cstdio>

int main() {
  mrv::Expected<mrv::Methodology> m = mrv::find_methodology("JCM_MN_AM003");
  if (!m) {
    std::fputs(mrv::format_diagnostic(m.error()).c_str(), stderr);
    return 1;
  }
  mrv::Expected<std::vector<mrv::ExampleOutcome>> outcomes = mrv::run_examples(*m);
  if (!outcomes) return 1;
  for (const mrv::ExampleOutcome& o : *outcomes)
    if (!o.passed) return 1;
  std::printf("%s: %zu examples pass\n", m->full_id().c_str(), outcomes->size());
  return 0;
}
