#!/usr/bin/env bash
# tests/integration/test_distro_alma.sh: AlmaLinux and Rocky Linux end to
# end. The real samples of shared/testdata/feeds/{alma,rocky} (errata.json,
# 139 AlmaLinux OSV, 3 Rocky OSV) plus one small errata.full.json written
# here (per-architecture builds) are imported; root filesystems with the
# real AlmaLinux 8.4 and Rocky 8.4 os-release files (and 9.x ones) and REAL
# rpm databases (lib/mkrpmdb.sh) holding versions on both sides of the
# fixed builds are scanned with `vigil scan dir:`, and the findings must be
# exactly the expected ones: fixed (found with its fixed build), patched
# (not found), epoch (a higher version with a lower epoch is found, a lower
# version with a higher epoch is not), module stream (a row of virt:rhel or
# mariadb:10.3 or nodejs:18 matches only packages of that stream, a
# non-module row only packages outside modules), architecture (per-arch
# builds), Rocky's source names (java-11-openjdk for its -headless and
# -devel). A broken errata file under the feed's name is refused alone,
# naming it. Then the RHEL fallback: with only Red Hat's data in the store
# an AlmaLinux 9 and a Rocky 9 image are matched against rhel:9 with a
# warning; with their own data, Red Hat's rows are not used. Last, `vigil
# db update` of alma, alma-osv and rocky-osv against lib/feedserver.py on
# 127.0.0.1 (a sources file pointing there), the OSV feeds through
# --mirror URL (the built-in catalog's file names), and a bundle round trip.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
set -uo pipefail

SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
command -v jq >/dev/null 2>&1 || skip "jq is missing"
command -v rpmbuild >/dev/null 2>&1 || skip "rpmbuild is missing (apt install rpm)"
command -v python3 >/dev/null 2>&1 || skip "python3 is missing"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
FEEDS=$DATA/feeds
[ -d "$FEEDS/alma" ] && [ -d "$FEEDS/rocky" ] || skip "no AlmaLinux/Rocky samples at $FEEDS"

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-distro-alma.XXXXXX")
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
	[ -n "${VIGIL_IT_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "$0")/lib/db.sh"
export VIGIL_DB=$T/default.db XDG_CONFIG_HOME=$T/xdg HOME=$T/home
unset VIGIL_SOURCES NVD_API_KEY http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
mkdir -p "$HOME"
OSREL=$DATA/pkgdb/os-release

# ---- the feeds: the samples, a per-arch errata.full.json, a broken errata file
mkdir -p "$T/feeds/alma-extra"
cat >"$T/feeds/alma-extra/almalinux-8-errata.full.json" <<'EOF'
{"schema_version": "1.0", "data": [
 {"id": "ALSA-2099:0001", "type": "security", "severity": "Low", "title": "Low: Judy security update",
  "issued_date": 1700000000, "updated_date": 1700000000,
  "packages": [
   {"name": "Judy", "epoch": "0", "version": "1.0.5", "release": "18.el8_6", "arch": "x86_64"},
   {"name": "Judy", "epoch": "0", "version": "1.0.5", "release": "20.el8_6", "arch": "aarch64"},
   {"name": "Judy-devel", "epoch": "0", "version": "1.0.5", "release": "18.el8_6", "arch": "x86_64"},
   {"name": "Judy-devel", "epoch": "0", "version": "1.0.5", "release": "20.el8_6", "arch": "aarch64"}],
  "modules": [], "references": [{"id": "CVE-2099-0001", "type": "cve", "href": "https://example.invalid/CVE-2099-0001"}]}]}
EOF
# what vuln-list-update's test serves at the errata URL, under the name a mirror gives it
cp "$FEEDS/alma/errata-json/invalid.json" "$T/feeds/alma-extra/almalinux-9-errata.full.json"

DB=$(vigil_db main)
start=$(date +%s%N)
"$VIGIL" db import --db "$DB" "$FEEDS/alma" "$FEEDS/rocky/vunnel-osv" "$T/feeds/alma-extra" \
	>"$T/import.out" 2>"$T/import.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
note "import of the AlmaLinux and Rocky samples: ${ms} ms"
check_eq "import: exit status (one file refused, the rest imported)" 0 "$rc"
check "import: alma = errata.json's 3 security advisories + the written one (3 files, one refused)" \
	grep -q "^alma  *3 files -> 4 records" "$T/import.out"
check "import: alma-osv = 138 distinct advisories less the ALBA" \
	grep -q "^alma-osv  *139 files -> 137 records" "$T/import.out"
check "import: rocky-osv = 3 advisories" grep -q "^rocky-osv  *3 files -> 3 records" "$T/import.out"
check "import: the broken errata file is refused, named" \
	grep -q "almalinux-9-errata.full.json.*AlmaLinux errata JSON.*bad JSON" "$T/import.out" "$T/import.err"
check "import: golden (Trivy's input) and invalid.json are not feeds" \
	bash -c "! grep -q 'golden\|errata-json/invalid' '$T/import.out' '$T/import.err'"
"$VIGIL" db import --db "$(vigil_db solo)" "$FEEDS/alma/errata-json/invalid.json" >"$T/solo.out" 2>&1
check "import: invalid.json named alone is not taken for a feed" grep -q "invalid.json" "$T/solo.out"

# ---- root filesystems: rootfs NAME OS-RELEASE-FILE|TEXT PACKAGES...
rootfs() {
	local name=$1 osr=$2
	mkdir -p "$T/$name/etc"
	if [ -f "$osr" ]; then cp "$osr" "$T/$name/etc/os-release"; else printf '%s\n' "$osr" >"$T/$name/etc/os-release"; fi
	cat >"$T/$name.list"
	bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$T/$name" "$T/$name.list" ||
		{ fail "mkrpmdb $name"; return 1; }
}
# scan NAME DB: the findings as "package version id fixed feed", sorted
scan() {
	"$VIGIL" scan "dir:$T/$1" --db "$2" --format flat -q --max-age 36500 >"$T/$1.$3.json" 2>"$T/$1.$3.err"
	local rc=$?
	[ "$rc" = 0 ] || { fail "scan $1: exit $rc"; head -5 "$T/$1.$3.err"; } >&2
	jq -r '.findings[] | [.package, .version, .id, (.fixed // "-"), .feed] | @tsv' "$T/$1.$3.json" | LC_ALL=C sort
}
want() { LC_ALL=C sort >"$T/want"; }

# AlmaLinux 8.4: errata.json (virt:rhel module), AlmaLinux 8 OSV (mariadb:10.3), per-arch errata.full.json
rootfs alma8 "$OSREL/syft_almalinux_from-os-release.os-release" <<'EOF'
libsndfile 0:1.0.28-10.el8_4 x86_64
libsndfile-utils 0:1.0.28-10.el8_4.1 x86_64 libsndfile
exiv2 0:0.27.3-2.el8 x86_64
exiv2-libs 0:0.27.3-3.el8_4 x86_64 exiv2
sgabios 1:0.20170427git-2.module_el8.3.0+1+ab x86_64 - virt:rhel:8030020201104:abcdef01
libiscsi 1:1.17.0-1.module_el8.3.0+1+ab x86_64 - virt:rhel:8030020201104:abcdef01
netcf 0:0.2.8-11.el8 x86_64
netcf-libs 0:0.2.8-11.module_el8.3.0+1+ab x86_64 netcf virt:rhel:8030020201104:abcdef01
mariadb 3:10.3.28-1.module_el8.3.0+2177+7adc332a x86_64 - mariadb:10.3:8030020210308:abcdef01
mariadb-server 3:10.3.28-1.module_el8.3.0+2177+7adc332a x86_64 mariadb mariadb:10.5:8030020210308:abcdef01
python3-requests 0:2.20.0-2.1.el8_1 noarch
Judy 0:1.0.5-19.el8_6 aarch64
Judy-devel 0:1.0.5-19.el8_6 x86_64 Judy
EOF
want <<'EOF'
Judy	1.0.5-19.el8_6	ALSA-2099:0001	1.0.5-20.el8_6	alma
exiv2	0.27.3-2.el8	ALSA-2021:3152	0.27.3-3.el8_4	alma
libsndfile	1.0.28-10.el8_4	ALSA-2021:3253	1.0.28-10.el8_4.1	alma
mariadb	3:10.3.28-1.module_el8.3.0+2177+7adc332a	ALSA-2023:5259	3:10.3.39-1.module_el8.8.0+3609+204d4ab0	alma-osv
netcf-libs	0.2.8-11.module_el8.3.0+1+ab	ALSA-2020:0279	0.2.8-12.module_el8.3.0+2048+e7a0a3ea	alma
python3-requests	2.20.0-2.1.el8_1	ALSA-2023:4520	2.20.0-3.el8_8	alma-osv
sgabios	1:0.20170427git-2.module_el8.3.0+1+ab	ALSA-2020:0279	1:0.20170427git-3.module_el8.3.0+2048+e7a0a3ea	alma
EOF
scan alma8 "$DB" main >"$T/got"
check_same "AlmaLinux 8: fixed, patched, epoch, module stream, non-module, arch" "$T/want" "$T/got"
check_eq "AlmaLinux 8: namespace" "almalinux:8" "$(jq -r .namespace "$T/alma8.main.json")"
"$VIGIL" scan "dir:$T/alma8" --db "$DB" --format json -q --max-age 36500 >"$T/alma8.clair.json" 2>/dev/null
check_eq "AlmaLinux 8: the vendor's severity word kept beside the level" "Important High" \
	"$(jq -r '[.vulnerabilities[] | select(.name == "ALSA-2021:3253")][0] | "\(.severity) \(.normalized_severity)"' "$T/alma8.clair.json")"

# AlmaLinux 9: osv-database (nodejs 16 outside modules, libtiff), patched avahi, curl
rootfs alma9 $'NAME="AlmaLinux"\nID="almalinux"\nVERSION_ID="9.1"\nPRETTY_NAME="AlmaLinux 9.1 (Lime Lynx)"' <<'EOF'
libtiff 0:4.4.0-1.el9 x86_64
avahi-libs 0:0.8-20.el9 x86_64 avahi
nodejs 1:16.14.0-2.el9 x86_64
libcurl 0:7.76.1-26.el9_3.1 x86_64 curl
EOF
want <<'EOF'
libtiff	4.4.0-1.el9	ALSA-2022:8194	4.4.0-2.el9	alma-osv
nodejs	1:16.14.0-2.el9	ALSA-2022:6595	1:16.16.0-1.el9_0	alma-osv
nodejs	1:16.14.0-2.el9	ALSA-2022:6963	1:16.17.1-1.el9_0	alma-osv
EOF
scan alma9 "$DB" main >"$T/got"
check_same "AlmaLinux 9: fixed, patched, non-module nodejs" "$T/want" "$T/got"
# the nodejs:18 module stream: only ALSA-2022:8832's module rows
rootfs alma9m $'ID="almalinux"\nVERSION_ID="9.1"' <<'EOF'
nodejs 1:18.10.0-1.module_el9.1.0+10+abcdef01 x86_64 - nodejs:18:9010020221009220316:rhel9
npm 1:8.19.2-1.18.12.1.1.module_el9.1.0+16+91bc168f x86_64 nodejs nodejs:18:9010020221009220316:rhel9
EOF
printf 'nodejs\t1:18.10.0-1.module_el9.1.0+10+abcdef01\tALSA-2022:8832\t1:18.12.1-1.module_el9.1.0+16+91bc168f\talma-osv\n' | want
scan alma9m "$DB" main >"$T/got"
check_same "AlmaLinux 9: nodejs:18 module stream" "$T/want" "$T/got"

# Rocky 8.4: OSV names source rpms; epochs
rootfs rocky8 "$OSREL/syft_rockylinux_from-os-release.os-release" <<'EOF'
java-11-openjdk-headless 1:11.0.12.0.7-0.el8_4 x86_64 java-11-openjdk
java-11-openjdk-devel 0:11.0.14-1.el8 x86_64 java-11-openjdk
firefox 0:102.11.0-2.el8_7 x86_64
EOF
want <<'EOF'
java-11-openjdk-devel	11.0.14-1.el8	RLSA-2021:3891	1:11.0.13.0.8-1.el8_4	rocky-osv
java-11-openjdk-headless	1:11.0.12.0.7-0.el8_4	RLSA-2021:3891	1:11.0.13.0.8-1.el8_4	rocky-osv
EOF
scan rocky8 "$DB" main >"$T/got"
check_same "Rocky 8: by source name, epoch, patched" "$T/want" "$T/got"
check_eq "Rocky 8: namespace" "rocky:8" "$(jq -r .namespace "$T/rocky8.main.json")"

# Rocky 9: the ruby:3.3 module; another stream not matched
rootfs rocky9 $'NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.3"' <<'EOF'
ruby-libs 0:3.3.0-1.module+el9.4.0+1+abcdef01 x86_64 ruby ruby:3.3:9040020240410:abcdef01
rubygem-pg 0:1.4.0-1.module+el9.1.0+1+abcdef01 x86_64 - ruby:3.1:9010020221119:abcdef01
libcurl 0:7.76.1-26.el9_3.1 x86_64 curl
EOF
printf 'ruby-libs\t3.3.0-1.module+el9.4.0+1+abcdef01\tRLSA-2024:3671\t0:3.3.1-2.module+el9.4.0+20787+4c237fd3\trocky-osv\n' | want
scan rocky9 "$DB" main >"$T/got"
check_same "Rocky 9: module stream ruby:3.3 only" "$T/want" "$T/got"

# ---- the RHEL fallback
RH=$FEEDS/redhat/csaf-vex/cve-2023-38545.json
"$VIGIL" db import --db "$(vigil_db rhonly)" "$RH" >"$T/rh.out" 2>&1 || fail "import of Red Hat's VEX"
for img in alma9 rocky9; do
	own=$([ "$img" = alma9 ] && echo almalinux:9 || echo rocky:9)
	scan "$img" "$(vigil_db rhonly)" rh | cut -f1,3,5 >"$T/got"
	printf 'libcurl\tCVE-2023-38545\tredhat-vex\n' >"$T/want"
	check_same "$img without its own data: matched against rhel:9" "$T/want" "$T/got"
	check_eq "$img without its own data: namespace" "rhel:9" "$(jq -r .namespace "$T/$img.rh.json")"
	check "$img without its own data: a warning says so" \
		grep -q "no vulnerability data for $own in the store: matched against rhel:9" "$T/$img.rh.err"
done
# own data present (and Red Hat's too): no RHEL row, no warning
"$VIGIL" db import --db "$DB" "$RH" >/dev/null 2>&1 || fail "import of Red Hat's VEX into the main store"
for img in alma9 rocky9; do
	scan "$img" "$DB" both >"$T/got"
	check "$img with its own data: Red Hat's CVE-2023-38545 not used" bash -c "! grep -q CVE-2023-38545 '$T/got'"
	check "$img with its own data: no fallback warning" bash -c "! grep -q 'matched against rhel' '$T/$img.both.err'"
done

# ---- online: vigil db update against the local feedserver, then a bundle round trip
python3 "$SRC/tests/integration/lib/feedserver.py" --root "$FEEDS" --port-file "$T/port" \
	--max-seconds 300 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 1 150); do [ -s "$T/port" ] && break; sleep 0.2; done
