#!/bin/bash
# tests/integration/test_data_honesty.sh: a scan that finds nothing must be
# believable. With the shared feed snapshots (Debian's lists and tracker,
# NVD, Oracle's ELSA OVAL with its deliberately broken file, and a broken
# Red Hat OVAL stream):
# - warnings are per namespace: a failed redhat-oval feed (a truncated copy
#   of a real Red Hat OVAL stream) does not warn on the Debian demo image nor
#   fail its --fail-on-warning; `vigil db check debian:12` leaves it out,
#   `vigil db check rhel:9` names it; Oracle's deliberately broken ELSA file
#   is refused alone (listed by name) and the rest of the oracle feed loads;
# - staleness by the data's own date: the demo image (Debian 12) scans to 0
#   vulnerabilities, and the newest record of debian:12 is of 2025-07-31:
#   that warns and fails --fail-on-warning, though the import is minutes old;
# - advisories (Debian's DSA/DLA lists) carry the CVE ids they fix and the
#   severity of those CVEs (NVD's CVSS): a Debian 10 root filesystem with an
#   old rails gets DSA-4766-1 as Medium with the shared NVD data (Unknown
#   before), and Critical once NVD's record of CVE-2020-8165 (9.8) is loaded,
#   so a --severity HIGH,CRITICAL gate no longer passes it;
# - an empty store is an error for vigil scan (exit 1, naming 'vigil db
#   update' and 'vigil db import DIR') unless --allow-empty-db (a warning,
#   which --fail-on-warning turns into exit 1); vigil serve's /readyz is 503
#   with the reason until data is loaded, 200 after.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"
. "$(dirname "$0")/lib/serve.sh"
"$VIGIL" scan --help 2>/dev/null | grep -q -- --allow-empty-db || skip "$VIGIL scan has no --allow-empty-db"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/debian/tracker-lists" ] || skip "no shared test data at $DATA"
DEMO=oci:$IMAGES/oci:v2

# ---- an empty store ----
DB=$(vigil_db honesty)
vrun empty scan "$DEMO" --db "$DB" -q
expect_rc empty 1
check "empty: the error names 'vigil db update'" grep -q "never filled.*Run 'vigil db update' or 'vigil db import DIR'" "$T/empty.err"
check "empty: nothing on stdout" test ! -s "$T/empty.out"
vrun empty-allowed scan "$DEMO" --db "$DB" -q --allow-empty-db
expect_rc empty-allowed 0
check "--allow-empty-db: still a warning" grep -q "warning: no vulnerability data at all" "$T/empty-allowed.err"
vrun empty-allowed-strict scan "$DEMO" --db "$DB" -q --allow-empty-db --fail-on-warning
expect_rc empty-allowed-strict 1

# ---- /readyz: 503 with the reason, then 200 once data is loaded ----
start_node node "$DB"
check_eq "/readyz on an empty store: 503" 503 "$(code GET "$NODE_INTRO/readyz")"
check "/readyz: the reason and the command" grep -q "not ready: the vulnerability database was never filled.*vigil db update" "$T/body"

# the shared NVD pages and NVD's record of CVE-2020-8165 (one of the CVEs
# DSA-4766-1 fixes; CVSS 3.1 9.8 as NVD rates it) in one nvd operation
mkdir -p "$T/nvd-extra"
cat >"$T/nvd-extra/cve-2020-8165.json" <<'JSON'
{"resultsPerPage": 1, "startIndex": 0, "totalResults": 1, "format": "NVD_CVE", "version": "2.0",
 "timestamp": "2024-01-01T00:00:00.000",
 "vulnerabilities": [{"cve": {"id": "CVE-2020-8165", "sourceIdentifier": "support@hackerone.com",
  "published": "2020-06-19T18:15:11.100", "lastModified": "2023-11-07T03:26:25.000", "vulnStatus": "Modified",
  "descriptions": [{"lang": "en", "value": "A deserialization of untrusted data vulnernerability exists in rails < 5.2.4.3, rails < 6.0.3.1 that can allow an attacker to unmarshal user-provided objects in MemCacheStore and RedisCacheStore potentially resulting in an RCE."}],
  "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary",
   "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "attackVector": "NETWORK", "attackComplexity": "LOW", "privilegesRequired": "NONE", "userInteraction": "NONE",
    "scope": "UNCHANGED", "confidentialityImpact": "HIGH", "integrityImpact": "HIGH", "availabilityImpact": "HIGH",
    "baseScore": 9.8, "baseSeverity": "CRITICAL"}, "exploitabilityScore": 3.9, "impactScore": 5.9}]},
  "references": [{"url": "https://groups.google.com/forum/#!topic/rubyonrails-security/bv6fW4S0Y1c", "source": "support@hackerone.com"}]}}]}
JSON

# a Red Hat OVAL stream cut short: the redhat-oval feed fails as a whole
RHOVAL=$DATA/feeds/redhat/oval-v2/RHEL8/ansible-2-including-unpatched.oval.xml.bz2
mkdir -p "$T/rh-broken"
bzip2 -dc "$RHOVAL" | head -c 6000 >"$T/rh-broken/rhel-8.oval.xml"
vrun import db import "$DATA/feeds/debian" "$DATA/feeds/nvd" "$DATA/feeds/oracle/elsa-oval" "$T/rh-broken" --db "$DB"
expect_rc import 1 # the truncated Red Hat stream fails the redhat-oval feed; the others load
check "import: redhat-oval failed" grep -q "^redhat-oval .*FAILED" "$T/import.out"
check "import: the oracle feed loaded (the 4 valid files of 5: 15 records)" grep -qE "^oracle +5 files -> 15 records" "$T/import.out"
check "import: the broken ELSA file is listed as refused, alone" \
	grep -q "^  .*/elsa-oval/broken-oval-data.xml.bz2: Oracle Linux ELSA OVAL: XML: line 536" "$T/import.out"
