#!/bin/bash
# bench/peers.sh: vigil's language packages judged side by side with syft,
# Trivy and osv-scanner (issue 13), in one command. Builds the language test
# images (tests/integration/lib/langimages.sh: node, java, python, go, rust,
# ruby, php, dotnet, from ../shared/testdata/lang at run time) and takes the
# demo image (scripts/make-images.sh, oci v2); builds the peers pinned in
# scripts/tools.lock (scripts/tools.sh, once, into build/tools); runs each
# tool offline on each image; reduces every output to (ecosystem, name,
# version) with bench/lib/inventory.py and prints a Markdown report: per
# image and tool the package counts per ecosystem, the rows all agree on and
# every disagreement with its reason (bench/lib/peer_reasons.tsv). Findings:
# one OSV data set (bench/lib/osvdb.py over ../shared/testdata/feeds/osv:
# Go vulndb, RustSec, PyPA, the GHSA Maven slice) given to both `vigil db
# import` and osv-scanner (its offline database folder); Trivy and Grype read
# only their own databases (trivy-db, grype's vulnerability.db), which cannot
# be made from OSV files offline, so they are compared on inventories only.
#
# Nothing leaves the machine: syft without its update check, Trivy with
# --offline-scan --skip-db-update --skip-java-db-update, osv-scanner with
# --offline-vulnerabilities over the local database. A peer that cannot be
# built is left out of the table (its column reads n/a) and named.
#
# Usage: bench/peers.sh [--out DIR] [--images "node java ..."] [--peers "syft ..."] [--docs]
#   --out DIR    results (default build/peers): images/, results/IMAGE/TOOL.*,
#                osv/, report.md
#   --images     the images to judge (default: demo and every language image)
#   --peers      the peers to run (default "syft trivy osv-scanner")
#   --report-only  no run: the report (and --docs) from the results of the last run
#   --docs       also write the report into docs/accuracy.md, between the
#                markers of its "Language packages, side by side" section
# Exit: 0 when the report was written (disagreements are findings, not errors).
set -uo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VIGIL=${VIGIL:-$SRC/build/vigil}
OUT=$SRC/build/peers
DOCS=0
REPORT_ONLY=0
SEL=
PEERS="syft trivy osv-scanner"
while [ $# -gt 0 ]; do
	case $1 in
	--out) OUT=$2; shift 2 ;;
	--images) SEL=$2; shift 2 ;;
	--peers) PEERS=$2; shift 2 ;;
	--docs) DOCS=1; shift ;;
	--report-only) REPORT_ONLY=1; shift ;;
	-h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "peers: unknown argument $1" >&2; exit 2 ;;
	esac
done
# shellcheck source=lib.sh
. "$SRC/bench/lib.sh"
bench_release_vigil
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
T=$OUT/tmp
rm -rf "$T" && mkdir -p "$T"
IMAGES=${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}
"$SRC/scripts/make-images.sh" "$IMAGES" || die "scripts/make-images.sh failed (the demo image and the Debian base)"
# shellcheck source=../tests/integration/lib/langimages.sh
. "$SRC/tests/integration/lib/langimages.sh"
lang_images_data >/dev/null || die "no shared fixtures at $SRC/../shared/testdata/lang"
export LANG_IMAGES="demo $LANG_IMAGES"
SEL=${SEL:-$LANG_IMAGES}

log() { echo "peers: $*" >&2; }

# --- the peers -------------------------------------------------------------
declare -A PEER VERSION
for t in $PEERS; do
	s=$(date +%s)
	# trivy v0.74.0 needs encoding/json/v2: GOEXPERIMENT=jsonv2 (scripts/tools.lock)
	if p=$(GOEXPERIMENT=$([ "$t" = trivy ] && echo jsonv2) "$SRC/scripts/tools.sh" path "$t" 2>"$T/$t.build.err"); then
		PEER[$t]=$p
		VERSION[$t]=$(awk -v n="$t" '$1 !~ /^#/ && $2 == n { print $4 }' "$SRC/scripts/tools.lock")
		log "$t: $p ($(($(date +%s) - s)) s to install or find)"
	else
		log "$t cannot be built, left out: $(tail -n 3 "$T/$t.build.err" | tr '\n' ' ')"
	fi
