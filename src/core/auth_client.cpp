#include "core/auth_client.hpp"

#include <initializer_list>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/requests.hpp"
#include "core/text.hpp"

namespace baanx {
namespace {

// A server may echo what it was sent; a message that contains a secret is replaced.
void scrubSecrets(Error& error, std::initializer_list<std::string_view> secrets) {
  for (std::string_view secret : secrets) {
    if (!secret.empty() && error.message.find(secret) != std::string::npos) {
      error.message = defaultMessage(error.code, error.status);
      return;
    }
  }
}

}  // namespace

Result<std::unique_ptr<AuthClient>> AuthClient::create(const nlohmann::json& config,
                                                       Transport& transport, const Clock& clock) {
  auto parsed = parseClientConfig(config);
  if (!parsed) return parsed.error();
  return std::make_unique<AuthClient>(std::move(parsed).value(), transport, clock);
}

AuthClient::AuthClient(ClientConfig config, Transport& transport, const Clock& clock)
    : config_(std::move(config)), transport_(transport), clock_(clock) {}

AuthClient::~AuthClient() {
  const auto pending = inFlight_;
  for (const auto& [id, request] : pending) transport_.cancel(request);
  wipe(config_.clientKey);
}

std::int64_t AuthClient::timeoutFor(const CallOptions& options) const {
  return options.timeoutMs.value_or(config_.timeoutMs);
}

std::string AuthClient::cooldownKey(const std::string& userId) const {
  std::string key = userId;
  for (char& c : key) c = toLowerAscii(c);
  return key;
}

AuthClient::CallId AuthClient::start(HttpRequest request,
                                     std::function<void(const TransportResult&)> onResult) {
  const CallId id = nextCallId_++;
  // Registered before send, and updated only if still there: correct even with a transport
  // that answers from inside send.
  inFlight_[id] = 0;
  const Transport::RequestId requestId = transport_.send(
      std::move(request), [this, id, onResult = std::move(onResult)](TransportResult result) {
        inFlight_.erase(id);
        onResult(result);
      });
  if (auto it = inFlight_.find(id); it != inFlight_.end()) it->second = requestId;
  return id;
}

void AuthClient::abort(CallId id) {
  auto it = inFlight_.find(id);
  if (it == inFlight_.end()) return;
  transport_.cancel(it->second);  // the transport completes the call with kAborted
}

AuthClient::CallId AuthClient::login(const nlohmann::json& input, const nlohmann::json& options,
                                     Completion<LoginResult> done) {
  auto parsedOptions = parseCallOptions(options);
  if (!parsedOptions) {
    done(parsedOptions.error());
    return 0;
  }
  auto parsed = parseLoginInput(input);
  if (!parsed) {
    done(parsed.error());
    return 0;
  }
  auto credentials = std::make_shared<LoginInput>(std::move(parsed).value());
  const std::int64_t timeoutMs = timeoutFor(parsedOptions.value());
  HttpRequest request = buildLoginRequest(config_, *credentials, timeoutMs);
  return start(std::move(request), [this, credentials, timeoutMs,
                                    done = std::move(done)](const TransportResult& result) {
    const bool sentCode = credentials->otpCode.has_value();
    Result<LoginResult> outcome =
        std::holds_alternative<TransportFailure>(result)
            ? Result<LoginResult>(transportError(std::get<TransportFailure>(result), timeoutMs))
            : classifyLoginResponse(std::get<HttpResponse>(result), sentCode, clock_.nowMs());
    if (outcome.ok()) {
      if (const auto* session = std::get_if<Authenticated>(&outcome.value())) {
        session_ = Session{session->accessToken, session->userId, session->expiresAt};
      }
    } else {
      Error error = outcome.error();
      scrubSecrets(error, {credentials->password, credentials->otpCode.value_or(std::string()),
                           config_.clientKey});
      outcome = std::move(error);
    }
    wipe(credentials->password);
    if (credentials->otpCode) wipe(*credentials->otpCode);
    done(std::move(outcome));
  });
}

AuthClient::CallId AuthClient::sendOtp(const nlohmann::json& input, const nlohmann::json& options,
                                       Completion<SendOtpResult> done) {
  auto parsedOptions = parseCallOptions(options);
  if (!parsedOptions) {
    done(parsedOptions.error());
    return 0;
  }
  auto parsed = parseSendOtpInput(input);
  if (!parsed) {
    done(parsed.error());
    return 0;
  }
  const std::string key = cooldownKey(parsed.value().userId);
  const std::int64_t now = clock_.nowMs();
  if (auto it = resendAvailableAt_.find(key); it != resendAvailableAt_.end() && now < it->second) {
    Error error;
    error.code = ErrorCode::kResendCooldown;
    error.message = defaultMessage(error.code, 0);
    error.retryAfterMs = it->second - now;
    done(std::move(error));
    return 0;
  }
  const std::int64_t timeoutMs = timeoutFor(parsedOptions.value());
  HttpRequest request = buildSendOtpRequest(config_, parsed.value(), timeoutMs);
  return start(std::move(request), [this, key, timeoutMs,
                                    done = std::move(done)](const TransportResult& result) {
    const std::int64_t nowMs = clock_.nowMs();
    Result<SendOtpResult> outcome =
        std::holds_alternative<TransportFailure>(result)
            ? Result<SendOtpResult>(transportError(std::get<TransportFailure>(result), timeoutMs))
            : classifySendOtpResponse(std::get<HttpResponse>(result), nowMs,
                                      config_.resendCooldownMs);
    if (outcome.ok()) {
      resendAvailableAt_[key] = outcome.value().resendAvailableAt;
    } else {
      Error error = outcome.error();
      // The server's own cooldown is honoured too: no resend before it allows one.
      if (error.code == ErrorCode::kRateLimited && error.retryAfterMs)
        resendAvailableAt_[key] = nowMs + *error.retryAfterMs;
      scrubSecrets(error, {config_.clientKey});
      outcome = std::move(error);
    }
    done(std::move(outcome));
  });
}

AuthClient::CallId AuthClient::logout(const nlohmann::json& options,
                                      Completion<LogoutResult> done) {
  auto parsedOptions = parseCallOptions(options);
  if (!parsedOptions) {
    done(parsedOptions.error());
    return 0;
  }
  if (!session_) {
    done(LogoutResult{});
    return 0;
  }
  auto token = std::make_shared<std::string>(std::move(session_->accessToken));
  session_.reset();
  const std::int64_t timeoutMs = timeoutFor(parsedOptions.value());
  HttpRequest request = buildLogoutRequest(config_, *token, timeoutMs);
  return start(std::move(request), [this, token, timeoutMs,
                                    done = std::move(done)](const TransportResult& result) {
    Result<LogoutResult> outcome =
        std::holds_alternative<TransportFailure>(result)
            ? Result<LogoutResult>(transportError(std::get<TransportFailure>(result), timeoutMs))
            : classifyLogoutResponse(std::get<HttpResponse>(result), clock_.nowMs());
    if (!outcome.ok()) {
      Error error = outcome.error();
      scrubSecrets(error, {*token, config_.clientKey});
      outcome = std::move(error);
    }
    wipe(*token);
    done(std::move(outcome));
  });
}

std::optional<Session> AuthClient::session() const {
  if (!session_ || clock_.nowMs() >= session_->expiresAt) return std::nullopt;
  return session_;
}

}  // namespace baanx
