#!/bin/bash
# tests/integration/test_formats_ci.sh: the CI formats from a real scan.
# The Alpine 3.10.4 image of Trivy's test suite against the real Alpine
# 3.10 secdb snapshot (no finding: every document empty but valid), then
# against that feed with three later fixes added (openssl 1.1.1d-r3 for
# CVE-2019-1551 as the 3.11 secdb of the same snapshot has it, musl and
# busybox ones), scanned once with
#   --format table,sarif=a.sarif,junit=a.xml,gitlab=a.json,flat=f.json
# SARIF is validated against the OASIS schema in ../shared/testdata/specs
# (Python jsonschema: the schema's own draft-04 validator, and Draft 7 as a
# second opinion) and checked with GitHub's code scanning rules; JUnit is
# parsed by Python's xml.etree and validated against Jenkins' junit-10.xsd
# with xmllint; GitLab's report against the members its container scanning
# schema 15.2.4 requires (the whole schema with $VIGIL_GITLAB_SCHEMA); and
# every format's count of findings, packages and ids equals the table's.
# An ignore rule shows up as a SARIF suppression, a JUnit skip and a flat
# "suppressed" entry. SARIF and flat JSON are byte-identical across runs.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"
# shellcheck source=lib/sarif.sh
. "$(dirname "$0")/lib/sarif.sh"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
FEED=$DATA/feeds/alpine/secdb-json/v3.10/main.json
ARCHIVE=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
SARIF_SCHEMA=$DATA/specs/sarif/sarif-schema-2.1.0.json
XSD=$SRC/tests/report/data/junit-10.xsd
[ -f "$FEED" ] && [ -f "$ARCHIVE" ] && [ -f "$SARIF_SCHEMA" ] || skip "no alpine feed, image or SARIF schema at $DATA"
python3 -c 'import jsonschema' 2>/dev/null || skip "python3 jsonschema is missing"
if ! command -v xmllint >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils >/dev/null 2>&1 ||
		note "xmllint (libxml2-utils) missing: JUnit not validated against the XSD here"
fi

gzip -dc "$ARCHIVE" >"$T/a310.tar" || { fail "gunzip alpine-310"; it_done; }
IMG=docker-archive:$T/a310.tar
mkdir -p "$T/real/v3.10" "$T/fixes/v3.10"
cp "$FEED" "$T/real/v3.10/main.json"
jq '.packages |= map(
	if .pkg.name == "openssl" then .pkg.secfixes["1.1.1d-r3"] = ["CVE-2019-1551"]
	elif .pkg.name == "musl" then .pkg.secfixes["1.1.22-r4"] = ["CVE-2020-28928"]
	elif .pkg.name == "busybox" then .pkg.secfixes["1.30.1-r5"] = ["CVE-2021-28831"]
	else . end)' "$FEED" >"$T/fixes/v3.10/main.json"
REAL=$(vigil_db real)
FIXES=$(vigil_db fixes)
vrun import-real db import "$T/real" --db "$REAL"
expect_rc import-real 0
vrun import-fixes db import "$T/fixes" --db "$FIXES"
expect_rc import-fixes 0

FORMATS=sarif=$T/a.sarif,junit=$T/a.xml,gitlab=$T/a.json,flat=$T/f.json

gitlab_valid() { # FILE: the members container-scanning-report-format 15.2.4 requires
	if [ -n "${VIGIL_GITLAB_SCHEMA:-}" ]; then
		python3 -c 'import json,sys,jsonschema
s=json.load(open(sys.argv[1])); jsonschema.Draft7Validator(s).validate(json.load(open(sys.argv[2])))' \
			"$VIGIL_GITLAB_SCHEMA" "$1" || return 1
	fi
	python3 - "$1" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert re.fullmatch(r"\d+\.\d+\.\d+", d["version"]) and isinstance(d["vulnerabilities"], list)
s = d["scan"]
for k in ("analyzer", "scanner"):
    for m in ("id", "name", "version"):
        assert s[k][m], (k, m)
    assert s[k]["vendor"]["name"]
for k in ("start_time", "end_time"):
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", s[k]), s[k]
assert s["status"] in ("success", "failure") and s["type"] in ("container_scanning", "container_scanning_for_registry")
for m in s.get("messages", []):
    assert m["level"] in ("info", "warn", "fatal") and m["value"]
seen = set()
for v in d["vulnerabilities"]:
    assert v["id"] and v["id"] not in seen; seen.add(v["id"])
    assert len(v.get("name", "")) <= 255 and len(v.get("solution", "")) <= 7000
    assert v.get("severity", "Unknown") in ("Info", "Unknown", "Low", "Medium", "High", "Critical")
    assert len(v["identifiers"]) >= 1
    for i in v["identifiers"]:
        assert i["type"] and i["name"] and i["value"]
        assert "url" not in i or re.match(r"(https?|ftp)://.+", i["url"])
    for l in v.get("links", []):
        assert re.match(r"(https?|ftp)://.+", l["url"])
    loc = v["location"]
    assert isinstance(loc["dependency"]["package"]["name"], str) and isinstance(loc["dependency"]["version"], str)
    assert loc["operating_system"] and loc["image"]
for r in d.get("remediations", []):
    assert r["fixes"] and r["summary"] and r["diff"]
PY
}

