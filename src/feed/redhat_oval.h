/* feed/redhat_oval.h: private to feed/redhat_oval.c: the Red Hat OVAL v2
 * parser reads its stream with the shared streaming OVAL reader
 * (feed/oval.h, feed/oval_read.c) and the Red Hat helpers (feed/redhat.h). */
#ifndef VIGIL_FEED_REDHAT_OVAL_H
#define VIGIL_FEED_REDHAT_OVAL_H

#include "feed/oval.h"
#include "feed/redhat.h"

#endif
