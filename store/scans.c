/*
 * scans.c - scanned pages, their questions, and the forms they make up
 * (see scans.h).
 */
#include "scans.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "households.h"
#include "internal.h"
#include "responses.h"
#include "xalloc.h"
#include "banned.h"

static const char *const state_names[STORE_SCAN_NSTATE] = {
	"incomplete", "review", "conflict", "counted", "kept",
};

const char *store_scan_state_name(enum store_scan_state state)
{
	return (unsigned)state < STORE_SCAN_NSTATE ? state_names[state] : "";
}

static int state_parse(const char *name, enum store_scan_state *state)
{
	for (int i = 0; i < STORE_SCAN_NSTATE; i++)
		if (!strcmp(name, state_names[i])) {
			*state = (enum store_scan_state)i;
			return 0;
		}
	return -1;
}

static const char sql_set_form[] =
	"INSERT INTO scan_form(household_id, state, response_id)"
	" VALUES (?, ?, ?) ON CONFLICT (household_id) DO UPDATE"
	" SET state = excluded.state,"
	" response_id = coalesce(excluded.response_id, response_id)";

static int set_form_state(struct store *st, long long household,
			  enum store_scan_state state, long long response,
			  struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_set_form, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, household);
	sqlite3_bind_text(stmt, 2, state_names[state], -1, SQLITE_STATIC);
	if (response > 0)
		sqlite3_bind_int64(stmt, 3, response);
	return store_step_done(st, stmt, err);
}

static const char sql_scanned_answers[] =
	"SELECT q.question_id, CASE q.status WHEN 'reviewed'"
	" THEN q.answer ELSE q.reading END"
	" FROM scan_question q JOIN scan_page p ON p.id = q.page_id"
	" WHERE p.household_id = ? AND p.refusal IS NULL";

/* The answers of the household's scanned pages, clear or reviewed. */
static int load_scanned(struct store *st, const struct survey *s,
			long long household, struct survey_answers *a,
			struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_scanned_answers, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, household);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		const struct survey_question *q =
			survey_find_question(s, store_col_text(stmt, 0));
		const char *v = store_col_text(stmt, 1);

		if (!q || !*v)
			continue;
		/* A text is one value; the ticks of a multi are joined by '+'. */
		if (q->type == SURVEY_Q_TEXT)
			survey_answers_add(a, q, v);
		else
			survey_answers_add_joined(a, q, v);
	}
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

static int settle(struct store *st, const struct survey *s, long long household,
		  const char *by, int keep_scan, struct strbuf *err)
{
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	struct store_current cur;
	struct store_record rec;
	long long of, have, pending, done;
	int ret = STORE_ERROR;

	if (store_query_int(st,
			    "SELECT count(*) FROM scan_form WHERE household_id"
			    " = ? AND state IN ('counted', 'kept')",
			    household, 0, &done, err) < 0 ||
	    store_query_int(st,
			    "SELECT coalesce(max(of_pages), 0) FROM scan_page"
			    " WHERE household_id = ? AND refusal IS NULL",
			    household, 0, &of, err) < 0 ||
	    store_query_int(st,
			    "SELECT count(*) FROM scan_page WHERE household_id"
			    " = ? AND refusal IS NULL",
			    household, 0, &have, err) < 0 ||
	    store_query_int(st,
			    "SELECT count(*) FROM scan_question q JOIN"
			    " scan_page p ON p.id = q.page_id WHERE"
			    " p.household_id = ? AND q.status = 'review'",
			    household, 0, &pending, err) < 0)
		return STORE_ERROR;
	if (done)
		return STORE_OK; /* counted already: a page scanned again
				    changes nothing */
	if (have < of)
		return set_form_state(st, household, STORE_SCAN_INCOMPLETE, 0,
				      err);
	if (pending)
		return set_form_state(st, household, STORE_SCAN_REVIEW, 0, err);
	if (store_response_current(st, s, household, &cur, NULL, err) < 0)
		return STORE_ERROR;
	if (cur.id && !strcmp(cur.channel, STORE_CHANNEL_ONLINE) &&
	    s->conflict == SURVEY_CONFLICT_LATEST && keep_scan < 0)
		return set_form_state(st, household, STORE_SCAN_CONFLICT, 0,
				      err);
	if (keep_scan == 0)
		return set_form_state(st, household, STORE_SCAN_KEPT, 0, err);
	if (load_scanned(st, s, household, &a, err) < 0)
		goto out;
	memset(&rec, 0, sizeof(rec));
	rec.household = household;
	rec.channel = STORE_CHANNEL_SCAN;
	rec.entered_by = by;
	rec.answers = &a;
	rec.conflict = s->conflict;
	rec.expect_current = -1;
	if (store_response_record(st, &rec, err) < 0)
		goto out;
	ret = set_form_state(st, household,
			     rec.counts ? STORE_SCAN_COUNTED : STORE_SCAN_KEPT,
			     rec.response_id, err);
out:
	survey_answers_release(&a);
	return ret;
}

