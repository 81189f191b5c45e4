// One clone of the fleet benchmark (issue 6): an HTTP/1.1 server with exactly W worker threads
// behind one FCFS queue, the pool that core/analysis/fleet models as GI/G/c.
//
// An epoll thread accepts connections, reads requests and appends each complete request to the
// queue; workers take requests in arrival order, "work" for a service time drawn from the chosen
// distribution and answer 200. Idle keep-alive connections therefore hold no worker: W is the
// concurrency of work, and only queued requests wait.
//
// The work is a sleep to an absolute deadline (clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME,
// timer slack 1 ns), not a CPU loop: on a 2-core machine shared with nginx and the load
// generator, burning CPU would make the cores, not the W workers, the bottleneck being measured.
//
//   clone_server --port P --workers W --service-ms MEAN --dist exp|const|gamma [--scv X]
//                [--seed S] [--id NAME] [--backend-port B [--backend-calls K] [--call-first]]
// gamma: mean MEAN and squared coefficient of variation X (shape 1/X); exp has SCV 1 and const 0.
// Each response carries X-Wait-Us and X-Service-Us: its queue wait and its sleep as it really
// ended. GET /stats is answered by the epoll thread (no worker, no queue) with the counts since
// the previous /stats as one JSON line; SIGTERM or SIGINT prints the totals and CPU time.
//
// --backend-port B makes this clone the front of a two-tier fleet (layered pools, methodology
// section 4): for each request a worker sleeps its own service time, then makes K (default 1)
// synchronous HTTP GETs to 127.0.0.1:B one after the other, and only then answers, so the worker
// is held for its sleep plus the backend's whole responses. --call-first calls before the sleep.
// Each worker has its own persistent keep-alive connection to B (a blocking socket, the response
// read by its Content-Length; on an error it reconnects and retries the call, up to 3 tries).
// X-Service-Us is then the whole holding time (sleep + calls) and X-Call-Us the calls' part;
// /stats adds mean_sleep_ms, mean_call_ms and call_errors.
//
// Build: g++ -O2 -std=c++20 -pthread clone_server.cpp -o clone_server
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <random>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

int64_t nowNs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

