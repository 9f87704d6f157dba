#!/bin/bash
# tests/integration/test_client_clairctl_v1.sh: the Clair 2 era clairctl
# (jgsqware/clairctl v1.2.8, pinned in scripts/tools.lock, a GOPATH build of
# its vendored tree) against `vigil serve --config` with Clair 2's config file
# (clair.api.port and clair.api.healthport), as clairctl's own
# clairctl.yml points at a Clair 2 (clair.uri, clair.port, clair.healthPort).
# No Docker engine: images are pushed with skopeo to Debian's
# docker-registry on 127.0.0.1 (an insecure registry in clairctl.yml), and
# clairctl reads them from there (its `push` without --local: the manifest
# from the registry, every layer POSTed to vigil with the registry's blob
# URL). `health` must print ✔ (GET /health on the health port);
# `push` must succeed; `analyze` must count per severity what vigil scan
# finds and exit 1 when there are findings, 0 with --noFail and on a clean
# image; `report` must render vigil's findings in its HTML (each finding's
# popup: id, severity, package:version) and its JSON (the layers'
# Clair 2 envelopes). The (package, id) pairs must equal `vigil scan`'s of
# the same image. A token-auth registry too: clairctl's HEAD on the blob
# gets 401, it takes a token with the credentials of its Docker config
# file and hands it to vigil in Headers.Authorization. Everything listens
# on 127.0.0.1 and is killed by PID at the end.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/serve.sh"
. "$(dirname "$0")/lib/registry.sh"
. "$(dirname "$0")/lib/tools.sh"
. "$(dirname "$0")/lib/v1clients.sh"
reg_need
need_tool clairctl-v1
CC=$TOOL
v1c_images
v1c_store clairctl

# vigil with Clair 2's config file: the API and the health port
AP=$(free_port)
HP=$(free_port)
printf 'clair:\n  database:\n    type: pgsql\n    options:\n      source: %s\n  api:\n    port: %s\n    healthport: %s\n' \
	"$DB" "$AP" "$HP" >"$T/clair2.yaml"
"$VIGIL" serve --config "$T/clair2.yaml" >"$T/api.out" 2>"$T/api.err" &
SERVE_PIDS+=($!)
up=0
for _ in $(seq 300); do curl -fs -o /dev/null "http://127.0.0.1:$HP/health" && { up=1; break; }; sleep 0.1; done
[ "$up" = 1 ] || { fail "vigil serve --config did not come up: $(tail -n 5 "$T/api.err")"; it_done; }

reg_start plain
PLAIN=127.0.0.1:$RPORT
reg_start_token tok alice:s3cret
TREG=127.0.0.1:$RPORT
reg_push "docker-archive:$UBUNTU" "$PLAIN/ubuntu:18.04" --format v2s2
reg_push "docker-archive:$ALPINE34" "$PLAIN/alpine:3.4" --format v2s2
reg_push "oci:$DEMO" "$PLAIN/demo:v2" --format v2s2
reg_push "docker-archive:$ALPINE34" "$TREG/alpine:3.4" --format v2s2 --dest-creds alice:s3cret

# clairctl.yml as its clairctl.yml.default has it; HOME holds the Docker
# config file with the token registry's credentials
mkdir -p "$T/home/.docker"
jq -n --arg r "$TREG" --arg a "$(printf alice:s3cret | base64)" '{auths: {($r): {auth: $a}}}' \
	>"$T/home/.docker/config.json"
cat >"$T/clairctl.yml" <<YAML
clair:
  port: $AP
  healthPort: $HP
  uri: http://127.0.0.1
  report:
    path: $T/reports
    format: html
clairctl:
  ip: 127.0.0.1
  port: $(free_port)
docker:
  insecure-registries:
    - "$PLAIN"
    - "$TREG"
YAML
# cc NAME ARGS...: clairctl; stdout in $T/cc-NAME.out, stderr in .err, exit in CRC
cc() {
	local name=$1
	shift
	CRC=0
	(cd "$T" && HOME=$T/home DOCKER_CONFIG=$T/home/.docker timeout 300 "$CC" --config "$T/clairctl.yml" "$@") \
		>"$T/cc-$name.out" 2>"$T/cc-$name.err" || CRC=$?
}

cc health health
check_eq "health: exit 0" 0 "$CRC"
check "health: Clair ✔ (GET /health on clair.api.healthport)" grep -q 'Clair: ✔' "$T/cc-health.out"

# the HTML report's findings: PACKAGE<TAB>ID from each popup
html_pairs() {
	python3 - "$1" <<'PY' | LC_ALL=C sort -u
import re, sys
html = open(sys.argv[1]).read()
pop = re.compile(r'<div class="popup">\s*<div><strong>([^<]+)</strong></div>\s*<div>([^<]*)</div>\s*<div>([^<:]+):([^<]*)</div>')
for vid, sev, pkg, ver in pop.findall(html):
    print(f"{pkg}\t{vid}")
PY
}
# analyze's counts: SEVERITY COUNT lines; vigil scan's the same
cc_counts() { sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '$1 ~ /^[A-Za-z0-9]+:$/ && $2 ~ /^[0-9]+$/ {sub(":", "", $1); print $1, $2}' | LC_ALL=C sort; }
scan_counts() {
	jq -r '[.vulnerabilities[] as $v | .package_vulnerabilities[] | .[] | select(. == $v.id) | $v.normalized_severity]
		| group_by(.) | map("\(.[0]) \(length)") | .[]' "$1" | LC_ALL=C sort
}

