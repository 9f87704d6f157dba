#!/bin/bash
# tests/integration/test_serve_v1_legacy.sh: the oldest flavour of the v1
# API (Clair 0.x), replayed as coreos/clair's contrib/analyze-local-images
# (before Clair 1.0) sends it against a remote Clair: the layers of a
# `docker save` served over HTTP as ID/layer.tar, each POSTed to /v1/layers
# as its Go struct marshals, {"ID","Path","ParentID","ImageFormat":"Docker"}
# (201 expected, the body otherwise printed); then GET
# /v1/layers/{last}/vulnerabilities?minimumPriority=P decoded as the tool
# decodes it ({"Vulnerabilities": [{ID, Link, Priority, Description,
# CausedByPackage}]}, every field a string). The layers: the Ubuntu 18.04
# root filesystem of scripts/make-pkgdb-rootfs.sh, then a layer with one
# file. The answer holds every vulnerability of Clair 2's GET ?vulnerabilities
# of the same layer once (minimumPriority=Unknown), those at or above the
# priority otherwise (the default: High); /packages lists the features.
# Before: 400 "no Layer object" and 404. The store comes from newdb; every
# process is stopped by PID at exit.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/ubuntu/uct" ] || skip "no shared test data at $DATA"
# shellcheck source=lib/serve.sh
. "$(dirname "$0")/lib/serve.sh"

DB=$(newdb legacy)
vrun import db import "$DATA/feeds/ubuntu/uct" --db "$DB"
expect_rc import 0

# the layers as `docker save` lays them out: ID/layer.tar
L1=$(printf 'legacy base' | sha256sum | cut -d' ' -f1)
L2=$(printf 'legacy top' | sha256sum | cut -d' ' -f1)
mkdir -p "$T/save/$L1" "$T/save/$L2" "$T/top/srv"
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
tar -C "$T/fs/rootfs-ubuntu1804" -cf "$T/save/$L1/layer.tar" .
echo hi >"$T/top/srv/hello"
tar -C "$T/top" -cf "$T/save/$L2/layer.tar" srv
layer_server "$T/save"
start_node n "$DB" || it_done
API=$NODE_API

# analyzeLayer(endpoint, path+"/"+layerID+"/layer.tar", layerID, parentLayerID)
analyze_layer() {
	local payload
	payload=$(python3 -c 'import json, sys; print(json.dumps({"ID": sys.argv[1], "Path": sys.argv[2], "ParentID": sys.argv[3], "ImageFormat": "Docker"}, separators=(",", ":")))' \
		"$1" "$LAYER_URL/$1/layer.tar" "$2")
	curl -s -o "$T/post.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		--data-binary "$payload" "$API/v1/layers"
}
check_eq "POST the base layer (Clair 0.x body): 201" 201 "$(analyze_layer "$L1" "")"
check "the 201 carries Clair 0.x's engine Version" jq -e '.Version == "1"' "$T/post.json"
check_eq "POST the top layer with its ParentID: 201" 201 "$(analyze_layer "$L2" "$L1")"

# getVulnerabilities(endpoint, layerID, minimumPriority): 200, then
# json.Decode into struct{Vulnerabilities []struct{ID, Link, Priority,
# Description, CausedByPackage string}}
decode() {
	python3 - "$1" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
assert isinstance(o, dict) and isinstance(o.get("Vulnerabilities"), list), "no Vulnerabilities list"
for v in o["Vulnerabilities"]:
    for k, x in v.items():
        if k in ("ID", "Link", "Priority", "Description", "CausedByPackage"):
            assert isinstance(x, str), (k, x)
    assert v.get("ID") and v.get("Priority") and v.get("CausedByPackage"), v
    print(v["ID"], v["Priority"], v["CausedByPackage"], sep="\t")
PY
}
c=$(code GET "$API/v1/layers/$L2/vulnerabilities?minimumPriority=Negligible")
check_eq "GET vulnerabilities?minimumPriority=Negligible: 200" 200 "$c"
decode "$T/body" >"$T/neg.tsv" || fail "the answer does not decode as analyze-local-images decodes it"
check "vulnerabilities found on the Ubuntu layer" test -s "$T/neg.tsv"
check "no priority under Negligible" bash -c "! cut -f2 '$T/neg.tsv' | grep -qx Unknown"

c=$(code GET "$API/v1/layers/$L2/vulnerabilities?minimumPriority=Unknown")
check_eq "minimumPriority=Unknown: 200" 200 "$c"
decode "$T/body" | cut -f1 | sort >"$T/all.ids" || fail "Unknown: does not decode"
code GET "$API/v1/layers/$L2?vulnerabilities" >/dev/null
jq -r '.Layer.Features[].Vulnerabilities[]?.Name' "$T/body" | sort -u >"$T/clair2.ids"
check "the vulnerabilities are Clair 2's GET of the same layer, each once" cmp -s "$T/all.ids" "$T/clair2.ids"
echo "legacy: $(wc -l <"$T/all.ids") vulnerabilities, $(wc -l <"$T/neg.tsv") at or above Negligible"

code GET "$API/v1/layers/$L2/vulnerabilities" >/dev/null
decode "$T/body" >"$T/high.tsv" || fail "the default priority: does not decode"
check "no minimumPriority: High and above only (Clair 0.x's default)" \
	bash -c "! cut -f2 '$T/high.tsv' | grep -qvxE 'High|Critical'"
check_eq "a bad priority: 400" 400 "$(code GET "$API/v1/layers/$L2/vulnerabilities?minimumPriority=Severe")"
check "the 400 in Clair 0.x's shape" jq -e '.Message == "invalid priority"' "$T/body"
check_eq "an unknown layer: 404" 404 "$(code GET "$API/v1/layers/nope/vulnerabilities?minimumPriority=Low")"
check "the 404 in Clair 0.x's shape" jq -e '.Message | test("cannot be found")' "$T/body"

check_eq "GET packages: 200" 200 "$(code GET "$API/v1/layers/$L2/packages")"
check "the packages are Clair 2's features" cmp -s <(jq -r '.Packages[] | .Name + " " + .Version' "$T/body" | sort) \
	<(curl -s "$API/v1/layers/$L2?features" | jq -r '.Layer.Features[] | .Name + " " + .Version' | sort)
check "every package in ubuntu:18.04" jq -e '[.Packages[].OS] | unique == ["ubuntu:18.04"]' "$T/body"
check_eq "GET os: ubuntu:18.04" ubuntu:18.04 "$(curl -s "$API/v1/layers/$L2/os" | jq -r .OS)"
check_eq "GET parent: the base" "$L1" "$(curl -s "$API/v1/layers/$L2/parent" | jq -r .ID)"

# errors of a POST in Clair 0.x's shape: an unknown parent, a layer that cannot be fetched
check_eq "POST on an unknown ParentID: 400" 400 "$(analyze_layer "$L2" nope)"
check "its message at the top level" jq -e '(.Message | type == "string") and (has("Error") | not)' "$T/post.json"
check_eq "POST a missing layer: 400 (could not find layer)" 400 "$(analyze_layer missing "")"
it_done
