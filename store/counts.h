/*
 * counts.h - what the analysis and the exports read: households per
 * buurt, the answers to the propositions added up, and the answers
 * themselves without anything personal.
 *
 * Only counting responses (those not superseded) are read, and the
 * counts come from the tallies that recording a response keeps up to
 * date in the same transaction (responses.h): reading them costs the
 * same for a million responses as for ten, and they can never disagree
 * with the answers.  The exports
 * read the view answer_export, which joins the answers side to the
 * household's buurt and nothing else: an export cannot carry an address
 * or a code.
 */
#ifndef DRAAGVLAK_STORE_COUNTS_H
#define DRAAGVLAK_STORE_COUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"
#include "strbuf.h"
#include "survey.h"

/*
 * Households per buurt of s (arrays of s->nr_buurten, in survey order,
 * zeroed first): with an imported address, and all (with the numbered
 * forms).  Buurten the survey does not have are left out.
 */
int store_counts_households(struct store *st, const struct survey *s,
			    uint64_t *with_address, uint64_t *all,
			    struct strbuf *err);

/*
 * Call fn for every (buurt, channel, proposition question, answer) with
 * how many counting responses gave that answer; value NULL is a response
 * without an answer to the question (blank).  So per buurt, channel and
 * question the counts add up to the responses.  Returns STORE_OK or
 * STORE_ERROR (fn returns nothing: every row is wanted).
 */
typedef void (*store_count_fn)(const char *buurt_id, const char *channel,
			       const char *question_id, const char *value,
			       uint64_t n, void *data);
int store_counts_propositions(struct store *st, store_count_fn fn, void *data,
			      struct strbuf *err);

/*
 * Call fn for every (buurt, channel, question, value) of a question
 * that is not a free text, with how many counting responses gave that
 * value (a multi question: how many ticked that option); and then for
 * every (buurt, channel) once with question_id and value NULL and n the
 * counting responses.  Rows of 0 are left out.  STORE_OK or STORE_ERROR.
 */
int store_counts_values(struct store *st, store_count_fn fn, void *data,
			struct strbuf *err);

/*
 * Call fn for every (day, buurt, channel) with how many counting
 * responses were made that day: day is the date in the Netherlands
 * ("2027-03-29", CET or CEST by the EU rule, as msg_moment() tells a
 * moment), not in UTC, so an answer given at 00:30 on a summer night
 * counts on the day the resident saw on the clock.  A response that
 * replaced an earlier one counts on the day of the latest.  By day,
 * buurt and channel; rows of 0 are left out; the rows add up to the
 * responses of store_counts_values().  Read from a tally the store's
 * triggers keep (schema.c, migration 14), as cheap as the others; a
 * moment that does not read as a date gives day "".  STORE_OK or
 * STORE_ERROR.
 */
typedef void (*store_day_fn)(const char *day, const char *buurt_id,
			     const char *channel, uint64_t n, void *data);
int store_counts_days(struct store *st, store_day_fn fn, void *data,
		      struct strbuf *err);

/*
 * Whether the tallies are what a count of the answers gives: *ok, with
 * the first difference in why (may be NULL).  For tests and verify.
 */
int store_counts_check(struct store *st, bool *ok, struct strbuf *why,
		       struct strbuf *err);

/*
 * Call fn for every free text of a counting response, by question and
 * then alphabetically: in an order that says nothing of who wrote it or
 * when, with nothing else of the response.  The strings live until fn
 * returns; a non-zero return stops and is returned.
 */
typedef int (*store_text_fn)(const char *question_id, const char *text,
			     void *data);
int store_export_texts(struct store *st, store_text_fn fn, void *data,
		       struct strbuf *err);

/*
 * Count the tallies again from the answers: after answers were put in
 * past the layer (a benchmark's bulk load).  STORE_OK or STORE_ERROR.
 */
int store_counts_rebuild(struct store *st, struct strbuf *err);

/*
 * The counting responses' ids in ascending order (caller frees *ids):
 * the exports number their respondents by position in this list.
 */
int store_export_respondents(struct store *st, long long **ids, size_t *nr,
			     struct strbuf *err);

/*
 * Call fn for every answer to question_id (of buurt_id, or all when
 * NULL) of a counting response, by buurt, response and value.  A
 * non-zero return from fn stops and is returned.  STORE_OK, fn's value,
 * or STORE_ERROR.
 */
typedef int (*store_export_fn)(long long response, const char *buurt_id,
			       const char *channel, const char *question_id,
			       const char *value, void *data);
int store_export_each(struct store *st, const char *question_id,
		      const char *buurt_id, store_export_fn fn, void *data,
		      struct strbuf *err);

#endif
