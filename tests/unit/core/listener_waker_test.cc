#include "exporter/core/listener_waker.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace smoke::core {
namespace {

// A loopback listener on an ephemeral port; closes its socket on destruction.
struct Listener {
  Listener() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ~Listener() { ::close(fd); }
  // What a server's accept loop sees: poll() reporting a pending connection.
  bool ConnectionArrivesWithin(int timeout_ms) const {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN) != 0;
  }
  int fd = -1;
  int port = 0;
};

TEST(ListenerWakerTest, WakesAPollingAcceptLoopOnEveryPort) {
  Listener a, b;
  ASSERT_GT(a.port, 0);
  ASSERT_FALSE(a.ConnectionArrivesWithin(0));
  ListenerWaker waker({a.port, b.port});
  // Far below CivetWeb's 2 s poll quantum; generous for a loaded CI machine.
  EXPECT_TRUE(a.ConnectionArrivesWithin(1000));
  EXPECT_TRUE(b.ConnectionArrivesWithin(1000));
}

}  // namespace
}  // namespace smoke::core
