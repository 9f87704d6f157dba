# tests/integration/lib/v1clients.sh: what the tests of the Clair 2 era
# clients (klar, clair-scanner, clairctl, harbor-scanner-clair) share;
# sourced after common.sh, serve.sh, registry.sh and tools.sh.
#   v1c_images            the images: ALPINE310 (the shared Alpine 3.10.4
#                         docker-archive, uncompressed for skopeo), ALPINE34
#                         (a one-layer docker-archive of the Alpine 3.4
#                         package database of scripts/make-pkgdb-rootfs.sh:
#                         findings against the Alpine secdb; Alpine 3.10.4 has
#                         none there, its packages are at or above every fix of
#                         the 2020-06 secdb), UBUNTU (the same of the Ubuntu
#                         18.04 package database: 107 findings of every
#                         severity against the Ubuntu tracker), DEMO (oci:v2,
#                         the Debian image)
#   v1c_store NAME        a store with the Alpine secdb, the Ubuntu tracker and
#                         the Debian feeds; sets DB
#   jqok ARGS...          jq -e, quiet (for check)
#   v1c_stop PID LOG      stops vigil serve: exit 0, no sanitizer report
#   rootfs_archive DIR OUT REF   a one-layer `docker save` archive of DIR, tagged REF
#   v4pairs FILE          vigil's JSON report as sorted PACKAGE<TAB>ID lines
# shellcheck shell=bash

rootfs_archive() {
	local dir=$1 out=$2 ref=$3 w diff
	w=$(mktemp -d "$T/archive.XXXXXX")
	tar -C "$dir" --sort=name --owner=0 --group=0 --mtime=@0 -cf "$w/layer.tar" . || return 1
	diff=$(sha256sum "$w/layer.tar" | cut -d' ' -f1)
	# `docker save`'s layout: <id>/layer.tar (clair-scanner takes the id from it)
	mkdir "$w/$diff" && mv "$w/layer.tar" "$w/$diff/layer.tar"
	jq -n --arg d "sha256:$diff" '{architecture: "amd64", os: "linux", config: {},
		rootfs: {type: "layers", diff_ids: [$d]}}' >"$w/config.json"
	jq -n --arg r "$ref" --arg l "$diff/layer.tar" '[{Config: "config.json", RepoTags: [$r], Layers: [$l]}]' >"$w/manifest.json"
	tar -C "$w" -cf "$out" manifest.json config.json "$diff"
	rm -rf "$w"
}

v1c_images() {
	local data=${VIGIL_TESTDATA:-$SRC/../shared/testdata} rc=0
	[ -f "$data/images/trivy_alpine-3.10.4/alpine-310.tar.gz" ] && [ -d "$data/feeds/alpine/secdb-json" ] ||
		skip "no shared test data at $data"
	gzip -dc "$data/images/trivy_alpine-3.10.4/alpine-310.tar.gz" >"$T/alpine-310.tar" || { fail "gunzip alpine-310"; it_done; }
	ALPINE310=$T/alpine-310.tar
	bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/roots" >/dev/null || rc=$?
	[ "$rc" = 77 ] && skip "make-pkgdb-rootfs.sh: no test data"
	[ "$rc" = 0 ] || { fail "make-pkgdb-rootfs.sh exited $rc"; it_done; }
	ALPINE34=$T/alpine34.tar
	rootfs_archive "$T/roots/rootfs-alpine34" "$ALPINE34" alpine34:latest || { fail "rootfs_archive alpine34"; it_done; }
	UBUNTU=$T/ubuntu1804.tar
	rootfs_archive "$T/roots/rootfs-ubuntu1804" "$UBUNTU" ubuntu1804:latest || { fail "rootfs_archive ubuntu1804"; it_done; }
	DEMO=$IMAGES/oci:v2
}

v1c_store() {
	local data=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
	DB=$(newdb "$1")
	vrun "import-$1" db import "$data/feeds/alpine/secdb-json" "$data/feeds/ubuntu/uct" "$data/feeds/debian" --db "$DB"
	expect_rc "import-$1" 0
}

v4pairs() {
	jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[]
		| [$r.packages[$p].name, $r.vulnerabilities[.].name] | @tsv' "$1" | LC_ALL=C sort -u
}

jqok() { jq -e "$@" >/dev/null; }

# v1c_stop PID LOG: stops vigil serve (SIGTERM), which must exit 0 and leave
# no sanitizer report in LOG (an ASan build reports leaks at exit)
v1c_stop() {
	local rc=0
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null || rc=$?
	check_eq "vigil serve: SIGTERM, exit 0" 0 "$rc"
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$2"; then
		fail "vigil serve: sanitizer report"
		grep -m 20 -E 'ERROR|runtime error|#[0-9]' "$2"
	fi
}
