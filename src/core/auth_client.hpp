// The client the bindings expose: validates calls, builds requests, sends them through the
// Transport, classifies answers and keeps what outlives a call (the session, the resend cooldown,
// the calls in flight). Single-threaded by design, like the browser event loop it runs on.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/callback.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/responses.hpp"
#include "core/session_record.hpp"
#include "core/transport.hpp"
#include "core/validation.hpp"

namespace baanx {

// What loginWithOtp asks the app for the code with.
struct OtpPrompt {
  std::string userId;
  std::optional<std::string> phoneNumber;
  // Whether this flow's send went out. It did not when the server (429) or the client's cooldown
  // refused it: a code sent shortly before, from another tab or page load, is still valid.
  bool codeSent = false;
  std::int64_t resendAvailableAt = 0;  // ms since epoch: when a resend can work
  std::optional<Error> error;          // why the code is asked again (a rejected code)
};

class AuthClient {
 public:
  using CallId = std::uint64_t;  // 0: the call finished before it was sent (bad input)
  template <typename T>
  using Completion = Callback<void(Result<T>)>;
  // Answers an OtpPrompt once: the code as the app gave it (any JSON value; the core checks it),
  // or nothing when the app could not provide one.
  using CodeAnswer = Callback<void(std::optional<nlohmann::json> code)>;
  using AskCode = Callback<void(const OtpPrompt& prompt, CodeAnswer answer)>;

  // Validates the config; the transport and clock must outlive the client.
  static Result<std::unique_ptr<AuthClient>> create(const nlohmann::json& config,
                                                    Transport& transport, const Clock& clock);
  AuthClient(ClientConfig config, Transport& transport, const Clock& clock);
  ~AuthClient();  // aborts what is still in flight
  AuthClient(const AuthClient&) = delete;
  AuthClient& operator=(const AuthClient&) = delete;

  // Each completion runs exactly once: at once for bad input, else when the call settles. Each
  // call gets a CallId of its own. A call identical to one still in flight joins it: one request,
  // the same result (requestOf() tells which request a call waits for).
  CallId login(const nlohmann::json& input, const nlohmann::json& options,
               Completion<LoginResult> done);
  CallId sendOtp(const nlohmann::json& input, const nlohmann::json& options,
                 Completion<SendOtpResult> done);
  // Clears the session whatever the server says; without a live session it settles at once.
  CallId logout(const nlohmann::json& options, Completion<LogoutResult> done);

  // The documented flow as one call: login; if a code is required, send it, ask for it, and log
  // in with it. A rejected code ends the flow with kInvalidOtp: it is never resubmitted.
  CallId loginWithOtp(const nlohmann::json& input, const nlohmann::json& options, AskCode ask,
                      Completion<LoginResult> done);

  // Cancels a call or flow in flight: it completes with kAborted. A call that shares its request
  // with others only leaves it; the request is cancelled when no caller is left waiting for it.
  // Finished or unknown ids are ignored.
  void abort(CallId id);

  // The request a call in flight waits for, named by the CallId of the call that sent it (a flow
  // is its own); 0 once the call has settled.
  CallId requestOf(CallId caller) const;

  // The session of the last successful login (or the one restored from the storage, or another
  // page's), or nothing once it expired or logged out.
  std::optional<Session> session() const;

  // Sessions that outlive the page (js-api.md). The bindings keep the record in the app's storage
  // and tell the app; which event a change is, and what the storage does about it, is decided here
  // (auth_client_sessions.cpp).
  using SessionListener = Callback<void(const SessionChange& change)>;
  // Hears each change of the session as it happens: a login that authenticated, a logout (before
  // its request is sent), an expiry, another page's sign-in or sign-out. One listener; setting one
  // replaces the last.
  void setSessionListener(SessionListener listener);
  // Where the config asked the session to be kept between page loads.
  const SessionStorageConfig& sessionStorage() const { return config_.storage; }
  // What the storage held when the page started (null: nothing). A record that is still valid
  // becomes the session, with no event: the app finds it in session(). Anything else comes back as
  // kRemove, for the storage to drop.
  StorageAction restoreSession(const nlohmann::json& stored);
  // What another page of the origin left in the storage both share (null: it removed the record).
  // A valid record of another session signs this client in, a removal signs it out (or reports the
  // expiry that was due), with no request of its own; anything else is ignored.
  void adoptStoredSession(const nlohmann::json& stored);
  // Ends the session once its time has come, with kExpired. Returns the ms until the live session
  // expires (when to ask again), or nothing when there is no session.
  std::optional<std::int64_t> expireIfDue();

 private:
  struct InFlight;
  class OtpFlow;

  // settle: a lambda taking the TransportResult to a Result<T>. Each caller has its own run, so it
  // is kept as it is rather than type-erased.
  template <typename T, typename Settle>
  CallId run(std::string dedupeKey, HttpRequest request, Completion<T> done, Settle settle);
  CallId loginWith(LoginInput credentials, std::int64_t timeoutMs, Completion<LoginResult> done);
  CallId sendOtpWith(const SendOtpInput& input, std::int64_t timeoutMs,
                     Completion<SendOtpResult> done);
  std::int64_t timeoutFor(const CallOptions& options) const;
  // Takes one caller off its request (not a flow): what a flow's abort uses for its current step.
  void cancelCall(CallId caller);
  // The session's token, or empty: a server may echo it into any call's message, not only the
  // logout that sends it, so every call's error text is cleaned of it.
  std::string_view heldToken() const;
  // Drops the held session (its token wiped) and tells the listener.
  void endSession(SessionEvent event, StorageAction storage);
  // Tells the listener, with the storage's action unless the client keeps no storage.
  void sessionChanged(SessionEvent event, StorageAction storage);

  ClientConfig config_;
  Transport& transport_;
  const Clock& clock_;
  std::optional<Session> session_;
  std::map<std::string, std::int64_t> resendAvailableAt_;  // by lower-case userId
  // The calls in flight; an identical call joins one through its dedupe key, found by a linear
  // search (a few calls at most are in flight).
  std::map<CallId, InFlight> inFlight_;
  std::map<CallId, std::shared_ptr<OtpFlow>> flows_;
  CallId nextCallId_ = 1;
  SessionListener sessionListener_;
};

}  // namespace baanx
