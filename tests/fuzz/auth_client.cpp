// AuthClient as an app drives it, against a server that answers anything in any order. The bytes
// choose a sequence of calls (login, login with a code, sendOtp, loginWithOtp, logout, abort, the
// same call again, the clock jumping, the client destroyed and made anew) interleaved with the
// transport's answers to any request still in flight (any status, any body, failures), and the
// app's answers to code prompts. Checked after every step, trapping on a violation:
// - every completion runs exactly once, and a destroyed client has completed all of its calls;
// - no token is handed out (as a result or as the session) from an answer that asked for a code or
//   named an onboarding phase, and a login sent with a code never yields an OTP request;
// - no error text holds the password or the code of a call that carried them, the client key, or
//   the session token the client held when the call started or holds when it ends;
// - once everything is answered, nothing is left in flight: no request, no flow, no completion.
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "core/auth_client.hpp"
#include "core/json.hpp"

namespace {

using baanx::AuthClient;
using baanx::Callback;
using baanx::Clock;
using baanx::Error;
using baanx::HttpRequest;
using baanx::HttpResponse;
using baanx::Result;
using baanx::Transport;
using baanx::TransportFailure;
using baanx::TransportResult;
using nlohmann::json;

// The one user's secrets: a single password and a single code, so that every call that carries
// one carries the same one and any appearance in an error text is a leak.
constexpr const char* kPassword = "fuzz-Passw0rd-7c1e";
constexpr const char* kCode = "482913";
constexpr const char* kClientKey = "fuzz-client-key-3e4f";
constexpr const char* kUserIds[] = {"b6b9168c-bb56-4c6a-9c0d-4650ea74f5f9",
                                    "9979782e-bfa2-42ed-9dee-c76eab6a6326"};
constexpr const char* kEmails[] = {"ada@example.com", "grace@example.com", "not-an-email"};
constexpr std::int64_t kStartMs = 1700000000000;
constexpr int kMaxSteps = 96;

[[noreturn]] void violated() { __builtin_trap(); }
void require(bool condition) {
  if (!condition) violated();
}

class SteppedClock final : public Clock {
 public:
  std::int64_t nowMs() const override { return nowMs_; }
  void advance(std::int64_t ms) { nowMs_ += ms; }

 private:
  std::int64_t nowMs_ = kStartMs;
};

// Keeps what was sent until the fuzzer answers it; cancel() completes at once, as the contract
// says, and nothing completes from inside send().
class ScriptedTransport final : public Transport {
 public:
  struct Pending {
    RequestId id;
    HttpRequest request;
    Callback callback;
  };

  RequestId send(HttpRequest request, Callback callback) override {
    const RequestId id = nextId_++;
    pending_.push_back(Pending{id, std::move(request), std::move(callback)});
    return id;
  }

  void cancel(RequestId id) override {
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i].id == id) {
        finish(i, TransportFailure::kAborted);
        return;
      }
    }
  }

  std::size_t pendingCount() const { return pending_.size(); }
  const HttpRequest& request(std::size_t index) const { return pending_.at(index).request; }

  void finish(std::size_t index, TransportResult result) {
    Callback callback = std::move(pending_.at(index).callback);
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(index));
    callback(std::move(result));
  }

 private:
  std::vector<Pending> pending_;
  RequestId nextId_ = 1;
};

bool contains(const std::string& text, const std::string& part) {
  return !part.empty() && text.find(part) != std::string::npos;
}

class Harness {
 public:
  explicit Harness(FuzzedDataProvider& input) : input_(input) { makeClient(); }

  void run() {
    for (int step = 0; step < kMaxSteps && input_.remaining_bytes() > 0; ++step) {
      act();
      checkSession();
    }
    drain();
    for (const Call& call : calls_) require(call.completions == 1);
    client_.reset();
    for (const Call& call : calls_) require(call.completions == 1);
    require(transport_.pendingCount() == 0);
  }

 private:
  // One call the app made, and what it may not see in an error.
  struct Call {
    int completions = 0;
    bool carriesPassword = false;
    bool carriesCode = false;
    std::string heldToken;  // the session token the client held when the call started
  };

  // A code prompt of a loginWithOtp call, not yet answered for good.
  struct Prompt {
    AuthClient::CodeAnswer answer;
    std::size_t call;
  };

