/*
 * review.c - the review queue of scanned forms (see review.h).
 *
 * The machine's reading is pre-filled, so that a person who agrees only
 * presses save, and corrects with one click where it misread.  Only the
 * questions in doubt are shown, each with the cut-out of the paper
 * beside it: the volunteer checks what is on paper, not a summary of it.
 */
#include "review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "html.h"
#include "reason.h"
#include "scanned.h"
#include "staff.h"
#include "token.h"
#include "xalloc.h"
#include "banned.h"

/* ---- the queue ------------------------------------------------------------ */

static void queue_page(struct server_request *req, struct server_reply *rep,
		       const struct server_session *sess, const char *notice)
{
	const struct survey *s = req->srv->survey;
	struct strbuf *out = &rep->body, err = STRBUF_INIT;
	struct survey_store *st = server_store_get(req->srv);
	sqlite3_stmt *stmt = NULL;
	int n = 0;

	strbuf_reset(out);
	server_html_begin(
		req, out,
		server_nl_en(req, "Gescande formulieren", "Scanned forms"),
		"/scan");
	server_staff_bar(req, out, sess);
	strbuf_addf(out, "<h1>%s</h1>\n",
		    server_nl_en(req, "Gescande formulieren nakijken",
				 "Check scanned forms"));
	server_html_notice(out, notice);
	strbuf_addf(out, "<p>%s</p>\n",
		    server_nl_en(req,
				 "Formulieren waarvan de computer niet zeker "
				 "is wat er is aangekruist, de "
				 "twijfelachtigste eerst. Ze tellen pas mee "
				 "als iemand ze heeft nagekeken.",
				 "Forms on which the computer is not sure "
				 "what was ticked, the most doubtful first. "
				 "They count only once someone has checked "
				 "them."));
	stmt = st ? survey_store_prepare(
			    st,
			    "SELECT t.code, h.buurt_id, f.state,"
			    " (SELECT count(*) FROM scan_question q JOIN"
			    "  scan_page p ON p.id = q.page_id WHERE"
			    "  p.household_id = f.household_id AND"
			    "  q.status = 'review') AS n,"
			    " (SELECT max(q.doubt) FROM scan_question q JOIN"
			    "  scan_page p ON p.id = q.page_id WHERE"
			    "  p.household_id = f.household_id AND"
			    "  q.status = 'review') AS d"
			    " FROM scan_form f"
			    " JOIN token t ON t.household_id = f.household_id"
			    " JOIN household h ON h.id = f.household_id"
			    " WHERE f.state IN ('review', 'conflict')"
			    " ORDER BY f.state = 'conflict', d DESC, n DESC"
			    " LIMIT 200",
			    &err)
		  : NULL;
	while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(stmt, 0);
		const struct survey_buurt *b = survey_find_buurt(
			s, (const char *)sqlite3_column_text(stmt, 1));
		bool conflict = !strcmp(
			(const char *)sqlite3_column_text(stmt, 2), "conflict");
		char pretty[SURVEY_TOKEN_PRETTY];

		if (!n++)
			strbuf_addstr(out, "<ul class=\"queue\">\n");
		survey_token_pretty(code, pretty);
		strbuf_addf(out,
			    "<li><a href=\"/scan/%s\">%s <span "
			    "class=\"code\">%s</span></a>",
			    code, server_nl_en(req, "Formulier", "Form"),
			    pretty);
		if (b) {
			strbuf_addstr(out, " (");
			strbuf_add_html(out, b->name);
			strbuf_addch(out, ')');
		}
		if (conflict)
			strbuf_addf(out, ": %s",
				    server_nl_en(req,
						 "ook online beantwoord, kies "
						 "wat telt",
						 "also answered online, choose "
						 "what counts"));
		else
			strbuf_addf(
				out, ": %lld %s",
				(long long)sqlite3_column_int64(stmt, 3),
				sqlite3_column_int64(stmt, 3) == 1
					? server_nl_en(req, "vraag in twijfel",
						       "question in doubt")
					: server_nl_en(req, "vragen in twijfel",
						       "questions in doubt"));
		strbuf_addstr(out, "</li>\n");
	}
	if (n)
		strbuf_addstr(out, "</ul>\n");
	else
		strbuf_addf(out, "<p>%s</p>\n",
			    server_nl_en(req,
					 "<strong>Er wacht niets.</strong> "
					 "Alle gescande formulieren zijn "
					 "gelezen of nagekeken.",
					 "<strong>Nothing waits.</strong> "
					 "Every scanned form has been read or "
					 "checked."));
	if (err.len)
		fprintf(stderr, "draagvlak serve: %s\n", err.buf);
	sqlite3_finalize(stmt);
	server_store_put(req->srv, st);
	server_html_end(req, out);
	strbuf_release(&err);
}

