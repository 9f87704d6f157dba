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
	VIGIL_PKG_NPM = 5,  /* a Node.js package (node_modules/<name>/package.json, lock files) */
	VIGIL_PKG_MAVEN = 6,    /* a Java archive: name "groupId:artifactId" */
	VIGIL_PKG_GO = 7,       /* a Go module (binary build info, go.mod); "stdlib" is the toolchain */
	VIGIL_PKG_CARGO = 8,    /* a Rust crate (cargo-auditable binary, Cargo.lock) */
	VIGIL_PKG_GEM = 9,      /* a Ruby gem (specifications/NAME.gemspec, Gemfile.lock) */
	VIGIL_PKG_COMPOSER = 10, /* a PHP package "vendor/name" (installed.json, composer.lock) */
	VIGIL_PKG_NUGET = 11,   /* a .NET package (*.deps.json, packages.lock.json, assemblies) */
} vigil_pkg_type;

/* Flags of a package (vigil_package.flags). */
#define VIGIL_PKG_F_DEV 0x1u      /* a development-only dependency (lock files that say so) */
#define VIGIL_PKG_F_OS_OWNED 0x2u /* its file belongs to an OS package (owner says which) */

/* The OS types: "dpkg", "apk", "rpm" (they also name the version scheme
 * each uses); the language types: their purl type, "pypi", "npm",
 * "maven", "golang", "cargo", "gem", "composer", "nuget". */
VIGIL_EXTERN(const char *) vigil_pkg_type_name(vigil_pkg_type t);
/* 1 for the language types (PYPI and after), 0 for the OS ones. */
VIGIL_EXTERN(int) vigil_pkg_type_is_lang(vigil_pkg_type t);

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
	/* language packages */
	const char *purl;           /* "pkg:pypi/requests@2.28.1"; NULL for OS packages */
	uint32_t flags;             /* VIGIL_PKG_F_* */
	const char *owner;          /* OS package owning package_db ("dpkg:python3-django"), NULL when none */
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
