#!/usr/bin/env bash
# fuzz/campaign.sh: a libFuzzer campaign over vigil's fuzz targets.
#
#   bash fuzz/campaign.sh [-t SECONDS] [-j JOBS] [-o REPORT] [TARGET ...]
#
# Builds build-fuzz/ (clang, libFuzzer, ASan + UBSan) unless it is there,
# then runs each target (default: every fuzz/fuzz_*.c; the long list in
# LONG gets -l SECONDS instead) for its time on a scratch copy of its seed
# corpus, and merges what grew back into fuzz/corpus/<target>/ with
# libFuzzer's -merge=1 (only inputs that add coverage are kept, so the
# corpus ctest replays stays small). A crash, leak or timeout keeps its
# reproducer in build-fuzz/campaign/<target>/ and fails the campaign.
# Figures (runs, execs/s, coverage, corpus growth) go to REPORT as a
# Markdown table (default build-fuzz/campaign/report.md) for
# docs/testing.md. Progress goes to stderr on a terminal only.
set -u
cd "$(dirname "$0")/.."
T=120 LT=900 JOBS=1 REPORT=build-fuzz/campaign/report.md
LONG="fuzz_tarwalk fuzz_clair_manifest fuzz_manifest fuzz_srv_manifest fuzz_srv_v1_body"
while getopts "t:l:j:o:" o; do
	case $o in
	t) T=$OPTARG ;; l) LT=$OPTARG ;; j) JOBS=$OPTARG ;; o) REPORT=$OPTARG ;;
	*) echo "usage: $0 [-t SECONDS] [-l LONG_SECONDS] [-j JOBS] [-o REPORT] [TARGET ...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ ! -d build-fuzz ] || [ -n "$(find fuzz src -newer build-fuzz/CMakeCache.txt -name '*.[ch]' | head -1)" ]; then
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DVIGIL_FUZZ=ON -DVIGIL_SANITIZE=ON >/dev/null || exit 1
	cmake --build build-fuzz -j"$(nproc)" >/dev/null || exit 1
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || for f in fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done

out=build-fuzz/campaign
mkdir -p "$out"
tty=false; [ -t 2 ] && tty=true
{
	echo "| target | seconds | runs | execs/s | coverage (cov) | features (ft) | corpus before → after | result |"
	echo "|---|---:|---:|---:|---:|---:|---|---|"
} > "$REPORT"

run_one() {
	local t=$1 secs=$T bin=build-fuzz/${1}_fuzzer
	case " $LONG " in *" $t "*) secs=$LT ;; esac
	if [ ! -x "$bin" ]; then echo "| $t | | | | | | | no binary |" >> "$REPORT"; return 0; fi
	local d=$out/$t seeds=fuzz/corpus/$t
	rm -rf "$d"; mkdir -p "$d/work" "$d/art"; mkdir -p "$seeds"
	cp -r "$seeds/." "$d/work/" 2>/dev/null
	local before; before=$(find "$seeds" -type f | wc -l)
	$tty && printf '%s: %ss ...\n' "$t" "$secs" >&2
	"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=3072 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$d/art/" "$d/work" > "$d/log" 2>&1
	local rc=$?
	"$bin" -merge=1 -max_len=65536 "$seeds" "$d/work" > "$d/merge.log" 2>&1
	local after; after=$(find "$seeds" -type f | wc -l)
	local runs eps cov ft res=clean
	runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$d/log" | grep -o '[0-9]*$')
	eps=$(( ${runs:-0} / secs ))
	cov=$(grep -o 'cov: [0-9]*' "$d/log" | tail -1 | grep -o '[0-9]*$')
	ft=$(grep -o 'ft: [0-9]*' "$d/log" | tail -1 | grep -o '[0-9]*$')
	if [ $rc -ne 0 ] || [ -n "$(ls -A "$d/art")" ]; then res="**FAILED** ($d/art)"; fi
	echo "| $t | $secs | ${runs:-?} | ${eps:-?} | ${cov:-?} | ${ft:-?} | $before → $after | $res |" >> "$REPORT"
}

for t in "${targets[@]}"; do
	run_one "$t" &
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
done
wait
cat "$REPORT"
! grep -q FAILED "$REPORT"
