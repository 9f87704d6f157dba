#!/usr/bin/env bash
# bench/fleet.sh: vigil nodes on one PostgreSQL against one node on SQLite,
# in one run, on real data (every feed of ../shared/testdata/feeds; the
# Ubuntu 18.04 root filesystem of ../shared/testdata/pkgdb as one layer):
#  (a) wrk --latency on GET /matcher/api/v1/vulnerability_report/{digest}:
#      one node on SQLite; then two nodes on one PostgreSQL, one wrk per node
#      at the same time (requests/s summed, the worse p99). Same connections
#      and duration in both.
#  (b) 1,000 distinct manifests sharing a base layer (the demo image's
#      Debian base layer, 30 MB) each with a small layer of its own, POSTed
#      by 16 clients through the two PostgreSQL nodes alternately: the base
#      layer's GETs at the layer server (want 1), manifests indexed per
#      second, and the same on one SQLite node.
# PostgreSQL is started on 127.0.0.1 by scripts/pg-test.sh in a scratch
# folder and stopped at exit, as is every process started (by PID).
# Release build only. Figures in docs/benchmarks.md.
#
# Usage: bench/fleet.sh [--vigil PATH] [--duration S] [--connections N] [--manifests N]
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VIGIL=${VIGIL:-$SRC/build/vigil}
DUR=10
CONNS=10
NMAN=1000
while [ $# -gt 0 ]; do
	case $1 in
	--vigil) VIGIL=$2; shift 2 ;;
	--duration) DUR=$2; shift 2 ;;
	--connections) CONNS=$2; shift 2 ;;
	--manifests) NMAN=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown argument $1" >&2; exit 2 ;;
	esac
done
. "$SRC/bench/lib.sh"
bench_release_vigil
TD=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$TD/feeds" ] || { echo "bench: no shared test data at $TD" >&2; exit 1; }
IMAGES=${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}
"$SRC/scripts/make-images.sh" "$IMAGES" >/dev/null || { echo "bench: make-images.sh failed" >&2; exit 1; }
OCI=$IMAGES/oci

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-fleet.XXXXXX")
chmod 711 "$T"
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	bash "$SRC/scripts/pg-test.sh" stop "$T/pg" >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
export VIGIL_DB=$T/unused.db
now() { date +%s.%N; }

# node NAME DB -> API_<NAME>
node() {
	local sp ip
	sp=$(free_port)
	ip=$(free_port)
	"$VIGIL" serve --listen "127.0.0.1:$sp" --introspection-listen "127.0.0.1:$ip" --db "$2" >"$T/$1.log" 2>&1 &
	PIDS+=($!)
	wait_url "http://127.0.0.1:$ip/healthz" || die "node $1 did not start: $(tail -3 "$T/$1.log")"
	printf -v "API_$1" '%s' "http://127.0.0.1:$sp"
}

# ---- data: PostgreSQL and SQLite, the same feeds ----
mkdir -p "$T/pg"
PGPORT=$(free_port)
BASE=$(bash "$SRC/scripts/pg-test.sh" start "$T/pg" "$PGPORT") || die "PostgreSQL did not start"
psql -q "$BASE" -c "CREATE DATABASE fleet" -c "CREATE DATABASE fleet2"
PG=${BASE%/postgres}/fleet
PG2=${BASE%/postgres}/fleet2
for db in "$T/lite.db" "$T/lite2.db" "$PG" "$PG2"; do
	"$VIGIL" db import "$TD/feeds" --db "$db" >/dev/null 2>&1 || die "db import into $db failed"
done

# ---- layers: the Ubuntu 18.04 layer, the base layer, NMAN small layers ----
mkdir -p "$T/www"
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || die "make-pkgdb-rootfs.sh failed"
tar -C "$T/fs/rootfs-ubuntu1804" -czf "$T/www/ubuntu.tar.gz" .
MD=$(jq -r '.manifests[] | select(.annotations."org.opencontainers.image.ref.name" == "v2") | .digest' "$OCI/index.json")
BD=$(jq -r '.layers[0].digest' "$OCI/blobs/sha256/${MD#sha256:}")
cp "$OCI/blobs/sha256/${BD#sha256:}" "$T/www/base.tar.gz"
python3 - "$T/www" "$NMAN" <<'PY'
import io, sys, tarfile, gzip
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        data = ("app %d\n" % i).encode()
        ti = tarfile.TarInfo("srv/app/VERSION")
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    with open("%s/app-%d.tar.gz" % (d, i), "wb") as f:
        f.write(gzip.compress(buf.getvalue(), mtime=0))
