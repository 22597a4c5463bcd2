#include "mock_server/mock_baanx.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "mock_server/mock_fixtures.hpp"

namespace baanx::mock {
namespace {

using nlohmann::json;
// Response bodies keep the field order of the API documentation.
using OrderedJson = nlohmann::ordered_json;

constexpr std::string_view kLoginPath = "/v1/auth/login";
constexpr std::string_view kSendOtpPath = "/v1/auth/login/otp";
constexpr std::string_view kLogoutPath = "/v1/auth/logout";

constexpr std::string_view kInvalidCredentials = "Invalid email or password";
constexpr std::string_view kAccountDisabled = "Your account has been disabled";
constexpr std::string_view kAccountLocked = "Account temporarily locked: too many attempts";
constexpr std::string_view kInvalidOtp = "Invalid OTP code";
constexpr std::string_view kOtpExpired = "OTP code has expired";
constexpr std::string_view kNotAuthenticated = "Not authenticated";

constexpr int64_t kMaxClockAdvanceMs = 10LL * 365 * 24 * 3600 * 1000;

std::string Dump(const OrderedJson& value) {
  // Replace, never throw, should a string ever hold invalid UTF-8.
  return value.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

ApiResponse JsonResponse(int status, const OrderedJson& body) {
  ApiResponse response;
  response.status = status;
  response.body = Dump(body);
  return response;
}

ApiResponse ErrorResponse(int status, std::string_view message) {
  OrderedJson body = OrderedJson::object();
  body["message"] = std::string(message);
  return JsonResponse(status, body);
}

ApiResponse SuccessResponse() {
  OrderedJson body = OrderedJson::object();
  body["success"] = true;
  return JsonResponse(200, body);
}

ApiResponse MethodNotAllowed(std::string_view allow) {
  ApiResponse response = ErrorResponse(405, "Method not allowed");
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

// The JSON object of a request body, or the 400 answer for a body that is not one.
std::variant<json, ApiResponse> ParseObject(const std::string& body) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return ErrorResponse(400, "Malformed JSON body");
  if (!parsed.is_object()) return ErrorResponse(400, "Request body must be a JSON object");
  return parsed;
}

// A required string field, or the 400 answer naming it.
std::variant<std::string, ApiResponse> RequiredString(const json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end()) {
    return ErrorResponse(400, std::string("Missing required field: ") + field);
  }
  if (!it->is_string()) {
    return ErrorResponse(400, std::string("Field ") + field + " must be a string");
  }
  return it->get<std::string>();
}

std::optional<int64_t> AsInt64(const json& value) {
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<uint64_t>();
    if (unsigned_value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(unsigned_value);
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  return std::nullopt;
}

std::string AsciiLower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return text;
}

const FixtureUser* FindUserByEmail(const std::string& email) {
  const std::string wanted = AsciiLower(email);
  for (const auto& user : kFixtureUsers) {
    if (user.email == wanted) return &user;
  }
  return nullptr;
}

const FixtureUser* FindUserById(const std::string& user_id) {
  const std::string wanted = AsciiLower(user_id);
  for (const auto& user : kFixtureUsers) {
    if (user.user_id == wanted) return &user;
  }
  return nullptr;
}

// Whether the request declares a JSON body: "application/json", in any case, parameters allowed.
bool DeclaresJson(const std::optional<std::string>& content_type) {
  if (!content_type) return false;
  std::string media_type = AsciiLower(content_type->substr(0, content_type->find(';')));
  media_type.erase(0, media_type.find_first_not_of(" \t"));
  media_type.erase(media_type.find_last_not_of(" \t") + 1);
  return media_type == "application/json";
}

OrderedJson NullableString(std::string_view text) {
  if (text.empty()) return nullptr;
  return std::string(text);
}

OrderedJson LoginBody(const FixtureUser& user, const std::string& token, bool otp_required) {
  OrderedJson body = OrderedJson::object();
  body["accessToken"] = token;
  body["userId"] = std::string(user.user_id);
  body["isOtpRequired"] = otp_required;
  body["phoneNumber"] = NullableString(user.masked_phone);
  body["phase"] = NullableString(user.phase);
  body["verificationState"] = std::string(user.verification_state);
  body["isLinked"] = false;
  return body;
}

OrderedJson ConfigBody(const MockConfig& config) {
  OrderedJson body = OrderedJson::object();
  body["wrongOtpSignal"] = config.wrong_otp_signal;
  body["otpTtlS"] = config.otp_ttl_s;
  body["resendCooldownS"] = config.resend_cooldown_s;
  body["maxOtpAttempts"] = config.max_otp_attempts;
  body["lockS"] = config.lock_s;
  return body;
}

int64_t MsToWholeSecondsRoundedUp(int64_t ms) { return (ms + 999) / 1000; }

}  // namespace

MockBaanx::MockBaanx(MockConfig config, bool test_mode)
    : test_mode_(test_mode), initial_config_(config), config_(config) {}

int64_t MockBaanx::NowMs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return NowMsLocked();
}

