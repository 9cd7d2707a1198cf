// Incremental SHA-256, backed by OpenSSL's libcrypto (SHA-NI where the CPU
// has it: hashing must not dominate the streaming of large inputs).
#pragma once

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

} // namespace mrv::detail
