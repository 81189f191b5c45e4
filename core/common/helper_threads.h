#pragma once
// Threads ready to share jobs with the caller. On a virtual machine a new thread costs its
// maker 0.1 ms and runs 0.15-0.2 ms after it is made, and a thread asleep in a wait takes
// about as long to wake; against a 5 ms analysis that was a tenth, on the critical path. So:
// - the threads are made once per process and kept, asleep, between jobs;
// - a HelperThreads is made first thing (waking them), and they spin, bounded, until a job
//   is ready, and between jobs: their waking overlaps the caller's preparation;
// - the caller spins while they finish, instead of sleeping in a join.
//
//   HelperThreads helpers(1);      // before the preparation
//   helpers.alongside([&] { ... },  // every helper runs the job...
//                     [&] { ... }); // ...while this thread runs this; then all are done
//   helpers.alongside(...);        // the next job, on the same threads
//
// A job must not throw (catch inside it). The helpers are released when the HelperThreads
// goes (after finishing what was started). While one HelperThreads has the kept threads,
// another (on another thread) makes threads of its own.

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace headroom {

namespace detail {
/// What one HelperThreads' helpers share: the job, how many were started (kReleased once
/// the helpers are let go), and how many runs of them are done.
struct HelperJob {
    static constexpr int kReleased = -1;
    std::atomic<int> started{0};
    std::atomic<unsigned> done{0};
    std::function<void()> job;
    void run(); ///< a helper's part: each job started, once, until released
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
    /// Every helper runs `job` once, now; returns at once. The job before must be finished.
    void start(std::function<void()> job);
    /// Returns when every helper's run of the job started last has returned.
    void finish();
    /// Every helper runs `job` while this thread runs `own`; returns when all have, also when
    /// `own` throws (rethrown then): a job may use what the caller's unwinding would destroy.
    template <class Own> void alongside(std::function<void()> job, Own&& own) {
        start(std::move(job));
        try {
            own();
        } catch (...) {
            finish();
            throw;
        }
        finish();
    }

  private:
    /// Until the helpers' runs, counted over the lease, reach `all`.
    void waitDone(unsigned all) const;
    unsigned count_ = 0;
    int jobs_ = 0;                           ///< started
    int finished_ = 0;                       ///< finished
    detail::HelperJob* job_ = nullptr;       ///< the pool's, or own_
    std::unique_ptr<detail::HelperJob> own_; ///< when the pool is taken
    std::vector<std::jthread> ownThreads_;   ///< when the pool is taken
    detail::HelperPool* pool_ = nullptr;     ///< held until finish
};

} // namespace headroom