if [ -s "$T/port" ]; then
	B=http://127.0.0.1:$(cat "$T/port")
	cat >"$T/sources.conf" <<EOF
alma      $B/alma/almalinux-8-errata.full.json almalinux-8-errata.full.json
alma-osv  $B/alma-osv/AlmaLinux-all.zip AlmaLinux-all.zip
rocky-osv $B/rocky-osv/RockyLinux-all.zip RockyLinux-all.zip
EOF
	UDB=$(vigil_db upd)
	"$VIGIL" db update --db "$UDB" --cache-dir "$T/cache" --config "$T/sources.conf" \
		--source alma --source alma-osv --source rocky-osv >"$T/upd.out" 2>"$T/upd.err"
	check_eq "db update: exit status" 0 "$?"
	check "db update: alma (errata.json's 3)" grep -q "^alma  *updated: .* -> 3 records" "$T/upd.out"
	check "db update: alma-osv (134 + vunnel's almalinux8 less the ALBA)" \
		grep -q "^alma-osv  *updated: .* -> 136 records" "$T/upd.out"
	check "db update: rocky-osv" grep -q "^rocky-osv  *updated: .* -> 3 records" "$T/upd.out"
	scan alma8 "$UDB" upd | grep -c ALSA-2021:3253 >"$T/n"
	check_eq "db update: the updated store finds libsndfile's ALSA-2021:3253" 1 "$(cat "$T/n")"
	"$VIGIL" db export "$T/bundle.tar.zst" --db "$UDB" >"$T/export.out" 2>&1 || fail "db export"
	BDB=$(vigil_db bundle)
	"$VIGIL" db import "$T/bundle.tar.zst" --db "$BDB" >"$T/bimport.out" 2>&1 || fail "bundle import"
	MDB=$(vigil_db mirror)
	"$VIGIL" db update --db "$MDB" --cache-dir "$T/cache-m" --mirror "$B" --source alma-osv --source rocky-osv \
		>"$T/mirror.out" 2>"$T/mirror.err"
	check_eq "--mirror URL: exit status" 0 "$?"
	check "--mirror URL: alma-osv from <mirror>/alma-osv/AlmaLinux-all.zip" \
		grep -q "^alma-osv  *updated: .* -> 136 records" "$T/mirror.out"
	check "--mirror URL: rocky-osv from <mirror>/rocky-osv/RockyLinux-all.zip" \
		grep -q "^rocky-osv  *updated: .* -> 3 records" "$T/mirror.out"
	scan rocky9 "$BDB" bundle >"$T/got"
	scan rocky9 "$UDB" upd2 >"$T/want"
	check_same "bundle round trip: the same Rocky 9 findings" "$T/want" "$T/got"
	check "bundle round trip: not empty" test -s "$T/got"
else
	fail "feedserver did not start"
	cat "$T/server.err"
fi

it_done
