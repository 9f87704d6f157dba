/* audit/integrity_dpkg.c: dpkg's records of installed files (audit/integrity.h):
 * info/NAME.md5sums, the Conffiles: of the status file, the diversions
 * file, and the path-exclude / path-include options of dpkg.cfg(.d). */
#include "audit/integrity.h"
#include "util/digest.h"
#include "util/error.h"

#include <string.h>

size_t integ_digest_len(int algo)
{
	switch (algo) {
	case INTEG_MD5: return 16;
	case INTEG_SHA1: return 20;
	case INTEG_SHA256: return 32;
	default: return 0;
	}
}

const char *integ_algo_name(int algo)
{
	switch (algo) {
	case INTEG_MD5: return "md5";
	case INTEG_SHA1: return "sha1";
	case INTEG_SHA256: return "sha256";
	default: return "none";
	}
}

/* Checks size and NUL bytes, then hands each line (numbered) to the loop. */
static int text_start(const char *what, const char *data, size_t len, vigil_slice *in)
{
	if (!data && len)
		return vigil_error_set(VIGIL_EINVAL, "%s: no data", what);
	int rc = scan_text_check(what, data, len, INTEG_MAX_TEXT);
	if (rc < 0)
		return rc;
	*in = vigil_slice_make(data, len);
	return 0;
}

static int line_check(vigil_slice line, size_t lno)
{
	if (line.len > INTEG_MAX_LINE)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: longer than %d bytes", lno, INTEG_MAX_LINE);
	return 0;
}

int integ_dpkg_md5sums_parse(vigil_slice pkg, const char *data, size_t len, integ_emit emit,
			     void *ud)
{
	vigil_slice in, line;
	size_t lno = 0;
	int rc;
	if ((rc = text_start("md5sums file", data, len, &in)) < 0)
		return rc;
	while (vigil_slice_next_line(&in, &line)) {
		integ_item it = { .pkg = pkg, .algo = INTEG_MD5, .line = (uint32_t)++lno };
		if ((rc = line_check(line, lno)) < 0)
			return rc;
		if (line.len && line.ptr[line.len - 1] == '\r')
			line.len--;
		if (line.len == 0)
			continue;
		/* "<32 hex><space><space or '*'><path>" (md5sum's output) */
		if (line.len < 35 || line.ptr[32] != ' ' || (line.ptr[33] != ' ' && line.ptr[33] != '*') ||
		    !vigil_hex_decode(vigil_slice_sub(line, 0, 32), it.digest, 16))
			return vigil_error_set(VIGIL_EFORMAT, "line %zu: not \"<md5>  <path>\": \"%.*s\"", lno,
					       (int)(line.len > 80 ? 80 : line.len), line.ptr);
		it.path = vigil_slice_sub(line, 34, line.len);
		if (it.path.len > INTEG_MAX_PATH)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: path longer than %d bytes", lno,
					       INTEG_MAX_PATH);
		if ((rc = emit(ud, &it)) != 0)
			return rc;
	}
	return 0;
}

/* One " /etc/x <md5> [obsolete|remove-on-upgrade]" line of Conffiles:. */
static int conffile_line(vigil_slice pkg, vigil_slice line, size_t lno, integ_emit emit, void *ud)
{
	integ_item it = { .pkg = pkg, .algo = INTEG_MD5, .config = true, .line = (uint32_t)lno };
	vigil_slice rest = vigil_slice_trim(line), word;
	ptrdiff_t sp = vigil_slice_rfind(rest, ' ');
	if (sp <= 0)
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: Conffiles: not \"<path> <md5>\"", lno);
	word = vigil_slice_sub(rest, (size_t)sp + 1, rest.len);
	if (vigil_slice_eq_cstr(word, "obsolete") || vigil_slice_eq_cstr(word, "remove-on-upgrade"))
		return 0; /* no longer the package's: dpkg leaves it alone */
	it.path = vigil_slice_trim(vigil_slice_sub(rest, 0, (size_t)sp));
	if (vigil_slice_eq_cstr(word, "newconffile"))
		return 0; /* not yet recorded (an interrupted install) */
	if (word.len != 32 || !vigil_hex_decode(word, it.digest, 16) || it.path.len == 0)
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: Conffiles: not \"<path> <md5>\": \"%.*s\"",
				       lno, (int)(rest.len > 80 ? 80 : rest.len), rest.ptr);
	if (it.path.len > INTEG_MAX_PATH)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: path longer than %d bytes", lno,
				       INTEG_MAX_PATH);
	return emit(ud, &it);
}

struct stanza {
	vigil_slice pkg, status;
	const char *conf, *conf_end; /* the continuation lines of Conffiles: */
	size_t conf_lno;
};

