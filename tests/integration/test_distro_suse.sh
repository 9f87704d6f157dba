#!/usr/bin/env bash
# tests/integration/test_distro_suse.sh: SUSE end to end. `vigil db import`
# of the real samples of shared/testdata/feeds/suse (11 CVRF advisories and
# the broken one, vunnel's SLES 15 OVAL excerpt) imports both feeds and
# lists the broken advisory; then root filesystems of SLES 15 SP1, SLES 15,
# SLES 12 SP4 and openSUSE Leap 15.0 with real rpm databases (mkrpmdb.sh)
# holding versions on both sides of the fixed versions are scanned (dir:)
# and their findings asserted exactly (and SLES 11 SP4, known by its
# etc/SuSE-release): fixed below the fix (OVAL and CVRF),
# patched at and above it, an epoch that outranks a fix written without
# one, an architecture outside the OVAL state's list, "not affected" from
# OVAL, a product that maps to another release (Legacy Module 12 is
# sles:12, not 12.4). Last, `vigil db update` against the local feedserver
# (127.0.0.1) with a sources file, and a bundle export/import round trip.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
set -uo pipefail

SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
command -v rpmbuild >/dev/null 2>&1 || skip "rpmbuild is missing (apt install rpm)"
command -v jq >/dev/null 2>&1 || skip "jq is missing"
command -v python3 >/dev/null 2>&1 || skip "python3 is missing"
FEEDS=${VIGIL_TESTDATA:-$SRC/../shared/testdata}/feeds
SUSE=$FEEDS/suse
[ -d "$SUSE/cvrf" ] || skip "no SUSE samples at $SUSE"

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-suse.XXXXXX")
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
	[ -n "${VIGIL_IT_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
export VIGIL_DB=$T/default.db XDG_CONFIG_HOME=$T/xdg HOME=$T/home
unset VIGIL_SOURCES http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
mkdir -p "$HOME"
DB=$T/v.db

sanitizer() {
	if grep -q -e 'AddressSanitizer' -e 'runtime error' "$1"; then
		fail "$2: sanitizer report"
		head -n 30 "$1"
	fi
}

# ---- 1. import: both feeds, the broken advisory refused alone
"$VIGIL" db import --db "$DB" "$SUSE" >"$T/import.out" 2>"$T/import.err"
check_eq "import: exit status" 0 "$?"
sanitizer "$T/import.err" import
check "import: suse-cvrf, 12 files -> 25 records, 791 affected packages" \
	grep -q "^suse-cvrf \+12 files -> 25 records, 791 affected packages" "$T/import.out"
check "import: suse-oval, 1 file -> 3 records, 5 affected packages" \
	grep -q "^suse-oval \+1 files -> 3 records, 5 affected packages" "$T/import.out"
check "import: the broken advisory is listed, with its line" \
	grep -q "broken-cvrf/cvrf-suse-su-2018-1784-1.xml: SUSE CVRF: XML: line 186" "$T/import.out"
check_eq "import: one file refused" 1 "$(grep -c '^  .*: SUSE CVRF: ' "$T/import.out")"
check "import: the vunnel snapshots are not taken as a feed" bash -c "! grep -q snapshots '$T/import.out'"

# ---- 2. root filesystems
# mkroot NAME ID VERSION_ID PRETTY; packages on stdin (mkrpmdb.sh's LIST)
mkroot() {
	local r=$T/$1
	mkdir -p "$r/etc"
	printf 'NAME="%s"\nVERSION_ID="%s"\nID="%s"\nID_LIKE="suse"\nPRETTY_NAME="%s"\n' "$2" "$3" "$2" "$4" \
		>"$r/etc/os-release"
	cat >"$T/$1.list"
	bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$r" "$T/$1.list" || fail "$1: mkrpmdb failed"
}
# scan NAME: "package id fixed feed severity" lines, sorted, in $T/NAME.found
scan() {
	"$VIGIL" scan "dir:$T/$1" --db "$DB" --format json >"$T/$1.json" 2>"$T/$1.err"
	check_eq "$1: scan exit status" 0 "$?"
	sanitizer "$T/$1.err" "$1"
	jq -r '.vulnerabilities[] | [.package.name, .name, (.fixed_in_version // "-"), .updater,
		.normalized_severity] | join(" ")' "$T/$1.json" | LC_ALL=C sort >"$T/$1.found"
}

