#!/usr/bin/env python3
"""tests/integration/lib/feedserver.py: a local stand-in for the feed
upstreams, for the tests of `vigil db update` (stdlib only).

It serves the real feed snapshots of shared/testdata/feeds laid out as a
vigil mirror (URL/<feed>/<file>), building in memory what upstream ships as
archives (the OSV Go all.zip, the Ubuntu CVE tracker tarball, the RubySec,
FriendsOfPHP and Node.js security WG repository tarballs), the Ubuntu
OVAL files (bzip2 of the repository's hand-made samples in
tests/feed/data/ubuntu-oval: the shared data has no Ubuntu OVAL) and the NVD
API 2.0 paging (/api/nvd/cves/2.0?startIndex=&resultsPerPage=, and
/nvd/page-NNNNN.json for the mirror layout) from the real NVD pages. Every
answer has an ETag and a Last-Modified and honours If-None-Match /
If-Modified-Since with 304. Fault modes, set per path prefix through
/_fault?prefix=/alpine/&mode=M: 500, truncate (Content-Length promises more
than is sent, then the connection closes), stall (half the body, then
silence), slowloris (nothing at all for a long time), redirect-ftp,
redirect-loop, none. /_stats gives the request counts by status.

    feedserver.py --root FEEDS --port-file F [--max-seconds 900]
    feedserver.py --root FEEDS --materialize DIR   (the mirror as a folder: symlinks + archives)

It binds 127.0.0.1 on a free port, writes the port to --port-file, and exits
by itself after --max-seconds; the tests stop it by its PID.
"""
import argparse
import bz2
import email.utils
import gzip
import hashlib
import io
import json
import os
import socket
import sys
import tarfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

NVD_MIRROR_PAGE = 20       # records per page of the mirror layout
FAULT_SLEEP_MAX = 30.0     # a stall or slow-loris never holds a thread longer
FIXED_DATE = (2020, 6, 18, 0, 0, 0)


