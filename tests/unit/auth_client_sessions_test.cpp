// AuthClient's part in sessions that outlive the page: the change each step makes, what the
// storage is told to do, restoring a stored record, following another page, and expiry.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "auth_client_fixture.hpp"
#include "core/auth_client.hpp"
#include "core/json.hpp"
#include "fake_transport.hpp"

namespace baanx {
namespace {

// The answers and inputs of the other AuthClient suites.
using client_tests::credentials;
using client_tests::kClientKey;
using client_tests::kOtherUserId;
using client_tests::kSixHoursMs;
using client_tests::kStartMs;
using client_tests::kSuccessBody;
using client_tests::kToken;
using client_tests::kUserId;
using client_tests::loginBody;
using fakes::describe;
using fakes::FakeClock;
using fakes::FakeTransport;
using fakes::hasHeader;
using nlohmann::json;

constexpr const char* kOtherToken = "US_0f8fad5b-d9cb-469f-a165-70867728950e";

json configWithStorage(const char* storage) {
  return {
      {"baseUrl", "https://dev.api.baanx.com"}, {"clientKey", kClientKey}, {"storage", storage}};
}

// A stored record, as the storage hands it back: JSON text.
json storedRecord(const char* token, const char* userId, std::int64_t expiresAt) {
  return json{{"accessToken", token}, {"userId", userId}, {"expiresAt", expiresAt}}.dump();
}

// A change as the listener heard it, with the order it came in among the test's other steps.
struct Heard {
  SessionEvent event;
  std::optional<Session> session;
  StorageAction storage;
};

class AuthClientSessionsTest : public ::testing::Test {
 protected:
  void SetUp() override { makeClient("local"); }

  void makeClient(const char* storage) {
    client_.reset();
    auto created = AuthClient::create(configWithStorage(storage), transport_, clock_);
    ASSERT_TRUE(created.ok()) << describe(created.error());
    client_ = std::move(created).value();
    client_->setSessionListener([this](const SessionChange& change) {
      heard_.push_back(Heard{change.event, change.session, change.storage});
      steps_.push_back("change");
    });
  }

  // Logs in against the fake with the documented no-OTP answer.
  void signIn() {
    bool done = false;
    client_->login(credentials(), json(), [&done](const Result<LoginResult>& outcome) {
      ASSERT_TRUE(outcome.ok()) << describe(outcome.error());
      done = true;
    });
    transport_.respond(200, loginBody(false));
    ASSERT_TRUE(done);
    ASSERT_TRUE(client_->session().has_value());
  }

  void restore(const char* token, const char* userId, std::int64_t expiresAt) {
    ASSERT_EQ(client_->restoreSession(storedRecord(token, userId, expiresAt)),
              StorageAction::kNone);
    ASSERT_TRUE(client_->session().has_value());
  }

  FakeTransport transport_;
  FakeClock clock_{kStartMs};
  std::unique_ptr<AuthClient> client_;
  std::vector<Heard> heard_;
  std::vector<std::string> steps_;
};

// --- login and logout ----------------------------------------------------------------------------

TEST_F(AuthClientSessionsTest, AnAuthenticatedLoginSignsInAndWritesTheRecord) {
  client_->login(credentials(), json(),
                 [this](const Result<LoginResult>&) { steps_.push_back("completion"); });
  EXPECT_TRUE(heard_.empty());
  transport_.respond(200, loginBody(false));
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kSignedIn);
  EXPECT_EQ(heard_[0].storage, StorageAction::kWrite);
  ASSERT_TRUE(heard_[0].session.has_value());
  EXPECT_TRUE(heard_[0].session->accessToken == kToken);
  EXPECT_EQ(heard_[0].session->userId, kUserId);
  EXPECT_EQ(heard_[0].session->expiresAt, kStartMs + kSixHoursMs);
  // The app hears of the session before the login's own result.
  EXPECT_EQ(steps_, (std::vector<std::string>{"change", "completion"}));
}

TEST_F(AuthClientSessionsTest, ALoginWithoutASessionChangesNothing) {
  for (const std::string& body : {loginBody(true), loginBody(false, "PHONE_NUMBER")}) {
    client_->login(credentials(), json(), [](const Result<LoginResult>&) {});
    transport_.respond(200, body);
  }
  client_->login(credentials(), json(), [](const Result<LoginResult>&) {});
  transport_.respond(401, R"({"message":"Invalid credentials"})");
  EXPECT_TRUE(heard_.empty());
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientSessionsTest, LoginWithOtpSignsInOnceTheCodeIsAccepted) {
  client_->loginWithOtp(
      credentials(), json(),
      [](const OtpPrompt&, AuthClient::CodeAnswer answer) { answer(json("123456")); },
      [](const Result<LoginResult>&) {});
  transport_.respond(200, loginBody(true));
  transport_.respond(200, kSuccessBody);
  EXPECT_TRUE(heard_.empty());
  transport_.respond(200, loginBody(false));
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kSignedIn);
}

