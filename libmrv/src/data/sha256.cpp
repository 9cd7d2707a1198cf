#include "data/sha256.hpp"

// libcrypto's own SHA-256 (with SHA-NI where the processor has it), called
// directly: the EVP interface first loads OpenSSL's configuration and
// providers, 5 M instructions, a millisecond of every run, for a hash of a
// small project file. OpenSSL 3 marks these functions deprecated, not gone.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <cassert>
#include <new>
#include <stdexcept>

namespace mrv::detail {

struct Sha256::Impl {
  SHA256_CTX context;
  bool finished = false;
};

namespace {
// libcrypto only fails here on allocation failure or a broken installation;
// neither is a problem with the user's input.
void check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("libcrypto: ") + what + " failed");
}
} // namespace

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  check(SHA256_Init(&impl_->context), "SHA256_Init");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t size) {
  assert(!impl_->finished);
  if (size == 0) return;
  check(SHA256_Update(&impl_->context, data, size), "SHA256_Update");
}

std::string Sha256::finish_hex() {
  assert(!impl_->finished);
  impl_->finished = true;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const unsigned int length = SHA256_DIGEST_LENGTH;
  check(SHA256_Final(digest, &impl_->context), "SHA256_Final");
  static constexpr char hex_digits[] = "0123456789abcdef";
  std::string hex(2 * length, '\0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = hex_digits[digest[i] >> 4];
    hex[2 * i + 1] = hex_digits[digest[i] & 0xf];
  }
  return hex;
}

std::string sha256_hex(std::string_view data) {
  Sha256 hash;
  hash.update(data.data(), data.size());
  return hash.finish_hex();
}

} // namespace mrv::detail
