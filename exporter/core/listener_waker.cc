#include "exporter/core/listener_waker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace smoke::core {
namespace {

// A loopback connect either completes or is refused at once; the socket is closed right away.
void Poke(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  ::close(fd);
}

}  // namespace

ListenerWaker::ListenerWaker(std::vector<int> ports)
    : thread_([this, ports = std::move(ports)] {
        while (!done_.load()) {
          for (int port : ports) Poke(port);
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }) {}

ListenerWaker::~ListenerWaker() {
  done_ = true;
  thread_.join();
}

}  // namespace smoke::core
