#include "core/validation.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/json.hpp"
#include "test_support.hpp"

namespace baanx {
namespace {

using fakes::contains;
using fakes::describe;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kBaseUrl = "https://dev.api.baanx.com";
constexpr const char* kClientKey = "ck_live_7Hq2ZxVb9Lm4";
constexpr const char* kEmail = "ada@example.com";
constexpr const char* kPassword = "Tr0ub4dor&3-horse";
constexpr const char* kUserId = "b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9";

json loginInput(json email, json password) { return {{"email", email}, {"password", password}}; }

json loginInputWithCode(json code) {
  json input = loginInput(kEmail, kPassword);
  input["otpCode"] = std::move(code);
  return input;
}

json config() { return {{"baseUrl", kBaseUrl}, {"clientKey", kClientKey}}; }

json configWith(const char* key, json value) {
  json result = config();
  result[key] = std::move(value);
  return result;
}

// --- emails ------------------------------------------------------------------------------------

TEST(IsPlausibleEmail, AcceptsOrdinaryAddress) {
  EXPECT_TRUE(isPlausibleEmail("ada.lovelace+card@mail.example.co.uk"));
}

TEST(IsPlausibleEmail, RejectsAddressWithoutAt) {
  EXPECT_FALSE(isPlausibleEmail("ada.example.com"));
}

TEST(IsPlausibleEmail, RejectsAddressWithTwoAts) {
  EXPECT_FALSE(isPlausibleEmail("ada@lovelace@example.com"));
}

TEST(IsPlausibleEmail, RejectsDomainWithoutDot) { EXPECT_FALSE(isPlausibleEmail("ada@localhost")); }

TEST(IsPlausibleEmail, RejectsSpaceInside) {
  EXPECT_FALSE(isPlausibleEmail("ada lovelace@example.com"));
  EXPECT_FALSE(isPlausibleEmail("ada@exam ple.com"));
}

TEST(IsPlausibleEmail, RejectsEmptyLocalPart) { EXPECT_FALSE(isPlausibleEmail("@example.com")); }

TEST(IsPlausibleEmail, RejectsConsecutiveDotsInLocalPart) {
  EXPECT_FALSE(isPlausibleEmail("ada..lovelace@example.com"));
}

TEST(IsPlausibleEmail, RejectsEmptyDomainLabel) {
  EXPECT_FALSE(isPlausibleEmail("ada@example..com"));
  EXPECT_FALSE(isPlausibleEmail("ada@.example.com"));
}

TEST(IsPlausibleEmail, RejectsAddressLongerThan254Bytes) {
  const std::string local(64, 'a');
  const std::string domain254 = std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                                std::string(61, 'd');  // 64 + 1 + 189 = 254 bytes
  ASSERT_TRUE(isPlausibleEmail(local + "@" + domain254));
  EXPECT_FALSE(isPlausibleEmail(local + "@" + domain254 + "d"));
}

TEST(IsPlausibleEmail, RejectsLocalPartLongerThan64Bytes) {
  ASSERT_TRUE(isPlausibleEmail(std::string(64, 'a') + "@example.com"));
  EXPECT_FALSE(isPlausibleEmail(std::string(65, 'a') + "@example.com"));
}

TEST(ParseLoginInput, TrimsSpacesAroundEmail) {
  auto parsed = parseLoginInput(loginInput("  ada@example.com\t", kPassword));
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_EQ(parsed.value().email, "ada@example.com");
}

TEST(ParseLoginInput, RejectsImplausibleEmail) {
  auto parsed = parseLoginInput(loginInput("ada.example.com", kPassword));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "email");
  EXPECT_THAT(parsed.error().message, HasSubstr("email must be an email address"));
}

TEST(ParseLoginInput, RejectsEmptyEmail) {
  auto parsed = parseLoginInput(loginInput("", kPassword));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "email");
}

TEST(ParseLoginInput, RejectsEmailThatIsNotAString) {
  auto parsed = parseLoginInput(loginInput(42, kPassword));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "email");
}

TEST(ParseLoginInput, RejectsMissingEmail) {
  auto parsed = parseLoginInput(json{{"password", kPassword}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "email");
}

TEST(ParseLoginInput, RejectsInputThatIsNotAnObject) {
  auto parsed = parseLoginInput(json::array({kEmail, kPassword}));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "input");
  EXPECT_THAT(parsed.error().message, HasSubstr("login expects an object"));
}

