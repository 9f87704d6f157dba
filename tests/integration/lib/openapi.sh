# tests/integration/lib/openapi.sh: every response of a vigil serve test
# validated against docs/openapi.json and, for the Clair v4 API, against the
# real judges: the Clair document Quay bundles (Quay validates every answer
# against it) and Clair's own types/v1 schemas (sourced after it_init;
# openapi_check.py --judge). oa queues a
# check (the body copied aside; safe from subshells: one appended line per
# check), oa_done runs them all in one python3 (lib/openapi_check.py
# --batch) and passes or fails one check for the lot, the failures shown.
#
#   oa METHOD URL STATUS BODYFILE [CONTENT-TYPE]
#   oa_req METHOD URL [curl args...]   curl, then oa when URL is under $API
#   OA_SCHEMA=NAME oa ...   against components/schemas/NAME (for answers no
#                           operation documents: unknown routes, 405)
# shellcheck shell=bash

python3 -c 'import jsonschema' 2>/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jsonschema >/dev/null 2>&1 ||
	skip "python3-jsonschema (to validate the responses against docs/openapi.json) is missing"
OPENAPI=$SRC/docs/openapi.json
OA_CHECK=$SRC/tests/integration/lib/openapi_check.py
OA_SPECS=${VIGIL_TESTDATA:-$SRC/../shared/testdata}/specs
OA_QUAY=$OA_SPECS/quay/clair-v4.openapi.json
OA_CLAIR=$OA_SPECS/clair-v4
mkdir -p "$T/oa"
: >"$T/oa.queue"

oa() {
	local path="/${2#http://*/}" args=() f
	[ -n "${5:-}" ] && args+=(--content-type "$5")
	[ -n "${OA_SCHEMA:-}" ] && args+=(--schema "$OA_SCHEMA")
	f=$(mktemp "$T/oa/body.XXXXXX")
	cp "$4" "$f"
	jq -n -c '$ARGS.positional' --args -- "${args[@]}" "$OPENAPI" "$1" "$path" "$3" "$f" >>"$T/oa.queue"
	case $path in
	*[?\&]format=json | *[?\&]format=json\&* | *[?\&]format=clair | *[?\&]format=clair\&*) ;;
	*[?\&]format=*) return 0 ;; # another of vigil's formats: not Clair's report
	esac
	oa_judges "$1" "${path%%\?*}" "$3" "$f" "${5:-}"
}

# oa_judges METHOD PATH STATUS BODYFILE [CONTENT_TYPE]: queues the Clair v4
# answers for Quay's schema (the components Quay's client validates with)
# and Clair's types/v1 schema of the same answer. A report vigil wrote in
# another format (?format=, Accept: SARIF, HTML, ...) is not Clair's.
oa_judges() {
	local q="" c=""
	[ -f "$OA_QUAY" ] && [ -d "$OA_CLAIR" ] || return 0
	case "${5:-application/json}" in application/json*) ;; *) return 0 ;; esac
	case "$1 $2 $3" in
	"POST /indexer/api/v1/index_report 20"[01] | "GET /indexer/api/v1/index_report/"*" 200")
		q=IndexReport c=index_report.schema.json ;;
	"GET /matcher/api/v1/vulnerability_report/"*" 200") q=VulnerabilityReport c=vulnerability_report.schema.json ;;
	"GET /indexer/api/v1/index_state 200") q=State c=index_state.schema.json ;;
	"GET /matcher/api/v1/internal/update_operation 200") c=update_operations.schema.json ;;
	"DELETE /indexer/api/v1/index_report 200") c=bulk_delete.schema.json ;;
	# Clair's notification_page.schema.json forbids the summary's
	# description and links that Clair's notifier sends and Quay reads
	# (docs/compat.md): Quay's schema judges the page
	"GET /notifier/api/v1/notification/"*" 200") q=PagedNotifications ;;
	*" /indexer/"*" "[45]?? | *" /matcher/"*" "[45]?? | *" /notifier/"*" "[45]??) [ -s "$4" ] && q=Error c=error.schema.json ;;
	esac
	[ -n "$q" ] && jq -n -c '$ARGS.positional' --args -- --judge quay "$OA_QUAY" "$q" "$4" >>"$T/oa.queue"
	[ -n "$c" ] && jq -n -c '$ARGS.positional' --args -- --judge clair "$OA_CLAIR" "$c" "$4" >>"$T/oa.queue"
	return 0
}

# oa_req METHOD URL [curl args...]: the status; the body in $T/body (empty
# when there is none), queued for the check when URL is under $API.
oa_req() {
	local m=$1 u=$2 out
	shift 2
	: >"$T/body"
	out=$(curl -s -o "$T/body" -w '%{http_code} %{content_type}' -X "$m" "$u" "$@")
	case $u in "$API"/*) oa "$m" "$u" "${out%% *}" "$T/body" "${out#* }" ;; esac
	echo "${out%% *}"
}

oa_done() {
	local n
	n=$(grep -c . "$T/oa.queue")
	if python3 "$OA_CHECK" --batch "$T/oa.queue" >"$T/oa.out" 2>&1; then
		pass "every response validates against docs/openapi.json, Quay's and Clair's schemas ($n checks)"
	else
		grep -v '^openapi_check: [0-9]* responses valid' "$T/oa.out" | head -n 60
		fail "every response validates against docs/openapi.json, Quay's and Clair's schemas: $(grep -c '^FAIL' "$T/oa.out") of $n did not (above)"
	fi
}
