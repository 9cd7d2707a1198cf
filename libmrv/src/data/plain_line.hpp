// One line of a plain CSV export, found in one pass of SSE2 compares: where
// it ends and where its delimiters are. "Plain" is the common case that the
// data path reads without CsvReader::next(): no quote, no '\r' but in a CRLF
// line end, at most 63 bytes before the line end. Anything else is left to
// CsvReader::next(), which reads (and checks) every line the same way.
#pragma once

#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mrv::detail {

struct PlainLine {
  unsigned length = 0;   // bytes before the line end
  unsigned next = 0;     // bytes to the next line (the line end included)
  unsigned fields = 0;   // the delimiters plus one
  std::uint8_t ends[64]; // where each field but the last ends (its delimiter)
  // Field `k`'s text, for k < fields.
  std::string_view field(const char* line, unsigned k) const {
    const unsigned start = k == 0 ? 0 : ends[k - 1] + 1u;
    const unsigned stop = k + 1 < fields ? ends[k] : length;
    return {line + start, stop - start};
  }
};

#if defined(__SSE2__)
namespace plain_line_detail {
[[gnu::always_inline]] inline std::uint64_t bits_16(__m128i match, int shift) {
  return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(match))) << shift;
}
} // namespace plain_line_detail
#endif

// Reads the line at `p` into `line`; false when it is not plain (or is
// blank). The 64 bytes from `p` must be readable; the line must end with a
// '\n' (bytes after it are not looked at).
[[gnu::always_inline]] inline bool read_plain_line(const char* p, char delimiter, PlainLine& line) {
#if defined(__SSE2__)
  using plain_line_detail::bits_16;
  const __m128i delimiters = _mm_set1_epi8(delimiter);
  const __m128i newlines = _mm_set1_epi8('\n');
  const __m128i quotes = _mm_set1_epi8('"');
  const __m128i returns = _mm_set1_epi8('\r');
  std::uint64_t delimiter_bits = 0, newline_bits = 0, special_bits = 0;
  // Written out, not a loop: GCC at -O2 keeps a loop with variable shifts.
  auto classify = [&](int offset) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + offset));
    delimiter_bits |= bits_16(_mm_cmpeq_epi8(bytes, delimiters), offset);
    newline_bits |= bits_16(_mm_cmpeq_epi8(bytes, newlines), offset);
    special_bits |= bits_16(
        _mm_or_si128(_mm_cmpeq_epi8(bytes, quotes), _mm_cmpeq_epi8(bytes, returns)), offset);
  };
  classify(0);
  classify(16);
  classify(32);
  if (newline_bits == 0) [[unlikely]] { // most lines are shorter than 48 bytes
    classify(48);
    if (newline_bits == 0) return false; // longer than 63 bytes
  }
  const auto end = static_cast<unsigned>(__builtin_ctzll(newline_bits));
  const std::uint64_t before = (std::uint64_t{1} << end) - 1;
  special_bits &= before;
  unsigned length = end;
  if (special_bits != 0) { // only a '\r' right before the '\n'
    if (special_bits != std::uint64_t{1} << (end - 1) || p[end - 1] != '\r') return false;
    length = end - 1;
  }
  if (length == 0) return false; // blank: CsvReader::next() counts it
  delimiter_bits &= before;
  unsigned count = 0;
  for (; delimiter_bits != 0; delimiter_bits &= delimiter_bits - 1)
    line.ends[count++] = static_cast<std::uint8_t>(__builtin_ctzll(delimiter_bits));
  line.fields = count + 1;
  line.length = length;
  line.next = end + 1;
  return true;
#else
  (void)p, (void)delimiter, (void)line;
  return false;
#endif
}

} // namespace mrv::detail
