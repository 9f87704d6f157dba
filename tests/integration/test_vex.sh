#!/bin/bash
# tests/integration/test_vex.sh: `vigil scan --vex FILE` with OpenVEX
# (validated against ../shared/testdata/specs/openvex), CycloneDX VEX and
# CSAF 2.0 VEX documents on the Alpine 3.4 package database of
# scripts/make-pkgdb-rootfs.sh against the real Alpine secdb (57 findings;
# the Alpine 3.10 archive has none against the shared feeds, so it only
# shows that a VEX about packages it lacks changes nothing): each format
# suppresses its finding, shown in the table's "suppressed:" section with
# status, justification and document, and gone from --format json; the
# same finding through an SBOM (sbom:) too; "affected" suppresses nothing;
# a later statement undoes an earlier one; bad documents fail (exit 1)
# naming the file and statement, with nothing written.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
SCHEMA=$DATA/specs/openvex/openvex_json_schema.json
ALPINE=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
[ -f "$SCHEMA" ] && [ -d "$DATA/feeds/alpine/secdb-json" ] || skip "no shared test data at $DATA"
python3 -c 'import jsonschema' 2>/dev/null || skip "python3 jsonschema is missing"

bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
IMG=dir:$T/fs/rootfs-alpine34
DB=$(vigil_db vex)
vrun import db import "$DATA/feeds/alpine/secdb-json" --db "$DB"
expect_rc import 0
pairs() { jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[]
	| [$r.packages[$p].name, $r.vulnerabilities[.].name] | @tsv' "$1" | LC_ALL=C sort -u; }
vrun base scan "$IMG" --db "$DB" -q --format json
expect_rc base 0
pairs "$T/base.out" >"$T/base.tsv"
for p in "busybox	CVE-2016-6301" "busybox	CVE-2017-15873" "libcrypto1.0	CVE-2016-2179"; do
	check "base: $p is a finding" grep -qxF "$p" "$T/base.tsv"
done

cat >"$T/openvex.json" <<'EOF'
{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/alpine34-2026-001",
  "author": "vigil tests",
  "timestamp": "2026-01-02T10:00:00Z",
  "version": 1,
  "statements": [
    {
      "vulnerability": {"name": "CVE-2016-6301"},
      "products": [{"@id": "pkg:oci/alpine34", "subcomponents": [{"@id": "pkg:apk/alpine/busybox@1.24.2-r9?arch=x86_64"}]}],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "the ntpd applet is not started"
    }
  ]
}
EOF
cat >"$T/cdx.json" <<'EOF'
{
  "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "components": [{"bom-ref": "libcrypto", "type": "library", "name": "libcrypto1.0", "version": "1.0.2h-r1",
                  "purl": "pkg:apk/alpine/libcrypto1.0@1.0.2h-r1?arch=x86_64&distro=alpine-3.4.6"}],
  "vulnerabilities": [
    {"id": "CVE-2016-2179", "analysis": {"state": "resolved", "detail": "rebuilt with the DTLS fix"},
     "affects": [{"ref": "libcrypto"}]}
  ]
}
EOF
cat >"$T/csaf.json" <<'EOF'
{
  "document": {"category": "csaf_vex", "csaf_version": "2.0", "title": "busybox in alpine34",
    "publisher": {"category": "vendor", "name": "vigil tests", "namespace": "https://example.com"},
    "tracking": {"id": "T-1", "status": "final", "version": "1", "current_release_date": "2026-01-02T10:00:00Z",
      "initial_release_date": "2026-01-02T10:00:00Z",
      "revision_history": [{"date": "2026-01-02T10:00:00Z", "number": "1", "summary": "first"}]}},
  "product_tree": {"branches": [{"category": "vendor", "name": "alpine", "branches": [
    {"category": "product_version", "name": "busybox 1.24.2-r9", "product": {"name": "busybox 1.24.2-r9", "product_id": "BB",
      "product_identification_helper": {"purl": "pkg:apk/alpine/busybox@1.24.2-r9"}}}]}]},
  "vulnerabilities": [{"cve": "CVE-2017-15873",
    "product_status": {"known_not_affected": ["BB"]},
    "flags": [{"label": "vulnerable_code_not_present", "product_ids": ["BB"]}]}]
}
EOF
check "openvex.json is valid against OpenVEX's schema" python3 -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' "$T/openvex.json" "$SCHEMA"

