#include "data/yaml_cache.hpp"

#include "data/sha256.hpp"
#include "mrv/cache.hpp"
#include "mrv/numbers.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

namespace mrv {

namespace {
// Set once, before any thread reads a file (the command sets it at start).
std::string& cache_folder() {
  static std::string folder;
  return folder;
}
} // namespace

void use_parse_cache(std::string folder) {
  cache_folder() = std::move(folder);
}

std::string default_parse_cache() {
  if (const char* dir = std::getenv("MRV_CACHE_DIR"))
    return std::strcmp(dir, "off") == 0 ? std::string() : std::string(dir);
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/mrv";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/mrv";
  return {};
}

} // namespace mrv

namespace mrv::detail {

namespace {

constexpr std::string_view kMagic = "mrv-yaml-tree/1\n";

void put_u32(std::string& out, std::uint64_t value) {
  for (int b = 0; b < 4; ++b)
    out.push_back(static_cast<char>(value >> (8 * b) & 0xff));
}
void put_u64(std::string& out, std::uint64_t value) {
  put_u32(out, value & 0xffffffff);
  put_u32(out, value >> 32);
}

void put_node(std::string& out, const YamlNode& node) {
  out.push_back(static_cast<char>(node.kind));
  out.push_back(node.quoted ? 1 : 0);
  put_u32(out, static_cast<std::uint32_t>(node.line));
  put_u32(out, static_cast<std::uint32_t>(node.column));
  put_u64(out, node.offset);
  put_u32(out, node.value.size());
  out += node.value;
  put_u32(out, node.items.size());
  for (const YamlNode& item : node.items)
    put_node(out, item);
  put_u32(out, node.entries.size());
  for (const YamlEntry& entry : node.entries) {
    put_node(out, entry.key);
    put_node(out, entry.value);
  }
}

// Reads what put_node wrote, refusing anything short or out of bounds.
class TreeReader {
public:
  TreeReader(std::string_view bytes, const YamlLimits& limits) : in_(bytes), limits_(limits) {}

  bool node(YamlNode& node, int depth) {
    if (depth > limits_.max_depth || ++nodes_ > limits_.max_nodes) return false;
    std::uint64_t kind = 0, quoted = 0, line = 0, column = 0, offset = 0, size = 0;
    if (!byte(kind) || kind > 3 || !byte(quoted) || quoted > 1 || !u32(line) || !u32(column) ||
        !u64(offset) || !u32(size) || size > in_.size() - at_)
      return false;
    node.kind = static_cast<YamlNode::Kind>(kind);
    node.quoted = quoted == 1;
    node.line = static_cast<int>(line);
    node.column = static_cast<int>(column);
    node.offset = static_cast<std::size_t>(offset);
    node.value.assign(in_.substr(at_, size));
    at_ += size;
    std::uint64_t count = 0;
    if (!u32(count) || count > limits_.max_nodes) return false;
    node.items.resize(count);
    for (YamlNode& item : node.items)
      if (!this->node(item, depth + 1)) return false;
    if (!u32(count) || count > limits_.max_nodes) return false;
    node.entries.resize(count);
    for (YamlEntry& entry : node.entries)
      if (!this->node(entry.key, depth + 1) || !this->node(entry.value, depth + 1)) return false;
    return true;
  }
  bool at_end() const { return at_ == in_.size(); }

private:
  std::string_view in_;
  std::size_t at_ = 0;
  const YamlLimits& limits_;
  std::size_t nodes_ = 0;

  bool byte(std::uint64_t& value) {
    if (at_ >= in_.size()) return false;
    value = static_cast<unsigned char>(in_[at_++]);
    return true;
  }
  bool u32(std::uint64_t& value) {
    if (in_.size() - at_ < 4) return false;
    value = 0;
    for (std::size_t b = 0; b < 4; ++b)
      value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[at_ + b])) << (8 * b);
    at_ += 4;
    return true;
  }
  bool u64(std::uint64_t& value) {
    std::uint64_t low = 0, high = 0;
    if (!u32(low) || !u32(high)) return false;
    value = low | high << 32;
    return true;
  }
};

// The entry of `text`: its content hash, mrv's version and the limits it
// was parsed under all name it.
std::string entry_path(std::string_view text, const YamlLimits& limits) {
  Sha256 hash;
  hash.update(text.data(), text.size());
  const std::string context = fmt::format("\n{}\n{}\n{}\n{}\n", mrv_version(), limits.max_bytes,
                                          limits.max_depth, limits.max_nodes);
  hash.update(context.data(), context.size());
  return cache_folder() + "/" + hash.finish_hex() + ".tree";
}

std::optional<std::string> read_entry(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string bytes;
  char chunk[65536];
  for (;;) {
    const ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      ::close(fd);
      if (got < 0) return std::nullopt;
      return bytes;
    }
    bytes.append(chunk, static_cast<std::size_t>(got));
  }
}

} // namespace

std::string tree_bytes(const YamlNode& root) {
  std::string out(kMagic);
  put_node(out, root);
  return out;
}

std::optional<YamlNode> tree_from_bytes(std::string_view bytes, const YamlLimits& limits) {
  if (!bytes.starts_with(kMagic)) return std::nullopt;
  TreeReader reader(bytes.substr(kMagic.size()), limits);
  YamlNode root;
  if (!reader.node(root, 0) || !reader.at_end()) return std::nullopt;
  return root;
}

std::optional<YamlNode> cached_tree(std::string_view text, const YamlLimits& limits) {
  if (cache_folder().empty()) return std::nullopt;
  const std::optional<std::string> bytes = read_entry(entry_path(text, limits));
  if (!bytes) return std::nullopt;
  return tree_from_bytes(*bytes, limits);
}

void keep_tree(std::string_view text, const YamlLimits& limits, const YamlNode& root) {
  if (cache_folder().empty()) return;
  const std::string path = entry_path(text, limits);
  // The folder and any missing parents (~/.cache may not exist yet), for
  // this user only.
  std::error_code ignored;
  if (std::filesystem::create_directories(cache_folder(), ignored))
    std::filesystem::permissions(cache_folder(), std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ignored);
  // Written aside and renamed: a reader sees a whole entry or none, and
  // runs writing the same entry at once do not mix their bytes.
  static std::atomic<unsigned> serial{0};
  const std::string temporary =
      fmt::format("{}.{}.{}.{}", path, ::getpid(),
                  std::hash<std::thread::id>{}(std::this_thread::get_id()), serial++);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const std::string bytes = tree_bytes(root);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t put = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) break;
    written += static_cast<std::size_t>(put);
  }
  const bool closed = ::close(fd) == 0;
  const bool whole = written == bytes.size() && closed;
  if (!whole || ::rename(temporary.c_str(), path.c_str()) != 0) ::unlink(temporary.c_str());
}

} // namespace mrv::detail
