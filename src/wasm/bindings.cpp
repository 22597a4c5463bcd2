// Embind surface of the module. Thin on purpose: JSON text in, core calls, JSON text out. Every
// decision is the core's; every Promise here is settled by exactly one core completion.
//
// What crosses the boundary is kept to strings, numbers and opaque handles (a Promise's settle
// functions, an AbortSignal, the loginWithOtp prompt): api.js writes each input as JSON text (see
// encode() there), the core gets it parsed as exactly the JSON values it always checked, and the
// results travel back as JSON text that a few lines of JS turn into objects. No emscripten::val
// method is called from C++: that keeps Embind's dynamic-call machinery out of the module.
#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/html5.h>  // emscripten_date_now
#include <emscripten/val.h>

#include "core/auth_client.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "wasm/fetch_transport.hpp"
#include "wasm/memory_wipe.hpp"

using JSValue = emscripten::val;
using emscripten::EM_VAL;

// bindings.js, the JavaScript half of these bindings. Text crosses as a pointer and a byte length.
extern "C" {
EM_VAL baanx_new_deferred();  // a Promise with its settle functions
EM_VAL baanx_promise_of(EM_VAL deferred);
// Resolves with the value of the JSON text (undefined for none), or rejects with a BaanxError made
// from it.
void baanx_settle(EM_VAL deferred, bool ok, const char* json, std::size_t length);
bool baanx_signal_given(EM_VAL signal);  // anything but undefined or null
bool baanx_signal_valid(EM_VAL signal);  // an AbortSignal, or something that works as one
bool baanx_signal_aborted(EM_VAL signal);
EM_VAL baanx_watch_signal(EM_VAL signal, int client, double call);  // returns the unwatch function
void baanx_call(EM_VAL callback);
// Asks the app for the code (api.js's async wrapper); its answer comes back through answerCode.
void baanx_ask(EM_VAL ask, const char* promptJson, std::size_t length, int ticket);
// Tells api.js that a client's session changed: { event, storage } as JSON, and the record of the
// new session (empty when there is none).
void baanx_session_changed(int client, const char* changeJson, std::size_t changeLength,
                           const char* record, std::size_t recordLength);
}

