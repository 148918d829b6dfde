#include "exporter/clients/redis_client.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "exporter/clients/redis_resolver.h"

namespace smoke::clients {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// The time left, at least 1 ms: hiredis treats a zero timeout as "none" in some paths.
timeval TimeLeft(SteadyTime deadline) {
  auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - steady_clock::now());
  left = std::max(left, std::chrono::microseconds(1000));
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(left.count() / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(left.count() % 1000000);
  return tv;
}

TransportStatus Failure(TransportError error, std::string message, int os_errno = 0) {
  TransportStatus s;
  s.error = error;
  s.message = std::move(message);
  s.os_errno = os_errno;
  return s;
}

// hiredis reports a failed connect as err = REDIS_ERR_IO with errstr = strerror(errno) (and sets
// errno itself to ETIMEDOUT when its poll() expires). errno is read right after the call; errstr
// is the fallback when something in between clobbered it.
TransportStatus ConnectFailure(const redisContext& c, int saved_errno, bool unix_socket) {
  const std::string text = c.errstr;
  auto is = [&](int code) { return saved_errno == code || text == std::strerror(code); };
  if (c.err == REDIS_ERR_IO) {
    if (is(ECONNREFUSED)) return Failure(TransportError::kConnectionRefused, text, ECONNREFUSED);
    // Redis unlinks its socket on shutdown: a missing socket file means nobody listens.
    if (unix_socket && is(ENOENT)) {
      return Failure(TransportError::kConnectionRefused, text + " (no socket at this path)",
                     ENOENT);
    }
    if (is(ETIMEDOUT) || is(EAGAIN) || is(EINPROGRESS)) {
      return Failure(TransportError::kTimeout, "connect timed out", ETIMEDOUT);
    }
    return Failure(TransportError::kConnect, text, saved_errno);
  }
  return Failure(TransportError::kConnect, text, saved_errno);
}

// 1: ready, 0: the deadline passed, -1: poll failed (errno set).
int WaitFor(int fd, short events, SteadyTime deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
    // Round up so that we do not spin with 0 ms waits in the last millisecond.
    const int timeout_ms = left.count() <= 0 ? 0 : static_cast<int>(left.count()) + 1;
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, timeout_ms);
    if (rc > 0) return 1;
    if (rc == 0) {
      if (steady_clock::now() >= deadline) return 0;
      continue;
    }
    if (errno != EINTR) return -1;
  }
}

RedisReply Convert(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < r.elements; ++i) out.elements.push_back(Convert(*r.element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

// hiredis writes with write(), so a server that closed the connection would kill the whole
// exporter with SIGPIPE. As libpq does, SIGPIPE is blocked for this thread during the write and a
// SIGPIPE our write raised is consumed before it is unblocked again.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    ::sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    ::pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~ScopedSigpipeBlock() {
    if (write_failed_with_epipe_ && !was_pending_) {
      const timespec zero{};
      ::sigtimedwait(&pipe_, nullptr, &zero);
    }
    ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

  void NoteEpipe() { write_failed_with_epipe_ = true; }

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
  bool write_failed_with_epipe_ = false;
};

struct ReplyDeleter {
  void operator()(void* r) const { ::freeReplyObject(r); }
};

}  // namespace

std::string_view RedisReply::ErrorCode() const {
  if (type != Type::kError) return {};
  std::string_view t = text;
  return t.substr(0, t.find(' '));
}

void RedisConnection::ContextDeleter::operator()(redisContext* c) const { ::redisFree(c); }

RedisConnection::RedisConnection() = default;
RedisConnection::~RedisConnection() = default;

TransportStatus RedisConnection::ConnectTcp(const std::string& host, int port,
                                            SteadyTime deadline) {
  context_.reset();
  std::vector<std::string> addresses;
  TransportStatus resolved = ResolveHost(host, deadline, &addresses);
  if (!resolved.ok()) return resolved;
  TransportStatus last;
  for (const std::string& ip : addresses) {
    if (steady_clock::now() >= deadline) {
      return Failure(TransportError::kTimeout, "connect timed out", ETIMEDOUT);
    }
    address_ = ip.find(':') != std::string::npos ? "[" + ip + "]:" + std::to_string(port)
                                                 : ip + ":" + std::to_string(port);
    errno = 0;
    redisContext* c = ::redisConnectWithTimeout(ip.c_str(), port, TimeLeft(deadline));
    const int saved_errno = errno;
    if (c == nullptr) return Failure(TransportError::kInternal, "out of memory");
    std::unique_ptr<redisContext, ContextDeleter> owned(c);
    if (c->err == 0) {
      context_ = std::move(owned);
      return {};
    }
    last = ConnectFailure(*c, saved_errno, false);
    last.message = "connect to " + address_ + ": " + last.message;
    // Another address may work (localhost: ::1 refused, 127.0.0.1 listening); a timeout has used
    // up the deadline.
    if (last.error == TransportError::kTimeout) break;
  }
  return last;
}

