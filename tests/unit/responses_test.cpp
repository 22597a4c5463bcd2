#include "core/responses.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/json.hpp"
#include "test_support.hpp"

namespace baanx {
namespace {

using fakes::contains;
using fakes::describe;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::int64_t kNowMs = 1700000000000;
constexpr const char* kToken = "US_b6b9168a-7c1e-4f0a-9d2b-3e4f5a6b7c8d";
constexpr const char* kUserId = "b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9";

// The documented examples of baanx-api.md, with the ids the docs abbreviate written out in full.
constexpr const char* kNoOtpExample =
    R"({"accessToken":"US_b6b9168a-7c1e-4f0a-9d2b-3e4f5a6b7c8d","userId":"b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9","isOtpRequired":false,"phoneNumber":null,"phase":null,"verificationState":"VERIFIED","isLinked":false})";
constexpr const char* kOtpRequiredExample =
    R"({"accessToken":"US_b6b9168a-7c1e-4f0a-9d2b-3e4f5a6b7c8d","userId":"b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9","isOtpRequired":true,"phoneNumber":"+445*****225","phase":null,"verificationState":"VERIFIED","isLinked":false})";
constexpr const char* kOnboardingExample =
    R"({"accessToken":"US_b6b9168a-7c1e-4f0a-9d2b-3e4f5a6b7c8d","userId":"b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9","isOtpRequired":false,"phoneNumber":null,"phase":"PHONE_NUMBER","verificationState":"UNVERIFIED","isLinked":false})";

HttpResponse response(int status, std::string body, HttpHeaders headers = {}) {
  HttpResponse result;
  result.status = status;
  result.headers = std::move(headers);
  result.body = std::move(body);
  return result;
}

// A documented example with one field set to another value, so that each malformed payload
// differs from a valid answer in exactly one place.
std::string exampleWith(const char* example, const char* key, nlohmann::json value) {
  nlohmann::json body = nlohmann::json::parse(example, nullptr, false);
  body[key] = std::move(value);
  return body.dump();
}

// A documented example with one field left out.
std::string exampleWithout(const char* example, const char* key) {
  nlohmann::json body = nlohmann::json::parse(example, nullptr, false);
  body.erase(key);
  return body.dump();
}

Result<LoginResult> login(int status, std::string body, bool sentCode = false) {
  return classifyLoginResponse(response(status, std::move(body)), sentCode, kNowMs);
}

// A login error; the result must not be a success.
Error loginError(int status, std::string body, bool sentCode = false) {
  auto result = login(status, std::move(body), sentCode);
  if (result.ok()) {
    ADD_FAILURE() << "expected an error";
    return Error{};
  }
  return result.error();
}

Error errorMessage(int status, const char* message, bool sentCode = false) {
  return loginError(status, std::string(R"({"message":")") + message + R"("})", sentCode);
}

// --- classifyLoginResponse: the documented answers -----------------------------------------------

TEST(ClassifyLogin, NoOtpExampleIsAuthenticated) {
  auto result = login(200, kNoOtpExample);
  ASSERT_TRUE(result.ok()) << describe(result.error());
  const auto* session = std::get_if<Authenticated>(&result.value());
  ASSERT_NE(session, nullptr);
  EXPECT_TRUE(session->accessToken == kToken);
  EXPECT_EQ(session->userId, kUserId);
  EXPECT_EQ(session->verificationState, "VERIFIED");
  EXPECT_FALSE(session->isLinked);
}

TEST(ClassifyLogin, SessionExpiresSixHoursAfterNow) {
  auto result = login(200, kNoOtpExample);
  ASSERT_TRUE(result.ok()) << describe(result.error());
  ASSERT_TRUE(std::holds_alternative<Authenticated>(result.value()));
  EXPECT_EQ(std::get<Authenticated>(result.value()).expiresAt, kNowMs + 6LL * 3600 * 1000);
}

TEST(ClassifyLogin, ReadsIsLinked) {
  auto result = login(200, exampleWith(kNoOtpExample, "isLinked", true));
  ASSERT_TRUE(result.ok()) << describe(result.error());
  ASSERT_TRUE(std::holds_alternative<Authenticated>(result.value()));
  EXPECT_TRUE(std::get<Authenticated>(result.value()).isLinked);
}

TEST(ClassifyLogin, OtpRequiredExampleIsOtpRequired) {
  auto result = login(200, kOtpRequiredExample);
  ASSERT_TRUE(result.ok()) << describe(result.error());
  const auto* otp = std::get_if<OtpRequired>(&result.value());
  ASSERT_NE(otp, nullptr);
  EXPECT_EQ(otp->userId, kUserId);
  EXPECT_EQ(otp->phoneNumber, "+445*****225");
}

TEST(ClassifyLogin, OtpRequiredNeverCarriesTheToken) {
  auto result = login(200, kOtpRequiredExample);
  ASSERT_TRUE(result.ok()) << describe(result.error());
  ASSERT_FALSE(std::holds_alternative<Authenticated>(result.value()));
  const auto* otp = std::get_if<OtpRequired>(&result.value());
  ASSERT_NE(otp, nullptr);
  EXPECT_FALSE(contains(otp->userId, kToken));
  EXPECT_FALSE(contains(otp->phoneNumber.value_or(""), kToken));
}

TEST(ClassifyLogin, OtpRequiredWithNullPhoneHasNoPhone) {
  auto result = login(200, exampleWith(kOtpRequiredExample, "phoneNumber", nullptr));
  ASSERT_TRUE(result.ok()) << describe(result.error());
  ASSERT_TRUE(std::holds_alternative<OtpRequired>(result.value()));
  EXPECT_EQ(std::get<OtpRequired>(result.value()).phoneNumber, std::nullopt);
}

TEST(ClassifyLogin, PhaseMeansOnboardingRequired) {
  auto result = login(200, kOnboardingExample);
  ASSERT_TRUE(result.ok()) << describe(result.error());
  const auto* onboarding = std::get_if<OnboardingRequired>(&result.value());
  ASSERT_NE(onboarding, nullptr);
  EXPECT_EQ(onboarding->userId, kUserId);
  EXPECT_EQ(onboarding->phase, "PHONE_NUMBER");
  EXPECT_EQ(onboarding->verificationState, "UNVERIFIED");
  EXPECT_FALSE(contains(onboarding->phase, kToken));
}

TEST(ClassifyLogin, PhaseBeatsOtpRequired) {
  auto result = login(200, exampleWith(kOtpRequiredExample, "phase", "ACCOUNT"));
  ASSERT_TRUE(result.ok()) << describe(result.error());
  ASSERT_TRUE(std::holds_alternative<OnboardingRequired>(result.value()));
  EXPECT_EQ(std::get<OnboardingRequired>(result.value()).phase, "ACCOUNT");
}

TEST(ClassifyLogin, RepeatedOtpRequiredAfterCodeIsInvalidOtp) {
  Error error = loginError(200, kOtpRequiredExample, /*sentCode=*/true);
  EXPECT_EQ(error.code, ErrorCode::kInvalidOtp);
  EXPECT_EQ(error.status, 200);
  ASSERT_FALSE(contains(error.message, kToken));  // before anything prints it
  EXPECT_THAT(error.message, HasSubstr("verification code was not accepted"));
}

TEST(ClassifyLogin, AuthenticatedAfterCodeIsAuthenticated) {
  auto result = login(200, kNoOtpExample, /*sentCode=*/true);
  ASSERT_TRUE(result.ok()) << describe(result.error());
  EXPECT_TRUE(std::holds_alternative<Authenticated>(result.value()));
}

// --- classifyLoginResponse: errors ------------------------------------------------------------

TEST(ClassifyLogin, BadRequestAfterCodeIsInvalidOtp) {
  Error error = errorMessage(400, "Invalid OTP code", /*sentCode=*/true);
  EXPECT_EQ(error.code, ErrorCode::kInvalidOtp);
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(error.message, "Invalid OTP code");
}

TEST(ClassifyLogin, ExpiredWordingAfterCodeIsOtpExpired) {
  Error error = errorMessage(400, "The OTP code has EXPIRED", /*sentCode=*/true);
  EXPECT_EQ(error.code, ErrorCode::kOtpExpired);
  EXPECT_EQ(error.status, 400);
}

TEST(ClassifyLogin, BadRequestWithoutCodeIsHttpError) {
  Error error = errorMessage(400, "Bad request");
  EXPECT_EQ(error.code, ErrorCode::kHttpError);
  EXPECT_EQ(error.status, 400);
}

TEST(ClassifyLogin, UnauthorizedIsInvalidCredentials) {
  Error error = errorMessage(401, "Not authenticated");
  EXPECT_EQ(error.code, ErrorCode::kInvalidCredentials);
  EXPECT_EQ(error.status, 401);
  EXPECT_EQ(error.message, "Not authenticated");
}

TEST(ClassifyLogin, ForbiddenIsInvalidCredentials) {
  Error error = errorMessage(403, "Not authorized");
  EXPECT_EQ(error.code, ErrorCode::kInvalidCredentials);
  EXPECT_EQ(error.status, 403);
}

TEST(ClassifyLogin, NotFoundIsInvalidCredentials) {
  Error error = loginError(404, "");
  EXPECT_EQ(error.code, ErrorCode::kInvalidCredentials);
  EXPECT_EQ(error.status, 404);
  EXPECT_THAT(error.message, HasSubstr("email or password is incorrect"));
}

TEST(ClassifyLogin, UnauthorizedAfterCodeIsInvalidCredentials) {
  Error error = errorMessage(401, "Not authenticated", /*sentCode=*/true);
  EXPECT_EQ(error.code, ErrorCode::kInvalidCredentials);
}

TEST(ClassifyLogin, LockedWordingIsAccountLocked) {
  Error error = errorMessage(401, "Account Locked");
  EXPECT_EQ(error.code, ErrorCode::kAccountLocked);
  EXPECT_EQ(error.status, 401);
  EXPECT_EQ(error.message, "Account Locked");
}

TEST(ClassifyLogin, TooManyAttemptsIsAccountLocked) {
  EXPECT_EQ(errorMessage(401, "Too many attempts, try later").code, ErrorCode::kAccountLocked);
}

TEST(ClassifyLogin, TemporarilyDisabledIsAccountLocked) {
  EXPECT_EQ(errorMessage(403, "Your account has been temporarily disabled").code,
            ErrorCode::kAccountLocked);
}

TEST(ClassifyLogin, TemporarilyBlockedIsAccountLocked) {
  EXPECT_EQ(errorMessage(403, "Login temporarily blocked").code, ErrorCode::kAccountLocked);
}

TEST(ClassifyLogin, LockWordingAfterCodeBeatsInvalidOtp) {
  EXPECT_EQ(errorMessage(400, "Too many attempts", /*sentCode=*/true).code,
            ErrorCode::kAccountLocked);
}

TEST(ClassifyLogin, DisabledAccountIsAccountDisabled) {
  Error error = errorMessage(403, "This account has been disabled");
  EXPECT_EQ(error.code, ErrorCode::kAccountDisabled);
  EXPECT_EQ(error.status, 403);
}

// The wording decides, whatever status carries it.
TEST(ClassifyLogin, DisabledWordingOnUnauthorizedIsAccountDisabled) {
  Error error = errorMessage(401, "This account has been disabled");
  EXPECT_EQ(error.code, ErrorCode::kAccountDisabled);
  EXPECT_EQ(error.status, 401);
}

TEST(ClassifyLogin, LockWordingOnLockedStatusIsAccountLocked) {
  Error error = errorMessage(423, "Too many attempts, try again later");
  EXPECT_EQ(error.code, ErrorCode::kAccountLocked);
  EXPECT_EQ(error.status, 423);
  EXPECT_EQ(error.message, "Too many attempts, try again later");
}

TEST(ClassifyLogin, UnauthorizedWithoutBodyIsAPlainSentence) {
  Error error = loginError(401, "");
  EXPECT_EQ(error.code, ErrorCode::kInvalidCredentials);
  EXPECT_EQ(error.status, 401);
  EXPECT_THAT(error.message, HasSubstr("email or password is incorrect"));
}

TEST(ClassifyLogin, ServerErrorKeepsStatus) {
  Error error = errorMessage(500, "Internal server error");
  EXPECT_EQ(error.code, ErrorCode::kServerError);
  EXPECT_EQ(error.status, 500);
  EXPECT_EQ(error.message, "Internal server error");
}

// --- classifyLoginResponse: bodies that are not the documented JSON -----------------------------

TEST(ClassifyLogin, NonJsonBodyIsInvalidResponse) {
  Error error = loginError(200, "OK");
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_EQ(error.status, 200);
  EXPECT_THAT(error.message, HasSubstr("not a JSON object"));
}

TEST(ClassifyLogin, HtmlBodyIsInvalidResponse) {
  Error error = loginError(200, "<!DOCTYPE html><html><body>Gateway</body></html>");
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
}

TEST(ClassifyLogin, HtmlBodyMessageCarriesNoMarkup) {
  Error error = loginError(200, "<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>");
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, Not(HasSubstr("<")));
  EXPECT_THAT(error.message, Not(HasSubstr("Welcome")));
}

TEST(ClassifyLogin, TruncatedJsonIsInvalidResponse) {
  const std::string truncated = std::string(kNoOtpExample).substr(0, 60);
  EXPECT_EQ(loginError(200, truncated).code, ErrorCode::kInvalidResponse);
}

TEST(ClassifyLogin, EmptyBodyIsInvalidResponse) {
  EXPECT_EQ(loginError(200, "").code, ErrorCode::kInvalidResponse);
}

TEST(ClassifyLogin, ArrayBodyIsInvalidResponse) {
  Error error = loginError(200, std::string("[") + kNoOtpExample + "]");
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("not a JSON object"));
}

TEST(ClassifyLogin, IsOtpRequiredAsStringIsInvalidResponse) {
  Error error = loginError(200, exampleWith(kNoOtpExample, "isOtpRequired", "false"));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("isOtpRequired is missing or not a boolean"));
}

