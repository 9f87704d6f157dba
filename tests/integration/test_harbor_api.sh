#!/usr/bin/env bash
# tests/integration/test_harbor_api.sh: vigil serve --harbor-listen, played
# as Harbor plays a pluggable scanner (src/pkg/scan/rest/v1 of goharbor):
# GET /api/v1/metadata, POST /api/v1/scan with the registry's URL and an
# Authorization, GET /api/v1/scan/{id}/report polled while it answers 302
# with Refresh-After, then the report in each media type. Debian's
# docker-registry runs on 127.0.0.1 three times: plain, htpasswd (Harbor
# sends "Basic base64(robot:secret)") and token auth (Harbor sends "Bearer
# TOKEN", a token it got from the registry's token service: here one got
# from lib/regtoken.py's /token like Harbor's makeBearerAuthorization, and
# also a Basic one that vigil takes to the token server itself). The
# Alpine 3.10 image (with the Alpine secdb feed) and the Debian demo image
# (with the Debian feeds) are pushed with skopeo; the findings of each
# report equal those of `vigil scan` of the same image. Every answer is
# checked against Harbor's OpenAPI document (status declared, Content-Type
# declared, body valid: lib/harbor_check.py), the SBOMs against SPDX 2.3's
# and CycloneDX 1.6's JSON Schemas. Also: 401 without the token, 400/422
# bodies, 404 unknown ids, a failed scan (a wrong token, an unknown digest)
# is 500 with an ErrorResponse that repeats no credential; the fetch policy
# (indexer.fetch.deny) holds for the registries Harbor names. Then
# schemathesis (pinned in scripts/tools.lock) against the spec: no 5xx,
# every answer conforms. Every server is stopped by its PID at exit.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
it_init
source "$SRC/tests/integration/lib/serve.sh"
source "$SRC/tests/integration/lib/registry.sh"
reg_need
command -v htpasswd >/dev/null 2>&1 || skip "htpasswd is missing (apt-get install apache2-utils)"
python3 -c 'import yaml, jsonschema' 2>/dev/null || skip "python3-yaml or python3-jsonschema is missing"
DATA=$SRC/../shared/testdata
SPEC=$DATA/specs/harbor/scanner-adapter-openapi-v1.2.yaml
ALPINE=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
[ -f "$SPEC" ] && [ -f "$ALPINE" ] && [ -d "$DATA/feeds/alpine/secdb-json" ] || skip "no shared test data at $DATA"
CHECK=$SRC/tests/integration/lib/harbor_check.py
OCI=$IMAGES/oci
export HOME=$T/home
mkdir -p "$HOME"
unset DOCKER_CONFIG

MT_V11='application/vnd.security.vulnerability.report; version=1.1'
MT_V10='application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0'
MT_SBOM='application/vnd.security.sbom.report+json; version=1.0'
MT_REQ='application/vnd.scanner.adapter.scan.request+json; version=1.0'
TOKEN=harbor-s3cret-token

# ---- registries and images ----
gzip -dc "$ALPINE" >"$T/alpine.tar" || { echo "FAIL: gunzip $ALPINE"; exit 1; }
ALPINE=$T/alpine.tar
reg_start plain
P=127.0.0.1:$RPORT
htpasswd -Bbc "$T/htpasswd" robot 'r0bot pass' >/dev/null 2>&1
reg_start basic "auth:
  htpasswd:
    realm: basic-realm
    path: $T/htpasswd"
