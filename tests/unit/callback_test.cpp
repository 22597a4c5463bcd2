#include "core/callback.hpp"

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include <gtest/gtest.h>

namespace baanx {
namespace {

static_assert(!std::is_copy_constructible_v<Callback<void()>>);
static_assert(!std::is_copy_assignable_v<Callback<void()>>);
static_assert(std::is_nothrow_move_constructible_v<Callback<void()>>);
static_assert(std::is_nothrow_move_assignable_v<Callback<void()>>);
static_assert(sizeof(Callback<void()>) == 2 * sizeof(void*));
// Only what can be called with the arguments, giving something that converts to the result.
static_assert(!std::is_constructible_v<Callback<void(int)>, int>);
static_assert(!std::is_constructible_v<Callback<void(int)>, void (*)(std::string)>);
static_assert(!std::is_constructible_v<Callback<int()>, std::string (*)()>);
static_assert(std::is_constructible_v<Callback<void()>, int (*)()>);

// Counts how often the callable it is part of is called and destroyed: moved-from copies (the
// temporary a lambda is moved out of) do not count.
class Counted {
 public:
  Counted(int* calls, int* destroyed) : calls_(calls), destroyed_(destroyed) {}
  Counted(Counted&& other) noexcept
      : calls_(std::exchange(other.calls_, nullptr)),
        destroyed_(std::exchange(other.destroyed_, nullptr)) {}
  Counted(const Counted&) = delete;
  Counted& operator=(const Counted&) = delete;
  Counted& operator=(Counted&&) = delete;
  ~Counted() {
    if (destroyed_ != nullptr) ++*destroyed_;
  }
  int operator()() const { return ++*calls_; }