mkroot sles151 sles 15.1 "SUSE Linux Enterprise Server 15 SP1" <<'EOF'
kernel-default 4.12.14-197.26.1 x86_64
kernel-rt 4.12.14-14.11.1 x86_64
kernel-source-rt 4.12.14-14.14.2 noarch
kernel-devel-rt 1:4.12.14-14.11.1 noarch
kernel-rt-devel 4.12.14-14.15.1 x86_64
EOF
mkroot sles15 sles 15 "SUSE Linux Enterprise Server 15" <<'EOF'
kernel-default 4.12.14-150.50.1 i586
kernel-source 4.12.14-150.50.1 noarch
python3-cryptography 2.8-3.1 x86_64
EOF
mkroot sles124 sles 12.4 "SUSE Linux Enterprise Server 12 SP4" <<'EOF'
compat-openssl098 0.9.8j-106.9.1 x86_64
libopenssl0_9_8-32bit 0.9.8j-106.9.1 x86_64
libopenssl0_9_8 0.9.8j-106.12.1 x86_64
EOF
mkroot leap150 opensuse-leap 15.0 "openSUSE Leap 15.0" <<'EOF'
glibc 2.26-lp150.11.3.1 x86_64 glibc
glibc-32bit 2.26-lp150.11.3.2 x86_64 glibc
glibc-devel 2.26-lp150.11.4.1 x86_64 glibc
EOF

# SLES 15 SP1: kernel-default below the OVAL fix (CVE-2021-29154); kernel-rt
# below the fix of SUSE-SU-2019:3295-1 (its 20 CVEs); kernel-source-rt at the
# fix and kernel-rt-devel above it: patched; kernel-devel-rt 1:... below the
# version-release but its epoch outranks a fix written without one
scan sles151
{
	echo "kernel-default CVE-2021-29154 0:4.12.14-197.89.2 suse-oval High"
	for c in CVE-2017-18595:Medium CVE-2018-12207:Medium CVE-2019-0154:High CVE-2019-0155:High \
		CVE-2019-10220:High CVE-2019-11135:Medium CVE-2019-14821:Medium CVE-2019-15291:Medium \
		CVE-2019-15916:Low CVE-2019-16231:Medium CVE-2019-16232:Medium CVE-2019-16233:Medium \
		CVE-2019-16234:Medium CVE-2019-16995:Medium CVE-2019-17055:Low CVE-2019-17056:Low \
		CVE-2019-17133:High CVE-2019-17666:Medium CVE-2019-18805:Low CVE-2019-9506:Medium; do
		echo "kernel-rt ${c%%:*} 4.12.14-14.14.3 suse-cvrf ${c#*:}"
	done
} | LC_ALL=C sort >"$T/sles151.want"
check_same "sles:15.1: findings exactly (OVAL fixed, CVRF fixed; patched and epoch not found)" \
	"$T/sles151.want" "$T/sles151.found"
check_eq "sles:15.1: the namespace" "sles" "$(jq -r '.distributions[].did' "$T/sles151.json")"

# SLES 15: kernel-default i586 is outside the state's arch list; kernel-source
# and python3-cryptography are "not affected" in OVAL
scan sles15
check_eq "sles:15: no finding (arch, not affected)" "" "$(cat "$T/sles15.found")"

# the same kernel-default on x86_64 (in the list) is found: the arch decided above
mkroot sles15x sles 15 "SUSE Linux Enterprise Server 15" <<'EOF'
kernel-default 4.12.14-150.50.1 x86_64
EOF
scan sles15x
check_eq "sles:15: kernel-default x86_64 found" \
	"kernel-default CVE-2021-29154 0:4.12.14-150.72.1 suse-oval High" "$(cat "$T/sles15x.found")"

# SLES 12 SP4: compat-openssl098 below the fix for SLES for SAP / Desktop 12
# SP4; libopenssl0_9_8-32bit is fixed only for the Legacy Module 12 (sles:12)
scan sles124
check_eq "sles:12.4: findings exactly" \
	"compat-openssl098 CVE-2019-1559 0.9.8j-106.12.1 suse-cvrf Medium" "$(cat "$T/sles124.found")"

# openSUSE Leap 15.0: glibc below the fix by its release; -32bit at it, -devel above
scan leap150
check_eq "opensuse-leap:15.0: findings exactly" \
	"glibc CVE-2018-11237 2.26-lp150.11.3.2 suse-cvrf Medium" "$(cat "$T/leap150.found")"
