/* cli/registry_opts.c: the registry options shared by the commands that
 * read images (see registry_opts.h). */
#include "cli.h"
#include "registry_opts.h"

#include <stdlib.h>
#include <string.h>

bool cli_registry_opt(cli_registry *r, int c, const char *arg)
{
	switch (c) {
	case CLI_OPT_REG_USERNAME: r->username = arg; return true;
	case CLI_OPT_REG_PASSWORD: r->password = arg; return true;
	case CLI_OPT_REG_INSECURE: r->insecure = true; return true;
	case CLI_OPT_REG_CONFIG: r->config = arg; return true;
	default: return false;
	}
}

int cli_registry_fill(const cli_registry *r, vigil_registry_options *o)
{
	vigil_registry_options_init(o);
	o->insecure = r->insecure;
	o->config_path = r->config;
	if (r->password && !r->username)
		return cli_usage("--password needs --username");
	if (r->username) {
		if (!*r->username)
			return cli_usage("--username is empty");
		o->username = r->username;
		o->password = r->password ? r->password : getenv("VIGIL_REGISTRY_PASSWORD");
		if (!o->password)
			return cli_usage("--username needs --password or $VIGIL_REGISTRY_PASSWORD");
	}
	return CLI_OK;
}
