/* report/ci_util.c: the helpers of the CI writers (report/ci_util.h).
 * Pure functions over the report's strings; the image URI follows
 * go-containerregistry's reference rules as Trivy's pkg/report/sarif.go
 * applies them (ToPathUri: the repository of the reference, without its
 * registry, tag or digest; "library/" for a Docker Hub official image). */
#include "report/ci_util.h"
#include "report/report_priv.h"
#include "util/digest.h"
#include "util/error.h"
#include "vigil/purl.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const vigil_package *report_ci_package(const vigil_vuln_report *r, const vigil_finding *f)
{
	if (f->package)
		return f->package;
	if (r && r->index && f->package_index < r->index->package_count)
		return &r->index->packages[f->package_index];
	return NULL;
}

const char *report_ci_title(const vigil_finding *f, vigil_buf *tmp)
{
	const char *d = f->summary && *f->summary ? f->summary : f->description;
	const char *nl;
	if (!d)
		return "";
	while (*d == '\n' || *d == '\r' || *d == ' ' || *d == '\t')
		d++;
	if (!(nl = strpbrk(d, "\r\n")))
		return d;
	vigil_buf_reset(tmp);
	if (vigil_buf_append(tmp, d, (size_t)(nl - d)) < 0)
		return "";
	return vigil_buf_cstr(tmp);
}

