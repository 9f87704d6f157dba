#!/bin/bash
# tests/integration/test_audit.sh: the audit pass itself, on the real demo
# Debian image (3 layers) and Trivy's Alpine 3.10 archive:
# - each layer's counts in `vigil audit --format json` equal what tar says
#   of the same blob (entries that are not folders, whiteouts apart) and
#   its uncompressed size the tar's size;
# - one pass: `vigil scan --scanners vuln,...` on a cold store indexes every
#   layer inside the audit pass (layers_indexed = the layer count), the
#   cache then holds them, and the index that follows equals an index made
#   the usual way, package for package; a warm store reads and indexes
#   nothing more;
# - the formats: the scan's JSON keeps the Clair report and adds "audit",
#   the SARIF is one run valid against the OASIS schema and GitHub's rules,
#   a format with no place for audit findings is refused naming it; the
#   HTML page draws the audit section in a real headless Chromium;
# - bad input: an unknown scanner (exit 2, naming it), an image that
#   cannot be read (exit 1, naming it), a missing --policy or rules file.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"
# shellcheck source=lib/sarif.sh
. "$(dirname "$0")/lib/sarif.sh"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
SARIF_SCHEMA=$DATA/specs/sarif/sarif-schema-2.1.0.json
OCI=$IMAGES/oci
[ -f "$OCI/index.json" ] || skip "no demo image at $OCI"
IMG=oci:$OCI:v2

# ---- per-layer counts against tar ----
vrun audit audit "$IMG" -q --scanners trojan --format json
expect_rc audit 0
MAN=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "v2") | .digest' \
	"$OCI/index.json" | head -n1)
mapfile -t LAYERS < <(jq -r '.layers[].digest' "$OCI/blobs/sha256/${MAN#sha256:}")
check_eq "audit: the layers of the manifest" "${LAYERS[*]}" "$(jq -r '[.layers[].digest] | join(" ")' "$T/audit.out")"
for i in "${!LAYERS[@]}"; do
	blob=$OCI/blobs/sha256/${LAYERS[$i]#sha256:}
	want_files=$(tar -tvzf "$blob" 2>/dev/null | awk '$1 !~ /^d/' | awk '{print $NF}' |
		grep -vc '\.wh\.' || true)
	want_wh=$(tar -tzf "$blob" 2>/dev/null | grep -c '\.wh\.' || true)
	want_size=$(gzip -dc "$blob" | wc -c)
	check_eq "layer $i: files, whiteouts, uncompressed size as tar counts them" \
		"$want_files $want_wh $want_size $(stat -c %s "$blob")" \
		"$(jq -r ".layers[$i] | \"\(.files) \(.whiteouts) \(.uncompressed) \(.size)\"" "$T/audit.out")"
done

# ---- one pass ----
one_pass() { # NAME IMAGE
	local n=$1 img=$2 cold warm
	cold=$(vigil_db "cold-$n")
	warm=$(vigil_db "fresh-$n")
	vrun "$n-scan" scan "$img" -q --db "$cold" --allow-empty-db --scanners vuln,secret,trojan --format json
	expect_rc "$n-scan" 0
	local nl
	nl=$(jq '.audit.layers | length' "$T/$n-scan.out")
	check_eq "$n: the audit pass indexed every layer of a cold store" "$nl" \
		"$(jq '.audit.layers_indexed' "$T/$n-scan.out")"
	check "$n: the scan's JSON is the Clair report with an audit member" \
		jq -e '(.vulnerabilities | type) == "object" and (.packages | type) == "object" and
			(.audit.scanners == ["secret", "trojan"])' "$T/$n-scan.out"
	vrun "$n-cache" cache --db "$cold"
	check "$n: the cache holds the layers ($nl)" grep -q "$nl cached layer" "$T/$n-cache.out"
	vrun "$n-after" index "$img" -q --db "$cold" --format json
	vrun "$n-fresh" index "$img" -q --db "$warm" --format json
	jq -S 'del(.manifest_hash)' "$T/$n-after.out" >"$T/$n-after.json"
	jq -S 'del(.manifest_hash)' "$T/$n-fresh.out" >"$T/$n-fresh.json"
	check_same "$n: the index after the pass equals a usual index ($(pkg_count "$T/$n-fresh.out") packages)" \
		"$T/$n-fresh.json" "$T/$n-after.json"
	vrun "$n-again" scan "$img" -q --db "$cold" --allow-empty-db --scanners vuln,secret --format json
	check_eq "$n: a warm store: nothing indexed again" 0 "$(jq '.audit.layers_indexed' "$T/$n-again.out")"
}
one_pass demo "$IMG"
ALPINE=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
if [ -f "$ALPINE" ]; then
	gzip -dc "$ALPINE" >"$T/a310.tar"
	one_pass alpine "docker-archive:$T/a310.tar"
