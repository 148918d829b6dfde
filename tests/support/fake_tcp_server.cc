#include "tests/support/fake_tcp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace smoke::testing {
namespace {

int ListenLoopback(int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 64) != 0) {
    close(fd);
    throw std::runtime_error("bind/listen failed");
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

void FakeTcpServer::Connection::Write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::string FakeTcpServer::Connection::ReadUntil(std::string_view marker,
                                                 std::chrono::milliseconds timeout) {
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (got.find(marker) == std::string::npos && !server_->stopping()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd_, POLLIN, 0};
    // Short slices so a stopping server is noticed promptly.
    const int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 50)));
    if (ready <= 0) continue;
    char buf[4096];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

void FakeTcpServer::Connection::Reset() {
  if (fd_ < 0) return;
  linger lin{1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lin, sizeof lin);
  Close();
}

void FakeTcpServer::Connection::Close() {
  if (fd_ < 0) return;
  {
    std::lock_guard lock(server_->mu_);
    auto& fds = server_->open_fds_;
    fds.erase(std::remove(fds.begin(), fds.end(), fd_), fds.end());
  }
  close(fd_);
  fd_ = -1;
}

void FakeTcpServer::Connection::WaitForStop(std::chrono::milliseconds max) {
  std::unique_lock lock(server_->mu_);
  server_->stop_cv_.wait_for(lock, max, [this] { return server_->stopping(); });
}

FakeTcpServer::FakeTcpServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ListenLoopback(&port_);
  if (pipe2(wake_pipe_, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

FakeTcpServer::~FakeTcpServer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    // Unblocks handlers stuck in recv/send on their connection.
    for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);
  }
  stop_cv_.notify_all();
  const char byte = 0;
  (void)!write(wake_pipe_[1], &byte, 1);
  acceptor_.join();
  for (std::thread& t : workers_) t.join();
  close(listen_fd_);
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
}

std::string FakeTcpServer::address() const { return "127.0.0.1:" + std::to_string(port_); }

int FakeTcpServer::UnusedPort() {
  int port = 0;
  close(ListenLoopback(&port));
  return port;
}

void FakeTcpServer::AcceptLoop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (stopping() || (fds[1].revents & POLLIN)) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++accepted_;
    std::lock_guard lock(mu_);
    if (stopping()) {
      close(fd);
      return;
    }
    open_fds_.push_back(fd);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void FakeTcpServer::Serve(int fd) {
  Connection conn(this, fd);
  handler_(conn);
  conn.Close();
}

}  // namespace smoke::testing