/* A stanza ends: its conffiles, when the package is installed. */
static int stanza_end(struct stanza *s, integ_emit emit, void *ud)
{
	int rc = 0;
	/* "install ok installed", "hold ok half-configured": the files are there */
	bool present = vigil_slice_ends_with(s->status, " installed") ||
		       vigil_slice_ends_with(s->status, " half-configured") ||
		       vigil_slice_ends_with(s->status, " triggers-awaited") ||
		       vigil_slice_ends_with(s->status, " triggers-pending") ||
		       vigil_slice_ends_with(s->status, " unpacked");
	if (s->pkg.len > INTEG_MAX_NAME)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: package name longer than %d bytes",
				       s->conf_lno, INTEG_MAX_NAME);
	if (s->conf && present && s->pkg.len) {
		vigil_slice in = vigil_slice_make(s->conf, (size_t)(s->conf_end - s->conf)), line;
		for (size_t i = 0; rc == 0 && vigil_slice_next_line(&in, &line); i++)
			rc = conffile_line(s->pkg, line, s->conf_lno + i, emit, ud);
	}
	memset(s, 0, sizeof(*s));
	return rc;
}

int integ_dpkg_status_parse(const char *data, size_t len, integ_emit emit, void *ud)
{
	vigil_slice in, line;
	struct stanza s = { 0 };
	size_t lno = 0;
	bool in_conf = false;
	int rc;
	if ((rc = text_start("dpkg status file", data, len, &in)) < 0)
		return rc;
	while (vigil_slice_next_line(&in, &line)) {
		if ((rc = line_check(line, ++lno)) < 0)
			return rc;
		if (vigil_slice_trim(line).len == 0) {
			in_conf = false;
			if ((rc = stanza_end(&s, emit, ud)) != 0)
				return rc;
			continue;
		}
		if (line.ptr[0] == ' ' || line.ptr[0] == '\t') {
			if (in_conf && !s.conf) {
				s.conf = line.ptr;
				s.conf_lno = lno;
			}
			if (in_conf)
				s.conf_end = line.ptr + line.len;
			continue;
		}
		in_conf = false;
		if (vigil_slice_starts_with(line, "Package:"))
			s.pkg = vigil_slice_trim(vigil_slice_sub(line, 8, line.len));
		else if (vigil_slice_starts_with(line, "Status:"))
			s.status = vigil_slice_trim(vigil_slice_sub(line, 7, line.len));
		else if (vigil_slice_starts_with(line, "Conffiles:"))
			in_conf = true;
	}
	return stanza_end(&s, emit, ud);
}

int integ_dpkg_diversions_parse(const char *data, size_t len, integ_div_emit emit, void *ud)
{
	vigil_slice in, l[3];
	size_t lno = 0, n = 0;
	int rc;
	if ((rc = text_start("dpkg diversions file", data, len, &in)) < 0)
		return rc;
	while (vigil_slice_next_line(&in, &l[n])) {
		if ((rc = line_check(l[n], ++lno)) < 0)
			return rc;
		if (l[n].len == 0 || (n < 2 && l[n].ptr[0] != '/'))
			return vigil_error_set(VIGIL_EFORMAT, "line %zu: not %s", lno,
					       n == 2 ? "a package name" : "an absolute path");
		if (++n < 3)
			continue;
		n = 0;
		if (lno / 3 > INTEG_MAX_DIVERSIONS)
			return vigil_error_set(VIGIL_ELIMIT, "more than %d diversions", INTEG_MAX_DIVERSIONS);
		if ((rc = emit(ud, l[0], l[1], l[2])) != 0)
			return rc;
	}
	if (n)
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: a diversion of %zu lines (want 3)", lno, n);
	return 0;
}

int integ_dpkg_cfg_parse(const char *data, size_t len, integ_filter_emit emit, void *ud)
{
	vigil_slice in, line;
	size_t lno = 0, n = 0;
	int rc;
	if ((rc = text_start("dpkg configuration file", data, len, &in)) < 0)
		return rc;
	while (vigil_slice_next_line(&in, &line)) {
		if ((rc = line_check(line, ++lno)) < 0)
			return rc;
		vigil_slice t = vigil_slice_trim(line);
		if (vigil_slice_starts_with(t, "--"))
			t = vigil_slice_sub(t, 2, t.len);
		bool inc = vigil_slice_starts_with(t, "path-include");
		if (!inc && !vigil_slice_starts_with(t, "path-exclude"))
			continue;
		t = vigil_slice_sub(t, strlen("path-exclude"), t.len);
		if (t.len == 0 || (t.ptr[0] != '=' && t.ptr[0] != ' ' && t.ptr[0] != '\t'))
			continue; /* another option */
		t = vigil_slice_trim(vigil_slice_sub(t, 1, t.len));
		if (t.len == 0 || t.len > INTEG_MAX_PATH)
			return vigil_error_set(VIGIL_EFORMAT, "line %zu: path-%s without a pattern", lno,
					       inc ? "include" : "exclude");
		if (++n > INTEG_MAX_FILTERS)
			return vigil_error_set(VIGIL_ELIMIT, "more than %d path filters", INTEG_MAX_FILTERS);
		if ((rc = emit(ud, inc, t)) != 0)
			return rc;
	}
	return 0;
}
