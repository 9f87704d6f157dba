/* audit/trojan_fs.c: the trojan scanner's judgement of the merged view at
 * the end: etc/ld.so.preload with the libraries it names, setuid/setgid
 * files an upper layer added or made setuid (noted as they streamed by),
 * system folders and files anyone may write, and the findings kept while the layers
 * streamed (reported with deleted set when a later layer removed that
 * version). */
#include "audit/trojan_priv.h"

#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* setuid/setgid programs every distribution ships (a package adding one
 * in an upper layer is Medium, anything else High). */
static const char *const KNOWN_SETUID[] = {
	"su", "sudo", "sudoedit", "passwd", "chsh", "chfn", "gpasswd", "newgrp", "mount", "umount", "ping", "ping6",
	"pkexec", "fusermount", "fusermount3", "unix_chkpwd", "chage", "expiry", "wall", "write", "crontab",
	"ssh-agent", "ssh-keysign", "dotlockfile", "at", "bsd-write", "newuidmap", "newgidmap", "traceroute6.iputils",
	"mount.nfs", "mount.cifs", "Xorg.wrap", "dbus-daemon-launch-helper", "polkit-agent-helper-1", "bbsuid",
	"doas", "staprun", "pam_timestamp_check", "userhelper", "usernetctl", "grub2-set-bootflag", "utempter",
	"mail-lock", "mail-unlock", "mail-touchlock", "lockdev", "screen", "procmail", "exim4", "sendmail",
};

static bool known_setuid(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	for (size_t i = 0; i < sizeof(KNOWN_SETUID) / sizeof(KNOWN_SETUID[0]); i++)
		if (strcmp(b, KNOWN_SETUID[i]) == 0)
			return true;
	return false;
}

int trojan_setuid_entry(trojan_state *st, audit_walk *w, const audit_entry *e)
{
	uint32_t mode = e->tar->mode & 07777;
	char ev[TROJAN_MAX_EVIDENCE];
	if (!(mode & 06000) || !trojan_upper(st, e->layer))
		return 0;
	const audit_file *old = audit_fs_get(w, e->path);
	bool had = old && !old->deleted;
	if (had && old->type == VIGIL_TAR_FILE && (old->mode & 06000))
		return 0; /* it was setuid already: not new */
	const vigil_audit_layer *l = audit_walk_layer(w, e->layer);
	int o = snprintf(ev, sizeof(ev), "%s%s file (mode %04o, owner %lld:%lld) %s by layer %zu",
			 mode & 04000 ? "setuid" : "", (mode & 06000) == 06000 ? "+setgid" : mode & 04000 ? "" : "setgid",
			 (unsigned)mode, (long long)e->tar->uid, (long long)e->tar->gid,
			 had ? "made setuid" : "added", e->layer);
	if (had && o > 0 && (size_t)o < sizeof(ev))
		o += snprintf(ev + o, sizeof(ev) - (size_t)o, " (mode %04o in layer %u)", (unsigned)old->mode,
			      old->layer);
	if (l && l->created_by && o > 0 && (size_t)o < sizeof(ev))
		snprintf(ev + o, sizeof(ev) - (size_t)o, "; the layer's step: %.200s", l->created_by);
	vigil_audit_finding f = trojan_finding("setuid-new", "A setuid/setgid program added above the base image",
					       known_setuid(e->path) ? VIGIL_SEV_MEDIUM : VIGIL_SEV_HIGH, e->path,
					       e->layer);
	f.evidence = ev;
	if (had)
		f.other_layer = old->layer;
	return trojan_pend_soft(st, &f);
}

const trojan_lib *trojan_lib_find(const trojan_state *st, const char *path)
{
	const trojan_lib *best = NULL;
	for (size_t i = 0; i < st->nlibs; i++)
		if (strcmp(st->libs[i].path, path) == 0)
			best = &st->libs[i]; /* the last version read */
	return best;
}

