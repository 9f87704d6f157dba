#!/usr/bin/env python3
"""tests/integration/lib/quay_replay.py: Quay's Clair v4 client replayed
against `vigil serve`.

The calls mirror quay/quay's util/secscan/v4/api.py (commit ffba0c70,
2026-08-21) as data/secscan_model/secscan_v4_model.py drives them: the same
methods, paths, headers (Authorization "Bearer" with an HS256 JWT of
{"iss": "quay", "exp": now + 5 min} signed with the base64-decoded PSK, as
_sign_jwt does with PyJWT), the same bodies (index() builds
{"hash", "layers": [{"hash", "uri", "headers": {"Accept": ["application/gzip"],
"Authorization": ["Bearer <registry token>"]}}]} from a Manifest), sent as
requests' json= does; and the same judgement of every answer: a 400 is
BadRequestResponseException, another non-2xx Non200ResponseException, a 2xx
is validated by is_valid_response() against the schema Quay bundles
(clair-v4.openapi.json, the components named by api.py: State,
IndexReport, VulnerabilityReport, PagedNotifications) with Quay's pinned
jsonschema 3.2 semantics (Draft 7, RefResolver into the document). Beyond
Quay, each body is checked with lib/openapi_check.py against Clair's own
types/v1 schemas and vigil's docs/openapi.json. What Quay then reads of the
answers is read here the same way (report["state"], report["err"], the
ETag stripped of its quotes as the indexer hash, features_for() of the
VulnerabilityReport, the notification page's "notifications" and
page.next, each notification's reason, manifest and vulnerability).

    quay_replay.py --api URL --manifest FILE --specs DIR --openapi FILE [--psk B64]

The flow: index_state, index (POST), the ETag against the state, GET
index_report, GET vulnerability_report (features_for must find
vulnerabilities), unknown digests (404 -> None), a 400 (InvalidContentSent),
tokens that are not the PSK's (another key, expired, another issuer, none:
401), delete (DELETE index_report/{digest}) and the 404 after it; then,
not a Quay call (api.py has none), Clair's bulk DELETE of the manifest
indexed again.
The notification calls are lib/quay_notify.py.

Each check prints "ok: WHAT" or "FAIL: WHAT: why" (the test script tallies
them); exit 1 when any failed, 2 on bad usage.
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from urllib.parse import urljoin

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import openapi_check  # noqa: E402  (the judges, lib/openapi_check.py)

try:
    import requests  # what Quay's HTTPCLIENT is (a requests.Session)
except ImportError:  # pragma: no cover
    requests = None
try:
    import jwt as pyjwt  # PyJWT, what Quay signs with
except ImportError:  # pragma: no cover
    pyjwt = None
import jsonschema

DEFAULT_REQUEST_TIMEOUT = 30
INDEX_REQUEST_TIMEOUT = 600
FAILED = 0


def ok(what):
    print(f"ok: {what}", flush=True)


def bad(what, why):
    global FAILED
    FAILED += 1
    print(f"FAIL: {what}: {why}", flush=True)


def check(what, cond, why=""):
    if cond:
        ok(what)
    else:
        bad(what, why or "no")
    return cond


# ---- Quay's exceptions (api.py) ----
class Non200ResponseException(Exception):
    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


class BadRequestResponseException(Non200ResponseException):
    pass


class IncompatibleAPIResponse(Exception):
    pass


class APIRequestFailure(Exception):
    pass


class InvalidContentSent(Exception):
    pass


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def sign_jwt(key, payload):
    """PyJWT 2.x's jwt.encode(payload, key, algorithm="HS256"); stdlib when
    PyJWT is not installed (the same bytes: sorted compact header, compact
    payload, a datetime exp as its integer timestamp)."""
    if pyjwt is not None:
        return pyjwt.encode(payload, key, algorithm="HS256")
    p = dict(payload)
    for k in ("exp", "iat", "nbf"):
        if isinstance(p.get(k), datetime.datetime):
            p[k] = int(p[k].replace(tzinfo=datetime.timezone.utc).timestamp())
    head = b64url(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":"), sort_keys=True).encode())
    body = b64url(json.dumps(p, separators=(",", ":")).encode())
    sig = hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(sig)}"


class Resp:
    """The part of requests.Response that api.py reads."""

    def __init__(self, status, headers, content):
        self.status_code = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.content = content

    def json(self):
        return json.loads(self.content)


def http(method, url, body, headers, timeout):
    """requests.request(method, url, json=body, headers=headers, timeout=timeout)."""
    if requests is not None:
        r = requests.request(method, url, json=body, headers=headers, timeout=timeout)
        return Resp(r.status_code, dict(r.headers), r.content)
    data = None
    h = dict(headers)
    if body is not None:  # requests: json.dumps, Content-Type application/json
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    rq = urllib.request.Request(url, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(rq, timeout=timeout) as r:
            return Resp(r.status, dict(r.headers), r.read())
    except urllib.error.HTTPError as e:
        return Resp(e.code, dict(e.headers), e.read())


class Judges:
    """Quay's is_valid_response(), and lib/openapi_check.py's judges."""

    def __init__(self, specs, openapi):
        self.quay_spec = os.path.join(specs, "quay", "clair-v4.openapi.json")
        self.clair_dir = os.path.join(specs, "clair-v4")
        self.openapi = openapi
        with open(self.quay_spec, encoding="utf-8") as f:
            self.quay = json.load(f)
        self.tmp = tempfile.mkdtemp(prefix="quay-replay.")

    def quay_valid(self, name, instance):
        """api.py: validate(resp.json(), schema, resolver=RefResolver(base_uri="",
        referrer=openapi)) with jsonschema 3.2 (Draft 7), any exception False."""
        schema = self.quay["components"]["schemas"][name]
        try:
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                resolver = jsonschema.RefResolver(base_uri="", referrer=self.quay)
                jsonschema.Draft7Validator(schema, resolver=resolver).validate(instance)
            return True, ""
        except Exception as e:  # noqa: BLE001  (as api.py)
            return False, str(e).splitlines()[0][:300]

    def _file(self, content):
        fd, path = tempfile.mkstemp(dir=self.tmp)
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        return path

    def clair(self, schema_file, resp, what):
        """Clair's types/v1/<schema_file>."""
        path = self._file(resp.content)
        try:
            rc = openapi_check.judge(["clair", self.clair_dir, schema_file, path])
        except SystemExit as e:
            rc = e.code
        check(f"{what}: Clair's {schema_file}", rc == 0, "see above")

    def document(self, method, path, resp, what):
        """vigil's own docs/openapi.json (operation, status, Content-Type, body)."""
        f = self._file(resp.content)
        argv = [self.openapi, method, path, str(resp.status_code), f]
        if resp.headers.get("content-type"):
            argv = ["--content-type", resp.headers["content-type"]] + argv
        try:
            rc = openapi_check.main(argv)
        except SystemExit as e:
            rc = e.code
        check(f"{what}: docs/openapi.json", rc == 0, "see above")


