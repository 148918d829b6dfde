#pragma once
// A blackholed target: a TCP socket on 127.0.0.1:<free port> that listens but never accepts or
// answers. Its tiny backlog fills at once, after which the kernel drops further SYNs, so a probe
// of it hangs in connect (or, for the couple of connections that got queued, waiting for a
// response) until its own deadline: what a firewalled or dead host looks like to a prober,
// without sending packets off the machine.
// Thread-safety: immutable after construction.

#include <string>

namespace smoke::bench {

class BlackholeListener {
 public:
  BlackholeListener();  // throws std::runtime_error if it cannot bind
  ~BlackholeListener();
  BlackholeListener(const BlackholeListener&) = delete;
  BlackholeListener& operator=(const BlackholeListener&) = delete;

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace smoke::bench
