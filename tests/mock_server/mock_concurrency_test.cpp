// The state stays consistent while the thread pool serves many requests at once.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "mock_test_support.hpp"

namespace baanx::mock::testing {
namespace {

using MockConcurrency = MockServerTest;

constexpr int kThreads = 8;

// Releases all waiting threads at once, so their requests really overlap.
class StartLine {
 public:
  explicit StartLine(int count) : waiting_(count) {}
  void ArriveAndWait() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (--waiting_ == 0) cv_.notify_all();
    cv_.wait(lock, [this] { return waiting_ <= 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int waiting_;
};

TEST_F(MockConcurrency, HammeringLoginAndSendOtpLeavesExactlyOneLiveCode) {
  constexpr int kRequestsPerThread = 50;
  SetConfig({{"resendCooldownS", 0}});
  const int server_port = port();
  std::atomic<int> unexpected{0};
  std::atomic<int> codes_sent{0};
  StartLine start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.ArriveAndWait();
      for (int i = 0; i < kRequestsPerThread; ++i) {
        const bool send = (i + t) % 2 == 0;
        const HttpResult result =
            send ? Request(server_port, "POST", "/v1/auth/login/otp", ApiHeaders(),
                           json{{"userId", std::string(kAdaUserId)}}.dump())
                 : Request(server_port, "POST", "/v1/auth/login", ApiHeaders(),
                           json{{"email", std::string(kAdaEmail)},
                                {"password", std::string(kDemoPassword)}}
                               .dump());
        if (result.status != 200) ++unexpected;
        if (send && result.status == 200) ++codes_sent;
        if (!send && result.BoolField("isOtpRequired") != true) ++unexpected;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_EQ(codes_sent.load(), kThreads * kRequestsPerThread / 2);

  // The mock phone's newest message is the one live code; an older one no longer works.
  HttpResult sms = Get("/__mock/sms");
  json& messages = sms.body_json["messages"];
  ASSERT_EQ(messages.size(), 20u);
  const std::string live = LiveCode(kAdaUserId);
  EXPECT_TRUE(messages[0]["code"] == live) << "the newest SMS is not the live code";
  std::string older;
  for (size_t i = 1; i < messages.size() && older.empty(); ++i) {
    if (messages[i]["code"] != live) older = messages[i]["code"].get<std::string>();
  }
  ASSERT_FALSE(older.empty()) << "all twenty codes were equal";
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, older).status, 400);
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, live).status, 200);
  EXPECT_EQ(Login(kAdaEmail, kDemoPassword, live).status, 400) << "the code was not single-use";
}

TEST_F(MockConcurrency, RacingTheRightCodeAuthenticatesExactlyOnce) {
  // The losers count as wrong attempts; keep them from locking the account.
  SetConfig({{"maxOtpAttempts", 100}});
  const std::string code = SendAdaCode();
  const int server_port = port();
  const std::string body = json{
      {"email", std::string(kAdaEmail)},
      {"password", std::string(kDemoPassword)},
      {"otpCode", code}}.dump();
  std::atomic<int> authenticated{0};
  std::atomic<int> rejected{0};
  StartLine start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.ArriveAndWait();
      const HttpResult result = Request(server_port, "POST", "/v1/auth/login", ApiHeaders(), body);
      if (result.status == 200 && result.BoolField("isOtpRequired") == false) ++authenticated;
      if (result.status == 400) ++rejected;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(authenticated.load(), 1);
  EXPECT_EQ(rejected.load(), kThreads - 1);
}

TEST_F(MockConcurrency, ParallelLoginsIssueDistinctRevocableSessions) {
  constexpr int kLoginsPerThread = 10;
  const int server_port = port();
  std::mutex tokens_mutex;
  std::set<std::string> tokens;
  StartLine start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.ArriveAndWait();
      for (int i = 0; i < kLoginsPerThread; ++i) {
        const HttpResult result = Request(
            server_port, "POST", "/v1/auth/login", ApiHeaders(),
            json{{"email", std::string(kGraceEmail)}, {"password", std::string(kDemoPassword)}}
                .dump());
        std::lock_guard<std::mutex> lock(tokens_mutex);
        tokens.insert(result.StringField("accessToken"));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(tokens.size(), static_cast<size_t>(kThreads * kLoginsPerThread));
  int revoked = 0;
  for (const auto& token : tokens) revoked += Logout(token).status == 200 ? 1 : 0;
  EXPECT_EQ(revoked, kThreads * kLoginsPerThread);
}

}  // namespace
}  // namespace baanx::mock::testing