done
VERSION[vigil]=$("$VIGIL" version 2>/dev/null | head -n 1)

# --- one OSV data set for vigil and osv-scanner ------------------------------
FEEDS=$SRC/../shared/testdata/feeds/osv
OSV=$OUT/osv
if [ ! -f "$OSV/.done" ]; then
	rm -rf "$OSV"
	python3 "$SRC/bench/lib/osvdb.py" "$FEEDS" "$OSV" || die "bench/lib/osvdb.py failed"
	touch "$OSV/.done"
fi
DB=$OUT/vigil.db
[ "$REPORT_ONLY" = 1 ] || rm -f "$DB"*
[ "$REPORT_ONLY" = 1 ] || "$VIGIL" db import --db "$DB" "$OSV/json" >"$OUT/vigil-import.log" 2>&1 ||
	log "vigil db import of the OSV records failed: $(tail -n 2 "$OUT/vigil-import.log")"

# --- the images --------------------------------------------------------------
IMG=$OUT/images
mkdir -p "$IMG"
oci_ref() { # NAME -> oci:DIR:TAG
	if [ "$1" = demo ]; then echo "oci:$IMAGES/oci:v2"; else echo "oci:$IMG/$1:t"; fi
}
oci_dir() { if [ "$1" = demo ]; then echo "$IMAGES/oci"; else echo "$IMG/$1"; fi; }
docker_tar() { if [ "$1" = demo ]; then echo "$IMAGES/demo-v2.docker.tar"; else echo "$IMG/$1.docker.tar"; fi; }

# run_tool IMAGE TOOL CMD...: stdout to TOOL.out, stderr to TOOL.err, the
# exit status to TOOL.rc, the seconds to TOOL.time; an output that is empty
# is removed (the tool did not produce a report).
run_tool() {
	local image=$1 tool=$2 d=$OUT/results/$1 s e rc=0
	shift 2
	s=$(date +%s.%N)
	"$@" >"$d/$tool.out" 2>"$d/$tool.err" || rc=$?
	e=$(date +%s.%N)
	echo "$rc" >"$d/$tool.rc"
	echo "$s $e" | awk '{ printf "%.2f\n", $2 - $1 }' >"$d/$tool.time"
	[ -s "$d/$tool.out" ] || rm -f "$d/$tool.out"
}

[ "$REPORT_ONLY" = 1 ] || rm -rf "$OUT/results"
for image in $SEL; do
	[ "$REPORT_ONLY" = 1 ] && break
	if [ "$image" != demo ]; then
		lang_image "$image" "$IMG" || { log "image $image could not be built"; continue; }
	fi
	d=$OUT/results/$image
	mkdir -p "$d"
	ref=$(oci_ref "$image")
	log "$image: vigil"
	run_tool "$image" vigil "$VIGIL" index "$ref" --db "$DB" --no-cache -q
	run_tool "$image" vigil-scan "$VIGIL" scan "$ref" --db "$DB" --format json --no-enrich -q --max-age 36500
	[ -f "$d/vigil-scan.out" ] && mv "$d/vigil-scan.out" "$d/vigil.scan"
	if [ -n "${PEER[syft]:-}" ]; then
		log "$image: syft"
		# the demo's layout holds three tags, which syft's oci-dir: cannot choose from
		src="oci-dir:$(oci_dir "$image")"
		[ "$image" = demo ] && src="docker-archive:$(docker_tar "$image")"
		run_tool "$image" syft env SYFT_CHECK_FOR_APP_UPDATE=false SYFT_CACHE_DIR="$T/syft-cache" \
			TMPDIR="$T" "${PEER[syft]}" scan "$src" -o syft-json -q
	fi
	if [ -n "${PEER[trivy]:-}" ]; then
		log "$image: trivy"
		run_tool "$image" trivy "${PEER[trivy]}" image --input "$(docker_tar "$image")" --cache-dir "$T/trivy-cache" \
			--offline-scan --skip-db-update --skip-java-db-update --skip-check-update \
			--format cyclonedx --quiet
	fi
	if [ -n "${PEER[osv-scanner]:-}" ]; then
		log "$image: osv-scanner"
		run_tool "$image" osv-scanner "${PEER[osv-scanner]}" scan image --archive "$(docker_tar "$image")" \
			--format json --all-packages --offline-vulnerabilities --local-db-path "$OSV"
		# exit 128 "No package sources found": it ran and found nothing
		if [ "$(cat "$d/osv-scanner.rc")" = 128 ] && [ ! -f "$d/osv-scanner.out" ]; then
			echo '{"results": []}' >"$d/osv-scanner.out"
		fi
	fi
