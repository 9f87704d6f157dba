#!/usr/bin/env bash
# bench/verify.sh: the cost of content trust. Debian's docker-registry on
# 127.0.0.1 holds the demo image signed by the real cosign (offline, a key
# pair it generates); measured, best of N wall times in one run:
#   - `vigil verify` against `cosign verify --key` (the baseline) of the same
#     signature;
#   - `vigil scan` of the image with and without --require-signature
#     (layers cached in the store, an empty database: the scan's own cost).
# Release build only; cosign from scripts/tools.sh (built once, minutes).
# Figures go to docs/benchmarks.md.
#   bench/verify.sh [--vigil PATH] [--runs N]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
VIGIL=$here/build/vigil
RUNS=10
while [ $# -gt 0 ]; do
	case $1 in
	--vigil) VIGIL=$2; shift 2;;
	--runs) RUNS=$2; shift 2;;
	*) echo "usage: $0 [--vigil PATH] [--runs N]" >&2; exit 2;;
	esac
done
IMAGES=${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}
REG=/usr/bin/docker-registry
[ -x "$VIGIL" ] || { echo "build vigil first: make build" >&2; exit 1; }
[ -x "$REG" ] || { echo "needs docker-registry (apt-get install docker-registry)" >&2; exit 1; }
[ -d "$IMAGES/oci" ] || { echo "needs the demo images: make images" >&2; exit 1; }
COSIGN=$("$here/scripts/tools.sh" path cosign)
T=$(mktemp -d /tmp/vigil-bench-verify.XXXXXX)
RPID=
trap '[ -n "$RPID" ] && kill "$RPID" 2>/dev/null; rm -rf "$T"' EXIT
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
export HOME=$T COSIGN_PASSWORD=bench

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$T/reg" "$PORT" >"$T/reg.yml"
"$REG" serve "$T/reg.yml" >"$T/reg.log" 2>&1 &
RPID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/v2/" && break; sleep 0.1; done
REF=127.0.0.1:$PORT/demo:v2
skopeo copy --dest-tls-verify=false "oci:$IMAGES/oci:v2" "docker://$REF" >/dev/null
(cd "$T" && "$COSIGN" generate-key-pair >/dev/null 2>&1)
"$COSIGN" sign -y --key "$T/cosign.key" --tlog-upload=false --allow-insecure-registry "$REF" >/dev/null 2>&1

best() { # LABEL COMMAND...: best wall time of RUNS runs, in ms
	local b=999999 ms s e
	for _ in $(seq "$RUNS"); do
		s=$(date +%s%N)
		"${@:2}" >/dev/null 2>&1 || { echo "$1 failed" >&2; exit 1; }
		e=$(date +%s%N)
		ms=$(((e - s) / 1000000))
		[ "$ms" -lt "$b" ] && b=$ms
	done
	echo "$b"
}
v=$(best vigil "$VIGIL" verify --insecure-registry -q --key "$T/cosign.pub" "$REF")
c=$(best cosign "$COSIGN" verify --insecure-ignore-tlog=true --allow-insecure-registry --key "$T/cosign.pub" "$REF")
"$VIGIL" index --db "$T/scan.db" --insecure-registry -q "$REF" >/dev/null
s0=$(best scan "$VIGIL" scan --db "$T/scan.db" --allow-empty-db --insecure-registry -q "$REF")
s1=$(best scan-signed "$VIGIL" scan --db "$T/scan.db" --allow-empty-db --insecure-registry -q --require-signature --key "$T/cosign.pub" "$REF")
echo "cosign $("$COSIGN" version 2>/dev/null | awk '/GitVersion/ {print $2}'), best of $RUNS runs"
printf '%-44s %6d ms\n' "vigil verify" "$v" "cosign verify --key (baseline)" "$c"
awk -v v="$v" -v c="$c" 'BEGIN { printf "%-44s %6.1fx\n", "cosign / vigil", (v ? c / v : 0) }'
printf '%-44s %6d ms\n' "vigil scan (layers cached)" "$s0" "vigil scan --require-signature" "$s1"
echo "signature overhead of a scan: $((s1 - s0)) ms"
