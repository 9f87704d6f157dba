#!/bin/bash
# tests/integration/test_client_clairctl.sh: the real clairctl (Clair
# v4.9.0, scripts/tools.lock) against `vigil serve`. Four images (the
# Debian demo and Alpine 3.10, without findings in the feeds of the shared
# data (the Alpine secdb of its era has every fix installed), Ubuntu 18.04
# with 107 from the Ubuntu CVE tracker and Alpine 3.4 with 57 from the
# secdb; lib/clair.sh) are pushed with skopeo to docker-registry on
# 127.0.0.1, once open and once behind token auth (clairctl reads the
# credentials from DOCKER_CONFIG and hands vigil the layer URIs with their
# bearer token). For each: `clairctl report` exits 0 and its findings (text,
# -o json) are vigil scan's of the same image, package by package;
# `-o xml` is jUnit naming the manifest; `clairctl manifest` is `vigil
# manifest`'s; one `clairctl report` of every image at once; `clairctl
# delete` removes the report. Then a vigil with
# auth.psk: clairctl signs with the key of its -c config (issuer clairctl by
# default, --issuer otherwise) and is let in; without the key, or with an
# issuer not allowed, it fails. export-updaters and import-updaters are not
# run: they need the internet and Clair's PostgreSQL (docs/compat.md).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/alpine/secdb-json" ] || skip "no shared test data at $DATA"
. "$(dirname "$0")/lib/serve.sh"
. "$(dirname "$0")/lib/registry.sh"
. "$(dirname "$0")/lib/tools.sh"
. "$(dirname "$0")/lib/clair.sh"
reg_need
need_tool clairctl
CTL=$TOOL

DB=$(newdb c)
vrun import db import "$DATA/feeds/alpine/secdb-json" "$DATA/feeds/debian" "$DATA/feeds/ubuntu/uct" --db "$DB"
expect_rc import 0
reg_start open
OPEN=127.0.0.1:$RPORT
clair_push_images "$OPEN"
start_node v "$DB"
API=$NODE_API
VPID=$NODE_PID

cd "$T" || exit 1 # no config.yaml here: clairctl signs nothing
mkdir -p "$T/anon"
export DOCKER_CONFIG=$T/anon

# ctl NAME ARGS...: clairctl with stdout in $T/NAME.out, stderr in .err, CRC
ctl() {
	local name=$1
	shift
	CRC=0
	timeout 300 "$CTL" "$@" >"$T/$name.out" 2>"$T/$name.err" || CRC=$?
}
# triples FILE: "package version vulnerability" of a VulnerabilityReport
triples() {
	jq -r '. as $r | (.package_vulnerabilities // {}) | to_entries[] | .key as $p | .value[]
		| [$r.packages[$p].name, $r.packages[$p].version, $r.vulnerabilities[.].name] | @tsv' "$1" |
		LC_ALL=C sort -u
}
# text_triples FILE: the same from clairctl's text output ("REF found PKG VER VULN (fixed: X)")
text_triples() { awk '$2 == "found" { print $3 "\t" $4 "\t" $5 }' "$1" | LC_ALL=C sort -u; }

