/* fuzz/fuzz_trojan_lines.c: runs the trojan scanner's parsers and
 * matchers (audit/trojan.h) on arbitrary bytes. The first byte picks the
 * parser: 0 passwd lines, 1 system crontab lines, 2 user crontab lines,
 * 3 ld.so.preload, 4 an LD_PRELOAD value, 5 reverse-shell and
 * download-and-run lines, 6 a startup script, 7 shared-object hints,
 * 8 a dpkg file list, 9 apk's installed database; the rest is the file. */
#include "audit/trojan.h"

#include <stdint.h>
#include <string.h>

static void each_line(vigil_slice text, int mode)
{
	vigil_slice line;
	volatile size_t n = 0;
	while (vigil_slice_next_line(&text, &line)) {
		trojan_passwd p;
		trojan_cron c;
		if (mode == 0 && trojan_passwd_line(line, &p) == 1)
			n += p.name.len + p.home.len + p.shell.len + (size_t)p.uid;
		if ((mode == 1 || mode == 2) && trojan_cron_line(line, mode == 1, &c) == 1)
			n += c.schedule.len + c.user.len + c.command.len;
		if (mode == 5) {
			const char *a = trojan_revshell_match(line), *b = trojan_fetch_exec_match(line);
			n += (a ? strlen(a) : 0) + (b ? strlen(b) : 0);
		}
	}
	(void)n;
}

static int count_path(void *ud, vigil_slice path, vigil_slice pkg)
{
	*(size_t *)ud += path.len + pkg.len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	vigil_slice text = vigil_slice_make(data + 1, size - 1);
	int mode = data[0] % 10;
	volatile size_t n = 0;
	if (mode == 3 || mode == 4) {
		vigil_slice libs[TROJAN_MAX_PRELOAD];
		size_t k = trojan_preload_parse(text, mode == 4, libs, TROJAN_MAX_PRELOAD);
		for (size_t i = 0; i < k && i < TROJAN_MAX_PRELOAD; i++)
			n += libs[i].len + trojan_lib_dir(libs[i]);
	} else if (mode == 6) {
		trojan_script s;
		trojan_script_scan(text, &s);
		n += s.commands + s.bad_text.len + (s.bad ? strlen(s.bad) : 0);
	} else if (mode == 8 || mode == 9) {
		size_t k = 0;
		if (mode == 8)
			trojan_dpkg_list(text, VIGIL_SLICE_LIT("pkg"), count_path, &k);
		else
			trojan_apk_installed(text, count_path, &k);
		n += k;
	} else if (mode == 7) {
		char buf[256];
		trojan_elf_describe(trojan_elf_hints(data + 1, size - 1), buf, sizeof(buf));
		n += strlen(buf);
	} else {
		each_line(text, mode);
	}
	(void)n;
	return 0;
}