def build_zip(files, prefix=""):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for path in files:
            info = zipfile.ZipInfo(prefix + os.path.basename(path), FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
    return buf.getvalue()


def build_tgz(members):
    """members: (name in the archive, path on disk)"""
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name, path in members:
                with open(path, "rb") as f:
                    data = f.read()
                ti = tarfile.TarInfo(name)
                ti.size = len(data)
                ti.mtime = 1592438400
                ti.mode = 0o644
                tar.addfile(ti, io.BytesIO(data))
    return raw.getvalue()


def nvd_records(root):
    seen, out = set(), []
    d = os.path.join(root, "nvd", "api2-pages")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            page = json.load(f)
        for v in page.get("vulnerabilities", []):
            cid = v.get("cve", {}).get("id")
            if cid and cid not in seen:
                seen.add(cid)
                out.append(v)
    return out


def nvd_page(records, start, per):
    chunk = records[start:start + per]
    return json.dumps({
        "resultsPerPage": len(chunk), "startIndex": start, "totalResults": len(records),
        "format": "NVD_CVE", "version": "2.0", "timestamp": "2023-11-30T00:00:00.000",
        "vulnerabilities": chunk}, sort_keys=True).encode()


def photon_layout(root, m):
    """Photon OS as packages.broadcom.com names its files: cve_data per
    release (4.0 from vunnel's fixture), the PHSA OVAL gzipped."""
    for rel, path in (("1.0", "cve-metadata"), ("2.0", "cve-metadata"), ("3.0", "cve-metadata"),
                      ("4.0", "vunnel-fixture/input")):
        m["photon/cve_data_photon%s.json" % rel] = (
            "file", os.path.join(root, "photon", path, "cve_data_photon%s.json" % rel))
    with open(os.path.join(root, "photon/oval/com.vmware.phsa-photon3.xml"), "rb") as f:
        m["photon-oval/com.vmware.phsa-photon3.xml.gz"] = ("bytes", gzip.compress(f.read(), 9, mtime=0))


def mirror_layout(root):
    """{relative path: ('file', path) or ('bytes', data)}"""
    m = {}
    m["debian/tracker.json"] = ("file", os.path.join(root, "debian/vunnel-fixture/debian.json"))
    for lst in ("DSA-list", "DLA-list"):
        m["debian-lists/" + lst] = ("file", os.path.join(root, "debian/tracker-lists", lst))
    adir = os.path.join(root, "alpine/secdb-json")
    for rel in sorted(os.listdir(adir)):
        for repo in ("main", "community"):
            p = os.path.join(adir, rel, repo + ".json")
            if os.path.isfile(p):
                m["alpine/%s-%s.json" % (rel, repo)] = ("file", p)
    odir = os.path.join(root, "redhat/oval-v2")
    for rel in sorted(os.listdir(odir)):
        sub = os.path.join(odir, rel)
        if os.path.isdir(sub):
            for name in sorted(os.listdir(sub)):
                if name.endswith(".oval.xml.bz2"):
                    m["redhat-oval/" + name] = ("file", os.path.join(sub, name))
    mdir = os.path.join(root, "mariner/oval")  # Azure Linux / CBL-Mariner OVAL, by upstream name
    for name in sorted(os.listdir(mdir)) if os.path.isdir(mdir) else []:
        if name.endswith("-oval.xml"):
            m["mariner/" + name] = ("file", os.path.join(mdir, name))
    gdir = os.path.join(root, "osv/go-vulndb/osv")
    m["osv/Go-all.zip"] = ("bytes", build_zip(
        [os.path.join(gdir, n) for n in sorted(os.listdir(gdir)) if n.endswith(".json")]))
    udir = os.path.join(root, "ubuntu/uct")
    members = [("ubuntu-cve-tracker-master/README.uct", os.path.join(udir, "README.uct"))]
    adir = os.path.join(udir, "active")
    members += [("ubuntu-cve-tracker-master/active/" + n, os.path.join(adir, n))
                for n in sorted(os.listdir(adir))]
    m["ubuntu/ubuntu-cve-tracker.tar.gz"] = ("bytes", build_tgz(members))
    # the language advisory repositories, as GitHub's archive tarballs name their members
    for rel, top, name in (("rubysec/ruby-advisory-db", "ruby-advisory-db-master", "rubysec/ruby-advisory-db.tar.gz"),
                           ("php/friendsofphp-advisories", "security-advisories-master",
                            "friendsofphp/security-advisories.tar.gz"),
                           ("npm/nodejs-security-wg", "security-wg-main", "nodejs-wg/security-wg.tar.gz")):
        base = os.path.join(root, rel)
        members = []
        for d, dirs, files in os.walk(base):
            dirs.sort()
            for n in sorted(files):
                path = os.path.join(d, n)
                members.append((top + "/" + os.path.relpath(path, base), path))
        m[name] = ("bytes", build_tgz(members))
    sdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "feed", "data", "ubuntu-oval")
    for code in ("bionic", "focal", "jammy", "noble"):
        name = "com.ubuntu.%s.cve.oval.xml" % code
        with open(os.path.join(sdir, name), "rb") as f:
            m["ubuntu-oval/%s.bz2" % name] = ("bytes", bz2.compress(f.read(), 9))
    updateinfo_layout(root, m)
    layout_alma(m, root)
    # Oracle Linux ELSA OVAL (docs/feeds-oracle.md): the samples under their own names
    odir = os.path.join(root, "oracle/elsa-oval")
    if os.path.isdir(odir):
        for name in sorted(os.listdir(odir)):
            m["oracle/" + name] = ("file", os.path.join(odir, name))
    suse_layout(root, m)
    photon_layout(root, m)
    # Fedora: Bodhi's /updates/ API answer as vigil saves it (<file>-NNNNN.json), one page of
    # the real update records; the query string of an API request is ignored like any other
    fdir = os.path.join(root, "fedora/vunnel-bodhi/merge-input")
    if os.path.isdir(fdir):
        ups = []
        for n in sorted(os.listdir(fdir)):
            if n.endswith(".json"):
                with open(os.path.join(fdir, n), "rb") as f:
                    ups.append(json.load(f))
        m["fedora/bodhi-00001.json"] = ("bytes", json.dumps(
            {"updates": ups, "page": 1, "pages": 1, "rows_per_page": 100, "total": len(ups)}).encode())
    # Wolfi and Chainguard: the secdb files, the CGA OSV documents as osv.dev's all.zip
    for feed, rel in (("wolfi", "wolfi/vunnel-fixture/input/secdb/security.json"),
                      ("chainguard", "chainguard/vunnel-fixture/input/secdb/security.json")):
        m["%s/%s-security.json" % (feed, feed)] = ("file", os.path.join(root, rel))
    cdir = os.path.join(root, "chainguard/vunnel-fixture/input/osv")
    m["chainguard-osv/Chainguard-all.zip"] = ("bytes", build_zip(
        [os.path.join(cdir, n) for n in sorted(os.listdir(cdir)) if n.startswith("CGA-")]))
    # no Wolfi OSV in the shared data: the wolfi-dev/advisories YAML (the same feed) stands in
    wdir = os.path.join(root, "alpine/wolfi-advisories-2025-05")
    m["wolfi-osv/Wolfi-all.zip"] = ("bytes", build_zip(
        [os.path.join(wdir, n) for n in sorted(os.listdir(wdir)) if n.endswith(".advisories.yaml")]))
    recs = nvd_records(root)
    for i, start in enumerate(range(0, len(recs), NVD_MIRROR_PAGE)):
        m["nvd/page-%05d.json" % i] = ("bytes", nvd_page(recs, start, NVD_MIRROR_PAGE))
    return m, recs


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=1, mtime=0) as g:
        g.write(data)
    return buf.getvalue()


