/* util/slice.c: the out-of-line slice helpers (see slice.h). */
#include "util/slice.h"

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

vigil_slice vigil_slice_trim(vigil_slice a)
{
	while (a.len && is_space(a.ptr[0])) {
		a.ptr++;
		a.len--;
	}
	while (a.len && is_space(a.ptr[a.len - 1]))
		a.len--;
	return a;
}

bool vigil_slice_next_line(vigil_slice *in, vigil_slice *line)
{
	if (in->len == 0)
		return false;
	ptrdiff_t nl = vigil_slice_find(*in, '\n');
	size_t n = nl < 0 ? in->len : (size_t)nl;
	*line = vigil_slice_make(in->ptr, n);
	if (line->len && line->ptr[line->len - 1] == '\r')
		line->len--;
	size_t skip = nl < 0 ? n : n + 1;
	in->ptr += skip;
	in->len -= skip;
	return true;
}

bool vigil_slice_split(vigil_slice a, char c, vigil_slice *head, vigil_slice *tail)
{
	ptrdiff_t i = vigil_slice_find(a, c);
	if (i < 0) {
		*head = a;
		*tail = vigil_slice_make(a.ptr + a.len, 0);
		return false;
	}
	*head = vigil_slice_make(a.ptr, (size_t)i);
	*tail = vigil_slice_make(a.ptr + i + 1, a.len - (size_t)i - 1);
	return true;
}

bool vigil_slice_to_u64(vigil_slice a, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (a.len == 0 || a.len > 20)
		return false;
	for (size_t i = 0; i < a.len; i++) {
		char c = a.ptr[i];
		if (c < '0' || c > '9')
			return false;
		uint64_t d = (uint64_t)(c - '0');
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}
