#!/usr/bin/env bash
# bench/db_import.sh: importing every feed under ../shared/testdata/feeds into
# an empty SQLite store (time, peak memory, records per feed), then the same
# import again with nothing changed. Release build only. Figures go to
# docs/benchmarks.md.
#   bench/db_import.sh [--vigil PATH] [--runs N]
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
[ -d "$FEEDS" ] || { echo "no feeds at $FEEDS" >&2; exit 1; }
[ -x "$VIGIL" ] || { echo "build vigil first: make build" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
T=$(mktemp -d /tmp/vigil-bench-db.XXXXXX)
trap 'rm -rf "$T"' EXIT

best_cold=999999; best_rss=0; best_warm=999999
for i in $(seq "$RUNS"); do
	rm -f "$T"/db*
	/usr/bin/time -f '%e %M' -o "$T/cold.time" "$VIGIL" db import "$FEEDS" --db "$T/db" > "$T/out" 2> "$T/err" || true
	read -r secs rss < "$T/cold.time"
	ms=$(awk -v s="$secs" 'BEGIN{printf "%d", s*1000}')
	[ "$ms" -lt "$best_cold" ] && best_cold=$ms && best_rss=$rss && cp "$T/out" "$T/best.out"
	/usr/bin/time -f '%e' -o "$T/warm.time" "$VIGIL" db import "$FEEDS" --db "$T/db" > "$T/warm.out" 2>/dev/null || true
	w=$(awk -v s="$(cat "$T/warm.time")" 'BEGIN{printf "%d", s*1000}')
	[ "$w" -lt "$best_warm" ] && best_warm=$w
done
echo "vigil db import benchmark: $VIGIL, $(nproc) cores, best of $RUNS"
echo "input: $FEEDS ($(du -sh "$FEEDS" | cut -f1), $(find "$FEEDS" -type f | wc -l) files)"
printf 'cold import into an empty store:  %6d ms   (target < 10000 ms)\n' "$best_cold"
printf 'peak RSS of the cold import:      %6d MB   (target < 256 MB)\n' $((best_rss / 1024))
printf 'second import, nothing changed:   %6d ms   (target < 1000 ms)\n' "$best_warm"
echo "records per feed:"
sed 's/^/  /' "$T/best.out"
grep -c unchanged "$T/warm.out" | sed 's/^/feeds unchanged on the second import: /'
