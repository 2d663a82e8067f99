/*
 * answers.h - one household's answers: read from a form, checked, stored,
 * and read back.
 *
 * A response is stored as one row in response and one row per value in
 * answer (a multi question has several).  At most one response of a
 * household counts: the one not superseded.  Recording a new response
 * marks the counting one superseded by it in the same transaction, so the
 * earlier answers stay as an audit trail and a household never counts
 * twice (the schema's unique index response_current enforces it too).
 * The survey's conflict policy decides what an online answer does to a
 * paper one: with "latest" the newest counts; with "paper" an online
 * answer after a paper form is kept but does not count.
 */
#ifndef DRAAGVLAK_SERVER_ANSWERS_H
#define DRAAGVLAK_SERVER_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"
#include "store.h"
#include "survey.h"

struct server_answer {
	const struct survey_question *q;
	char *value;
};

struct server_answers {
	struct server_answer *a;
	size_t nr, alloc;
};

#define SERVER_ANSWERS_INIT                                                    \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

void server_answers_release(struct server_answers *a);
/* Add a copy of value for q (no duplicates). */
void server_answers_add(struct server_answers *a,
			const struct survey_question *q, const char *value);
/*
 * Add each of the values joined by '+' in joined ("trapveld+bankjes", as
 * scanned readings are stored); empty parts are skipped.
 */
void server_answers_add_joined(struct server_answers *a,
			       const struct survey_question *q,
			       const char *joined);
bool server_answers_has(const struct server_answers *a,
			const struct survey_question *q, const char *value);
/* The first value for q, or NULL. */
const char *server_answers_first(const struct server_answers *a,
				 const struct survey_question *q);
/* Whether both hold the same values for every question. */
bool server_answers_equal(const struct server_answers *a,
			  const struct server_answers *b);

/*
 * Read the answers in the POST body of req (field "q_ID" per question,
 * repeated for multi).  Every value kept in *out, also the wrong ones, so
 * that the form can be shown again with them.  errors[] has one entry per
 * question: NULL, or a sentence in lang (free with server_errors_free()).
 * paper allows SURVEY_VALUE_INVALID (two boxes ticked) and more ticks
 * than a multi allows.  Returns the number of questions with an error.
 */
size_t server_answers_from_form(struct server_request *req,
				const struct survey *s, bool paper,
				enum survey_lang lang,
				struct server_answers *out, char **errors);
void server_errors_free(char **errors, size_t n);

/* The counting response of a household. */
struct server_current {
	long long id; /* 0: none */
	char channel[8];
	char entered_by[64];
	char created_at[24]; /* local time (the store keeps UTC) */
	char lang[4];
};

/*
 * Read the counting response of household (cur->id 0 when it has none)
 * and, when a is not NULL, its answers.  Returns 0, or -1 with a sentence
 * in err.
 */
int server_answers_load(struct survey_store *st, const struct survey *s,
			long long household, struct server_current *cur,
			struct server_answers *a, struct strbuf *err);

struct server_record {
	long long household;
	const char *channel;	/* "online" or "paper" */
	const char *entered_by; /* NULL for a resident */
	const char *lang;
	const struct server_answers *answers;
	enum survey_conflict conflict;
	/*
	 * The counting response the person saw (0: none), or -1 not to
	 * check: a volunteer must never overwrite what they were not shown.
	 */
	long long expect_current;
	/* Filled in: the new response, and whether it is the one counting. */
	long long response_id;
	bool counts;
};

/* server_answers_record(): the counting response is not expect_current. */
#define SERVER_ANSWERS_CHANGED (-2)

/*
 * Store r as a new response, inside the caller's transaction (the
 * writer's).  Returns 0; SERVER_ANSWERS_CHANGED when another answer came
 * in since the person looked (nothing stored); or -1 with a sentence in
 * err.
 */
int server_answers_record(struct survey_store *st, struct server_record *r,
			  struct strbuf *err);
/*
 * Finalize every statement on st's connection, including those that
 * server_answers_record() keeps prepared; call before closing st.
 */
void server_answers_forget(struct survey_store *st);

#endif
