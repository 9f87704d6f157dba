#!/bin/bash
# tests/integration/test_lang.sh: language packages through `vigil index`.
# Builds a two-layer OCI layout here from the real fixtures of
# ../shared/testdata/lang/: layer 1 holds a Python venv (trivy_pip-venv's 3
# dist-info folders), Debian's PyYAML dist-info and an egg-info file, and a
# node_modules tree (trivy_npm-node_modules: 8 package.json, nested copies
# included); layer 2 deletes click's dist-info (.wh.) and express's nested
# node_modules (.wh. of the folder). Checks each package's name, version,
# purl, package_db and layer, the Clair repositories (pypi, npm) its
# environment names, and that the deleted ones are gone.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
LANG_DATA=$SRC/../shared/testdata/lang
[ -d "$LANG_DATA/python" ] || skip "the shared test data ($LANG_DATA) is absent"

# shellcheck source=lib/oci.sh
. "$(dirname "$0")/lib/oci.sh"

SP=opt/venv/lib/python3.10/site-packages
DP=usr/lib/python3/dist-packages
L1=$T/l1 L2=$T/l2
mkdir -p "$L1/$SP" "$L1/$DP" "$L1/app" "$L2/$SP" "$L2/app/node_modules/express"
cp -r "$LANG_DATA/python/trivy_pip-venv/lib/python3.10/site-packages/." "$L1/$SP/"
cp -r "$LANG_DATA/debian-bookworm-2026-12/rootfs/$DP/PyYAML-6.0.dist-info" "$L1/$DP/"
cp "$LANG_DATA/python/trivy_packaging-files/distlib-0.3.1-py3.9.egg-info" "$L1/$DP/"
cp -r "$LANG_DATA/node/trivy_npm-node_modules/node_modules" "$L1/app/"
cp "$LANG_DATA/node/trivy_npm-node_modules/package-lock.json" "$L1/app/package.json"
: >"$L2/$SP/.wh.click-8.0.0.dist-info"
: >"$L2/app/node_modules/express/.wh.node_modules"
chmod -R u+w "$L1" "$L2"
oci_from_dirs "$T/img" "$L1" "$L2"
mapfile -t LAYERS < <(oci_layers "$T/img" t)

vjson one index "oci:$T/img:t" --db "$T/v.db"
# name version purl package_db, sorted
jq -r '.packages as $p | .environments | to_entries[] | ($p[.key]) as $k
	| [$k.name, $k.version, .value[0].package_db] | @tsv' "$T/one.out" | LC_ALL=C sort >"$T/got"
cat >"$T/want" <<WANT
@babel/parser	7.23.6	app/node_modules/@babel/parser/package.json
Flask	2.0.0	$SP/Flask-2.0.0.dist-info/METADATA
PyYAML	6.0	$DP/PyYAML-6.0.dist-info/METADATA
annotated-types	0.7.0	$SP/annotated_types-0.7.0.dist-info/METADATA
body-parser	1.18.3	app/node_modules/body-parser/package.json
debug	2.6.9	app/node_modules/body-parser/node_modules/debug/package.json
distlib	0.3.1	$DP/distlib-0.3.1-py3.9.egg-info
express	4.16.4	app/node_modules/express/package.json
ms	2.0.0	app/node_modules/body-parser/node_modules/ms/package.json
ms	2.1.1	app/node_modules/ms/package.json
WANT
check "the packages, their versions and files" diff "$T/want" "$T/got"

# the purls, from the table output
vrun table index "oci:$T/img:t" --db "$T/v.db"
expect_rc table 0
for purl in pkg:pypi/flask@2.0.0 pkg:pypi/pyyaml@6.0 pkg:pypi/annotated-types@0.7.0 \
	pkg:pypi/distlib@0.3.1 pkg:npm/%40babel/parser@7.23.6 pkg:npm/express@4.16.4 \
	pkg:npm/ms@2.0.0 pkg:npm/ms@2.1.1; do
	check "table: $purl" grep -qF " $purl " "$T/table.out"
done
check "table: the counts" grep -qF "packages:     10 (pypi 4, npm 6)" "$T/table.out"

# Clair's repositories, named from each environment
check_eq "repositories" "npm https://www.npmjs.com/|pypi https://pypi.org/simple" \
	"$(jq -r '[.repository[] | "\(.name) \(.uri)"] | sort | join("|")' "$T/one.out")"
check_eq "every environment names its ecosystem's repository" 0 \
	"$(jq '.repository as $r | [.environments[][0]
		| select($r[.repository_ids[0]].name !=
			 (if (.package_db | endswith("package.json")) then "npm" else "pypi" end))]
		| length' "$T/one.out")"
check_eq "introduced in layer 1" "${LAYERS[0]}" \
	"$(jq -r '[.environments[][0].introduced_in] | unique | join(",")' "$T/one.out")"
check_eq "no distribution for language packages" true \
	"$(jq '[.environments[][0].distribution_id] | all(. == "")' "$T/one.out")"
# the IndexReport of language packages, judged by Clair's and Quay's schemas
OA_SPECS=$SRC/../shared/testdata/specs
if [ -d "$OA_SPECS/clair-v4" ]; then
	check "valid against Clair's index_report.schema.json" python3 \
		"$SRC/tests/integration/lib/openapi_check.py" --judge clair "$OA_SPECS/clair-v4" \
		index_report.schema.json "$T/one.out"
	check "valid against Quay's IndexReport" python3 "$SRC/tests/integration/lib/openapi_check.py" \
		--judge quay "$OA_SPECS/quay/clair-v4.openapi.json" IndexReport "$T/one.out"
fi
it_done
