/* scanner/rpm_bdb.c: reads the rpm "Packages" file of older systems (RHEL
 * and CentOS up to 8, Amazon Linux 2, ...), a Berkeley DB hash database
 * (hash versions 8 to 10, either byte order), from its bytes, without
 * libdb. Page 0 is the hash metadata (page size, last page, bucket count,
 * the spares table that maps buckets to pages); the walk goes bucket by
 * bucket, as rpm's own read-only backend does, following each bucket's chain
 * of hash pages. On a hash page the items come in key/value pairs; a value
 * is either on the page (H_KEYDATA) or, as package headers nearly always
 * are, on a chain of overflow pages (H_OFFPAGE) that is gathered into one
 * blob. Every page number is checked against the file, and every page may be
 * visited once only, so a loop in a chain ends with an error. */
#include "scanner/rpm.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most pages one database may have (16M pages: 64 GiB of 4 KiB pages). */
#define VIGIL_RPM_BDB_MAX_PAGES ((uint32_t)1 << 24)

#define BDB_HASH_MAGIC 0x00061561u
#define BDB_BTREE_MAGIC 0x00053162u
#define BDB_META_SIZE 512
#define BDB_PAGE_HEADER 26 /* LSN, pgno, prev, next, entries, hf_offset, level, type */

enum {
	P_HASH_UNSORTED = 2,
	P_OVERFLOW = 7,
	P_HASHMETA = 8,
	P_HASH = 13,
};

enum {
	H_KEYDATA = 1,
	H_OFFPAGE = 3,
};

struct bdb {
	const uint8_t *data;
	size_t len;
	bool be; /* big-endian file */
	uint32_t pagesize, lastpage, maxbucket;
	uint32_t spares[32];
	uint8_t *seen; /* one bit per page: visited */
};

static uint32_t get32(const struct bdb *db, const uint8_t *p)
{
	return db->be ? vigil_rpm_be32(p) : vigil_rpm_le32(p);
}

static uint16_t get16(const struct bdb *db, const uint8_t *p)
{
	return db->be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static int bdb_open(struct bdb *db, const uint8_t *data, size_t len)
{
	memset(db, 0, sizeof(*db));
	db->data = data;
	db->len = len;
	if (len < BDB_META_SIZE)
		return vigil_error_set(VIGIL_EFORMAT,
				       "bdb: %zu bytes, shorter than the %d-byte metadata page", len,
				       BDB_META_SIZE);
	uint32_t magic = vigil_rpm_le32(data + 12);
	if (magic == BDB_HASH_MAGIC) {
		db->be = false;
	} else if (vigil_rpm_be32(data + 12) == BDB_HASH_MAGIC) {
		db->be = true;
	} else if (magic == BDB_BTREE_MAGIC || vigil_rpm_be32(data + 12) == BDB_BTREE_MAGIC) {
		return vigil_error_set(VIGIL_EUNSUPPORTED, "bdb: a btree database, not a hash one");
	} else {
		return vigil_error_set(VIGIL_EFORMAT,
				       "bdb: not a Berkeley DB hash database (magic %08x)", magic);
	}
	uint32_t version = get32(db, data + 16);
	if (version < 8 || version > 10)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "bdb: hash version %u (want 8 to 10)",
				       version);
	db->pagesize = get32(db, data + 20);
	if (db->pagesize < 512 || db->pagesize > 65536 || (db->pagesize & (db->pagesize - 1)))
		return vigil_error_set(VIGIL_EFORMAT, "bdb: page size %u", db->pagesize);
	if (data[24] != 0)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "bdb: encrypted database (algorithm %u)",
				       data[24]);
	if (data[25] != P_HASHMETA)
		return vigil_error_set(VIGIL_EFORMAT, "bdb: page 0 has type %u, not hash metadata",
				       data[25]);
	db->lastpage = get32(db, data + 32);
	if (db->lastpage >= VIGIL_RPM_BDB_MAX_PAGES)
		return vigil_error_set(VIGIL_ELIMIT, "bdb: last page %u (limit %u pages)",
				       db->lastpage, VIGIL_RPM_BDB_MAX_PAGES);
	uint64_t need = ((uint64_t)db->lastpage + 1) * db->pagesize;
	if (need > len)
		return vigil_error_set(VIGIL_EFORMAT,
				       "bdb: truncated: last page %u ends at byte %llu, the file has %zu",
				       db->lastpage, (unsigned long long)need, len);
	db->maxbucket = get32(db, data + 72);
	if (db->maxbucket > db->lastpage)
		return vigil_error_set(VIGIL_EFORMAT, "bdb: %u buckets in %u pages",
				       db->maxbucket + 1, db->lastpage + 1);
	for (int i = 0; i < 32; i++)
		db->spares[i] = get32(db, data + 96 + 4 * i);
	db->seen = calloc((size_t)db->lastpage / 8 + 1, 1);
	return db->seen ? 0 : vigil_error_oom();
}

