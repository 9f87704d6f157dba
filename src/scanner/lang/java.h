/* scanner/lang/java.h: Java archives (.jar .war .ear .par .jpi .hpi) and
 * zipped Python distributions (.egg, .whl), read as streams (issue 13).
 *
 * Both are zip files read once, front to back, never unpacked to disk
 * (lang/java_zip.c). An archive of at most VIGIL_JAVA_MAX_BUFFERED bytes is
 * read into memory and opened through its central directory, so that only
 * the members needed are inflated; a bigger one is read with libarchive's
 * streaming zip reader, which follows the local headers in order. An
 * archive inside an archive (a war's WEB-INF/lib/x.jar) is likewise held in
 * memory when small, else opened as a second streaming reader whose input
 * is the outer reader's entry data.
 *
 * Packages (VIGIL_PKG_MAVEN, name "groupId:artifactId", purl
 * pkg:maven/<groupId>/<artifactId>@<version>) come from every
 * pom.properties, then MANIFEST.MF, as trivy's jar parser chooses between
 * them (lang/java.c). package_db is the path of the outermost archive in
 * the image, then "!/" and the entry's path for each archive inside it
 * ("app/x.war!/WEB-INF/lib/y.jar"), the separator of java.net.JarURLConnection.
 *
 * What cannot be read (a corrupt zip, an entry the streaming reader cannot
 * follow, a limit reached) is a warning naming the archive and the entry;
 * the packages found before it are kept. See docs/lang.md "Java". */
#ifndef VIGIL_SCANNER_LANG_JAVA_H
#define VIGIL_SCANNER_LANG_JAVA_H

#include "scanner/scanner.h"
#include "util/slice.h"
#include "util/stream.h"

#include <stdint.h>

/* The largest archive file looked at (bigger: a warning, not read). */
#define VIGIL_MAX_JAVA_FILE ((size_t)16 << 30)
/* Archives inside archives: "a.war!/b.jar" is one level down. */
#define VIGIL_JAVA_MAX_DEPTH 5
/* Entries of an archive and of all the archives inside it together. */
#define VIGIL_JAVA_MAX_ENTRIES 500000
/* The largest pom.properties / MANIFEST.MF read (bytes, inflated). */
#define VIGIL_JAVA_MAX_MEMBER ((size_t)64 * 1024)
/* Bytes inflated out of one archive for one nested archive. */
#define VIGIL_JAVA_MAX_NESTED ((uint64_t)512 << 20)
/* Bytes inflated for nested archives and members of one outermost archive:
 * at most RATIO times its size, but always FLOOR, and never more than MAX. */
#define VIGIL_JAVA_MAX_INFLATED ((uint64_t)4 << 30)
#define VIGIL_JAVA_MAX_RATIO 20
#define VIGIL_JAVA_RATIO_FLOOR ((uint64_t)64 << 20)
/* An archive of at most this many bytes is held in memory whole and read
 * through its central directory (only the members needed are inflated);
 * a bigger one is streamed. At most BUFFERED_TOTAL bytes held at once
 * across the levels of one outermost archive. */
#define VIGIL_JAVA_MAX_BUFFERED ((size_t)8 << 20)
#define VIGIL_JAVA_MAX_BUFFERED_TOTAL ((size_t)24 << 20)
/* The longest package_db built ("a.war!/b.jar!/c.jar"). */
#define VIGIL_JAVA_MAX_PATH 4096

/* The limits of one parse (tests and the fuzz target use smaller ones). */
typedef struct scan_java_limits {
	unsigned max_depth;
	size_t max_entries;
	size_t max_member;
	uint64_t max_nested;
	uint64_t max_inflated;
	uint64_t ratio;
	uint64_t ratio_floor;
	size_t max_buffered;       /* 0: always streamed */
	size_t max_buffered_total;
} scan_java_limits;

extern const scan_java_limits scan_java_default_limits;

/* ---- lang/java.c ---- */
/* True for a file named *.jar, *.war, *.ear, *.par, *.jpi or *.hpi. */
bool scan_lang_java_path(vigil_slice path);
/* True for an entry name that is itself opened as an archive (same list). */
bool scan_lang_java_is_archive(vigil_slice name);
/* Reads one archive from in (size bytes), appending its packages and those
 * of the archives inside it. */
int scan_lang_java_parse_stream(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
				vigil_pkg_list *out);
int scan_lang_java_parse_limits(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
				const scan_java_limits *lim, vigil_pkg_list *out);

/* ---- lang/egg.c ---- */
/* True for a file named *.egg or *.whl. */
bool scan_lang_egg_path(vigil_slice path);
/* Reads EGG-INFO/PKG-INFO (an .egg) or <x>.dist-info/METADATA (a .whl)
 * inside the zip with scan_lang_python_parse(); package_db = ctx->path. */
int scan_lang_egg_parse_stream(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
			       vigil_pkg_list *out);

#endif
