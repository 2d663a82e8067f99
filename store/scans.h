/*
 * scans.h - scanned forms in the store: what the reader made of each
 * page, the questions a person must check, and turning a household's
 * pages into a response once every answer on them is certain.
 *
 * Invariants: a page is recorded once (a second scan of the same form
 * page, or of the very same image, changes nothing); a form counts only
 * when all its pages are in and every question is clear or reviewed:
 * then it becomes a response with channel "scan", under the survey's
 * conflict policy; when the household also answered online and the
 * policy is "latest", a person decides which counts, as a volunteer
 * does for a paper form: nothing is replaced unseen.  Nothing but this
 * file writes scan_page, scan_question or scan_form.
 *
 * Form states: incomplete (a page is missing), review (a question waits
 * for a person), conflict (the household answered online too), counted
 * (the response counts), kept (stored, but another answer counts).
 */
#ifndef DRAAGVLAK_STORE_SCANS_H
#define DRAAGVLAK_STORE_SCANS_H

#include <stdbool.h>
#include <stddef.h>

#include "answers.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"

enum store_scan_state {
	STORE_SCAN_INCOMPLETE,
	STORE_SCAN_REVIEW,
	STORE_SCAN_CONFLICT,
	STORE_SCAN_COUNTED,
	STORE_SCAN_KEPT,
	STORE_SCAN_NSTATE
};

/* One question of a page as the reader left it. */
struct store_scan_question {
	const char *question_id;
	bool clear;	     /* else a person must check it */
	const char *reading; /* the values read, joined by '+' */
	const char *reason;  /* why in doubt (scan/reason.h codes), or NULL */
	double doubt;	     /* how much: the queue shows most first */
	const void *crop;    /* PNG cut-out for the person, or NULL */
	size_t crop_len;
};

/* A page read back, or refused (refusal set). */
struct store_scan_page {
	const char *code; /* canonical code read, or NULL */
	unsigned page, of_pages;
	const char *layout_id; /* or NULL */
	const char *source;    /* file name and page, for people */
	const char *image_hash;
	const char *refusal; /* NULL: read */
	const char *reason;  /* why refused, for people */
	const char *reading; /* JSON of every measurement */
	const struct store_scan_question *questions;
	size_t nr_questions;
};

/* What recording one page did. */
enum store_scan_result {
	STORE_SCAN_NEW,	    /* read and recorded */
	STORE_SCAN_AGAIN,   /* this form page was in the store already */
	STORE_SCAN_REFUSED, /* refused, and recorded as such */
};

/*
 * Record page p of survey s as one change, then settle its household's
 * form (store_scan_settle()).  A read page whose code belongs to no
 * household is recorded as refused ("unknown-code"), and the code
 * counted as refused for the audit.  Returns STORE_OK with *res, or
 * STORE_ERROR.
 */
int store_scan_record(struct store *st, const struct survey *s,
		      const struct store_scan_page *p,
		      enum store_scan_result *res, struct strbuf *err);

/*
 * Bring the scanned form of household up to date: count it when all its
 * pages are in and every question is clear or reviewed (by: who, for
 * entered_by).  keep_scan resolves a conflict: 1 the scanned form counts,
 * 0 the online answer keeps counting, -1 not decided.  STORE_OK or
 * STORE_ERROR.
 */
int store_scan_settle(struct store *st, const struct survey *s,
		      long long household, const char *by, int keep_scan,
		      struct strbuf *err);

/* A form in the review queue. */
struct store_scan_waiting {
	long long household;
	const char *buurt_id;
	bool conflict;	     /* else questions wait */
	long long questions; /* in doubt */
	double doubt;	     /* the largest */
};

/*
 * Call fn for the forms that wait for a person (at most limit), the
 * conflicts last and otherwise the most doubtful first.  Returns
 * STORE_OK, fn's non-zero value, or STORE_ERROR.
 */
typedef int (*store_scan_waiting_fn)(const struct store_scan_waiting *w,
				     void *data);
int store_scan_each_waiting(struct store *st, unsigned limit,
			    store_scan_waiting_fn fn, void *data,
			    struct strbuf *err);

/* A question in doubt on a form. */
struct store_scan_pending {
	long long page_id;
	unsigned page;
	const struct survey_question *q;
	char *reading, *reason;
};

/* A household's scanned form with what waits on it. */
struct store_scan_form {
	long long household;
	char buurt_id[64];
	enum store_scan_state state;
	struct store_scan_pending *v;
	size_t nr, alloc;
};

/*
 * Load the scanned form of household with its questions in doubt.
 * STORE_OK (release with store_scan_form_release()), STORE_NOT_FOUND
 * (no scanned form), or STORE_ERROR.
 */
int store_scan_form_load(struct store *st, const struct survey *s,
			 long long household, struct store_scan_form *f,
			 struct strbuf *err);
void store_scan_form_release(struct store_scan_form *f);

/*
 * A person (user) checked the questions of f and gave answers (only
 * those of f's questions are read); keep_scan as for
 * store_scan_settle().  As one change.  STORE_OK; STORE_CHANGED when
 * someone else checked the form meanwhile; STORE_ERROR.
 */
int store_scan_review(struct store *st, const struct survey *s,
		      const struct store_scan_form *f,
		      const struct survey_answers *answers, const char *user,
		      int keep_scan, struct strbuf *err);

/*
 * The cut-out of question qid on page page_id of household's form,
 * appended to png.  STORE_OK, STORE_NOT_FOUND or STORE_ERROR.
 */
int store_scan_crop(struct store *st, long long household, long long page_id,
		    const char *qid, struct strbuf *png, struct strbuf *err);

/* Scanned forms per state into n[STORE_SCAN_NSTATE]. */
int store_scan_form_counts(struct store *st, long long n[STORE_SCAN_NSTATE],
			   struct strbuf *err);

/* "incomplete", "review", ... as stored. */
const char *store_scan_state_name(enum store_scan_state state);

#endif
