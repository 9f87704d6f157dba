/* fuzz/fuzz_stomp_frame.c: the STOMP frame parser of the notifier
 * (notifier/stomp_frame.c) on hostile bytes, the way a session reads a
 * broker's stream: frame after frame from the start of the input until
 * more bytes are needed or an error. Checked: a parsed frame consumed
 * bytes and no more than there were, its command is upper-case letters,
 * every header and the body lie inside the input or the frame's store,
 * content-length (when there is one) is the body's length; and a frame
 * written back by stomp_frame_write() from what was parsed parses again to
 * the same command, headers and body. */
#include "notifier/notify_mq_priv.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void inside(const stomp_frame *f, vigil_slice s, const char *in, size_t len)
{
	bool in_input = s.ptr >= in && s.ptr + s.len <= in + len;
	bool in_store = s.ptr >= f->store && s.ptr + s.len <= f->store + f->used;
	if (!in_input && !in_store)
		__builtin_trap();
}

/* Writes f back and parses it again: the same frame. */
static void round_trip(const stomp_frame *f)
{
	static stomp_frame g;
	vigil_buf out;
	const char *hdrs[2 * STOMP_MAX_HEADERS + 1];
	char *own[2 * STOMP_MAX_HEADERS];
	char cmd[40];
	size_t k = 0, used = 0;
	bool skip = false;
	memcpy(cmd, f->command.ptr, f->command.len);
	cmd[f->command.len] = 0;
	if (!strcmp(cmd, "CONNECT") || !strcmp(cmd, "CONNECTED") || !strcmp(cmd, "STOMP"))
		return; /* unescaped frames may hold what cannot be written back */
	for (size_t i = 0; i < f->nh; i++) {
		vigil_slice s[2] = { f->h[i].name, f->h[i].value };
		for (int j = 0; j < 2; j++) {
			own[k] = malloc(s[j].len + 1);
			if (!own[k])
				return;
			memcpy(own[k], s[j].ptr, s[j].len);
			own[k][s[j].len] = 0;
			if (memchr(s[j].ptr, 0, s[j].len) || s[j].len > STOMP_MAX_OUT_HEADER)
				skip = true;
			hdrs[k] = own[k];
			k++;
		}
	}
	hdrs[k] = NULL;
	vigil_buf_init(&out, 4 * STOMP_MAX_FRAME);
	if (!skip && stomp_frame_write(&out, cmd, hdrs, f->body.ptr, f->body.len) == 0 &&
	    out.len <= STOMP_MAX_FRAME && !stomp_frame_get(f, "content-length") && !memchr(f->body.ptr, 0, f->body.len)) {
		if (stomp_frame_parse(out.data, out.len, &g, &used) != 0 || used != out.len)
			__builtin_trap();
		if (!vigil_slice_eq(g.command, f->command) || g.nh != f->nh || !vigil_slice_eq(g.body, f->body))
			__builtin_trap();
		for (size_t i = 0; i < g.nh; i++)
			if (!vigil_slice_eq(g.h[i].name, f->h[i].name) || !vigil_slice_eq(g.h[i].value, f->h[i].value))
				__builtin_trap();
	}
	vigil_buf_free(&out);
	for (size_t i = 0; i < k; i++)
		free(own[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static stomp_frame f;
	const char *p = (const char *)data;
	size_t left = size;
	for (int frames = 0; frames < 64; frames++) {
		size_t used = 0;
		int rc = stomp_frame_parse(p, left, &f, &used);
		if (rc != 0)
			break;
		if (used == 0 || used > left || !f.command.len)
			__builtin_trap();
		for (size_t i = 0; i < f.command.len; i++)
			if (f.command.ptr[i] < 'A' || f.command.ptr[i] > 'Z')
				__builtin_trap();
		inside(&f, f.command, p, used);
		inside(&f, f.body, p, used);
		for (size_t i = 0; i < f.nh; i++) {
			inside(&f, f.h[i].name, p, used);
			inside(&f, f.h[i].value, p, used);
		}
		const vigil_slice *cl = stomp_frame_get(&f, "content-length");
		uint64_t n;
		if (cl && (!vigil_slice_to_u64(*cl, STOMP_MAX_FRAME, &n) || n != f.body.len))
			__builtin_trap();
		round_trip(&f);
		p += used;
		left -= used;
	}
	vigil_error_clear();
	return 0;
}
