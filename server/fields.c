/*
 * fields.c - a form's answers read out of its POST fields and checked
 * (see fields.h).
 */
#include "fields.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"
#include "banned.h"

void server_errors_free(char **errors, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(errors[i]);
		errors[i] = NULL;
	}
}

__attribute__((format(printf, 1, 2))) static char *msg(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb, NULL);
}

/* Trim spaces around s in place; returns s. */
static char *trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == '\n'))
		s[--n] = '\0';
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return s;
}

/*
 * Leave control characters out of free text, in place: ESC and BEL would
 * reach the terminal of whoever prints an export (strbuf_control_len()
 * says which: LF, TAB and CR LF stay).
 */
static void strip_controls(char *s)
{
	char *out = s;

	while (*s) {
		size_t n = strbuf_control_len(s);

		if (n)
			s += n;
		else
			*out++ = *s++;
	}
	*out = '\0';
}

static char *check_question(struct server_request *req,
			    const struct survey_question *q, bool paper,
			    bool en, struct survey_answers *out)
{
	size_t given = 0, bad = 0;
	char *err = NULL;

	for (size_t i = 0; i < req->nr_fields; i++) {
		const char *name = req->fields[i].name;
		char *v;

		/* The field "q_ID". */
		if (name[0] != 'q' || name[1] != '_' || strcmp(name + 2, q->id))
			continue;
		v = req->fields[i].value;
		if (q->type == SURVEY_Q_TEXT) {
			/* Keep the text as typed, but an empty one is none. */
			strip_controls(v);
			if (!*trim(v))
				continue;
		} else {
			v = trim(v);
			if (!*v)
				continue;
		}
		given++;
		survey_answers_add(out, q, v);
		if (!strcmp(v, SURVEY_VALUE_INVALID) &&
		    (!paper || q->type == SURVEY_Q_MULTI))
			bad++;
		else if (!survey_question_accepts(q, v))
			bad++;
	}

	if (!given) {
		if (q->required)
			err = msg("%s", en ? "Please answer this question."
					   : "Deze vraag moet u beantwoorden.");
		return err;
	}
	switch (q->type) {
	case SURVEY_Q_PROPOSITION:
	case SURVEY_Q_CHOICE:
	case SURVEY_Q_YESNO:
		if (bad || given > 1)
			err = msg("%s", en ? "Choose one of the answers."
					   : "Kies één van de antwoorden.");
		break;
	case SURVEY_Q_MULTI:
		if (bad)
			err = msg("%s", en ? "Choose from the answers given."
					   : "Kies uit de gegeven antwoorden.");
		else if (!paper && q->max_choices && given > q->max_choices)
			err = msg(en ? "Choose at most %u; you chose %zu."
				     : "Kies er hoogstens %u; u koos er %zu.",
				  q->max_choices, given);
		break;
	case SURVEY_Q_SCALE:
	case SURVEY_Q_NUMBER:
		if (bad || given > 1)
			err = msg(en ? "Enter a whole number from %ld to %ld."
				     : "Vul een heel getal in van %ld tot en "
				       "met %ld.",
				  q->min, q->max);
		break;
	case SURVEY_Q_TEXT: {
		const char *v = survey_answers_first(out, q);

		if (given > 1 || !utf8_valid(v, strlen(v)))
			err = msg("%s",
				  en ? "This text could not be read."
				     : "Deze tekst kon niet worden gelezen.");
		else if (bad)
			err = msg(en ? "Your answer has %zu characters; at "
				       "most %u fit."
				     : "Uw antwoord heeft %zu tekens; er "
				       "passen er hoogstens %u.",
				  utf8_length(v, strlen(v)), q->max_length);
		break;
	}
	}
	return err;
}

size_t server_fields_answers(struct server_request *req, const struct survey *s,
			     bool paper, enum survey_lang lang,
			     struct survey_answers *out, char **errors)
{
	size_t nerr = 0;

	for (size_t i = 0; i < s->nr_questions; i++) {
		errors[i] = check_question(req, &s->questions[i], paper,
					   lang == SURVEY_EN, out);
		if (errors[i])
			nerr++;
	}
	return nerr;
}
