#!/bin/bash
# tests/integration/test_serve_v1.sh: the Clair v1 API of `vigil serve` as
# clair-scanner and klar drive it, with curl: every layer of the demo image
# (oci:v2) served by a python3 HTTP server on 127.0.0.1 and POSTed in order
# with its ParentName, then GET ?vulnerabilities on the last one, compared
# with `vigil scan` of the same image on the same database; the Ubuntu
# 18.04 root filesystem of scripts/make-pkgdb-rootfs.sh packed as one tar
# layer (107 findings against the Ubuntu tracker); 10 clients POSTing the
# same new layer at once (every one 201, the layer fetched once: the file
# server's log and vigil_layers_indexed_total); the layer cache cleared
# under the server (GET answers 404 naming the layer to post again, a new
# POST fetches it again); the bad requests (malformed JSON, unknown layer,
# unreachable Path (400 as Clair 2), not a tar (422), a body over the
# limit). Every response is validated
# against docs/openapi.json (its clair-v1 routes) with lib/openapi_check.py.
# The store comes from newdb (lib/db.sh's vigil_db when present). The
# server and the file server are killed by PID at the end.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/ubuntu/uct" ] || skip "no shared test data at $DATA"

# nodes, layer servers, free ports, newdb (lib/serve.sh); killed by PID at exit
. "$(dirname "$0")/lib/serve.sh"

# every API response is queued for the OpenAPI check (oa, oa_done)
. "$(dirname "$0")/lib/openapi.sh"
# req OUT METHOD URL [curl args...]: the status; the body in OUT (empty when
# none), validated against the document.
req() {
	local f=$1 m=$2 u=$3 out
	shift 3
	: >"$f"
	out=$(curl -s -o "$f" -w '%{http_code} %{content_type}' -X "$m" "$u" "$@")
	oa "$m" "$u" "${out%% *}" "$f" "${out#* }"
	echo "${out%% *}"
}

DB=$(newdb v)
vrun import db import "$DATA/feeds/ubuntu/uct" "$DATA/feeds/debian" --db "$DB"
expect_rc import 0

# the layers: the OCI image's blobs in manifest order, and the Ubuntu rootfs as one tar
mkdir -p "$T/www"
OCI=$IMAGES/oci
python3 - "$OCI" "$T/www" >"$T/layers.txt" <<'PY'
import json, os, sys
oci, www = sys.argv[1], sys.argv[2]
idx = json.load(open(os.path.join(oci, "index.json")))
m = [d for d in idx["manifests"] if d.get("annotations", {}).get("org.opencontainers.image.ref.name") == "v2"][0]
blob = lambda d: os.path.join(oci, "blobs", *d.split(":"))
man = json.load(open(blob(m["digest"])))
for i, l in enumerate(man["layers"]):
    name = l["digest"].split(":")[1]
    os.symlink(blob(l["digest"]), os.path.join(www, name))
    print(name)
PY
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
tar -C "$T/fs/rootfs-ubuntu1804" -czf "$T/www/ubuntu1804.tar.gz" .

# The file server: every request logged (one line each, to count fetches);
# /slow/FILE is FILE answered after a second, so concurrent posts overlap.
cat >"$T/www.py" <<'PY'
import http.server, os, sys, time
port, root, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class H(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)
    def do_GET(self):
        if self.path.startswith("/slow/"):
            time.sleep(1.0)
            self.path = self.path[len("/slow"):]
        super().do_GET()
    def log_message(self, fmt, *args):
        with open(log, "a") as f:
            f.write(self.requestline + "\n")
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
WPORT=$(free_port)
python3 "$T/www.py" "$WPORT" "$T/www" "$T/www.log" >/dev/null 2>&1 &
PIDS+=($!)
SPORT=$(free_port)
IPORT=$(free_port)
"$VIGIL" serve --listen "127.0.0.1:$SPORT" --introspection-listen "127.0.0.1:$IPORT" --db "$DB" \
	>"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
