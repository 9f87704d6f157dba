#!/bin/bash
# tests/integration/test_sbom_in.sh: `vigil scan sbom:FILE` and `vigil
# index sbom:FILE` on SBOMs the real syft and Trivy (scripts/tools.lock)
# write, in CycloneDX and SPDX, of the Alpine 3.10 archive, the Debian demo
# image and the Alpine 3.4 / Ubuntu 18.04 package databases
# (scripts/make-pkgdb-rootfs.sh): the packages (name, version, arch, source
# name and version) equal those `vigil index` finds in the image itself,
# and the findings (package x id) equal `vigil scan`'s. Where a tool writes
# no purl (syft on a root filesystem with no os-release, Trivy on one whose
# OS it does not detect) the SBOM is refused ("names no package by purl"),
# as is bad input, with the file and field named and nothing written.
# With `vigil sbom` in the build, vigil's own CycloneDX and SPDX round-trip.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"
. "$(dirname "$0")/lib/tools.sh"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
ALPINE=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
[ -f "$ALPINE" ] && [ -d "$DATA/feeds/ubuntu/uct" ] || skip "no shared test data at $DATA"
# syft within 12 minutes (ctest gives the test 20), Trivy only when built
peer_tool syft 720 || skip "syft is needed to write the SBOMs this test reads"
SYFT=$TOOL
TRIVY=
peer_tool trivy 0 && TRIVY=$TOOL
export SYFT_CHECK_FOR_APP_UPDATE=false TRIVY_CACHE_DIR=$T/trivy-cache

bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
gzip -dc "$ALPINE" >"$T/alpine310.tar"
DEB=$IMAGES/demo-v2.docker.tar
DB=$(vigil_db sbomin)
vrun import db import "$DATA/feeds/alpine/secdb-json" "$DATA/feeds/debian" "$DATA/feeds/ubuntu/uct" --db "$DB"
expect_rc import 0

# sboms NAME SYFT_SRC TRIVY_CMD TRIVY_SRC: $T/NAME.{syft,trivy}.{cdx,spdx}.json
sboms() {
	"$SYFT" scan "$2" -q -o "cyclonedx-json=$T/$1.syft.cdx.json" -o "spdx-json=$T/$1.syft.spdx.json" ||
		fail "$1: syft $2"
	[ -n "$TRIVY" ] || return 0
	"$TRIVY" "$3" -q --skip-db-update --offline-scan --format cyclonedx -o "$T/$1.trivy.cdx.json" "$4" ||
		fail "$1: trivy cyclonedx"
	"$TRIVY" "$3" -q --skip-db-update --offline-scan --format spdx-json -o "$T/$1.trivy.spdx.json" "$4" ||
		fail "$1: trivy spdx-json"
}
# pkgs FILE: "name version arch source-name source-version" of an IndexReport
pkgs() { jq -r '.packages[] | [.name, .version, .arch, (.source.name // ""), (.source.version // "")] | @tsv' \
	"$1" | LC_ALL=C sort -u; }
# pairs FILE: "package version id" of a VulnerabilityReport
pairs() { jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[]
	| [$r.packages[$p].name, $r.packages[$p].version, $r.vulnerabilities[.].name] | @tsv' "$1" | LC_ALL=C sort -u; }

# same NAME IMAGE [MIN_FINDINGS]: every SBOM of NAME that has purls indexes
# and scans as IMAGE does.
same() {
	local n=$1 img=$2 min=${3:-0} f
	vrun "$n-index" index "$img" -q --format json
	pkgs "$T/$n-index.out" >"$T/$n-pkgs.tsv"
	vrun "$n-scan" scan "$img" --db "$DB" -q --format json
	pairs "$T/$n-scan.out" >"$T/$n-pairs.tsv"
	check "$n: at least $min findings of the image ($(wc -l <"$T/$n-pairs.tsv"))" \
		[ "$(wc -l <"$T/$n-pairs.tsv")" -ge "$min" ]
	for f in syft.cdx syft.spdx ${TRIVY:+trivy.cdx trivy.spdx}; do
		local s=$T/$n.$f.json
		if ! jq -e '[.. | objects | (.purl? // .referenceLocator? // empty) | strings
				| select(startswith("pkg:"))] | length > 0' "$s" >/dev/null; then
			vrun "$n-$f-nopurl" scan "sbom:$s" --db "$DB" -q
			expect_rc "$n-$f-nopurl" 1
			check "$n $f: the tool wrote no purl: refused by name" grep -q "sbom:$s: names no package by purl" \
				"$T/$n-$f-nopurl.err"
			continue
		fi
		vrun "$n-$f-index" index "sbom:$s" -q --format json
		expect_rc "$n-$f-index" 0
		pkgs "$T/$n-$f-index.out" >"$T/$n-$f-pkgs.tsv"
		check_same "$n $f: the packages vigil index finds in the image" "$T/$n-pkgs.tsv" "$T/$n-$f-pkgs.tsv"
		vrun "$n-$f-scan" scan "sbom:$s" --db "$DB" -q --format json
		expect_rc "$n-$f-scan" 0
		pairs "$T/$n-$f-scan.out" >"$T/$n-$f-pairs.tsv"
		check_same "$n $f: the findings of vigil scan of the image" "$T/$n-pairs.tsv" "$T/$n-$f-pairs.tsv"
	done
}

