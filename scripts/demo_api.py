#!/usr/bin/env python3
"""A small sample API for the demo, shaped like the services in shared/seeds/.

Faults are switched at runtime by writing a name into the file given by --fault-file
(scripts/demo.sh fault NAME does that); an empty or missing file means healthy:
  database_auth             /health reports the database unhealthy (password authentication failed), 503
  redis_auth                /health reports redis unhealthy (NOAUTH Authentication required), 503
  crash_loop                every connection is closed without a response
  error_route               /api/v1/companies answers 500 on every request
  missing_security_headers  responses carry no security headers

With --pg-dsn (and --pg-password-file) the API reads its companies from that PostgreSQL and
/health checks it for real; with --redis HOST:PORT /health PINGs that Redis. A real dependency
is never simulated: database_auth and redis_auth then only come from the servers themselves
(scripts/demo.sh changes the role's password, or sets requirepass). Results are cached for a
second, as a connection pool would, so a load burst does not start one psql per request.

With --sink, the API also plays the notification endpoints of the demo's Alertmanager: POST
/-/notifications/<name> (Slack, PagerDuty, webhook) and, with --smtp-port, an SMTP server keep
the last 200 notifications; GET /-/notifications lists them as JSON (newest last). These paths
ignore the faults.

Usage: demo_api.py --port PORT --fault-file FILE [--pg-dsn DSN --pg-password-file FILE]
                   [--redis HOST:PORT] [--sink] [--smtp-port PORT]
"""
import argparse
import collections
import json
import os
import re
import socket
import socketserver
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Python's default listen backlog is 5: when the exporter probes every route at once, further
# connection attempts are dropped and retried by the kernel a second later, which reads as a
# 1 s latency. A real API server's backlog is in the hundreds.
LISTEN_BACKLOG = 128


class HTTPServer(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Content-Security-Policy": "default-src 'self'",
}
COMPANIES = [{"id": 1, "ticker": "ACME", "name": "Acme Corp"},
             {"id": 2, "ticker": "GLOBX", "name": "Globex"}]
OPENAPI = {"openapi": "3.0.3", "info": {"title": "demo", "version": "1.0"},
           "paths": {"/health": {}, "/api/v1/companies": {}}}
PSQL = "/usr/lib/postgresql/15/bin/psql"


class Cached:
    """The result of fn() (a value or the exception it raised), recomputed after ttl seconds."""

    def __init__(self, fn, ttl=1.0):
        self.fn, self.ttl, self.lock, self.at, self.result = fn, ttl, threading.Lock(), 0.0, None

    def get(self):
        with self.lock:
            if time.monotonic() - self.at > self.ttl:
                try:
                    self.result = (self.fn(), None)
                except Exception as e:  # noqa: BLE001 - the error is the result
                    self.result = (None, e)
                self.at = time.monotonic()
            value, error = self.result
        if error is not None:
            raise error
        return value


class Postgres:
    """Queries through psql (no driver needed): what the application's pool would see."""

    def __init__(self, dsn, password_file):
        self.dsn, self.password_file = dsn, password_file

    def query(self, sql):
        env = dict(os.environ, PGCONNECT_TIMEOUT="2")
        if self.password_file:
            with open(self.password_file) as f:
                env["PGPASSWORD"] = f.read().strip()
        p = subprocess.run([PSQL, "-X", "-w", "-q", "-tA", "-F", "\t", "-c", sql, self.dsn],
                           capture_output=True, text=True, env=env, timeout=5)
        if p.returncode != 0:
            err = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "psql failed"
            m = re.search(r"FATAL:\s+(.*)", err) or re.search(r"ERROR:\s+(.*)", err)
            raise RuntimeError(m.group(1) if m else err)
        return [line.split("\t") for line in p.stdout.splitlines() if line]


def redis_ping(addr):
    host, port = addr.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=1) as s:
        s.sendall(b"*1\r\n$4\r\nPING\r\n")
        reply = s.makefile("rb").readline().decode(errors="replace").strip()
    if reply != "+PONG":
        raise RuntimeError(reply.lstrip("-") or "no reply")
    return True


