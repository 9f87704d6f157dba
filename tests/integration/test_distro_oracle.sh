#!/bin/bash
# tests/integration/test_distro_oracle.sh: Oracle Linux end to end. The real
# ELSA OVAL samples of shared/testdata/feeds/oracle are imported (the
# deliberately broken file refused alone and listed, the rest of the feed
# kept), root filesystems with Oracle Linux os-release files (syft's OL 8.3,
# an OL 7.9 and an OL 5 of ours) and real rpm databases
# (lib/mkrpmdb.sh) are scanned with `vigil scan dir:`, and the findings
# must be exactly those listed here. Every branch the feed has:
# - fixed: a version below the fixed one is found with the fixed version,
#   the fixed version itself (patched) is not;
# - epoch: bind 9.9.9 without an epoch is below 30:9.3.3-8.el5;
# - architecture: rsyslog of ELSA-2022-4803 was respun per architecture
#   (aarch64 fixed in 57.0.4, x86_64 in 57.0.1): 57.0.2 is vulnerable on
#   aarch64 only; a version both branches carry applies to noarch too;
# - ksplice: a ksplice build is compared with ksplice entries only, a
#   normal build never with them (openssl-libs 1:...el8_3 would be "below"
#   2:...ksplice1 otherwise);
# - several fixed versions of one package in one ELSA (osbuild): the
#   highest that the installed version is below is reported.
# Oracle's OVAL has no unfixed, will-not-fix or not-affected entries
# (class "patch" only), and the samples no module criteria (the unit test
# covers them). Then the feed online against lib/feedserver.py on
# 127.0.0.1, from a mirror folder, and through a bundle export/import.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
FEED=$DATA/feeds/oracle
[ -d "$FEED/elsa-oval" ] || skip "no shared test data at $DATA"
command -v rpmbuild >/dev/null 2>&1 || skip "rpmbuild is missing (apt install rpm)"
export XDG_CONFIG_HOME=$T/xdg HOME=$T/home
unset VIGIL_SOURCES http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
mkdir -p "$HOME"

# ---- import: the valid files, the broken one refused and listed ----
DB=$(vigil_db oracle)
start=$(date +%s%N)
vrun import db import "$FEED" --db "$DB"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc import 0
note "vigil db import $FEED: ${ms} ms"
check "import: 8 files, 20 records (ELSA-2007-0057 in four files is one), 193 entries" \
	grep -q "^oracle \+8 files -> 20 records, 193 affected packages" "$T/import.out"
check "import: the broken ELSA file is listed as refused, with its line" \
	grep -q "^  .*/oracle/elsa-oval/broken-oval-data.xml.bz2: Oracle Linux ELSA OVAL: XML: line 536: " "$T/import.out"
check "import: exactly one file refused" grep -q "^refused 1 file (the rest of each feed was imported)" "$T/import.out"
check "import: the definition with a bad title is named in a warning" \
	grep -q "invalid-title-format.xml.bz2: line 81: .*\"ELSA-2007:0057:" "$T/import.err"
check "import: the vunnel snapshots are not taken as feeds" bash -c "! grep -q 'snapshots' '$T/import.out'"
vrun status db status --db "$DB"
check "db status lists the oracle feed with 20 records" grep -qE "^oracle .* 20 " "$T/status.out"
vrun show db show ELSA-2022-4803 --db "$DB"
check "db show ELSA-2022-4803: IMPORTANT kept, High" grep -q "severity: High (vendor: IMPORTANT)" "$T/show.out"
check "db show ELSA-2022-4803: its CVE as an alias" grep -q "alias:    CVE-2022-24903" "$T/show.out"

# ---- root filesystems ----
# mkroot DIR OS-RELEASE-FILE LIST: an rpm database with the packages of LIST
mkroot() {
	mkdir -p "$1/etc"
	cp "$2" "$1/etc/os-release"
	bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$1" "$3" >"$T/mkrpmdb.log" 2>&1 ||
		{ fail "mkrpmdb $1"; cat "$T/mkrpmdb.log"; }
}
# findings NAME ROOT [DB]: $T/NAME.tsv: id, package, installed version, fixed
# version, state, severity of each finding (sorted)
findings() {
	vrun "$1" scan "dir:$2" --db "${3:-$DB}" --format flat -q
	expect_rc "$1" 0
	jq -r '.findings[] | [.id, .package, .version, .fixed, .state, .severity] | @tsv' "$T/$1.out" |
		LC_ALL=C sort >"$T/$1.tsv"
}

cat >"$T/ol7.os-release" <<'EOF'
NAME="Oracle Linux Server"
VERSION="7.9"
ID="ol"
ID_LIKE="fedora"
VARIANT="Server"
VARIANT_ID="server"
VERSION_ID="7.9"
PRETTY_NAME="Oracle Linux Server 7.9"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:oracle:linux:7:9:server"
HOME_URL="https://linux.oracle.com/"
BUG_REPORT_URL="https://bugzilla.oracle.com/"

