/*
 * export.h - the answers for the board's own analysis, with nothing in
 * them that points at a household.
 *
 * The export reads the view answer_export and nothing else (see store.h):
 * the answers side of the store, with the buurt and the channel.  So no
 * address and no code can reach it, whatever changes elsewhere.  Each
 * response is given a respondent number of its own for this export
 * (1, 2, ... in the order of a keyed hash of the response, with a secret
 * key kept in the store: not the order people answered in), so rows of
 * one respondent can be put together without handing out the store's
 * ids, and the numbers say nothing of who answered when.
 */
#ifndef DRAAGVLAK_EXPORT_H
#define DRAAGVLAK_EXPORT_H

#include <stdio.h>

#include "report.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"

struct analysis_export_filter {
	const char *question; /* only this question; NULL for all */
	const char *buurt;    /* only this buurt; NULL for all */
};

/*
 * Write the answers of the survey s in st to out as CSV (RFC 4180:
 * respondent,buurt,channel,question,value; one row per value, a multi
 * question giving a row per chosen option) or as JSON (an array of such
 * objects), question by question in the order of the definition, then by
 * buurt, respondent number and value.  f may be NULL.  The text format is not
 * supported.  Returns the number of rows written, or -1 with a sentence
 * in err.
 */
long long analysis_export(struct store *st, const struct survey *s,
			  const struct analysis_export_filter *f,
			  enum analysis_format format, FILE *out,
			  struct strbuf *err);

#endif
