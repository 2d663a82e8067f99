/*
 * scanned.c - scanned pages into the store, scanned forms into responses
 * (see scanned.h).
 */
#include "scanned.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "banned.h"

static int step_done(struct survey_store *st, sqlite3_stmt *stmt,
		     struct strbuf *err)
{
	int rc = sqlite3_step(stmt);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		survey_store_error(st, err);
		return -1;
	}
	return 0;
}

/* One integer from sql with up to two integer parameters; -1 on error. */
static long long query_ll(struct survey_store *st, const char *sql, long long a,
			  long long b, struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(st, sql, err);
	long long v = -1;
	int rc;

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, a);
	if (sqlite3_bind_parameter_count(stmt) > 1)
		sqlite3_bind_int64(stmt, 2, b);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	else if (rc == SQLITE_DONE)
		v = 0;
	else
		survey_store_error(st, err);
	sqlite3_finalize(stmt);
	return v;
}

static int set_form_state(struct survey_store *st, long long household,
			  const char *state, long long response,
			  struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st,
		"INSERT INTO scan_form(household_id, state, response_id)"
		" VALUES (?, ?, ?) ON CONFLICT (household_id) DO UPDATE"
		" SET state = excluded.state,"
		" response_id = coalesce(excluded.response_id, response_id)",
		err);
	int ret;

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, household);
	sqlite3_bind_text(stmt, 2, state, -1, SQLITE_STATIC);
	if (response > 0)
		sqlite3_bind_int64(stmt, 3, response);
	ret = step_done(st, stmt, err);
	sqlite3_finalize(stmt);
	return ret;
}

/* The answers of the household's scanned pages, clear or reviewed. */
static int load_scanned(struct survey_store *st, const struct survey *s,
			long long household, struct server_answers *a,
			struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st,
		"SELECT q.question_id, CASE q.status WHEN 'reviewed'"
		" THEN q.answer ELSE q.reading END"
		" FROM scan_question q JOIN scan_page p ON p.id = q.page_id"
		" WHERE p.household_id = ? AND p.refusal IS NULL",
		err);
	int rc;

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, household);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const struct survey_question *q = survey_find_question(
			s, (const char *)sqlite3_column_text(stmt, 0));
		const char *v = (const char *)sqlite3_column_text(stmt, 1);

		if (!q || !v || !*v)
			continue;
		/* A text is one value; the ticks of a multi are joined by '+'. */
		if (q->type == SURVEY_Q_TEXT)
			server_answers_add(a, q, v);
		else
			server_answers_add_joined(a, q, v);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		survey_store_error(st, err);
		return -1;
	}
	return 0;
}

int server_scan_settle(struct survey_store *st, const struct survey *s,
		       long long household, const char *by, int keep_scan,
		       struct strbuf *err)
{
	struct server_answers a = SERVER_ANSWERS_INIT;
	struct server_current cur;
	struct server_record rec;
	long long of, have, pending, done;
	int ret = -1;

	done = query_ll(st,
			"SELECT count(*) FROM scan_form WHERE household_id = ?"
			" AND state IN ('counted', 'kept')",
			household, 0, err);
	of = query_ll(st,
		      "SELECT max(of_pages) FROM scan_page WHERE"
		      " household_id = ? AND refusal IS NULL",
		      household, 0, err);
	have = query_ll(st,
			"SELECT count(*) FROM scan_page WHERE household_id = ?"
			" AND refusal IS NULL",
			household, 0, err);
	pending = query_ll(st,
			   "SELECT count(*) FROM scan_question q JOIN scan_page"
			   " p ON p.id = q.page_id WHERE p.household_id = ?"
			   " AND q.status = 'review'",
			   household, 0, err);
	if (done < 0 || of < 0 || have < 0 || pending < 0)
		return -1;
	if (done)
		return 0; /* counted already: a page scanned again changes nothing */
	if (have < of)
		return set_form_state(st, household, "incomplete", 0, err);
	if (pending)
		return set_form_state(st, household, "review", 0, err);
	if (server_answers_load(st, s, household, &cur, NULL, err) < 0)
		return -1;
	if (cur.id && !strcmp(cur.channel, "online") &&
	    s->conflict == SURVEY_CONFLICT_LATEST && keep_scan < 0)
		return set_form_state(st, household, "conflict", 0, err);
	if (keep_scan == 0)
		return set_form_state(st, household, "kept", 0, err);
	if (load_scanned(st, s, household, &a, err) < 0)
		goto out;
	memset(&rec, 0, sizeof(rec));
	rec.household = household;
	rec.channel = "scan";
	rec.entered_by = by;
	rec.answers = &a;
	rec.conflict = s->conflict;
	rec.expect_current = -1;
	if (server_answers_record(st, &rec, err) < 0)
		goto out;
	ret = set_form_state(st, household, rec.counts ? "counted" : "kept",
			     rec.response_id, err);
out:
	server_answers_release(&a);
	return ret;
}

/* How much a question in doubt is in doubt: the queue shows most first. */
static double doubt(const struct scan_page *p, const struct scan_question *q)
{
	double d = 0;
	size_t ticked = 0;

	for (size_t i = q->box0; i < q->box0 + q->nr_boxes; i++) {
		if (p->boxes[i].state == SCAN_BOX_UNCERTAIN)
			d += 1;
		else if (p->boxes[i].state == SCAN_BOX_TICKED)
			ticked++;
	}
	if (ticked > 1 && q->q && q->q->type != SURVEY_Q_MULTI)
		d += 0.5 * (double)(ticked - 1);
	if (q->text >= 0 && p->texts[q->text].state == SCAN_TEXT_UNCERTAIN)
		d += 0.5;
	return d;
}

