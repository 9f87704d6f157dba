#!/bin/bash
# tests/integration/test_clair_reference.sh: vigil's IndexReport against
# the real Clair's. Clair v4.9.0 (scripts/tools.lock) runs in combo mode on
# 127.0.0.1 with a throwaway PostgreSQL of its own (lib/clair.sh); the
# Debian demo, Alpine 3.10 and Ubuntu 18.04 images are pushed to
# docker-registry on 127.0.0.1; the same Manifest (`vigil manifest
# --insecure-registry` of each, its layer URIs on the local registry) is
# POSTed to Clair and to `vigil serve`, and lib/indexreport_diff.py
# compares the two IndexReports with the ids normalised away:
# distribution, packages (name, version, kind, arch, source, module, cpe),
# repositories, and each package's environments (introduced_in,
# package_db, distribution, repositories). Every difference printed is a
# failure unless its class is one docs/compat.md documents ("vigil vs Clair
# v4.9.0 IndexReport"), named in ALLOWED below; the test also fails when a
# documented class no longer occurs anywhere (the table would be stale).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/images/trivy_alpine-3.10.4" ] || skip "no shared test data at $DATA"
. "$(dirname "$0")/lib/serve.sh"
. "$(dirname "$0")/lib/registry.sh"
. "$(dirname "$0")/lib/tools.sh"
. "$(dirname "$0")/lib/clair.sh"
reg_need
trap 'clair_stop; serve_stop_all' EXIT
clair_start
reg_start open
HOST=127.0.0.1:$RPORT
clair_push_images "$HOST"
start_node v "$(newdb ref)"

# The differences docs/compat.md explains, as "CLASS LABEL" (the first two
# columns of indexreport_diff.py); anything else fails.
ALLOWED=(
	"dist-cpe demo:v2" "dist-cpe alpine:3.10" "dist-cpe ubuntu:18.04"
	"dist-version alpine:3.10" "dist-version_id alpine:3.10"
	"dist-version ubuntu:18.04" "dist-pretty_name ubuntu:18.04"
)
jqe() { jq -e "$@" >/dev/null; }

