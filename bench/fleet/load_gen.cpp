// Open-loop Poisson load for the fleet benchmark (issue 6): requests leave on a schedule fixed
// before the run (exponential gaps at rate L for D seconds), whatever the server is doing, and
// each latency runs from the request's *scheduled* time to the last byte of its response, so a
// slow server cannot hide its queue by slowing the sender down (no coordinated omission).
//
// One thread, one epoll loop, a timerfd for the schedule. Each request takes the longest-idle
// keep-alive connection (so the load spreads over them all, and over nginx's worker processes,
// as many clients' would); when none is idle a new one is opened (up to --max-conns; beyond that
// requests wait for a connection and are counted as late). No pipelining: one request per
// connection at a time. Responses must carry Content-Length (nginx and clone_server do).
//
//   load_gen --port P --rate L --duration D [--warmup W] [--seed S] [--conns C] [--max-conns M]
//            [--keys K] [--late-ms X] [--drain S] [--json]
// --warmup: seconds of the schedule left out of the latency figures (default D / 5).
// --keys K: request /k/<uniform key below K> instead of / (for hash balancing).
// Throughput counts the responses that *end* inside [warmup, D], so at overload it is the rate
// the fleet sustains. Requests still unanswered --drain seconds after D count as unfinished and
// as infinitely slow in the percentiles. When responses carry clone_server's X-Wait-Us and
// X-Service-Us, it also reports the clones' mean wait and service for the window's requests and
// what the rest (balancer, network, this client) added to each.
//
// Build: g++ -O2 -std=c++20 load_gen.cpp -o load_gen
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <random>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <vector>

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

int64_t nowNs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

struct Options {
    int port = 0;
    double rate = 0;
    double duration = 10;
    double warmup = -1;
    uint64_t seed = 1;
    int conns = 64;
    int maxConns = 8000;
    int keys = 0;
    double lateMs = 1;
    double drain = 15;
    bool json = false;
};

Options parseOptions(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--json") {
            o.json = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s needs a value\n", argv[i]);
            std::exit(2);
        }
        const char* v = argv[++i];
        if (a == "--port")
            o.port = std::atoi(v);
        else if (a == "--rate")
            o.rate = std::atof(v);
        else if (a == "--duration")
            o.duration = std::atof(v);
        else if (a == "--warmup")
            o.warmup = std::atof(v);
        else if (a == "--seed")
            o.seed = std::strtoull(v, nullptr, 10);
        else if (a == "--conns")
            o.conns = std::atoi(v);
        else if (a == "--max-conns")
            o.maxConns = std::atoi(v);
        else if (a == "--keys")
            o.keys = std::atoi(v);
        else if (a == "--late-ms")
            o.lateMs = std::atof(v);
        else if (a == "--drain")
            o.drain = std::atof(v);
        else {
            std::fprintf(stderr, "unknown option %s (see the usage in the source)\n", argv[i - 1]);
            std::exit(2);
        }
    }
    if (o.warmup < 0)
        o.warmup = o.duration / 5;
    if (o.port <= 0 || !(o.rate > 0) || !(o.duration > 0) || !(o.warmup < o.duration) ||
        o.maxConns < 1 || o.conns < 0) {
        std::fprintf(stderr, "load_gen: bad options (see the usage in the source)\n");
        std::exit(2);
    }
    return o;
}

struct Conn {
    enum class State { Connecting, Idle, Busy, Dead };
    int fd = -1;
    State state = State::Connecting;
    int64_t req = -1; ///< the request in flight (or waiting for the connect)
    std::string out;
    size_t outOff = 0;
    bool wantOut = false;
    std::string in;
};

