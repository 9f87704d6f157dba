/* scanner/rpm_ndb.c: reads rpm's own "ndb" package database (Packages.db,
 * SUSE since 15 SP3), from its bytes. The file starts with a 32-byte header
 * ("RpmP" magic, version 0, generation, count of slot pages, next package
 * index) inside the first of the 4 KiB slot pages. Each 16-byte slot ("Slot"
 * magic, package index, block offset, block count) points at a blob in
 * 16-byte blocks: a 16-byte head ("BlbS", package index, generation,
 * length), the header blob, padding and a 12-byte tail (Adler-32 of all
 * before it, length again, "BlbE"). Everything is checked (magics, the
 * package index, the block count against the length, the tail, the
 * checksum) before a blob is decoded. Packages come in slot order, as
 * go-rpmdb lists them. All integers are little-endian. */
#include "scanner/rpm.h"
#include "util/error.h"

#include <stdio.h>
#include <zlib.h>

/* The most slot pages (each 256 slots) a database may have. */
#define VIGIL_RPM_NDB_MAX_SLOT_PAGES 2048

#define NDB_PAGE_SIZE 4096
#define NDB_HEADER_SIZE 32
#define NDB_SLOT_SIZE 16
#define NDB_BLOCK_SIZE 16
#define NDB_BLOB_HEAD 16
#define NDB_BLOB_TAIL 12

#define NDB_MAGIC(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define NDB_HEADER_MAGIC NDB_MAGIC('R', 'p', 'm', 'P')
#define NDB_SLOT_MAGIC NDB_MAGIC('S', 'l', 'o', 't')
#define NDB_BLOB_MAGIC NDB_MAGIC('B', 'l', 'b', 'S')
#define NDB_TAIL_MAGIC NDB_MAGIC('B', 'l', 'b', 'E')

struct ndb {
	const uint8_t *data;
	size_t len;
	uint32_t slotpages;
};

static int ndb_open(struct ndb *db, const uint8_t *data, size_t len)
{
	db->data = data;
	db->len = len;
	if (len < NDB_HEADER_SIZE)
		return vigil_error_set(VIGIL_EFORMAT, "ndb: %zu bytes, shorter than the %d-byte header",
				       len, NDB_HEADER_SIZE);
	if (vigil_rpm_le32(data) != NDB_HEADER_MAGIC)
		return vigil_error_set(VIGIL_EFORMAT, "ndb: no RpmP magic (%08x)",
				       vigil_rpm_le32(data));
	uint32_t version = vigil_rpm_le32(data + 4);
	if (version != 0)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "ndb: version %u (want 0)", version);
	db->slotpages = vigil_rpm_le32(data + 12);
	if (db->slotpages == 0)
		return vigil_error_set(VIGIL_EFORMAT, "ndb: no slot pages");
	if (db->slotpages > VIGIL_RPM_NDB_MAX_SLOT_PAGES)
		return vigil_error_set(VIGIL_ELIMIT, "ndb: %u slot pages (limit %d)", db->slotpages,
				       VIGIL_RPM_NDB_MAX_SLOT_PAGES);
	if ((size_t)db->slotpages * NDB_PAGE_SIZE > len)
		return vigil_error_set(VIGIL_EFORMAT,
				       "ndb: truncated: %u slot pages need %zu bytes, the file has %zu",
				       db->slotpages, (size_t)db->slotpages * NDB_PAGE_SIZE, len);
	return 0;
}

