/*
 * responses.c - recording responses and reading the counting one (see
 * responses.h).
 */
#include "responses.h"

#include <string.h>

#include "internal.h"
#include "banned.h"

static const char sql_current_full[] =
	"SELECT id, channel, entered_by,"
	" strftime('%Y-%m-%d %H:%M:%S', created_at, 'localtime'), lang"
	" FROM response WHERE household_id = ? AND superseded_by IS NULL";
static const char sql_answers_of[] =
	"SELECT question_id, value FROM answer WHERE response_id = ?";

int store_response_current(struct store *st, const struct survey *s,
			   long long household, struct store_current *cur,
			   struct survey_answers *a, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_current_full, err);
	int rc;

	memset(cur, 0, sizeof(*cur));
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, household);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0)
		return rc; /* none (STORE_OK), or the error */
	cur->id = sqlite3_column_int64(stmt, 0);
	store_col_copy(stmt, 1, cur->channel, sizeof(cur->channel));
	store_col_copy(stmt, 2, cur->entered_by, sizeof(cur->entered_by));
	store_col_copy(stmt, 3, cur->created_at, sizeof(cur->created_at));
	store_col_copy(stmt, 4, cur->lang, sizeof(cur->lang));
	sqlite3_reset(stmt);
	if (!a)
		return STORE_OK;
	stmt = store_stmt(st, sql_answers_of, err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, cur->id);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		const struct survey_question *q =
			survey_find_question(s, store_col_text(stmt, 0));

		if (q)
			survey_answers_add(a, q, store_col_text(stmt, 1));
	}
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

/* Run a kept statement with one or two integer parameters. */
static int exec_ints(struct store *st, const char *sql, long long a,
		     long long b, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, a);
	if (sqlite3_bind_parameter_count(stmt) > 1)
		sqlite3_bind_int64(stmt, 2, b);
	return store_step_done(st, stmt, err);
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
	" superseded_by, simulated, created_at) VALUES (?, ?, ?, ?, ?, ?,"
	" coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))";
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

/*
 * The tallies (counts.h) follow in the same statement shape: ?1 the
 * buurt, ?2 the channel, and row i its question and value at 2i + 3 and
 * 2i + 4.
 */
#define TROW1                                                                  \
	"INSERT INTO tally(buurt_id, channel, question_id, value, n) VALUES"   \
	" (?1,?2,?,?,1)"
#define TROW2	 TROW1 ",(?1,?2,?,?,1)"
#define TROW3	 TROW2 ",(?1,?2,?,?,1)"
#define TROW4	 TROW3 ",(?1,?2,?,?,1)"
#define TROW5	 TROW4 ",(?1,?2,?,?,1)"
#define TROW6	 TROW5 ",(?1,?2,?,?,1)"
#define TROW7	 TROW6 ",(?1,?2,?,?,1)"
#define TROW8	 TROW7 ",(?1,?2,?,?,1)"
#define TROW9	 TROW8 ",(?1,?2,?,?,1)"
#define TROW10	 TROW9 ",(?1,?2,?,?,1)"
#define TROW11	 TROW10 ",(?1,?2,?,?,1)"
#define TROW12	 TROW11 ",(?1,?2,?,?,1)"
#define TROW13	 TROW12 ",(?1,?2,?,?,1)"
#define TROW14	 TROW13 ",(?1,?2,?,?,1)"
#define TROW15	 TROW14 ",(?1,?2,?,?,1)"
#define TROW16	 TROW15 ",(?1,?2,?,?,1)"
#define TALLY_UP " ON CONFLICT DO UPDATE SET n = n + 1"
static const char *const sql_tally_up[ANSWER_ROWS] = {
	TROW1 TALLY_UP,	 TROW2 TALLY_UP,  TROW3 TALLY_UP,  TROW4 TALLY_UP,
	TROW5 TALLY_UP,	 TROW6 TALLY_UP,  TROW7 TALLY_UP,  TROW8 TALLY_UP,
	TROW9 TALLY_UP,	 TROW10 TALLY_UP, TROW11 TALLY_UP, TROW12 TALLY_UP,
	TROW13 TALLY_UP, TROW14 TALLY_UP, TROW15 TALLY_UP, TROW16 TALLY_UP,
};
static const char sql_tally_response[] =
	"INSERT INTO tally_response(buurt_id, channel, n) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (buurt_id, channel) DO UPDATE SET n = n + excluded.n";
static const char sql_tally_down[] =
	"UPDATE tally SET n = n - 1 WHERE buurt_id = ?1 AND channel = ?2"
	" AND (question_id, value) IN (SELECT a.question_id, a.value"
	" FROM answer a JOIN question q ON q.id = a.question_id"
	" WHERE a.response_id = ?3 AND q.type <> 'text')";
