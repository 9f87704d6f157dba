#!/bin/bash
# tests/integration/test_limits.sh: resource caps and clear errors on bad
# input, through the CLI, on OCI layouts built here (no demo image needed):
#   - decompression bombs: a layer inflating to 50 MiB (gzip and zstd) with
#     --max-layer-size 10M fails naming the layer ("inflates past N bytes"),
#     passes with the default or a larger cap; a zstd layer over 1 GiB at a
#     ratio far over 200:1 is stopped by the default ratio cap after ~1 GiB
#     (--max-layer-ratio none reads it); bad values are usage errors (2);
#   - a 0-byte layer blob, and a gzip of nothing: read as an empty layer
#     with a warning naming the layer;
#   - a fifo or a character device at var/lib/dpkg/status, in a layer's tar
#     and in a dir: root filesystem (mkfifo): a warning naming the path and
#     the layer, never a hang;
#   - an empty store path (--db '', --db sqlite:, VIGIL_DB=sqlite:) is an
#     error (exit 1) for every command taking --db; VIGIL_DB='' is unset;
#     a file that is not SQLite is "not a vigil store" (the disk-full and
#     read-only cases are test_store_full.sh, which needs root to mount).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

set -uo pipefail
[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
for tool in python3 gzip zstd jq sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool is missing"
done
IT_T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-$IT_NAME.XXXXXX")
T=$IT_T
trap it_cleanup EXIT
export VIGIL_DB=$T/default-store.db

# mkoci DIR TAR-OR-BLOB...: an OCI layout DIR (tag "t") whose layers are
# the given files as stored (gzip, zstd or plain tar, sniffed), base first.
mkoci() {
	python3 - "$@" <<'EOF'
import hashlib, json, os, subprocess, sys
out, blobs = sys.argv[1], sys.argv[2:]
os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(out, "blobs", "sha256", d), "wb") as f:
        f.write(data)
    return "sha256:" + d, len(data)
layers, diffs = [], []
for b in blobs:
    data = open(b, "rb").read()
    if data[:2] == b"\x1f\x8b":
        media, cmd = "application/vnd.oci.image.layer.v1.tar+gzip", ["gzip", "-dc"]
    elif data[:4] == b"\x28\xb5\x2f\xfd":
        media, cmd = "application/vnd.oci.image.layer.v1.tar+zstd", ["zstd", "-dcq"]
    else:
        media, cmd = "application/vnd.oci.image.layer.v1.tar", ["cat"]
    h = hashlib.sha256()
    with subprocess.Popen(cmd, stdin=open(b, "rb"), stdout=subprocess.PIPE) as p:
        for chunk in iter(lambda: p.stdout.read(1 << 20), b""):
            h.update(chunk)
    diffs.append("sha256:" + h.hexdigest())
    d, n = put(data)
    layers.append({"mediaType": media, "digest": d, "size": n})
cfg = {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diffs}}
cd, cn = put(json.dumps(cfg).encode())
man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cn},
       "layers": layers}
md, mn = put(json.dumps(man).encode())
idx = {"schemaVersion": 2, "manifests": [{"mediaType": man["mediaType"], "digest": md, "size": mn,
       "annotations": {"org.opencontainers.image.ref.name": "t"}}]}
