#!/usr/bin/env python3
"""tests/integration/lib/slowserver.py: serves the files of a folder over
HTTP on 127.0.0.1 at a capped rate, so a test can kill a process in the
middle of a download. Logs "GET <path>" (one line per request, flushed)
to stderr; writes its port to --port-file.

  slowserver.py --root DIR --rate BYTES_PER_S --port-file FILE
"""
import argparse
import http.server
import os
import socketserver
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--rate", type=int, default=262144)
    ap.add_argument("--port-file", required=True)
    a = ap.parse_args()
    root = os.path.realpath(a.root)

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            sys.stderr.write("GET %s\n" % self.path)
            sys.stderr.flush()
            p = os.path.realpath(os.path.join(root, self.path.lstrip("/")))
            if not p.startswith(root + "/") or not os.path.isfile(p):
                self.send_error(404)
                return
            size = os.path.getsize(p)
            self.send_response(200)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = max(1024, a.rate // 20)
            try:
                with open(p, "rb") as f:
                    while True:
                        b = f.read(chunk)
                        if not b:
                            break
                        self.wfile.write(b)
                        self.wfile.flush()
                        time.sleep(len(b) / a.rate)
            except (BrokenPipeError, ConnectionResetError):
                sys.stderr.write("GET %s: client went away\n" % self.path)
                sys.stderr.flush()

    class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    srv = S(("127.0.0.1", 0), H)
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(a.port_file + ".tmp", a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
