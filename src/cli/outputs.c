/* cli/outputs.c: --format and --output (cli/outputs.h). */
#include "cli.h"
#include "outputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int add(const char *cmd, cli_outputs *o, const char *name, size_t nlen, const char *path,
	       int inventory_only)
{
	char buf[32];
	vigil_report_format f;
	if (o->n == CLI_MAX_OUTPUTS)
		return cli_usage("%s: --format: more than %d outputs", cmd, CLI_MAX_OUTPUTS);
	if (nlen == 0 || nlen >= sizeof(buf))
		return cli_usage("%s: --format: an empty or unknown format name", cmd);
	memcpy(buf, name, nlen);
	buf[nlen] = '\0';
	if (vigil_report_format_parse(buf, &f) < 0)
		return cli_usage("%s: --format: %s", cmd, vigil_error_message());
	if (inventory_only && !vigil_report_format_inventory(f))
		return cli_usage("%s: --format %s needs vulnerability data: use 'vigil scan' (an SBOM is "
				 "cyclonedx or spdx)", cmd, buf);
	if (path && !*path)
		return cli_usage("%s: --format %s=: an empty file name", cmd, buf);
	o->v[o->n].fmt = f;
	o->v[o->n].path = path;
	o->n++;
	return CLI_OK;
}

int cli_outputs_parse(const char *cmd, const char *spec, const char *output, int inventory_only,
		      cli_outputs *o)
{
	static char copy[4096];
	size_t nstdout = 0;
	char *p, *item;
	int rc;

	o->n = 0;
	if (strlen(spec) >= sizeof(copy))
		return cli_usage("%s: --format is too long", cmd);
	memcpy(copy, spec, strlen(spec) + 1);
	for (p = copy; p; p = item) {
		item = strchr(p, ',');
		if (item)
			*item++ = '\0';
		char *eq = strchr(p, '=');
		if ((rc = add(cmd, o, p, eq ? (size_t)(eq - p) : strlen(p), eq ? eq + 1 : NULL, inventory_only)) != CLI_OK)
			return rc;
	}
	for (size_t i = 0; i < o->n; i++)
		nstdout += o->v[i].path == NULL;
	if (nstdout > 1)
		return cli_usage("%s: %zu formats name no file: give each but one a file (FORMAT=FILE)", cmd,
				 nstdout);
	for (size_t i = 0; i < o->n && output; i++)
		if (!o->v[i].path)
			o->v[i].path = output;
	for (size_t i = 0; i < o->n; i++)
		for (size_t k = i + 1; k < o->n; k++)
			if (o->v[i].path && o->v[k].path && !strcmp(o->v[i].path, o->v[k].path))
				return cli_usage("%s: two formats write to %s", cmd, o->v[i].path);
	return CLI_OK;
}

int cli_outputs_has(const cli_outputs *o, vigil_report_format f)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].fmt == f)
			return 1;
	return 0;
}

/* Writes data to a path that is not a regular file (/dev/null, /dev/stdout,
 * a pipe): in place, as a rename would replace the device itself. */
static int write_special(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "vigil: error: %s: cannot open it: %m\n", path);
		return CLI_ERROR;
	}
	bool ok = fwrite(data, 1, len, f) == len;
	if (!(fclose(f) == 0 && ok)) {
		fprintf(stderr, "vigil: error: %s: cannot write it: %m\n", path);
		return CLI_ERROR;
	}
	return CLI_OK;
}

/* Writes data to path through path.tmp.PID and a rename. */
static int write_file(const char *path, const char *data, size_t len)
{
	char tmp[4200];
	FILE *f;
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_special(path, data, len);
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		fprintf(stderr, "vigil: error: %s: the file name is too long\n", path);
		return CLI_ERROR;
	}
	if (!(f = fopen(tmp, "wb"))) {
		fprintf(stderr, "vigil: error: %s: cannot create it: %m\n", path);
		return CLI_ERROR;
	}
	bool ok = fwrite(data, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		fprintf(stderr, "vigil: error: %s: cannot write it: %m\n", path);
		unlink(tmp);
		return CLI_ERROR;
	}
	return CLI_OK;
}

static int render_report(void *ud, vigil_report_format f, const vigil_report_options *ro, char **out,
			 size_t *len)
{
	return vigil_report_render(ud, f, ro, out, len);
}

int cli_outputs_write(const cli_outputs *o, const vigil_report_input *in, const vigil_report_options *ro)
{
	return cli_outputs_write_with(o, render_report, (void *)in, ro);
}

int cli_outputs_write_with(const cli_outputs *o, cli_render_fn render, void *ud, const vigil_report_options *ro)
{
	char *data[CLI_MAX_OUTPUTS] = { 0 };
	size_t len[CLI_MAX_OUTPUTS] = { 0 };
	int rc = CLI_ERROR;
	size_t i;

	for (i = 0; i < o->n; i++) {
		vigil_report_options opt = *ro;
		if (o->v[i].path)
			opt.color = 0;
		if (render(ud, o->v[i].fmt, &opt, &data[i], &len[i]) < 0) {
			fprintf(stderr, "vigil: error: %s: %s\n", vigil_report_format_name(o->v[i].fmt),
				vigil_error_message());
			goto out;
		}
	}
	for (i = 0; i < o->n; i++) {
		if (o->v[i].path) {
			if (write_file(o->v[i].path, data[i], len[i]) != CLI_OK)
				goto out;
			continue;
		}
		if (fwrite(data[i], 1, len[i], stdout) != len[i] ||
		    (len[i] && data[i][len[i] - 1] != '\n' && fputc('\n', stdout) == EOF) || fflush(stdout) != 0) {
			fprintf(stderr, "vigil: error: cannot write the output\n");
			goto out;
		}
	}
	rc = CLI_OK;
out:
	for (i = 0; i < o->n; i++)
		free(data[i]);
	return rc;
}
