/*
 * rng.h - the seeded random numbers of scangen.
 *
 * Every choice the generator makes (which households, how a resident
 * ticks, how a scanner skews a page) comes from a stream derived from
 * the seed and a label, so a set is the same for the same seed, and
 * adding a choice in one place does not shift every later one.
 * splitmix64: tiny, fast enough for per-pixel noise, and good enough
 * for test data (not for anything secret).
 */
#ifndef SCANGEN_RNG_H
#define SCANGEN_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s;
};

/* A stream for (seed, label, n): e.g. ("form", 12) or ("page", 3). */
struct rng rng_stream(uint64_t seed, const char *label, uint64_t n);

uint64_t rng_next(struct rng *r);
/* Uniform in [0, 1). */
double rng_uniform(struct rng *r);
/* Uniform in [lo, hi). */
double rng_range(struct rng *r, double lo, double hi);
/* Uniform in 0..n-1 (n > 0). */
unsigned rng_below(struct rng *r, unsigned n);
/* True with probability p. */
bool rng_chance(struct rng *r, double p);
/* Standard normal (Box-Muller). */
double rng_normal(struct rng *r);
/* Index into weights[0..n-1] with probability proportional to weight. */
unsigned rng_weighted(struct rng *r, const double *weights, unsigned n);

#endif
