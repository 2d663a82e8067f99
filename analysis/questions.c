/*
 * questions.c - the answers to every question, counted (see questions.h).
 */
#include "questions.h"

#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "msg.h"
#include "xalloc.h"
#include "banned.h"

static long buurt_index(const struct survey *s, const char *id)
{
	for (size_t b = 0; b < s->nr_buurten; b++)
		if (!strcmp(s->buurten[b].id, id))
			return (long)b;
	return -1;
}

static struct analysis_qcounts *question_of(struct analysis_counts *c,
					    const char *id)
{
	for (size_t i = 0; i < c->nr_questions; i++)
		if (!strcmp(c->questions[i].q->id, id))
			return &c->questions[i];
	return NULL;
}

static struct analysis_qvalue *add_value(struct analysis_counts *c,
					 struct analysis_qcounts *qc,
					 const char *value)
{
	struct analysis_qvalue *v;

	qc->values =
		xrealloc(qc->values, (qc->nr_values + 1) * sizeof(*qc->values));
	v = &qc->values[qc->nr_values++];
	v->value = xstrdup(value);
	v->n = xcalloc(c->nr_buurten + 1, sizeof(*v->n));
	return v;
}

static struct analysis_qvalue *find_value(struct analysis_qcounts *qc,
					  const char *value)
{
	for (size_t i = 0; i < qc->nr_values; i++)
		if (!strcmp(qc->values[i].value, value))
			return &qc->values[i];
	return NULL;
}

/* The values a question always shows, even when nobody gave them. */
static void known_values(struct analysis_counts *c, struct analysis_qcounts *qc)
{
	const struct survey_question *q = qc->q;

	for (size_t k = 0; k < q->nr_options; k++)
		add_value(c, qc, q->options[k].id);
	if (q->type == SURVEY_Q_SCALE && q->max - q->min <= 20)
		for (long v = q->min; v <= q->max; v++) {
			char num[24];

			snprintf(num, sizeof(num), "%ld", v);
			add_value(c, qc, num);
		}
}

static void add_count(const char *buurt_id, const char *channel,
		      const char *question_id, const char *value, uint64_t n,
		      void *data)
{
	struct analysis_counts *c = data;
	long b = buurt_index(c->s, buurt_id);
	struct analysis_qcounts *qc;
	struct analysis_qvalue *v;

	(void)channel;
	if (b < 0)
		return;
	if (!question_id) { /* the responses of a buurt and channel */
		c->responses[b] += n;
		c->responses[c->nr_buurten] += n;
		return;
	}
	qc = question_of(c, question_id);
	if (!qc)
		return;
	v = find_value(qc, value);
	if (!v)
		v = add_value(c, qc, value);
	v->n[b] += n;
	v->n[c->nr_buurten] += n;
	/* One value per response, but for multi: see answered below. */
	if (qc->q->type != SURVEY_Q_MULTI) {
		qc->answered[b] += n;
		qc->answered[c->nr_buurten] += n;
	}
}

static int add_text(const char *question_id, const char *text, void *data)
{
	struct analysis_counts *c = data;
	struct analysis_qcounts *qc = question_of(c, question_id);

	if (!qc)
		return 0;
	qc->texts = xrealloc(qc->texts, (qc->nr_texts + 1) * sizeof(char *));
	qc->texts[qc->nr_texts++] = xstrdup(text);
	return 0;
}

/* Numbers in numeric order, after the known values. */
static int by_number(const void *a, const void *b)
{
	long x = strtol(((const struct analysis_qvalue *)a)->value, NULL, 10);
	long y = strtol(((const struct analysis_qvalue *)b)->value, NULL, 10);

	return (x > y) - (x < y);
}

int analysis_counts_read(struct store *st, const struct survey *s,
			 struct analysis_counts *c, struct strbuf *err)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->nr_buurten = s->nr_buurten;
	c->responses = xcalloc(c->nr_buurten + 1, sizeof(*c->responses));
	c->nr_questions = s->nr_questions;
	c->questions = xcalloc(s->nr_questions ? s->nr_questions : 1,
			       sizeof(*c->questions));
	for (size_t i = 0; i < s->nr_questions; i++) {
		c->questions[i].q = &s->questions[i];
		c->questions[i].answered =
			xcalloc(c->nr_buurten + 1, sizeof(uint64_t));
		known_values(c, &c->questions[i]);
	}
	if (store_counts_values(st, add_count, c, err) != STORE_OK ||
	    store_export_texts(st, add_text, c, err) != STORE_OK) {
		analysis_counts_release(c);
		return -1;
	}
	for (size_t i = 0; i < c->nr_questions; i++) {
		struct analysis_qcounts *qc = &c->questions[i];

		if ((qc->q->type == SURVEY_Q_SCALE ||
		     qc->q->type == SURVEY_Q_NUMBER) &&
		    qc->nr_values > 1)
			qsort(qc->values, qc->nr_values, sizeof(*qc->values),
			      by_number);
		/* A multi's shares are of every response (see the header). */
		if (qc->q->type == SURVEY_Q_MULTI)
			memcpy(qc->answered, c->responses,
			       (c->nr_buurten + 1) * sizeof(uint64_t));
	}
	return 0;
}

void analysis_counts_release(struct analysis_counts *c)
{
	for (size_t i = 0; c->questions && i < c->nr_questions; i++) {
		struct analysis_qcounts *qc = &c->questions[i];

		for (size_t v = 0; v < qc->nr_values; v++) {
			free(qc->values[v].value);
			free(qc->values[v].n);
		}
		free(qc->values);
		for (size_t t = 0; t < qc->nr_texts; t++)
			free(qc->texts[t]);
		free(qc->texts);
		free(qc->answered);
	}
	free(c->questions);
	free(c->responses);
	memset(c, 0, sizeof(*c));
}

const char *analysis_value_label(const struct survey_question *q,
				 const char *value, enum survey_lang lang)
{
	const struct survey_option *o = survey_find_option(q, value);

	if (o)
		return survey_text_get(&o->label, lang);
	if (!strcmp(value, SURVEY_VALUE_INVALID))
		return msg_get(lang, MSG_ANSWER_INVALID);
	return value;
}
