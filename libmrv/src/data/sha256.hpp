// Incremental SHA-256, backed by OpenSSL's libcrypto (SHA-NI where the CPU
// has it: hashing must not dominate the streaming of large inputs).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace mrv::detail {

class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  // Lowercase hex digest; the object cannot be updated afterwards.
  std::string finish_hex();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// SHA-256 of a whole string, lowercase hex.
std::string sha256_hex(std::string_view data);

// SHA-256 of what is left to read of `fd`, read in chunks of 1 MiB (the one
// loop that hashes a file: a receipt's hash beside the parsing, a file read
// in parts, a copy told from a file of the same size). "" on a read error,
// or when `stop` is set between two chunks.
std::string sha256_of_fd(int fd, const std::atomic<bool>* stop = nullptr);
// The same of a file named by its path ("" if it cannot be opened).
std::string sha256_of_file(const std::string& path);

} // namespace mrv::detail
