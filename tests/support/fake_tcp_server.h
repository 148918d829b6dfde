#pragma once
// A raw TCP server on 127.0.0.1:<random port> for faults CivetWeb cannot produce: garbage instead
// of HTTP, closing or resetting right after accept, never answering, answering slowly, or
// speaking a line protocol for tcp probes. Each accepted connection runs the handler on its own
// thread.
// Thread-safety: construct, use and destroy from one test thread; handlers run concurrently.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace smoke::testing {

class FakeTcpServer {
 public:
  class Connection {
   public:
    int fd() const { return fd_; }
    // Writes everything (ignores errors: the peer may already be gone).
    void Write(std::string_view data);
    // Reads until `marker` was received, the peer closed, or `timeout`; returns what arrived.
    std::string ReadUntil(std::string_view marker,
                          std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // Closes with an RST instead of a FIN (SO_LINGER 0).
    void Reset();
    void Close();
    // Blocks until the server is being destroyed (or `max` passed): "never answer".
    void WaitForStop(std::chrono::milliseconds max = std::chrono::seconds(30));

   private:
    friend class FakeTcpServer;
    Connection(FakeTcpServer* server, int fd) : server_(server), fd_(fd) {}
    FakeTcpServer* server_;
    int fd_;
  };
  using Handler = std::function<void(Connection& conn)>;

  // The connection is closed when the handler returns (unless it closed or reset it).
  explicit FakeTcpServer(Handler handler);
  // Stops accepting, wakes handlers blocked in WaitForStop or ReadUntil, joins them.
  ~FakeTcpServer();
  FakeTcpServer(const FakeTcpServer&) = delete;
  FakeTcpServer& operator=(const FakeTcpServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:<port>"
  std::string address() const;
  int accepted() const { return accepted_.load(); }

  // A loopback port with nothing listening: bound to port 0, then closed.
  static int UnusedPort();

 private:
  void AcceptLoop();
  void Serve(int fd);
  bool stopping() const { return stopping_.load(); }

  Handler handler_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  std::vector<std::thread> workers_;
  std::vector<int> open_fds_;
};

}  // namespace smoke::testing