int64_t MockBaanx::NowMsLocked() const {
  const auto real = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return static_cast<int64_t>(real) + clock_offset_ms_;
}

MockConfig MockBaanx::config() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return config_;
}

ApiResponse MockBaanx::HandleApi(const ApiRequest& request) {
  // The client key comes before anything else, as on Baanx.
  if (!request.client_key || request.client_key->empty()) {
    return ErrorResponse(499, "Missing client key");
  }
  if (*request.client_key != kClientKey) return ErrorResponse(498, "Invalid client key");

  if (request.path == kLoginPath) {
    if (request.method != "POST") return MethodNotAllowed("POST, OPTIONS");
    return Login(request.body);
  }
  if (request.path == kSendOtpPath) {
    if (request.method != "POST") return MethodNotAllowed("POST, OPTIONS");
    return SendOtp(request.body);
  }
  if (request.path == kLogoutPath) {
    if (request.method != "POST") return MethodNotAllowed("POST, OPTIONS");
    return Logout(request.authorization);
  }
  return ErrorResponse(404, "Not found");
}

ApiResponse MockBaanx::Login(const std::string& body) {
  auto parsed = ParseObject(body);
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const json& request = std::get<json>(parsed);

  auto email = RequiredString(request, "email");
  if (auto* error = std::get_if<ApiResponse>(&email)) return *error;
  auto password = RequiredString(request, "password");
  if (auto* error = std::get_if<ApiResponse>(&password)) return *error;
  std::optional<std::string> otp_code;
  if (const auto it = request.find("otpCode"); it != request.end()) {
    if (!it->is_string()) return ErrorResponse(400, "Field otpCode must be a string");
    otp_code = it->get<std::string>();
  }

  // Unknown email and wrong password get the same answer, so neither can be told apart.
  const FixtureUser* user = FindUserByEmail(std::get<std::string>(email));
  if (user == nullptr || std::get<std::string>(password) != kDemoPassword) {
    return ErrorResponse(401, kInvalidCredentials);
  }
  if (user->disabled) return ErrorResponse(403, kAccountDisabled);

  std::lock_guard<std::mutex> lock(mutex_);
  const int64_t now = NowMsLocked();
  OtpState& state = otp_[std::string(user->user_id)];
  if (state.locked_until_ms > now) return ErrorResponse(401, kAccountLocked);

  // Onboarding unfinished, or a code still to come: the token in the body is deliberately one
  // that was never issued, as Baanx may send one that is not valid yet.
  if (!user->phase.empty()) {
    return JsonResponse(200, LoginBody(*user, "US_" + NewUuid4(), false));
  }
  if (!user->otp_required) {
    return JsonResponse(
        200, LoginBody(*user, IssueSessionToken(std::string(user->user_id), now), false));
  }
  if (!otp_code) return JsonResponse(200, LoginBody(*user, "US_" + NewUuid4(), true));

  if (state.code && *state.code == *otp_code) {
    if (now - state.code_sent_ms >= static_cast<int64_t>(config_.otp_ttl_s) * 1000) {
      return ErrorResponse(400, kOtpExpired);
    }
    state.code.reset();  // single use
    state.wrong_attempts = 0;
    return JsonResponse(
        200, LoginBody(*user, IssueSessionToken(std::string(user->user_id), now), false));
  }

  ++state.wrong_attempts;
  if (state.wrong_attempts >= config_.max_otp_attempts) {
    state.locked_until_ms = now + static_cast<int64_t>(config_.lock_s) * 1000;
    state.wrong_attempts = 0;
    state.code.reset();
  }
  if (config_.wrong_otp_signal == 200) {
    return JsonResponse(200, LoginBody(*user, "US_" + NewUuid4(), true));
  }
  return ErrorResponse(400, kInvalidOtp);
}

