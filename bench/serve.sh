#!/usr/bin/env bash
# bench/serve.sh: how fast `vigil serve` answers, on real data, in one run:
#  (a) 100 clients POST the same new Manifest (the Debian demo image of
#      scripts/make-images.sh, its layers served by a python3 http.server on
#      127.0.0.1, none cached) at the same moment: the wall time until the
#      last answer, every answer 201 and the same, the manifest indexed once
#      (vigil_manifests_indexed_total on /metrics and the log); for
#      reference, one client POSTing it to a second server, empty store;
#  (b) wrk --latency on GET /matcher/api/v1/vulnerability_report/{digest} of
#      the Ubuntu 18.04 root filesystem (../shared/testdata/pkgdb, one layer,
#      the report with the most findings) against every feed of
#      ../shared/testdata/feeds: requests/s and p99 (target: >= 10,000/s and
#      p99 < 10 ms on 2 cores), with, in the same rounds, two baselines on the
#      same machine: GET /healthz (introspection listener) and GET
#      /indexer/api/v1/index_state (the API listener, a 76-byte answer), and
#      the ratio to each; the server's CPU time per report; then the same
#      GET at more connections (for the shape; no target there);
#  (c) in the same rounds, the same Ubuntu 18.04 layer over Clair 2's v1 API
#      (POST /v1/layers, then GET /v1/layers/{name}?features&vulnerabilities):
#      requests/s, p99 and CPU per answer, and the ratio to (b) (target:
#      within 2x of the v4 report).
# Rounds alternate the three wrk runs; each figure is its median over the
# rounds. The machine's other load moves every figure (print: the load
# average before and after): read the report against the baselines.
# Release build only (a sanitizer build is refused). Loopback only; every
# process it starts is stopped by PID at exit. See docs/benchmarks.md.
#
# Usage: bench/serve.sh [--vigil PATH] [--rounds N] [--duration S]
#                       [--connections N] [--threads N] [--sweep "32 64"]
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VIGIL=${VIGIL:-$SRC/build/vigil}
ROUNDS=3
DUR=10
CONNS=10         # wrk's default, as are its 2 threads
THREADS=""       # vigil serve --threads (default: the server's, 2 x cores)
SWEEP="32 64"
CLIENTS=100
while [ $# -gt 0 ]; do
	case $1 in
	--vigil) VIGIL=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--duration) DUR=$2; shift 2 ;;
	--connections) CONNS=$2; shift 2 ;;
	--threads) THREADS=$2; shift 2 ;;
	--sweep) SWEEP=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown argument $1" >&2; exit 2 ;;
	esac
done
. "$SRC/bench/lib.sh"
bench_release_vigil
for t in wrk:wrk jq:jq curl:curl python3:python3; do
	command -v "${t%%:*}" >/dev/null 2>&1 ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${t#*:}" >/dev/null
done
TD=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
if [ ! -d "$TD/feeds" ] || [ ! -d "$TD/pkgdb" ]; then
	echo "bench: no shared test data at $TD" >&2
	exit 1
fi
IMAGES=${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}
"$SRC/scripts/make-images.sh" "$IMAGES" >/dev/null || { echo "bench: scripts/make-images.sh failed" >&2; exit 1; }
OCI=$IMAGES/oci

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-serve.XXXXXX")
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT
export VIGIL_DB=$T/unused.db
metric() { curl -s "$INTRO/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SPID/stat"; }

# ---- the data: every feed, the demo image's layers, the Ubuntu 18.04 layer ----
# the shared data holds broken fixtures too (feeds that fail keep no data):
# the others are imported; the Ubuntu tracker must be among them
"$VIGIL" db import "$TD/feeds" --db "$T/db" >"$T/import.out" 2>"$T/import.err" || true
grep -q '^ubuntu  *[0-9]* files' "$T/import.out" || { cat "$T/import.out" "$T/import.err" >&2; die "db import failed"; }
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || die "make-pkgdb-rootfs.sh failed"
mkdir -p "$T/www"
tar -C "$T/fs/rootfs-ubuntu1804" -czf "$T/www/ubuntu.tar.gz" .
BPORT=$(free_port)
(cd "$OCI/blobs" && exec python3 -m http.server "$BPORT" --bind 127.0.0.1 >/dev/null 2>&1) &
PIDS+=($!)
UPORT=$(free_port)
(cd "$T/www" && exec python3 -m http.server "$UPORT" --bind 127.0.0.1 >/dev/null 2>&1) &
PIDS+=($!)
wait_url "http://127.0.0.1:$BPORT/" || die "the layer server did not come up"
wait_url "http://127.0.0.1:$UPORT/" || die "the layer server did not come up"
MD=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "v2") | .digest' "$OCI/index.json")
jq -c --arg h "$MD" --arg base "http://127.0.0.1:$BPORT/" '{hash: $h, layers: [.layers[] |
	{hash: .digest, uri: ($base + (.digest | sub(":"; "/")))}]}' "$OCI/blobs/${MD/://}" >"$T/debian.json"
