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

#include "fields.h"
#include "households.h"
#include "html.h"
#include "reason.h"
#include "scans.h"
#include "scanupload.h"
#include "staff.h"
#include "token.h"
#include "xalloc.h"
#include "banned.h"

/* ---- the queue ------------------------------------------------------------ */

struct queue {
	struct server_request *req;
	struct store *st;
	struct strbuf *out;
	int n;
};

static int queue_item(const struct store_scan_waiting *w, void *data)
{
	struct queue *qu = data;
	struct server_request *req = qu->req;
	struct strbuf *out = qu->out;
	const struct survey_buurt *b =
		survey_find_buurt(req->sv->survey, w->buurt_id);
	char hint[STORE_CODE_HINT];

	if (!qu->n++)
		strbuf_addstr(out, "<ul class=\"queue\">\n");
	if (store_code_hint(qu->st, w->household, hint, NULL) != STORE_OK)
		hint[0] = '\0';
	strbuf_addf(out,
		    "<li><a href=\"/scan/%lld\">%s <span "
		    "class=\"code\">…%s</span></a>",
		    w->household, server_nl_en(req, "Formulier", "Form"), hint);
	if (b) {
		strbuf_addstr(out, " (");
		strbuf_add_html(out, b->name);
		strbuf_addch(out, ')');
	}
	if (w->conflict)
		strbuf_addf(out, ": %s",
			    server_nl_en(req,
					 "ook online beantwoord, kies "
					 "wat telt",
					 "also answered online, choose "
					 "what counts"));
	else
		strbuf_addf(out, ": %lld %s", w->questions,
			    w->questions == 1
				    ? server_nl_en(req, "vraag in twijfel",
						   "question in doubt")
				    : server_nl_en(req, "vragen in twijfel",
						   "questions in doubt"));
	strbuf_addstr(out, "</li>\n");
	return 0;
}

static void queue_page(struct server_request *req, struct server_reply *rep,
		       const struct server_session *sess, const char *notice)
{
	struct strbuf *out = &rep->body, err = STRBUF_INIT;
	struct queue qu = { req, server_store_get(req->sv), out, 0 };
	int rc;

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
	server_scanupload_form(req, out);
	rc = qu.st ? store_scan_each_waiting(qu.st, 200, queue_item, &qu, &err)
		   : STORE_ERROR;
	server_store_put(req->sv, qu.st);
	if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		strbuf_release(&err);
		return;
	}
	if (qu.n)
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
	server_html_end(req, out);
	strbuf_release(&err);
}

/* ---- one form ------------------------------------------------------------- */

/* The machine's reading of each question in doubt, as a form's values. */
static void readings(const struct store_scan_form *f, struct survey_answers *a)
{
	for (size_t i = 0; i < f->nr; i++)
		survey_answers_add_joined(a, f->v[i].q, f->v[i].reading);
}

static size_t question_number(const struct survey *s,
			      const struct survey_question *q)
{
	return (size_t)(q - s->questions) + 1;
}

