/* notifier/stomp_frame.c: the STOMP 1.2 frame codec
 * (https://stomp.github.io/stomp-specification-1.2.html), pure functions
 * over byte ranges: no I/O, no allocation (the parsed frame carries a
 * fixed store for unescaped header text), so the fuzz target drives it
 * exactly as a session does.
 *
 * A frame is COMMAND EOL, header lines name:value EOL, an empty line, the
 * body, then NUL; EOL is LF or CR LF. The parser is strict where the
 * specification is: a command of upper-case letters, a ':' in every header
 * line, only the four escapes \\ \n \r \c in header text (none in CONNECT
 * and CONNECTED frames), a content-length of digits only followed by the
 * NUL; and bounded everywhere (STOMP_MAX_FRAME for the whole frame,
 * STOMP_MAX_LINE per line, STOMP_MAX_HEADERS), each limit named in the
 * message. Only the first of repeated headers counts, as 1.2 says. */
#include "notifier/notify_mq_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

#define NEED_MORE 1

static bool unescaped_command(vigil_slice cmd)
{
	return vigil_slice_eq_cstr(cmd, "CONNECT") || vigil_slice_eq_cstr(cmd, "CONNECTED") ||
	       vigil_slice_eq_cstr(cmd, "STOMP");
}

/* A line starting at buf[*pos] (LF or CR LF ended): 0 with the line,
 * NEED_MORE, or ELIMIT past STOMP_MAX_LINE. */
static int take_line(const char *buf, size_t len, size_t *pos, vigil_slice *line)
{
	size_t start = *pos, avail = len - start;
	const char *nl = avail ? memchr(buf + start, '\n', avail > STOMP_MAX_LINE + 1 ? STOMP_MAX_LINE + 1 : avail)
			       : NULL;
	if (!nl) {
		if (avail > STOMP_MAX_LINE)
			return vigil_error_set(VIGIL_ELIMIT, "stomp frame: a line over %zu bytes", STOMP_MAX_LINE);
		return NEED_MORE;
	}
	size_t n = (size_t)(nl - (buf + start));
	*pos = start + n + 1;
	if (n && buf[start + n - 1] == '\r')
		n--;
	*line = vigil_slice_make(buf + start, n);
	return 0;
}

/* Copies s into the frame's store, unescaping when asked. */
static int store_text(stomp_frame *f, vigil_slice s, bool unescape, vigil_slice *out)
{
	char *dst = f->store + f->used;
	size_t k = 0;
	if (s.len > sizeof(f->store) - f->used)
		return vigil_error_set(VIGIL_ELIMIT, "stomp frame: headers over %zu bytes", STOMP_MAX_FRAME);
	for (size_t i = 0; i < s.len; i++) {
		char ch = s.ptr[i];
		if (unescape && ch == '\\') {
			char e = i + 1 < s.len ? s.ptr[++i] : 0;
			ch = e == '\\' ? '\\' : e == 'n' ? '\n' : e == 'r' ? '\r' : e == 'c' ? ':' : 0;
			if (!ch)
				return vigil_error_set(VIGIL_EFORMAT, "stomp frame: undefined escape in a header");
		} else if (ch == '\r' && unescape) {
			return vigil_error_set(VIGIL_EFORMAT, "stomp frame: a bare CR in a header");
		}
		dst[k++] = ch;
	}
	*out = vigil_slice_make(dst, k);
	f->used += k;
	return 0;
}

static int parse_header(stomp_frame *f, vigil_slice line, bool unescape)
{
	vigil_slice name, value;
	int rc;
	if (f->nh >= STOMP_MAX_HEADERS)
		return vigil_error_set(VIGIL_ELIMIT, "stomp frame: more than %d headers", STOMP_MAX_HEADERS);
	if (!vigil_slice_split(line, ':', &name, &value))
		return vigil_error_set(VIGIL_EFORMAT, "stomp frame: a header line without ':'");
	if (!name.len)
		return vigil_error_set(VIGIL_EFORMAT, "stomp frame: a header with an empty name");
	if ((rc = store_text(f, name, unescape, &f->h[f->nh].name)) < 0 ||
	    (rc = store_text(f, value, unescape, &f->h[f->nh].value)) < 0)
		return rc;
	f->nh++;
	return 0;
}

static int check_command(vigil_slice cmd)
{
	if (!cmd.len)
		return vigil_error_set(VIGIL_EFORMAT, "stomp frame: an empty command");
	if (cmd.len > 32)
		return vigil_error_set(VIGIL_ELIMIT, "stomp frame: a command over 32 bytes");
	for (size_t i = 0; i < cmd.len; i++)
		if (cmd.ptr[i] < 'A' || cmd.ptr[i] > 'Z')
			return vigil_error_set(VIGIL_EFORMAT, "stomp frame: a command that is not upper-case letters");
	return 0;
}

