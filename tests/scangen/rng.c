/*
 * rng.c - seeded random streams (see rng.h).
 */
#include <math.h>

#include "rng.h"
#include "banned.h"

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct rng rng_stream(uint64_t seed, const char *label, uint64_t n)
{
	/* FNV-1a of the label, so streams with different labels differ. */
	uint64_t h = 0xcbf29ce484222325ULL;
	struct rng r;

	for (const char *p = label; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	r.s = mix(seed ^ mix(h ^ mix(n + 0x9e3779b97f4a7c15ULL)));
	return r;
}

uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix(r->s);
}

double rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

double rng_range(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_uniform(r);
}

unsigned rng_below(struct rng *r, unsigned n)
{
	return (unsigned)(rng_uniform(r) * n);
}

bool rng_chance(struct rng *r, double p)
{
	return rng_uniform(r) < p;
}

double rng_normal(struct rng *r)
{
	double u = 1.0 - rng_uniform(r), v = rng_uniform(r);

	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

unsigned rng_weighted(struct rng *r, const double *weights, unsigned n)
{
	double total = 0, x;

	for (unsigned i = 0; i < n; i++)
		total += weights[i];
	x = rng_uniform(r) * total;
	for (unsigned i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}