bool report_ci_is_web_url(const char *s)
{
	size_t skip;
	if (!s)
		return false;
	if (strncmp(s, "https://", 8) == 0)
		skip = 8;
	else if (strncmp(s, "http://", 7) == 0)
		skip = 7;
	else
		return false;
	if (!s[skip] || s[skip] == '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || *p >= 0x80)
			return false;
	return true;
}

const char *report_ci_web_link(const vigil_finding *f)
{
	for (size_t i = 0; f->links && i < f->nlinks; i++)
		if (report_ci_is_web_url(f->links[i]))
			return f->links[i];
	return NULL;
}

const char *report_ci_link(const vigil_finding *f, char out[REPORT_CI_LINK_MAX])
{
	const char *l = report_ci_web_link(f), *id = f->id;
	const char *base = NULL;
	if (l || !id)
		return l;
	if (strncmp(id, "CVE-", 4) == 0)
		base = "https://nvd.nist.gov/vuln/detail/";
	else if (strncmp(id, "GHSA-", 5) == 0)
		base = "https://github.com/advisories/";
	if (!base || strlen(id) > 64 || strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") !=
						     strlen(id))
		return NULL;
	snprintf(out, REPORT_CI_LINK_MAX, "%s%s", base, id);
	return out;
}

void report_ci_time(int64_t t, bool zulu, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || strftime(out, 32, zulu ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		memcpy(out, zulu ? "1970-01-01T00:00:00Z" : "1970-01-01T00:00:00", zulu ? 21 : 20);
}

int report_ci_fingerprint(const char *const *parts, size_t n, char out[65])
{
	vigil_hash h = { 0 };
	char d[VIGIL_DIGEST_STR_MAX];
	int rc;
	if ((rc = vigil_hash_init(&h, "sha256")) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const char *p = parts[i] ? parts[i] : "";
		vigil_hash_update(&h, p, strlen(p) + 1);
	}
	rc = vigil_hash_final(&h, d);
	vigil_hash_free(&h);
	if (rc < 0)
		return rc;
	memcpy(out, d + 7, 64); /* after "sha256:" */
	out[64] = '\0';
	return 0;
}

int report_ci_uri_path(vigil_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char keep[] = "-._~!$&'()*+,;=:@/";
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		int rc;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr(keep, *p))
			rc = vigil_buf_putc(b, (char)*p);
		else
			rc = vigil_buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The transports whose reference names a local file or folder: the path
 * ends at the first ':' (as skopeo reads it), or '@' for oci:. */
static const char *const path_transports[] = { "docker-archive:", "oci-archive:", "oci:", "dir:", "sbom:",
					      "containers-storage:" };
/* Transports whose reference is an image name ("docker:alpine:3.19"). */
static const char *const name_transports[] = { "docker://", "registry:", "docker:", "podman:" };

/* The repository of a registry reference s (n bytes). */
static int repo_of(vigil_buf *out, const char *s, size_t n)
{
	const char *at = memchr(s, '@', n), *slash, *colon = NULL, *first_end;
	bool has_registry = false;
	int rc;
	if (at)
		n = (size_t)(at - s);
	slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/')
			slash = s + i;
	for (const char *p = slash ? slash + 1 : s; p < s + n; p++)
		if (*p == ':')
			colon = p;
	if (colon)
		n = (size_t)(colon - s); /* the tag */
	first_end = memchr(s, '/', n);
	if (first_end) {
		size_t fl = (size_t)(first_end - s);
		has_registry = memchr(s, '.', fl) || memchr(s, ':', fl) || (fl == 9 && !memcmp(s, "localhost", 9));
		if (has_registry) {
			bool hub = (fl == 9 && !memcmp(s, "docker.io", 9)) ||
				   (fl == 15 && !memcmp(s, "index.docker.io", 15));
			n -= fl + 1;
			s = first_end + 1;
			if (hub && !memchr(s, '/', n) && (rc = vigil_buf_puts(out, "library/")) < 0)
				return rc;
		}
	} else if ((rc = vigil_buf_puts(out, "library/")) < 0) {
		return rc;
	}
	vigil_buf tmp;
	vigil_buf_init(&tmp, out->max);
	rc = vigil_buf_append(&tmp, s, n);
	if (rc == 0)
		rc = report_ci_uri_path(out, vigil_buf_cstr(&tmp));
	vigil_buf_free(&tmp);
	return rc;
}

int report_ci_image_uri(const char *ref, vigil_buf *out)
{
	const char *s = ref ? ref : "";
	size_t n;
	int rc = 0;
	if (!*s)
		goto done;
	for (size_t i = 0; i < sizeof(name_transports) / sizeof(name_transports[0]); i++)
		if (strncmp(s, name_transports[i], strlen(name_transports[i])) == 0) {
			s += strlen(name_transports[i]);
			rc = repo_of(out, s, strlen(s));
			goto done;
		}
	for (size_t i = 0; i < sizeof(path_transports) / sizeof(path_transports[0]); i++)
		if (strncmp(s, path_transports[i], strlen(path_transports[i])) == 0) {
			s += strlen(path_transports[i]);
			n = strcspn(s, i == 2 ? ":@" : ":");
			goto path;
		}
	if (*s == '/' || *s == '.') { /* a bare path */
		n = strlen(s);
		goto path;
	}
	rc = repo_of(out, s, strlen(s));
	goto done;
path:
	/* the file's name: a temporary folder must not change the URI */
	while (n && s[n - 1] == '/')
		n--;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == '/') {
			s += i;
			n -= i;
			break;
		}
	if (n == 1 && *s == '.')
		n = 0;
	{
		vigil_buf tmp;
		vigil_buf_init(&tmp, out->max);
		rc = vigil_buf_append(&tmp, s, n);
		if (rc == 0)
			rc = report_ci_uri_path(out, vigil_buf_cstr(&tmp));
		vigil_buf_free(&tmp);
	}
done:
	if (rc == 0 && out->len == 0)
		rc = vigil_buf_puts(out, "image");
	return rc;
}

int report_ci_purl(const vigil_package *p, const vigil_distribution *d, char **out)
{
	*out = NULL;
	if (!p || !p->name)
		return 0;
	if (vigil_purl_of(p, d, out) < 0) {
		*out = NULL;
		return vigil_error_code() == VIGIL_ENOMEM ? VIGIL_ENOMEM : 0;
	}
	return 0;
}

bool report_ci_set(json_t *o, const char *key, json_t *v, bool *ok)
{
	if (!v || json_object_set_new(o, key, v) < 0) {
		*ok = false;
		return false;
	}
	return true;
}

bool report_ci_append(json_t *a, json_t *v, bool *ok)
{
	if (!v || json_array_append_new(a, v) < 0) {
		*ok = false;
		return false;
	}
	return true;
}

json_t *report_ci_str_or_null(const char *s)
{
	return s ? report_jstr(s) : json_null();
}

json_t *report_ci_str_array(const char *const *v, size_t n)
{
	json_t *a = json_array();
	bool ok = true;
	for (size_t i = 0; a && v && i < n; i++)
		if (v[i])
			report_ci_append(a, report_jstr(v[i]), &ok);
	if (!ok) {
		json_decref(a);
		return NULL;
	}
	return a;
}
