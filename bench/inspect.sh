#!/usr/bin/env bash
# bench/inspect.sh: vigil inspect on the demo Debian image (3 layers, 88 MB
# compressed, 226 MB of tar) against `vigil index --no-cache` of the same
# image (the baseline: the same layers read once, packages parsed), and
# --no-layers (config and manifest only); then the family tree and the tag
# history over a store of N synthetic image records (default 100,000: each
# with three layers of its own on top of 0 to 3 of the demo's). Best of R
# runs (default 3); wall time and peak RSS (GNU time).
#
#   bash bench/inspect.sh [--runs R] [--records N]
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=3 N=100000
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) RUNS=$2; shift 2 ;;
	--records) N=$2; shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done
VIGIL=${VIGIL:-$PWD/build/vigil}
bench_release_vigil
IMG=${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}/oci
[ -f "$IMG/index.json" ] || die "no demo image at $IMG (make images)"
T=$(mktemp -d /tmp/vigil-bench-inspect.XXXXXX)
trap 'rm -rf "$T"' EXIT

# best NAME CMD...: the best wall time (ms) and its peak RSS (MB) of R runs
best() {
	local name=$1 ms=0 kb=0 i t
	shift
	for i in $(seq "$RUNS"); do
		local t0 t1
		t0=$(date +%s%N)
		/usr/bin/time -f "%M" -o "$T/time" "$@" >/dev/null 2>"$T/err" || die "$name failed: $(tail -1 "$T/err")"
		t1=$(date +%s%N)
		read -r k <"$T/time"
		t=$(((t1 - t0) / 1000000))
		if [ "$i" = 1 ] || [ "$t" -lt "$ms" ]; then ms=$t kb=$k; fi
	done
	echo "$ms $((kb / 1024))"
}
read -r ins ins_mb < <(best inspect "$VIGIL" inspect -q "oci:$IMG:v2")
read -r idx idx_mb < <(best index "$VIGIL" index -q --no-cache "oci:$IMG:v2")
read -r nol nol_mb < <(best no-layers "$VIGIL" inspect -q --no-layers "oci:$IMG:v2")

"$VIGIL" index -q --db "$T/s.db" "oci:$IMG:v2" >/dev/null || die "index into the store failed"
python3 - "$T/s.db" "$N" <<'PY' || die "the synthetic records"
import hashlib, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
base = next(c.execute("SELECT layers FROM image_record"))[0].split(" ")
h = lambda s: "sha256:" + hashlib.sha256(s.encode()).hexdigest()
c.executemany("INSERT INTO image_record (reference, repository, tag, manifest, layers, indexed_at, findings) "
              "VALUES (?, ?, 'v1', ?, ?, ?, ?)",
              ((f"reg/app{i}:v1", f"reg/app{i}", h(f"m{i}"), " ".join(base[:i % 4] + [h(f"{i}-{j}") for j in range(3)]),
                1700000000 + i, i % 50) for i in range(int(sys.argv[2]))))
c.commit()
PY
read -r fam fam_mb < <(best family "$VIGIL" inspect -q --no-layers --family-tree --db "$T/s.db" "oci:$IMG:v2")
read -r tag tag_mb < <(best tags "$VIGIL" inspect --tag-history reg/app77:v1 --db "$T/s.db")

echo "vigil inspect benchmark: $VIGIL, $(nproc) cores, best of $RUNS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'inspect (every layer read):         %6d ms  %4d MB   %.2fx index --no-cache\n' "$ins" "$ins_mb" \
	"$(awk -v a="$ins" -v b="$idx" 'BEGIN { print a / b }')"
printf 'index --no-cache (the baseline):     %6d ms  %4d MB\n' "$idx" "$idx_mb"
printf 'inspect --no-layers:                 %6d ms  %4d MB\n' "$nol" "$nol_mb"
printf 'inspect --no-layers --family-tree:   %6d ms  %4d MB   over %d records\n' "$fam" "$fam_mb" "$((N + 1))"
printf 'inspect --tag-history:               %6d ms  %4d MB   over %d records\n' "$tag" "$tag_mb" "$((N + 1))"
