/*
 * verdict.h - is there draagvlak?  The agreed rule applied to the counts
 * of one proposition question in one buurt (or in the buurten pooled).
 *
 * This module is pure arithmetic: no store, no output.  It decides the
 * verdict exactly as docs/definition.md ("The agreement, exactly") says,
 * with every threshold compared in integers through
 * agreement_threshold_met(); it works out whether the households that
 * have not answered yet could still change that verdict (by reasoning
 * over the extreme ways they could answer, checked against brute force in
 * tests/test_verdict.c); and, when the agreement names a confidence
 * level, it gives the Wilson score interval of the share in favour and the
 * verdict "too close to call" when that interval straddles the threshold.
 */
#ifndef DRAAGVLAK_VERDICT_H
#define DRAAGVLAK_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "agreement.h"
#include "lang.h"

/*
 * What one proposition question counted.  responses are the five answer
 * kinds added up; silent households are those of the denominator that
 * have not answered (households - responses, never below 0: anonymous
 * forms can make responses exceed households).  The caller fills silent
 * so that pooled tallies can add up the buurten's silent households.
 */
struct analysis_tally {
	uint64_t households; /* the denominator of the quorum */
	uint64_t silent;     /* who have not answered (yet) */
	uint64_t n_for, n_against, n_neutral, n_blank, n_invalid;
};

/* for + against + neutral + blank + invalid. */
uint64_t analysis_tally_responses(const struct analysis_tally *t);
/* silent = households - responses, or 0 when responses are more. */
void analysis_tally_set_silent(struct analysis_tally *t);
/* Add t to sum, field by field (pooling buurten). */
void analysis_tally_add(struct analysis_tally *sum,
			const struct analysis_tally *t);

enum analysis_verdict {
	ANALYSIS_SUFFICIENT,   /* voldoende draagvlak */
	ANALYSIS_INSUFFICIENT, /* onvoldoende draagvlak */
	ANALYSIS_LOW_RESPONSE, /* respons te laag: the quorum is missed */
	ANALYSIS_TOO_CLOSE,    /* te krap om te beslissen (statistical) */
	ANALYSIS_NVERDICT
};

/* Bit of a verdict in analysis_outcome.possible. */
#define ANALYSIS_BIT(v) (1u << (v))

/*
 * The verdict in full words: "voldoende draagvlak", "sufficient
 * support", ...  Static strings.
 */
const char *analysis_verdict_words(enum analysis_verdict v,
				   enum survey_lang lang);
/* "sufficient", "insufficient", "low_response", "too_close": CSV, JSON. */
const char *analysis_verdict_name(enum analysis_verdict v);

/*
 * The share in favour on the agreed basis as part/whole:
 *   votes:      for / (for + against + neutral, blank, invalid where they
 *               count as against)
 *   responses:  for / responses
 *   households: for / households, or (for + silent) / households when
 *               silence is consent
 */
void analysis_share(const struct agreement *a, const struct analysis_tally *t,
		    uint64_t *part, uint64_t *whole);

/*
 * The rule applied to the counts as they are: the quorum first (missed:
 * ANALYSIS_LOW_RESPONSE), then the share in favour.  Never TOO_CLOSE.
 */
enum analysis_verdict analysis_exact_verdict(const struct agreement *a,
					     const struct analysis_tally *t);

/*
 * The exact verdicts reachable when each silent household either stays
 * silent or answers for, against, neutral, blank or invalid, as a mask of
 * ANALYSIS_BIT()s.  One bit set: the outcome is decided, whatever the
 * silent households do.  Exact integer arithmetic, and O(1): the share
 * in favour only grows as more of them answer for and only shrinks as
 * more answer against, and the quorum only grows with answers, so the
 * extreme completions (all stay silent; all answer for; all against; all
 * neutral, blank or invalid) reach every verdict any completion reaches.
 */
unsigned analysis_possible_verdicts(const struct agreement *a,
				    const struct analysis_tally *t);

