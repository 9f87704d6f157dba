#!/bin/bash
# tests/integration/test_serve_v1_defects.sh: the defects of vigil issue 11
# on the Clair v1 API, through the real server and libmicrohttpd, with curl
# (each check failed before its fix):
#  - first poster wins: a name re-POSTed with another Path answered 201
#    without fetching and GET showed the first poster's layer; now the new
#    Path is fetched and shown (the same Path again is not fetched);
#  - secrets echoed: a failing Path's userinfo and presigned query were in
#    the error and the log; now neither;
#  - cycle: A posted on B after B on A was stored and GET answered 500;
#    now 400 and GET still answers;
#  - %00: DELETE /v1/layers/NAME%00junk deleted NAME (libmicrohttpd decodes
#    the path); now 400 and NAME is still there.
# Layers: the Ubuntu 18.04 root filesystem of scripts/make-pkgdb-rootfs.sh
# (90 packages) and a layer with one file, served by python3's http.server
# on 127.0.0.1. No vulnerability data is needed (?features). The store comes
# from newdb; every process is stopped by PID at exit.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/pkgdb" ] || skip "no shared test data at $DATA"
# shellcheck source=lib/serve.sh
. "$(dirname "$0")/lib/serve.sh"

mkdir -p "$T/www" "$T/empty/srv"
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
tar -C "$T/fs/rootfs-ubuntu1804" -czf "$T/www/ubuntu.tar.gz" .
echo hi >"$T/empty/srv/hello"
tar -C "$T/empty" -cf "$T/www/empty.tar" srv
layer_server "$T/www"
DB=$(newdb d)
start_node n "$DB" || it_done
API=$NODE_API
fetches() { grep -c "GET /$1 " "$LAYER_LOG"; }
post() { # NAME FILE PARENT -> the status; the body in $T/body
	code POST "$API/v1/layers" -d "{\"Layer\": {\"Name\": \"$1\", \"Path\": \"$LAYER_URL/$2\", \"ParentName\": \"$3\"}}"
}
nfeatures() { code GET "$API/v1/layers/$1?features" >/dev/null; jq '.Layer.Features | length' "$T/body"; }

# ---- first poster wins ----
check_eq "first poster: 201" 201 "$(post shared empty.tar "")"
check_eq "first poster's layer: no features" 0 "$(nfeatures shared)"
check_eq "second poster, another Path: 201" 201 "$(post shared ubuntu.tar.gz "")"
check_eq "second poster's Path fetched" 1 "$(fetches ubuntu.tar.gz)"
check_eq "GET shows the second poster's layer (90 packages)" 90 "$(nfeatures shared)"
check_eq "the same Path again: 201" 201 "$(post shared ubuntu.tar.gz "")"
check_eq "the same Path again: not fetched" 1 "$(fetches ubuntu.tar.gz)"

# ---- secrets in a failing Path ----
code POST "$API/v1/layers" -d "{\"Layer\": {\"Name\": \"sec\",
	\"Path\": \"http://alice:S3CRETPW@${LAYER_URL#http://}/missing.tar?X-Amz-Signature=SIGSECRET&X-Amz-Credential=CREDSECRET\"}}" >"$T/sec.code"
check_eq "a failing Path with secrets: 400 (Clair 2: could not find layer)" 400 "$(cat "$T/sec.code")"
check "the 400 names the layer" jq -e '.Error.Message | contains("missing.tar")' "$T/body"
check "the 400 repeats no secret" test -z "$(grep -E 'S3CRETPW|SIGSECRET|CREDSECRET' "$T/body")"
check "the server's log repeats no secret" test -z "$(grep -E 'S3CRETPW|SIGSECRET|CREDSECRET' "$T/n.err")"
code POST "$API/v1/layers" -d '{"Layer": {"Name": "sec", "Path": "http://bob:S3CRETPW@h/x?sig=SIGSECRET" "x"}}' >"$T/sec.code"
check_eq "a body that is not JSON after a Path: 400" 400 "$(cat "$T/sec.code")"
check "the 400 repeats no secret" test -z "$(grep -E 'S3CRETPW|SIGSECRET' "$T/body")"

# ---- a cycle ----
check_eq "cycle: A 201" 201 "$(post cy-a empty.tar "")"
check_eq "cycle: B on A 201" 201 "$(post cy-b empty.tar cy-a)"
check_eq "cycle: A on B refused (400)" 400 "$(post cy-a empty.tar cy-b)"
check "cycle: the message says why" jq -e '.Error.Message | test("descendants")' "$T/body"
check_eq "cycle: A on A refused (400)" 400 "$(post cy-a empty.tar cy-a)"
check_eq "cycle: GET B still 200" 200 "$(code GET "$API/v1/layers/cy-b?features")"
check_eq "cycle: GET A still 200" 200 "$(code GET "$API/v1/layers/cy-a?features")"

# ---- a NUL (or another control character) in a name ----
check_eq "DELETE NAME%00junk: 400" 400 "$(code DELETE "$API/v1/layers/cy-a%00junk")"
check_eq "GET NAME%00junk: 400" 400 "$(code GET "$API/v1/layers/cy-a%00junk")"
check_eq "GET NAME%0a: 400" 400 "$(code GET "$API/v1/layers/cy-a%0a")"
# (cut at the NUL the path has no /vulnerabilities left: no such endpoint)
c=$(code GET "$API/v1/namespaces/ubuntu:18.04%00x/vulnerabilities")
check "GET a namespace with %00: refused ($c)" test "$c" = 400 -o "$c" = 404
check_eq "GET a namespace with %01 inside: 400" 400 "$(code GET "$API/v1/namespaces/ubuntu:18.04%01x/vulnerabilities")"
check_eq "NAME is still there" 200 "$(code GET "$API/v1/layers/cy-a")"
check_eq "a NUL in a posted name: 400" 400 "$(post 'cy-a\u0000junk' empty.tar "")"

# ---- the rendered answer: the same twice, a write shows at once ----
code GET "$API/v1/layers/shared?features&vulnerabilities" >/dev/null
cp "$T/body" "$T/a1.json"
code GET "$API/v1/layers/shared?features&vulnerabilities" >/dev/null
check_same "GET twice: the same answer" "$T/a1.json" "$T/body"
check_eq "DELETE shared: 200" 200 "$(code DELETE "$API/v1/layers/shared")"
check_eq "GET after DELETE: 404 at once" 404 "$(code GET "$API/v1/layers/shared?features&vulnerabilities")"

kill -TERM "$NODE_PID"
rc=0
wait "$NODE_PID" || rc=$?
check_eq "SIGTERM: exit 0" 0 "$rc"
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$T/n.err"; then
	fail "serve: sanitizer report"
	head -n 40 "$T/n.err"
fi
it_done
