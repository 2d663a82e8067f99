/*
 * answers.c - reading, checking, storing and loading answers (see
 * answers.h).
 */
#include "answers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"
#include "banned.h"

void server_answers_release(struct server_answers *a)
{
	for (size_t i = 0; i < a->nr; i++)
		free(a->a[i].value);
	free(a->a);
	a->a = NULL;
	a->nr = a->alloc = 0;
}

void server_answers_add_joined(struct server_answers *a,
			       const struct survey_question *q,
			       const char *joined)
{
	struct strbuf one = STRBUF_INIT;

	for (const char *p = joined, *plus; p; p = plus ? plus + 1 : NULL) {
		plus = strchr(p, '+');
		strbuf_reset(&one);
		strbuf_add(&one, p, plus ? (size_t)(plus - p) : strlen(p));
		if (one.len)
			server_answers_add(a, q, one.buf);
	}
	strbuf_release(&one);
}

bool server_answers_has(const struct server_answers *a,
			const struct survey_question *q, const char *value)
{
	for (size_t i = 0; i < a->nr; i++)
		if (a->a[i].q == q && !strcmp(a->a[i].value, value))
			return true;
	return false;
}

void server_answers_add(struct server_answers *a,
			const struct survey_question *q, const char *value)
{
	if (server_answers_has(a, q, value))
		return;
	ALLOC_GROW(a->a, a->nr + 1, a->alloc);
	a->a[a->nr].q = q;
	a->a[a->nr].value = xstrdup(value);
	a->nr++;
}

const char *server_answers_first(const struct server_answers *a,
				 const struct survey_question *q)
{
	for (size_t i = 0; i < a->nr; i++)
		if (a->a[i].q == q)
			return a->a[i].value;
	return NULL;
}

/* Every value of a is in b. */
static bool contained(const struct server_answers *a,
		      const struct server_answers *b)
{
	for (size_t i = 0; i < a->nr; i++)
		if (!server_answers_has(b, a->a[i].q, a->a[i].value))
			return false;
	return true;
}

bool server_answers_equal(const struct server_answers *a,
			  const struct server_answers *b)
{
	return contained(a, b) && contained(b, a);
}

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

static char *check_question(struct server_request *req,
			    const struct survey_question *q, bool paper,
			    bool en, struct server_answers *out)
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
			if (!*trim(v))
				continue;
		} else {
			v = trim(v);
			if (!*v)
				continue;
		}
		given++;
		server_answers_add(out, q, v);
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
		const char *v = server_answers_first(out, q);

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

size_t server_answers_from_form(struct server_request *req,
				const struct survey *s, bool paper,
				enum survey_lang lang,
				struct server_answers *out, char **errors)
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

static void copy_col(char *dst, size_t size, sqlite3_stmt *stmt, int col)
{
	const char *v = (const char *)sqlite3_column_text(stmt, col);

	snprintf(dst, size, "%s", v ? v : "");
}

int server_answers_load(struct survey_store *st, const struct survey *s,
			long long household, struct server_current *cur,
			struct server_answers *a, struct strbuf *err)
{
	sqlite3_stmt *r = NULL, *v = NULL;
	int rc, ret = -1;

	memset(cur, 0, sizeof(*cur));
	r = survey_store_prepare(
		st,
		"SELECT id, channel, entered_by,"
		" strftime('%Y-%m-%d %H:%M:%S', created_at, 'localtime'),"
		" lang FROM "
		"response WHERE household_id = ? AND superseded_by IS NULL",
		err);
	if (!r)
		goto out;
	sqlite3_bind_int64(r, 1, household);
	rc = sqlite3_step(r);
	if (rc == SQLITE_DONE) {
		ret = 0;
		goto out;
	}
	if (rc != SQLITE_ROW)
		goto sqlerr;
	cur->id = sqlite3_column_int64(r, 0);
	copy_col(cur->channel, sizeof(cur->channel), r, 1);
	copy_col(cur->entered_by, sizeof(cur->entered_by), r, 2);
	copy_col(cur->created_at, sizeof(cur->created_at), r, 3);
	copy_col(cur->lang, sizeof(cur->lang), r, 4);
	if (!a) {
		ret = 0;
		goto out;
	}
	v = survey_store_prepare(
		st,
		"SELECT question_id, value FROM answer WHERE response_id = ?",
		err);
	if (!v)
		goto out;
	sqlite3_bind_int64(v, 1, cur->id);
	while ((rc = sqlite3_step(v)) == SQLITE_ROW) {
		const struct survey_question *q = survey_find_question(
			s, (const char *)sqlite3_column_text(v, 0));

		if (q)
			server_answers_add(
				a, q, (const char *)sqlite3_column_text(v, 1));
	}
	if (rc != SQLITE_DONE)
		goto sqlerr;
	ret = 0;
	goto out;
sqlerr:
	survey_store_error(st, err);
out:
	sqlite3_finalize(r);
	sqlite3_finalize(v);
	return ret;
}

