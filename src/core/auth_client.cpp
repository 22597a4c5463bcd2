#include "core/auth_client.hpp"

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

#include "core/requests.hpp"
#include "core/text.hpp"

namespace baanx {
namespace {

std::string lowerCase(std::string text) {
  for (char& c : text) c = toLowerAscii(c);
  return text;
}

// Joins the parts of a call's identity; '\n' cannot occur in any of them unescaped in JSON, and
// the key is wiped when the call ends since it holds the password.
std::string dedupeKey(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (std::string_view part : parts) {
    key += std::to_string(part.size());
    key += ':';
    key += part;
  }
  return key;
}

// The request in `calls` (AuthClient::inFlight_) made with dedupe key `key`, or calls.end().
template <typename Calls>
auto findByKey(Calls& calls, const std::string& key) {
  return std::find_if(calls.begin(), calls.end(),
                      [&key](const auto& call) { return call.second.dedupeKey == key; });
}

// The value of a public call's parsed argument, or nothing once `done` has settled the call with
// why it is not valid (each public call checks its options first, then its input).
template <typename Value, typename T>
std::optional<Value> valueOrSettle(Result<Value> parsed, AuthClient::Completion<T>& done) {
  if (parsed) return std::move(parsed).value();
  done(parsed.error());
  return std::nullopt;
}

// Removes secrets from a server's message, then cuts it to a readable length.
void finishMessage(Error& error, std::initializer_list<std::string_view> secrets) {
  for (std::string_view secret : secrets) {
    if (!secret.empty() && error.message.find(secret) != std::string::npos) {
      error.message = defaultMessage(error.code, error.status);
      break;
    }
  }
  error.message = truncateUtf8(std::move(error.message), kMaxServerMessageBytes);
}

}  // namespace

// A request in flight and every caller waiting for its result, in the order they came.
struct AuthClient::InFlight {
  struct Waiter {
    CallId caller = 0;
    Callback<void(const TransportResult&)> deliver;
  };
  Transport::RequestId request = 0;
  std::string dedupeKey;  // what an identical call joins by; wiped when the request ends
  std::vector<Waiter> waiters;
};

// The loginWithOtp state machine: kLogin -> (kSendCode -> kAwaitCode -> kVerify) -> kDone.
class AuthClient::OtpFlow : public std::enable_shared_from_this<OtpFlow> {
 public:
  enum class Step { kLogin, kSendCode, kAwaitCode, kVerify, kDone };

  OtpFlow(AuthClient& client, CallId id, LoginInput credentials, std::int64_t timeoutMs,
          int attempts, AskCode ask, Completion<LoginResult> done)
      : client_(client),
        id_(id),
        credentials_(std::move(credentials)),
        timeoutMs_(timeoutMs),
        attemptsLeft_(attempts),
        ask_(std::move(ask)),
        done_(std::move(done)) {}

  Step step() const { return step_; }

  void start() {
    step_ = Step::kLogin;
    auto self = shared_from_this();
    const CallId call =
        client_.loginWith(credentials_, timeoutMs_,
                          [self](const Result<LoginResult>& outcome) { self->onLogin(outcome); });
    if (step_ == Step::kLogin) current_ = call;
  }

  void abort() {
    if (step_ == Step::kDone) return;
    if (current_ != 0 && step_ != Step::kAwaitCode) {
      client_.cancelCall(current_);  // completes through onLogin/onCodeSent with kAborted
      return;
    }
    finish(makeError(ErrorCode::kAborted));
  }

 private:
  void onLogin(const Result<LoginResult>& outcome) {
    current_ = 0;
    if (step_ == Step::kDone) return;
    if (step_ == Step::kVerify && !outcome.ok() && --attemptsLeft_ > 0 &&
        (outcome.error().code == ErrorCode::kInvalidOtp ||
         outcome.error().code == ErrorCode::kOtpExpired)) {
      prompt_.error = outcome.error();  // asked again, never resubmitted by the flow itself
      askForCode();
      return;
    }
    const auto* otp = outcome.ok() ? std::get_if<OtpRequired>(&outcome.value()) : nullptr;
    if (otp == nullptr || step_ == Step::kVerify) {
      finish(outcome);
      return;
    }
    prompt_ = OtpPrompt();
    prompt_.userId = otp->userId;
    prompt_.phoneNumber = otp->phoneNumber;
    step_ = Step::kSendCode;
    auto self = shared_from_this();
    const CallId call =
        client_.sendOtpWith(SendOtpInput{otp->userId}, timeoutMs_,
                            [self](const Result<SendOtpResult>& sent) { self->onCodeSent(sent); });
    if (step_ == Step::kSendCode) current_ = call;  // unless it settled already
  }

