/*
 * answers.h - one household's answers in memory: the model of a response,
 * shared by the web form, paper entry, the scanner and the store.
 *
 * An answer is a question and one value as stored: an option id, a
 * number in decimal, or a text; a multi question has one answer per
 * option ticked.  The set keeps no duplicates and the order of adding.
 */
#ifndef DRAAGVLAK_SURVEY_ANSWERS_H
#define DRAAGVLAK_SURVEY_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"
#include "survey.h"

struct survey_answer {
	const struct survey_question *q; /* borrowed from the survey */
	char *value;			 /* owned */
};

struct survey_answers {
	struct survey_answer *a;
	size_t nr, alloc;
};

#define SURVEY_ANSWERS_INIT                                                    \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Free every value; the set is empty and reusable afterwards. */
void survey_answers_release(struct survey_answers *a);
/* Add a copy of value for q, unless it is there already. */
void survey_answers_add(struct survey_answers *a,
			const struct survey_question *q, const char *value);
/*
 * Add each of the values joined by '+' in joined ("trapveld+bankjes", as
 * scanned readings are stored); empty parts are skipped.
 */
void survey_answers_add_joined(struct survey_answers *a,
			       const struct survey_question *q,
			       const char *joined);
bool survey_answers_has(const struct survey_answers *a,
			const struct survey_question *q, const char *value);
/* The first value for q, or NULL. */
const char *survey_answers_first(const struct survey_answers *a,
				 const struct survey_question *q);
/* Whether both hold the same values for every question. */
bool survey_answers_equal(const struct survey_answers *a,
			  const struct survey_answers *b);
/* The values for q joined by '+' into out (appended). */
void survey_answers_join(const struct survey_answers *a,
			 const struct survey_question *q, struct strbuf *out);

#endif
