/* scanner/lang/pe_meta.c: the assembly names and versions in the .NET
 * metadata of an assembly (ECMA-335 partition II, 24.2 and 22), as
 * osv-scalibr's dotnetpe extractor reports them (through saferwall/pe):
 * every row of the Assembly table (0x20: the assembly itself) and of the
 * AssemblyRef table (0x23: the assemblies it references), named
 * "<Name>.dll" with the 4-part assembly version "Major.Minor.Build.Rev".
 * These are assembly versions, not NuGet package versions (Newtonsoft.Json
 * 13.0.3 is assembly 13.0.0.0); docs/lang.md says what that means for
 * matching.
 *
 * The metadata block is in memory (pe.c reads it, at most
 * VIGIL_LANG_PE_MAX_METADATA bytes). Its root ("BSJB") lists streams; "#~"
 * (or the uncompressed "#-") holds the tables, "#Strings" the names. To
 * reach table 0x20 the rows of tables 0x00..0x1F are skipped, whose sizes
 * depend on the heap index sizes and on the row counts of every table
 * (simple and coded indexes are 2 bytes, or 4 when a table is too large),
 * as the columns below say. Every offset is checked against the block: a
 * table or a name outside it is VIGIL_EFORMAT naming what. */
#include "scanner/lang/rpn.h"
#include "util/error.h"

#include <string.h>

#define MD_NTABLES 64
#define MD_ASSEMBLY 0x20
#define MD_ASSEMBLYREF 0x23

/* Column kinds: a table index (0x00..0x3F), a coded index (CI_ + n), or
 * a fixed or heap-index column. */
enum {
	CI_TYPEDEFORREF = 0x40, CI_HASCONSTANT, CI_HASCUSTOMATTR, CI_HASFIELDMARSHAL,
	CI_HASDECLSECURITY, CI_MEMBERREFPARENT, CI_HASSEMANTICS, CI_METHODDEFORREF,
	CI_MEMBERFORWARDED, CI_IMPLEMENTATION, CI_CUSTOMATTRTYPE, CI_RESOLUTIONSCOPE,
	CI_TYPEORMETHODDEF,
	C_2 = 0x80, C_4, C_S, C_G, C_B, C_END = 0xFF,
};

/* The tables a coded index may point to (0xFF: an unused tag), and its tag bits. */
static const struct {
	uint8_t bits;
	uint8_t tables[24];
} md_coded[] = {
	[CI_TYPEDEFORREF - 0x40] = { 2, { 0x02, 0x01, 0x1B, C_END } },
	[CI_HASCONSTANT - 0x40] = { 2, { 0x04, 0x08, 0x17, C_END } },
	[CI_HASCUSTOMATTR - 0x40] = { 5, { 0x06, 0x04, 0x01, 0x02, 0x08, 0x09, 0x0A, 0x00, 0x0E,
					    0x17, 0x14, 0x11, 0x1A, 0x1B, 0x20, 0x23, 0x26, 0x27,
					    0x28, 0x2A, 0x2C, 0x2B, C_END } },
	[CI_HASFIELDMARSHAL - 0x40] = { 1, { 0x04, 0x08, C_END } },
	[CI_HASDECLSECURITY - 0x40] = { 2, { 0x02, 0x06, 0x20, C_END } },
	[CI_MEMBERREFPARENT - 0x40] = { 3, { 0x02, 0x01, 0x1A, 0x06, 0x1B, C_END } },
	[CI_HASSEMANTICS - 0x40] = { 1, { 0x14, 0x17, C_END } },
	[CI_METHODDEFORREF - 0x40] = { 1, { 0x06, 0x0A, C_END } },
	[CI_MEMBERFORWARDED - 0x40] = { 1, { 0x04, 0x06, C_END } },
	[CI_IMPLEMENTATION - 0x40] = { 2, { 0x26, 0x23, 0x27, C_END } },
	[CI_CUSTOMATTRTYPE - 0x40] = { 3, { 0x06, 0x0A, C_END } },
	[CI_RESOLUTIONSCOPE - 0x40] = { 2, { 0x00, 0x1A, 0x23, 0x01, C_END } },
	[CI_TYPEORMETHODDEF - 0x40] = { 1, { 0x02, 0x06, C_END } },
};