else
	note "no $ALPINE: the Alpine one-pass check is skipped"
fi

# ---- formats ----
DB=$(vigil_db formats)
vrun sarif scan "$IMG" -q --db "$DB" --allow-empty-db --scanners vuln,trojan,secret --format sarif
expect_rc sarif 0
cp "$T/sarif.out" "$T/scan.sarif"
check "scan --scanners: SARIF valid against the OASIS schema" sarif_valid "$T/scan.sarif"
check "scan --scanners: SARIF keeps GitHub's rules" github_rules "$T/scan.sarif"
vrun asarif audit "$IMG" -q --format sarif=$T/audit.sarif,json=$T/audit.json
expect_rc asarif 0
check "audit: SARIF valid against the OASIS schema" sarif_valid "$T/audit.sarif"
check "audit: JSON written beside it" jq -e '.image and (.findings | type) == "array"' "$T/audit.json"
vrun junit scan "$IMG" -q --db "$DB" --allow-empty-db --scanners vuln,trojan --format junit
expect_rc junit 1
check "junit with audit scanners: refused naming the format" grep -q "junit format has no place for audit" "$T/junit.err"

# the HTML page of a scan --scanners draws the audit section, in a real Chromium
if [ -x /usr/bin/chromium ] && command -v node >/dev/null 2>&1; then
	# shellcheck source=lib/playwright.sh
	source "$SRC/tests/integration/lib/playwright.sh"
	if need_playwright 2>/dev/null; then
		vrun html scan "$IMG" -q --db "$DB" --allow-empty-db --scanners vuln,trojan,secret,policy \
			--format html -o "$T/scan.html"
		expect_rc html 0
		mkdir -p "$T/shots"
		node "$SRC/tests/integration/lib/html_check.js" audit "$T/scan.html" "$T/shots" >"$T/html.log" 2>&1
		while IFS= read -r line; do
			case $line in ok:*) pass "html: ${line#ok: }" ;; FAIL:*) fail "html: ${line#FAIL: }" ;; esac
		done <"$T/html.log"
	else
		note "playwright-core cannot be installed here: the HTML audit section is not checked"
	fi
else
	note "no chromium or node: the HTML audit section is not checked"
fi

# ---- bad input ----
vrun badscanner audit "$IMG" --scanners secret,vulns
expect_rc badscanner 2
check "an unknown scanner is named" grep -q "unknown scanner 'vulns'" "$T/badscanner.err"
vrun badscan scan "$IMG" --scanners sekret
expect_rc badscan 2
vrun noimage audit "oci:$T/nowhere:v1" -q
expect_rc noimage 1
check "an unreadable image is named" grep -q "$T/nowhere" "$T/noimage.err"
vrun nopolicy audit "$IMG" -q --scanners policy --policy "$T/no-policy.yaml"
expect_rc nopolicy 1
check "a missing policy file is named" grep -q "no-policy.yaml" "$T/nopolicy.err"
vrun norules audit "$IMG" -q --scanners secret --secret-rules "$T/no-rules.yaml"
expect_rc norules 1
check "a missing rules file is named" grep -q "no-rules.yaml" "$T/norules.err"
it_done