TEST_F(AuthClientSessionsTest, ALoginThatReplacesASessionSignsInAgain) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  ASSERT_NO_FATAL_FAILURE(signIn());
  ASSERT_EQ(heard_.size(), 2u);
  EXPECT_EQ(heard_[1].event, SessionEvent::kSignedIn);
  EXPECT_EQ(heard_[1].storage, StorageAction::kWrite);
}

TEST_F(AuthClientSessionsTest, LogoutSignsOutBeforeTheServerAnswers) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  heard_.clear();
  client_->logout(json(), [](const Result<LogoutResult>&) {});
  ASSERT_EQ(transport_.pendingCount(), 1u);  // the request is still out
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kSignedOut);
  EXPECT_EQ(heard_[0].storage, StorageAction::kRemove);
  EXPECT_FALSE(heard_[0].session.has_value());
  transport_.respond(200, kSuccessBody);
  EXPECT_EQ(heard_.size(), 1u);
}

TEST_F(AuthClientSessionsTest, ALogoutThatFailsHasSignedOutOnce) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  heard_.clear();
  client_->logout(json(), [](const Result<LogoutResult>&) {});
  transport_.fail(TransportFailure::kNetwork);
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kSignedOut);
}

TEST_F(AuthClientSessionsTest, LogoutWithoutASessionChangesNothing) {
  client_->logout(json(), [](const Result<LogoutResult>&) {});
  EXPECT_TRUE(heard_.empty());
}

TEST_F(AuthClientSessionsTest, LogoutAfterAnUnreportedExpiryReportsTheExpiry) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  heard_.clear();
  clock_.advance(kSixHoursMs);
  client_->logout(json(), [](const Result<LogoutResult>&) {});
  EXPECT_EQ(transport_.sentCount(), 1u);  // the login only: a dead token is not sent
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kExpired);
  EXPECT_EQ(heard_[0].storage, StorageAction::kRemove);
  EXPECT_EQ(client_->expireIfDue(), std::nullopt);
  EXPECT_EQ(heard_.size(), 1u);
}

TEST_F(AuthClientSessionsTest, AClientWithoutStorageIsToldToWriteNothing) {
  makeClient("memory");
  ASSERT_NO_FATAL_FAILURE(signIn());
  client_->logout(json(), [](const Result<LogoutResult>&) {});
  ASSERT_EQ(heard_.size(), 2u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kSignedIn);
  EXPECT_EQ(heard_[0].storage, StorageAction::kNone);
  EXPECT_EQ(heard_[1].event, SessionEvent::kSignedOut);
  EXPECT_EQ(heard_[1].storage, StorageAction::kNone);
}

// --- expiry --------------------------------------------------------------------------------------