sboms alpine310 "docker-archive:$T/alpine310.tar" image "--input=$T/alpine310.tar"
same alpine310 "docker-archive:$T/alpine310.tar"
for f in syft.cdx ${TRIVY:+trivy.cdx trivy.spdx}; do
	vrun "alpine310-$f-layers" index "sbom:$T/alpine310.$f.json" -q
	check "alpine310 $f: the packages' layer is the image's" \
		grep -q "sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028 .* 14 packages" \
		"$T/alpine310-$f-layers.out"
done
if [ -f "$DEB" ]; then
	sboms debian "docker-archive:$DEB" image "--input=$DEB"
	same debian "docker-archive:$DEB"
fi
for r in alpine34 ubuntu1804; do
	sboms "$r" "dir:$T/fs/rootfs-$r" rootfs "$T/fs/rootfs-$r"
done
same alpine34 "dir:$T/fs/rootfs-alpine34" 50
same ubuntu1804 "dir:$T/fs/rootfs-ubuntu1804" 100

# ---- round trip: vigil's own SBOMs (when this build has `vigil sbom`) ----
if "$VIGIL" sbom --help >/dev/null 2>&1; then
	for n in alpine34 ubuntu1804; do
		for f in cyclonedx spdx; do
			vrun "$n-vigil-$f" sbom "dir:$T/fs/rootfs-$n" --format "$f" -q -o "$T/$n.vigil.$f.json"
			expect_rc "$n-vigil-$f" 0
		done
		cp "$T/$n.vigil.cyclonedx.json" "$T/$n.vigil.cdx.json"
		cp "$T/$n.vigil.spdx.json" "$T/$n.vigil.spdx2.json"
	done
	for n in alpine34 ubuntu1804; do
		for f in cdx spdx2; do
			vrun "$n-rt-$f" scan "sbom:$T/$n.vigil.$f.json" --db "$DB" -q --format json
			expect_rc "$n-rt-$f" 0
			pairs "$T/$n-rt-$f.out" >"$T/$n-rt-$f.tsv"
			check_same "$n: vigil sbom ($f) then vigil scan sbom: gives vigil scan's findings" \
				"$T/$n-pairs.tsv" "$T/$n-rt-$f.tsv"
			vrun "$n-rti-$f" index "sbom:$T/$n.vigil.$f.json" -q --format json
			pkgs "$T/$n-rti-$f.out" >"$T/$n-rti-$f.tsv"
			check_same "$n: vigil sbom ($f) then vigil index sbom: gives the image's packages" \
				"$T/$n-pkgs.tsv" "$T/$n-rti-$f.tsv"
		done
	done
else
	note "this vigil has no 'sbom' command: the round trip is not tested"
fi

# ---- the table says what was scanned ----
vrun table scan "sbom:$T/ubuntu1804.syft.cdx.json" --db "$DB" -q
expect_rc table 0
check "table: the SBOM and its distribution" grep -q "image: sbom:$T/ubuntu1804.syft.cdx.json (ubuntu:18.04" \
	"$T/table.out"

# ---- bad input: named, exit 1, nothing written ----
bad() { # NAME CONTENT EXPECTED_MESSAGE
	printf '%s' "$2" >"$T/$1.json"
	vrun "bad-$1" scan "sbom:$T/$1.json" --db "$DB" -q --format json --output "$T/bad-$1.report"
	expect_rc "bad-$1" 1
	check "bad $1: '$3'" grep -qF "sbom:$T/$1.json: $3" "$T/bad-$1.err"
	check "bad $1: nothing written" [ ! -e "$T/bad-$1.report" ]
}
bad purl '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","purl":"pkg:deb/debian/a@1"},{"type":"library","name":"b","purl":"deb/b@1"}]}' \
	"components[1].purl: 'deb/b@1': purl: no 'pkg:' scheme"
bad nopurl '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","name":"a","version":"1"}]}' \
	"names no package by purl"
bad spdxver '{"spdxVersion":"SPDX-3.0","packages":[]}' "spdxVersion: \"SPDX-3.0\""
bad notjson '{"bomFormat":' "not JSON"
bad other '{"hello":"world"}' "not an SBOM"
bad spdxref '{"spdxVersion":"SPDX-2.3","packages":[{"name":"x","externalRefs":[{"referenceType":"purl","referenceLocator":7}]}]}' \
	"packages[0].externalRefs[0].referenceLocator: not a string"
vrun missing scan "sbom:$T/none.json" --db "$DB" -q
expect_rc missing 1
check "a missing SBOM: named" grep -q "sbom:$T/none.json: No such file" "$T/missing.err"

it_done