junit_counts() { # FILE: "<testcases> <failing testcases> <failure elements> <skipped>"
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites"
suites = root.findall("testsuite"); assert len(suites) == 1
cases = suites[0].findall("testcase")
failing = [c for c in cases if c.findall("failure")]
skipped = [c for c in cases if c.findall("skipped")]
s = suites[0].attrib
assert int(s["tests"]) == len(cases) and int(s["failures"]) == len(failing) and int(s["skipped"]) == len(skipped)
print(len(cases), len(failing), sum(len(c.findall("failure")) for c in cases), len(skipped))
PY
}

check_docs() { # NAME: the four documents of run NAME are valid
	local n=$1
	check "$n: SARIF valid against the OASIS schema" sarif_valid "$T/a.sarif"
	check "$n: SARIF keeps GitHub's rules" github_rules "$T/a.sarif"
	check "$n: JUnit well-formed with consistent counts" junit_counts "$T/a.xml"
	if command -v xmllint >/dev/null 2>&1; then
		check "$n: JUnit valid against Jenkins' junit-10.xsd" xmllint --noout --schema "$XSD" "$T/a.xml"
	fi
	check "$n: GitLab report has what the schema requires" gitlab_valid "$T/a.json"
	check "$n: flat JSON parses" jq -e '(.findings | type) == "array" and (.suppressed | type) == "array"' "$T/f.json"
}

# ---- the real feed: nothing to report, four valid documents ----
vrun real scan "$IMG" --db "$REAL" -q --format "table,$FORMATS"
expect_rc real 0
check "real feed: no finding" grep -q '^0 vulnerabilities in 0 packages' "$T/real.out"
check_docs real
check_eq "real feed: every format empty" "0 0 0 0" \
	"$(jq '.runs[0].results | length' "$T/a.sarif") $(jq '.vulnerabilities | length' "$T/a.json") \
$(jq '.findings | length' "$T/f.json") $(junit_counts "$T/a.xml" | cut -d' ' -f3)"
check_eq "real feed: JUnit has a test case per package" "14" "$(junit_counts "$T/a.xml" | cut -d' ' -f1)"

# ---- with the later fixes: the counts equal the table's ----
vrun fixes scan "$IMG" --db "$FIXES" -q --format "table,$FORMATS"
expect_rc fixes 0
check_docs fixes
read -r NV NP <<<"$(sed -n 's/^\([0-9]*\) vulnerabilit[a-z]* in \([0-9]*\) package.*/\1 \2/p' "$T/fixes.out")"
check_eq "fixes: the table's summary" "6 6" "$NV $NP"
tsv_table() { awk '/^[^ ]/ && NF == 2 {p = $1} /^  [A-Z]/ {print p "\t" $1 "\t" $3}' "$T/fixes.out" | LC_ALL=C sort; }
tsv_table >"$T/table.tsv"
jq -r '.findings[] | [.package, .id, .fixed] | @tsv' "$T/f.json" | LC_ALL=C sort >"$T/flat.tsv"
jq -r '.runs[0].results[] | [.properties.package, .ruleId, .properties.fixedVersion] | @tsv' "$T/a.sarif" |
	LC_ALL=C sort >"$T/sarif.tsv"
jq -r '.vulnerabilities[] | [.location.dependency.package.name, .identifiers[0].value,
	(.solution | sub("^Upgrade [^ ]+ to "; ""))] | @tsv' "$T/a.json" | LC_ALL=C sort >"$T/gitlab.tsv"
