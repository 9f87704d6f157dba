/* db/releases.c: the release dates of the distributions vigil has a
 * namespace for, and the end of their (long-term) support, so that the age
 * of a namespace's data is judged against the distribution it is for
 * (db/check.c): data that ends before the release cannot speak for it, and
 * an unsupported release gets no new records after its end of support.
 *
 * Sources: Debian's release notes and wiki (LTS end for the end of
 * support), Ubuntu's release cycle page (end of standard support; ESM is
 * not counted: the public feeds stop covering most packages then),
 * alpinelinux.org/releases, Red Hat's life cycle page (end of maintenance
 * support). A release not in the table is judged by the clock only
 * (docs/db-update.md). Add a row when a release ships; an end of support
 * not yet known is "". */
#include "vigil/db_health.h"

#include <string.h>

static const vigil_release releases[] = {
	{ "debian:6", "Debian 6 (squeeze)", "2011-02-06", "2016-02-29" },
	{ "debian:7", "Debian 7 (wheezy)", "2013-05-04", "2018-05-31" },
	{ "debian:8", "Debian 8 (jessie)", "2015-04-25", "2020-06-30" },
	{ "debian:9", "Debian 9 (stretch)", "2017-06-17", "2022-06-30" },
	{ "debian:10", "Debian 10 (buster)", "2019-07-06", "2024-06-30" },
	{ "debian:11", "Debian 11 (bullseye)", "2021-08-14", "2026-08-31" },
	{ "debian:12", "Debian 12 (bookworm)", "2023-06-10", "2028-06-30" },
	{ "debian:13", "Debian 13 (trixie)", "2025-08-09", "2030-06-30" },
	{ "ubuntu:14.04", "Ubuntu 14.04 LTS", "2014-04-17", "2019-04-30" },
	{ "ubuntu:16.04", "Ubuntu 16.04 LTS", "2016-04-21", "2021-04-30" },
	{ "ubuntu:17.10", "Ubuntu 17.10", "2017-10-19", "2018-07-19" },
	{ "ubuntu:18.04", "Ubuntu 18.04 LTS", "2018-04-26", "2023-05-31" },
	{ "ubuntu:18.10", "Ubuntu 18.10", "2018-10-18", "2019-07-18" },
	{ "ubuntu:19.04", "Ubuntu 19.04", "2019-04-18", "2020-01-23" },
	{ "ubuntu:19.10", "Ubuntu 19.10", "2019-10-17", "2020-07-17" },
	{ "ubuntu:20.04", "Ubuntu 20.04 LTS", "2020-04-23", "2025-05-31" },
	{ "ubuntu:20.10", "Ubuntu 20.10", "2020-10-22", "2021-07-22" },
	{ "ubuntu:21.04", "Ubuntu 21.04", "2021-04-22", "2022-01-20" },
	{ "ubuntu:21.10", "Ubuntu 21.10", "2021-10-14", "2022-07-14" },
	{ "ubuntu:22.04", "Ubuntu 22.04 LTS", "2022-04-21", "2027-04-30" },
	{ "ubuntu:22.10", "Ubuntu 22.10", "2022-10-20", "2023-07-20" },
	{ "ubuntu:23.04", "Ubuntu 23.04", "2023-04-20", "2024-01-25" },
	{ "ubuntu:23.10", "Ubuntu 23.10", "2023-10-12", "2024-07-11" },
	{ "ubuntu:24.04", "Ubuntu 24.04 LTS", "2024-04-25", "2029-04-30" },
	{ "ubuntu:24.10", "Ubuntu 24.10", "2024-10-10", "2025-07-10" },
	{ "ubuntu:25.04", "Ubuntu 25.04", "2025-04-17", "2026-01-15" },
	{ "ubuntu:25.10", "Ubuntu 25.10", "2025-10-09", "2026-07-09" },
	{ "alpine:3.8", "Alpine 3.8", "2018-06-26", "2020-05-01" },
	{ "alpine:3.9", "Alpine 3.9", "2019-01-29", "2020-11-01" },
	{ "alpine:3.10", "Alpine 3.10", "2019-06-19", "2021-05-01" },
	{ "alpine:3.11", "Alpine 3.11", "2019-12-19", "2021-11-01" },
	{ "alpine:3.12", "Alpine 3.12", "2020-05-29", "2022-05-01" },
	{ "alpine:3.13", "Alpine 3.13", "2021-01-14", "2022-11-01" },
	{ "alpine:3.14", "Alpine 3.14", "2021-06-15", "2023-05-01" },
	{ "alpine:3.15", "Alpine 3.15", "2021-11-24", "2023-11-01" },
	{ "alpine:3.16", "Alpine 3.16", "2022-05-23", "2024-05-23" },
	{ "alpine:3.17", "Alpine 3.17", "2022-11-22", "2024-11-22" },
	{ "alpine:3.18", "Alpine 3.18", "2023-05-09", "2025-05-09" },
	{ "alpine:3.19", "Alpine 3.19", "2023-12-07", "2025-11-01" },
	{ "alpine:3.20", "Alpine 3.20", "2024-05-22", "2026-04-01" },
	{ "alpine:3.21", "Alpine 3.21", "2024-12-05", "2026-11-01" },
	{ "alpine:3.22", "Alpine 3.22", "2025-05-30", "2027-05-01" },
	{ "rhel:6", "Red Hat Enterprise Linux 6", "2010-11-10", "2020-11-30" },
	{ "rhel:7", "Red Hat Enterprise Linux 7", "2014-06-10", "2024-06-30" },
	{ "rhel:8", "Red Hat Enterprise Linux 8", "2019-05-07", "2029-05-31" },
	{ "rhel:9", "Red Hat Enterprise Linux 9", "2022-05-17", "2032-05-31" },
	{ "rhel:10", "Red Hat Enterprise Linux 10", "2025-05-20", "2035-05-31" },
};

const vigil_release *vigil_release_of(const char *ns)
{
	for (size_t i = 0; ns && i < sizeof(releases) / sizeof(releases[0]); i++)
		if (!strcmp(releases[i].ns, ns))
			return &releases[i];
	return NULL;
}

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days from the civil date (Howard Hinnant's days_from_civil). */
int64_t vigil_date_days(const char *s)
{
	int y, m, d;
	if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) < 0 ||
	    digits(s + 5, 2, &m) < 0 || digits(s + 8, 2, &d) < 0 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