static const char sql_buurt_of[] =
	"SELECT buurt_id FROM household WHERE id = ?";

/* Count the answers of a that are not texts into the tallies of buurt. */
static int tally_up(struct store *st, const char *buurt, const char *channel,
		    const struct survey_answers *a, struct strbuf *err)
{
	size_t i = 0;

	while (i < a->nr) {
		const struct survey_answer *row[ANSWER_ROWS];
		size_t n = 0;
		sqlite3_stmt *stmt;

		for (; i < a->nr && n < ANSWER_ROWS; i++)
			if (a->a[i].q->type != SURVEY_Q_TEXT)
				row[n++] = &a->a[i];
		if (!n)
			break;
		stmt = store_stmt(st, sql_tally_up[n - 1], err);
		if (!stmt)
			return STORE_ERROR;
		sqlite3_bind_text(stmt, 1, buurt, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, channel, -1, SQLITE_STATIC);
		for (size_t k = 0; k < n; k++) {
			sqlite3_bind_text(stmt, (int)(2 * k + 3), row[k]->q->id,
					  -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, (int)(2 * k + 4), row[k]->value,
					  -1, SQLITE_STATIC);
		}
		if (store_step_done(st, stmt, err) < 0)
			return STORE_ERROR;
	}
	return STORE_OK;
}

/* One response more (delta 1) or less (-1) counting on channel in buurt. */
static int tally_response(struct store *st, const char *buurt,
			  const char *channel, int delta, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_tally_response, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, buurt, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, delta);
	return store_step_done(st, stmt, err);
}

/* The response id, on channel in buurt, no longer counts. */
static int tally_down(struct store *st, const char *buurt, const char *channel,
		      long long id, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_tally_down, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, buurt, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, id);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	return tally_response(st, buurt, channel, -1, err);
}

