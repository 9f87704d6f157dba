/* util/stream.c: the generic part of pull streams and the file and memory
 * sources (see stream.h). */
#include "util/stream.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ssize_t vigil_istream_read(vigil_istream *s, void *buf, size_t n)
{
	if (s->err)
		return s->err;
	ssize_t r = s->ops->read(s, buf, n);
	if (r < 0)
		s->err = (int)r;
	else
		s->nread += (uint64_t)r;
	return r;
}

ssize_t vigil_istream_read_full(vigil_istream *s, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = vigil_istream_read(s, (char *)buf + got, n - got);
		if (r < 0)
			return r;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int64_t vigil_istream_drain(vigil_istream *s)
{
	static _Thread_local char sink[64 * 1024];
	int64_t total = 0;
	for (;;) {
		ssize_t r = vigil_istream_read(s, sink, sizeof(sink));
		if (r < 0)
			return r;
		if (r == 0)
			return total;
		total += r;
	}
}

void vigil_istream_close(vigil_istream *s)
{
	if (s)
		s->ops->close(s);
}

/* --- fd range --- */
struct fd_stream {
	vigil_istream base;
	int fd;
	int owned;
	uint64_t off, end;
};

static ssize_t fd_read(vigil_istream *s, void *buf, size_t n)
{
	struct fd_stream *f = (struct fd_stream *)s;
	if (f->off >= f->end)
		return 0;
	if (n > f->end - f->off)
		n = (size_t)(f->end - f->off);
	for (;;) {
		ssize_t r = pread(f->fd, buf, n, (off_t)f->off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return vigil_error_set(VIGIL_EIO, "read failed at offset %llu: %s",
					       (unsigned long long)f->off, strerror(errno));
		if (r == 0)
			return vigil_error_set(VIGIL_EFORMAT, "file ends at offset %llu, %llu bytes early",
					       (unsigned long long)f->off,
					       (unsigned long long)(f->end - f->off));
		f->off += (uint64_t)r;
		return r;
	}
}

static void fd_close(vigil_istream *s)
{
	struct fd_stream *f = (struct fd_stream *)s;
	if (f->owned)
		close(f->fd);
	free(f);
}

static const struct vigil_istream_ops fd_ops = { fd_read, fd_close };

int vigil_istream_from_fd_range(int fd, uint64_t offset, uint64_t len, vigil_istream **out)
{
	struct fd_stream *f = calloc(1, sizeof(*f));
	if (!f)
		return vigil_error_oom();
	f->base.ops = &fd_ops;
	f->fd = fd;
	f->off = offset;
	f->end = offset + len;
	*out = &f->base;
	return 0;
}

int vigil_istream_from_path(const char *path, vigil_istream **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO,
				       "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vigil_error_set(VIGIL_EIO, "%s: not a regular file", path);
	}
	int rc = vigil_istream_from_fd_range(fd, 0, (uint64_t)st.st_size, out);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	((struct fd_stream *)*out)->owned = 1;
	return 0;
}

/* --- memory --- */
struct mem_stream {
	vigil_istream base;
	const char *p;
	size_t n, off;
};

static ssize_t mem_read(vigil_istream *s, void *buf, size_t n)
{
	struct mem_stream *m = (struct mem_stream *)s;
	size_t left = m->n - m->off;
	if (n > left)
		n = left;
	if (n)
		memcpy(buf, m->p + m->off, n);
	m->off += n;
	return (ssize_t)n;
}

static void mem_close(vigil_istream *s) { free(s); }

static const struct vigil_istream_ops mem_ops = { mem_read, mem_close };

int vigil_istream_from_mem(const void *p, size_t n, vigil_istream **out)
{
	struct mem_stream *m = calloc(1, sizeof(*m));
	if (!m)
		return vigil_error_oom();
	m->base.ops = &mem_ops;
	m->p = p;
	m->n = n;
	*out = &m->base;
	return 0;
}
