#include "data/sha256.hpp"

#include <openssl/evp.h>

#include <cassert>
#include <new>
#include <stdexcept>

namespace mrv::detail {

struct Sha256::Impl {
  EVP_MD_CTX* context = nullptr;
  bool finished = false;
  ~Impl() { EVP_MD_CTX_free(context); }
};

namespace {
// libcrypto only fails here on allocation failure or a broken installation;
// neither is a problem with the user's input.
void check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("libcrypto: ") + what + " failed");
}
} // namespace

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  impl_->context = EVP_MD_CTX_new();
  if (impl_->context == nullptr) throw std::bad_alloc();
  check(EVP_DigestInit_ex(impl_->context, EVP_sha256(), nullptr), "EVP_DigestInit_ex");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t size) {
  assert(!impl_->finished);
  if (size == 0) return;
  check(EVP_DigestUpdate(impl_->context, data, size), "EVP_DigestUpdate");
}

std::string Sha256::finish_hex() {
  assert(!impl_->finished);
  impl_->finished = true;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  check(EVP_DigestFinal_ex(impl_->context, digest, &length), "EVP_DigestFinal_ex");
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
