#!/usr/bin/env python3
"""A small sample API for the demo, shaped like the services in shared/seeds/.

Faults are switched at runtime by writing a name into the file given by --fault-file
(scripts/demo.sh fault NAME does that); an empty or missing file means healthy:
  database_auth             /health reports the database unhealthy (password authentication failed), 503
  redis_auth                /health reports redis unhealthy (NOAUTH Authentication required), 503
  crash_loop                every connection is closed without a response
  error_route               /api/v1/companies answers 500 on every request
  missing_security_headers  responses carry no security headers
Usage: demo_api.py --port PORT --fault-file FILE
"""
import argparse
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


def make_handler(fault_file):
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

        def send(self, status, body, content_type="application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            if self.fault() != "missing_security_headers":
                for k, v in SECURITY_HEADERS.items():
                    self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            fault = self.fault()
            if fault == "crash_loop":
                self.close_connection = True
                self.connection.close()
                return
            path = self.path.split("?")[0]
            if path in ("/health", "/api/v1/health"):
                deps = {"database": "healthy", "redis": "healthy"}
                if fault == "database_auth":
                    deps["database"] = 'unhealthy: password authentication failed for user "intel_user"'
                if fault == "redis_auth":
                    deps["redis"] = "unhealthy: NOAUTH Authentication required"
                ok = all(v == "healthy" for v in deps.values())
                self.send(200 if ok else 503, {"status": "healthy" if ok else "unhealthy",
                                               "service": "demo", "dependencies": deps})
            elif path == "/ping":
                self.send(200, {"ping": "pong"})
            elif path == "/api/v1/companies":
                if fault == "error_route":
                    self.send(500, {"detail": "Internal Server Error"})
                else:
                    self.send(200, COMPANIES)
            elif path.startswith("/api/v1/companies/"):
                ticker = path.rsplit("/", 1)[1]
                match = [c for c in COMPANIES if c["ticker"] == ticker.upper()]
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
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.fault_file))
    server.daemon_threads = True
    print(f"demo-api listening on http://127.0.0.1:{args.port} (faults from {args.fault_file})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
