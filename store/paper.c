/*
 * paper.c - paper forms entered by volunteers, and double entry (see
 * paper.h).
 */
#include "paper.h"

#include <string.h>

#include "internal.h"
#include "responses.h"
#include "banned.h"

static const char sql_entry_answers[] =
	"SELECT question_id, value FROM paper_entry_answer WHERE entry_id = ?";

/* The answers of entry into a. */
static int load_answers(struct store *st, const struct survey *s,
			long long entry, struct survey_answers *a,
			struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_entry_answers, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, entry);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		const struct survey_question *q =
			survey_find_question(s, store_col_text(stmt, 0));

		if (q)
			survey_answers_add(a, q, store_col_text(stmt, 1));
	}
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

static const char sql_add_entry[] =
	"INSERT INTO paper_entry(household_id, entered_by, state,"
	" response_id) VALUES (?, ?, ?, ?)";
static const char sql_add_entry_answer[] =
	"INSERT INTO paper_entry_answer(entry_id, question_id, value)"
	" VALUES (?, ?, ?)";

/* Store one entry of p with its answers in state (and its response). */
static int add_entry(struct store *st, const struct store_paper *p,
		     const char *state, long long response, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_add_entry, err);
	long long id;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, p->household);
	sqlite3_bind_text(stmt, 2, p->volunteer, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, state, -1, SQLITE_STATIC);
	if (response)
		sqlite3_bind_int64(stmt, 4, response);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	id = sqlite3_last_insert_rowid(st->db);
	for (size_t i = 0; i < p->answers->nr; i++) {
		stmt = store_stmt(st, sql_add_entry_answer, err);
		if (!stmt)
			return STORE_ERROR;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_text(stmt, 2, p->answers->a[i].q->id, -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, p->answers->a[i].value, -1,
				  SQLITE_STATIC);
		if (store_step_done(st, stmt, err) < 0)
			return STORE_ERROR;
	}
	return STORE_OK;
}

static const char sql_set_state[] =
	"UPDATE paper_entry SET state = ?, response_id = ? WHERE id = ?";

static int set_state(struct store *st, long long id, const char *state,
		     long long response, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_set_state, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, state, -1, SQLITE_STATIC);
	if (response)
		sqlite3_bind_int64(stmt, 2, response);
	sqlite3_bind_int64(stmt, 3, id);
	return store_step_done(st, stmt, err);
}

/* The response of a paper form entered by by, under the survey's policy. */
static int count_form(struct store *st, const struct survey *s,
		      struct store_paper *p, const char *by, struct strbuf *err)
{
	struct store_record rec = {
		.household = p->household,
		.channel = STORE_CHANNEL_PAPER,
		.entered_by = by,
		.lang = "nl",
		.answers = p->answers,
		.conflict = s->conflict,
		.expect_current = p->expect_current,
	};
	int rc = store_response_record(st, &rec, err);

	p->response_id = rec.response_id;
	return rc;
}

static const char sql_waiting[] =
	"SELECT id, entered_by FROM paper_entry WHERE household_id = ?"
	" AND state = 'waiting' ORDER BY id";

/*
 * Double entry: the first entry waits for a second volunteer; when the
 * second agrees the form counts, and when it does not both wait for the
 * board.
 */
