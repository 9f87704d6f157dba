#!/bin/bash
# tests/integration/test_inspect.sh: `vigil inspect` on real images.
# The demo Debian image (oci:v2 of scripts/make-images.sh) and the shared
# alpine 3.10 docker-archive: layer digests equal to the manifest's, each
# layer's file count equal to tar's listing (folders and whiteouts aside),
# its uncompressed size to the tar's bytes, the history's created_by to
# the config's, the reconstructed Dockerfile; a config with secrets in its
# env (masked in every format), a malformed config and an unknown
# reference (clear errors); a family of images built here (base, a child
# adding a layer, a sibling adding another) indexed into the store and its
# family tree; and one OCI layout tag moved from one image to another,
# each scanned, and its tag history (two digests, dates, findings then).
# Runs on SQLite, and on PostgreSQL as pg/integration/test_inspect.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"
. "$(dirname "$0")/lib/oci.sh"
"$VIGIL" inspect --help >/dev/null 2>&1 || skip "$VIGIL has no 'inspect' subcommand"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
ALPINE=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
[ -f "$ALPINE" ] || skip "no shared test data at $DATA"

# The file and whiteout counts and the bytes of a gzip layer, as tar sees them.
tar_files() { tar -tzf "$1" | grep -v '/$' | grep -vc '\(^\|/\)\.wh\.'; }
tar_whiteouts() { tar -tzf "$1" | grep -c '\(^\|/\)\.wh\.'; }
blob() { echo "$1/blobs/sha256/${2#sha256:}"; }

# ---- the demo image: every layer against its blob ----
DEMO=$IMAGES/oci
if [ -f "$DEMO/index.json" ]; then
	vrun demo inspect -q --format json "oci:$DEMO:v2"
	expect_rc demo 0
	MAN=$(blob "$DEMO" "$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "v2") | .digest' "$DEMO/index.json")")
	CFG=$(blob "$DEMO" "$(jq -r .config.digest "$MAN")")
	check_eq "demo: manifest digest" "sha256:$(sha256sum "$MAN" | cut -d' ' -f1)" "$(jq -r .manifest_digest "$T/demo.out")"
	check_eq "demo: config digest" "$(jq -r .config.digest "$MAN")" "$(jq -r .config_digest "$T/demo.out")"
	check_eq "demo: layer digests are the manifest's" "$(jq -c '[.layers[].digest]' "$MAN")" \
		"$(jq -c '[.layers[].digest]' "$T/demo.out")"
	check_eq "demo: compressed sizes are the manifest's" "$(jq -c '[.layers[].size]' "$MAN")" \
		"$(jq -c '[.layers[].size]' "$T/demo.out")"
	i=0
	for d in $(jq -r '.layers[].digest' "$MAN"); do
		b=$(blob "$DEMO" "$d")
		check_eq "demo: layer $i file count = tar's" "$(tar_files "$b")" "$(jq ".layers[$i].files" "$T/demo.out")"
		check_eq "demo: layer $i whiteouts = tar's" "$(tar_whiteouts "$b")" "$(jq ".layers[$i].whiteouts" "$T/demo.out")"
		check_eq "demo: layer $i uncompressed = the tar's bytes" "$(gzip -dc "$b" | wc -c)" \
			"$(jq ".layers[$i].uncompressed" "$T/demo.out")"
		i=$((i + 1))
	done
	check_eq "demo: total files" "$(jq '[.layers[].files] | add' "$T/demo.out")" "$(jq .totals.files "$T/demo.out")"
	check_eq "demo: every history entry, created_by as in the config" "$(jq -c '[.history[].created_by]' "$CFG")" \
		"$(jq -c '[.history[].created_by]' "$T/demo.out")"
	check_eq "demo: the entries that made a layer have its digest" "$(jq -c '[.layers[].digest]' "$MAN")" \
		"$(jq -c '[.history[] | select(.layer != null) | .layer.digest]' "$T/demo.out")"
	check_eq "demo: the config's Cmd" "$(jq -c .config.Cmd "$CFG")" "$(jq -c .config.cmd "$T/demo.out")"
	vrun demotable inspect -q "oci:$DEMO:v2"
	expect_rc demotable 0
	check "demo table: the history section" grep -q "^HISTORY ($(jq '.history | length' "$CFG") entries, 3 layers)" "$T/demotable.out"
	check "demo table: the first layer's file count" grep -qE "^  0 .* $(jq '.layers[0].files' "$T/demo.out")  " "$T/demotable.out"
else
	note "SKIP part: the demo image $DEMO is absent (make images in the main worktree)"
fi