def repomd(href, data):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/metadata/repo">\n'
            '  <revision>1</revision>\n  <data type="updateinfo">\n'
            '    <checksum type="sha256">%s</checksum>\n    <location href="%s"/>\n'
            '    <size>%d</size>\n  </data>\n</repomd>\n' % (hashlib.sha256(data).hexdigest(), href, len(data))).encode()


def updateinfo_layout(root, m):
    """Amazon Linux and Rocky Linux updateinfo (docs/feeds-amazon-rocky.md):
    the mirror layout (amazon/<file>, rocky/<file> as the built-in catalog
    names them) and yum repositories under repo/: mirror.list (answered
    with this server's address) -> repodata/repomd.xml (checksums of the
    files served) -> repodata/<sha>-updateinfo.xml.gz; repo/amazon-badsum
    serves the real repomd_valid.xml (its checksum is not the file's),
    repo/amazon-nodata the real repomd_invalid.xml, repo/rocky-noinfo the
    real no_updateinfo_field/repomd.xml."""
    adir, rdir = os.path.join(root, "amazon/updateinfo"), os.path.join(root, "rocky/updateinfo")
    if not os.path.isdir(adir) or not os.path.isdir(rdir):
        return
    def plain(name):
        with gzip.open(os.path.join(adir, name), "rb") as f:
            return f.read()
    # Amazon Linux 2: the two AL2 samples as one file, as the core repository has them
    one, two = plain("updateinfo_1_item.xml.gz"), plain("updateinfo_2_items.xml.gz")
    upd = one[one.index(b"<update "):one.rindex(b"</updates>")]
    al2 = two.replace(b"</updates>", upd + b"</updates>")
    empty = gz(b'<?xml version="1.0" ?>\n<updates></updates>\n')
    with open(os.path.join(rdir, "happy/updateinfo.xml"), "rb") as f:
        rocky8 = gz(f.read())
    files = {"amzn1-updateinfo.xml.gz": empty, "amzn2-core-updateinfo.xml.gz": gz(al2),
             "al2022-core-updateinfo.xml.gz": gz(plain("updateinfo_AL2022.xml.gz")),
             "al2023-core-updateinfo.xml.gz": gz(plain("updateinfo_AL2023.xml.gz"))}
    for name, data in files.items():
        m["amazon/" + name] = ("bytes", data)
    for rel in ("8", "9"):
        for repo in ("BaseOS", "AppStream"):
            for arch in ("x86_64", "aarch64"):
                name = "rocky-%s-%s-%s-updateinfo.xml.gz" % (rel, repo, arch)
                m["rocky/" + name] = ("bytes", rocky8 if name.startswith("rocky-8-BaseOS-x86_64") else empty)
    # the repositories
    for rel, data in (("1", empty), ("2", files["amzn2-core-updateinfo.xml.gz"]),
                      ("2023", files["al2023-core-updateinfo.xml.gz"])):
        base = "repo/amazon/%s/" % rel
        href = "repodata/%s-updateinfo.xml.gz" % hashlib.sha256(data).hexdigest()[:16]
        m[base + "mirror.list"] = ("host", ("http://{host}/" + base.rstrip("/") + "\n").encode())
        m[base + "repodata/repomd.xml"] = ("bytes", repomd(href, data))
        m[base + href] = ("bytes", data)
    m["repo/amazon-badsum/mirror.list"] = ("host", b"http://{host}/repo/amazon-badsum/\n")
    m["repo/amazon-badsum/repodata/repomd.xml"] = ("file", os.path.join(adir, "repomd_valid.xml"))
    m["repo/amazon-badsum/repodata/updateinfo.xml.gz"] = ("file", os.path.join(adir, "updateinfo_1_item.xml.gz"))
    m["repo/amazon-nodata/mirror.list"] = ("host", b"# the AL2 core\nhttp://{host}/repo/amazon-nodata\n")
    m["repo/amazon-nodata/repodata/repomd.xml"] = ("file", os.path.join(adir, "repomd_invalid.xml"))
    m["repo/amazon-garbage/mirror.list"] = ("bytes", b"<html>no mirrors</html>\n")
    for arch in ("x86_64", "aarch64"):
        base = "repo/rocky/8/BaseOS/%s/os/" % arch
        data = rocky8 if arch == "x86_64" else empty
        m[base + "repodata/repomd.xml"] = ("bytes", repomd("repodata/updateinfo.xml.gz", data))
        m[base + "repodata/updateinfo.xml.gz"] = ("bytes", data)
    m["repo/rocky-noinfo/repodata/repomd.xml"] = ("file", os.path.join(rdir, "no_updateinfo_field/repomd.xml"))