static void form_page(struct server_request *req, struct server_reply *rep,
		      const struct server_session *sess,
		      const struct store_scan_form *f, const char *hint,
		      const struct survey_answers *values, char **errors)
{
	const struct survey *s = req->sv->survey;
	const struct survey_buurt *buurt = survey_find_buurt(s, f->buurt_id);
	struct strbuf *out = &rep->body, why = STRBUF_INIT;
	char path[64];

	strbuf_reset(out);
	snprintf(path, sizeof(path), "/scan/%lld", f->household);
	server_html_begin(req, out,
			  server_nl_en(req, "Gescand formulier nakijken",
				       "Check a scanned form"),
			  path);
	server_staff_bar(req, out, sess);
	strbuf_addf(out,
		    "<p><a href=\"/scan\">← %s</a></p>\n"
		    "<h1>%s <span class=\"code\">…%s</span></h1>\n",
		    server_nl_en(req, "Alle gescande formulieren",
				 "All scanned forms"),
		    server_nl_en(req, "Formulier", "Form"), hint);
	if (buurt) {
		strbuf_addf(out, "<p>%s ",
			    server_nl_en(req, "Buurt", "Neighbourhood"));
		strbuf_add_html(out, buurt->name);
		strbuf_addstr(out, ".</p>\n");
	}
	strbuf_addf(out, "<form method=\"post\" action=\"/scan/%lld\">\n",
		    f->household);
	server_staff_csrf_field(out, sess);
	if (f->state == STORE_SCAN_CONFLICT)
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
		const struct store_scan_pending *p = &f->v[i];
		size_t n = question_number(s, p->q);

		strbuf_addstr(out, "<figure class=\"crop\"><img src=\"/scan/");
		strbuf_addf(out, "%lld/uitsnede/%lld/", f->household,
			    p->page_id);
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
	const struct store_scan_form *f;
	const struct survey_answers *answers;
	const char *user;
	int keep_scan;
};

static int run_review(struct store *st, void *arg, struct strbuf *err)
{
	struct review_save *r = arg;

	return store_scan_review(st, r->s, r->f, r->answers, r->user,
				 r->keep_scan, err);
}

static void save(struct server_request *req, struct server_reply *rep,
		 const struct server_session *sess,
		 const struct store_scan_form *f, const char *hint)
{
	const struct survey *s = req->sv->survey;
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	char **errors = xcalloc(s->nr_questions, sizeof(*errors));
	struct strbuf err = STRBUF_INIT;
	const char *telt = server_field(req, "telt");
	struct review_save r = { s, f, &a, sess->user, -1 };
	bool wrong = false;
	int rc;

	server_fields_answers(req, s, true, req->lang, &a, errors);
	/* Only the questions shown count; others were not on the page. */
	for (size_t i = 0; i < f->nr; i++)
		if (errors[f->v[i].q - s->questions])
			wrong = true;
	if (f->state == STORE_SCAN_CONFLICT) {
		if (telt && (!strcmp(telt, "scan") || !strcmp(telt, "online")))
			r.keep_scan = !strcmp(telt, "scan");
		else
			wrong = true;
	}
	if (wrong) {
		rep->status = MHD_HTTP_UNPROCESSABLE_CONTENT;
		form_page(req, rep, sess, f, hint, &a, errors);
		goto out;
	}
	rc = store_writer_run(req->sv->writer, run_review, &r, &err);
	if (rc == STORE_OK) {
		server_redirect(rep, "/scan?klaar=1");
	} else if (rc == STORE_CHANGED) {
		rep->status = MHD_HTTP_CONFLICT;
		server_html_message(
			req, rep,
			server_nl_en(req, "Niet opgeslagen", "Not saved"),
			server_nl_en(req,
				     "Iemand anders heeft dit formulier "
				     "intussen nagekeken.",
				     "Someone else checked this form in the "
				     "meantime."));
	} else {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	}
out:
	server_errors_free(errors, s->nr_questions);
	free(errors);
	survey_answers_release(&a);
	strbuf_release(&err);
}

/* GET /scan/HOUSEHOLD/uitsnede/PAGE/QUESTION.png */
static void crop(struct server_request *req, struct server_reply *rep,
		 long long household, const char *rest)
{
	struct store *st = server_store_get(req->sv);
	struct strbuf qid = STRBUF_INIT, err = STRBUF_INIT;
	char *end;
	long long page = strtoll(rest, &end, 10);
	const char *dot = strrchr(end, '.');
	int rc = STORE_NOT_FOUND;

	if (*end == '/' && dot && !strcmp(dot, ".png"))
		strbuf_add(&qid, end + 1, (size_t)(dot - end - 1));
	if (!st)
		rc = STORE_ERROR;
	else if (qid.len)
		rc = store_scan_crop(st, household, page, qid.buf, &rep->body,
				     &err);
	server_store_put(req->sv, st);
	if (rc == STORE_OK) {
		rep->content_type = "image/png";
		rep->status = MHD_HTTP_OK;
	} else if (rc == STORE_NOT_FOUND) {
		rep->status = MHD_HTTP_NOT_FOUND;
		server_html_message(
			req, rep,
			server_nl_en(req, "Niet gevonden", "Not found"),
			server_nl_en(req, "Deze uitsnede bestaat niet.",
				     "There is no such cut-out."));
	} else {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	}
	strbuf_release(&qid);
	strbuf_release(&err);
}

