#!/bin/bash
# tests/integration/test_clair_reference.sh: vigil's IndexReport against
# the real Clair's. Clair v4.9.0 (scripts/tools.lock) runs in combo mode on
# 127.0.0.1 with a throwaway PostgreSQL of its own (lib/clair.sh); the
# Debian demo, Alpine 3.10, Ubuntu 18.04 and Alpine 3.4 images and 13
# crafted layer cases are pushed to docker-registry on 127.0.0.1; the same
# Manifest (`vigil manifest
# --insecure-registry` of each, its layer URIs on the local registry) is
# POSTed to Clair and to `vigil serve`, and lib/indexreport_diff.py
# compares the two IndexReports with the ids normalised away:
# distribution, packages (name, version, kind, arch, source, module, cpe),
# repositories, and each package's environments (introduced_in,
# package_db, distribution, repositories). Every difference printed is a
# failure unless its class is one docs/compat.md documents ("vigil vs Clair
# v4.9.0 IndexReport"), named in ALLOWED below; the test also fails when a
# documented class no longer occurs anywhere (the table would be stale).
# Clair's Alpine updater runs on a local copy of the shared secdb (served on
# 127.0.0.1) and vigil imports the same files: the VulnerabilityReports of
# both Alpine images must hold the same (package, version, id) findings,
# and clairctl, pointed at each server, must print the same lines (but
# for the pinned ids of two fixed versions).
# Last, the answers around the reports (Link, ETag, 304, 412, DELETE) are
# asked of both and must have the same statuses.
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
# Alpine's secdb of the shared data, served as secdb.alpinelinux.org lays
# it out, for Clair's Alpine updater; vigil imports the same files
SECDB=$DATA/feeds/alpine/secdb-json
mkdir -p "$T/secdb"
date +%s >"$T/secdb/last-update"
for d in "$SECDB"/v*; do ln -s "$d" "$T/secdb/"; done
layer_server "$T/secdb"
export CLAIR_SECDB_URL=$LAYER_URL/
clair_start
reg_start open
HOST=127.0.0.1:$RPORT
clair_push_images "$HOST"
DB=$(newdb ref)
vrun import db import "$SECDB" --db "$DB"
expect_rc import 0
start_node v "$DB"

# The crafted layer cases of scripts/make-images.sh (docs/testing.md): the
# Debian base and a second layer that whites out, replaces or links the
# package database or os-release.
CASES=(wh-status wh-dpkgdir opaque-dpkg pkg-changed abs-link-inside rel-link-escape link-loop
	osrel-loop osrel-abs-inside osrel-abs-link bad-osrelease bad-status bad-dotdot)
for c in "${CASES[@]}"; do reg_push "oci:$IMAGES/cases:$c" "$HOST/cases:$c"; done

# The differences docs/compat.md explains, as "CLASS LABEL" (the first two
# columns of indexreport_diff.py; "status": the POSTs' statuses differ);
# anything else fails, and so does one that no longer occurs.
ALLOWED=(
	"dist-cpe demo:v2" "dist-cpe alpine:3.10" "dist-cpe ubuntu:18.04"
	"dist-version alpine:3.10" "dist-version_id alpine:3.10"
	"dist-cpe alpine:3.4" "dist-version alpine:3.4" "dist-version_id alpine:3.4"
	"dist-version ubuntu:18.04" "dist-pretty_name ubuntu:18.04"
	# the cases: vigil reads the image's final file system, Clair each
	# layer's own package database (only beside an info/ folder)
	"package-missing cases:wh-status" "package-missing cases:wh-dpkgdir"
	"package-missing cases:opaque-dpkg" "package-extra cases:opaque-dpkg"
	"package-missing cases:pkg-changed" "package-extra cases:pkg-changed"
	"package-missing cases:abs-link-inside" "package-missing cases:rel-link-escape" "package-missing cases:link-loop"
	"dist-name cases:osrel-loop" "dist-version cases:osrel-loop" "dist-pretty_name cases:osrel-loop"
	"dist-missing cases:osrel-abs-inside" "dist-extra cases:osrel-abs-inside" "env-other cases:osrel-abs-inside"
	"status cases:bad-osrelease" "status cases:bad-status" "status cases:bad-dotdot"
)
# as for every Debian image, but where the distribution differs whole or
# vigil refuses the image
for c in "${CASES[@]}"; do
	case $c in osrel-abs-inside | bad-*) ;; *) ALLOWED+=("dist-cpe cases:$c") ;; esac