B=127.0.0.1:$RPORT
reg_start_token tok 'bob:t0ken pass'
K=127.0.0.1:$RPORT
reg_push "docker-archive:$ALPINE" "$P/library/alpine:3.10"
reg_push "oci:$OCI:v2" "$P/demo/debian:v2"
# images with findings: the Ubuntu 18.04 and Alpine 3.4 package databases
# of scripts/make-pkgdb-rootfs.sh, each made a one-layer docker-archive
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { echo "FAIL: make-pkgdb-rootfs.sh"; exit 1; }
rootfs_archive() {
	python3 - "$1" "$2" <<-'PY'
		import hashlib, io, json, sys, tarfile
		src, out = sys.argv[1], sys.argv[2]
		buf = io.BytesIO()
		with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
		    t.add(src, arcname=".")
		layer = buf.getvalue()
		diff = "sha256:" + hashlib.sha256(layer).hexdigest()
		cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
		                  "rootfs": {"type": "layers", "diff_ids": [diff]}}).encode()
		cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
		man = json.dumps([{"Config": cfg_name, "RepoTags": None, "Layers": ["layer.tar"]}]).encode()
		with tarfile.open(out, "w") as t:
		    for name, data in (("layer.tar", layer), (cfg_name, cfg), ("manifest.json", man)):
		        ti = tarfile.TarInfo(name)
		        ti.size = len(data)
		        t.addfile(ti, io.BytesIO(data))
	PY
}
rootfs_archive "$T/fs/rootfs-ubuntu1804" "$T/ubuntu.tar" && rootfs_archive "$T/fs/rootfs-alpine34" "$T/alpine34.tar" ||
	{ echo "FAIL: the rootfs archives"; exit 1; }
reg_push "docker-archive:$T/ubuntu.tar" "$P/pkgdb/ubuntu:18.04"
reg_push "docker-archive:$T/alpine34.tar" "$P/pkgdb/alpine:3.4"
reg_push "docker-archive:$ALPINE" "$B/library/alpine:3.10" --dest-creds 'robot:r0bot pass'
reg_push "docker-archive:$ALPINE" "$K/library/alpine:3.10" --dest-creds 'bob:t0ken pass'
digest_of() { skopeo inspect --tls-verify=false "${@:2}" "docker://$1" | jq -r .Digest; }
AD=$(digest_of "$P/library/alpine:3.10")
DD=$(digest_of "$P/demo/debian:v2")
UD=$(digest_of "$P/pkgdb/ubuntu:18.04")
A4=$(digest_of "$P/pkgdb/alpine:3.4")
BD=$(digest_of "$B/library/alpine:3.10" --creds 'robot:r0bot pass')
KD=$(digest_of "$K/library/alpine:3.10" --creds 'bob:t0ken pass')
note "alpine $AD, debian $DD; registries plain $P, htpasswd $B, token $K (token server $TOK)"

DB=$(newdb harbor)
vrun import db import "$DATA/feeds/alpine/secdb-json" "$DATA/feeds/debian" "$DATA/feeds/ubuntu/uct" --db "$DB"
expect_rc import 0

# ---- the server ----
printf 'harbor:\n  token: %s\n' "$TOKEN" >"$T/vigil.yaml"
HP=$(free_port)
start_node h "$DB" --config "$T/vigil.yaml" --harbor-listen "127.0.0.1:$HP"
H=http://127.0.0.1:$HP/api/v1
AUTH=(-H "Authorization: Bearer $TOKEN")

# call NAME METHOD PATH SPECPATH [curl args]: one request; the status in
# CODE, headers in $T/NAME.h, body in $T/NAME.json; the answer is checked
# against the spec.
call() {
	local name=$1 m=$2 path=$3 sp=$4
	shift 4
	CODE=$(curl -s -o "$T/$name.json" -D "$T/$name.h" -w '%{http_code}' -X "$m" "$H$path" "$@")
	local ct
	ct=$(awk -F': ' 'tolower($1) == "content-type" {sub(/\r$/, "", $2); print $2}' "$T/$name.h")
	if python3 "$CHECK" "$SPEC" "$m" "$sp" "$CODE" "$ct" "$T/$name.json" --sbom "$DATA/specs" 2>"$T/$name.check"; then
		pass "$name: $m $path: $CODE conforms to the spec"
	else
		fail "$name: $m $path: $CODE does not conform: $(head -n 5 "$T/$name.check")"
	fi
}