TransportStatus RedisConnection::ConnectUnix(const std::string& path, SteadyTime deadline) {
  context_.reset();
  address_ = path;
  errno = 0;
  redisContext* c = ::redisConnectUnixWithTimeout(path.c_str(), TimeLeft(deadline));
  const int saved_errno = errno;
  if (c == nullptr) return Failure(TransportError::kInternal, "out of memory");
  std::unique_ptr<redisContext, ContextDeleter> owned(c);
  if (c->err != 0) {
    TransportStatus s = ConnectFailure(*c, saved_errno, true);
    s.message = "connect to unix socket " + path + ": " + s.message;
    return s;
  }
  context_ = std::move(owned);
  return {};
}

TransportStatus RedisConnection::Command(const std::vector<std::string>& argv, SteadyTime deadline,
                                         RedisReply* reply) {
  *reply = RedisReply{};
  if (!context_) return Failure(TransportError::kInternal, "not connected");
  redisContext* c = context_.get();
  // Bounds the (non-blocking in practice) read() and write() calls below as well.
  ::redisSetTimeout(c, TimeLeft(deadline));

  std::vector<const char*> args;
  std::vector<size_t> lengths;
  for (const std::string& a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  if (::redisAppendCommandArgv(c, static_cast<int>(args.size()), args.data(), lengths.data()) !=
      REDIS_OK) {
    context_.reset();
    return Failure(TransportError::kInternal, "cannot format the command (out of memory)");
  }

  auto fail = [&](TransportStatus s) {
    context_.reset();  // the stream is out of step with our commands now
    return s;
  };
  auto io_failure = [&](const char* what) {
    const int e = errno;
    if (c->err == REDIS_ERR_EOF) {
      return fail(Failure(TransportError::kConnect, "the server closed the connection"));
    }
    if (c->err == REDIS_ERR_PROTOCOL) {
      return fail(
          Failure(TransportError::kProtocol, std::string("not a Redis reply (") + c->errstr + ")"));
    }
    if (c->err == REDIS_ERR_IO && (e == EAGAIN || e == EWOULDBLOCK || e == ETIMEDOUT)) {
      return fail(Failure(TransportError::kTimeout,
                          std::string("timed out ") + what + " before the deadline", e));
    }
    const std::string detail = c->err != 0 ? c->errstr : std::strerror(e);
    return fail(Failure(TransportError::kConnect, std::string(what) + ": " + detail, e));
  };

  int done = 0;
  while (!done) {
    const int ready = WaitFor(c->fd, POLLOUT, deadline);
    if (ready == 0) {
      return fail(Failure(TransportError::kTimeout, "timed out sending the command", ETIMEDOUT));
    }
    if (ready < 0) return io_failure("sending the command");
    ScopedSigpipeBlock no_sigpipe;
    if (::redisBufferWrite(c, &done) != REDIS_OK) {
      const int e = errno;
      if (e == EPIPE) no_sigpipe.NoteEpipe();
      errno = e;
      return io_failure("sending the command");
    }
  }

  void* raw = nullptr;
  for (;;) {
    if (::redisGetReplyFromReader(c, &raw) != REDIS_OK) return io_failure("reading the reply");
    if (raw != nullptr) break;
    const int ready = WaitFor(c->fd, POLLIN, deadline);
    if (ready == 0) {
      return fail(Failure(TransportError::kTimeout,
                          "no complete reply before the deadline (the server did not answer)",
                          ETIMEDOUT));
    }
    if (ready < 0) return io_failure("waiting for the reply");
    if (::redisBufferRead(c) != REDIS_OK) return io_failure("reading the reply");
  }
  std::unique_ptr<void, ReplyDeleter> owned(raw);
  *reply = Convert(*static_cast<redisReply*>(raw));
  return {};
}

}  // namespace smoke::clients
