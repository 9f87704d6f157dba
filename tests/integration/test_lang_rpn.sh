#!/bin/bash
# tests/integration/test_lang_rpn.sh: Ruby, PHP and .NET packages through
# `vigil index`. Builds a two-layer OCI layout here from the real fixtures of
# ../shared/testdata/lang/: layer 1 holds a GEM_HOME with two installed
# gemspecs, an app's Gemfile.lock, a PHP app's vendor/composer/installed.json
# and composer.lock, a .NET app's *.deps.json, packages.lock.json and
# assembly, and a .dll that is not a PE file; layer 2 adds the app's apphost
# (HelloWorldApp.exe). Checks each package's name, version, package_db and
# layer, the purls, and that the bad .dll is a warning naming layer and
# file while everything else is still read.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
LANG_DATA=$SRC/../shared/testdata/lang
[ -d "$LANG_DATA/ruby" ] || skip "the shared test data ($LANG_DATA) is absent"

# shellcheck source=lib/oci.sh
. "$(dirname "$0")/lib/oci.sh"

GH=usr/local/bundle/specifications
L1=$T/l1 L2=$T/l2
mkdir -p "$L1/$GH" "$L1/srv/blog" "$L1/var/www/vendor/composer" "$L1/app" "$L2/app"
cp "$LANG_DATA/ruby/trivy_normal00.gemspec" "$L1/$GH/rake-13.0.3.gemspec"
cp "$LANG_DATA/ruby/syft_formatador.gemspec" "$L1/$GH/formatador-1.1.0.gemspec"
cp "$LANG_DATA/ruby/trivy_Gemfile_normal.lock" "$L1/srv/blog/Gemfile.lock"
cp "$LANG_DATA/php/trivy_composer-vendor/vendor/composer/installed.json" "$L1/var/www/vendor/composer/"
cp "$LANG_DATA/php/trivy_composer-with-dev/composer.lock" "$L1/var/www/composer.lock"
cp "$LANG_DATA/dotnet/trivy_happy.deps.json" "$L1/app/ExampleApp1.deps.json"
cp "$LANG_DATA/dotnet/trivy_packages_lock_simple.json" "$L1/app/packages.lock.json"
cp "$LANG_DATA/dotnet/scalibr_HelloWorldApp.dll" "$L1/app/HelloWorldApp.dll"
cp "$LANG_DATA/dotnet/scalibr_Invalid.dll" "$L1/app/Broken.dll"
cp "$LANG_DATA/dotnet/scalibr_HelloWorldApp.exe" "$L2/app/HelloWorldApp.exe"
chmod -R u+w "$L1" "$L2"
oci_from_dirs "$T/img" "$L1" "$L2"
mapfile -t LAYERS < <(oci_layers "$T/img" t)

vjson one index "oci:$T/img:t" --db "$T/v.db"
# name version package_db layer, one line per environment, sorted
jq -r '.packages as $p | .environments | to_entries[] | ($p[.key]) as $k | .value[]
	| [$k.name, $k.version, .package_db, .introduced_in] | @tsv' "$T/one.out" |
	LC_ALL=C sort >"$T/got"
A=${LAYERS[0]} B=${LAYERS[1]}
cat >"$T/want" <<WANT
ExampleApp1	1.0.0	app/ExampleApp1.deps.json	$A
Flurl.Http.dll	4.0.2.0	app/HelloWorldApp.dll	$A
HelloWorldApp.dll	1.0.0.0	app/HelloWorldApp.dll	$A
HelloWorldApp.dll	1.0.0.0	app/HelloWorldApp.exe	$B
Newtonsoft.Json	12.0.3	app/packages.lock.json	$A
Newtonsoft.Json	13.0.1	app/ExampleApp1.deps.json	$A
Newtonsoft.Json.dll	13.0.0.0	app/HelloWorldApp.dll	$A
NuGet.Frameworks	5.7.0	app/packages.lock.json	$A
System.Collections.dll	9.0.0.0	app/HelloWorldApp.dll	$A
System.Console.dll	9.0.0.0	app/HelloWorldApp.dll	$A
System.Net.Http.dll	9.0.0.0	app/HelloWorldApp.dll	$A
System.Runtime.dll	9.0.0.0	app/HelloWorldApp.dll	$A
coderay	1.1.2	srv/blog/Gemfile.lock	$A
concurrent-ruby	1.1.5	srv/blog/Gemfile.lock	$A
dotenv	2.7.2	srv/blog/Gemfile.lock	$A
faker	1.9.3	srv/blog/Gemfile.lock	$A
formatador	1.1.0	$GH/formatador-1.1.0.gemspec	$A
i18n	1.6.0	srv/blog/Gemfile.lock	$A
method_source	0.9.2	srv/blog/Gemfile.lock	$A
pear/log	1.13.3	var/www/vendor/composer/installed.json	$A
pear/log	1.14.6	var/www/composer.lock	$A
pear/pear_exception	v1.0.2	var/www/composer.lock	$A
pear/pear_exception	v1.0.2	var/www/vendor/composer/installed.json	$A
pry	0.12.2	srv/blog/Gemfile.lock	$A
psr/log	1.1.4	var/www/composer.lock	$A
rake	13.0.3	$GH/rake-13.0.3.gemspec	$A
WANT
check "the packages, their versions, files and layers" diff "$T/want" "$T/got"

# the purls and the warning, from the table output
vrun table index "oci:$T/img:t" --db "$T/v.db"
expect_rc table 0
for purl in pkg:gem/rake@13.0.3 pkg:gem/concurrent-ruby@1.1.5 pkg:composer/pear/log@1.14.6 \
	pkg:composer/pear/pear_exception@v1.0.2 pkg:nuget/Newtonsoft.Json@13.0.1 \
	pkg:nuget/NuGet.Frameworks@5.7.0 pkg:nuget/Flurl.Http.dll@4.0.2.0; do
	check "table: $purl" grep -qF " $purl " "$T/table.out"
done
check "a warning names the layer and the bad assembly" \
	grep -qE "layer $A: app/Broken.dll: not a PE file" "$T/one.err"
it_done
