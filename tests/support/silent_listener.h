#pragma once
// A blackholed target: a socket on 127.0.0.1:<random port> that listens but never accepts or
// answers. Connects beyond its one-slot backlog hang in SYN retries, and those inside it wait
// for a response that never comes, so every request to it lasts until the client's timeout.

#include <string>

namespace smoke::testing {

class SilentListener {
 public:
  SilentListener();  // throws std::runtime_error if the socket cannot listen
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>".
  std::string base_url() const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace smoke::testing
