#!/usr/bin/env bash
# tests/integration/test_distro_mariner.sh: Azure Linux and CBL-Mariner end
# to end. The real OVAL files of feeds/mariner/oval are imported (each into
# its own store) and matched against the real CBL-Mariner 2.0 rpm database
# of pkgdb/rpm (go-rpmdb's cbl-mariner-2.0 rpmdb.sqlite) under a Mariner 2.0
# os-release: the findings must equal pkgdb/expected/findings_mariner_*.tsv
# exactly, both ways (package, installed EVR, operation, state EVR, CVE,
# vendor severity), and the Azure Linux 3.0 file gives none (another
# release). Then rpm databases built with lib/mkrpmdb.sh hold versions on
# both sides of the feeds' bounds: Azure Linux 3.0 (below, equal to and
# above a fixed version, a higher epoch, a "Not Applicable" package, a
# binary whose source is named in the feed), CBL-Mariner 2.0 (at the "less
# than or equal" bound and above it, the .cm1/.cm2 release quirk), and a
# small hand-written Azure Linux file (a feed epoch, a >= / < range). The
# feed also goes through `vigil db update` against lib/feedserver.py on
# 127.0.0.1 with a sources file, a --mirror folder, and a bundle export and
# import; a file without a release in its name or cut short is refused
# alone, naming the file.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
set -uo pipefail

SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
command -v python3 >/dev/null 2>&1 || skip "python3 is missing"
command -v rpmbuild >/dev/null 2>&1 || skip "rpmbuild is missing (apt install rpm)"
TD=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
OVAL=$TD/feeds/mariner/oval
RPMDB=$TD/pkgdb/rpm/go-rpmdb_cbl-mariner-2.0_sqlite/rpmdb.sqlite
EXP=$TD/pkgdb/expected
[ -f "$OVAL/cbl-mariner-2.0-oval.xml" ] && [ -f "$RPMDB" ] || skip "no Mariner data at $TD"

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-mariner.XXXXXX")
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
	[ -n "${VIGIL_IT_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "$0")/lib/db.sh"
export VIGIL_DB=$T/default.db XDG_CONFIG_HOME=$T/xdg HOME=$T/home
unset VIGIL_SOURCES http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
mkdir -p "$HOME"

# vigil ARGS..., output to $T/$1.out/.err, exit status in RC
run() {
	local name=$1
	shift
	"$VIGIL" "$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
	if grep -q -e 'AddressSanitizer' -e 'runtime error' "$T/$name.err"; then
		fail "$name: sanitizer report"
		head -n 30 "$T/$name.err"
	fi
}

# The findings of a CycloneDX scan report as the expected TSVs write them:
# package, installed EVR ("0:" when no epoch), operation, state EVR, CVE,
# vendor severity (sorted, no header).
rows() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
out = []
for v in d.get("vulnerabilities", []):
    p = {x["name"]: x["value"] for x in v.get("properties", [])}
    rng, state = p.get("vigil:affected_range", ""), p.get("vigil:state", "")
    if state == "fixed" and rng.startswith("< "):
        op, evr = "less than", rng[2:]
    elif state == "affected" and rng.startswith("<= "):
        op, evr = "less than or equal", rng[3:]
    else:
        op, evr = state + "?", rng
    for a in v["affects"]:
        name = a["ref"].split("/")[2].split("@")[0]
        ver = [x["version"] for x in a["versions"] if x["status"] == "affected"][0]
        if ":" not in ver:
            ver = "0:" + ver
        out.append("\t".join([name, ver, op, evr, v["id"], p.get("vigil:vendor_severity", "")]))
print("\n".join(sorted(out)))
PY
}
# The expected TSV without comments, header and definition ids.
want() { grep -v '^#' "$1" | tail -n +2 | cut -f1-6 | LC_ALL=C sort; }
# scan NAME ROOT DB: a CycloneDX report of dir:ROOT in $T/NAME.cdx, its rows in $T/NAME.rows
scan() {
	run "$1" scan "dir:$2" --db "$3" --format "cyclonedx=$T/$1.cdx"
	check_eq "$1: scan exit status" 0 "$RC"
	rows "$T/$1.cdx" | LC_ALL=C sort >"$T/$1.rows"
}
# has_row NAME "pkg<TAB>evr<TAB>op<TAB>state evr<TAB>cve<TAB>sev"
has_row() { grep -qxF "$2" "$T/$1.rows"; }
no_pkg() { ! grep -q "^$2	" "$T/$1.rows"; }

