// The client the bindings expose: validates calls, builds requests, sends them through the
// Transport, classifies answers and keeps what outlives a call (the session, the resend cooldown).
// Single-threaded by design, like the browser event loop it runs on.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"
#include "core/responses.hpp"
#include "core/transport.hpp"
#include "core/validation.hpp"

namespace baanx {

struct Session {
  std::string accessToken;
  std::string userId;
  std::int64_t expiresAt = 0;
};

class AuthClient {
 public:
  using CallId = std::uint64_t;  // 0: the call finished before it was sent (bad input)
  template <typename T>
  using Completion = std::function<void(Result<T>)>;

  // Validates the config; the transport and clock must outlive the client.
  static Result<std::unique_ptr<AuthClient>> create(const nlohmann::json& config,
                                                    Transport& transport, const Clock& clock);
  AuthClient(ClientConfig config, Transport& transport, const Clock& clock);
  ~AuthClient();  // aborts what is still in flight
  AuthClient(const AuthClient&) = delete;
  AuthClient& operator=(const AuthClient&) = delete;

  // Each completion runs exactly once: at once for bad input, else when the call settles.
  CallId login(const nlohmann::json& input, const nlohmann::json& options,
               Completion<LoginResult> done);
  CallId sendOtp(const nlohmann::json& input, const nlohmann::json& options,
                 Completion<SendOtpResult> done);
  // Clears the session whatever the server says; without a session it settles at once.
  CallId logout(const nlohmann::json& options, Completion<LogoutResult> done);

  // Cancels a call in flight: it completes with kAborted. Finished or unknown ids are ignored.
  void abort(CallId id);

  // The session of the last successful login, or nothing once it expired or logged out.
  std::optional<Session> session() const;
  const ClientConfig& config() const { return config_; }

 private:
  struct Call;

  CallId start(HttpRequest request, std::function<void(const TransportResult&)> onResult);
  std::int64_t timeoutFor(const CallOptions& options) const;
  std::string cooldownKey(const std::string& userId) const;

  ClientConfig config_;
  Transport& transport_;
  const Clock& clock_;
  std::optional<Session> session_;
  std::unordered_map<std::string, std::int64_t> resendAvailableAt_;  // by lower-case userId
  std::unordered_map<CallId, Transport::RequestId> inFlight_;
  CallId nextCallId_ = 1;
};

}  // namespace baanx
