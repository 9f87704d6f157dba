#!/bin/bash
# tests/integration/test_scan.sh: `vigil scan` as a CI pipeline uses it.
# The Ubuntu 18.04 root filesystem of scripts/make-pkgdb-rootfs.sh against
# the real Ubuntu CVE tracker snapshot, and the real Debian demo image:
# the JSON VulnerabilityReport (Clair v4's shape, package ids those of the
# IndexReport), the filters (--severity, --ignore-unfixed, --ignore-file
# with expiry), the exit codes (--exit-code N only for findings, 1 for
# errors, 2 for usage, never 0 for an error), the data warnings (empty
# store, stale data, a distribution with no data), and a scan with every
# layer cached.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"
"$VIGIL" scan --help >/dev/null 2>&1 || skip "$VIGIL has no 'scan' subcommand"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/ubuntu/uct" ] || skip "no shared test data at $DATA"

bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
U=dir:$T/fs/rootfs-ubuntu1804
DB=$(vigil_db ubuntu)
vrun import db import "$DATA/feeds/ubuntu/uct" --db "$DB"
expect_rc import 0

# ---- JSON: a VulnerabilityReport whose pairs are consistent ----
vrun json scan "$U" --db "$DB" --format json -q
expect_rc json 0
check "json: the report has Clair's keys" jq -e 'has("manifest_hash") and has("packages") and
	has("distributions") and has("environments") and has("vulnerabilities") and
	has("package_vulnerabilities") and has("enrichments")' "$T/json.out"
check "json: every package_vulnerabilities id is a package and every vulnerability exists" jq -e '
	. as $r | [.package_vulnerabilities | to_entries[] | ($r.packages[.key] != null)
		and all(.value[]; $r.vulnerabilities[.] != null)] | all' "$T/json.out"
pairs() { jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[]
	| [$r.packages[$p].name, $r.vulnerabilities[.].name, $r.vulnerabilities[.].fixed_in_version] | @tsv' "$1" |
	LC_ALL=C sort -u; }
pairs "$T/json.out" >"$T/pairs.tsv"
n_all=$(wc -l <"$T/pairs.tsv")
check "json: findings in the Ubuntu 18.04 image ($n_all)" test "$n_all" -gt 100
check_eq "json: CVE-2020-1712 in libsystemd0, fixed in 237-3ubuntu10.38" \
	"libsystemd0	CVE-2020-1712	237-3ubuntu10.38" "$(grep -P '^libsystemd0\tCVE-2020-1712\t' "$T/pairs.tsv")"
check_eq "json: CVE-2018-11236 in libc6, not fixed" \
	"libc6	CVE-2018-11236	" "$(grep -P '^libc6\tCVE-2018-11236\t' "$T/pairs.tsv")"
check_eq "json: the index report's package ids" \
	"$("$VIGIL" index "$U" --format json | jq -c '[.packages[] | [.id, .name]] | sort')" \
	"$(jq -c '[.packages[] | [.id, .name]] | sort' "$T/json.out")"

# ---- filters ----
vrun fixable scan "$U" --db "$DB" --format json -q --ignore-unfixed
pairs "$T/fixable.out" >"$T/fixable.tsv"
check_eq "--ignore-unfixed keeps exactly the findings with a fixed version" \
	"$(awk -F'\t' '$3 != ""' "$T/pairs.tsv" | wc -l)" "$(wc -l <"$T/fixable.tsv")"
vrun medium scan "$U" --db "$DB" --format json -q --severity medium,HIGH
check "--severity medium,HIGH keeps only those levels" jq -e '[.vulnerabilities[].normalized_severity]
	| length > 0 and all(. == "Medium" or . == "High")' "$T/medium.out"
