#pragma once
// A thin RAII adapter over one hiredis connection. redis_client.cc is the only file that includes
// hiredis; this header only names redisContext. Probes see plain replies and classified transport
// errors, never a hiredis type.
//
// Every call takes a deadline and returns by then, whatever the server does: names are resolved
// with a deadline (redis_resolver.h), the connect timeout is the time left, and a command waits
// for its reply with poll() on the socket rather than with a socket timeout per read(), so a
// server that trickles a reply byte by byte cannot stretch a probe either.
//
// Error *replies* (-NOAUTH, -WRONGPASS, -OOM, ...) are not transport errors: Command succeeds and
// the reply has type kError. Commands are sent with redisCommandArgv semantics (binary-safe, no
// format string), so a key or password can hold any byte.
// Thread-safety: not thread-safe; one connection per probe run.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/clients/transport.h"

struct redisContext;

namespace smoke::clients {

struct RedisReply {
  enum class Type { kString, kStatus, kInteger, kNil, kArray, kError };
  Type type = Type::kNil;
  std::string text;  // kString (bulk), kStatus ("OK", "PONG"), kError (without the '-')
  int64_t integer = 0;
  std::vector<RedisReply> elements;  // kArray

  bool is_error() const { return type == Type::kError; }
  // The first word of an error reply, Redis's stable error code ("NOAUTH", "WRONGPASS", "OOM",
  // "ERR", ...); "" for other replies.
  std::string_view ErrorCode() const;
};

class RedisConnection {
 public:
  RedisConnection();
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Resolves `host` and tries its addresses in order until one accepts. Failures: kDns,
  // kConnectionRefused (every address refused), kConnect, kTimeout, kInternal.
  TransportStatus ConnectTcp(const std::string& host, int port, SteadyTime deadline);
  // A socket file that does not exist counts as kConnectionRefused: nothing listens there (Redis
  // removes its socket on shutdown).
  TransportStatus ConnectUnix(const std::string& path, SteadyTime deadline);

  // Sends one command and waits for its reply. Transport failures: kTimeout (no complete reply
  // by the deadline), kConnect (the server closed or reset the connection), kProtocol (not a
  // RESP reply), kInternal. After a transport failure the connection is closed.
  TransportStatus Command(const std::vector<std::string>& argv, SteadyTime deadline,
                          RedisReply* reply);

  bool connected() const { return context_ != nullptr; }
  // "ip:port" / "[ip]:port" actually connected to (or last tried), or the socket path.
  const std::string& address() const { return address_; }

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const;
  };
  std::unique_ptr<redisContext, ContextDeleter> context_;
  std::string address_;
};

}  // namespace smoke::clients
