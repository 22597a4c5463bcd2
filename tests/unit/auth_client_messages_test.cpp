// The message of an AuthClient error: the server's own where it gave one, never holding a secret
// of the call or the session (which the server may echo), and cut to a readable length.
#include "core/auth_client.hpp"

#include <string>

#include <gtest/gtest.h>

#include "auth_client_fixture.hpp"

namespace baanx::client_tests {
namespace {

using fakes::contains;

// --- secrets echoed by the server never reach a message ------------------------------------------

TEST_F(AuthClientTest, ServerMessageEchoingPasswordIsReplaced) {
  const Error error = failsWith(login(), 401, std::string("Wrong password ") + kPassword);
  EXPECT_EQ(error.code, ErrorCode::kInvalidCredentials);
  EXPECT_FALSE(contains(error.message, kPassword));
  EXPECT_TRUE(error.message == defaultMessage(ErrorCode::kInvalidCredentials, 401));
}

TEST_F(AuthClientTest, ServerMessageEchoingOtpCodeIsReplaced) {
  const Error error =
      failsWith(login(credentialsWithCode()), 400, std::string("Code ") + kOtpCode + " is invalid");
  EXPECT_EQ(error.code, ErrorCode::kInvalidOtp);
  EXPECT_FALSE(contains(error.message, kOtpCode));
}

TEST_F(AuthClientTest, ServerMessageEchoingClientKeyIsReplaced) {
  const Error error = failsWith(login(), 498, std::string("Invalid client key ") + kClientKey);
  EXPECT_EQ(error.code, ErrorCode::kInvalidClientKey);
  EXPECT_FALSE(contains(error.message, kClientKey));
}

TEST_F(AuthClientTest, SendOtpMessageEchoingClientKeyIsReplaced) {
  const Error error = failsWith(sendOtp(), 498, std::string("Unknown key: ") + kClientKey);
  EXPECT_EQ(error.code, ErrorCode::kInvalidClientKey);
  EXPECT_FALSE(contains(error.message, kClientKey));
}

TEST_F(AuthClientTest, LogoutMessageEchoingTokenIsReplaced) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  const Error error = failsWith(logout(), 401, std::string("Token ") + kToken + " revoked");
  EXPECT_EQ(error.code, ErrorCode::kUnauthorized);
  EXPECT_FALSE(contains(error.message, kToken));
}

TEST_F(AuthClientTest, SendOtpMessageEchoingTheSessionTokenIsReplaced) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  const Error error =
      failsWith(sendOtp(), 401, std::string("Session ") + kToken + " cannot send codes");
  EXPECT_EQ(error.code, ErrorCode::kUnauthorized);
  EXPECT_FALSE(contains(error.message, kToken));
}

TEST_F(AuthClientTest, LoginMessageEchoingTheSessionTokenIsReplaced) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  const Error error = failsWith(login(), 403, std::string("Already signed in as ") + kToken);
  EXPECT_FALSE(contains(error.message, kToken));
}

TEST_F(AuthClientTest, SecretStraddlingTheMessageLimitIsStillRemoved) {
  // The password begins just before the cut: a cut-then-check would keep its prefix.
  const std::string message =
      std::string(kMaxServerMessageBytes - 10, 'x') + " " + std::string(kPassword);
  const Error error = failsWith(login(), 401, message);
  EXPECT_EQ(error.message.find("Tr0ub4dor"), std::string::npos);
  EXPECT_LE(error.message.size(), kMaxServerMessageBytes + 3);
}

// --- what is kept ------------------------------------------------------------------------------

TEST_F(AuthClientTest, ServerMessageWithoutSecretsIsKept) {
  EXPECT_EQ(failsWith(login(), 401, "Not authenticated").message, "Not authenticated");
}

TEST_F(AuthClientTest, LongServerMessageIsCut) {
  EXPECT_EQ(failsWith(login(), 401, std::string(1000, 'm')).message,
            std::string(kMaxServerMessageBytes, 'm') + "...");
}

}  // namespace
}  // namespace baanx::client_tests
