/* vigil/package.h: what an image holds: packages and its distribution.
 *
 * Strings are owned by the object that handed the struct out (an index
 * report); they are interned, NUL-terminated, and NULL when unknown. */
#ifndef VIGIL_PACKAGE_H
#define VIGIL_PACKAGE_H

#include <stdint.h>

#include "vigil/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vigil_pkg_type {
	VIGIL_PKG_UNKNOWN = 0,
	VIGIL_PKG_DPKG = 1,
	VIGIL_PKG_APK = 2,
	VIGIL_PKG_RPM = 3,
	VIGIL_PKG_PYPI = 4, /* a Python distribution (dist-info, egg-info) */
	VIGIL_PKG_NPM = 5,  /* a Node.js package (node_modules/<name>/package.json) */
} vigil_pkg_type;

/* "dpkg", "apk", "rpm", "pypi", "npm" (the OS types also name the version
 * scheme each uses; the language types name their ecosystem). */
VIGIL_EXTERN(const char *) vigil_pkg_type_name(vigil_pkg_type t);

typedef struct vigil_package {
	vigil_pkg_type type;
	const char *name;           /* binary package name */
	const char *version;        /* dpkg/apk: as recorded; rpm: "[E:]V-R" (epoch only when set) */
	const char *arch;
	const char *source_name;    /* dpkg Source, apk origin, rpm name from SOURCERPM */
	const char *source_version; /* dpkg "Source: x (v)" or the binary version; rpm "V-R" of SOURCERPM */
	/* dpkg */
	const char *multi_arch;     /* Multi-Arch field */
	const char *status;         /* Status field as written ("install ok installed"); NULL in status.d */
	/* rpm */
	const char *epoch;          /* decimal, NULL when the header has none */
	const char *upstream_version; /* VERSION tag */
	const char *release;        /* RELEASE tag */
	const char *source_rpm;     /* SOURCERPM tag */
	const char *module;         /* MODULARITYLABEL ("name:stream:version:context"), NULL when none */
	const char *vendor;         /* VENDOR tag */
	const char *sigmd5;         /* SIGMD5 as hex */
	/* apk */
	const char *commit;         /* c: (aports commit) */
	const char *license;        /* apk L:, rpm LICENSE */
	const char *maintainer;     /* dpkg Maintainer, apk m:, rpm PACKAGER */
	uint64_t installed_size;    /* bytes (dpkg Installed-Size is KiB and is scaled) */
	/* where it was found */
	const char *package_db;     /* path of the database in the image: "var/lib/dpkg/status" */
	const char *introduced_in;  /* digest of the layer that introduced it */
	/* language packages (pypi, npm) */
	const char *purl;           /* "pkg:pypi/requests@2.28.1"; NULL for OS packages */
} vigil_package;

typedef struct vigil_distribution {
	const char *did;               /* ID: "debian", "ubuntu", "alpine", "rhel" */
	const char *name;              /* NAME */
	const char *version;           /* VERSION */
	const char *version_id;        /* VERSION_ID */
	const char *version_code_name; /* VERSION_CODENAME (or UBUNTU_CODENAME) */
	const char *id_like;           /* ID_LIKE */
	const char *pretty_name;       /* PRETTY_NAME */
	const char *cpe;               /* CPE_NAME */
	const char *source_file;       /* the file it was read from: "etc/os-release" */
} vigil_distribution;

#ifdef __cplusplus
}
#endif
#endif
