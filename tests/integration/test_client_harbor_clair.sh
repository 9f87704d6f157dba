#!/bin/bash
# tests/integration/test_client_harbor_clair.sh: the real harbor-scanner-clair
# (goharbor/harbor-scanner-clair, the adapter in front of Clair 2's v1 API that
# Harbor 1.10 to 2.x used; pinned in scripts/tools.lock) pointed at vigil's v1
# API, with its Redis store (Debian's redis-server on a free port of
# 127.0.0.1, no persistence). Harbor's side is played with curl, as Harbor's
# scanner API has it: POST /api/v1/scan {registry: {url, authorization},
# artifact: {repository, digest, mime_type}} answers 202 {id}; GET
# /api/v1/scan/{id}/report with Accept
# `application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0`
# answers 302 while the job runs, then 200 with the report. The adapter reads
# the manifest from the registry, POSTs every layer to vigil with the blob URL
# and Harbor's Authorization (layer names chained as sha256 of the digests),
# then GETs the last ?features&vulnerabilities. The report's (package, id)
# pairs must equal `vigil scan`'s of the same image, and its overall severity
# the highest one found. Images of lib/v1clients.sh on Debian's
# docker-registry: without auth, and with token auth where Harbor's bearer
# token (pull scope, from the registry's token server) is all vigil gets.
# Everything is killed by PID at the end.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/serve.sh"
. "$(dirname "$0")/lib/registry.sh"
. "$(dirname "$0")/lib/tools.sh"
. "$(dirname "$0")/lib/v1clients.sh"
reg_need
if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 || true
fi
command -v redis-server >/dev/null 2>&1 || skip "redis-server is missing (apt-get install redis-server)"
need_tool harbor-scanner-clair
ADAPTER=$TOOL
v1c_images
v1c_store harbor
start_node api "$DB" || it_done

RP=$(free_port)
redis-server --bind 127.0.0.1 --port "$RP" --save '' --appendonly no --daemonize no \
	--dir "$T" >"$T/redis.log" 2>&1 &
PIDS+=($!)
AP=$(free_port)
SCANNER_API_SERVER_ADDR=127.0.0.1:$AP SCANNER_CLAIR_URL=$NODE_API \
	SCANNER_STORE_REDIS_URL=redis://127.0.0.1:$RP SCANNER_LOG_LEVEL=debug \
	"$ADAPTER" >"$T/adapter.log" 2>&1 &
PIDS+=($!)
ADP=http://127.0.0.1:$AP
up=0
for _ in $(seq 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$ADP/probe/ready")" = 200 ] && { up=1; break; }
	sleep 0.1
done
[ "$up" = 1 ] || { fail "the adapter did not come up: $(tail -n 5 "$T/adapter.log")"; it_done; }

REPORT='application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0'
code=$(curl -s -o "$T/meta.json" -w '%{http_code}' "$ADP/api/v1/metadata")
check_eq "GET /api/v1/metadata: 200" 200 "$code"
check "metadata: consumes Docker schema 2 manifests, produces Harbor's report" jqok \
	'[.capabilities[].consumes_mime_types[]] | index("application/vnd.docker.distribution.manifest.v2+json") != null' "$T/meta.json"

# harbor_scan LABEL REGISTRY REPO DIGEST AUTHORIZATION: the report in
# $T/hr-LABEL.json, the last status in HCODE after HPOLLS polls
harbor_scan() {
	local label=$1 reg=$2 repo=$3 digest=$4 auth=$5 id c i
	jq -n --arg u "http://$reg" --arg a "$auth" --arg r "$repo" --arg d "$digest" \
		'{registry: {url: $u, authorization: $a},
		  artifact: {repository: $r, digest: $d, mime_type: "application/vnd.docker.distribution.manifest.v2+json"}}' \
		>"$T/req-$label.json"
	c=$(curl -s -o "$T/acc-$label.json" -w '%{http_code}' -X POST "$ADP/api/v1/scan" \
		-H 'Content-Type: application/vnd.scanner.adapter.scan.request+json; version=1.0' \
		-H "Accept: application/vnd.scanner.adapter.scan.response+json; version=1.0" \
		--data-binary "@$T/req-$label.json")
	check_eq "$label: POST /api/v1/scan: 202" 202 "$c"
	id=$(jq -r '.id // empty' "$T/acc-$label.json")
	c=000
	for i in $(seq 300); do
		c=$(curl -s -o "$T/hr-$label.json" -w '%{http_code}' -H "Accept: $REPORT" "$ADP/api/v1/scan/$id/report")
		[ "$c" = 302 ] || break
		sleep 0.2
	done
	HCODE=$c
	HPOLLS=$i
}

