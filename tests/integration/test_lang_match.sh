#!/bin/bash
# tests/integration/test_lang_match.sh: language findings end to end.
# `vigil db import` of every language advisory folder of
# ../shared/testdata/feeds (Go vulndb, PyPA, RustSec, the GHSA Maven slice,
# RubySec, FriendsOfPHP, the Node.js security WG); `vigil db status` lists
# those feeds; then `vigil scan` of an OCI layout made here (lib/oci.sh)
# from the real Python venv fixture (Flask 2.0.0: PYSEC-2023-62, fixed in
# 2.2.5, aliases CVE-2023-30861 and GHSA-m2qf-hxjv-5gpq) and node_modules
# fixture, plus one hand-written package.json (bassmaster 1.5.1:
# NSWG-ECO-1, CVE-2014-7205, "<=1.5.1", patched ">=1.5.2"). Checks the
# table (package line with its type, id, fixed version), the JSON
# VulnerabilityReport (vulnerabilities, package_vulnerabilities keyed by
# the IndexReport's package ids, the vigil.finding enrichment with the
# namespace and merged aliases), and that the OS-owned switch is accepted.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=$SRC/../shared/testdata
[ -d "$DATA/feeds/osv/pypa-advisory-db" ] || skip "the shared test data ($DATA) is absent"

# shellcheck source=lib/oci.sh
. "$(dirname "$0")/lib/oci.sh"

F=$DATA/feeds
vrun import db import --db "$T/v.db" "$F/osv/go-vulndb" "$F/osv/pypa-advisory-db" "$F/osv/rustsec-osv" \
	"$F/osv/ghsa-maven-slice" "$F/rubysec/ruby-advisory-db" "$F/php/friendsofphp-advisories" \
	"$F/npm/nodejs-security-wg"
expect_rc import 0
for feed in osv rubysec friendsofphp nodejs-wg; do
	check "import: feed $feed" grep -qE "^$feed +[0-9]+ files -> [0-9]+ records" "$T/import.out"
done

vrun status db status --db "$T/v.db"
expect_rc status 0
for feed in osv rubysec friendsofphp nodejs-wg; do
	check "status lists $feed" grep -qE "^$feed\b" "$T/status.out"
done

SP=opt/venv/lib/python3.10/site-packages
L1=$T/l1
mkdir -p "$L1/$SP" "$L1/app/node_modules/bassmaster"
cp -r "$DATA/lang/python/trivy_pip-venv/lib/python3.10/site-packages/." "$L1/$SP/"
cp -r "$DATA/lang/node/trivy_npm-node_modules/node_modules" "$L1/app/"
echo '{"name": "bassmaster", "version": "1.5.1"}' >"$L1/app/node_modules/bassmaster/package.json"
chmod -R u+w "$L1"
oci_from_dirs "$T/img" "$L1"

vrun table scan --db "$T/v.db" --max-age 36500 -q "oci:$T/img:t"
expect_rc table 0
check "table: Flask is a pypi package, with its file" grep -qE '^Flask 2\.0\.0 \(pypi\) in .+\.dist-info/METADATA$' "$T/table.out"
check "table: PYSEC-2023-62 fixed in 2.2.5" grep -qE '^  PYSEC-2023-62 +[A-Za-z]+ +2\.2\.5 ' "$T/table.out"
check "table: bassmaster is an npm package, with its file" grep -qE '^bassmaster 1\.5\.1 \(npm\) in .+/package\.json$' "$T/table.out"
check "table: NSWG-ECO-1 fixed in 1.5.2" grep -qE '^  NSWG-ECO-1 +Medium +1\.5\.2 +6\.5 ' "$T/table.out"
check "table: no OS warning for a language-only image" bash -c "! grep -q 'OS packages' '$T/table.err'"

vrun json scan --db "$T/v.db" --max-age 36500 -q --format json "oci:$T/img:t"
expect_rc json 0
J=$T/json.out
check_eq "json: PYSEC-2023-62 fixed_in_version" "2.2.5" \
	"$(jq -r '.vulnerabilities[] | select(.name == "PYSEC-2023-62") | .fixed_in_version' "$J")"
check_eq "json: NSWG-ECO-1 fixed_in_version" "1.5.2" \
	"$(jq -r '.vulnerabilities[] | select(.name == "NSWG-ECO-1") | .fixed_in_version' "$J")"
# package_vulnerabilities: the package that carries it is Flask 2.0.0 of the report's packages
check_eq "json: PYSEC-2023-62 belongs to Flask" "Flask 2.0.0" \
	"$(jq -r '(.vulnerabilities | to_entries[] | select(.value.name == "PYSEC-2023-62") | .key) as $v
		| .package_vulnerabilities | to_entries[] | select(.value | index($v)) | .key' "$J" |
		while read -r id; do jq -r --arg id "$id" '.packages[$id] | "\(.name) \(.version)"' "$J"; done)"
check_eq "json: a language finding is scoped by its repository (pypi)" "pypi" \
	"$(jq -r '.vulnerabilities[] | select(.name == "PYSEC-2023-62") | .repository.name' "$J")"
# the report with language packages and findings, judged by Clair's and Quay's schemas
OA_SPECS=$SRC/../shared/testdata/specs
if [ -d "$OA_SPECS/clair-v4" ]; then
	check "json: valid against Clair's vulnerability_report.schema.json" python3 \
		"$SRC/tests/integration/lib/openapi_check.py" --judge clair "$OA_SPECS/clair-v4" \
		vulnerability_report.schema.json "$J"
	check "json: valid against Quay's VulnerabilityReport" python3 \
		"$SRC/tests/integration/lib/openapi_check.py" --judge quay \
		"$OA_SPECS/quay/clair-v4.openapi.json" VulnerabilityReport "$J"
fi
E='.enrichments["message/vnd.clair.map.vulnerability; enricher=vigil.finding"][0]'
VID=$(jq -r '.vulnerabilities | to_entries[] | select(.value.name == "PYSEC-2023-62") | .key' "$J")
check_eq "json: namespace osv:PyPI" "osv:PyPI" "$(jq -r --arg v "$VID" "$E[\$v][0].namespace" "$J")"
check_eq "json: aliases merged" "CVE-2023-30861 GHSA-m2qf-hxjv-5gpq" \
	"$(jq -r --arg v "$VID" "$E[\$v][0].aliases | sort | join(\" \")" "$J")"

vrun owned scan --db "$T/v.db" --max-age 36500 -q --lang-os-owned "oci:$T/img:t"
expect_rc owned 0
check "--lang-os-owned: same findings here (nothing is OS-owned)" diff "$T/table.out" "$T/owned.out"
it_done
