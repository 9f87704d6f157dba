#!/bin/bash
# tests/integration/test_lang_owned.sh: language package files that an OS
# package owns (docs/lang.md, "Files owned by OS packages").
# - dpkg: the Debian bookworm tree of ../shared/testdata/lang/ (layer 1)
#   with, in layer 2, a dpkg status and info/NAME.list files built here from
#   its packages.tsv (one with ":amd64", as Multi-Arch: same packages have),
#   plus a venv dist-info of our own that no package lists: each of the 21
#   Python reports is owned by its Debian package, the venv one is not;
#   gems and age's Go stdlib likewise when their scanners are in the build.
#   The same tree as dir:PATH (the whole-tree walk) gives the same owners.
# - rpm: Amazon Linux 2023's real rpmdb.sqlite lists python3-gpg's
#   egg-info file and python3-libcomps' egg-info/PKG-INFO (files made here).
# - apk: a small installed database whose py3-six lists six's dist-info.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
LANG_DATA=$SRC/../shared/testdata/lang
DEB=$LANG_DATA/debian-bookworm-2026-12
RPMDB=$SRC/../shared/testdata/pkgdb/rpm/go-rpmdb_amazonlinux2023_sqlite/rpmdb.sqlite
[ -f "$DEB/packages.tsv" ] && [ -f "$RPMDB" ] || skip "the shared test data is absent"
# shellcheck source=lib/oci.sh
. "$(dirname "$0")/lib/oci.sh"

# ---- dpkg ----
L1=$T/l1 L2=$T/l2 VENV=opt/venv/lib/python3.11/site-packages/mine-1.0.dist-info
mkdir -p "$L1" "$L2/var/lib/dpkg/info" "$L1/$VENV"
cp -r "$DEB/rootfs/." "$L1/"
printf 'Metadata-Version: 2.1\nName: mine\nVersion: 1.0\n' >"$L1/$VENV/METADATA"
: >"$L2/var/lib/dpkg/status"
while IFS=$'\t' read -r pkg ver src files; do
	case $pkg in '#'*) continue ;; esac
	printf 'Package: %s\nStatus: install ok installed\nArchitecture: amd64\nVersion: %s\nSource: %s\n\n' \
		"$pkg" "$ver" "$src" >>"$L2/var/lib/dpkg/status"
	list=$pkg.list
	[ "$pkg" = python3-yaml ] && list=$pkg:amd64.list
	{
		echo /.
		for f in $files; do
			d=$(dirname "$f")
			while [ "$d" != . ]; do echo "/$d"; d=$(dirname "$d"); done
			echo "/$f"
		done
	} | awk '!seen[$0]++' >"$L2/var/lib/dpkg/info/$list"
	for f in $files; do printf '%s\t%s\n' "$f" "$pkg"; done >>"$T/owners"
done <"$DEB/packages.tsv"
chmod -R u+w "$L1" "$L2"
oci_from_dirs "$T/deb" "$L1" "$L2"

vrun deb index "oci:$T/deb:t" --db "$T/v.db"
expect_rc deb 0
# "pypi NAME VERSION LAYER purl package_db owner=dpkg:PKG" -> "package_db PKG"
owned_of() { grep -E "^$1 " "$2" | grep -oE '[^ ]+ owner=[^ ]+$' | sed 's/ owner=[a-z]*:/\t/'; }
owned_of pypi "$T/deb.out" | LC_ALL=C sort >"$T/got_py"
grep -E '(METADATA|PKG-INFO)	' "$T/owners" | LC_ALL=C sort >"$T/want_py"
check_eq "21 Python metadata files in the Debian tree" 21 "$(wc -l <"$T/want_py")"
check "each Python report is owned by its Debian package" diff "$T/want_py" "$T/got_py"
check_eq "every pypi line but the venv's is owned" 21 "$(grep -c '^pypi .* owner=dpkg:' "$T/deb.out")"
check "the venv's own package is not" grep -qE "^pypi .* $VENV/METADATA\$" "$T/deb.out"
check "python3-yaml:amd64.list names python3-yaml" \
	grep -qF "PyYAML-6.0.dist-info/METADATA owner=dpkg:python3-yaml" "$T/deb.out"
