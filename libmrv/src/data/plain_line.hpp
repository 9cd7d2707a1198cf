// One line of a plain CSV export, found in one pass of SSE2 compares: where
// it ends and where its delimiters are. "Plain" is the common case that the
// data path reads without CsvReader::next(): no quote, no '\r' but in a CRLF
// line end, at most 63 bytes before the line end. Anything else is left to
// CsvReader::next(), which reads (and checks) every line the same way.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mrv::detail {

struct PlainLine {
  std::uint64_t delimiters = 0; // bit i: byte i is the delimiter
  unsigned length = 0;          // bytes before the line end
  unsigned next = 0;            // bytes to the next line (the line end included)
};

// Three fields of plain lines by their index, for lines of `fields` fields.
// Their bounds are found again only when a line's delimiters are not where
// the last line's were: an export's lines mostly differ only in the length
// of the last field.
class FieldPicker {
public:
  static constexpr int picked = 3; // pick() is written out for three
  FieldPicker(unsigned fields, const unsigned (&wanted)[picked]) : fields_(fields) {
    for (int i = 0; i < picked; ++i)
      wanted_[i] = wanted[i];
  }
  // False when the line has another number of fields.
  [[gnu::always_inline]] bool pick(const char* p, const PlainLine& line,
                                   std::string_view (&out)[picked]) {
    if (line.delimiters != delimiters_ && !learn(line.delimiters)) return false;
    // Written out: GCC at -O2 keeps the loop.
    out[0] = {p + start_[0], std::min(stop_[0], line.length) - start_[0]};
    out[1] = {p + start_[1], std::min(stop_[1], line.length) - start_[1]};
    out[2] = {p + start_[2], std::min(stop_[2], line.length) - start_[2]};
    return true;
  }

private:
  bool learn(std::uint64_t delimiters) {
    unsigned bounds[65]; // bounds[k]: where field k ends, but for the last
    unsigned count = 0;
    for (std::uint64_t bits = delimiters; bits != 0; bits &= bits - 1)
      bounds[count++] = static_cast<unsigned>(__builtin_ctzll(bits));
    if (count + 1 != fields_) return false;
    for (int i = 0; i < picked; ++i) {
      const unsigned k = wanted_[i];
      start_[i] = k == 0 ? 0 : bounds[k - 1] + 1;
      stop_[i] = k == count ? ~0u : bounds[k]; // the last field: to the line's end
    }
    delimiters_ = delimiters;
    return true;
  }
  unsigned fields_;
  unsigned wanted_[picked];
  std::uint64_t delimiters_ = ~std::uint64_t{0}; // no line of 63 bytes has these
  unsigned start_[picked] = {}, stop_[picked] = {};
};

#if defined(__SSE2__)
namespace plain_line_detail {
[[gnu::always_inline]] inline std::uint64_t bits_16(__m128i match, int shift) {
  return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(match))) << shift;
}
} // namespace plain_line_detail
#endif

// Reads the line at `p` into `line`; false when it is not plain (or is
// blank). The 64 bytes from any byte of the line must be readable (the
// reader's buffer); the line must end with a
// '\n' (bytes after it are not looked at). Each line classifies its own
// bytes: measured, classifying each 64 bytes of a buffer once and shifting
// a line's bits out of two blocks was a fifth slower (the branch to the
// next block goes one way or the other at random).
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
  const unsigned next = end + 1;
  line.delimiters = delimiter_bits & ((std::uint64_t{1} << length) - 1);
  line.length = length;
  line.next = next;
  return true;
#else
  (void)p, (void)delimiter, (void)line;
  return false;
#endif
}

// The last text of a field and what it was read as: rows of several units
// repeat their timestamp (ten PV units, ten rows a minute), and one compare
// of at most 32 bytes then replaces a parse. The 32 bytes from the start of
// each text must be readable (the reader's buffer).
class RepeatedText {
public:
  [[gnu::always_inline]] bool same(std::string_view text, std::int64_t& value) const {
#if defined(__SSE2__)
    if (text.size() != size_) return false;
    const char* p = text.data();
    const auto lane = [](const char* a, const char* b) {
      return static_cast<std::uint32_t>(
          _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a)),
                                           _mm_loadu_si128(reinterpret_cast<const __m128i*>(b)))));
    };
    const std::uint32_t equal = lane(p, text_) | lane(p + 16, text_ + 16) << 16;
    const std::uint32_t wanted = size_ == 32 ? ~0u : (1u << size_) - 1;
    if ((equal & wanted) != wanted) return false;
    value = value_;
    return true;
#else
    (void)text, (void)value;
    return false;
#endif
  }
  void keep(std::string_view text, std::int64_t value) {
    if (text.size() > sizeof text_) return;
    std::memcpy(text_, text.data(), sizeof text_);
    size_ = text.size();
    value_ = value;
  }

private:
  char text_[32] = {};
  // None kept: no text has this size (a size of 33 once matched a 33-byte
  // text and shifted 1 by 33: found by the fuzzer).
  std::size_t size_ = std::numeric_limits<std::size_t>::max();
  std::int64_t value_ = 0;
};

} // namespace mrv::detail