// --- passwords ---------------------------------------------------------------------------------

TEST(ParseLoginInput, KeepsPasswordExactlyAsGiven) {
  const std::string padded = std::string("  ") + kPassword + " ";
  auto parsed = parseLoginInput(loginInput(kEmail, padded));
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_TRUE(parsed.value().password == padded);
  EXPECT_FALSE(parsed.value().otpCode.has_value());
}

TEST(ParseLoginInput, RejectsEmptyPassword) {
  auto parsed = parseLoginInput(loginInput(kEmail, ""));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "password");
  EXPECT_THAT(parsed.error().message, HasSubstr("non-empty string"));
}

TEST(ParseLoginInput, RejectsPasswordThatIsNotAString) {
  auto parsed = parseLoginInput(loginInput(kEmail, 12345678));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "password");
}

TEST(ParseLoginInput, RejectsNullPasswordAsMissing) {
  auto parsed = parseLoginInput(loginInput(kEmail, nullptr));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "password");
}

TEST(ParseLoginInput, RejectsPasswordLongerThan4096Bytes) {
  ASSERT_TRUE(parseLoginInput(loginInput(kEmail, std::string(kMaxPasswordBytes, 'p'))).ok());
  const std::string tooLong(kMaxPasswordBytes + 1, 'p');
  auto parsed = parseLoginInput(loginInput(kEmail, tooLong));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "password");
  ASSERT_FALSE(contains(parsed.error().message, tooLong));  // before anything prints it
  EXPECT_THAT(parsed.error().message, HasSubstr("longer than 4096 bytes"));
}

// --- OTP codes ---------------------------------------------------------------------------------
// Compared without EXPECT_EQ so that a failure prints the expression, not a code.

TEST(NormalizeOtpCode, AcceptsSixDigits) { EXPECT_TRUE(normalizeOtpCode("123456") == "123456"); }

TEST(NormalizeOtpCode, TrimsSurroundingSpaces) {
  EXPECT_TRUE(normalizeOtpCode(" 123456 ") == "123456");
  EXPECT_TRUE(normalizeOtpCode("\t123456") == "123456");
}

TEST(NormalizeOtpCode, RejectsFiveDigits) { EXPECT_FALSE(normalizeOtpCode("12345").has_value()); }

TEST(NormalizeOtpCode, RejectsSevenDigits) {
  EXPECT_FALSE(normalizeOtpCode("1234567").has_value());
}

TEST(NormalizeOtpCode, RejectsLetter) { EXPECT_FALSE(normalizeOtpCode("12a456").has_value()); }

TEST(NormalizeOtpCode, RejectsSpaceInside) {
  EXPECT_FALSE(normalizeOtpCode("123 456").has_value());
}

TEST(NormalizeOtpCode, RejectsFullWidthDigits) {
  // U+FF11..U+FF16, full-width 1 to 6, in UTF-8: digits to a reader, not to the server.
  EXPECT_FALSE(
      normalizeOtpCode("\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96")
          .has_value());
}

TEST(ParseLoginInput, TrimsOtpCode) {
  auto parsed = parseLoginInput(loginInputWithCode(" 123456 "));
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  ASSERT_TRUE(parsed.value().otpCode.has_value());
  EXPECT_TRUE(*parsed.value().otpCode == "123456");
}

TEST(ParseLoginInput, RejectsOtpCodeGivenAsNumber) {
  auto parsed = parseLoginInput(loginInputWithCode(123456));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "otpCode");
  ASSERT_FALSE(contains(parsed.error().message, "123456"));  // before anything prints it
  EXPECT_THAT(parsed.error().message, HasSubstr("exactly 6 digits"));
}

TEST(ParseLoginInput, NullOtpCodeMeansNoCode) {
  auto parsed = parseLoginInput(loginInputWithCode(nullptr));
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_FALSE(parsed.value().otpCode.has_value());
}

// --- user ids ----------------------------------------------------------------------------------

TEST(IsCanonicalUuid, AcceptsLowerCase) { EXPECT_TRUE(isCanonicalUuid(kUserId)); }

TEST(IsCanonicalUuid, AcceptsUpperCase) {
  EXPECT_TRUE(isCanonicalUuid("B6B9168C-BB56-4C6A-9C0D-4650EA74F5F9"));
}

