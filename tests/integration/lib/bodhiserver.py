#!/usr/bin/env python3
"""tests/integration/lib/bodhiserver.py: a local stand-in for Fedora's Bodhi
/updates/ API, for tests/integration/test_distro_fedora.sh (stdlib only).

It serves the real Bodhi update records of a folder (the shared
feeds/fedora/vunnel-bodhi/merge-input/*.json) the way
bodhi.fedoraproject.org/updates/ pages them:

    /updates/?type=security&status=stable&releases=F21&rows_per_page=1&page=2
    -> {"updates": [...], "page": 2, "pages": 2, "rows_per_page": 1, "total": 2, ...}

filtered by type, status and releases (an unknown release is a 400, as Bodhi
answers it), newest date_submitted first, rows_per_page at most 100, a page
past the last an empty list. Any other path is a file under --static (a
vigil mirror folder). Every answer has an ETag and honours If-None-Match
with 304. /_fault?mode=wrongpage|500|none changes the API's answers (a page
that says it is page 1 whatever was asked; a 500); /_stats gives
{"requests": N, "status": {"200": N, ...}}.

    bodhiserver.py --updates DIR --port-file F [--static DIR] [--max-seconds 300]

It binds 127.0.0.1 on a free port, writes the port to --port-file and exits
by itself after --max-seconds; the test stops it by its PID.
"""
import argparse
import glob
import hashlib
import json
import math
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_ROWS = 100


def load(folder):
    ups = []
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path, "rb") as f:
            ups.append(json.load(f))
    ups.sort(key=lambda u: u.get("date_submitted") or "", reverse=True)
    return ups


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, etag=None):
        st = self.server.st
        with st["lock"]:
            st["stats"][str(status)] = st["stats"].get(str(status), 0) + 1
        self.send_response(status)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def send_body(self, data):
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        inm = self.headers.get("If-None-Match")
        if inm is not None and etag in [t.strip() for t in inm.split(",")]:
            return self.reply(304, b"", etag)
        return self.reply(200, data, etag)

    def updates(self, q):
        st = self.server.st
        if st["fault"] == "500":
            return self.reply(500, b'{"status": "error"}')
        known = {u["release"]["name"] for u in st["updates"]}
        rels = q.get("releases", [])
        bad = [r for r in rels if r not in known]
        if bad:
            err = {"status": "error", "errors": [{"location": "querystring", "name": "releases",
                                                  "description": "Invalid releases specified: " + ", ".join(bad)}]}
            return self.reply(400, json.dumps(err).encode())
        try:
            rows = min(MAX_ROWS, max(1, int(q.get("rows_per_page", ["20"])[0])))
            page = max(1, int(q.get("page", ["1"])[0]))
        except ValueError:
            return self.reply(400, b'{"status": "error"}')
        sel = [u for u in st["updates"]
               if (not rels or u["release"]["name"] in rels)
               and u.get("type") == q.get("type", [u.get("type")])[0]
               and u.get("status") == q.get("status", [u.get("status")])[0]]
        pages = int(math.ceil(len(sel) / float(rows)))
        chunk = sel[(page - 1) * rows:page * rows]
        said = 1 if st["fault"] == "wrongpage" else page
        body = {"updates": chunk, "page": said, "pages": pages, "rows_per_page": rows, "total": len(sel),
                "chrome": True, "display_user": True, "display_request": True, "package": None}
        return self.send_body(json.dumps(body, indent=1).encode())

    def do_GET(self):
        url = urlsplit(self.path)
        st = self.server.st
        q = parse_qs(url.query)
        if url.path == "/_fault":
            st["fault"] = q.get("mode", ["none"])[0]
            return self.reply(200, b"ok\n")
        if url.path == "/_stats":
            with st["lock"]:
                body = json.dumps({"requests": sum(st["stats"].values()), "status": st["stats"]}).encode()
            return self.reply(200, body)
        if url.path == "/updates/":
            return self.updates(q)
        if st["static"]:
            base = os.path.realpath(st["static"])
            path = os.path.realpath(os.path.join(base, url.path.lstrip("/")))
            if path.startswith(base + os.sep) and os.path.isfile(path):
                with open(path, "rb") as f:
                    return self.send_body(f.read())
        return self.reply(404, b'{"status": "error"}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--updates", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--static")
    ap.add_argument("--max-seconds", type=float, default=300)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.st = {"updates": load(a.updates), "static": a.static, "fault": "none", "stats": {},
              "lock": threading.Lock()}
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    threading.Timer(a.max_seconds, lambda: os._exit(0)).start()
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