/*
 * The writer records thousands of responses a second on one connection;
 * preparing its statements (a score of them, counting each size of the
 * answers INSERT) every time would cost more than the inserts.  So the
 * writer's thread keeps them prepared (thread-local: the writer is one
 * thread with one connection).  server_writer_stop() finalizes them with
 * the rest before it closes the connection.
 */
#define NR_CACHED 32

static __thread struct {
	sqlite3 *db;
	const char *sql;
	sqlite3_stmt *stmt;
} cache[NR_CACHED];

static sqlite3_stmt *cached(struct survey_store *st, const char *sql,
			    struct strbuf *err)
{
	sqlite3_stmt *stmt = NULL;
	int i;

	for (i = 0; i < NR_CACHED && cache[i].stmt; i++) {
		if (cache[i].db == st->db && cache[i].sql == sql) {
			sqlite3_reset(cache[i].stmt);
			sqlite3_clear_bindings(cache[i].stmt);
			return cache[i].stmt;
		}
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &stmt, NULL) != SQLITE_OK) {
		survey_store_error(st, err);
		return NULL;
	}
	if (i == NR_CACHED) {
		/* Another connection on this thread: start over. */
		memset(cache, 0, sizeof(cache));
		i = 0;
	}
	cache[i].db = st->db;
	cache[i].sql = sql;
	cache[i].stmt = stmt;
	return stmt;
}

void server_answers_forget(struct survey_store *st)
{
	sqlite3_stmt *stmt;

	memset(cache, 0, sizeof(cache));
	while ((stmt = sqlite3_next_stmt(st->db, NULL)))
		sqlite3_finalize(stmt);
}

/* Run a kept statement with integer parameters; -1 with err on failure. */
static int exec_ints(struct survey_store *st, const char *sql, long long a,
		     long long b, struct strbuf *err)
{
	sqlite3_stmt *stmt = cached(st, sql, err);
	int rc;

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, a);
	if (sqlite3_bind_parameter_count(stmt) > 1)
		sqlite3_bind_int64(stmt, 2, b);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		survey_store_error(st, err);
		return -1;
	}
	return 0;
}

static const char sql_current[] =
	"SELECT id, channel FROM response"
	" WHERE household_id = ? AND superseded_by IS NULL";
static const char sql_supersede[] =
	"UPDATE response SET superseded_by = ? WHERE id = ?";
static const char sql_counts[] =
	"UPDATE response SET superseded_by = NULL WHERE id = ?";
static const char sql_insert[] =
	"INSERT INTO response(household_id, channel, entered_by, lang,"
	" superseded_by) VALUES (?, ?, ?, ?, ?)";
/*
 * A response's answers go in with one statement of up to ANSWER_ROWS
 * rows: most of the cost of a one-row INSERT is the statement around the
 * row (opening cursors, halting, resetting), so a form of nine answers
 * costs about a third of nine statements.  ?1 is the response in every
 * row; row i binds its question and value to 2i + 2 and 2i + 3.
 */
#define ANSWER_ROWS 16
#define ROW1                                                                   \
	"INSERT INTO answer(response_id, question_id, value) VALUES (?1,?,?)"
