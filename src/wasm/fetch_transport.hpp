// Transport over the browser's fetch(), started from a small EM_JS function. Keeps its own timer
// (aborting the fetch when it fires) so that a timeout is told apart from a refused connection.
#pragma once

#include <map>
#include <string>

#include "core/transport.hpp"

namespace baanx {

class FetchTransport final : public Transport {
 public:
  FetchTransport() = default;
  FetchTransport(const FetchTransport&) = delete;
  FetchTransport& operator=(const FetchTransport&) = delete;

  RequestId send(HttpRequest request, Callback callback) override;
  void cancel(RequestId id) override;

  // How a request started by send() ended, as its JS side reports it (bindings.cpp binds this).
  enum Outcome { kResponse = 0, kNetworkFailure = 1, kTimedOut = 2 };
  // headers: "name\nvalue\n" per header passed on (the JS side passes Retry-After only).
  void complete(RequestId id, int outcome, int status, const std::string& headers,
                std::string body);

 private:
  std::map<RequestId, Callback> pending_;
  RequestId nextId_ = 1;
};

}  // namespace baanx