  // What the last call was, so that it can be made again verbatim.
  struct Made {
    int kind = -1;
    json input;
    json options;
  };

  void makeClient() {
    json config = {{"baseUrl", "https://api.example.com/proxy/"},
                   {"clientKey", kClientKey},
                   {"resendCooldownMs", 30000}};
    auto created = AuthClient::create(config, transport_, clock_);
    require(created.ok());
    client_ = std::move(created).value();
  }

  std::size_t newCall(bool password, bool code) {
    Call call;
    call.carriesPassword = password;
    call.carriesCode = code;
    if (auto session = client_->session()) call.heldToken = session->accessToken;
    calls_.push_back(std::move(call));
    return calls_.size() - 1;
  }

  void checkError(std::size_t index, const Error& error) {
    const Call& call = calls_[index];
    require(!contains(error.message, kClientKey));
    if (call.carriesPassword) require(!contains(error.message, kPassword));
    if (call.carriesCode) require(!contains(error.message, kCode));
    require(!contains(error.message, call.heldToken));
    if (client_) {
      if (auto session = client_->session())
        require(!contains(error.message, session->accessToken));
    }
  }

  void completed(std::size_t index) { require(++calls_[index].completions == 1); }

  template <typename T>
  Callback<void(Result<T>)> completion(std::size_t index) {
    return [this, index](Result<T> result) {
      completed(index);
      if (!result.ok()) checkError(index, result.error());
    };
  }

  Callback<void(Result<baanx::LoginResult>)> loginCompletion(std::size_t index, bool sentCode) {
    return [this, index, sentCode](Result<baanx::LoginResult> result) {
      completed(index);
      if (!result.ok()) return checkError(index, result.error());
      if (sentCode) require(!std::holds_alternative<baanx::OtpRequired>(result.value()));
      if (const auto* session = std::get_if<baanx::Authenticated>(&result.value())) {
        require(!session->accessToken.empty());
        require(withheld_.count(session->accessToken) == 0 ||
                grantable_.count(session->accessToken) != 0);
      }
    };
  }

  void checkSession() {
    if (!client_) return;
    if (auto session = client_->session()) {
      require(grantable_.count(session->accessToken) != 0);
    }
  }

  json credentials(bool withCode) {
    json input = {{"email", input_.PickValueInArray(kEmails)}, {"password", kPassword}};
    if (input_.ConsumeIntegralInRange(0, 15) == 0) input["password"] = "";
    if (withCode) {
      switch (input_.ConsumeIntegralInRange(0, 3)) {
        case 0:
          input["otpCode"] = " " + std::string(kCode) + " ";
          break;
        case 1:
          input["otpCode"] = "48291";
          break;
        case 2:
          input["otpCode"] = 482913;
          break;
        default:
          input["otpCode"] = kCode;
          break;
      }
    }
    return input;
  }

  json options() {
    switch (input_.ConsumeIntegralInRange(0, 7)) {
      case 0:
        return {{"timeoutMs", input_.ConsumeIntegralInRange<std::int64_t>(-5, 100000)}};
      case 1:
        return {{"timeoutMs", "soon"}};
      default:
        return nullptr;
    }
  }

  void act() {
    switch (input_.ConsumeIntegralInRange(0, 13)) {
      case 0:
        return makeCall(Made{0, credentials(false), options()});
      case 1:
        return makeCall(Made{1, credentials(true), options()});
      case 2: {
        json userId = input_.ConsumeIntegralInRange(0, 7) == 0
                          ? json("not-a-uuid")
                          : json(input_.PickValueInArray(kUserIds));
        return makeCall(Made{2, {{"userId", userId}}, options()});
      }
      case 3:
        return makeCall(Made{3, credentials(input_.ConsumeIntegralInRange(0, 15) == 0), options()});
      case 4:
        return makeCall(Made{4, nullptr, options()});
      case 5:
        if (last_.kind >= 0) makeCall(last_);  // the same call again: it joins the one in flight
        return;
      case 6:
        if (!ids_.empty()) {
          const auto which = input_.ConsumeIntegralInRange<std::size_t>(0, ids_.size());
          client_->abort(which < ids_.size() ? ids_[which]
                                             : input_.ConsumeIntegral<std::uint64_t>());
        }
        return;
      case 7:
        clock_.advance(input_.PickValueInArray<std::int64_t>(
            {1, 999, 30000, 60001, 6LL * 60 * 60 * 1000, input_.ConsumeIntegral<std::int32_t>()}));
        return;
      case 8:
        return replaceClient();
      case 9:
        return answerPrompt();
      default:
        return answerRequest();
    }
  }