static int enter_double(struct store *st, const struct survey *s,
			struct store_paper *p, struct strbuf *err)
{
	struct survey_answers other = SURVEY_ANSWERS_INIT;
	struct strbuf both = STRBUF_INIT;
	sqlite3_stmt *stmt = store_stmt(st, sql_waiting, err);
	long long other_id = 0;
	int rc, ret = STORE_ERROR;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, p->household);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		const char *by = store_col_text(stmt, 1);

		if (!strcmp(by, p->volunteer)) {
			sqlite3_reset(stmt);
			ret = STORE_SAME_VOLUNTEER;
			goto out;
		}
		if (!other_id) {
			other_id = sqlite3_column_int64(stmt, 0);
			strbuf_addf(&both, "%s, %s", by, p->volunteer);
		}
	}
	if (rc < 0)
		goto out;
	if (!other_id) {
		p->result = STORE_PAPER_WAITING;
		ret = add_entry(st, p, "waiting", 0, err);
		goto out;
	}
	if (load_answers(st, s, other_id, &other, err) < 0)
		goto out;
	if (!survey_answers_equal(&other, p->answers)) {
		p->result = STORE_PAPER_DIFFERS;
		ret = add_entry(st, p, "differs", 0, err);
		if (ret == STORE_OK)
			ret = set_state(st, other_id, "differs", 0, err);
		goto out;
	}
	p->result = STORE_PAPER_MATCHED;
	ret = count_form(st, s, p, both.buf, err);
	if (ret == STORE_OK)
		ret = add_entry(st, p, "matched", p->response_id, err);
	if (ret == STORE_OK)
		ret = set_state(st, other_id, "matched", p->response_id, err);
out:
	survey_answers_release(&other);
	strbuf_release(&both);
	return ret;
}

int store_paper_enter(struct store *st, const struct survey *s,
		      struct store_paper *p, struct strbuf *err)
{
	int entered = store_enter(st, err), rc;

	p->response_id = 0;
	if (entered < 0)
		return STORE_ERROR;
	if (s->double_entry) {
		rc = enter_double(st, s, p, err);
	} else {
		p->result = STORE_PAPER_SAVED;
		rc = count_form(st, s, p, p->volunteer, err);
	}
	return store_leave(st, entered, rc, err);
}

int store_paper_each_pending(struct store *st, const struct survey *s,
			     long long household, bool with_answers,
			     store_paper_fn fn, void *data, struct strbuf *err)
{
	/* Not kept: fn may use the store, and loading answers does. */
	sqlite3_stmt *stmt = store_prepare(
		st,
		"SELECT e.id, e.household_id, e.entered_by,"
		" datetime(e.created_at, 'localtime'), e.state = 'waiting',"
		" h.buurt_id FROM paper_entry e"
		" JOIN household h ON h.id = e.household_id"
		" WHERE (?1 = 0 AND e.state = 'differs')"
		" OR (e.household_id = ?1 AND e.state IN ('waiting', "
		"'differs'))"
		" ORDER BY e.household_id, e.id",
		err);
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, household);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		struct store_paper_pending p = {
			.entry = sqlite3_column_int64(stmt, 0),
			.household = sqlite3_column_int64(stmt, 1),
			.entered_by = store_col_text(stmt, 2),
			.created_at = store_col_text(stmt, 3),
			.waiting = sqlite3_column_int(stmt, 4) != 0,
			.buurt_id = store_col_text(stmt, 5),
		};

		survey_answers_release(&a);
		if (with_answers) {
			if (load_answers(st, s, p.entry, &a, err) < 0) {
				rc = STORE_ERROR;
				break;
			}
			p.answers = &a;
		}
		ret = fn(&p, data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	survey_answers_release(&a);
	sqlite3_finalize(stmt);
	return ret;
}

static const char sql_differing[] =
	"SELECT household_id, entered_by FROM paper_entry"
	" WHERE id = ? AND state = 'differs'";
static const char sql_settle[] =
	"UPDATE paper_entry SET state = 'settled', response_id ="
	" CASE WHEN id = ? THEN ? END"
	" WHERE household_id = ? AND state = 'differs'";

