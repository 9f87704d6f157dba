#!/bin/bash
# scripts/make-images.sh: builds the real container images that vigil's
# integration tests and benchmarks read, once, into a cache folder. The demo
# is a 3-layer Debian bookworm image (layer 1: mmdebstrap minbase; layer 2:
# apt-get install curl ca-certificates libxml2; layer 3: deletes files with
# whiteouts and adds one), written as an OCI layout with gzip layers (oci/,
# tags base, v1, v2), the same with zstd layers (oci-zstd/, tag v2), a
# docker-archive (demo-v2.docker.tar) and its flattened root filesystem
# (rootfs-v2/). Beside it, cases/ is an OCI layout of small crafted images on
# top of the demo's base layer (whiteouts, opaque folders, symlinks, hostile
# layers: see docs/testing.md); with --big, big/ holds the demo plus a 2 GiB
# layer for the memory benchmark. Everything is built in a temporary folder
# and renamed into place, and OUTDIR/.complete records the hash of this
# script: a second run with the same recipe does nothing. Quiet unless it
# fails; exits 77 when the tools or Debian's mirror cannot be had.
#
# Usage: scripts/make-images.sh [--big] [OUTDIR]
#        OUTDIR defaults to ${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}.
# shellcheck disable=SC2317 # functions run through step() and trap
set -euo pipefail

BIG=0
OUT=
for arg in "$@"; do
	case $arg in
	--big) BIG=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*) echo "make-images: unknown option $arg" >&2; exit 2 ;;
	*) OUT=$arg ;;
	esac
done
OUT=${OUT:-${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}}
OUT=$(realpath -m "$OUT")
SELF=$(realpath "${BASH_SOURCE[0]}")
# The demo's recipe is the marked block below (changing the crafted cases
# does not rebuild the demo); the cases' and big's is the whole script.
RECIPE=$(sha256sum "$SELF" | cut -d' ' -f1)
DEMO_RECIPE=$(sed -n '/^# <demo-recipe>$/,/^# <\/demo-recipe>$/p' "$SELF" | sha256sum | cut -d' ' -f1)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

done_for() { # DIR HASH: true when DIR was completely built by that recipe
	[ -f "$1/.complete" ] && grep -qx "recipe $2" "$1/.complete"
}
all_done() {
	done_for "$OUT" "$DEMO_RECIPE" && done_for "$OUT/cases" "$RECIPE" &&
		{ [ "$BIG" = 0 ] || done_for "$OUT/big" "$RECIPE"; }
}

# Fast path, without the lock: nothing to do.
if all_done; then exit 0; fi

mkdir -p "$(dirname "$OUT")"
exec 9>"$OUT.lock"
flock 9 # another run (a parallel ctest) may be building: wait for it
if all_done; then exit 0; fi
# what an interrupted (killed) build left
rm -rf "$OUT".tmp.* "$OUT"/cases.tmp.* "$OUT"/big.tmp.*

LOG=$OUT.build.log
TMP=
cleanup() { if [ -n "$TMP" ]; then rm -rf "$TMP"; fi; }
trap cleanup EXIT

fail() { # EXITCODE MESSAGE: says what failed with the end of the log
	echo "make-images: $2 (log: $LOG)" >&2
	if [ -s "$LOG" ]; then tail -n 40 "$LOG" | sed 's/^/  | /' >&2; fi
	exit "$1"
}

step() { # DESCRIPTION COMMAND...: runs quietly into the log
	local what=$1
	shift
	echo "== $what: $*" >>"$LOG"
	if ! "$@" >>"$LOG" 2>&1; then
		if grep -qE 'Could not resolve|Failed to fetch|Temporary failure|Connection (refused|timed out)|Network is unreachable|Unable to connect' "$LOG"; then
			fail 77 "$what: Debian's mirror cannot be reached"
		fi
		fail 1 "$what failed"
	fi
}