SCHEMA_FOR = {  # api.py's is_valid_response(); DeleteIndexReport is not in it
    "IndexState": "State",
    "Index": "IndexReport",
    "GetIndexReport": "IndexReport",
    "GetVulnerabilityReport": "VulnerabilityReport",
    "GetNotification": "PagedNotifications",
    "DeleteNotification": None,
}
CLAIR_SCHEMA_FOR = {
    "IndexState": "index_state.schema.json",
    "Index": "index_report.schema.json",
    "GetIndexReport": "index_report.schema.json",
    "GetVulnerabilityReport": "vulnerability_report.schema.json",
    "GetNotification": "notification_page.schema.json",
}


class Quay:
    """ClairSecurityScannerAPI (api.py), the same calls and judgements."""

    def __init__(self, endpoint, psk, judges):
        self.endpoint = endpoint
        self.jwt_psk = base64.b64decode(psk) if psk else None
        self.judges = judges
        self.last = None  # the last Resp, for the test's own checks

    def _sign_jwt(self):
        payload = {"iss": "quay", "exp": datetime.datetime.utcnow() + datetime.timedelta(minutes=5)}
        return sign_jwt(self.jwt_psk, payload)

    def _perform(self, name, method, path, body, timeout, token=None):
        url = urljoin(self.endpoint, path)
        headers = {}
        if self.jwt_psk:
            headers["authorization"] = "{} {}".format("Bearer", token or self._sign_jwt())
        resp = http(method, url, body, headers, timeout)
        self.last = resp
        what = f"{method} {path.split('?')[0]} {resp.status_code}"
        if self.judges:
            self.judges.document(method, path, resp, what)
        if resp.status_code == 400:
            raise BadRequestResponseException(resp)
        if resp.status_code // 100 != 2:
            if resp.content.strip() and self.judges:
                self.judges.clair("error.schema.json", resp, what)
            raise Non200ResponseException(resp)
        if name not in SCHEMA_FOR:
            # api.py: schema_for[action.name] raises KeyError for DeleteIndexReport
            raise KeyError(name)
        schema = SCHEMA_FOR[name]
        if schema is not None:
            try:
                instance = resp.json()
            except ValueError as e:
                valid, why = False, f"not JSON: {e}"
            else:
                valid, why = self.judges.quay_valid(schema, instance)
            check(f"{what}: Quay's is_valid_response ({schema})", valid, why)
            if name in CLAIR_SCHEMA_FOR:
                self.judges.clair(CLAIR_SCHEMA_FOR[name], resp, what)
            if not valid:
                raise IncompatibleAPIResponse("Received incompatible response from security scanner")
        return resp

    def state(self):
        try:
            resp = self._perform("IndexState", "GET", "/indexer/api/v1/index_state", None, INDEX_REQUEST_TIMEOUT)
        except (Non200ResponseException, IncompatibleAPIResponse) as ex:
            raise APIRequestFailure(ex)
        return resp.json()

    def index(self, body):
        try:
            resp = self._perform("Index", "POST", "/indexer/api/v1/index_report", body, INDEX_REQUEST_TIMEOUT)
        except BadRequestResponseException as ex:
            raise InvalidContentSent(ex)
        except IncompatibleAPIResponse as ex:
            raise APIRequestFailure(ex)
        assert resp.headers["etag"]  # api.py: "Required clair indexer hash"
        return (resp.json(), resp.headers["etag"].strip('"'))

    def delete(self, manifest_digest):
        try:
            resp = self._perform("DeleteIndexReport", "DELETE", "/indexer/api/v1/index_report/" + manifest_digest,
                                 None, INDEX_REQUEST_TIMEOUT)
        except BadRequestResponseException as ex:
            raise InvalidContentSent(ex)
        except (Non200ResponseException, IncompatibleAPIResponse) as ex:
            raise APIRequestFailure(ex)
        return resp.json()

    def _get_or_none(self, name, path, timeout):
        try:
            resp = self._perform(name, "GET" if name.startswith("Get") else "DELETE", path, None, timeout)
        except IncompatibleAPIResponse as ex:
            raise APIRequestFailure(ex)
        except Non200ResponseException as ex:
            if ex.response.status_code == 404:
                return None
            raise APIRequestFailure(ex)
        return resp

    def index_report(self, h):
        r = self._get_or_none("GetIndexReport", "/indexer/api/v1/index_report/" + h, INDEX_REQUEST_TIMEOUT)
        return r.json() if r else None

    def vulnerability_report(self, h):
        r = self._get_or_none("GetVulnerabilityReport", "/matcher/api/v1/vulnerability_report/" + h,
                              DEFAULT_REQUEST_TIMEOUT)
        return r.json() if r else None

    def retrieve_notification_page(self, notification_id, next_param=None):
        path = "/notifier/api/v1/notification/%s%s" % (notification_id, "?next=" + next_param if next_param else "")
        r = self._get_or_none("GetNotification", path, DEFAULT_REQUEST_TIMEOUT)
        return r.json() if r else None

    def delete_notification(self, notification_id):
        self._get_or_none("DeleteNotification", "/notifier/api/v1/notification/%s" % notification_id,
                          DEFAULT_REQUEST_TIMEOUT)