os_mariner2() {
	mkdir -p "$1/etc"
	cat >"$1/etc/os-release" <<'EOF'
NAME="Common Base Linux Mariner"
VERSION="2.0.20220527"
ID=mariner
VERSION_ID="2.0"
PRETTY_NAME="CBL-Mariner/Linux"
ANSI_COLOR="1;34"
HOME_URL="https://aka.ms/cbl-mariner"
BUG_REPORT_URL="https://aka.ms/cbl-mariner"
SUPPORT_URL="https://aka.ms/cbl-mariner"
EOF
}
os_azl3() {
	mkdir -p "$1/etc"
	cat >"$1/etc/os-release" <<'EOF'
NAME="Microsoft Azure Linux"
VERSION="3.0.20240824"
ID=azurelinux
VERSION_ID="3.0"
PRETTY_NAME="Microsoft Azure Linux 3.0"
ANSI_COLOR="1;34"
HOME_URL="https://aka.ms/azurelinux"
BUG_REPORT_URL="https://aka.ms/azurelinux"
SUPPORT_URL="https://aka.ms/azurelinux"
EOF
}

# ---- 1. each real file into its own store
declare -A RECS=([cbl-mariner-2.0-preview-oval]=1017 [cbl-mariner-2.0-oval]=1026 [azurelinux-3.0-oval]=1005)
declare -A AFF=([cbl-mariner-2.0-preview-oval]=1023 [cbl-mariner-2.0-oval]=1031 [azurelinux-3.0-oval]=1222)
for f in cbl-mariner-2.0-preview-oval cbl-mariner-2.0-oval azurelinux-3.0-oval; do
	start=$(date +%s%N)
	run "imp-$f" db import --db "$(vigil_db "$f")" "$OVAL/$f.xml"
	ms=$((($(date +%s%N) - start) / 1000000))
	check_eq "import $f.xml: exit status" 0 "$RC"
	check "import $f.xml: feed mariner, ${RECS[$f]} records, ${AFF[$f]} affected packages (${ms} ms)" \
		grep -q "^mariner \+1 files -> ${RECS[$f]} records, ${AFF[$f]} affected packages" "$T/imp-$f.out"
	check "import $f.xml: no warning" bash -c "! grep -q warning '$T/imp-$f.err'"
done

# ---- 2. the real CBL-Mariner 2.0 database: the expected findings exactly
R=$T/root-real
mkdir -p "$R/var/lib/rpm" && cp "$RPMDB" "$R/var/lib/rpm/" && os_mariner2 "$R"
for f in cbl-mariner-2.0-preview-oval cbl-mariner-2.0-oval; do
	scan "real-$f" "$R" "$(vigil_db "$f")"
	want "$EXP/findings_mariner_${f}_x_go-rpmdb_cbl-mariner-2.0_sqlite.tsv" >"$T/want-$f"
	check_same "$f x the real rpmdb: the expected findings, nothing missing, nothing extra" "$T/want-$f" "$T/real-$f.rows"
	check "$f: the image is mariner:2.0" grep -q '"vigil:namespace", *"value": *"mariner:2.0"' <(tr -d '\n' <"$T/real-$f.cdx")
done
check_eq "preview x real rpmdb: 37 findings" 37 "$(wc -l <"$T/real-cbl-mariner-2.0-preview-oval.rows")"
check_eq "2.0 x real rpmdb: 79 findings" 79 "$(wc -l <"$T/real-cbl-mariner-2.0-oval.rows")"
scan real-azl3 "$R" "$(vigil_db azurelinux-3.0-oval)"
check_eq "azurelinux-3.0 x the Mariner 2.0 rpmdb: no finding (another release)" 0 "$(grep -c . "$T/real-azl3.rows")"
check "azurelinux-3.0 x Mariner 2.0: the scan warns there is no data for mariner:2.0" grep -q "mariner:2.0" "$T/real-azl3.err"

