#!/usr/bin/env bash
# bench/db_artifact.sh: a fresh machine's way to current data: `vigil db
# pull` of the database published with `vigil db push` (every feed under
# ../shared/testdata/feeds, but the OVAL file broken on purpose) from
# Debian's docker-registry on 127.0.0.1, into an empty SQLite store: wall
# time, CPU time and peak memory of the pull, best of N, and the time of
# the first scan after it. Release build only. Figures go to
# docs/benchmarks.md.
#   bench/db_artifact.sh [--vigil PATH] [--runs N]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
VIGIL=$here/build/vigil
RUNS=3
while [ $# -gt 0 ]; do
	case $1 in
	--vigil) VIGIL=$2; shift 2;;
	--runs) RUNS=$2; shift 2;;
	*) echo "usage: $0 [--vigil PATH] [--runs N]" >&2; exit 2;;
	esac
done
FEEDS=${VIGIL_TESTDATA:-$here/../shared/testdata}/feeds
REG=/usr/bin/docker-registry
[ -d "$FEEDS" ] || { echo "no feeds at $FEEDS" >&2; exit 1; }
[ -x "$VIGIL" ] || { echo "build vigil first: make build" >&2; exit 1; }
[ -x "$REG" ] || { echo "needs docker-registry (apt-get install docker-registry)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
T=$(mktemp -d /tmp/vigil-bench-art.XXXXXX)
RPID=
trap '[ -n "$RPID" ] && kill "$RPID" 2>/dev/null; rm -rf "$T"' EXIT
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY

mapfile -t paths < <(find "$FEEDS" -mindepth 1 -maxdepth 1 -type d ! -name oracle; find "$FEEDS/oracle" -mindepth 1 -maxdepth 1 ! -name elsa-oval; find "$FEEDS/oracle/elsa-oval" -type f ! -name 'broken*')
"$VIGIL" db import --db "$T/src.db" "${paths[@]}" >/dev/null 2>&1
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$T/reg" "$PORT" >"$T/reg.yml"
"$REG" serve "$T/reg.yml" >"$T/reg.log" 2>&1 &
RPID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/v2/" && break; sleep 0.1; done
REF=127.0.0.1:$PORT/vigil/db:bench
/usr/bin/time -f '%e' -o "$T/push.time" "$VIGIL" db push --db "$T/src.db" "$REF" --insecure-registry >"$T/push.out"
make_image() { # the Alpine 3.4 package database of scripts/make-pkgdb-rootfs.sh as a dir: image
	bash "$here/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null
	printf 'ID=alpine\nVERSION_ID=3.4.6\n' >"$T/fs/rootfs-alpine34/etc/os-release"
}
make_image
best=999999; best_line=
for i in $(seq "$RUNS"); do
	rm -f "$T"/dst.db*
	/usr/bin/time -f '%e %U %S %M' -o "$T/pull.time" "$VIGIL" db pull --db "$T/dst.db" "$REF" --insecure-registry >/dev/null 2>&1
	read -r secs user sys rss <"$T/pull.time"
	/usr/bin/time -f '%e' -o "$T/scan.time" "$VIGIL" scan --db "$T/dst.db" "dir:$T/fs/rootfs-alpine34" -q >/dev/null 2>&1 || true
	ms=$(awk -v s="$secs" 'BEGIN{printf "%d", s*1000}')
	if [ "$ms" -lt "$best" ]; then
		best=$ms
		best_line=$(printf 'pull into an empty store:   %6d ms   (CPU %s s user + %s s sys; target < 10000 ms)\npeak RSS of the pull:       %6d MB\nfirst scan after it:        %6d ms   (Alpine 3.4 package database, dir:)' \
			"$ms" "$user" "$sys" $((rss / 1024)) "$(awk -v s="$(cat "$T/scan.time")" 'BEGIN{printf "%d", s*1000}')")
	fi
done
echo "vigil db pull benchmark: $VIGIL, $(nproc) cores, best of $RUNS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "artifact: $(sed 's/^pushed //' "$T/push.out")"
printf 'push (export + upload):     %6d ms\n' "$(awk -v s="$(cat "$T/push.time")" 'BEGIN{printf "%d", s*1000}')"
echo "$best_line"
