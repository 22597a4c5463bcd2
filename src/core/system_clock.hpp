#pragma once

#include <chrono>

#include "core/transport.hpp"

namespace baanx {

// Wall-clock time: Date.now() in the browser, the system clock natively.
class SystemClock final : public Clock {
 public:
  std::int64_t nowMs() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

}  // namespace baanx