/* Libraries containers preload on purpose (allocators, test wrappers). */
static bool known_preload(const char *path)
{
	static const char *const names[] = { "libjemalloc.so", "libtcmalloc.so", "libtcmalloc_minimal.so",
					     "libmimalloc.so", "libhoard.so", "libnss_wrapper.so", "libeatmydata.so",
					     "libfakeroot", "libfaketime.so", "libstdbuf.so", "libasan.so" };
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(b, names[i], strlen(names[i])) == 0)
			return true;
	return false;
}

int trojan_describe_lib(const trojan_state *st, audit_walk *w, vigil_slice lib, char *buf, size_t cap,
			size_t *layer)
{
	char path[TROJAN_MAX_LIB_PATH + 1], hints[256];
	vigil_slice p = lib;
	while (p.len && p.ptr[0] == '/')
		p = vigil_slice_sub(p, 1, p.len - 1);
	size_t n = p.len < TROJAN_MAX_LIB_PATH ? p.len : TROJAN_MAX_LIB_PATH;
	memcpy(path, p.ptr, n);
	path[n] = '\0';
	*layer = VIGIL_AUDIT_NO_LAYER;
	int known = known_preload(path) ? TROJAN_LIB_KNOWN : TROJAN_LIB_ODD;
	if (!strchr(path, '/')) {
		snprintf(buf, cap, "%s (a bare name: the loader looks for it in its folders)", path);
		return known;
	}
	const audit_file *r = audit_fs_get(w, path);
	if (!r || r->deleted) {
		snprintf(buf, cap, "/%s (not in the image)", path);
		return TROJAN_LIB_BAD;
	}
	*layer = r->layer;
	bool libdir = trojan_lib_dir(p);
	const char *where = libdir ? "" : ", outside the library folders";
	if (r->type == VIGIL_TAR_SYMLINK) {
		snprintf(buf, cap, "/%s (layer %u%s, a symlink to %.200s)", path, r->layer, where, r->link ? r->link : "?");
		return libdir ? known : TROJAN_LIB_BAD;
	}
	const trojan_lib *l = trojan_lib_find(st, path);
	unsigned h = l && l->layer == r->layer && r->type == VIGIL_TAR_FILE ? l->hints : 0;
	if (h) {
		trojan_elf_describe(h, hints, sizeof(hints));
		snprintf(buf, cap, "/%s (layer %u%s, %s)", path, r->layer, where, hints);
	} else {
		snprintf(buf, cap, "/%s (layer %u%s)", path, r->layer, where);
	}
	if (!libdir || (h & TROJAN_ELF_REVSHELL) == TROJAN_ELF_REVSHELL)
		return TROJAN_LIB_BAD;
	return known;
}

vigil_severity trojan_preload_severity(int grade, int *info)
{
	*info = grade == TROJAN_LIB_KNOWN;
	return grade == TROJAN_LIB_BAD ? VIGIL_SEV_CRITICAL : grade == TROJAN_LIB_ODD ? VIGIL_SEV_HIGH : VIGIL_SEV_LOW;
}

