#!/usr/bin/env bash
# tests/integration/test_distro_photon.sh: VMware Photon OS end to end on the
# real samples of shared/testdata/feeds/photon:
#  1. `vigil db import` of the whole folder: the cve_data files (feed photon,
#     Trivy's golden rows and vunnel's inputs with them) and the PHSA OVAL
#     (photon-oval) import; the three broken files are refused by name;
#  2. the records against Trivy's golden files and vunnel's snapshots (a
#     second opinion, never an input; the differences are in docs/accuracy.md);
#  3. root filesystems of Photon 3.0 and 4.0 whose real rpm databases
#     (lib/mkrpmdb.sh) hold versions on both sides of the fixed versions,
#     scanned with `vigil scan dir:`: fixed (found, with the fixed version),
#     patched (equal to the fix: not found), not affected, a binary matched
#     by its source rpm, an epoch that outranks the fix, an advisory folded
#     into its CVE, a PHSA advisory standing alone, a non-CVE id (BDSA), a
#     "Fixed" row without a version (skipped): the findings exactly;
#  4. the online path against lib/feedserver.py on 127.0.0.1 (a sources file
#     naming it), again (all 304), a mirror folder, and a bundle round trip.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
set -uo pipefail

SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
command -v jq >/dev/null 2>&1 || skip "jq is missing"
command -v rpmbuild >/dev/null 2>&1 || skip "rpmbuild is missing (apt install rpm)"
FEEDS=${VIGIL_TESTDATA:-$SRC/../shared/testdata}/feeds
PH=$FEEDS/photon
[ -d "$PH" ] || skip "no $PH"

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-photon.XXXXXX")
IT_T=$T
SERVER_PID=
cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	[ -n "${VIGIL_IT_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
export VIGIL_DB=$T/default.db XDG_CONFIG_HOME=$T/xdg HOME=$T/home
unset VIGIL_SOURCES http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
mkdir -p "$HOME"
DB=$T/v.db

# ---- 1. the whole folder
start=$(date +%s%N)
vrun import db import --db "$DB" "$PH"
ms=$((($(date +%s%N) - start) / 1000000))
note "vigil db import $PH: ${ms} ms"
expect_rc import 0
check "photon: 25 files -> 21 records, 48 affected packages" \
	grep -q "^photon \+25 files -> 21 records, 48 affected packages" "$T/import.out"
check "photon-oval: 1 file -> 222 records, 778 affected packages" \
	grep -q "^photon-oval \+1 files -> 222 records, 778 affected packages" "$T/import.out"
check "refused: 3 files" grep -q "^refused 3 files" "$T/import.out"
for bad in cve_data_photon3.0_invalid_cveid.json cve_data_photon_invalid_format.json invalid_photon_versions.json; do
	check "refused by name: $bad" grep -q "^  .*/$bad: " "$T/import.out"
done
check "the invalid id is named" grep -q 'CVE-2019-3828-0001" is not an id' "$T/import.out"
check "the empty cve_id row is skipped, not refused" grep -q "cve_data_photon_empty_cveid.json: \[0\]: empty cve_id: skipped" "$T/import.err"

# ---- 2. Trivy's golden rows and vunnel's snapshots against `vigil db show`
show() { "$VIGIL" db show --db "$DB" "$1" 2>&1; }
for g in "$PH"/cve-metadata/golden/CVE-*.json; do
	read -r id os pkg res < <(jq -r '[.cve_id, .os_version, .pkg, .res_ver] | @tsv' "$g")
	if [ "$res" = NA ]; then want="not-affected *"; else want="fixed +$res"; fi
	check "golden $id: photon:$os $pkg ${want%% *} ${res/NA/}" \
		bash -c "show() { \"$VIGIL\" db show --db '$DB' \"\$1\"; }; show '$id' | grep -q -E '^  photon:$os +$pkg +binary +$want\$'"
done
for s in "$PH"/vunnel-fixture/snapshots/*/*.json; do
	id=$(jq -r .item.Vulnerability.Name "$s")
	sev=$(jq -r .item.Vulnerability.Severity "$s")
	show "$id" >"$T/show.$id"
	if [ "$sev" != Unknown ]; then
		check "vunnel $id: severity $sev" grep -q "^  severity: $sev" "$T/show.$id"
	fi
	while read -r ns name ver; do
		if [ "$ver" = None ]; then
			# python3 CVE-2023-50447: status Fixed, res_ver NA: vigil skips the row (docs/accuracy.md)
			check "vunnel $id $name: no version: vigil has no record" grep -q "no such record" "$T/show.$id"
		else
			check "vunnel $id: $ns $name fixed $ver" grep -q -E "^  $ns +$name +binary +fixed +$ver\$" "$T/show.$id"
		fi
	done < <(jq -r '.item.Vulnerability.FixedIn[] | [.NamespaceName, .Name, .Version] | @tsv' "$s")
done

# ---- 3. root filesystems: scan dir:
mkroot() { # DIR RELEASE LIST
	mkdir -p "$1/etc"
	printf 'NAME="VMware Photon OS"\nVERSION="%s"\nID=photon\nVERSION_ID=%s\nPRETTY_NAME="VMware Photon OS/Linux"\n' \
		"$2" "$2" >"$1/etc/os-release"
	printf '%s\n' "$3" >"$T/list"
	bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$1" "$T/list" || fail "mkrpmdb $1"
}
# name evr arch source
mkroot "$T/r3" 3.0 "ansible 2.7.6-1.ph3 noarch
apache-tomcat 8.5.40-1.ph3 noarch
apache-tomcat-webapps 8.5.40-1.ph3 noarch apache-tomcat
binutils 1:2.30-1.ph3
curl 7.61.1-5.ph3
sqlite-libs 3.27.2-4.ph3 x86_64 sqlite"
mkroot "$T/r3b" 3.0 "binutils 2.30-1.ph3"
mkroot "$T/r4" 4.0 "curl 7.88.1-3.ph4
curl-libs 7.88.1-3.ph4 x86_64 curl
nghttp2 1:1.50.0-1.ph4
httpd 2.4.57-1.ph4
python3 3.10.11-1.ph4
krb5-devel 1.17-14.ph4 x86_64 krb5"
scan() { # NAME ROOT [DB]
	vrun "$1" scan "dir:$2" --db "${3:-$DB}" --format flat -q --no-enrich
	jq -r '.findings[] | [.id, .package, .version, (.fixed // "-"), .state, .severity, .feed] | @tsv' \
		"$T/$1.out" | sort >"$T/$1.tsv"
	jq -r .namespace "$T/$1.out" >"$T/$1.ns"
}
scan s3 "$T/r3"
check_eq "r3: namespace" photon:3.0 "$(cat "$T/s3.ns")"
cat >"$T/want3.tsv" <<'EOF'
CVE-2019-10072	apache-tomcat	8.5.40-1.ph3	8.5.40-2.ph3	fixed	High	photon
CVE-2019-10072	apache-tomcat-webapps	8.5.40-1.ph3	8.5.40-2.ph3	fixed	High	photon
CVE-2019-3828	ansible	2.7.6-1.ph3	2.7.6-2.ph3	fixed	Critical	photon
PHSA-2019-3.0-0027:00200	ansible	2.7.6-1.ph3	0:2.8.3-1.ph3	fixed	Low	photon-oval
PHSA-2019-3.0-0036:00001	sqlite-libs	3.27.2-4.ph3	0:3.27.2-5.ph3	fixed	High	photon-oval
PHSA-2020-3.0-0051:00036	apache-tomcat	8.5.40-1.ph3	0:8.5.50-1.ph3	fixed	Critical	photon-oval
PHSA-2020-3.0-0055:00004	sqlite-libs	3.27.2-4.ph3	0:3.31.1-1.ph3	fixed	High	photon-oval
PHSA-2020-3.0-0058:00199	ansible	2.7.6-1.ph3	0:2.8.3-5.ph3	fixed	Medium	photon-oval
EOF
check_same "r3: the findings" "$T/want3.tsv" "$T/s3.tsv"
check "r3: CVE-2019-3828 carries its advisory PHSA-2019-3.0-0010:00198" \
	bash -c "jq -e '.findings[] | select(.id == \"CVE-2019-3828\")' '$T/s3.out' >/dev/null && \
		\"$VIGIL\" scan 'dir:$T/r3' --db '$DB' --format json -q --no-enrich | grep -q 'PHSA-2019-3.0-0010:00198'"
scan s3b "$T/r3b"
check_eq "r3b: binutils 2.30-1.ph3 (no epoch) has CVE-2017-16826, r3's 1:2.30-1.ph3 has not" \
	"CVE-2017-16826	binutils	2.30-1.ph3	2.31.1-3.ph3	fixed	High	photon" "$(grep CVE-2017-16826 "$T/s3b.tsv")"
scan s4 "$T/r4"
check_eq "r4: namespace" photon:4.0 "$(cat "$T/s4.ns")"
cat >"$T/want4.tsv" <<'EOF'
BDSA-2025-0719	krb5-devel	1.17-14.ph4	1.17-15.ph4	fixed	High	photon
CVE-2023-38545	curl	7.88.1-3.ph4	7.88.1-4.ph4	fixed	Critical	photon
CVE-2023-38545	curl-libs	7.88.1-3.ph4	7.88.1-4.ph4	fixed	Critical	photon
CVE-2023-38546	curl	7.88.1-3.ph4	7.88.1-4.ph4	fixed	Low	photon
CVE-2023-38546	curl-libs	7.88.1-3.ph4	7.88.1-4.ph4	fixed	Low	photon
EOF
check_same "r4: the findings" "$T/want4.tsv" "$T/s4.tsv"

# ---- 4. online (local server), again, a mirror folder, a bundle
python3 "$SRC/tests/integration/lib/feedserver.py" --root "$FEEDS" --port-file "$T/port" \
	--max-seconds 300 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do [ -s "$T/port" ] && break; sleep 0.2; done
[ -s "$T/port" ] || { cat "$T/server.err"; fail "feedserver did not start"; it_done; }
B=http://127.0.0.1:$(cat "$T/port")
cat >"$T/sources.conf" <<EOF
photon       $B/photon/cve_data_photon1.0.json
photon       $B/photon/cve_data_photon3.0.json
photon       $B/photon/cve_data_photon4.0.json
photon-oval  $B/photon-oval/com.vmware.phsa-photon3.xml.gz
EOF
ODB=$T/online.db
vrun up1 db update --db "$ODB" --cache-dir "$T/cache" --config "$T/sources.conf" --source photon --source photon-oval
expect_rc up1 0
check "online: photon 3 files -> 14 records" grep -q "^photon \+updated: .* -> 14 records" "$T/up1.out"
check "online: photon-oval (gzip) -> 222 records" grep -q "^photon-oval \+updated: .* -> 222 records" "$T/up1.out"
vrun up2 db update --db "$ODB" --cache-dir "$T/cache" --config "$T/sources.conf" --source photon --source photon-oval
check "online again: photon unchanged (304)" grep -q "^photon \+unchanged" "$T/up2.out"
check "online again: photon-oval unchanged (304)" grep -q "^photon-oval \+unchanged" "$T/up2.out"
scan so4 "$T/r4" "$ODB"
check_same "online: r4's findings as from the import" "$T/want4.tsv" "$T/so4.tsv"
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=

python3 "$SRC/tests/integration/lib/feedserver.py" --root "$FEEDS" --materialize "$T/mirror"
MDB=$T/mirror.db
vrun mdir db update --db "$MDB" --cache-dir "$T/cache-m" --mirror "$T/mirror" --source photon --source photon-oval
expect_rc mdir 0
check "mirror folder: photon 4 files -> 19 records" grep -q "^photon \+updated: .* -> 19 records" "$T/mdir.out"
check "mirror folder: photon-oval -> 222 records" grep -q "^photon-oval \+updated: .* -> 222 records" "$T/mdir.out"

vrun export db export --db "$DB" "$T/photon.tar.zst"
expect_rc export 0
BDB=$T/bundle.db
vrun bimport db import --db "$BDB" "$T/photon.tar.zst"
expect_rc bimport 0
scan sb3 "$T/r3" "$BDB"
check_same "bundle: r3's findings" "$T/want3.tsv" "$T/sb3.tsv"
scan sb4 "$T/r4" "$BDB"
check_same "bundle: r4's findings" "$T/want4.tsv" "$T/sb4.tsv"

it_done