def features_for(report):
    """secscan_v4_model.py's features_for(): what Quay shows of a
    VulnerabilityReport (the enrichment scores left out). A KeyError or an
    AttributeError here is a crash in Quay."""
    features = []
    dedupe = {}
    for pkg_id, pkg in report["packages"].items():
        pkg_env = report["environments"][pkg_id][0]
        vulns = []
        for vuln_id in report["package_vulnerabilities"].get(pkg_id, []):
            key = pkg["name"] + "_" + pkg["version"] + "_" + report["vulnerabilities"][vuln_id].get("name", "")
            if not dedupe.get(key, False):
                vulns.append(report["vulnerabilities"][vuln_id])
            dedupe[key] = True
        out = []
        for v in vulns:
            sev = v["normalized_severity"]  # fetch_vuln_severity()
            out.append({
                "severity": sev, "updater": v["updater"], "links": v["links"],
                "fixed_by": v["fixed_in_version"] if v["fixed_in_version"] != "0" else "",
                "description": v["description"], "name": v["name"],
                "repository": (v.get("repository", {}).get("name"), v.get("repository", {}).get("uri")),
                "distribution": (v.get("distribution", {}).get("name"), v.get("distribution", {}).get("version")),
                "id": v["id"], "severity_text": v["severity"],
            })
        features.append({"name": pkg["name"], "introduced_in": pkg_env["introduced_in"],
                         "version": pkg["version"], "vulnerabilities": out})
    return features


