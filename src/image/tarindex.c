/* image/tarindex.c: the member index of a docker-archive, the one tar file
 * `docker save` and `skopeo copy ... docker-archive:` write. A small reader
 * of ustar, pax ('x', 'g') and GNU ('L', 'K', base-256 sizes) headers walks
 * the archive once, seeking over the data, and records where each member's
 * bytes are, so that a member is later streamed in place by offset and
 * length (no copy to disk, no decompression: the outer tar of a
 * docker-archive is never compressed). Every header is checksummed; names
 * are normalised and may not leave the root; sizes, counts and name lengths
 * are bounded (VIGIL_TAR_MAX_*). Links inside the archive (skopeo and old
 * Docker write "<id>/layer.tar" as a symlink to the real file) are followed
 * at lookup. */
#include "image/image_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 512

/* A numeric field: octal (spaces/NULs around it) or GNU base-256. */
static int parse_num(const unsigned char *f, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	if (f[0] & 0x80) {
		if (f[0] != 0x80)
			return -1; /* negative or more than 2^88: absurd */
		for (i = 1; i < n; i++) {
			if (v >> 56)
				return -1;
			v = (v << 8) | f[i];
		}
		*out = v;
		return 0;
	}
	while (i < n && f[i] == ' ')
		i++;
	size_t digits = 0;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
		if (v >> 60)
			return -1;
		v = (v << 3) | (uint64_t)(f[i] - '0');
	}
	for (; i < n; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	if (digits == 0)
		return -1;
	*out = v;
	return 0;
}

