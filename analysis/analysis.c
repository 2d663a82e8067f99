/*
 * analysis.c - reading the counts of a survey out of its store and
 * judging them (see analysis.h).
 *
 * The store is read with one aggregate query over current responses, so
 * the time grows with the responses only once and not with the number of
 * buurten; the rules are applied to the few thousand counts that come
 * back, in C, where they are tested (verdict.c).
 */
#include "analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "counts.h"
#include "lifecycle.h"
#include "xalloc.h"
#include "banned.h"

const char *analysis_channel_name(enum analysis_channel c)
{
	static const char *const name[] = { "online", "paper", "scan" };

	return (unsigned)c < ANALYSIS_NCHANNEL ? name[c] : "unknown";
}

const char *analysis_kind_name(enum analysis_kind k)
{
	static const char *const name[] = { "for", "against", "neutral",
					    "blank", "invalid" };

	return (unsigned)k < ANALYSIS_NKIND ? name[k] : "unknown";
}

void analysis_local_date(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
		memcpy(out, "1970-01-01", 11);
}

bool analysis_valid_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	/* 29 February only in leap years. */
	return !(m == 2 && d == 29 &&
		 (y % 4 || (y % 100 == 0 && y % 400 != 0)));
}

bool analysis_still_open(const struct analysis *an)
{
	return an->phase != ANALYSIS_CLOSED;
}

void analysis_free(struct analysis *an)
{
	if (!an)
		return;
	for (size_t i = 0; i < an->nr_questions; i++)
		free(an->questions[i].cells);
	free(an->questions);
	free(an->buurten);
	free(an->days);
	free(an->day_buurt);
	free(an);
}

static long find_buurt(const struct survey *s, const char *id)
{
	for (size_t i = 0; i < s->nr_buurten; i++)
		if (!strcmp(s->buurten[i].id, id))
			return (long)i;
	return -1;
}

static long find_question(const struct analysis *an, const char *id)
{
	for (size_t i = 0; i < an->nr_questions; i++)
		if (!strcmp(an->questions[i].q->id, id))
			return (long)i;
	return -1;
}

static int channel_of(const char *c)
{
	for (int i = 0; i < ANALYSIS_NCHANNEL; i++)
		if (!strcmp(c, analysis_channel_name((enum analysis_channel)i)))
			return i;
	return -1;
}

/*
 * NULL (no answer row) is blank.  A value the definition does not know
 * cannot be read as for: it counts as invalid.
 */
static enum analysis_kind kind_of(const char *value)
{
	if (!value)
		return ANALYSIS_BLANK;
	if (!strcmp(value, SURVEY_OPT_FOR))
		return ANALYSIS_FOR;
	if (!strcmp(value, SURVEY_OPT_AGAINST))
		return ANALYSIS_AGAINST;
	if (!strcmp(value, SURVEY_OPT_NEUTRAL))
		return ANALYSIS_NEUTRAL;
	return ANALYSIS_INVALID;
}

/* Households with and without an address, per buurt. */
static int read_households(struct store *st, struct analysis *an,
			   struct strbuf *err)
{
	size_t nb = an->s->nr_buurten ? an->s->nr_buurten : 1;
	uint64_t *with = xcalloc(nb, sizeof(*with));
	uint64_t *all = xcalloc(nb, sizeof(*all));
	int rc = store_counts_households(st, an->s, with, all, err);

	for (size_t b = 0; rc == STORE_OK && b < an->s->nr_buurten; b++) {
		an->buurten[b].anonymous = all[b] - with[b];
		an->buurten[b].residents =
			an->s->voting_unit == SURVEY_UNIT_RESIDENT;
		if (with[b] > 0) {
			an->buurten[b].households = with[b];
			an->buurten[b].from_addresses = true;
		}
	}
	free(with);
	free(all);
	return rc == STORE_OK ? 0 : -1;
}

static void add_count(const char *buurt_id, const char *channel,
		      const char *question_id, const char *value, uint64_t n,
		      void *data)
{
	struct analysis *an = data;
	long b = find_buurt(an->s, buurt_id);
	int ch = channel_of(channel);
	long q = find_question(an, question_id);

	if (b < 0 || ch < 0 || q < 0)
		return;
	an->questions[q].cells[b].count[ch][kind_of(value)] += n;
	/* Every response meets every question once: count it once. */
	if (q == 0)
		an->buurten[b].responses[ch] += n;
}

static int read_counts(struct store *st, struct analysis *an,
		       struct strbuf *err)
{
	return store_counts_propositions(st, add_count, an, err) == STORE_OK
		       ? 0
		       : -1;
}

/* ---- responses per day ---------------------------------------------- */