static int preload_findings(trojan_state *st, audit_walk *w)
{
	const audit_file *r = audit_fs_get(w, "etc/ld.so.preload");
	char ev[TROJAN_MAX_EVIDENCE], one[TROJAN_MAX_EVIDENCE / 2];
	for (size_t i = 0; i < st->npreloads; i++) {
		const trojan_preload *p = &st->preloads[i];
		bool live = r && !r->deleted && r->layer == p->layer && i + 1 == st->npreloads;
		size_t first = VIGIL_AUDIT_NO_LAYER, lay;
		int grade = TROJAN_LIB_KNOWN, info;
		if (!p->total)
			continue;
		int o = snprintf(ev, sizeof(ev), "every dynamically linked program loads %zu librar%s first:",
				 p->total, p->total == 1 ? "y" : "ies");
		for (size_t j = 0; j < p->n && o > 0 && (size_t)o < sizeof(ev); j++) {
			int g = trojan_describe_lib(st, w, vigil_slice_cstr(p->libs[j]), one, sizeof(one), &lay);
			grade = g > grade ? g : grade;
			o += snprintf(ev + o, sizeof(ev) - (size_t)o, "%s %s", j ? ";" : "", one);
			if (first == VIGIL_AUDIT_NO_LAYER)
				first = lay;
		}
		if (p->total > p->n)
			grade = TROJAN_LIB_BAD; /* more libraries than kept: not all judged */
		vigil_severity sev = trojan_preload_severity(grade, &info);
		vigil_audit_finding f = trojan_finding("ld-so-preload", "etc/ld.so.preload injects a library", sev,
						       "etc/ld.so.preload", p->layer);
		f.info = info;
		f.evidence = ev;
		f.match = p->libs[0];
		f.other_layer = first;
		f.deleted = !live;
		int rc = audit_add_finding(w, &f);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* bin, sbin, lib*, usr, etc, boot, root and below. */
static bool system_dir(const char *p)
{
	static const char *const tops[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "boot",
					    "root" };
	size_t n = strcspn(p, "/");
	for (size_t i = 0; i < sizeof(tops) / sizeof(tops[0]); i++)
		if (strlen(tops[i]) == n && strncmp(p, tops[i], n) == 0)
			return true;
	return false;
}

static int world_writable(trojan_state *st, audit_walk *w)
{
	const audit_file **all = NULL;
	size_t n = 0;
	char ev[TROJAN_MAX_EVIDENCE];
	int rc = audit_fs_sorted(w, &all, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const audit_file *f = all[i];
		bool dir = f->type == VIGIL_TAR_DIR;
		if (f->deleted || (!dir && f->type != VIGIL_TAR_FILE) || !(f->mode & 0002) || (dir && (f->mode & 01000)) ||
		    !system_dir(f->path))
			continue;
		snprintf(ev, sizeof(ev), "%s mode %04o%s, set by layer %u%s: anyone in the container may %s",
			 dir ? "folder" : "file", (unsigned)f->mode, dir ? " (no sticky bit)" : "", f->layer,
			 trojan_upper(st, f->layer) ? "" : " (the base image)",
			 dir ? "add or replace files here" : (f->mode & 0111) ? "rewrite this program" : "rewrite this file");
		vigil_audit_finding x = dir ? trojan_finding("world-writable-dir", "A system folder anyone may write",
							     VIGIL_SEV_HIGH, f->path, f->layer)
					    : trojan_finding("world-writable-file", "A system file anyone may write",
							     (f->mode & 0111) ? VIGIL_SEV_HIGH : VIGIL_SEV_MEDIUM, f->path,
							     f->layer);
		x.evidence = ev;
		rc = audit_add_finding(w, &x);
	}
	free(all);
	return rc;
}

static int flush_pending(trojan_state *st, audit_walk *w)
{
	char ev[TROJAN_MAX_EVIDENCE + 128];
	for (size_t i = 0; i < st->npending; i++) {
		vigil_audit_finding f = st->pending[i].f;
		const audit_file *r = f.path ? audit_fs_get(w, f.path) : NULL;
		bool live = !f.path || (r && !r->deleted && r->layer == f.layer);
		if (!live && !st->pending[i].keep_dead)
			continue;
		const char *pkg = st->pending[i].pkg_soft && live ? trojan_pkg_owner(st, f.path) : NULL;
		if (pkg) {
			snprintf(ev, sizeof(ev), "%s; package %s installed it (its file list says so): expected, "
				 "not an alarm", f.evidence ? f.evidence : "", pkg);
			f.evidence = ev;
			f.package = pkg;
			f.info = 1;
			f.severity = VIGIL_SEV_LOW;
		}
		if (!live) {
			f.deleted = 1;
			snprintf(ev, sizeof(ev), "%s; a later layer removed or replaced this version (its bytes are "
				 "still in the image, a container does not see them)", f.evidence ? f.evidence : "");
			f.evidence = ev;
		}
		int rc = audit_add_finding(w, &f);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int trojan_fs_finish(trojan_state *st, audit_walk *w)
{
	int rc;
	if ((rc = preload_findings(st, w)) < 0 || (rc = world_writable(st, w)) < 0)
		return rc;
	return flush_pending(st, w);
}