/* The body from buf[pos]: by content-length, else up to the first NUL. */
static int take_body(stomp_frame *f, const char *buf, size_t len, size_t pos, size_t *consumed)
{
	const vigil_slice *cl = stomp_frame_get(f, "content-length");
	size_t avail = len - pos;
	if (cl) {
		uint64_t n = 0;
		if (!vigil_slice_to_u64(*cl, STOMP_MAX_FRAME, &n)) {
			if (cl->len && vigil_slice_to_u64(*cl, UINT64_MAX, &n))
				return vigil_error_set(VIGIL_ELIMIT, "stomp frame: content-length over %zu bytes",
						       STOMP_MAX_FRAME);
			return vigil_error_set(VIGIL_EFORMAT, "stomp frame: content-length is not a number");
		}
		if (pos + n + 1 > STOMP_MAX_FRAME)
			return vigil_error_set(VIGIL_ELIMIT, "stomp frame: over %zu bytes", STOMP_MAX_FRAME);
		if (avail < n + 1)
			return NEED_MORE;
		if (buf[pos + n] != 0)
			return vigil_error_set(VIGIL_EFORMAT, "stomp frame: no NUL after content-length bytes");
		f->body = vigil_slice_make(buf + pos, (size_t)n);
		*consumed = pos + (size_t)n + 1;
		return 0;
	}
	size_t look = avail > STOMP_MAX_FRAME - pos ? STOMP_MAX_FRAME - pos : avail;
	const char *nul = look ? memchr(buf + pos, 0, look) : NULL;
	if (!nul) {
		if (avail >= STOMP_MAX_FRAME - pos)
			return vigil_error_set(VIGIL_ELIMIT, "stomp frame: over %zu bytes", STOMP_MAX_FRAME);
		return NEED_MORE;
	}
	f->body = vigil_slice_make(buf + pos, (size_t)(nul - (buf + pos)));
	*consumed = (size_t)(nul - buf) + 1;
	return 0;
}

int stomp_frame_parse(const char *buf, size_t len, stomp_frame *f, size_t *consumed)
{
	size_t pos = 0;
	vigil_slice line;
	int rc;

	f->nh = 0;
	f->used = 0;
	f->command = f->body = vigil_slice_make("", 0);
	*consumed = 0;
	/* heart-beats: EOLs between frames */
	while (pos < len && (buf[pos] == '\n' || (buf[pos] == '\r' && pos + 1 < len && buf[pos + 1] == '\n')))
		pos += buf[pos] == '\r' ? 2 : 1;
	if (pos == len || (pos + 1 == len && buf[pos] == '\r'))
		return NEED_MORE;
	if (pos > STOMP_MAX_FRAME)
		return vigil_error_set(VIGIL_ELIMIT, "stomp frame: over %zu bytes of heart-beats", STOMP_MAX_FRAME);
	if ((rc = take_line(buf, len, &pos, &line)) != 0)
		return rc;
	if ((rc = check_command(line)) < 0)
		return rc;
	f->command = line;
	bool unescape = !unescaped_command(line);
	for (;;) {
		if (pos > STOMP_MAX_FRAME)
			return vigil_error_set(VIGIL_ELIMIT, "stomp frame: over %zu bytes", STOMP_MAX_FRAME);
		if ((rc = take_line(buf, len, &pos, &line)) != 0)
			return rc;
		if (!line.len)
			break;
		if ((rc = parse_header(f, line, unescape)) < 0)
			return rc;
	}
	return take_body(f, buf, len, pos, consumed);
}

const vigil_slice *stomp_frame_get(const stomp_frame *f, const char *name)
{
	for (size_t i = 0; i < f->nh; i++)
		if (vigil_slice_eq_cstr(f->h[i].name, name))
			return &f->h[i].value;
	return NULL;
}

static int put_text(vigil_buf *out, const char *s, bool escape, bool is_name)
{
	size_t n = strlen(s);
	int rc = 0;
	if (n > STOMP_MAX_OUT_HEADER)
		return vigil_error_set(VIGIL_EINVAL, "stomp: a header over %d bytes", STOMP_MAX_OUT_HEADER);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char ch = s[i];
		if (escape && (ch == '\\' || ch == '\n' || ch == '\r' || ch == ':')) {
			char e[2] = { '\\', ch == '\\' ? '\\' : ch == '\n' ? 'n' : ch == '\r' ? 'r' : 'c' };
			rc = vigil_buf_append(out, e, 2);
			continue;
		}
		if (!escape && (ch == '\n' || ch == '\r' || (is_name && ch == ':')))
			return vigil_error_set(VIGIL_EINVAL, "stomp: a CONNECT header holds a line break%s",
					       is_name ? " or ':'" : "");
		rc = vigil_buf_putc(out, ch);
	}
	return rc;
}

int stomp_frame_write(vigil_buf *out, const char *command, const char *const *hdrs, const char *body,
		      size_t len)
{
	bool escape = !unescaped_command(vigil_slice_cstr(command));
	int rc;
	if ((rc = vigil_buf_puts(out, command)) < 0 || (rc = vigil_buf_putc(out, '\n')) < 0)
		return rc;
	for (size_t i = 0; hdrs && hdrs[i]; i += 2) {
		if (!hdrs[i + 1])
			return vigil_error_set(VIGIL_EINVAL, "stomp: header %s has no value", hdrs[i]);
		if ((rc = put_text(out, hdrs[i], escape, true)) < 0 || (rc = vigil_buf_putc(out, ':')) < 0 ||
		    (rc = put_text(out, hdrs[i + 1], escape, false)) < 0 || (rc = vigil_buf_putc(out, '\n')) < 0)
			return rc;
	}
	if ((rc = vigil_buf_putc(out, '\n')) < 0)
		return rc;
	if (len && (rc = vigil_buf_append(out, body, len)) < 0)
		return rc;
	return vigil_buf_putc(out, 0);
}