# one_image LABEL REF SCANREF: push, analyze, report; findings = vigil scan's
one_image() {
	local label=$1 ref=$2 scanref=$3 n html
	vrun "scan-$label" scan "$scanref" --db "$DB" --format json -q
	expect_rc "scan-$label" 0
	v4pairs "$T/scan-$label.out" >"$T/scan-$label.tsv"
	n=$(wc -l <"$T/scan-$label.tsv")
	cc "push-$label" push "$ref"
	check_eq "$label: push: exit 0" 0 "$CRC"
	check "$label: push: 'has been pushed to Clair'" grep -q 'has been pushed to Clair' "$T/cc-push-$label.out"
	cc "analyze-$label" analyze "$ref"
	check_eq "$label: analyze: exit $([ "$n" -gt 0 ] && echo 1 || echo 0) ($n findings)" \
		"$([ "$n" -gt 0 ] && echo 1 || echo 0)" "$CRC"
	cc_counts "$T/cc-analyze-$label.out" | awk '$2 != 0' >"$T/cc-counts-$label.txt"
	check_same "$label: analyze's counts per severity = vigil scan's" <(scan_counts "$T/scan-$label.out") \
		"$T/cc-counts-$label.txt"
	cc "analyze-nofail-$label" analyze --noFail "$ref"
	check_eq "$label: analyze --noFail: exit 0" 0 "$CRC"
	cc "report-$label" report "$ref"
	check_eq "$label: report: exit 0" 0 "$CRC"
	html=$(sed -n 's/^HTML report at //p' "$T/cc-report-$label.out")
	check "$label: report: an HTML file ($html)" test -s "$html"
	html_pairs "$html" >"$T/html-$label.tsv"
	check_same "$label: the HTML report's findings = vigil scan's ($n)" "$T/scan-$label.tsv" "$T/html-$label.tsv"
	if [ "$n" -gt 0 ]; then
		check "$label: the HTML's total" grep -q "Total : $n vulnerabilities" "$html"
	fi
	cc "json-$label" report --format json "$ref"
	check_eq "$label: report --format json: exit 0" 0 "$CRC"
	# its JSON: {Registry, ImageName, Tag, Layers: [LayerEnvelope, the newest first]}
	jq -r '.Layers[0].Layer.Features // [] | .[] | .Name as $n | (.Vulnerabilities // [])[] | [$n, .Name] | @tsv' \
		"$(sed -n 's/^JSON report at //p' "$T/cc-json-$label.out")" | LC_ALL=C sort -u >"$T/json-$label.tsv"
	check_same "$label: the JSON report's findings = vigil scan's" "$T/scan-$label.tsv" "$T/json-$label.tsv"
}

one_image ubuntu "$PLAIN/ubuntu:18.04" "docker-archive:$UBUNTU"
check_eq "ubuntu: 107 findings" 107 "$(wc -l <"$T/html-ubuntu.tsv")"
one_image alpine "$PLAIN/alpine:3.4" "docker-archive:$ALPINE34"
one_image demo "$PLAIN/demo:v2" "oci:$DEMO"
one_image tok "$TREG/alpine:3.4" "docker-archive:$ALPINE34"
check_same "token registry: the same findings as without auth" "$T/html-alpine.tsv" "$T/html-tok.tsv"
check "vigil's log holds no token" bash -c "! grep -q 'Bearer [A-Za-z0-9_-]\{20,\}' '$T/api.err'"

# delete: clairctl DELETEs every layer, the newest first (200 wanted)
top=$(skopeo inspect --tls-verify=false --raw "docker://$PLAIN/demo:v2" | jq -r '.layers[-1].digest')
base=$(skopeo inspect --tls-verify=false --raw "docker://$PLAIN/demo:v2" | jq -r '.layers[0].digest')
check_eq "before delete: GET /v1/layers/<top layer>: 200" 200 "$(code GET "http://127.0.0.1:$AP/v1/layers/$top")"
cc delete delete "$PLAIN/demo:v2"
check_eq "delete: exit 0" 0 "$CRC"
check "delete: 'has been deleted from Clair'" grep -q 'has been deleted from Clair' "$T/cc-delete.out"
check "delete: no layer was 'Not found or already processed'" bash -c "! grep -q 'Not found' '$T/cc-delete.err'"
check_eq "after delete: the top layer is gone (404)" 404 "$(code GET "http://127.0.0.1:$AP/v1/layers/$top")"
check_eq "after delete: the base layer is gone (404)" 404 "$(code GET "http://127.0.0.1:$AP/v1/layers/$base")"
cc analyze-after analyze --noFail "$PLAIN/demo:v2"
check_eq "analyze after delete: the image is pushed again, exit 0" 0 "$CRC"

# vigil's health port down: clairctl says ✘
v1c_stop "${SERVE_PIDS[0]}" "$T/api.err"
cc health-down health
check "health with vigil stopped: Clair ✘" grep -q 'Clair: ✘' "$T/cc-health-down.out"

it_done
