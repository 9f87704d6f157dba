#!/bin/bash
# tests/integration/test_audit_secret.sh: vigil audit --scanners secret on a
# real OCI image built here (tests/integration/lib/oci.sh), two layers:
#   layer 0: root/.ssh/id_rsa (ssh-keygen), app/.env with AWS's
#            documentation keys and a password URL, app/gcp.json (a
#            service-account key file around a key openssl makes), a binary
#            holding an AWS key id, the same .env under usr/share/doc, an
#            EC key in srv/keys/, a GitLab token in opt/old/
#   layer 1: deletes root/.ssh/id_rsa (whiteout) and opt/old (a folder's
#            whiteout), empties srv/keys (opaque marker), replaces app/.env
#            with a clean one
# Checks: each secret with its rule, layer (index and digest), line and a
# redacted match; the deleted and the replaced file still reported with
# deleted=true and the layer that removed them; the binary skipped (and
# counted) by default, found with --secret-binaries; package docs not read;
# no secret in the table, JSON or SARIF; SARIF valid against the OASIS
# schema (../shared/testdata/specs); ignore files (.vigilignore,
# .trivyignore.yaml secrets:) and inline "vigil:ignore"; a user rules file;
# a bad rules file fails with exit 1 naming FILE:LINE; --exit-code; the
# keyword fallback (VIGIL_SECRET_ENGINE=pcre2) gives the same findings; and
# the demo's real Debian image gives no finding (no false alarm).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
# shellcheck source=lib/oci.sh
. "$(dirname "$0")/lib/oci.sh"
command -v ssh-keygen >/dev/null || skip "ssh-keygen is missing"
command -v openssl >/dev/null || skip "openssl is missing"

KEY_ID=AKIAIOSFODNN7EXAMPLE
KEY_SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
L0=$T/l0 L1=$T/l1
mkdir -p "$L0/root/.ssh" "$L0/app" "$L0/usr/local/bin" "$L0/usr/share/doc/demo" "$L1/root/.ssh" "$L1/app"
ssh-keygen -q -t rsa -b 2048 -N '' -C test@vigil -f "$L0/root/.ssh/id_rsa"
rm -f "$L0/root/.ssh/id_rsa.pub"
cat >"$L0/app/.env" <<EOF2
# deploy settings
AWS_ACCESS_KEY_ID=$KEY_ID
AWS_SECRET_ACCESS_KEY=$KEY_SECRET
DATABASE_URL=postgres://app:Sup3rS3cretPw@db.internal:5432/app
LEGACY_KEY=AKIAI44QH8DHBEXAMPLE # vigil:ignore
EOF2
cp "$L0/app/.env" "$L0/usr/share/doc/demo/example.env"
PEM=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 2>/dev/null | awk '{printf "%s\\n", $0}')
cat >"$L0/app/gcp.json" <<EOF2
{
  "type": "service_account",
  "project_id": "vigil-demo",
  "private_key_id": "0123456789abcdef0123456789abcdef01234567",
  "private_key": "$PEM",
  "client_email": "demo@vigil-demo.iam.gserviceaccount.com"
}
EOF2
printf '\177ELF\002\001\001\000\000\000 key=%s \000\000' "$KEY_ID" >"$L0/usr/local/bin/tool"
# a folder emptied by an opaque marker, a folder deleted whole
mkdir -p "$L0/srv/keys" "$L0/opt/old" "$L1/srv/keys" "$L1/opt"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$L0/srv/keys/deploy.pem" 2>/dev/null
printf 'GITLAB_TOKEN=glpat-%s\n' "q8Zr2LkP0xW7vN4tY6uB" >"$L0/opt/old/ci.env"
: >"$L1/srv/keys/.wh..wh..opq"
: >"$L1/opt/.wh.old"
: >"$L1/root/.ssh/.wh.id_rsa"
printf '# deploy settings\nAWS_REGION=eu-west-1\n' >"$L1/app/.env"
oci_from_dirs "$T/img" "$L0" "$L1"
IMG=oci:$T/img:t
mapfile -t LAYERS < <(oci_layers "$T/img" t)