/* The columns of tables 0x00..0x23 (ECMA-335 II.22). */
static const uint8_t md_cols[MD_ASSEMBLYREF + 1][10] = {
	[0x00] = { C_2, C_S, C_G, C_G, C_G, C_END },                      /* Module */
	[0x01] = { CI_RESOLUTIONSCOPE, C_S, C_S, C_END },                 /* TypeRef */
	[0x02] = { C_4, C_S, C_S, CI_TYPEDEFORREF, 0x04, 0x06, C_END },  /* TypeDef */
	[0x03] = { 0x04, C_END },                                         /* FieldPtr */
	[0x04] = { C_2, C_S, C_B, C_END },                                /* Field */
	[0x05] = { 0x06, C_END },                                         /* MethodPtr */
	[0x06] = { C_4, C_2, C_2, C_S, C_B, 0x08, C_END },                /* MethodDef */
	[0x07] = { 0x08, C_END },                                         /* ParamPtr */
	[0x08] = { C_2, C_2, C_S, C_END },                                /* Param */
	[0x09] = { 0x02, CI_TYPEDEFORREF, C_END },                        /* InterfaceImpl */
	[0x0A] = { CI_MEMBERREFPARENT, C_S, C_B, C_END },                 /* MemberRef */
	[0x0B] = { C_2, CI_HASCONSTANT, C_B, C_END },                     /* Constant */
	[0x0C] = { CI_HASCUSTOMATTR, CI_CUSTOMATTRTYPE, C_B, C_END },     /* CustomAttribute */
	[0x0D] = { CI_HASFIELDMARSHAL, C_B, C_END },                      /* FieldMarshal */
	[0x0E] = { C_2, CI_HASDECLSECURITY, C_B, C_END },                 /* DeclSecurity */
	[0x0F] = { C_2, C_4, 0x02, C_END },                               /* ClassLayout */
	[0x10] = { C_4, 0x04, C_END },                                    /* FieldLayout */
	[0x11] = { C_B, C_END },                                          /* StandAloneSig */
	[0x12] = { 0x02, 0x14, C_END },                                   /* EventMap */
	[0x13] = { 0x14, C_END },                                         /* EventPtr */
	[0x14] = { C_2, C_S, CI_TYPEDEFORREF, C_END },                    /* Event */
	[0x15] = { 0x02, 0x17, C_END },                                   /* PropertyMap */
	[0x16] = { 0x17, C_END },                                         /* PropertyPtr */
	[0x17] = { C_2, C_S, C_B, C_END },                                /* Property */
	[0x18] = { C_2, 0x06, CI_HASSEMANTICS, C_END },                   /* MethodSemantics */
	[0x19] = { 0x02, CI_METHODDEFORREF, CI_METHODDEFORREF, C_END },   /* MethodImpl */
	[0x1A] = { C_S, C_END },                                          /* ModuleRef */
	[0x1B] = { C_B, C_END },                                          /* TypeSpec */
	[0x1C] = { C_2, CI_MEMBERFORWARDED, C_S, 0x1A, C_END },           /* ImplMap */
	[0x1D] = { C_4, 0x04, C_END },                                    /* FieldRVA */
	[0x1E] = { C_4, C_4, C_END },                                     /* EncLog */
	[0x1F] = { C_4, C_END },                                          /* EncMap */
	[0x20] = { C_4, C_2, C_2, C_2, C_2, C_4, C_B, C_S, C_S, C_END },  /* Assembly */
	[0x21] = { C_4, C_END },                                          /* AssemblyProcessor */
	[0x22] = { C_4, C_4, C_4, C_END },                                /* AssemblyOS */
	[0x23] = { C_2, C_2, C_2, C_2, C_4, C_B, C_S, C_S, C_B, C_END },  /* AssemblyRef */
};