ApiResponse MockBaanx::SendOtp(const std::string& body) {
  auto parsed = ParseObject(body);
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  auto user_id = RequiredString(std::get<json>(parsed), "userId");
  if (auto* error = std::get_if<ApiResponse>(&user_id)) return *error;

  const FixtureUser* user = FindUserById(std::get<std::string>(user_id));
  if (user == nullptr) return ErrorResponse(404, "User not found");
  if (user->masked_phone.empty()) return ErrorResponse(400, "No phone number on file");

  std::lock_guard<std::mutex> lock(mutex_);
  const int64_t now = NowMsLocked();
  OtpState& state = otp_[std::string(user->user_id)];
  // A locked account is refused before the cooldown is looked at, and nothing is sent: a code
  // delivered during the lock would only feed more guesses once it lifts.
  if (state.locked_until_ms > now) return ErrorResponse(401, kAccountLocked);
  const int64_t cooldown_ms = static_cast<int64_t>(config_.resend_cooldown_s) * 1000;
  if (state.last_send_ms && now - *state.last_send_ms < cooldown_ms) {
    ApiResponse response = ErrorResponse(429, "Too many requests");
    const int64_t remaining_ms = cooldown_ms - (now - *state.last_send_ms);
    response.headers.emplace_back("Retry-After",
                                  std::to_string(MsToWholeSecondsRoundedUp(remaining_ms)));
    return response;
  }

  // A resend replaces the previous code but keeps the count of wrong codes: were it reset here,
  // guesses spread over resends would never reach the lock. Only a right code or the lock
  // itself starts the count afresh.
  state.code = NewOtpCode();
  state.code_sent_ms = now;
  state.last_send_ms = now;
  sms_.push_front(
      SmsMessage{std::string(user->user_id), std::string(user->masked_phone), *state.code, now});
  if (sms_.size() > kSmsLogSize) sms_.pop_back();
  return SuccessResponse();
}

ApiResponse MockBaanx::Logout(const std::optional<std::string>& authorization) {
  constexpr std::string_view kBearer = "bearer ";
  if (!authorization || authorization->size() <= kBearer.size() ||
      AsciiLower(authorization->substr(0, kBearer.size())) != kBearer) {
    return ErrorResponse(401, kNotAuthenticated);
  }
  std::string token = authorization->substr(kBearer.size());
  token.erase(0, token.find_first_not_of(' '));
  token.erase(token.find_last_not_of(' ') + 1);

  std::lock_guard<std::mutex> lock(mutex_);
  const auto session = sessions_.find(token);
  if (session == sessions_.end()) return ErrorResponse(401, kNotAuthenticated);
  const bool expired = session->second.expires_ms <= NowMsLocked();
  sessions_.erase(session);  // revoked at once; an expired one is dropped as well
  if (expired) return ErrorResponse(401, kNotAuthenticated);
  return SuccessResponse();
}