# ---- metadata ----
call meta-anon GET /metadata /metadata
check_eq "metadata without the token: 401" 401 "$CODE"
call meta-wrong GET /metadata /metadata -H "Authorization: Bearer nope"
check_eq "metadata with a wrong token: 401" 401 "$CODE"
call meta GET /metadata /metadata "${AUTH[@]}" -H 'Accept: application/vnd.scanner.adapter.metadata+json; version=1.0'
check_eq "metadata: 200" 200 "$CODE"
check "metadata: scanner vigil, both vulnerability media types, SPDX and CycloneDX SBOMs" jq -e --arg a "$MT_V11" --arg b "$MT_V10" '
	.scanner.name == "vigil" and
	(.capabilities[] | select(.type == "vulnerability") | .produces_mime_types | index($a) and index($b)) and
	(.capabilities[] | select(.type == "sbom") | .additional_attributes.sbom_media_types | length == 2)' "$T/meta.json" >/dev/null
check "metadata: the database's update time" jq -e '.properties["harbor.scanner-adapter/vulnerability-database-updated-at"] | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")' "$T/meta.json" >/dev/null
call meta-key GET /metadata /metadata -H "X-ScannerAdapter-API-Key: $TOKEN"
check_eq "metadata with Harbor's API key header: 200" 200 "$CODE"