cat >"$T/ignore" <<'EOF'
# reviewed: glibc issues are accepted until the base image moves
CVE-2018-11236                     # accepted, exp: none
CVE-2020-1712 libudev1 exp:2999-01-01  # only for libudev1
CVE-2018-11237 exp:2001-01-01      # expired: no longer ignored
EOF
vrun ignored scan "$U" --db "$DB" --format json -q --ignore-file "$T/ignore"
expect_rc ignored 0
pairs "$T/ignored.out" >"$T/ignored.tsv"
check "--ignore-file drops an id everywhere" bash -c "! grep -q 'CVE-2018-11236' '$T/ignored.tsv'"
check "--ignore-file with a package drops it there only" bash -c \
	"! grep -qP '^libudev1\tCVE-2020-1712' '$T/ignored.tsv' && grep -qP '^libsystemd0\tCVE-2020-1712' '$T/ignored.tsv'"
check "--ignore-file: an expired rule ignores nothing" grep -qP '^libc6\tCVE-2018-11237' "$T/ignored.tsv"
printf 'CVE-1 exp:2024-13-45\n' >"$T/bad-ignore"
vrun badignore scan "$U" --db "$DB" -q --ignore-file "$T/bad-ignore"
expect_rc badignore 1
check "a bad ignore file is named with its line" grep -q "bad-ignore:1" "$T/badignore.err"

# ---- exit codes ----
vrun gate scan "$U" --db "$DB" -q --exit-code 9
expect_rc gate 9
vrun gate-clean scan "$U" --db "$DB" -q --exit-code 9 --severity critical
expect_rc gate-clean 0
vrun gate-one scan "$U" --db "$DB" -q --exit-code 1
expect_rc gate-one 1
vrun gate-two scan "$U" --db "$DB" -q --exit-code 2
expect_rc gate-two 2
vrun badsev scan "$U" --db "$DB" -q --severity urgent
expect_rc badsev 2
vrun noimage scan "dir:$T/no-such-root" --db "$DB" -q --exit-code 9
expect_rc noimage 1
check "an unreadable image is named" grep -q "no-such-root" "$T/noimage.err"

# ---- the table ----
vrun table scan "$U" --db "$DB" -q --color never
expect_rc table 0
check "table: a summary line by severity" grep -qE '^[0-9]+ vulnerabilit(y|ies) in [0-9]+ packages?: ' "$T/table.out"
check "table: no colour escapes in a pipe" bash -c "! grep -q $'\e\\[' '$T/table.out'"
vrun color scan "$U" --db "$DB" -q --color always
check "table: colours when asked" grep -q $'\e\[' "$T/color.out"

# ---- loud when the data cannot be trusted ----
vrun empty scan "$U" --db "$(vigil_db empty)" -q --exit-code 9
expect_rc empty 1
check "an empty store is an error naming the command that fills it" grep -q "never filled.*vigil db update" "$T/empty.err"
vrun empty-allowed scan "$U" --db "$(vigil_db empty)" -q --exit-code 9 --allow-empty-db
expect_rc empty-allowed 0
check "an empty store with --allow-empty-db warns" grep -q "no vulnerability data at all" "$T/empty-allowed.err"
vrun empty-fail scan "$U" --db "$(vigil_db empty)" -q --fail-on-warning --allow-empty-db
expect_rc empty-fail 1
vrun otherns scan "oci:$IMAGES/oci:v2" --db "$DB" -q
expect_rc otherns 0
check "an image whose distribution has no data warns" grep -q "no vulnerability data for debian:12" "$T/otherns.err"
vigil_db_sql "$DB" "UPDATE update_operation SET created_at = created_at - 10 * 86400"
vrun stale scan "$U" --db "$DB" -q
check "data older than 3 days warns" grep -q "days old" "$T/stale.err"
vrun stale-ok scan "$U" --db "$DB" -q --max-age 30
check "--max-age 30 accepts 10-day-old data" bash -c "! grep -q 'days old' '$T/stale-ok.err'"

# ---- every layer cached: the same report, no layer read ----
vrun demo1 scan "oci:$IMAGES/oci:v2" --db "$DB" -q --format json
vrun demo2 scan "oci:$IMAGES/oci:v2" --db "$DB" -q --format json
check_same "a cached scan gives the same report" "$T/demo1.out" "$T/demo2.out"
it_done