/* ---- one form ------------------------------------------------------------- */

struct pending {
	long long page_id;
	unsigned page;
	const struct survey_question *q;
	char *reading, *reason;
};

struct form_review {
	long long household;
	char canon[SURVEY_TOKEN_SIZE];
	const struct survey_buurt *buurt;
	char state[16];
	struct pending *v;
	size_t nr, alloc;
};

static void form_review_release(struct form_review *f)
{
	for (size_t i = 0; i < f->nr; i++) {
		free(f->v[i].reading);
		free(f->v[i].reason);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static char *col_dup(sqlite3_stmt *stmt, int i)
{
	const char *v = (const char *)sqlite3_column_text(stmt, i);

	return xstrdup(v ? v : "");
}

/* The form of code, with its questions in doubt; 1, 0 none, -1 error. */
static int load_form(struct survey_store *st, const struct survey *s,
		     const char *canon, struct form_review *f,
		     struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st,
		"SELECT f.household_id, f.state, h.buurt_id FROM scan_form f"
		" JOIN token t ON t.household_id = f.household_id"
		" JOIN household h ON h.id = f.household_id WHERE t.code = ?",
		err);
	int rc;

	memset(f, 0, sizeof(*f));
	if (!stmt)
		return -1;
	memcpy(f->canon, canon, SURVEY_TOKEN_SIZE);
	sqlite3_bind_text(stmt, 1, canon, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		f->household = sqlite3_column_int64(stmt, 0);
		snprintf(f->state, sizeof(f->state), "%s",
			 (const char *)sqlite3_column_text(stmt, 1));
		f->buurt = survey_find_buurt(
			s, (const char *)sqlite3_column_text(stmt, 2));
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0
					 : (survey_store_error(st, err), -1);
	stmt = survey_store_prepare(
		st,
		"SELECT p.id, p.page, q.question_id, q.reading, q.reason"
		" FROM scan_question q JOIN scan_page p ON p.id = q.page_id"
		" WHERE p.household_id = ? AND q.status = 'review'"
		" ORDER BY p.page",
		err);
	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, f->household);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const struct survey_question *q = survey_find_question(
			s, (const char *)sqlite3_column_text(stmt, 2));

		if (!q)
			continue;
		ALLOC_GROW(f->v, f->nr + 1, f->alloc);
		f->v[f->nr].page_id = sqlite3_column_int64(stmt, 0);
		f->v[f->nr].page = (unsigned)sqlite3_column_int(stmt, 1);
		f->v[f->nr].q = q;
		f->v[f->nr].reading = col_dup(stmt, 3);
		f->v[f->nr].reason = col_dup(stmt, 4);
		f->nr++;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		survey_store_error(st, err);
		return -1;
	}
	return 1;
}

/* The machine's reading of each question in doubt, as a form's values. */
static void readings(const struct form_review *f, struct server_answers *a)
{
	for (size_t i = 0; i < f->nr; i++)
		server_answers_add_joined(a, f->v[i].q, f->v[i].reading);
}

static size_t question_number(const struct survey *s,
			      const struct survey_question *q)
{
	return (size_t)(q - s->questions) + 1;
}

