#!/bin/bash
# tests/integration/test_serve_v1.sh: the Clair v1 API of `vigil serve` as
# clair-scanner and klar drive it, with curl: every layer of the demo image
# (oci:v2) served by a python3 http.server on 127.0.0.1 and POSTed in order
# with its ParentName, then GET ?vulnerabilities on the last one, compared
# with `vigil scan` of the same image on the same database; the Ubuntu
# 18.04 root filesystem of scripts/make-pkgdb-rootfs.sh packed as one tar
# layer (107 findings against the Ubuntu tracker); the bad requests
# (malformed JSON, unknown layer, unreachable Path, a body over the limit).
# The server and the file server are killed by PID at the end.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
"$VIGIL" serve --help >/dev/null 2>&1 || skip "$VIGIL has no 'serve' subcommand yet"
command -v curl >/dev/null || skip "curl is missing"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/ubuntu/uct" ] || skip "no shared test data at $DATA"

PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; it_cleanup; }
trap stop_all EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

DB=$T/v.db
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

WPORT=$(free_port)
(cd "$T/www" && exec python3 -m http.server "$WPORT" --bind 127.0.0.1 >/dev/null 2>&1) &
PIDS+=($!)
SPORT=$(free_port)
IPORT=$(free_port)
"$VIGIL" serve --listen "127.0.0.1:$SPORT" --introspection-listen "127.0.0.1:$IPORT" --db "$DB" \
	>"$T/serve.out" 2>"$T/serve.err" &
PIDS+=($!)
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$IPORT/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
API=http://127.0.0.1:$SPORT

post() { # NAME FILE PARENT -> status in $T/post.code, body in $T/post.json
	curl -s -o "$T/post.json" -w '%{http_code}' -X POST "$API/v1/layers" -H 'Content-Type: application/json' \
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
curl -s "$API/v1/layers/$parent?vulnerabilities" >"$T/v1.json"
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

# ---- the Ubuntu 18.04 root filesystem as one layer ----
code=$(post ubuntu1804 ubuntu1804.tar.gz "")
check_eq "Ubuntu 18.04 layer: 201" 201 "$code"
curl -s "$API/v1/layers/ubuntu1804?features&vulnerabilities" >"$T/u.json"
vrun uscan scan "dir:$T/fs/rootfs-ubuntu1804" --db "$DB" --format json -q
v1pairs "$T/u.json" >"$T/u1.tsv"
v4pairs "$T/uscan.out" >"$T/u4.tsv"
check_eq "Ubuntu 18.04: 107 findings over v1" 107 "$(jq '[.Layer.Features[].Vulnerabilities // [] | length] | add' "$T/u.json")"
check_same "Ubuntu 18.04: v1 findings = vigil scan findings" "$T/u4.tsv" "$T/u1.tsv"
check "Ubuntu 18.04: Clair 2 severities only" jq -e '[.Layer.Features[].Vulnerabilities // [] | .[].Severity]
	| all(. == "Unknown" or . == "Negligible" or . == "Low" or . == "Medium" or . == "High" or . == "Critical")' "$T/u.json"

# ---- bad requests ----
code=$(curl -s -o "$T/bad.json" -w '%{http_code}' -X POST "$API/v1/layers" -d '{"Layer": ')
check_eq "malformed JSON: 400" 400 "$code"
check "malformed JSON: Clair 2's error shape" jq -e '.Error.Message | type == "string"' "$T/bad.json"
check_eq "unknown layer: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$API/v1/layers/nope?vulnerabilities")"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/v1/layers" \
	-d '{"Layer": {"Name": "x", "Path": "http://127.0.0.1:1/layer.tar"}}')
check_eq "unreachable Path: 422" 422 "$code"
check_eq "missing file: 422" 422 "$(post y no-such-file "")"
head -c $((17 * 1024 * 1024)) /dev/zero >"$T/huge"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/v1/layers" --data-binary "@$T/huge")
check "a body over 16 MiB is refused (413 or 400): $code" test "$code" = 413 -o "$code" = 400
check_eq "DELETE: 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$API/v1/layers/ubuntu1804")"
check_eq "namespaces list ubuntu:18.04" ubuntu:18.04 \
	"$(curl -s "$API/v1/namespaces" | jq -r '.Namespaces[].Name' | grep -x ubuntu:18.04)"
it_done
