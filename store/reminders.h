/*
 * reminders.h - the reminder wave: a second letter, with a fresh paper
 * form under the household's own code, for the households that have not
 * answered, or (the board's choice) for every household.
 *
 * Tables: reminder_wave (each wave: when, by whom, to whom, for which
 * buurt, how many letters) and reminder_letter (which households a wave
 * wrote to).  A wave is what was printed: the list a wave records is the
 * one its letters were rendered from, so a later download of the wave's
 * letters gives the same letters even when answers came in meanwhile.
 *
 * "Not answered" is read from every channel: no counting response, no
 * paper form entered (unless the board rejected it), no scanned page,
 * no check-in at a community evening.  Only households with an address
 * get a letter (a numbered form has no letterbox).
 *
 * Invariants: a wave is never changed or removed; none is made once the
 * survey is closed.
 */
#ifndef DRAAGVLAK_STORE_REMINDERS_H
#define DRAAGVLAK_STORE_REMINDERS_H

#include <stddef.h>
#include <stdint.h>

#include "households.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"

/* Who a wave writes to. */
enum store_reminder_scope {
	/* the households that have not answered: whoever prints and
	 * delivers the letters learns which addresses those are */
	STORE_REMIND_NONRESPONDERS,
	/* every household with an address ("already answered? then
	 * ignore this letter"): the letters reveal nothing */
	STORE_REMIND_ALL,
};

/* "nonresponders" or "all", as stored. */
const char *store_reminder_scope_name(enum store_reminder_scope scope);

/*
 * Call fn for every household with an address (of buurt_id, or all when
 * NULL) that a wave of scope would write to, in delivery order (as
 * store_households_each()).  STORE_OK, fn's non-zero value, or
 * STORE_ERROR.
 */
int store_reminder_households_each(struct store *st, const char *buurt_id,
				   enum store_reminder_scope scope,
				   store_household_fn fn, void *data,
				   struct strbuf *err);

/*
 * Per buurt of s, in survey order, into the arrays (s->nr_buurten each,
 * the caller's): households with an address, and of those the ones that
 * have not answered.  STORE_OK or STORE_ERROR.
 */
int store_reminder_counts(struct store *st, const struct survey *s,
			  uint64_t *with_address, uint64_t *unanswered,
			  struct strbuf *err);

/* A wave as kept. */
struct store_reminder_wave {
	long long id;	  /* 1, 2, ... */
	char made_at[24]; /* UTC YYYY-MM-DDTHH:MM:SSZ */
	char made_by[64];
	enum store_reminder_scope scope;
	char buurt_id[64]; /* "" for every buurt */
	uint64_t households;
};

/*
 * Make a wave of scope, by by, for buurt_id (NULL: every buurt): the
 * households store_reminder_households_each() names are its letters, in
 * one transaction (the caller's when one is open); its id in *wave and
 * the number of letters in *n.  STORE_REFUSED once the survey is
 * closed; STORE_NOT_FOUND when there is nobody to write to (nothing is
 * kept); STORE_OK or STORE_ERROR.
 */
int store_reminder_wave_make(struct store *st, enum store_reminder_scope scope,
			     const char *buurt_id, const char *by,
			     long long *wave, uint64_t *n, struct strbuf *err);

/*
 * Call fn with every wave, the latest first.  STORE_OK, fn's non-zero
 * value, or STORE_ERROR.
 */
typedef int (*store_reminder_wave_fn)(const struct store_reminder_wave *w,
				      void *data);
int store_reminder_waves_each(struct store *st, store_reminder_wave_fn fn,
			      void *data, struct strbuf *err);

/* Wave id into *w.  STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int store_reminder_wave_get(struct store *st, long long id,
			    struct store_reminder_wave *w, struct strbuf *err);

/*
 * Call fn for every household wave id wrote to (of buurt_id, or all when
 * NULL) that still has its address and code, in delivery order.
 * STORE_OK, fn's non-zero value, or STORE_ERROR.
 */
int store_reminder_letters_each(struct store *st, long long wave,
				const char *buurt_id, store_household_fn fn,
				void *data, struct strbuf *err);

#endif