class Sink:
    """The last notifications the demo's Alertmanager sent, newest last."""

    def __init__(self):
        self.lock, self.items = threading.Lock(), collections.deque(maxlen=200)

    def add(self, integration, body):
        with self.lock:
            self.items.append({"received_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "integration": integration, "body": body})

    def list(self):
        with self.lock:
            return list(self.items)


def serve_smtp(port, sink):
    """Just enough SMTP for Alertmanager's email notifier (no TLS, no AUTH advertised)."""

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line):
            self.wfile.write((line + "\r\n").encode())

        def handle(self):
            self.reply("220 demo-api ESMTP sink")
            mail = None
            for raw in self.rfile:
                line = raw.decode(errors="replace").rstrip("\r\n")
                cmd = line.strip()
                verb = cmd.split(" ", 1)[0].upper()
                if mail is not None:
                    if line == ".":
                        sink.add("email", "\n".join(mail))
                        mail = None
                        self.reply("250 OK: queued")
                    else:
                        mail.append(line[1:] if line.startswith(".") else line)
                elif verb in ("EHLO", "HELO"):
                    self.reply("250 demo-api")
                elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                    self.reply("250 OK")
                elif verb == "DATA":
                    mail = []
                    self.reply("354 End data with <CR><LF>.<CR><LF>")
                elif verb == "QUIT":
                    self.reply("221 Bye")
                    return
                else:
                    self.reply("502 Command not implemented")

    class Server(socketserver.ThreadingTCPServer):
        request_queue_size = LISTEN_BACKLOG

    server = Server(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()


def make_handler(fault_file, pg=None, redis=None, sink=None):
    companies_source = Cached(lambda: [
        {"id": int(r[0]), "ticker": r[1], "name": r[2]}
        for r in pg.query("select id, ticker, name from companies order by id")]) if pg else None
    pg_health = Cached(lambda: pg.query("select 1")) if pg else None
    redis_health = Cached(lambda: redis_ping(redis)) if redis else None

    class Handler(BaseHTTPRequestHandler):
        server_version = "demo-api/1.0"

        def log_message(self, fmt, *args):  # keep the demo terminal readable
            pass

        def fault(self):
            try:
                with open(fault_file) as f:
                    return f.read().strip()
            except OSError:
                return ""

        def send(self, status, body, content_type="application/json", secure=True):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            if secure and self.fault() != "missing_security_headers":
                for k, v in SECURITY_HEADERS.items():
                    self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def companies(self):
            return companies_source.get() if companies_source else COMPANIES

        def dependencies(self, fault):
            deps = {}
            for name, check, simulated in (("database", pg_health, "database_auth"),
                                           ("redis", redis_health, "redis_auth")):
                if check is None:
                    deps[name] = "healthy"
                    if fault == simulated:
                        deps[name] = ('unhealthy: password authentication failed for user "intel_user"'
                                      if name == "database" else "unhealthy: NOAUTH Authentication required")
                    continue
                try:
                    check.get()
                    deps[name] = "healthy"
                except Exception as e:  # noqa: BLE001 - reported, as the real service does
                    deps[name] = f"unhealthy: {e}"
            return deps

        def do_HEAD(self):
            self.do_GET()

        def do_POST(self):
            path = self.path.split("?")[0]
            if sink is None or not path.startswith("/-/notifications/"):
                self.send_error(501, f"Unsupported method ({self.command!r})")
                return
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode(errors="replace")
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw
            sink.add(path.rsplit("/", 1)[1], body)
            # Slack's webhook answers "ok", PagerDuty's Events API 202.
            self.send(202, b"ok", "text/plain", secure=False)

        def do_GET(self):
            path = self.path.split("?")[0]
            if sink is not None and path == "/-/notifications":
                self.send(200, sink.list(), secure=False)
                return
            fault = self.fault()
            if fault == "crash_loop":
                self.close_connection = True
                self.connection.close()
                return
            if path in ("/health", "/api/v1/health"):
                deps = self.dependencies(fault)
                ok = all(v == "healthy" for v in deps.values())
                self.send(200 if ok else 503, {"status": "healthy" if ok else "unhealthy",
                                               "service": "demo", "dependencies": deps})
            elif path == "/ping":
                self.send(200, {"ping": "pong"})
            elif path == "/api/v1/companies" or path.startswith("/api/v1/companies/"):
                if path == "/api/v1/companies" and fault == "error_route":
                    self.send(500, {"detail": "Internal Server Error"})
                    return
                try:
                    companies = self.companies()
                except Exception as e:  # noqa: BLE001 - a 500 names the failing dependency
                    self.send(500, {"detail": f"database unavailable: {e}"})
                    return
                if path == "/api/v1/companies":
                    self.send(200, companies)
                    return
                ticker = path.rsplit("/", 1)[1]
                match = [c for c in companies if c["ticker"] == ticker.upper()]
                if match:
                    self.send(200, match[0])
                else:
                    self.send(404, {"detail": "Company not found"})
            elif path == "/openapi.json":
                self.send(200, OPENAPI)
            elif path == "/docs":
                self.send(200, b"<html><body>Swagger UI</body></html>", "text/html")
            else:
                self.send(404, {"detail": "Not Found"})

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fault-file", required=True)
    parser.add_argument("--pg-dsn", help="libpq connection string of the API's database")
    parser.add_argument("--pg-password-file", help="file holding the database password")
    parser.add_argument("--redis", help="HOST:PORT of the API's Redis")
    parser.add_argument("--sink", action="store_true", help="serve /-/notifications (Alertmanager's receivers)")
    parser.add_argument("--smtp-port", type=int, help="also accept notification emails on this port")
    args = parser.parse_args()
    sink = Sink() if args.sink or args.smtp_port else None
    pg = Postgres(args.pg_dsn, args.pg_password_file) if args.pg_dsn else None
    server = HTTPServer(("127.0.0.1", args.port), make_handler(args.fault_file, pg, args.redis, sink))
    if args.smtp_port:
        serve_smtp(args.smtp_port, sink)
    print(f"demo-api listening on http://127.0.0.1:{args.port} (faults from {args.fault_file})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
