/*
 * privacy.h - the privacy statement (privacyverklaring) of a survey,
 * drawn up from its definition: what is kept about a household and the
 * people who work with draagvlak, why, who sees it, how long it is kept
 * (the definition's retention: date, and what `draagvlak archive`
 * destroys then), whom to ask (contact:), and the resident's rights
 * under the AVG.
 *
 * The statement is built once as structured text (headings, paragraphs,
 * list items, in the catalogue's words, B1 Dutch by default) and then
 * written out as plain text for the command line or as an HTML fragment
 * for the server's /privacy page and the website: both say the same, and
 * the HTML escapes everything the definition brought in.
 *
 *	struct privacy *p = privacy_build(s, SURVEY_NL);
 *	privacy_text(p, &out);
 *	privacy_free(p);
 */
#ifndef DRAAGVLAK_PRIVACY_H
#define DRAAGVLAK_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>

#include "lang.h"
#include "strbuf.h"
#include "survey.h"

enum privacy_kind {
	PRIVACY_HEADING, /* a section's heading */
	PRIVACY_PARA,	 /* a paragraph; may hold line breaks (the contact) */
	PRIVACY_ITEM,	 /* an item of a list: consecutive items are a list */
};

struct privacy_block {
	enum privacy_kind kind;
	char *text; /* plain text, owned */
};

struct privacy {
	enum survey_lang lang;
	char *title;	/* "Privacyverklaring" */
	char *subtitle; /* the survey's title and organisation */
	struct privacy_block *blocks;
	size_t nr, alloc;
};

/*
 * The statement of s in lang.  Never fails (memory aside); free with
 * privacy_free().  Reads s only while building: s may be freed after.
 */
struct privacy *privacy_build(const struct survey *s, enum survey_lang lang);
/* NULL is fine. */
void privacy_free(struct privacy *p);

/*
 * Append the statement as plain text, wrapped at 76 columns: the title,
 * headings underlined, list items with a dash.
 */
void privacy_text(const struct privacy *p, struct strbuf *out);

/*
 * Append the statement as an HTML fragment: <h1> for the title, <h2>
 * for the headings, <p> and <ul>; every text escaped, a line break in a
 * paragraph as <br>.
 */
void privacy_html(const struct privacy *p, struct strbuf *out);

#endif
