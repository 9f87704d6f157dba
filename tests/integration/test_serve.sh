#!/bin/bash
# tests/integration/test_serve.sh: the Clair v4 API of `vigil serve` as
# clairctl drives it, with curl: a Manifest made with jq from the demo
# image's OCI manifest (oci:v2), its layers served by a python3 http.server
# on 127.0.0.1, POSTed, then GET index_report and vulnerability_report,
# compared with `vigil index` and `vigil scan` of the same image on the same
# database; the Ubuntu 18.04 root filesystem of scripts/make-pkgdb-rootfs.sh
# as a one-layer Manifest POSTed by 10 clients at once (indexed once,
# findings = vigil scan's); bad requests (malformed JSON, bad and unknown
# digests, file: URI, unreachable URI, wrong digest, body over the limit);
# the report in every other format (?format=, Accept: SARIF, CycloneDX,
# SPDX, HTML, JUnit, GitLab, flat, table; 400 for a bad format);
# index_state with ETag and 304 (the POST's answer carries that ETag); update_operation and update_diff; DELETE;
# /openapi/v1; introspection (/healthz, /readyz 503 on an empty store and
# 200 with data, /metrics); SIGTERM -> exit 0. Servers are killed by PID.
# Every API response the test receives is validated against
# docs/openapi.json (lib/openapi_check.py: the operation, the status, the
# Content-Type and the body's schema), and the Clair v4 answers against
# the real judges: the schema Quay bundles and Clair's types/v1 schemas. Stores come from newdb (lib/db.sh's
# vigil_db when present: PostgreSQL when VIGIL_TEST_PG is set).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/ubuntu/uct" ] || skip "no shared test data at $DATA"

# nodes, layer servers, free ports, newdb (lib/serve.sh); killed by PID at exit
. "$(dirname "$0")/lib/serve.sh"
wait_up() { for _ in $(seq 150); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
# start_server NAME DB -> SPID, API, INTRO
start_server() {
	local sp ip
	sp=$(free_port)
	ip=$(free_port)
	"$VIGIL" serve --listen "127.0.0.1:$sp" --introspection-listen "127.0.0.1:$ip" --db "$2" --threads 4 \
		>"$T/$1.out" 2>"$T/$1.err" &
	SPID=$!
	PIDS+=("$SPID")
	API=http://127.0.0.1:$sp
	INTRO=http://127.0.0.1:$ip
	wait_up "$ip" || fail "$1: the server did not come up: $(cat "$T/$1.err")"
}

# every API response is queued for the OpenAPI check (oa, oa_done)
. "$(dirname "$0")/lib/openapi.sh"
# code METHOD URL [curl args...]: the status; the body in $T/body (lib/openapi.sh)
code() { oa_req "$@"; }
# post_h URL FILE OUT: POST FILE with the headers in OUT.h; the status.
post_h() {
	local out
	: >"$3"
	out=$(curl -s -D "$3.h" -o "$3" -w '%{http_code} %{content_type}' -X POST "$1" \
		-H 'Content-Type: application/json' --data-binary "@$2")
	oa POST "$1" "${out%% *}" "$3" "${out#* }"
	echo "${out%% *}"
}

DB=$(newdb v)
vrun import db import "$DATA/feeds/ubuntu/uct" "$DATA/feeds/debian" --db "$DB"
expect_rc import 0

# ---- the layers, over HTTP ----
OCI=$IMAGES/oci
mkdir -p "$T/www"
WPORT=$(free_port)
(cd "$OCI/blobs" && exec python3 -m http.server "$WPORT" --bind 127.0.0.1 >/dev/null 2>&1) &
PIDS+=($!)
wait_http "$WPORT" || fail "the layer server did not come up"
MD=$(oci_manifest "$OCI" v2)
# the Manifest as clairctl sends it
jq -c --arg h "$MD" --arg base "http://127.0.0.1:$WPORT/" '{hash: $h, layers: [.layers[] |
	{hash: .digest, uri: ($base + (.digest | sub(":"; "/"))), headers: {"X-Test": ["1"]}}]}' \
	"$(blob "$OCI" "$MD")" >"$T/manifest.json"

start_server serve "$DB"
check "the log says where it listens" grep -q "listening on 127.0.0.1" "$T/serve.err"
check_eq "/healthz: 200" 200 "$(code GET "$INTRO/healthz")"
check_eq "/readyz with data: 200" 200 "$(code GET "$INTRO/readyz")"

