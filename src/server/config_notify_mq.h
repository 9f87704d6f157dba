/* server/config_notify_mq.h: Clair's notifier.amqp and notifier.stomp
 * blocks (config_notify_mq.c). Included by the config reader and its
 * tests. */
#ifndef VIGIL_SERVER_CONFIG_NOTIFY_MQ_H
#define VIGIL_SERVER_CONFIG_NOTIFY_MQ_H

#include "server/config_priv.h"
#include "vigil/notify_mq.h"

/* Reads the mapping n (notifier.amqp when kind is VIGIL_NOTIFY_AMQP,
 * notifier.stomp for VIGIL_NOTIFY_STOMP) into *out (zeroed first; every
 * string malloc'ed: free with vigil_notify_mq_clear(), also after an
 * error). Keys as Clair's config package names them; unknown keys are
 * warnings, bad values VIGIL_EFORMAT "<file>: line N: <key>: <why>", and
 * the result passes vigil_notify_mq_check(). */
int cfg_notify_mq(struct cfg *g, const yaml_node_t *n, vigil_notify_mq_kind kind, vigil_notify_mq *out);

/* The notifier's message-queue targets of a config file: out[0..*n) in
 * the order amqp, stomp (*n is 0 when the file has neither). */
int srv_notify_mq_load(const char *path, vigil_notify_mq out[2], size_t *n, void (*warn)(void *ud, const char *msg),
		       void *ud);
/* The same over len bytes of YAML (what names them in messages). */
int srv_notify_mq_parse(const char *what, const char *data, size_t len, vigil_notify_mq out[2], size_t *n,
			void (*warn)(void *ud, const char *msg), void *ud);

#endif
