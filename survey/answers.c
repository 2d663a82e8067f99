/*
 * answers.c - a household's answers in memory (see answers.h).
 */
#include "answers.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"
#include "banned.h"

void survey_answers_release(struct survey_answers *a)
{
	for (size_t i = 0; i < a->nr; i++)
		free(a->a[i].value);
	free(a->a);
	a->a = NULL;
	a->nr = a->alloc = 0;
}

bool survey_answers_has(const struct survey_answers *a,
			const struct survey_question *q, const char *value)
{
	for (size_t i = 0; i < a->nr; i++)
		if (a->a[i].q == q && !strcmp(a->a[i].value, value))
			return true;
	return false;
}

void survey_answers_add(struct survey_answers *a,
			const struct survey_question *q, const char *value)
{
	if (survey_answers_has(a, q, value))
		return;
	ALLOC_GROW(a->a, a->nr + 1, a->alloc);
	a->a[a->nr].q = q;
	a->a[a->nr].value = xstrdup(value);
	a->nr++;
}

void survey_answers_add_joined(struct survey_answers *a,
			       const struct survey_question *q,
			       const char *joined)
{
	struct strbuf one = STRBUF_INIT;

	for (const char *p = joined, *plus; p; p = plus ? plus + 1 : NULL) {
		plus = strchr(p, '+');
		strbuf_reset(&one);
		strbuf_add(&one, p, plus ? (size_t)(plus - p) : strlen(p));
		if (one.len)
			survey_answers_add(a, q, one.buf);
	}
	strbuf_release(&one);
}

const char *survey_answers_first(const struct survey_answers *a,
				 const struct survey_question *q)
{
	for (size_t i = 0; i < a->nr; i++)
		if (a->a[i].q == q)
			return a->a[i].value;
	return NULL;
}

/* Every value of a is in b. */
static bool contained(const struct survey_answers *a,
		      const struct survey_answers *b)
{
	for (size_t i = 0; i < a->nr; i++)
		if (!survey_answers_has(b, a->a[i].q, a->a[i].value))
			return false;
	return true;
}

bool survey_answers_equal(const struct survey_answers *a,
			  const struct survey_answers *b)
{
	return contained(a, b) && contained(b, a);
}

void survey_answers_join(const struct survey_answers *a,
			 const struct survey_question *q, struct strbuf *out)
{
	bool first = true;

	for (size_t i = 0; i < a->nr; i++) {
		if (a->a[i].q != q)
			continue;
		if (!first)
			strbuf_addch(out, '+');
		strbuf_addstr(out, a->a[i].value);
		first = false;
	}
}