namespace baanx {
namespace {

// Wall-clock time from Date.now(), as std::chrono::system_clock would give it, minus the libc
// clock plumbing.
class BrowserClock final : public Clock {
 public:
  std::int64_t nowMs() const override { return static_cast<std::int64_t>(emscripten_date_now()); }
};

FetchTransport& transport() {
  static FetchTransport instance;
  return instance;
}

const Clock& clock() {
  static BrowserClock instance;
  return instance;
}

// A client and the Promises of its calls in flight, so that a call joining an identical one gets
// that call's very Promise.
struct ClientEntry {
  std::unique_ptr<AuthClient> client;
  // The Promise that callers without a signal share, by the request they wait for.
  std::map<AuthClient::CallId, JSValue> promises;
};

std::map<int, std::unique_ptr<ClientEntry>>& clients() {
  static std::map<int, std::unique_ptr<ClientEntry>> registry;
  return registry;
}

ClientEntry* findEntry(int handle) {
  auto it = clients().find(handle);
  return it == clients().end() ? nullptr : it->second.get();
}

// Open loginWithOtp prompts, by ticket, waiting for the app's code.
std::map<int, AuthClient::CodeAnswer>& codeAnswers() {
  static std::map<int, AuthClient::CodeAnswer> pending;
  return pending;
}

// The JSON text api.js wrote for a JS value, parsed. The text is wiped: it may hold a password.
Json parseInput(std::string& text) {
  Json value = text == "null" ? Json() : parseJson(text);  // "null": most calls' options
  wipe(text);
  return value;
}

// Writes a JSON object with its keys in the order they are added, which is the order the JS
// objects show them in (a Json object would sort them).
class JsonObject {
 public:
  JsonObject& add(const char* key, const Json& value) {
    // Strings from the server were valid UTF-8 when parsed; replace keeps dump() from aborting.
    return addJson(key, value.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  // A member whose value is JSON text already.
  JsonObject& addJson(const char* key, const std::string& json) {
    text_ += text_.empty() ? "{\"" : ",\"";
    text_ += key;
    text_ += "\":";
    text_ += json;
    return *this;
  }
  std::string text() const { return text_.empty() ? "{}" : text_ + "}"; }

 private:
  std::string text_;
};

Json orNull(const std::optional<std::string>& text) { return text ? Json(*text) : Json(nullptr); }

std::string toJson(const Error& error) {
  JsonObject object;
  object.add("code", errorCodeName(error.code)).add("message", error.message);
  object.add("status", error.status);
  if (!error.field.empty()) object.add("field", error.field);
  if (error.retryAfterMs) object.add("retryAfterMs", *error.retryAfterMs);
  return object.text();
}

std::string toJson(const LoginResult& result) {
  JsonObject object;
  if (const auto* session = std::get_if<Authenticated>(&result)) {
    object.add("status", "authenticated")
        .add("accessToken", session->accessToken)
        .add("userId", session->userId)
        .add("expiresAt", session->expiresAt)
        .add("verificationState", session->verificationState)
        .add("isLinked", session->isLinked);
  } else if (const auto* otp = std::get_if<OtpRequired>(&result)) {
    object.add("status", "otp_required")
        .add("userId", otp->userId)
        .add("phoneNumber", orNull(otp->phoneNumber));
  } else if (const auto* onboarding = std::get_if<OnboardingRequired>(&result)) {
    object.add("status", "onboarding_required")
        .add("userId", onboarding->userId)
        .add("phase", onboarding->phase)
        .add("verificationState", orNull(onboarding->verificationState));
  }
  return object.text();
}

std::string toJson(const SendOtpResult& result) {
  return JsonObject()
      .add("success", true)
      .add("resendAvailableAt", result.resendAvailableAt)
      .text();
}

std::string toJson(const LogoutResult&) { return std::string(); }  // resolves with undefined

void settle(const JSValue& deferred, bool ok, const std::string& json) {
  baanx_settle(deferred.as_handle(), ok, json.data(), json.size());
}

// Runs one core call behind a Promise: honours an AbortSignal, and settles the Promise from the
// core's single completion. `input` and `options` are the JSON text api.js wrote; both are wiped
// whatever happens, before anything is sent when the call is refused. Each caller with a signal
// gets a Promise of its own, which its signal alone can abort; callers without one that join the
// same request get the very same Promise. startCall(client, input, options, done) starts the call:
// the AuthClient method itself where it takes just those, else a lambda.
template <typename T, typename StartCall>
JSValue callWithPromise(int handle, std::string& input, std::string& options, const JSValue& signal,
                        StartCall startCall) {
  JSValue deferred = JSValue::take_ownership(baanx_new_deferred());
  JSValue promise = JSValue::take_ownership(baanx_promise_of(deferred.as_handle()));
  ClientEntry* entry = findEntry(handle);
  const bool hasSignal = baanx_signal_given(signal.as_handle());
  std::optional<Error> refused;
  if (entry == nullptr) {
    refused = invalidArgument("client", "this client is closed");
  } else if (hasSignal && !baanx_signal_valid(signal.as_handle())) {
    refused = invalidArgument("signal", "signal must be an AbortSignal (or left out)");
  } else if (hasSignal && baanx_signal_aborted(signal.as_handle())) {
    refused = makeError(ErrorCode::kAborted);
  }
  if (refused) {
    wipe(input);
    wipe(options);
    settle(deferred, false, toJson(*refused));
    return promise;
  }

  // Shared with the completion, which runs once: at once for bad input, else when the call ends.
  struct State {
    JSValue deferred;
    JSValue unwatch = JSValue::undefined();
    AuthClient::CallId sharedRequest = 0;  // the request whose shared Promise this one is
    bool joined = false;                   // another caller's Promise settles this call
    bool settled = false;
  };
  auto state = std::make_shared<State>(State{deferred});
  auto done = [state, handle](Result<T> outcome) {
    state->settled = true;
    if (!state->unwatch.isUndefined()) baanx_call(state->unwatch.as_handle());
    state->unwatch = JSValue::undefined();
    if (state->joined) return;
    if (ClientEntry* owner = findEntry(handle); owner != nullptr && state->sharedRequest != 0)
      owner->promises.erase(state->sharedRequest);
    if (outcome.ok()) {
      settle(state->deferred, true, toJson(outcome.value()));
    } else {
      settle(state->deferred, false, toJson(outcome.error()));
    }
    state->deferred = JSValue::undefined();
  };
  Json jsonInput = parseInput(input);
  Json jsonOptions = parseInput(options);
  const AuthClient::CallId call =
      std::invoke(startCall, *entry->client, jsonInput, jsonOptions, std::move(done));
  wipeStrings(jsonInput);
  if (call == 0 || state->settled) return promise;
  if (hasSignal) {
    state->unwatch = JSValue::take_ownership(
        baanx_watch_signal(signal.as_handle(), handle, static_cast<double>(call)));
    return promise;
  }
  const AuthClient::CallId request = entry->client->requestOf(call);
  auto shared = entry->promises.find(request);
  if (shared != entry->promises.end()) {
    state->joined = true;
    return shared->second;
  }
  state->sharedRequest = request;
  entry->promises.emplace(request, promise);
  return promise;
}

// Hands a session change to api.js, which does the storage's I/O and calls the app's listeners.
// The record holds the token: its text is wiped once JS has its copy.
void tellSessionChange(int handle, const SessionChange& change) {
  std::string record = change.session ? sessionRecordText(*change.session) : std::string();
  const std::string summary = JsonObject()
                                  .add("event", sessionEventName(change.event))
                                  .add("storage", storageActionName(change.storage))
                                  .text();
  baanx_session_changed(handle, summary.data(), summary.size(), record.data(), record.size());
  wipe(record);
}

// A client handle (a positive number), or the error explaining why there is none, as JSON.
std::string open(std::string config) {
  StackWipe stackWipe;
  static int nextHandle = 1;
  Json jsonConfig = parseInput(config);
  auto created = AuthClient::create(jsonConfig, transport(), clock());
  wipeStrings(jsonConfig);
  if (!created) return toJson(created.error());
  const int handle = nextHandle++;
  created.value()->setSessionListener(
      [handle](const SessionChange& change) { tellSessionChange(handle, change); });
  clients().emplace(handle,
                    std::make_unique<ClientEntry>(ClientEntry{std::move(created).value(), {}}));
  return std::to_string(handle);
}

// Out of the registry first: completions of the calls it aborts then find no client to touch.
void close(int handle) {
  StackWipe stackWipe;
  auto node = clients().extract(handle);
  node = {};
}

JSValue login(int handle, std::string input, std::string options, JSValue signal) {
  StackWipe stackWipe;
  return callWithPromise<LoginResult>(handle, input, options, signal, &AuthClient::login);
}

JSValue sendOtp(int handle, std::string input, std::string options, JSValue signal) {
  StackWipe stackWipe;
  return callWithPromise<SendOtpResult>(handle, input, options, signal, &AuthClient::sendOtp);
}

JSValue logout(int handle, std::string options, JSValue signal) {
  StackWipe stackWipe;
  std::string none = "null";
  return callWithPromise<LogoutResult>(
      handle, none, options, signal,
      [](AuthClient& client, const Json& /*input*/, const Json& jsonOptions, auto done) {
        return client.logout(jsonOptions, std::move(done));
      });
}

// ask: api.js's async wrapper around onOtpRequired, or undefined when there is none.
JSValue loginWithOtp(int handle, std::string input, std::string options, JSValue signal,
                     JSValue ask) {
  StackWipe stackWipe;
  AuthClient::AskCode askCode;
  if (!ask.isUndefined()) {
    askCode = [ask](const OtpPrompt& prompt, AuthClient::CodeAnswer answer) {
      static int nextTicket = 1;
      const int ticket = nextTicket++;
      codeAnswers().emplace(ticket, std::move(answer));
      JsonObject object;
      object.add("userId", prompt.userId)
          .add("phoneNumber", orNull(prompt.phoneNumber))
          .add("codeSent", prompt.codeSent)
          .add("resendAvailableAt", prompt.resendAvailableAt)
          .addJson("error", prompt.error ? toJson(*prompt.error) : "null");
      const std::string text = object.text();
      baanx_ask(ask.as_handle(), text.data(), text.size(), ticket);
    };
  }
  return callWithPromise<LoginResult>(
      handle, input, options, signal,
      [&askCode](AuthClient& client, const Json& jsonInput, const Json& jsonOptions, auto done) {
        return client.loginWithOtp(jsonInput, jsonOptions, std::move(askCode), std::move(done));
      });
}

// The app's answer to a loginWithOtp prompt: the code as JSON text, or (provided == false)
// nothing.
void answerCode(int ticket, bool provided, std::string code) {
  StackWipe stackWipe;
  auto it = codeAnswers().find(ticket);
  if (it == codeAnswers().end()) return;
  AuthClient::CodeAnswer answer = std::move(it->second);
  codeAnswers().erase(it);
  if (!provided) {
    answer(std::nullopt);
    return;
  }
  Json jsonCode = parseInput(code);
  answer(jsonCode);
  wipeStrings(jsonCode);
}

// Bytes the module's allocator holds for live objects, the size of its heap (from the heap's base
// to the current break), and the size of the whole WebAssembly memory: what a leak check watches.
extern "C" char __heap_base;
std::string memoryStats() {
  const struct mallinfo info = mallinfo();
  const auto total = static_cast<std::size_t>(static_cast<char*>(sbrk(0)) - &__heap_base);
  return JsonObject()
      .add("heapBytesInUse", static_cast<std::size_t>(info.uordblks))
      .add("heapBytesTotal", total)
      .add("wasmMemoryBytes", emscripten_get_heap_size())
      .text();
}

void cancel(int handle, double call) {
  StackWipe stackWipe;
  if (ClientEntry* entry = findEntry(handle))
    entry->client->abort(static_cast<AuthClient::CallId>(call));
}

// client.session is the very record a storage keeps: { accessToken, userId, expiresAt }.
std::string session(int handle) {
  StackWipe stackWipe;
  ClientEntry* entry = findEntry(handle);
  auto current = entry != nullptr ? entry->client->session() : std::nullopt;
  if (!current) return "null";
  std::string record = sessionRecordText(*current);
  wipe(current->accessToken);
  return record;
}

// Where the client keeps its session between page loads: { kind, key }, kind being "memory",
// "session", "local" or "custom" (the config's own object).
std::string storageOf(int handle) {
  ClientEntry* entry = findEntry(handle);
  if (entry == nullptr) return "null";
  const SessionStorageConfig& storage = entry->client->sessionStorage();
  return JsonObject().add("kind", sessionStorageName(storage.kind)).add("key", storage.key).text();
}

// What the storage held when the client was made, as JSON text (null: nothing). Returns whether
// the storage must remove it.
bool restoreSession(int handle, std::string stored) {
  StackWipe stackWipe;
  ClientEntry* entry = findEntry(handle);
  Json value = parseInput(stored);
  const bool remove =
      entry != nullptr && entry->client->restoreSession(value) == StorageAction::kRemove;
  wipeStrings(value);
  return remove;
}

// What another page left in the storage both share (JSON text; null: it removed the record).
void adoptStoredSession(int handle, std::string stored) {
  StackWipe stackWipe;
  Json value = parseInput(stored);
  if (ClientEntry* entry = findEntry(handle)) entry->client->adoptStoredSession(value);
  wipeStrings(value);
}

// Ends the session if its time has come; the ms until it expires, or -1 without a session.
double checkExpiry(int handle) {
  StackWipe stackWipe;
  ClientEntry* entry = findEntry(handle);
  const auto left = entry != nullptr ? entry->client->expireIfDue() : std::nullopt;
  return left ? static_cast<double>(*left) : -1;
}

}  // namespace
}  // namespace baanx

EMSCRIPTEN_BINDINGS(baanx_auth) {
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
  emscripten::function("storageOf", &baanx::storageOf);
  emscripten::function("restoreSession", &baanx::restoreSession);
  emscripten::function("adoptStoredSession", &baanx::adoptStoredSession);
  emscripten::function("checkExpiry", &baanx::checkExpiry);
}
