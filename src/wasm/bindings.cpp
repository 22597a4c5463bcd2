// Embind surface of the module. Thin on purpose: JS values in, core calls, JS values out. Every
// decision is the core's; every Promise here is settled by exactly one core completion.
#include <malloc.h>
#include <cmath>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>
#include <nlohmann/json.hpp>

#include "core/auth_client.hpp"
#include "core/system_clock.hpp"
#include "core/text.hpp"
#include "wasm/fetch_transport.hpp"

using JSValue = emscripten::val;
using Json = nlohmann::json;

// A Promise with its settle functions, made in JS: C++ cannot hand JS an executor.
EM_JS(emscripten::EM_VAL, baanx_new_deferred, (), {
  var deferred = {};
  deferred.promise = new Promise(function(resolve, reject) {
    deferred.resolve = resolve;
    deferred.reject = reject;
  });
  return Emval.toHandle(deferred);
});

// Wires an AbortSignal to cancel(); returns the function that unwires it.
EM_JS(emscripten::EM_VAL, baanx_watch_signal,
      (emscripten::EM_VAL signalHandle, int client, double call), {
        var signal = Emval.toValue(signalHandle);
        var onAbort = function() { Module["cancel"](client, call); };
        signal.addEventListener("abort", onAbort);
        return Emval.toHandle(function() { signal.removeEventListener("abort", onAbort); });
      });

// Hands the settled value of a loginWithOtp prompt back to answerCode().
EM_JS(void, baanx_await_code, (emscripten::EM_VAL promiseHandle, int ticket), {
  Emval.toValue(promiseHandle)
      .then(
          function(code) { Module["answerCode"](ticket, true, code); },
          function() { Module["answerCode"](ticket, false, null); });
});

