/*
 * hostcodes.c - every household code of a host in one set (see
 * hostcodes.h).
 */
#include "hostcodes.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

/* A slot in use has this bit; the 60 bits below are the code's value. */
#define USED ((uint64_t)1 << 63)

struct server_hostcodes {
	pthread_rwlock_t lock;
	uint64_t seed; /* mixed into the slot: nobody aims at one */
	uint64_t *slots;
	size_t mask, nr;
	/* Codes that two surveys or more have: few, usually none. */
	char (*shared)[SURVEY_TOKEN_LEN];
	size_t nr_shared, alloc_shared;
};

static const char symbols[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* The 60-bit value of twelve canonical symbols, with USED set. */
static uint64_t value_of(const char *code)
{
	uint64_t v = 0;

	for (size_t i = 0; i < SURVEY_TOKEN_LEN; i++) {
		const char *at = code[i] ? strchr(symbols, code[i]) : NULL;

		/* Not a symbol (a store edited by hand): five bits still. */
		v = v << 5 | (at ? (uint64_t)(at - symbols)
				 : (uint64_t)(unsigned char)code[i] & 31);
	}
	return v | USED;
}

static size_t slot_of(const struct server_hostcodes *hc, uint64_t v)
{
	v ^= hc->seed;
	v *= 0x9E3779B97F4A7C15ULL;
	return (size_t)(v ^ v >> 29) & hc->mask;
}

/* Whether v is in; otherwise *at is the free slot where it would go. */
static bool find(const struct server_hostcodes *hc, uint64_t v, size_t *at)
{
	size_t i = slot_of(hc, v);

	for (; hc->slots[i]; i = (i + 1) & hc->mask)
		if (hc->slots[i] == v)
			return true;
	*at = i;
	return false;
}

/* Room for one more, keeping the set at most three quarters full. */
static void grow(struct server_hostcodes *hc)
{
	uint64_t *old = hc->slots;
	size_t size = hc->mask + 1, at;

	if ((hc->nr + 1) * 4 <= size * 3)
		return;
	hc->slots = xcalloc(size * 2, sizeof(*hc->slots));
	hc->mask = size * 2 - 1;
	for (size_t i = 0; i < size; i++)
		if (old[i] && !find(hc, old[i], &at))
			hc->slots[at] = old[i];
	free(old);
}

/* Put v in when it is not; whether it was.  With the write lock. */
static bool put(struct server_hostcodes *hc, uint64_t v)
{
	size_t at;

	if (find(hc, v, &at))
		return true;
	if ((hc->nr + 1) * 4 > (hc->mask + 1) * 3) {
		grow(hc);
		find(hc, v, &at);
	}
	hc->slots[at] = v;
	hc->nr++;
	return false;
}

struct server_hostcodes *server_hostcodes_new(void)
{
	struct server_hostcodes *hc = xcalloc(1, sizeof(*hc));

	pthread_rwlock_init(&hc->lock, NULL);
	randombytes_buf(&hc->seed, sizeof(hc->seed));
	hc->slots = xcalloc(1024, sizeof(*hc->slots));
	hc->mask = 1023;
	return hc;
}

void server_hostcodes_free(struct server_hostcodes *hc)
{
	if (!hc)
		return;
	pthread_rwlock_destroy(&hc->lock);
	free(hc->slots);
	if (hc->shared)
		sodium_memzero(hc->shared,
			       hc->alloc_shared * sizeof(*hc->shared));
	free(hc->shared);
	free(hc);
}

struct adding {
	struct server_hostcodes *hc;
	size_t found;
	/* Codes found shared, told after the table's lock is let go. */
	char (*told)[SURVEY_TOKEN_SIZE];
	size_t nr_told, alloc_told;
};

static void add_one(const char *code, void *arg)
{
	struct adding *a = arg;
	struct server_hostcodes *hc = a->hc;

	if (!put(hc, value_of(code)))
		return;
	a->found++;
	ALLOC_GROW(hc->shared, hc->nr_shared + 1, hc->alloc_shared);
	memcpy(hc->shared[hc->nr_shared++], code, SURVEY_TOKEN_LEN);
	ALLOC_GROW(a->told, a->nr_told + 1, a->alloc_told);
	memcpy(a->told[a->nr_told], code, SURVEY_TOKEN_LEN);
	a->told[a->nr_told++][SURVEY_TOKEN_LEN] = '\0';
}

size_t server_hostcodes_add(struct server_hostcodes *hc, struct server_codes *c,
			    void (*shared)(const char *canon, void *arg),
			    void *arg)
{
	struct adding a = { hc, 0, NULL, 0, 0 };

	pthread_rwlock_wrlock(&hc->lock);
	server_codes_each(c, add_one, &a);
	pthread_rwlock_unlock(&hc->lock);
	for (size_t i = 0; shared && i < a.nr_told; i++)
		shared(a.told[i], arg);
	if (a.told)
		sodium_memzero(a.told, a.alloc_told * sizeof(*a.told));
	free(a.told);
	return a.found;
}

bool server_hostcodes_shared(struct server_hostcodes *hc, const char *canon)
{
	bool found = false;

	if (strlen(canon) != SURVEY_TOKEN_LEN)
		return false;
	pthread_rwlock_rdlock(&hc->lock);
	/* Every one compared, in constant time each. */
	for (size_t i = 0; i < hc->nr_shared; i++)
		found |= !sodium_memcmp(hc->shared[i], canon, SURVEY_TOKEN_LEN);
	pthread_rwlock_unlock(&hc->lock);
	return found;
}

int server_hostcodes_take(const char *canon, void *arg)
{
	struct server_hostcodes *hc = arg;
	bool taken;

	if (strlen(canon) != SURVEY_TOKEN_LEN)
		return -1;
	pthread_rwlock_wrlock(&hc->lock);
	taken = put(hc, value_of(canon));
	pthread_rwlock_unlock(&hc->lock);
	return taken ? 1 : 0;
}

size_t server_hostcodes_count(struct server_hostcodes *hc)
{
	size_t n;

	pthread_rwlock_rdlock(&hc->lock);
	n = hc->nr;
	pthread_rwlock_unlock(&hc->lock);
	return n;
}
