// Test doubles for the core's two seams: a Transport that records every request and lets a test
// answer, fail or cancel each one when it chooses, and a Clock that only moves when told to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/transport.hpp"

namespace baanx::fakes {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t startMs) : nowMs_(startMs) {}

  std::int64_t nowMs() const override { return nowMs_; }
  void advance(std::int64_t ms) { nowMs_ += ms; }

 private:
  std::int64_t nowMs_;
};

class FakeTransport final : public Transport {
 public:
  // Request ids start far from the client's call ids so that mixing the two up shows.
  static constexpr RequestId kFirstRequestId = 1000;

  RequestId send(HttpRequest request, Callback callback) override {
    const RequestId id = nextId_++;
    sent_.push_back(std::move(request));
    pending_.push_back(Pending{id, std::move(callback)});
    return id;
  }

  // As the contract says: a request still in flight completes with kAborted before this returns.
  void cancel(RequestId id) override {
    cancelled_.push_back(id);
    finish(id, TransportFailure::kAborted);
  }

  std::size_t sentCount() const { return sent_.size(); }
  const HttpRequest& sent(std::size_t index) const { return sent_.at(index); }
  const HttpRequest& lastSent() const { return sent_.back(); }
  std::size_t pendingCount() const { return pending_.size(); }
  RequestId pendingId(std::size_t index) const { return pending_.at(index).id; }
  const std::vector<RequestId>& cancelled() const { return cancelled_; }

  // Answers the oldest request still in flight.
  void respond(int status, std::string body, HttpHeaders headers = {}) {
    HttpResponse response;
    response.status = status;
    response.headers = std::move(headers);
    response.body = std::move(body);
    finishOldest(TransportResult(std::move(response)));
  }

  // Ends the oldest request still in flight without a response.
  void fail(TransportFailure failure) { finishOldest(TransportResult(failure)); }

 private:
  struct Pending {
    RequestId id;
    Callback callback;
  };

  void finish(RequestId id, TransportResult result) {
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (it->id != id) continue;
      Callback callback = std::move(it->callback);
      pending_.erase(it);  // before the callback, which may send again
      callback(std::move(result));
      return;
    }
  }

  void finishOldest(TransportResult result) {
    if (pending_.empty()) {
      ADD_FAILURE() << "no request is in flight";
      return;
    }
    finish(pending_.front().id, std::move(result));
  }

  RequestId nextId_ = kFirstRequestId;
  std::vector<HttpRequest> sent_;
  std::vector<Pending> pending_;
  std::vector<RequestId> cancelled_;
};

}  // namespace baanx::fakes
