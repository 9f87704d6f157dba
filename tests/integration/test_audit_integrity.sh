#!/bin/bash
# tests/integration/test_audit_integrity.sh: vigil audit --scanners integrity
# on real images (docs/audit.md (Integrity)):
#  1. the demo Debian bookworm image (scripts/make-images.sh): v1 (mmdebstrap
#     + apt-get install) is clean; v2's third layer deleted /usr/bin/curl and
#     its docs behind dpkg's back: exactly those 4 file-missing findings;
#  2. v2 plus a layer that replaces usr/bin/ls (coreutils' md5sums say bin/ls:
#     bin is usrmerge's symlink) and libz, edits the conffile
#     /etc/bash.bashrc and deletes usr/bin/tac: the findings name both layers;
#  3. a corrupt md5sums file: exit 1 naming layer and file; the same file
#     deleted by a later layer: no error;
#  4. the real Docker Hub alpine:3.10 and 3.11 images (apk Q1 checksums):
#     clean but for /etc/shadow (information: Docker locked root's
#     password after apk installed it); plus a layer changing bin/busybox;
#  5. rpm: a package built here with rpmbuild (real files: a copy of
#     /bin/true, a %config file, a library, a %doc file left out by
#     --excludedocs, a %ghost, a %verify(not md5) file) installed by rpm 4.18 into a root (real
#     rpmdb.sqlite, sha256 digests), and one built with md5 file digests;
#     clean, then a layer changes and deletes files;
#  6. the real rpm databases of ../shared/testdata/pkgdb without their files:
#     what vigil reports missing is what rpm 4.18's own query of them says.
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
# shellcheck source=lib/oci.sh
. "$(dirname "$0")/lib/oci.sh"
it_init

# oci_push_layer LAYOUT TAG DIR: TAG gets one more gzip layer, the tar of DIR.
oci_push_layer() {
	local lay=$1 tag=$2 dir=$3 tarf diff digest man cfg
	tarf=$T/push.$$.tar
	tar -C "$dir" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$tarf" .
	diff=sha256:$(sha256sum "$tarf" | cut -d' ' -f1)
	gzip -n "$tarf"
	digest=$(blob_put "$lay" "$tarf.gz")
	man=$(blob "$lay" "$(oci_manifest "$lay" "$tag")")
	jq --arg d "$diff" '.rootfs.diff_ids += [$d] | .history = ((.history // []) + [{"created_by": "integrity test layer"}])' \
		"$(blob "$lay" "$(jq -r .config.digest "$man")")" >"$T/cfg.json"
	cfg=$(blob_put "$lay" "$T/cfg.json")
	jq --arg c "$cfg" --argjson cs "$(bsize "$lay" "$cfg")" --arg l "$digest" --argjson ls "$(bsize "$lay" "$digest")" \
		'.config.digest = $c | .config.size = $cs | .layers += [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": $l, "size": $ls}]' \
		"$man" >"$T/man.json"
	oci_put_manifest "$lay" "$tag" "$T/man.json"
}

# integ NAME REF [ARGS...]: the integrity audit as JSON in $T/NAME.out.
integ() {
	local name=$1 ref=$2
	shift 2
	vrun "$name" audit "$ref" --scanners integrity --format json -q "$@"
}
# rows NAME: "rule severity path layer other_layer info deleted package" per finding.
rows() {
	jq -r '.findings[] | [.rule, .severity, .path, (.layer.index // "-"), (.other_layer.index // "-"),
		.info, .deleted, .package] | @tsv' "$T/$1.out" | LC_ALL=C sort
}
row() { rows "$1" | awk -F'\t' -v p="$2" '$3 == p' | tr '\t' ' '; }
evidence() { jq -r --arg p "$2" '.findings[] | select(.path == $p) | .evidence' "$T/$1.out"; }

# ---- 1. the demo image ----
DEMO=$IMAGES/oci
integ v1 "oci:$DEMO:v1"
expect_rc v1 0
check_eq "v1: no integrity finding" 0 "$(jq '.findings | length' "$T/v1.out")"
integ v2 "oci:$DEMO:v2"
expect_rc v2 0
cat >"$T/v2.want" <<'EOF'
file-missing	Low	usr/bin/curl	2	1	false	true	curl
file-missing	Low	usr/share/doc/curl/changelog.Debian.gz	2	1	false	true	curl
file-missing	Low	usr/share/doc/curl/changelog.gz	2	1	false	true	curl
file-missing	Low	usr/share/doc/curl/copyright	2	1	false	true	curl
EOF
rows v2 >"$T/v2.got"
check_same "v2: curl's files deleted by layer 2 without dpkg" "$T/v2.want" "$T/v2.got"

