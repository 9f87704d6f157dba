#!/bin/bash
# tests/integration/test_client_clair_scanner.sh: clair-scanner v13
# (arminc/clair-scanner, its last release speaking Clair 2's v1 API; pinned
# in scripts/tools.lock as clair-scanner-v13) against vigil's v1 API. There
# is no Docker engine here, so the `docker save` it asks the engine for is
# the only piece replaced (tests/clients/clair-scanner-v13/docker_archive.go
# untars the archive named by CLAIR_SCANNER_ARCHIVE); the rest is its own
# code: its layer server on :9279 (the port is its constant) serving
# <id>/layer.tar, a POST /v1/layers per layer with ParentName, the GET
# ?vulnerabilities of the last one decoded into Clair's own v1.LayerEnvelope
# (coreos/clair v2.0.7 api/v1), the threshold and whitelist, its JSON report
# and its exit code (1 unapproved findings, 0 none, 5 no features). The
# report's (featurename, vulnerability) pairs must equal `vigil scan`'s of
# the same archive, the unapproved ones those at or above -t, and the exit
# code must follow. Images: lib/v1clients.sh's Ubuntu 18.04 and Alpine 3.4
# package databases and the shared Alpine 3.10.4 `docker save` archive.
# Then clair-scanner 14.x (Clair v4, claircore's types; clair-scanner-v14)
# on the same images as OCI archives (what `docker save` writes since
# Docker 25): the records it lists equal vigil scan's report's.
# vigil and everything else listen on 127.0.0.1 and are killed by PID.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/serve.sh"
. "$(dirname "$0")/lib/tools.sh"
. "$(dirname "$0")/lib/v1clients.sh"
command -v skopeo >/dev/null 2>&1 || skip "skopeo is missing"
need_tool clair-scanner-v13
CS=$TOOL
python3 -c "import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((\"\", 9279))" 2>/dev/null ||
	skip "port 9279 (clair-scanner's layer server) is taken"
v1c_images
v1c_store cs
start_node api "$DB" || it_done

# cs NAME ARCHIVE ARGS...: clair-scanner; its report in $T/cs-NAME.json, exit in CRC
cs() {
	local name=$1 archive=$2
	shift 2
	CRC=0
	CLAIR_SCANNER_ARCHIVE=$archive timeout 300 "$CS" -c "$NODE_API" --ip 127.0.0.1 -r "$T/cs-$name.json" "$@" \
		"image-$name" >"$T/cs-$name.out" 2>"$T/cs-$name.err" || CRC=$?
}
cspairs() { jq -r '.vulnerabilities // [] | .[] | [.featurename, .vulnerability] | @tsv' "$1" | LC_ALL=C sort -u; }

# one_image LABEL ARCHIVE: findings = vigil scan's, exit 1 when any (all
# unapproved at -t Unknown), 0 when none
one_image() {
	local label=$1 archive=$2 n
	vrun "scan-$label" scan "docker-archive:$archive" --db "$DB" --format json -q
	expect_rc "scan-$label" 0
	v4pairs "$T/scan-$label.out" >"$T/scan-$label.tsv"
	n=$(wc -l <"$T/scan-$label.tsv")
	cs "$label" "$archive"
	check_eq "$label: exit $([ "$n" -gt 0 ] && echo 1 || echo 0) ($n findings)" "$([ "$n" -gt 0 ] && echo 1 || echo 0)" "$CRC"
	[ "$CRC" -le 1 ] || tail -n 5 "$T/cs-$label.err"
	cspairs "$T/cs-$label.json" >"$T/cs-$label.tsv"
	check_same "$label: clair-scanner's report = vigil scan's findings ($n)" "$T/scan-$label.tsv" "$T/cs-$label.tsv"
	check_eq "$label: every finding unapproved at -t Unknown" \
		"$(jq '.vulnerabilities | length' "$T/cs-$label.json")" "$(jq '.unapproved | length' "$T/cs-$label.json")"
}

one_image ubuntu "$UBUNTU"
check_eq "ubuntu: 107 findings" 107 "$(wc -l <"$T/cs-ubuntu.tsv")"
check "ubuntu: the namespace and fixed-by of each finding" jqok \
	'.vulnerabilities | all(.namespace == "ubuntu:18.04") and any(.fixedby != "")' "$T/cs-ubuntu.json"
one_image alpine "$ALPINE34"
one_image alpine310 "$ALPINE310"

# -t Medium: only Medium and above are unapproved
med=$(jq '[.vulnerabilities[] | select(.severity == "Medium" or .severity == "High" or .severity == "Critical"
	or .severity == "Defcon1")] | length' "$T/cs-ubuntu.json")