# ---- scans ----
# scan NAME REGISTRY REPO DIGEST AUTHORIZATION [CAPABILITIES]: POST /scan; ID set
scan() {
	local body
	body=$(jq -nc --arg u "http://$2" --arg r "$3" --arg d "$4" --arg a "$5" --argjson caps "${6:-null}" '
		{registry: {url: $u, authorization: $a}, artifact: {repository: $r, digest: $d, tag: "t",
		 mime_type: "application/vnd.docker.distribution.manifest.v2+json"}}
		+ (if $caps == null then {} else {enabled_capabilities: $caps} end)')
	call "$1" POST /scan /scan "${AUTH[@]}" -H "Content-Type: $MT_REQ" --data-binary "$body"
	ID=$(jq -r '.id // empty' "$T/$1.json")
}
# poll NAME ID ACCEPT [query]: GET the report until it is not 302, honouring
# Refresh-After (as Harbor's client does); POLLS counts the 302s
poll() {
	local i ra
	POLLS=0
	for i in $(seq 1 60); do
		call "$1" GET "/scan/$2/report${4:-}" /scan/{scan_request_id}/report "${AUTH[@]}" -H "Accept: $3"
		[ "$CODE" = 302 ] || return 0
		POLLS=$((POLLS + 1))
		ra=$(awk -F': ' 'tolower($1) == "refresh-after" {sub(/\r$/, "", $2); print $2}' "$T/$1.h")
		[[ "$ra" =~ ^[0-9]+$ ]] || { fail "$1: a 302 without Refresh-After"; return 1; }
		sleep "$ra"
	done
}
# findings FILE: "package version id fix" of a Harbor report, sorted
findings() { jq -r '.vulnerabilities[] | [.package, .version, .id, (.fix_version // "")] | @tsv' "$1" | LC_ALL=C sort -u; }
# clair_findings FILE: the same of `vigil scan --format json` (Clair's VulnerabilityReport)
clair_findings() {
	jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[] |
		[$r.packages[$p].name, $r.packages[$p].version, $r.vulnerabilities[.].name,
		 ($r.vulnerabilities[.].fixed_in_version // "")] | @tsv' "$1" | LC_ALL=C sort -u
}

scan scan-alpine "$P" library/alpine "$AD" ""
check_eq "scan: 202" 202 "$CODE"
check "scan: an id" [ -n "$ID" ]
poll rep-alpine "$ID" "$MT_V11"
check_eq "alpine report (version 1.1): 200" 200 "$CODE"
check "alpine report: the artifact and scanner echoed" jq -e --arg d "$AD" '
	.artifact.digest == $d and .artifact.repository == "library/alpine" and .artifact.tag == "t" and .scanner.name == "vigil"' "$T/rep-alpine.json" >/dev/null
vrun scan-cli scan "$P/library/alpine@$AD" --insecure-registry --db "$DB" --format json
findings "$T/rep-alpine.json" >"$T/harbor-alpine.tsv"
clair_findings "$T/scan-cli.out" >"$T/cli-alpine.tsv"
vrun index-cli index "$P/library/alpine@$AD" --insecure-registry --db "$DB" --format json
jq -r '.packages[] | "\(.name)\t\(.version)"' "$T/index-cli.out" | LC_ALL=C sort -u >"$T/cli-pkgs.tsv"
check_same "alpine: the report's findings are vigil scan's" "$T/cli-alpine.tsv" "$T/harbor-alpine.tsv"
call rep-alpine10 GET "/scan/$ID/report" /scan/{scan_request_id}/report "${AUTH[@]}" -H "Accept: $MT_V10"
check_eq "alpine report (harbor+json 1.0): 200" 200 "$CODE"
findings "$T/rep-alpine10.json" >"$T/harbor-alpine10.tsv"
check_same "alpine: both media types, one report" "$T/harbor-alpine.tsv" "$T/harbor-alpine10.tsv"
for f in application/spdx+json application/vnd.cyclonedx+json; do
	n=sbom-${f##*/}
	call "$n" GET "/scan/$ID/report?sbom_media_type=${f/+/%2B}" /scan/{scan_request_id}/report "${AUTH[@]}" -H "Accept: $MT_SBOM"
	check_eq "alpine SBOM $f: 200" 200 "$CODE"
	check "alpine SBOM $f: packages with purls" jq -e --arg f "$f" '.media_type == $f and
		([.sbom.packages[]?.externalRefs[]?.referenceLocator, .sbom.components[]?.purl] | map(select(. != null))
		 | any(startswith("pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4")))' "$T/$n.json" >/dev/null
	jq -r '[.sbom.packages[]? | select(.primaryPackagePurpose == "LIBRARY")], [.sbom.components[]? | select(.type == "library")]
		| .[] | "\(.name)\t\(.versionInfo // .version)"' "$T/$n.json" | LC_ALL=C sort -u >"$T/$n.tsv"
	check_same "alpine SBOM $f: the packages vigil index finds" "$T/cli-pkgs.tsv" "$T/$n.tsv"
done
call sbom-noparam GET "/scan/$ID/report" /scan/{scan_request_id}/report "${AUTH[@]}" -H "Accept: $MT_SBOM"
check_eq "SBOM without sbom_media_type: 400" 400 "$CODE"
call rep-accept GET "/scan/$ID/report" /scan/{scan_request_id}/report "${AUTH[@]}" -H "Accept: text/html"
check_eq "an Accept not produced: 400" 400 "$CODE"
call rep-unknown GET /scan/00000000-0000-4000-8000-000000000000/report /scan/{scan_request_id}/report "${AUTH[@]}" -H "Accept: $MT_V11"
check_eq "an unknown id: 404" 404 "$CODE"

# same_as_cli NAME REPO DIGEST: a scan of P/REPO@DIGEST (vulnerability
# only) whose report's findings are `vigil scan`'s; MIN: findings at least
same_as_cli() {
	scan "scan-$1" "$P" "$2" "$3" "" '[{"type": "vulnerability", "produces_mime_types": ["'"$MT_V11"'"]}]'
	check_eq "$1 scan: 202" 202 "$CODE"
	poll "rep-$1" "$ID" "$MT_V11"
	check_eq "$1 report: 200" 200 "$CODE"
	vrun "cli-$1" scan "$P/$2@$3" --insecure-registry --db "$DB" --format json
	findings "$T/rep-$1.json" >"$T/harbor-$1.tsv"
	clair_findings "$T/cli-$1.out" >"$T/cli-$1.tsv"
	check_same "$1: the report's findings are vigil scan's" "$T/cli-$1.tsv" "$T/harbor-$1.tsv"
	check "$1: at least $4 findings ($(wc -l <"$T/harbor-$1.tsv"))" [ "$(wc -l <"$T/harbor-$1.tsv")" -ge "$4" ]
}
same_as_cli debian demo/debian "$DD" 0
same_as_cli ubuntu pkgdb/ubuntu "$UD" 100
same_as_cli alpine34 pkgdb/alpine "$A4" 10
check "ubuntu: CVE-2020-1712 in libsystemd0 fixed in 237-3ubuntu10.38" grep -qP '^libsystemd0\t[^\t]+\tCVE-2020-1712\t237-3ubuntu10.38$' "$T/harbor-ubuntu.tsv"
check "ubuntu: severities on Harbor's scale, a top severity" jq -e '.severity != "Unknown" and
	([.vulnerabilities[].severity] | all(. as $s | ["Unknown", "Low", "Medium", "High", "Critical"] | index($s)))' "$T/rep-ubuntu.json"
call sbom-notenabled GET "/scan/$ID/report?sbom_media_type=application%2Fspdx%2Bjson" /scan/{scan_request_id}/report "${AUTH[@]}" -H "Accept: $MT_SBOM"
check_eq "an SBOM the scan did not enable: 400" 400 "$CODE"

# ---- Harbor's Authorization, verbatim ----
scan scan-basic "$B" library/alpine "$BD" "Basic $(printf '%s' 'robot:r0bot pass' | base64 -w0)"
poll rep-basic "$ID" "$MT_V11"
check_eq "htpasswd registry, Basic robot credentials: 200" 200 "$CODE"
findings "$T/rep-basic.json" >"$T/harbor-basic.tsv"
check_same "htpasswd registry: the same findings" "$T/harbor-alpine.tsv" "$T/harbor-basic.tsv"

BEARER=$(curl -sf -u 'bob:t0ken pass' "http://$TOK/token?service=vigil-test&scope=repository:library/alpine:pull" | jq -r .token)
check "a token from the registry's token service" [ -n "$BEARER" ]
before=$(curl -sf "http://$TOK/_stats" | jq -r '[.issued[]] | add // 0')
scan scan-bearer "$K" library/alpine "$KD" "Bearer $BEARER"
poll rep-bearer "$ID" "$MT_V11"
check_eq "token registry, Harbor's Bearer token: 200" 200 "$CODE"
findings "$T/rep-bearer.json" >"$T/harbor-bearer.tsv"
check_same "token registry: the same findings" "$T/harbor-alpine.tsv" "$T/harbor-bearer.tsv"
check_eq "the Bearer token used as given (no token fetched)" "$before" "$(curl -sf "http://$TOK/_stats" | jq -r '[.issued[]] | add // 0')"
scan scan-tokbasic "$K" library/alpine "$KD" "Basic $(printf '%s' 'bob:t0ken pass' | base64 -w0)"
poll rep-tokbasic "$ID" "$MT_V11"
check_eq "token registry, Basic credentials taken to the token server: 200" 200 "$CODE"

# ---- failures ----
scan scan-badtoken "$K" library/alpine "$KD" "Bearer not-a-valid-token-xyz"
poll rep-badtoken "$ID" "$MT_V11"
check_eq "a token the registry refuses: 500" 500 "$CODE"
check "the 500 says why, without the token" jq -e '(.error.message | test("refused the bearer token")) and
	(.error.message | contains("not-a-valid-token-xyz") | not)' "$T/rep-badtoken.json" >/dev/null
scan scan-nodigest "$P" library/alpine "sha256:$(printf '%064d' 0)" ""
poll rep-nodigest "$ID" "$MT_V11"
check_eq "an unknown digest: 500" 500 "$CODE"
call bad-json POST /scan /scan "${AUTH[@]}" --data-binary '{"registry":'
check_eq "a body that is not JSON: 400" 400 "$CODE"
call bad-field POST /scan /scan "${AUTH[@]}" --data-binary '{"registry": {"url": "http://x"}, "artifact": {"repository": "a"}}'
check_eq "a missing artifact.digest: 422" 422 "$CODE"
check "422 names the field" jq -e '.error.message | contains("artifact.digest")' "$T/bad-field.json" >/dev/null
check "the server logged no credential" bash -c "! grep -qE 'r0bot|t0ken|$BEARER|not-a-valid' '$T/h.err'"

# ---- the fetch policy holds for the registries Harbor names ----
printf 'harbor:\n  token: %s\nindexer:\n  fetch:\n    deny: [127.0.0.0/8]\n' "$TOKEN" >"$T/deny.yaml"
DP=$(free_port)
start_node deny "$DB" --config "$T/deny.yaml" --harbor-listen "127.0.0.1:$DP"
HH=$H
H=http://127.0.0.1:$DP/api/v1
scan scan-deny "$P" library/alpine "$AD" ""
poll rep-deny "$ID" "$MT_V11"
check_eq "indexer.fetch.deny covers registry.url: the scan fails (500)" 500 "$CODE"
check "the 500 names the refusal" jq -e '.error.message | test("refused by the address policy")' "$T/rep-deny.json" >/dev/null
note "$(jq -r .error.message "$T/rep-deny.json")"
kill -TERM "$NODE_deny_PID"
wait "$NODE_deny_PID"
H=$HH

# ---- shutdown: a scan still waiting or running, then SIGTERM ----
scan scan-last "$P" pkgdb/ubuntu "$UD" ""
kill -TERM "$NODE_h_PID"
rc=0
wait "$NODE_h_PID" || rc=$?
check_eq "SIGTERM with a scan in hand: exit 0" 0 "$rc"
check "the server stopped cleanly" grep -q 'stopped' "$T/h.err"
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$T/h.err"; then
	fail "serve: sanitizer report"
	grep -A 12 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$T/h.err" | head -40
fi

# ---- schemathesis: Harbor's spec against a live listener ----
# It POSTs the spec's examples and random ScanRequests, whose registry.url
# (https://core.harbor.domain ...) vigil would then resolve and pull from:
# so it runs, with a vigil of its own, in a network namespace that has
# only a loopback (unshare -n): nothing it makes vigil do can leave.
# Every check but positive_data_acceptance: the schema marks no member
# required, while the operation (and Harbor, and the Trivy adapter) needs
# registry.url, artifact.repository and artifact.digest: those are 422,
# which the spec declares.
st_run() {
	ip link set lo up || return 2
	"$VIGIL" serve --listen "127.0.0.1:$1" --introspection-listen "127.0.0.1:$2" --db "$T/st.db" \
		--config "$T/vigil.yaml" --harbor-listen "127.0.0.1:$3" >"$T/st-serve.out" 2>"$T/st-serve.err" &
	local pid=$! rc i
	for i in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$2/healthz" && break; sleep 0.1; done
	(cd "$T" && "$TOOL" run "$SPEC" --url "http://127.0.0.1:$3/api/v1" -H "Authorization: Bearer $TOKEN" \
		--checks all --exclude-checks positive_data_acceptance --max-examples 60 --workers 1 --seed 1 \
		>"$T/st.out" 2>&1) # its cache (.schemathesis/) in the scratch folder
	rc=$?
	kill "$pid"
	wait "$pid"
	return $rc
}
if [ -n "${VIGIL_IT_NO_SCHEMATHESIS:-}" ]; then
	note "schemathesis left out (VIGIL_IT_NO_SCHEMATHESIS)"
elif ! unshare -n true 2>/dev/null; then
	note "schemathesis left out: no network namespace here (unshare -n) to keep its requests on loopback"
else
	st_rc=0
	TOOL=$(VIGIL_BUILD_DIR=${VIGIL_BUILD_DIR:-$SRC/build} "$SRC/scripts/tools.sh" path schemathesis 2>"$T/st-install.err") || st_rc=$?
	if [ "$st_rc" = 77 ]; then
		note "schemathesis cannot be installed here: $(tail -n 2 "$T/st-install.err")"
	elif [ "$st_rc" != 0 ]; then
		fail "installing schemathesis: $(tail -n 5 "$T/st-install.err")"
	else
		export -f st_run
		export VIGIL T TOOL SPEC TOKEN
		unshare -n bash -c 'st_run "$@"' st "$(free_port)" "$(free_port)" "$(free_port)"
		st=$?
		check_eq "schemathesis (every check): no 5xx, every answer conforms ($(grep -oE '[0-9]+ generated' "$T/st.out"))" 0 "$st"
		[ "$st" = 0 ] || tail -n 60 "$T/st.out"
		check "schemathesis: no sanitizer report from its server" bash -c "! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' '$T/st-serve.err'"
	fi
fi
it_done