# ---- 2. a layer that changes system files ----
layout_copy "$DEMO" "$T/oci"
ROOT2=$IMAGES/rootfs-v2
mod=$T/mod
mkdir -p "$mod/usr/bin" "$mod/usr/lib/x86_64-linux-gnu" "$mod/etc"
{ cat "$ROOT2/usr/bin/ls"; echo "trojan"; } >"$mod/usr/bin/ls"
chmod 755 "$mod/usr/bin/ls"
{ cat "$ROOT2/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"; echo x; } >"$mod/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"
{ cat "$ROOT2/etc/bash.bashrc"; echo "alias ll='ls -l'"; } >"$mod/etc/bash.bashrc"
: >"$mod/usr/bin/.wh.tac"
oci_push_layer "$T/oci" v2 "$mod"
integ mod "oci:$T/oci:v2"
expect_rc mod 0
check_eq "ls: High, changed in layer 3 over layer 0" \
	"file-modified High usr/bin/ls 3 0 false false coreutils" "$(row mod usr/bin/ls)"
check_eq "libz: High" "file-modified High usr/lib/x86_64-linux-gnu/libz.so.1.2.13 3 0 false false zlib1g" \
	"$(row mod usr/lib/x86_64-linux-gnu/libz.so.1.2.13)"
check_eq "bash.bashrc: information" "config-modified Low etc/bash.bashrc 3 0 true false bash" \
	"$(row mod etc/bash.bashrc)"
check_eq "tac: deleted by layer 3" "file-missing Low usr/bin/tac 3 0 false true coreutils" "$(row mod usr/bin/tac)"
check_eq "ls evidence" "md5 $(md5sum <"$mod/usr/bin/ls" | cut -d' ' -f1) (dpkg coreutils says $(awk '$2 == "bin/ls" {print $1}' "$ROOT2/var/lib/dpkg/info/coreutils.md5sums")); layer 3 replaced layer 0's version" \
	"$(evidence mod usr/bin/ls)"
check_eq "8 findings in all" 8 "$(jq '.findings | length' "$T/mod.out")"
vrun modtable audit "oci:$T/oci:v2" --scanners integrity -q --exit-code 3 --severity high
expect_rc modtable 3
check "table names the package's record" grep -q "dpkg coreutils says" "$T/modtable.out"

# ---- 3. a corrupt md5sums file ----
layout_copy "$DEMO" "$T/bad"
mkdir -p "$T/corrupt/var/lib/dpkg/info"
printf 'this is not an md5sums file\n' >"$T/corrupt/var/lib/dpkg/info/coreutils.md5sums"
oci_push_layer "$T/bad" v2 "$T/corrupt"
integ corrupt "oci:$T/bad:v2"
expect_rc corrupt 1
has corrupt "var/lib/dpkg/info/coreutils.md5sums" "layer 3" "line 1"
mkdir -p "$T/fix/var/lib/dpkg/info"
: >"$T/fix/var/lib/dpkg/info/.wh.coreutils.md5sums"
oci_push_layer "$T/bad" v2 "$T/fix"
integ fixed "oci:$T/bad:v2"
expect_rc fixed 0
check_eq "the corrupt file deleted later: no error, curl's 4 findings" 4 "$(jq '.findings | length' "$T/fixed.out")"