done

# --- the report --------------------------------------------------------------
{
	echo "Produced by \`bench/peers.sh\` on $(date -u -r "$OUT/results" +%Y-%m-%d) (one command; results in \`build/peers/\`)."
	echo
	echo "| tool | version | how it ran |"
	echo "|---|---|---|"
	echo "| vigil | ${VERSION[vigil]} | \`vigil index oci:DIR:TAG --no-cache --format table\`; findings \`vigil scan --format json\` after \`vigil db import\` of the OSV set |"
	[ -n "${PEER[syft]:-}" ] && echo "| syft | ${VERSION[syft]} | \`syft scan oci-dir:DIR -o syft-json\` (SYFT_CHECK_FOR_APP_UPDATE=false) |"
	[ -n "${PEER[trivy]:-}" ] && echo "| trivy | ${VERSION[trivy]} | \`trivy image --input IMAGE.docker.tar --offline-scan --skip-db-update --skip-java-db-update --format cyclonedx\` |"
	[ -n "${PEER[osv-scanner]:-}" ] && echo "| osv-scanner | ${VERSION[osv-scanner]} | \`osv-scanner scan image --archive IMAGE.docker.tar --format json --all-packages --offline-vulnerabilities --local-db-path OSV\` (OSV/osv-scalibr/ECOSYSTEM/all.zip: the OSV set) |"
	for t in syft trivy osv-scanner; do
		[ -n "${PEER[$t]:-}" ] || echo "| $t | - | not run (not built here, or left out with --peers) |"
	done
	echo
	echo "Seconds per image (wall clock, one run, the peers' caches empty at the start):"
	echo
	echo "| image | vigil | syft | trivy | osv-scanner |"
	echo "|---|---:|---:|---:|---:|"
	for image in $SEL; do
		d=$OUT/results/$image
		[ -d "$d" ] || continue
		row="| $image |"
		for t in vigil syft trivy osv-scanner; do
			if [ -f "$d/$t.time" ]; then row+=" $(cat "$d/$t.time") |"; else row+=" n/a |"; fi
		done
		echo "$row"
	done
	LANG_IMAGES="$SEL" python3 "$SRC/bench/lib/inventory.py" report "$OUT/results" --osv "$OSV/json"
} >"$OUT/report.md"
cat "$OUT/report.md"

if [ "$DOCS" = 1 ]; then
	python3 - "$SRC/docs/accuracy.md" "$OUT/report.md" <<'PY' || die "could not write docs/accuracy.md"
import sys
doc, rep = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
text = open(doc, encoding="utf-8").read()
b, e = "<!-- peers.sh:begin -->", "<!-- peers.sh:end -->"
if b not in text or e not in text:
    raise SystemExit("docs/accuracy.md has no peers.sh markers")
head, rest = text.split(b, 1)
_, tail = rest.split(e, 1)
open(doc, "w", encoding="utf-8").write(head + b + "\n" + rep.rstrip("\n") + "\n" + e + tail)
PY
	log "docs/accuracy.md updated"
fi