namespace baanx {
namespace {

constexpr int kMaxInputDepth = 4;

FetchTransport& transport() {
  static FetchTransport instance;
  return instance;
}

const Clock& clock() {
  static SystemClock instance;
  return instance;
}

JSValue& errorClass() {
  static JSValue constructor = JSValue::undefined();
  return constructor;
}

// A client and the Promises of its calls in flight, so that a call joining an identical one gets
// that call's very Promise.
struct ClientEntry {
  std::unique_ptr<AuthClient> client;
  std::unordered_map<AuthClient::CallId, JSValue> promises;
};

std::unordered_map<int, std::unique_ptr<ClientEntry>>& clients() {
  static std::unordered_map<int, std::unique_ptr<ClientEntry>> registry;
  return registry;
}

ClientEntry* findEntry(int handle) {
  auto it = clients().find(handle);
  return it == clients().end() ? nullptr : it->second.get();
}

// Open loginWithOtp prompts, by ticket, waiting for the app's code.
std::unordered_map<int, AuthClient::CodeAnswer>& codeAnswers() {
  static std::unordered_map<int, AuthClient::CodeAnswer> pending;
  return pending;
}

// Mirrors a JS value as JSON so the core can check types as well as contents. Functions, symbols
// and class instances become empty objects; undefined becomes null (not given).
Json toJson(const JSValue& value, int depth = 0) {
  if (value.isString()) return value.as<std::string>();
  if (value.isNumber()) return value.as<double>();
  if (value.isTrue()) return true;
  if (value.isFalse()) return false;
  if (value.isNull() || value.isUndefined()) return nullptr;
  if (depth >= kMaxInputDepth || value.typeOf().as<std::string>() != "object")
    return Json::object();
  if (value.isArray()) {
    Json array = Json::array();
    const int length = value["length"].as<int>();
    for (int i = 0; i < length && i < 64; ++i) array.push_back(toJson(value[i], depth + 1));
    return array;
  }
  Json object = Json::object();
  JSValue keys = JSValue::global("Object").call<JSValue>("keys", value);
  const int length = keys["length"].as<int>();
  for (int i = 0; i < length && i < 64; ++i) {
    std::string key = keys[i].as<std::string>();
    object[key] = toJson(value[key], depth + 1);
  }
  return object;
}

// Password and code copies made for the core are overwritten once it has them.
void wipeStrings(Json& value) {
  if (value.is_string()) {
    wipe(value.get_ref<std::string&>());
  } else if (value.is_structured()) {
    for (auto& item : value) wipeStrings(item);
  }
}

JSValue toJs(const std::optional<std::string>& text) {
  return text ? JSValue(*text) : JSValue::null();
}

JSValue toJs(const Error& error) {
  JSValue details = JSValue::object();
  details.set("status", error.status);
  if (!error.field.empty()) details.set("field", error.field);
  if (error.retryAfterMs) details.set("retryAfterMs", static_cast<double>(*error.retryAfterMs));
  std::string code(errorCodeName(error.code));
  return errorClass().new_(code, error.message, details);
}

JSValue toJs(const LoginResult& result) {
  JSValue object = JSValue::object();
  if (const auto* session = std::get_if<Authenticated>(&result)) {
    object.set("status", std::string("authenticated"));
    object.set("accessToken", session->accessToken);
    object.set("userId", session->userId);
    object.set("expiresAt", static_cast<double>(session->expiresAt));
    object.set("verificationState", session->verificationState);
    object.set("isLinked", session->isLinked);
  } else if (const auto* otp = std::get_if<OtpRequired>(&result)) {
    object.set("status", std::string("otp_required"));
    object.set("userId", otp->userId);
    object.set("phoneNumber", toJs(otp->phoneNumber));
  } else if (const auto* onboarding = std::get_if<OnboardingRequired>(&result)) {
    object.set("status", std::string("onboarding_required"));
    object.set("userId", onboarding->userId);
    object.set("phase", onboarding->phase);
    object.set("verificationState", toJs(onboarding->verificationState));
  }
  return object;
}

JSValue toJs(const SendOtpResult& result) {
  JSValue object = JSValue::object();
  object.set("success", true);
  object.set("resendAvailableAt", static_cast<double>(result.resendAvailableAt));
  return object;
}

JSValue toJs(const LogoutResult&) { return JSValue::undefined(); }

AuthClient* findClient(int handle) {
  ClientEntry* entry = findEntry(handle);
  return entry == nullptr ? nullptr : entry->client.get();
}

Error abortedError() {
  Error error;
  error.code = ErrorCode::kAborted;
  error.message = defaultMessage(error.code, 0);
  return error;
}

// Runs one core call behind a Promise: honours an AbortSignal in options, and settles the
// Promise from the core's single completion.
template <typename T, typename StartCall>
JSValue callWithPromise(int handle, const JSValue& options, StartCall startCall) {
  JSValue deferred = JSValue::take_ownership(baanx_new_deferred());
  JSValue promise = deferred["promise"];
  ClientEntry* entry = findEntry(handle);
  JSValue signal =
      options.isUndefined() || options.isNull() ? JSValue::undefined() : JSValue(options["signal"]);
  const bool hasSignal = !signal.isUndefined() && !signal.isNull();
  if (entry == nullptr) {
    deferred.call<void>("reject", toJs(invalidArgument("client", "this client is closed")));
    return promise;
  }
  if (hasSignal && signal["aborted"].isTrue()) {
    deferred.call<void>("reject", toJs(abortedError()));
    return promise;
  }

  // Shared with the completion, which runs once: at once for bad input, else when the call ends.
  struct State {
    JSValue deferred;
    JSValue unwatch = JSValue::undefined();
    AuthClient::CallId call = 0;
    bool joined = false;  // another caller's Promise settles this call
    bool settled = false;
  };
  auto state = std::make_shared<State>(State{deferred});
  auto done = [state, handle](Result<T> outcome) {
    state->settled = true;
    if (!state->unwatch.isUndefined()) state->unwatch();
    state->unwatch = JSValue::undefined();
    if (state->joined) return;
    if (ClientEntry* owner = findEntry(handle); owner != nullptr && state->call != 0)
      owner->promises.erase(state->call);
    if (outcome.ok()) {
      state->deferred.template call<void>("resolve", toJs(outcome.value()));
    } else {
      state->deferred.template call<void>("reject", toJs(outcome.error()));
    }
    state->deferred = JSValue::undefined();
  };
  Json jsonOptions = toJson(options);
  const AuthClient::CallId call = startCall(*entry->client, jsonOptions, std::move(done));
  if (call == 0 || state->settled) return promise;
  state->call = call;
  if (hasSignal) {
    state->unwatch = JSValue::take_ownership(
        baanx_watch_signal(signal.as_handle(), handle, static_cast<double>(call)));
  }
  auto shared = entry->promises.find(call);
  if (shared != entry->promises.end()) {
    state->joined = true;
    return shared->second;
  }
  entry->promises.emplace(call, promise);
  return promise;
}

JSValue init(JSValue baanxError) {
  errorClass() = std::move(baanxError);
  return JSValue::undefined();
}

// A client handle (a positive number) or the BaanxError explaining why there is none.
JSValue open(JSValue config) {
  static int nextHandle = 1;
  Json jsonConfig = toJson(config);
  auto created = AuthClient::create(jsonConfig, transport(), clock());
  wipeStrings(jsonConfig);
  if (!created) return toJs(created.error());
  const int handle = nextHandle++;
  clients().emplace(handle,
                    std::make_unique<ClientEntry>(ClientEntry{std::move(created).value(), {}}));
  return JSValue(handle);
}

// Out of the registry first: completions of the calls it aborts then find no client to touch.
void close(int handle) {
  auto node = clients().extract(handle);
  node = {};
}

JSValue login(int handle, JSValue input, JSValue options) {
  return callWithPromise<LoginResult>(
      handle, options, [&input](AuthClient& client, const Json& jsonOptions, auto done) {
        Json jsonInput = toJson(input);
        auto call = client.login(jsonInput, jsonOptions, std::move(done));
        wipeStrings(jsonInput);
        return call;
      });
}

JSValue sendOtp(int handle, JSValue input, JSValue options) {
  return callWithPromise<SendOtpResult>(
      handle, options, [&input](AuthClient& client, const Json& jsonOptions, auto done) {
        return client.sendOtp(toJson(input), jsonOptions, std::move(done));
      });
}

JSValue logout(int handle, JSValue options) {
  return callWithPromise<LogoutResult>(handle, options,
                                       [](AuthClient& client, const Json& jsonOptions, auto done) {
                                         return client.logout(jsonOptions, std::move(done));
                                       });
}

JSValue loginWithOtp(int handle, JSValue input, JSValue options, JSValue ask) {
  AuthClient::AskCode askCode;
  if (ask.typeOf().as<std::string>() == "function") {
    askCode = [ask](const OtpPrompt& prompt, AuthClient::CodeAnswer answer) {
      static int nextTicket = 1;
      const int ticket = nextTicket++;
      codeAnswers().emplace(ticket, std::move(answer));
      // ask is the JS layer's async wrapper: it returns a Promise and never throws.
      JSValue pending = ask(prompt.userId, toJs(prompt.phoneNumber));
      baanx_await_code(pending.as_handle(), ticket);
    };
  }
  return callWithPromise<LoginResult>(
      handle, options,
      [&input, askCode = std::move(askCode)](AuthClient& client, const Json& jsonOptions,
                                             auto done) mutable {
        Json jsonInput = toJson(input);
        auto call =
            client.loginWithOtp(jsonInput, jsonOptions, std::move(askCode), std::move(done));
        wipeStrings(jsonInput);
        return call;
      });
}

// The app's answer to a loginWithOtp prompt: the code, or (provided == false) nothing.
void answerCode(int ticket, bool provided, JSValue code) {
  auto it = codeAnswers().find(ticket);
  if (it == codeAnswers().end()) return;
  AuthClient::CodeAnswer answer = std::move(it->second);
  codeAnswers().erase(it);
  if (!provided) {
    answer(std::nullopt);
    return;
  }
  Json jsonCode = toJson(code);
  answer(jsonCode);
  wipeStrings(jsonCode);
}

// Bytes the module's allocator holds for live objects, and the size of its heap: what a leak
// check watches.
JSValue memoryStats() {
  const struct mallinfo info = mallinfo();
  JSValue stats = JSValue::object();
  stats.set("heapBytesInUse", static_cast<double>(info.uordblks));
  stats.set("heapBytesTotal", static_cast<double>(info.arena));
  return stats;
}

void cancel(int handle, double call) {
  if (AuthClient* client = findClient(handle)) client->abort(static_cast<AuthClient::CallId>(call));
}

JSValue session(int handle) {
  AuthClient* client = findClient(handle);
  auto current = client != nullptr ? client->session() : std::nullopt;
  if (!current) return JSValue::null();
  JSValue object = JSValue::object();
  object.set("accessToken", current->accessToken);
  object.set("userId", current->userId);
  object.set("expiresAt", static_cast<double>(current->expiresAt));
  return object;
}

}  // namespace
}  // namespace baanx

EMSCRIPTEN_BINDINGS(baanx_auth) {
  emscripten::function("init", &baanx::init);
  emscripten::function("open", &baanx::open);
  emscripten::function("close", &baanx::close);
  emscripten::function("login", &baanx::login);
  emscripten::function("sendOtp", &baanx::sendOtp);
  emscripten::function("logout", &baanx::logout);
  emscripten::function("loginWithOtp", &baanx::loginWithOtp);
  emscripten::function("answerCode", &baanx::answerCode);
  emscripten::function("cancel", &baanx::cancel);
  emscripten::function("memoryStats", &baanx::memoryStats);
  emscripten::function("session", &baanx::session);
}
