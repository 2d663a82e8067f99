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

static int insert_answer(struct survey_store *st, sqlite3_stmt *ins,
			 sqlite3_int64 response, const char *qid,
			 const char *value, struct strbuf *err)
{
	int rc;

	sqlite3_bind_int64(ins, 1, response);
	sqlite3_bind_text(ins, 2, qid, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, value, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	if (rc != SQLITE_DONE) {
		survey_store_error(st, err);
		return -1;
	}
	return 0;
}

/* The answers of one simulated household to every question. */
static int answer_all(struct survey_store *st, const struct survey *s,
		      sqlite3_stmt *ins, sqlite3_int64 response, size_t buurt,
		      bool paper, uint64_t *rng, struct strbuf *err)
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
				if (insert_answer(st, ins, response, q->id,
						  q->options[o].id, err) < 0)
					return -1;
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
		if (v && insert_answer(st, ins, response, q->id, v, err) < 0)
			return -1;
	}
	return 0;
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

static long long count(struct survey_store *st, const char *sql)
{
	sqlite3_stmt *stmt = survey_store_prepare(st, sql, NULL);
	long long n = -1;

	if (stmt && sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

static size_t buurt_index(const struct survey *s, const char *id)
{
	for (size_t i = 0; i < s->nr_buurten; i++)
		if (!strcmp(s->buurten[i].id, id))
			return i;
	return 0;
}

int analysis_simulate(struct survey_store *st, const struct survey *s,
		      const struct analysis_sim_options *o,
		      struct analysis_sim_result *res, struct strbuf *err)
{
	sqlite3_stmt *hh = NULL, *resp = NULL, *ans = NULL;
	uint64_t rng = o->seed;
	long long real;
	int rc, ret = -1;

	memset(res, 0, sizeof(*res));
	if (survey_store_exec(st, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	real = count(st, "SELECT count(*) FROM response WHERE entered_by IS "
			 "NULL OR entered_by <> '" ANALYSIS_SIM_ENTERED_BY "'");
	if (real != 0) {
		if (real < 0)
			survey_store_error(st, err);
		else
			strbuf_addf(err,
				    "the store %s holds %lld real responses; "
				    "simulated answers would mix with them, "
				    "so nothing was simulated",
				    st->path, real);
		goto out;
	}
	res->replaced = count(st, "SELECT count(*) FROM response");
	res->households = count(st, "SELECT count(*) FROM household");
	if (survey_store_exec(st, "DELETE FROM answer; DELETE FROM response;",
			      err) < 0)
		goto out;
	hh = survey_store_prepare(
		st, "SELECT id, buurt_id FROM household ORDER BY id", err);
	resp = survey_store_prepare(
		st,
		"INSERT INTO response(household_id, channel, entered_by, "
		"lang, created_at) VALUES (?, ?, "
		"'" ANALYSIS_SIM_ENTERED_BY "', ?, ?)",
		err);
	ans = survey_store_prepare(st,
				   "INSERT INTO answer(response_id, "
				   "question_id, value) VALUES (?, ?, ?)",
				   err);
	if (!hh || !resp || !ans)
		goto out;
	while ((rc = sqlite3_step(hh)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(hh, 0);
		size_t b = buurt_index(
			s, (const char *)sqlite3_column_text(hh, 1));
		bool paper = uniform(&rng) < 0.45;
		bool en = s->languages[SURVEY_EN] && uniform(&rng) < 0.1;
		char when[32];

		if (uniform(&rng) * 100 >= o->rate_pct)
			continue;
		random_moment(s, &rng, when);
		sqlite3_bind_int64(resp, 1, id);
		sqlite3_bind_text(resp, 2, paper ? "paper" : "online", -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(resp, 3, en ? "en" : "nl", -1, SQLITE_STATIC);
		sqlite3_bind_text(resp, 4, when, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(resp);
		sqlite3_reset(resp);
		if (rc != SQLITE_DONE) {
			survey_store_error(st, err);
			goto out;
		}
		if (answer_all(st, s, ans, sqlite3_last_insert_rowid(st->db), b,
			       paper, &rng, err) < 0)
			goto out;
		res->responses++;
	}
	if (rc != SQLITE_DONE) {
		survey_store_error(st, err);
		goto out;
	}
	sqlite3_finalize(hh);
	sqlite3_finalize(resp);
	sqlite3_finalize(ans);
	hh = resp = ans = NULL;
	if (survey_store_exec(st, "COMMIT", err) < 0)
		goto out;
	ret = 0;
out:
	sqlite3_finalize(hh);
	sqlite3_finalize(resp);
	sqlite3_finalize(ans);
	if (ret < 0)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return ret;
}