done
jqe() { jq -e "$@" >/dev/null; }

: >"$T/all.diff"
for name in "${IMG_NAMES[@]}" "${CASES[@]/#/cases:}"; do
	tag=${name//[:.]/_}
	vrun "man-$tag" manifest "$HOST/$name" --insecure-registry --compact
	expect_rc "man-$tag" 0
	cp "$T/man-$tag.out" "$T/$tag.manifest.json"
	c=$(clair_post "$T/$tag.manifest.json" "$T/$tag.clair.json")
	v=$(curl -s -o "$T/$tag.vigil.json" -w '%{http_code}' -X POST "$NODE_API/indexer/api/v1/index_report" \
		-H 'Content-Type: application/json' --data-binary "@$T/$tag.manifest.json")
	if [ "$c" != 201 ] || [ "$v" != 201 ]; then
		printf 'status\t%s\tclair %s %s; vigil %s %s\n' "$name" "$c" "$(jq -c '.err // .message' "$T/$tag.clair.json" | cut -c1-80)" \
			"$v" "$(jq -c '.message' "$T/$tag.vigil.json" | cut -c1-120)" >>"$T/all.diff"
		continue
	fi
	check "$name: both IndexReports are finished" jqe -s 'all(.state == "IndexFinished" and .success)' \
		"$T/$tag.clair.json" "$T/$tag.vigil.json"
	python3 "$SRC/tests/integration/lib/indexreport_diff.py" --label "$name" \
		"$T/$tag.clair.json" "$T/$tag.vigil.json" >"$T/$tag.diff" 2>&1
	cat "$T/$tag.diff" >>"$T/all.diff"
	case $name in cases:*) continue ;; esac
	check "$name: packages ($(jq '.packages | length' "$T/$tag.clair.json")) and their environments agree" \
		bash -c "! grep -q '^package-\|^env-' '$T/$tag.diff'"
done
for name in "${IMG_NAMES[@]}"; do
	check_eq "$name: both answer the POST with 201" "" "$(grep -P "^status\t$name\t" "$T/all.diff")"
done
# ---- VulnerabilityReports: Clair's Alpine matcher and vigil's on the same secdb ----
# claircore refuses two files of this secdb whole (v3.3/community.json:
# "packages": ""; v3.6/main.json: a secfixes entry "" instead of a list);
# vigil reads them (docs/compat.md)
want=$(($(find "$SECDB" -name '*.json' | wc -l) - 2))
for _ in $(seq 300); do
	n=$(curl -s "$CLAIR_API/matcher/api/v1/internal/update_operation" | jq 'length' 2>/dev/null)
	[ "${n:-0}" -ge "$want" ] && break
	sleep 0.2
