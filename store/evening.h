/*
 * evening.h - community evenings: a copy of the survey for a laptop that
 * runs the server offline, the check-in desk on it, and bringing the
 * laptop's store home again (docs/evening.md).
 *
 * A laptop copy holds the survey, the households with their codes, the
 * addresses without postcode, and the volunteers' accounts; no answer,
 * no board account, no server key, no refused-code count.  It knows
 * itself by a random laptop id and a name in its meta table, and the
 * main store lists every laptop it made a copy for (evening_laptop).
 *
 * Invariants, kept here: a laptop row is merged at most once (the key
 * laptop, kind, row id in evening_merge), so merging twice changes
 * nothing; a laptop's answer counts at home only when the household has
 * no counting response there, and otherwise waits for the board in the
 * conflict queue of paper.h (nothing is overwritten unseen); a check-in
 * with a proxy always says that the written consent was shown.  Nothing
 * but this file writes evening_laptop, evening_merge or evening_checkin.
 */
#ifndef DRAAGVLAK_STORE_EVENING_H
#define DRAAGVLAK_STORE_EVENING_H

#include <stdbool.h>

#include "store.h"
#include "strbuf.h"
#include "survey.h"

/* A laptop's name: 1 to 40 characters shown to people. */
#define STORE_EVENING_NAME_MAX 40

/* What a copy holds. */
struct store_evening_copied {
	char laptop_id[33];
	long long households, addresses, volunteers;
};

/*
 * Make a laptop copy of st (the main store) at out_path, which must not
 * exist, for the laptop called name, and note the laptop in st.  The new
 * file is complete on its own (no -wal beside it).  STORE_OK with *c;
 * STORE_EXISTS when out_path exists; STORE_INVALID for an empty or too
 * long name; STORE_ERROR (and no file left at out_path).
 */
int store_evening_copy(struct store *st, const char *out_path, const char *name,
		       struct store_evening_copied *c, struct strbuf *err);

/* What a merge did, by kind; the counts are of this merge only. */
struct store_evening_merged {
	char laptop_name[STORE_EVENING_NAME_MAX * 4 + 1];
	long long counted;   /* answers that count now */
	long long conflicts; /* answers that wait for the board */
	long long entries;   /* paper entries carried (waiting or differing) */
	long long checkins;  /* check-in notes carried */
	long long known;     /* rows merged before: left as they are */
	long long left;	     /* scanned forms still in review on the laptop */
};

/*
 * Merge the laptop copy at laptop_path into st (the main store it was
 * made from) for survey s, as one transaction.  Answers of households
 * without a counting response count, keeping their time and "who
 * (laptop)"; the others go to the board as differing paper entries.
 * Rows merged before are skipped.  STORE_OK with *m; STORE_INVALID when
 * laptop_path is no laptop copy; STORE_NOT_FOUND when it was not made
 * from st; STORE_ERROR.
 */
int store_evening_merge(struct store *st, const struct survey *s,
			const char *laptop_path, struct store_evening_merged *m,
			struct strbuf *err);

/* ---- the check-in desk ------------------------------------------------- */

/* A household as the desk shows it: its address, never its code. */
struct store_evening_household {
	long long id;
	char buurt_id[64];
	long long form_no; /* anonymous forms; 0 for an address */
	bool has_address;
	char street[128];
	long number;
	char letter[8];
	char addition[16];
	char place[64];
	long long checkins; /* check-ins recorded for it in this store */
};

/*
 * Call fn for the households whose street begins with street (case
 * apart) and whose number is number, by street, letter and addition; at
 * most max of them.  A non-zero return from fn stops the walk and is
 * returned.  STORE_OK, fn's value, or STORE_ERROR.
 */
typedef int (*store_evening_fn)(const struct store_evening_household *h,
				void *data);
int store_evening_find_address(struct store *st, const char *street,
			       long number, unsigned max, store_evening_fn fn,
			       void *data, struct strbuf *err);

/* Household id into *h: STORE_OK, STORE_NOT_FOUND, STORE_ERROR. */
int store_evening_household(struct store *st, long long id,
			    struct store_evening_household *h,
			    struct strbuf *err);

struct store_checkin {
	long long household;
	const char *volunteer; /* the account at the desk */
	const char *proxy;     /* who answered for the household, or NULL */
	bool consent_shown;    /* the written consent was shown */
};

/*
 * Note at the desk that household answered on paper here (the answers
 * come through paper entry or scanning).  STORE_OK; STORE_INVALID for a
 * proxy without consent shown, or a proxy name over 80 bytes;
 * STORE_NOT_FOUND for no such household; STORE_ERROR.
 */
int store_evening_checkin(struct store *st, const struct store_checkin *c,
			  struct strbuf *err);

#endif