struct day_row {
	char date[11];
	long buurt;
	int channel;
	uint64_t n;
};

struct day_rows {
	const struct analysis *an;
	struct day_row *v;
	size_t nr, alloc;
};

static void add_day(const char *day, const char *buurt_id, const char *channel,
		    uint64_t n, void *data)
{
	struct day_rows *rows = data;
	struct day_row *r;

	if (strlen(day) != 10 || !analysis_valid_date(day))
		return;
	ALLOC_GROW(rows->v, rows->nr + 1, rows->alloc);
	r = &rows->v[rows->nr++];
	memcpy(r->date, day, 11);
	r->buurt = find_buurt(rows->an->s, buurt_id);
	r->channel = channel_of(channel);
	r->n = n;
}

/* Days from a to b (YYYY-MM-DD, a <= b), counting both. */
static size_t days_between(const char *a, const char *b)
{
	struct tm ta = { 0 }, tb = { 0 };

	sscanf(a, "%4d-%2d-%2d", &ta.tm_year, &ta.tm_mon, &ta.tm_mday);
	sscanf(b, "%4d-%2d-%2d", &tb.tm_year, &tb.tm_mon, &tb.tm_mday);
	ta.tm_year -= 1900;
	tb.tm_year -= 1900;
	ta.tm_mon--;
	tb.tm_mon--;
	ta.tm_hour = tb.tm_hour = 12;
	return (size_t)((timegm(&tb) - timegm(&ta)) / 86400) + 1;
}

