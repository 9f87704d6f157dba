/* tests/audit/audit_th.h: OCI layouts written by the audit tests: each
 * layer an uncompressed tar made in memory (tests/layer/layer_th.h), the
 * config with the history and the config members a test gives. */
#ifndef VIGIL_TESTS_AUDIT_TH_H
#define VIGIL_TESTS_AUDIT_TH_H

#include "layer/layer_th.h"

#include <stdio.h>
#include <sys/stat.h>

static inline void ath_write(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Writes blob p[0..n) into dir's blobs; its digest into d. */
static inline void ath_blob(const char *dir, const void *p, size_t n, char d[VIGIL_LAYER_DIGEST_MAX])
{
	char name[256];
	th_sha("sha256", p, n, d);
	snprintf(name, sizeof(name), "blobs/sha256/%s", d + 7);
	ath_write(dir, name, p, n);
}

/* An OCI layout in dir (made) of n uncompressed tar layers, tag "t";
 * config_members: JSON members put in the config's "config" object
 * ("" for none); created_by[i] the history line of layer i (NULL: none). */
static inline void ath_layout(const char *dir, const vigil_buf *layers, size_t n, const char *config_members,
			      const char *const *created_by)
{
	char path[512], d[VIGIL_LAYER_DIGEST_MAX], cfgd[VIGIL_LAYER_DIGEST_MAX], md[VIGIL_LAYER_DIGEST_MAX];
	vigil_buf cfg, man, idx;
	vigil_buf_init(&cfg, TH_MAX);
	vigil_buf_init(&man, TH_MAX);
	vigil_buf_init(&idx, TH_MAX);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/blobs", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/blobs/sha256", dir);
	mkdir(path, 0755);
	ath_write(dir, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
	vigil_buf_printf(&cfg, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-02T03:04:05Z\","
			       "\"config\":{%s},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[",
			 config_members ? config_members : "");
	vigil_buf_printf(&man, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
			       "\"layers\":[");
	for (size_t i = 0; i < n; i++) {
		ath_blob(dir, layers[i].data, layers[i].len, d);
		vigil_buf_printf(&cfg, "%s\"%s\"", i ? "," : "", d);
		vigil_buf_printf(&man, "%s{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
				       "\"digest\":\"%s\",\"size\":%zu}", i ? "," : "", d, layers[i].len);
	}
	vigil_buf_puts(&cfg, "]},\"history\":[");
	for (size_t i = 0; i < n; i++)
		vigil_buf_printf(&cfg, "%s{\"created\":\"2024-01-02T03:04:05Z\",\"created_by\":\"%s\"}", i ? "," : "",
				 created_by && created_by[i] ? created_by[i] : "layer");
	vigil_buf_puts(&cfg, "]}");
	ath_blob(dir, cfg.data, cfg.len, cfgd);
	vigil_buf_printf(&man, "],\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
			       "\"digest\":\"%s\",\"size\":%zu}}", cfgd, cfg.len);
	ath_blob(dir, man.data, man.len, md);
	vigil_buf_printf(&idx, "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
			       "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%zu,"
			       "\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]}", md, man.len);
	ath_write(dir, "index.json", idx.data, idx.len);
	vigil_buf_free(&cfg);
	vigil_buf_free(&man);
	vigil_buf_free(&idx);
}

/* A temporary folder for one test (removed by ath_rmdir). */
static inline void ath_tmpdir(char dir[64])
{
	snprintf(dir, 64, "/tmp/vigil-audit-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

static inline void ath_rmdir(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

#endif