class Generator {
  public:
    explicit Generator(Options o) : opts_(std::move(o)) {
        // Keys from their own stream: a seed gives the same schedule with or without --keys.
        std::mt19937_64 rng(opts_.seed), keyRng(opts_.seed ^ 0x9e3779b97f4a7c15u);
        std::exponential_distribution<double> gap(opts_.rate);
        std::uniform_int_distribution<int> key(0, std::max(0, opts_.keys - 1));
        for (double t = gap(rng); t < opts_.duration; t += gap(rng)) {
            sched_.push_back(int64_t(t * 1e9));
            if (opts_.keys > 0)
                keys_.push_back(key(keyRng));
        }
        const size_t n = sched_.size();
        latency_.assign(n, kInf);
        doneAt_.assign(n, -1);
        sendLate_.assign(n, -1);
        serverWaitUs_.assign(n, -1);
        serverServiceUs_.assign(n, -1);
    }

    void run() {
        epollFd_ = epoll_create1(EPOLL_CLOEXEC);
        timerFd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = kTimerTag;
        epoll_ctl(epollFd_, EPOLL_CTL_ADD, timerFd_, &ev);
        for (int i = 0; i < opts_.conns; ++i)
            openConn(-1);
        t0_ = nowNs() + 300'000'000; // the warm pool connects meanwhile

        const size_t n = sched_.size();
        const int64_t end = t0_ + int64_t(opts_.duration * 1e9);
        const int64_t giveUp = end + int64_t(opts_.drain * 1e9);
        int64_t armed = -1;
        std::vector<epoll_event> events(512);
        for (;;) {
            const int64_t now = nowNs();
            while (next_ < n && t0_ + sched_[next_] <= now)
                dispatch(int64_t(next_++));
            if (next_ == n && outstanding_ == 0)
                break;
            if (next_ == n && now > giveUp)
                break;
            if (next_ < n && armed != t0_ + sched_[next_]) {
                armed = t0_ + sched_[next_];
                itimerspec its{};
                its.it_value.tv_sec = time_t(armed / 1'000'000'000);
                its.it_value.tv_nsec = long(armed % 1'000'000'000);
                timerfd_settime(timerFd_, TFD_TIMER_ABSTIME, &its, nullptr);
            }
            const int k =
                epoll_wait(epollFd_, events.data(), int(events.size()), next_ < n ? -1 : 100);
            for (int i = 0; i < k; ++i) {
                const epoll_event& e = events[size_t(i)];
                if (e.data.u64 == kTimerTag) {
                    uint64_t expirations = 0;
                    [[maybe_unused]] const ssize_t r =
                        read(timerFd_, &expirations, sizeof expirations);
                    continue;
                }
                handle(size_t(e.data.u64), e.events);
            }
        }
        report();
    }

  private:
    static constexpr uint64_t kTimerTag = ~uint64_t{0};

    std::string requestText(int64_t i) const {
        const std::string path =
            opts_.keys > 0 ? "/k/" + std::to_string(keys_[size_t(i)]) : std::string("/");
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    void setEvents(Conn& c, size_t index, bool wantOut) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP | (wantOut ? uint32_t(EPOLLOUT) : 0u);
        ev.data.u64 = index;
        epoll_ctl(epollFd_, EPOLL_CTL_MOD, c.fd, &ev);
        c.wantOut = wantOut;
    }

    void openConn(int64_t req) {
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            fail(req);
            return;
        }
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(uint16_t(opts_.port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const int r = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        if (r < 0 && errno != EINPROGRESS) {
            close(fd);
            fail(req);
            return;
        }
        auto c = std::make_unique<Conn>();
        c->fd = fd;
        c->req = req;
        const size_t index = conns_.size();
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP | EPOLLOUT; // EPOLLOUT: the connect finished
        ev.data.u64 = index;
        epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &ev);
        c->wantOut = true;
        conns_.push_back(std::move(c));
        ++open_;
        ++opened_;
    }

    void dispatch(int64_t i) {
        ++outstanding_;
        while (!idle_.empty()) { // the longest idle first: the load spreads over all connections
            const size_t index = idle_.front();
            idle_.pop_front();
            if (conns_[index]->state == Conn::State::Idle) {
                send(*conns_[index], index, i);
                return;
            }
        }
        if (open_ < opts_.maxConns)
            openConn(i);
        else
            pending_.push_back(i);
    }

    void send(Conn& c, size_t index, int64_t i) {
        c.state = Conn::State::Busy;
        c.req = i;
        c.out = requestText(i);
        c.outOff = 0;
        sendLate_[size_t(i)] = nowNs() - (t0_ + sched_[size_t(i)]);
        flush(c, index);
    }

    void flush(Conn& c, size_t index) {
        while (c.outOff < c.out.size()) {
            const ssize_t w =
                ::send(c.fd, c.out.data() + c.outOff, c.out.size() - c.outOff, MSG_NOSIGNAL);
            if (w > 0) {
                c.outOff += size_t(w);
            } else if (w < 0 && errno == EAGAIN) {
                if (!c.wantOut)
                    setEvents(c, index, true);
                return;
            } else if (w < 0 && errno == EINTR) {
                continue;
            } else {
                drop(c);
                return;
            }
        }
        if (c.wantOut)
            setEvents(c, index, false);
    }

    /// A connection is free: it serves the longest-waiting request, if any, or goes idle.
    void release(Conn& c, size_t index) {
        c.req = -1;
        if (!pending_.empty()) {
            const int64_t i = pending_.front();
            pending_.pop_front();
            send(c, index, i);
            return;
        }
        c.state = Conn::State::Idle;
        idle_.push_back(index);
    }

    void fail(int64_t req) {
        if (req < 0)
            return;
        ++errors_;
        --outstanding_;
    }

    void drop(Conn& c) {
        if (c.state == Conn::State::Dead)
            return;
        fail(c.req);
        c.req = -1;
        close(c.fd);
        c.state = Conn::State::Dead;
        c.in.clear();
        c.in.shrink_to_fit();
        --open_;
        if (!pending_.empty()) { // a request waiting for a connection takes this one's place
            const int64_t i = pending_.front();
            pending_.pop_front();
            openConn(i);
        }
    }

    void handle(size_t index, uint32_t events) {
        Conn& c = *conns_[index];
        if (c.state == Conn::State::Dead)
            return;
        if (c.state == Conn::State::Connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err != 0) {
                drop(c);
                return;
            }
            setEvents(c, index, false);
            if (c.req >= 0)
                send(c, index, c.req);
            else
                release(c, index);
        } else if (c.wantOut && (events & EPOLLOUT)) {
            flush(c, index);
        }
        if (!(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) ||
            c.state == Conn::State::Dead)
            return;
        char buf[16384];
        bool eof = false;
        for (;;) {
            const ssize_t r = recv(c.fd, buf, sizeof buf, 0);
            if (r > 0) {
                c.in.append(buf, size_t(r));
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            eof = r == 0 || errno != EAGAIN;
            break;
        }
        while (c.state == Conn::State::Busy) {
            bool closeAfter = false;
            int status = 0;
            int64_t waitUs = -1, serviceUs = -1;
            if (!takeResponse(c.in, status, closeAfter, waitUs, serviceUs))
                break;
            const int64_t now = nowNs();
            const size_t i = size_t(c.req);
            latency_[i] = double(now - (t0_ + sched_[i])) * 1e-9;
            doneAt_[i] = now - t0_;
            serverWaitUs_[i] = waitUs;
            serverServiceUs_[i] = serviceUs;
            if (status != 200)
                ++non200_;
            --outstanding_;
            c.req = -1;
            if (closeAfter) {
                drop(c);
                return;
            }
            release(c, index);
        }
        if (eof)
            drop(c);
    }

    /// Takes one complete response off `buf` (headers and a Content-Length body), with the
    /// clone's X-Wait-Us and X-Service-Us when present.
    static bool takeResponse(std::string& buf, int& status, bool& closeAfter, int64_t& waitUs,
                             int64_t& serviceUs) {
        const size_t end = buf.find("\r\n\r\n");
        if (end == std::string::npos)
            return false;
        std::string head = buf.substr(0, end);
        std::transform(head.begin(), head.end(), head.begin(),
                       [](unsigned char ch) { return char(std::tolower(ch)); });
        status = head.size() > 12 ? std::atoi(head.c_str() + 9) : 0;
        size_t length = 0;
        if (const size_t p = head.find("\r\ncontent-length:"); p != std::string::npos)
            length = std::strtoull(head.c_str() + p + 17, nullptr, 10);
        closeAfter = head.find("\r\nconnection: close") != std::string::npos;
        if (const size_t p = head.find("\r\nx-wait-us:"); p != std::string::npos)
            waitUs = std::strtoll(head.c_str() + p + 12, nullptr, 10);
        if (const size_t p = head.find("\r\nx-service-us:"); p != std::string::npos)
            serviceUs = std::strtoll(head.c_str() + p + 15, nullptr, 10);
        if (buf.size() < end + 4 + length)
            return false;
        buf.erase(0, end + 4 + length);
        return true;
    }

    void report();

    Options opts_;
    std::vector<int64_t> sched_; ///< ns after t0_
    std::vector<int> keys_;
    std::vector<double> latency_; ///< seconds, scheduled time to the response's end
    std::vector<int64_t> doneAt_; ///< ns after t0_, -1 until answered
    std::vector<int64_t> sendLate_;
    std::vector<int64_t> serverWaitUs_;    ///< the clone's X-Wait-Us, -1 without
    std::vector<int64_t> serverServiceUs_; ///< the clone's X-Service-Us, -1 without
    std::vector<std::unique_ptr<Conn>> conns_;
    std::deque<size_t> idle_;
    std::deque<int64_t> pending_;
    size_t next_ = 0;
    int64_t t0_ = 0;
    int64_t outstanding_ = 0;
    int open_ = 0;
    int64_t opened_ = 0;
    int64_t errors_ = 0;
    int64_t non200_ = 0;
    int epollFd_ = -1;
    int timerFd_ = -1;
};

double percentile(const std::vector<double>& sorted, double q) {
    if (sorted.empty())
        return std::nan("");
    const size_t k = std::min(sorted.size() - 1, size_t(std::ceil(q * double(sorted.size())) - 1));
    return sorted[k];
}

void Generator::report() {
    const int64_t from = int64_t(opts_.warmup * 1e9);
    const int64_t to = int64_t(opts_.duration * 1e9);
    std::vector<double> window; // latencies of the requests scheduled in [warmup, D)
    int64_t doneInWindow = 0, unfinished = 0, late = 0, late10 = 0, notSent = 0;
    double sum = 0, maxLate = 0, sumLate = 0;
    double sumWait = 0, sumService = 0, sumService2 = 0;
    std::vector<double> overhead; // end-to-end minus the clone's wait + service, in the window
    for (size_t i = 0; i < sched_.size(); ++i) {
        if (doneAt_[i] >= from && doneAt_[i] < to)
            ++doneInWindow;
        if (sendLate_[i] < 0) {
            ++notSent;
        } else {
            const double l = double(sendLate_[i]) * 1e-9;
            late += l > opts_.lateMs * 1e-3;
            late10 += l > 10e-3;
            maxLate = std::max(maxLate, l);
            sumLate += l;
        }
        if (sched_[i] < from)
            continue;
        window.push_back(latency_[i]);
        if (std::isinf(latency_[i]))
            ++unfinished;
        else
            sum += latency_[i];
        if (serverWaitUs_[i] >= 0 && serverServiceUs_[i] >= 0) {
            const double w = double(serverWaitUs_[i]) * 1e-6;
            const double sv = double(serverServiceUs_[i]) * 1e-6;
            sumWait += w;
            sumService += sv;
            sumService2 += sv * sv;
            overhead.push_back(latency_[i] - w - sv);
        }
    }
    std::sort(overhead.begin(), overhead.end());
    const double withServer = overhead.empty() ? std::nan("") : double(overhead.size());
    double sumOverhead = 0;
    for (const double o : overhead)
        sumOverhead += o;
    const double meanService = sumService / withServer;
    const double serviceScv =
        (sumService2 / withServer - meanService * meanService) / (meanService * meanService);
    std::sort(window.begin(), window.end());
    const double span = opts_.duration - opts_.warmup;
    const double offered = double(window.size()) / span;
    const double throughput = double(doneInWindow) / span;
    const size_t finished = window.size() - size_t(unfinished);
    const double mean = finished ? sum / double(finished) : std::nan("");
    const double sent = double(sched_.size() - size_t(notSent));
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const double cpu = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                       double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
    const auto ms = [](double s) { return std::isfinite(s) ? s * 1e3 : -1.0; };
    if (opts_.json) {
        std::printf(
            "{\"rate\":%.3f,\"duration_s\":%.3f,\"warmup_s\":%.3f,\"scheduled\":%zu,"
            "\"window_requests\":%zu,\"offered_rate\":%.3f,\"throughput\":%.3f,"
            "\"unfinished\":%lld,\"errors\":%lld,\"non200\":%lld,\"mean_ms\":%.4f,"
            "\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"max_ms\":%.4f,"
            "\"late\":%lld,\"late_10ms\":%lld,\"late_threshold_ms\":%.3f,"
            "\"mean_late_ms\":%.4f,\"max_late_ms\":%.4f,\"conns_opened\":%lld,\"cpu_s\":%.3f,"
            "\"server_wait_ms\":%.4f,\"server_service_ms\":%.4f,\"server_service_scv\":%.4f,"
            "\"overhead_mean_ms\":%.4f,"
            "\"overhead_p50_ms\":%.4f,\"overhead_p99_ms\":%.4f}\n",
            opts_.rate, opts_.duration, opts_.warmup, sched_.size(), window.size(), offered,
            throughput, (long long)unfinished, (long long)errors_, (long long)non200_, ms(mean),
            ms(percentile(window, 0.50)), ms(percentile(window, 0.95)),
            ms(percentile(window, 0.99)), ms(window.empty() ? kInf : window.back()),
            (long long)late, (long long)late10, opts_.lateMs, sent ? sumLate / sent * 1e3 : 0,
            maxLate * 1e3, (long long)opened_, cpu, ms(sumWait / withServer), ms(meanService),
            std::isfinite(serviceScv) ? serviceScv : -1.0, ms(sumOverhead / withServer),
            ms(percentile(overhead, 0.50)), ms(percentile(overhead, 0.99)));
    } else {
        std::printf("scheduled %zu requests at %.1f/s for %.1f s; window [%.1f, %.1f) s: %zu "
                    "requests (offered %.1f/s)\n",
                    sched_.size(), opts_.rate, opts_.duration, opts_.warmup, opts_.duration,
                    window.size(), offered);
        std::printf("achieved throughput %.1f/s; unfinished %lld, errors %lld, non-200 %lld\n",
                    throughput, (long long)unfinished, (long long)errors_, (long long)non200_);
        std::printf("latency from the scheduled time (ms; -1 = unfinished): mean %.3f  p50 %.3f  "
                    "p95 %.3f  p99 %.3f  max %.3f\n",
                    ms(mean), ms(percentile(window, 0.50)), ms(percentile(window, 0.95)),
                    ms(percentile(window, 0.99)), ms(window.empty() ? kInf : window.back()));
        std::printf("sent late (> %.1f ms): %lld, > 10 ms: %lld; mean lateness %.3f ms, max %.3f "
                    "ms; connections opened %lld; cpu %.3f s\n",
                    opts_.lateMs, (long long)late, (long long)late10,
                    sent ? sumLate / sent * 1e3 : 0, maxLate * 1e3, (long long)opened_, cpu);
        if (!overhead.empty())
            std::printf("server side (X-Wait-Us, X-Service-Us): mean wait %.3f ms, mean service "
                        "%.3f ms (SCV %.3f); the rest (balancer, network, client): mean %.3f ms, "
                        "p50 %.3f, p99 %.3f ms\n",
                        ms(sumWait / withServer), ms(meanService), serviceScv,
                        ms(sumOverhead / withServer), ms(percentile(overhead, 0.50)),
                        ms(percentile(overhead, 0.99)));
    }
}

} // namespace

int main(int argc, char** argv) {
    const Options opts = parseOptions(argc, argv);
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL); // timerfd wake-ups within a few us
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    signal(SIGPIPE, SIG_IGN);
    Generator(opts).run();
    return 0;
}
