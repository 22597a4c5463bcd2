// What the module does so that no password, code or token outlives its use anywhere in the
// WebAssembly memory, in copies the core cannot see and wipe itself: every block is zeroed when
// it is freed (memory_wipe.cpp replaces free), and the stack below an entry point is zeroed when
// the entry point returns to JavaScript (StackWipe).
#pragma once

namespace baanx {

// Zeroes the stack below the caller's frame: frames that have returned keep what they handled
// (nlohmann's serializer, for one, escapes strings through a buffer on the stack).
void wipeUnusedStack();

// Put first in every function JavaScript calls into: wipes the stack once the function is done.
struct StackWipe {
  StackWipe() = default;
  StackWipe(const StackWipe&) = delete;
  StackWipe& operator=(const StackWipe&) = delete;
  ~StackWipe() { wipeUnusedStack(); }
};

}  // namespace baanx