# one_image LABEL REGISTRY REPO:TAG SCANREF AUTHORIZATION [skopeo creds...]
one_image() {
	local label=$1 reg=$2 ref=$3 scanref=$4 auth=$5 digest n
	shift 5
	digest=sha256:$(skopeo inspect --tls-verify=false --raw "$@" "docker://$reg/$ref" | sha256sum | cut -d' ' -f1)
	vrun "scan-$label" scan "$scanref" --db "$DB" --format json -q
	expect_rc "scan-$label" 0
	v4pairs "$T/scan-$label.out" >"$T/scan-$label.tsv"
	n=$(wc -l <"$T/scan-$label.tsv")
	harbor_scan "$label" "$reg" "${ref%%:*}" "$digest" "$auth"
	check_eq "$label: GET /api/v1/scan/{id}/report: 200 after $HPOLLS polls" 200 "$HCODE"
	[ "$HCODE" = 200 ] || { head -c 400 "$T/hr-$label.json"; echo; tail -n 5 "$T/adapter.log"; }
	jq -r '.vulnerabilities // [] | .[] | [.package, .id] | @tsv' "$T/hr-$label.json" | LC_ALL=C sort -u >"$T/hr-$label.tsv"
	check_same "$label: the adapter's report = vigil scan's findings ($n)" "$T/scan-$label.tsv" "$T/hr-$label.tsv"
	check_eq "$label: the report names the artifact" "$digest" "$(jq -r '.artifact.digest' "$T/hr-$label.json")"
	# the overall severity: the highest of the findings, None when there are none
	check_eq "$label: the report's overall severity" \
		"$(jq -r '[.vulnerabilities // [] | .[].severity] as $s
			| (["Critical", "High", "Medium", "Low", "Negligible", "Unknown"] | map(select(. as $x | $s | index($x))) | .[0]) // "None"' \
			"$T/hr-$label.json")" "$(jq -r '.severity' "$T/hr-$label.json")"
}

# ---- a registry without auth ----
reg_start plain
PLAIN=127.0.0.1:$RPORT
reg_push "docker-archive:$ALPINE34" "$PLAIN/alpine:3.4" --format v2s2
reg_push "docker-archive:$ALPINE310" "$PLAIN/alpine:3.10" --format v2s2
reg_push "docker-archive:$UBUNTU" "$PLAIN/ubuntu:18.04" --format v2s2
reg_push "oci:$DEMO" "$PLAIN/demo:v2" --format v2s2
one_image alpine "$PLAIN" alpine:3.4 "docker-archive:$ALPINE34" ""
check "alpine: findings reported" test "$(wc -l <"$T/hr-alpine.tsv")" -gt 0
one_image alpine310 "$PLAIN" alpine:3.10 "docker-archive:$ALPINE310" ""
one_image ubuntu "$PLAIN" ubuntu:18.04 "docker-archive:$UBUNTU" ""
check_eq "ubuntu: 107 findings" 107 "$(jq '.vulnerabilities | length' "$T/hr-ubuntu.json")"
check_eq "ubuntu: the report's severity = the highest of vigil scan's" \
	"$(jq -r '[.vulnerabilities[].normalized_severity] as $s | ["Critical", "High", "Medium", "Low", "Negligible", "Unknown"]
		| map(select(. as $x | $s | index($x))) | .[0]' "$T/scan-ubuntu.out")" "$(jq -r '.severity' "$T/hr-ubuntu.json")"