/* What a person sees pre-filled: the clear reading, or the boxes ticked. */
static void prefill(const struct scan_page *p, const struct scan_question *q,
		    struct strbuf *out)
{
	if (q->status == SCAN_CLEAR) {
		scan_question_answer(q, out);
		return;
	}
	for (size_t i = q->box0; i < q->box0 + q->nr_boxes; i++)
		if (p->boxes[i].state == SCAN_BOX_TICKED &&
		    p->boxes[i].kind != RENDER_BOX_DIGIT &&
		    p->boxes[i].kind != RENDER_BOX_SIGN) {
			if (out->len)
				strbuf_addch(out, '+');
			strbuf_addstr(out, p->boxes[i].value);
		}
}

static int record_refused(struct survey_store *st, const struct scan_page *p,
			  const char *refusal, const char *reason,
			  const char *source, const char *image_hash,
			  enum server_scan_result *res, struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st,
		"INSERT INTO scan_page(page, layout, source, image_hash,"
		" refusal, reason) VALUES (?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (image_hash) DO NOTHING",
		err);
	int ret;

	if (!stmt)
		return -1;
	if (p->page)
		sqlite3_bind_int(stmt, 1, (int)p->page);
	if (*p->layout_id)
		sqlite3_bind_text(stmt, 2, p->layout_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, image_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, refusal, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, reason, -1, SQLITE_STATIC);
	ret = step_done(st, stmt, err);
	sqlite3_finalize(stmt);
	*res = sqlite3_changes(st->db) ? SERVER_SCAN_REFUSED
				       : SERVER_SCAN_AGAIN;
	return ret;
}

static int record_question(struct survey_store *st, long long page_id,
			   const struct scan_page *p,
			   const struct scan_question *q,
			   const struct scan_image *img, struct strbuf *err)
{
	struct strbuf reading = STRBUF_INIT, png = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int ret = -1;

	prefill(p, q, &reading);
	if (q->status == SCAN_REVIEW &&
	    scan_page_crop_png(p, img, &q->r, 2.0, &png, err) < 0)
		goto out;
	stmt = survey_store_prepare(
		st,
		"INSERT INTO scan_question(page_id, question_id, status,"
		" reading, reason, doubt, crop) VALUES (?, ?, ?, ?, ?, ?, ?)",
		err);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, page_id);
	sqlite3_bind_text(stmt, 2, q->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, q->status == SCAN_CLEAR ? "clear" : "review",
			  -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, reading.buf, -1, SQLITE_STATIC);
	if (q->reason)
		sqlite3_bind_text(stmt, 5, q->reason, -1, SQLITE_STATIC);
	sqlite3_bind_double(stmt, 6, doubt(p, q));
	if (png.len)
		sqlite3_bind_blob(stmt, 7, png.buf, (int)png.len,
				  SQLITE_STATIC);
	ret = step_done(st, stmt, err);
out:
	sqlite3_finalize(stmt);
	strbuf_release(&reading);
	strbuf_release(&png);
	return ret;
}

int server_scan_record(struct survey_store *st, const struct survey *s,
		       const struct scan_page *p, const struct scan_image *img,
		       const char *reason, const char *source,
		       const char *image_hash, enum server_scan_result *res,
		       struct strbuf *err)
{
	struct strbuf json = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	long long household = 0, page_id;
	int ret = -1;

	if (p->refusal != SCAN_READ)
		return record_refused(st, p, scan_refusal_name(p->refusal),
				      reason, source, image_hash, res, err);
	stmt = survey_store_prepare(
		st, "SELECT household_id FROM token WHERE code = ?", err);
	if (!stmt)
		return -1;
	sqlite3_bind_text(stmt, 1, p->code, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		household = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (!household) {
		if (survey_store_note_rejected_code(st, "scan", "unknown",
						    err) < 0)
			return -1;
		return record_refused(st, p, "unknown-code",
				      "the code on this page belongs to no "
				      "household of this survey",
				      source, image_hash, res, err);
	}
	if (query_ll(st,
		     "SELECT count(*) FROM scan_page WHERE household_id = ?"
		     " AND page = ? AND refusal IS NULL",
		     household, p->page, err) != 0) {
		*res = SERVER_SCAN_AGAIN;
		return err->len ? -1 : 0;
	}
	scan_page_json(p, &json);
	stmt = survey_store_prepare(
		st,
		"INSERT INTO scan_page(household_id, page, of_pages, layout,"
		" source, image_hash, reading) VALUES (?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (image_hash) DO NOTHING",
		err);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, household);
	sqlite3_bind_int(stmt, 2, (int)p->page);
	sqlite3_bind_int(stmt, 3, (int)p->layout->nr_pages);
	sqlite3_bind_text(stmt, 4, p->layout_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, image_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, json.buf, -1, SQLITE_STATIC);
	if (step_done(st, stmt, err) < 0)
		goto out;
	if (!sqlite3_changes(st->db)) {
		*res = SERVER_SCAN_AGAIN;
		ret = 0;
		goto out;
	}
	page_id = sqlite3_last_insert_rowid(st->db);
	for (size_t i = 0; i < p->nr_questions; i++)
		if (record_question(st, page_id, p, &p->questions[i], img,
				    err) < 0)
			goto out;
	*res = SERVER_SCAN_NEW;
	ret = server_scan_settle(st, s, household, "scan", -1, err);
out:
	sqlite3_finalize(stmt);
	strbuf_release(&json);
	return ret;
}
