/* report/sbom_inv.c: the inventory the SBOM writers share (sbom_out.h):
 * each package's purl and unique reference, the image's purl, the
 * document's time, and the UUID that is a hash of the document. */
#include "report/sbom_out.h"
#include "report/report_priv.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/map.h"
#include "vigil/purl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Longest image reference given a purl. */
#define SBOM_IMAGE_REF_MAX 1024

void sbom_prop(json_t *arr, const char *name, const char *value)
{
	json_t *o;
	if (!value || !(o = json_object()))
		return;
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "value", report_jstr(value));
	json_array_append_new(arr, o);
}

long sbom_layer_index(const vigil_index_report *r, const vigil_package *p)
{
	for (size_t k = 0; p->introduced_in && k < r->layer_count; k++)
		if (r->layers[k].digest && !strcmp(r->layers[k].digest, p->introduced_in))
			return (long)k;
	return -1;
}

/* Percent-encodes s into b, keeping [A-Za-z0-9.-_~] and the bytes of
 * keep; non-zero once the buffer refused a byte. */
static int put_enc(vigil_buf *b, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(".-_~", c) ||
		    strchr(keep, c)) {
			rc |= vigil_buf_putc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			rc |= vigil_buf_append(b, e, 3);
		}
	}
	return rc;
}

/* The purl of a registry image (purl-spec's oci type):
 * pkg:oci/NAME@sha256%3AHEX?repository_url=REGISTRY/REPO&tag=TAG. NULL
 * (and 0) when the reference is a transport ("oci:", "docker-archive:",
 * ...), a file, or the digest is unknown. */
