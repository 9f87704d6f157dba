#!/usr/bin/env python3
"""tests/integration/lib/engine_replay.py: a stand-in for a container
engine's API on a unix socket, answering `GET /images/NAME/get` as podman
4.3's compat API does (its answers recorded: the headers, the 404 body),
from archives given on the command line:

  engine_replay.py --socket PATH --image NAME=FILE [--truncate NAME]
                   [--status NAME=CODE] [--max-seconds N]

--truncate NAME sends half of NAME's archive after a Content-Length that
promises all of it, then closes (an engine that dies mid-export);
--status NAME=CODE answers CODE with podman's error body. Unknown names get
podman's 404. Used by test_engine_images.sh to test the error paths (and
everything, when podman cannot run). Stops after --max-seconds."""
import argparse
import http.server
import json
import os
import socketserver
import sys
import threading
import urllib.parse

PREFIXES = ("/images/", "/v1.41/images/", "/v1.40/images/")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Libpod/4.3.1"
    sys_version = "(linux)"

    def log_message(self, fmt, *args):  # unix sockets have no client address
        sys.stderr.write("engine_replay: " + (fmt % args) + "\n")

    def address_string(self):
        return "unix"

    def error(self, code, message):
        body = json.dumps({"cause": "image not known", "message": message, "response": code}).encode()
        self.send_response(code)
        self.send_header("Api-Version", "1.41")
        self.send_header("Content-Type", "application/json")
        self.send_header("Libpod-Api-Version", "4.3.1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        name = None
        for p in PREFIXES:
            if path.startswith(p) and path.endswith("/get"):
                name = path[len(p):-4]
        if name is None:
            self.error(404, "page not found")
            return
        opts = self.server.opts
        if name in opts.status:
            self.error(opts.status[name], "failed to export %s" % name)
            return
        if name not in opts.images:
            self.error(404, "failed to find image %s: docker.io/library/%s: image not known" % (name, name))
            return
        with open(opts.images[name], "rb") as f:
            data = f.read()
        self.send_response(200)
        self.send_header("Api-Version", "1.41")
        self.send_header("Content-Type", "application/x-tar")
        self.send_header("Libpod-Api-Version", "4.3.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if name in opts.truncate:
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(data)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--image", action="append", default=[])
    ap.add_argument("--truncate", action="append", default=[])
    ap.add_argument("--status", action="append", default=[])
    ap.add_argument("--max-seconds", type=float, default=600)
    a = ap.parse_args()
    a.images = dict(i.split("=", 1) for i in a.image)
    a.status = {k: int(v) for k, v in (s.rsplit("=", 1) for s in a.status)}
    if os.path.exists(a.socket):
        os.unlink(a.socket)
    srv = Server(a.socket, Handler)
    srv.opts = a
    threading.Timer(a.max_seconds, srv.shutdown).start()
    srv.serve_forever()
    os.unlink(a.socket)


if __name__ == "__main__":
    main()