cs ubuntu-med "$UBUNTU" -t Medium
check_eq "ubuntu -t Medium: $med unapproved" "$med" "$(jq '.unapproved | length' "$T/cs-ubuntu-med.json")"
check_eq "ubuntu -t Medium: exit 1" 1 "$CRC"
# every id whitelisted: approved, exit 0
jq -r '"generalwhitelist:", (.vulnerabilities[].vulnerability | "  \(.): listed")' "$T/cs-ubuntu.json" |
	awk '!seen[$0]++' >"$T/whitelist.yaml"
cs ubuntu-wl "$UBUNTU" -w "$T/whitelist.yaml"
check_eq "ubuntu, every id whitelisted: exit 0" 0 "$CRC"
check_eq "ubuntu, every id whitelisted: none unapproved" 0 "$(jq '.unapproved | length' "$T/cs-ubuntu-wl.json")"

# a layer the scanner cannot serve: vigil answers 400 and clair-scanner stops
mkdir -p "$T/bad/0123abcd"
printf 'not a tar' >"$T/bad/0123abcd/layer.tar"
echo '[{"Config": "c.json", "RepoTags": ["bad:1"], "Layers": ["0123abcd/layer.tar"]}]' >"$T/bad/manifest.json"
tar -C "$T/bad" -cf "$T/bad.tar" manifest.json 0123abcd
cs bad "$T/bad.tar"
check "not a tar: clair-scanner fails (exit $CRC)" test "$CRC" != 0 -a "$CRC" != 5
check "not a tar: it shows vigil's 422" grep -q 'Got response 422' "$T/cs-bad.err"
# a gzip layer whose trailer is corrupt: clair-scanner prints vigil's
# message, which names the layer (it named a placeholder, "sha256:pending")
mkdir -p "$T/crc/4567cdef" "$T/crc/e"
tar -C "$T/crc/e" -cf - . | gzip -c >"$T/crc/4567cdef/layer.tar"
printf '\xde\xad\xbe\xef' | dd of="$T/crc/4567cdef/layer.tar" bs=1 seek=$(($(stat -c %s "$T/crc/4567cdef/layer.tar") - 8)) \
	conv=notrunc 2>/dev/null
echo '[{"Config": "c.json", "RepoTags": ["crc:1"], "Layers": ["4567cdef/layer.tar"]}]' >"$T/crc/manifest.json"
tar -C "$T/crc" -cf "$T/crc.tar" manifest.json 4567cdef
cs crc "$T/crc.tar"
check "a corrupt gzip trailer: vigil's 422 shown" grep -q 'Got response 422' "$T/cs-crc.err"
check "a corrupt gzip trailer: the message names the layer, not a placeholder" \
	bash -c "grep -q 'layer 4567cdef: gzip' '$T/cs-crc.err' && ! grep -q pending '$T/cs-crc.err'"

# ---- clair-scanner 14.x: the same images over Clair v4 (claircore's types) ----
# It POSTs /indexer/api/v1/index_report {hash, layers: [{hash, uri}]} with
# the layers of `docker save`'s OCI layout, polls GET index_report/{hash}
# (after a second, 200 wanted), then GETs the vulnerability_report and
# decodes its `vulnerabilities` map into claircore.Vulnerability: one line
# per vulnerability record, its package the record's (the source package).
need_tool clair-scanner-v14
CS=$TOOL
# v4recs FILE: vigil's report's records as clair-scanner 14 lists them
v4recs() { jq -r '.vulnerabilities[] | [.package.name // "", .name] | @tsv' "$1" | LC_ALL=C sort -u; }
cs14() { # LABEL ARCHIVE(docker save) [ARGS...]
	local label=$1 archive=$2
	shift 2
	skopeo copy -q "docker-archive:$archive" "oci-archive:$T/$label.oci.tar" >/dev/null 2>"$T/skopeo-$label.err" ||
		{ fail "skopeo copy $archive to an oci-archive: $(cat "$T/skopeo-$label.err")"; return; }
	cs "v14-$label" "$T/$label.oci.tar" "$@"
}
for label in ubuntu alpine; do
	archive=$UBUNTU
	[ "$label" = alpine ] && archive=$ALPINE34
	cs14 "$label" "$archive"
	check_eq "v14 $label: exit 1 (unapproved findings)" 1 "$CRC"
	[ "$CRC" = 1 ] || tail -n 5 "$T/cs-v14-$label.err"
	v4recs "$T/scan-$label.out" >"$T/recs-$label.tsv"
	cspairs "$T/cs-v14-$label.json" >"$T/cs14-$label.tsv"
	check_same "v14 $label: clair-scanner's records = vigil scan's" "$T/recs-$label.tsv" "$T/cs14-$label.tsv"
done
check "v14 ubuntu: severities and links decoded (claircore's types)" jqok \
	'.vulnerabilities | all(.severity == "Negligible" or .severity == "Low" or .severity == "Medium") and all(.link != "")' \
	"$T/cs-v14-ubuntu.json"
cs14 alpine310 "$ALPINE310"
check_eq "v14 alpine310 (no findings): exit 0" 0 "$CRC"

v1c_stop "$NODE_PID" "$T/api.err"
it_done
