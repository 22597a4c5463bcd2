#include "wasm/fetch_transport.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <emscripten/eventloop.h>
#include <emscripten/fetch.h>
#if __has_include(<emscripten/version.h>)
#include <emscripten/version.h>  // the version macros moved here; older releases predefine them
#endif

#include "core/text.hpp"
#include "wasm/memory_wipe.hpp"

namespace baanx {
namespace {

// Emscripten's early releases (3.1.6, Debian's, among them) free a fetch in
// emscripten_fetch_close() without stopping its XHR, which goes on to write into the freed memory
// when it ends (emscripten-core/emscripten#8234, fixed by #17541, which 3.1.25 and later have).
// There, a request given up on (cancelled, timed out, too large) is settled at once, but its fetch
// is closed only when Emscripten reports its end, which the XHR's own timeout bounds.
constexpr int kEmscriptenVersion =
    __EMSCRIPTEN_major__ * 10000 + __EMSCRIPTEN_minor__ * 100 + __EMSCRIPTEN_tiny__;
constexpr bool kCloseStopsXhr = kEmscriptenVersion >= 30125;

// The XHR's own timeout: later than the transport's timer, so that it never decides a timeout
// itself (it would look like a network failure), only ends a request the transport gave up on.
constexpr std::int64_t kXhrTimeoutGraceMs = 1000;

HttpHeaders responseHeaders(emscripten_fetch_t* fetch) {
  HttpHeaders headers;
  const std::size_t length = emscripten_fetch_get_response_headers_length(fetch);
  if (length == 0) return headers;
  std::string text(length, '\0');
  emscripten_fetch_get_response_headers(fetch, text.data(), length);
  text.resize(std::strlen(text.c_str()));
  // "name: value\r\n" per header, as XMLHttpRequest.getAllResponseHeaders() writes them.
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      headers.emplace_back(std::string(trimSpaces(line.substr(0, colon))),
                           std::string(trimSpaces(line.substr(colon + 1))));
    }
    at = end + 1;
  }
  return headers;
}

}  // namespace

struct FetchTransport::Request {
  FetchTransport* owner = nullptr;
  RequestId id = 0;
  Callback callback;  // empty once the result is delivered
  std::string body;   // emscripten_fetch reads it without a copy of its own
  emscripten_fetch_t* fetch = nullptr;
  long timer = 0;            // the timeout, or the report of a start that failed
  bool starting = false;     // inside emscripten_fetch()
  bool startFailed = false;  // the XHR refused to start: no event of it will follow
  bool closing = false;      // inside emscripten_fetch_close(), whose onerror is ours
};

FetchTransport::FetchTransport() = default;
FetchTransport::~FetchTransport() = default;

Transport::RequestId FetchTransport::send(HttpRequest request, Callback callback) {
  const RequestId id = nextId_++;
  auto owned = std::make_unique<Request>();
  Request& entry = *owned;
  requests_.emplace(id, std::move(owned));
  entry.owner = this;
  entry.id = id;
  entry.callback = std::move(callback);
  entry.body = std::move(request.body);

  std::vector<const char*> headers;  // emscripten_fetch copies the header strings
  for (const auto& [name, value] : request.headers) {
    headers.push_back(name.c_str());
    headers.push_back(value.c_str());
  }
  headers.push_back(nullptr);

  emscripten_fetch_attr_t attr;
  emscripten_fetch_attr_init(&attr);
  std::strncpy(attr.requestMethod, request.method.c_str(), sizeof attr.requestMethod - 1);
  attr.userData = &entry;
  attr.onsuccess = &FetchTransport::onFinished;  // a 2xx answer
  attr.onerror = &FetchTransport::onFinished;    // any other answer, or none
  attr.onprogress = &FetchTransport::onProgress;
  // Into memory, never from or to IndexedDB.
  attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY | EMSCRIPTEN_FETCH_REPLACE;
  attr.timeoutMSecs = static_cast<unsigned long>(request.timeoutMs + kXhrTimeoutGraceMs);
  attr.requestHeaders = headers.data();
  attr.requestData = entry.body.data();
  attr.requestDataSize = entry.body.size();

  entry.starting = true;
  entry.fetch = emscripten_fetch(&attr, request.url.c_str());
  entry.starting = false;
  for (auto& header : request.headers) wipe(header.second);  // the client key, a bearer token
  if (entry.fetch == nullptr || entry.startFailed) {
    entry.startFailed = true;
    entry.timer = emscripten_set_timeout(&FetchTransport::onStartFailed, 0, &entry);
  } else {
    entry.timer = emscripten_set_timeout(&FetchTransport::onTimer,
                                         static_cast<double>(request.timeoutMs), &entry);
  }
  return id;
}