static int settle(struct store *st, const struct survey *s, long long entry,
		  const char *board, struct strbuf *err)
{
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	struct strbuf by = STRBUF_INIT;
	struct store_paper p = { .volunteer = board,
				 .answers = &a,
				 .expect_current = -1 };
	sqlite3_stmt *stmt = store_stmt(st, sql_differing, err);
	int rc, ret = STORE_ERROR;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, entry);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0) {
		ret = rc < 0 ? STORE_ERROR : STORE_ALREADY_DONE;
		goto out;
	}
	p.household = sqlite3_column_int64(stmt, 0);
	strbuf_addf(&by, "%s (bestuur: %s)", store_col_text(stmt, 1), board);
	sqlite3_reset(stmt);
	if (load_answers(st, s, entry, &a, err) < 0 ||
	    count_form(st, s, &p, by.buf, err) < 0)
		goto out;
	stmt = store_stmt(st, sql_settle, err);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, entry);
	sqlite3_bind_int64(stmt, 2, p.response_id);
	sqlite3_bind_int64(stmt, 3, p.household);
	ret = store_step_done(st, stmt, err);
out:
	survey_answers_release(&a);
	strbuf_release(&by);
	return ret;
}

int store_paper_settle(struct store *st, const struct survey *s,
		       long long entry, const char *board, struct strbuf *err)
{
	int entered = store_enter(st, err);

	if (entered < 0)
		return STORE_ERROR;
	return store_leave(st, entered, settle(st, s, entry, board, err), err);
}

static const char sql_add_carried[] =
	"INSERT INTO paper_entry(household_id, entered_by, state, created_at)"
	" VALUES (?, ?, ?,"
	" coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))";
static const char sql_waiting_differ[] =
	"UPDATE paper_entry SET state = 'differs'"
	" WHERE household_id = ? AND state = 'waiting'";

/* Add c as an entry in state; one that differs takes the waiting along. */
static int add_carried(struct store *st, struct store_paper_carry *c,
		       const char *state, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_add_carried, err);
	long long id;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, c->household);
	sqlite3_bind_text(stmt, 2, c->entered_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, state, -1, SQLITE_STATIC);
	store_bind_text(stmt, 4, c->created_at);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	id = sqlite3_last_insert_rowid(st->db);
	for (size_t i = 0; i < c->answers->nr; i++) {
		stmt = store_stmt(st, sql_add_entry_answer, err);
		if (!stmt)
			return STORE_ERROR;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_text(stmt, 2, c->answers->a[i].q->id, -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, c->answers->a[i].value, -1,
				  SQLITE_STATIC);
		if (store_step_done(st, stmt, err) < 0)
			return STORE_ERROR;
	}
	c->entry_id = id;
	if (strcmp(state, "differs"))
		return STORE_OK;
	stmt = store_stmt(st, sql_waiting_differ, err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, c->household);
	return store_step_done(st, stmt, err);
}

int store_paper_add_conflict(struct store *st, struct store_paper_carry *c,
			     struct strbuf *err)
{
	int entered = store_enter(st, err);

	c->entry_id = 0;
	if (entered < 0)
		return STORE_ERROR;
	return store_leave(st, entered, add_carried(st, c, "differs", err),
			   err);
}

int store_paper_add_waiting(struct store *st, struct store_paper_carry *c,
			    struct strbuf *err)
{
	long long waiting = 0;
	int rc;

	c->entry_id = 0;
	rc = store_query_int(st,
			     "SELECT count(*) FROM paper_entry WHERE"
			     " household_id = ? AND state = 'waiting'",
			     c->household, 0, &waiting, err);
	if (rc < 0)
		return STORE_ERROR;
	if (waiting)
		return STORE_EXISTS;
	return add_carried(st, c, "waiting", err);
}

static const char sql_keep_current[] =
	"UPDATE paper_entry SET state = 'rejected'"
	" WHERE household_id = ? AND state = 'differs'";

int store_paper_keep_current(struct store *st, long long household,
			     struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_keep_current, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, household);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	return sqlite3_changes(st->db) ? STORE_OK : STORE_ALREADY_DONE;
}

static const char sql_close_waiting[] =
	"UPDATE paper_entry SET state = 'settled', response_id = ?2"
	" WHERE id = ?1 AND state = 'waiting'";

int store_paper_close_waiting(struct store *st, long long entry,
			      long long response, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_close_waiting, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, entry);
	if (response)
		sqlite3_bind_int64(stmt, 2, response);
	return store_step_done(st, stmt, err);
}
