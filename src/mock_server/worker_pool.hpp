// The server's workers and the bounded line of accepted connections waiting for one. httplib
// hands each accepted connection to a TaskQueue; its own ThreadPool queues without limit, so a
// flood of connections would pile up in memory. Here the line has a length limit: when it is full,
// the accept loop waits, and further connections wait in the kernel's listen backlog instead.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace baanx::mock {

// The line itself, shared by the pool (which httplib owns and deletes when it stops listening)
// and the connection guard (which asks how many connections are waiting).
class WorkQueue {
 public:
  explicit WorkQueue(size_t max_waiting);

  // Blocks while the line is full, unless the queue was released.
  void Push(std::function<void()> job);
  // The next job; an empty function once the queue is closed and drained.
  std::function<void()> Pop();

  // Connections accepted but not yet taken by a worker, plus any the accept loop holds back.
  size_t Waiting() const;
  // Lets Push exceed the limit from now on, so that a stopping server's accept loop never waits.
  void Release();
  // No more jobs: workers finish those queued and return.
  void Close();

 private:
  const size_t max_waiting_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> jobs_;
  size_t held_back_ = 0;
  bool released_ = false;
  bool closed_ = false;
};

class WorkerPool final : public httplib::TaskQueue {
 public:
  WorkerPool(std::shared_ptr<WorkQueue> queue, size_t threads);
  ~WorkerPool() override;

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  std::shared_ptr<WorkQueue> queue_;
  std::vector<std::thread> threads_;
};

}  // namespace baanx::mock