done
check_eq "Clair ran its Alpine updater on the local secdb (one operation per file it reads)" "$want" "${n:-0}"
vtriples() {
	jq -r '. as $r | (.package_vulnerabilities // {}) | to_entries[] | .key as $p | .value[]
		| [$r.packages[$p].name, $r.packages[$p].version, $r.vulnerabilities[.].name] | @tsv' "$1" |
		LC_ALL=C sort -u
}
for name in alpine:3.4 alpine:3.10; do
	tag=${name//[:.]/_}
	D=$(jq -r .hash "$T/$tag.manifest.json")
	c=$(curl -s -o "$T/$tag.cvr.json" -w '%{http_code}' "$CLAIR_API/matcher/api/v1/vulnerability_report/$D")
	v=$(curl -s -o "$T/$tag.vvr.json" -w '%{http_code}' "$NODE_API/matcher/api/v1/vulnerability_report/$D")
	check_eq "$name: GET vulnerability_report: 200 from both" "200 200" "$c $v"
	vtriples "$T/$tag.cvr.json" >"$T/$tag.cvr"
	vtriples "$T/$tag.vvr.json" >"$T/$tag.vvr"
	check_same "$name: vigil's findings (package, version, id) = Clair's" "$T/$tag.cvr" "$T/$tag.vvr"
done
check "alpine:3.4 has findings" test -s "$T/alpine_3_4.cvr"
# the same client on both servers: clairctl's whole text output (package,
# version, id, fixed version) is the same
need_tool clairctl
mkdir -p "$T/anon"
for who in clair vigil; do
	api=$([ $who = clair ] && echo "$CLAIR_API" || echo "$NODE_API")
	(cd "$T" && DOCKER_CONFIG=$T/anon timeout 300 "$TOOL" report --host "$api" "$HOST/alpine:3.4" "$HOST/alpine:3.10") \
		>"$T/ctl-$who.out" 2>"$T/ctl-$who.err"
	check_eq "clairctl report against $who: exit 0" 0 "$?"
	tr -s ' ' <"$T/ctl-$who.out" | LC_ALL=C sort >"$T/ctl-$who.txt"
done
# An id the secdb lists under two fixed versions (openssl's CVE-2017-3738:
# 1.0.2n-r0 and 1.0.2o-r0) is two vulnerabilities in Clair, one line each,
# and one in vigil, with the later version (docs/compat.md): per (image,
# package, version, id) the latest fixed version must agree.
latest_fix() {
	sed -E 's/ \(fixed: (.*)\)$/\t\1/' "$1" | LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2V |
		awk -F'\t' '{ last[$1] = $2 } END { for (k in last) print k "\t" last[k] }' | LC_ALL=C sort
}
latest_fix "$T/ctl-clair.txt" >"$T/ctl-clair.latest"
latest_fix "$T/ctl-vigil.txt" >"$T/ctl-vigil.latest"
check_same "clairctl report: vigil's findings = Clair's, each with the same (latest) fixed version" \
	"$T/ctl-clair.latest" "$T/ctl-vigil.latest"
check_eq "clairctl report: Clair's only other lines are the ids of two fixed versions" \
	"libcrypto1.0 CVE-2017-3738 1.0.2n-r0;libssl1.0 CVE-2017-3738 1.0.2n-r0;" \
	"$(LC_ALL=C comm -23 "$T/ctl-clair.txt" "$T/ctl-vigil.txt" | awk '{ printf "%s %s %s;", $3, $5, $7 }' | tr -d ')')"

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
grep '^status' "$T/all.diff" | sed 's/^/    /'
awk -F'\t' '{print $1 " " $2}' "$T/all.diff" | sort -u >"$T/seen"
printf '%s\n' "${ALLOWED[@]}" | grep . | sort -u >"$T/allowed"
unexpected=$(comm -23 "$T/seen" "$T/allowed")
check_eq "no difference outside the documented ones" "" "$unexpected"
[ -z "$unexpected" ] || awk -F'\t' 'NR == FNR { u[$0] = 1; next } u[$1 " " $2]' <(echo "$unexpected") "$T/all.diff" | head -n 30
check_eq "every documented difference still occurs (else docs/compat.md is stale)" "" "$(comm -13 "$T/seen" "$T/allowed")"
kill -TERM "$NODE_PID"
rc=0
wait "$NODE_PID" || rc=$?
check_eq "vigil serve: SIGTERM, exit 0" 0 "$rc"
check "no sanitizer report from vigil serve" bash -c "! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' '$T/v.err'"
it_done
