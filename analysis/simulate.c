/*
 * simulate.c - made-up, clearly labelled responses for demos (see
 * simulate.h).
 *
 * The random numbers come from splitmix64 with the given seed, so a demo
 * can be repeated exactly; nothing here needs to be unpredictable.
 */
#include "simulate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "households.h"
#include "responses.h"
#include "banned.h"

static uint64_t next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double uniform(uint64_t *state)
{
	return (double)(next(state) >> 11) / 9007199254740992.0;
}

static long between(uint64_t *state, long lo, long hi)
{
	return lo + (long)(next(state) % (uint64_t)(hi - lo + 1));
}

/*
 * Support per buurt, in buurt order: different enough that a sample
 * survey shows sufficient, insufficient and close calls side by side.
 * Later propositions are a little less popular than the first.
 */
static const double support[] = { 0.64, 0.62, 0.56, 0.45, 0.70, 0.52 };

static const char *const remarks[] = {
	"Graag ook een watertappunt bij het veld.",
	"Denk aan de parkeerdruk op zaterdag.",
	"Fijn dat hier eindelijk iets gebeurt!",
	"Liever geen verlichting, die trekt hangjongeren aan.",
	"Meer bankjes in de schaduw alstublieft.",
	"Zorg dat het gras goed blijft afwateren.",
};

static const char *proposition_value(const struct survey_question *q,
				     size_t nth, size_t buurt, bool paper,
				     uint64_t *rng)
{
	double p = support[buurt % (sizeof(support) / sizeof(*support))] -
		   0.08 * (double)nth;
	double r = uniform(rng);

	if (r < 0.03 && !q->required)
		return NULL; /* blank */
	if (paper && r < 0.045)
		return SURVEY_VALUE_INVALID; /* two boxes ticked */
	if (survey_find_option(q, SURVEY_OPT_NEUTRAL) && r < 0.16)
		return SURVEY_OPT_NEUTRAL;
	return uniform(rng) < p ? SURVEY_OPT_FOR : SURVEY_OPT_AGAINST;
}

/* The answers of one simulated household to every question. */
static void answer_all(const struct survey *s, struct survey_answers *a,
		       size_t buurt, bool paper, uint64_t *rng)
{
	size_t nth_prop = 0;
	char num[32];

	for (size_t i = 0; i < s->nr_questions; i++) {
		const struct survey_question *q = &s->questions[i];
		const char *v = NULL;

		if (!q->required && q->type != SURVEY_Q_PROPOSITION &&
		    uniform(rng) < 0.04)
			continue; /* skipped */
		switch (q->type) {
		case SURVEY_Q_PROPOSITION:
			v = proposition_value(q, nth_prop++, buurt, paper, rng);
			break;
		case SURVEY_Q_CHOICE:
		case SURVEY_Q_YESNO:
			if (q->nr_options)
				v = q->options[next(rng) % q->nr_options].id;
			break;
		case SURVEY_Q_MULTI: {
			size_t max = q->max_choices ? q->max_choices : 3;
			size_t want = (size_t)between(rng, 1, (long)max);
			bool taken[64] = { false };

			for (size_t k = 0;
			     k < want && q->nr_options && q->nr_options <= 64;
			     k++) {
				size_t o = next(rng) % q->nr_options;

				if (taken[o])
					continue;
				taken[o] = true;
				survey_answers_add(a, q, q->options[o].id);
			}
			continue;
		}
		case SURVEY_Q_SCALE:
			snprintf(num, sizeof(num), "%ld",
				 between(rng, q->min, q->max));
			v = num;
			break;
		case SURVEY_Q_NUMBER:
			/* Small numbers are the plausible ones. */
			snprintf(num, sizeof(num), "%ld",
				 between(rng, q->min,
					 q->max < q->min + 3 ? q->max
							     : q->min + 3));
			v = num;
			break;
		case SURVEY_Q_TEXT: {
			const char *t = remarks[next(rng) % (sizeof(remarks) /
							     sizeof(*remarks))];

			if (uniform(rng) < 0.2 && strlen(t) <= q->max_length)
				v = t;
			break;
		}
		}
		if (v)
			survey_answers_add(a, q, v);
	}
}