# ---- 3. Azure Linux 3.0, a built rpmdb on both sides of the fixed versions
A=$T/root-azl3
mkdir -p "$A" && os_azl3 "$A"
cat >"$T/azl3.list" <<'EOF'
# below the fixed 0:2.6.7-3.azl3: found
oath-toolkit      2.6.7-2.azl3
# equal to the fixed 0:3.1.1-1.azl3, above 0:0.15.0-5.azl3: not found
linuxptp          3.1.1-1.azl3
thrift            0.15.0-6.azl3
# epoch 1 above the fixed 0:2.4.7-36.azl3 although the version is lower: not found
ppp               1:2.4.7-1.azl3
# below 0:5.4.6-1.azl3 and 0:1.3.1-1.azl3: found; lua-libs (source lua) is not a name the feed uses
lua               5.4.4-1.azl3
lua-libs          5.4.4-1.azl3  x86_64 lua
zlib              1.2.13-1.azl3
# CVE-2023-45853 is "Not Applicable" to cloud-hypervisor: not found
cloud-hypervisor  31.0-1.azl3
EOF
bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$A" "$T/azl3.list" 2>"$T/mkrpmdb-azl3.err" ||
	{ cat "$T/mkrpmdb-azl3.err"; fail "mkrpmdb (Azure Linux 3.0)"; }
scan azl3 "$A" "$(vigil_db azurelinux-3.0-oval)"
check "azl3: oath-toolkit 2.6.7-2 < 0:2.6.7-3.azl3: CVE-2024-47191, High" \
	has_row azl3 "oath-toolkit	0:2.6.7-2.azl3	less than	0:2.6.7-3.azl3	CVE-2024-47191	High"
check "azl3: lua 5.4.4-1 < 0:5.4.6-1.azl3: CVE-2020-24370, Medium" \
	has_row azl3 "lua	0:5.4.4-1.azl3	less than	0:5.4.6-1.azl3	CVE-2020-24370	Medium"
check "azl3: zlib 1.2.13-1 < 0:1.3.1-1.azl3: CVE-2023-45853, Critical" \
	has_row azl3 "zlib	0:1.2.13-1.azl3	less than	0:1.3.1-1.azl3	CVE-2023-45853	Critical"
check "azl3: linuxptp at the fixed version: not found" no_pkg azl3 linuxptp
check "azl3: thrift above the fixed version: not found" no_pkg azl3 thrift
check "azl3: ppp 1:2.4.7-1 (epoch above 0:2.4.7-36): not found" no_pkg azl3 ppp
check "azl3: cloud-hypervisor (Not Applicable): not found" no_pkg azl3 cloud-hypervisor
check "azl3: lua-libs (feed names binaries; its source lua is not used): not found" no_pkg azl3 lua-libs
check_eq "azl3: 3 findings in all" 3 "$(wc -l <"$T/azl3.rows")"
scan azl3-on-mariner "$A" "$(vigil_db cbl-mariner-2.0-oval)"
check_eq "azl3 image x the CBL-Mariner 2.0 store: no finding" 0 "$(grep -c . "$T/azl3-on-mariner.rows")"

# a hand-written Azure Linux file: an epoch in the feed, a >= / < range
mkdir -p "$T/hand"
python3 - "$T/hand/azurelinux-3.0-oval.xml" <<'PY'
import sys
defs = [("1", "CVE-2099-0001", "epochpkg", [("less than", "2:1.0-1.azl3")]),
        ("2", "CVE-2099-0002", "rangepkg", [("greater than or equal", "0:2.0-1.azl3"), ("less than", "0:2.4-1.azl3")]),
        ("3", "CVE-2099-0003", "rangelow", [("greater than or equal", "0:2.0-1.azl3"), ("less than", "0:2.4-1.azl3")])]
L = 'xmlns:linux-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux"'
o = ['<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" '
     'xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" %s>' % L,
     '<generator><oval:product_name>Azure Linux OVAL Definition Generator</oval:product_name></generator>',
     '<definitions>']
tests, objs, states = [], [], []
for n, cve, pkg, bounds in defs:
    crit = ""
    objs.append('<linux-def:rpminfo_object id="obj:%s"><linux-def:name>%s</linux-def:name></linux-def:rpminfo_object>' % (n, pkg))
    for i, (op, evr) in enumerate(bounds):
        t = "%s%d" % (n, i)
        crit += '<criterion test_ref="tst:%s"/>' % t
        tests.append('<linux-def:rpminfo_test check="at least one" id="tst:%s"><linux-def:object object_ref="obj:%s"/>'
                     '<linux-def:state state_ref="ste:%s"/></linux-def:rpminfo_test>' % (t, n, t))
        states.append('<linux-def:rpminfo_state id="ste:%s"><linux-def:evr datatype="evr_string" operation="%s">%s'
                      '</linux-def:evr></linux-def:rpminfo_state>' % (t, op, evr))
    o.append('<definition class="vulnerability" id="oval:com.microsoft.azurelinux:def:%s" version="1"><metadata>'
             '<title>%s affecting package %s</title><reference ref_id="%s" ref_url="https://nvd.nist.gov/vuln/detail/%s" '
             'source="CVE"/><patchable>true</patchable><severity>High</severity></metadata>'
             '<criteria operator="AND">%s</criteria></definition>' % (n, cve, pkg, cve, cve, crit))
