/*
 * paper.h - paper forms entered by volunteers.
 *
 * Without double entry a paper form counts as soon as it is entered.
 * With double entry (the survey's double_entry) the first entry waits
 * for a second one by another volunteer; when the two agree the form
 * counts, and when they differ both wait for the board, who chooses the
 * one that matches the paper.
 *
 * Invariants: an entry is waiting, matched, differs, settled or
 * rejected (the board kept the answer that counted instead); at most
 * one entry of a household waits at a time; the two entries of a form
 * are by different volunteers; a matched or settled entry names the
 * response it led to (a settled one carried home from a laptop may
 * name none).  Nothing but this file writes
 * paper_entry or paper_entry_answer.
 */
#ifndef DRAAGVLAK_STORE_PAPER_H
#define DRAAGVLAK_STORE_PAPER_H

#include <stdbool.h>

#include "answers.h"
#include "households.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"

/* What entering a paper form did. */
enum store_paper_result {
	STORE_PAPER_SAVED,   /* single entry: it counts */
	STORE_PAPER_WAITING, /* the first entry: waits for a second */
	STORE_PAPER_MATCHED, /* the second agreed: it counts */
	STORE_PAPER_DIFFERS, /* the second differed: the board decides */
};

struct store_paper {
	long long household;
	const char *volunteer; /* the account that entered it */
	const struct survey_answers *answers;
	/* The counting response the volunteer saw (0: none). */
	long long expect_current;
	/* Filled in. */
	enum store_paper_result result;
	long long response_id; /* when it counts */
};

/*
 * Enter a paper form for survey s, as one change (the writer's
 * transaction, or one of its own).  Returns STORE_OK with p->result;
 * STORE_CHANGED when another answer came in since the volunteer looked;
 * STORE_SAME_VOLUNTEER when the waiting first entry is p->volunteer's
 * own; or STORE_ERROR.
 */
int store_paper_enter(struct store *st, const struct survey *s,
		      struct store_paper *p, struct strbuf *err);

/* An entry that waits for a second one, or differs. */
struct store_paper_pending {
	long long entry;
	long long household;
	const char *buurt_id;
	const char *entered_by;
	const char *created_at;		      /* local time */
	bool waiting;			      /* else it differs */
	const struct survey_answers *answers; /* NULL unless asked for */
};

/*
 * Call fn for the entries that wait or differ: of household, or of every
 * household when household is 0 (then only those that differ, by
 * household), with their answers when with_answers.  The pointers in *p
 * live until fn returns; a non-zero return from fn stops the walk and is
 * returned.  Returns STORE_OK, fn's value, or STORE_ERROR.
 */
typedef int (*store_paper_fn)(const struct store_paper_pending *p, void *data);
int store_paper_each_pending(struct store *st, const struct survey *s,
			     long long household, bool with_answers,
			     store_paper_fn fn, void *data, struct strbuf *err);

/*
 * The board chose entry (one that differs) as the one that matches the
 * paper: it counts, and the other entries of its household are settled.
 * board is the board member's account.  STORE_OK; STORE_ALREADY_DONE
 * when the entry no longer differs; STORE_ERROR.
 */
int store_paper_settle(struct store *st, const struct survey *s,
		       long long entry, const char *board, struct strbuf *err);

/*
 * The conflict queue from outside double entry: answers that must not
 * count unseen (a laptop's answer for a household that answered online
 * or at another laptop, evening.h) join the household's differing
 * entries, for the board to settle like any other; an entry of the
 * household that waits for its second entry joins them.  As one change.
 * STORE_OK with c->entry_id, or STORE_ERROR.
 */
struct store_paper_carry {
	long long household;
	const char *entered_by;
	const struct survey_answers *answers;
	const char *created_at; /* UTC "YYYY-MM-DDTHH:MM:SSZ"; NULL: now */
	long long entry_id;	/* filled in */
};
int store_paper_add_conflict(struct store *st, struct store_paper_carry *c,
			     struct strbuf *err);
/*
 * A first entry made elsewhere (a laptop's, evening.h) waits here for
 * its second.  STORE_OK with c->entry_id; STORE_EXISTS when an entry of
 * the household waits already (nothing added); STORE_ERROR.
 */
int store_paper_add_waiting(struct store *st, struct store_paper_carry *c,
			    struct strbuf *err);

/*
 * The board keeps what counts for household: its differing entries are
 * rejected (they stay, for the audit).  STORE_OK; STORE_ALREADY_DONE
 * when none differs; STORE_ERROR.
 */
int store_paper_keep_current(struct store *st, long long household,
			     struct strbuf *err);

/*
 * A waiting entry whose form was dealt with elsewhere (the laptop it
 * came from counted the form after all, evening.h) is settled, naming
 * response (0: none).  Nothing when it no longer waits.  STORE_OK or
 * STORE_ERROR.
 */
int store_paper_close_waiting(struct store *st, long long entry,
			      long long response, struct strbuf *err);

#endif
