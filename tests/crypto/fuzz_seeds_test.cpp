// The checked-in fuzz seeds must stay meaningful: a seed that no longer verifies
// would leave the fuzzer starting from refusals only.
#include "../fuzz/fuzz_world.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace kakunin::fuzzing {
namespace {

std::string seed_text(const std::string& name) {
  std::ifstream in(std::string(KAKUNIN_TEST_DATA) + "/../fuzz/corpus/fuzz_qr_verify/" + name,
                   std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes.empty() ? bytes : bytes.substr(1);  // drop the mode byte
}

TEST(FuzzSeeds, ValidSeedsStillVerifyInTheFuzzWorld) {
  const FuzzWorld world;
  const auto verifier = world.verifier();
  for (const char* name :
       {"issuer_es256_text", "issuer_ed25519_text", "holder_es256_text", "holder_ed25519_text"}) {
    const auto result = verifier->verify(seed_text(name), kFuzzNow);
    EXPECT_EQ(result.verdict(), crypto::Verdict::valid) << name << ": " << result.detail();
  }
  EXPECT_EQ(verifier->verify(seed_text("issuer_revoked_text"), kFuzzNow).verdict(),
            crypto::Verdict::revoked);
}

}  // namespace
}  // namespace kakunin::fuzzing