o += ['</definitions>', '<tests>'] + tests + ['</tests>', '<objects>'] + objs + ['</objects>', '<states>'] + states
o += ['</states>', '</oval_definitions>']
open(sys.argv[1], "w").write("\n".join(o) + "\n")
PY
run imp-hand db import --db "$(vigil_db hand)" "$T/hand"
check "hand-written Azure Linux file: 3 records" grep -q "^mariner \+1 files -> 3 records" "$T/imp-hand.out"
H=$T/root-hand
mkdir -p "$H" && os_azl3 "$H"
printf 'epochpkg 1:9.9-1.azl3\nrangepkg 2.1-1.azl3\nrangelow 1.9-1.azl3\n' >"$T/hand.list"
bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$H" "$T/hand.list" 2>"$T/mkrpmdb-hand.err" ||
	{ cat "$T/mkrpmdb-hand.err"; fail "mkrpmdb (hand)"; }
run hand scan "dir:$H" --db "$(vigil_db hand)" --format "cyclonedx=$T/hand.cdx"
python3 - "$T/hand.cdx" >"$T/hand.got" <<'PY'
import json, sys
for v in json.load(open(sys.argv[1]))["vulnerabilities"]:
    p = {x["name"]: x["value"] for x in v["properties"]}
    print(v["id"], v["affects"][0]["ref"].split("/")[2].split("@")[0], p["vigil:state"], p.get("vigil:affected_range"),
          v.get("recommendation", ""))
PY
check "hand: epochpkg 1:9.9-1 < 2:1.0-1.azl3 (the feed's epoch decides): fixed" \
	grep -qx "CVE-2099-0001 epochpkg fixed < 2:1.0-1.azl3 Upgrade epochpkg to version 2:1.0-1.azl3" "$T/hand.got"
check "hand: rangepkg 2.1-1 inside [0:2.0-1, 0:2.4-1): affected, fix 0:2.4-1.azl3" \
	grep -qx "CVE-2099-0002 rangepkg affected >= 0:2.0-1.azl3, < 0:2.4-1.azl3 Upgrade rangepkg to version 0:2.4-1.azl3" "$T/hand.got"
check "hand: rangelow 1.9-1 below the range: not found" bash -c "! grep -q rangelow '$T/hand.got'"

# ---- 4. CBL-Mariner 2.0, a built rpmdb at and above the "less than or equal" bound
M=$T/root-cm2
mkdir -p "$M" && os_mariner2 "$M"
cat >"$T/cm2.list" <<'EOF'
# at the last affected 0:2.13-4.cm1 ("less than or equal"): both cpio CVEs, no fix
cpio       2.13-4.cm1
# above the last affected 0:1.46.5-1.cm1: not found
e2fsprogs  1.46.5-2.cm2
# 7.76.0-5.cm2 is above the fixed 0:7.76.0-5.cm1 (cm2 > cm1) and below 0:7.82.0-1.cm1: four CVEs
curl       7.76.0-5.cm2
libcurl    7.70.0-1.cm2 x86_64 curl
EOF
bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$M" "$T/cm2.list" 2>"$T/mkrpmdb-cm2.err" ||
	{ cat "$T/mkrpmdb-cm2.err"; fail "mkrpmdb (CBL-Mariner 2.0)"; }
scan cm2 "$M" "$(vigil_db cbl-mariner-2.0-oval)"
check "cm2: cpio at the last affected version: CVE-2021-38185 (affected, no fix)" \
	has_row cm2 "cpio	0:2.13-4.cm1	less than or equal	0:2.13-4.cm1	CVE-2021-38185	High"
check "cm2: cpio at the last affected version: CVE-2010-4226" \
	has_row cm2 "cpio	0:2.13-4.cm1	less than or equal	0:2.13-4.cm1	CVE-2010-4226	Medium"
check "cm2: e2fsprogs above the last affected version: not found" no_pkg cm2 e2fsprogs
check_eq "cm2: curl 7.76.0-5.cm2: the four 0:7.82.0-1.cm1 CVEs, none of 0:7.76.0-5.cm1" \
	"CVE-2021-22926 CVE-2021-22945 CVE-2021-22946 CVE-2021-22947" \
	"$(awk -F'\t' '$1=="curl"{print $5}' "$T/cm2.rows" | sort | tr '\n' ' ' | sed 's/ $//')"