static void form_page(struct server_request *req, struct server_reply *rep,
		      const struct server_session *sess,
		      const struct form_review *f,
		      const struct server_answers *values, char **errors)
{
	const struct survey *s = req->srv->survey;
	struct strbuf *out = &rep->body, why = STRBUF_INIT;
	char pretty[SURVEY_TOKEN_PRETTY], path[64];

	strbuf_reset(out);
	survey_token_pretty(f->canon, pretty);
	snprintf(path, sizeof(path), "/scan/%s", f->canon);
	server_html_begin(req, out,
			  server_nl_en(req, "Gescand formulier nakijken",
				       "Check a scanned form"),
			  path);
	server_staff_bar(req, out, sess);
	strbuf_addf(out,
		    "<p><a href=\"/scan\">← %s</a></p>\n"
		    "<h1>%s <span class=\"code\">%s</span></h1>\n",
		    server_nl_en(req, "Alle gescande formulieren",
				 "All scanned forms"),
		    server_nl_en(req, "Formulier", "Form"), pretty);
	if (f->buurt) {
		strbuf_addf(out, "<p>%s ",
			    server_nl_en(req, "Buurt", "Neighbourhood"));
		strbuf_add_html(out, f->buurt->name);
		strbuf_addstr(out, ".</p>\n");
	}
	strbuf_addf(out, "<form method=\"post\" action=\"/scan/%s\">\n",
		    f->canon);
	server_staff_csrf_field(out, sess);
	if (!strcmp(f->state, "conflict"))
		strbuf_addf(
			out,
			"<fieldset><legend>%s</legend>\n"
			"<p class=\"help\">%s</p>\n"
			"<label class=\"opt\"><input type=\"radio\" "
			"name=\"telt\" value=\"scan\" required> %s</label>\n"
			"<label class=\"opt\"><input type=\"radio\" "
			"name=\"telt\" value=\"online\"> %s</label>\n"
			"</fieldset>\n",
			server_nl_en(req,
				     "Dit huishouden antwoordde ook online",
				     "This household also answered online"),
			server_nl_en(req,
				     "Het papieren formulier is helemaal "
				     "gelezen. Kies wat telt; het andere "
				     "blijft bewaard.",
				     "The paper form has been read in full. "
				     "Choose what counts; the other is kept."),
			server_nl_en(req, "Het gescande formulier telt",
				     "The scanned form counts"),
			server_nl_en(req, "Het online antwoord blijft tellen",
				     "The online answer still counts"));
	if (f->nr)
		strbuf_addf(out, "<p>%s</p>\n",
			    server_nl_en(req,
					 "De computer twijfelt over deze "
					 "vragen. Vergelijk met de uitsnede "
					 "van het papier en pas aan waar "
					 "nodig; wat de computer las, staat "
					 "al ingevuld.",
					 "The computer is in doubt about these "
					 "questions. Compare with the cut-out "
					 "of the paper and correct where "
					 "needed; what the computer read is "
					 "already filled in."));
	for (size_t i = 0; i < f->nr; i++) {
		const struct pending *p = &f->v[i];
		size_t n = question_number(s, p->q);

		strbuf_addstr(out, "<figure class=\"crop\"><img src=\"/scan/");
		strbuf_addf(out, "%s/uitsnede/%lld/", f->canon, p->page_id);
		strbuf_add_html(out, p->q->id);
		if (req->lang == SURVEY_EN)
			strbuf_addf(
				out,
				".png\" alt=\"Question %zu as scanned (page "
				"%u)\"><figcaption>Scanned, page %u. ",
				n, p->page, p->page);
		else
			strbuf_addf(out,
				    ".png\" alt=\"Vraag %zu zoals gescand "
				    "(pagina %u)\"><figcaption>Gescand, "
				    "pagina %u. ",
				    n, p->page, p->page);
		strbuf_reset(&why);
		scan_reason_describe(p->reason, p->q, req->lang, &why);
		strbuf_add_html(out, why.buf);
		strbuf_addstr(out, "</figcaption></figure>\n");
		server_html_question(out, p->q, n, values,
				     errors ? errors[p->q - s->questions]
					    : NULL,
				     true, req->lang);
	}
	strbuf_release(&why);
	strbuf_addf(out,
		    "<div class=\"actions\"><button type=\"submit\">%s"
		    "</button></div>\n</form>\n",
		    server_nl_en(req, "Opslaan", "Save"));
	server_html_end(req, out);
}

struct review_save {
	const struct survey *s;
	const struct form_review *f;
	const struct server_answers *answers;
	const char *user;
	int keep_scan;
	enum survey_lang lang; /* of err */
};

