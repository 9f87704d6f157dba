#!/usr/bin/env python3
"""tests/integration/lib/webhook.py: a webhook receiver for the notifier's
tests, on 127.0.0.1 only. Every POST is logged as one JSON line to --log
(flushed): {"n": attempt number, "status": the answer, "body": the JSON
body, "authorization": the header or null, "headers": {...}}. The first
--fail POSTs are answered 503, the rest 200; with --hang every POST is
held (no answer) for --hang seconds. Writes its port to --port-file.

  webhook.py --port-file FILE --log FILE [--fail N] [--hang SECONDS]
"""
import argparse
import http.server
import json
import socketserver
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--fail", type=int, default=0)
    ap.add_argument("--hang", type=float, default=0)
    ap.add_argument("--max-seconds", type=float, default=600)
    a = ap.parse_args()
    lock = threading.Lock()
    state = {"n": 0}
    log = open(a.log, "a")

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(n) if n else b""
            with lock:
                state["n"] += 1
                k = state["n"]
            if a.hang:
                time.sleep(a.hang)
            status = 503 if k <= a.fail else 200
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
            with lock:
                log.write(json.dumps({"n": k, "status": status, "path": self.path, "body": body,
                                      "authorization": self.headers.get("Authorization"),
                                      "headers": {h: v for h, v in self.headers.items()}}) + "\n")
                log.flush()
            out = b"{}"
            self.send_response(status)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    srv = S(("127.0.0.1", 0), H)
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.replace(a.port_file + ".tmp", a.port_file)
    threading.Timer(a.max_seconds, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