  void onCodeSent(const Result<SendOtpResult>& sent) {
    current_ = 0;
    if (step_ == Step::kDone) return;
    const std::int64_t now = client_.clock_.nowMs();
    if (sent.ok()) {
      prompt_.codeSent = true;
      prompt_.resendAvailableAt = sent.value().resendAvailableAt;
    } else if (sent.error().code == ErrorCode::kResendCooldown ||
               sent.error().code == ErrorCode::kRateLimited) {
      // A code was sent moments ago (from this page, another tab or an earlier page load): it is
      // still valid, so the code is asked for all the same, and nothing is sent again.
      prompt_.codeSent = false;
      prompt_.resendAvailableAt =
          now + sent.error().retryAfterMs.value_or(client_.config_.resendCooldownMs);
    } else {
      finish(sent.error());
      return;
    }
    askForCode();
  }

  void askForCode() {
    step_ = Step::kAwaitCode;
    std::weak_ptr<OtpFlow> weak = shared_from_this();
    ask_(prompt_, [weak](std::optional<nlohmann::json> code) {
      if (auto self = weak.lock()) self->onCode(std::move(code));
    });
  }

  void onCode(std::optional<nlohmann::json> code) {
    if (step_ != Step::kAwaitCode) return;  // aborted meanwhile, or answered twice
    if (!code) {
      finish(makeError(ErrorCode::kAborted, 0,
                       "onOtpRequired did not provide a code; the sign-in was abandoned."));
      return;
    }
    std::optional<std::string> otpCode;
    if (code->is_string()) otpCode = normalizeOtpCode(code->get_ref<const std::string&>());
    if (code->is_string()) wipe(code->get_ref<std::string&>());
    if (!otpCode) {
      finish(invalidArgument("otpCode", "the code from onOtpRequired must be exactly 6 digits"));
      return;
    }
    step_ = Step::kVerify;
    LoginInput withCode = credentials_;
    withCode.otpCode = std::move(otpCode);
    auto self = shared_from_this();
    const CallId call =
        client_.loginWith(std::move(withCode), timeoutMs_,
                          [self](const Result<LoginResult>& outcome) { self->onLogin(outcome); });
    if (step_ == Step::kVerify) current_ = call;
  }

  void finish(Result<LoginResult> outcome) {
    if (step_ == Step::kDone) return;
    step_ = Step::kDone;
    wipe(credentials_.password);
    // Keeps this flow alive past its erasure below; weak_from_this() cannot throw (unlike
    // shared_from_this()), so neither can ~AuthClient, which finishes what is in flight.
    auto keepAlive = weak_from_this().lock();
    client_.flows_.erase(id_);
    Completion<LoginResult> done = std::move(done_);
    done(std::move(outcome));
  }

