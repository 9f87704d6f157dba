#!/bin/bash
# tests/integration/test_client_klar.sh: the real klar (optiopay/klar,
# pinned in scripts/tools.lock, built by scripts/tools.sh) against vigil's
# Clair v1 API. The images of lib/v1clients.sh are pushed with skopeo (as
# Docker schema 2, the only manifest klar reads) to Debian's docker-registry
# on 127.0.0.1: the Alpine 3.4 package database as a one-layer image
# (findings against the Alpine secdb), the Ubuntu 18.04 one (107 findings of
# several severities against the Ubuntu tracker), the shared Alpine 3.10.4
# docker-archive (none) and the Debian demo image (oci:v2). klar pulls
# the manifest,
# POSTs every layer to vigil with the registry's blob URL (and, with token
# auth, its bearer token in Headers.Authorization), then GETs the last
# layer ?vulnerabilities. Its JSON output (FORMAT_OUTPUT=json) must list the
# same (package, vulnerability) pairs as `vigil scan` of the same image on
# the same store, and its exit code must follow CLAIR_THRESHOLD (1 when the
# findings at or above CLAIR_OUTPUT outnumber it, else 0). Once against a
# registry without auth, once against a token-auth registry (DOCKER_USER,
# DOCKER_PASSWORD) where vigil fetches the blobs with klar's token.
# Everything listens on 127.0.0.1 and is killed by PID at the end.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/serve.sh"
. "$(dirname "$0")/lib/registry.sh"
. "$(dirname "$0")/lib/tools.sh"
. "$(dirname "$0")/lib/v1clients.sh"
reg_need
need_tool klar
KLAR=$TOOL
v1c_images
v1c_store klar
start_node api "$DB" || it_done

# klar's JSON output: {LayerCount, Vulnerabilities: {Severity: [{Name, FeatureName, ...}]}}
klarpairs() {
	jq -r '.Vulnerabilities // {} | .[] // [] | .[] | [.FeatureName, .Name] | @tsv' "$1" | LC_ALL=C sort -u
}
klarcount() { jq '[.Vulnerabilities // {} | .[] // [] | .[]] | length' "$1"; }

# klar NAME IMAGE [VAR=VALUE...]: runs klar; stdout in $T/klar-NAME.json,
# stderr in $T/klar-NAME.err, its exit code in KRC
klar() {
	local name=$1 image=$2
	shift 2
	KRC=0
	env CLAIR_ADDR="$NODE_API" REGISTRY_INSECURE=true FORMAT_OUTPUT=json CLAIR_TIMEOUT=2 "$@" \
		timeout 300 "$KLAR" "$image" >"$T/klar-$name.json" 2>"$T/klar-$name.err" || KRC=$?
}

