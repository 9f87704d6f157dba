#!/bin/bash
# bench/lang.sh: how fast and how small vigil's language scanning is (issue
# 13), in one command. Generates, at run time (bench/lib/langgen.py, a fixed
# seed), a Java image of 2,000 jars (plain jars, 20 wars with WEB-INF/lib,
# 5 Spring Boot fat jars with BOOT-INF/lib; every jar a real zip with
# pom.properties) and a Node image of 20,000 package.json files (20% nested),
# one gzip layer each (tests/integration/lib/oci.sh), and measures in one
# run, per image:
#   (a) a cold index (an empty layer cache, a new --db) against `igzip -dc`
#       of the same layer blob, best of N, and the ratio (target <= 1.3x)
#   (b) the peak RSS of a cold index (/usr/bin/time, target <= 96 MB)
#   (c) syft on the same OCI layout (`syft scan oci-dir:`, one run; vigil
#       must be faster), when syft can be built (scripts/tools.sh)
#   (d) a warm `vigil scan` (every layer cached, the OSV set of
#       bench/lib/osvdb.py imported), best of N (target <= 150 ms)
# and the number of packages each found. Runs the release build.
#
# Usage: bench/lang.sh [--runs N] [--jars N] [--packages N] [--no-syft] [--keep DIR]
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VIGIL=${VIGIL:-$SRC/build/vigil}
RUNS=3
JARS=2000
PKGS=20000
SYFT=1
KEEP=
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--jars) JARS=$2; shift 2 ;;
	--packages) PKGS=$2; shift 2 ;;
	--no-syft) SYFT=0; shift ;;
	--keep) KEEP=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown argument $1" >&2; exit 2 ;;
	esac
done
# shellcheck source=lib.sh
. "$SRC/bench/lib.sh"
bench_release_vigil
for t in igzip:isal /usr/bin/time:time jq:jq; do
	command -v "${t%%:*}" >/dev/null 2>&1 ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${t#*:}" >/dev/null
done
T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-lang.XXXXXX")
trap 'rm -rf "$T"' EXIT
export VIGIL_DB=$T/unused.db
W=${KEEP:-$T/work}
mkdir -p "$W"
# shellcheck source=../tests/integration/lib/oci.sh
. "$SRC/tests/integration/lib/oci.sh"

syft=
if [ "$SYFT" = 1 ]; then
	syft=$("$SRC/scripts/tools.sh" path syft 2>"$T/syft.err") || {
		echo "bench: syft cannot be built, (c) left out: $(tail -n 2 "$T/syft.err")" >&2
		syft=
	}
fi

# the OSV set (as bench/peers.sh makes it) for the warm scan
OSV=$SRC/build/peers/osv
if [ ! -f "$OSV/.done" ]; then
	rm -rf "$OSV"
	python3 "$SRC/bench/lib/osvdb.py" "$SRC/../shared/testdata/feeds/osv" "$OSV" 2>/dev/null
	touch "$OSV/.done"
fi

ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'; }
best() { sort -g | head -n 1; }
timed() {
	local a b
	a=$(date +%s%N)
	"$@" >/dev/null 2>"$T/err" || { echo "bench: failed: $*" >&2; cat "$T/err" >&2; exit 1; }
	b=$(date +%s%N)
	ms "$a" "$b"
}
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; then echo met; else echo MISSED; fi; }

# make IMAGE: the generated tree as an OCI layout $W/IMAGE (tag t), once
make_image() {
	local n=$1 count=$2
	if [ ! -f "$W/$n/index.json" ] || [ "$(cat "$W/$n.count" 2>/dev/null)" != "$count" ]; then
		rm -rf "$W/$n" "$W/$n.tree"
		python3 "$SRC/bench/lib/langgen.py" "$n" "$W/$n.tree" "$count" >/dev/null
		oci_from_dirs "$W/$n" "$W/$n.tree"
		rm -rf "$W/$n.tree"
		echo "$count" >"$W/$n.count"
	fi
}

echo "vigil language benchmark: $VIGIL, $(nproc) cores, best of $RUNS, $(date -u +%Y-%m-%dT%H:%MZ)"
rm -f "$T/osv.db"*
"$VIGIL" db import --db "$T/osv.db" "$OSV/json" >/dev/null 2>&1 ||
	echo "bench: vigil db import of the OSV set failed; (d) scans without it" >&2

