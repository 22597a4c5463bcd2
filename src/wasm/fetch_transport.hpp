// Transport over emscripten_fetch (XMLHttpRequest underneath). Keeps its own timer: the fetch's
// built-in timeout is indistinguishable from a refused connection.
#pragma once

#include <memory>
#include <unordered_map>

#include "core/transport.hpp"

struct emscripten_fetch_t;

namespace baanx {

class FetchTransport final : public Transport {
 public:
  FetchTransport();
  ~FetchTransport() override;
  FetchTransport(const FetchTransport&) = delete;
  FetchTransport& operator=(const FetchTransport&) = delete;

  RequestId send(HttpRequest request, Callback callback) override;
  void cancel(RequestId id) override;

 private:
  struct Pending;

  static void onSuccess(emscripten_fetch_t* fetch);
  static void onError(emscripten_fetch_t* fetch);
  static void onTimeout(void* pending);
  static void onDeferredFailure(void* pending);

  // Stops the request (closing the XHR if still open) and delivers its one result.
  void finish(Pending& pending, TransportResult result);

  std::unordered_map<RequestId, std::unique_ptr<Pending>> pending_;
  RequestId nextId_ = 1;
};

}  // namespace baanx
