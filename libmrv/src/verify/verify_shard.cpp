// --shard K/N: which entries of a manifest one process of N takes.
//
// The share is a function of the entry id alone (not of its position), so
// shards agree without talking to each other, reordering a manifest moves
// nothing, and adding an entry moves no other.
#include "mrv/verify.hpp"

#include <charconv>

namespace mrv {

// FNV-1a, 64 bits: tiny, stable across platforms and releases, and spreads
// short similar ids well enough for a share of work.
std::uint64_t fnv1a_64(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

namespace {
std::optional<std::uint64_t> positive(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value == 0) return std::nullopt;
  return value;
}
} // namespace

std::optional<Shard> parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::optional<std::uint64_t> index = positive(text.substr(0, slash));
  const std::optional<std::uint64_t> count = positive(text.substr(slash + 1));
  if (!index || !count || *index > *count) return std::nullopt;
  return Shard{*index, *count};
}

bool in_shard(std::string_view id, const Shard& shard) {
  return fnv1a_64(id) % shard.count + 1 == shard.index;
}

} // namespace mrv
