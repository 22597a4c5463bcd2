#include "wasm/fetch_transport.hpp"

#include <utility>
#include <vector>

#include <emscripten/emscripten.h>

#include "core/text.hpp"

// Starts fetch() for request `id`: headers is a NULL-terminated array of name, value C strings.
// The body is copied at once. Exactly one call of the module's baanx_fetched export (bindings.cpp)
// follows, always on a later turn of the event loop, unless baanx_fetch_abort(id) comes first.
// Outcomes: 0 a response (any status), 1 no response (refused, reset, CORS, DNS), 2 no answer
// within timeoutMs. Of the response headers only Retry-After is passed on ("retry-after\nvalue\n"),
// the one the core reads: walking all of them cost more than the rest of the glue together. The
// headers passed on and the body travel in one buffer from the module's malloc (header values are
// byte strings: one byte per character), which baanx_fetched frees; if malloc fails (a body too
// big for the memory left), the request ends as a network failure.
//
// Timeouts share one setTimeout, set for the earliest deadline of the requests in flight and left
// running when requests end: back-to-back calls then start no timer at all, and a timer that
// fires with nothing due only sets itself again for the next deadline, if any.
// clang-format off
EM_JS(void, baanx_fetch, (double id, const char* method, const char* url,
                          const char* const* headers, const char* body, size_t bodyLength,
                          double timeoutMs), {
  var fetches = Module["fetches"];
  if (!fetches) {
    // Made once: the requests in flight by id, and the shared timer (when it is due, and what it
    // runs).
    fetches = Module["fetches"] = {requests: new Map(), timerAt: 0};
    fetches.expire = function() {
      fetches.timerAt = 0;
      var now = performance.now();
      var next = 0;
      fetches.requests.forEach(function(request) {
        if (request.deadline <= now) {
          request.settle(2, 0, "", null);
          request.controller.abort();
        } else if (!next || request.deadline < next) {
          next = request.deadline;
        }
      });
      // A request started from a completion above may have set the timer already.
      if (next && (!fetches.timerAt || next < fetches.timerAt)) {
        fetches.timerAt = next;
        setTimeout(fetches.expire, next - now);
      }
    };
  }
  var requests = fetches.requests;
  var list = [];
  for (var at = headers >> 2; HEAPU32[at]; at += 2) {
    list.push([UTF8ToString(HEAPU32[at]), UTF8ToString(HEAPU32[at + 1])]);
  }
  var request = {controller: new AbortController(), deadline: performance.now() + timeoutMs};
  request.settle = function(outcome, status, head, data) {
    if (requests.get(id) !== request) return;
    requests.delete(id);
    var bodyLength = data ? data.length : 0;
    var buffer = _malloc(head.length + bodyLength + 1);
    if (!buffer) {
      _baanx_fetched(id, 1, 0, 0, 0, 0);
      return;
    }
    for (var i = 0; i < head.length; i++) HEAPU8[buffer + i] = head.charCodeAt(i);
    if (bodyLength) HEAPU8.set(data, buffer + head.length);
    _baanx_fetched(id, outcome, status, buffer, head.length, bodyLength);
  };
  requests.set(id, request);
  if (!fetches.timerAt || request.deadline < fetches.timerAt) {
    fetches.timerAt = request.deadline;
    setTimeout(fetches.expire, timeoutMs);
  }
  var target = UTF8ToString(url);
  var init = {
    method: UTF8ToString(method),
    headers: list,
    body: HEAPU8.slice(body, body + bodyLength),
    signal: request.controller.signal
  };
  // fetch() itself is called from a microtask, on a short stack: with a DevTools client attached
  // (a debugger, or a test driver such as Playwright) it records the JS stack of every request,
  // and here that stack runs through the module's frames, which made each call ~60 us dearer.
  queueMicrotask(function() {
    if (requests.get(id) !== request) return;  // cancelled in the meantime
    fetch(target, init).then(function(response) {
      return response.arrayBuffer().then(function(data) { return [response, data]; });
    }).then(function(answer) {
      var retryAfter = answer[0].headers.get("retry-after");
      var head = retryAfter === null ? "" : "retry-after\n" + retryAfter + "\n";
      request.settle(0, answer[0].status, head, new Uint8Array(answer[1]));
    }, function() { request.settle(1, 0, "", null); });
  });
});

// Stops request `id` (its connection; the shared timer finds nothing due for it); no
// baanx_fetched follows for it.
EM_JS(void, baanx_fetch_abort, (double id), {
  var requests = Module["fetches"] ? Module["fetches"].requests : new Map();
  var request = requests.get(id);
  if (request) {
    requests.delete(id);
    request.controller.abort();
  }
});
// clang-format on

namespace baanx {

Transport::RequestId FetchTransport::send(HttpRequest request, Callback callback) {
  const RequestId id = nextId_++;
  pending_.emplace(id, std::move(callback));
  std::vector<const char*> headers;
  for (const auto& [name, value] : request.headers) {
    headers.push_back(name.c_str());
    headers.push_back(value.c_str());
  }
  headers.push_back(nullptr);
  baanx_fetch(static_cast<double>(id), request.method.c_str(), request.url.c_str(), headers.data(),
              request.body.data(), request.body.size(), static_cast<double>(request.timeoutMs));
  wipe(request.body);  // fetch() took its own copy
  return id;
}

void FetchTransport::cancel(RequestId id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  baanx_fetch_abort(static_cast<double>(id));
  Callback callback = std::move(it->second);
  pending_.erase(it);
  callback(TransportFailure::kAborted);
}

void FetchTransport::complete(RequestId id, int outcome, int status, const std::string& headers,
                              std::string body) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  Callback callback = std::move(it->second);
  pending_.erase(it);
  if (outcome != kResponse) {
    callback(outcome == kTimedOut ? TransportFailure::kTimeout : TransportFailure::kNetwork);
    return;
  }
  HttpResponse response;
  response.status = status;
  for (std::size_t at = 0; at < headers.size();) {
    const std::size_t nameEnd = headers.find('\n', at);
    const std::size_t valueEnd = headers.find('\n', nameEnd + 1);
    if (nameEnd == std::string::npos || valueEnd == std::string::npos) break;
    response.headers.emplace_back(headers.substr(at, nameEnd - at),
                                  headers.substr(nameEnd + 1, valueEnd - nameEnd - 1));
    at = valueEnd + 1;
  }
  response.body = std::move(body);
  callback(std::move(response));
}

}  // namespace baanx