  void makeCall(Made made) {
    last_ = made;
    AuthClient::CallId id = 0;
    switch (made.kind) {
      case 0:
      case 1: {
        const bool withCode = made.input.contains("otpCode");
        const std::size_t index = newCall(true, withCode);
        id = client_->login(made.input, made.options, loginCompletion(index, withCode));
        break;
      }
      case 2: {
        const std::size_t index = newCall(false, false);
        id = client_->sendOtp(made.input, made.options, completion<baanx::SendOtpResult>(index));
        break;
      }
      case 3: {
        const std::size_t index = newCall(true, false);  // carries the code once the app gives it
        auto asked = std::make_shared<int>(0);
        id = client_->loginWithOtp(
            made.input, made.options,
            [this, asked, index](const baanx::OtpPrompt& prompt, AuthClient::CodeAnswer answer) {
              require(++*asked == 1);  // one prompt per flow
              require(!prompt.userId.empty());
              prompts_.push_back(Prompt{std::move(answer), index});
            },
            loginCompletion(index, false));
        break;
      }
      default: {
        const std::size_t index = newCall(false, false);
        id = client_->logout(made.options, completion<baanx::LogoutResult>(index));
        break;
      }
    }
    if (id != 0) ids_.push_back(id);
  }

  void replaceClient() {
    client_.reset();
    // The destructor aborts everything the client had in flight: all of its calls are done, and
    // none of its requests is left with the transport.
    for (const Call& call : calls_) require(call.completions == 1);
    require(transport_.pendingCount() == 0);
    ids_.clear();
    makeClient();
  }

  void answerPrompt() {
    if (prompts_.empty()) return;
    const auto which = input_.ConsumeIntegralInRange<std::size_t>(0, prompts_.size() - 1);
    const AuthClient::CodeAnswer& answer = prompts_[which].answer;
    switch (input_.ConsumeIntegralInRange(0, 4)) {
      case 0:
        answer(std::nullopt);
        break;
      case 1:
        answer(json("12a456"));
        break;
      case 2:
        answer(json(482913));
        break;
      default:
        calls_[prompts_[which].call].carriesCode = true;
        answer(json(kCode));
        break;
    }
    // An answer given twice is ignored by the flow; keeping it lets the fuzzer try.
    if (input_.ConsumeBool()) prompts_.erase(prompts_.begin() + static_cast<std::ptrdiff_t>(which));
  }

  std::string newToken(bool grantable) {
    std::string token = "US_fuzz-" + std::to_string(++tokenCount_) + "-9d2b3e4f5a6b";
    (grantable ? grantable_ : withheld_).insert(token);
    return token;
  }

  // A secret an echoing server might put back into its message: one the request carried (the
  // client key, the password, the code, the bearer token), or the session token the client holds.
  std::string echo(const HttpRequest& request) {
    std::vector<std::string> carried = {kClientKey};
    if (contains(request.body, kPassword)) carried.emplace_back(kPassword);
    if (contains(request.body, kCode)) carried.emplace_back(kCode);
    for (const auto& [name, value] : request.headers) {
      if (name == "Authorization") carried.push_back(value.substr(value.find(' ') + 1));
    }
    if (auto session = client_ ? client_->session() : std::nullopt)
      carried.push_back(session->accessToken);
    return carried[input_.ConsumeIntegralInRange<std::size_t>(0, carried.size() - 1)];
  }

