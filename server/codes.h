/*
 * codes.h - finding a household by its code, in constant time per entry.
 *
 * Codes are the residents' only credential, so a look-up must not reveal
 * through its timing how much of a guess was right.  All codes are kept
 * in memory in a hash table whose slots are chosen by SipHash under a key
 * drawn at start-up (so nobody can aim at a slot), and the code in a slot
 * is compared with sodium_memcmp().  A code not in memory (a household
 * added while the server runs) is looked up in the store once and then
 * remembered.
 */
#ifndef DRAAGVLAK_SERVER_CODES_H
#define DRAAGVLAK_SERVER_CODES_H

#include "store.h"
#include "strbuf.h"
#include "survey.h"
#include "token.h"

struct server_codes;

/* What a code leads to. buurt points into the survey. */
struct server_household {
	long long id;
	const struct survey_buurt *buurt;
};

/* Read every code of the store.  NULL with a sentence in err. */
struct server_codes *server_codes_load(struct store *st, const struct survey *s,
				       struct strbuf *err);

/*
 * Find the household of canon (a canonical code).  Returns 1 and fills
 * *h, 0 when no household has it, or -1 on a store error.  st is a read
 * connection for codes added after start-up; with NULL, only the codes in
 * memory are searched.
 */
int server_codes_find(struct server_codes *c, struct store *st,
		      const char canon[SURVEY_TOKEN_SIZE],
		      struct server_household *h);

/* How many codes are in memory. */
size_t server_codes_count(struct server_codes *c);

/*
 * Call fn with every code in memory (SURVEY_TOKEN_LEN symbols, not
 * NUL-ended), in no particular order, under the table's read lock: fn
 * must not look codes up in c.
 */
void server_codes_each(struct server_codes *c,
		       void (*fn)(const char *code, void *arg), void *arg);

void server_codes_free(struct server_codes *c);

#endif
