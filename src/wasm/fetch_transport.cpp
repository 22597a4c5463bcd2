#include "wasm/fetch_transport.hpp"

#include <utility>
#include <vector>

#include <emscripten/emscripten.h>

#include "core/text.hpp"

// Starts fetch() for request `id`: headers is a NULL-terminated array of name, value C strings.
// The body is copied at once. Exactly one Module.fetched(id, outcome, status, headers, body)
// follows, always on a later turn of the event loop, unless baanx_fetch_abort(id) comes first.
// Outcomes: 0 a response (any status), 1 no response (refused, reset, CORS, DNS), 2 no answer
// within timeoutMs. Response headers come as "name\nvalue\n" per header; fetch() has already
// trimmed the values and joined repeated headers with ", ".
// clang-format off
EM_JS(void, baanx_fetch, (double id, const char* method, const char* url,
                          const char* const* headers, const char* body, size_t bodyLength,
                          double timeoutMs), {
  var requests = Module["fetches"] || (Module["fetches"] = {});
  var controller = new AbortController();
  var list = [];
  for (var at = headers >> 2; HEAPU32[at]; at += 2) {
    list.push([UTF8ToString(HEAPU32[at]), UTF8ToString(HEAPU32[at + 1])]);
  }
  var settle = function(outcome, status, head, data) {
    if (requests[id] !== controller) return;
    delete requests[id];
    clearTimeout(timer);
    Module["fetched"](id, outcome, status, head, data);
  };
  var timer = setTimeout(function() {
    settle(2, 0, "", "");
    controller.abort();
  }, timeoutMs);
  requests[id] = controller;
  fetch(UTF8ToString(url), {
    method: UTF8ToString(method),
    headers: list,
    body: HEAPU8.slice(body, body + bodyLength),
    signal: controller.signal
  }).then(function(response) {
    return response.arrayBuffer().then(function(data) {
      var head = "";
      response.headers.forEach(function(value, name) { head += name + "\n" + value + "\n"; });
      return [response.status, head, new Uint8Array(data)];
    });
  }).then(function(answer) { settle(0, answer[0], answer[1], answer[2]); },
          function() { settle(1, 0, "", ""); });
});

// Stops request `id` (its timer and its connection); no Module.fetched follows for it.
EM_JS(void, baanx_fetch_abort, (double id), {
  var requests = Module["fetches"] || {};
  var controller = requests[id];
  if (controller) {
    delete requests[id];
    controller.abort();
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
