#include "native/loopback_transport.hpp"

#include <atomic>
#include <csignal>
#include <utility>

#include <httplib.h>

#include "core/text.hpp"

namespace baanx {

struct LoopbackTransport::Request {
  Callback callback;
  std::chrono::steady_clock::time_point deadline;
  std::unique_ptr<httplib::Client> client;  // shared with the worker; stop() closes its socket
  std::atomic<bool> settled{false};
};

LoopbackTransport::LoopbackTransport() = default;

LoopbackTransport::~LoopbackTransport() {
  std::vector<RequestId> ids;
  {
    std::lock_guard lock(mutex_);
    for (const auto& entry : active_) ids.push_back(entry.first);
  }
  for (RequestId id : ids) cancel(id);
  for (auto& worker : workers_) worker.thread.join();
}

void LoopbackTransport::reapWorkers() {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

void LoopbackTransport::spawn(baanx::Callback<void()> body) {
  reapWorkers();
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([body = std::move(body), done] {
    body();
    done->store(true);
  });
  workers_.push_back(Worker{std::move(thread), std::move(done)});
}

void LoopbackTransport::stopInBackground(std::shared_ptr<Request> state) {
  spawn([state = std::move(state)] { state->client->stop(); });
}

Transport::RequestId LoopbackTransport::send(HttpRequest request, Callback callback) {
  auto state = std::make_shared<Request>();
  state->callback = std::move(callback);
  state->deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(request.timeoutMs);

  // "http://127.0.0.1:8080/prefix/v1/auth/login" -> origin and path.
  const std::size_t schemeEnd = request.url.find("://");
  const std::size_t pathStart =
      schemeEnd == std::string::npos ? std::string::npos : request.url.find('/', schemeEnd + 3);
  const std::string origin = request.url.substr(0, pathStart);
  const std::string path = pathStart == std::string::npos ? "/" : request.url.substr(pathStart);
  state->client = std::make_unique<httplib::Client>(origin);
  // The worker gives up by itself shortly after the transport's own timer has fired: cancel() and
  // the timer cannot interrupt a connect() (httplib holds the lock stop() needs while it connects),
  // so a server that never accepts must not hold a thread for as long as httplib's default allows.
  const auto giveUp = std::chrono::milliseconds(request.timeoutMs) + std::chrono::seconds(1);
  state->client->set_connection_timeout(giveUp);
  state->client->set_read_timeout(giveUp);
  state->client->set_write_timeout(giveUp);

  RequestId id;
  {
    std::lock_guard lock(mutex_);
    id = nextId_++;
    active_.emplace(id, state);
  }
  spawn([this, id, state, path, request = std::move(request)]() mutable {
    run(id, *state, path, request);
  });
  return id;
}

void LoopbackTransport::run(RequestId id, Request& state, const std::string& path,
                            HttpRequest& request) {
  // A write to a connection the server (or cancel()) has closed raises SIGPIPE in the writing
  // thread, and httplib 0.11 does not send with MSG_NOSIGNAL: blocked here, the write fails with
  // EPIPE instead of the signal ending the process.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);

  httplib::Request outgoing;
  outgoing.method = request.method;
  outgoing.path = path;
  for (const auto& [name, value] : request.headers) outgoing.headers.emplace(name, value);
  outgoing.body = request.body;
  wipe(request.body);
  auto result = state.client->send(outgoing);
  wipe(outgoing.body);
  if (!result) {
    finish(id, TransportFailure::kNetwork);
    return;
  }
  HttpResponse response;
  response.status = result->status;
  for (const auto& [name, value] : result->headers) response.headers.emplace_back(name, value);
  response.body = std::move(result->body);
  finish(id, std::move(response));
}

void LoopbackTransport::finish(RequestId id, TransportResult result) {
  std::lock_guard lock(mutex_);
  auto it = active_.find(id);
  if (it == active_.end() || it->second->settled.exchange(true)) return;
  completed_.emplace_back(id, std::move(result));
  wake_.notify_all();
}

void LoopbackTransport::cancel(RequestId id) {
  std::shared_ptr<Request> state;
  {
    std::lock_guard lock(mutex_);
    auto it = active_.find(id);
    if (it == active_.end()) return;
    state = it->second;
    active_.erase(it);
    // A result the worker already queued is dropped: the caller hears kAborted only.
    for (auto queued = completed_.begin(); queued != completed_.end(); ++queued) {
      if (queued->first == id) {
        completed_.erase(queued);
        break;
      }
    }
  }
  state->settled = true;
  stopInBackground(state);
  state->callback(TransportFailure::kAborted);
}

int LoopbackTransport::poll(std::chrono::milliseconds maxWait) {
  // The batch holds ids, not callbacks: a request stays in active_ until its callback is taken,
  // so that a callback earlier in the batch can still cancel a later one (it then hears kAborted
  // only), and a later one whose owner an earlier one destroyed (cancelling it) is not run.
  std::vector<std::pair<RequestId, TransportResult>> batch;
  std::vector<std::shared_ptr<Request>> timedOut;
  {
    std::unique_lock lock(mutex_);
    auto until = std::chrono::steady_clock::now() + maxWait;
    for (const auto& entry : active_) until = std::min(until, entry.second->deadline);
    wake_.wait_until(lock, until, [this] { return !completed_.empty(); });

    const auto now = std::chrono::steady_clock::now();
    for (const auto& [id, state] : active_) {
      if (!state->settled && now >= state->deadline) {
        state->settled = true;
        timedOut.push_back(state);
        batch.emplace_back(id, TransportFailure::kTimeout);
      }
    }
    while (!completed_.empty()) {
      batch.push_back(std::move(completed_.front()));
      completed_.pop_front();
    }
  }
  for (const auto& state : timedOut) stopInBackground(state);
  int delivered = 0;
  for (auto& [id, result] : batch) {
    Callback callback;
    {
      std::lock_guard lock(mutex_);
      auto it = active_.find(id);
      if (it == active_.end()) continue;  // cancelled by an earlier callback of this batch
      callback = std::move(it->second->callback);
      active_.erase(it);
    }
    callback(std::move(result));
    ++delivered;
  }
  reapWorkers();
  return delivered;
}

bool LoopbackTransport::idle() const {
  std::lock_guard lock(mutex_);
  return active_.empty() && completed_.empty();
}

}  // namespace baanx
