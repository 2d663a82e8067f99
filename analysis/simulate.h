/*
 * simulate.h - made-up answers for a demo before any resident answered.
 *
 * A board wants to see the reports before the survey opens.  This fills a
 * store with responses that are clearly labelled as simulated (marked so
 * in the store, and entered_by "simulatie" for people who look) for a
 * random share of the households, with plausible
 * answers to every question: support for a proposition differs per buurt
 * so that the reports show a mix of verdicts.  It refuses a store that
 * holds a single real response, and it replaces earlier simulated ones,
 * so it can be run again with another rate or seed.
 */
#ifndef DRAAGVLAK_SIMULATE_H
#define DRAAGVLAK_SIMULATE_H

#include <stdint.h>

#include "store.h"
#include "strbuf.h"
#include "survey.h"

/* entered_by of every simulated response, for people: the store marks
   them by a column of their own (store/responses.h). */
#define ANALYSIS_SIM_ENTERED_BY "simulatie"

struct analysis_sim_options {
	uint64_t seed;	   /* the same seed gives the same answers */
	unsigned rate_pct; /* share of households that answer, 0..100 */
};

struct analysis_sim_result {
	long long households; /* in the store */
	long long responses;  /* simulated now */
	long long replaced;   /* earlier simulated responses removed */
};

/*
 * Simulate responses in st for the survey s, all or nothing.  Returns 0
 * and fills *res, or -1 with a sentence in err (also when st holds real
 * responses).
 */
int analysis_simulate(struct store *st, const struct survey *s,
		      const struct analysis_sim_options *o,
		      struct analysis_sim_result *res, struct strbuf *err);

#endif