/* Insert the answers of response id, ANSWER_ROWS at a time. */
static int insert_answers(struct store *st, long long id,
			  const struct survey_answers *a, struct strbuf *err)
{
	for (size_t done = 0; done < a->nr;) {
		size_t n =
			a->nr - done < ANSWER_ROWS ? a->nr - done : ANSWER_ROWS;
		sqlite3_stmt *ans = store_stmt(st, sql_answers[n - 1], err);

		if (!ans)
			return STORE_ERROR;
		sqlite3_bind_int64(ans, 1, id);
		for (size_t i = 0; i < n; i++) {
			const struct survey_answer *x = &a->a[done + i];

			sqlite3_bind_text(ans, (int)(2 * i + 2), x->q->id, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(ans, (int)(2 * i + 3), x->value, -1,
					  SQLITE_STATIC);
		}
		if (store_step_done(st, ans, err) < 0)
			return STORE_ERROR;
		done += n;
	}
	return STORE_OK;
}

/*
 * After closing nothing changes the counted answers (lifecycle.h): no
 * online answer, and on paper or by scan only what was in the store
 * before the survey closed, waiting to be settled.  STORE_OK when r may
 * be recorded, STORE_REFUSED, or STORE_ERROR.
 */
static int closed_refuses(struct store *st, const struct store_record *r,
			  struct strbuf *err)
{
	long long before = 0;
	int closed = store_closed(st, err);

	if (closed <= 0)
		return closed;
	if (!strcmp(r->channel, STORE_CHANNEL_PAPER)) {
		if (store_query_int(st,
				    "SELECT count(*) FROM paper_entry e,"
				    " lifecycle l WHERE l.id = 1 AND"
				    " e.household_id = ? AND"
				    " e.created_at <= l.closed_at",
				    r->household, 0, &before, err) < 0)
			return STORE_ERROR;
	} else if (!strcmp(r->channel, STORE_CHANNEL_SCAN)) {
		if (store_query_int(st,
				    "SELECT count(*) FROM scan_page p,"
				    " lifecycle l WHERE l.id = 1 AND"
				    " p.household_id = ? AND"
				    " p.scanned_at <= l.closed_at",
				    r->household, 0, &before, err) < 0)
			return STORE_ERROR;
	}
	if (before)
		return STORE_OK;
	strbuf_addstr(err, "the survey is closed: no new answers count");
	return STORE_REFUSED;
}

/* The work of store_response_record(), inside its transaction. */
static int record(struct store *st, struct store_record *r, struct strbuf *err)
{
	sqlite3_stmt *sel, *ins;
	long long cur_id = 0;
	bool cur_online = false, keep_old;
	char buurt[64], cur_channel[8] = "";
	int rc;

	sel = store_stmt(st, sql_buurt_of, err);
	if (!sel)
		return STORE_ERROR;
	sqlite3_bind_int64(sel, 1, r->household);
	rc = store_step_row(st, sel, err);
	if (rc <= 0) {
		if (rc == 0)
			strbuf_addf(err, "the store %s has no household %lld",
				    st->path, r->household);
		return STORE_ERROR;
	}
	store_col_copy(sel, 0, buurt, sizeof(buurt));
	sqlite3_reset(sel);
	if ((rc = closed_refuses(st, r, err)) != STORE_OK)
		return rc;
	sel = store_stmt(st, sql_current, err);
	if (!sel)
		return STORE_ERROR;
	sqlite3_bind_int64(sel, 1, r->household);
	rc = store_step_row(st, sel, err);
	if (rc < 0)
		return STORE_ERROR;
	if (rc > 0) {
		cur_id = sqlite3_column_int64(sel, 0);
		store_col_copy(sel, 1, cur_channel, sizeof(cur_channel));
		cur_online = !strcmp(cur_channel, STORE_CHANNEL_ONLINE);
		sqlite3_reset(sel);
	}
	if (r->expect_current >= 0 && cur_id != r->expect_current)
		return STORE_CHANGED;
	/* An online answer does not replace a paper form under "paper". */
	keep_old = cur_id && r->conflict == SURVEY_CONFLICT_PAPER &&
		   !strcmp(r->channel, STORE_CHANNEL_ONLINE) && !cur_online;
	ins = store_stmt(st, sql_insert, err);
	if (!ins)
		return STORE_ERROR;
	sqlite3_bind_int64(ins, 1, r->household);
	sqlite3_bind_text(ins, 2, r->channel, -1, SQLITE_STATIC);
	store_bind_text(ins, 3, r->entered_by);
	sqlite3_bind_text(ins, 4, r->lang ? r->lang : "nl", -1, SQLITE_STATIC);
	/*
	 * Born superseded when there is a counting response: the unique
	 * index allows one counting response per household at any moment,
	 * so the hand-over happens in three steps.
	 */
	if (cur_id)
		sqlite3_bind_int64(ins, 5, cur_id);
	sqlite3_bind_int(ins, 6, r->simulated);
	store_bind_text(ins, 7, r->created_at);
	if (store_step_done(st, ins, err) < 0)
		return STORE_ERROR;
	r->response_id = sqlite3_last_insert_rowid(st->db);
	r->counts = !keep_old;
	if (cur_id && !keep_old &&
	    (exec_ints(st, sql_supersede, r->response_id, cur_id, err) < 0 ||
	     exec_ints(st, sql_counts, r->response_id, 0, err) < 0 ||
	     tally_down(st, buurt, cur_channel, cur_id, err) < 0))
		return STORE_ERROR;
	if (insert_answers(st, r->response_id, r->answers, err) < 0)
		return STORE_ERROR;
	if (keep_old)
		return STORE_OK;
	if (tally_up(st, buurt, r->channel, r->answers, err) < 0)
		return STORE_ERROR;
	return tally_response(st, buurt, r->channel, 1, err);
}

int store_response_record(struct store *st, struct store_record *r,
			  struct strbuf *err)
{
	int entered = store_enter(st, err);

	r->response_id = 0;
	r->counts = false;
	if (entered < 0)
		return STORE_ERROR;
	return store_leave(st, entered, record(st, r, err), err);
}

int store_responses_count(struct store *st, long long *n, struct strbuf *err)
{
	return store_query_int(st, "SELECT count(*) FROM response", 0, 0, n,
			       err);
}

int store_responses_count_real(struct store *st, long long *n,
			       struct strbuf *err)
{
	return store_query_int(
		st, "SELECT count(*) FROM response WHERE simulated = 0", 0, 0,
		n, err);
}

int store_responses_remove_simulated(struct store *st, long long *n,
				     struct strbuf *err)
{
	long long real = 0;
	int rc = STORE_ERROR;

	*n = 0;
	if (store_begin(st, err) < 0)
		return STORE_ERROR;
	if (store_responses_count_real(st, &real, err) < 0)
		goto out;
	if (real) {
		rc = STORE_REFUSED;
		goto out;
	}
	if (store_query_int(st,
			    "SELECT count(*) FROM response WHERE simulated = 1",
			    0, 0, n, err) < 0 ||
	    store_exec(st,
		       "DELETE FROM answer WHERE response_id IN"
		       " (SELECT id FROM response WHERE simulated = 1);"
		       "DELETE FROM response WHERE simulated = "
		       "1;" STORE_TALLY_CLEAR_SQL STORE_TALLY_FILL_SQL,
		       err) < 0 ||
	    store_commit(st, err) < 0)
		goto out;
	rc = STORE_OK;
out:
	if (rc != STORE_OK)
		store_rollback(st);
	return rc;
}
