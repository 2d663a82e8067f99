/*
 * record.h - the count record's (proces-verbaal's) numbers: the
 * canonical answers export, the fingerprint over it and the scanned
 * images, and the verdicts; and checking a store against a record kept.
 *
 * The canonical export is `draagvlak export` as CSV, every question:
 * respondents numbered in keyed-hash order (export.h), so it says
 * nothing of who answered when and can be published as it is.  The
 * fingerprint is SHA-256 over a fixed heading, that export, and the
 * hashes of the scanned pages in order; anyone holding the published
 * export and the list of scan hashes can recompute it.  The verdicts
 * are one line per proposition and buurt (and the decision over the
 * buurten) with the counts behind them.
 *
 * Ownership: struct analysis_record owns its buffers (release with
 * analysis_record_release()).
 */
#ifndef DRAAGVLAK_RECORD_H
#define DRAAGVLAK_RECORD_H

#include <stdbool.h>

#include "analysis.h"
#include "lifecycle.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"

struct analysis_record {
	struct strbuf canonical;   /* the CSV export */
	struct strbuf fingerprint; /* SHA-256, lower-case hex */
	struct strbuf verdicts;	   /* one line each */
	size_t nr_scans;	   /* scanned pages the fingerprint covers */
};

void analysis_record_init(struct analysis_record *r);
void analysis_record_release(struct analysis_record *r);

/*
 * Work out the record's numbers from st as it is now (the verdicts from
 * an, which must be an analysis of st).  0, or -1 with err.
 */
int analysis_record_compute(struct store *st, const struct survey *s,
			    const struct analysis *an,
			    struct analysis_record *r, struct strbuf *err);

/*
 * The verdict lines of an (what analysis_record_compute() keeps).
 */
void analysis_record_verdicts(const struct analysis *an, struct strbuf *out);

/*
 * Compare now with the record kept: true when fingerprint and verdicts
 * are the same.  Otherwise what changed is appended to why in lines
 * people can read (in English: verify is for the operator and the
 * observer, who compare it with the printed record): verdicts that
 * changed, and answers that are no longer there or new.
 */
bool analysis_record_matches(const struct store_count_record *kept,
			     const struct analysis_record *now,
			     struct strbuf *why);

/*
 * The count record of the store as it is now: computed (into now,
 * initialised by the caller, with the analysis into *an when an is not
 * NULL: free it with analysis_free()), and kept in the store as a new
 * record unless the latest one says the same; the record kept (new or
 * latest) into kept (initialised by the caller).  The survey must be
 * closed (STORE_REFUSED otherwise).  STORE_OK, STORE_REFUSED, or
 * STORE_ERROR with err.
 */
int analysis_record_keep(struct store *st, const struct survey *s,
			 const char *by, struct analysis **an,
			 struct analysis_record *now,
			 struct store_count_record *kept, struct strbuf *err);

/*
 * Close the survey (by: an account or "cli") and keep its first count
 * record, in one transaction.  STORE_OK, STORE_ALREADY_DONE (closed
 * before: nothing changes), or STORE_ERROR with err.
 */
int analysis_close(struct store *st, const struct survey *s, const char *by,
		   struct strbuf *err);

#endif
