// The mock Baanx API: fixture users, OTP codes, lockouts, sessions, the mock phone and the test
// hooks, written from baanx-api.md alone (it shares no code with the client core, so a misreading
// of the API cannot hide on both sides of a test). Transport-agnostic: the HTTP layer turns
// requests into ApiRequest and sends back the ApiResponse. Thread-safe: one mutex guards all state.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>

#include "mock_server/mock_config.hpp"
#include "mock_server/mock_faults.hpp"

namespace baanx::mock {

inline constexpr size_t kMaxRequestBodyBytes = size_t{64} * 1024;
inline constexpr int64_t kSessionLifetimeMs = 6LL * 3600 * 1000;
inline constexpr size_t kSmsLogSize = 20;

struct ApiRequest {
  std::string method;
  std::string path;  // without the query string
  std::string body;
  std::optional<std::string> client_key;     // x-client-key
  std::optional<std::string> authorization;  // Authorization
  std::optional<std::string> content_type;   // Content-Type
  std::map<std::string, std::string> query;
};

class MockBaanx {
 public:
  MockBaanx(MockConfig config, bool test_mode);

  MockBaanx(const MockBaanx&) = delete;
  MockBaanx& operator=(const MockBaanx&) = delete;

  // Requests under /v1/.
  ApiResponse HandleApi(const ApiRequest& request);
  // Requests under /__mock/ (the mock phone always; the other hooks only in test mode).
  ApiResponse HandleMock(const ApiRequest& request);

  // The next armed fault for this API path, counting it as used; nullopt when none is armed.
  std::optional<Fault> TakeFault(const std::string& path);

  // The mock's clock: real time plus the offset moved by /__mock/clock, in ms since the epoch.
  int64_t NowMs() const;
  bool test_mode() const { return test_mode_; }
  MockConfig config() const;

 private:
  struct OtpState {
    std::optional<std::string> code;
    int64_t code_sent_ms = 0;
    std::optional<int64_t> last_send_ms;
    int wrong_attempts = 0;
    int64_t locked_until_ms = 0;
  };
  struct Session {
    std::string user_id;
    int64_t expires_ms = 0;
  };
  struct SmsMessage {
    std::string user_id;
    std::string phone_number;
    std::string code;
    int64_t sent_ms = 0;
  };

  ApiResponse Login(const std::string& body);
  ApiResponse SendOtp(const std::string& body);
  ApiResponse Logout(const std::optional<std::string>& authorization);
  ApiResponse MockOtp(const ApiRequest& request);
  ApiResponse MockSms();
  ApiResponse MockClock(const ApiRequest& request);
  ApiResponse MockReset();
  ApiResponse MockConfigHook(const ApiRequest& request);
  ApiResponse MockFault(const ApiRequest& request);

  // The caller holds mutex_ for all of these.
  int64_t NowMsLocked() const;
  std::string IssueSessionToken(const std::string& user_id, int64_t now_ms);
  std::string NewUuid4();
  std::string NewOtpCode();
  void ResetStateLocked();

  const bool test_mode_;
  const MockConfig initial_config_;

  mutable std::mutex mutex_;
  MockConfig config_;
  int64_t clock_offset_ms_ = 0;
  std::map<std::string, OtpState> otp_;                // by userId
  std::unordered_map<std::string, Session> sessions_;  // by token
  std::deque<SmsMessage> sms_;                         // newest first
  std::map<std::string, std::deque<Fault>> faults_;    // by API path, in arming order
  std::random_device random_;
};

}  // namespace baanx::mock