  AuthClient& client_;
  CallId id_;
  LoginInput credentials_;
  std::int64_t timeoutMs_;
  int attemptsLeft_;
  AskCode ask_;
  Completion<LoginResult> done_;
  Step step_ = Step::kLogin;
  CallId current_ = 0;
  OtpPrompt prompt_;
};

Result<std::unique_ptr<AuthClient>> AuthClient::create(const nlohmann::json& config,
                                                       Transport& transport, const Clock& clock) {
  auto parsed = parseClientConfig(config);
  if (!parsed) return parsed.error();
  return std::make_unique<AuthClient>(std::move(parsed).value(), transport, clock);
}

AuthClient::AuthClient(ClientConfig config, Transport& transport, const Clock& clock)
    : config_(std::move(config)), transport_(transport), clock_(clock) {}

AuthClient::~AuthClient() {
  std::vector<CallId> ids;
  for (const auto& entry : flows_) ids.push_back(entry.first);
  for (const auto& call : inFlight_) {
    for (const auto& waiter : call.second.waiters) ids.push_back(waiter.caller);
  }
  for (CallId id : ids) abort(id);
  wipe(config_.clientKey);
}

std::int64_t AuthClient::timeoutFor(const CallOptions& options) const {
  return options.timeoutMs.value_or(config_.timeoutMs);
}

template <typename T, typename Settle>
AuthClient::CallId AuthClient::run(std::string key, HttpRequest request, Completion<T> done,
                                   Settle settle) {
  const CallId id = nextCallId_++;
  Callback<void(const TransportResult&)> deliver =
      [settle = std::move(settle), done = std::move(done)](const TransportResult& result) mutable {
        done(settle(result));
      };
  auto joined = findByKey(inFlight_, key);
  if (joined != inFlight_.end()) {
    // Same call already in flight: wait for its result instead of sending again.
    joined->second.waiters.push_back({id, std::move(deliver)});
    wipe(key);
    wipe(request.body);
    return id;
  }
  auto entry = inFlight_.emplace(id, InFlight{0, std::move(key), {}});
  entry.first->second.waiters.push_back({id, std::move(deliver)});
  // A map node stays put while other calls come and go, and this request's own goes only in its
  // transport callback, which never runs from inside send().
  entry.first->second.request =
      transport_.send(std::move(request), [this, id](const TransportResult& result) {
        // Out of inFlight_ before delivering: a completion may start (or join) other calls.
        auto call = inFlight_.find(id);
        if (call == inFlight_.end()) return;
        std::vector<InFlight::Waiter> waiters = std::move(call->second.waiters);
        wipe(call->second.dedupeKey);
        inFlight_.erase(call);
        for (auto& waiter : waiters) waiter.deliver(result);
      });
  return id;
}

AuthClient::CallId AuthClient::requestOf(CallId caller) const {
  if (flows_.count(caller) != 0) return caller;
  for (const auto& [request, call] : inFlight_) {
    for (const auto& waiter : call.waiters) {
      if (waiter.caller == caller) return request;
    }
  }
  return 0;
}

void AuthClient::abort(CallId id) {
  if (auto flow = flows_.find(id); flow != flows_.end()) {
    auto keepAlive = flow->second;
    keepAlive->abort();
    return;
  }
  cancelCall(id);
}

void AuthClient::cancelCall(CallId caller) {
  for (auto& [request, call] : inFlight_) {
    auto waiter = std::find_if(call.waiters.begin(), call.waiters.end(),
                               [caller](const auto& w) { return w.caller == caller; });
    if (waiter == call.waiters.end()) continue;
    if (call.waiters.size() == 1) {
      // The last caller waiting: the request itself goes, and the transport completes it with
      // kAborted.
      transport_.cancel(call.request);
      return;
    }
    // Others still wait for this request: only this caller leaves it.
    auto deliver = std::move(waiter->deliver);
    call.waiters.erase(waiter);
    deliver(TransportFailure::kAborted);
    return;
  }
}

AuthClient::CallId AuthClient::login(const nlohmann::json& input, const nlohmann::json& options,
                                     Completion<LoginResult> done) {
  const auto parsedOptions = valueOrSettle(parseCallOptions(options), done);
  if (!parsedOptions) return 0;
  auto parsed = valueOrSettle(parseLoginInput(input), done);
  if (!parsed) return 0;
  return loginWith(std::move(*parsed), timeoutFor(*parsedOptions), std::move(done));
}

AuthClient::CallId AuthClient::loginWith(LoginInput credentials, std::int64_t timeoutMs,
                                         Completion<LoginResult> done) {
  const std::string timeout = std::to_string(timeoutMs);
  std::string key = dedupeKey({"login", credentials.email, credentials.password,
                               credentials.otpCode ? *credentials.otpCode : "-", timeout});
  HttpRequest request = buildLoginRequest(config_, credentials, timeoutMs);
  // Runs once, and wipes the credentials it holds before the completion runs.
  auto settle = [this, credentials = std::move(credentials),
                 timeoutMs](const TransportResult& result) mutable {
    const bool sentCode = credentials.otpCode.has_value();
    Result<LoginResult> outcome =
        std::holds_alternative<TransportFailure>(result)
            ? Result<LoginResult>(transportError(std::get<TransportFailure>(result), timeoutMs))
            : classifyLoginResponse(std::get<HttpResponse>(result), sentCode, clock_.nowMs());
    if (outcome.ok()) {
      if (const auto* session = std::get_if<Authenticated>(&outcome.value())) {
        if (session_) wipe(session_->accessToken);  // the token this login replaces
        session_ = Session{session->accessToken, session->userId, session->expiresAt};
        sessionChanged(SessionEvent::kSignedIn, StorageAction::kWrite);
      }
    } else {
      Error error = outcome.error();
      finishMessage(error, {credentials.password, credentials.otpCode.value_or(std::string()),
                            config_.clientKey, heldToken()});
      outcome = std::move(error);
    }
    wipe(credentials.password);
    if (credentials.otpCode) wipe(*credentials.otpCode);
    return outcome;
  };
  return run<LoginResult>(std::move(key), std::move(request), std::move(done), std::move(settle));
}

AuthClient::CallId AuthClient::sendOtp(const nlohmann::json& input, const nlohmann::json& options,
                                       Completion<SendOtpResult> done) {
  const auto parsedOptions = valueOrSettle(parseCallOptions(options), done);
  if (!parsedOptions) return 0;
  const auto parsed = valueOrSettle(parseSendOtpInput(input), done);
  if (!parsed) return 0;
  return sendOtpWith(*parsed, timeoutFor(*parsedOptions), std::move(done));
}

AuthClient::CallId AuthClient::sendOtpWith(const SendOtpInput& input, std::int64_t timeoutMs,
                                           Completion<SendOtpResult> done) {
  const std::string user = lowerCase(input.userId);
  // A send in flight for this user counts as a send: another one joins it, whatever its timeout,
  // rather than sending a second SMS.
  std::string key = dedupeKey({"sendOtp", user});
  if (findByKey(inFlight_, key) == inFlight_.end()) {
    const std::int64_t now = clock_.nowMs();
    if (auto it = resendAvailableAt_.find(user);
        it != resendAvailableAt_.end() && now < it->second) {
      Error error = makeError(ErrorCode::kResendCooldown);
      error.retryAfterMs = it->second - now;
      done(std::move(error));
      return 0;
    }
  }
  HttpRequest request = buildSendOtpRequest(config_, input, timeoutMs);
  auto settle = [this, user, timeoutMs](const TransportResult& result) {
    const std::int64_t nowMs = clock_.nowMs();
    Result<SendOtpResult> outcome =
        std::holds_alternative<TransportFailure>(result)
            ? Result<SendOtpResult>(transportError(std::get<TransportFailure>(result), timeoutMs))
            : classifySendOtpResponse(std::get<HttpResponse>(result), nowMs,
                                      config_.resendCooldownMs);
    if (outcome.ok()) {
      resendAvailableAt_[user] = outcome.value().resendAvailableAt;
    } else {
      Error error = outcome.error();
      // The server's own cooldown is honoured too: no resend before it allows one.
      if (error.code == ErrorCode::kRateLimited && error.retryAfterMs)
        resendAvailableAt_[user] = nowMs + *error.retryAfterMs;
      finishMessage(error, {config_.clientKey, heldToken()});
      outcome = std::move(error);
    }
    return outcome;
  };
  return run<SendOtpResult>(std::move(key), std::move(request), std::move(done), std::move(settle));
}

AuthClient::CallId AuthClient::logout(const nlohmann::json& options,
                                      Completion<LogoutResult> done) {
  const auto parsedOptions = valueOrSettle(parseCallOptions(options), done);
  if (!parsedOptions) return 0;
  const bool live = session_ && isSessionLive(*session_, clock_.nowMs());
  if (!live) {
    // Nothing the server could still revoke: an expired token is already dead. Its expiry may not
    // have been reported yet (the timer that would have is late).
    if (session_) endSession(SessionEvent::kExpired, StorageAction::kRemove);
    done(LogoutResult{});
    return 0;
  }
  std::string token = std::move(session_->accessToken);
  session_.reset();
  // Signed out from now on, whatever the server answers: the app hears it before the request.
  sessionChanged(SessionEvent::kSignedOut, StorageAction::kRemove);
  const std::int64_t timeoutMs = timeoutFor(*parsedOptions);
  HttpRequest request = buildLogoutRequest(config_, token, timeoutMs);
  std::string key = dedupeKey({"logout", token, std::to_string(timeoutMs)});
  auto settle = [this, token = std::move(token), timeoutMs](const TransportResult& result) mutable {
    Result<LogoutResult> outcome =
        std::holds_alternative<TransportFailure>(result)
            ? Result<LogoutResult>(transportError(std::get<TransportFailure>(result), timeoutMs))
            : classifyLogoutResponse(std::get<HttpResponse>(result), clock_.nowMs());
    if (!outcome.ok()) {
      Error error = outcome.error();
      finishMessage(error, {token, config_.clientKey, heldToken()});
      outcome = std::move(error);
    }
    wipe(token);
    return outcome;
  };
  return run<LogoutResult>(std::move(key), std::move(request), std::move(done), std::move(settle));
}

AuthClient::CallId AuthClient::loginWithOtp(const nlohmann::json& input,
                                            const nlohmann::json& options, AskCode ask,
                                            Completion<LoginResult> done) {
  const auto parsedOptions = valueOrSettle(parseCallOptions(options), done);
  if (!parsedOptions) return 0;
  if (!ask) {
    done(invalidArgument("onOtpRequired",
                         "onOtpRequired must be a function returning the code (or its Promise)"));
    return 0;
  }
  auto parsed = valueOrSettle(parseLoginInput(input), done);
  if (!parsed) return 0;
  if (parsed->otpCode) {
    wipe(parsed->password);
    done(invalidArgument("otpCode", "loginWithOtp asks for the code itself; pass no otpCode"));
    return 0;
  }
  const CallId id = nextCallId_++;
  auto flow = std::make_shared<OtpFlow>(*this, id, std::move(*parsed), timeoutFor(*parsedOptions),
                                        parsedOptions->attempts.value_or(1), std::move(ask),
                                        std::move(done));
  flows_.emplace(id, flow);
  flow->start();
  return flow->step() == OtpFlow::Step::kDone ? 0 : id;
}

std::string_view AuthClient::heldToken() const {
  return session_ ? std::string_view(session_->accessToken) : std::string_view();
}

std::optional<Session> AuthClient::session() const {
  if (!session_ || !isSessionLive(*session_, clock_.nowMs())) return std::nullopt;
  return session_;
}

}  // namespace baanx