TEST(ClassifyLogin, MissingIsOtpRequiredIsInvalidResponse) {
  Error error = loginError(200, exampleWithout(kNoOtpExample, "isOtpRequired"));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("isOtpRequired is missing or not a boolean"));
}

TEST(ClassifyLogin, UserIdAsNumberIsInvalidResponse) {
  Error error = loginError(200, exampleWith(kNoOtpExample, "userId", 42));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("userId is missing or not a UUID"));
}

TEST(ClassifyLogin, UserIdNotAUuidIsInvalidResponse) {
  // The abbreviated id of the docs' example, taken literally.
  Error error = loginError(200, exampleWith(kNoOtpExample, "userId", "b6b9..."));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("userId is missing or not a UUID"));
}

TEST(ClassifyLogin, MissingUserIdIsInvalidResponse) {
  Error error = loginError(200, exampleWithout(kNoOtpExample, "userId"));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("userId is missing or not a UUID"));
}

TEST(ClassifyLogin, MissingAccessTokenIsInvalidResponse) {
  Error error = loginError(200, exampleWithout(kNoOtpExample, "accessToken"));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("accessToken is missing"));
}

TEST(ClassifyLogin, EmptyAccessTokenIsInvalidResponse) {
  Error error = loginError(200, exampleWith(kNoOtpExample, "accessToken", ""));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("accessToken is missing"));
}