def layout_alma(m, root):
    """AlmaLinux errata (errata.json served under the upstream's
    errata.full.json name: the parser reads both schemas) and the OSV
    zips of AlmaLinux and Rocky as osv.dev publishes them."""
    m["alma/almalinux-8-errata.full.json"] = ("file", os.path.join(root, "alma/errata-json/errata.json"))
    adir = os.path.join(root, "alma/osv-database/advisories/almalinux9")
    vdir = os.path.join(root, "alma/vunnel-osv/osv-database/advisories/almalinux8")
    m["alma-osv/AlmaLinux-all.zip"] = ("bytes", build_zip(
        [os.path.join(d, n) for d in (adir, vdir) for n in sorted(os.listdir(d)) if n.endswith(".json")]))
    rdir = os.path.join(root, "rocky/vunnel-osv/osv")
    m["rocky-osv/RockyLinux-all.zip"] = ("bytes", build_zip(
        [os.path.join(rdir, n) for n in sorted(os.listdir(rdir)) if n.endswith(".json")]))
def suse_layout(root, m):
    """SUSE: the advisories as upstream's cvrf.tar.bz2 (the good ones: not
    broken-cvrf/), the SLES 15 OVAL bzip2'd as ftp.suse.com serves it."""
    sdir = os.path.join(root, "suse")
    if not os.path.isdir(sdir):
        return
    cdir = os.path.join(sdir, "cvrf", "cvrf")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:bz2") as tar:
        for n in sorted(os.listdir(cdir)):
            info = tar.gettarinfo(os.path.join(cdir, n), arcname=n)
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            info.mode = 0o644
            with open(os.path.join(cdir, n), "rb") as f:
                tar.addfile(info, f)
    m["suse-cvrf/cvrf.tar.bz2"] = ("bytes", buf.getvalue())
    with open(os.path.join(sdir, "vunnel-oval", "suse_truncated.xml"), "rb") as f:
        m["suse-oval/suse.linux.enterprise.server.15.xml.bz2"] = ("bytes", bz2.compress(f.read(), 9))