vrun audit audit "$IMG" --scanners secret -q --format "json=$T/a.json,sarif=$T/a.sarif,table"
expect_rc audit 0
J=$T/a.json
# finding RULE PATH: "layer line deleted other_layer match"
finding() {
	jq -r --arg r "$1" --arg p "$2" '.findings[] | select(.rule == $r and .path == $p)
		| "\(.layer.index) \(.line) \(.deleted) \(.other_layer.index // "-") \(.match)"' "$J"
}
check_eq "deleted id_rsa still found" "0 1 true 1 b3Bl************************$(sed -n '$!{h;d};x;s/.*\(....\)$/\1/p' "$L0/root/.ssh/id_rsa" | head -c4)" \
	"$(finding openssh-private-key root/.ssh/id_rsa)"
check_eq "replaced .env: the key id" "0 2 true 1 AKIA************MPLE" "$(finding aws-access-key-id app/.env)"
check_eq "replaced .env: the secret key" "0 3 true 1 wJal************************EKEY" \
	"$(finding aws-secret-access-key app/.env)"
check_eq "replaced .env: the password URL" "0 4 true 1 Sup3*****etPw" "$(finding basic-auth-url app/.env)"
check_eq "inline vigil:ignore drops line 5" "" "$(jq -r '.findings[] | select(.path == "app/.env" and .line == 5) | .rule' "$J")"
check_eq "GCP key file (still there)" "0 4 false - 0123************************4567" \
	"$(finding gcp-service-account app/gcp.json)"
check_eq "its private key" "0 5 false -" "$(finding private-key app/gcp.json | cut -d' ' -f1-4)"
check_eq "opaque folder: its key still found" "0 1 true 1" "$(finding private-key srv/keys/deploy.pem | cut -d' ' -f1-4)"
check_eq "deleted folder: its token still found" "0 1 true 1 glpa******************Y6uB" "$(finding gitlab-pat opt/old/ci.env)"
check_eq "layer digests" "${LAYERS[0]} ${LAYERS[1]}" \
	"$(jq -r '.findings[] | select(.rule == "openssh-private-key") | "\(.layer.digest) \(.other_layer.digest)"' "$J")"
check_eq "the binary skipped, docs not read" "0 1 6" \
	"$(jq -r '"\([.findings[] | select(.path | test("usr/"))] | length) \(.secret_scan.binaries_skipped) \(.secret_scan.files)"' "$J")"
check "evidence says where it went" grep -q 'deleted by layer 1: the secret is still in layer 0' "$J"
check "table says deleted later" grep -q '/root/.ssh/id_rsa:1 (deleted later)' "$T/audit.out"
key_line=$(sed -n 2p "$L0/root/.ssh/id_rsa")
for f in "$J" "$T/a.sarif" "$T/audit.out"; do
	check "no secret in $(basename "$f")" bash -c "! grep -qF -e '$KEY_ID' -e '$KEY_SECRET' -e 'Sup3rS3cretPw' -e '$key_line' '$f'"
done

SARIF_SCHEMA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}/specs/sarif/sarif-schema-2.1.0.json
if [ -f "$SARIF_SCHEMA" ] && python3 -c 'import jsonschema' 2>/dev/null; then
	check "SARIF valid against the OASIS schema" python3 - "$SARIF_SCHEMA" "$T/a.sarif" <<'PY'
import json, sys, jsonschema
schema, doc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = 0
for cls in (jsonschema.validators.validator_for(schema), jsonschema.Draft7Validator):
    for e in list(cls(schema).iter_errors(doc))[:5]:
        bad += 1
        print(cls.__name__, list(e.path), e.message[:200])
sys.exit(1 if bad else 0)
PY
	check_eq "SARIF: results, a location with the line" "8 root/.ssh/id_rsa 1" \
		"$(jq -r '.runs[0] | "\(.results | length) \(.results[] | select(.ruleId == "openssh-private-key") | .locations[0].physicalLocation | "\(.artifactLocation.uri) \(.region.startLine)")"' "$T/a.sarif")"
else
	note "no SARIF schema or python3 jsonschema: SARIF not validated"
fi