check_eq "fixes: 6 findings in the table" 6 "$(wc -l <"$T/table.tsv")"
check_same "flat JSON: the table's findings" "$T/table.tsv" "$T/flat.tsv"
check_same "SARIF: the table's findings" "$T/table.tsv" "$T/sarif.tsv"
check_same "GitLab: the table's findings" "$T/table.tsv" "$T/gitlab.tsv"
check_eq "SARIF: one rule per id" "$(cut -f2 "$T/table.tsv" | sort -u | wc -l)" \
	"$(jq '.runs[0].tool.driver.rules | length' "$T/a.sarif")"
check_eq "JUnit: 14 cases, a failing one per package of the table, a failure per finding" "14 $NP $NV 0" \
	"$(junit_counts "$T/a.xml")"
check_eq "SARIF: an OS package's location is the image's file name (no temporary folder)" "a310.tar" \
	"$(jq -r '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | unique | join(",")' "$T/a.sarif")"
check_eq "SARIF: the package (purl) and layer of libssl1.1, as the flat JSON has them" \
	"$(jq -r '.findings[] | select(.package == "libssl1.1") | "\(.purl) \(.layer)"' "$T/f.json")" \
	"$(jq -r '.runs[0].results[] | select(.properties.package == "libssl1.1")
		| .locations[0].logicalLocations | map(.fullyQualifiedName // .name) | join(" ")' "$T/a.sarif")"
check "SARIF: libssl1.1's purl" jq -e '.runs[0].results[] | select(.properties.package == "libssl1.1")
	| .properties.purl == "pkg:apk/alpine/libssl1.1@1.1.1d-r2?arch=x86_64&distro=alpine-3.10.4&upstream=openssl"' "$T/a.sarif"
check_eq "flat: the layer of each finding is the image's one layer" 1 \
	"$(jq '[.findings[].layer] | unique | length' "$T/f.json")"
check "GitLab: Alpine's name and version, the image as given" jq -e '[.vulnerabilities[].location
	| .operating_system == "alpine 3.10.4" and .image == "'"$IMG"'"] | all' "$T/a.json"
check "GitLab: CVE identifiers with NVD pages" jq -e '[.vulnerabilities[].identifiers[0]
	| .type == "cve" and (.url | startswith("https://nvd.nist.gov/vuln/detail/CVE-"))] | all' "$T/a.json"

# ---- deterministic: SARIF and flat JSON carry no clock ----
cp "$T/a.sarif" "$T/first.sarif"
cp "$T/f.json" "$T/first.json"
vrun again scan "$IMG" --db "$FIXES" -q --format "$FORMATS"
check_same "SARIF is the same in a second run" "$T/first.sarif" "$T/a.sarif"
check_same "flat JSON is the same in a second run" "$T/first.json" "$T/f.json"

# ---- an ignore rule: shown as suppressed, not dropped ----
printf 'CVE-2021-28831 busybox # accepted: no wget in this image\n' >"$T/ignore"
vrun ignored scan "$IMG" --db "$FIXES" -q --ignore-file "$T/ignore" --format "table,$FORMATS"
expect_rc ignored 0
check_docs ignored
check_eq "ignored: SARIF marks the busybox result suppressed, with the rule's reason" \
	"busybox external ignored: accepted: no wget in this image" \
	"$(jq -r '.runs[0].results[] | select(.suppressions) | [.properties.package, .suppressions[0].kind,
		.suppressions[0].justification] | join(" ")' "$T/a.sarif" | sed 's/ ([^)]*)$//')"
check_eq "ignored: SARIF still has 6 results, one suppressed" "6 1" \
	"$(jq -r '.runs[0].results | "\(length) \(map(select(.suppressions)) | length)"' "$T/a.sarif")"
check_eq "ignored: JUnit skips busybox, 5 failures" "14 5 5 1" "$(junit_counts "$T/a.xml")"
check_eq "ignored: flat lists it under suppressed" "CVE-2021-28831 busybox ignored" \
	"$(jq -r '.suppressed[] | "\(.id) \(.package) \(.status)"' "$T/f.json")"
check_eq "ignored: GitLab reports the 5 left" 5 "$(jq '.vulnerabilities | length' "$T/a.json")"

# ---- to stdout, alone ----
vrun stdout scan "$IMG" --db "$FIXES" -q --format sarif
expect_rc stdout 0
check_eq "SARIF on stdout is the same document (the CLI ends it with a newline)" "$(cat "$T/first.sarif")" \
	"$(cat "$T/stdout.out")"
it_done
