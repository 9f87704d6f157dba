/* util/stream.h: pull streams of bytes with a sticky error (after
 * apk-tools' istream). A layer is a chain of them: file or HTTP range ->
 * decompressor (which also hashes) -> tar walk.
 *
 * read() returns the number of bytes put in buf (at most n), 0 at the end
 * of the stream, or a negative VIGIL_E* code with the thread's error set;
 * once a stream failed, every later read() returns the same code. */
#ifndef VIGIL_UTIL_STREAM_H
#define VIGIL_UTIL_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct vigil_istream vigil_istream;

struct vigil_istream_ops {
	ssize_t (*read)(vigil_istream *s, void *buf, size_t n);
	void (*close)(vigil_istream *s); /* frees s (and whatever it wraps and owns) */
};

struct vigil_istream {
	const struct vigil_istream_ops *ops;
	int err;          /* sticky: 0 or the first error */
	uint64_t nread;   /* bytes returned so far */
};

/* Reads, keeping the sticky error and the count. */
ssize_t vigil_istream_read(vigil_istream *s, void *buf, size_t n);
/* Reads until buf is full or the stream ends; returns the count or an error. */
ssize_t vigil_istream_read_full(vigil_istream *s, void *buf, size_t n);
/* Reads and drops everything up to the end; returns the count dropped or an error. */
int64_t vigil_istream_drain(vigil_istream *s);
void vigil_istream_close(vigil_istream *s); /* NULL is fine */

/* A stream over len bytes of fd from offset (pread: the fd is shared, not
 * owned, and not moved). */
int vigil_istream_from_fd_range(int fd, uint64_t offset, uint64_t len, vigil_istream **out);
/* A stream over a whole file, opened by path (owned). */
int vigil_istream_from_path(const char *path, vigil_istream **out);
/* A stream over memory (not copied: it must outlive the stream). */
int vigil_istream_from_mem(const void *p, size_t n, vigil_istream **out);

#endif