TEST(IsCanonicalUuid, RejectsMissingDashes) {
  EXPECT_FALSE(isCanonicalUuid("b6b9168cbb564c6a9c0d4650ea74f5f9"));
}

TEST(IsCanonicalUuid, RejectsWrongLength) {
  EXPECT_FALSE(isCanonicalUuid("b6b9168c-bb56-4c6a-9c0d-4650ea74f5f"));
  EXPECT_FALSE(isCanonicalUuid("b6b9168c-bb56-4c6a-9c0d-4650ea74f5f90"));
}

TEST(IsCanonicalUuid, RejectsNonHexDigit) {
  EXPECT_FALSE(isCanonicalUuid("g6b9168c-bb56-4c6a-9c0d-4650ea74f5f9"));
}

TEST(ParseSendOtpInput, KeepsUserIdAsGiven) {
  auto parsed = parseSendOtpInput(json{{"userId", "B6B9168C-BB56-4C6A-9C0D-4650EA74F5F9"}});
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_EQ(parsed.value().userId, "B6B9168C-BB56-4C6A-9C0D-4650EA74F5F9");
}

TEST(ParseSendOtpInput, RejectsUserIdThatIsNotAUuid) {
  auto parsed = parseSendOtpInput(json{{"userId", "b6b9..."}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "userId");
  EXPECT_THAT(parsed.error().message, HasSubstr("userId must be a UUID"));
}

TEST(ParseSendOtpInput, RejectsUserIdThatIsNotAString) {
  auto parsed = parseSendOtpInput(json{{"userId", 42}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "userId");
}

TEST(ParseSendOtpInput, RejectsEmptyOrMissingUserId) {
  auto empty = parseSendOtpInput(json{{"userId", ""}});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(empty.error().field, "userId");
  auto missing = parseSendOtpInput(json::object());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "userId");
}

// --- base URLs ---------------------------------------------------------------------------------

TEST(ParseBaseUrl, AcceptsHttpsOrigin) {
  auto base = parseBaseUrl("https://dev.api.baanx.com");
  ASSERT_TRUE(base.ok()) << describe(base.error());
  EXPECT_EQ(base.value().origin, "https://dev.api.baanx.com");
  EXPECT_EQ(base.value().pathPrefix, "");
}

TEST(ParseBaseUrl, KeepsPort) {
  auto base = parseBaseUrl("https://api.example.com:8443/");
  ASSERT_TRUE(base.ok()) << describe(base.error());
  EXPECT_EQ(base.value().origin, "https://api.example.com:8443");
}

TEST(ParseBaseUrl, KeepsPathPrefixWithoutTrailingSlashes) {
  auto base = parseBaseUrl("https://example.com/proxy/baanx//");
  ASSERT_TRUE(base.ok()) << describe(base.error());
  EXPECT_EQ(base.value().origin, "https://example.com");
  EXPECT_EQ(base.value().pathPrefix, "/proxy/baanx");
}

TEST(ParseBaseUrl, AcceptsHttpOnIpv4Loopback) {
  auto base = parseBaseUrl("http://127.0.0.1:8080");
  ASSERT_TRUE(base.ok()) << describe(base.error());
  EXPECT_EQ(base.value().origin, "http://127.0.0.1:8080");
  EXPECT_TRUE(parseBaseUrl("http://127.45.6.7").ok());
}

TEST(ParseBaseUrl, AcceptsHttpOnLocalhost) {
  EXPECT_TRUE(parseBaseUrl("http://localhost:8080/").ok());
  EXPECT_TRUE(parseBaseUrl("http://LocalHost").ok());
}

TEST(ParseBaseUrl, AcceptsHttpOnIpv6Loopback) {
  auto base = parseBaseUrl("http://[::1]:9000/api");
  ASSERT_TRUE(base.ok()) << describe(base.error());
  EXPECT_EQ(base.value().origin, "http://[::1]:9000");
  EXPECT_EQ(base.value().pathPrefix, "/api");
}

TEST(ParseBaseUrl, RejectsHttpOnPublicHost) {
  auto base = parseBaseUrl("http://dev.api.baanx.com");
  ASSERT_FALSE(base.ok());
  EXPECT_EQ(base.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(base.error().field, "baseUrl");
  EXPECT_THAT(base.error().message, HasSubstr("https"));
}

TEST(ParseBaseUrl, RejectsHttpOnPrivateAddress) {
  EXPECT_FALSE(parseBaseUrl("http://192.168.1.10:8080").ok());
  EXPECT_FALSE(parseBaseUrl("http://128.0.0.1").ok());
}

TEST(ParseBaseUrl, RejectsHttpOnHostThatOnlyStartsLikeLoopback) {
  EXPECT_FALSE(parseBaseUrl("http://localhost.evil.example").ok());
  EXPECT_FALSE(parseBaseUrl("http://127.0.0.1.evil.example").ok());
  EXPECT_FALSE(parseBaseUrl("http://[::2]").ok());
}

TEST(ParseBaseUrl, RejectsQuery) {
  EXPECT_FALSE(parseBaseUrl("https://example.com?env=dev").ok());
  EXPECT_FALSE(parseBaseUrl("https://example.com/proxy?env=dev").ok());
}

TEST(ParseBaseUrl, RejectsFragment) { EXPECT_FALSE(parseBaseUrl("https://example.com/#top").ok()); }

TEST(ParseBaseUrl, RejectsUserinfo) {
  EXPECT_FALSE(parseBaseUrl("https://user@example.com").ok());
  EXPECT_FALSE(parseBaseUrl("https://user:pass@example.com").ok());
}

TEST(ParseBaseUrl, RejectsWhitespace) {
  EXPECT_FALSE(parseBaseUrl(" https://example.com").ok());
  EXPECT_FALSE(parseBaseUrl("https://exa mple.com").ok());
  EXPECT_FALSE(parseBaseUrl("https://example.com/my proxy").ok());
  EXPECT_FALSE(parseBaseUrl("https://example.com/proxy\t").ok());
  EXPECT_FALSE(parseBaseUrl("https://example.com/\n").ok());
}

TEST(ParseBaseUrl, RejectsOtherScheme) { EXPECT_FALSE(parseBaseUrl("ftp://example.com").ok()); }

TEST(ParseBaseUrl, RejectsMissingScheme) {
  EXPECT_FALSE(parseBaseUrl("dev.api.baanx.com").ok());
  EXPECT_FALSE(parseBaseUrl("//dev.api.baanx.com").ok());
}

TEST(ParseBaseUrl, RejectsEmptyHost) { EXPECT_FALSE(parseBaseUrl("https:///v1").ok()); }

TEST(ParseBaseUrl, RejectsPortOutOfRange) {
  EXPECT_FALSE(parseBaseUrl("https://example.com:0").ok());
  EXPECT_FALSE(parseBaseUrl("https://example.com:65536").ok());
  EXPECT_FALSE(parseBaseUrl("https://example.com:123456").ok());
  EXPECT_TRUE(parseBaseUrl("https://example.com:65535").ok());
}

TEST(ParseBaseUrl, RejectsMalformedPort) {
  EXPECT_FALSE(parseBaseUrl("https://example.com:").ok());
  EXPECT_FALSE(parseBaseUrl("https://example.com:80a").ok());
  EXPECT_FALSE(parseBaseUrl("https://example.com:-1").ok());
}

// --- client config -----------------------------------------------------------------------------

TEST(ParseClientConfig, AppliesDefaults) {
  auto parsed = parseClientConfig(config());
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_EQ(parsed.value().baseUrl.origin, kBaseUrl);
  EXPECT_TRUE(parsed.value().clientKey == kClientKey);
  EXPECT_EQ(parsed.value().region, Region::kInternational);
  EXPECT_EQ(parsed.value().timeoutMs, 15000);
  EXPECT_EQ(parsed.value().resendCooldownMs, 60000);
}

TEST(ParseClientConfig, RejectsConfigThatIsNotAnObject) {
  auto parsed = parseClientConfig(json(kBaseUrl));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "config");
}

TEST(ParseClientConfig, RejectsMissingBaseUrl) {
  auto parsed = parseClientConfig(json{{"clientKey", kClientKey}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "baseUrl");
  EXPECT_THAT(parsed.error().message, HasSubstr("baseUrl is required"));
}

TEST(ParseClientConfig, RejectsEmptyBaseUrl) {
  auto parsed = parseClientConfig(configWith("baseUrl", ""));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "baseUrl");
}

TEST(ParseClientConfig, ReportsBadBaseUrlAsBaseUrl) {
  auto parsed = parseClientConfig(configWith("baseUrl", "http://dev.api.baanx.com"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "baseUrl");
}

TEST(ParseClientConfig, RejectsMissingClientKey) {
  auto parsed = parseClientConfig(json{{"baseUrl", kBaseUrl}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "clientKey");
  EXPECT_THAT(parsed.error().message, HasSubstr("clientKey is required"));
}

TEST(ParseClientConfig, RejectsBlankClientKey) {
  EXPECT_EQ(parseClientConfig(configWith("clientKey", "")).error().field, "clientKey");
  EXPECT_EQ(parseClientConfig(configWith("clientKey", "   ")).error().field, "clientKey");
}

TEST(ParseClientConfig, RejectsClientKeyThatIsNotAString) {
  auto parsed = parseClientConfig(configWith("clientKey", 1234));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "clientKey");
}

TEST(ParseClientConfig, RejectsClientKeyWithLineBreak) {
  const std::string key = "key\r\nx-injected: 1";
  auto parsed = parseClientConfig(configWith("clientKey", key));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "clientKey");
  ASSERT_FALSE(contains(parsed.error().message, key));  // before anything prints it
  EXPECT_THAT(parsed.error().message, HasSubstr("line breaks"));
}

TEST(ParseClientConfig, RejectsClientKeyAHeaderCannotCarry) {
  for (const std::string key : {"k\u00e9y", "key\u0101", "ke\x01y", "key\x7f", "\xff\xfe"}) {
    auto parsed = parseClientConfig(configWith("clientKey", key));
    ASSERT_FALSE(parsed.ok()) << key;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(parsed.error().field, "clientKey");
    EXPECT_FALSE(contains(parsed.error().message, key));
  }
  EXPECT_TRUE(parseClientConfig(configWith("clientKey", "ck_live 7Hq2\t~!")).ok());
}

TEST(ParseClientConfig, RegionUsSelectsUs) {
  auto parsed = parseClientConfig(configWith("region", "us"));
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_EQ(parsed.value().region, Region::kUs);
}

TEST(ParseClientConfig, RegionInternationalSelectsInternational) {
  auto parsed = parseClientConfig(configWith("region", "international"));
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_EQ(parsed.value().region, Region::kInternational);
}

TEST(ParseClientConfig, RejectsUnknownRegion) {
  auto parsed = parseClientConfig(configWith("region", "eu"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "region");
  EXPECT_THAT(parsed.error().message, HasSubstr("'international' or 'us'"));
  EXPECT_EQ(parseClientConfig(configWith("region", "US")).error().field, "region");
  EXPECT_EQ(parseClientConfig(configWith("region", true)).error().field, "region");
}

TEST(ParseClientConfig, NullOptionalFieldsMeanDefaults) {
  json withNulls = config();
  withNulls["region"] = nullptr;
  withNulls["timeoutMs"] = nullptr;
  withNulls["resendCooldownMs"] = nullptr;
  auto parsed = parseClientConfig(withNulls);
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_EQ(parsed.value().region, Region::kInternational);
  EXPECT_EQ(parsed.value().timeoutMs, kDefaultTimeoutMs);
  EXPECT_EQ(parsed.value().resendCooldownMs, kDefaultResendCooldownMs);
}

TEST(ParseClientConfig, AcceptsTimeoutAtBothEnds) {
  EXPECT_EQ(parseClientConfig(configWith("timeoutMs", 1)).value().timeoutMs, 1);
  EXPECT_EQ(parseClientConfig(configWith("timeoutMs", 2147483647)).value().timeoutMs, 2147483647);
  EXPECT_EQ(parseClientConfig(configWith("timeoutMs", 2500.0)).value().timeoutMs, 2500);
}

TEST(ParseClientConfig, RejectsTimeoutOutOfRange) {
  auto zero = parseClientConfig(configWith("timeoutMs", 0));
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().field, "timeoutMs");
  EXPECT_THAT(zero.error().message, HasSubstr("whole number of milliseconds"));
  EXPECT_EQ(parseClientConfig(configWith("timeoutMs", -5)).error().field, "timeoutMs");
  EXPECT_EQ(parseClientConfig(configWith("timeoutMs", 2147483648LL)).error().field, "timeoutMs");
}

TEST(ParseClientConfig, RejectsFractionalTimeout) {
  EXPECT_EQ(parseClientConfig(configWith("timeoutMs", 1500.5)).error().field, "timeoutMs");
}

TEST(ParseClientConfig, RejectsTimeoutThatIsNotANumber) {
  EXPECT_EQ(parseClientConfig(configWith("timeoutMs", "15000")).error().field, "timeoutMs");
  EXPECT_EQ(parseClientConfig(configWith("timeoutMs", true)).error().field, "timeoutMs");
}

TEST(ParseClientConfig, AcceptsZeroResendCooldown) {
  auto parsed = parseClientConfig(configWith("resendCooldownMs", 0));
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_EQ(parsed.value().resendCooldownMs, 0);
}

TEST(ParseClientConfig, RejectsNegativeResendCooldown) {
  auto parsed = parseClientConfig(configWith("resendCooldownMs", -1));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "resendCooldownMs");
}