# one (TAG FILE PAIR STATUS WHY): FILE suppresses PAIR with STATUS, WHY
one() {
	vrun "$1" scan "$IMG" --db "$DB" -q --vex "$2"
	expect_rc "$1" 0
	local id=${3#*	} pkg=${3%%	*}
	check "$1: the table's suppressed section" grep -q '^suppressed: 1$' "$T/$1.out"
	check "$1: $id $pkg $4: $5 ($2)" grep -qE "^  $id +$pkg .* $4: $5 \\($2: " "$T/$1.out"
	vrun "$1-json" scan "$IMG" --db "$DB" -q --vex "$2" --format json
	pairs "$T/$1-json.out" >"$T/$1.tsv"
	check "$1: the finding left the JSON report" bash -c "! grep -qxF '$3' '$T/$1.tsv'"
	check_eq "$1: only that one left" "$(($(wc -l <"$T/base.tsv") - 1))" "$(wc -l <"$T/$1.tsv")"
}
one openvex "$T/openvex.json" "busybox	CVE-2016-6301" not_affected vulnerable_code_not_in_execute_path
one cdx "$T/cdx.json" "libcrypto1.0	CVE-2016-2179" fixed "rebuilt with the DTLS fix"
one csaf "$T/csaf.json" "busybox	CVE-2017-15873" not_affected vulnerable_code_not_present

vrun all scan "$IMG" --db "$DB" -q --vex "$T/openvex.json" --vex "$T/cdx.json" --vex "$T/csaf.json"
expect_rc all 0
check "three documents: three suppressed" grep -q '^suppressed: 3$' "$T/all.out"

# through an SBOM: the same statement suppresses the same finding
if [ -f "$ALPINE" ]; then
	vrun idx index "$IMG" -q --format json
	jq '{bomFormat: "CycloneDX", specVersion: "1.6", metadata: {component: {type: "operating-system", name: "alpine"}},
	     components: ([{type: "operating-system", name: "alpine", version: "3.4.6"}] +
	       [.packages[] | {type: "library", name, version,
	         purl: "pkg:apk/alpine/\(.name)@\(.version)?arch=\(.arch)&upstream=\(.source.name)"}])}' \
		"$T/idx.out" >"$T/sbom.json"
	vrun sbom scan "sbom:$T/sbom.json" --db "$DB" -q --vex "$T/openvex.json"
	expect_rc sbom 0
	check "sbom: suppressed through the SBOM's purls too" grep -qE '^  CVE-2016-6301 +busybox .* not_affected' "$T/sbom.out"
	gzip -dc "$ALPINE" >"$T/alpine310.tar"
	vrun a310 scan "docker-archive:$T/alpine310.tar" --db "$DB" -q --vex "$T/openvex.json"
	expect_rc a310 0
	check "alpine 3.10 (busybox 1.30.1-r3): the statement about 1.24.2-r9 suppresses nothing" \
		bash -c "! grep -q '^suppressed' '$T/a310.out'"
fi

# ---- affected does not suppress; the newest statement decides ----
jq '.statements[0].status = "affected" | del(.statements[0].justification, .statements[0].impact_statement)
    | .statements[0].action_statement = "upgrade busybox"' "$T/openvex.json" >"$T/affected.json"
check "affected.json is valid against OpenVEX's schema" python3 -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' "$T/affected.json" "$SCHEMA"
vrun affected scan "$IMG" --db "$DB" -q --vex "$T/affected.json"
expect_rc affected 0
check "affected: nothing suppressed" bash -c "! grep -q '^suppressed' '$T/affected.out'"
check "affected: the finding stays" grep -qE '^ *CVE-2016-6301 ' "$T/affected.out"
jq '.statements[0].timestamp = "2026-02-01T00:00:00Z"' "$T/affected.json" >"$T/later.json"
vrun later scan "$IMG" --db "$DB" -q --vex "$T/openvex.json" --vex "$T/later.json"
check "a later 'affected' statement undoes the earlier not_affected" bash -c "! grep -q '^suppressed' '$T/later.out'"

# ---- bad documents: exit 1, file and statement named, nothing written ----
bad() { # NAME JSON MESSAGE
	printf '%s' "$2" >"$T/$1.json"
	vrun "bad-$1" scan "$IMG" --db "$DB" -q --vex "$T/openvex.json" --vex "$T/$1.json" --format json \
		--output "$T/bad-$1.report"
	expect_rc "bad-$1" 1
	check "bad $1: '$3'" grep -qF -- "--vex: $T/$1.json: $3" "$T/bad-$1.err"
	check "bad $1: nothing written" [ ! -e "$T/bad-$1.report" ]
}
bad noproduct "$(jq '.statements[0].products = []' "$T/openvex.json")" "statements[0]: names no product"
bad status "$(jq '.statements[0].status = "wontfix"' "$T/openvex.json")" \
	'statements[0].status: "wontfix" is not an OpenVEX status'
bad cdxref "$(jq '.vulnerabilities[0].affects[0].ref = "nowhere"' "$T/cdx.json")" \
	'vulnerabilities[0].affects[0].ref: "nowhere" is neither a bom-ref'
bad csafid "$(jq '.vulnerabilities[0].product_status.known_not_affected = ["XX"]' "$T/csaf.json")" \
	'vulnerabilities[0].product_status.known_not_affected[0]: product "XX" is not in the product_tree'
bad notvex '{"hello": 1}' "not a VEX document"
bad notjson '{"@context": ' "not JSON"
vrun missing scan "$IMG" --db "$DB" -q --vex "$T/none.json"
expect_rc missing 1
check "a missing VEX: named" grep -q -- "--vex: $T/none.json: No such file" "$T/missing.err"

it_done