# ---- alpine 3.10 (a docker save archive): the layer inside the outer tar ----
vrun alpine inspect -q --format json "docker-archive:$ALPINE"
expect_rc alpine 0
LT=$(tar -tzf "$ALPINE" | grep '/layer.tar$')
check_eq "alpine: one layer, its diff_id" "sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028" \
	"$(jq -r '.layers | if length == 1 then .[0].digest else "count \(length)" end' "$T/alpine.out")"
check_eq "alpine: file count = tar's" "$(tar -xzOf "$ALPINE" "$LT" | tar -t | grep -v '/$' | grep -vc '\.wh\.')" \
	"$(jq '.layers[0].files' "$T/alpine.out")"
check_eq "alpine: uncompressed = layer.tar's bytes" "$(tar -xzOf "$ALPINE" "$LT" | wc -c)" "$(jq '.layers[0].uncompressed' "$T/alpine.out")"
check_eq "alpine: the reconstructed Dockerfile" \
	'FROM scratch
ADD file:d48cac34fac385cbc1de6adfdd88300f76f9bbe346cd17e64fd834d042a98326 in /
CMD ["/bin/sh"]' "$(jq -r .dockerfile "$T/alpine.out")"
check_eq "alpine: empty_layer entries kept" "false true" "$(jq -r '[.history[].empty_layer] | map(tostring) | join(" ")' "$T/alpine.out")"
check_eq "alpine: docker_version" "18.06.1-ce" "$(jq -r .docker_version "$T/alpine.out")"
vrun alpine-o inspect -q "docker-archive:$ALPINE" --format json -o "$T/alpine-o.json"
expect_rc alpine-o 0
check_same "-o FILE: the same JSON" "$T/alpine.out" "$T/alpine-o.json"
# -o /dev/null (a device, a pipe) is written in place, never replaced by a file
if mknod -m 666 "$T/null" c 1 3 2>/dev/null; then
	vrun alpine-null inspect -q --no-layers "docker-archive:$ALPINE" -o "$T/null"
	expect_rc alpine-null 0
	check "-o a character device: still the device" test -c "$T/null"
else
	note "SKIP part: mknod not permitted (the -o /dev/null check)"
fi

# ---- a config written here: secrets masked, every member read ----
mkdir -p "$T/d/base/etc" "$T/d/child/app" "$T/d/sib/srv" "$T/d/extra/opt"
echo base >"$T/d/base/etc/base-release"
echo child >"$T/d/child/app/run"
echo sibling >"$T/d/sib/srv/data"
echo extra >"$T/d/extra/opt/x"

# set_config LAYOUT JSON|--raw FILE: the layout's image with its config
# merged with JSON (or replaced by FILE's bytes), manifest and index rewritten.
set_config() {
	local lay=$1 man cfg d md
	man=$(blob "$lay" "$(jq -r '.manifests[0].digest' "$lay/index.json")")
	if [ "$2" = --raw ]; then
		cp "$3" "$T/cfg.new"
	else
		cfg=$(blob "$lay" "$(jq -r .config.digest "$man")")
		jq -c --argjson add "$2" '. * $add' "$cfg" >"$T/cfg.new"
	fi
	d=$(blob_put "$lay" "$T/cfg.new")
	jq -c --arg d "$d" --argjson s "$(bsize "$lay" "$d")" '.config.digest = $d | .config.size = $s' "$man" >"$T/man.new"
	md=$(blob_put "$lay" "$T/man.new")
	jq -c --arg d "$md" --argjson s "$(bsize "$lay" "$md")" '.manifests[0].digest = $d | .manifests[0].size = $s' \
		"$lay/index.json" >"$T/idx.new"
	mv "$T/idx.new" "$lay/index.json"
}
oci_from_dirs "$T/secret" "$T/d/base"
set_config "$T/secret" '{"created":"2024-05-01T10:00:00Z","config":{"User":"app","WorkingDir":"/srv",
 "Entrypoint":["/entry.sh"],"Cmd":["serve","--port","8080"],"StopSignal":"SIGTERM",
 "Env":["PATH=/usr/bin:/bin","AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE","DB_PASSWORD=correct-horse-battery","LANG=C.UTF-8"],
 "ExposedPorts":{"8080/tcp":{},"9090/tcp":{}},"Volumes":{"/data":{}},"Labels":{"org.opencontainers.image.version":"1.2"},
 "Healthcheck":{"Test":["CMD","/health"],"Interval":10000000000,"Retries":2}},
 "history":[{"created":"2024-05-01T09:00:00Z","created_by":"COPY base / # buildkit","comment":"buildkit.dockerfile.v0"},
 {"created_by":"ENV DB_PASSWORD=correct-horse-battery","empty_layer":true},
 {"created_by":"EXPOSE map[8080/tcp:{} 9090/tcp:{}]","empty_layer":true}]}'