: >"$T/all.diff"
for name in "${IMG_NAMES[@]}"; do
	tag=${name//[:.]/_}
	vrun "man-$tag" manifest "$HOST/$name" --insecure-registry --compact
	expect_rc "man-$tag" 0
	cp "$T/man-$tag.out" "$T/$tag.manifest.json"
	c=$(clair_post "$T/$tag.manifest.json" "$T/$tag.clair.json")
	check_eq "$name: Clair answers the POST with 201" 201 "$c"
	check "$name: Clair's IndexReport is finished" jqe '.state == "IndexFinished" and .success' "$T/$tag.clair.json"
	c=$(curl -s -o "$T/$tag.vigil.json" -w '%{http_code}' -X POST "$NODE_API/indexer/api/v1/index_report" \
		-H 'Content-Type: application/json' --data-binary "@$T/$tag.manifest.json")
	check_eq "$name: vigil answers the POST with 201" 201 "$c"
	check "$name: vigil's IndexReport is finished" jqe '.state == "IndexFinished" and .success' "$T/$tag.vigil.json"
	python3 "$SRC/tests/integration/lib/indexreport_diff.py" --label "$name" \
		"$T/$tag.clair.json" "$T/$tag.vigil.json" >"$T/$tag.diff" 2>&1
	cat "$T/$tag.diff" >>"$T/all.diff"
	check "$name: packages ($(jq '.packages | length' "$T/$tag.clair.json")) and their environments agree" \
		bash -c "! grep -q '^package-\|^env-' '$T/$tag.diff'"
done
# ---- the HTTP answers around the reports: vigil's status and headers = Clair's ----
# ask WHO METHOD PATH [curl args]: the status; headers in $T/WHO.h (lower-cased names)
ask() {
	local who=$1 m=$2 p=$3 api
	shift 3
	if [ "$who" = clair ]; then api=$CLAIR_API; else api=$NODE_API; fi
	curl -s -D "$T/$who.h.raw" -o "$T/$who.b" -w '%{http_code}' -X "$m" "$api$p" "$@"
	tr -d '\r' <"$T/$who.h.raw" | awk -F': ' 'NF > 1 { print tolower($1) ": " $2 }' >"$T/$who.h"
}
hdr() { awk -F': ' -v n="$2" '$1 == n { print $2 }' "$T/$1.h"; }
# same DESCRIPTION METHOD PATH [curl args]: the same status from both
same() {
	local what=$1 c v
	shift
	c=$(ask clair "$@")
	v=$(ask vigil "$@")
	check_eq "$what: vigil answers as Clair ($c)" "$c" "$v"
}
DM=$T/demo_v2.manifest.json
D=$(jq -r .hash "$DM")
Z=sha256:$(printf '0%.0s' $(seq 64))
same "POST of a known manifest" POST /indexer/api/v1/index_report --data-binary "@$DM"
check_eq "POST: Clair's Link headers (clairctl keeps the ETag under the index_report link)" \
	"$(hdr clair link)" "$(hdr vigil link)"
check_eq "POST: Clair's Location" "$(hdr clair location)" "$(hdr vigil location)"
for who in clair vigil; do
	st=$(curl -s "$([ $who = clair ] && echo "$CLAIR_API" || echo "$NODE_API")/indexer/api/v1/index_state" | jq -r .state)
	check_eq "POST: $who's ETag is its index state" "\"$st\"" "$(hdr $who etag)"
	printf -v "ETAG_$who" '%s' "\"$st\""
done
c=$(ask clair POST /indexer/api/v1/index_report --data-binary "@$DM" -H "If-None-Match: $ETAG_clair")
v=$(ask vigil POST /indexer/api/v1/index_report --data-binary "@$DM" -H "If-None-Match: $ETAG_vigil")
check_eq "POST with If-None-Match: the state: vigil answers as Clair ($c)" "$c" "$v"
check_eq "... with Clair's Link headers" "$(hdr clair link)" "$(hdr vigil link)"
same "GET index_report" GET "/indexer/api/v1/index_report/$D"
check_eq "GET index_report: the ETag is the index state, as Clair's" "$ETAG_clair $ETAG_vigil" "$(hdr clair etag) $(hdr vigil etag)"
c=$(ask clair GET "/indexer/api/v1/index_report/$D" -H "If-None-Match: $ETAG_clair")
v=$(ask vigil GET "/indexer/api/v1/index_report/$D" -H "If-None-Match: $ETAG_vigil")
check_eq "GET index_report with If-None-Match: the state: vigil answers as Clair ($c)" "$c" "$v"
same "GET index_report of an unknown digest" GET "/indexer/api/v1/index_report/$Z"
same "POST of a Manifest with no layers" POST /indexer/api/v1/index_report --data-binary "{\"hash\":\"$D\",\"layers\":[]}"
same "POST of a Manifest with no hash" POST /indexer/api/v1/index_report --data-binary '{"layers":[]}'
same "DELETE of an unknown digest" DELETE "/indexer/api/v1/index_report/$Z"
same "bulk DELETE of an unknown digest" DELETE /indexer/api/v1/index_report --data-binary "[\"$Z\"]"
same "DELETE of the demo's report" DELETE "/indexer/api/v1/index_report/$D"
same "DELETE of it again" DELETE "/indexer/api/v1/index_report/$D"
same "GET index_report after DELETE" GET "/indexer/api/v1/index_report/$D"

note "differences (class, image):"
cut -f1,2 "$T/all.diff" | sort | uniq -c | sed 's/^/    /'
awk -F'\t' '{print $1 " " $2}' "$T/all.diff" | sort -u >"$T/seen"
printf '%s\n' "${ALLOWED[@]}" | sort -u >"$T/allowed"
unexpected=$(comm -23 "$T/seen" "$T/allowed")
check_eq "no difference outside the documented ones" "" "$unexpected"
[ -z "$unexpected" ] && pass "the differences: $(tr '\n' ';' <"$T/seen")" || head -n 30 "$T/all.diff"
check_eq "every documented difference still occurs (else docs/compat.md is stale)" "" "$(comm -13 "$T/seen" "$T/allowed")"
kill -TERM "$NODE_PID"
rc=0
wait "$NODE_PID" || rc=$?
check_eq "vigil serve: SIGTERM, exit 0" 0 "$rc"
check "no sanitizer report from vigil serve" bash -c "! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' '$T/v.err'"
it_done