  HttpResponse templated(const HttpRequest& request) {
    json sent = json::parse(request.body, nullptr, false);
    const auto sentUser = sent.is_object() ? sent.find("userId") : sent.end();
    const std::string userId = sentUser != sent.end() && sentUser->is_string()
                                   ? sentUser->get<std::string>()
                                   : std::string(input_.PickValueInArray(kUserIds));
    json login = {{"userId", userId}, {"isOtpRequired", false},          {"phoneNumber", nullptr},
                  {"phase", nullptr}, {"verificationState", "VERIFIED"}, {"isLinked", false}};
    HttpResponse response;
    response.status = 200;
    switch (input_.ConsumeIntegralInRange(0, 9)) {
      case 0:
        login["accessToken"] = newToken(true);
        response.body = login.dump();
        break;
      case 1:
        login["accessToken"] = newToken(false);
        login["isOtpRequired"] = true;
        login["phoneNumber"] = "+445*****225";
        response.body = login.dump();
        break;
      case 2:
        login["accessToken"] = newToken(false);
        login["phase"] = "PHONE_NUMBER";
        login["isOtpRequired"] = input_.ConsumeBool();
        response.body = login.dump();
        break;
      case 3:
        response.body = R"({"success":true})";
        break;
      case 4:
        response.status = input_.PickValueInArray({400, 401, 403, 404, 422, 500, 502});
        response.body = json{{"message", "rejected: " + echo(request)}}.dump();
        break;
      case 5:
        response.status = 400;
        response.body = json{{"error_description", "OTP code has expired " + echo(request)}}.dump();
        break;
      case 6:
        response.status = 429;
        response.headers.emplace_back("Retry-After",
                                      std::to_string(input_.ConsumeIntegral<std::uint8_t>()));
        response.body = json{{"message", "Too many requests for " + echo(request)}}.dump();
        break;
      case 7:
        response.status = 403;
        response.body = R"({"message":"Account temporarily locked: too many attempts"})";
        break;
      case 8:
        response.status = input_.PickValueInArray({498, 499, 401});
        response.body = "<html>" + echo(request) + "</html>";
        break;
      default:
        response.status = 200;
        response.body = json{{"success", input_.ConsumeBool()}}.dump();
        break;
    }
    return response;
  }

  // An arbitrary answer; any token in it counts as grantable only when the body is a plain
  // sign-in (no code asked, no onboarding phase).
  HttpResponse arbitrary() {
    HttpResponse response;
    response.status = input_.ConsumeIntegralInRange(0, 999);
    if (input_.ConsumeBool())
      response.headers.emplace_back("Retry-After", input_.ConsumeRandomLengthString(32));
    response.body = input_.ConsumeRandomLengthString(1024);
    json body = json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("accessToken") && body["accessToken"].is_string()) {
      const auto otp = body.find("isOtpRequired");
      const auto phase = body.find("phase");
      const bool asksMore =
          (otp != body.end() && *otp != false) || (phase != body.end() && phase->is_string());
      (asksMore ? withheld_ : grantable_).insert(body["accessToken"].get<std::string>());
    }
    return response;
  }

  void answerRequest() {
    if (transport_.pendingCount() == 0) return;
    const auto which = input_.ConsumeIntegralInRange<std::size_t>(0, transport_.pendingCount() - 1);
    switch (input_.ConsumeIntegralInRange(0, 5)) {
      case 0:
        return transport_.finish(
            which, input_.PickValueInArray({TransportFailure::kNetwork, TransportFailure::kTimeout,
                                            TransportFailure::kAborted,
                                            TransportFailure::kResponseTooLarge}));
      case 1:
        return transport_.finish(which, arbitrary());
      default:
        return transport_.finish(which, templated(transport_.request(which)));
    }
  }

  // Answers whatever is still open, oldest first, until nothing is: a flow may send again after
  // an answer, so this runs until the state stops changing, within a bound.
  void drain() {
    for (int round = 0; round < 64; ++round) {
      if (transport_.pendingCount() == 0 && prompts_.empty()) return;
      while (transport_.pendingCount() > 0) transport_.finish(0, TransportFailure::kNetwork);
      std::vector<Prompt> prompts = std::move(prompts_);
      prompts_.clear();
      for (const Prompt& prompt : prompts) prompt.answer(std::nullopt);
    }
    violated();
  }

  FuzzedDataProvider& input_;
  ScriptedTransport transport_;
  SteppedClock clock_;
  std::unique_ptr<AuthClient> client_;
  std::vector<Call> calls_;
  std::vector<AuthClient::CallId> ids_;
  std::vector<Prompt> prompts_;
  Made last_;
  std::set<std::string> grantable_;  // tokens from answers that sign the user in
  std::set<std::string> withheld_;   // tokens from answers that ask for a code or onboarding
  int tokenCount_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  Harness(input).run();
  return 0;
}