# one image: klar's findings = vigil scan's; the threshold decides the exit
one_image() { # LABEL REF SCANREF [klar env...]
	local label=$1 ref=$2 scanref=$3 n
	shift 3
	vrun "scan-$label" scan "$scanref" --db "$DB" --format json -q
	expect_rc "scan-$label" 0
	v4pairs "$T/scan-$label.out" >"$T/scan-$label.tsv"
	n=$(wc -l <"$T/scan-$label.tsv")
	klar "$label" "$ref" CLAIR_THRESHOLD=1000000 "$@"
	check_eq "$label: klar exits 0 under the threshold" 0 "$KRC" || true
	[ "$KRC" = 0 ] || head -n 20 "$T/klar-$label.err"
	klarpairs "$T/klar-$label.json" >"$T/klar-$label.tsv"
	check_same "$label: klar's findings = vigil scan's ($n)" "$T/scan-$label.tsv" "$T/klar-$label.tsv"
	# and each finding's fields as klar decoded them: severity, fixed-by,
	# description, link (vigil's first) and the installed version
	jq -r '.Vulnerabilities[][] | [.FeatureName, .Name, .FeatureVersion, .Severity, (.FixedBy // ""),
		(.Description // ""), (.Link // "")] | @tsv' "$T/klar-$label.json" | LC_ALL=C sort >"$T/klarf-$label.tsv"
	jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[] | $r.vulnerabilities[.] as $v
		| [$r.packages[$p].name, $v.name, $r.packages[$p].version, $v.normalized_severity, $v.fixed_in_version,
		   $v.description, (($v.links // "") | split(" ") | .[0] // "")] | @tsv' "$T/scan-$label.out" |
		LC_ALL=C sort >"$T/scanf-$label.tsv"
	check_same "$label: each finding's fields = vigil scan's" "$T/scanf-$label.tsv" "$T/klarf-$label.tsv"
	KN=$(klarcount "$T/klar-$label.json")
}

# ---- a registry without auth ----
reg_start plain
PLAIN=127.0.0.1:$RPORT
reg_push "docker-archive:$ALPINE34" "$PLAIN/alpine:3.4" --format v2s2
reg_push "docker-archive:$ALPINE310" "$PLAIN/alpine:3.10" --format v2s2
reg_push "docker-archive:$UBUNTU" "$PLAIN/ubuntu:18.04" --format v2s2
reg_push "oci:$DEMO" "$PLAIN/demo:v2" --format v2s2

one_image alpine "$PLAIN/alpine:3.4" "docker-archive:$ALPINE34"
check "alpine: findings reported" test "$KN" -gt 0
# JSON_OUTPUT=true (its README's switch) gives the same as FORMAT_OUTPUT=json
klar alpine-jo "$PLAIN/alpine:3.4" FORMAT_OUTPUT= JSON_OUTPUT=true CLAIR_THRESHOLD=1000000
check_same "alpine: JSON_OUTPUT=true: the same findings" "$T/klar-alpine.tsv" <(klarpairs "$T/klar-alpine-jo.json")
klar alpine-th "$PLAIN/alpine:3.4" CLAIR_THRESHOLD=$((KN - 1))
check_eq "alpine: CLAIR_THRESHOLD=$((KN - 1)) (one under the $KN findings): exit 1" 1 "$KRC"
klar alpine-th2 "$PLAIN/alpine:3.4" CLAIR_THRESHOLD=$KN
check_eq "alpine: CLAIR_THRESHOLD=$KN: exit 0" 0 "$KRC"
# the Ubuntu image has findings of several severities: CLAIR_OUTPUT=Medium
# counts Medium and above only, and the threshold applies to those
one_image ubuntu "$PLAIN/ubuntu:18.04" "docker-archive:$UBUNTU"
check_eq "ubuntu: 107 findings" 107 "$KN"
med=$(jq '[.Vulnerabilities | (.Medium // []), (.High // []), (.Critical // []), (.Defcon1 // []) | .[]] | length' \
	"$T/klar-ubuntu.json")
check "ubuntu: some findings below Medium, some at or above" test "$med" -gt 0 -a "$med" -lt "$KN"
klar ubuntu-med "$PLAIN/ubuntu:18.04" CLAIR_OUTPUT=Medium CLAIR_THRESHOLD=$((med - 1))
check_eq "ubuntu: CLAIR_OUTPUT=Medium reports the $med at or above Medium" "$med" "$(klarcount "$T/klar-ubuntu-med.json")"
check_eq "ubuntu: CLAIR_OUTPUT=Medium CLAIR_THRESHOLD=$((med - 1)): exit 1" 1 "$KRC"
klar ubuntu-med2 "$PLAIN/ubuntu:18.04" CLAIR_OUTPUT=Medium CLAIR_THRESHOLD=$med
check_eq "ubuntu: CLAIR_OUTPUT=Medium CLAIR_THRESHOLD=$med: exit 0" 0 "$KRC"
check "ubuntu: each finding under vigil's severity" jqok -n --slurpfile k "$T/klar-ubuntu.json" \
	--slurpfile s "$T/scan-ubuntu.out" '
	([$k[0].Vulnerabilities | to_entries[] | .key as $sev | .value[] | {key: (.FeatureName + " " + .Name), value: $sev}]
		| from_entries) as $kv
	| $s[0] as $r | [$r.package_vulnerabilities | to_entries[] | .key as $p | .value[]
		| {k: ($r.packages[$p].name + " " + $r.vulnerabilities[.].name), s: $r.vulnerabilities[.].normalized_severity}]
	| all(($kv[.k] // "?") == .s)'
clair2_sev() {
	jq -e '.Vulnerabilities | keys | all(. == "Unknown" or . == "Negligible" or . == "Low"
		or . == "Medium" or . == "High" or . == "Critical" or . == "Defcon1")' "$1" >/dev/null
}
check "ubuntu: Clair 2 severities only" clair2_sev "$T/klar-ubuntu.json"

one_image alpine310 "$PLAIN/alpine:3.10" "docker-archive:$ALPINE310"
one_image demo "$PLAIN/demo:v2" "oci:$DEMO"
check_eq "demo: klar's LayerCount = the manifest's layers" \
	"$(skopeo inspect --tls-verify=false --raw "docker://$PLAIN/demo:v2" | jq '.layers | length')" \
	"$(jq '.LayerCount' "$T/klar-demo.json")"

# ---- a token-auth registry: vigil fetches the blobs with klar's bearer token ----
reg_start_token tok alice:s3cret
TREG=127.0.0.1:$RPORT
reg_push "docker-archive:$ALPINE34" "$TREG/alpine:3.4" --format v2s2 --dest-creds alice:s3cret
klar tok-anon "$TREG/alpine:3.4" CLAIR_THRESHOLD=1000000
check "token registry, no credentials: klar fails (exit $KRC)" test "$KRC" != 0
one_image tok "$TREG/alpine:3.4" "docker-archive:$ALPINE34" DOCKER_USER=alice DOCKER_PASSWORD=s3cret
klar tok-th "$TREG/alpine:3.4" DOCKER_USER=alice DOCKER_PASSWORD=s3cret CLAIR_THRESHOLD=$((KN - 1))
check_eq "token registry: one under the threshold: exit 1" 1 "$KRC"
# ---- a Basic-auth registry (htpasswd): klar hands vigil its Basic header ----
if command -v htpasswd >/dev/null 2>&1; then
	htpasswd -Bbn bob 'pa ss:1' >"$T/htpasswd" 2>/dev/null
	reg_start basic "auth:
  htpasswd:
    realm: vigil-test
    path: $T/htpasswd"
	BREG=127.0.0.1:$RPORT
	reg_push "docker-archive:$ALPINE34" "$BREG/alpine:3.4" --format v2s2 --dest-creds 'bob:pa ss:1'
	one_image basic "$BREG/alpine:3.4" "docker-archive:$ALPINE34" DOCKER_USER=bob 'DOCKER_PASSWORD=pa ss:1'
	check "vigil's log holds no Basic credentials" bash -c "! grep -qF '$(printf 'bob:pa ss:1' | base64 -w0)' '$T/api.err'"
else
	note "htpasswd is missing (apache2-utils): the Basic-auth registry is not tried"
fi
check "vigil's log holds no token" bash -c "! grep -q 'Bearer [A-Za-z0-9_-]\{20,\}' '$T/api.err'"

v1c_stop "$NODE_PID" "$T/api.err"
it_done