void FetchTransport::cancel(RequestId id) {
  auto it = requests_.find(id);
  if (it == requests_.end() || !it->second->callback) return;
  deliver(*it->second, TransportFailure::kAborted);
}

void FetchTransport::deliver(Request& request, TransportResult result) {
  if (request.timer != 0) emscripten_clear_timeout(request.timer);
  request.timer = 0;
  Callback callback = std::move(request.callback);
  const bool ended =
      request.fetch == nullptr || request.startFailed || request.fetch->readyState == 4 /* DONE */;
  if (ended || kCloseStopsXhr) {
    release(request);
  } else {
    wipe(request.body);  // given up on: the XHR took its copy of the body when it was sent
  }
  callback(std::move(result));
}

void FetchTransport::release(Request& request) {
  if (emscripten_fetch_t* fetch = request.fetch) {
    // The response may carry a token; close() frees it without overwriting it.
    if (fetch->data != nullptr)
      wipe(const_cast<char*>(fetch->data), static_cast<std::size_t>(fetch->numBytes));
    request.closing = true;
    emscripten_fetch_close(fetch);
  }
  wipe(request.body);
  requests_.erase(request.id);
}

void FetchTransport::onFinished(emscripten_fetch_t* fetch) {
  StackWipe stackWipe;
  auto& request = *static_cast<Request*>(fetch->userData);
  if (request.closing) return;
  if (request.starting) {  // the XHR threw as it started: reported from send(), later
    request.startFailed = true;
    return;
  }
  FetchTransport& self = *request.owner;
  if (!request.callback) {  // given up on earlier: now it can be closed
    self.release(request);
    return;
  }
  if (fetch->status == 0) {  // no answer: refused, reset, DNS, CORS
    self.deliver(request, TransportFailure::kNetwork);
    return;
  }
  if (fetch->numBytes > kMaxResponseBytes) {
    self.deliver(request, TransportFailure::kResponseTooLarge);
    return;
  }
  HttpResponse response;
  response.status = fetch->status;
  response.headers = responseHeaders(fetch);
  if (fetch->data != nullptr)
    response.body.assign(fetch->data, static_cast<std::size_t>(fetch->numBytes));
  self.deliver(request, std::move(response));
}

void FetchTransport::onProgress(emscripten_fetch_t* fetch) {
  auto& request = *static_cast<Request*>(fetch->userData);
  if (request.closing || request.starting || !request.callback) return;
  // totalBytes is the announced length (0 when none); dataOffset what has arrived so far.
  if (std::max(fetch->totalBytes, fetch->dataOffset) > kMaxResponseBytes) {
    StackWipe stackWipe;  // only here: the progress itself touches no secret
    request.owner->deliver(request, TransportFailure::kResponseTooLarge);
  }
}

void FetchTransport::onTimer(void* pending) {
  StackWipe stackWipe;
  auto& request = *static_cast<Request*>(pending);
  request.timer = 0;
  request.owner->deliver(request, TransportFailure::kTimeout);
}

void FetchTransport::onStartFailed(void* pending) {
  StackWipe stackWipe;
  auto& request = *static_cast<Request*>(pending);
  request.timer = 0;
  request.owner->deliver(request, TransportFailure::kNetwork);
}

}  // namespace baanx
