/*
 * responses.h - responses and their answers: who counts.
 *
 * A response is one row in response and one row per value in answer (a
 * multi question has several).  Invariants, kept here and by the schema:
 *
 * - At most one response of a household counts: the one not superseded
 *   (the unique index response_current).  Recording a new response marks
 *   the counting one superseded by it in the same transaction, so the
 *   earlier answers stay as an audit trail and a household never counts
 *   twice.
 * - The survey's conflict policy decides what an online answer does to a
 *   paper one: with "latest" the newest counts; with "paper" an online
 *   answer after a paper form (or scan) is kept but does not count.
 * - A response is simulated (made up by `draagvlak simulate`) or real,
 *   by its column simulated, never by a name: simulated ones are only
 *   ever removed together, and only while no real one exists.
 * - The tallies (counts.h) are what a count of the counting responses
 *   would give, always: this file changes them in the same transaction
 *   as the response that changes them.
 * - Nothing but this file writes response, answer or the tallies.
 */
#ifndef DRAAGVLAK_STORE_RESPONSES_H
#define DRAAGVLAK_STORE_RESPONSES_H

#include <stdbool.h>

#include "answers.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"

/* How a response came in, as stored. */
#define STORE_CHANNEL_ONLINE "online"
#define STORE_CHANNEL_PAPER  "paper"
#define STORE_CHANNEL_SCAN   "scan"

/* The counting response of a household. */
struct store_current {
	long long id; /* 0: none */
	char channel[8];
	char entered_by[64];
	char created_at[24]; /* local time (the store keeps UTC) */
	char lang[4];
};

/*
 * Read the counting response of household (cur->id 0 when it has none)
 * and, when a is not NULL, add its answers to a.  Returns STORE_OK or
 * STORE_ERROR with err.
 */
int store_response_current(struct store *st, const struct survey *s,
			   long long household, struct store_current *cur,
			   struct survey_answers *a, struct strbuf *err);

struct store_record {
	long long household;
	const char *channel;	/* STORE_CHANNEL_* */
	const char *entered_by; /* NULL for a resident */
	const char *lang;	/* "nl" when NULL */
	const struct survey_answers *answers;
	enum survey_conflict conflict;
	/*
	 * The counting response the person saw (0: none), or -1 not to
	 * check: a volunteer must never overwrite what they were not shown.
	 */
	long long expect_current;
	bool simulated;		/* made up by draagvlak simulate */
	const char *created_at; /* UTC "YYYY-MM-DDTHH:MM:SSZ"; NULL: now */
	/* Filled in: the new response, and whether it is the one counting. */
	long long response_id;
	bool counts;
};

/*
 * Store r as a new response, in a transaction of its own, or as part of
 * the caller's (which a failure leaves for the caller to roll back).
 * Returns STORE_OK; STORE_CHANGED when another answer came in since the
 * person looked (nothing stored); STORE_REFUSED when the survey is
 * closed and r is not a form that was waiting then (lifecycle.h); or
 * STORE_ERROR.
 */
int store_response_record(struct store *st, struct store_record *r,
			  struct strbuf *err);

/* Responses stored (all channels, all versions) into *n. */
int store_responses_count(struct store *st, long long *n, struct strbuf *err);
/* Real (not simulated) responses stored into *n. */
int store_responses_count_real(struct store *st, long long *n,
			       struct strbuf *err);
/*
 * Remove every simulated response with its answers, and put how many
 * into *n.  Refused (STORE_REFUSED, nothing removed) while a real
 * response exists: the two would be mixed up.
 */
int store_responses_remove_simulated(struct store *st, long long *n,
				     struct strbuf *err);

#endif
