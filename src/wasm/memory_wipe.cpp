#include "wasm/memory_wipe.hpp"

#include <alloca.h>
#include <string.h>  // explicit_bzero

#include <cstddef>
#include <cstdlib>
#include <cstring>

#include <emscripten/emmalloc.h>
#include <emscripten/stack.h>

// Every block of the heap is zeroed before the allocator takes it back, so no secret outlives the
// object that held it: not in nlohmann/json's lexer and documents, not in Embind's argument and
// return buffers (which its JavaScript frees through this free), not in emscripten_fetch's copies
// of the request headers. emmalloc (-sMALLOC=emmalloc) defines free and realloc as weak symbols so
// that a program can replace them; these call its public functions underneath.
extern "C" {

void free(void* block) {
  if (block == nullptr) return;
  explicit_bzero(block, emmalloc_usable_size(block));
  emmalloc_free(block);
}

// emmalloc's own realloc releases a block it moves without going through free: a block that has
// to grow is copied into a new one here, and the old one freed as above.
void* realloc(void* block, std::size_t size) {
  if (block == nullptr) return std::malloc(size);
  if (size == 0) {
    free(block);
    return nullptr;
  }
  const std::size_t usable = emmalloc_usable_size(block);
  if (size <= usable) return block;
  void* grown = std::malloc(size);
  if (grown == nullptr) return nullptr;
  std::memcpy(grown, block, usable);
  free(block);
  return grown;
}

}  // extern "C"

namespace baanx {

// The unused stack is claimed with alloca, so that the bytes zeroed are this frame's own, all but
// a margin for explicit_bzero's frame; the stack never gets that close to its end.
__attribute__((noinline)) void wipeUnusedStack() {
  constexpr std::size_t kMargin = 512;
  const std::size_t unused = emscripten_stack_get_free();
  if (unused <= kMargin) return;
  void* area = alloca(unused - kMargin);
  explicit_bzero(area, unused - kMargin);
}

}  // namespace baanx