ApiResponse MockBaanx::HandleMock(const ApiRequest& request) {
  const std::string& path = request.path;
  if (path == "/__mock/otp") {
    return request.method == "GET" || request.method == "HEAD" ? MockOtp(request)
                                                               : MethodNotAllowed("GET, OPTIONS");
  }
  if (path == "/__mock/sms") {
    return request.method == "GET" || request.method == "HEAD" ? MockSms()
                                                               : MethodNotAllowed("GET, OPTIONS");
  }
  // Everything below exists only in test mode; outside it the paths do not exist at all.
  if (!test_mode_) return ErrorResponse(404, "Not found");
  // A hook that changes state takes JSON only. A cross-site HTML form, the one cross-origin
  // request a browser sends without asking first, cannot declare that type.
  const bool json_declared = DeclaresJson(request.content_type);
  const auto unsupported = [] {
    return ErrorResponse(415, "Content-Type must be application/json");
  };
  if (path == "/__mock/clock") {
    if (request.method != "GET" && request.method != "POST") {
      return MethodNotAllowed("GET, POST, OPTIONS");
    }
    if (request.method == "POST" && !json_declared) return unsupported();
    return MockClock(request);
  }
  if (path == "/__mock/reset") {
    if (request.method != "POST") return MethodNotAllowed("POST, OPTIONS");
    return json_declared ? MockReset() : unsupported();
  }
  if (path == "/__mock/config") {
    if (request.method != "GET" && request.method != "POST") {
      return MethodNotAllowed("GET, POST, OPTIONS");
    }
    if (request.method == "POST" && !json_declared) return unsupported();
    return MockConfigHook(request);
  }
  if (path == "/__mock/fault") {
    if (request.method != "POST" && request.method != "DELETE") {
      return MethodNotAllowed("POST, DELETE, OPTIONS");
    }
    return json_declared ? MockFault(request) : unsupported();
  }
  return ErrorResponse(404, "Not found");
}