void sleepUntilNs(int64_t deadline) {
    const timespec ts{static_cast<time_t>(deadline / 1'000'000'000),
                      static_cast<long>(deadline % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
}

[[noreturn]] void die(const char* what) {
    std::perror(what);
    std::exit(1);
}

struct Options {
    int port = 0;
    int workers = 4;
    double serviceMs = 20;
    std::string dist = "exp";
    double scv = 1;
    uint64_t seed = 1;
    std::string id = "clone";
    int backendPort = 0; ///< 0: no backend
    int backendCalls = 1;
    bool callFirst = false;
};

Options parseOptions(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const auto value = [&]() -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", argv[i]);
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--port")
            o.port = std::atoi(value());
        else if (a == "--workers")
            o.workers = std::atoi(value());
        else if (a == "--service-ms")
            o.serviceMs = std::atof(value());
        else if (a == "--dist")
            o.dist = value();
        else if (a == "--scv")
            o.scv = std::atof(value());
        else if (a == "--seed")
            o.seed = std::strtoull(value(), nullptr, 10);
        else if (a == "--id")
            o.id = value();
        else if (a == "--backend-port")
            o.backendPort = std::atoi(value());
        else if (a == "--backend-calls")
            o.backendCalls = std::atoi(value());
        else if (a == "--call-first")
            o.callFirst = true;
        else {
            std::fprintf(stderr, "usage: clone_server --port P --workers W --service-ms MEAN "
                                 "--dist exp|const|gamma [--scv X] [--seed S] [--id NAME] "
                                 "[--backend-port B [--backend-calls K] [--call-first]]\n");
            std::exit(2);
        }
    }
    if (o.port <= 0 || o.workers < 1 || !(o.serviceMs > 0) || !(o.scv >= 0) ||
        o.backendPort < 0 || o.backendCalls < 0 ||
        (o.dist != "exp" && o.dist != "const" && o.dist != "gamma")) {
        std::fprintf(stderr, "clone_server: bad options (see the usage in the source)\n");
        std::exit(2);
    }
    return o;
}

/// Draws service times in seconds with the configured mean and variability.
class ServiceTime {
  public:
    ServiceTime(const Options& o, uint64_t seed) : mean_(o.serviceMs / 1000), rng_(seed) {
        if (o.dist == "exp")
            kind_ = Kind::Exp;
        else if (o.dist == "const" || o.scv == 0)
            kind_ = Kind::Const;
        else { // gamma with SCV X: shape 1/X, scale mean * X
            kind_ = Kind::Gamma;
            gamma_ = std::gamma_distribution<double>(1 / o.scv, mean_ * o.scv);
        }
    }
    double draw() {
        switch (kind_) {
        case Kind::Exp:
            return std::exponential_distribution<double>(1 / mean_)(rng_);
        case Kind::Gamma:
            return gamma_(rng_);
        case Kind::Const:
            break;
        }
        return mean_;
    }

  private:
    enum class Kind { Exp, Const, Gamma };
    double mean_;
    std::mt19937_64 rng_;
    Kind kind_ = Kind::Const;
    std::gamma_distribution<double> gamma_;
};

/// One client connection. Exactly one thread owns it at a time: the epoll thread while it is
/// armed (EPOLLONESHOT) or being read, a worker while its request is queued or served.
struct Conn {
    int fd = -1;
    std::string in;
};

struct Request {
    Conn* conn = nullptr;
    bool closeAfter = false;
    int64_t enqueuedNs = 0;
};

enum class Parse { Incomplete, Complete, Bad };

/// Takes the first complete request off `buf`; sets `closeAfter` from the version and the
/// Connection header and `path` from the request line. A body is skipped by Content-Length.
Parse takeRequest(std::string& buf, bool& closeAfter, std::string& path) {
    const size_t end = buf.find("\r\n\r\n");
    if (end == std::string::npos)
        return buf.size() > 65536 ? Parse::Bad : Parse::Incomplete;
    const std::string_view head(buf.data(), end);
    const size_t lineEnd = head.find("\r\n");
    const std::string_view line = head.substr(0, lineEnd);
    const size_t sp1 = line.find(' ');
    const size_t sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1)
        return Parse::Bad;
    path.assign(line.substr(sp1 + 1, sp2 - sp1 - 1));
    closeAfter = line.substr(sp2 + 1) != "HTTP/1.1";
    size_t bodyLength = 0;
    size_t pos = lineEnd == std::string_view::npos ? head.size() : lineEnd + 2;
    while (pos < head.size()) {
        size_t next = head.find("\r\n", pos);
        if (next == std::string_view::npos)
            next = head.size();
        std::string h(head.substr(pos, next - pos));
        std::transform(h.begin(), h.end(), h.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        if (h.starts_with("content-length:"))
            bodyLength = std::strtoull(h.c_str() + 15, nullptr, 10);
        else if (h.starts_with("connection:"))
            closeAfter = h.find("close") != std::string::npos ||
                         (closeAfter && h.find("keep-alive") == std::string::npos);
        pos = next + 2;
    }
    if (buf.size() < end + 4 + bodyLength)
        return Parse::Incomplete;
    buf.erase(0, end + 4 + bodyLength);
    return Parse::Complete;
}

bool writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n > 0) {
            data.remove_prefix(static_cast<size_t>(n));
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            pollfd p{fd, POLLOUT, 0};
            poll(&p, 1, 1000);
        } else {
            return false;
        }
    }
    return true;
}

/// One worker's synchronous client of the backend: a blocking keep-alive connection to
/// 127.0.0.1:port, one request at a time, the response read by its Content-Length.
class BackendClient {
  public:
    explicit BackendClient(int port) : port_(port) {}
    ~BackendClient() { disconnect(); }
    BackendClient(const BackendClient&) = delete;
    BackendClient& operator=(const BackendClient&) = delete;