def quay_body(manifest):
    """index()'s body: Quay's layer URIs (its registry's blob URLs) and
    headers: {"Accept": ["application/gzip"]} joined with the registry
    token's Authorization (BlobURLRetriever.headers_for_download)."""
    body = {"hash": manifest["hash"], "layers": []}
    for l in manifest["layers"]:
        h = {"Accept": ["application/gzip"]}
        auth = (l.get("headers") or {}).get("Authorization")
        if auth:
            h.update({"Authorization": auth})
        body["layers"].append({"hash": l["hash"], "uri": l["uri"], "headers": h})
    return body


def expect_raise(what, exc, fn, *args):
    try:
        fn(*args)
    except exc:
        ok(what)
        return
    except Exception as e:  # noqa: BLE001
        bad(what, f"raised {type(e).__name__}: {e}")
        return
    bad(what, f"no {exc.__name__}")


def flow(a):
    j = Judges(a.specs, a.openapi)
    q = Quay(a.api, a.psk, j)
    with open(a.manifest, encoding="utf-8") as f:
        manifest = json.load(f)
    digest = manifest["hash"]

    # perform_indexing(): state() first, its "state" is the indexer hash
    st = q.state()
    check("state(): a 'state' string", isinstance(st.get("state"), str) and st["state"], repr(st))
    body = quay_body(manifest)
    check("index(): Quay's body carries the registry token", all(
        l["headers"].get("Authorization", [""])[0].startswith("Bearer ") for l in body["layers"]), repr(body)[:300])
    t0 = time.time()
    report, state = q.index(body)
    check(f"index(): 201 ({time.time() - t0:.1f} s)", q.last.status_code == 201, str(q.last.status_code))
    check("index(): report['state'] == 'IndexFinished' (IndexStatus.COMPLETED)",
          report.get("state") == "IndexFinished", repr(report.get("state")))
    check("index(): report['err'] (stored as error_json) is there, empty", report.get("err", None) == "",
          repr(report.get("err", "<missing>")))
    check("index(): the ETag, unquoted, is state()'s state (else Quay re-indexes for ever)",
          state == st["state"], f"{state!r} vs {st['state']!r}")
    check("index(): manifest_hash is the digest", report.get("manifest_hash") == digest)
    check("index(): packages found", len(report.get("packages", {})) > 5, str(len(report.get("packages", {}))))
    # a second worker's run, or a re-index after the state changed
    report2, state2 = q.index(body)
    check("index() again: 201, the same report and ETag", q.last.status_code == 201 and state2 == state and
          json.dumps(report2, sort_keys=True) == json.dumps(report, sort_keys=True))

    ir = q.index_report(digest)
    check("index_report(): the stored IndexReport", ir is not None and ir.get("manifest_hash") == digest)

    # load_security_information(): vulnerability_report() and features_for()
    vr = q.vulnerability_report(digest)
    check("vulnerability_report(): 200", vr is not None and q.last.status_code == 200, str(q.last.status_code))
    if vr is not None:
        check("vulnerability_report(): manifest_hash", vr.get("manifest_hash") == digest)
        try:
            feats = features_for(vr)
            nv = sum(len(f["vulnerabilities"]) for f in feats)
            check(f"features_for(): {len(feats)} features, {nv} vulnerabilities", nv > 0, "no vulnerability")
            check("features_for(): every severity one of Quay's PRIORITY_LEVELS", all(
                v["severity"] in ("Unknown", "Negligible", "Low", "Medium", "High", "Critical")
                for f in feats for v in f["vulnerabilities"]))
        except (KeyError, AttributeError, IndexError, TypeError) as e:
            bad("features_for(): Quay reads the VulnerabilityReport", f"{type(e).__name__}: {e}")

    # unknown manifests: None (NOT_YET_INDEXED), not a failure
    unknown = "sha256:" + "0" * 64
    check("index_report() of an unknown digest: 404 -> None", q.index_report(unknown) is None and
          q.last.status_code == 404, str(q.last.status_code))
    check("vulnerability_report() of an unknown digest: 404 -> None", q.vulnerability_report(unknown) is None and
          q.last.status_code == 404, str(q.last.status_code))
    # a body Clair refuses: InvalidContentSent (the manifest is marked unsupported)
    expect_raise("index() of a Manifest without a digest: 400 -> InvalidContentSent", InvalidContentSent,
                 q.index, {"hash": "latest", "layers": body["layers"]})

    if q.jwt_psk:
        for what, tok in (("another key", sign_jwt(b"not the key", {"iss": "quay", "exp": int(time.time()) + 300})),
                          ("expired", sign_jwt(q.jwt_psk, {"iss": "quay", "exp": int(time.time()) - 3600})),
                          ("issuer other", sign_jwt(q.jwt_psk, {"iss": "other", "exp": int(time.time()) + 300}))):
            try:
                q._perform("IndexState", "GET", "/indexer/api/v1/index_state", None, 30, token=tok)
                bad(f"a token of {what}: 401", f"answered {q.last.status_code}")
            except Non200ResponseException as e:
                check(f"a token of {what}: 401", e.response.status_code == 401, str(e.response.status_code))
        r = http("GET", urljoin(a.api, "/indexer/api/v1/index_state"), None, {}, 30)
        check("no token: 401", r.status_code == 401, str(r.status_code))

    # garbage_collect_manifest_report(): delete(); Clair answers 204 without a
    # body, after which api.py's own is_valid_response raises KeyError
    # (DeleteIndexReport is not in its schema_for): a Quay defect, not Clair's.
    try:
        q.delete(digest)
        bad("delete(): 204", "no KeyError from api.py")
    except KeyError:
        check("delete(): 204 (then api.py's KeyError: 'DeleteIndexReport', Quay's own defect)",
              q.last.status_code == 204 and not q.last.content, str(q.last.status_code))
    except APIRequestFailure as e:
        bad("delete(): 204", f"APIRequestFailure {e}")
    check("index_report() after delete(): 404 -> None", q.index_report(digest) is None and
          q.last.status_code == 404, str(q.last.status_code))
    # a manifest no longer indexed: 204 as the real Clair answers, so
    # api.py raises its KeyError again (Clair's behaviour, Quay's defect)
    expect_raise("delete() again: 204 (Clair's answer) -> api.py's KeyError", KeyError, q.delete, digest)
    check("delete() again: 204, no body", q.last.status_code == 204 and not q.last.content, str(q.last.status_code))

    # not Quay's (api.py has no bulk deletion): Clair's bulk DELETE, with
    # Quay's token, of the manifest indexed again and an unknown one
    q.index(body)
    h = {"authorization": "Bearer " + q._sign_jwt()} if q.jwt_psk else {}
    r = http("DELETE", urljoin(a.api, "/indexer/api/v1/index_report"), [digest, unknown], h, INDEX_REQUEST_TIMEOUT)
    j.document("DELETE", "/indexer/api/v1/index_report", r, "bulk DELETE 200")
    j.clair("bulk_delete.schema.json", r, "bulk DELETE 200")
    check("bulk DELETE (Clair's; not a Quay call): 200, the digest deleted", r.status_code == 200 and
          json.loads(r.content or b"null") == [digest], f"{r.status_code} {r.content[:200]!r}")
    check("index_report() after the bulk DELETE: 404 -> None", q.index_report(digest) is None)
    return 1 if FAILED else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--api", required=True)
    ap.add_argument("--psk", default=None)
    ap.add_argument("--specs", required=True)
    ap.add_argument("--openapi", required=True)
    ap.add_argument("--manifest", required=True)
    a = ap.parse_args()
    print(f"  quay_replay: requests {getattr(requests, '__version__', 'absent (urllib)')}, "
          f"PyJWT {getattr(pyjwt, '__version__', 'absent (stdlib HS256)')}, jsonschema Draft 7 for Quay's checks",
          flush=True)
    try:
        return flow(a)
    except (APIRequestFailure, InvalidContentSent, IncompatibleAPIResponse, AssertionError, KeyError) as e:
        bad("Quay's client stopped", f"{type(e).__name__}: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
