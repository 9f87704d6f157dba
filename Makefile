# vigil: the two commands of the README, and the pieces they are made of.
#   make demo   install what is needed, build, build a real Debian image, index it,
#               load the vulnerability data, scan it and an Ubuntu 18.04 image
#   make test   install what is needed, build (release and ASan+UBSan), run every test
# Both work as root on a fresh Debian 12 machine; apt-get runs only when a
# package is missing.
#   make install   build/ installed in $(DESTDIR)$(PREFIX) (default /usr/local):
#                  bin/vigil, lib/libvigil.so + .a, include/vigil/, lib/pkgconfig/vigil.pc
# The build is quiet: warnings and errors only (V=1 shows the commands).

NPROC   := $(shell nproc 2>/dev/null || echo 2)
BUILD   ?= build
ASAN    ?= build-asan
IMAGES  ?= $(or $(VIGIL_IMAGE_CACHE),/var/tmp/vigil-images)
VIGIL   := $(BUILD)/vigil
PREFIX  ?= /usr/local
DESTDIR ?=

# no "Entering directory" lines from the makes cmake --build runs; the
# "[ 12%] Building C object" lines are off in CMakeLists.txt (VIGIL_BUILD_MESSAGES)
MAKEFLAGS += --no-print-directory
ifeq ($(V),1)
Q :=
BUILD_V := -v
else
Q := @
BUILD_V :=
endif

DEPS := build-essential cmake pkg-config clang libclang-rt-14-dev \
	libarchive-dev libisal-dev isal libzstd-dev zstd zlib1g-dev libsqlite3-dev sqlite3 \
	libssl-dev libjansson-dev libcmocka-dev libyaml-dev libxml2-dev libbz2-dev libcurl4-openssl-dev \
	mmdebstrap umoci skopeo jq rpm dpkg-dev time python3 ca-certificates python3-apt python3-rpm \
	docker-registry apache2-utils openssl libmicrohttpd-dev wrk libpq-dev postgresql python3-jsonschema python3-yaml \
	librabbitmq-dev rabbitmq-server amqp-tools python3-venv redis-server \
	podman chromium libxml2-utils libpcre2-dev openssh-client \
	$(if $(filter x86_64,$(shell uname -m)),libhyperscan-dev)

.PHONY: all deps build asan clang install demo test unit bench fuzz images clean

all: build

deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${db:Status-Abbrev}' $$p 2>/dev/null | grep -q '^ii' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "run as root (or install: $$missing)" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build: deps
	$(Q)cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	$(Q)cmake --build $(BUILD) -j$(NPROC) $(BUILD_V)

asan: deps
	$(Q)cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DVIGIL_SANITIZE=ON >/dev/null
	$(Q)cmake --build $(ASAN) -j$(NPROC) $(BUILD_V)

# The same build with clang (build-clang/): gcc and clang both build without a warning.
clang: deps
	$(Q)cmake -S . -B build-clang -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	$(Q)cmake --build build-clang -j$(NPROC) $(BUILD_V)

# The prefix is configured (vigil.pc records it); DESTDIR stages the files.
install: deps
	$(Q)cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	$(Q)cmake --build $(BUILD) -j$(NPROC) $(BUILD_V)
	$(Q)DESTDIR=$(DESTDIR) cmake --install $(BUILD) >/dev/null
	@echo "installed in $(DESTDIR)$(PREFIX): bin/vigil, libvigil.so and libvigil.a, include/vigil/*.h, vigil.pc"

images: deps
	bash scripts/make-images.sh $(IMAGES)

FEEDS ?= $(abspath ../shared/testdata/feeds)

