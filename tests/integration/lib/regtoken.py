#!/usr/bin/env python3
"""tests/integration/lib/regtoken.py: a bearer-token server for Debian's
docker-registry (its `auth.token` mode), for the registry tests. Stdlib
only: tokens are JWTs signed RS256 by the `openssl` command with the key
given, the certificate in their x5c header (the registry trusts it through
`rootcertbundle`).

GET /token?service=S&scope=repository:NAME:pull,push answers
{"token", "access_token", "expires_in", "issued_at"}. With Basic credentials
that match --user USER:PASS the token grants the actions asked for; wrong
credentials get 401; anonymous requests get a token granting nothing (so
the registry answers 401 insufficient_scope). /_stats gives the number of
tokens issued, by user ("" for anonymous) and the refusals.

    regtoken.py --key K.pem --cert C.pem --issuer I --user U:P --port-file F [--max-seconds 900]

It binds 127.0.0.1 on a free port, writes the port to --port-file, and exits
by itself after --max-seconds; the tests stop it by its PID.
"""
import argparse
import base64
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pem_der_b64(path):
    """The base64 body of a PEM certificate is its DER in base64 (x5c)."""
    lines = open(path).read().splitlines()
    body = []
    inside = False
    for ln in lines:
        if ln.startswith("-----BEGIN CERTIFICATE"):
            inside = True
        elif ln.startswith("-----END CERTIFICATE"):
            break
        elif inside:
            body.append(ln.strip())
    return "".join(body)


class State:
    def __init__(self, args):
        self.key = args.key
        self.x5c = [pem_der_b64(args.cert)]
        self.issuer = args.issuer
        self.users = dict(u.split(":", 1) for u in args.user)
        self.ttl = args.ttl
        self.lock = threading.Lock()
        self.issued = {}
        self.refused = 0

    def sign(self, claims):
        header = {"typ": "JWT", "alg": "RS256", "x5c": self.x5c}
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode())).encode()
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key],
                             input=signing_input, capture_output=True, check=True).stdout
        return signing_input.decode() + "." + b64url(sig)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, code, body, ctype="application/json", extra=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        st = self.server.state
        url = urlsplit(self.path)
        if url.path == "/_stats":
            with st.lock:
                self.reply(200, json.dumps({"issued": st.issued, "refused": st.refused}))
            return
        if url.path != "/token":
            self.reply(404, '{"error": "not found"}')
            return
        q = parse_qs(url.query)
        user = ""
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                u, _, p = base64.b64decode(auth[6:]).decode().partition(":")
            except Exception:
                u, p = "", None
            if st.users.get(u) != p:
                with st.lock:
                    st.refused += 1
                self.reply(401, '{"details": "wrong credentials"}',
                           extra={"WWW-Authenticate": 'Basic realm="vigil-token"'})
                return
            user = u
        access = []
        for scope in q.get("scope", []):
            for one in scope.split(" "):
                parts = one.split(":")
                if len(parts) < 3:
                    continue
                typ, name, actions = parts[0], ":".join(parts[1:-1]), parts[-1]
                access.append({"type": typ, "name": name,
                               "actions": actions.split(",") if user else []})
        now = int(time.time())
        claims = {"iss": st.issuer, "sub": user, "aud": q.get("service", [""])[0],
                  "exp": now + st.ttl, "nbf": now - 10, "iat": now,
                  "jti": str(uuid.uuid4()), "access": access}
        tok = st.sign(claims)
        with st.lock:
            st.issued[user] = st.issued.get(user, 0) + 1
        self.reply(200, json.dumps({"token": tok, "access_token": tok, "expires_in": st.ttl,
                                    "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))}))

    def log_message(self, *a):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--key", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--issuer", default="vigil-test-issuer")
    ap.add_argument("--user", action="append", default=[])
    ap.add_argument("--ttl", type=int, default=300)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--max-seconds", type=float, default=900)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.state = State(args)
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
