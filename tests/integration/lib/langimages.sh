# tests/integration/lib/langimages.sh: the language test images that
# test_lang_peers.sh and bench/peers.sh judge vigil with, side by side with
# syft, Trivy, Grype and osv-scanner (issue 13). Built at run time from the
# shared fixtures (../shared/testdata/lang/, read-only, never copied into the
# repository) with lib/oci.sh's oci_from_dirs: one OCI layout per image (tag
# "t") and, beside it, the same image as a docker-archive (NAME.docker.tar,
# for the peers that read only `docker save` tars), made with skopeo.
#
#   node    node_modules (nested copies) + package-lock v1/v2/v3, yarn v1 and
#           berry, pnpm v6/v9 lock files in application folders
#   java    jars (shaded, nested 3 deep, non-standard pom.properties), a Maven
#           and a Gradle war, a Spring Boot style fat jar (BOOT-INF/lib) made
#           here with python3's zipfile from the fixture jars
#   python  the demo's Debian bookworm root filesystem (a real dpkg database)
#           plus, in a second layer, the Debian bookworm tree of
#           lang/debian-bookworm-2026-12/ (31 Debian packages' Python and Ruby
#           metadata and usr/bin/age) with dpkg status stanzas and
#           info/<pkg>.list files made from its packages.tsv, so that "owned
#           by dpkg" can be judged, and pip-installed packages (a venv and
#           /usr/local site-packages) that no OS package owns
#   go      the Go executables of lang/go/ (mode 0755) and Debian's usr/bin/age
#   rust    cargo-auditable binaries and Cargo.lock files
#   ruby    installed gems' specifications/*.gemspec and Gemfile.lock files
#   php     vendor/composer/installed.json (both formats) and composer.lock
#   dotnet  *.deps.json, packages.lock.json and .NET assemblies
#
# Needs $T (a scratch folder, lib/common.sh's it_init sets it), $SRC (the
# source tree) and, for the python image, $IMAGES (scripts/make-images.sh's
# cache: its rootfs-v2/ is the Debian base). Functions:
#   lang_images_data             prints the fixture folder; 1 when absent
#   lang_image NAME OUTDIR       builds OUTDIR/NAME (OCI layout, tag t) and
#                                OUTDIR/NAME.docker.tar; reused when present
#   LANG_IMAGES                  the names, in table order
# shellcheck shell=bash

LANG_IMAGES="node java python go rust ruby php dotnet"
# shellcheck source=oci.sh
. "$(dirname "${BASH_SOURCE[0]}")/oci.sh"

lang_images_data() {
	local d=${LANG_DATA:-$SRC/../shared/testdata/lang}
	[ -d "$d/python" ] && [ -d "$d/debian-bookworm-2026-12" ] || return 1
	(cd "$d" && pwd)
}

# lmk_put SRC DEST: copies a fixture file or folder (made writable: the shared
# data is read-only) to DEST, creating its parent.
lmk_put() {
	mkdir -p "$(dirname "$2")"
	cp -r "$1" "$2" && chmod -R u+w "$2"
}

lmk_node() { # ROOT
	local L=$LANG_DATA/node a=$1/srv
	lmk_put "$L/trivy_npm-node_modules/node_modules" "$1/app/node_modules"
	lmk_put "$L/trivy_npm-node_modules/package-lock.json" "$1/app/package-lock.json"
	lmk_put "$L/trivy_package-lock_v1.json" "$a/lock-v1/package-lock.json"
	lmk_put "$L/trivy_package-lock_v2.json" "$a/lock-v2/package-lock.json"
	lmk_put "$L/trivy_package-lock_v3.json" "$a/lock-v3/package-lock.json"
	lmk_put "$L/trivy_yarn_happy.lock" "$a/yarn-v1/yarn.lock"
	lmk_put "$L/trivy_yarn_v2_happy.lock" "$a/yarn-berry/yarn.lock"
	lmk_put "$L/trivy_pnpm-lock_v6.yaml" "$a/pnpm-v6/pnpm-lock.yaml"
	lmk_put "$L/trivy_pnpm-lock_v9.yaml" "$a/pnpm-v9/pnpm-lock.yaml"
}

# lmk_fatjar OUT JAR...: a Spring Boot style fat jar: its own pom.properties
# and manifest, the given jars stored (not deflated, as Spring Boot's loader
# wants) under BOOT-INF/lib/.
lmk_fatjar() {
	python3 - "$@" <<'PY'
import os, sys, zipfile
out, jars = sys.argv[1], sys.argv[2:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/MANIFEST.MF",
               "Manifest-Version: 1.0\r\nMain-Class: org.springframework.boot.loader.launch.JarLauncher\r\n"
               "Start-Class: com.example.demo.App\r\nSpring-Boot-Lib: BOOT-INF/lib/\r\n\r\n")
    z.writestr("META-INF/maven/com.example/demo-boot/pom.properties",
               "groupId=com.example\nartifactId=demo-boot\nversion=1.0.0\n")
    z.writestr("BOOT-INF/classes/com/example/demo/App.class", b"\xca\xfe\xba\xbe")
    for j in jars:
        z.write(j, "BOOT-INF/lib/" + os.path.basename(j).replace("trivy_", ""),
                compress_type=zipfile.ZIP_STORED)
PY
}

