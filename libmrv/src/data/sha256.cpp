#include "data/sha256.hpp"

// libcrypto's own SHA-256 (with SHA-NI where the processor has it), called
// directly: the EVP interface first loads OpenSSL's configuration and
// providers, 5 M instructions, a millisecond of every run, for a hash of a
// small project file. OpenSSL 3 marks these functions deprecated, not gone.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <fcntl.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <new>
#include <stdexcept>
#include <vector>

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

std::string sha256_of_fd(int fd, const std::atomic<bool>* stop) {
  Sha256 digest;
  std::vector<char> chunk(1 << 20);
  for (;;) {
    if (stop && *stop) return {};
    const ssize_t got = ::read(fd, chunk.data(), chunk.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return {};
    if (got == 0) break;
    digest.update(chunk.data(), static_cast<std::size_t>(got));
  }
  return digest.finish_hex();
}

std::string sha256_of_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string hex = sha256_of_fd(fd);
  ::close(fd);
  return hex;
}

} // namespace mrv::detail