check "cm2: libcurl (binary name not in the feed): not found" no_pkg cm2 libcurl
check "cm2: no fixed version for a \"less than or equal\" finding" \
	bash -c "! grep -A40 '\"id\": \"CVE-2021-38185\"' '$T/cm2.cdx' | grep -q recommendation"

# ---- 5. refused files: a name without a release, a file cut short; the rest imported
mkdir -p "$T/bad"
ln -s "$OVAL/azurelinux-3.0-oval.xml" "$T/bad/"
cp "$OVAL/cbl-mariner-2.0-oval.xml" "$T/bad/mariner.xml"
head -c 700000 "$OVAL/cbl-mariner-2.0-oval.xml" >"$T/bad/cbl-mariner-2.0-oval.xml"
run bad db import --db "$(vigil_db bad)" "$T/bad"
check_eq "bad folder: import exit status 0" 0 "$RC"
check "bad folder: the Azure Linux file is imported" grep -q "^mariner \+3 files -> 1005 records, 1222 affected packages .*(files refused" "$T/bad.out"
check "bad folder: mariner.xml refused, naming the file and why" \
	grep -q "bad/mariner.xml: .*the file name gives no release" "$T/bad.out" "$T/bad.err"
check "bad folder: the cut file refused, naming the file and the XML line" \
	grep -q "bad/cbl-mariner-2.0-oval.xml: .*XML: line [0-9]" "$T/bad.out" "$T/bad.err"

# ---- 6. online (feedserver on 127.0.0.1), a mirror folder, a bundle
python3 "$SRC/tests/integration/lib/feedserver.py" --root "$TD/feeds" --port-file "$T/port" \
	--max-seconds 300 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 1 150); do [ -s "$T/port" ] && break; sleep 0.2; done
if [ -s "$T/port" ]; then
	B=http://127.0.0.1:$(cat "$T/port")
	cat >"$T/sources.conf" <<EOF
mariner $B/mariner/azurelinux-3.0-oval.xml
mariner $B/mariner/cbl-mariner-2.0-oval.xml
mariner $B/mariner/cbl-mariner-1.0-oval.xml optional
EOF
	ODB=$(vigil_db online)
	run online db update --db "$ODB" --cache-dir "$T/cache" --config "$T/sources.conf" --source mariner
	check_eq "online: exit status" 0 "$RC"
	check "online: mariner updated, 2031 records (1.0 absent: optional)" \
		grep -q "^mariner \+updated: .* -> 2031 records" "$T/online.out"
	scan online "$R" "$ODB"
	check_same "online store x the real rpmdb: the 2.0 expected findings" "$T/want-cbl-mariner-2.0-oval" "$T/online.rows"
	run online2 db update --db "$ODB" --cache-dir "$T/cache" --config "$T/sources.conf" --source mariner
	check "online again: unchanged, answered 304" grep -q "^mariner \+unchanged" "$T/online2.out"
	kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
else
	fail "feedserver did not start"; cat "$T/server.err"
fi
mkdir -p "$T/mirror/mariner"
ln -s "$OVAL/azurelinux-3.0-oval.xml" "$OVAL/cbl-mariner-2.0-oval.xml" "$T/mirror/mariner/"
MDB=$(vigil_db mirror)
run mirror db update --db "$MDB" --cache-dir "$T/cache-m" --mirror "$T/mirror" --source mariner
check_eq "mirror folder: exit status" 0 "$RC"
scan mirror "$R" "$MDB"
check_same "mirror store x the real rpmdb: the 2.0 expected findings" "$T/want-cbl-mariner-2.0-oval" "$T/mirror.rows"
run export db export --db "$MDB" "$T/mariner.tar.zst"
check_eq "bundle: export exit status" 0 "$RC"
BDB=$(vigil_db bundle)
run bimport db import --db "$BDB" "$T/mariner.tar.zst"
check_eq "bundle: import exit status" 0 "$RC"
scan bundle "$R" "$BDB"
check_same "bundle store x the real rpmdb: the 2.0 expected findings" "$T/want-cbl-mariner-2.0-oval" "$T/bundle.rows"
run status db status --db "$BDB"
check "db status lists the mariner feed" grep -q "^mariner " "$T/status.out"

it_done
