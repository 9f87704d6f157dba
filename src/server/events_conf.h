/* server/events_conf.h: the configuration of push-triggered scanning
 * (registry_events: in the server's YAML, read by events_conf.c): the
 * registries whose notifications are accepted and how vigil pulls from
 * them, the endpoint's own token, the queue and the workers. A member of
 * vigil_server_config (server.h); no registry configured means the
 * endpoint is off (404). See docs/server.md, "Push-triggered scanning". */
#ifndef VIGIL_SERVER_EVENTS_CONF_H
#define VIGIL_SERVER_EVENTS_CONF_H

#include <stdbool.h>
#include <stddef.h>

#define SRV_EV_MAX_REGISTRIES 16     /* registry_events.registries */
#define SRV_EV_MAX_HOST       256    /* "host[:port]" as the events name it */
#define SRV_EV_MAX_SECRET     1024   /* a password or token (from a file or the environment) */
#define SRV_EV_MAX_PATH       512    /* a Docker config.json path */
#define SRV_EV_MAX_PLATFORM   64     /* "os/arch[/variant]" */
#define SRV_EV_DEFAULT_WORKERS 2
#define SRV_EV_MAX_WORKERS    64
#define SRV_EV_DEFAULT_QUEUE  1024
#define SRV_EV_MAX_QUEUE      100000
#define SRV_EV_DEFAULT_PLATFORM "linux/amd64"

typedef struct srv_ev_registry {
	char host[SRV_EV_MAX_HOST];          /* lower case; matched against request.host or target.url */
	bool insecure;                       /* plain HTTP: loopback hosts only */
	char username[256];                  /* "" with password "": no basic credentials */
	char password[SRV_EV_MAX_SECRET];    /* read from password_env or password_file at load */
	char docker_config[SRV_EV_MAX_PATH]; /* a Docker config.json with "auths" ("" none) */
	char platform[SRV_EV_MAX_PLATFORM];  /* the image of an index to index ("" the section's) */
} srv_ev_registry;

typedef struct srv_events_config {
	char token[SRV_EV_MAX_SECRET];       /* the endpoint's bearer token ("" none) */
	int workers;                         /* indexing threads */
	int queue;                           /* events waiting, at most */
	char platform[SRV_EV_MAX_PLATFORM];
	srv_ev_registry reg[SRV_EV_MAX_REGISTRIES];
	size_t nreg;                         /* 0: push-triggered scanning is off */
} srv_events_config;

#endif