# ---- 4. the real alpine images ----
for v in 3.10.4:310 3.11.5:311; do
	arc=$VIGIL_TESTDATA/images/trivy_alpine-${v%%:*}/alpine-${v#*:}.tar.gz
	if [ ! -f "$arc" ]; then
		note "no $arc: alpine checks skipped"
		continue
	fi
	a=$T/alpine${v#*:}
	mkdir -p "$a/arc" "$a/rootfs" "$a/mod/bin" "$a/mod/lib"
	tar -xzf "$arc" -C "$a/arc"
	tar -xf "$a"/arc/*/layer.tar -C "$a/rootfs"
	oci_from_dirs "$a/oci" "$a/rootfs"
	integ "alpine${v#*:}" "oci:$a/oci:t"
	expect_rc "alpine${v#*:}" 0
	check_eq "alpine ${v%%:*}: only /etc/shadow (information)" \
		"config-modified	Low	etc/shadow	0	0	true	false	alpine-baselayout" "$(rows "alpine${v#*:}")"
	{ cat "$a/rootfs/bin/busybox"; echo x; } >"$a/mod/bin/busybox"
	chmod 755 "$a/mod/bin/busybox"
	: >"$a/mod/lib/.wh.libz.so.1.2.11"
	oci_from_dirs "$a/oci2" "$a/rootfs" "$a/mod"
	integ "alpmod${v#*:}" "oci:$a/oci2:t"
	check_eq "alpine ${v%%:*}: busybox changed in layer 1" "file-modified High bin/busybox 1 0 false false busybox" \
		"$(row "alpmod${v#*:}" bin/busybox)"
	check_eq "alpine ${v%%:*}: libz deleted" "file-missing Low lib/libz.so.1.2.11 1 0 false true zlib" \
		"$(row "alpmod${v#*:}" lib/libz.so.1.2.11)"
	check "alpine ${v%%:*}: sha1 evidence" grep -q '"evidence": "sha1 ' "$T/alpmod${v#*:}.out"
done

# ---- 5. rpm ----
if command -v rpmbuild >/dev/null && command -v rpm >/dev/null; then
	r=$T/rpm
	mkdir -p "$r/root"
	mkspec() { # NAME: a package with real files
		cat <<EOF
Name: $1
Version: 1.0
Release: 1
Summary: test
License: MIT
%description
test
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/etc %{buildroot}/usr/lib64 %{buildroot}/usr/share/doc/$1 %{buildroot}/var/log %{buildroot}/var/lib/$1
cp /bin/true %{buildroot}/usr/bin/$1
echo "greeting=hi" >%{buildroot}/etc/$1.conf
echo "$1 library" >%{buildroot}/usr/lib64/lib$1.so.1
echo "doc" >%{buildroot}/usr/share/doc/$1/README
ln -s $1 %{buildroot}/usr/bin/$1-link
echo "state 0" >%{buildroot}/var/lib/$1/state
%files
/usr/bin/$1
/usr/bin/$1-link
%config(noreplace) /etc/$1.conf
/usr/lib64/lib$1.so.1
%doc /usr/share/doc/$1/README
%ghost /var/log/$1.log
%verify(not md5 size mtime) /var/lib/$1/state
EOF
	}
	ok=1
	for p in hello:8 oldhello:1; do
		n=${p%%:*}
		mkspec "$n" >"$r/$n.spec"
		rpmbuild --quiet -bb --define "_topdir $r/top" --define "_build_id_links none" \
			--define "__os_install_post %{nil}" --define "debug_package %{nil}" \
			--define "_binary_filedigest_algorithm ${p#*:}" "$r/$n.spec" >"$r/build.log" 2>&1 || ok=0
		rpm --root "$r/root" --dbpath /var/lib/rpm -i --nodeps --noscripts --nosignature --excludedocs \
			"$r"/top/RPMS/*/"$n"-1.0-1.*.rpm >>"$r/build.log" 2>&1 || ok=0
	done
	python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.execute("PRAGMA journal_mode=DELETE"); c.close()' \
		"$r/root/var/lib/rpm/rpmdb.sqlite" || ok=0
	rm -f "$r/root/var/lib/rpm/rpmdb.sqlite-wal" "$r/root/var/lib/rpm/rpmdb.sqlite-shm" "$r/root/var/lib/rpm/.rpm.lock"
	if [ "$ok" = 1 ]; then
		check "rpm left the doc out (--excludedocs)" test ! -e "$r/root/usr/share/doc/hello/README"
		oci_from_dirs "$r/oci" "$r/root"
		integ rpmclean "oci:$r/oci:t"
		expect_rc rpmclean 0
		check_eq "rpm root: clean (ghost, excluded doc and symlinks not reported)" 0 "$(jq '.findings | length' "$T/rpmclean.out")"
		mkdir -p "$r/mod/usr/bin" "$r/mod/etc" "$r/mod/usr/lib64"
		cp /bin/false "$r/mod/usr/bin/hello"
		cp /bin/false "$r/mod/usr/bin/oldhello"
		echo "greeting=changed" >"$r/mod/etc/hello.conf"
		mkdir -p "$r/mod/var/lib/hello"
		cp "$r/root/usr/lib64/libhello.so.1" "$r/mod/usr/lib64/libhello.so.1"
		chmod 0666 "$r/mod/usr/lib64/libhello.so.1" # same bytes, world-writable
		echo "state 1" >"$r/mod/var/lib/hello/state" # %verify(not md5): not reported
		: >"$r/mod/usr/lib64/.wh.liboldhello.so.1"
		oci_from_dirs "$r/oci2" "$r/root" "$r/mod"
		integ rpmmod "oci:$r/oci2:t"
		expect_rc rpmmod 0
		cat >"$T/rpm.want" <<'EOF'
config-modified	Low	etc/hello.conf	1	0	true	false	hello
file-missing	Low	usr/lib64/liboldhello.so.1	1	0	false	true	oldhello
file-modified	High	usr/bin/hello	1	0	false	false	hello
file-modified	High	usr/bin/oldhello	1	0	false	false	oldhello
mode-changed	Medium	usr/lib64/libhello.so.1	1	0	false	false	hello
EOF
		rows rpmmod >"$T/rpm.got"
		check_same "rpm: changed and deleted files" "$T/rpm.want" "$T/rpm.got"
		check_eq "rpm sha256 evidence" "sha256 $(sha256sum </bin/false | cut -d' ' -f1) (rpm hello says $(sha256sum </bin/true | cut -d' ' -f1)); layer 1 replaced layer 0's version" \
			"$(evidence rpmmod usr/bin/hello)"
		check_eq "rpm md5 evidence (FILEDIGESTALGO 1)" "md5 $(md5sum </bin/false | cut -d' ' -f1) (rpm oldhello says $(md5sum </bin/true | cut -d' ' -f1)); layer 1 replaced layer 0's version" \
			"$(evidence rpmmod usr/bin/oldhello)"
	else
		note "rpmbuild/rpm failed here: rpm checks skipped"
		tail -n 5 "$r/build.log"
	fi
else
	note "rpmbuild or rpm not installed (apt install rpm): rpm checks skipped"
fi

# ---- 6. real rpm databases without their files (scripts/make-pkgdb-rootfs.sh) ----
# Every file is missing: what rpm 4.18 itself says of the database (files
# with a digest, FILESTATES normal, not %ghost, digest verified by rpm -V)
# must be what vigil reports:
# one package-files-missing per package with 5 or more such files (not
# %config), one file-missing per file of the others (configuration ones too).
if command -v rpm >/dev/null && [ -d "${VIGIL_TESTDATA:-}/pkgdb/rpm" ]; then
	"$SRC/scripts/make-pkgdb-rootfs.sh" "$T/pkgdb" >"$T/pkgdb.log" 2>&1 || fail "make-pkgdb-rootfs.sh"
	for r in mariner2 al2023; do
		root=$T/pkgdb/rootfs-$r
		[ -d "$root/var/lib/rpm" ] || { fail "no $root/var/lib/rpm"; continue; }
		want=$(rpm --dbpath "$root/var/lib/rpm" -qa --qf '[%{=NAME}\t%{FILENAMES}\t%{FILESTATES}\t%{FILEFLAGS}\t%{FILEDIGESTS}\t%{FILEVERIFYFLAGS}\n]' 2>/dev/null |
			awk -F'\t' '$5 != "" && $3 == 0 && int($4 / 64) % 2 == 0 && $6 % 2 { if ($4 % 2) cfg[$1]++; else n[$1]++ }
				END { a = 0; f = 0; for (p in n) if (n[p] >= 5) a++; else f += n[p];
				      for (p in cfg) if (!(p in n) || n[p] < 5) f += cfg[p]; print a, f }')
		integ "pkgdb-$r" "dir:$root"
		expect_rc "pkgdb-$r" 0
		got=$(jq -r '[([.findings[] | select(.rule == "package-files-missing")] | length),
			([.findings[] | select(.rule == "file-missing")] | length)] | join(" ")' "$T/pkgdb-$r.out")
		check_eq "$r: package-files-missing and file-missing as rpm -qa tells (${want:-?})" "$want" "$got"
	done
else
	note "rpm or ../shared/testdata/pkgdb/rpm absent: database-only checks skipped"
fi

it_done
