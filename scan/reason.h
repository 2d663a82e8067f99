/*
 * reason.h - why a scanned question waits for a person: codes that the
 * store keeps, and what they say in a reader's language.
 *
 * The reader (scan.c) writes codes, not sentences: a reading is made once
 * and kept, and the review queue shows it in Dutch to one volunteer and
 * in English to the next.  A reason is clauses joined by "; ", each one
 * of
 *
 *     text-written        something is written in the lined area
 *     text-uncertain      a few marks in the lined area
 *     digits              a number in digit boxes: a person reads it
 *     digits-empty        the same, and the boxes look empty
 *     box:VALUE:DOUBT     box VALUE is uncertain; DOUBT as marks.h names it
 *     ticked:N            N boxes ticked where one is asked
 *     over-max:N:MAX      N boxes ticked where at most MAX are allowed
 *
 * VALUE is an option id or a number, which never hold ':' or ';'
 * (definition.c).  Stores keep these codes: add new ones, never rename.
 */
#ifndef DRAAGVLAK_SCAN_REASON_H
#define DRAAGVLAK_SCAN_REASON_H

#include <stddef.h>

#include "marks.h"
#include "strbuf.h"
#include "survey.h"

enum scan_why {
	SCAN_WHY_TEXT_WRITTEN,
	SCAN_WHY_TEXT_UNCERTAIN,
	SCAN_WHY_DIGITS,
	SCAN_WHY_DIGITS_EMPTY,
	SCAN_WHY_BOX,
	SCAN_WHY_TICKED,
	SCAN_WHY_OVER_MAX,
	SCAN_NWHY
};

/* One clause of a reason. */
struct scan_clause {
	enum scan_why why;
	const char *value;     /* SCAN_WHY_BOX: the box's value (borrowed) */
	size_t value_len;      /* its length: it need not end in a NUL */
	enum scan_doubt doubt; /* SCAN_WHY_BOX */
	unsigned n;	       /* SCAN_WHY_TICKED, _OVER_MAX: boxes ticked */
	unsigned max;	       /* SCAN_WHY_OVER_MAX: the most allowed */
};

/* Append the code of c to reason, after "; " when reason has one. */
void scan_reason_add(struct strbuf *reason, const struct scan_clause *c);

/*
 * Read the clause at *p (within a reason from scan_reason_add) into c and
 * move *p past it and its "; ".  Returns 1 for a clause read, 0 at the
 * end, and -1 for a clause that is no code (a store from before the
 * codes): *p still moves past it, and c->value, c->value_len hold its
 * text.  c borrows from the reason.
 */
int scan_reason_next(const char **p, struct scan_clause *c);

/*
 * Append to out what reason says, in lang, for a person looking at the
 * question's cut-out: one sentence, its clauses joined by "; ".  q, when
 * not NULL, is the question, so that a box is named by its option's label
 * rather than its id.  A clause that is no code is shown as it is.
 * Nothing is escaped: out is text, not HTML.
 */
void scan_reason_describe(const char *reason, const struct survey_question *q,
			  enum survey_lang lang, struct strbuf *out);

#endif
