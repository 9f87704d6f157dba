#!/usr/bin/env python3
"""tests/integration/lib/regproxy.py: a fault-injecting front for a
registry, for the registry tests (stdlib only). It forwards GET and HEAD to
the upstream registry (request headers Accept, Authorization and Range;
the answer's status, headers and body streamed back), except where the
fault mode set through /_fault?mode=M says otherwise:

  none            forward everything
  flaky           the first request of each path fails: manifests with 503,
                  blobs with 429 and Retry-After: 0; the next one is forwarded
  down            every request answers 500
  cut             the first GET of each blob sends half of its body (with the
                  full Content-Length) and closes the connection
  cut-norange     as cut, and the retry is forwarded without its Range
                  header (the registry answers 200 with the whole body)
  redirect        blob GETs answer 307 to the same path on the upstream
  redirect-file   blob GETs answer 302 to file:///etc/passwd
  redirect-loop   blob GETs answer 302 to themselves

/_stats gives the requests by status and the Range headers seen.

    regproxy.py --upstream 127.0.0.1:PORT --port-file F [--max-seconds 900]

It binds 127.0.0.1 on a free port, writes the port to --port-file, and exits
by itself after --max-seconds; the tests stop it by its PID.
"""
import argparse
import http.client
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
       "proxy-authenticate", "proxy-authorization"}


class State:
    def __init__(self, upstream):
        self.upstream = upstream
        self.mode = "none"
        self.lock = threading.Lock()
        self.seen = {}
        self.status = {}
        self.ranges = []

    def first(self, key):
        with self.lock:
            n = self.seen.get(key, 0)
            self.seen[key] = n + 1
            return n == 0

    def count(self, code):
        with self.lock:
            self.status[str(code)] = self.status.get(str(code), 0) + 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def small(self, code, body=b"", extra=None):
        self.server.state.count(code)
        self.send_response(code)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def control(self, url):
        st = self.server.state
        if url.path == "/_fault":
            mode = parse_qs(url.query).get("mode", ["none"])[0]
            with st.lock:
                st.mode = mode
                st.seen = {}
            self.small(200, b"ok\n")
        else:
            with st.lock:
                body = json.dumps({"mode": st.mode, "status": st.status, "ranges": st.ranges})
            self.small(200, body.encode())

    def forward(self, drop_range=False, cut=False):
        st = self.server.state
        headers = {}
        for name in ("Accept", "Authorization", "Range"):
            v = self.headers.get(name)
            if v is not None and not (drop_range and name == "Range"):
                headers[name] = v
        if self.headers.get("Range"):
            with st.lock:
                st.ranges.append(self.headers.get("Range"))
        conn = http.client.HTTPConnection(st.upstream, timeout=60)
        conn.request(self.command, self.path, headers=headers)
        resp = conn.getresponse()
        st.count(resp.status)
        self.send_response(resp.status)
        length = None
        for k, v in resp.getheaders():
            if k.lower() in HOP:
                continue
            if k.lower() == "content-length":
                length = int(v)
            self.send_header(k, v)
        if length is None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            conn.close()
            return
        left = length if length is not None else -1
        sent, limit = 0, (length // 2 if cut and length else -1)
        while left != 0:
            chunk = resp.read(65536 if left < 0 else min(65536, left))
            if not chunk:
                break
            if limit >= 0 and sent + len(chunk) > limit:
                self.wfile.write(chunk[:limit - sent])
                self.wfile.flush()
                self.close_connection = True
                conn.close()
                return
            self.wfile.write(chunk)
            sent += len(chunk)
            if left > 0:
                left -= len(chunk)
        conn.close()

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        st = self.server.state
        url = urlsplit(self.path)
        if url.path in ("/_fault", "/_stats"):
            self.control(url)
            return
        mode = st.mode
        blob = "/blobs/" in url.path
        key = self.command + " " + url.path
        if mode == "down":
            self.small(500, b'{"errors":[{"code":"UNAVAILABLE","message":"injected"}]}')
        elif mode == "flaky" and st.first(key):
            if blob:
                self.small(429, b'{"errors":[{"code":"TOOMANYREQUESTS","message":"injected"}]}',
                           {"Retry-After": "0"})
            else:
                self.small(503, b'{"errors":[{"code":"UNAVAILABLE","message":"injected"}]}')
        elif mode in ("cut", "cut-norange") and blob and self.command == "GET":
            if st.first(key):
                self.forward(cut=True)
            else:
                self.forward(drop_range=mode == "cut-norange")
        elif mode == "redirect" and blob:
            self.small(307, extra={"Location": "http://%s%s" % (st.upstream, self.path)})
        elif mode == "redirect-file" and blob:
            self.small(302, extra={"Location": "file:///etc/passwd"})
        elif mode == "redirect-loop" and blob:
            self.small(302, extra={"Location": self.path})
        else:
            self.forward()

    def log_message(self, *a):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--max-seconds", type=float, default=900)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.state = State(args.upstream)
    t = threading.Timer(args.max_seconds, srv.shutdown)
    t.daemon = True
    t.start()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    srv.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