json.dump(idx, open(os.path.join(out, "index.json"), "w"))
open(os.path.join(out, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
EOF
}

# mktar OUT SPEC...: a tar written with python's tarfile; SPEC is
# file:PATH:TEXT, fifo:PATH or chr:PATH (a character device 1,3).
mktar() {
	python3 - "$@" <<'EOF'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    for spec in sys.argv[2:]:
        kind, path, *rest = spec.split(":", 2)
        ti = tarfile.TarInfo(path)
        if kind == "file":
            data = rest[0].replace("\\n", "\n").encode()
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
            continue
        ti.type = tarfile.FIFOTYPE if kind == "fifo" else tarfile.CHRTYPE
        ti.devmajor, ti.devminor = (1, 3) if kind == "chr" else (0, 0)
        t.addfile(ti)
EOF
}

# bigtar SIZE: a tar on stdout holding one file "big" of SIZE zero bytes.
bigtar() {
	python3 -c 'import sys, tarfile
ti = tarfile.TarInfo("big"); ti.size = int(sys.argv[1])
sys.stdout.buffer.write(ti.tobuf(format=tarfile.USTAR_FORMAT))' "$1"
	head -c "$1" /dev/zero
	head -c $((1024 + (512 - $1 % 512) % 512)) /dev/zero
}

short() { echo "${1#sha256:}" | cut -c1-12; }
layer_of() { jq -r ".layers[$2].digest" "$1/blobs/sha256/$(jq -r '.manifests[0].digest' "$1/index.json" | cut -d: -f2)"; }

OSREL='file:etc/os-release:ID=debian\nVERSION_ID="12"\n'

# ---- 1. decompression bombs ----
MiB=$((1024 * 1024))
bigtar $((50 * MiB)) | gzip -1 >"$T/bomb.tar.gz"
bigtar $((50 * MiB)) | zstd -q -1 >"$T/bomb.tar.zst"
note "50 MiB layer: gzip $(stat -c %s "$T/bomb.tar.gz") bytes, zstd $(stat -c %s "$T/bomb.tar.zst") bytes"
for c in gz zst; do
	mkoci "$T/oci-$c" "$T/bomb.tar.$c"
	L=$(layer_of "$T/oci-$c" 0)
	vrun "cap-$c" index "oci:$T/oci-$c:t" --no-cache -q --max-layer-size 10M
	expect_rc "cap-$c" 1
	has "cap-$c" "inflates past $((10 * MiB)) bytes" "$(short "$L")"
	# the same with the store: nothing cached, the second run fails again
	vrun "cap-$c-db" index "oci:$T/oci-$c:t" -q --max-layer-size 10MiB --db "$T/cap.db"
	expect_rc "cap-$c-db" 1
	vrun "cap-$c-db2" index "oci:$T/oci-$c:t" -q --max-layer-size 10485760 --db "$T/cap.db"
	expect_rc "cap-$c-db2" 1
	vrun "cap-$c-default" index "oci:$T/oci-$c:t" --no-cache -q
	expect_rc "cap-$c-default" 0
	vrun "cap-$c-larger" index "oci:$T/oci-$c:t" --no-cache -q --max-layer-size 100M
	expect_rc "cap-$c-larger" 0
done
vrun cap-scan scan "oci:$T/oci-gz:t" -q --max-layer-size 10M --db "$T/scan.db"
expect_rc cap-scan 1
has cap-scan "inflates past $((10 * MiB)) bytes" "$(short "$(layer_of "$T/oci-gz" 0)")"
for bad in 10X 0 -1 '' 10MB 99999999999T; do
	vrun "cap-bad-size" index "oci:$T/oci-gz:t" --no-cache -q --max-layer-size "$bad"
	expect_rc "cap-bad-size ($bad)" 2
done
for bad in 1 abc 0; do
	vrun "cap-bad-ratio" scan "oci:$T/oci-gz:t" -q --max-layer-ratio "$bad"
	expect_rc "cap-bad-ratio ($bad)" 2
done

# the ratio cap: 1.2 GiB of zeros in a few hundred KiB of zstd (a bomb is
# thousands to one): stopped after ~1 GiB by default; read with 'none'
bigtar $((1200 * MiB)) | zstd -q -3 >"$T/ratio.tar.zst"
mkoci "$T/oci-ratio" "$T/ratio.tar.zst"
note "1200 MiB layer: zstd $(stat -c %s "$T/ratio.tar.zst") bytes"
start=$(date +%s.%N)
vrun ratio index "oci:$T/oci-ratio:t" --no-cache -q
note "ratio bomb stopped in $(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo '?') s"
expect_rc ratio 1
has ratio "inflates past $((1024 * MiB)) bytes" "over 200 times" "$(short "$(layer_of "$T/oci-ratio" 0)")"
vrun ratio-none index "oci:$T/oci-ratio:t" --no-cache -q --max-layer-ratio none
expect_rc ratio-none 0
vrun ratio-size index "oci:$T/oci-ratio:t" --no-cache -q --max-layer-ratio 100000 --max-layer-size 1G
expect_rc ratio-size 1
has ratio-size "inflates past $((1024 * MiB)) bytes (the layer size limit)"

# ---- 2. a 0-byte layer blob; a gzip of nothing ----
mktar "$T/os.tar" "$OSREL"
: >"$T/empty.blob"
gzip -c </dev/null >"$T/empty.gz"
mkoci "$T/oci-empty" "$T/os.tar" "$T/empty.blob" "$T/empty.gz"
vjson empty index "oci:$T/oci-empty:t" --db "$T/empty.db"
has empty "the blob is empty (0 bytes)" "$(short "$(layer_of "$T/oci-empty" 1)")" \
	"decompresses to nothing (0 bytes)" "$(short "$(layer_of "$T/oci-empty" 2)")"
check "empty: the distribution is still found" test "$(distro "$T/empty.out")" = "debian 12 "
vjson empty-cached index "oci:$T/oci-empty:t" --db "$T/empty.db"
has empty-cached "the blob is empty (0 bytes)" "$(short "$(layer_of "$T/oci-empty" 1)")"

# ---- 3. a fifo or device where the dpkg database is ----
for kind in fifo chr; do
	mktar "$T/$kind.tar" "$OSREL" "$kind:var/lib/dpkg/status"
	mkoci "$T/oci-$kind" "$T/$kind.tar"
	vjson "special-$kind" index "oci:$T/oci-$kind:t" --db "$T/special.db"
	want=fifo && [ "$kind" = chr ] && want="character device"
	has "special-$kind" "var/lib/dpkg/status is a $want, not a regular file" \
		"$(short "$(layer_of "$T/oci-$kind" 0)")"
	vjson "special-$kind-cached" index "oci:$T/oci-$kind:t" --db "$T/special.db"
	has "special-$kind-cached" "var/lib/dpkg/status is a $want"
done
# dir:, with a real fifo (opening it for reading would block forever)
R=$T/rootfs && mkdir -p "$R/etc" "$R/var/lib/dpkg" && printf 'ID=debian\nVERSION_ID="12"\n' >"$R/etc/os-release"
mkfifo "$R/var/lib/dpkg/status"
VRC=0
timeout 30 "$VIGIL" index "dir:$R" --format json --no-cache -q >"$T/dir-fifo.out" 2>"$T/dir-fifo.err" || VRC=$?
check_eq "dir-fifo: exit 0, no hang" 0 "$VRC"
has dir-fifo "dir:$R: var/lib/dpkg/status is a fifo, not a regular file"
rm -f "$R/var/lib/dpkg/status"
if mknod "$R/var/lib/dpkg/status" c 1 3 2>/dev/null; then
	vjson dir-chr index "dir:$R" --no-cache -q
	has dir-chr "var/lib/dpkg/status is a character device"
else
	note "dir-chr: mknod not permitted here, not checked"
fi

# ---- 4. an empty store path ----
# one OSV record: with an empty path it would go into a temporary database
mkdir -p "$T/feeds"
cat >"$T/feeds/GHSA-test.json" <<'EOF'
{"id": "GHSA-xxxx-yyyy-zzzz", "modified": "2024-01-01T00:00:00Z", "summary": "test",
 "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
EOF
vrun import-ok db import "$T/feeds" --db "$T/feeds.db"
expect_rc "the feed imports into a real store" 0
for db in '' 'sqlite:'; do
	for cmd in "index oci:$T/oci-empty:t -q" "scan oci:$T/oci-empty:t -q" "db import $T/feeds" \
		"db status" "db ops" "cache"; do
		# shellcheck disable=SC2086
		vrun emptydb $cmd --db "$db"
		expect_rc "--db '$db' $cmd" 1
		has emptydb "empty store path"
	done
done
printf 'not a database, just text\n%.0s' $(seq 100) >"$T/text.db"
vrun notdb db status --db "$T/text.db"
expect_rc "a text file as --db" 1
has notdb "$T/text.db: not a vigil store (not an SQLite database)" "sqlite: file is not a database"
VIGIL_DB=sqlite: vrun emptyenv db status
expect_rc "VIGIL_DB=sqlite: db status" 1
has emptyenv "\$VIGIL_DB: empty store path"
mkdir -p "$T/home"
HOME=$T/home XDG_CACHE_HOME= VIGIL_DB= vrun unsetenv cache
expect_rc "VIGIL_DB='' cache (unset: the default store)" 0
check "VIGIL_DB='': the default store under HOME was used" test -s "$T/home/.cache/vigil/vigil.db"

it_done