UD=sha256:$(sha256sum "$T/www/ubuntu.tar.gz" | cut -d' ' -f1)
UM=sha256:$(printf 'ubuntu manifest %s' "$UD" | sha256sum | cut -d' ' -f1)
jq -n -c --arg h "$UM" --arg l "$UD" --arg u "http://127.0.0.1:$UPORT/ubuntu.tar.gz" \
	'{hash: $h, layers: [{hash: $l, uri: $u}]}' >"$T/ubuntu.json"

# ---- the server ----
SP=$(free_port)
IP=$(free_port)
"$VIGIL" serve --listen "127.0.0.1:$SP" --introspection-listen "127.0.0.1:$IP" --db "$T/db" \
	${THREADS:+--threads "$THREADS"} >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
PIDS+=("$SPID")
API=http://127.0.0.1:$SP
INTRO=http://127.0.0.1:$IP
wait_url "$INTRO/healthz" || { cat "$T/serve.err" >&2; die "the server did not come up"; }
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "vigil serve benchmark: $VIGIL, $(nproc) cores, load average before: $load"
echo "server: $(sed -n 's/^vigil serve: listening on //p' "$T/serve.err" | head -n 1)"
echo "data: every feed of $TD/feeds"

# ---- (a) 100 clients POST the same new Manifest at once ----
# For reference first: one client, on a second server with an empty store.
OP=$(free_port)
OIP=$(free_port)
"$VIGIL" serve --listen "127.0.0.1:$OP" --introspection-listen "127.0.0.1:$OIP" --db "$T/one.db" \
	${THREADS:+--threads "$THREADS"} >/dev/null 2>"$T/one.err" &
OPID=$!
PIDS+=("$OPID")
wait_url "http://127.0.0.1:$OIP/healthz" || { cat "$T/one.err" >&2; die "the second server did not come up"; }
one=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST "http://127.0.0.1:$OP/indexer/api/v1/index_report" \
	--data-binary "@$T/debian.json")
[ "${one%% *}" = 201 ] || die "one client's POST: ${one%% *}"
one_ms=$(awk -v t="${one#* }" 'BEGIN { printf "%.0f", t * 1000 }')
kill -TERM "$OPID"
wait "$OPID" || die "the second server exited $? on SIGTERM"
before=$(metric vigil_manifests_indexed_total)
python3 - "$API/indexer/api/v1/index_report" "$T/debian.json" "$CLIENTS" >"$T/post.txt" <<'EOF'
# Each client connects, waits at the barrier, then POSTs: the wall time runs
# from the barrier to the last answer.
import http.client, sys, threading, time, urllib.parse
url, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
u = urllib.parse.urlsplit(url)
body = open(path, "rb").read()
bar = threading.Barrier(n + 1)
res = [None] * n
def client(i):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
    c.connect()
    bar.wait()
    c.request("POST", u.path, body, {"Content-Type": "application/json"})
    r = c.getresponse()
    res[i] = (r.status, r.read(), time.monotonic())
    c.close()
ts = [threading.Thread(target=client, args=(i,)) for i in range(n)]
for t in ts: t.start()
bar.wait()
t0 = time.monotonic()
for t in ts: t.join()
codes = {}
for r in res: codes[r[0]] = codes.get(r[0], 0) + 1
print("wall_ms %.0f" % ((max(r[2] for r in res) - t0) * 1000))
print("first_ms %.0f" % ((min(r[2] for r in res) - t0) * 1000))
print("codes " + ",".join("%d:%d" % kv for kv in sorted(codes.items())))
print("distinct_bodies %d" % len(set(r[1] for r in res)))
EOF
after=$(metric vigil_manifests_indexed_total)
post_wall=$(awk '$1 == "wall_ms" {print $2}' "$T/post.txt")
post_codes=$(awk '$1 == "codes" {print $2}' "$T/post.txt")
post_bodies=$(awk '$1 == "distinct_bodies" {print $2}' "$T/post.txt")
post_logs=$(grep -c "indexed manifest $MD" "$T/serve.err" || true)
post_layers=$(jq '.layers | length' "$T/debian.json")

