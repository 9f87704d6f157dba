# tests/integration/lib/openapi.sh: every response of a vigil serve test
# validated against docs/openapi.json (sourced after it_init). oa queues a
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
mkdir -p "$T/oa"
: >"$T/oa.queue"

oa() {
	local path="/${2#http://*/}" args=() f
	[ -n "${5:-}" ] && args+=(--content-type "$5")
	[ -n "${OA_SCHEMA:-}" ] && args+=(--schema "$OA_SCHEMA")
	f=$(mktemp "$T/oa/body.XXXXXX")
	cp "$4" "$f"
	jq -n -c '$ARGS.positional' --args -- "${args[@]}" "$OPENAPI" "$1" "$path" "$3" "$f" >>"$T/oa.queue"
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
		pass "every response validates against docs/openapi.json ($n responses)"
	else
		grep -v '^openapi_check: [0-9]* responses valid' "$T/oa.out" | head -n 60
		fail "every response validates against docs/openapi.json: $(grep -c '^FAIL' "$T/oa.out") of $n did not (above)"
	fi
}
