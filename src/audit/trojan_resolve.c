/* audit/trojan_resolve.c: a path of the merged view with its symlinks
 * followed, component by component, as the kernel does when a container
 * runs it: "bin/app" on a merged-/usr image (bin -> usr/bin) is
 * usr/bin/app; "docker-entrypoint.sh" at the root, a symlink to
 * usr/local/bin/docker-entrypoint.sh, is the script. ".." never climbs
 * above the root; TROJAN_MAX_HOPS symlinks at most (a loop gives NULL). */
#include "audit/trojan_priv.h"

#include <string.h>

/* Appends component c (n bytes) to out (len *o), handling "." and "..". */
static bool push(char *out, size_t cap, size_t *o, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return true;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (*o > 0 && out[*o - 1] != '/')
			(*o)--;
		if (*o > 0)
			(*o)--;
		out[*o] = '\0';
		return true;
	}
	if (*o + (*o ? 1 : 0) + n + 1 > cap)
		return false;
	if (*o)
		out[(*o)++] = '/';
	memcpy(out + *o, c, n);
	*o += n;
	out[*o] = '\0';
	return true;
}

const audit_file *trojan_resolve(audit_walk *w, const char *path, char *out, size_t cap)
{
	char todo[2 * TROJAN_MAX_LIB_PATH + 2], next[sizeof(todo)];
	size_t o = 0;
	int hops = 0;
	if (cap == 0 || strlen(path) >= sizeof(todo))
		return NULL;
	memcpy(todo, path, strlen(path) + 1);
	out[0] = '\0';
	const char *p = todo;
	const audit_file *f = NULL;
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		size_t before = o;
		if (!push(out, cap, &o, p, n))
			return NULL;
		p += n;
		if (o == before || (n == 2 && p[-1] == '.' && p[-2] == '.') || (n == 1 && p[-1] == '.'))
			continue;
		f = audit_fs_get(w, out);
		if (!f || f->deleted || f->type != VIGIL_TAR_SYMLINK || !f->link)
			continue; /* a folder (layers need not list their folders), or the last component */
		if (++hops > TROJAN_MAX_HOPS)
			return NULL;
		/* the rest of the path after the link's target */
		size_t ll = strlen(f->link), rl = strlen(p);
		if (ll + 1 + rl + 1 > sizeof(next))
			return NULL;
		memcpy(next, f->link, ll);
		next[ll] = '/';
		memcpy(next + ll + 1, p, rl + 1);
		memcpy(todo, next, ll + 1 + rl + 1);
		p = todo;
		o = before; /* drop the link's own name */
		out[o] = '\0';
		if (todo[0] == '/') {
			o = 0;
			out[0] = '\0';
		}
	}
	f = o ? audit_fs_get(w, out) : NULL;
	return f && !f->deleted && f->type != VIGIL_TAR_SYMLINK ? f : NULL;
}
