#include "data/sha256.hpp"

#include <doctest/doctest.h>

#include <string>

using mrv::detail::Sha256;
using mrv::detail::sha256_hex;

TEST_SUITE("sha256") {

  // Test vectors from FIPS 180-2, appendix B.
  TEST_CASE("sha256: the empty message has the FIPS digest") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  TEST_CASE("sha256: \"abc\" has the FIPS digest") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  TEST_CASE("sha256: the 448-bit two-block message has the FIPS digest") {
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }

  TEST_CASE("sha256: a million 'a' fed in uneven chunks has the FIPS digest") {
    const std::string million(1000000, 'a');
    Sha256 hash;
    std::size_t position = 0;
    std::size_t chunk = 1;
    while (position < million.size()) {
      const std::size_t size = std::min(chunk, million.size() - position);
      hash.update(million.data() + position, size);
      position += size;
      chunk = chunk * 7 % 65521 + 1; // 1, 8, 57, 400, ... uneven sizes
    }
    CHECK(hash.finish_hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    CHECK(sha256_hex(million) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }

  TEST_CASE("sha256: empty updates change nothing") {
    Sha256 hash;
    hash.update("ab", 2);
    hash.update("", 0);
    hash.update("c", 1);
    CHECK(hash.finish_hex() == sha256_hex("abc"));
  }
}