for img in java:$JARS node:$PKGS; do
	n=${img%%:*}
	make_image "$n" "${img#*:}"
	REF="oci:$W/$n:t"
	blob=$W/$n/blobs/sha256/$(jq -r '.manifests[0].digest | sub("sha256:"; "")' "$W/$n/index.json")
	blob=$W/$n/blobs/$(jq -r '.layers[0].digest | sub(":"; "/")' "$blob")
	raw=$(igzip -dc "$blob" | wc -c)
	echo
	printf '%s image: %s %s, one gzip layer, %.1f MB stored, %.1f MB unpacked\n' "$n" "${img#*:}" \
		"$([ "$n" = java ] && echo jars || echo package.json)" \
		"$(awk -v b="$(stat -c %s "$blob")" 'BEGIN { print b / 1e6 }')" "$(awk -v b="$raw" 'BEGIN { print b / 1e6 }')"
	: >"$T/cold" && : >"$T/igzip"
	timed igzip -dc "$blob" >/dev/null # the page cache, warm for both sides
	for _ in $(seq "$RUNS"); do
		rm -f "$T/cold.db"*
		timed "$VIGIL" index "$REF" --db "$T/cold.db" -q >>"$T/cold"
		timed igzip -dc "$blob" >>"$T/igzip"
	done
	c=$(best <"$T/cold")
	g=$(best <"$T/igzip")
	ratio=$(awk -v a="$c" -v b="$g" 'BEGIN { printf "%.2f", a / b }')
	"$VIGIL" index "$REF" --db "$T/cold.db" -q >"$T/index.out"
	pk=$(awk '/^packages:/ { print $2; exit }' "$T/index.out")
	printf '(a) cold index:                %9s ms   igzip -dc %s ms, ratio %s (target <= 1.3: %s); %s packages\n' \
		"$c" "$g" "$ratio" "$(verdict "$ratio" 1.3)" "${pk:-0}"
	rm -f "$T/rss.db"*
	/usr/bin/time -f %M -o "$T/rss" "$VIGIL" index "$REF" --db "$T/rss.db" -q >/dev/null
	r=$(tail -n 1 "$T/rss")
	printf '(b) peak RSS, cold index:      %9.1f MB   (target <= 96 MB: %s)\n' \
		"$(awk -v k="$r" 'BEGIN { print k / 1024 }')" "$(verdict "$r" $((96 * 1024)))"
	if [ -n "$syft" ]; then
		a=$(date +%s%N)
		SYFT_CHECK_FOR_APP_UPDATE=false TMPDIR=$T /usr/bin/time -f %M -o "$T/srss" \
			"$syft" scan "oci-dir:$W/$n" -o syft-json -q >"$T/syft.json" 2>"$T/syft.err" ||
			echo "bench: syft failed: $(tail -n 2 "$T/syft.err")" >&2
		s=$(ms "$a" "$(date +%s%N)")
		sp=$(jq '[.artifacts[] | select(.type == "java-archive" or .type == "npm")] | length' "$T/syft.json" 2>/dev/null || echo "?")
		printf '(c) syft scan oci-dir:         %9s ms   (vigil %s x faster: %s); peak RSS %.1f MB; %s packages\n' \
			"$s" "$(awk -v a="$s" -v b="$c" 'BEGIN { printf "%.1f", a / b }')" "$(verdict "$c" "$s")" \
			"$(awk -v k="$(tail -n 1 "$T/srss")" 'BEGIN { print k / 1024 }')" "$sp"
	fi
	: >"$T/warm"
	"$VIGIL" scan "$REF" --db "$T/osv.db" -q --no-enrich --max-age 36500 >/dev/null 2>&1 || true
	for _ in $(seq "$RUNS"); do
		a=$(date +%s%N)
		"$VIGIL" scan "$REF" --db "$T/osv.db" -q --no-enrich --max-age 36500 >/dev/null 2>"$T/err" || true
		ms "$a" "$(date +%s%N)" >>"$T/warm"
	done
	cp "$T/osv.db" "$T/warmidx.db" 2>/dev/null || true
	wi=$(best <"$T/warm")
	printf '(d) warm scan (layers cached): %9s ms   (target <= 150 ms: %s)\n' "$wi" "$(verdict "$wi" 150)"
done
