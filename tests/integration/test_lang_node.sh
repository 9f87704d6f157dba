#!/bin/bash
# tests/integration/test_lang_node.sh: Node.js lock files through `vigil
# index`. One OCI layer built here from trivy's fixtures in
# ../shared/testdata/lang/node/: app/package-lock.json (v3, dev and
# non-dev copies), app2/yarn.lock (v1 with a file: package), app3/pnpm-lock.yaml
# (9.0); lock files inside node_modules (the hidden
# node_modules/.package-lock.json, a dependency's own yarn.lock) that must
# not be read; app4/package-lock.json that is not JSON and app5/yarn.lock of
# 100 MB, each a warning naming the file while the rest is read. Checks
# every package's name, version and package_db against the expected lists,
# the purls and the dev marker of the table, read cold and from the layer
# cache.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
NODE=$SRC/../shared/testdata/lang/node
EXP=$SRC/../shared/testdata/lang/expected
[ -d "$NODE" ] || skip "the shared test data ($NODE) is absent"

# shellcheck source=lib/oci.sh
. "$(dirname "$0")/lib/oci.sh"

L1=$T/l1
mkdir -p "$L1/app/node_modules/left-pad" "$L1/app2" "$L1/app3" "$L1/app4" "$L1/app5"
cp "$NODE/trivy_package-lock_v3_with-same-dev-and-non-dev.json" "$L1/app/package-lock.json"
cp "$NODE/trivy_package-lock_v1.json" "$L1/app/node_modules/.package-lock.json"
cp "$NODE/trivy_yarn_happy.lock" "$L1/app/node_modules/left-pad/yarn.lock"
cp "$NODE/trivy_yarn_with_local.lock" "$L1/app2/yarn.lock"
cp "$NODE/trivy_pnpm-lock_v9.yaml" "$L1/app3/pnpm-lock.yaml"
printf '{"lockfileVersion": 3, "packages": {' >"$L1/app4/package-lock.json"
truncate -s 100M "$L1/app5/yarn.lock"
chmod -R u+w "$L1"
oci_from_dirs "$T/img" "$L1"

# the expected lists: name version package_db, and the dev ones' purls
want() { # TSV package_db
	awk -F'\t' -v db="$2" '!/^#/ && $1 != "name" { print $1 "\t" $2 "\t" db }' "$EXP/$1"
}
{
	want node_trivy_package-lock_v3_with-same-dev-and-non-dev.json.tsv app/package-lock.json
	want node_trivy_yarn_with_local.lock.tsv app2/yarn.lock
	want node_trivy_pnpm-lock_v9.yaml.tsv app3/pnpm-lock.yaml
} | LC_ALL=C sort >"$T/want"
check_eq "29 packages expected" 29 "$(wc -l <"$T/want")"

for run in cold cached; do
	vjson "$run" index "oci:$T/img:t" --db "$T/v.db"
	jq -r '.packages as $p | .environments | to_entries[] | ($p[.key]) as $k
		| [$k.name, $k.version, .value[0].package_db] | @tsv' "$T/$run.out" |
		LC_ALL=C sort >"$T/got.$run"
	check "$run: the packages, their versions and lock files" diff "$T/want" "$T/got.$run"
	check_eq "$run: every one in npm's repository" npm \
		"$(jq -r '.repository as $r | [.environments[][0] | $r[.repository_ids[0]].name]
			| unique | join(",")' "$T/$run.out")"

	vrun "table-$run" index "oci:$T/img:t" --db "$T/v.db"
	expect_rc "table-$run" 0
	tab=$T/table-$run.out
	for purl in pkg:npm/fsevents@1.2.9 pkg:npm/mkdirp@0.5.1 pkg:npm/node-pre-gyp@0.12.0; do
		check "$run: $purl dev" grep -qE " $purl app/package-lock.json \(dev\)$" "$tab"
	done
	check "$run: minimist not dev" grep -qE " pkg:npm/minimist@0.0.8 app/package-lock.json$" "$tab"
	check "$run: yarn, no dev" grep -qE " pkg:npm/promise@8.0.3 app2/yarn.lock$" "$tab"
	for purl in pkg:npm/jquery@3.6.0 pkg:npm/lodash@4.17.21 pkg:npm/await-sleep@0.0.1; do
		check "$run: $purl dev" grep -qE " $purl app3/pnpm-lock.yaml \(dev\)$" "$tab"
	done
	check "$run: scoped purl" grep -qF " pkg:npm/%40babel/helper-string-parser@7.24.1 app3/" "$tab"
	check_eq "$run: 6 dev" 6 "$(grep -c ' (dev)$' "$tab")"
	check "$run: nothing from node_modules" bash -c "! grep -q node_modules '$tab'"
done
# the warnings name the bad files (cold: the cached run reads no layer)
check "not JSON: a warning naming app4/package-lock.json" grep -q "app4/package-lock.json" "$T/cold.err"
check "100 MB: a warning naming app5/yarn.lock" grep -q "app5/yarn.lock" "$T/cold.err"
it_done