/* Page pgno, checked: in the file, not page 0, numbered as it says, and
 * not visited before (a page reached twice means a loop). */
static int get_page(struct bdb *db, uint32_t pgno, const uint8_t **out)
{
	if (pgno == 0 || pgno > db->lastpage)
		return vigil_error_set(VIGIL_EFORMAT, "bdb: page %u out of range (last page %u)", pgno,
				       db->lastpage);
	if (db->seen[pgno / 8] & (1u << (pgno % 8)))
		return vigil_error_set(VIGIL_EFORMAT, "bdb: page %u reached twice (a loop)", pgno);
	db->seen[pgno / 8] |= (uint8_t)(1u << (pgno % 8));
	const uint8_t *p = db->data + (size_t)pgno * db->pagesize;
	if (get32(db, p + 8) != pgno)
		return vigil_error_set(VIGIL_EFORMAT, "bdb: page %u says it is page %u", pgno,
				       get32(db, p + 8));
	*out = p;
	return 0;
}

/* Gathers an off-page item of tlen bytes from its chain of overflow pages
 * into a malloc'd buffer. */
static int read_overflow(struct bdb *db, uint32_t pgno, uint32_t tlen, uint8_t **out)
{
	uint8_t *buf = NULL;
	uint32_t have = 0;
	int rc = 0;
	*out = NULL;
	if (tlen == 0 || tlen > db->len)
		return vigil_error_set(VIGIL_EFORMAT, "bdb: off-page item of %u bytes in a %zu-byte file",
				       tlen, db->len);
	if (tlen > VIGIL_RPM_MAX_BLOB_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "bdb: off-page item of %u bytes (limit %zu)",
				       tlen, (size_t)VIGIL_RPM_MAX_BLOB_SIZE);
	if (!(buf = malloc(tlen)))
		return vigil_error_oom();
	while (have < tlen) {
		const uint8_t *pg;
		if (pgno == 0) {
			rc = vigil_error_set(VIGIL_EFORMAT,
					     "bdb: overflow chain ends after %u of %u bytes", have, tlen);
			goto out;
		}
		if ((rc = get_page(db, pgno, &pg)) < 0)
			goto out;
		if (pg[25] != P_OVERFLOW) {
			rc = vigil_error_set(VIGIL_EFORMAT,
					     "bdb: page %u has type %u, not an overflow page", pgno,
					     pg[25]);
			goto out;
		}
		uint32_t plen = get16(db, pg + 22);
		if (plen == 0 || plen > db->pagesize - BDB_PAGE_HEADER || plen > tlen - have) {
			rc = vigil_error_set(VIGIL_EFORMAT,
					     "bdb: overflow page %u holds %u bytes (%u of %u still wanted)",
					     pgno, plen, tlen - have, tlen);
			goto out;
		}
		memcpy(buf + have, pg + BDB_PAGE_HEADER, plen);
		have += plen;
		pgno = get32(db, pg + 16);
	}
	*out = buf;
	buf = NULL;
out:
	free(buf);
	return rc;
}

/* Length of item idx on a hash page: items fill the page from its end, so
 * an item ends where the one before it starts. */
static int item_extent(const struct bdb *db, const uint8_t *pg, uint32_t pgno, uint32_t idx,
		       uint32_t *off, uint32_t *len)
{
	uint32_t o = get16(db, pg + BDB_PAGE_HEADER + 2 * idx);
	uint32_t end = idx == 0 ? db->pagesize : get16(db, pg + BDB_PAGE_HEADER + 2 * (idx - 1));
	uint32_t nent = get16(db, pg + 20);
	if (o < BDB_PAGE_HEADER + 2 * nent || o >= end || end > db->pagesize)
		return vigil_error_set(VIGIL_EFORMAT, "bdb: page %u item %u: offset %u (end %u) out of place",
				       pgno, idx, o, end);
	*off = o;
	*len = end - o;
	return 0;
}