/* A moment within the survey's opening days, as SQLite stores it. */
static void random_moment(const struct survey *s, uint64_t *rng, char out[32])
{
	struct tm tm = { 0 };
	long days;
	time_t t;

	tm.tm_year = (s->opens[0] - '0') * 1000 + (s->opens[1] - '0') * 100 +
		     (s->opens[2] - '0') * 10 + (s->opens[3] - '0') - 1900;
	tm.tm_mon = (s->opens[5] - '0') * 10 + (s->opens[6] - '0') - 1;
	tm.tm_mday = (s->opens[8] - '0') * 10 + (s->opens[9] - '0');
	t = timegm(&tm);
	/* closes - opens in days, from the same arithmetic */
	tm.tm_year = (s->closes[0] - '0') * 1000 + (s->closes[1] - '0') * 100 +
		     (s->closes[2] - '0') * 10 + (s->closes[3] - '0') - 1900;
	tm.tm_mon = (s->closes[5] - '0') * 10 + (s->closes[6] - '0') - 1;
	tm.tm_mday = (s->closes[8] - '0') * 10 + (s->closes[9] - '0');
	days = (long)((timegm(&tm) - t) / 86400);
	t += between(rng, 0, days < 0 ? 0 : days) * 86400 +
	     between(rng, 7 * 3600, 22 * 3600);
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static size_t buurt_index(const struct survey *s, const char *id)
{
	for (size_t i = 0; i < s->nr_buurten; i++)
		if (!strcmp(s->buurten[i].id, id))
			return i;
	return 0;
}

struct simulation {
	const struct survey *s;
	const struct analysis_sim_options *o;
	struct analysis_sim_result *res;
	struct store *st;
	struct strbuf *err;
	uint64_t rng;
};

static int simulate_one(const struct store_household *h, void *data)
{
	struct simulation *sim = data;
	const struct survey *s = sim->s;
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	bool paper = uniform(&sim->rng) < 0.45;
	bool en = s->languages[SURVEY_EN] && uniform(&sim->rng) < 0.1;
	char when[32];
	struct store_record rec = {
		.household = h->id,
		.channel = paper ? STORE_CHANNEL_PAPER : STORE_CHANNEL_ONLINE,
		.entered_by = ANALYSIS_SIM_ENTERED_BY,
		.lang = en ? "en" : "nl",
		.answers = &a,
		.conflict = s->conflict,
		.expect_current = -1,
		.simulated = true,
		.created_at = when,
	};
	int rc;

	if (uniform(&sim->rng) * 100 >= sim->o->rate_pct)
		return 0;
	random_moment(s, &sim->rng, when);
	answer_all(s, &a, buurt_index(s, h->buurt_id), paper, &sim->rng);
	rc = store_response_record(sim->st, &rec, sim->err);
	survey_answers_release(&a);
	if (rc != STORE_OK)
		return STORE_ERROR;
	sim->res->responses++;
	return 0;
}

int analysis_simulate(struct store *st, const struct survey *s,
		      const struct analysis_sim_options *o,
		      struct analysis_sim_result *res, struct strbuf *err)
{
	struct simulation sim = { s, o, res, st, err, o->seed };
	int rc;

	memset(res, 0, sizeof(*res));
	if (store_begin(st, err) < 0)
		return -1;
	rc = store_responses_remove_simulated(st, &res->replaced, err);
	if (rc == STORE_REFUSED) {
		long long real = 0;

		store_responses_count_real(st, &real, err);
		strbuf_addf(err,
			    "the store %s holds %lld real responses; "
			    "simulated answers would mix with them, "
			    "so nothing was simulated",
			    store_path(st), real);
		goto fail;
	}
	if (rc != STORE_OK ||
	    store_households_count(st, NULL, &res->households, err) < 0 ||
	    store_households_each(st, NULL, simulate_one, &sim, err) != 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}