    /// One GET /; true on a 200 answer. Counts failed tries in `errors`.
    bool call(uint64_t& errors) {
        for (int attempt = 0; attempt < 3; ++attempt) {
            if (fd_ < 0 && !connectNow()) {
                ++errors;
                continue;
            }
            int status = 0;
            if (writeAllBlocking(kRequest) && readResponse(status) && status == 200)
                return true;
            ++errors;
            disconnect();
        }
        return false;
    }

  private:
    static constexpr std::string_view kRequest =
        "GET / HTTP/1.1\r\nHost: backend\r\nConnection: keep-alive\r\n\r\n";

    bool connectNow() {
        fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0)
            return false;
        const int one = 1;
        setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port_));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
            disconnect();
            return false;
        }
        buf_.clear();
        return true;
    }

    void disconnect() {
        if (fd_ >= 0)
            close(fd_);
        fd_ = -1;
        buf_.clear();
    }

    bool writeAllBlocking(std::string_view data) {
        while (!data.empty()) {
            const ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n > 0)
                data.remove_prefix(static_cast<size_t>(n));
            else if (n < 0 && errno == EINTR)
                continue;
            else
                return false;
        }
        return true;
    }

    bool readResponse(int& status) {
        char tmp[4096];
        size_t headEnd = std::string::npos;
        size_t need = 0;
        bool closeAfter = false;
        for (;;) {
            if (headEnd == std::string::npos) {
                headEnd = buf_.find("\r\n\r\n");
                if (headEnd != std::string::npos) {
                    std::string head = buf_.substr(0, headEnd);
                    std::transform(head.begin(), head.end(), head.begin(), [](unsigned char ch) {
                        return static_cast<char>(std::tolower(ch));
                    });
                    if (!head.starts_with("http/1."))
                        return false;
                    const size_t sp = head.find(' ');
                    status = sp == std::string::npos ? 0 : std::atoi(head.c_str() + sp + 1);
                    const size_t cl = head.find("\r\ncontent-length:");
                    if (cl == std::string::npos)
                        return false; // clone_server always sends one
                    need = headEnd + 4 + std::strtoull(head.c_str() + cl + 17, nullptr, 10);
                    closeAfter = head.find("\r\nconnection: close") != std::string::npos;
                }
            }
            if (headEnd != std::string::npos && buf_.size() >= need) {
                buf_.erase(0, need);
                if (closeAfter)
                    disconnect();
                return true;
            }
            const ssize_t r = recv(fd_, tmp, sizeof tmp, 0);
            if (r > 0)
                buf_.append(tmp, size_t(r));
            else if (r < 0 && errno == EINTR)
                continue;
            else
                return false;
        }
    }

    int port_;
    int fd_ = -1;
    std::string buf_;
};

/// Counters since the previous /stats, and since the start.
struct Stats {
    uint64_t served = 0;
    double waitS = 0;    ///< in the queue, enqueue to a worker taking it
    double serviceS = 0; ///< a worker held the request: sleep plus the response write
    double drawnS = 0;   ///< service times drawn
    double sleepS = 0;   ///< own sleeps as they ended
    double callS = 0;    ///< synchronous backend calls, all K of a request together
    uint64_t callErrors = 0;
    size_t maxQueue = 0; ///< longest queue seen
};

class Server {
  public:
    explicit Server(Options o) : opts_(std::move(o)) {}