int store_scan_settle(struct store *st, const struct survey *s,
		      long long household, const char *by, int keep_scan,
		      struct strbuf *err)
{
	int entered = store_enter(st, err);

	if (entered < 0)
		return STORE_ERROR;
	return store_leave(st, entered,
			   settle(st, s, household, by, keep_scan, err), err);
}

static const char sql_refused[] =
	"INSERT INTO scan_page(page, layout, source, image_hash,"
	" refusal, reason) VALUES (?, ?, ?, ?, ?, ?)"
	" ON CONFLICT (image_hash) DO NOTHING";

static int record_refused(struct store *st, const struct store_scan_page *p,
			  const char *refusal, const char *reason,
			  enum store_scan_result *res, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_refused, err);

	if (!stmt)
		return STORE_ERROR;
	if (p->page)
		sqlite3_bind_int(stmt, 1, (int)p->page);
	if (p->layout_id && *p->layout_id)
		sqlite3_bind_text(stmt, 2, p->layout_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, p->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, p->image_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, refusal, -1, SQLITE_STATIC);
	store_bind_text(stmt, 6, reason);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	*res = sqlite3_changes(st->db) ? STORE_SCAN_REFUSED : STORE_SCAN_AGAIN;
	return STORE_OK;
}

static const char sql_question[] =
	"INSERT INTO scan_question(page_id, question_id, status,"
	" reading, reason, doubt, crop) VALUES (?, ?, ?, ?, ?, ?, ?)";

static int record_question(struct store *st, long long page_id,
			   const struct store_scan_question *q,
			   struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_question, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, page_id);
	sqlite3_bind_text(stmt, 2, q->question_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, q->clear ? "clear" : "review", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, q->reading ? q->reading : "", -1,
			  SQLITE_STATIC);
	store_bind_text(stmt, 5, q->reason);
	sqlite3_bind_double(stmt, 6, q->doubt);
	if (q->crop && q->crop_len)
		sqlite3_bind_blob(stmt, 7, q->crop, (int)q->crop_len,
				  SQLITE_STATIC);
	return store_step_done(st, stmt, err);
}

static const char sql_page[] =
	"INSERT INTO scan_page(household_id, page, of_pages, layout,"
	" source, image_hash, reading) VALUES (?, ?, ?, ?, ?, ?, ?)"
	" ON CONFLICT (image_hash) DO NOTHING";

static int record(struct store *st, const struct survey *s,
		  const struct store_scan_page *p, enum store_scan_result *res,
		  struct strbuf *err)
{
	sqlite3_stmt *stmt;
	long long household = 0, page_id, seen;
	int rc;

	if (p->refusal)
		return record_refused(st, p, p->refusal, p->reason, res, err);
	rc = store_code_find(st, p->code, &household, NULL, 0, err);
	if (rc == STORE_ERROR)
		return STORE_ERROR;
	if (rc == STORE_NOT_FOUND) {
		if (store_audit_note_rejected_code(st, STORE_CHANNEL_SCAN,
						   STORE_REJECTED_UNKNOWN,
						   err) < 0)
			return STORE_ERROR;
		return record_refused(st, p, "unknown-code",
				      "the code on this page belongs to no "
				      "household of this survey",
				      res, err);
	}
	if (store_query_int(st,
			    "SELECT count(*) FROM scan_page WHERE household_id"
			    " = ? AND page = ? AND refusal IS NULL",
			    household, p->page, &seen, err) < 0)
		return STORE_ERROR;
	if (seen) {
		*res = STORE_SCAN_AGAIN;
		return STORE_OK;
	}
	stmt = store_stmt(st, sql_page, err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, household);
	sqlite3_bind_int(stmt, 2, (int)p->page);
	sqlite3_bind_int(stmt, 3, (int)p->of_pages);
	store_bind_text(stmt, 4, p->layout_id);
	sqlite3_bind_text(stmt, 5, p->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, p->image_hash, -1, SQLITE_STATIC);
	store_bind_text(stmt, 7, p->reading);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	if (!sqlite3_changes(st->db)) {
		*res = STORE_SCAN_AGAIN;
		return STORE_OK;
	}
	page_id = sqlite3_last_insert_rowid(st->db);
	for (size_t i = 0; i < p->nr_questions; i++)
		if (record_question(st, page_id, &p->questions[i], err) < 0)
			return STORE_ERROR;
	*res = STORE_SCAN_NEW;
	return settle(st, s, household, "scan", -1, err);
}

