// Diagnostics and the Expected result type: the one error idiom of libmrv.
//
// A problem with the user's input is a value (a Diagnostic inside an
// Expected), never an exception: it carries the place (file, line, column),
// the offending source line and what kind of failure it is, so the command
// line can print `mrv: file:line:col: error: ...` with a caret and pick the
// documented exit status.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mrv {

// Process exit statuses, as documented in README.md ("Exit status").
enum class ExitCode : int {
  ok = 0,
  finding = 1,        // a verification mismatch, a failed check, an ineligible project
  usage = 2,          // bad command-line arguments
  invalid_input = 65, // invalid content: data, YAML, formula (EX_DATAERR)
  cannot_open = 66,   // an input that cannot be opened (EX_NOINPUT)
  internal = 70,      // a bug in mrv (EX_SOFTWARE)
  cannot_write = 74,  // an output that cannot be written (EX_IOERR)
};

// A place in an input. Line and column are 1-based; 0 means unknown.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class Severity { error, warning };

struct Diagnostic {
  ExitCode code = ExitCode::invalid_input;
  // A warning is what the data cannot settle: the result stands, and
  // --strict makes it an error.
  Severity severity = Severity::error;
  Location where;
  std::string message;
  std::string source_line;        // text of the offending line, when known
  int caret_length = 1;           // how many columns the caret underlines
  std::vector<std::string> notes; // e.g. "did you mean 'EG_i_p'?"
};

// Renders a diagnostic as `mrv: FILE:LINE:COL: error: MESSAGE` (or
// `warning:`), followed by
// the source line and a caret when known, and one `note:` line per note.
std::string format_diagnostic(const Diagnostic& diagnostic);

// Shorthands for the common cases.
Diagnostic error_at(Location where, std::string message);
Diagnostic cannot_open(const std::string& path, const std::string& reason);

// The closest candidate to `name` within a small edit distance, or "" when
// nothing is close enough; used for "did you mean" notes.
std::string closest_match(const std::string& name, const std::vector<std::string>& candidates);

// Expected<T>: a T or the Diagnostic that explains why there is none.
template <class T> class Expected {
public:
  Expected(T value) : state_(std::move(value)) {}
  Expected(Diagnostic diagnostic) : state_(std::move(diagnostic)) {}

  explicit operator bool() const { return state_.index() == 0; }
  bool has_value() const { return state_.index() == 0; }

  T& operator*() & {
    assert(has_value());
    return std::get<0>(state_);
  }
  const T& operator*() const& {
    assert(has_value());
    return std::get<0>(state_);
  }
  T&& operator*() && {
    assert(has_value());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &**this; }
  const T* operator->() const { return &**this; }

  const Diagnostic& error() const& {
    assert(!has_value());
    return std::get<1>(state_);
  }
  Diagnostic&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(state_));
  }

private:
  std::variant<T, Diagnostic> state_;
};

// The value of an operation that produces nothing but may fail.
struct Ok {};
using Status = Expected<Ok>;

} // namespace mrv
