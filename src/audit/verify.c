/* audit/verify.c: vigil_verify_image(): a registry image's cosign
 * signatures checked with a public key (vigil/verify.h). The reference is
 * resolved to the digest of the document it names (a manifest, or the
 * index of a multi-platform image: what `cosign sign IMAGE` signs), the
 * manifest under the tag "sha256-<hex>.sig" is fetched from the same
 * repository (registry/, with the image's credentials), and each of its
 * layers is a signature: its payload blob (digest and size checked) and
 * the signature annotation go to verify_check(). One that passes makes the
 * image verified. The rendering as JSON is verify_json.c. */
#include "audit/verify_priv.h"
#include "registry/registry.h"
#include "util/digest.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vigil_verify_options_init(vigil_verify_options *o)
{
	memset(o, 0, sizeof(*o));
}

void vigil_verify_result_free(vigil_verify_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->signature_count; i++) {
		vigil_verify_signature *s = &r->signatures[i];
		free(s->layer_digest);
		free(s->payload);
		free(s->docker_reference);
		free(s->manifest_digest);
		free(s->error);
	}
	free(r->signatures);
	free(r->repository);
	free(r->digest);
	free(r->media_type);
	free(r->pinned);
	free(r->signature_ref);
	free(r->signature_digest);
	free(r->key_path);
	free(r);
}

/* a + b + c, malloc'd */
static char *join3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = malloc(la + lb + lc + 1);
	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb);
		memcpy(s + la + lb, c, lc + 1);
	}
	return s;
}

/* Local images have no registry to hold their signatures. */
static int registry_only(const char *ref)
{
	static const char *const local[] = { "oci:", "oci-archive:", "docker-archive:", "dir:", "docker:",
					     "docker-daemon:", "podman:", "sbom:", "/", "./", "../" };
	if (!strncmp(ref, "docker://", 9))
		return 0;
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (!strncmp(ref, local[i], strlen(local[i])))
			return vigil_error_set(VIGIL_EUNSUPPORTED,
					       "%s: not a registry image: cosign signatures are read from a registry "
					       "(REGISTRY/REPO[:TAG|@sha256:HEX])", ref);
	return 0;
}

struct verify_ctx {
	const vigil_verify_options *opt;
	vigil_reg_client *c;
	verify_want want;
	vigil_verify_result *r;
	int first_err; /* the code of the first signature that failed */
};

/* The key, its kind and id into the result. */
static int load_key(struct verify_ctx *x, EVP_PKEY **k)
{
	const EVP_MD *md;
	int rc;
	if ((rc = vigil_pkey_load(x->opt->key_path, false, k)) < 0 ||
	    (rc = vigil_pkey_md(*k, x->opt->key_path, &md)) < 0 || (rc = vigil_pkey_id(*k, x->r->key_id)) < 0)
		return rc;
	vigil_pkey_kind(*k, x->r->key_kind);
	return 0;
}

/* The image's digest: the one named, else the sha256 of the document the
 * tag serves (its Docker-Content-Digest checked by the client). */
static int resolve(struct verify_ctx *x, const vigil_reg_ref *ref)
{
	vigil_reg_doc doc;
	char dg[VIGIL_DIGEST_STR_MAX], tag[96], name[VIGIL_REG_MAX_DOMAIN + VIGIL_REG_MAX_NAME + 2];
	int rc = reg_get_manifest(x->c, ref->digest[0] ? ref->digest : ref->tag, ref->digest[0] ? ref->digest : NULL,
				  0, &doc);
	if (rc < 0)
		return rc;
	if (ref->digest[0])
		snprintf(dg, sizeof(dg), "%s", ref->digest);
	else
		vigil_digest_sha256(doc.data, doc.len, dg);
	snprintf(name, sizeof(name), "%s/%s", ref->domain, ref->repo);
	vigil_verify_result *r = x->r;
	if (!(r->repository = strdup(name)) || !(r->digest = strdup(dg)) ||
	    !(r->media_type = strdup(doc.media_type)) || !(r->pinned = join3(name, "@", dg))) {
		rc = vigil_error_oom();
		goto out;
	}
	if (!vigil_digest_is_sha256(vigil_slice_cstr(dg))) {
		rc = vigil_error_set(VIGIL_EUNSUPPORTED, "%s@%s: cosign's tags name sha256 digests only", name, dg);
		goto out;
	}
	/* cosign's tag: "sha256-<hex>.sig" */
	snprintf(tag, sizeof(tag), "sha256-%.64s.sig", dg + 7);
	if (!(r->signature_ref = join3(name, ":", tag)))
		rc = vigil_error_oom();
out:
	reg_doc_free(&doc);
	return rc;
}

static int fail_sig(struct verify_ctx *x, vigil_verify_signature *s, int rc)
{
	if (!x->first_err)
		x->first_err = rc;
	return (s->error = strdup(vigil_error_message())) ? 0 : vigil_error_oom();
}

