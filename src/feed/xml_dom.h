/* feed/xml_dom.h: the three small questions every XML feed parser asks of
 * a libxml2 tree (is this element NAME, its first child element NAME, its
 * line for a message), once for all of them (OVAL of Red Hat, Oracle, SUSE,
 * Photon, Mariner; SUSE CVRF; yum updateinfo). The documents are parsed
 * by each parser with the network, DTDs and entities off. */
#ifndef VIGIL_FEED_XML_DOM_H
#define VIGIL_FEED_XML_DOM_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <string.h>

static inline bool feed_xml_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The first child element of n named name, NULL when none (or n NULL). */
static inline xmlNode *feed_xml_child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (feed_xml_is(c, name))
			return c;
	return NULL;
}

/* n's line in its document, 0 when unknown. */
static inline long feed_xml_line(const xmlNode *n)
{
	return n ? xmlGetLineNo(n) : 0;
}

#endif
