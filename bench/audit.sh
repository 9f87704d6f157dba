#!/bin/bash
# bench/audit.sh: what the one audit pass costs on the real demo image
# (scripts/make-images.sh: 3 gzip layers), in one run, best of N each:
#   gunzip   `igzip -dc` of the layer blobs one after another (the floor:
#            a pass cannot read the layers faster than it inflates them)
#   index    a cold `vigil index` (empty layer cache)
#   audit    a cold `vigil audit` with every scanner (the indexer rides on
#            the pass: the layers it reads are also indexed and cached)
#   scan+    a cold `vigil scan --scanners vuln,secret,integrity,trojan,policy`
#            (the audit pass, then the index from the cache, the match)
#   two      what two passes would cost: a cold index, then the audit of
#            the same layers with the index cached (the pass without the
#            indexer), summed
# and each one's ratio to gunzip, plus the peak RSS of the cold scan+.
# Runs the release build (build/vigil), not ASan. Figures in docs/benchmarks.md.
#
# Usage: bench/audit.sh [--runs N] [--vigil PATH]
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$SRC/bench/lib.sh"
VIGIL=${VIGIL:-$SRC/build/vigil}
RUNS=5
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--vigil) VIGIL=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument $1" ;;
	esac
done
bench_release_vigil
for t in igzip:isal /usr/bin/time:time jq:jq; do
	command -v "${t%%:*}" >/dev/null 2>&1 ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${t#*:}" >/dev/null
done
IMAGES=${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}
"$SRC/scripts/make-images.sh" "$IMAGES"
T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
export VIGIL_DB=$T/unused.db
OCI=$IMAGES/oci
REF="oci:$OCI:v2"
man=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "v2") | .digest' \
	"$OCI/index.json")
mapfile -t BLOBS < <(jq -r '.layers[].digest | sub(":"; "/")' "$OCI/blobs/${man/://}" | sed "s|^|$OCI/blobs/|")

ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'; }
best() { sort -g | head -n 1; }
timed() {
	local a b
	a=$(date +%s%N)
	"$@" >/dev/null 2>"$T/err" || { echo "bench: failed: $*" >&2; cat "$T/err" >&2; exit 1; }
	b=$(date +%s%N)
	ms "$a" "$b"
}
fresh() { rm -f "$T/c.db"*; }
gunzip_all() { local b; for b in "${BLOBS[@]}"; do igzip -dc "$b"; done >/dev/null; }
index_cold() { fresh; "$VIGIL" index "$REF" --db "$T/c.db" -q; }
audit_cold() { fresh; "$VIGIL" audit "$REF" --db "$T/c.db" -q; }
scan_cold() { fresh; "$VIGIL" scan "$REF" --db "$T/c.db" -q --allow-empty-db \
	--scanners vuln,secret,integrity,trojan,policy; }
two_passes() {
	fresh
	"$VIGIL" index "$REF" --db "$T/c.db" -q >/dev/null
	"$VIGIL" audit "$REF" --db "$T/c.db" -q
}

echo "vigil audit benchmark: $VIGIL, $(nproc) cores, best of $RUNS"
echo "image: $REF, ${#BLOBS[@]} gzip layers, $(stat -c %s "${BLOBS[@]}" | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }') MB"
timed gunzip_all >/dev/null
declare -A R
for name in gunzip_all index_cold audit_cold scan_cold two_passes; do
	R[$name]=$(for _ in $(seq "$RUNS"); do timed "$name"; done | best)
done
ratio() { awk -v a="$1" -v b="${R[gunzip_all]}" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-34s %9s ms\n' "igzip -dc of the layers" "${R[gunzip_all]}"
for name in index_cold audit_cold scan_cold two_passes; do
	printf '%-34s %9s ms  %sx igzip\n' "$name" "${R[$name]}" "$(ratio "${R[$name]}")"
done
fresh
/usr/bin/time -f %M -o "$T/rss" "$VIGIL" scan "$REF" --db "$T/c.db" -q --allow-empty-db \
	--scanners vuln,secret,integrity,trojan,policy >/dev/null
echo "peak RSS of the cold scan --scanners: $(awk '{ printf "%.1f MB", $1 / 1024 }' "$T/rss")"