# ---- the Debian image: index, then match ----
c=$(post_h "$API/indexer/api/v1/index_report" "$T/manifest.json" "$T/post.json")
check_eq "POST index_report: 201" 201 "$c"
check "POST index_report: Location names the report" grep -qi "^Location: /indexer/api/v1/index_report/$MD" "$T/post.json.h"
check "POST index_report: an IndexReport of the manifest" jq -e --arg h "$MD" \
	'.manifest_hash == $h and .state == "IndexFinished" and .success == true' "$T/post.json"
check_eq "GET index_report: 200" 200 "$(code GET "$API/indexer/api/v1/index_report/$MD")"
vrun index index "oci:$OCI:v2" --db "$DB" --format json -q
check_eq "GET index_report: the packages of vigil index" \
	"$(jq -c '[.packages[] | [.id, .name, .version]] | sort' "$T/index.out")" \
	"$(jq -c '[.packages[] | [.id, .name, .version]] | sort' "$T/body")"
check_eq "GET vulnerability_report: 200 (as Clair; clairctl accepts only 200 and 304)" 200 \
	"$(code GET "$API/matcher/api/v1/vulnerability_report/$MD")"
cp "$T/body" "$T/vr.json"
vrun scan scan "oci:$OCI:v2" --db "$DB" --format json -q
check_eq "Debian image: the VulnerabilityReport is vigil scan's" "$(jq -S -c . "$T/scan.out")" "$(jq -S -c . "$T/vr.json")"
code GET "$API/matcher/api/v1/vulnerability_report/$MD" >/dev/null
check_same "Debian image: a second GET (cached) answers the same" "$T/vr.json" "$T/body"
# ---- the same report in vigil's other formats (?format=, Accept) ----
VR=$API/matcher/api/v1/vulnerability_report/$MD
nfind=$(jq '[.package_vulnerabilities[] | length] | add // 0' "$T/vr.json")
check_eq "?format=table: 200" 200 "$(code GET "$VR?format=table")"
check "?format=table: the table's summary line" grep -q "^$nfind vulnerabilit" "$T/body"
check_eq "Accept: text/plain: 200" 200 "$(code GET "$VR" -H 'Accept: text/plain')"
check "Accept: text/plain: the table" grep -q "^image: $MD" "$T/body"
check_eq "Accept: application/json: Clair's" 200 "$(code GET "$VR" -H 'Accept: application/json')"
check_eq "Accept: application/json: the VulnerabilityReport" "$(jq -S -c . "$T/vr.json")" "$(jq -S -c . "$T/body")"
check_eq "Accept: image/png (not written): Clair's JSON" 200 "$(code GET "$VR" -H 'Accept: image/png')"
check "Accept: image/png: the VulnerabilityReport" jq -e --arg h "$MD" '.manifest_hash == $h' "$T/body"
check_eq "?format=sarif: 200" 200 "$(code GET "$VR?format=sarif")"
check "?format=sarif: SARIF 2.1.0" jq -e '.version == "2.1.0" and (.runs | length == 1)' "$T/body"
check_eq "Accept: application/vnd.cyclonedx+json: 200" 200 "$(code GET "$VR" -H 'Accept: application/vnd.cyclonedx+json')"
check "Accept: application/vnd.cyclonedx+json: a CycloneDX BOM" jq -e '.bomFormat == "CycloneDX"' "$T/body"
check_eq "?format=spdx: 200" 200 "$(code GET "$VR?format=spdx")"
check "?format=spdx: SPDX 2.3" jq -e '.spdxVersion == "SPDX-2.3"' "$T/body"
check_eq "Accept: text/html: 200" 200 "$(code GET "$VR" -H 'Accept: text/html')"
check "Accept: text/html: a page" grep -qi '<!doctype html>' "$T/body"
check_eq "?format=junit: 200" 200 "$(code GET "$VR?format=junit")"
check "?format=junit: XML" python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$T/body"
check_eq "?format=gitlab: 200" 200 "$(code GET "$VR?format=gitlab")"
check_eq "?format=flat: 200" 200 "$(code GET "$VR?format=flat")"
check_eq "?format=bogus: 400" 400 "$(code GET "$VR?format=bogus")"
check "?format=bogus: the message names the formats" jq -e '.message | test("sarif")' "$T/body"
check_eq "?format=template: 400 (a server reads no template)" 400 "$(code GET "$VR?format=template")"

c=$(code POST "$API/indexer/api/v1/index_report" --data-binary "@$T/manifest.json")
check_eq "POST again: 201 from the store" 201 "$c"
check_eq "POST again: the same IndexReport" "$(jq -S -c . "$T/post.json")" "$(jq -S -c . "$T/body")"