struct md {
	const uint8_t *p;
	size_t len;
	const uint8_t *strings; /* #Strings */
	size_t strings_len;
	uint32_t rows[MD_NTABLES];
	uint8_t heap_sizes;
};

static uint32_t md_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t md_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static size_t md_col_size(const struct md *m, uint8_t c)
{
	uint32_t max = 0;
	switch (c) {
	case C_2: return 2;
	case C_4: return 4;
	case C_S: return m->heap_sizes & 0x01 ? 4 : 2;
	case C_G: return m->heap_sizes & 0x02 ? 4 : 2;
	case C_B: return m->heap_sizes & 0x04 ? 4 : 2;
	default: break;
	}
	if (c < 0x40)
		return m->rows[c] < 0x10000 ? 2 : 4;
	for (const uint8_t *t = md_coded[c - 0x40].tables; *t != C_END; t++)
		if (m->rows[*t] > max)
			max = m->rows[*t];
	return max < (1u << (16 - md_coded[c - 0x40].bits)) ? 2 : 4;
}

static size_t md_row_size(const struct md *m, unsigned t)
{
	size_t n = 0;
	for (const uint8_t *c = md_cols[t]; *c != C_END; c++)
		n += md_col_size(m, *c);
	return n;
}

/* The NUL-terminated name at index i of #Strings. */
static int md_string(const struct md *m, uint32_t i, vigil_slice *out)
{
	const uint8_t *end;
	if (i >= m->strings_len)
		return vigil_error_set(VIGIL_EFORMAT, "metadata: string %u outside #Strings", i);
	end = memchr(m->strings + i, 0, m->strings_len - i);
	if (!end)
		return vigil_error_set(VIGIL_EFORMAT, "metadata: string %u not terminated", i);
	*out = vigil_slice_make(m->strings + i, (size_t)(end - (m->strings + i)));
	return 0;
}

/* One Assembly or AssemblyRef row: the version at ver, the name column at name. */
static int md_add(vigil_scan_ctx *ctx, const struct md *m, const uint8_t *ver, const uint8_t *name,
		  const char *table, vigil_pkg_list *out)
{
	char n[VIGIL_LANG_MAX_NAME + 8], v[32];
	vigil_slice s = { "", 0 };
	uint32_t idx = (m->heap_sizes & 0x01) ? md_u32(name) : md_u16(name);
	int rc = md_string(m, idx, &s);
	if (rc < 0)
		return rc;
	if (s.len == 0 || s.len > VIGIL_LANG_MAX_NAME) {
		scan_warn(ctx, "metadata: %s row without a usable name: skipped", table);
		return 0;
	}
	snprintf(n, sizeof(n), "%.*s.dll", (int)s.len, s.ptr);
	snprintf(v, sizeof(v), "%u.%u.%u.%u", md_u16(ver), md_u16(ver + 2), md_u16(ver + 4),
		 md_u16(ver + 6));
	return scan_rpn_add(ctx, VIGIL_PKG_NUGET, vigil_slice_cstr(n), vigil_slice_cstr(v), 0, table,
			    out);
}

