#pragma once

#include <chrono>

#include "core/transport.hpp"

namespace baanx {

// The system's wall-clock time, for native builds: session expiry and the resend cooldown are
// wall-clock times the app compares with its own. The WebAssembly module has BrowserClock
// (src/wasm/bindings.cpp) instead, which reads Date.now() without libc's clock plumbing.
class SystemClock final : public Clock {
 public:
  std::int64_t nowMs() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

}  // namespace baanx
