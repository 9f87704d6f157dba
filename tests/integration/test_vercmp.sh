#!/bin/bash
# tests/integration/test_vercmp.sh: `vigil vercmp` for every scheme (one
# comparison each that only that ecosystem's rules get right), `vercmp
# --satisfies` for each scheme with constraints, and the exit codes: 1 for
# an invalid version or constraint (message naming it), 2 for an unknown
# scheme or a scheme without constraints.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init

cmp_is() { # SCHEME A B WANT
	vrun cmp vercmp "$1" "$2" "$3"
	check_eq "vercmp $1 $2 $3" "$4" "$(cat "$T/cmp.out")"
}
cmp_is dpkg 1.0~rc1 1.0 "<"
cmp_is rpm 1.0-1 1.0^git1-1 "<"
cmp_is apk 1.0_rc1 1.0 "<"
cmp_is semver 1.0.0-alpha.1 1.0.0-alpha.beta "<"
cmp_is semver-loose v01.2.3beta 1.2.3-beta "="
cmp_is npm v1.2.3 1.2.3 "="
cmp_is pep440 1.0.post1 1.0.dev1 ">"
cmp_is maven 1.0-RC1 1.0-SNAPSHOT "<"
cmp_is go v1.2.4-0.20191109021931-daa7c04131f5 v1.2.4 "<"
cmp_is go v2.0.0+incompatible v2.0.0 "="
cmp_is rubygems 1.0.0.rc2 1.0.0 "<"
cmp_is composer v1.0.0 1.0.0.0 "="
cmp_is composer 1.0.0-p1 1.0.0 ">"
cmp_is nuget 1.0.0-BETA 1.0.0-beta "="

sat_is() { # SCHEME VERSION CONSTRAINT WANT
	vrun sat vercmp --satisfies "$1" "$2" "$3"
	check_eq "vercmp --satisfies $1 $2 '$3'" "$4" "$(cat "$T/sat.out")"
}
sat_is npm 1.2.4 "^1.2.3 || >=2.0.0" yes
sat_is npm 1.3.0-beta "^1.2.3" no
sat_is rubygems 1.2.9 "~> 1.2.3" yes
sat_is rubygems 1.3.0 "~> 1.2.3" no
sat_is composer 2.0.4 ">=2.0.0,<2.0.5" yes
sat_is nuget 2.0.0 "[1.0,2.0)" no

vrun bad vercmp --satisfies composer 1.0 "~>1.2"
expect_rc bad 1
check "the bad constraint is named" grep -q '~>1.2' "$T/bad.err"
vrun badv vercmp go 1.2.3 v1.2.3
expect_rc badv 1
check "the bad version is named" grep -q '"1.2.3"' "$T/badv.err"
vrun unknown vercmp crates 1 2
expect_rc unknown 2
check "the schemes are listed" grep -q 'rubygems, composer, nuget' "$T/unknown.err"
vrun nocons vercmp --satisfies maven 1 1
expect_rc nocons 2
it_done
