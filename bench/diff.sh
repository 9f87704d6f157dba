#!/bin/bash
# bench/diff.sh: `vigil diff` on two ~1 GiB images. Builds (once, under
# $BENCH_DIR, default /var/tmp/vigil-bench-diff, never in the repository)
# two OCI layouts sharing a base layer of incompressible and text files
# (about 1 GiB uncompressed), each with a top layer of its own: B changes
# the content of 200 files, the mode of 100, deletes 100 with whiteouts and
# adds 150 (about 200 MiB). Then, in the same run: (a) the baseline,
# `igzip -dc | tar -t` over every layer of both images (reading each layer
# once, as vigil must); (b) `vigil diff` with an empty layer cache, under
# /usr/bin/time -v: wall time and peak RSS (target: <= 128 MiB); (c) the same
# with the layers' package scans cached. Prints the figures, the ratios and
# whether the memory target is met. Release build only.
#
# Usage: bench/diff.sh [--vigil PATH] [--rebuild]
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VIGIL=${VIGIL:-$SRC/build/vigil}
BENCH_DIR=${BENCH_DIR:-/var/tmp/vigil-bench-diff}
REBUILD=0
while [ $# -gt 0 ]; do
	case $1 in
	--vigil) VIGIL=$2; shift 2 ;;
	--rebuild) REBUILD=1; shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown argument $1" >&2; exit 2 ;;
	esac
done
# shellcheck source=bench/lib.sh
. "$SRC/bench/lib.sh"
bench_release_vigil
command -v igzip >/dev/null || die "igzip is missing (apt-get install isal)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

W=$BENCH_DIR
T=$W/tmp
# shellcheck source=tests/integration/lib/oci.sh
. "$SRC/tests/integration/lib/oci.sh"

# gzip -1 is enough for a benchmark image (random data does not shrink)
gzip() { command gzip -1 "$@"; }

build() {
	rm -rf "$W"
	mkdir -p "$W/base" "$W/topa" "$W/topb" "$T"
	echo "bench: building two ~1 GiB images under $W (once) ..."
	local i d
	# the base: 420 incompressible files of 2 MiB and 60,000 small text files
	for i in $(seq 0 419); do
		d=$W/base/data/$((i % 20))
		mkdir -p "$d"
		head -c 2097152 /dev/urandom >"$d/blob$i.bin"
	done
	for i in $(seq 0 59999); do
		d=$W/base/text/$((i % 300))
		[ -d "$d" ] || mkdir -p "$d"
		printf 'file %d of the text tree\nline two %d\n' "$i" "$((i * 7))" >"$d/f$i.txt"
	done
	mkdir -p "$W/base/etc"
	echo "base" >"$W/base/etc/release"
	# A's top layer: one file
	mkdir -p "$W/topa/etc"
	echo "a" >"$W/topa/etc/release"
	# B's top layer: 200 contents changed (1 MiB each), 100 modes changed,
	# 100 whiteouts, 150 new files
	mkdir -p "$W/topb/etc" "$W/topb/new"
	echo "b" >"$W/topb/etc/release"
	for i in $(seq 0 199); do
		d=$W/topb/data/$((i % 20))
		mkdir -p "$d"
		head -c 1048576 /dev/urandom >"$d/blob$i.bin"
	done
	for i in $(seq 0 99); do
		d=$W/topb/text/$((i % 300))
		mkdir -p "$d"
		printf 'file %d of the text tree\nline two %d\n' "$i" "$((i * 7))" >"$d/f$i.txt"
		chmod 0600 "$d/f$i.txt"
		mkdir -p "$W/topb/text/$(((i + 150) % 300))"
		touch "$W/topb/text/$(((i + 150) % 300))/.wh.f$((i + 150)).txt"
	done
	for i in $(seq 0 149); do
		printf 'new file %d\n' "$i" >"$W/topb/new/n$i.txt"
	done
	oci_from_dirs "$W/a" "$W/base" "$W/topa"
	oci_from_dirs "$W/b" "$W/base" "$W/topb"
	rm -rf "$W/base" "$W/topa" "$W/topb"
	touch "$W/.built"
}
[ "$REBUILD" = 0 ] && [ -f "$W/.built" ] || build
mkdir -p "$T"

layers() { oci_layers "$1" t | while read -r l; do blob "$1" "$l"; done; }
oci_manifest() { jq -r '.manifests[0].digest' "$1/index.json"; }
oci_layers() { jq -r '.layers[].digest' "$(blob "$1" "$(oci_manifest "$1")")"; }
blob() { echo "$1/blobs/${2%%:*}/${2#*:}"; }

size_a=$(du -sb "$W/a" | cut -f1)
size_b=$(du -sb "$W/b" | cut -f1)
unc=0
for f in $(layers "$W/a") $(layers "$W/b"); do
	unc=$((unc + $(igzip -dc "$f" | wc -c)))
done

# (a) the baseline: every layer of both images decompressed and listed once
LAYERS="$(layers "$W/a") $(layers "$W/b")"
export LAYERS
/usr/bin/time -f '%e %U %S' -o "$T/base.time" bash -c 'for f in $LAYERS; do igzip -dc "$f" | tar -t >/dev/null; done'
read -r base bu bs <"$T/base.time"
base_cpu=$(echo "$bu + $bs" | bc)

run() { # run NAME DB: wall seconds and peak RSS KiB of vigil diff
	/usr/bin/time -v "$VIGIL" diff -q --db "$2" --format json -o "$T/$1.json" "oci:$W/a:t" "oci:$W/b:t" \
		2>"$T/$1.time" || { cat "$T/$1.time"; die "vigil diff failed"; }
	local wall rss cpu
	wall=$(grep 'Elapsed (wall clock)' "$T/$1.time" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
	rss=$(grep 'Maximum resident set size' "$T/$1.time" | awk '{print $NF}')
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$T/$1.time")
	echo "$wall $rss $cpu"
}
rm -f "$T/cache.db"
read -r cold_wall cold_rss cold_cpu < <(run cold "$T/cache.db")
read -r warm_wall warm_rss warm_cpu < <(run warm "$T/cache.db")

summary=$(jq -c '.summary.files' "$T/cold.json")
printf 'images: A %s MB, B %s MB as stored; %s MB of tar in all their layers\n' \
	$((size_a / 1000000)) $((size_b / 1000000)) $((unc / 1000000))
printf 'files differing: %s\n' "$summary"
printf 'machine: %s cores, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'baseline igzip -dc | tar -t, every layer of both: %.2f s wall, %.2f s CPU\n' "$base" "$base_cpu"
printf 'vigil diff, empty layer cache: %.2f s wall (%.2fx), %.2f s CPU (%.2fx), peak RSS %d MB\n' \
	"$cold_wall" "$(echo "$cold_wall / $base" | bc -l)" "$cold_cpu" "$(echo "$cold_cpu / $base_cpu" | bc -l)" $((cold_rss / 1024))
printf 'vigil diff, package scans cached: %.2f s wall (%.2fx), %.2f s CPU (%.2fx), peak RSS %d MB\n' \
	"$warm_wall" "$(echo "$warm_wall / $base" | bc -l)" "$warm_cpu" "$(echo "$warm_cpu / $base_cpu" | bc -l)" $((warm_rss / 1024))
if [ $((cold_rss / 1024)) -le 128 ] && [ $((warm_rss / 1024)) -le 128 ]; then
	echo "memory target (<= 128 MB peak RSS): met"
else
	echo "memory target (<= 128 MB peak RSS): NOT met"
	exit 1
fi
