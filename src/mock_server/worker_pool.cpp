#include "mock_server/worker_pool.hpp"

#include <algorithm>
#include <utility>

namespace baanx::mock {

WorkQueue::WorkQueue(size_t max_waiting) : max_waiting_(std::max<size_t>(1, max_waiting)) {}

void WorkQueue::Push(std::function<void()> job) {
  std::unique_lock<std::mutex> lock(mutex_);
  ++held_back_;
  changed_.wait(lock, [this] { return released_ || jobs_.size() < max_waiting_; });
  --held_back_;
  jobs_.push_back(std::move(job));
  changed_.notify_all();
}

std::function<void()> WorkQueue::Pop() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return closed_ || !jobs_.empty(); });
  if (jobs_.empty()) return {};
  std::function<void()> job = std::move(jobs_.front());
  jobs_.pop_front();
  changed_.notify_all();
  return job;
}

size_t WorkQueue::Waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.size() + held_back_;
}

void WorkQueue::Release() {
  std::lock_guard<std::mutex> lock(mutex_);
  released_ = true;
  changed_.notify_all();
}

void WorkQueue::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  released_ = true;
  closed_ = true;
  changed_.notify_all();
}

WorkerPool::WorkerPool(std::shared_ptr<WorkQueue> queue, size_t threads)
    : queue_(std::move(queue)) {
  for (size_t i = 0; i < std::max<size_t>(1, threads); ++i) {
    threads_.emplace_back([this] {
      // Each job serves one connection to its end, so a job's socket is always closed.
      while (const std::function<void()> job = queue_->Pop()) job();
    });
  }
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> fn) { queue_->Push(std::move(fn)); }

void WorkerPool::shutdown() {
  queue_->Close();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

}  // namespace baanx::mock