# the keyword fallback (what arm64 runs) finds the same
export VIGIL_SECRET_ENGINE=pcre2
vrun pcre audit "$IMG" --scanners secret -q --format json
unset VIGIL_SECRET_ENGINE
summary() { jq -c '[.findings[] | [.rule, .path, .line, .layer.index, .deleted, .match]]' "$1"; }
check_eq "the fallback engine: the same findings" "$(summary "$J")" "$(summary "$T/pcre.out")"

vrun bin audit "$IMG" --scanners secret -q --format json --secret-binaries
check_eq "--secret-binaries finds the key in the binary" "0 false" \
	"$(jq -r '.findings[] | select(.path == "usr/local/bin/tool") | "\(.layer.index) \(.deleted)"' "$T/bin.out")"

printf 'aws-access-key-id\n' >"$T/.vigilignore"
vrun ign audit "$IMG" --scanners secret -q --format json --ignore-file "$T/.vigilignore"
check_eq ".vigilignore: the rule suppressed" "0 1" \
	"$(jq -r '"\([.findings[] | select(.rule == "aws-access-key-id")] | length) \([.suppressed[] | select(.rule == "aws-access-key-id")] | length)"' "$T/ign.out")"
printf 'secrets:\n  - id: private-key\n    paths: ["app/*.json"]\n    statement: a demo key\n  - id: basic-auth-url\n    paths: ["etc/*"]\n' >"$T/.trivyignore.yaml"
vrun tign audit "$IMG" --scanners secret -q --format json --ignore-file "$T/.trivyignore.yaml"
check_eq ".trivyignore.yaml secrets: id + paths" "app/.env srv/keys/deploy.pem|app/gcp.json" \
	"$(jq -r '"\([.findings[] | select(.rule == "private-key" or .rule == "basic-auth-url") | .path] | join(" "))|\([.suppressed[] | .path] | join(" "))"' "$T/tign.out")"

printf 'rules:\n  - id: demo-project\n    title: Demo project id\n    severity: low\n    keywords: [project_id]\n    regex: %s\n  - id: basic-auth-url\n    disabled: true\n' \
	"'\"project_id\": \"(?P<secret>[a-z-]+)\"'" >"$T/rules.yaml"
vrun user audit "$IMG" --scanners secret -q --format json --secret-rules "$T/rules.yaml"
check_eq "a user rule added, a built-in silenced" "0 3 Low 0" \
	"$(jq -r '"\(.findings[] | select(.rule == "demo-project") | "\(.layer.index) \(.line) \(.severity)") \([.findings[] | select(.rule == "basic-auth-url")] | length)"' "$T/user.out")"

printf 'rules:\n  - id: broken\n    regex: "(unclosed"\n' >"$T/bad.yaml"
vrun bad audit "$IMG" --scanners secret -q --secret-rules "$T/bad.yaml"
expect_rc bad 1
check "bad rules file: FILE:LINE in the error" grep -q "$T/bad.yaml:3: broken: bad regex" "$T/bad.err"
check_eq "bad rules file: nothing on stdout" "0" "$(wc -c <"$T/bad.out")"
printf 'rules:\n  - id: x\n    regex: y\n    colour: red\n' >"$T/bad2.yaml"
vrun bad2 audit "$IMG" --scanners secret -q --secret-rules "$T/bad2.yaml"
expect_rc bad2 1
check "unknown key: FILE:LINE in the error" grep -q "$T/bad2.yaml:4: unknown key 'colour'" "$T/bad2.err"

vrun gate audit "$IMG" --scanners secret -q --exit-code 5
expect_rc gate 5

# The demo's real Debian image (scripts/make-images.sh): thousands of files
# read, its binaries skipped, no false alarm.
if [ -f "$IMAGES/oci/index.json" ]; then
	vrun demo audit "oci:$IMAGES/oci:v2" --scanners secret -q --format json
	expect_rc demo 0
	check_eq "demo Debian image: no secret findings" "0" "$(jq '.findings | length' "$T/demo.out")"
	check "demo Debian image: > 1000 text files read, > 1000 binaries skipped" \
		jq -e '.secret_scan.files > 1000 and .secret_scan.binaries_skipped > 1000' "$T/demo.out"
else
	note "no demo image at $IMAGES/oci: the false-alarm check is not run"
fi
it_done