static bool all_zero(const unsigned char *b)
{
	for (size_t i = 0; i < BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

static bool checksum_ok(const unsigned char *h)
{
	uint64_t want;
	if (parse_num(h + 148, 8, &want) < 0)
		return false;
	uint64_t usum = 0;
	int64_t ssum = 0;
	for (size_t i = 0; i < BLOCK; i++) {
		unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];
		usum += c;
		ssum += (signed char)c;
	}
	return want == usum || (int64_t)want == ssum;
}

int img_tar_normalize(vigil_slice in, char *out, size_t n)
{
	size_t len = 0;
	vigil_slice rest = in, comp;
	while (rest.len) {
		vigil_slice_split(rest, '/', &comp, &rest);
		if (comp.len == 0 || vigil_slice_eq_cstr(comp, "."))
			continue;
		if (vigil_slice_eq_cstr(comp, "..")) {
			ptrdiff_t slash = vigil_slice_rfind(vigil_slice_make(out, len), '/');
			if (len == 0)
				return -1;
			len = slash < 0 ? 0 : (size_t)slash;
			continue;
		}
		if (len + (len ? 1 : 0) + comp.len + 1 > n)
			return -1;
		if (len)
			out[len++] = '/';
		memcpy(out + len, comp.ptr, comp.len);
		len += comp.len;
	}
	if (n == 0)
		return -1;
	out[len] = '\0';
	return 0;
}

/* What the headers before a member said about it. */
struct pending {
	char *path, *linkpath; /* pax or GNU long names (malloc'd) */
	bool has_size;
	uint64_t size;
};

static void pending_clear(struct pending *p)
{
	free(p->path);
	free(p->linkpath);
	memset(p, 0, sizeof(*p));
}

static int read_exact(img_read_at_fn read_at, void *ud, void *buf, size_t n, uint64_t off,
		      const char *what)
{
	ssize_t r = read_at(ud, buf, n, off);
	if (r < 0)
		return (int)r;
	if ((size_t)r != n)
		return vigil_error_set(VIGIL_EFORMAT, "%s: truncated at offset %llu", what,
				       (unsigned long long)off);
	return 0;
}

/* Parses pax records "LEN key=value\n" (keys path, linkpath, size). */
static int parse_pax(const char *what, uint64_t at, const char *d, size_t n, struct pending *p)
{
	vigil_slice in = vigil_slice_make(d, n);
	while (in.len) {
		vigil_slice lenstr, rest, key, val;
		uint64_t rlen;
		if (!vigil_slice_split(in, ' ', &lenstr, &rest) ||
		    !vigil_slice_to_u64(lenstr, in.len, &rlen) || rlen <= lenstr.len + 1 ||
		    rlen > in.len || in.ptr[rlen - 1] != '\n')
			return vigil_error_set(VIGIL_EFORMAT, "%s: bad pax record in the header at offset %llu",
					       what, (unsigned long long)at);
		vigil_slice rec = vigil_slice_sub(in, lenstr.len + 1, rlen - lenstr.len - 2);
		in = vigil_slice_sub(in, rlen, in.len);
		if (!vigil_slice_split(rec, '=', &key, &val))
			return vigil_error_set(VIGIL_EFORMAT, "%s: pax record without '=' at offset %llu",
					       what, (unsigned long long)at);
		char **dst = NULL;
		if (vigil_slice_eq_cstr(key, "path"))
			dst = &p->path;
		else if (vigil_slice_eq_cstr(key, "linkpath"))
			dst = &p->linkpath;
		else if (vigil_slice_eq_cstr(key, "size")) {
			if (!vigil_slice_to_u64(val, VIGIL_TAR_MAX_MEMBER_SIZE, &p->size))
				return vigil_error_set(VIGIL_ELIMIT, "%s: pax size at offset %llu is not a number up to %llu",
						       what, (unsigned long long)at,
						       (unsigned long long)VIGIL_TAR_MAX_MEMBER_SIZE);
			p->has_size = true;
		}
		if (dst) {
			if (val.len > VIGIL_TAR_MAX_NAME || memchr(val.ptr, '\0', val.len))
				return vigil_error_set(VIGIL_ELIMIT, "%s: pax %.*s at offset %llu is too long or has a NUL (limit %d)",
						       what, (int)key.len, key.ptr, (unsigned long long)at, VIGIL_TAR_MAX_NAME);
			free(*dst);
			if (!(*dst = strndup(val.ptr, val.len)))
				return vigil_error_oom();
		}
	}
	return 0;
}

/* Reads the data of a pax or GNU long-name header. */
static int read_meta(img_read_at_fn read_at, void *ud, const char *what, uint64_t off,
		     uint64_t size, char **out)
{
	if (size > VIGIL_TAR_MAX_PAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "%s: extended header at offset %llu is %llu bytes (limit %d)",
				       what, (unsigned long long)off, (unsigned long long)size,
				       VIGIL_TAR_MAX_PAX_SIZE);
	char *buf = malloc((size_t)size + 1);
	if (!buf)
		return vigil_error_oom();
	int rc = read_exact(read_at, ud, buf, (size_t)size, off, what);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	buf[size] = '\0';
	*out = buf;
	return 0;
}

static img_tar_type type_of(char flag)
{
	switch (flag) {
	case '0': case '\0': case '7': return IMG_TAR_FILE;
	case '1': return IMG_TAR_HARDLINK;
	case '2': return IMG_TAR_SYMLINK;
	case '5': return IMG_TAR_DIR;
	default: return IMG_TAR_OTHER;
	}
}

static int add_member(vigil_arena *a, img_tar_index *t, size_t *cap, const char *what,
		      const char *raw, size_t rawlen, const char *link, img_tar_type type,
		      uint64_t off, uint64_t size)
{
	char norm[VIGIL_TAR_MAX_NAME + 1];
	if (rawlen > VIGIL_TAR_MAX_NAME || img_tar_normalize(vigil_slice_make(raw, rawlen), norm, sizeof(norm)) < 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s: member \"%.*s\" at offset %llu has a bad name (too long, or leaves the archive)",
				       what, (int)(rawlen > 200 ? 200 : rawlen), raw, (unsigned long long)off);
	if (norm[0] == '\0')
		return 0; /* "./" itself */
	if (t->n >= VIGIL_TAR_MAX_MEMBERS)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d members", what, VIGIL_TAR_MAX_MEMBERS);
	if (t->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		img_tar_member *nm = realloc(t->m, nc * sizeof(*nm));
		if (!nm)
			return vigil_error_oom();
		t->m = nm;
		*cap = nc;
	}
	img_tar_member *m = &t->m[t->n];
	memset(m, 0, sizeof(*m));
	if (!(m->name = vigil_arena_strdup(a, norm)))
		return vigil_error_code();
	if (link && !(m->link = vigil_arena_strdup(a, link)))
		return vigil_error_code();
	m->type = type;
	m->offset = off;
	m->size = size;
	m->seq = t->n++;
	return 0;
}

static int cmp_member(const void *x, const void *y)
{
	const img_tar_member *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sorts by name and keeps the last member of each name (tar semantics). */
static void finish_index(img_tar_index *t)
{
	if (t->n == 0)
		return;
	qsort(t->m, t->n, sizeof(*t->m), cmp_member);
	size_t w = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (i + 1 < t->n && !strcmp(t->m[i].name, t->m[i + 1].name))
			continue;
		t->m[w++] = t->m[i];
	}
	t->n = w;
}

/* One header block at off: fills the member or the pending state and says
 * where the next header is. *end set at the end-of-archive marker. */
static int one_header(vigil_arena *a, img_read_at_fn read_at, void *ud, uint64_t file_size,
		      const char *what, img_tar_index *t, size_t *cap, struct pending *p,
		      uint64_t *off, bool *end)
{
	unsigned char h[BLOCK];
	uint64_t at = *off, size;
	int rc;
	if (file_size - at < BLOCK)
		return vigil_error_set(VIGIL_EFORMAT, "%s: truncated: %llu bytes at offset %llu where a header should be",
				       what, (unsigned long long)(file_size - at), (unsigned long long)at);
	if ((rc = read_exact(read_at, ud, h, BLOCK, at, what)) < 0)
		return rc;
	if (all_zero(h)) {
		*end = true;
		return 0;
	}
	if (!checksum_ok(h))
		return vigil_error_set(VIGIL_EFORMAT, "%s: bad tar header checksum at offset %llu (not a tar archive, or corrupt)",
				       what, (unsigned long long)at);
	if (parse_num(h + 124, 12, &size) < 0 || size > VIGIL_TAR_MAX_MEMBER_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "%s: member size at offset %llu is not a number up to %llu",
				       what, (unsigned long long)at, (unsigned long long)VIGIL_TAR_MAX_MEMBER_SIZE);
	char flag = (char)h[156];
	if (p->has_size && flag != 'x' && flag != 'g' && flag != 'L' && flag != 'K')
		size = p->size;
	uint64_t data = at + BLOCK;
	uint64_t padded = (size + BLOCK - 1) / BLOCK * BLOCK;
	if (size > file_size - data)
		return vigil_error_set(VIGIL_EFORMAT, "%s: truncated: the member at offset %llu needs %llu bytes, %llu are left",
				       what, (unsigned long long)at, (unsigned long long)size,
				       (unsigned long long)(file_size - data));
	*off = data + padded > file_size ? file_size : data + padded;
	switch (flag) {
	case 'x':
	case 'g': {
		char *buf = NULL;
		struct pending global = { 0 };
		if ((rc = read_meta(read_at, ud, what, data, size, &buf)) < 0)
			return rc;
		/* global headers are parsed for syntax and their values dropped */
		rc = parse_pax(what, at, buf, (size_t)size, flag == 'x' ? p : &global);
		pending_clear(&global);
		free(buf);
		return rc;
	}
	case 'L':
	case 'K': {
		char *buf = NULL;
		if ((rc = read_meta(read_at, ud, what, data, size, &buf)) < 0)
			return rc;
		char **dst = flag == 'L' ? &p->path : &p->linkpath;
		free(*dst);
		*dst = buf; /* NUL-terminated at its first NUL */
		if (strlen(buf) > VIGIL_TAR_MAX_NAME)
			return vigil_error_set(VIGIL_ELIMIT, "%s: long name at offset %llu is over %d bytes",
					       what, (unsigned long long)at, VIGIL_TAR_MAX_NAME);
		return 0;
	}
	default:
		break;
	}
	char name[256 + 1 + 100 + 1], link[100 + 1];
	size_t nlen;
	if (p->path) {
		nlen = strlen(p->path);
	} else {
		size_t plen = strnlen((char *)h + 345, 155);
		size_t blen = strnlen((char *)h, 100);
		bool posix = !memcmp(h + 257, "ustar\0", 6);
		nlen = 0;
		if (posix && plen) {
			memcpy(name, h + 345, plen);
			name[plen] = '/';
			nlen = plen + 1;
		}
		memcpy(name + nlen, h, blen);
		nlen += blen;
		name[nlen] = '\0';
	}
	memcpy(link, h + 157, 100);
	link[strnlen(link, 100)] = '\0';
	img_tar_type type = type_of(flag);
	const char *target = type == IMG_TAR_SYMLINK || type == IMG_TAR_HARDLINK
		? (p->linkpath ? p->linkpath : link) : NULL;
	rc = add_member(a, t, cap, what, p->path ? p->path : name, nlen, target, type, data, size);
	pending_clear(p);
	return rc;
}

int img_tar_index_build(vigil_arena *a, img_read_at_fn read_at, void *ud, uint64_t file_size,
			const char *what, img_tar_index *out)
{
	struct pending p = { 0 };
	size_t cap = 0;
	uint64_t off = 0;
	bool end = false;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (file_size < BLOCK) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: %llu bytes: too small for a tar archive", what,
				     (unsigned long long)file_size);
		goto out;
	}
	while (!end && off < file_size) {
		if ((rc = one_header(a, read_at, ud, file_size, what, out, &cap, &p, &off, &end)) < 0)
			goto out;
	}
	if (!end && (p.path || p.linkpath || p.has_size)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: truncated: ends after an extended header", what);
		goto out;
	}
	/* No end marker: GNU tar and Go write one; an archive cut exactly at a
	 * member boundary is still refused as truncated. */
	if (!end) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: truncated: no end-of-archive marker", what);
		goto out;
	}
	finish_index(out);