ApiResponse MockBaanx::MockOtp(const ApiRequest& request) {
  const auto user_id = request.query.find("userId");
  if (user_id == request.query.end() || user_id->second.empty()) {
    return ErrorResponse(400, "Missing query parameter: userId");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const auto state = otp_.find(AsciiLower(user_id->second));
  if (state == otp_.end() || !state->second.code) return ErrorResponse(404, "No code sent");
  OrderedJson body = OrderedJson::object();
  body["code"] = *state->second.code;
  return JsonResponse(200, body);
}

ApiResponse MockBaanx::MockSms() {
  std::lock_guard<std::mutex> lock(mutex_);
  OrderedJson messages = OrderedJson::array();
  for (const auto& sms : sms_) {
    OrderedJson message = OrderedJson::object();
    message["userId"] = sms.user_id;
    message["phoneNumber"] = sms.phone_number;
    message["code"] = sms.code;
    message["sentAt"] = sms.sent_ms;
    messages.push_back(std::move(message));
  }
  OrderedJson body = OrderedJson::object();
  body["messages"] = std::move(messages);
  return JsonResponse(200, body);
}

ApiResponse MockBaanx::MockClock(const ApiRequest& request) {
  if (request.method == "POST") {
    auto parsed = ParseObject(request.body);
    if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
    const json& object = std::get<json>(parsed);
    const auto advance = object.find("advanceMs");
    const auto advance_ms = advance == object.end() ? std::nullopt : AsInt64(*advance);
    if (!advance_ms || *advance_ms < 0 || *advance_ms > kMaxClockAdvanceMs) {
      return ErrorResponse(400, "Field advanceMs must be an integer between 0 and " +
                                    std::to_string(kMaxClockAdvanceMs));
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (clock_offset_ms_ > std::numeric_limits<int64_t>::max() / 2 - *advance_ms) {
      return ErrorResponse(400, "The clock cannot move that far");
    }
    clock_offset_ms_ += *advance_ms;
  }
  OrderedJson body = OrderedJson::object();
  body["nowMs"] = NowMs();
  return JsonResponse(200, body);
}

ApiResponse MockBaanx::MockReset() {
  std::lock_guard<std::mutex> lock(mutex_);
  ResetStateLocked();
  return SuccessResponse();
}

void MockBaanx::ResetStateLocked() {
  config_ = initial_config_;
  clock_offset_ms_ = 0;
  otp_.clear();
  sessions_.clear();
  sms_.clear();
  faults_.clear();
}

ApiResponse MockBaanx::MockConfigHook(const ApiRequest& request) {
  if (request.method == "GET") return JsonResponse(200, ConfigBody(config()));

  auto parsed = ParseObject(request.body);
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const json& object = std::get<json>(parsed);

  std::lock_guard<std::mutex> lock(mutex_);
  MockConfig updated = config_;
  const std::array<std::pair<const char*, int*>, 5> fields = {{
      {"wrongOtpSignal", &updated.wrong_otp_signal},
      {"otpTtlS", &updated.otp_ttl_s},
      {"resendCooldownS", &updated.resend_cooldown_s},
      {"maxOtpAttempts", &updated.max_otp_attempts},
      {"lockS", &updated.lock_s},
  }};
  for (const auto& [key, value] : object.items()) {
    int* target = nullptr;
    for (const auto& [name, slot] : fields) {
      if (key == name) target = slot;
    }
    if (target == nullptr) return ErrorResponse(400, "Unknown config field: " + key.substr(0, 64));
    const auto number = AsInt64(value);
    if (!number || *number < std::numeric_limits<int>::min() ||
        *number > std::numeric_limits<int>::max()) {
      return ErrorResponse(400, "Field " + key + " must be an integer");
    }
    *target = static_cast<int>(*number);
  }
  if (auto error = ValidateConfig(updated)) return ErrorResponse(400, *error);
  config_ = updated;
  return JsonResponse(200, ConfigBody(config_));
}

ApiResponse MockBaanx::MockFault(const ApiRequest& request) {
  if (request.method == "DELETE") {
    std::lock_guard<std::mutex> lock(mutex_);
    faults_.clear();
    return SuccessResponse();
  }
  auto parsed = ParseObject(request.body);
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  auto fault = ParseFault(std::get<json>(parsed));
  if (auto* error = std::get_if<std::string>(&fault)) return ErrorResponse(400, *error);
  const Fault& armed = std::get<Fault>(fault);

  OrderedJson body = OrderedJson::object();
  body["success"] = true;
  body["path"] = armed.path;
  body["kind"] = FaultKindName(armed.kind);
  body["times"] = armed.times;
  if (armed.kind == FaultKind::kDelay) body["delayMs"] = armed.delay_ms;  // after the cap
  std::lock_guard<std::mutex> lock(mutex_);
  faults_[armed.path].push_back(armed);
  return JsonResponse(200, body);
}

std::optional<Fault> MockBaanx::TakeFault(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto queue = faults_.find(path);
  if (queue == faults_.end() || queue->second.empty()) return std::nullopt;
  Fault fault = queue->second.front();
  if (--queue->second.front().times <= 0) queue->second.pop_front();
  if (queue->second.empty()) faults_.erase(queue);
  return fault;
}

std::string MockBaanx::IssueSessionToken(const std::string& user_id, int64_t now_ms) {
  // Expired sessions are dropped here so the table cannot grow without bound.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.expires_ms <= now_ms ? sessions_.erase(it) : std::next(it);
  }
  std::string token = "US_" + NewUuid4();
  sessions_[token] = Session{user_id, now_ms + kSessionLifetimeMs};
  return token;
}

std::string MockBaanx::NewUuid4() {
  std::array<unsigned char, 16> bytes{};
  for (size_t i = 0; i < bytes.size(); i += 4) {
    const auto word = static_cast<uint32_t>(random_());
    for (size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<unsigned char>(word >> (8 * j));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0x0F]);
  }
  return text;
}

std::string MockBaanx::NewOtpCode() {
  std::uniform_int_distribution<int> digits(0, 999'999);
  std::string code = std::to_string(digits(random_));
  code.insert(0, 6 - code.size(), '0');  // six digits, leading zeros kept: "004217"
  return code;
}

}  // namespace baanx::mock
