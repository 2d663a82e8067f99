/*
 * households.h - the households a survey counts, their addresses and
 * their codes.
 *
 * A household is one letterbox: one vote per address, as Dutch practice
 * has it.  Households come from an address list or are created without
 * an address for the numbered forms handed out at a community evening.
 *
 * Invariants: every household has exactly one code (token), unique in
 * the store and made here from 55 random bits (token.h), and never one
 * that the connection's code_taken check (below) says is taken
 * elsewhere: on a host, by another survey's household; an address
 * (postcode, number, letter, addition) belongs to at most one household,
 * or with voting_unit resident one per voter of 18+ (address.resident);
 * household holds nothing personal (an id, a buurt, a form number), so
 * the answers side can refer to it without reaching an address.
 */
#ifndef DRAAGVLAK_STORE_HOUSEHOLDS_H
#define DRAAGVLAK_STORE_HOUSEHOLDS_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"
#include "strbuf.h"
#include "survey.h"
#include "token.h"

/* An address as stored: letter upper case, postcode "4904 XA". */
struct store_address {
	const char *street;
	long number;
	const char *letter;   /* "" for none */
	const char *addition; /* "" for none */
	const char *postcode;
	const char *place;
	/*
	 * With voting_unit resident: which voter of the address this unit
	 * is (1..residents) and how many there are; 0 reads as 1.
	 */
	int resident;
	int residents;
};

struct store_household {
	long long id;
	const char *buurt_id;
	long long form_no; /* anonymous forms: 1, 2, ...; 0 for addresses */
	char token[SURVEY_TOKEN_SIZE];
	/* The address; street is NULL for an anonymous household. */
	const char *street;
	long number;
	const char *letter;
	const char *addition;
	const char *postcode;
	const char *place;
	int resident;  /* voter 1..residents at the address (1 by default) */
	int residents; /* voters at the address (1 by default) */
};

/*
 * Create a household with address a in buurt_id, with a new code; its id
 * in *id.  STORE_EXISTS (and *id the household that has it) when the
 * address is in the store already; STORE_ERROR.  In the caller's
 * transaction when one is open.
 */
int store_household_add_address(struct store *st, const char *buurt_id,
				const struct store_address *a, long long *id,
				struct strbuf *err);

/*
 * Create n households without an address in buurt_id, numbered after the
 * anonymous forms that exist; the first new form number in
 * *first_form_no.  All or nothing.  STORE_INVALID when n is 0 or more
 * than STORE_MAX_ANONYMOUS; STORE_NOT_FOUND when the buurt is not in the
 * store; STORE_ERROR.
 */
#define STORE_MAX_ANONYMOUS 100000
int store_households_add_anonymous(struct store *st, const char *buurt_id,
				   unsigned n, long long *first_form_no,
				   struct strbuf *err);

/*
 * Call fn for each household (of buurt_id, or all when NULL) in delivery
 * order: buurt, street, house number, letter, addition; anonymous forms
 * after the addresses, by number.  The strings in *h live until fn
 * returns.  A non-zero return from fn stops the walk and is returned.
 * Returns STORE_OK, fn's value, or STORE_ERROR.
 */
typedef int (*store_household_fn)(const struct store_household *h, void *data);
int store_households_each(struct store *st, const char *buurt_id,
			  store_household_fn fn, void *data,
			  struct strbuf *err);

/* Households of buurt_id (all when NULL) into *n. */
int store_households_count(struct store *st, const char *buurt_id, long long *n,
			   struct strbuf *err);

/*
 * Call fn with every code (canonical), its household and buurt, in no
 * particular order: for the server's table of codes in memory.
 */
typedef int (*store_code_fn)(const char *code, long long household,
			     const char *buurt_id, void *data);
int store_codes_each(struct store *st, store_code_fn fn, void *data,
		     struct strbuf *err);

/*
 * Whether the canonical code is taken outside this store: 1 (taken: the
 * store makes another), 0 (free), or -1 (cannot tell: the change that
 * wanted the code fails with STORE_ERROR).  On a host, the server asks
 * whether another survey has it (server/hostcodes.h).
 */
typedef int (*store_code_taken_fn)(const char *code, void *arg);
/*
 * From now on every code made through st (households added, a code
 * replaced) is first offered to fn with arg, and made again while fn
 * says it is taken, as when the store already has it.  NULL fn: no
 * check (the default).  Set it on the connection that writes (the
 * server's writer, store_writer_run()) before it makes codes.
 */
void store_codes_set_taken(struct store *st, store_code_taken_fn fn, void *arg);

/*
 * How many codes st and the survey store at path both have, into *n:
 * for a store about to be hosted beside others.  STORE_OK, STORE_NOT_FOUND
 * (no file at path), or STORE_ERROR.  Nothing is changed in either.
 */
int store_codes_in_common(struct store *st, const char *path, long long *n,
			  struct strbuf *err);

/*
 * The household of the canonical code canon: *household and its buurt id
 * copied into buurt_id (size bytes).  STORE_OK, STORE_NOT_FOUND or
 * STORE_ERROR.
 */
int store_code_find(struct store *st, const char *canon, long long *household,
		    char *buurt_id, size_t size, struct strbuf *err);

/*
 * The last four characters of household's code into hint: enough for a
 * volunteer to find the paper form in a pile, far too little to answer
 * as the household.  STORE_OK, STORE_NOT_FOUND or STORE_ERROR.
 */
#define STORE_CODE_HINT 5
int store_code_hint(struct store *st, long long household,
		    char hint[STORE_CODE_HINT], struct strbuf *err);

#endif
