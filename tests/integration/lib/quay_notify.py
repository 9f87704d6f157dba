#!/usr/bin/env python3
"""tests/integration/lib/quay_notify.py: Quay's handling of Clair v4
notifications replayed against `vigil serve` (quay/quay at ffba0c70:
endpoints/secscan.py, workers/securityscanningnotificationworker.py and
ClairSecurityScannerAPI's retrieve_notification_page and delete_notification
in util/secscan/v4/api.py; the client and the judges are lib/quay_replay.py's).

    quay_notify.py --api URL --manifest FILE --specs DIR --openapi FILE
                   --port-file F --ready-file F [--psk B64] [--wait S]

Quay's /secscan/notification webhook receiver runs on 127.0.0.1 (its port
written to --port-file; it checks Clair's JWT with the PSK and needs
notification_id and callback, as endpoints/secscan.py does); once the node
answers, index() of the Manifest (no vulnerability yet), then --ready-file is
created (the test imports the feed that adds vulnerabilities), the
notifier's POST is awaited (--wait seconds), and the worker's loop runs on
the notification: GET /notifier/api/v1/notification/{id}, then ?next= until
page.next is absent, process_notification_page() on each (reason, manifest,
vulnerability.package.name ...), delete_notification(), and the page of the
deleted notification is 404 (lookup -> FATAL_ERROR). Clair's page_size=1
(not a Quay call) is followed through every page too. Prints ok:/FAIL:
lines as quay_replay.py; exit 1 when any failed.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urljoin

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quay_replay as qr  # noqa: E402
from quay_replay import APIRequestFailure, Judges, Quay, bad, check, http, quay_body  # noqa: E402


def verify_hs256(token, key):
    """endpoints/secscan.py: decode(token, key=key, algorithms=["HS256"])."""
    try:
        h, p, s = token.split(".")
        pad = lambda x: x + "=" * (-len(x) % 4)  # noqa: E731
        if json.loads(base64.urlsafe_b64decode(pad(h))).get("alg") != "HS256":
            return False
        mac = hmac.new(key, f"{h}.{p}".encode(), hashlib.sha256).digest()
        claims = json.loads(base64.urlsafe_b64decode(pad(p)))
        return hmac.compare_digest(mac, base64.urlsafe_b64decode(pad(s))) and \
            ("exp" not in claims or claims["exp"] >= time.time())
    except ValueError:
        return False


class Webhook(BaseHTTPRequestHandler):
    """POST /secscan/notification (endpoints/secscan.py)."""
    got = []
    key = None
    cv = threading.Condition()

    def log_message(self, *args):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        code = 200
        if self.path.split("?")[0] != "/secscan/notification":
            code = 404
        elif Webhook.key is not None:
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or not verify_hs256(auth[7:], Webhook.key):
                code = 401
        if code == 200:
            try:
                data = json.loads(raw)
            except ValueError:
                data = None
            if not isinstance(data, dict) or "notification_id" not in data or "callback" not in data:
                code = 400
        with Webhook.cv:
            Webhook.got.append((code, data if code == 200 else raw[:200]))
            Webhook.cv.notify_all()
        self.send_response(code)
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.wfile.write(b"Okay")


def notify(a):
    j = Judges(a.specs, a.openapi)
    q = Quay(a.api, a.psk, j)
    Webhook.key = base64.b64decode(a.psk) if a.psk else None
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(a.port_file + ".tmp", a.port_file)
    # the node comes up with the webhook's address in its config
    up = time.time() + 60
    while time.time() < up:
        try:
            if http("GET", urljoin(a.api, "/indexer/api/v1/index_state"), None, {}, 5).status_code:
                break
        except OSError:
            time.sleep(0.2)
    with open(a.manifest, encoding="utf-8") as f:
        manifest = json.load(f)
    report, _ = q.index(quay_body(manifest))
    check("notify: index() before the feed update: IndexFinished", report.get("state") == "IndexFinished")
    vr = q.vulnerability_report(manifest["hash"])
    check("notify: no vulnerability before the feed update", vr is not None and not vr.get("vulnerabilities"),
          str(q.last.status_code))
    open(a.ready_file, "w").close()  # the test imports the feed now
    deadline = time.time() + a.wait
    with Webhook.cv:
        while not Webhook.got and time.time() < deadline:
            Webhook.cv.wait(1)
        got = list(Webhook.got)
    if not check("webhook: Clair's notifier POSTed /secscan/notification", got, f"nothing in {a.wait} s"):
        return 1
    code, data = got[0]
    if not check("webhook: a valid JWT of the PSK, notification_id and callback", code == 200, f"{code} {data!r}"):
        return 1
    nid = data["notification_id"]
    check("webhook: the callback is the page's URL", data["callback"].rstrip("/").endswith(
        "/notifier/api/v1/notification/" + nid), data["callback"])

    # securityscanningnotificationworker.py: pages until next is None
    seen, page_index, pages = [], None, 0
    while pages < 1000:
        page = q.retrieve_notification_page(nid, page_index)
        if not check(f"notification page {pages}: 200", page is not None, str(q.last.status_code)):
            return 1
        pages += 1
        try:  # lookup_notification_page() and process_notification_page()
            nots = page["notifications"]
            page_index = page.get("page", {}).get("next")
            for n in nots:
                if n["reason"] != "added":
                    continue
                v = n["vulnerability"]
                seen.append((n["manifest"], v.get("name"), v.get("normalized_severity"),
                             v.get("package", {}).get("name"), v.get("fixed_in_version"), v.get("links")))
        except (KeyError, AttributeError, TypeError) as e:
            bad("process_notification_page(): Quay reads the page", f"{type(e).__name__}: {e}")
            return 1
        if page_index is None:
            break
    check(f"notification {nid}: {pages} pages, {len(seen)} 'added' for the manifest",
          seen and all(s[0] == manifest["hash"] for s in seen), repr(seen[:3]))
    # Clair's page_size (Quay does not send it): one per page, next followed
    total = sum(1 for _ in seen)
    r = http("GET", urljoin(a.api, f"/notifier/api/v1/notification/{nid}?page_size=1"), None,
             {"authorization": "Bearer " + q._sign_jwt()} if q.jwt_psk else {}, 30)
    n1, hops = 0, 0
    while r.status_code == 200 and hops < 10000:
        pg = r.json()
        hops += 1
        n1 += len(pg["notifications"])
        if len(pg["notifications"]) > 1:
            bad("page_size=1: one notification a page", str(len(pg["notifications"])))
            break
        nxt = pg.get("page", {}).get("next")
        if not nxt:
            break
        r = http("GET", urljoin(a.api, f"/notifier/api/v1/notification/{nid}?page_size=1&next={nxt}"), None,
                 {"authorization": "Bearer " + q._sign_jwt()} if q.jwt_psk else {}, 30)
    check(f"page_size=1: {hops} pages, every notification once", r.status_code == 200 and n1 >= total and hops >= n1,
          f"status {r.status_code}, {n1} notifications in {hops} pages")
    # mark_notification_handled(): delete_notification(), then the page is gone
    try:
        q.delete_notification(nid)
        check("delete_notification(): 2xx", q.last.status_code // 100 == 2, str(q.last.status_code))
    except APIRequestFailure as e:
        bad("delete_notification(): 2xx", str(e))
    page = q.retrieve_notification_page(nid, None)
    check("the page of a deleted notification: 404 -> None (FATAL_ERROR)", page is None and
          q.last.status_code == 404, str(q.last.status_code))
    srv.shutdown()
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for opt in ("--api", "--specs", "--openapi", "--manifest", "--port-file", "--ready-file"):
        ap.add_argument(opt, required=True)
    ap.add_argument("--psk", default=None)
    ap.add_argument("--wait", type=float, default=120)
    a = ap.parse_args()
    try:
        rc = notify(a)
    except (qr.APIRequestFailure, qr.InvalidContentSent, qr.IncompatibleAPIResponse, AssertionError, KeyError) as e:
        bad("Quay's client stopped", f"{type(e).__name__}: {e}")
        rc = 1
    return 1 if rc or qr.FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
