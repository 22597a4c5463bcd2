// Callback<R(Args...)>: a move-only std::function, which is what the core's completions and
// transport callbacks are.
//
// std::function must be copyable, so libc++ gives every lambda stored in one a class of its own
// with seven virtual functions (clone, clone into, destroy, destroy and free, call, target,
// target_type) and the plumbing around them, which add up to a large part of the WebAssembly
// module. A Callback keeps the callable on the heap next to a table of two functions made for its
// type, call and destroy; moving one moves two pointers. Being move-only, it also holds lambdas
// that capture move-only things: another Callback, a unique_ptr.
//
// Empty when default-constructed, made from nullptr or moved from; calling an empty Callback
// aborts. A callable is destroyed exactly once: with the Callback holding it, or when that Callback
// is assigned another (the old one is destroyed after the new one is in place). Like std::function,
// operator() is const but calls the callable as a non-const object (a `mutable` lambda works), and
// a null function pointer is not told apart from a function.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <type_traits>
#include <utility>

namespace baanx {

template <typename Signature>
class Callback;

template <typename R, typename... Args>
class Callback<R(Args...)> {
 public:
  Callback() noexcept = default;
  Callback(std::nullptr_t) noexcept {}  // NOLINT(google-explicit-constructor): like std::function

  // Any callable that can be called with Args and gives something convertible to R (or anything,
  // when R is void), copied or moved to the heap.
  template <typename F, typename Fn = std::decay_t<F>,
            typename = std::enable_if_t<!std::is_same_v<Fn, Callback> &&
                                        std::is_invocable_r_v<R, Fn&, Args...>>>
  Callback(F&& function)  // NOLINT(google-explicit-constructor): a lambda converts, as it would
      : object_(new Fn(std::forward<F>(function))), ops_(&kOps<Fn>) {}

  Callback(Callback&& other) noexcept
      : object_(std::exchange(other.object_, nullptr)), ops_(std::exchange(other.ops_, &kEmpty)) {}
  // The callable held so far is destroyed last, once this holds the new one; a self-move keeps it.
  Callback& operator=(Callback&& other) noexcept {
    Callback(std::move(other)).swap(*this);
    return *this;
  }
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  ~Callback() { ops_->destroy(object_); }

  explicit operator bool() const noexcept { return ops_ != &kEmpty; }

  R operator()(Args... args) const { return ops_->call(object_, std::forward<Args>(args)...); }

  void swap(Callback& other) noexcept {
    std::swap(object_, other.object_);
    std::swap(ops_, other.ops_);
  }

 private:
  // What a Callback knows of its callable's type: one table per type, made at compile time.
  struct Ops {
    R (*call)(void* object, Args&&... args);
    void (*destroy)(void* object) noexcept;
  };

  template <typename Fn>
  static R call(void* object, Args&&... args) {
    if constexpr (std::is_void_v<R>) {
      (*static_cast<Fn*>(object))(std::forward<Args>(args)...);
    } else {
      return (*static_cast<Fn*>(object))(std::forward<Args>(args)...);
    }
  }
  template <typename Fn>
  static void destroy(void* object) noexcept {
    delete static_cast<Fn*>(object);
  }
  [[noreturn]] static R callEmpty(void* /*object*/, Args&&... /*args*/) { std::abort(); }
  static void destroyEmpty(void* /*object*/) noexcept {}

  template <typename Fn>
  static constexpr Ops kOps{&call<Fn>, &destroy<Fn>};
  static constexpr Ops kEmpty{&callEmpty, &destroyEmpty};

  void* object_ = nullptr;
  const Ops* ops_ = &kEmpty;  // never null: an empty Callback has a table too
};

}  // namespace baanx