check_eq "/readyz with data: 200" 200 "$(code GET "$NODE_INTRO/readyz")"
kill "$NODE_PID" 2>/dev/null

# ---- the Debian demo image: per-namespace warnings, the data's own date ----
vrun demo scan "$DEMO" --db "$DB" -q
expect_rc demo 0
check "demo: 0 vulnerabilities" grep -q "^0 vulnerabilities" "$T/demo.out"
check "demo: no warning about redhat-oval (it covers rhel:, not debian:12)" bash -c "! grep -q redhat-oval '$T/demo.err'"
check "demo: the data for debian:12 ends 2025-07-31, days ago" \
	grep -q "warning: data for debian:12 ends 2025-07-31 (newest record DSA-5970-1, feed debian-lists), [0-9]* days ago" "$T/demo.err"
vrun demo-strict scan "$DEMO" --db "$DB" -q --fail-on-warning
expect_rc demo-strict 1
check "demo --fail-on-warning: one data warning" grep -q "error: 1 data warning (--fail-on-warning)" "$T/demo-strict.err"
vrun check-deb db check debian:12 --db "$DB"
expect_rc check-deb 1
check "db check debian:12: the date, not redhat-oval" bash -c "grep -q 'data for debian:12 ends' '$T/check-deb.err' && ! grep -q redhat-oval '$T/check-deb.err'"
vrun check-rhel db check rhel:9 --db "$DB"
expect_rc check-rhel 1
check "db check rhel:9: the failed redhat-oval feed covers it" grep -q "feed redhat-oval: its last update failed (it has no data)" "$T/check-rhel.err"
vrun check-all db check --db "$DB"
check "db check (every feed): redhat-oval named" grep -q "feed redhat-oval" "$T/check-all.err"
vrun check-ol db check ol:7 --db "$DB"
check "db check ol:7: the failed redhat-oval feed is not named" bash -c "! grep -q redhat-oval '$T/check-ol.err'"

# ---- advisories: CVE ids and severity ----
R=$T/buster
mkdir -p "$R/etc" "$R/var/lib/dpkg"
printf '%s\n' 'PRETTY_NAME="Debian GNU/Linux 10 (buster)"' 'NAME="Debian GNU/Linux"' 'VERSION_ID="10"' \
	'VERSION="10 (buster)"' 'VERSION_CODENAME=buster' 'ID=debian' >"$R/etc/os-release"
printf '%s\n' 'Package: rails' 'Status: install ok installed' 'Priority: optional' 'Section: ruby' \
	'Architecture: all' 'Version: 2:5.2.2.1+dfsg-1' 'Description: MVC ruby based framework' '' >"$R/var/lib/dpkg/status"
vrun adv scan "dir:$R" --db "$DB" -q --format json
expect_rc adv 0
sev() { jq -r --arg id "$2" '[.vulnerabilities[] | select(.name == $id) | .normalized_severity] | first' "$1"; }
FX='message/vnd.clair.map.vulnerability; enricher=vigil.finding'
aliases() { jq -r --arg id "$2" --arg fx "$FX" '. as $r | [.vulnerabilities | to_entries[] | select(.value.name == $id) | .key] | first as $k
	| $r.enrichments[$fx][0][$k][0].aliases // [] | join(",")' "$1"; }
check_eq "DSA-4766-1 rated by NVD's CVSS of its CVEs (shared data: CVE-2020-8167, 6.5)" Medium "$(sev "$T/adv.out" DSA-4766-1)"
check "DSA-4766-1: the CVE ids it fixes are its aliases" bash -c "[[ '$(aliases "$T/adv.out" DSA-4766-1)' == *CVE-2020-8165*CVE-2020-8167* ]]"
vrun adv-gate scan "dir:$R" --db "$DB" -q --format json --severity HIGH,CRITICAL
check_eq "--severity HIGH,CRITICAL with the shared NVD data: nothing High yet" 0 "$(jq '.vulnerabilities | length' "$T/adv-gate.out")"
vrun import-nvd db import "$DATA/feeds/nvd" "$T/nvd-extra" --db "$DB"
expect_rc import-nvd 0
vrun adv2 scan "dir:$R" --db "$DB" -q --format json --severity HIGH,CRITICAL
n=$(jq '.vulnerabilities | length' "$T/adv2.out")
check "--severity HIGH,CRITICAL with NVD's CVE-2020-8165: DSA-4766-1 is kept ($n)" test "$n" -gt 0
check_eq "DSA-4766-1: Critical (CVE-2020-8165, 9.8)" Critical "$(sev "$T/adv2.out" DSA-4766-1)"
vrun adv-table scan "dir:$R" --db "$DB" -q
check "table: DSA-4766-1 Critical 9.8" grep -qE "DSA-4766-1 +Critical +.* 9\.8 " "$T/adv-table.out"
it_done
