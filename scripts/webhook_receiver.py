#!/usr/bin/env python3
"""A webhook receiver on loopback for the example run and the tests.

Accepts POSTs, checks each is JSON with an Idempotency-Key header, appends one JSON line
per request to LOG (method, path, headers, body), answers 200 (or the statuses listed in
--fail-first, one per request, before answering 200). Prints its port on stdout.
"""
import argparse, json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", required=True)
    ap.add_argument("--fail-first", default="", help="comma-separated statuses to answer first, e.g. 503,503")
    args = ap.parse_args()
    failures = [int(s) for s in args.fail_first.split(",") if s]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace")
            record = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
            try:
                record["json"] = json.loads(body)
            except ValueError:
                record["json_error"] = True
            with lock:
                status = failures.pop(0) if failures else 200
                record["status"] = status
                with open(args.log, "a") as f:
                    f.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": %s}' % (b"true" if status < 300 else b"false"))

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()

if __name__ == "__main__":
    main()
