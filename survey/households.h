/*
 * households.h - the households a survey counts, with their codes.
 *
 * A household is one letterbox: one vote per address, as Dutch practice
 * has it.  Households come from an address list (a CSV in the columns of
 * a BAG extract) or are created without an address for the numbered
 * forms handed out at a community evening.  Every household gets its own
 * code (token.h) when it is created.
 */
#ifndef DRAAGVLAK_HOUSEHOLDS_H
#define DRAAGVLAK_HOUSEHOLDS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "store.h"
#include "survey.h"
#include "token.h"

struct survey_household {
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
};

struct survey_import_result {
	size_t added; /* new households, each with a new code */
	size_t kept;  /* addresses already in the store (with update) */
};

/*
 * Import the address list at path (comma-, semicolon- or tab-separated,
 * with a header naming the columns; see docs/households.md) into the
 * store of survey s.  Without update, an address already in the store is
 * a problem; with update (a newer extract of the same list) it is kept
 * as it is, code and all, and only new addresses are added.  Every
 * problem is reported in dl with its line, and then nothing is imported.
 * Returns 0 and fills *res, or -1.
 */
int survey_households_import(struct survey_store *st, const struct survey *s,
			     const char *path, bool update,
			     struct diag_list *dl,
			     struct survey_import_result *res);

/*
 * Create n households without an address in buurt_id, numbered after the
 * anonymous forms that exist.  Returns 0 with the first new form number in
 * *first_form_no, or -1 with a sentence in err.
 */
int survey_households_add_anonymous(struct survey_store *st,
				    const struct survey *s,
				    const char *buurt_id, unsigned n,
				    long long *first_form_no,
				    struct strbuf *err);

/*
 * Call fn for each household (of buurt_id, or all when NULL) in delivery
 * order: buurt, street, house number, letter, addition; anonymous forms
 * after the addresses, by number.  The strings in *h live until fn
 * returns.  A non-zero return from fn stops the walk and is returned.
 * Returns 0, fn's value, or -1 with a sentence in err.
 */
typedef int (*survey_household_fn)(const struct survey_household *h,
				   void *data);
int survey_households_each(struct survey_store *st, const char *buurt_id,
			   survey_household_fn fn, void *data,
			   struct strbuf *err);

/* Households of buurt_id (all when NULL) in the store; -1 on error. */
long long survey_households_count(struct survey_store *st,
				  const char *buurt_id);

#endif