out:
	pending_clear(&p);
	if (rc < 0)
		img_tar_index_free(out);
	return rc;
}

void img_tar_index_free(img_tar_index *t)
{
	if (!t)
		return;
	free(t->m);
	t->m = NULL;
	t->n = 0;
}

static const img_tar_member *find(const img_tar_index *t, const char *name)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->m[mid].name, name);
		if (c == 0)
			return &t->m[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int img_tar_lookup(const img_tar_index *t, const char *what, const char *name,
		   const img_tar_member **out)
{
	char cur[VIGIL_TAR_MAX_NAME + 1], next[2 * VIGIL_TAR_MAX_NAME + 2];
	*out = NULL;
	if (img_tar_normalize(vigil_slice_cstr(name), cur, sizeof(cur)) < 0 || !cur[0])
		return vigil_error_set(VIGIL_EFORMAT, "%s: \"%.200s\" is not a path inside the archive", what, name);
	for (int hop = 0; hop <= VIGIL_TAR_MAX_LINK_HOPS; hop++) {
		const img_tar_member *m = find(t, cur);
		if (!m)
			return vigil_error_set(VIGIL_ENOTFOUND, "%s: no member %s%s%.200s%s", what, cur,
					       strcmp(cur, name) ? " (for " : "", strcmp(cur, name) ? name : "",
					       strcmp(cur, name) ? ")" : "");
		if (m->type == IMG_TAR_FILE) {
			*out = m;
			return 0;
		}
		if (m->type != IMG_TAR_SYMLINK && m->type != IMG_TAR_HARDLINK)
			return vigil_error_set(VIGIL_EFORMAT, "%s: member %s is not a regular file", what, cur);
		/* a symlink is relative to its folder (absolute: to the root); a
		 * hard link names a member */
		if (m->type == IMG_TAR_SYMLINK && m->link[0] != '/') {
			const char *slash = strrchr(cur, '/');
			size_t dl = slash ? (size_t)(slash - cur) + 1 : 0;
			snprintf(next, sizeof(next), "%.*s%s", (int)dl, cur, m->link);
		} else {
			snprintf(next, sizeof(next), "%s", m->link);
		}
		if (img_tar_normalize(vigil_slice_cstr(next), cur, sizeof(cur)) < 0 || !cur[0])
			return vigil_error_set(VIGIL_EFORMAT, "%s: link %s -> %.200s leaves the archive", what,
					       m->name, m->link);
	}
	return vigil_error_set(VIGIL_ELIMIT, "%s: %s: more than %d links to follow", what, name,
			       VIGIL_TAR_MAX_LINK_HOPS);
}
