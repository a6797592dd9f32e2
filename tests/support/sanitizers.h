// Which sanitizer this test program is built with (cmake/sanitizers.cmake), for
// the few tests that cannot hold under one. A sanitizer's shadow memory counts as
// resident memory, so a bound on it holds only for the kiosk as shipped; and a
// test that cannot run under ThreadSanitizer is skipped with its reason:
//
//   if (kMeasuresMemory) EXPECT_LT(peak_rss_kib, kRssLimitKiB);
//   KAKUNIN_SKIP_UNDER_TSAN("bounds memory, which TSan's shadow multiplies");
#pragma once

#include <gtest/gtest.h>

namespace kakunin::testing {

// gcc names the sanitizers with __SANITIZE_*__, clang with __has_feature.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
inline constexpr bool kAddressSanitizer = __has_feature(address_sanitizer);
#else
inline constexpr bool kAddressSanitizer = false;
#endif

#if defined(__SANITIZE_THREAD__)
inline constexpr bool kThreadSanitizer = true;
#elif defined(__has_feature)
inline constexpr bool kThreadSanitizer = __has_feature(thread_sanitizer);
#else
inline constexpr bool kThreadSanitizer = false;
#endif

// Resident memory is the program's own only without a sanitizer's shadow.
inline constexpr bool kMeasuresMemory = !kAddressSanitizer && !kThreadSanitizer;

}  // namespace kakunin::testing

// Ends the test as skipped in a ThreadSanitizer build, saying why.
#define KAKUNIN_SKIP_UNDER_TSAN(reason)        \
  if (!::kakunin::testing::kThreadSanitizer) { \
  } else                                       \
    GTEST_SKIP() << "not under ThreadSanitizer: " << (reason)