ORACLE_BUGZILLA_PRODUCT="Oracle Linux 7"
ORACLE_BUGZILLA_PRODUCT_VERSION=7.9
ORACLE_SUPPORT_PRODUCT="Oracle Linux"
ORACLE_SUPPORT_PRODUCT_VERSION=7.9
EOF
printf '%s\n' 'NAME="Oracle Linux Server"' 'VERSION="5.11"' 'ID="ol"' 'VERSION_ID="5.11"' \
	'PRETTY_NAME="Oracle Linux Server 5.11"' >"$T/ol5.os-release"

# OL 8.3 (syft's os-release): ksplice and normal openssl, osbuild's two fixed versions
cat >"$T/ol8.list" <<'EOF'
openssl-libs          1:1.1.1g-15.el8_3           x86_64 openssl
openssl               2:1.1.1g-14.ksplice1.el8_3  x86_64
openssl-devel         2:1.1.1g-15.ksplice1.el8_3  x86_64 openssl
osbuild               0:110-1.el8                 noarch
osbuild-composer      0:101-1.el8                 x86_64
osbuild-composer-core 0:100-1.el8                 x86_64 osbuild-composer
EOF
# OL 7.9: per-architecture fixes, UEK, sudo
cat >"$T/ol7.list" <<'EOF'
rsyslog        0:8.24.0-57.0.2.el7_9.3   aarch64
rsyslog-gnutls 0:8.24.0-57.0.2.el7_9.3   x86_64 rsyslog
rsyslog-crypto 0:8.24.0-57.0.0.el7_9.3   x86_64 rsyslog
kernel-uek     0:4.14.35-1902.6.5.el7uek x86_64
sudo           0:1.8.23-4.el7            x86_64
sudo-devel     0:1.8.23-4.0.1.el7        x86_64 sudo
EOF
# OL 5: epochs
cat >"$T/ol5.list" <<'EOF'
bind       0:9.9.9-1.el5    x86_64
bind-libs  30:9.3.3-7.el5   x86_64 bind
bind-utils 30:9.3.3-8.el5   x86_64 bind
EOF
mkroot "$T/r8" "$DATA/pkgdb/os-release/syft_oraclelinux.os-release" "$T/ol8.list"
mkroot "$T/r7" "$T/ol7.os-release" "$T/ol7.list"
mkroot "$T/r5" "$T/ol5.os-release" "$T/ol5.list"

TAB=$'\t'
cat >"$T/want8" <<EOF
ELSA-2021-9151${TAB}openssl${TAB}2:1.1.1g-14.ksplice1.el8_3${TAB}2:1.1.1g-15.ksplice1.el8_3${TAB}fixed${TAB}High
ELSA-2024-2961${TAB}osbuild${TAB}110-1.el8${TAB}0:110-1.0.1.el8${TAB}fixed${TAB}Medium
ELSA-2024-2961${TAB}osbuild-composer-core${TAB}100-1.el8${TAB}0:101-1.el8${TAB}fixed${TAB}Medium
EOF
cat >"$T/want7" <<EOF
ELSA-2019-4820${TAB}kernel-uek${TAB}4.14.35-1902.6.5.el7uek${TAB}0:4.14.35-1902.6.6.el7uek${TAB}fixed${TAB}High
ELSA-2019-4821${TAB}sudo${TAB}1.8.23-4.el7${TAB}0:1.8.23-4.0.1.el7${TAB}fixed${TAB}High
ELSA-2022-4803${TAB}rsyslog${TAB}8.24.0-57.0.2.el7_9.3${TAB}0:8.24.0-57.0.4.el7_9.3${TAB}fixed${TAB}High
ELSA-2022-4803${TAB}rsyslog-crypto${TAB}8.24.0-57.0.0.el7_9.3${TAB}0:8.24.0-57.0.1.el7_9.3${TAB}fixed${TAB}High
EOF
cat >"$T/want5" <<EOF
ELSA-2007-0057${TAB}bind${TAB}9.9.9-1.el5${TAB}30:9.3.3-8.el5${TAB}fixed${TAB}Medium
ELSA-2007-0057${TAB}bind-libs${TAB}30:9.3.3-7.el5${TAB}30:9.3.3-8.el5${TAB}fixed${TAB}Medium
EOF
findings scan8 "$T/r8"
check_eq "OL 8: namespace ol:8" ol:8 "$(jq -r .namespace "$T/scan8.out")"
check_same "OL 8: ksplice only against ksplice, osbuild's highest fixed, noarch, patched" "$T/want8" "$T/scan8.tsv"
findings scan7 "$T/r7"
check_eq "OL 7: namespace ol:7" ol:7 "$(jq -r .namespace "$T/scan7.out")"
check_same "OL 7: per-architecture fixed versions, UEK, patched sudo-devel" "$T/want7" "$T/scan7.tsv"
findings scan5 "$T/r5"
check_same "OL 5: epochs (bind 9.9.9 without one is below 30:9.3.3)" "$T/want5" "$T/scan5.tsv"
check "OL 5: ELSA-2007-0057's CVEs as aliases" \
	bash -c "jq -e '.findings[0].aliases == [\"CVE-2007-0493\", \"CVE-2007-0494\"]' '$T/scan5.out' >/dev/null"

