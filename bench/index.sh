#!/bin/bash
# bench/index.sh: how fast and how small `vigil index` is on the real demo
# image (scripts/make-images.sh). Measures, in one run: (a) a cold index (an
# empty layer cache) of the demo's OCI layout with gzip layers against
# `igzip -dc` of the same layer blobs one after another, best of N, and the
# ratio; (b) an index with every layer cached; (c) the peak RSS of the cold
# index; (d) the peak RSS (and time) of a cold index of the demo plus a
# 2 GiB layer. Prints the figures and whether each target is met (see
# docs/benchmarks.md). Runs the release build (build/vigil), not ASan.
#
# Usage: bench/index.sh [--runs N] [--no-big] [--vigil PATH]
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VIGIL=${VIGIL:-$SRC/build/vigil}
RUNS=5
BIG=1
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--no-big) BIG=0; shift ;;
	--vigil) VIGIL=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -x "$VIGIL" ] || { echo "bench: no vigil binary at $VIGIL (cmake --build build)" >&2; exit 1; }
if nm -an "$VIGIL" 2>/dev/null | grep -c __asan_init >/dev/null; then
	echo "bench: $VIGIL is an ASan build; use the release build" >&2
	exit 1
fi
for t in igzip:isal /usr/bin/time:time jq:jq; do
	command -v "${t%%:*}" >/dev/null 2>&1 ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${t#*:}" >/dev/null
done

IMAGES=${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}
if [ "$BIG" = 1 ]; then
	[ -f "$IMAGES/big/.complete" ] ||
		echo "building the images (once; the 2 GiB layer takes a minute or two)..."
	"$SRC/scripts/make-images.sh" --big "$IMAGES"
else
	"$SRC/scripts/make-images.sh" "$IMAGES"
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
export VIGIL_DB=$T/unused.db

OCI=$IMAGES/oci
REF="oci:$OCI:v2"
man=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "v2")
	| .digest' "$OCI/index.json")
mapfile -t BLOBS < <(jq -r '.layers[].digest | sub(":"; "/")' "$OCI/blobs/${man/://}" |
	sed "s|^|$OCI/blobs/|")
layer_bytes=$(stat -c %s "${BLOBS[@]}" | awk '{ s += $1 } END { print s }')

ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'; }
best() { sort -g | head -n 1; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# timed CMD...: runs it, prints its wall time in ms (the command's output dropped)
timed() {
	local a b
	a=$(date +%s%N)
	"$@" >/dev/null 2>"$T/err" || { echo "bench: failed: $*" >&2; cat "$T/err" >&2; exit 1; }
	b=$(date +%s%N)
	ms "$a" "$b"
}
cold() { rm -f "$T/cold.db"*; timed "$VIGIL" index "$@" --db "$T/cold.db" -q; }
gunzip_all() { local b; for b in "${BLOBS[@]}"; do igzip -dc "$b"; done >/dev/null; }
# rss ARGS...: peak RSS in KiB of a cold vigil index
rss() {
	rm -f "$T/rss.db"*
	/usr/bin/time -f %M -o "$T/rss" "$VIGIL" index "$@" --db "$T/rss.db" -q >/dev/null
	tail -n 1 "$T/rss"
}

echo "vigil index benchmark: $VIGIL, $(nproc) cores, best of $RUNS"
echo "image: $REF, ${#BLOBS[@]} gzip layers, $(awk -v b="$layer_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB"
timed gunzip_all >/dev/null # warm the page cache for both sides
for _ in $(seq "$RUNS"); do
	cold "$REF" >>"$T/cold"
	cold "$REF" --threads 1 >>"$T/cold1"
	timed gunzip_all >>"$T/igzip"
done
c=$(best <"$T/cold")
c1=$(best <"$T/cold1")
g=$(best <"$T/igzip")
printf '(a) cold index (empty cache):          %8s ms   (--threads 1: %s ms)\n' "$c" "$c1"
printf '    igzip -dc of the same blobs:       %8s ms   (one after another)\n' "$g"
printf '    ratio vigil / igzip:               %8s      (--threads 1: %s)\n' \
	"$(awk -v a="$c" -v b="$g" 'BEGIN { printf "%.2f", a / b }')" \
	"$(awk -v a="$c1" -v b="$g" 'BEGIN { printf "%.2f", a / b }')"

rm -f "$T/warm.db"*
"$VIGIL" index "$REF" --db "$T/warm.db" -q >/dev/null
for _ in $(seq "$RUNS"); do timed "$VIGIL" index "$REF" --db "$T/warm.db" -q >>"$T/warm"; done
warm_out=$("$VIGIL" index "$REF" --db "$T/warm.db" -q)
grep -q 'layers: 3 (0 read, 3 from cache)' <<<"$warm_out" ||
	echo "bench: warning: the warm runs did not take every layer from the cache" >&2
w=$(best <"$T/warm")
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; then echo met; else echo MISSED; fi; }
printf '(b) index, every layer cached:         %8s ms   (median %s ms; target < 50 ms: %s)\n' \
	"$w" "$(median <"$T/warm")" "$(verdict "$w" 50)"

r=$(rss "$REF")
printf '(c) peak RSS, cold index:              %8.1f MB   (target < 64 MB: %s)\n' \
	"$(awk -v k="$r" 'BEGIN { print k / 1024 }')" "$(verdict "$r" 65536)"

if [ "$BIG" = 1 ]; then
	BREF="oci:$IMAGES/big/oci:big"
	bblob=$(jq -r '.layers[-1].digest | sub(":"; "/")' \
		"$IMAGES/big/oci/blobs/$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "big") | .digest | sub(":"; "/")' "$IMAGES/big/oci/index.json")")
	bsize=$(stat -c %s "$IMAGES/big/oci/blobs/$bblob")
	rb=$(rss "$BREF")
	tb=$(cold "$BREF")
	tg=$(timed igzip -dc "$IMAGES/big/oci/blobs/$bblob")
	printf '(d) peak RSS, cold index + 2 GiB layer: %7.1f MB   (%s; target <= (c) + 1 MB)\n' \
		"$(awk -v k="$rb" 'BEGIN { print k / 1024 }')" "$(verdict "$rb" $((r + 1025)))"
	printf '    its time:                          %8s ms   (the big blob: %.1f MB gz, igzip -dc alone %s ms)\n' \
		"$tb" "$(awk -v b="$bsize" 'BEGIN { print b / 1e6 }')" "$tg"
fi
