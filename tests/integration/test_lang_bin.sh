#!/bin/bash
# tests/integration/test_lang_bin.sh: Go and Rust packages through
# `vigil index`. Builds a two-layer OCI layout here from the real fixtures
# of ../shared/testdata/lang/: layer 1 holds Debian's usr/bin/age (Go
# 1.19.8, GOPATH build), a Go module binary with an execute bit
# (trivy_main-version-via-ldflags.elf), a cargo-auditable binary, a
# Cargo.lock and a go.mod in application folders, a Go binary WITHOUT an
# execute bit (not read), a shell script with one (not an executable
# format: nothing); layer 2 adds a Go binary cut inside its build info (a
# warning naming the file and the layer, the rest of the image still read);
# GOROOT's go.mod is left out.
# Checks each package's name, version, purl, package_db and layer.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
LANG_DATA=$SRC/../shared/testdata/lang
[ -d "$LANG_DATA/go" ] || skip "the shared test data ($LANG_DATA) is absent"

# shellcheck source=lib/oci.sh
. "$(dirname "$0")/lib/oci.sh"

L1=$T/l1 L2=$T/l2
mkdir -p "$L1/usr/local/go/src" "$L1/usr/bin" "$L1/app/bin" "$L1/app/rust" "$L1/src/svc" "$L1/opt/data" \
	"$L2/usr/local/bin"
cp "$LANG_DATA/debian-bookworm-2026-12/rootfs/usr/bin/age" "$L1/usr/bin/age"
cp "$LANG_DATA/go/trivy_main-version-via-ldflags.elf" "$L1/app/bin/server"
cp "$LANG_DATA/rust/trivy_auditable_test.elf" "$L1/app/bin/tool"
cp "$LANG_DATA/rust/trivy_cargo_v3.lock" "$L1/app/rust/Cargo.lock"
cp "$LANG_DATA/go/trivy_goexperiment" "$L1/opt/data/not-executable"
printf '#!/bin/sh\necho "\\xff Go buildinf:"\n' >"$L1/usr/bin/hello.sh"
cat >"$L1/src/svc/go.mod" <<'GOMOD'
module example.com/svc

go 1.21

require (
	github.com/google/uuid v1.6.0
	golang.org/x/text v0.14.0 // indirect
)

replace golang.org/x/text => golang.org/x/text v0.15.0
GOMOD
# Go's own tree: not an application
printf 'module std\n\ngo 1.22\n\nrequire golang.org/x/net v0.21.0\n' >"$L1/usr/local/go/src/go.mod"
magic=$(grep -boa 'Go buildinf:' "$LANG_DATA/go/trivy_main-version-via-ldflags.elf" | head -1 | cut -d: -f1)
head -c $((magic + 60)) "$LANG_DATA/go/trivy_main-version-via-ldflags.elf" >"$L2/usr/local/bin/cut"
chmod -R u+w "$L1" "$L2"
chmod 0755 "$L1/usr/bin/age" "$L1/app/bin/server" "$L1/app/bin/tool" "$L1/usr/bin/hello.sh" \
	"$L2/usr/local/bin/cut"
chmod 0644 "$L1/opt/data/not-executable"
oci_from_dirs "$T/img" "$L1" "$L2"
mapfile -t LAYERS < <(oci_layers "$T/img" t)

vjson one index "oci:$T/img:t" --db "$T/v.db"
# name version package_db, sorted
jq -r '.packages as $p | .environments | to_entries[] | ($p[.key]) as $k
	| [$k.name, $k.version, .value[0].package_db] | @tsv' "$T/one.out" | LC_ALL=C sort >"$T/got"
cat >"$T/want" <<WANT
aho-corasick	0.7.20	app/rust/Cargo.lock
app	0.1.0	app/rust/Cargo.lock
crate_with_features	0.1.0	app/bin/tool
example.com/svc		src/svc/go.mod
github.com/aquasecurity/test	v1.0.0	app/bin/server
github.com/google/uuid	v1.6.0	src/svc/go.mod
golang.org/x/text	v0.15.0	src/svc/go.mod
libc	0.2.140	app/rust/Cargo.lock
library_crate	0.1.0	app/bin/tool
memchr	1.0.2	app/rust/Cargo.lock
memchr	2.5.0	app/rust/Cargo.lock
regex	1.7.3	app/rust/Cargo.lock
regex-syntax	0.5.6	app/rust/Cargo.lock
regex-syntax	0.6.29	app/rust/Cargo.lock
stdlib	v1.19.8	usr/bin/age
stdlib	v1.22.1	app/bin/server
ucd-util	0.1.10	app/rust/Cargo.lock
WANT
check "the packages, their versions and files" diff "$T/want" "$T/got"

vrun table index "oci:$T/img:t" --db "$T/v.db"
expect_rc table 0
for purl in pkg:golang/stdlib@v1.19.8 pkg:golang/github.com/aquasecurity/test@v1.0.0 \
	pkg:golang/golang.org/x/text@v0.15.0 pkg:cargo/library_crate@0.1.0 \
	pkg:cargo/regex-syntax@0.6.29; do
	check "table: $purl" grep -qF " $purl " "$T/table.out"
done
check_eq "introduced in layer 1" "${LAYERS[0]}" \
	"$(jq -r '[.environments[][0].introduced_in] | unique | join(",")' "$T/one.out")"
check "the cut Go binary: a warning naming it" grep -qF "usr/local/bin/cut" "$T/one.out" "$T/one.err"
check "the cut Go binary: the warning names the layer" grep -qF "${LAYERS[1]#sha256:}" \
	"$T/one.out" "$T/one.err"
check "the cut Go binary: why" grep -qF "Go build info" "$T/one.out" "$T/one.err"
check_eq "no package from a file without an execute bit" 0 \
	"$(jq '[.environments[][0].package_db | select(startswith("opt/"))] | length' "$T/one.out")"
it_done