# ---- the Ubuntu 18.04 root filesystem as one layer, 10 clients at once ----
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
UTAR=$T/www/ubuntu.tar.gz
tar -C "$T/fs/rootfs-ubuntu1804" -czf "$UTAR" .
UPORT=$(free_port)
(cd "$T/www" && exec python3 -m http.server "$UPORT" --bind 127.0.0.1 >/dev/null 2>&1) &
PIDS+=($!)
wait_http "$UPORT" || fail "the second layer server did not come up"
UD=sha256:$(sha256sum "$UTAR" | cut -d' ' -f1)
UM=sha256:$(printf 'ubuntu manifest %s' "$UD" | sha256sum | cut -d' ' -f1)
jq -n -c --arg h "$UM" --arg l "$UD" --arg u "http://127.0.0.1:$UPORT/ubuntu.tar.gz" \
	'{hash: $h, layers: [{hash: $l, uri: $u}]}' >"$T/um.json"
before=$(curl -s "$INTRO/metrics" | awk '$1 == "vigil_manifests_indexed_total" {print $2}')
CPIDS=()
for i in $(seq 10); do
	post_h "$API/indexer/api/v1/index_report" "$T/um.json" "$T/c$i.json" >"$T/c$i.code" &
	CPIDS+=($!)
done
for p in "${CPIDS[@]}"; do wait "$p"; done
wait_ok=1
for i in $(seq 10); do [ "$(cat "$T/c$i.code" 2>/dev/null)" = 201 ] || wait_ok=0; done
check_eq "10 concurrent POSTs of a new manifest: every one 201" 1 "$wait_ok"
check "10 concurrent POSTs: the same answer" test "$(for i in $(seq 10); do jq -S -c . "$T/c$i.json"; done | sort -u | wc -l)" = 1
after=$(curl -s "$INTRO/metrics" | awk '$1 == "vigil_manifests_indexed_total" {print $2}')
check_eq "10 concurrent POSTs: indexed once (vigil_manifests_indexed_total)" 1 "$((after - before))"
check_eq "10 concurrent POSTs: one 'indexed manifest' log line" 1 "$(grep -c "indexed manifest $UM" "$T/serve.err")"
code GET "$API/matcher/api/v1/vulnerability_report/$UM" >/dev/null
cp "$T/body" "$T/uvr.json"
vrun uscan scan "dir:$T/fs/rootfs-ubuntu1804" --db "$DB" --format json -q
pairs() { jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[]
	| [$r.packages[$p].name, $r.packages[$p].version, $r.vulnerabilities[.].name] | @tsv' "$1" | LC_ALL=C sort -u; }
pairs "$T/uscan.out" >"$T/u.scan.tsv"
pairs "$T/uvr.json" >"$T/u.serve.tsv"
check "Ubuntu 18.04: findings ($(wc -l <"$T/u.serve.tsv"))" test "$(wc -l <"$T/u.serve.tsv")" -gt 100
check_same "Ubuntu 18.04: findings = vigil scan's" "$T/u.scan.tsv" "$T/u.serve.tsv"

# ---- bad requests ----
c=$(code POST "$API/indexer/api/v1/index_report" -d '{"hash": ')
check_eq "malformed JSON: 400" 400 "$c"
check "malformed JSON: Clair's {code, message}" jq -e '(.code | type == "string") and (.message | type == "string")' "$T/body"
check_eq "a Manifest without layers: 400" 400 "$(code POST "$API/indexer/api/v1/index_report" -d "{\"hash\": \"$MD\"}")"
check_eq "unknown digest: 404" 404 \
	"$(code GET "$API/indexer/api/v1/index_report/sha256:$(printf '0%.0s' $(seq 64))")"
check_eq "not a digest: 400" 400 "$(code GET "$API/matcher/api/v1/vulnerability_report/latest")"
check_eq "unknown route: 404" 404 "$(OA_SCHEMA=error code GET "$API/indexer/api/v1/nope")"
check_eq "method not allowed: 405" 405 "$(OA_SCHEMA=error code PUT "$API/indexer/api/v1/index_report" -d '{}')"
check "405: Allow names the path's methods (RFC 9110; schemathesis)" \
	bash -c "curl -s -D - -o /dev/null -X TRACE '$API/indexer/api/v1/index_report' | grep -qi '^Allow: POST, DELETE'"
check_eq "a Manifest with no layers: 400 (Clair's 'bogus manifest'; schemathesis)" 400 \
	"$(code POST "$API/indexer/api/v1/index_report" -d "{\"hash\": \"$MD\", \"layers\": []}")"
check_eq "GET vulnerability_report of an unknown digest: 404" 404 \
	"$(code GET "$API/matcher/api/v1/vulnerability_report/sha256:$(printf '1%.0s' $(seq 64))")"
check_eq "bulk DELETE of something else than an array: 400" 400 \
	"$(code DELETE "$API/indexer/api/v1/index_report" -d '{"a": 1}')"
bad() { # HASH LAYERHASH URI
	jq -n -c --arg h "$1" --arg l "$2" --arg u "$3" '{hash: $h, layers: [{hash: $l, uri: $u}]}'
}
fake=sha256:$(printf 'x' | sha256sum | cut -d' ' -f1)
c=$(code POST "$API/indexer/api/v1/index_report" -d "$(bad "$fake" "$UD" "file:///etc/passwd")")
check_eq "file: URI: 400" 400 "$c"
check "file: URI: the message says why" grep -q "only http:// and https:// URIs" "$T/body"
# layers not in the cache (a cached layer is never fetched again)
fake1=sha256:$(printf 'y' | sha256sum | cut -d' ' -f1)
fake2=sha256:$(printf 'z' | sha256sum | cut -d' ' -f1)
c=$(code POST "$API/indexer/api/v1/index_report" -d "$(bad "$fake1" "$fake1" "http://127.0.0.1:1/layer.tar")")
check_eq "unreachable URI: 502" 502 "$c"
check "unreachable URI: the message names the layer" grep -q "layer $fake1" "$T/body"
c=$(code POST "$API/indexer/api/v1/index_report" -d "$(bad "$fake2" "$fake2" "http://127.0.0.1:$UPORT/ubuntu.tar.gz")")
check_eq "wrong digest: 422" 422 "$c"
check "wrong digest: the message names the layer" grep -q "layer $fake2: digest mismatch" "$T/body"
check_eq "wrong digest: nothing stored" 404 "$(code GET "$API/indexer/api/v1/index_report/$fake2")"
head -c $((17 * 1024 * 1024)) /dev/zero >"$T/huge"
c=$(code POST "$API/indexer/api/v1/index_report" --data-binary "@$T/huge")
check_eq "a body over 16 MiB: 413" 413 "$c"

# ---- state, update operations, OpenAPI ----
c=$(code GET "$API/indexer/api/v1/index_state" -D "$T/state.h")
cp "$T/body" "$T/state.json"
check_eq "index_state: 200" 200 "$c"
etag=$(awk 'tolower($1) == "etag:" {print $2}' "$T/state.h" | tr -d '\r')
check "index_state: a state and an ETag" test -n "$etag" -a "$(jq -r .state "$T/state.json")" != null
check_eq "POST index_report: the index state's ETag, as Clair's (Quay asserts it)" "$etag" \
	"$(awk 'tolower($1) == "etag:" {print $2}' "$T/post.json.h" | tr -d '\r')"
check_eq "a concurrent POST of another manifest: the same ETag" "$etag" \
	"$(awk 'tolower($1) == "etag:" {print $2}' "$T/c1.json.h" | tr -d '\r')"
check_eq "index_state: 304 on If-None-Match" 304 "$(code GET "$API/indexer/api/v1/index_state" -H "If-None-Match: $etag")"
check_eq "index_state: 200 on another ETag" 200 "$(code GET "$API/indexer/api/v1/index_state" -H 'If-None-Match: "x"')"
check_eq "update_operation: 200" 200 "$(code GET "$API/matcher/api/v1/internal/update_operation")"
cp "$T/body" "$T/uo.json"
check_eq "update_operation?latest: 200" 200 "$(code GET "$API/matcher/api/v1/internal/update_operation?latest=true")"
check "update_operation?latest: one operation per feed" jq -e '[.[] | length] | all(. == 1)' "$T/body"
check "update_operation: Clair's shape, one entry per feed" jq -e '(.ubuntu | length) == 1 and
	(.ubuntu[0] | has("ref") and has("updater") and has("fingerprint") and has("date"))' "$T/uo.json"
ref=$(jq -r '.ubuntu[0].ref' "$T/uo.json")
check_eq "update_diff: 200" 200 "$(code GET "$API/matcher/api/v1/internal/update_diff?cur=$ref")"
check "update_diff: every record added from nothing" jq -e '(.added | length) > 6000 and (.removed | length) == 0 and (has("prev") | not)' "$T/body"
check_eq "update_diff from itself: 200" 200 "$(code GET "$API/matcher/api/v1/internal/update_diff?cur=$ref&prev=$ref")"
check "update_diff from itself: nothing added or removed, prev given" jq -e '(.added | length) == 0 and (.removed | length) == 0 and .prev.ref == .cur.ref' "$T/body"
check_eq "update_diff: a ref not a UUID: 400 (as Clair; schemathesis)" 400 "$(code GET "$API/matcher/api/v1/internal/update_diff?cur=nope")"
check_eq "update_diff: prev not a UUID: 400" 400 "$(code GET "$API/matcher/api/v1/internal/update_diff?cur=$ref&prev=x")"
check_eq "update_diff: an unknown UUID: 404" 404 \
	"$(code GET "$API/matcher/api/v1/internal/update_diff?cur=0b0f3e8c-3c1a-4d1e-9d36-1a2b3c4d5e6f")"
check_eq "update_diff: a UUID in capitals and braces (Go's uuid.Parse): 200" 200 \
	"$(code GET "$API/matcher/api/v1/internal/update_diff?cur=%7B$(echo "$ref" | tr a-f A-F)%7D")"
check_eq "update_operation?latest=-1 (not a Go bool: false, as Clair; schemathesis): every operation" \
	"$(jq -S -c . "$T/uo.json")" "$(code GET "$API/matcher/api/v1/internal/update_operation?latest=-1" >/dev/null; jq -S -c . "$T/body")"
check_eq "update_operation?kind=enrichment: none (vigil has no enrichment updaters)" '{}' \
	"$(code GET "$API/matcher/api/v1/internal/update_operation?kind=enrichment" >/dev/null; jq -c . "$T/body")"
check_eq "update_operation?kind=other: 400, as Clair" 400 "$(code GET "$API/matcher/api/v1/internal/update_operation?kind=other")"
check_eq "update_operation?kind=%00x: 400, not read as no kind (schemathesis)" 400 \
	"$(code GET "$API/matcher/api/v1/internal/update_operation?kind=%00x")"
check_eq "update_operation?kind= cut inside a character in the message: 400, not 500 (schemathesis)" 400 \
	"$(code GET "$API/matcher/api/v1/internal/update_operation?kind=a$(printf '%%C3%%A9%.0s' $(seq 40))")"
check_eq "a v1 name that is not UTF-8: 400 (PostgreSQL answered 500)" 400 "$(code GET "$API/v1/layers/%FF%FEx")"
check_eq "update_diff: no cur: 400" 400 "$(code GET "$API/matcher/api/v1/internal/update_diff")"
check_eq "/openapi/v1: 200" 200 "$(code GET "$API/openapi/v1")"
check_same "/openapi/v1: docs/openapi.json" "$SRC/docs/openapi.json" "$T/body"

# ---- DELETE ----
check_eq "DELETE index_report: 204" 204 "$(code DELETE "$API/indexer/api/v1/index_report/$UM")"
check_eq "DELETE: then GET is 404" 404 "$(code GET "$API/matcher/api/v1/vulnerability_report/$UM")"
check_eq "DELETE twice: 204, as Clair" 204 "$(code DELETE "$API/indexer/api/v1/index_report/$UM")"
c=$(code DELETE "$API/indexer/api/v1/index_report" -d "[\"$MD\", \"$fake1\"]")
check_eq "bulk DELETE: 200" 200 "$c"
check_eq "bulk DELETE: the digests deleted" "[\"$MD\"]" "$(jq -c . "$T/body")"

# ---- metrics ----
curl -s "$INTRO/metrics" >"$T/metrics.txt"
check "metrics: requests by route and code" grep -q '^vigil_http_requests_total{route="index_report_post",code="201"} 1[0-9]' "$T/metrics.txt"
check "metrics: a latency histogram per route" grep -q '^vigil_http_request_duration_seconds_bucket{route="vulnerability_report",le="+Inf"}' "$T/metrics.txt"
check "metrics: layers indexed and from the cache" grep -qE '^vigil_layers_(indexed|cached)_total [1-9]' "$T/metrics.txt"
check "metrics: feed age" grep -q '^vigil_feed_age_seconds{feed="ubuntu"}' "$T/metrics.txt"

# ---- SIGTERM ----
kill -TERM "$SPID"
rc=0
wait "$SPID" || rc=$?
check_eq "SIGTERM: exit 0" 0 "$rc"
check "SIGTERM: the log says it stopped" grep -q "stopped" "$T/serve.err"
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$T/serve.err"; then
	fail "serve: sanitizer report"
	head -n 40 "$T/serve.err"
fi

# ---- an empty store is not ready ----
start_server empty "$(newdb empty)"
check_eq "/readyz with an empty store: 503" 503 "$(code GET "$INTRO/readyz")"
kill -TERM "$SPID"
rc=0
wait "$SPID" || rc=$?
check_eq "empty store server: SIGTERM exit 0" 0 "$rc"
oa_done
it_done
