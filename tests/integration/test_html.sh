#!/usr/bin/env bash
# tests/integration/test_html.sh: the HTML report (--format html) in a real
# headless Chromium (Debian's, driven by playwright-core: lib/playwright.sh,
# lib/html_check.js). The Alpine 3.10 image of Trivy's test data is scanned
# against the shared Alpine secdb feed, to which a few fixes above the
# installed versions are added for CVEs the shared NVD pages score (the
# real feed has no finding for this image), with one CVE ignored: the page
# and the Clair JSON report come from the same scan. In the page: no console
# error, no page error, no request but the file itself; the summary counts
# equal the JSON report's; filtering by severity, package, fix and text
# shows the right rows; sorting orders them; the layer view lists each
# layer's created_by as the image config's history says; the suppressed
# finding is there with why. The real feed alone (no finding for this
# image) gives a whole page that says so; with no data for alpine:3.10 the
# page shows the warning in its alert box. Screenshots (light, dark) and a PDF are saved
# in the test's folder (kept with VIGIL_IT_KEEP=1). Then a synthetic report
# of 5,000 findings (written by the unit test binary report_test_html): a
# filter click and a sort each finish under VIGIL_HTML_LIMIT_MS (1000 ms,
# best of 3, measured in the page with performance.now()).
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
it_init
source "$SRC/tests/integration/lib/playwright.sh"
need_playwright
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
FEED=$DATA/feeds/alpine/secdb-json/v3.10/main.json
NVD=$DATA/feeds/nvd/api2-pages
ARCHIVE=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
[ -f "$FEED" ] && [ -d "$NVD" ] && [ -f "$ARCHIVE" ] || skip "no alpine feed, NVD pages or image at $DATA"
note "playwright-core $PLAYWRIGHT_VERSION, $($CHROMIUM --version 2>/dev/null)"

# ---- the scan ----
gzip -dc "$ARCHIVE" >"$T/alpine.tar" || { echo "FAIL: gunzip $ARCHIVE"; exit 1; }
mkdir -p "$T/feed/v3.10"
jq -c '.packages |= map(
	if .pkg.name == "musl" then .pkg.secfixes["99.0-r0"] += ["CVE-2023-45109", "CVE-2021-3881"]
	elif .pkg.name == "openssl" then .pkg.secfixes["99.0-r0"] += ["CVE-2020-8167", "CVE-2022-1576", "CVE-2023-5631"]
	elif .pkg.name == "zlib" then .pkg.secfixes["99.0-r0"] += ["CVE-2099-0001"]
	else . end)' "$FEED" >"$T/feed/v3.10/main.json"
DB=$T/html.db
vrun import db import "$T/feed" "$NVD" --db "$DB"
expect_rc import 0
printf 'CVE-2023-5631 # not reachable in this image\n' >"$T/ignore"
vrun scan scan "docker-archive:$T/alpine.tar" --db "$DB" -q --ignore-file "$T/ignore" \
	--format "json=$T/report.json,html=$T/report.html"
expect_rc scan 0
vrun scan-all scan "docker-archive:$T/alpine.tar" --db "$DB" -q --format json
expect_rc scan-all 0
[ -s "$T/report.html" ] || { fail "no HTML report"; it_done; }

# ---- what the page must show, from the JSON report and the image ----
J=$T/report.json
FINDINGS='[.package_vulnerabilities | to_entries[] | .key as $p | .value[] | {p: $p, v: $root.vulnerabilities[.]}]'
jq '. as $root | '"$FINDINGS"' as $f | {
	counts: ($f | group_by(.v.normalized_severity) | map({key: .[0].v.normalized_severity, value: length}) | from_entries),
	total: ($f | length),
	fixable: ($f | map(select(.v.fixed_in_version != "")) | length),
	byPackage: ($f | group_by(.p) | map({key: $root.packages[.[0].p].name, value: length}) | from_entries),
	search: {q: "CVE-2021-3881", n: ($f | map(select(.v.name == "CVE-2021-3881")) | length)},
	manifest: .manifest_hash,
	namespace: ([.enrichments[] | .[0].namespace? // empty] | first)
}' "$J" >"$T/expect0.json" || fail "reading the JSON report"
CONFIG=$(tar -xOf "$T/alpine.tar" manifest.json | jq -r '.[0].Config')
tar -xOf "$T/alpine.tar" "$CONFIG" | jq '[.history[] | select(.empty_layer != true) | .created_by]' >"$T/created.json"
jq '[. as $root | .package_vulnerabilities | to_entries[] | .value[] | $root.vulnerabilities[.]
	| select(.name == "CVE-2023-5631")
	| {id: .name, status: "ignored", justification: "not reachable in this image"}]' "$T/scan-all.out" >"$T/suppressed.json"
jq --slurpfile c "$T/created.json" --slurpfile s "$T/suppressed.json" '. + {createdBy: $c[0], suppressed: $s[0]}' \
	"$T/expect0.json" >"$T/expect.json"
check "the scan has findings of several severities" \
	jq -e '.total >= 8 and (.counts | length) >= 3 and (.suppressed | length) >= 1' "$T/expect.json"
note "expected: $(jq -c '{counts, total, fixable, suppressed: (.suppressed | length)}' "$T/expect.json")"

# ---- the page ----
check "the data block holds no '<' (no text of it is markup)" \
	bash -c "sed -n 's/.*<script type=\"application\/json\" id=\"vigil-data\">\(.*\)<\/script>.*/\1/p' '$T/report.html' |
		grep -q . && ! sed -n 's/.*<script type=\"application\/json\" id=\"vigil-data\">\(.*\)<\/script>.*/\1/p' '$T/report.html' | grep -q '<'"
pw_run real "$T/report.html" "$T/expect.json" "$T"

# ---- no finding: the real feed as it is has none for this image ----
DB0=$T/empty.db
vrun import-real db import "$(dirname "$(dirname "$FEED")")" --db "$DB0"
expect_rc import-real 0
vrun scan-empty scan "docker-archive:$T/alpine.tar" --db "$DB0" -q --format html -o "$T/empty.html"
expect_rc scan-empty 0
pw_run empty "$T/empty.html" "$T"
# no data for the image's distribution at all: no finding, and a warning in the alert box
DB1=$T/nvd-only.db
vrun import-nvd db import "$NVD" --db "$DB1"
expect_rc import-nvd 0
vrun scan-nodata scan "docker-archive:$T/alpine.tar" --db "$DB1" -q --format html -o "$T/nodata.html"
expect_rc scan-nodata 0
check "the page carries the no-data warning" grep -q 'no vulnerability data for alpine:3.10' "$T/nodata.html"
pw_run empty "$T/nodata.html" "$T"

# ---- 5,000 findings ----
BIG=${VIGIL_BUILD_DIR:-$SRC/build}/report_test_html
if [ -x "$BIG" ]; then
	VIGIL_HTML_BIG_OUT=$T/big.html "$BIG" >"$T/big.log" 2>&1 || fail "report_test_html failed: $(tail -n 5 "$T/big.log")"
	if [ -s "$T/big.html" ]; then
		pw_run perf "$T/big.html" "$T" "${VIGIL_HTML_LIMIT_MS:-1000}"
	else
		fail "report_test_html wrote no $T/big.html"
	fi
else
	note "no $BIG (cmocka missing?): the 5,000-finding page is not timed"
fi
it_done