def materialize(layout, out):
    for rel, (kind, val) in layout.items():
        if rel.startswith("repo/"):
            continue  # the yum repositories of the online tests are no mirror
        dest = os.path.join(out, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if kind == "file":
            os.symlink(os.path.abspath(val), dest)
        elif kind == "host":
            continue  # answered with the server's address: no mirror file
        else:
            with open(dest, "wb") as f:
                f.write(val)


class State:
    def __init__(self, layout, nvd):
        self.layout, self.nvd = layout, nvd
        self.started = int(time.time()) - 60
        self.lock = threading.Lock()
        self.faults = {}
        self.stats = {}
        self.cache = {}

    def body(self, rel):
        with self.lock:
            if rel in self.cache:
                return self.cache[rel]
        kind, val = self.layout[rel]
        if kind == "file":
            with open(val, "rb") as f:
                data = f.read()
            mtime = int(os.stat(val).st_mtime)
        else:  # "bytes", or "host" (the {host} of its bytes replaced per request)
            data, mtime = val, self.started
        entry = (data, '"%s"' % hashlib.sha256(data).hexdigest()[:32], mtime)
        with self.lock:
            self.cache[rel] = entry
        return entry

    def fault_for(self, path):
        with self.lock:
            for prefix, mode in self.faults.items():
                if path.startswith(prefix):
                    return mode
        return None

    def count(self, status):
        with self.lock:
            self.stats[str(status)] = self.stats.get(str(status), 0) + 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "feedserver/1"

    def log_message(self, fmt, *args):
        if os.environ.get("FEEDSERVER_LOG"):
            sys.stderr.write("feedserver: " + (fmt % args) + "\n")

    def reply(self, status, body=b"", headers=None):
        st = self.server.state
        if not self.path.startswith("/_"):
            st.count(status)
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def control(self, url):
        st = self.server.state
        q = parse_qs(url.query)
        if url.path == "/_fault":
            prefix, mode = q.get("prefix", ["/"])[0], q.get("mode", ["none"])[0]
            with st.lock:
                if mode == "none":
                    st.faults.pop(prefix, None)
                else:
                    st.faults[prefix] = mode
            return self.reply(200, b"ok\n")
        if url.path == "/_stats":
            with st.lock:
                body = json.dumps({"requests": sum(st.stats.values()), "status": st.stats}).encode()
            return self.reply(200, body, {"Content-Type": "application/json"})
        if url.path == "/_reset":
            with st.lock:
                st.stats = {}
            return self.reply(200, b"ok\n")
        return self.reply(404, b"no such control\n")

    def fault(self, mode, data, etag, lm):
        if mode == "500":
            return self.reply(500, b"internal error (injected)\n")
        if mode == "redirect-ftp":
            return self.reply(302, b"", {"Location": "ftp://127.0.0.1/feed"})
        if mode == "redirect-loop":
            return self.reply(302, b"", {"Location": self.path})
        if mode == "slowloris":
            self.server.state.count("slowloris")
            time.sleep(FAULT_SLEEP_MAX)
            self.close_connection = True
            return None
        self.server.state.count(mode)
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", lm)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        cut = max(1, len(data) // 2)
        self.wfile.write(data[:cut])
        self.wfile.flush()
        if mode == "stall":
            time.sleep(FAULT_SLEEP_MAX)
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return None

    def do_GET(self):
        url = urlsplit(self.path)
        st = self.server.state
        if url.path.startswith("/_"):
            return self.control(url)
        if url.path == "/api/nvd/cves/2.0":
            q = parse_qs(url.query)
            try:
                start = int(q.get("startIndex", ["0"])[0])
                per = min(2000, int(q.get("resultsPerPage", ["2000"])[0]))
            except ValueError:
                return self.reply(400, b"bad paging\n")
            data = nvd_page(st.nvd, start, per)
            entry = (data, '"%s"' % hashlib.sha256(data).hexdigest()[:32], st.started)
        else:
            rel = url.path.lstrip("/")
            if rel not in st.layout:
                return self.reply(404, b"not found\n")
            entry = st.body(rel)
            if st.layout[rel][0] == "host":  # a mirror.list naming this server
                data = entry[0].replace(b"{host}", self.headers.get("Host", "127.0.0.1").encode())
                entry = (data, '"%s"' % hashlib.sha256(data).hexdigest()[:32], entry[2])
        data, etag, mtime = entry
        lm = email.utils.formatdate(mtime, usegmt=True)
        mode = st.fault_for(url.path)
        if mode:
            return self.fault(mode, data, etag, lm)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            if inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]:
                return self.reply(304, b"", {"ETag": etag, "Last-Modified": lm})
        elif ims is not None:
            try:
                when = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                when = None
            if when is not None and mtime <= when:
                return self.reply(304, b"", {"ETag": etag, "Last-Modified": lm})
        return self.reply(200, data, {"ETag": etag, "Last-Modified": lm,
                                      "Content-Type": "application/octet-stream"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file")
    ap.add_argument("--materialize")
    ap.add_argument("--max-seconds", type=float, default=900)
    a = ap.parse_args()
    layout, nvd = mirror_layout(a.root)
    if a.materialize:
        materialize(layout, a.materialize)
        return 0
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.state = State(layout, nvd)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    threading.Timer(a.max_seconds, lambda: os._exit(0)).start()
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