#define ROW2  ROW1 ",(?1,?,?)"
#define ROW3  ROW2 ",(?1,?,?)"
#define ROW4  ROW3 ",(?1,?,?)"
#define ROW5  ROW4 ",(?1,?,?)"
#define ROW6  ROW5 ",(?1,?,?)"
#define ROW7  ROW6 ",(?1,?,?)"
#define ROW8  ROW7 ",(?1,?,?)"
#define ROW9  ROW8 ",(?1,?,?)"
#define ROW10 ROW9 ",(?1,?,?)"
#define ROW11 ROW10 ",(?1,?,?)"
#define ROW12 ROW11 ",(?1,?,?)"
#define ROW13 ROW12 ",(?1,?,?)"
#define ROW14 ROW13 ",(?1,?,?)"
#define ROW15 ROW14 ",(?1,?,?)"
#define ROW16 ROW15 ",(?1,?,?)"
static const char *const sql_answers[ANSWER_ROWS] = {
	ROW1, ROW2,  ROW3,  ROW4,  ROW5,  ROW6,	 ROW7,	ROW8,
	ROW9, ROW10, ROW11, ROW12, ROW13, ROW14, ROW15, ROW16,
};

/* Insert the answers of response id, ANSWER_ROWS at a time. */
static int insert_answers(struct survey_store *st, long long id,
			  const struct server_answers *a, struct strbuf *err)
{
	for (size_t done = 0; done < a->nr;) {
		size_t n =
			a->nr - done < ANSWER_ROWS ? a->nr - done : ANSWER_ROWS;
		sqlite3_stmt *ans = cached(st, sql_answers[n - 1], err);
		int rc;

		if (!ans)
			return -1;
		sqlite3_bind_int64(ans, 1, id);
		for (size_t i = 0; i < n; i++) {
			const struct server_answer *x = &a->a[done + i];

			sqlite3_bind_text(ans, (int)(2 * i + 2), x->q->id, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(ans, (int)(2 * i + 3), x->value, -1,
					  SQLITE_STATIC);
		}
		rc = sqlite3_step(ans);
		sqlite3_reset(ans);
		if (rc != SQLITE_DONE) {
			survey_store_error(st, err);
			return -1;
		}
		done += n;
	}
	return 0;
}

int server_answers_record(struct survey_store *st, struct server_record *r,
			  struct strbuf *err)
{
	struct server_current cur;
	sqlite3_stmt *sel, *ins = NULL;
	bool keep_old;
	int rc, ret = -1;

	memset(&cur, 0, sizeof(cur));
	sel = cached(st, sql_current, err);
	if (!sel)
		return -1;
	sqlite3_bind_int64(sel, 1, r->household);
	rc = sqlite3_step(sel);
	if (rc == SQLITE_ROW) {
		cur.id = sqlite3_column_int64(sel, 0);
		copy_col(cur.channel, sizeof(cur.channel), sel, 1);
	} else if (rc != SQLITE_DONE) {
		survey_store_error(st, err);
		return -1;
	}
	sqlite3_reset(sel);
	if (r->expect_current >= 0 && cur.id != r->expect_current) {
		strbuf_addstr(err, "this household's answers changed while "
				   "the form was being filled in");
		return SERVER_ANSWERS_CHANGED;
	}
	/* An online answer does not replace a paper form under "paper". */
	keep_old = cur.id && r->conflict == SURVEY_CONFLICT_PAPER &&
		   !strcmp(r->channel, "online") &&
		   strcmp(cur.channel, "online");
	ins = cached(st, sql_insert, err);
	if (!ins)
		goto out;
	sqlite3_bind_int64(ins, 1, r->household);
	sqlite3_bind_text(ins, 2, r->channel, -1, SQLITE_STATIC);
	if (r->entered_by)
		sqlite3_bind_text(ins, 3, r->entered_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 4, r->lang ? r->lang : "nl", -1, SQLITE_STATIC);
	/*
	 * Born superseded when there is a counting response: the unique
	 * index allows one counting response per household at any moment,
	 * so the hand-over happens in three steps.
	 */
	if (cur.id)
		sqlite3_bind_int64(ins, 5, cur.id);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		survey_store_error(st, err);
		goto out;
	}
	r->response_id = sqlite3_last_insert_rowid(st->db);
	r->counts = !keep_old;
	if (cur.id && !keep_old &&
	    (exec_ints(st, sql_supersede, r->response_id, cur.id, err) < 0 ||
	     exec_ints(st, sql_counts, r->response_id, 0, err) < 0))
		goto out;
	if (insert_answers(st, r->response_id, r->answers, err) < 0)
		goto out;
	ret = 0;
out:
	if (ins)
		sqlite3_reset(ins);
	return ret;
}