check "opensuse-leap:15.0: the advisory is an alias of the finding" \
	jq -e '[.. | strings | select(. == "openSUSE-SU-2018:1633-1")] | length > 0' "$T/leap150.json"

# SLES 11 SP4 has no os-release: etc/SuSE-release (VERSION, PATCHLEVEL) says
# sles:11.4; ofed below the fix of SUSE-SU-2018:1784-1, ofed-doc at it
mkdir -p "$T/sles114/etc"
printf 'SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 4\n' >"$T/sles114/etc/SuSE-release"
printf 'ofed 1.5.4.1-22.2.1 x86_64\nofed-doc 1.5.4.1-22.3.1 noarch\n' >"$T/sles114.list"
bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$T/sles114" "$T/sles114.list" || fail "sles114: mkrpmdb failed"
scan sles114
check_eq "sles:11.4 from etc/SuSE-release: the version" "11.4" "$(jq -r '.distributions[].version_id' "$T/sles114.json")"
check_eq "sles:11.4 from etc/SuSE-release: findings exactly" \
	"ofed CVE-2017-5715 1.5.4.1-22.3.1 suse-cvrf High" "$(cat "$T/sles114.found")"

# ---- 3. online: vigil db update against the local feedserver
python3 "$SRC/tests/integration/lib/feedserver.py" --root "$FEEDS" --port-file "$T/port" \
	--max-seconds 300 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 1 150); do [ -s "$T/port" ] && break; sleep 0.2; done
if [ -s "$T/port" ]; then
	B=http://127.0.0.1:$(cat "$T/port")
	cat >"$T/sources.conf" <<EOF
suse-cvrf $B/suse-cvrf/cvrf.tar.bz2 cvrf.tar.bz2
suse-oval $B/suse-oval/suse.linux.enterprise.server.15.xml.bz2 suse.linux.enterprise.server.15.xml.bz2
EOF
	"$VIGIL" db update --db "$T/online.db" --cache-dir "$T/cache" --config "$T/sources.conf" \
		--source suse-cvrf --source suse-oval >"$T/update.out" 2>"$T/update.err"
	RC=$?
	sanitizer "$T/update.err" update
	# the archive holds the 11 good advisories (not broken-cvrf/): exit 0
	check_eq "update: exit status" 0 "$RC"
	check "update: suse-cvrf from cvrf.tar.bz2 (25 records)" grep -q "^suse-cvrf .*-> 25 records" "$T/update.out"
	check "update: suse-oval from the .xml.bz2 (3 records)" grep -q "^suse-oval .*-> 3 records" "$T/update.out"
	"$VIGIL" db update --db "$T/online.db" --cache-dir "$T/cache" --config "$T/sources.conf" \
		--source suse-cvrf --source suse-oval >"$T/update2.out" 2>&1
	check "update again: unchanged, 304" grep -q "^suse-oval \+unchanged: [0-9]* requests answered 304" "$T/update2.out"
	"$VIGIL" db update --db "$T/mirror.db" --cache-dir "$T/cache-m" --mirror "$B" \
		--source suse-cvrf --source suse-oval >"$T/mirror.out" 2>"$T/mirror.err"
	check "--mirror URL: the built-in file names (suse-cvrf)" grep -q "^suse-cvrf .*-> 25 records" "$T/mirror.out"
	check "--mirror URL: the built-in file names (suse-oval)" grep -q "^suse-oval .*-> 3 records" "$T/mirror.out"
	kill "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
else
	fail "feedserver did not start: $(head -n 5 "$T/server.err")"
fi

# ---- 4. a bundle round trip keeps the SUSE feeds and their findings
"$VIGIL" db export --db "$DB" "$T/suse.bundle" >"$T/export.out" 2>&1
check_eq "bundle: export exit status" 0 "$?"
"$VIGIL" db import --db "$T/bundle.db" "$T/suse.bundle" >"$T/bimport.out" 2>&1
check_eq "bundle: import exit status" 0 "$?"
"$VIGIL" scan "dir:$T/sles151" --db "$T/bundle.db" --format json 2>/dev/null |
	jq -r '.vulnerabilities[] | [.package.name, .name, (.fixed_in_version // "-"), .updater,
		.normalized_severity] | join(" ")' | LC_ALL=C sort >"$T/bundle.found"
check_same "bundle: the same SLES 15 SP1 findings" "$T/sles151.want" "$T/bundle.found"

it_done