static int run_review(struct survey_store *st, void *arg, struct strbuf *err)
{
	struct review_save *r = arg;
	struct strbuf by = STRBUF_INIT, value = STRBUF_INIT;
	sqlite3_stmt *stmt = survey_store_prepare(
		st,
		"UPDATE scan_question SET status = 'reviewed', answer = ?,"
		" reviewed_by = ?,"
		" reviewed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
		" WHERE page_id = ? AND question_id = ? AND status = 'review'",
		err);
	int ret = -1;

	if (!stmt)
		return -1;
	for (size_t i = 0; i < r->f->nr; i++) {
		const struct pending *p = &r->f->v[i];

		strbuf_reset(&value);
		for (size_t k = 0; k < r->answers->nr; k++) {
			if (r->answers->a[k].q != p->q)
				continue;
			if (value.len)
				strbuf_addch(&value, '+');
			strbuf_addstr(&value, r->answers->a[k].value);
		}
		sqlite3_bind_text(stmt, 1, value.buf, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, r->user, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, p->page_id);
		sqlite3_bind_text(stmt, 4, p->q->id, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			survey_store_error(st, err);
			goto out;
		}
		if (!sqlite3_changes(st->db)) {
			strbuf_addstr(err,
				      r->lang == SURVEY_EN
					      ? "Someone else checked this "
						"form in the meantime."
					      : "Iemand anders heeft dit "
						"formulier intussen "
						"nagekeken.");
			goto out;
		}
		sqlite3_reset(stmt);
	}
	strbuf_addf(&by, "scan, %s", r->user);
	ret = server_scan_settle(st, r->s, r->f->household, by.buf,
				 r->keep_scan, err);
out:
	sqlite3_finalize(stmt);
	strbuf_release(&by);
	strbuf_release(&value);
	return ret;
}

static void save(struct server_request *req, struct server_reply *rep,
		 const struct server_session *sess, struct form_review *f)
{
	const struct survey *s = req->srv->survey;
	struct server_answers a = SERVER_ANSWERS_INIT;
	char **errors = xcalloc(s->nr_questions, sizeof(*errors));
	struct strbuf err = STRBUF_INIT;
	const char *telt = server_field(req, "telt");
	struct review_save r = { s, f, &a, sess->user, -1, req->lang };
	bool wrong = false;

	server_answers_from_form(req, s, true, req->lang, &a, errors);
	/* Only the questions shown count; others were not on the page. */
	for (size_t i = 0; i < f->nr; i++)
		if (errors[f->v[i].q - s->questions])
			wrong = true;
	if (!strcmp(f->state, "conflict")) {
		if (telt && (!strcmp(telt, "scan") || !strcmp(telt, "online")))
			r.keep_scan = !strcmp(telt, "scan");
		else
			wrong = true;
	}
	if (wrong) {
		rep->status = MHD_HTTP_UNPROCESSABLE_CONTENT;
		form_page(req, rep, sess, f, &a, errors);
	} else if (server_writer_run(req->srv->writer, run_review, &r, &err) <
		   0) {
		rep->status = MHD_HTTP_CONFLICT;
		server_html_message(
			req, rep,
			server_nl_en(req, "Niet opgeslagen", "Not saved"),
			err.buf);
	} else {
		server_redirect(rep, "/scan?klaar=1");
	}
	server_errors_free(errors, s->nr_questions);
	free(errors);
	server_answers_release(&a);
	strbuf_release(&err);
}

