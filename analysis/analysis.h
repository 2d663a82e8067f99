/*
 * analysis.h - the draagvlak of a survey: for each proposition question,
 * the counts and the verdict per buurt, and the decision over the buurten.
 *
 * analysis_run() reads a store with one aggregate query (current
 * responses joined to their household's buurt, per buurt, channel,
 * question and answer) and one count of households per buurt, and does
 * the rest in C with verdict.h.  Only current responses count (those not
 * superseded).  The denominator of a buurt is its households with an
 * imported address, or the definition's `households` when none were
 * imported; households without an address (numbered forms) do not add to
 * it, since they are extra forms for households already counted, but
 * their responses count.
 */
#ifndef DRAAGVLAK_ANALYSIS_H
#define DRAAGVLAK_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "strbuf.h"
#include "survey.h"
#include "verdict.h"

enum analysis_channel {
	ANALYSIS_ONLINE,
	ANALYSIS_PAPER,
	ANALYSIS_SCAN,
	ANALYSIS_NCHANNEL
};

/* The answers to a proposition, in the order of struct analysis_tally. */
enum analysis_kind {
	ANALYSIS_FOR,
	ANALYSIS_AGAINST,
	ANALYSIS_NEUTRAL,
	ANALYSIS_BLANK,
	ANALYSIS_INVALID,
	ANALYSIS_NKIND
};

/* "online", "paper", "scan" as stored. */
const char *analysis_channel_name(enum analysis_channel c);
/* "for", "against", ... for CSV and JSON. */
const char *analysis_kind_name(enum analysis_kind k);

/* Where the survey is in time on the day of the analysis. */
enum analysis_phase {
	ANALYSIS_NOT_OPEN, /* before opens */
	ANALYSIS_OPEN,	   /* opens <= today <= closes */
	ANALYSIS_CLOSED,   /* after closes: the counts are final */
};

/* One proposition question in one buurt, or in all buurten together. */
struct analysis_cell {
	uint64_t count[ANALYSIS_NCHANNEL][ANALYSIS_NKIND];
	struct analysis_tally tally; /* over the channels, with households */
	struct analysis_outcome outcome;
};

struct analysis_buurt {
	const struct survey_buurt *buurt; /* in the survey given to run */
	uint64_t households;		  /* the denominator */
	bool from_addresses;		  /* counted from imported addresses */
	/* voting_unit resident: the units counted are voters of 18+. */
	bool residents;
	uint64_t anonymous; /* households without an address (forms) */
	uint64_t responses[ANALYSIS_NCHANNEL];
};

struct analysis_question {
	const struct survey_question *q;
	struct analysis_cell *cells; /* one per buurt, in survey order */
	/*
	 * All buurten added up.  Judged with the survey-wide agreement only
	 * when the decision is pooled; otherwise outcome is not set.
	 */
	struct analysis_cell total;
	bool has_overall; /* false for decision each */
	enum analysis_verdict overall;
	bool overall_decided;
	struct analysis_overall all; /* decision all: the counts behind it */
};

/*
 * The counting responses made on one day, in the Netherlands' time
 * (store_counts_days()), by channel: over all buurten in count, per
 * buurt in struct analysis's day_buurt.
 */
struct analysis_day {
	char date[11]; /* YYYY-MM-DD */
	uint64_t count[ANALYSIS_NCHANNEL];
};

struct analysis {
	const struct survey *s; /* borrowed: must outlive the analysis */
	char today[11];		/* YYYY-MM-DD the analysis is for */
	enum analysis_phase phase;
	enum agreement_decision decision;
	struct analysis_buurt *buurten; /* s->nr_buurten */
	struct analysis_question *questions;
	size_t nr_questions; /* proposition questions only */
	/*
	 * Responses per day, from the first day with one to the last, the
	 * days between without any included (at 0), so that a chart of
	 * them has no holes; nr_days 0 when nobody answered.  day_buurt
	 * has nr_days * s->nr_buurten entries: see analysis_day_counts().
	 */
	struct analysis_day *days;
	size_t nr_days;
	uint64_t (*day_buurt)[ANALYSIS_NCHANNEL];
};

/*
 * Analyse the survey s stored in st as on day today (YYYY-MM-DD; NULL for
 * the local date).  Returns the analysis (free with analysis_free()), or
 * NULL with a sentence in err.
 */
struct analysis *analysis_run(struct store *st, const struct survey *s,
			      const char *today, struct strbuf *err);
/*
 * The responses of day d (< an->nr_days) by channel into n: of buurt b
 * (an index into an->s->buurten), or of all buurten when b < 0.
 * Returns their sum.
 */
uint64_t analysis_day_counts(const struct analysis *an, size_t d, long b,
			     uint64_t n[ANALYSIS_NCHANNEL]);

/* NULL is fine. */
void analysis_free(struct analysis *an);

/*
 * Whether the outcome can still change: true while the survey has not
 * closed (answers can still come in).
 */
bool analysis_still_open(const struct analysis *an);

/* Today's local date as YYYY-MM-DD into out (11 bytes). */
void analysis_local_date(char out[11]);
/* Whether s is a real YYYY-MM-DD date. */
bool analysis_valid_date(const char *s);

/*
 * Judge the cells of every question again from their counts (after the
 * caller changed them, as the tests do); analysis_run() does this itself.
 */
void analysis_judge_all(struct analysis *an);

#endif