/* The record with key 0 holds rpm's next header number, not a header. */
static bool is_key_zero(const uint8_t *pg, uint32_t off, uint32_t len)
{
	static const uint8_t zero[4] = { 0 };
	return pg[off] == H_KEYDATA && len == 5 && memcmp(pg + off + 1, zero, 4) == 0;
}

static int read_pair(vigil_scan_ctx *ctx, struct bdb *db, const uint8_t *pg, uint32_t pgno,
		     uint32_t idx, vigil_pkg_list *out)
{
	uint32_t koff, klen, voff, vlen;
	uint8_t *blob = NULL;
	char where[64];
	int rc;
	if ((rc = item_extent(db, pg, pgno, idx, &koff, &klen)) < 0 ||
	    (rc = item_extent(db, pg, pgno, idx + 1, &voff, &vlen)) < 0)
		return rc;
	if (is_key_zero(pg, koff, klen))
		return 0;
	snprintf(where, sizeof(where), "bdb: page %u item %u", pgno, idx + 1);
	switch (pg[voff]) {
	case H_KEYDATA:
		return scan_rpm_add_blob(ctx, pg + voff + 1, vlen - 1, where, out);
	case H_OFFPAGE:
		if (vlen < 12)
			return vigil_error_set(VIGIL_EFORMAT, "%s: off-page item of %u bytes, want 12",
					       where, vlen);
		rc = read_overflow(db, get32(db, pg + voff + 4), get32(db, pg + voff + 8), &blob);
		if (rc < 0) {
			vigil_error_prefix("page %u item %u: ", pgno, idx + 1);
			return rc;
		}
		rc = scan_rpm_add_blob(ctx, blob, get32(db, pg + voff + 8), where, out);
		free(blob);
		return rc;
	default:
		return vigil_error_set(VIGIL_EFORMAT, "%s: unsupported item type %u", where, pg[voff]);
	}
}

static int read_hash_page(vigil_scan_ctx *ctx, struct bdb *db, const uint8_t *pg, uint32_t pgno,
			  vigil_pkg_list *out)
{
	if (pg[25] != P_HASH && pg[25] != P_HASH_UNSORTED)
		return vigil_error_set(VIGIL_EFORMAT, "bdb: page %u has type %u, not a hash page", pgno,
				       pg[25]);
	uint32_t nent = get16(db, pg + 20);
	if (nent % 2)
		return vigil_error_set(VIGIL_EFORMAT, "bdb: page %u has %u items, not key/value pairs",
				       pgno, nent);
	if (BDB_PAGE_HEADER + 2 * nent > db->pagesize)
		return vigil_error_set(VIGIL_EFORMAT, "bdb: page %u: %u items overflow the page", pgno,
				       nent);
	for (uint32_t i = 0; i < nent; i += 2) {
		int rc = read_pair(ctx, db, pg, pgno, i, out);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A bucket's first page: the bucket number plus the spare pages allocated
 * before its doubling of the table. */
static int bucket_page(const struct bdb *db, uint32_t bucket, uint32_t *pgno)
{
	int bits = 0;
	for (uint32_t b = bucket; b; b >>= 1)
		bits++;
	uint64_t pg = (uint64_t)bucket + db->spares[bits];
	if (pg == 0 || pg > db->lastpage)
		return vigil_error_set(VIGIL_EFORMAT, "bdb: bucket %u maps to page %llu (last page %u)",
				       bucket, (unsigned long long)pg, db->lastpage);
	*pgno = (uint32_t)pg;
	return 0;
}

int scan_rpm_bdb_read(vigil_scan_ctx *ctx, const uint8_t *data, size_t len, vigil_pkg_list *out)
{
	struct bdb db;
	int rc = bdb_open(&db, data, len);
	for (uint32_t bucket = 0; rc == 0 && bucket <= db.maxbucket; bucket++) {
		uint32_t pgno = 0;
		if ((rc = bucket_page(&db, bucket, &pgno)) < 0)
			break;
		while (rc == 0 && pgno != 0) {
			const uint8_t *pg;
			if ((rc = get_page(&db, pgno, &pg)) < 0 ||
			    (rc = read_hash_page(ctx, &db, pg, pgno, out)) < 0)
				break;
			pgno = get32(&db, pg + 16);
		}
	}
	free(db.seen);
	return rc;
}
