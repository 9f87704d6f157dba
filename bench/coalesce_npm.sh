#!/bin/bash
# bench/coalesce_npm.sh: stacking many language package files. Builds an OCI
# layout of 3 gzip layers holding 20,000 node_modules/*/package.json in all
# (layer 1: 10,000; layer 2: 8,000 new and 1,000 of layer 1's replaced;
# layer 3: 2,000 new and 500 of layer 1's folders deleted by whiteouts),
# then times `vigil index` cold (--no-cache) and warm (every layer cached:
# what is left is mostly stacking), best of N, for each vigil given.
#
# Usage: bench/coalesce_npm.sh [--runs N] VIGIL...   (default: build/vigil)
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=3
[ "${1:-}" = --runs ] && { RUNS=$2; shift 2; }
[ $# -gt 0 ] || set -- "$SRC/build/vigil"
T=$(mktemp -d /tmp/vigil-bench-coalesce.XXXXXX)
trap 'rm -rf "$T"' EXIT
# shellcheck source=../tests/integration/lib/oci.sh
. "$SRC/tests/integration/lib/oci.sh"

pj() { mkdir -p "$1" && printf '{"name":"%s","version":"%s"}\n' "$2" "$3" >"$1/package.json"; }
for i in $(seq 1 10000); do pj "$T/l1/app/node_modules/p$i" "p$i" 1.0.0; done
for i in $(seq 10001 18000); do pj "$T/l2/app/node_modules/p$i" "p$i" 1.0.0; done
for i in $(seq 1 1000); do pj "$T/l2/app/node_modules/p$i" "p$i" 2.0.0; done
for i in $(seq 18001 20000); do pj "$T/l3/srv/node_modules/p$i" "p$i" 1.0.0; done
mkdir -p "$T/l3/app/node_modules"
for i in $(seq 5001 5500); do : >"$T/l3/app/node_modules/.wh.p$i"; done
oci_from_dirs "$T/img" "$T/l1" "$T/l2" "$T/l3"

best() { # best wall time in seconds of RUNS runs of "$@"
	local b="" s e t
	for _ in $(seq "$RUNS"); do
		s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}
for v in "$@"; do
	n=$("$v" index "oci:$T/img:t" --no-cache -q | grep -oE '^packages: +[0-9]+')
	cold=$(best "$v" index "oci:$T/img:t" --no-cache -q)
	rm -f "$T/c.db"; "$v" index "oci:$T/img:t" --db "$T/c.db" -q >/dev/null
	warm=$(best "$v" index "oci:$T/img:t" --db "$T/c.db" -q)
	printf '%s: %s; cold %.2f s, warm %.2f s\n' "$v" "$n" "$cold" "$warm"
done