TEST(ClassifyLogin, TokenAHeaderCannotCarryIsInvalidResponse) {
  for (const char* token : {"US_a\r\nx-injected: 1", "US_\u00e9", "US_\u0101", "US_\x01"}) {
    Error error = loginError(200, exampleWith(kNoOtpExample, "accessToken", token));
    EXPECT_EQ(error.code, ErrorCode::kInvalidResponse) << token;
    EXPECT_THAT(error.message, HasSubstr("header cannot carry"));
  }
}

TEST(ClassifyLogin, MissingIsLinkedIsInvalidResponse) {
  Error error = loginError(200, exampleWithout(kNoOtpExample, "isLinked"));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("isLinked is missing or not a boolean"));
}

TEST(ClassifyLogin, MissingVerificationStateIsInvalidResponse) {
  Error error = loginError(200, exampleWithout(kNoOtpExample, "verificationState"));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("verificationState is missing"));
}

TEST(ClassifyLogin, PhaseAsNumberIsInvalidResponse) {
  Error error = loginError(200, exampleWith(kNoOtpExample, "phase", 3));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("phase is not a string"));
}

TEST(ClassifyLogin, PhoneNumberAsNumberIsInvalidResponse) {
  Error error = loginError(200, exampleWith(kOtpRequiredExample, "phoneNumber", 445225));
  EXPECT_EQ(error.code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(error.message, HasSubstr("phoneNumber is not a string"));
}

// --- classifyHttpError: statuses shared by every endpoint -------------------------------------

TEST(ClassifyHttpError, TooManyRequestsIsRateLimitedWithRetryAfterSeconds) {
  Error error = classifyHttpError(
      response(429, R"({"message":"Too many requests"})", {{"Retry-After", "30"}}),
      Endpoint::kSendOtp, kNowMs);
  EXPECT_EQ(error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(error.status, 429);
  EXPECT_EQ(error.retryAfterMs, 30000);
  EXPECT_EQ(error.message, "Too many requests");
}

TEST(ClassifyHttpError, TooManyRequestsIsRateLimitedWithRetryAfterDate) {
  // Tue, 14 Nov 2023 22:13:50 GMT is 30 s after kNowMs.
  Error error =
      classifyHttpError(response(429, "", {{"Retry-After", "Tue, 14 Nov 2023 22:13:50 GMT"}}),
                        Endpoint::kLogin, kNowMs);
  EXPECT_EQ(error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(error.retryAfterMs, 30000);
}

TEST(ClassifyHttpError, ReadsRetryAfterHeaderInAnyCase) {
  Error error =
      classifyHttpError(response(429, "", {{"retry-after", "5"}}), Endpoint::kSendOtp, kNowMs);
  EXPECT_EQ(error.retryAfterMs, 5000);
}

TEST(ClassifyHttpError, TooManyRequestsWithoutRetryAfterHasNoWait) {
  Error error = classifyHttpError(response(429, ""), Endpoint::kSendOtp, kNowMs);
  EXPECT_EQ(error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(error.retryAfterMs, std::nullopt);
  EXPECT_THAT(error.message, HasSubstr("Too many requests"));
}

TEST(ClassifyHttpError, TooManyRequestsWithUnreadableRetryAfterHasNoWait) {
  Error error =
      classifyHttpError(response(429, "", {{"Retry-After", "later"}}), Endpoint::kLogin, kNowMs);
  EXPECT_EQ(error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(error.retryAfterMs, std::nullopt);
}

TEST(ClassifyHttpError, Status498IsInvalidClientKey) {
  Error error =
      classifyHttpError(response(498, R"({"message":"Invalid client key"})"), Endpoint::kLogin, 0);
  EXPECT_EQ(error.code, ErrorCode::kInvalidClientKey);
  EXPECT_EQ(error.status, 498);
  EXPECT_EQ(error.message, "Invalid client key");
}

TEST(ClassifyHttpError, Status499IsMissingClientKey) {
  Error error = classifyHttpError(response(499, R"({"message":"Missing client key"})"),
                                  Endpoint::kSendOtp, 0);
  EXPECT_EQ(error.code, ErrorCode::kMissingClientKey);
  EXPECT_EQ(error.status, 499);
}

TEST(ClassifyHttpError, AnyFiveHundredIsServerErrorWithStatus) {
  Error error =
      classifyHttpError(response(503, "<html>Service Unavailable</html>"), Endpoint::kLogout, 0);
  EXPECT_EQ(error.code, ErrorCode::kServerError);
  EXPECT_EQ(error.status, 503);
  EXPECT_THAT(error.message, HasSubstr("HTTP 503"));
}

TEST(ClassifyHttpError, HtmlErrorPageGivesAPlainSentence) {
  const std::string page =
      "<!DOCTYPE html>\n<html><head><title>502 Server Error</title></head><body><h1>502 Server "
      "Error</h1></body></html>\n";
  Error error = classifyHttpError(response(502, page), Endpoint::kLogin, 0);
  EXPECT_EQ(error.code, ErrorCode::kServerError);
  EXPECT_EQ(error.status, 502);
  EXPECT_THAT(error.message, Not(HasSubstr("<")));
}

TEST(ClassifyHttpError, ConflictOnSendOtpIsHttpError) {
  Error error = classifyHttpError(response(409, ""), Endpoint::kSendOtp, 0);
  EXPECT_EQ(error.code, ErrorCode::kHttpError);
  EXPECT_EQ(error.status, 409);
}

TEST(ClassifyHttpError, UnexpectedStatusIsHttpError) {
  Error error = classifyHttpError(response(418, ""), Endpoint::kLogin, 0);
  EXPECT_EQ(error.code, ErrorCode::kHttpError);
  EXPECT_EQ(error.status, 418);
  EXPECT_THAT(error.message, HasSubstr("HTTP 418"));
}

TEST(ClassifyHttpError, UnauthorizedOnSendOtpIsUnauthorized) {
  Error error =
      classifyHttpError(response(401, R"({"message":"Not authenticated"})"), Endpoint::kSendOtp, 0);
  EXPECT_EQ(error.code, ErrorCode::kUnauthorized);
  EXPECT_EQ(error.status, 401);
}

TEST(ClassifyHttpError, NotFoundOnSendOtpIsHttpError) {
  EXPECT_EQ(classifyHttpError(response(404, ""), Endpoint::kSendOtp, 0).code,
            ErrorCode::kHttpError);
}

// --- classifySendOtpResponse / classifyLogoutResponse -----------------------------------------

TEST(ClassifySendOtp, SuccessSetsResendAvailableAfterCooldown) {
  auto result = classifySendOtpResponse(response(200, R"({"success": true})"), kNowMs, 60000);
  ASSERT_TRUE(result.ok()) << describe(result.error());
  EXPECT_EQ(result.value().resendAvailableAt, kNowMs + 60000);
}

TEST(ClassifySendOtp, SuccessFalseIsInvalidResponse) {
  auto result = classifySendOtpResponse(response(200, R"({"success":false})"), kNowMs, 60000);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidResponse);
  EXPECT_THAT(result.error().message, HasSubstr(R"(expected {"success": true})"));
}

TEST(ClassifySendOtp, SuccessAsStringIsInvalidResponse) {
  auto result = classifySendOtpResponse(response(200, R"({"success":"true"})"), kNowMs, 60000);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidResponse);
}

TEST(ClassifySendOtp, EmptyObjectIsInvalidResponse) {
  auto result = classifySendOtpResponse(response(200, "{}"), kNowMs, 60000);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidResponse);
}

TEST(ClassifySendOtp, NonJsonIsInvalidResponse) {
  auto result = classifySendOtpResponse(response(200, "<html>sent</html>"), kNowMs, 60000);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidResponse);
}

TEST(ClassifySendOtp, UnauthorizedIsUnauthorized) {
  auto result =
      classifySendOtpResponse(response(401, R"({"message":"Not authenticated"})"), kNowMs, 60000);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(result.error().message, "Not authenticated");
}

TEST(ClassifyLogout, SuccessIsLoggedOut) {
  EXPECT_TRUE(classifyLogoutResponse(response(200, R"({"success":true})"), kNowMs).ok());
}

TEST(ClassifyLogout, UnauthorizedIsUnauthorized) {
  auto result = classifyLogoutResponse(response(401, R"({"message":"Not authenticated"})"), kNowMs);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(result.error().status, 401);
}

TEST(ClassifyLogout, NonJsonIsInvalidResponse) {
  auto result = classifyLogoutResponse(response(200, "OK"), kNowMs);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidResponse);
}

