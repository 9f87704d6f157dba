#!/bin/bash
# bench/audit_integrity.sh: what the integrity scanner costs on the real demo
# image (scripts/make-images.sh, oci:v2): `vigil audit --scanners integrity`
# (the walk, md5 + sha1 + sha256 of every regular file, the comparison)
# against `gzip -dc` of the same layer blobs one after another and against
# `vigil audit --scanners policy` (the walk alone while the policy scanner
# is a placeholder on this branch), best of N wall and CPU time each, and
# the ratios. Runs the release build (build/vigil), not ASan. docs/benchmarks.md.
#
# Usage: bench/audit_integrity.sh [--runs N] [--vigil PATH] [--image OCI_DIR:TAG]
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$SRC/bench/lib.sh"
VIGIL=${VIGIL:-$SRC/build/vigil}
RUNS=5
IMG=${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}/oci:v2
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--vigil) VIGIL=$2; shift 2 ;;
	--image) IMG=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument $1" ;;
	esac
done
bench_release_vigil
LAYOUT=${IMG%:*}
TAG=${IMG##*:}
[ -f "$LAYOUT/index.json" ] || die "no OCI layout at $LAYOUT (make images)"
man=$(jq -r --arg t "$TAG" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$LAYOUT/index.json")
mapfile -t blobs < <(jq -r '.layers[].digest | sub("sha256:"; "")' "$LAYOUT/blobs/sha256/${man#sha256:}")

# best WALL CPU over RUNS of a command (ms)
best() {
	local bw=999999 bc=999999 out w c tf
	tf=$(mktemp)
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %U %S' -o "$tf" "$@" >/dev/null 2>&1 || true
		out=$(tail -n 1 "$tf")
		w=$(awk '{printf "%d", $1 * 1000}' <<<"$out")
		c=$(awk '{printf "%d", ($2 + $3) * 1000}' <<<"$out")
		[ "$w" -lt "$bw" ] && bw=$w
		[ "$c" -lt "$bc" ] && bc=$c
	done
	rm -f "$tf"
	echo "$bw $bc"
}
gunzip_all() { for b in "${blobs[@]}"; do gzip -dc "$LAYOUT/blobs/sha256/$b"; done >/dev/null; }
read -r gw gc < <(best bash -c "LAYOUT=$LAYOUT; blobs=(${blobs[*]}); $(declare -f gunzip_all); gunzip_all")
read -r iw ic < <(best "$VIGIL" audit "oci:$IMG" --scanners integrity -q --format json)
read -r pw pc < <(best "$VIGIL" audit "oci:$IMG" --scanners policy -q --format json)
echo "audit integrity benchmark: $IMG (${#blobs[@]} layers), best of $RUNS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'gzip -dc of the layers:           %6d ms wall  %6d ms CPU\n' "$gw" "$gc"
printf 'vigil audit --scanners policy:    %6d ms wall  %6d ms CPU   (the walk, no digests, while policy is a placeholder)\n' "$pw" "$pc"
printf 'vigil audit --scanners integrity: %6d ms wall  %6d ms CPU   (CPU ratio %s)\n' "$iw" "$ic" \
	"$(awk -v a="$ic" -v b="$gc" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
printf 'integrity over the walk alone:    %6d ms CPU   (ratio %s)\n' "$((ic - pc))" \
	"$(awk -v a="$ic" -v b="$pc" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
