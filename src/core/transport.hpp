// The only way the core reaches the network or the time of day. Platforms implement these:
// FetchTransport (emscripten_fetch) in the browser, LoopbackTransport natively; tests pass fakes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/callback.hpp"

namespace baanx {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "POST"
  std::string url;     // absolute
  HttpHeaders headers;
  std::string body;
  std::int64_t timeoutMs = 0;  // the transport gives up after this long and reports kTimeout
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
};

// Why no response arrived. A 404 or a 500 is a response, not a failure.
enum class TransportFailure {
  kNetwork,           // refused, reset, DNS, CORS refusal, dropped connection
  kTimeout,           // no complete answer within HttpRequest::timeoutMs
  kAborted,           // cancelled through Transport::cancel
  kResponseTooLarge,  // the body grew past kMaxResponseBytes; the rest was not read
};

// No documented answer comes near this: a longer body is refused before it is read whole, so a
// broken or hostile server cannot fill the memory.
inline constexpr std::size_t kMaxResponseBytes = std::size_t{1} << 20;

using TransportResult = std::variant<HttpResponse, TransportFailure>;

// Case-insensitive lookup of a response header; nullptr when absent.
const std::string* findHeader(const HttpHeaders& headers, std::string_view name);

class Transport {
 public:
  using RequestId = std::uint64_t;
  using Callback = baanx::Callback<void(TransportResult)>;

  virtual ~Transport() = default;

  // Starts a request. The callback runs exactly once, later (never from inside send), with the
  // response or the reason there is none.
  virtual RequestId send(HttpRequest request, Callback callback) = 0;

  // Stops a request still in flight and closes its connection; its callback runs with kAborted
  // before cancel returns. Unknown or finished ids are ignored.
  virtual void cancel(RequestId id) = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t nowMs() const = 0;  // milliseconds since the Unix epoch
};

}  // namespace baanx