lmk_java() { # ROOT
	local L=$LANG_DATA/java
	lmk_put "$L/trivy_hadoop-shaded-guava-1.1.0-SNAPSHOT.jar" "$1/opt/app/lib/hadoop-shaded-guava-1.1.0-SNAPSHOT.jar"
	lmk_put "$L/trivy_io.quarkus.gizmo.gizmo-1.1.jar" "$1/opt/app/lib/io.quarkus.gizmo.gizmo-1.1.jar"
	lmk_put "$L/trivy_nested.jar" "$1/opt/app/lib/nested.jar"
	lmk_put "$L/trivy_maven.war" "$1/usr/local/tomcat/webapps/maven.war"
	lmk_put "$L/trivy_gradle.war" "$1/usr/local/tomcat/webapps/gradle.war"
	mkdir -p "$1/opt/boot"
	lmk_fatjar "$1/opt/boot/demo-boot-1.0.0.jar" "$L/trivy_nested.jar" "$L/trivy_io.quarkus.gizmo.gizmo-1.1.jar"
}

# lmk_dpkg ROOT BASE_STATUS: the Debian tree of debian-bookworm-2026-12/ with
# a dpkg database: BASE_STATUS plus one stanza per packages.tsv line, and
# info/<pkg>.list naming its files and their folders, as dpkg writes them.
lmk_dpkg() {
	local root=$1 tsv=$LANG_DATA/debian-bookworm-2026-12/packages.tsv
	cp -r "$LANG_DATA/debian-bookworm-2026-12/rootfs/." "$root/"
	chmod -R u+w "$root"
	chmod 0755 "$root/usr/bin/age"
	mkdir -p "$root/var/lib/dpkg/info"
	cp "$2" "$root/var/lib/dpkg/status"
	python3 - "$tsv" "$root/var/lib/dpkg" >>"$root/var/lib/dpkg/status" <<'PY'
import os, sys
tsv, dpkg = sys.argv[1], sys.argv[2]
for line in open(tsv, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    pkg, ver, src, files = line.rstrip("\n").split("\t")
    files = files.split()
    arch = "amd64" if pkg == "age" or any("x86_64-linux-gnu" in f or f.endswith(".so") for f in files) else "all"
    print(f"Package: {pkg}\nStatus: install ok installed\nPriority: optional\nSection: misc\n"
          f"Installed-Size: 1\nMaintainer: Debian <debian@lists.debian.org>\nArchitecture: {arch}\n"
          + (f"Source: {src}\n" if src != pkg else "")
          + f"Version: {ver}\nDescription: {pkg} (vigil test image, from packages.tsv)\n")
    dirs = set()
    for f in files:
        p = os.path.dirname(f)
        while p:
            dirs.add(p)
            p = os.path.dirname(p)
    with open(os.path.join(dpkg, "info", pkg + ".list"), "w") as out:
        out.write("/.\n")
        for p in sorted(dirs | set(files)):
            out.write("/" + p + "\n")
PY
}

lmk_python() { # ROOT (layer 2; layer 1 is the Debian base)
	local L=$LANG_DATA/python
	lmk_dpkg "$1" "$IMAGES/rootfs-v2/var/lib/dpkg/status"
	lmk_put "$L/trivy_pip-venv/lib/python3.10/site-packages" "$1/opt/venv/lib/python3.10/site-packages"
	local sp=$1/usr/local/lib/python3.11/dist-packages
	lmk_put "$L/trivy_site-packages/license-file-dist/typing_extensions-4.4.0.dist-info" "$sp/typing_extensions-4.4.0.dist-info"
	lmk_put "$L/trivy_site-packages/classifier-license-egg/setuptools-51.3.3.egg-info" "$sp/setuptools-51.3.3.egg-info"
	lmk_put "$L/trivy_packaging-files/distlib-0.3.1-py3.9.egg-info" "$sp/distlib-0.3.1-py3.9.egg-info"
}

lmk_go() { # ROOT
	local f
	mkdir -p "$1/usr/local/bin" "$1/usr/bin"
	for f in scalibr_binary_with_module_replacement-linux-amd64 scalibr_binary_with_module_replacement-linux-arm64 \
		trivy_goexperiment trivy_main-version-via-ldflags.elf trivy_test.elf trivy_dummy; do
		lmk_put "$LANG_DATA/go/$f" "$1/usr/local/bin/${f#*_}"
		chmod 0755 "$1/usr/local/bin/${f#*_}"
	done
	lmk_put "$LANG_DATA/debian-bookworm-2026-12/rootfs/usr/bin/age" "$1/usr/bin/age"
	chmod 0755 "$1/usr/bin/age"
}

lmk_rust() { # ROOT
	local L=$LANG_DATA/rust f
	for f in trivy_auditable_test.elf scalibr_uses_serde_json scalibr_no_deps; do
		lmk_put "$L/$f" "$1/usr/local/bin/${f#*_}"
		chmod 0755 "$1/usr/local/bin/${f#*_}"
	done
	lmk_put "$L/trivy_cargo_normal.lock" "$1/srv/cargo-normal/Cargo.lock"
	lmk_put "$L/trivy_cargo_v3.lock" "$1/srv/cargo-v3/Cargo.lock"
	lmk_put "$L/trivy_cargo_mixed.lock" "$1/srv/cargo-mixed/Cargo.lock"
}

lmk_ruby() { # ROOT
	local L=$LANG_DATA/ruby f spec=$1/usr/local/bundle/specifications
	for f in trivy_normal00 trivy_normal01 trivy_license trivy_multiple_licenses syft_bundler syft_formatador; do
		lmk_put "$L/$f.gemspec" "$spec/${f#*_}.gemspec"
	done
	lmk_put "$L/trivy_Gemfile_normal.lock" "$1/srv/ruby-app/Gemfile.lock"
	lmk_put "$L/trivy_Gemfile_bundler2.lock" "$1/srv/ruby-bundler2/Gemfile.lock"
	lmk_put "$L/syft_Gemfile.lock" "$1/srv/ruby-syft/Gemfile.lock"
}

lmk_php() { # ROOT
	local L=$LANG_DATA/php
	lmk_put "$L/trivy_composer-vendor/vendor" "$1/srv/php-vendor/vendor"
	lmk_put "$L/syft_composer_1/vendor" "$1/srv/php-composer1/vendor"
	lmk_put "$L/syft_composer_2/vendor" "$1/srv/php-composer2/vendor"
	lmk_put "$L/trivy_composer_happy.lock" "$1/srv/php-lock/composer.lock"
	lmk_put "$L/trivy_composer-with-dev" "$1/srv/php-dev"
}

lmk_dotnet() { # ROOT
	local L=$LANG_DATA/dotnet
	lmk_put "$L/trivy_happy.deps.json" "$1/app/happy/ExampleApp1.deps.json"
	lmk_put "$L/trivy_multi-project.deps.json" "$1/app/multi/MultiApp.deps.json"
	lmk_put "$L/trivy_without-runtime.deps.json" "$1/app/noruntime/NoRuntime.deps.json"
	lmk_put "$L/trivy_packages_lock_simple.json" "$1/src/simple/packages.lock.json"
	lmk_put "$L/trivy_packages_lock_subdependencies.json" "$1/src/subdeps/packages.lock.json"
	lmk_put "$L/scalibr_HelloWorldApp.dll" "$1/app/hello/HelloWorldApp.dll"
	lmk_put "$L/scalibr_HelloWorldApp.exe" "$1/app/hello/HelloWorldApp.exe"
}

# lang_image NAME OUTDIR: OUTDIR/NAME (OCI layout, tag t) and
# OUTDIR/NAME.docker.tar; kept when both exist (delete them to rebuild).
lang_image() {
	local name=$1 out=$2 d
	[ -f "$out/$name/index.json" ] && [ -f "$out/$name.docker.tar" ] && return 0
	LANG_DATA=$(lang_images_data) || { echo "langimages: no shared fixtures (../shared/testdata/lang)" >&2; return 1; }
	d=$T/lmk.$name
	rm -rf "$d" "$out/$name" "$out/$name.docker.tar"
	mkdir -p "$d/l1" "$out"
	case $name in
	python)
		[ -d "${IMAGES:-}/rootfs-v2/var/lib/dpkg" ] ||
			{ echo "langimages: no Debian base (\$IMAGES/rootfs-v2: scripts/make-images.sh)" >&2; return 1; }
		mkdir -p "$d/l2"
		lmk_python "$d/l2" || return 1
		oci_from_dirs "$out/$name" "$IMAGES/rootfs-v2" "$d/l2" ;;
	node | java | go | rust | ruby | php | dotnet)
		"lmk_$name" "$d/l1" || return 1
		oci_from_dirs "$out/$name" "$d/l1" ;;
	*) echo "langimages: unknown image $name" >&2; return 1 ;;
	esac
	rm -rf "$d"
	skopeo copy -q "oci:$out/$name:t" "docker-archive:$out/$name.docker.tar:vigil-lang/$name:t" >/dev/null ||
		{ echo "langimages: skopeo could not write $out/$name.docker.tar" >&2; return 1; }
}
