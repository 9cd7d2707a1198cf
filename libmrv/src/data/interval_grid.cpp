#include "data/interval_grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace mrv::detail {

void SeenIntervals::take_block(std::int64_t number, std::size_t& allocated) {
  std::unique_ptr<Block>& block = blocks_[number];
  if (!block) {
    block = std::make_unique<Block>();
    ++allocated;
  }
  cached_number_ = number;
  cached_ = block.get();
}

bool SeenIntervals::test(std::int64_t slot) const {
  const Block* b = block(slot / block_bits);
  const std::int64_t bit = slot % block_bits;
  return b && ((*b)[static_cast<std::size_t>(bit / 64)] >> (bit % 64) & 1) != 0;
}

const SeenIntervals::Block* SeenIntervals::block(std::int64_t number) const {
  auto found = blocks_.find(number);
  return found == blocks_.end() ? nullptr : found->second.get();
}

bool SeenIntervals::overlaps(const SeenIntervals& other) const {
  for (const auto& [number, theirs] : other.blocks_)
    if (const Block* ours = block(number))
      for (std::size_t w = 0; w < ours->size(); ++w)
        if (((*ours)[w] & (*theirs)[w]) != 0) return true;
  return false;
}

void SeenIntervals::merge(const SeenIntervals& other, std::size_t& allocated) {
  for (const auto& [number, theirs] : other.blocks_) {
    take_block(number, allocated);
    for (std::size_t w = 0; w < theirs->size(); ++w)
      (*cached_)[w] |= (*theirs)[w];
  }
}

std::vector<std::int64_t> SeenIntervals::block_numbers() const {
  std::vector<std::int64_t> numbers;
  numbers.reserve(blocks_.size());
  for (const auto& entry : blocks_)
    numbers.push_back(entry.first);
  return numbers;
}

void RecentRows::merge_later(const RecentRows& later, std::int64_t line_delta) {
  if (later.entries_.empty()) return;
  if (entries_.empty()) {
    entries_.resize(later.entries_.size());
    mask_ = entries_.size() - 1;
  }
  for (std::size_t i = 0; i < later.entries_.size(); ++i)
    if (later.entries_[i].slot >= 0) {
      entries_[i] = later.entries_[i];
      entries_[i].line += line_delta;
    }
}

std::size_t RecentRows::capacity_for(std::size_t units, std::size_t budget) {
  std::size_t capacity = most;
  while (capacity > least && capacity * sizeof(Entry) * std::max<std::size_t>(units, 1) > budget)
    capacity /= 2;
  return capacity;
}

std::optional<std::int64_t> IntervalInference::infer(std::string& why) const {
  std::vector<std::pair<std::size_t, std::int64_t>> rows = sample_;
  std::sort(rows.begin(), rows.end());
  std::map<std::int64_t, std::size_t> steps; // step → how often
  std::size_t total = 0;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    if (rows[k].first != rows[k - 1].first || rows[k].second == rows[k - 1].second) continue;
    ++steps[rows[k].second - rows[k - 1].second];
    ++total;
  }
  if (total < 2) {
    why = "too few rows per unit to tell";
    return std::nullopt;
  }
  std::int64_t step = 0;
  std::size_t most = 0;
  for (const auto& [length, count] : steps) // the smallest of equally common steps
    if (count > most) step = length, most = count;
  std::size_t multiples = 0;
  for (const auto& [length, count] : steps)
    if (length % step == 0) multiples += count;
  if (multiples * 10 < total * 9) {
    why = fmt::format("the rows are not evenly spaced (steps of {} and {}, among others)",
                      format_duration(steps.begin()->first),
                      format_duration(std::prev(steps.end())->first));
    return std::nullopt;
  }
  return step;
}

std::string format_duration(std::int64_t seconds) {
  if (seconds % 86400 == 0) return fmt::format("{} d", seconds / 86400);
  if (seconds % 3600 == 0) return fmt::format("{} h", seconds / 3600);
  if (seconds % 60 == 0) return fmt::format("{} min", seconds / 60);
  return fmt::format("{} s", seconds);
}

} // namespace mrv::detail