PIDS+=("$SPID")
up=0
for _ in $(seq 150); do
	curl -fs "http://127.0.0.1:$IPORT/healthz" >/dev/null 2>&1 && curl -s -o /dev/null "http://127.0.0.1:$WPORT/" &&
		{ up=1; break; }
	sleep 0.1
done
[ "$up" = 1 ] || { fail "the server or the file server did not come up: $(cat "$T/serve.err")"; it_done; }
API=http://127.0.0.1:$SPORT
INTRO=http://127.0.0.1:$IPORT
metric() { curl -s "$INTRO/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
fetches() { grep -c "^GET /$1 " "$T/www.log"; }

post() { # NAME FILE PARENT [OUT] -> the status; the body in OUT ($T/post.json)
	req "${4:-$T/post.json}" POST "$API/v1/layers" -H 'Content-Type: application/json' \
		-d "{\"Layer\": {\"Name\": \"$1\", \"Path\": \"http://127.0.0.1:$WPORT/$2\", \"ParentName\": \"$3\", \"Format\": \"Docker\"}}"
}

# ---- the Debian image, layer by layer ----
parent=""
ok=1
while read -r name; do
	code=$(post "$name" "$name" "$parent")
	[ "$code" = 201 ] || { ok=0; fail "POST layer $name: $code $(cat "$T/post.json")"; }
	parent=$name
done <"$T/layers.txt"
[ "$ok" = 1 ] && pass "every layer of oci:v2 POSTed in order: 201"
check "POST: the answer is the layer as posted (Clair 2's fields)" jq -e --arg n "$parent" \
	'.Layer.Name == $n and .Layer.Format == "Docker" and .Layer.IndexedByVersion == 1 and (.Layer | has("Features") | not)' \
	"$T/post.json"
check_eq "GET ?vulnerabilities: 200" 200 "$(req "$T/v1.json" GET "$API/v1/layers/$parent?vulnerabilities")"
vrun scan scan "oci:$IMAGES/oci:v2" --db "$DB" --format json -q
v1pairs() { jq -r '.Layer.Features[] | .Name as $n | (.Vulnerabilities // [])[] | [$n, .Name] | @tsv' "$1" | LC_ALL=C sort -u; }
v4pairs() { jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[]
	| [$r.packages[$p].name, $r.vulnerabilities[.].name] | @tsv' "$1" | LC_ALL=C sort -u; }
v1pairs "$T/v1.json" >"$T/v1.tsv"
v4pairs "$T/scan.out" >"$T/scan.tsv"
check_same "Debian image: v1 findings = vigil scan findings ($(wc -l <"$T/scan.tsv"))" "$T/scan.tsv" "$T/v1.tsv"
check_eq "Debian image: namespace" "debian:12" "$(jq -r '.Layer.NamespaceName' "$T/v1.json")"
check_eq "Debian image: features = packages" "$(jq '.packages | length' "$T/scan.out")" \
	"$(jq '.Layer.Features | length' "$T/v1.json")"
check_eq "GET without flags: 200" 200 "$(req "$T/bare.json" GET "$API/v1/layers/$parent")"
check "GET without flags: no features" jq -e '.Layer | has("Features") | not' "$T/bare.json"

# ---- the Ubuntu 18.04 root filesystem as one layer ----
code=$(post ubuntu1804 ubuntu1804.tar.gz "")
check_eq "Ubuntu 18.04 layer: 201" 201 "$code"
check_eq "Ubuntu 18.04 layer: GET 200" 200 "$(req "$T/u.json" GET "$API/v1/layers/ubuntu1804?features&vulnerabilities")"
vrun uscan scan "dir:$T/fs/rootfs-ubuntu1804" --db "$DB" --format json -q
v1pairs "$T/u.json" >"$T/u1.tsv"
v4pairs "$T/uscan.out" >"$T/u4.tsv"
check_eq "Ubuntu 18.04: 107 findings over v1" 107 "$(jq '[.Layer.Features[].Vulnerabilities // [] | length] | add' "$T/u.json")"
check_same "Ubuntu 18.04: v1 findings = vigil scan findings" "$T/u4.tsv" "$T/u1.tsv"
check "Ubuntu 18.04: Clair 2 severities only" jq -e '[.Layer.Features[].Vulnerabilities // [] | .[].Severity]
	| all(. == "Unknown" or . == "Negligible" or . == "Low" or . == "Medium" or . == "High" or . == "Critical")' "$T/u.json"
check_eq "Ubuntu 18.04: fetched once" 1 "$(fetches ubuntu1804.tar.gz)"
check_eq "posted again: 201" 201 "$(post ubuntu1804 ubuntu1804.tar.gz "")"
check_eq "posted again: not fetched again" 1 "$(fetches ubuntu1804.tar.gz)"

# ---- 10 clients POSTing the same new layer at once: fetched once ----
before=$(metric vigil_layers_indexed_total)
cbefore=$(metric vigil_layers_cached_total)
CPIDS=()
for i in $(seq 10); do
	post concurrent slow/ubuntu1804.tar.gz "" "$T/c$i.json" >"$T/c$i.code" &
	CPIDS+=($!)
done
for p in "${CPIDS[@]}"; do wait "$p"; done
all=1
for i in $(seq 10); do [ "$(cat "$T/c$i.code" 2>/dev/null)" = 201 ] || all=0; done
check_eq "10 concurrent POSTs of one layer: every one 201" 1 "$all"
check_eq "10 concurrent POSTs: the layer fetched once (file server log)" 1 "$(fetches slow/ubuntu1804.tar.gz)"
check_eq "10 concurrent POSTs: one layer indexed (vigil_layers_indexed_total)" 1 \
	"$(($(metric vigil_layers_indexed_total) - before))"
check_eq "10 concurrent POSTs: 9 found it done after waiting (vigil_layers_cached_total)" 9 \
	"$(($(metric vigil_layers_cached_total) - cbefore))"
check "10 concurrent POSTs: the same answer" test "$(for i in $(seq 10); do jq -S -c . "$T/c$i.json"; done | sort -u | wc -l)" = 1
check_eq "the concurrently posted layer: GET 200" 200 \
	"$(req "$T/cg.json" GET "$API/v1/layers/concurrent?features&vulnerabilities")"
check_eq "the concurrently posted layer: the findings of ubuntu1804" "$(v1pairs "$T/u.json" | wc -l)" \
	"$(v1pairs "$T/cg.json" | wc -l)"

# ---- the layer cache cleared under the server ----
vrun clear cache clear --db "$DB"
expect_rc clear 0
check_eq "scan evicted: GET 404" 404 "$(req "$T/lost.json" GET "$API/v1/layers/ubuntu1804?vulnerabilities")"
check "scan evicted: the message names the layer and says to post it again" jq -e \
	'.Error.Message | test("ubuntu1804: its scan .* no longer in the layer cache.*POST the layer again")' "$T/lost.json"
check_eq "an ancestor's scan evicted: GET 404" 404 "$(req "$T/lost2.json" GET "$API/v1/layers/$parent?vulnerabilities")"
base=$(head -n 1 "$T/layers.txt")
check "an ancestor's scan evicted: the message names the ancestor" jq -e --arg b "$base" \
	'.Error.Message | contains("of its ancestor " + $b) and contains("POST " + $b + " again")' "$T/lost2.json"
check_eq "scan evicted: POST again 201" 201 "$(post ubuntu1804 ubuntu1804.tar.gz "")"
check_eq "scan evicted: POST again fetched the layer again" 2 "$(fetches ubuntu1804.tar.gz)"
check_eq "scan evicted: GET 200 after the new POST" 200 \
	"$(req "$T/u2.json" GET "$API/v1/layers/ubuntu1804?features&vulnerabilities")"
check_same "scan evicted: the same findings after the new POST" "$T/u1.tsv" <(v1pairs "$T/u2.json")

# ---- bad requests ----
code=$(req "$T/bad.json" POST "$API/v1/layers" -d '{"Layer": ')
check_eq "malformed JSON: 400" 400 "$code"
check "malformed JSON: Clair 2's error shape" jq -e '.Error.Message | type == "string"' "$T/bad.json"
check_eq "unknown layer: 404" 404 "$(req "$T/nope.json" GET "$API/v1/layers/nope?vulnerabilities")"
code=$(req "$T/unr.json" POST "$API/v1/layers" -d '{"Layer": {"Name": "x", "Path": "http://127.0.0.1:1/layer.tar"}}')
# as Clair 2: a layer that cannot be downloaded is 400 "could not find
# layer" (klar, clair-scanner and Harbor's adapter expect it); one that is
# not a tar is 422
check_eq "unreachable Path: 400 (Clair 2)" 400 "$code"
check "unreachable Path: Clair 2's message" jq -e '.Error.Message | startswith("could not find layer x")' "$T/unr.json"
check_eq "missing file (404): 400 (Clair 2)" 400 "$(post y no-such-file "")"
printf 'this is not a tar archive, only words; ' >"$T/www/notatar"
for _ in $(seq 6); do cat "$T/www/notatar" "$T/www/notatar" >"$T/www/nt2" && mv "$T/www/nt2" "$T/www/notatar"; done
check_eq "a Path that is not a tar: 422 (Clair 2)" 422 "$(post nt notatar "")"
check_eq "unknown parent: 400" 400 "$(post z ubuntu1804.tar.gz no-such-parent)"
head -c $((17 * 1024 * 1024)) /dev/zero >"$T/huge"
code=$(req "$T/huge.json" POST "$API/v1/layers" --data-binary "@$T/huge")
check "a body over 16 MiB is refused (413 or 400): $code" test "$code" = 413 -o "$code" = 400
check_eq "DELETE: 200" 200 "$(req "$T/del.json" DELETE "$API/v1/layers/ubuntu1804")"
check_eq "DELETE twice: 404" 404 "$(req "$T/del2.json" DELETE "$API/v1/layers/ubuntu1804")"
check_eq "GET /v1/namespaces: 200" 200 "$(req "$T/ns.json" GET "$API/v1/namespaces")"
check_eq "namespaces list ubuntu:18.04" ubuntu:18.04 "$(jq -r '.Namespaces[].Name' "$T/ns.json" | grep -x ubuntu:18.04)"
check_eq "namespace vulnerabilities, paged: 200" 200 \
	"$(req "$T/nv.json" GET "$API/v1/namespaces/ubuntu:18.04/vulnerabilities?limit=5")"
check "namespace vulnerabilities: 5 and a next page" jq -e '(.Vulnerabilities | length) == 5 and (.NextPage | length) > 0' "$T/nv.json"
check_eq "namespace vulnerabilities, next page: 200" 200 \
	"$(req "$T/nv2.json" GET "$API/v1/namespaces/ubuntu:18.04/vulnerabilities?limit=5&page=$(jq -r .NextPage "$T/nv.json")")"
check "namespace vulnerabilities: the pages do not overlap" test -z \
	"$(comm -12 <(jq -r '.Vulnerabilities[].Name' "$T/nv.json" | sort) <(jq -r '.Vulnerabilities[].Name' "$T/nv2.json" | sort))"
check_eq "unknown namespace: 404" 404 "$(req "$T/nsx.json" GET "$API/v1/namespaces/nope:1/vulnerabilities")"
check_eq "bad limit: 400" 400 "$(req "$T/nsl.json" GET "$API/v1/namespaces/ubuntu:18.04/vulnerabilities?limit=0")"

kill -TERM "$SPID"
rc=0
wait "$SPID" || rc=$?
check_eq "SIGTERM: exit 0" 0 "$rc"
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$T/serve.err"; then
	fail "serve: sanitizer report"
	head -n 40 "$T/serve.err"
fi
oa_done
it_done