vrun secret inspect -q --format json "oci:$T/secret:t"
expect_rc secret 0
check_eq "config: env masked" "PATH=/usr/bin:/bin AWS_ACCESS_KEY_ID=AKIA************MPLE DB_PASSWORD=******** LANG=C.UTF-8" \
	"$(jq -r '[.config.env[] | "\(.name)=\(.value)"] | join(" ")' "$T/secret.out")"
check_eq "config: which were masked" "false true true false" "$(jq -r '[.config.env[].masked] | map(tostring) | join(" ")' "$T/secret.out")"
check_eq "config: user, workdir, entrypoint, cmd, stop signal" 'app /srv ["/entry.sh"] ["serve","--port","8080"] SIGTERM' \
	"$(jq -r '.config | "\(.user) \(.working_dir) \(.entrypoint | tojson) \(.cmd | tojson) \(.stop_signal)"' "$T/secret.out")"
check_eq "config: ports, volumes, labels, healthcheck" '["8080/tcp","9090/tcp"] ["/data"] {"org.opencontainers.image.version":"1.2"} CMD /health interval=10s retries=2' \
	"$(jq -r '.config | "\(.exposed_ports | tojson) \(.volumes | tojson) \(.labels | tojson) \(.healthcheck.test) \(.healthcheck.options)"' "$T/secret.out")"
check_eq "config: the Dockerfile" 'FROM scratch
COPY base /
ENV DB_PASSWORD=********
EXPOSE 8080/tcp 9090/tcp' "$(jq -r .dockerfile "$T/secret.out")"
check "config: the password never in clear (history, Dockerfile, table)" \
	bash -c "! grep -q correct-horse-battery '$T/secret.out' && ! $VIGIL inspect -q 'oci:$T/secret:t' | grep -q correct-horse"
vrun secrettable inspect -q "oci:$T/secret:t"
expect_rc secrettable 0
check "table: the AWS key masked" grep -q "AWS_ACCESS_KEY_ID=AKIA\*\*\*\*\*\*\*\*\*\*\*\*MPLE   (masked: an AWS access key id)" "$T/secrettable.out"
check "table: the AWS key never in clear" bash -c "! grep -q AKIAIOSFODNN7EXAMPLE '$T/secrettable.out' '$T/secret.out'"

# ---- bad input: clear errors, exit 1, nothing on stdout ----
oci_from_dirs "$T/badtype" "$T/d/base"
set_config "$T/badtype" '{"config":{"Env":["A=1",42]}}'
vrun badtype inspect -q "oci:$T/badtype:t"
expect_rc badtype 1
check "bad type: the error names the member" grep -q 'image config: config.Env\[1\]: not a string' "$T/badtype.err"
check "bad type: nothing on stdout" test ! -s "$T/badtype.out"
oci_from_dirs "$T/badjson" "$T/d/base"
printf '{"architecture": "amd64", "os": ' >"$T/broken.json"
set_config "$T/badjson" --raw "$T/broken.json"
vrun badjson inspect -q "oci:$T/badjson:t"
expect_rc badjson 1
check "not JSON: the error names the config blob" grep -q "badjson:t: blobs/sha256/.*: bad JSON at line 1" "$T/badjson.err"
vrun unknown inspect -q "oci:$T/no-such-layout:t"
expect_rc unknown 1
check "unknown reference: the error names it" grep -q 'no-such-layout' "$T/unknown.err"
vrun usage inspect -q
expect_rc usage 2
vrun usage2 inspect -q --format sarif "oci:$T/secret:t"
expect_rc usage2 2

# ---- the family tree: base, child (base + a layer), sibling (base + another) ----
DB=$(vigil_db family)
oci_from_dirs "$T/base" "$T/d/base"
oci_from_dirs "$T/child" "$T/d/base" "$T/d/child"
oci_from_dirs "$T/sib" "$T/d/base" "$T/d/sib"
oci_from_dirs "$T/grandchild" "$T/d/base" "$T/d/child" "$T/d/extra"
for i in base child sib grandchild; do
	vrun "index-$i" index -q --db "$DB" "oci:$T/$i:t"
	expect_rc "index-$i" 0
done
manifest_of() { jq -r '.manifests[0].digest' "$1/index.json"; }
vrun fam-child inspect -q --no-layers --family-tree --db "$DB" --format json "oci:$T/child:t"
expect_rc fam-child 0
check_eq "family of child: parent base, self, child grandchild, sibling sib" \
	"parent:oci:$T/base:t self:oci:$T/child:t child:oci:$T/grandchild:t sibling:oci:$T/sib:t" \
	"$(jq -r '[.family.members[] | "\(.relation):\(.reference)"] | join(" ")' "$T/fam-child.out")"