/*
 * The two-sided z value of a confidence level in permille (950 -> 1.96).
 * confidence_permille must be in 1..999.
 */
double analysis_z(uint32_t confidence_permille);

/*
 * The Wilson score interval of the share part/whole measured on whole
 * households out of a population of population households, with the
 * finite population correction sqrt((N - n) / (N - 1)) applied to the
 * standard error (so z is scaled by it inside the score equation; when
 * everyone answered the interval is the share itself).  Returns false and
 * leaves lo/hi alone when whole is 0.
 */
bool analysis_wilson(uint64_t part, uint64_t whole, uint64_t population,
		     uint32_t confidence_permille, double *lo, double *hi);

/*
 * The least part with part/whole meeting t, in exact integer arithmetic:
 * ceil(whole * num / den) for ">=", floor(whole * num / den) + 1 for ">".
 * 0 when t is unset; UINT64_MAX when whole is 0 (0/0 never meets it).
 */
uint64_t analysis_threshold_least(const struct agreement_threshold *t,
				  uint64_t whole);

/*
 * How far the counts are from another outcome, for the board while the
 * survey runs: "Nog 12 antwoorden nodig voor de opkomstdrempel", "Met nog
 * 8 stemmen voor wordt het voldoende".
 */
struct analysis_margin {
	bool has_quorum;       /* the agreement sets a quorum */
	bool quorum_reachable; /* there are households to reach it with */
	uint64_t quorum_short; /* answers the quorum still needs; 0 when met */
	/*
	 * true: the exact verdict is not sufficient, and flip is the least
	 * number of silent households answering for that make it so; false:
	 * it is sufficient, and flip is the least number answering against
	 * that undo it.
	 */
	bool toward_sufficient;
	bool can_flip; /* flip <= silent: otherwise it is decided */
	uint64_t flip;
};

/*
 * The margin of t under a.  flip is found by bisection over the silent
 * households with analysis_exact_verdict() itself (the verdict only
 * moves one way as more of them answer alike: see
 * analysis_possible_verdicts()), so it follows the rule exactly.
 */
void analysis_margin(const struct agreement *a, const struct analysis_tally *t,
		     struct analysis_margin *m);

/* Everything the report says about one tally under one agreement. */
struct analysis_outcome {
	uint64_t responses;
	bool quorum_met;
	uint64_t part, whole; /* the share in favour */
	bool share_met;
	enum analysis_verdict exact;   /* the rule on the counts */
	enum analysis_verdict verdict; /* exact, or ANALYSIS_TOO_CLOSE */
	unsigned possible;	       /* see analysis_possible_verdicts() */
	bool decided;		       /* possible has exactly one bit */
	bool exact_share; /* basis households: no sampling, no interval */
	bool has_interval;
	double lo, hi; /* the Wilson interval, when has_interval */
	struct analysis_margin margin;
};

/*
 * Judge t under a.  The verdict is TOO_CLOSE when a names a confidence
 * level, the quorum is met, the outcome is not decided, and the interval
 * has the threshold strictly inside it.
 */
void analysis_judge(const struct agreement *a, const struct analysis_tally *t,
		    struct analysis_outcome *o);

/*
 * The decision when every buurt must pass (decision: all).  Start with
 * analysis_all_init() and add each buurt's outcome.  The plan has
 * sufficient support only when every buurt has; it is insufficient as
 * soon as one buurt is insufficient or missed its quorum; otherwise (some
 * buurt too close to call, none failing) it is too close to call.  It is
 * decided when every buurt is decided to pass, or some buurt can no
 * longer pass.
 */
struct analysis_overall {
	enum analysis_verdict verdict;
	bool decided;
	unsigned nr_buurten, nr_passing, nr_failing, nr_too_close;
	bool all_decided_pass; /* internal: every buurt so far can only pass */
	bool one_cannot_pass;  /* internal: some buurt can no longer pass */
};

void analysis_all_init(struct analysis_overall *ov);
void analysis_all_add(struct analysis_overall *ov,
		      const struct analysis_outcome *o);

#endif