# report_all HOST LABEL [vigil scan options]: report, -o json, -o xml, manifest
report_all() {
	local host=$1 label=$2 name ref tag
	shift 2
	for name in "${IMG_NAMES[@]}"; do
		ref=$host/$name
		tag=$label-${name//[:.]/_}
		vrun "$tag-scan" scan "$ref" --insecure-registry --db "$DB" --format json -q "$@"
		triples "$T/$tag-scan.out" >"$T/$tag.want"
		ctl "$tag-text" report --host "$API" "$ref"
		check_eq "$label $name: clairctl report exits 0" 0 "$CRC"
		[ "$CRC" = 0 ] || head -n 5 "$T/$tag-text.err"
		text_triples "$T/$tag-text.out" >"$T/$tag.text"
		if [ -s "$T/$tag.want" ]; then
			pass "$label $name: $(wc -l <"$T/$tag.want") findings"
		else
			check_eq "$label $name: no findings: clairctl says ok" "$name ok" "$(tr -s ' ' <"$T/$tag-text.out")"
		fi
		check_same "$label $name: clairctl report's findings = vigil scan's" "$T/$tag.want" "$T/$tag.text"
		ctl "$tag-json" report --host "$API" -o json "$ref"
		check_eq "$label $name: report -o json exits 0" 0 "$CRC"
		triples "$T/$tag-json.out" >"$T/$tag.json"
		check_same "$label $name: report -o json's findings = vigil scan's" "$T/$tag.want" "$T/$tag.json"
		check_eq "$label $name: -o json's manifest is the image's" \
			"$(jq -r .manifest_hash "$T/$tag-scan.out")" "$(jq -r .manifest_hash "$T/$tag-json.out")"
		ctl "$tag-xml" report --host "$API" -o xml "$ref"
		check_eq "$label $name: report -o xml exits 0" 0 "$CRC"
		check "$label $name: -o xml is jUnit naming the manifest, a testcase per package" python3 - \
			"$T/$tag-xml.out" "$(jq -r .manifest_hash "$T/$tag-scan.out")" "$(jq '.packages | length' "$T/$tag-scan.out")" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find("testsuite")
props = {p.get("name"): p.get("value") for p in suite.iter("property")} if suite is not None else {}
ok = suite is not None and props.get("manifest") == sys.argv[2] and len(suite.findall("testcase")) == int(sys.argv[3])
sys.exit(0 if ok else 1)
PY
		ctl "$tag-man" manifest "$ref"
		check_eq "$label $name: clairctl manifest exits 0" 0 "$CRC"
		vrun "$tag-vman" manifest "$ref" --insecure-registry --compact
		check_eq "$label $name: clairctl manifest = vigil manifest (hash, layers, URIs)" \
			"$(jq -c '[.hash, [.layers[] | .hash, .uri]]' "$T/$tag-vman.out")" \
			"$(jq -c '[.hash, [.layers[] | .hash, .uri]]' "$T/$tag-man.out")"
	done
}

# ---- an open registry ----
report_all "$OPEN" open
refs=()
for name in "${IMG_NAMES[@]}"; do refs+=("$OPEN/$name"); done
ctl many report --host "$API" "${refs[@]}" "$OPEN/ubuntu:18.04"
check_eq "one clairctl report of every image (and one twice), at once: exit 0" 0 "$CRC"
cat "$T"/open-*.text | LC_ALL=C sort -u >"$T/all.want"
text_triples "$T/many.out" >"$T/many.text"
check_same "... the findings of them all" "$T/all.want" "$T/many.text"
D=$(jq -r .manifest_hash "$T/open-alpine_3_10-scan.out")
check_eq "GET index_report of alpine after clairctl report: 200" 200 "$(code GET "$API/indexer/api/v1/index_report/$D")"
ctl del delete --host "$API" "$D"
check_eq "clairctl delete exits 0" 0 "$CRC"
check_eq "clairctl delete: the report is gone" 404 "$(code GET "$API/indexer/api/v1/index_report/$D")"
ctl del2 delete --host "$API" "$D"
check_eq "clairctl delete of an unknown digest exits 0 (Clair's 200, empty list)" 0 "$CRC"
ctl again report --host "$API" "$OPEN/alpine:3.10"
check_eq "clairctl report after delete: indexed anew, exit 0" 0 "$CRC"
text_triples "$T/again.out" >"$T/again.text"
check_same "clairctl report after delete: the same findings" "$T/open-alpine_3_10.want" "$T/again.text"
ctl bad report --host "$API" "$OPEN/nope:latest"
check "clairctl report of a missing image fails" test "$CRC" != 0

# ---- a registry with token auth ----
reg_start_token tok alice:s3cret
TOKH=127.0.0.1:$RPORT
clair_push_images "$TOKH" --dest-creds alice:s3cret
mkdir -p "$T/creds"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$TOKH" "$(printf 'alice:s3cret' | base64 -w0)" >"$T/creds/config.json"
ctl anon report --host "$API" "$TOKH/alpine:3.10"
check "token registry, no credentials: clairctl report fails" test "$CRC" != 0
export DOCKER_CONFIG=$T/creds
ctl tman manifest "$TOKH/alpine:3.10"
check "token registry: clairctl's Manifest carries a bearer token per layer" \
	jq -e '[.layers[].headers.Authorization[0] | startswith("Bearer ")] | all' "$T/tman.out" >/dev/null
report_all "$TOKH" token --registry-config "$T/creds/config.json"

# ---- auth.psk ----
KEY=$(head -c 32 /dev/urandom | base64 -w0)
SP=$(free_port)
IP=$(free_port)
cat >"$T/vigil-psk.yaml" <<EOF
http_listen_addr: 127.0.0.1:$SP
introspection_addr: 127.0.0.1:$IP
indexer:
  connstring: $DB
matcher:
  connstring: $DB
auth:
  psk:
    key: $KEY
    iss: ["clairctl", "ci"]
EOF
"$VIGIL" serve --config "$T/vigil-psk.yaml" >"$T/vpsk.out" 2>"$T/vpsk.err" &
SERVE_PIDS+=($!)
wait_healthz "http://127.0.0.1:$IP" || fail "psk: the node did not come up: $(tail -n 5 "$T/vpsk.err")"
PAPI=http://127.0.0.1:$SP
printf 'auth:\n  psk:\n    key: %s\n    iss: ["clairctl"]\n' "$KEY" >"$T/ctl.yaml"
printf 'auth:\n  psk:\n    key: %s\n    iss: ["clairctl"]\n' "$(head -c 32 /dev/urandom | base64 -w0)" >"$T/ctl-other.yaml"
export DOCKER_CONFIG=$T/anon
ctl psk-no report --host "$PAPI" "$OPEN/alpine:3.10"
check "psk: clairctl without the key fails" test "$CRC" != 0
check "psk: ... on a 401" grep -q 401 "$T/psk-no.err"
ctl psk -c "$T/ctl.yaml" report --host "$PAPI" "$OPEN/alpine:3.10"
check_eq "psk: clairctl -c (issuer clairctl) report exits 0" 0 "$CRC"
text_triples "$T/psk.out" >"$T/psk.text"
check_same "psk: the same findings" "$T/open-alpine_3_10.want" "$T/psk.text"
ctl psk-iss -c "$T/ctl.yaml" --issuer ci report --host "$PAPI" "$OPEN/demo:v2"
check_eq "psk: --issuer ci (allowed) exits 0" 0 "$CRC"
ctl psk-bad -c "$T/ctl.yaml" --issuer mallory report --host "$PAPI" "$OPEN/demo:v2"
check "psk: --issuer mallory (not allowed) fails on a 401" grep -q 401 "$T/psk-bad.err"
ctl psk-other -c "$T/ctl-other.yaml" report --host "$PAPI" "$OPEN/demo:v2"
check "psk: another key fails on a 401" grep -q 401 "$T/psk-other.err"
ctl psk-del -c "$T/ctl.yaml" delete --host "$PAPI" "$D"
check_eq "psk: clairctl -c delete exits 0" 0 "$CRC"
for p in "$VPID" "${SERVE_PIDS[-1]}"; do
	kill -TERM "$p"
	rc=0
	wait "$p" || rc=$?
	check_eq "vigil serve ($p): SIGTERM, exit 0" 0 "$rc"
done
check "no sanitizer report from the servers" bash -c "! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' '$T/v.err' '$T/vpsk.err'"
it_done
