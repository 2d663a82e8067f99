/*
 * codes.c - the in-memory table of household codes (see codes.h).
 */
#include "codes.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "households.h"
#include "xalloc.h"
#include "banned.h"

struct slot {
	char code[SURVEY_TOKEN_LEN]; /* all zero: empty */
	long long id;
	const struct survey_buurt *buurt;
};

struct server_codes {
	pthread_rwlock_t lock;
	const struct survey *s;
	unsigned char key[crypto_shorthash_KEYBYTES];
	struct slot *slots;
	size_t mask, nr;
};

static size_t slot_of(const struct server_codes *c, const char *code)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	crypto_shorthash(h, (const unsigned char *)code, SURVEY_TOKEN_LEN,
			 c->key);
	memcpy(&v, h, sizeof(v));
	return (size_t)v & c->mask;
}

static void put(struct server_codes *c, const char *code, long long id,
		const struct survey_buurt *b)
{
	size_t i = slot_of(c, code);

	while (c->slots[i].code[0])
		i = (i + 1) & c->mask;
	memcpy(c->slots[i].code, code, SURVEY_TOKEN_LEN);
	c->slots[i].id = id;
	c->slots[i].buurt = b;
	c->nr++;
}

/* Make room for one more, keeping the table at most half full. */
static void grow(struct server_codes *c)
{
	struct slot *old = c->slots;
	size_t old_size = c->mask + 1;

	if ((c->nr + 1) * 2 <= old_size)
		return;
	c->slots = xcalloc(old_size * 2, sizeof(*c->slots));
	c->mask = old_size * 2 - 1;
	c->nr = 0;
	for (size_t i = 0; i < old_size; i++)
		if (old[i].code[0])
			put(c, old[i].code, old[i].id, old[i].buurt);
	free(old);
}

static int load_one(const char *code, long long household, const char *buurt_id,
		    void *data)
{
	struct server_codes *c = data;

	if (strlen(code) != SURVEY_TOKEN_LEN)
		return 0;
	grow(c);
	put(c, code, household, survey_find_buurt(c->s, buurt_id));
	return 0;
}

struct server_codes *server_codes_load(struct store *st, const struct survey *s,
				       struct strbuf *err)
{
	struct server_codes *c = xcalloc(1, sizeof(*c));

	pthread_rwlock_init(&c->lock, NULL);
	c->s = s;
	crypto_shorthash_keygen(c->key);
	c->slots = xcalloc(1024, sizeof(*c->slots));
	c->mask = 1023;
	if (store_codes_each(st, load_one, c, err) != STORE_OK) {
		server_codes_free(c);
		return NULL;
	}
	return c;
}

/* Call with the lock held. */
static int find_locked(struct server_codes *c, const char *canon,
		       struct server_household *h)
{
	int found = 0;

	for (size_t i = slot_of(c, canon); c->slots[i].code[0];
	     i = (i + 1) & c->mask) {
		if (!sodium_memcmp(c->slots[i].code, canon, SURVEY_TOKEN_LEN)) {
			h->id = c->slots[i].id;
			h->buurt = c->slots[i].buurt;
			found = 1;
			break;
		}
	}
	return found;
}

static int find_in_memory(struct server_codes *c, const char *canon,
			  struct server_household *h)
{
	int found;

	pthread_rwlock_rdlock(&c->lock);
	found = find_locked(c, canon, h);
	pthread_rwlock_unlock(&c->lock);
	return found;
}

int server_codes_find(struct server_codes *c, struct store *st,
		      const char canon[SURVEY_TOKEN_SIZE],
		      struct server_household *h)
{
	struct server_household seen;
	char buurt[64];
	int rc;

	if (strlen(canon) != SURVEY_TOKEN_LEN)
		return 0;
	if (find_in_memory(c, canon, h))
		return 1;
	if (!st)
		return 0;
	rc = store_code_find(st, canon, &h->id, buurt, sizeof(buurt), NULL);
	if (rc != STORE_OK)
		return rc == STORE_NOT_FOUND ? 0 : -1;
	h->buurt = survey_find_buurt(c->s, buurt);
	pthread_rwlock_wrlock(&c->lock);
	if (!find_locked(c, canon, &seen)) {
		grow(c);
		put(c, canon, h->id, h->buurt);
	}
	pthread_rwlock_unlock(&c->lock);
	return 1;
}

size_t server_codes_count(struct server_codes *c)
{
	size_t n;

	pthread_rwlock_rdlock(&c->lock);
	n = c->nr;
	pthread_rwlock_unlock(&c->lock);
	return n;
}

void server_codes_each(struct server_codes *c,
		       void (*fn)(const char *code, void *arg), void *arg)
{
	pthread_rwlock_rdlock(&c->lock);
	for (size_t i = 0; i <= c->mask; i++)
		if (c->slots[i].code[0])
			fn(c->slots[i].code, arg);
	pthread_rwlock_unlock(&c->lock);
}

void server_codes_free(struct server_codes *c)
{
	if (!c)
		return;
	pthread_rwlock_destroy(&c->lock);
	free(c->slots);
	free(c);
}