    void run() {
        listenFd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (listenFd_ < 0)
            die("socket");
        const int one = 1;
        setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(opts_.port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
            die("bind");
        if (listen(listenFd_, 4096) < 0)
            die("listen");
        epollFd_ = epoll_create1(EPOLL_CLOEXEC);
        if (epollFd_ < 0)
            die("epoll_create1");
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = nullptr; // the listening socket
        epoll_ctl(epollFd_, EPOLL_CTL_ADD, listenFd_, &ev);

        for (int w = 0; w < opts_.workers; ++w)
            std::thread([this, w] { work(opts_.seed * 1000003u + uint64_t(w)); }).detach();
        std::thread([this] { pollLoop(); }).detach();
        std::fprintf(stderr,
                     "%s: 127.0.0.1:%d, %d workers, %s service, mean %.3f ms, scv %g, backend %d "
                     "x%d%s\n",
                     opts_.id.c_str(), opts_.port, opts_.workers, opts_.dist.c_str(),
                     opts_.serviceMs,
                     opts_.dist == "exp"     ? 1.0
                     : opts_.dist == "const" ? 0
                                             : opts_.scv,
                     opts_.backendPort, opts_.backendPort > 0 ? opts_.backendCalls : 0,
                     opts_.callFirst ? " (calls first)" : "");
    }

    std::string statsJson(bool sinceStart) {
        std::lock_guard lock(statsMutex_);
        Stats& s = sinceStart ? total_ : interval_;
        const double n = s.served ? double(s.served) : 1;
        char buf[512];
        std::snprintf(buf, sizeof buf,
                      "{\"id\":\"%s\",\"workers\":%d,\"served\":%llu,\"mean_wait_ms\":%.4f,"
                      "\"mean_service_ms\":%.4f,\"mean_drawn_ms\":%.4f,\"max_queue\":%zu,"
                      "\"mean_sleep_ms\":%.4f,\"mean_call_ms\":%.4f,\"call_errors\":%llu}",
                      opts_.id.c_str(), opts_.workers, static_cast<unsigned long long>(s.served),
                      s.waitS / n * 1e3, s.serviceS / n * 1e3, s.drawnS / n * 1e3, s.maxQueue,
                      s.sleepS / n * 1e3, s.callS / n * 1e3,
                      static_cast<unsigned long long>(s.callErrors));
        if (!sinceStart)
            interval_ = Stats{};
        return buf;
    }

  private:
    void enqueue(Conn* c, bool closeAfter) {
        {
            std::lock_guard lock(queueMutex_);
            queue_.push_back({c, closeAfter, nowNs()});
            const size_t len = queue_.size();
            std::lock_guard slock(statsMutex_);
            interval_.maxQueue = std::max(interval_.maxQueue, len);
            total_.maxQueue = std::max(total_.maxQueue, len);
        }
        queueReady_.notify_one();
    }

    void arm(Conn* c) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
        ev.data.ptr = c;
        if (epoll_ctl(epollFd_, EPOLL_CTL_MOD, c->fd, &ev) < 0)
            closeConn(c);
    }

    static void closeConn(Conn* c) {
        close(c->fd);
        delete c; // owned by exactly one thread at a time, see Conn
    }

    /// Hands the next complete request in the buffer to the queue, or re-arms the connection.
    /// Returns false when the connection was closed.
    bool dispatch(Conn* c) {
        for (;;) {
            bool closeAfter = false;
            std::string path;
            const Parse p = takeRequest(c->in, closeAfter, path);
            if (p == Parse::Bad) {
                closeConn(c);
                return false;
            }
            if (p == Parse::Incomplete) {
                arm(c);
                return true;
            }
            if (path.starts_with("/stats")) { // answered here, off the measured pool
                const std::string body = statsJson(path == "/stats/total") + "\n";
                const std::string resp = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                         "Content-Length: " +
                                         std::to_string(body.size()) + "\r\n\r\n" + body;
                if (!writeAll(c->fd, resp) || closeAfter) {
                    closeConn(c);
                    return false;
                }
                continue;
            }
            enqueue(c, closeAfter);
            return true;
        }
    }

    void pollLoop() {
        std::vector<epoll_event> events(256);
        char buf[16384];
        for (;;) {
            const int n = epoll_wait(epollFd_, events.data(), int(events.size()), -1);
            for (int i = 0; i < n; ++i) {
                auto* c = static_cast<Conn*>(events[size_t(i)].data.ptr);
                if (!c) {
                    acceptAll();
                    continue;
                }
                bool eof = false;
                for (;;) {
                    const ssize_t r = recv(c->fd, buf, sizeof buf, 0);
                    if (r > 0) {
                        c->in.append(buf, size_t(r));
                        continue;
                    }
                    if (r == 0 || (errno != EAGAIN && errno != EINTR))
                        eof = true;
                    if (r < 0 && errno == EINTR)
                        continue;
                    break;
                }
                if (eof && c->in.find("\r\n\r\n") == std::string::npos) {
                    closeConn(c);
                    continue;
                }
                dispatch(c); // a half-closed client still gets its answer
            }
        }
    }