check_eq "family of child: siblings share 1 layer" 1 "$(jq .family.base_layers "$T/fam-child.out")"
check_eq "family of child: the parent's manifest digest" "$(manifest_of "$T/base")" \
	"$(jq -r '.family.members[0].manifest_digest' "$T/fam-child.out")"
check_eq "family of child: never scanned: findings -1" "-1 -1 -1 -1" "$(jq -r '[.family.members[].findings] | map(tostring) | join(" ")' "$T/fam-child.out")"
vrun fam-base inspect -q --family-tree --db "$DB" --format json "oci:$T/base:t"
expect_rc fam-base 0
check_eq "family of base: three children" "self child child child" "$(jq -r '[.family.members[].relation] | join(" ")' "$T/fam-base.out")"
vrun fam-gc inspect -q --family-tree --db "$DB" "oci:$T/grandchild:t"
expect_rc fam-gc 0
check "family of grandchild (table): two parents" test "$(grep -c '^  parent ' "$T/fam-gc.out")" = 2
check "family of grandchild (table): sib is not its sibling (base is child's 2 layers)" bash -c "! grep -q '^  sibling ' '$T/fam-gc.out'"

# ---- the tag history: one layout tag moved from an Ubuntu 18.04 image to an Alpine 3.4 one ----
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
DB2=$(vigil_db tags)
vrun import db import "$DATA/feeds/ubuntu/uct" "$DATA/feeds/alpine/secdb-json" --db "$DB2"
expect_rc import 0
oci_from_dirs "$T/ubuntu" "$T/fs/rootfs-ubuntu1804"
oci_from_dirs "$T/alpine34" "$T/fs/rootfs-alpine34"
mkdir -p "$T/live/blobs/sha256"
# point_tag SRC: the layout "live" holds SRC's blobs and its index (tag "t")
point_tag() {
	cp -n "$1"/blobs/sha256/* "$T/live/blobs/sha256/"
	cp "$1/oci-layout" "$1/index.json" "$T/live/"
}
findings() { jq '[.package_vulnerabilities[] | length] | add // 0' "$1"; }
before=$(date +%s)
point_tag "$T/ubuntu"
vrun scan1 scan -q --db "$DB2" --format json "oci:$T/live:t"
expect_rc scan1 0
n1=$(findings "$T/scan1.out")
check "the Ubuntu image has findings ($n1)" test "$n1" -gt 50
sleep 1
point_tag "$T/alpine34"
vrun index2 index -q --db "$DB2" "oci:$T/live:t"
expect_rc index2 0
vrun scan2 scan -q --db "$DB2" --format json "oci:$T/live:t"
expect_rc scan2 0
n2=$(findings "$T/scan2.out")
after=$(date +%s)
vrun tags inspect --db "$DB2" --tag-history "oci:$T/live:t" --format json
expect_rc tags 0
check_eq "tag history: two digests, by first seen" "$(manifest_of "$T/ubuntu") $(manifest_of "$T/alpine34")" \
	"$(jq -r '[.history[].manifest_digest] | join(" ")' "$T/tags.out")"
check_eq "tag history: the findings then" "$n1 $n2" "$(jq -r '[.history[].findings] | map(tostring) | join(" ")' "$T/tags.out")"
check_eq "tag history: times seen (scan; index + scan)" "1 2" "$(jq -r '[.history[].times] | map(tostring) | join(" ")' "$T/tags.out")"
check "tag history: dates in order, within the test" jq -e --argjson b "$before" --argjson a "$after" \
	'.history[0].first_seen >= $b and .history[0].first_seen < .history[1].first_seen and .history[1].last_seen <= $a' "$T/tags.out"
check_eq "tag history: repository and tag" "oci:$(cd "$T/live" && pwd -P) t" "$(jq -r '"\(.repository) \(.tag)"' "$T/tags.out")"
vrun tagstable inspect --db "$DB2" --tag-history "oci:$T/live:t"
expect_rc tagstable 0
check "tag history (table): two rows" grep -q "^TAG HISTORY of oci:.*/live:t (2 digests)" "$T/tagstable.out"
vrun tagsnone inspect --db "$DB2" --tag-history "oci:$T/live:never"
expect_rc tagsnone 0
check "tag history of a tag never indexed: says so" grep -q "never indexed under this tag" "$T/tagsnone.out"
vrun tagsbad inspect --db "$DB2" --tag-history "oci:$T/live@sha256:0000000000000000000000000000000000000000000000000000000000000000"
expect_rc tagsbad 1
check "tag history of a digest: asks for a tag" grep -q "names no tag" "$T/tagsbad.err"
it_done
