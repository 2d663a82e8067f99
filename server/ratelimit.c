/*
 * ratelimit.c - token buckets per client address and for the world (see
 * ratelimit.h).
 *
 * Clients live in a fixed table of slots chosen by a keyed hash of their
 * address; a client whose slot another address took starts afresh.  The
 * key is random, so no one can aim at another client's slot, and the
 * global bucket bounds whatever slips through.
 */
#include "ratelimit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"
#include "banned.h"

#define NR_SLOTS 4096

struct bucket {
	double tokens;
	double last; /* seconds, monotonic */
};

struct client {
	char addr[64];
	struct bucket b;
};

/* Requests waiting in the slow lane, per slot of the address's hash. */
#define SLOW_PER_CLIENT 2
#define SLOW_IN_ALL	32

struct server_ratelimit {
	pthread_mutex_t lock;
	unsigned char key[crypto_shorthash_KEYBYTES];
	unsigned client_burst, client_per_s, global_burst, global_per_s;
	struct bucket global;
	struct client clients[NR_SLOTS];
	unsigned slow[NR_SLOTS], slow_all;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void refill(struct bucket *b, unsigned burst, unsigned per_s, double t)
{
	b->tokens += (t - b->last) / (double)per_s;
	if (b->tokens > burst)
		b->tokens = burst;
	b->last = t;
}

struct server_ratelimit *server_ratelimit_new(unsigned client_burst,
					      unsigned client_per_s,
					      unsigned global_burst,
					      unsigned global_per_s)
{
	struct server_ratelimit *rl = xcalloc(1, sizeof(*rl));

	pthread_mutex_init(&rl->lock, NULL);
	crypto_shorthash_keygen(rl->key);
	rl->client_burst = client_burst;
	rl->client_per_s = client_per_s ? client_per_s : 1;
	rl->global_burst = global_burst;
	rl->global_per_s = global_per_s ? global_per_s : 1;
	rl->global.tokens = global_burst;
	rl->global.last = now_s();
	return rl;
}

static unsigned slot_of(struct server_ratelimit *rl, const char *addr)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint32_t v;

	crypto_shorthash(h, (const unsigned char *)addr, strlen(addr), rl->key);
	memcpy(&v, h, sizeof(v));
	return v % NR_SLOTS;
}

bool server_ratelimit_slow_enter(struct server_ratelimit *rl,
				 const char *client, unsigned *slot)
{
	bool ok;

	*slot = slot_of(rl, client);
	pthread_mutex_lock(&rl->lock);
	ok = rl->slow[*slot] < SLOW_PER_CLIENT && rl->slow_all < SLOW_IN_ALL;
	if (ok) {
		rl->slow[*slot]++;
		rl->slow_all++;
	}
	pthread_mutex_unlock(&rl->lock);
	return ok;
}

void server_ratelimit_slow_leave(struct server_ratelimit *rl, unsigned slot)
{
	pthread_mutex_lock(&rl->lock);
	if (rl->slow[slot % NR_SLOTS])
		rl->slow[slot % NR_SLOTS]--;
	if (rl->slow_all)
		rl->slow_all--;
	pthread_mutex_unlock(&rl->lock);
}

/* The client's bucket, refilled; call with the lock held. */
static struct bucket *client_bucket(struct server_ratelimit *rl,
				    const char *addr, double t)
{
	struct client *c = &rl->clients[slot_of(rl, addr)];

	if (strcmp(c->addr, addr)) {
		snprintf(c->addr, sizeof(c->addr), "%s", addr);
		c->b.tokens = rl->client_burst;
		c->b.last = t;
	}
	refill(&c->b, rl->client_burst, rl->client_per_s, t);
	return &c->b;
}

bool server_ratelimit_allowed(struct server_ratelimit *rl, const char *client)
{
	double t = now_s();
	bool ok;

	pthread_mutex_lock(&rl->lock);
	refill(&rl->global, rl->global_burst, rl->global_per_s, t);
	ok = (!rl->global_burst || rl->global.tokens >= 1) &&
	     client_bucket(rl, client, t)->tokens >= 1;
	pthread_mutex_unlock(&rl->lock);
	return ok;
}

void server_ratelimit_fail(struct server_ratelimit *rl, const char *client)
{
	double t = now_s();
	struct bucket *b;

	pthread_mutex_lock(&rl->lock);
	refill(&rl->global, rl->global_burst, rl->global_per_s, t);
	if (rl->global.tokens >= 1)
		rl->global.tokens -= 1;
	b = client_bucket(rl, client, t);
	if (b->tokens >= 1)
		b->tokens -= 1;
	pthread_mutex_unlock(&rl->lock);
}

void server_ratelimit_free(struct server_ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}