TEST(ParseClientConfig, RejectsResendCooldownThatIsNotANumber) {
  EXPECT_EQ(parseClientConfig(configWith("resendCooldownMs", "60000")).error().field,
            "resendCooldownMs");
}

// --- call options ------------------------------------------------------------------------------

TEST(ParseCallOptions, NullMeansNoOverride) {
  auto parsed = parseCallOptions(json());
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_FALSE(parsed.value().timeoutMs.has_value());
  auto nullTimeout = parseCallOptions(json{{"timeoutMs", nullptr}});
  ASSERT_TRUE(nullTimeout.ok()) << describe(nullTimeout.error());
  EXPECT_FALSE(nullTimeout.value().timeoutMs.has_value());
}

TEST(ParseCallOptions, ReadsTimeoutOverride) {
  auto parsed = parseCallOptions(json{{"timeoutMs", 2500}});
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
  EXPECT_EQ(parsed.value().timeoutMs, 2500);
}

TEST(ParseCallOptions, RejectsOptionsThatAreNotAnObject) {
  auto parsed = parseCallOptions(json(5000));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "options");
}

TEST(ParseCallOptions, RejectsZeroTimeout) {
  auto parsed = parseCallOptions(json{{"timeoutMs", 0}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "timeoutMs");
}

TEST(ParseCallOptions, RejectsNegativeTimeout) {
  auto parsed = parseCallOptions(json{{"timeoutMs", -1}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, "timeoutMs");
}

TEST(ParseCallOptions, RejectsTimeoutThatIsNotANumber) {
  EXPECT_EQ(parseCallOptions(json{{"timeoutMs", "soon"}}).error().field, "timeoutMs");
  EXPECT_EQ(parseCallOptions(json{{"timeoutMs", true}}).error().field, "timeoutMs");
}

// --- no message repeats what it rejects ----------------------------------------------------------

TEST(InvalidArgumentMessage, OmitsRejectedEmail) {
  const std::string secretish = "Secret-Mailbox-Name-Q7";
  auto parsed = parseLoginInput(loginInput(secretish, kPassword));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "email");
  EXPECT_FALSE(contains(parsed.error().message, secretish));
}

TEST(InvalidArgumentMessage, OmitsRejectedPassword) {
  const std::string secret = "Sup3r-Secret-";
  auto parsed = parseLoginInput(loginInput(kEmail, secret + std::string(kMaxPasswordBytes, 'z')));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "password");
  EXPECT_FALSE(contains(parsed.error().message, secret));
}

