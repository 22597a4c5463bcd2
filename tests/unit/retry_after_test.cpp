// Retry-After (RFC 9110 10.2.3): delta-seconds or an HTTP date, read into ms from now.
#include <cstdint>
#include <limits>
#include <optional>

#include <gtest/gtest.h>

#include "core/responses.hpp"

namespace baanx {
namespace {

// Sun, 06 Nov 1994 08:49:37 GMT, the example date of RFC 9110.
constexpr std::int64_t kExampleDateMs = 784111777LL * 1000;
constexpr std::int64_t kNowMs = 1700000000000;

TEST(ParseRetryAfter, ReadsDeltaSecondsAsMilliseconds) {
  EXPECT_EQ(parseRetryAfter("120", kNowMs), 120000);
}

TEST(ParseRetryAfter, ReadsZeroAsNoWait) { EXPECT_EQ(parseRetryAfter("0", kNowMs), 0); }

TEST(ParseRetryAfter, IgnoresSurroundingSpaces) {
  EXPECT_EQ(parseRetryAfter("  30 ", kNowMs), 30000);
  EXPECT_EQ(parseRetryAfter("\t30\t", kNowMs), 30000);
}

TEST(ParseRetryAfter, SaturatesHugeDeltaInsteadOfOverflowing) {
  std::optional<std::int64_t> huge = parseRetryAfter("99999999999999999999999999999999", kNowMs);
  ASSERT_TRUE(huge.has_value());
  EXPECT_GE(*huge, 1000LL * 1000 * 1000 * 1000 * 1000);                 // more than 31 years
  EXPECT_LE(*huge, std::numeric_limits<std::int64_t>::max() - kNowMs);  // now + wait still fits
  EXPECT_EQ(parseRetryAfter("999999999999999999999999999999999999999", kNowMs), huge);
}

TEST(ParseRetryAfter, RejectsNegativeDelta) {
  EXPECT_EQ(parseRetryAfter("-5", kNowMs), std::nullopt);
}

TEST(ParseRetryAfter, RejectsFractionalDelta) {
  EXPECT_EQ(parseRetryAfter("1.5", kNowMs), std::nullopt);
}

TEST(ParseRetryAfter, RejectsDeltaWithUnit) {
  EXPECT_EQ(parseRetryAfter("10s", kNowMs), std::nullopt);
}

TEST(ParseRetryAfter, RejectsEmptyValue) {
  EXPECT_EQ(parseRetryAfter("", kNowMs), std::nullopt);
  EXPECT_EQ(parseRetryAfter("   ", kNowMs), std::nullopt);
}

TEST(ParseRetryAfter, RejectsGarbage) {
  EXPECT_EQ(parseRetryAfter("soon", kNowMs), std::nullopt);
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994", kNowMs), std::nullopt);
}

TEST(ParseRetryAfter, ReadsImfFixdate) {
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kExampleDateMs - 5000), 5000);
}

TEST(ParseRetryAfter, ReadsImfFixdateOnLeapDay) {
  // Thu, 29 Feb 2024 12:00:00 GMT is 1709208000 s after the epoch.
  EXPECT_EQ(parseRetryAfter("Thu, 29 Feb 2024 12:00:00 GMT", 1709208000000 - 90000), 90000);
}

TEST(ParseRetryAfter, ReadsRfc850Date) {
  EXPECT_EQ(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", kExampleDateMs - 7000), 7000);
}

TEST(ParseRetryAfter, ReadsRfc850TwoDigitYearBelow70As20xx) {
  // Thursday, 01-Jan-26 00:00:00 GMT is 1767225600 s after the epoch.
  EXPECT_EQ(parseRetryAfter("Thursday, 01-Jan-26 00:00:00 GMT", 1767225600000 - 1000), 1000);
}

TEST(ParseRetryAfter, ReadsAsctimeDate) {
  EXPECT_EQ(parseRetryAfter("Sun Nov  6 08:49:37 1994", kExampleDateMs - 3000), 3000);
}

TEST(ParseRetryAfter, ReadsAsctimeDateWithTwoDigitDay) {
  const std::int64_t tenDaysMs = 10LL * 86400 * 1000;
  EXPECT_EQ(parseRetryAfter("Wed Nov 16 08:49:37 1994", kExampleDateMs), tenDaysMs);
}

TEST(ParseRetryAfter, DateInThePastMeansNoWait) {
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kNowMs), 0);
}

TEST(ParseRetryAfter, DateFarInTheFutureDoesNotOverflow) {
  // Fri, 31 Dec 9999 23:59:59 GMT is 253402300799 s after the epoch.
  EXPECT_EQ(parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", kNowMs), 253402300799000LL - kNowMs);
}

TEST(ParseRetryAfter, RejectsUnknownMonth) {
  EXPECT_EQ(parseRetryAfter("Sun, 06 Foo 1994 08:49:37 GMT", 0), std::nullopt);
}

TEST(ParseRetryAfter, RejectsImpossibleTime) {
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 24:00:00 GMT", 0), std::nullopt);
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:60:00 GMT", 0), std::nullopt);
}

TEST(ParseRetryAfter, RejectsImpossibleDay) {
  EXPECT_EQ(parseRetryAfter("Sun, 32 Nov 1994 08:49:37 GMT", 0), std::nullopt);
  EXPECT_EQ(parseRetryAfter("Sun, 00 Nov 1994 08:49:37 GMT", 0), std::nullopt);
}

TEST(ParseRetryAfter, RejectsZoneOtherThanGmt) {
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 UTC", 0), std::nullopt);
}

}  // namespace
}  // namespace baanx