PY
WPORT=$(free_port)
(cd "$T/www" && exec python3 -m http.server "$WPORT" --bind 127.0.0.1 >/dev/null 2>"$T/www.log") &
PIDS+=($!)
wait_url "http://127.0.0.1:$WPORT/ubuntu.tar.gz" || die "the layer server did not start"
W=http://127.0.0.1:$WPORT
sha() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
UD=$(sha "$T/www/ubuntu.tar.gz")
BDD=$(sha "$T/www/base.tar.gz")
UM=sha256:$(printf 'bench ubuntu %s' "$UD" | sha256sum | cut -d' ' -f1)
jq -n -c --arg h "$UM" --arg l "$UD" --arg u "$W/ubuntu.tar.gz" '{hash: $h, layers: [{hash: $l, uri: $u}]}' >"$T/u.json"
mkdir -p "$T/m"
for i in $(seq 0 $((NMAN - 1))); do
	ad=$(sha "$T/www/app-$i.tar.gz")
	h=sha256:$(printf 'bench app %s %s' "$BDD" "$ad" | sha256sum | cut -d' ' -f1)
	printf '{"hash":"%s","layers":[{"hash":"%s","uri":"%s/base.tar.gz"},{"hash":"%s","uri":"%s/app-%d.tar.gz"}]}\n' \
		"$h" "$BDD" "$W" "$ad" "$W" "$i" >"$T/m/$i.json"
done

node lite "$T/lite.db"
node pga "$PG"
node pgb "$PG"
for a in "$API_lite" "$API_pga"; do
	c=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$a/indexer/api/v1/index_report" --data-binary "@$T/u.json")
	[ "$c" = 201 ] || die "POST of the Ubuntu manifest to $a: $c"
done
VR=/matcher/api/v1/vulnerability_report/$UM
for a in "$API_lite" "$API_pga" "$API_pgb"; do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$a$VR")" = 200 ] || die "GET $a$VR failed"
done

# ---- (a) wrk ----
wrkrun() { wrk -t2 -c"$CONNS" -d"${DUR}s" --latency "$1" >"$2"; }
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) sub(/ms/, "", v); else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}' "$1"; }
echo "== (a) GET vulnerability_report (the Ubuntu 18.04 layer, $(curl -s "$API_lite$VR" | jq '[.package_vulnerabilities[] | length] | add') findings), wrk -t2 -c$CONNS -d${DUR}s"
wrkrun "$API_lite$VR" "$T/w-lite"
wrkrun "$API_pga$VR" "$T/w-a" &
wa=$!
wrkrun "$API_pgb$VR" "$T/w-b"
wait "$wa"
lr=$(rps "$T/w-lite"); lp=$(p99 "$T/w-lite")
ar=$(rps "$T/w-a"); br=$(rps "$T/w-b"); ap=$(p99 "$T/w-a"); bp=$(p99 "$T/w-b")
printf '  one node, SQLite:            %10.0f req/s   p99 %6.2f ms\n' "$lr" "$lp"
awk -v a="$ar" -v b="$br" -v ap="$ap" -v bp="$bp" -v l="$lr" 'BEGIN {
	p = ap > bp ? ap : bp
	printf "  two nodes, one PostgreSQL:   %10.0f req/s   p99 %6.2f ms   (%.0f + %.0f; %.2fx one SQLite node)\n", a + b, p, a, b, (a + b) / l }'

# ---- (b) 1,000 manifests sharing a base layer ----
post_all() { # post_all APIS... : the NMAN manifests by 16 clients, alternating nodes
	local apis=("$@")
	seq 0 $((NMAN - 1)) | xargs -P 16 -I{} sh -c '
		i={}; set -- '"${apis[*]}"'; shift $((i % $#)); a=$1
		c=$(curl -s -o /dev/null -w "%{http_code}" -X POST "$a/indexer/api/v1/index_report" --data-binary "@'"$T"'/m/$i.json")
		[ "$c" = 201 ] || echo "manifest $i: $c" >&2'
}
base_gets() { grep -c '"GET /base.tar.gz' "$T/www.log" || true; }
echo "== (b) $NMAN manifests sharing the base layer $BDD, 16 clients"
node lite2 "$T/lite2.db"
g0=$(base_gets); t0=$(now)
post_all "$API_lite2" 2>"$T/b-lite.err"
t1=$(now); g1=$(base_gets)
node pg2a "$PG2"
node pg2b "$PG2"
post_all "$API_pg2a" "$API_pg2b" 2>"$T/b-pg.err"
t2=$(now); g2=$(base_gets)
awk -v n="$NMAN" -v a="$t0" -v b="$t1" -v c="$t2" -v lg=$((g1 - g0)) -v pg=$((g2 - g1)) \
	-v le="$(wc -l <"$T/b-lite.err")" -v pe="$(wc -l <"$T/b-pg.err")" 'BEGIN {
	printf "  one node, SQLite:            %6.1f s   %7.1f manifests/s   base layer read %d time(s)   %d failed\n", b - a, n / (b - a), lg, le
	printf "  two nodes, one PostgreSQL:   %6.1f s   %7.1f manifests/s   base layer read %d time(s)   %d failed\n", c - b, n / (c - b), pg, pe }'
head -3 "$T/b-lite.err" "$T/b-pg.err" 2>/dev/null | grep manifest || true