/* Checks the blob a slot points at and hands back its header bytes. */
static int read_blob(const struct ndb *db, uint32_t slot, uint32_t pkgidx, uint32_t blkoff,
		     uint32_t blkcnt, const uint8_t **blob, uint32_t *bloblen)
{
	uint64_t start = (uint64_t)blkoff * NDB_BLOCK_SIZE;
	uint64_t size = (uint64_t)blkcnt * NDB_BLOCK_SIZE;
	if (start < (uint64_t)db->slotpages * NDB_PAGE_SIZE)
		return vigil_error_set(VIGIL_EFORMAT, "ndb: slot %u: blob at %llu inside the slot pages",
				       slot, (unsigned long long)start);
	if (size < NDB_BLOB_HEAD + NDB_BLOB_TAIL || start + size > db->len)
		return vigil_error_set(VIGIL_EFORMAT,
				       "ndb: slot %u: blob of %llu bytes at %llu (file has %zu)", slot,
				       (unsigned long long)size, (unsigned long long)start, db->len);
	const uint8_t *p = db->data + start;
	if (vigil_rpm_le32(p) != NDB_BLOB_MAGIC)
		return vigil_error_set(VIGIL_EFORMAT, "ndb: slot %u: no BlbS magic at %llu", slot,
				       (unsigned long long)start);
	if (vigil_rpm_le32(p + 4) != pkgidx)
		return vigil_error_set(VIGIL_EFORMAT, "ndb: slot %u: blob is of package %u, not %u",
				       slot, vigil_rpm_le32(p + 4), pkgidx);
	uint32_t len = vigil_rpm_le32(p + 12);
	uint64_t want = ((uint64_t)NDB_BLOB_HEAD + len + NDB_BLOB_TAIL + NDB_BLOCK_SIZE - 1) /
			NDB_BLOCK_SIZE;
	if (want != blkcnt)
		return vigil_error_set(VIGIL_EFORMAT,
				       "ndb: slot %u: blob of %u bytes in %u blocks (want %llu)", slot,
				       len, blkcnt, (unsigned long long)want);
	if (len > VIGIL_RPM_MAX_BLOB_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "ndb: slot %u: blob of %u bytes (limit %zu)", slot,
				       len, (size_t)VIGIL_RPM_MAX_BLOB_SIZE);
	const uint8_t *tail = p + size - NDB_BLOB_TAIL;
	if (vigil_rpm_le32(tail + 8) != NDB_TAIL_MAGIC || vigil_rpm_le32(tail + 4) != len)
		return vigil_error_set(VIGIL_EFORMAT, "ndb: slot %u: bad blob tail", slot);
	uLong adler = adler32(0L, Z_NULL, 0);
	for (uint64_t off = 0, n = size - NDB_BLOB_TAIL; off < n;) {
		uInt chunk = n - off > (1u << 30) ? (1u << 30) : (uInt)(n - off);
		adler = adler32(adler, p + off, chunk);
		off += chunk;
	}
	if ((uint32_t)adler != vigil_rpm_le32(tail))
		return vigil_error_set(VIGIL_EFORMAT, "ndb: slot %u: checksum %08x, the tail says %08x",
				       slot, (uint32_t)adler, vigil_rpm_le32(tail));
	*blob = p + NDB_BLOB_HEAD;
	*bloblen = len;
	return 0;
}

int scan_rpm_ndb_read(vigil_scan_ctx *ctx, const uint8_t *data, size_t len, vigil_pkg_list *out)
{
	struct ndb db = { 0 };
	int rc = ndb_open(&db, data, len);
	if (rc < 0)
		return rc;
	uint32_t nslots = db.slotpages * (NDB_PAGE_SIZE / NDB_SLOT_SIZE);
	/* blobs do not overlap: together they fit in the file after the slots
	 * (this also bounds the work on slots that all point at one blob) */
	uint64_t room = len - (size_t)db.slotpages * NDB_PAGE_SIZE, used = 0;
	/* the header takes the room of the first two slots */
	for (uint32_t i = NDB_HEADER_SIZE / NDB_SLOT_SIZE; i < nslots; i++) {
		const uint8_t *s = data + (size_t)i * NDB_SLOT_SIZE, *blob = NULL;
		uint32_t bloblen = 0;
		char where[48];
		if (vigil_rpm_le32(s) != NDB_SLOT_MAGIC)
			return vigil_error_set(VIGIL_EFORMAT, "ndb: slot %u: no Slot magic", i);
		uint32_t pkgidx = vigil_rpm_le32(s + 4), blkoff = vigil_rpm_le32(s + 8);
		if (pkgidx == 0 || blkoff == 0)
			continue; /* a free slot */
		uint32_t blkcnt = vigil_rpm_le32(s + 12);
		used += (uint64_t)blkcnt * NDB_BLOCK_SIZE;
		if (used > room)
			return vigil_error_set(VIGIL_EFORMAT,
					       "ndb: slot %u: the blobs so far take %llu bytes, more than the %llu after the slots (overlapping blobs)",
					       i, (unsigned long long)used, (unsigned long long)room);
		if ((rc = read_blob(&db, i, pkgidx, blkoff, blkcnt, &blob, &bloblen)) < 0)
			return rc;
		snprintf(where, sizeof(where), "ndb: slot %u (package %u)", i, pkgidx);
		if ((rc = scan_rpm_add_blob(ctx, blob, bloblen, where, out)) < 0)
			return rc;
	}
	return 0;
}