/* The streams "#~"/"#-" (tables) and "#Strings" of the metadata root. */
static int md_streams(struct md *m, const uint8_t **tables, size_t *tables_len)
{
	size_t off, vlen;
	unsigned nstreams;
	*tables = NULL;
	if (m->len < 16 || md_u32(m->p) != 0x424A5342)
		return vigil_error_set(VIGIL_EFORMAT, "metadata: no BSJB signature");
	vlen = md_u32(m->p + 12);
	if (vlen > 256 || 16 + vlen + 4 > m->len)
		return vigil_error_set(VIGIL_EFORMAT, "metadata: version string of %zu bytes", vlen);
	off = 16 + ((vlen + 3) & ~(size_t)3);
	if (off + 4 > m->len)
		return vigil_error_set(VIGIL_EFORMAT, "metadata: no stream count");
	nstreams = md_u16(m->p + off + 2);
	off += 4;
	for (unsigned i = 0; i < nstreams; i++) {
		uint32_t so, ss;
		const uint8_t *nul;
		if (off + 9 > m->len)
			return vigil_error_set(VIGIL_EFORMAT, "metadata: stream header %u outside", i);
		so = md_u32(m->p + off);
		ss = md_u32(m->p + off + 4);
		nul = memchr(m->p + off + 8, 0, m->len - off - 8 < 32 ? m->len - off - 8 : 32);
		if (!nul)
			return vigil_error_set(VIGIL_EFORMAT, "metadata: stream name %u", i);
		if (so > m->len || ss > m->len - so)
			return vigil_error_set(VIGIL_EFORMAT, "metadata: stream %s outside",
					       (const char *)(m->p + off + 8));
		if (strcmp((const char *)(m->p + off + 8), "#~") == 0 ||
		    strcmp((const char *)(m->p + off + 8), "#-") == 0) {
			*tables = m->p + so;
			*tables_len = ss;
		} else if (strcmp((const char *)(m->p + off + 8), "#Strings") == 0) {
			m->strings = m->p + so;
			m->strings_len = ss;
		}
		off = (size_t)(nul - m->p) + 1;
		off = (off + 3) & ~(size_t)3;
	}
	if (!*tables || !m->strings)
		return vigil_error_set(VIGIL_EFORMAT, "metadata: no %s stream",
				       *tables ? "#Strings" : "#~");
	return 0;
}

int scan_pe_metadata(vigil_scan_ctx *ctx, const uint8_t *p, size_t len, vigil_pkg_list *out)
{
	struct md m = { .p = p, .len = len };
	const uint8_t *t;
	size_t tlen = 0, off;
	uint64_t valid;
	int rc = md_streams(&m, &t, &tlen);
	if (rc < 0)
		return rc;
	if (tlen < 24)
		return vigil_error_set(VIGIL_EFORMAT, "metadata: #~ of %zu bytes", tlen);
	m.heap_sizes = t[6];
	valid = (uint64_t)md_u32(t + 8) | (uint64_t)md_u32(t + 12) << 32;
	off = 24;
	for (unsigned i = 0; i < MD_NTABLES; i++) {
		if (!(valid >> i & 1))
			continue;
		if (off + 4 > tlen)
			return vigil_error_set(VIGIL_EFORMAT, "metadata: row counts outside #~");
		m.rows[i] = md_u32(t + off);
		off += 4;
	}
	if (m.heap_sizes & 0x40)
		off += 4; /* extra data (dnlib, saferwall) */
	for (unsigned i = 0; i <= MD_ASSEMBLYREF; i++) {
		size_t rs = md_row_size(&m, i);
		if (m.rows[i] > (tlen - (off < tlen ? off : tlen)) / rs)
			return vigil_error_set(VIGIL_EFORMAT, "metadata: table 0x%02x outside #~", i);
		for (uint32_t r = 0; r < m.rows[i] && (i == MD_ASSEMBLY || i == MD_ASSEMBLYREF); r++) {
			const uint8_t *row = t + off + (size_t)r * rs;
			/* Assembly: HashAlgId(4) then the version; Name after
			 * Flags(4) and PublicKey. AssemblyRef: the version first. */
			const uint8_t *ver = i == MD_ASSEMBLY ? row + 4 : row;
			const uint8_t *name = ver + 12 + md_col_size(&m, C_B);
			rc = md_add(ctx, &m, ver, name, i == MD_ASSEMBLY ? "Assembly" : "AssemblyRef",
				    out);
			if (rc < 0)
				return rc;
		}
		off += (size_t)m.rows[i] * rs;
	}
	return 0;
}