TEST(InvalidArgumentMessage, OmitsRejectedOtpCode) {
  const std::string code = "98765X";
  auto parsed = parseLoginInput(loginInputWithCode(code));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "otpCode");
  EXPECT_FALSE(contains(parsed.error().message, code));
}

TEST(InvalidArgumentMessage, OmitsRejectedClientKey) {
  const std::string secret = "ck_Secret_9fQ";
  auto parsed = parseClientConfig(configWith("clientKey", secret + "\nInjected"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "clientKey");
  EXPECT_FALSE(contains(parsed.error().message, secret));
}

TEST(InvalidArgumentMessage, OmitsRejectedBaseUrl) {
  const std::string password = "Hunter2-Secret";
  auto parsed = parseClientConfig(configWith("baseUrl", "https://admin:" + password + "@x.com"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "baseUrl");
  EXPECT_FALSE(contains(parsed.error().message, password));
  EXPECT_FALSE(contains(parsed.error().message, "admin"));
}

TEST(InvalidArgumentMessage, OmitsRejectedUserId) {
  const std::string userId = "Secret-User-Handle-0042";
  auto parsed = parseSendOtpInput(json{{"userId", userId}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "userId");
  EXPECT_FALSE(contains(parsed.error().message, userId));
}

}  // namespace
}  // namespace baanx