# ---- online: vigil db update against the feedserver on 127.0.0.1 ----
vrun list db update --list
check "db update --list: Oracle's per-release OVAL files" \
	grep -q "https://linux.oracle.com/security/oval/com.oracle.elsa-ol8.xml.bz2" "$T/list.out"
python3 "$SRC/tests/integration/lib/feedserver.py" --root "$DATA/feeds" --port-file "$T/port" \
	--max-seconds 300 2>"$T/server.err" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; it_cleanup' EXIT
for _ in $(seq 1 300); do [ -s "$T/port" ] && break; sleep 0.2; done
[ -s "$T/port" ] || { cat "$T/server.err"; fail "feedserver did not start"; it_done; }
B=http://127.0.0.1:$(cat "$T/port")
cat >"$T/sources.conf" <<EOF
oracle $B/oracle/all-positive-data.xml.bz2 com.oracle.elsa-ol7.xml.bz2
oracle $B/oracle/elsa-2018-1196-1.xml.bz2 com.oracle.elsa-ol5.xml.bz2
oracle $B/oracle/broken-oval-data.xml.bz2 com.oracle.elsa-ol6.xml.bz2
EOF
UDB=$(vigil_db online)
vrun update db update --db "$UDB" --cache-dir "$T/cache" --config "$T/sources.conf" --source oracle -q
check "db update: oracle from 127.0.0.1, 15 records (the broken file refused)" \
	grep -qE "^oracle .* 15 records" "$T/update.out"
check "db update: the broken file named" grep -q "com.oracle.elsa-ol6.xml.bz2" "$T/update.out" "$T/update.err"
vrun update2 db update --db "$UDB" --cache-dir "$T/cache" --config "$T/sources.conf" --source oracle -q
check "db update again: unchanged" grep -qiE "^oracle .*(unchanged|not modified)" "$T/update2.out"
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null

# a first update that fails, beside Red Hat data: `vigil db check ol:8`
# names the oracle feed, `vigil db check rhel:8` does not
printf 'oracle http://127.0.0.1:9/oracle/com.oracle.elsa-ol8.xml.bz2\n' >"$T/dead.conf"
DDB=$(vigil_db dead)
vrun rh db import "$DATA/feeds/redhat/oval-v2/RHEL8/ansible-2-including-unpatched.oval.xml.bz2" --db "$DDB"
expect_rc rh 0
vrun dead db update --db "$DDB" --cache-dir "$T/dcache" --config "$T/dead.conf" --source oracle -q --connect-timeout 5
check "db update from a dead port: not 0 ($VRC)" test "$VRC" != 0
vrun dcheck db check ol:8 --db "$DDB"
expect_rc dcheck 1
check "db check ol:8: the failed oracle feed is named" grep -q "feed oracle: its last update failed" "$T/dcheck.err"
vrun dcheck2 db check rhel:8 --db "$DDB"
check "db check rhel:8: the oracle feed is not named" bash -c "! grep -q 'feed oracle' '$T/dcheck2.err'"

# ---- a mirror folder, under the upstream file names ----
mkdir -p "$T/mirror/oracle"
ln -s "$FEED/elsa-oval/all-positive-data.xml.bz2" "$T/mirror/oracle/com.oracle.elsa-ol7.xml.bz2"
bzip2 -c "$FEED/vunnel-fixture/mock_per_arch_data" >"$T/mirror/oracle/com.oracle.elsa-ol8.xml.bz2"
MDB=$(vigil_db mirror)
vrun mirror db update --db "$MDB" --cache-dir "$T/mcache" --mirror "$T/mirror" --source oracle -q
expect_rc mirror 0
check "db update --mirror DIR: 17 records (14 + 3)" grep -qE "^oracle .* 17 records" "$T/mirror.out"

# ---- a bundle round trip: same findings from the imported bundle ----
vrun export db export "$T/oracle.bundle" --db "$DB"
expect_rc export 0
BDB=$(vigil_db bundle)
vrun bimport db import "$T/oracle.bundle" --db "$BDB"
expect_rc bimport 0
findings bscan7 "$T/r7" "$BDB"
check_same "bundle: the OL 7 findings are the same" "$T/want7" "$T/bscan7.tsv"
it_done
