/*
 * questions.h - the answers to every question, counted per buurt: what
 * the board reads beside the verdicts (how many chose each option, each
 * number on a scale), and the free texts, which no one can link to a
 * household.
 *
 * The counts come from the store's tallies (store/counts.h), so reading
 * them costs the same for a million responses as for ten.  A question's
 * values are its options in the order of the definition (with "invalid"
 * for a paper form with two boxes ticked), or for scale and number
 * questions every whole number from min to max that anyone gave.  Shares
 * are of the responses that answered the question, and for a multi
 * question of every response (so they add up to more than 100%).  Free texts come by question and in
 * alphabetical order, never in the order they came in.
 */
#ifndef DRAAGVLAK_QUESTIONS_H
#define DRAAGVLAK_QUESTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "lang.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"

struct analysis_qvalue {
	char *value; /* as stored: an option id, a number */
	uint64_t *n; /* per buurt, and [nr_buurten] all together */
};

struct analysis_qcounts {
	const struct survey_question *q;
	struct analysis_qvalue *values;
	size_t nr_values;
	uint64_t *answered; /* what its shares are of, per buurt + all */
	char **texts;	    /* a text question's answers */
	size_t nr_texts;
};

struct analysis_counts {
	const struct survey *s; /* borrowed */
	size_t nr_buurten;
	uint64_t *responses;		    /* per buurt, and all together */
	struct analysis_qcounts *questions; /* every question, in order */
	size_t nr_questions;
};

/*
 * Count the answers of the survey s in st.  Returns 0 (release with
 * analysis_counts_release()), or -1 with a sentence in err.
 */
int analysis_counts_read(struct store *st, const struct survey *s,
			 struct analysis_counts *c, struct strbuf *err);
void analysis_counts_release(struct analysis_counts *c);

/* What a person reads for a value of q: the option's label, or itself. */
const char *analysis_value_label(const struct survey_question *q,
				 const char *value, enum survey_lang lang);

#endif