int store_scan_record(struct store *st, const struct survey *s,
		      const struct store_scan_page *p,
		      enum store_scan_result *res, struct strbuf *err)
{
	int entered = store_enter(st, err);

	int closed;

	if (entered < 0)
		return STORE_ERROR;
	/* After closing no new scan counts (lifecycle.h). */
	closed = store_closed(st, err);
	if (closed > 0)
		strbuf_addstr(err, "the survey is closed: no new scans count");
	if (closed != 0)
		return store_leave(st, entered,
				   closed > 0 ? STORE_REFUSED : STORE_ERROR,
				   err);
	return store_leave(st, entered, record(st, s, p, res, err), err);
}

/* ---- the review queue --------------------------------------------------- */

int store_scan_each_waiting(struct store *st, unsigned limit,
			    store_scan_waiting_fn fn, void *data,
			    struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(
		st,
		"SELECT f.household_id, h.buurt_id, f.state = 'conflict',"
		" (SELECT count(*) FROM scan_question q JOIN"
		"  scan_page p ON p.id = q.page_id WHERE"
		"  p.household_id = f.household_id AND"
		"  q.status = 'review') AS n,"
		" (SELECT max(q.doubt) FROM scan_question q JOIN"
		"  scan_page p ON p.id = q.page_id WHERE"
		"  p.household_id = f.household_id AND"
		"  q.status = 'review') AS d"
		" FROM scan_form f"
		" JOIN household h ON h.id = f.household_id"
		" WHERE f.state IN ('review', 'conflict')"
		" ORDER BY f.state = 'conflict', d DESC, n DESC,"
		" f.household_id LIMIT ?",
		err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int(stmt, 1, (int)limit);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		struct store_scan_waiting w = {
			.household = sqlite3_column_int64(stmt, 0),
			.buurt_id = store_col_text(stmt, 1),
			.conflict = sqlite3_column_int(stmt, 2) != 0,
			.questions = sqlite3_column_int64(stmt, 3),
			.doubt = sqlite3_column_double(stmt, 4),
		};

		ret = fn(&w, data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

void store_scan_form_release(struct store_scan_form *f)
{
	for (size_t i = 0; i < f->nr; i++) {
		free(f->v[i].reading);
		free(f->v[i].reason);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static const char sql_form[] = "SELECT f.state, h.buurt_id FROM scan_form f"
			       " JOIN household h ON h.id = f.household_id"
			       " WHERE f.household_id = ?";
static const char sql_form_pending[] =
	"SELECT p.id, p.page, q.question_id, q.reading, q.reason"
	" FROM scan_question q JOIN scan_page p ON p.id = q.page_id"
	" WHERE p.household_id = ? AND q.status = 'review'"
	" ORDER BY p.page";

int store_scan_form_load(struct store *st, const struct survey *s,
			 long long household, struct store_scan_form *f,
			 struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_form, err);
	int rc;

	memset(f, 0, sizeof(*f));
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, household);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0)
		return rc < 0 ? STORE_ERROR : STORE_NOT_FOUND;
	f->household = household;
	if (state_parse(store_col_text(stmt, 0), &f->state) < 0)
		f->state = STORE_SCAN_INCOMPLETE;
	store_col_copy(stmt, 1, f->buurt_id, sizeof(f->buurt_id));
	sqlite3_reset(stmt);
	stmt = store_stmt(st, sql_form_pending, err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, household);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		const struct survey_question *q =
			survey_find_question(s, store_col_text(stmt, 2));

		if (!q)
			continue;
		ALLOC_GROW(f->v, f->nr + 1, f->alloc);
		f->v[f->nr].page_id = sqlite3_column_int64(stmt, 0);
		f->v[f->nr].page = (unsigned)sqlite3_column_int(stmt, 1);
		f->v[f->nr].q = q;
		f->v[f->nr].reading = xstrdup(store_col_text(stmt, 3));
		f->v[f->nr].reason = xstrdup(store_col_text(stmt, 4));
		f->nr++;
	}
	if (rc < 0) {
		store_scan_form_release(f);
		return STORE_ERROR;
	}
	return STORE_OK;
}

static const char sql_reviewed[] =
	"UPDATE scan_question SET status = 'reviewed', answer = ?,"
	" reviewed_by = ?,"
	" reviewed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
	" WHERE page_id = ? AND question_id = ? AND status = 'review'";

static int review(struct store *st, const struct survey *s,
		  const struct store_scan_form *f,
		  const struct survey_answers *answers, const char *user,
		  int keep_scan, struct strbuf *err)
{
	struct strbuf by = STRBUF_INIT, value = STRBUF_INIT;
	int ret = STORE_ERROR;

	for (size_t i = 0; i < f->nr; i++) {
		const struct store_scan_pending *p = &f->v[i];
		sqlite3_stmt *stmt = store_stmt(st, sql_reviewed, err);

		if (!stmt)
			goto out;
		strbuf_reset(&value);
		survey_answers_join(answers, p->q, &value);
		sqlite3_bind_text(stmt, 1, value.buf, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, user, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, p->page_id);
		sqlite3_bind_text(stmt, 4, p->q->id, -1, SQLITE_STATIC);
		if (store_step_done(st, stmt, err) < 0)
			goto out;
		if (!sqlite3_changes(st->db)) {
			ret = STORE_CHANGED;
			goto out;
		}
	}
	strbuf_addf(&by, "scan, %s", user);
	ret = settle(st, s, f->household, by.buf, keep_scan, err);
out:
	strbuf_release(&by);
	strbuf_release(&value);
	return ret;
}

int store_scan_review(struct store *st, const struct survey *s,
		      const struct store_scan_form *f,
		      const struct survey_answers *answers, const char *user,
		      int keep_scan, struct strbuf *err)
{
	int entered = store_enter(st, err);

	if (entered < 0)
		return STORE_ERROR;
	return store_leave(st, entered,
			   review(st, s, f, answers, user, keep_scan, err),
			   err);
}

static const char sql_crop[] =
	"SELECT q.crop FROM scan_question q"
	" JOIN scan_page p ON p.id = q.page_id"
	" WHERE p.household_id = ? AND q.page_id = ? AND q.question_id = ?";

int store_scan_crop(struct store *st, long long household, long long page_id,
		    const char *qid, struct strbuf *png, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_crop, err);
	int rc, ret = STORE_NOT_FOUND;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, household);
	sqlite3_bind_int64(stmt, 2, page_id);
	sqlite3_bind_text(stmt, 3, qid, -1, SQLITE_STATIC);
	rc = store_step_row(st, stmt, err);
	if (rc < 0)
		return STORE_ERROR;
	if (rc > 0 && sqlite3_column_bytes(stmt, 0) > 0) {
		strbuf_add(png, sqlite3_column_blob(stmt, 0),
			   (size_t)sqlite3_column_bytes(stmt, 0));
		ret = STORE_OK;
	}
	sqlite3_reset(stmt);
	return ret;
}

int store_scan_form_counts(struct store *st, long long n[STORE_SCAN_NSTATE],
			   struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT state, count(*) FROM scan_form GROUP BY state",
		err);
	enum store_scan_state state;
	int rc;

	memset(n, 0, STORE_SCAN_NSTATE * sizeof(*n));
	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0)
		if (state_parse(store_col_text(stmt, 0), &state) == 0)
			n[state] = sqlite3_column_int64(stmt, 1);
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

/* See internal.h: what archiving forgets of this file's tables. */
int store_scans_forget(struct store *st, struct strbuf *err)
{
	return store_exec(st,
			  "UPDATE scan_page SET source = '', reading = NULL;"
			  "UPDATE scan_question SET crop = NULL;",
			  err);
}
