/*
 * teststore.h - stores for the tests above the data layer, made through
 * the layer's own API (never raw SQL): a survey from its YAML, households
 * from an address list, and responses recorded as the server records
 * them.
 */
#ifndef DRAAGVLAK_TESTSTORE_H
#define DRAAGVLAK_TESTSTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"
#include "survey.h"

/*
 * Create the store at path for the definition yaml (named name in
 * messages), importing the address list csv_path when not NULL.  Fails
 * the test on any refusal.  *s gets the survey (free with survey_free()).
 */
struct store *test_store_make(const char *path, const char *name,
			      const char *yaml, const char *csv_path,
			      struct survey **s);

/*
 * Household ids of buurt in delivery order: with an address, or
 * (anonymous) the numbered forms; at most max.  Returns how many.
 */
size_t test_store_households(struct store *st, const char *buurt,
			     bool anonymous, long long *ids, size_t max);

/*
 * Record a response of household on channel ("online", "paper", "scan")
 * entered by by (NULL for a resident), answering question, value pairs
 * given after by, ended by NULL; a NULL value leaves the question
 * blank.  The latest answer counts.  Returns the response id.
 */
long long test_store_respond(struct store *st, const struct survey *s,
			     long long household, const char *channel,
			     const char *by, ...);

/* Every code of the store, each with a '\n' after it (caller frees). */
char *test_store_codes(struct store *st);

#endif