need_tools() {
	local missing=() t
	for t in mmdebstrap:mmdebstrap umoci:umoci skopeo:skopeo jq:jq igzip:isal zstd:zstd \
		flock:util-linux python3:python3; do
		command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}")
	done
	[ ${#missing[@]} = 0 ] && return 0
	echo "== installing ${missing[*]}" >>"$LOG"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1; then
		apt-get update -qq >>"$LOG" 2>&1 || true
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 ||
			fail 77 "cannot install ${missing[*]}"
	fi
}

# ---- the python helper that writes crafted OCI images -------------------
write_helper() {
	cat >"$1" <<'PYEOF'
"""Appends crafted layers to OCI layouts (python3 standard library only)."""
import base64, gzip, hashlib, io, json, os, random, shutil, sys, tarfile

REF = "org.opencontainers.image.ref.name"
GZ = "application/vnd.oci.image.layer.v1.tar+gzip"


def bpath(layout, digest):
    algo, hexd = digest.split(":", 1)
    return os.path.join(layout, "blobs", algo, hexd)


def rblob(layout, digest):
    with open(bpath(layout, digest), "rb") as f:
        return f.read()


def wblob(layout, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    p = bpath(layout, digest)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    if not os.path.exists(p):
        with open(p, "wb") as f:
            f.write(data)
    return digest, len(data)


def jdump(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()


def index(layout):
    with open(os.path.join(layout, "index.json")) as f:
        return json.load(f)


def find(layout, tag):
    for d in index(layout)["manifests"]:
        if d.get("annotations", {}).get(REF) == tag:
            return d
    raise SystemExit("no tag %s in %s" % (tag, layout))


def set_tag(layout, tag, desc):
    idx = index(layout)
    idx["manifests"] = [d for d in idx["manifests"]
                        if d.get("annotations", {}).get(REF) != tag]
    desc = dict(desc)
    desc["annotations"] = {REF: tag}
    idx["manifests"].append(desc)
    tmp = os.path.join(layout, "index.json.tmp")
    with open(tmp, "wb") as f:
        f.write(jdump(idx))
    os.replace(tmp, os.path.join(layout, "index.json"))


def copy_tag(src, tag, dst):
    """Puts src:tag into the layout dst (blobs hard-linked)."""
    os.makedirs(os.path.join(dst, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(dst, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    if not os.path.exists(os.path.join(dst, "index.json")):
        with open(os.path.join(dst, "index.json"), "wb") as f:
            f.write(jdump({"schemaVersion": 2, "manifests": []}))
    desc = find(src, tag)
    man = json.loads(rblob(src, desc["digest"]))
    for d in [desc, man["config"]] + man["layers"]:
        if not os.path.exists(bpath(dst, d["digest"])):
            os.link(bpath(src, d["digest"]), bpath(dst, d["digest"]))
    set_tag(dst, tag, {k: desc[k] for k in ("mediaType", "digest", "size")})


def add_blob(layout, src_tag, dst_tag, blob_digest, blob_size, diff_id, media, created_by):
    """Makes dst_tag = src_tag plus one layer whose blob is already stored."""
    desc = find(layout, src_tag)
    man = json.loads(rblob(layout, desc["digest"]))
    cfg = json.loads(rblob(layout, man["config"]["digest"]))
    cfg["rootfs"]["diff_ids"].append(diff_id)
    cfg.setdefault("history", []).append(
        {"created": "2024-01-01T00:00:00Z", "created_by": created_by})
    cdig, csize = wblob(layout, jdump(cfg))
    man["config"] = {"mediaType": man["config"]["mediaType"], "digest": cdig, "size": csize}
    man["layers"].append({"mediaType": media, "digest": blob_digest, "size": blob_size})
    mdig, msize = wblob(layout, jdump(man))
    set_tag(layout, dst_tag, {"mediaType": desc["mediaType"], "digest": mdig, "size": msize})
    return blob_digest


def add_layer(layout, src_tag, dst_tag, tar_bytes, created_by):
    diff_id = "sha256:" + hashlib.sha256(tar_bytes).hexdigest()
    dig, size = wblob(layout, gzip.compress(tar_bytes, compresslevel=6, mtime=0))
    return add_blob(layout, src_tag, dst_tag, dig, size, diff_id, GZ, created_by)


def make_tar(entries):
    """entries: (name, kind, payload) with kind file|dir|symlink|hardlink."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, payload in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = 1704067200
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = "root"
            if kind == "file":
                ti.type, ti.mode, ti.size = tarfile.REGTYPE, 0o644, len(payload)
                t.addfile(ti, io.BytesIO(payload))
            elif kind == "dir":
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                t.addfile(ti)
            elif kind == "symlink":
                ti.type, ti.mode, ti.linkname = tarfile.SYMTYPE, 0o777, payload
                t.addfile(ti)
            else:
                raise SystemExit("bad kind " + kind)
    return buf.getvalue()


def stanzas(status):
    return [s for s in status.split("\n\n") if s.strip()]


def field(stanza, name):
    for line in stanza.split("\n"):
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    return None


def set_field(stanza, name, value):
    return "\n".join(name + ": " + value if l.startswith(name + ":") else l
                     for l in stanza.split("\n"))


def status_text(sts):
    return ("\n\n".join(s.strip("\n") for s in sts) + "\n").encode()


def pkg(name, version, source=None):
    s = ("Package: %s\nStatus: install ok installed\nPriority: optional\n"
         "Section: misc\nInstalled-Size: 12\nMaintainer: vigil tests <tests@vigil.invalid>\n"
         "Architecture: all\n" % name)
    if source:
        s += "Source: %s\n" % source
    return s + "Version: %s\nDescription: crafted by vigil's make-images.sh\n" % version


def cases(layout, status_path):
    """The crafted images; docs/testing.md says what each one checks."""
    with open(status_path) as f:
        base = stanzas(f.read())
    names = [field(s, "Package") for s in base]
    for need in ("base-files", "bash", "dpkg", "hostname", "dash"):
        if need not in names:
            raise SystemExit("base status lacks " + need)
    by = dict(zip(names, base))
    leak = "tmp/vigil-hostleak"
    inside = status_text([pkg("vigil-inside", "1.0-1")])
    add = lambda tag, entries, what: add_layer(layout, "base", tag, make_tar(entries), what)
    wh = lambda p: (os.path.dirname(p) + "/.wh." + os.path.basename(p), "file", b"")

    # whiteouts of the dpkg database
    add("wh-status", [wh("var/lib/dpkg/status")], "rm var/lib/dpkg/status")
    add("wh-dpkgdir", [wh("var/lib/dpkg")], "rm -r var/lib/dpkg")
    # opaque folder: var/lib/dpkg replaced by one holding three base packages
    # (same versions as layer 1) and one new one
    opq = [by["base-files"], by["bash"], by["dpkg"],
           pkg("vigil-opaque", "2.0-1", "vigil-opaque-src (2.0)")]
    add("opaque-dpkg", [("var/lib/dpkg", "dir", None), ("var/lib/dpkg/.wh..wh..opq", "file", b""),
                        ("var/lib/dpkg/status", "file", status_text(opq))],
        "var/lib/dpkg replaced by an opaque folder")
    # layer 2 rewrites status: hostname deinstalled (config-files), dash
    # upgraded, vigil-demo added
    changed = []
    for n, s in zip(names, base):
        if n == "hostname":
            s = set_field(s, "Status", "deinstall ok config-files")
        elif n == "dash":
            s = set_field(s, "Version", field(s, "Version") + "+vigil1")
        changed.append(s)
    changed.append(pkg("vigil-demo", "1.0-1", "vigil-demo-src (1.0-0)"))
    add("pkg-changed", [("var/lib/dpkg/status", "file", status_text(changed))],
        "status rewritten: hostname removed, dash upgraded, vigil-demo added")
    # symlinks: the image's own files, never the host's (/tmp/vigil-hostleak
    # is where the tests put a canary on the host)
    add("abs-link-missing", [("var/lib/dpkg/status", "symlink", "/" + leak + "/status")],
        "status -> absolute path that only exists on the host")
    add("abs-link-inside", [(leak, "dir", None), (leak + "/status", "file", inside),
                            ("var/lib/dpkg/status", "symlink", "/" + leak + "/status")],
        "status -> absolute path inside the image")
    add("rel-link-escape", [(leak, "dir", None), (leak + "/status", "file", inside),
                            ("var/lib/dpkg/status", "symlink",
                             "../../../../../../../../" + leak + "/status")],
        "status -> relative path climbing above the root")
    add("abs-dirlink", [("var/lib/dpkg", "symlink", "/" + leak)],
        "var/lib/dpkg -> absolute folder that only exists on the host")
    add("abs-link-passwd", [("var/lib/dpkg/status", "symlink", "/etc/passwd")],
        "status -> /etc/passwd")
    add("link-loop", [("var/lib/dpkg/status", "symlink", "/var/lib/dpkg/loop"),
                      ("var/lib/dpkg/loop", "symlink", "status")],
        "status -> loop -> status")
    add("link-self", [("var/lib/dpkg/status", "symlink", "/var/lib/dpkg/status")],
        "status -> itself")
    add("osrel-loop", [("usr/lib/os-release", "symlink", "../../etc/os-release")],
        "usr/lib/os-release -> ../../etc/os-release -> ../usr/lib/os-release")
    add("osrel-abs-inside", [("usr/lib/os-release", "file",
                              b'ID=vigilinside\nVERSION_ID="2"\nVERSION_CODENAME=inside\n'),
                             ("etc/os-release", "symlink", "/usr/lib/os-release")],
        "etc/os-release -> /usr/lib/os-release, an absolute path inside the image")
    add("osrel-abs-link", [(leak, "dir", None),
                           (leak + "/os-release", "file",
                            b'ID=vigilinside\nVERSION_ID="1"\nNAME="vigil inside"\n'),
                           ("etc/os-release", "symlink", "/" + leak + "/os-release")],
        "etc/os-release -> absolute path inside the image")
    # hostile layers: vigil must refuse them (test_bad_images.sh)
    add("bad-dotdot", [("../../../../tmp/vigil-escape/pwned", "file", b"escaped\n"),
                       ("var/lib/dpkg/../../../../../tmp/vigil-escape/pwned2", "file", b"x\n")],
        "entries whose names climb out with ../")
    rnd = random.Random(20240101)
    add("bad-osrelease", [("etc/os-release", "file", rnd.randbytes(64 * 1024))],
        "etc/os-release full of binary garbage")
    add("bad-status", [("var/lib/dpkg/status", "file", rnd.randbytes(256 * 1024))],
        "var/lib/dpkg/status full of binary garbage")


class TextStream:
    """size bytes of base64 text (76-char lines) of seeded random bytes."""

    def __init__(self, rnd, size):
        self.rnd, self.left, self.buf = rnd, size, b""

    def read(self, n=-1):
        if n < 0 or n > self.left:
            n = self.left
        while len(self.buf) < n:
            self.buf += base64.encodebytes(self.rnd.randbytes(57 * 4096))
        out, self.buf = self.buf[:n], self.buf[n:]
        self.left -= n
        return out


class RandStream:
    def __init__(self, rnd, size):
        self.rnd, self.left = rnd, size

    def read(self, n=-1):
        if n < 0 or n > self.left:
            n = self.left
        self.left -= n
        return self.rnd.randbytes(n)


class HashWriter:
    def __init__(self, out):
        self.out, self.h = out, hashlib.sha256()

    def write(self, b):
        self.h.update(b)
        return self.out.write(b)


def bigtar(diff_id_path, gib):
    """Writes to stdout a tar of gib GiB: half random bytes, half base64 text."""
    half = gib * (1 << 30) // 2
    w = HashWriter(sys.stdout.buffer)
    rnd = random.Random(42)
    with tarfile.open(fileobj=w, mode="w|", format=tarfile.GNU_FORMAT, bufsize=1 << 20) as t:
        for name, src in (("opt/vigil-big/random.bin", RandStream(rnd, half)),
                          ("opt/vigil-big/text.txt", TextStream(rnd, half))):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode, ti.mtime = half, 0o644, 1704067200
            t.addfile(ti, src)
    sys.stdout.buffer.flush()
    with open(diff_id_path, "w") as f:
        f.write("sha256:" + w.h.hexdigest())


def main(argv):
    cmd = argv[1]
    if cmd == "copy-tag":
        copy_tag(argv[2], argv[3], argv[4])
    elif cmd == "cases":
        cases(argv[2], argv[3])
    elif cmd == "bigtar":
        bigtar(argv[2], int(argv[3]))
    elif cmd == "add-blob":  # layout src dst blobfile diffid created_by
        layout, blob = argv[2], argv[5]
        h = hashlib.sha256()
        with open(blob, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        dig = "sha256:" + h.hexdigest()
        size = os.path.getsize(blob)
        os.makedirs(os.path.dirname(bpath(layout, dig)), exist_ok=True)
        os.replace(blob, bpath(layout, dig))
        add_blob(layout, argv[3], argv[4], dig, size, argv[6], GZ, argv[7])
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
PYEOF
}

# ---- the demo image -------------------------------------------------------
# <demo-recipe>
MIRROR=${VIGIL_DEBIAN_MIRROR:-http://deb.debian.org/debian}

install_in_chroot() { # ROOTFS: layer 2's packages, with apt inside the image
	cp /etc/resolv.conf "$1/etc/resolv.conf"
	chroot "$1" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl ca-certificates libxml2 && apt-get clean && rm -rf /var/lib/apt/lists/*'
	: >"$1/etc/resolv.conf"
}

layer3_changes() { # ROOTFS: whiteouts plus one new file
	rm -rf "$1/usr/share/doc/curl" "$1/usr/bin/curl"
	echo hello >"$1/etc/demo-layer3"
}

extract_status() { # ROOTFS_TAR OUT: the base's dpkg status, kept for the cases
	tar -xOf "$1" ./var/lib/dpkg/status >"$2"
}

build_demo() {
	[ "$(id -u)" = 0 ] || fail 77 "building the images needs root (mmdebstrap --mode=root, chroot)"
	TMP=$(mktemp -d "$OUT.tmp.XXXXXX")
	chmod 755 "$TMP"
	: >"$LOG"
	need_tools
	cd "$TMP"
	step "mmdebstrap (layer 1)" mmdebstrap -q --variant=minbase --mode=root bookworm base-rootfs.tar "$MIRROR"
	step "extract dpkg status" extract_status base-rootfs.tar base-status
	step "umoci init" umoci init --layout oci
	step "umoci new" umoci new --image oci:empty
	step "add layer 1" umoci raw add-layer --image oci:empty --tag base \
		--history.created_by "mmdebstrap --variant=minbase bookworm" base-rootfs.tar
	rm -f base-rootfs.tar
	step "config base" umoci config --image oci:base --tag base --config.cmd /bin/bash \
		--config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		--author vigil-test
	step "unpack base" umoci unpack --image oci:base bundle
	step "apt-get install (layer 2)" install_in_chroot bundle/rootfs
	step "repack v1" umoci repack --image oci:v1 \
		--history.created_by "apt-get install curl ca-certificates libxml2" bundle
	rm -rf bundle
	step "unpack v1" umoci unpack --image oci:v1 bundle
	step "layer 3 changes" layer3_changes bundle/rootfs
	step "repack v2" umoci repack --image oci:v2 --history.created_by "whiteouts + new file" bundle
	rm -rf bundle
	step "drop empty tag" umoci rm --image oci:empty
	step "umoci gc" umoci gc --layout oci
	step "docker-archive" skopeo copy -q oci:oci:v2 docker-archive:"$TMP/demo-v2.docker.tar:scanner-demo:v2"
	step "zstd layout" skopeo copy -q --dest-compress --dest-compress-format=zstd oci:oci:v2 oci:oci-zstd:v2
	step "unpack v2" umoci unpack --image oci:v2 bundle-v2
	mv bundle-v2/rootfs rootfs-v2
	rm -rf bundle-v2
	printf 'recipe %s\nbuilt %s\n' "$DEMO_RECIPE" "$(date -u +%FT%TZ)" >.complete
	cd /
	if [ -d "$OUT" ]; then rm -rf "$OUT"; fi
	mv "$LOG" "$TMP/build.log"
	mv "$TMP" "$OUT"
	TMP=
}
# </demo-recipe>

# cases/: small crafted images on top of the demo's base layer.
build_cases() {
	TMP=$(mktemp -d "$OUT/cases.tmp.XXXXXX")
	chmod 755 "$TMP"
	: >"$LOG"
	write_helper "$TMP/helper.py"
	step "cases: base" "$PY" "$TMP/helper.py" copy-tag "$OUT/oci" base "$TMP/oci"
	step "cases" "$PY" "$TMP/helper.py" cases "$TMP/oci" "$OUT/base-status"
	printf 'recipe %s\nbuilt %s\n' "$RECIPE" "$(date -u +%FT%TZ)" >"$TMP/oci/.complete"
	if [ -d "$OUT/cases" ]; then rm -rf "$OUT/cases"; fi
	mv "$LOG" "$TMP/oci/build.log"
	mv "$TMP/oci" "$OUT/cases"
	rm -rf "$TMP"
	TMP=
}

# big/: the demo v2 plus one 2 GiB layer (igzip -1), for the memory benchmark.
build_big() {
	TMP=$(mktemp -d "$OUT/big.tmp.XXXXXX")
	chmod 755 "$TMP"
	: >"$LOG"
	need_tools
	write_helper "$TMP/helper.py"
	step "big: copy v2" "$PY" "$TMP/helper.py" copy-tag "$OUT/oci" v2 "$TMP/oci"
	# shellcheck disable=SC2016 # expanded by the inner bash
	step "big: 2 GiB layer" bash -c 'set -o pipefail; "$1" "$2/helper.py" bigtar "$2/diffid" 2 | igzip -1 -c >"$2/layer.gz"' \
		_ "$PY" "$TMP"
	step "big: add layer" "$PY" "$TMP/helper.py" add-blob "$TMP/oci" v2 big "$TMP/layer.gz" \
		"$(cat "$TMP/diffid")" "2 GiB of random bytes and base64 text"
	rm -f "$TMP/helper.py" "$TMP/diffid"
	printf 'recipe %s\nbuilt %s\n' "$RECIPE" "$(date -u +%FT%TZ)" >"$TMP/.complete"
	if [ -d "$OUT/big" ]; then rm -rf "$OUT/big"; fi
	mv "$LOG" "$TMP/build.log"
	mv "$TMP" "$OUT/big"
	TMP=
}

done_for "$OUT" "$DEMO_RECIPE" || build_demo
done_for "$OUT/cases" "$RECIPE" || build_cases
if [ "$BIG" = 1 ] && ! done_for "$OUT/big" "$RECIPE"; then build_big; fi
exit 0