/* GET /scan/CODE/uitsnede/PAGE/QUESTION.png */
static void crop(struct server_request *req, struct server_reply *rep,
		 const char *canon, const char *rest)
{
	struct survey_store *st = server_store_get(req->srv);
	struct strbuf qid = STRBUF_INIT;
	sqlite3_stmt *stmt;
	char *end;
	long long page = strtoll(rest, &end, 10);
	const char *dot = strrchr(end, '.');

	rep->status = MHD_HTTP_NOT_FOUND;
	if (*end == '/' && dot && !strcmp(dot, ".png"))
		strbuf_add(&qid, end + 1, (size_t)(dot - end - 1));
	stmt = st && qid.len ? survey_store_prepare(
				       st,
				       "SELECT q.crop FROM scan_question q"
				       " JOIN scan_page p ON p.id = q.page_id"
				       " JOIN token t ON t.household_id ="
				       " p.household_id WHERE t.code = ? AND"
				       " q.page_id = ? AND q.question_id = ?",
				       NULL)
			     : NULL;
	if (stmt) {
		sqlite3_bind_text(stmt, 1, canon, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, page);
		sqlite3_bind_text(stmt, 3, qid.buf, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW &&
		    sqlite3_column_bytes(stmt, 0) > 0) {
			strbuf_add(&rep->body, sqlite3_column_blob(stmt, 0),
				   (size_t)sqlite3_column_bytes(stmt, 0));
			rep->content_type = "image/png";
			rep->status = MHD_HTTP_OK;
		}
	}
	sqlite3_finalize(stmt);
	server_store_put(req->srv, st);
	if (rep->status != MHD_HTTP_OK)
		server_html_message(
			req, rep,
			server_nl_en(req, "Niet gevonden", "Not found"),
			server_nl_en(req, "Deze uitsnede bestaat niet.",
				     "There is no such cut-out."));
	strbuf_release(&qid);
}

enum server_outcome server_review(struct server_request *req,
				  struct server_reply *rep)
{
	const char *rest = req->path + strlen("/scan");
	struct server_session sess;
	struct form_review f;
	struct strbuf err = STRBUF_INIT;
	char canon[SURVEY_TOKEN_SIZE], code[32];
	const char *slash;
	size_t len;
	int rc;

	if (!server_staff_session(req, &sess))
		return server_staff_to_login(rep);
	if (!*rest || !strcmp(rest, "/")) {
		if (req->post)
			return server_staff_to_login(rep);
		queue_page(req, rep, &sess,
			   server_query(req, "klaar")
				   ? server_nl_en(req,
						  "Opgeslagen. Het volgende "
						  "formulier:",
						  "Saved. The next form:")
				   : NULL);
		return SERVER_REPLY;
	}
	rest++;
	slash = strchr(rest, '/');
	len = slash ? (size_t)(slash - rest) : strlen(rest);
	snprintf(code, sizeof(code), "%.*s", (int)(len < 31 ? len : 31), rest);
	if (survey_token_parse(code, canon) != SURVEY_TOKEN_OK) {
		rep->status = MHD_HTTP_NOT_FOUND;
		server_html_message(
			req, rep,
			server_nl_en(req, "Niet gevonden", "Not found"),
			server_nl_en(req, "Dit is geen code van een formulier.",
				     "This is not the code of a form."));
		return SERVER_REPLY;
	}
	if (slash && !strncmp(slash, "/uitsnede/", 10) && !req->post) {
		crop(req, rep, canon, slash + 10);
		return SERVER_REPLY;
	}
	if (req->post && !server_staff_csrf_ok(req, &sess))
		return server_staff_csrf_refused(req, rep);
	{
		struct survey_store *st = server_store_get(req->srv);

		rc = st ? load_form(st, req->srv->survey, canon, &f, &err) : -1;
		server_store_put(req->srv, st);
	}
	if (rc <= 0 || slash) {
		rep->status = rc < 0 ? MHD_HTTP_INTERNAL_SERVER_ERROR
				     : MHD_HTTP_NOT_FOUND;
		if (rc < 0)
			fprintf(stderr, "draagvlak serve: %s\n", err.buf);
		server_html_message(
			req, rep,
			server_nl_en(req, "Niet gevonden", "Not found"),
			server_nl_en(req,
				     "Van deze code is geen gescand formulier "
				     "bekend.",
				     "No scanned form with this code is "
				     "known."));
	} else if (strcmp(f.state, "review") && strcmp(f.state, "conflict")) {
		server_html_message(
			req, rep, server_nl_en(req, "Al klaar", "Already done"),
			server_nl_en(req,
				     "Dit gescande formulier hoeft niet meer "
				     "nagekeken te worden.",
				     "This scanned form needs no more "
				     "checking."));
	} else if (req->post) {
		save(req, rep, &sess, &f);
	} else {
		struct server_answers a = SERVER_ANSWERS_INIT;

		readings(&f, &a);
		form_page(req, rep, &sess, &f, &a, NULL);
		server_answers_release(&a);
	}
	if (rc > 0)
		form_review_release(&f);
	strbuf_release(&err);
	return SERVER_REPLY;
}
