/*
 * teststore.c - stores for the tests, through the data layer (see
 * teststore.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "addresses.h"
#include "answers.h"
#include "definition.h"
#include "households.h"
#include "responses.h"
#include "teststore.h"
#include "banned.h"

struct store *test_store_make(const char *path, const char *name,
			      const char *yaml, const char *csv_path,
			      struct survey **s)
{
	struct strbuf err = STRBUF_INIT;
	struct diag_list dl;
	struct store *st;

	diag_list_init(&dl, name);
	*s = survey_load_buffer(name, yaml, strlen(yaml), &dl);
	if (!*s) {
		struct strbuf msg = STRBUF_INIT;

		diag_list_format(&dl, &msg);
		fail_msg("definition refused: %s", msg.buf);
	}
	diag_list_release(&dl);
	st = store_open(path, STORE_CREATE, &err);
	if (!st || store_definition_apply(st, *s, yaml, NULL, &err) != STORE_OK)
		fail_msg("store: %s", err.buf);
	if (csv_path) {
		struct survey_import_result res;

		diag_list_init(&dl, csv_path);
		if (survey_households_import(st, *s, csv_path, false, &dl,
					     &res)) {
			struct strbuf msg = STRBUF_INIT;

			diag_list_format(&dl, &msg);
			fail_msg("import of %s refused: %s", csv_path, msg.buf);
		}
		diag_list_release(&dl);
	}
	strbuf_release(&err);
	return st;
}

struct collect {
	bool anonymous;
	long long *ids;
	size_t n, max;
};

static int collect_one(const struct store_household *h, void *data)
{
	struct collect *c = data;

	if ((h->street == NULL) == c->anonymous && c->n < c->max)
		c->ids[c->n++] = h->id;
	return 0;
}

size_t test_store_households(struct store *st, const char *buurt,
			     bool anonymous, long long *ids, size_t max)
{
	struct collect c = { anonymous, ids, 0, max };
	struct strbuf err = STRBUF_INIT;

	if (store_households_each(st, buurt, collect_one, &c, &err) != STORE_OK)
		fail_msg("households: %s", err.buf);
	strbuf_release(&err);
	return c.n;
}

long long test_store_respond(struct store *st, const struct survey *s,
			     long long household, const char *channel,
			     const char *by, ...)
{
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	struct strbuf err = STRBUF_INIT;
	struct store_record rec = {
		.household = household,
		.channel = channel,
		.entered_by = by,
		.answers = &a,
		.conflict = SURVEY_CONFLICT_LATEST,
		.expect_current = -1,
	};
	const char *qid;
	va_list ap;

	va_start(ap, by);
	while ((qid = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);
		const struct survey_question *q = survey_find_question(s, qid);

		if (!q)
			fail_msg("no question %s", qid);
		if (value)
			survey_answers_add(&a, q, value);
	}
	va_end(ap);
	if (store_response_record(st, &rec, &err) != STORE_OK)
		fail_msg("record: %s", err.buf);
	survey_answers_release(&a);
	strbuf_release(&err);
	return rec.response_id;
}

static int add_code(const char *code, long long household, const char *buurt_id,
		    void *data)
{
	struct strbuf *sb = data;

	(void)household;
	(void)buurt_id;
	strbuf_addf(sb, "%s\n", code);
	return 0;
}

char *test_store_codes(struct store *st)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;

	if (store_codes_each(st, add_code, &sb, &err) != STORE_OK)
		fail_msg("codes: %s", err.buf);
	strbuf_release(&err);
	return strbuf_detach(&sb, NULL);
}