check "ubuntu: severities kept per finding (as vigil's v1 answer)" jqok -n \
	--slurpfile h "$T/hr-ubuntu.json" --slurpfile s "$T/scan-ubuntu.out" '
	($h[0].vulnerabilities | map({key: (.package + " " + .id), value: .severity}) | from_entries) as $hv
	| $s[0] as $r | [$r.package_vulnerabilities | to_entries[] | .key as $p | .value[]
		| {k: ($r.packages[$p].name + " " + $r.vulnerabilities[.].name), s: $r.vulnerabilities[.].normalized_severity}]
	| all(($hv[.k] // "?") == .s)'
# the same image under another repository: the adapter names layers by their
# digests only, so it posts the same names with another Path (vigil fetches
# the new Path and re-binds the name, docs/compat.md); a rescan of the first
reg_push "docker-archive:$ALPINE34" "$PLAIN/mirror/alpine:3.4" --format v2s2
one_image alpine-mirror "$PLAIN" mirror/alpine:3.4 "docker-archive:$ALPINE34" ""
one_image alpine-again "$PLAIN" alpine:3.4 "docker-archive:$ALPINE34" ""
# Harbor's "scan on push" of several repositories at once: the adapter's
# workers post the same layer names with other Paths concurrently
for i in 1 2 3; do
	reg_push "docker-archive:$ALPINE34" "$PLAIN/r$i/alpine:3.4" --format v2s2
	reg_push "docker-archive:$UBUNTU" "$PLAIN/r$i/ubuntu:18.04" --format v2s2
done
adig=sha256:$(skopeo inspect --tls-verify=false --raw "docker://$PLAIN/alpine:3.4" | sha256sum | cut -d' ' -f1)
udig=sha256:$(skopeo inspect --tls-verify=false --raw "docker://$PLAIN/ubuntu:18.04" | sha256sum | cut -d' ' -f1)
JOBS=()
for i in 1 2 3; do
	for im in alpine ubuntu; do
		dig=$adig
		[ "$im" = ubuntu ] && dig=$udig
		jq -n --arg u "http://$PLAIN" --arg r "r$i/$im" --arg d "$dig" \
			'{registry: {url: $u, authorization: ""}, artifact: {repository: $r, digest: $d,
			  mime_type: "application/vnd.docker.distribution.manifest.v2+json"}}' >"$T/req-c$i$im.json"
		curl -s -o "$T/acc-c$i$im.json" -X POST "$ADP/api/v1/scan" \
			-H 'Content-Type: application/vnd.scanner.adapter.scan.request+json; version=1.0' \
			--data-binary "@$T/req-c$i$im.json" &
		JOBS+=($!)
	done
done
for p in "${JOBS[@]}"; do wait "$p"; done
allok=1
for i in 1 2 3; do
	for im in alpine ubuntu; do
		id=$(jq -r '.id // empty' "$T/acc-c$i$im.json")
		c=000
		for _ in $(seq 300); do
			c=$(curl -s -o "$T/hr-c$i$im.json" -w '%{http_code}' -H "Accept: $REPORT" "$ADP/api/v1/scan/$id/report")
			[ "$c" = 302 ] || break
			sleep 0.2
		done
		jq -r '.vulnerabilities // [] | .[] | [.package, .id] | @tsv' "$T/hr-c$i$im.json" 2>/dev/null |
			LC_ALL=C sort -u >"$T/hr-c$i$im.tsv"
		if [ "$c" != 200 ] || ! cmp -s "$T/hr-c$i$im.tsv" "$T/scan-$im.tsv"; then
			allok=0
			note "r$i/$im: $c $(head -c 300 "$T/hr-c$i$im.json")"
		fi
	done
done
check_eq "6 scans at once over 3 repositories: every report = vigil scan's" 1 "$allok"
# an OCI image manifest: the adapter's metadata says it consumes them, but
# its registry client asks for Docker schema 2 only, so the registry refuses
# it before vigil is asked (docs/compat.md)
reg_push "oci:$DEMO" "$PLAIN/oci/demo:v2"
odig=sha256:$(skopeo inspect --tls-verify=false --raw "docker://$PLAIN/oci/demo:v2" | sha256sum | cut -d' ' -f1)
harbor_scan ocidemo "$PLAIN" oci/demo "$odig" ""
check_eq "an OCI manifest: the job fails (500)" 500 "$HCODE"
check "an OCI manifest: the registry's refusal of the adapter's Accept, not vigil" \
	grep -q 'accept header does not support OCI manifests' "$T/hr-ocidemo.json"
one_image demo "$PLAIN" demo:v2 "oci:$DEMO" ""

# ---- a token-auth registry: Harbor's pull token is all vigil gets ----
reg_start_token tok alice:s3cret
TREG=127.0.0.1:$RPORT
reg_push "docker-archive:$ALPINE34" "$TREG/alpine:3.4" --format v2s2 --dest-creds alice:s3cret
token=$(curl -s -u alice:s3cret "http://$TOK/token?service=vigil-test&scope=repository:alpine:pull" | jq -r .token)
one_image tok "$TREG" alpine:3.4 "docker-archive:$ALPINE34" "Bearer $token" --creds alice:s3cret
# a token the registry refuses: the job fails (500), it does not hang
harbor_scan badtok "$TREG" alpine "$(jq -r '.artifact.digest' "$T/hr-tok.json")" "Bearer nope"
check_eq "a refused token: the report is 500 (the job failed)" 500 "$HCODE"
check "vigil's log holds no token" bash -c "! grep -qF -- '$token' '$T/api.err'"

v1c_stop "$NODE_PID" "$T/api.err"
it_done