// --- readServerMessage ------------------------------------------------------------------------

TEST(ReadServerMessage, ReadsMessage) {
  EXPECT_EQ(readServerMessage(R"({"message":"Not authenticated"})"), "Not authenticated");
}

TEST(ReadServerMessage, PrefersMessageOverErrorDescriptionAndError) {
  EXPECT_EQ(readServerMessage(R"({"error":"c","error_description":"b","message":"a"})"), "a");
}

TEST(ReadServerMessage, FallsBackToErrorDescription) {
  EXPECT_EQ(readServerMessage(R"({"error":"invalid_grant","error_description":"Bad code"})"),
            "Bad code");
}

TEST(ReadServerMessage, FallsBackToError) {
  EXPECT_EQ(readServerMessage(R"({"error":"Validation failed","details":[{"field":"email"}]})"),
            "Validation failed");
}

TEST(ReadServerMessage, SkipsMessageThatIsNotAString) {
  EXPECT_EQ(readServerMessage(R"({"message":{"text":"x"},"error":"Denied"})"), "Denied");
}

TEST(ReadServerMessage, SkipsBlankMessage) {
  EXPECT_EQ(readServerMessage(R"({"message":"   ","error":"Denied"})"), "Denied");
}

TEST(ReadServerMessage, TrimsSpaces) {
  EXPECT_EQ(readServerMessage(R"({"message":"  Not authorized "})"), "Not authorized");
}

