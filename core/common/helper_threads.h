#pragma once
// Threads ready to share a job with the caller. On a virtual machine a new thread costs its
// maker 0.1 ms and runs 0.15-0.2 ms after it is made, and a thread asleep in a wait takes
// about as long to wake; against a 5 ms analysis that was a tenth, on the critical path. So:
// - the threads are made once per process and kept, asleep, between jobs;
// - a HelperThreads is made first thing (waking them), and they spin, bounded, until the job
//   is ready: their waking overlaps the caller's preparation;
// - the caller spins while they finish, instead of sleeping in a join.
//
//   HelperThreads helpers(1);      // before the preparation
//   ...                            // preparation, on this thread
//   helpers.start([&] { ... });    // every helper runs the job
//   ...                            // this thread's own share
//   helpers.finish();              // every helper's job has returned
//
// A job must not throw (catch inside it). Leaving the scope without start() releases the
// helpers unused. While one HelperThreads has the kept threads, another (on another thread)
// makes threads of its own, as before.

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace headroom {

namespace detail {
/// The state one job's helpers share: the job, whether it started, and how many are done.
struct HelperJob {
    enum State : int { kWaiting, kStarted, kReleased };
    std::atomic<int> state{kWaiting};
    std::atomic<unsigned> done{0};
    std::function<void()> job;
    void run(); ///< a helper's part: wait for start or release, run the job if started
};
class HelperPool;
} // namespace detail

class HelperThreads {
  public:
    explicit HelperThreads(unsigned count);
    ~HelperThreads();
    HelperThreads(const HelperThreads&) = delete;
    HelperThreads& operator=(const HelperThreads&) = delete;

    [[nodiscard]] unsigned count() const { return count_; }
    /// Every helper runs `job` once, now; returns at once.
    void start(std::function<void()> job);
    /// Returns when every helper's job has returned.
    void finish();

  private:
    void release();
    unsigned count_ = 0;
    bool finished_ = false;
    detail::HelperJob* job_ = nullptr;       ///< the pool's, or own_
    std::unique_ptr<detail::HelperJob> own_; ///< when the pool is taken
    std::vector<std::jthread> ownThreads_;   ///< when the pool is taken
    detail::HelperPool* pool_ = nullptr;     ///< held until finish
};

} // namespace headroom