# ---- (b) the heavy report: the Ubuntu 18.04 layer ----
c=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/indexer/api/v1/index_report" --data-binary "@$T/ubuntu.json")
[ "$c" = 201 ] || die "POST of the Ubuntu 18.04 manifest: $c"
VR=$API/matcher/api/v1/vulnerability_report/$UM
c=$(curl -s -o "$T/vr.json" -w '%{http_code}' "$VR")
[ "$c" = 200 ] || die "GET vulnerability_report: $c"
findings=$(jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[]
	| [$r.packages[$p].name, $r.packages[$p].version, $r.vulnerabilities[.].name] | @tsv' "$T/vr.json" |
	LC_ALL=C sort -u | wc -l)
vr_bytes=$(stat -c %s "$T/vr.json")
vr_pkgs=$(jq '.packages | length' "$T/vr.json")

# (c) the same layer as a Clair v1 layer
c=$(curl -s -o "$T/v1post.json" -w '%{http_code}' -X POST "$API/v1/layers" \
	-d "{\"Layer\": {\"Name\": \"ubuntu1804\", \"Path\": \"http://127.0.0.1:$UPORT/ubuntu.tar.gz\", \"Format\": \"Docker\"}}")
[ "$c" = 201 ] || die "POST /v1/layers of the Ubuntu 18.04 layer: $c $(cat "$T/v1post.json")"
V1=$API/v1/layers/ubuntu1804?features\&vulnerabilities
c=$(curl -s -o "$T/v1.json" -w '%{http_code}' "$API/v1/layers/ubuntu1804?features&vulnerabilities")
[ "$c" = 200 ] || die "GET /v1/layers/ubuntu1804: $c"
v1_findings=$(jq '[.Layer.Features[].Vulnerabilities // [] | length] | add' "$T/v1.json")
v1_bytes=$(stat -c %s "$T/v1.json")

# wrkrun NAME URL CONNS SECONDS: "rps p99_ms" in $T/NAME.fig (wrk's output in $T/NAME.wrk)
wrkrun() {
	wrk -t2 -c"$3" -d"$4"s --latency "$2" >"$T/$1.wrk" 2>&1 || die "wrk failed: $(cat "$T/$1.wrk")"
	if grep -q 'Non-2xx' "$T/$1.wrk"; then
		cat "$T/$1.wrk" >&2
		die "$1: answers other than 2xx under load"
	fi
	# timeouts (a request over wrk's 2 s) are reported, not hidden
	grep 'Socket errors' "$T/$1.wrk" | sed "s/^ */  $1, $3 connections: wrk: /" >&2 || true
	awk '/^Requests\/sec:/ {r = $2}
	     $1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
	                   p = u == "us" ? v / 1000 : u == "s" ? v * 1000 : u == "m" ? v * 60000 : v }
	     END { printf "%.0f %.2f\n", r, p }' "$T/$1.wrk" >"$T/$1.fig"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
