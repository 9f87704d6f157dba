/* feed/mariner.h: what the Azure Linux / CBL-Mariner OVAL parser
 * (feed/mariner_oval.c) shares with feed/mariner_meta.c: the family and
 * release of a file, the severity words. Private to src/feed/. */
#ifndef VIGIL_FEED_MARINER_H
#define VIGIL_FEED_MARINER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/slice.h"
#include "vigil/vuln.h"

/* The release in a file name: digits and dots ("2.0"). */
#define VIGIL_MARINER_MAX_RELEASE 8
/* Bytes before <definitions> searched for the <generator>'s product name. */
#define VIGIL_MARINER_GENERATOR_SCAN 65536

enum mar_family { MAR_UNKNOWN, MAR_MARINER, MAR_AZURELINUX };

/* "mariner", "azurelinux" (namespaces, record source); "CBL-Mariner",
 * "Azure Linux" (messages); by enum mar_family. */
extern const char *const mar_family_name[];
extern const char *const mar_family_word[];

/* "cbl-mariner-2.0-oval.xml", "cbl-mariner-2.0-preview-oval.xml",
 * "azurelinux-3.0-oval.xml" (any folder or URL in front) -> the family and
 * "2.0" (a slice of file); false when the name is not of that shape. */
bool mar_name_release(const char *file, enum mar_family *fam, vigil_slice *rel);
/* The family the <generator>'s product_name names, MAR_UNKNOWN when none. */
enum mar_family mar_generator_family(const char *data, size_t len);
/* <severity> words -> the six levels (docs/feeds-mariner.md). */
vigil_severity mar_severity(vigil_slice word);

#endif
