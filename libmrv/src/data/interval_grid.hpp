// The intervals of a data source: which ones had a row (repeats and gaps
// are found by interval), the rows to compare a repeat with, and the
// interval itself when the source does not declare it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mrv::detail {

// One bit per interval: was there a row? Kept in blocks of 4096 intervals,
// allocated as rows arrive, so memory follows the data, not the length of
// the periods (a year of 1-second intervals costs nothing until it has rows).
class SeenIntervals {
public:
  static constexpr std::int64_t block_bits = 4096;
  using Block = std::array<std::uint64_t, block_bits / 64>;

  // Sets the bit of `slot` (>= 0); returns whether it was set already.
  // `allocated` is incremented when a new block is taken.
  [[gnu::always_inline]] bool test_and_set(std::int64_t slot, std::size_t& allocated) {
    const auto at = static_cast<std::uint64_t>(slot); // unsigned: shifts, not divisions
    const auto number = static_cast<std::int64_t>(at / block_bits);
    if (number != cached_number_) [[unlikely]]
      take_block(number, allocated);
    std::uint64_t& word = (*cached_)[at % block_bits / 64];
    const std::uint64_t mask = 1ull << (at % 64);
    const bool was = (word & mask) != 0;
    word |= mask;
    return was;
  }
  // Whether the bit of `slot` is set (a query: the data path sets bits with
  // test_and_set, which answers the same).
  bool test(std::int64_t slot) const;
  // The block holding slots [number × 4096, (number + 1) × 4096), or nullptr.
  const Block* block(std::int64_t number) const;
  // Whether an interval has a row in both (one file read in parts: a repeat
  // across the cut).
  bool overlaps(const SeenIntervals& other) const;
  // Sets every bit `other` has; `allocated` counts the blocks taken.
  void merge(const SeenIntervals& other, std::size_t& allocated);
  // The numbers of the blocks held, in no order.
  std::vector<std::int64_t> block_numbers() const;

private:
  void take_block(std::int64_t number, std::size_t& allocated);
  std::unordered_map<std::int64_t, std::unique_ptr<Block>> blocks_;
  std::int64_t cached_number_ = -1; // rows come in time order: the last block, again
  Block* cached_ = nullptr;
};

// The last rows of a unit by interval (interval number modulo the
// capacity), so that a repeat can be compared with the row it repeats.
// Allocated at the unit's first row; a repeat of a row displaced from it
// cannot be compared (Aggregation sizes it: 512 rows, fewer with many units).
class RecentRows {
public:
  static constexpr std::size_t most = 512, least = 32;
  // The capacity for `units` units within `budget` bytes in all.
  static std::size_t capacity_for(std::size_t units, std::size_t budget);
  struct Entry {
    std::int64_t slot = -1;
    std::uint64_t hash = 0;
    std::int64_t line = 0;
    std::int32_t file = 0;
    std::int64_t instant = 0; // the row's time: two rows of one interval at two times differ
  };
  // The row of interval `slot`, if it is still held.
  const Entry* find(std::int64_t slot) const {
    if (entries_.empty()) return nullptr;
    const Entry& e = entries_[index(slot)];
    return e.slot == slot ? &e : nullptr;
  }
  // `capacity` (a power of two, capacity_for) is taken at the first put.
  [[gnu::always_inline]] void put(const Entry& entry, std::size_t capacity) {
    if (entries_.empty()) [[unlikely]] {
      entries_.resize(capacity);
      mask_ = capacity - 1;
    }
    entries_[index(entry.slot)] = entry;
  }

  // Puts the rows `later` holds, as if they had been put after this one's.
  void merge_later(const RecentRows& later, std::int64_t line_delta);

private:
  std::size_t index(std::int64_t slot) const { return static_cast<std::size_t>(slot) & mask_; }
  std::vector<Entry> entries_;
  std::size_t mask_ = 0; // entries_.size() - 1: no division by the entry's size
};

// Infers a source's interval from the timestamps of its first rows: the most
// common step between a unit's consecutive distinct timestamps, when at
// least 90 % of the steps are whole multiples of it (a gap is a step of
// several intervals). Anything else is irregular: no interval.
class IntervalInference {
public:
  static constexpr std::size_t sample_rows = 4096;
  void add(std::size_t unit, std::int64_t time) { sample_.emplace_back(unit, time); }
  bool full() const { return sample_.size() >= sample_rows; }
  // The interval in seconds, or nothing with the reason in `why`.
  std::optional<std::int64_t> infer(std::string& why) const;

private:
  std::vector<std::pair<std::size_t, std::int64_t>> sample_;
};

// "1 h", "15 min", "30 s", "1 d", "90 s": a duration as a project writes it.
std::string format_duration(std::int64_t seconds);

} // namespace mrv::detail