# 21 Python reports, and the gems and age's stdlib when those scanners are in
n_owned=$(grep -c ' owner=' "$T/deb.out")
check "the summary counts them" grep -qF "$n_owned language packages in OS packages' files" "$T/deb.out"
check "at least the 21 Python reports are counted" test "$n_owned" -ge 21
if grep -q '^gem ' "$T/deb.out"; then
	owned_of gem "$T/deb.out" | LC_ALL=C sort >"$T/got_gem"
	grep -F '.gemspec	' "$T/owners" | LC_ALL=C sort >"$T/want_gem"
	check_eq "10 gemspecs" 10 "$(wc -l <"$T/want_gem")"
	check "each gem is owned by its Debian package" diff "$T/want_gem" "$T/got_gem"
else
	note "no gem scanner in this build: gems not checked"
fi
if grep -qE '^golang +stdlib ' "$T/deb.out"; then
	check "age's Go stdlib is owned by dpkg:age" \
		grep -qE '^golang +stdlib .* usr/bin/age owner=dpkg:age$' "$T/deb.out"
else
	note "no Go scanner in this build: age not checked"
fi
# the Clair IndexReport still lists them, each in its ecosystem's repository
vjson debj index "oci:$T/deb:t" --db "$T/v.db"
check_eq "IndexReport: 22 Python packages in pypi" 22 \
	"$(jq '.repository as $r | [.environments[][0] | select((.repository_ids[0] // "") as $i | $r[$i].name == "pypi")]
		| length' "$T/debj.out")"

# the same tree unpacked: dir:PATH walks it all
mkdir -p "$T/rootfs"
cp -r "$L1/." "$L2/." "$T/rootfs/"
vrun dir index "dir:$T/rootfs" --no-cache
expect_rc dir 0
owned_of pypi "$T/dir.out" | LC_ALL=C sort >"$T/got_dir"
check "dir:PATH: the same owners" diff "$T/want_py" "$T/got_dir"

# ---- rpm ----
SP=usr/lib64/python3.9/site-packages
R=$T/rpm
mkdir -p "$R/var/lib/rpm" "$R/$SP/libcomps-0.1.18-py3.9.egg-info" "$R/$SP/mine-1.0.dist-info"
cp "$RPMDB" "$R/var/lib/rpm/rpmdb.sqlite"
printf 'Metadata-Version: 1.1\nName: gpg\nVersion: 1.15.1\n' >"$R/$SP/gpg-1.15.1-py3.9.egg-info"
printf 'Metadata-Version: 1.1\nName: libcomps\nVersion: 0.1.18\n' \
	>"$R/$SP/libcomps-0.1.18-py3.9.egg-info/PKG-INFO"
printf 'Metadata-Version: 2.1\nName: mine\nVersion: 1.0\n' >"$R/$SP/mine-1.0.dist-info/METADATA"
chmod -R u+w "$R"
oci_from_dirs "$T/rpmimg" "$R"
vrun rpm index "oci:$T/rpmimg:t" --db "$T/v.db"
expect_rc rpm 0
check "rpm: gpg's egg-info file is python3-gpg's" \
	grep -qF "$SP/gpg-1.15.1-py3.9.egg-info owner=rpm:python3-gpg" "$T/rpm.out"
check "rpm: libcomps' PKG-INFO is python3-libcomps'" \
	grep -qF "$SP/libcomps-0.1.18-py3.9.egg-info/PKG-INFO owner=rpm:python3-libcomps" "$T/rpm.out"
check "rpm: an unlisted one is not owned" grep -qE " $SP/mine-1.0.dist-info/METADATA\$" "$T/rpm.out"

# ---- apk ----
A=$T/apk SP3=usr/lib/python3.11/site-packages
mkdir -p "$A/lib/apk/db" "$A/$SP3/six-1.16.0.dist-info"
cat >"$A/lib/apk/db/installed" <<'APK'
C:Q1aaaaaaaaaaaaaaaaaaaaaaaaaaaa=
P:py3-six
V:1.16.0-r6
A:x86_64
o:py3-six
F:usr
F:usr/lib
F:usr/lib/python3.11
F:usr/lib/python3.11/site-packages
R:six.py
F:usr/lib/python3.11/site-packages/six-1.16.0.dist-info
R:METADATA
a:0:0:644
Z:Q1bbbbbbbbbbbbbbbbbbbbbbbbbbbb=
R:RECORD

APK
printf 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n' >"$A/$SP3/six-1.16.0.dist-info/METADATA"
oci_from_dirs "$T/apkimg" "$A"
vrun apk index "oci:$T/apkimg:t" --db "$T/v.db"
expect_rc apk 0
check "apk: six's METADATA is py3-six's" \
	grep -qF "$SP3/six-1.16.0.dist-info/METADATA owner=apk:py3-six" "$T/apk.out"
it_done