TEST_F(AuthClientSessionsTest, ExpireIfDueSaysWhenToAskAgainWhileTheSessionLives) {
  EXPECT_EQ(client_->expireIfDue(), std::nullopt);
  ASSERT_NO_FATAL_FAILURE(signIn());
  EXPECT_EQ(client_->expireIfDue(), kSixHoursMs);
  clock_.advance(kSixHoursMs - 1);
  EXPECT_EQ(client_->expireIfDue(), 1);
  EXPECT_EQ(heard_.size(), 1u);  // the sign-in only
}

TEST_F(AuthClientSessionsTest, ExpireIfDueEndsTheSessionAtItsExpiresAtOnce) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  heard_.clear();
  clock_.advance(kSixHoursMs);
  // Gone from this moment, before anyone asks: a late timer changes nothing for the app.
  EXPECT_FALSE(client_->session().has_value());
  EXPECT_TRUE(heard_.empty());
  EXPECT_EQ(client_->expireIfDue(), std::nullopt);
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kExpired);
  EXPECT_EQ(heard_[0].storage, StorageAction::kRemove);
  EXPECT_FALSE(heard_[0].session.has_value());
  EXPECT_EQ(client_->expireIfDue(), std::nullopt);
  EXPECT_EQ(heard_.size(), 1u);
}

TEST_F(AuthClientSessionsTest, ALateCheckStillExpiresOnce) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  heard_.clear();
  clock_.advance(3 * kSixHoursMs);  // a laptop asleep for a day
  EXPECT_EQ(client_->expireIfDue(), std::nullopt);
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kExpired);
}

// --- restoring a stored record -------------------------------------------------------------------

TEST_F(AuthClientSessionsTest, ARestoredRecordIsTheSessionWithoutAnEvent) {
  EXPECT_EQ(client_->restoreSession(storedRecord(kToken, kUserId, kStartMs + 1000)),
            StorageAction::kNone);
  std::optional<Session> session = client_->session();
  ASSERT_TRUE(session.has_value());
  EXPECT_TRUE(session->accessToken == kToken);
  EXPECT_EQ(session->userId, kUserId);
  EXPECT_EQ(session->expiresAt, kStartMs + 1000);
  EXPECT_TRUE(heard_.empty());
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientSessionsTest, ARestoredSessionIsUsedAsASignedInOne) {
  ASSERT_NO_FATAL_FAILURE(restore(kToken, kUserId, kStartMs + 1000));
  client_->logout(json(), [](const Result<LogoutResult>&) {});
  ASSERT_EQ(transport_.sentCount(), 1u);
  EXPECT_TRUE(
      hasHeader(transport_.lastSent().headers, "Authorization", std::string("Bearer ") + kToken));
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kSignedOut);
  EXPECT_EQ(heard_[0].storage, StorageAction::kRemove);
}

TEST_F(AuthClientSessionsTest, ARestoredSessionExpiresAtItsStoredTime) {
  ASSERT_NO_FATAL_FAILURE(restore(kToken, kUserId, kStartMs + 1000));
  EXPECT_EQ(client_->expireIfDue(), 1000);
  clock_.advance(1000);
  EXPECT_EQ(client_->expireIfDue(), std::nullopt);
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kExpired);
}

TEST_F(AuthClientSessionsTest, NothingStoredIsNothingToRemove) {
  EXPECT_EQ(client_->restoreSession(json()), StorageAction::kNone);
  EXPECT_FALSE(client_->session().has_value());
}

TEST_F(AuthClientSessionsTest, AnythingElseStoredIsToBeRemovedAndIgnored) {
  for (const json& stored :
       {json("not json"), json(42), storedRecord("US_line\nbreak", kUserId, kStartMs + 1000),
        storedRecord(kToken, "not-a-uuid", kStartMs + 1000),
        storedRecord(kToken, kUserId, kStartMs),
        storedRecord(kToken, kUserId, kStartMs + kSixHoursMs + 1)}) {
    EXPECT_EQ(client_->restoreSession(stored), StorageAction::kRemove) << stored.dump();
    EXPECT_FALSE(client_->session().has_value()) << stored.dump();
  }
  EXPECT_TRUE(heard_.empty());
}