demo: build images
	@echo "== vigil index oci:$(IMAGES)/oci:v2 (the real 3-layer Debian bookworm image)"
	$(VIGIL) index oci:$(IMAGES)/oci:v2
	@echo
	@echo "== the same image again: every layer comes from the cache"
	$(VIGIL) index oci:$(IMAGES)/oci:v2 | sed -n '1,8p'
	@echo
	@echo "== vigil db update: the vulnerability feeds from their upstreams"
	@$(VIGIL) db update -q; rc=$$?; \
	if [ $$rc = 3 ]; then \
		if [ -d "$(FEEDS)" ]; then \
			echo "== OFFLINE: no feed upstream could be reached. Importing the feed snapshots in $(FEEDS) instead."; \
			$(VIGIL) db import "$(FEEDS)" 2>/dev/null; irc=$$?; \
			if [ $$irc = 0 ]; then \
				echo "== imported. ../shared/testdata holds deliberately broken files (see each FORMAT.md):"; \
				echo "   each is refused alone and listed above with why; the rest of its feed was loaded"; \
			elif [ $$irc = 1 ]; then \
				echo "== some feeds failed, each named above with the file and why; a failed feed keeps"; \
				echo "   its previous data, the others were loaded (refused files are listed above too)"; \
			else exit 1; fi; \
		else echo "== OFFLINE and no snapshots at $(FEEDS): the database stays empty"; fi; \
	elif [ $$rc = 0 ]; then echo "== updated from the network"; \
	else echo "== some feeds failed to update (see above); the others were updated"; fi
	@echo
	@echo "== vigil db status"
	-$(VIGIL) db status
	@echo
	@echo "== vigil scan oci:$(IMAGES)/oci:v2 (the Debian bookworm demo image; every layer cached)"
	$(VIGIL) scan oci:$(IMAGES)/oci:v2 -q
	@echo
	@echo "== vigil scan of an image of the data's era: the real Ubuntu 18.04 package database"
	@echo "   of ../shared/testdata/pkgdb in a root filesystem, against the Ubuntu CVE tracker"
	@if bash scripts/make-pkgdb-rootfs.sh $(IMAGES)/pkgdb >/dev/null; then \
		$(VIGIL) scan dir:$(IMAGES)/pkgdb/rootfs-ubuntu1804 -q; \
		mkdir -p $(BUILD)/demo; \
		echo; echo "== the same scan as the reports people read and tools ingest, in one run:"; \
		$(VIGIL) scan dir:$(IMAGES)/pkgdb/rootfs-ubuntu1804 -q --format \
			html=$(BUILD)/demo/ubuntu1804.html,sarif=$(BUILD)/demo/ubuntu1804.sarif,cyclonedx=$(BUILD)/demo/ubuntu1804.cdx.json,junit=$(BUILD)/demo/ubuntu1804.junit.xml,gitlab=$(BUILD)/demo/ubuntu1804.gitlab.json \
			&& ls -1 $(BUILD)/demo/ubuntu1804.*; \
		echo; echo "== vigil sbom (no vulnerability data needed), then vigil scan sbom: of that file (no image needed)"; \
		$(VIGIL) sbom dir:$(IMAGES)/pkgdb/rootfs-ubuntu1804 -q -o $(BUILD)/demo/ubuntu1804.spdx.json --format spdx \
			&& $(VIGIL) scan sbom:$(BUILD)/demo/ubuntu1804.spdx.json -q | tail -n 2; \
	else echo "== no ../shared/testdata here: the Ubuntu 18.04 scan is skipped"; fi
	@echo
	@echo "== vigil scan beyond the first four families: the real CBL-Mariner 2.0 rpm database of"
	@echo "   ../shared/testdata/pkgdb against Microsoft's OVAL (docs/feeds-mariner.md; the last lines)"
	@if [ -d $(IMAGES)/pkgdb/rootfs-mariner2 ]; then \
		$(VIGIL) scan dir:$(IMAGES)/pkgdb/rootfs-mariner2 -q | tail -n 4; \
	else echo "== no ../shared/testdata here: the CBL-Mariner scan is skipped"; fi
	@echo
	@echo "== vigil scan of application images built from ../shared/testdata/lang: a Java service"
	@echo "   (wars, a Spring Boot fat jar, nested jars) and a Debian image with a Python venv, whose"
	@echo "   Debian-owned Python packages are left to Debian's feed (--lang-os-owned shows them too)"
	@if IMAGES=$(IMAGES) bash scripts/make-lang-images.sh $(IMAGES)/lang java python >/dev/null; then \
		$(VIGIL) scan oci:$(IMAGES)/lang/java:t -q; \
		$(VIGIL) scan oci:$(IMAGES)/lang/python:t -q; \
	else echo "== no ../shared/testdata here: the application images are skipped"; fi
	@echo
	@echo "== beyond CVEs (docs/audit.md): what the demo image is, how v2 differs from v1, and its audit"
	$(VIGIL) inspect oci:$(IMAGES)/oci:v2 -q | sed -n '1,40p'
	$(VIGIL) diff oci:$(IMAGES)/oci:v1 oci:$(IMAGES)/oci:v2 -q | sed -n '1,12p'
	$(VIGIL) audit oci:$(IMAGES)/oci:v2 -q
	@echo
	@echo "== the same scan with every scanner, in one pass over the layers, as SARIF for code scanning"
	@mkdir -p $(BUILD)/demo
	$(VIGIL) scan oci:$(IMAGES)/oci:v2 -q --scanners vuln,secret,integrity,trojan,policy \
		--format table,sarif=$(BUILD)/demo/audit.sarif | tail -n 3

# Every test, in the release build and in the sanitizer build.
test: build asan
	cd $(BUILD) && ctest --output-on-failure -j$(NPROC)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j$(NPROC)

unit: build
	cd $(BUILD) && ctest --output-on-failure -j$(NPROC) -E '^integration/'

bench: build images
	bash bench/index.sh
	bash bench/db_import.sh
	bash bench/match.sh
	bash bench/audit.sh
	bash bench/secrets.sh
	bash bench/diff.sh

# libFuzzer binaries (clang); run one: build-fuzz/fuzz_dpkg_fuzzer fuzz/corpus/fuzz_dpkg
fuzz: deps
	$(Q)cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DVIGIL_FUZZ=ON -DVIGIL_SANITIZE=ON >/dev/null
	$(Q)cmake --build build-fuzz -j$(NPROC) $(BUILD_V)

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz build-clang
