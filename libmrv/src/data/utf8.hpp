// UTF-8 decoding for the writers: JSON escaping and terminal widths.
#pragma once

#include <cstddef>
#include <string_view>

namespace mrv::detail {

// Length of the valid UTF-8 sequence at the start of `text`, or 0 when the
// bytes there are not one (stray continuation, overlong form, surrogate,
// beyond U+10FFFF, truncated). `code_point` receives the decoded value.
std::size_t utf8_sequence(std::string_view text, char32_t& code_point);

} // namespace mrv::detail
