/*
 * scanned.h - scanned forms in the store: recording what `draagvlak scan`
 * read from a page, and turning a household's pages into a response
 * once every answer on them is certain.
 *
 * A page is recorded once: a second scan of the same form page (or of
 * the very same image) changes nothing.  Per question the store keeps the
 * machine's reading, whether it is clear or needs a person, why, and the
 * cut-out of the question for the review queue (review.h).  A form
 * counts only when all its pages are in and every question is clear or
 * reviewed: then it becomes a response with channel "scan", under the
 * survey's conflict policy.  When the household also answered online and
 * the policy is "latest", a person decides which counts, as a volunteer
 * does for a paper form: nothing is replaced unseen.
 *
 * Form states (scan_form.state): incomplete (a page is missing), review
 * (a question waits for a person), conflict (the household answered
 * online too), counted (the response counts), kept (stored, but another
 * answer counts).
 */
#ifndef DRAAGVLAK_SERVER_SCANNED_H
#define DRAAGVLAK_SERVER_SCANNED_H

#include <stdbool.h>

#include "image.h"
#include "scan.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"

/* What recording one page did. */
enum server_scan_result {
	SERVER_SCAN_NEW,     /* read and recorded */
	SERVER_SCAN_AGAIN,   /* this form page was in the store already */
	SERVER_SCAN_REFUSED, /* refused, and recorded as such */
};

/*
 * Record page p (read from img, or refused: p->refusal set and reason
 * the sentence why), from source (a file name and page, for people),
 * with image_hash identifying the image, inside the caller's
 * transaction; then settle the household's form (server_scan_settle()).
 * A read page whose code belongs to no household is recorded as refused.
 * Returns 0 with *res set, or -1 with a sentence in err.
 */
int server_scan_record(struct survey_store *st, const struct survey *s,
		       const struct scan_page *p, const struct scan_image *img,
		       const char *reason, const char *source,
		       const char *image_hash, enum server_scan_result *res,
		       struct strbuf *err);

/*
 * Bring the scanned form of household up to date: count it when all its
 * pages are in and every question is clear or reviewed (by: who, for
 * entered_by).  keep_scan resolves a conflict: 1 the scanned form counts,
 * 0 the online answer keeps counting, -1 not decided.  Inside the
 * caller's transaction.  Returns 0, or -1 with a sentence in err.
 */
int server_scan_settle(struct survey_store *st, const struct survey *s,
		       long long household, const char *by, int keep_scan,
		       struct strbuf *err);

#endif