    void acceptAll() {
        for (;;) {
            const int fd = accept4(listenFd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
                return;
            const int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            auto* c = new Conn{fd, {}};
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
            ev.data.ptr = c;
            if (epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &ev) < 0)
                closeConn(c);
        }
    }

    void work(uint64_t seed) {
        ServiceTime service(opts_, seed);
        std::optional<BackendClient> backend;
        if (opts_.backendPort > 0)
            backend.emplace(opts_.backendPort);
        char response[320];
        for (;;) {
            Request req;
            {
                std::unique_lock lock(queueMutex_);
                queueReady_.wait(lock, [this] { return !queue_.empty(); });
                req = queue_.front();
                queue_.pop_front();
            }
            const int64_t start = nowNs();
            const double drawn = service.draw();
            int64_t callNs = 0;
            uint64_t callErrors = 0;
            bool callsOk = true;
            const auto callBackend = [&] {
                if (!backend)
                    return;
                const int64_t t = nowNs();
                for (int k = 0; k < opts_.backendCalls; ++k)
                    callsOk = backend->call(callErrors) && callsOk;
                callNs += nowNs() - t;
            };
            if (opts_.callFirst)
                callBackend();
            const int64_t sleepStart = nowNs();
            sleepUntilNs(sleepStart + int64_t(drawn * 1e9));
            const int64_t sleepNs = nowNs() - sleepStart;
            if (!opts_.callFirst)
                callBackend();
            // The clone's own view of this request, for the generator to subtract from its
            // end-to-end latency (nginx passes these headers through).
            const int len =
                std::snprintf(response, sizeof response,
                              "HTTP/1.1 %s\r\nContent-Type: text/plain\r\nX-Wait-Us: %lld\r\n"
                              "X-Service-Us: %lld\r\nX-Call-Us: %lld\r\n%sContent-Length: 3\r\n"
                              "\r\nok\n",
                              callsOk ? "200 OK" : "502 Bad Gateway",
                              static_cast<long long>((start - req.enqueuedNs) / 1000),
                              static_cast<long long>((nowNs() - start) / 1000),
                              static_cast<long long>(callNs / 1000),
                              req.closeAfter ? "Connection: close\r\n" : "");
            const bool ok = writeAll(req.conn->fd, std::string_view(response, size_t(len)));
            const int64_t end = nowNs();
            {
                std::lock_guard lock(statsMutex_);
                for (Stats* s : {&interval_, &total_}) {
                    ++s->served;
                    s->waitS += double(start - req.enqueuedNs) * 1e-9;
                    s->serviceS += double(end - start) * 1e-9;
                    s->drawnS += drawn;
                    s->sleepS += double(sleepNs) * 1e-9;
                    s->callS += double(callNs) * 1e-9;
                    s->callErrors += callErrors;
                }
            }
            if (!ok || req.closeAfter)
                closeConn(req.conn);
            else
                dispatch(req.conn); // a pipelined request goes to the back of the queue
        }
    }

    Options opts_;
    int listenFd_ = -1;
    int epollFd_ = -1;
    std::mutex queueMutex_;
    std::condition_variable queueReady_;
    std::deque<Request> queue_; // FCFS: one queue for all workers
    std::mutex statsMutex_;
    Stats interval_;
    Stats total_;
};

} // namespace

int main(int argc, char** argv) {
    const Options opts = parseOptions(argc, argv);
    // Timer slack is inherited by the threads created below: 1 ns instead of the default 50 us.
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    // Only this thread takes SIGTERM/SIGINT (the mask is inherited by the threads).
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    signal(SIGPIPE, SIG_IGN);

    static Server server(opts); // never destroyed: the workers block forever, exit ends them
    server.run();
    int sig = 0;
    sigwait(&stop, &sig);
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const double cpu = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                       double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
    std::fprintf(stderr, "%s total %s cpu_s %.3f\n", opts.id.c_str(),
                 server.statsJson(true).c_str(), cpu);
    std::fflush(stderr);
    _exit(0);
}
