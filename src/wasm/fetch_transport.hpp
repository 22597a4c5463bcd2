// Transport over emscripten_fetch (an XMLHttpRequest underneath). It keeps its own timer, so that
// a request that outlives its timeout is told apart from one the network refused: the XHR reports
// both as status 0.
#pragma once

#include <map>
#include <memory>

#include "core/transport.hpp"

struct emscripten_fetch_t;

namespace baanx {

class FetchTransport final : public Transport {
 public:
  FetchTransport();
  FetchTransport(const FetchTransport&) = delete;
  FetchTransport& operator=(const FetchTransport&) = delete;
  ~FetchTransport() override;

  RequestId send(HttpRequest request, Callback callback) override;
  void cancel(RequestId id) override;

 private:
  struct Request;

  static void onFinished(emscripten_fetch_t* fetch);
  static void onProgress(emscripten_fetch_t* fetch);
  static void onTimer(void* request);
  static void onStartFailed(void* request);

  // Hands the result to the request's callback, once; what the callback does may start or cancel
  // other requests.
  void deliver(Request& request, TransportResult result);
  // Lets go of the fetch of a request whose result has been delivered.
  void release(Request& request);

  std::map<RequestId, std::unique_ptr<Request>> requests_;  // until Emscripten is done with each
  RequestId nextId_ = 1;
};

}  // namespace baanx
