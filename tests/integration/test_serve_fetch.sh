#!/bin/bash
# tests/integration/test_serve_fetch.sh: the layer-URI fetch policy of
# `vigil serve` (net/, docs/net.md) end to end, against a small HTTP
# server this test runs on 127.0.0.1:
#   - a config denying 127.0.0.0/8 and ::1 (indexer.fetch.deny): a Manifest
#     whose layer URI is on 127.0.0.1 is answered 422 naming the URL
#     redacted (no password, no signature) and the rule, and the layer
#     server sees no request at all (the check is on the connect path);
#   - indexer.fetch.deadline: 2 s: a layer trickling bytes faster than the
#     stall rule ends in about 2 s with 502 "timed out after 2 s";
#   - a layer server sending a 200 kB header: 502 "response header over
#     65536 bytes from URL", not 502 "Out of memory";
#   - a bad CIDR in the config: the server does not start, the key named.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
# nodes, free ports, newdb (lib/serve.sh); killed by PID at exit
. "$(dirname "$0")/lib/serve.sh"

WPORT=$(free_port)
python3 - "$WPORT" 2>"$T/www.log" <<'PY' &
import http.server, sys, time
port = int(sys.argv[1])
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def do_GET(self):
        sys.stderr.write("GET %s\n" % self.path)
        sys.stderr.flush()
        if self.path.startswith("/trickle"):
            self.send_response(200)
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            try:
                for _ in range(100):  # 5 bytes/s, over the stall rule, for at most 20 s
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path.startswith("/bighdr"):
            self.send_response(200)
            self.send_header("X-Big", "a" * 200000)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
PIDS+=($!)
wait_http "$WPORT" || fail "the layer server did not come up"
: >"$T/www.log"
W=http://127.0.0.1:$WPORT
FAKE=sha256:$(printf 'fetch-policy' | sha256sum | cut -d' ' -f1)
manifest() { jq -n -c --arg h "$FAKE" --arg u "$1" '{hash: $h, layers: [{hash: $h, uri: $u}]}'; }

# ---- indexer.fetch.deny ----
cat >"$T/deny.yaml" <<YAML
indexer:
  fetch:
    deny: [127.0.0.0/8, "::1/128"]
YAML
start_node deny "$(newdb deny)" --config "$T/deny.yaml" || { it_done; exit 1; }
c=$(code POST "$NODE_API/indexer/api/v1/index_report" \
	-d "$(manifest "http://alice:S3CRETPW@127.0.0.1:$WPORT/layer.tar?X-Amz-Signature=SIG")")
check_eq "denied address: 422" 422 "$c"
check "denied address: unprocessable, the rule named" grep -q \
	'"code":"unprocessable".*refused by the address policy: 127.0.0.1 is in the denied range 127.0.0.0/8' "$T/body"
check "denied address: the URL named, redacted" grep -qF "http://***@127.0.0.1:$WPORT/layer.tar?X-Amz-Signature=***" "$T/body"
check "denied address: no password in the answer" bash -c "! grep -q S3CRETPW '$T/body'"
check "denied address: no signature in the answer" bash -c "! grep -q '=SIG' '$T/body'"
check "denied address: no signature in the log" bash -c "! grep -q 'S3CRETPW\|=SIG' '$T/deny.err'"
c=$(code POST "$NODE_API/indexer/api/v1/index_report" -d "$(manifest "http://localhost:$WPORT/layer.tar")")
check_eq "denied address by name (localhost): 422" 422 "$c"
sleep 0.3
check_eq "denied address: the layer server saw no request" 0 "$(grep -c '^GET ' "$T/www.log")"
kill "$NODE_PID" 2>/dev/null
wait "$NODE_PID" 2>/dev/null

# ---- the deadline and the header cap ----
cat >"$T/deadline.yaml" <<YAML
indexer:
  fetch:
    deadline: 2s
YAML
start_node deadline "$(newdb deadline)" --config "$T/deadline.yaml" || { it_done; exit 1; }
t0=$(date +%s%N)
c=$(code POST "$NODE_API/indexer/api/v1/index_report" -d "$(manifest "$W/trickle")")
ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "trickling layer: 502" 502 "$c"
check "trickling layer: timed out at the deadline" grep -q "$W/trickle: timed out after 2 s" "$T/body"
check "trickling layer: ended in under 6 s (took $ms ms)" [ "$ms" -lt 6000 ]
check "trickling layer: it was fetched" grep -q '^GET /trickle' "$T/www.log"
c=$(code POST "$NODE_API/indexer/api/v1/index_report" -d "$(manifest "$W/bighdr")")
check_eq "200 kB header: 502 (an upstream failure)" 502 "$c"
check "200 kB header: the cap and the URL named" grep -q "response header over 65536 bytes from $W/bighdr" "$T/body"
check "200 kB header: not out of memory" bash -c "! grep -qi 'out of memory' '$T/body'"
kill "$NODE_PID" 2>/dev/null
wait "$NODE_PID" 2>/dev/null

# ---- a bad CIDR: the server does not start ----
printf 'indexer:\n  fetch:\n    deny: ["10.0.0.1/8"]\n' >"$T/bad.yaml"
vrun badcidr serve --config "$T/bad.yaml" --listen 127.0.0.1:0 --introspection-listen "" --db "$T/bad.db"
check "bad CIDR: exit 1" [ "$VRC" = 1 ]
check "bad CIDR: the key and the reason named" grep -q \
	'bad.yaml: line 3: indexer.fetch.deny: CIDR "10.0.0.1/8": host bits are set' "$T/badcidr.err"
it_done