/* The date first + i days into out. */
static void day_after(const char *first, size_t i, char out[11])
{
	struct tm tm = { 0 };
	char buf[40];
	time_t t;

	sscanf(first, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon--;
	tm.tm_hour = 12;
	t = timegm(&tm) + (time_t)i * 86400;
	gmtime_r(&t, &tm);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

/*
 * A survey runs for weeks; a store whose clock was once wrong could
 * span decades.  Beyond this many days only the days with answers are
 * kept, so a chart stays drawable.
 */
#define DAYS_FILL_MAX 1000

static int read_days(struct store *st, struct analysis *an, struct strbuf *err)
{
	struct day_rows rows = { an, NULL, 0, 0 };
	size_t nb = an->s->nr_buurten, nd = 0, span;
	bool fill;

	if (store_counts_days(st, add_day, &rows, err) != STORE_OK) {
		free(rows.v);
		return -1;
	}
	if (!rows.nr)
		return 0;
	span = days_between(rows.v[0].date, rows.v[rows.nr - 1].date);
	fill = span <= DAYS_FILL_MAX;
	if (!fill) {
		span = 0;
		for (size_t i = 0; i < rows.nr; i++)
			span += !i ||
				strcmp(rows.v[i].date, rows.v[i - 1].date);
	}
	an->days = xcalloc(span, sizeof(*an->days));
	an->day_buurt = xcalloc(span * (nb ? nb : 1), sizeof(*an->day_buurt));
	if (fill)
		for (size_t d = 0; d < span; d++)
			day_after(rows.v[0].date, d, an->days[d].date);
	/* The rows come by date, so each finds its day at or after nd. */
	for (size_t i = 0; i < rows.nr; i++) {
		const struct day_row *r = &rows.v[i];

		if (fill) {
			while (strcmp(an->days[nd].date, r->date))
				nd++;
		} else if (!i || strcmp(r->date, rows.v[i - 1].date)) {
			if (i)
				nd++;
			memcpy(an->days[nd].date, r->date, 11);
		}
		if (r->channel < 0)
			continue;
		an->days[nd].count[r->channel] += r->n;
		if (r->buurt >= 0)
			an->day_buurt[nd * nb + (size_t)r->buurt][r->channel] +=
				r->n;
	}
	an->nr_days = span;
	free(rows.v);
	return 0;
}

uint64_t analysis_day_counts(const struct analysis *an, size_t d, long b,
			     uint64_t n[ANALYSIS_NCHANNEL])
{
	const uint64_t *src =
		b < 0 ? an->days[d].count
		      : an->day_buurt[d * an->s->nr_buurten + (size_t)b];
	uint64_t sum = 0;

	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
		sum += n[ch] = src[ch];
	return sum;
}

static void tally_of(struct analysis_cell *c, uint64_t households)
{
	uint64_t *kind[ANALYSIS_NKIND] = {
		&c->tally.n_for,   &c->tally.n_against, &c->tally.n_neutral,
		&c->tally.n_blank, &c->tally.n_invalid,
	};

	memset(&c->tally, 0, sizeof(c->tally));
	c->tally.households = households;
	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
		for (int k = 0; k < ANALYSIS_NKIND; k++)
			*kind[k] += c->count[ch][k];
	analysis_tally_set_silent(&c->tally);
}

/*
 * Once the survey has closed no one can answer any more: the outcome is
 * what the counts say.  (The verdict itself was judged before this, so a
 * statistical "too close to call" still reflects the households that
 * could have answered differently.)
 */
static void close_outcome(const struct analysis *an, struct analysis_outcome *o)
{
	if (an->phase != ANALYSIS_CLOSED)
		return;
	/*
	 * Final: the verdict is what it is, and possible says the same, so
	 * that a program reading "decided" and "possible" is not told
	 * "sufficient" for a buurt that is too close to call.
	 */
	o->possible = ANALYSIS_BIT(o->verdict);
	o->decided = true;
}

void analysis_judge_all(struct analysis *an)
{
	const struct survey *s = an->s;

	for (size_t i = 0; i < an->nr_questions; i++) {
		struct analysis_question *aq = &an->questions[i];

		memset(&aq->total, 0, sizeof(aq->total));
		analysis_all_init(&aq->all);
		for (size_t b = 0; b < s->nr_buurten; b++) {
			struct analysis_cell *c = &aq->cells[b];

			tally_of(c, an->buurten[b].households);
			analysis_judge(&s->buurten[b].agreement, &c->tally,
				       &c->outcome);
			close_outcome(an, &c->outcome);
			analysis_all_add(&aq->all, &c->outcome);
			for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
				for (int k = 0; k < ANALYSIS_NKIND; k++)
					aq->total.count[ch][k] +=
						c->count[ch][k];
			/* Silent households add up per buurt: see verdict.h */
			analysis_tally_add(&aq->total.tally, &c->tally);
		}
		aq->has_overall = an->decision != AGREEMENT_EACH;
		if (an->decision == AGREEMENT_POOLED) {
			analysis_judge(&s->agreement, &aq->total.tally,
				       &aq->total.outcome);
			close_outcome(an, &aq->total.outcome);
			aq->overall = aq->total.outcome.verdict;
			aq->overall_decided = aq->total.outcome.decided;
		} else if (an->decision == AGREEMENT_ALL) {
			aq->overall = aq->all.verdict;
			aq->overall_decided = aq->all.decided;
		}
	}
}

struct analysis *analysis_run(struct store *st, const struct survey *s,
			      const char *today, struct strbuf *err)
{
	struct analysis *an = xcalloc(1, sizeof(*an));
	size_t nq = survey_count_propositions(s), k = 0;

	an->s = s;
	if (today) {
		if (!analysis_valid_date(today)) {
			strbuf_addf(err, "'%s' is not a date like 2027-04-20",
				    today);
			goto fail;
		}
		memcpy(an->today, today, 11);
	} else {
		analysis_local_date(an->today);
	}
	/* ISO dates compare as strings. */
	if (strcmp(an->today, s->opens) < 0)
		an->phase = ANALYSIS_NOT_OPEN;
	else if (strcmp(an->today, s->closes) > 0)
		an->phase = ANALYSIS_CLOSED;
	else
		an->phase = ANALYSIS_OPEN;
	/* Closed by the board: final, whatever the calendar says. */
	{
		struct store_lifecycle lc;

		if (store_lifecycle_read(st, &lc, err) < 0)
			goto fail;
		if (lc.closed)
			an->phase = ANALYSIS_CLOSED;
	}
	an->decision = s->agreement.decision;
	an->buurten = xcalloc(s->nr_buurten ? s->nr_buurten : 1,
			      sizeof(*an->buurten));
	for (size_t b = 0; b < s->nr_buurten; b++) {
		an->buurten[b].buurt = &s->buurten[b];
		an->buurten[b].households = s->buurten[b].households;
	}
	an->questions = xcalloc(nq ? nq : 1, sizeof(*an->questions));
	for (size_t i = 0; i < s->nr_questions; i++) {
		if (s->questions[i].type != SURVEY_Q_PROPOSITION)
			continue;
		an->questions[k].q = &s->questions[i];
		an->questions[k].cells =
			xcalloc(s->nr_buurten ? s->nr_buurten : 1,
				sizeof(*an->questions[k].cells));
		k++;
	}
	an->nr_questions = k;
	if (!nq) {
		strbuf_addstr(err, "the survey has no proposition question, "
				   "so there is no draagvlak to measure");
		goto fail;
	}
	if (read_households(st, an, err) < 0 || read_counts(st, an, err) < 0 ||
	    read_days(st, an, err) < 0)
		goto fail;
	analysis_judge_all(an);
	return an;
fail:
	analysis_free(an);
	return NULL;
}