// --- another page of the origin ------------------------------------------------------------------

TEST_F(AuthClientSessionsTest, AnotherPagesSignInSignsThisClientIn) {
  client_->adoptStoredSession(storedRecord(kOtherToken, kOtherUserId, kStartMs + 5000));
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kSignedIn);
  EXPECT_EQ(heard_[0].storage, StorageAction::kNone);  // it is in the storage already
  ASSERT_TRUE(heard_[0].session.has_value());
  EXPECT_EQ(heard_[0].session->userId, kOtherUserId);
  std::optional<Session> session = client_->session();
  ASSERT_TRUE(session.has_value());
  EXPECT_TRUE(session->accessToken == kOtherToken);
  EXPECT_EQ(session->expiresAt, kStartMs + 5000);
  EXPECT_EQ(transport_.sentCount(), 0u);
}

TEST_F(AuthClientSessionsTest, AnotherPagesSignInReplacesThisClientsSession) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  heard_.clear();
  client_->adoptStoredSession(storedRecord(kOtherToken, kOtherUserId, kStartMs + 5000));
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kSignedIn);
  EXPECT_EQ(client_->session()->userId, kOtherUserId);
}

TEST_F(AuthClientSessionsTest, TheRecordOfTheSessionHeldAlreadyChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  heard_.clear();
  client_->adoptStoredSession(storedRecord(kToken, kUserId, kStartMs + kSixHoursMs));
  EXPECT_TRUE(heard_.empty());
}

TEST_F(AuthClientSessionsTest, AnotherPagesSignOutSignsThisClientOutWithoutARequest) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  heard_.clear();
  client_->adoptStoredSession(json());
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kSignedOut);
  EXPECT_EQ(heard_[0].storage, StorageAction::kNone);
  EXPECT_FALSE(client_->session().has_value());
  EXPECT_EQ(transport_.sentCount(), 1u);            // the login only
  EXPECT_EQ(client_->expireIfDue(), std::nullopt);  // no session left to expire
}

TEST_F(AuthClientSessionsTest, ARemovalAfterTheSessionEndedReportsTheExpiry) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  heard_.clear();
  clock_.advance(kSixHoursMs);  // the other page's timer ran first
  client_->adoptStoredSession(json());
  ASSERT_EQ(heard_.size(), 1u);
  EXPECT_EQ(heard_[0].event, SessionEvent::kExpired);
  EXPECT_EQ(heard_[0].storage, StorageAction::kNone);
}

TEST_F(AuthClientSessionsTest, ARemovalWithoutASessionChangesNothing) {
  client_->adoptStoredSession(json());
  EXPECT_TRUE(heard_.empty());
}

TEST_F(AuthClientSessionsTest, AnInvalidRecordFromAnotherPageIsIgnored) {
  ASSERT_NO_FATAL_FAILURE(signIn());
  heard_.clear();
  for (const json& stored : {json("{"), json(7), storedRecord(kOtherToken, "x", kStartMs + 1),
                             storedRecord(kOtherToken, kOtherUserId, kStartMs - 1)}) {
    client_->adoptStoredSession(stored);
  }
  EXPECT_TRUE(heard_.empty());
  ASSERT_TRUE(client_->session().has_value());
  EXPECT_TRUE(client_->session()->accessToken == kToken);
}

TEST_F(AuthClientSessionsTest, AClientWithoutAListenerStillChanges) {
  client_->setSessionListener(nullptr);
  ASSERT_NO_FATAL_FAILURE(signIn());
  client_->logout(json(), [](const Result<LogoutResult>&) {});
  EXPECT_FALSE(client_->session().has_value());
  EXPECT_TRUE(heard_.empty());
}

}  // namespace
}  // namespace baanx