static int image_purl(const char *ref, const char *digest, char **out)
{
	static const char *const transports[] = { "oci:", "oci-archive:", "docker-archive:", "dir:", "docker:",
						  "podman:", "sbom:", "containerd:" };
	const char *slash, *colon, *at, *end, *name;
	char reg[256], repo[SBOM_IMAGE_REF_MAX], tag[256] = "";
	vigil_buf b;
	int rc = 0;

	*out = NULL;
	if (!ref || !digest || strncmp(digest, "sha256:", 7) || strlen(ref) >= SBOM_IMAGE_REF_MAX)
		return 0;
	if (!strncmp(ref, "docker://", 9))
		ref += 9;
	for (size_t i = 0; i < sizeof(transports) / sizeof(transports[0]); i++)
		if (!strncmp(ref, transports[i], strlen(transports[i])))
			return 0;
	if (!*ref || *ref == '/' || *ref == '.' || access(ref, F_OK) == 0)
		return 0;
	end = (at = strchr(ref, '@')) ? at : ref + strlen(ref);
	slash = memchr(ref, '/', (size_t)(end - ref));
	colon = NULL;
	for (const char *c = end; c > ref; c--)
		if (c[-1] == '/')
			break;
		else if (c[-1] == ':') {
			colon = c - 1;
			break;
		}
	if (colon) {
		snprintf(tag, sizeof(tag), "%.*s", (int)(end - colon - 1), colon + 1);
		end = colon;
	}
	if (slash && (memchr(ref, '.', (size_t)(slash - ref)) || memchr(ref, ':', (size_t)(slash - ref)) ||
		      !strncmp(ref, "localhost/", 10))) {
		snprintf(reg, sizeof(reg), "%.*s", (int)(slash - ref), ref);
		snprintf(repo, sizeof(repo), "%.*s", (int)(end - slash - 1), slash + 1);
	} else {
		snprintf(reg, sizeof(reg), "docker.io");
		snprintf(repo, sizeof(repo), "%s%.*s", slash ? "" : "library/", (int)(end - ref), ref);
	}
	name = strrchr(repo, '/') ? strrchr(repo, '/') + 1 : repo;
	if (!*name)
		return 0;
	char lname[SBOM_IMAGE_REF_MAX]; /* the purl's name is lower-cased */
	size_t i = 0;
	for (; name[i]; i++)
		lname[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	lname[i] = '\0';
	vigil_buf_init(&b, VIGIL_PURL_MAX_LEN);
	rc |= vigil_buf_puts(&b, "pkg:oci/");
	rc |= put_enc(&b, lname, "");
	rc |= vigil_buf_putc(&b, '@');
	rc |= put_enc(&b, digest, "");
	rc |= vigil_buf_puts(&b, "?repository_url=");
	rc |= put_enc(&b, reg, "");
	rc |= vigil_buf_putc(&b, '/');
	rc |= put_enc(&b, repo, "/");
	if (*tag) {
		rc |= vigil_buf_puts(&b, "&tag=");
		rc |= put_enc(&b, tag, "");
	}
	if (rc) {
		vigil_buf_free(&b);
		return vigil_error_or_oom();
	}
	*out = vigil_buf_detach(&b, NULL);
	return 0;
}

/* The reference of package i: its purl when no earlier package has the
 * same; otherwise the purl with a package-id qualifier (a hash of where it
 * was found and its place), as syft writes duplicates. */
static int package_ref(struct sbom_pkg *k, size_t i, vigil_map *seen)
{
	vigil_buf b;
	if (!k->purl) {
		vigil_buf_init(&b, 64);
		vigil_buf_printf(&b, "package-%zu", i + 1);
		k->ref = vigil_buf_detach(&b, NULL);
		return k->ref ? 0 : vigil_error_oom();
	}
	if (!vigil_map_get_cstr(seen, k->purl)) {
		if (!(k->ref = strdup(k->purl)))
			return vigil_error_oom();
		return vigil_map_set_cstr(seen, k->ref, k);
	}
	const vigil_package *p = k->p;
	uint64_t h = VIGIL_HASH_INIT;
	const char *parts[] = { p->package_db, p->name, p->version, p->introduced_in };
	for (size_t j = 0; j < sizeof(parts) / sizeof(parts[0]); j++)
		h = vigil_hash_more(h, parts[j] ? parts[j] : "", parts[j] ? strlen(parts[j]) + 1 : 1);
	h = vigil_hash_more(h, &i, sizeof(i));
	vigil_buf_init(&b, VIGIL_PURL_MAX_LEN + 64);
	vigil_buf_printf(&b, "%s%cpackage-id=%016llx", k->purl, strchr(k->purl, '?') ? '&' : '?',
			 (unsigned long long)h);
	if (!(k->ref = vigil_buf_detach(&b, NULL)))
		return vigil_error_oom();
	return vigil_map_set_cstr(seen, k->ref, k);
}

static int os_ref(struct sbom_inv *v, const vigil_distribution *d)
{
	vigil_buf b;
	vigil_buf_init(&b, 1024);
	vigil_buf_printf(&b, "os:%s%s%s", d->did ? d->did : "unknown", d->version_id ? "@" : "",
			 d->version_id ? d->version_id : "");
	v->os_ref = vigil_buf_detach(&b, NULL);
	return v->os_ref ? 0 : vigil_error_oom();
}

int sbom_inv_init(struct sbom_inv *v, const vigil_report_input *in, const vigil_report_options *o)
{
	const vigil_index_report *r = in->index;
	time_t t = (time_t)o->now;
	struct tm tm;
	vigil_map seen = { 0 };
	vigil_buf lic;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	vigil_buf_init(&lic, SBOM_LICENSE_MAX_LEN * 2);
	if (!gmtime_r(&t, &tm) || strftime(v->created, sizeof(v->created), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return vigil_error_set(VIGIL_EINVAL, "report: the time %lld cannot be written", (long long)o->now);
	if (r->package_count && !(v->pkgs = calloc(r->package_count, sizeof(*v->pkgs))))
		return vigil_error_oom();
	v->n = r->package_count;
	for (size_t i = 0; i < v->n && rc == 0; i++) {
		struct sbom_pkg *k = &v->pkgs[i];
		k->p = &r->packages[i];
		if (vigil_purl_of(k->p, r->distribution, &k->purl) < 0) {
			if (vigil_error_code() == VIGIL_ENOMEM)
				rc = VIGIL_ENOMEM;
			k->purl = NULL; /* no purl: an unknown type, or too long */
		}
		if (rc == 0)
			rc = package_ref(k, i, &seen);
		vigil_buf_reset(&lic);
		if (rc == 0 && k->p->license && sbom_license_spdx(k->p->license, &lic, &k->license_single) &&
		    !(k->license = strdup(vigil_buf_cstr(&lic))))
			rc = vigil_error_oom();
	}
	if (rc == 0)
		rc = image_purl(in->image, r->manifest_hash, &v->image_purl);
	if (rc == 0 && r->distribution)
		rc = os_ref(v, r->distribution);
	if (rc == 0) {
		vigil_buf b;
		vigil_buf_init(&b, VIGIL_PURL_MAX_LEN + 64);
		if (v->image_purl)
			vigil_buf_puts(&b, v->image_purl);
		else
			vigil_buf_printf(&b, "image:%s", r->manifest_hash ? r->manifest_hash : "unknown");
		if (!(v->image_ref = vigil_buf_detach(&b, NULL)))
			rc = vigil_error_oom();
	}
	vigil_map_free(&seen);
	vigil_buf_free(&lic);
	if (rc < 0)
		sbom_inv_free(v);
	return rc;
}

void sbom_inv_free(struct sbom_inv *v)
{
	if (!v)
		return;
	for (size_t i = 0; v->pkgs && i < v->n; i++) {
		free(v->pkgs[i].purl);
		free(v->pkgs[i].ref);
		free(v->pkgs[i].license);
	}
	free(v->pkgs);
	free(v->image_purl);
	free(v->image_ref);
	free(v->os_ref);
	memset(v, 0, sizeof(*v));
}

/* An RFC 9562 version 8 UUID of the SHA-256 of data. */
static int uuid_of(const char *data, size_t n, char out[37])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char hex[33];
	if (!EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL) || mdlen < 16)
		return vigil_error_set(VIGIL_EIO, "report: SHA-256 failed");
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x80);
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
	vigil_hex_encode(md, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
	return 0;
}

int sbom_dump_with_uuid(json_t *root, const char *key, const char *prefix, const char *suffix, int pretty,
			char **out, size_t *len)
{
	char *flat = NULL, uuid[37];
	size_t flen;
	vigil_buf b;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = report_dump(root, 0, JSON_REAL_PRECISION(3), &flat, &flen)) < 0)
		return rc;
	rc = uuid_of(flat, flen, uuid);
	free(flat);
	if (rc < 0)
		return rc;
	vigil_buf_init(&b, 4096);
	vigil_buf_printf(&b, "%s%s%s", prefix, uuid, suffix);
	json_t *s = report_jstr(vigil_buf_cstr(&b));
	vigil_buf_free(&b);
	if (!s || json_object_set_new(root, key, s) < 0)
		return vigil_error_oom();
	return report_dump(root, pretty, JSON_REAL_PRECISION(3), out, len);
}