TEST(ReadServerMessage, IgnoresBodyThatIsNotAJsonObject) {
  EXPECT_EQ(readServerMessage("Internal Server Error"), std::nullopt);
  EXPECT_EQ(readServerMessage(R"(["message"])"), std::nullopt);
  EXPECT_EQ(readServerMessage(R"({"message":"cut)"), std::nullopt);
}

TEST(ReadServerMessage, TruncatesLongMessageAtCharacterBoundary) {
  // 299 ASCII bytes and then a two-byte character that straddles the 300-byte limit.
  const std::string text = std::string(299, 'a') + "\xC3\xA9" + std::string(50, 'b');
  auto message = readServerMessage(R"({"message":")" + text + R"("})");
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(*message, std::string(299, 'a') + "...");
}

// --- transportError ---------------------------------------------------------------------------

TEST(TransportError, NetworkFailureIsNetwork) {
  Error error = transportError(TransportFailure::kNetwork, 15000);
  EXPECT_EQ(error.code, ErrorCode::kNetwork);
  EXPECT_EQ(error.status, 0);
  EXPECT_THAT(error.message, HasSubstr("could not be reached"));
}

TEST(TransportError, TimeoutIsTimeoutNamingTheLimit) {
  Error error = transportError(TransportFailure::kTimeout, 2500);
  EXPECT_EQ(error.code, ErrorCode::kTimeout);
  EXPECT_EQ(error.status, 0);
  EXPECT_THAT(error.message, HasSubstr("within 2500 ms"));
}

TEST(TransportError, AbortIsAborted) {
  Error error = transportError(TransportFailure::kAborted, 15000);
  EXPECT_EQ(error.code, ErrorCode::kAborted);
  EXPECT_EQ(error.status, 0);
  EXPECT_THAT(error.message, StartsWith("The request was aborted"));
}

TEST(ClassifyHttpError, BlockedIsNotALock) {
  HttpResponse response;
  response.status = 403;
  response.body = R"({"message":"Request blocked by firewall"})";
  EXPECT_EQ(classifyHttpError(response, Endpoint::kLogin, 0).code, ErrorCode::kInvalidCredentials);
}

TEST(ClassifyHttpError, UnlockedIsNotALock) {
  HttpResponse response;
  response.status = 401;
  response.body = R"({"message":"Account unlocked; sign in again"})";
  EXPECT_EQ(classifyHttpError(response, Endpoint::kLogin, 0).code, ErrorCode::kInvalidCredentials);
}

TEST(ClassifyHttpError, LockedAsAWordIsALock) {
  HttpResponse response;
  response.status = 401;
  response.body = R"({"message":"Account locked."})";
  EXPECT_EQ(classifyHttpError(response, Endpoint::kLogin, 0).code, ErrorCode::kAccountLocked);
}

TEST(ClassifyLogin, NulByteAfterValidJsonIsInvalidResponse) {
  HttpResponse response;
  response.status = 200;
  response.body =
      std::string(R"({"accessToken":"US_1","userId":"b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9",)"
                  R"("isOtpRequired":false,"phoneNumber":null,"phase":null,)"
                  R"("verificationState":"VERIFIED","isLinked":false})");
  response.body.push_back('\0');
  response.body += "garbage";
  auto result = classifyLoginResponse(response, false, 0);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidResponse);
}

}  // namespace
}  // namespace baanx
