#!/bin/bash
# bench/secrets.sh: how fast the secret scanner reads text, in MB/s per
# core (CPU time, user + sys: the figure does not depend on how busy the
# machine is). One corpus of real text (the C headers, Python and Perl
# sources of this machine and the shared test data's text files, about
# 300 MB) is measured four ways in one run, best of N each:
#   engine     bench/secret_scan.c: the built-in rules over the files in
#              memory, Hyperscan + PCRE2 (and, second line, the keyword
#              fallback, VIGIL_SECRET_ENGINE=pcre2)
#   audit      `vigil audit oci:LAYOUT --scanners secret` of an OCI image
#              whose one (uncompressed tar) layer holds the corpus: reading
#              the layer, the tar walk and the scan
#   grep       `grep -c -i -E 'secret|token|password|akia'` over the same
#              files: the baseline (one regex, no rules)
#   cat        `cat` of the same files to /dev/null: reading them
# The target is >= 200 MB/s per core for audit (docs/benchmarks.md,
# "Secret scanning"). Runs the release build (build/vigil), not ASan.
#
# Usage: bench/secrets.sh [--runs N] [--mb MB] [--vigil PATH]
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VIGIL=${VIGIL:-$SRC/build/vigil}
ENGINE=${ENGINE:-$(dirname "$VIGIL")/secret_scan_bench}
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
RUNS=3
MB=300
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--mb) MB=$2; shift 2 ;;
	--vigil) VIGIL=$2; ENGINE=$(dirname "$2")/secret_scan_bench; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown argument $1" >&2; exit 2 ;;
	esac
done
# shellcheck source=bench/lib.sh
. "$SRC/bench/lib.sh"
bench_release_vigil
[ -x "$ENGINE" ] || die "no $ENGINE (cmake --build build --target secret_scan_bench)"

W=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-secrets.XXXXXX")
trap 'rm -rf "$W"' EXIT

# The corpus: text files (no NUL in their first 8 KiB, as the scanner
# judges), at most 16 MiB each, until MB megabytes.
find /usr/include /usr/lib/python3* /usr/share/perl* "$DATA" -type f -size -16M 2>/dev/null | LC_ALL=C sort |
	python3 -c '
import sys
limit, total = int(sys.argv[1]) * 1000000, 0
for p in sys.stdin:
    p = p.rstrip("\n")
    try:
        with open(p, "rb") as f:
            head = f.read(8192)
            if b"\0" in head: continue
            n = len(head) + len(f.read())
    except OSError:
        continue
    print(p); total += n
    if total >= limit: break
' "$MB" >"$W/files"
BYTES=$(tr '\n' '\0' <"$W/files" | du -cb --files0-from=- | tail -n 1 | cut -f1)
NFILES=$(wc -l <"$W/files")

# An OCI layout with one uncompressed layer: corpus/<path> for each file.
mkdir -p "$W/img/blobs/sha256"
tar -cf "$W/layer.tar" --transform 's,^,corpus/,' -P --no-recursion -T "$W/files" 2>/dev/null ||
	tar -cf "$W/layer.tar" --transform 's,^/*,corpus/,' --no-recursion -T "$W/files"
put() { local h; h=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$W/img/blobs/sha256/$h"; echo "$h"; }
LSIZE=$(stat -c %s "$W/layer.tar")
L=$(put "$W/layer.tar")
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$L" >"$W/c.json"
C=$(put "$W/c.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
	"$C" "$(stat -c %s "$W/img/blobs/sha256/$C")" "$L" "$LSIZE" >"$W/m.json"
MS=$(stat -c %s "$W/m.json")
M=$(put "$W/m.json")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"t"}}]}' "$M" "$MS" >"$W/img/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$W/img/oci-layout"

# cpu CMD...: best user+sys seconds of RUNS runs (output to $W/out)
cpu() {
	local best="" t
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f '%U %S' -o "$W/time" "$@" >"$W/out" 2>/dev/null || true
		t=$(awk '{print $1 + $2}' "$W/time")
		best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (a == "" || b < a) ? b : a }')
	done
	echo "$best"
}
mbs() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? b / 1e6 / t : 0) }'; }

xargs_cat() { tr '\n' '\0' <"$W/files" | xargs -0 cat >/dev/null; }
xargs_grep() { tr '\n' '\0' <"$W/files" | xargs -0 grep -c -i -E 'secret|token|password|akia' >/dev/null || true; }
export -f xargs_cat xargs_grep
export W

echo "corpus: $NFILES text files, $BYTES bytes (one $LSIZE-byte tar layer), best of $RUNS, CPU time"
"$ENGINE" -q -n "$RUNS" - <"$W/files" >"$W/engine.out"
VIGIL_SECRET_ENGINE=pcre2 "$ENGINE" -q -n "$RUNS" - <"$W/files" >"$W/engine2.out"
E1=$(sed -n 's/^cpu: \([0-9.]*\) s.*/\1/p' "$W/engine.out")
E2=$(sed -n 's/^cpu: \([0-9.]*\) s.*/\1/p' "$W/engine2.out")
A=$(cpu "$VIGIL" audit "oci:$W/img:t" --scanners secret -q --format json)
ABYTES=$(jq '.secret_scan.bytes' "$W/out")
AFIND=$(jq '.findings | length' "$W/out")
G=$(cpu bash -c xargs_grep)
K=$(cpu bash -c xargs_cat)
printf '%-44s %8s s  %6s MB/s per core\n' \
	"engine: $(sed -n 's/^engine: //p' "$W/engine.out")" "$E1" "$(mbs "$BYTES" "$E1")" \
	"engine: $(sed -n 's/^engine: //p' "$W/engine2.out")" "$E2" "$(mbs "$BYTES" "$E2")" \
	"vigil audit --scanners secret (layer)" "$A" "$(mbs "$ABYTES" "$A")" \
	"grep -c -i -E (baseline)" "$G" "$(mbs "$BYTES" "$G")" \
	"cat (baseline)" "$K" "$(mbs "$BYTES" "$K")"
echo "audit: $ABYTES bytes scanned, $AFIND findings; audit/grep CPU ratio $(awk -v a="$A" -v g="$G" 'BEGIN { printf "%.2f", (g > 0 ? a / g : 0) }')"
RATE=$(mbs "$ABYTES" "$A")
if [ "$RATE" -ge 200 ]; then echo "target >= 200 MB/s per core: met ($RATE)"; else echo "target >= 200 MB/s per core: NOT met ($RATE)"; fi