 private:
  int* calls_;
  int* destroyed_;
};

TEST(CallbackTest, DefaultAndNullptrAreEmpty) {
  const Callback<void()> made;
  const Callback<void()> fromNull = nullptr;
  EXPECT_FALSE(made);
  EXPECT_FALSE(fromNull);
}

TEST(CallbackTest, CallsWithTheArgumentsAndReturnsTheResult) {
  const Callback<int(int, int)> add = [](int a, int b) { return a + b; };
  ASSERT_TRUE(add);
  EXPECT_EQ(add(2, 3), 5);
  EXPECT_EQ(add(-4, 4), 0);
}

TEST(CallbackTest, VoidDiscardsTheResult) {
  int seen = 0;
  const Callback<void(int)> store = [&seen](int value) { return seen = value; };
  store(7);
  EXPECT_EQ(seen, 7);
}

TEST(CallbackTest, ReferencesAndMoveOnlyArgumentsPassThrough) {
  const Callback<void(int&)> increment = [](int& value) { ++value; };
  int value = 1;
  increment(value);
  EXPECT_EQ(value, 2);

  const Callback<int(std::unique_ptr<int>)> take = [](std::unique_ptr<int> owned) {
    return *owned;
  };
  EXPECT_EQ(take(std::make_unique<int>(42)), 42);
}

TEST(CallbackTest, CanBeCalledMoreThanOnceAndKeepsMutableState) {
  const Callback<int()> next = [count = 0]() mutable { return ++count; };
  EXPECT_EQ(next(), 1);
  EXPECT_EQ(next(), 2);
  EXPECT_EQ(next(), 3);
}

TEST(CallbackTest, TheCallableIsDestroyedExactlyOnce) {
  int calls = 0;
  int destroyed = 0;
  {
    const Callback<int()> callback = Counted(&calls, &destroyed);
    EXPECT_EQ(destroyed, 0);
    EXPECT_EQ(callback(), 1);
  }
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(destroyed, 1);
}

TEST(CallbackTest, MoveConstructionTakesTheCallableAndEmptiesTheSource) {
  int calls = 0;
  int destroyed = 0;
  {
    Callback<int()> source = Counted(&calls, &destroyed);
    const Callback<int()> target = std::move(source);
    EXPECT_FALSE(source);  // NOLINT(bugprone-use-after-move): the moved-from state is specified
    ASSERT_TRUE(target);
    EXPECT_EQ(target(), 1);
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 1);
}

TEST(CallbackTest, MoveAssignmentDestroysWhatTheTargetHeld) {
  int oldCalls = 0;
  int oldDestroyed = 0;
  int newCalls = 0;
  int newDestroyed = 0;
  Callback<int()> target = Counted(&oldCalls, &oldDestroyed);
  Callback<int()> source = Counted(&newCalls, &newDestroyed);
  target = std::move(source);
  EXPECT_EQ(oldDestroyed, 1);
  EXPECT_EQ(newDestroyed, 0);
  EXPECT_FALSE(source);  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_EQ(target(), 1);
  EXPECT_EQ(oldCalls, 0);
  target = nullptr;
  EXPECT_FALSE(target);
  EXPECT_EQ(newDestroyed, 1);
  EXPECT_EQ(oldDestroyed, 1);
}

TEST(CallbackTest, AssigningALambdaReplacesTheCallable) {
  auto state = std::make_shared<int>(5);
  Callback<int()> callback = [state] { return *state; };
  EXPECT_EQ(state.use_count(), 2);
  callback = [] { return 9; };
  EXPECT_EQ(state.use_count(), 1);  // the captured copy went with the old lambda
  EXPECT_EQ(callback(), 9);
}

TEST(CallbackTest, MovingIntoAnEmptyOneAndOutAgainDestroysNothing) {
  int calls = 0;
  int destroyed = 0;
  Callback<int()> first = Counted(&calls, &destroyed);
  Callback<int()> second;
  second = std::move(first);
  first = std::move(second);
  EXPECT_EQ(destroyed, 0);
  EXPECT_EQ(first(), 1);
  first = Callback<int()>();
  EXPECT_EQ(destroyed, 1);
}

TEST(CallbackTest, SelfMoveKeepsTheCallable) {
  int calls = 0;
  int destroyed = 0;
  Callback<int()> callback = Counted(&calls, &destroyed);
  Callback<int()>& alias = callback;
  callback = std::move(alias);
  ASSERT_TRUE(callback);
  EXPECT_EQ(callback(), 1);
  EXPECT_EQ(destroyed, 0);
  Callback<int()> empty;
  Callback<int()>& emptyAlias = empty;
  empty = std::move(emptyAlias);
  EXPECT_FALSE(empty);
}

TEST(CallbackTest, TheOldCallableIsDestroyedOnceTheNewOneIsInPlace) {
  // What the old callable's destructor sees of the Callback that held it: the new callable.
  struct ReadsOwnerWhenDestroyed {
    Callback<int()>* owner;
    int* seen;
    ReadsOwnerWhenDestroyed(Callback<int()>* ownerIn, int* seenIn) : owner(ownerIn), seen(seenIn) {}
    ReadsOwnerWhenDestroyed(ReadsOwnerWhenDestroyed&& other) noexcept
        : owner(std::exchange(other.owner, nullptr)), seen(other.seen) {}
    ReadsOwnerWhenDestroyed(const ReadsOwnerWhenDestroyed&) = delete;
    ReadsOwnerWhenDestroyed& operator=(const ReadsOwnerWhenDestroyed&) = delete;
    ReadsOwnerWhenDestroyed& operator=(ReadsOwnerWhenDestroyed&&) = delete;
    ~ReadsOwnerWhenDestroyed() {
      if (owner != nullptr) *seen = *owner ? (*owner)() : -1;
    }
    int operator()() const { return 1; }
  };
  int seen = 0;
  Callback<int()> callback;
  callback = ReadsOwnerWhenDestroyed(&callback, &seen);
  EXPECT_EQ(callback(), 1);
  callback = [] { return 2; };
  EXPECT_EQ(seen, 2);
  callback = ReadsOwnerWhenDestroyed(&callback, &seen);
  callback = nullptr;
  EXPECT_EQ(seen, -1);  // reset: empty by the time the old one goes
}

TEST(CallbackTest, HoldsLambdasCapturingMoveOnlyThings) {
  auto owned = std::make_unique<int>(3);
  const Callback<int()> fromUnique = [owned = std::move(owned)] { return *owned; };
  EXPECT_EQ(fromUnique(), 3);

  int calls = 0;
  int destroyed = 0;
  Callback<int()> inner = Counted(&calls, &destroyed);
  Callback<int(int)> outer = [inner = std::move(inner)](int add) { return inner() + add; };
  EXPECT_FALSE(inner);  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_EQ(outer(10), 11);
  EXPECT_EQ(destroyed, 0);
  outer = nullptr;
  EXPECT_EQ(destroyed, 1);  // the captured Callback went with the lambda holding it
}

TEST(CallbackTest, SharedStateCapturedIsReleasedWithTheCallback) {
  auto state = std::make_shared<std::string>("kept");
  {
    Callback<std::string()> first = [state] { return *state; };
    const Callback<std::string()> second = std::move(first);
    EXPECT_EQ(state.use_count(), 2);  // one copy, moved along with the callable
    EXPECT_EQ(second(), "kept");
  }
  EXPECT_EQ(state.use_count(), 1);
}

TEST(CallbackTest, PlainFunctionsWork) {
  struct Local {
    static int twice(int value) { return 2 * value; }
  };
  const Callback<int(int)> callback = &Local::twice;
  EXPECT_EQ(callback(21), 42);
}

TEST(CallbackDeathTest, CallingAnEmptyCallbackAborts) {
  Callback<int()> source = [] { return 1; };
  const Callback<int()> target = std::move(source);
  EXPECT_EQ(target(), 1);
  // NOLINTNEXTLINE(bugprone-use-after-move): calling the moved-from one is what is tested
  EXPECT_DEATH(source(), "");
  const Callback<void(int)> empty;
  EXPECT_DEATH(empty(1), "");
}

}  // namespace
}  // namespace baanx