/* One layer: its fate into s (0), or an error that stops everything. */
static int check_layer(struct verify_ctx *x, const verify_layer *l, vigil_verify_signature *s)
{
	char what[VERIFY_MAX_DIGEST + 16], *data = NULL;
	size_t len = 0;
	verify_payload p;
	int rc;
	memset(&p, 0, sizeof(p));
	snprintf(what, sizeof(what), "layer %s", l->digest);
	if (!(s->layer_digest = strdup(l->digest)))
		return vigil_error_oom();
	if (l->err_code)
		return fail_sig(x, s, vigil_error_set(l->err_code, "%s", l->err));
	if ((rc = reg_get_blob(x->c, l->digest, l->size, VERIFY_MAX_PAYLOAD, &data, &len)) < 0) {
		vigil_error_prefix("%s: the payload: ", what);
		return fail_sig(x, s, rc);
	}
	s->payload = data;
	s->payload_len = len;
	rc = verify_check(&x->want, what, data, len, l->sig, l->siglen, &p);
	if (p.root && (!(s->docker_reference = strdup(p.docker_reference)) ||
		       !(s->manifest_digest = strdup(p.manifest_digest))))
		rc = vigil_error_oom();
	verify_payload_free(&p);
	if (rc == VIGIL_ENOMEM)
		return rc;
	if (rc < 0)
		return fail_sig(x, s, rc);
	s->verified = 1;
	x->r->verified_count++;
	return 0;
}

static int check_signatures(struct verify_ctx *x)
{
	vigil_reg_doc doc;
	verify_layer *layers = NULL;
	size_t n = 0;
	const char *tag = strrchr(x->r->signature_ref, ':') + 1;
	int rc = reg_get_manifest(x->c, tag, NULL, 0, &doc);
	if (rc == VIGIL_ENOTFOUND)
		return vigil_error_set(VIGIL_ENOTFOUND, "no signature: %s not found (sign it with cosign sign --key ...)",
				       x->r->signature_ref);
	if (rc < 0)
		return rc;
	if (!(x->r->signature_digest = strdup(doc.digest)))
		rc = vigil_error_oom();
	else
		rc = verify_sig_manifest_parse(x->r->signature_ref, doc.data, doc.len, &layers, &n);
	reg_doc_free(&doc);
	if (rc >= 0 && !(x->r->signatures = calloc(n, sizeof(*x->r->signatures))))
		rc = vigil_error_oom();
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		x->r->signature_count++;
		rc = check_layer(x, &layers[i], &x->r->signatures[i]);
	}
	free(layers);
	return rc;
}

/* None verified: the one reason, or the first of several. */
static int none_verified(const vigil_verify_result *r, int code)
{
	const char *first = r->signature_count ? r->signatures[0].error : "no signature";
	if (r->signature_count == 1)
		return vigil_error_set(code, "%s: %s", r->signature_ref, first);
	return vigil_error_set(code, "%s: none of its %zu signatures verifies with %s (the first: %s)",
			       r->signature_ref, r->signature_count, r->key_path, first ? first : "?");
}

int vigil_verify_image(const char *ref, const vigil_verify_options *opt, vigil_verify_result **out)
{
	struct verify_ctx x = { .opt = opt };
	vigil_reg_ref rr;
	EVP_PKEY *key = NULL;
	int rc;
	*out = NULL;
	if (!ref || !opt || !opt->key_path)
		return vigil_error_set(VIGIL_EINVAL, "verify: an image and a key are needed");
	if (opt->annotation_count > VIGIL_VERIFY_MAX_ANNOTATIONS)
		return vigil_error_set(VIGIL_ELIMIT, "verify: %zu annotations (limit %d)", opt->annotation_count,
				       VIGIL_VERIFY_MAX_ANNOTATIONS);
	if (!(x.r = calloc(1, sizeof(*x.r))) || !(x.r->key_path = strdup(opt->key_path))) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = load_key(&x, &key)) < 0 || (rc = registry_only(ref)) < 0 || (rc = reg_ref_parse(ref, &rr)) < 0 ||
	    (rc = reg_client_new(&rr, opt->registry, &x.c)) < 0 || (rc = resolve(&x, &rr)) < 0)
		goto out;
	x.want = (verify_want){ .key = key, .key_path = opt->key_path, .digest = x.r->digest,
				.repository = x.r->repository, .match_reference = opt->match_reference,
				.annotations = opt->annotations, .annotation_count = opt->annotation_count };
	if ((rc = check_signatures(&x)) >= 0 && !x.r->verified_count)
		rc = none_verified(x.r, x.first_err ? x.first_err : VIGIL_EDIGEST);
out:
	if (x.r && (x.r->digest || rc >= 0))
		*out = x.r;
	else
		vigil_verify_result_free(x.r);
	reg_client_free(x.c);
	EVP_PKEY_free(key);
	return rc;
}
