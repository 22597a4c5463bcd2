#include "wasm/fetch_transport.hpp"

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/fetch.h>

#include "core/text.hpp"

// emscripten_fetch_close() frees the fetch but leaves its XMLHttpRequest running, whose handlers
// would then write into freed memory: abort the XHR itself first.
EM_JS(void, baanx_abort_xhr, (unsigned id), {
  var xhr = Fetch.xhrs[id - 1];
  if (xhr) xhr.abort();
});

namespace baanx {

struct FetchTransport::Pending {
  FetchTransport* owner = nullptr;
  RequestId id = 0;
  HttpRequest request;  // emscripten_fetch does not copy the body: it lives here until the end
  Callback callback;
  emscripten_fetch_t* fetch = nullptr;
  long timer = 0;
  bool insideSend = false;
  TransportFailure deferredFailure = TransportFailure::kNetwork;
};

namespace {

HttpHeaders readResponseHeaders(emscripten_fetch_t* fetch) {
  HttpHeaders headers;
  const size_t length = emscripten_fetch_get_response_headers_length(fetch);
  if (length == 0) return headers;
  std::string raw(length + 1, '\0');
  emscripten_fetch_get_response_headers(fetch, raw.data(), raw.size());
  char** unpacked = emscripten_fetch_unpack_response_headers(raw.c_str());
  for (size_t i = 0; unpacked[i] != nullptr && unpacked[i + 1] != nullptr; i += 2) {
    std::string value(trimSpaces(unpacked[i + 1]));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    headers.emplace_back(unpacked[i], std::move(value));
  }
  emscripten_fetch_free_unpacked_response_headers(unpacked);
  return headers;
}

}  // namespace

FetchTransport::FetchTransport() = default;

FetchTransport::~FetchTransport() {
  while (!pending_.empty()) cancel(pending_.begin()->first);
}

Transport::RequestId FetchTransport::send(HttpRequest request, Callback callback) {
  auto pending = std::make_unique<Pending>();
  Pending& p = *pending;
  p.owner = this;
  p.id = nextId_++;
  p.request = std::move(request);
  p.callback = std::move(callback);
  pending_.emplace(p.id, std::move(pending));

  std::vector<const char*> headers;
  for (const auto& [name, value] : p.request.headers) {
    headers.push_back(name.c_str());
    headers.push_back(value.c_str());
  }
  headers.push_back(nullptr);

  emscripten_fetch_attr_t attr;
  emscripten_fetch_attr_init(&attr);
  std::strncpy(attr.requestMethod, p.request.method.c_str(), sizeof(attr.requestMethod) - 1);
  attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
  attr.requestHeaders = headers.data();  // copied by emscripten_fetch
  attr.requestData = p.request.body.data();
  attr.requestDataSize = p.request.body.size();
  attr.userData = &p;
  attr.onsuccess = &FetchTransport::onSuccess;
  attr.onerror = &FetchTransport::onError;

  const RequestId id = p.id;
  p.insideSend = true;
  p.timer = emscripten_set_timeout(&FetchTransport::onTimeout,
                                   static_cast<double>(p.request.timeoutMs), &p);
  emscripten_fetch_t* fetch = emscripten_fetch(&attr, p.request.url.c_str());
  // A failure reported from inside emscripten_fetch was deferred by onError; p is still alive.
  auto it = pending_.find(id);
  if (it != pending_.end()) {
    it->second->fetch = fetch;
    it->second->insideSend = false;
  }
  return id;
}

void FetchTransport::cancel(RequestId id) {
  auto it = pending_.find(id);
  if (it != pending_.end()) finish(*it->second, TransportFailure::kAborted);
}

void FetchTransport::finish(Pending& p, TransportResult result) {
  if (p.timer != 0) emscripten_clear_timeout(p.timer);
  if (p.fetch != nullptr) {
    baanx_abort_xhr(p.fetch->id);
    p.fetch->__attributes.onsuccess = nullptr;
    p.fetch->__attributes.onerror = nullptr;
    emscripten_fetch_close(p.fetch);
  }
  Callback callback = std::move(p.callback);
  wipe(p.request.body);
  pending_.erase(p.id);  // p is gone from here on
  callback(std::move(result));
}

void FetchTransport::onSuccess(emscripten_fetch_t* fetch) {
  auto& p = *static_cast<Pending*>(fetch->userData);
  HttpResponse response;
  response.status = fetch->status;
  response.headers = readResponseHeaders(fetch);
  response.body.assign(fetch->data, static_cast<size_t>(fetch->numBytes));
  p.fetch = fetch;
  p.owner->finish(p, std::move(response));
}

void FetchTransport::onError(emscripten_fetch_t* fetch) {
  auto& p = *static_cast<Pending*>(fetch->userData);
  p.fetch = fetch;
  if (fetch->status == 0) {
    if (p.insideSend) {
      // Callbacks never run from inside send(): deliver on the next turn of the event loop.
      emscripten_clear_timeout(p.timer);
      p.deferredFailure = TransportFailure::kNetwork;
      p.timer = emscripten_set_timeout(&FetchTransport::onDeferredFailure, 0, &p);
      return;
    }
    p.owner->finish(p, TransportFailure::kNetwork);
    return;
  }
  // Any HTTP status is a response; what it means is the core's decision.
  HttpResponse response;
  response.status = fetch->status;
  response.headers = readResponseHeaders(fetch);
  if (fetch->data != nullptr)
    response.body.assign(fetch->data, static_cast<size_t>(fetch->numBytes));
  p.owner->finish(p, std::move(response));
}

void FetchTransport::onTimeout(void* pending) {
  auto& p = *static_cast<Pending*>(pending);
  p.timer = 0;
  p.owner->finish(p, TransportFailure::kTimeout);
}

void FetchTransport::onDeferredFailure(void* pending) {
  auto& p = *static_cast<Pending*>(pending);
  p.timer = 0;
  p.owner->finish(p, p.deferredFailure);
}

}  // namespace baanx