: >"$T/rounds"
for r in $(seq "$ROUNDS"); do
	wrkrun healthz "$INTRO/healthz" "$CONNS" "$DUR"
	wrkrun state "$API/indexer/api/v1/index_state" "$CONNS" "$DUR"
	t0=$(cpu_ticks)
	wrkrun vr "$VR" "$CONNS" "$DUR"
	t1=$(cpu_ticks)
	read -r vr_rps vr_p99 <"$T/vr.fig"
	cpu_us=$(awk -v t=$((t1 - t0)) -v r="$vr_rps" -v d="$DUR" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.1f", (r > 0) ? t / hz * 1e6 / (r * d) : 0 }')
	t0=$(cpu_ticks)
	wrkrun v1 "$V1" "$CONNS" "$DUR"
	t1=$(cpu_ticks)
	read -r v1_rps v1_p99 <"$T/v1.fig"
	v1_cpu=$(awk -v t=$((t1 - t0)) -v r="$v1_rps" -v d="$DUR" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.1f", (r > 0) ? t / hz * 1e6 / (r * d) : 0 }')
	echo "$(cat "$T/healthz.fig") $(cat "$T/state.fig") $vr_rps $vr_p99 $cpu_us $v1_rps $v1_p99 $v1_cpu" >>"$T/rounds"
	awk -v r="$r" '{ printf "  round %d: healthz %6d/s p99 %6.2f ms | index_state %6d/s p99 %6.2f ms | vulnerability_report %6d/s p99 %6.2f ms, server CPU %s us/request | v1 layer %6d/s p99 %6.2f ms, CPU %s us\n",
		r, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' <(tail -n 1 "$T/rounds")
done
col() { awk -v k="$1" '{ print $k }' "$T/rounds" | median; }
h_rps=$(col 1); h_p99=$(col 2); s_rps=$(col 3); s_p99=$(col 4); v_rps=$(col 5); v_p99=$(col 6); v_cpu=$(col 7)
g_rps=$(col 8); g_p99=$(col 9); g_cpu=$(col 10)
sweep=""
for c in $SWEEP; do
	wrkrun sweep "$VR" "$c" 5
	read -r a b <"$T/sweep.fig"
	sweep="$sweep  $c connections: $a/s, p99 $b ms;"
done
served=$(metric 'vigil_http_requests_total{route="vulnerability_report",code="200"}')

ok() { awk "BEGIN { exit !($1) }" && echo "met" || echo "NOT met"; }
echo
echo "-- $CLIENTS clients POST the same new Manifest at once (Debian demo image, $post_layers layers, none cached)"
printf '   wall time to the last answer: %s ms (first answer %s ms; one client alone, empty store: %s ms)\n' \
	"$post_wall" "$(awk '$1 == "first_ms" {print $2}' "$T/post.txt")" "$one_ms"
printf '   answers (code:count) %s; distinct bodies %s\n' "$post_codes" "$post_bodies"
printf '   indexed once: vigil_manifests_indexed_total +%s, "indexed manifest" log lines %s -> %s\n' \
	"$((${after%.*} - ${before%.*}))" "$post_logs" \
	"$([ "$post_codes" = "201:$CLIENTS" ] && [ "$post_bodies" = 1 ] && [ $((${after%.*} - ${before%.*})) = 1 ] &&
		[ "$post_logs" = 1 ] && echo met || echo "NOT met")"
echo "-- GET vulnerability_report of the Ubuntu 18.04 layer: $vr_pkgs packages, $findings findings, $vr_bytes bytes"
echo "   wrk -t2 -c$CONNS -d${DUR}s --latency, median of $ROUNDS rounds:"
printf '   vulnerability_report: %d requests/s, p99 %.2f ms, server CPU %s us/request\n' "$v_rps" "$v_p99" "$v_cpu"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
printf '   baseline GET /healthz (introspection): %d requests/s, p99 %.2f ms; report/baseline: requests/s x%s, p99 x%s\n' \
	"$h_rps" "$h_p99" "$(ratio "$v_rps" "$h_rps")" "$(ratio "$v_p99" "$h_p99")"
printf '   baseline GET index_state (API listener): %d requests/s, p99 %.2f ms; report/baseline: requests/s x%s, p99 x%s\n' \
	"$s_rps" "$s_p99" "$(ratio "$v_rps" "$s_rps")" "$(ratio "$v_p99" "$s_p99")"
printf '   target >= 10000 requests/s: %s; target p99 < 10 ms: %s\n' "$(ok "$v_rps >= 10000")" "$(ok "$v_p99 < 10")"
[ -n "$sweep" ] && echo "   more connections (one 5 s run each, no target):$sweep"
echo "-- GET /v1/layers/ubuntu1804?features&vulnerabilities (Clair v1, the same layer): $v1_findings findings, $v1_bytes bytes"
printf '   v1 layer: %d requests/s, p99 %.2f ms, server CPU %s us/request\n' "$g_rps" "$g_p99" "$g_cpu"
printf '   v1/v4: requests/s x%s, p99 x%s; target: within 2x of v4 (requests/s x0.50 or more): %s\n' \
	"$(ratio "$g_rps" "$v_rps")" "$(ratio "$g_p99" "$v_p99")" "$(ok "$g_rps * 2 >= $v_rps")"
echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   reports served (vigil_http_requests_total, code 200): $served"
grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/serve.err" && die "sanitizer report in the server log"
kill -TERM "$SPID"
rc=0
wait "$SPID" || rc=$?
[ "$rc" = 0 ] || die "the server exited $rc on SIGTERM"
