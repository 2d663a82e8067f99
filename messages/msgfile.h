/*
 * msgfile.h - reading a message catalogue file (see docs/messages.md):
 * shared by the build's generator (msgc.c) and the loader of further
 * languages at run time (msg.c), so both read the same format alike.
 *
 *   @language fy Frysk          # first: the code and the language's name
 *   # a comment; blank lines are ignored
 *   login.title = Ynlogge
 *   answers.max_choices = Kies er hoogstens {1}; u koos er {2}.
 *
 * A key is lower-case letters, digits, '.' and '_'; the text runs to the
 * end of the line, with \n for a line break and \\ for a backslash.
 * {1} to {9} are the values the code puts in, in its order; a key ending
 * in "_html" may hold markup, every other text is plain and is escaped
 * by the page that shows it.
 */
#ifndef DRAAGVLAK_MSGFILE_H
#define DRAAGVLAK_MSGFILE_H

#include <stddef.h>

#include "strbuf.h"

struct msgfile_entry {
	const char *key;  /* NUL-terminated, valid until the callback returns */
	const char *text; /* unescaped */
	unsigned nargs;	  /* the highest {N} */
	int line;
};

/*
 * Called for the @language line (entry NULL, code and name set) and for
 * every entry (code and name NULL).  Non-zero stops the reading and is
 * returned.
 */
typedef int (*msgfile_fn)(const char *code, const char *name,
			  const struct msgfile_entry *e, void *data);

/*
 * Read the catalogue buf (len bytes), named name in messages.  Returns 0,
 * fn's non-zero value, or -1 with "NAME:LINE: what is wrong" in err.
 */
int msgfile_read(const char *name, const char *buf, size_t len, msgfile_fn fn,
		 void *data, struct strbuf *err);

/* The placeholders of text: the highest {N}, 0 for none. */
unsigned msgfile_nargs(const char *text);

#endif