/* The household number that starts rest ("12", "12/..."), or 0. */
static long long household_of(const char *rest, const char **after)
{
	char *end;
	long long n;

	if (*rest < '1' || *rest > '9')
		return 0;
	n = strtoll(rest, &end, 10);
	if (n <= 0 || (*end && *end != '/'))
		return 0;
	*after = end;
	return n;
}

enum server_outcome server_review_queue(struct server_request *req,
					struct server_reply *rep)
{
	queue_page(req, rep, &req->session,
		   server_query(req, "klaar")
			   ? server_nl_en(req,
					  "Opgeslagen. Het volgende formulier:",
					  "Saved. The next form:")
			   : NULL);
	return SERVER_REPLY;
}

enum server_outcome server_review_form(struct server_request *req,
				       struct server_reply *rep)
{
	const struct server_session *sess = &req->session;
	const char *after = NULL;
	struct store_scan_form f;
	struct strbuf err = STRBUF_INIT;
	char hint[STORE_CODE_HINT] = "";
	long long household = household_of(req->rest, &after);
	int rc;

	if (!household) {
		rep->status = MHD_HTTP_NOT_FOUND;
		server_html_message(
			req, rep,
			server_nl_en(req, "Niet gevonden", "Not found"),
			server_nl_en(req,
				     "Dit is geen nummer van een gescand "
				     "formulier.",
				     "This is not the number of a scanned "
				     "form."));
		return SERVER_REPLY;
	}
	if (!strncmp(after, "/uitsnede/", 10) && !req->post) {
		crop(req, rep, household, after + 10);
		return SERVER_REPLY;
	}
	{
		struct store *st = server_store_get(req->sv);

		rc = st ? store_scan_form_load(st, req->sv->survey, household,
					       &f, &err)
			: STORE_ERROR;
		if (rc == STORE_OK &&
		    store_code_hint(st, household, hint, &err) == STORE_ERROR)
			rc = STORE_ERROR;
		server_store_put(req->sv, st);
	}
	if (rc == STORE_ERROR) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	} else if (rc != STORE_OK || *after) {
		rep->status = MHD_HTTP_NOT_FOUND;
		server_html_message(
			req, rep,
			server_nl_en(req, "Niet gevonden", "Not found"),
			server_nl_en(req,
				     "Van dit nummer is geen gescand formulier "
				     "bekend.",
				     "No scanned form with this number is "
				     "known."));
	} else if (f.state != STORE_SCAN_REVIEW &&
		   f.state != STORE_SCAN_CONFLICT) {
		server_html_message(
			req, rep, server_nl_en(req, "Al klaar", "Already done"),
			server_nl_en(req,
				     "Dit gescande formulier hoeft niet meer "
				     "nagekeken te worden.",
				     "This scanned form needs no more "
				     "checking."));
	} else if (req->post) {
		save(req, rep, sess, &f, hint);
	} else {
		struct survey_answers a = SURVEY_ANSWERS_INIT;

		readings(&f, &a);
		form_page(req, rep, sess, &f, hint, &a, NULL);
		survey_answers_release(&a);
	}
	if (rc == STORE_OK)
		store_scan_form_release(&f);
	strbuf_release(&err);
	return SERVER_REPLY;
}
