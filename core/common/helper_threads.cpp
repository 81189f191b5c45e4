#include "common/helper_threads.h"

#include <chrono>
#include <mutex>

namespace headroom {
namespace detail {
namespace {

/// Spins for up to `limit` until `ready()`, then sleeps in `wait()` until it is.
template <class Ready, class Wait>
void spinThenWait(Ready&& ready, Wait&& wait, std::chrono::microseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    for (int i = 0; !ready(); ++i) {
        if ((i & 63) == 63 && std::chrono::steady_clock::now() > until) {
            wait();
            return;
        }
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
}

// The preparation before start() takes about a millisecond for 1,000 components: a helper
// spinning that long takes nothing from the caller's core; past it, it sleeps.
constexpr std::chrono::microseconds kSpin{3000};

} // namespace

void HelperJob::run() {
    for (int seen = 0;;) {
        spinThenWait([&] { return started.load(std::memory_order_acquire) != seen; },
                     [&] { started.wait(seen, std::memory_order_acquire); }, kSpin);
        seen = started.load(std::memory_order_acquire);
        if (seen != kReleased)
            job();
        done.fetch_add(1, std::memory_order_acq_rel); // released: counted once more
        done.notify_all();
        if (seen == kReleased)
            return;
    }
}

/// The kept threads: asleep until a HelperThreads wakes the first `wanted` of them for its
/// job. Made as first needed, never fewer than wanted before, stopped at exit.
class HelperPool {
  public:
    static HelperPool& instance() {
        static HelperPool pool;
        return pool;
    }
    /// The pool for a job on `count` threads, or nullptr when another job has it.
    HelperPool* take(unsigned count) {
        if (!busy_.try_lock())
            return nullptr;
        while (threads_.size() < count) {
            const auto index = static_cast<unsigned>(threads_.size());
            threads_.emplace_back([this, index] { loop(index); });
        }
        job_.started.store(0, std::memory_order_relaxed);
        job_.done.store(0, std::memory_order_relaxed);
        job_.job = nullptr;
        wanted_.store(count, std::memory_order_relaxed);
        round_.fetch_add(1, std::memory_order_release);
        round_.notify_all();
        return this;
    }
    HelperJob& job() { return job_; }
    /// After every wanted thread has returned from HelperJob::run.
    void give() {
        job_.job = nullptr;
        busy_.unlock();
    }
    ~HelperPool() {
        stopping_.store(true, std::memory_order_release);
        round_.fetch_add(1, std::memory_order_release);
        round_.notify_all();
        threads_.clear(); // joins
    }

  private:
    HelperPool() = default;
    void loop(unsigned index) {
        for (unsigned seen = 0;;) {
            round_.wait(seen, std::memory_order_acquire);
            seen = round_.load(std::memory_order_acquire);
            if (stopping_.load(std::memory_order_acquire))
                return;
            if (index < wanted_.load(std::memory_order_relaxed))
                job_.run();
        }
    }
    std::mutex busy_;
    HelperJob job_;
    std::atomic<unsigned> round_{0};
    std::atomic<unsigned> wanted_{0};
    std::atomic<bool> stopping_{false};
    std::vector<std::jthread> threads_;
};

} // namespace detail

HelperThreads::HelperThreads(unsigned count) : count_(count) {
    if (count == 0)
        return;
    pool_ = detail::HelperPool::instance().take(count);
    if (pool_) {
        job_ = &pool_->job();
        return;
    }
    own_ = std::make_unique<detail::HelperJob>();
    job_ = own_.get();
    ownThreads_.reserve(count);
    for (unsigned t = 0; t < count; ++t)
        ownThreads_.emplace_back([job = job_] { job->run(); });
}

HelperThreads::~HelperThreads() {
    if (count_ == 0)
        return;
    finish();
    // Released, each helper returns from run() and counts itself once more.
    job_->started.store(detail::HelperJob::kReleased, std::memory_order_release);
    job_->started.notify_all();
    waitDone(count_ * static_cast<unsigned>(jobs_ + 1));
    ownThreads_.clear(); // joins: each has only its exit left
    if (pool_)
        pool_->give();
}

void HelperThreads::waitDone(unsigned all) const {
    detail::spinThenWait([&] { return job_->done.load(std::memory_order_acquire) == all; },
                         [&] {
                             for (unsigned seen;
                                  (seen = job_->done.load(std::memory_order_acquire)) != all;)
                                 job_->done.wait(seen, std::memory_order_acquire);
                         },
                         detail::kSpin);
}

void HelperThreads::start(std::function<void()> job) {
    if (count_ == 0)
        return;
    finish();
    job_->job = std::move(job);
    job_->started.store(++jobs_, std::memory_order_release);
    job_->started.notify_all();
}

void HelperThreads::finish() {
    if (count_ == 0 || finished_ == jobs_)
        return;
    finished_ = jobs_;
    waitDone(count_ * static_cast<unsigned>(jobs_));
}

} // namespace headroom
