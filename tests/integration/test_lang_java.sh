#!/bin/bash
# tests/integration/test_lang_java.sh: Java archives and a zipped egg
# through `vigil index`. Builds a two-layer OCI layout here from the real
# fixtures of ../shared/testdata/lang/: layer 1 holds trivy's maven.war
# (its own pom.properties and 7 WEB-INF/lib jars), nested.jar (a jar in a
# jar in a jar), a .jar that is not a zip and scalibr's monotonic egg;
# layer 2 adds trivy's gradle.war and deletes nested.jar (.wh.). Checks
# each package's name, version, purl, package_db (the "!/" paths of nested
# archives) and layer, that the deleted archive's packages are gone, and
# that the broken jar is a warning naming the file and the layer while the
# rest of the image is read.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
LANG_DATA=$SRC/../shared/testdata/lang
[ -d "$LANG_DATA/java" ] || skip "the shared test data ($LANG_DATA) is absent"

# shellcheck source=lib/oci.sh
. "$(dirname "$0")/lib/oci.sh"

SP=usr/lib/python3/site-packages
L1=$T/l1 L2=$T/l2
mkdir -p "$L1/srv" "$L1/opt/lib" "$L1/$SP" "$L2/opt/lib"
cp "$LANG_DATA/java/trivy_maven.war" "$L1/srv/app.war"
cp "$LANG_DATA/java/trivy_nested.jar" "$L1/opt/lib/nested.jar"
printf 'PK\003\004 this is not a zip' >"$L1/opt/lib/broken.jar"
cp "$LANG_DATA/python/scalibr_wheelegg/monotonic-1.6-py3.10.egg" "$L1/$SP/"
cp "$LANG_DATA/java/trivy_gradle.war" "$L2/opt/lib/gradle.war"
: >"$L2/opt/lib/.wh.nested.jar"
chmod -R u+w "$L1" "$L2"
oci_from_dirs "$T/img" "$L1" "$L2"
mapfile -t LAYERS < <(oci_layers "$T/img" t)

vjson one index "oci:$T/img:t" --db "$T/v.db"
# name version package_db layer(1|2), sorted
jq -r --arg l1 "${LAYERS[0]}" '.packages as $p | .environments | to_entries[] | ($p[.key]) as $k
	| [$k.name, $k.version, .value[0].package_db,
	   (if .value[0].introduced_in == $l1 then "1" else "2" end)] | @tsv' \
	"$T/one.out" | LC_ALL=C sort >"$T/got"
W=srv/app.war!/WEB-INF/lib G=opt/lib/gradle.war!/WEB-INF/lib
cat >"$T/want" <<WANT
com.cronutils:cron-utils	9.1.2	$W/cron-utils-9.1.2.jar	1
com.example:web-app	1.0-SNAPSHOT	srv/app.war	1
com.fasterxml.jackson.core:jackson-annotations	2.9.10	$W/jackson-annotations-2.9.10.jar	1
com.fasterxml.jackson.core:jackson-core	2.9.10	$W/jackson-core-2.9.10.jar	1
com.fasterxml.jackson.core:jackson-databind	2.9.10.6	$W/jackson-databind-2.9.10.6.jar	1
commons-dbcp:commons-dbcp	1.4	$G/commons-dbcp-1.4.jar	2
commons-pool:commons-pool	1.6	$G/commons-pool-1.6.jar	2
log4j:log4j	1.2.17	$G/log4j-1.2.17.jar	2
monotonic	1.6	$SP/monotonic-1.6-py3.10.egg	1
org.apache.commons:commons-compress	1.19	$G/commons-compress-1.19.jar	2
org.apache.commons:commons-lang3	3.11	$W/commons-lang3-3.11.jar	1
org.glassfish:javax.el	3.0.0	$W/javax.el-3.0.0.jar	1
org.slf4j:slf4j-api	1.7.30	$W/slf4j-api-1.7.30.jar	1
WANT
check "the packages, their versions, files and layers" diff "$T/want" "$T/got"
check "the broken jar: a warning naming the layer and the file" \
	grep -qE "layer ${LAYERS[0]}: opt/lib/broken.jar: .*not (a zip|read)" "$T/one.err"
check "no warning for the good archives" bash -c "! grep -E 'app.war|gradle.war|nested.jar|\\.egg' '$T/one.err'"

# the purls, from the table output
vrun table index "oci:$T/img:t" --db "$T/v.db"
expect_rc table 0
for purl in pkg:maven/com.example/web-app@1.0-SNAPSHOT pkg:maven/org.slf4j/slf4j-api@1.7.30 pkg:maven/log4j/log4j@1.2.17 pkg:pypi/monotonic@1.6; do
	check "table: $purl" grep -qF " $purl " "$T/table.out"
done
it_done
