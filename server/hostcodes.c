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

/* Each byte's five bits: Crockford's symbols their value, others theirs. */
static uint8_t five_bits[256];
static pthread_once_t five_bits_once = PTHREAD_ONCE_INIT;

static void five_bits_init(void)
{
	static const char symbols[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

	/* Not a symbol (a store edited by hand): five bits still. */
	for (unsigned c = 0; c < 256; c++)
		five_bits[c] = (uint8_t)(c & 31);
	for (unsigned i = 0; i < 32; i++)
		five_bits[(unsigned char)symbols[i]] = (uint8_t)i;
}

/* The 60-bit value of twelve canonical symbols, with USED set. */
static uint64_t value_of(const char *code)
{
	uint64_t v = 0;

	for (size_t i = 0; i < SURVEY_TOKEN_LEN; i++)
		v = v << 5 | five_bits[(unsigned char)code[i]];
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

/* Room for n more, keeping the set at most three quarters full. */
static void grow(struct server_hostcodes *hc, size_t n)
{
	uint64_t *old = hc->slots;
	size_t size = hc->mask + 1, want = size, at;

	while ((hc->nr + n) * 4 > want * 3)
		want *= 2;
	if (want == size)
		return;
	hc->slots = xcalloc(want, sizeof(*hc->slots));
	hc->mask = want - 1;
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
		grow(hc, 1);
		find(hc, v, &at);
	}
	hc->slots[at] = v;
	hc->nr++;
	return false;
}

struct server_hostcodes *server_hostcodes_new(void)
{
	struct server_hostcodes *hc = xcalloc(1, sizeof(*hc));

	pthread_once(&five_bits_once, five_bits_init);
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

void server_hostcodes_reserve(struct server_hostcodes *hc, size_t n)
{
	pthread_rwlock_wrlock(&hc->lock);
	grow(hc, n);
	pthread_rwlock_unlock(&hc->lock);
}

/*
 * Codes are put in by batches: first every slot of the batch is fetched
 * ahead, then the codes are put, so that the batch's cache misses (one
 * or two a code, in a set of tens of megabytes) overlap.
 */
#define BATCH 32

struct adding {
	struct server_hostcodes *hc;
	size_t found;
	char batch[BATCH][SURVEY_TOKEN_LEN];
	size_t nr_batch;
	/* Codes found shared, told after the table's lock is let go. */
	char (*told)[SURVEY_TOKEN_SIZE];
	size_t nr_told, alloc_told;
};

static void flush(struct adding *a)
{
	struct server_hostcodes *hc = a->hc;
	uint64_t v[BATCH];

	for (size_t i = 0; i < a->nr_batch; i++) {
		v[i] = value_of(a->batch[i]);
		__builtin_prefetch(&hc->slots[slot_of(hc, v[i])], 1);
	}
	for (size_t i = 0; i < a->nr_batch; i++) {
		const char *code = a->batch[i];

		if (!put(hc, v[i]))
			continue;
		a->found++;
		ALLOC_GROW(hc->shared, hc->nr_shared + 1, hc->alloc_shared);
		memcpy(hc->shared[hc->nr_shared++], code, SURVEY_TOKEN_LEN);
		ALLOC_GROW(a->told, a->nr_told + 1, a->alloc_told);
		memcpy(a->told[a->nr_told], code, SURVEY_TOKEN_LEN);
		a->told[a->nr_told++][SURVEY_TOKEN_LEN] = '\0';
	}
	a->nr_batch = 0;
}

static void add_one(const char *code, void *arg)
{
	struct adding *a = arg;

	memcpy(a->batch[a->nr_batch++], code, SURVEY_TOKEN_LEN);
	if (a->nr_batch == BATCH)
		flush(a);
}

size_t server_hostcodes_add(struct server_hostcodes *hc, struct server_codes *c,
			    void (*shared)(const char *canon, void *arg),
			    void *arg)
{
	struct adding a = { .hc = hc };

	pthread_rwlock_wrlock(&hc->lock);
	server_codes_each(c, add_one, &a);
	flush(&a);
	pthread_rwlock_unlock(&hc->lock);
	sodium_memzero(a.batch, sizeof(a.batch));
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
