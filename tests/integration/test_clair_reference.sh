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
command -v psql >/dev/null 2>&1 || skip "psql is missing (Clair needs PostgreSQL)"
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
note "differences (class, image):"
cut -f1,2 "$T/all.diff" | sort | uniq -c | sed 's/^/    /'
awk -F'\t' '{print $1 " " $2}' "$T/all.diff" | sort -u >"$T/seen"
printf '%s\n' "${ALLOWED[@]}" | sort -u >"$T/allowed"
unexpected=$(comm -23 "$T/seen" "$T/allowed")
check_eq "no difference outside the documented ones" "" "$unexpected"
[ -z "$unexpected" ] && pass "the differences: $(tr '\n' ';' <"$T/seen")" || head -n 30 "$T/all.diff"
check_eq "every documented difference still occurs (else docs/compat.md is stale)" "" "$(comm -13 "$T/seen" "$T/allowed")"
it_done
