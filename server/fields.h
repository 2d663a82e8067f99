/*
 * fields.h - a form's answers read out of its POST fields and checked
 * against the survey, with a sentence per question for the person who
 * filled it in.  What the answers are, and how they are stored, is in
 * survey/answers.h and store/responses.h.
 */
#ifndef DRAAGVLAK_SERVER_FIELDS_H
#define DRAAGVLAK_SERVER_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "answers.h"
#include "http.h"
#include "survey.h"

/*
 * Read the answers in the POST body of req (field "q_ID" per question,
 * repeated for multi).  Every value kept in *out, also the wrong ones, so
 * that the form can be shown again with them.  errors[] has one entry per
 * question: NULL, or a sentence in lang (free with server_errors_free()).
 * paper allows SURVEY_VALUE_INVALID (two boxes ticked) and more ticks
 * than a multi allows.  Returns the number of questions with an error.
 */
size_t server_fields_answers(struct server_request *req, const struct survey *s,
			     bool paper, enum survey_lang lang,
			     struct survey_answers *out, char **errors);
void server_errors_free(char **errors, size_t n);

#endif
