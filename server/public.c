/*
 * public.c - the public results page (see public.h).
 *
 * The sentences are the report's (analysis/report.h, report_pdf.h) and
 * the agreement's own (agreement.h): the public reads what the board and
 * the council read.
 */
#include "public.h"

#include "analysis.h"
#include "board.h"
#include "hosting.h"
#include "html.h"
#include "lifecycle.h"
#include "msg.h"
#include "report.h"
#include "report_pdf.h"
#include "results.h"
#include "banned.h"

static const char *verdict_class(enum analysis_verdict v)
{
	switch (v) {
	case ANALYSIS_SUFFICIENT: return "ok";
	case ANALYSIS_INSUFFICIENT: return "bad";
	default: return "warn";
	}
}

/* A page that says why there is nothing to see (yet), with status. */
static void explain(struct server_request *req, struct server_reply *rep,
		    unsigned status, const char *text)
{
	rep->status = status;
	server_html_message(req, rep,
			    msg_get(req->lang, MSG_PUBLIC_NOT_YET_TITLE), text);
}

/* A row of the table: buurt b, or the buurten together (b < 0). */
static void add_row(struct server_request *req, struct strbuf *out,
		    const struct analysis *an,
		    const struct analysis_question *aq, long b)
{
	const struct analysis_cell *c = b < 0 ? &aq->total : &aq->cells[b];
	const struct analysis_outcome *o = &c->outcome;
	const struct agreement *a =
		b < 0 ? &an->s->agreement : &an->s->buurten[b].agreement;

	strbuf_addstr(out, "<tr><th scope=\"row\">");
	strbuf_add_html(out, b < 0 ? msg_get(req->lang, MSG_PUBLIC_TOGETHER)
				   : an->s->buurten[b].name);
	strbuf_addstr(out, "</th><td>");
	server_board_add_shares(req, out, a, c);
	strbuf_addf(out, "</td><td><strong class=\"verdict %s\">%s</strong>",
		    verdict_class(o->verdict),
		    analysis_verdict_words(o->verdict, req->lang));
	strbuf_addstr(out, "</td></tr>\n");
}

static void add_question(struct server_request *req, struct strbuf *out,
			 const struct analysis *an, size_t i)
{
	const struct analysis_question *aq = &an->questions[i];
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(out, "<section class=\"card\">\n<h2>");
	strbuf_add_html(out, survey_text_get(&aq->q->text, req->lang));
	strbuf_addstr(out, "</h2>\n");
	analysis_decision_sentence(an, aq, req->lang, &sb);
	strbuf_addf(out, "<div class=\"notice %s\"><p>",
		    aq->has_overall ? verdict_class(aq->overall) : "plain");
	strbuf_add_html(out, sb.buf);
	strbuf_addstr(out, "</p></div>\n<div class=\"scroll\"><table>\n"
			   "<thead><tr>");
	strbuf_addf(out,
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
		    msg_get(req->lang, MSG_PUBLIC_BUURT),
		    msg_get(req->lang, MSG_PUBLIC_RESPONSE),
		    msg_get(req->lang, MSG_PUBLIC_IN_FAVOUR),
		    msg_get(req->lang, MSG_PUBLIC_VERDICT));
	strbuf_addstr(out, "</tr></thead>\n<tbody>\n");
	for (size_t b = 0; b < an->s->nr_buurten; b++)
		add_row(req, out, an, aq, (long)b);
	if (an->decision == AGREEMENT_POOLED)
		add_row(req, out, an, aq, -1);
	strbuf_addstr(out, "</tbody></table></div>\n</section>\n");
	strbuf_release(&sb);
}

/* Each buurt's agreement in full, as on the forms and in the report. */
static void add_agreements(struct server_request *req, struct strbuf *out,
			   const struct survey *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(out, "<section class=\"card\">\n<h2>");
	strbuf_add_html(out, msg_get(req->lang, MSG_PUBLIC_AGREEMENTS));
	strbuf_addstr(out, "</h2>\n");
	for (size_t b = 0; b < s->nr_buurten; b++) {
		strbuf_reset(&sb);
		agreement_describe_whole(&s->buurten[b].agreement,
					 survey_buurt_name_in(&s->buurten[b]),
					 req->lang, &sb);
		strbuf_addstr(out, "<h3>");
		strbuf_add_html(out, s->buurten[b].name);
		strbuf_addstr(out, "</h3>\n<p>");
		strbuf_add_html(out, sb.buf);
		strbuf_addstr(out, "</p>\n");
	}
	strbuf_addstr(out, "</section>\n");
	strbuf_release(&sb);
}

static void results_page(struct server_request *req, struct server_reply *rep,
			 const struct analysis *an,
			 const struct store_lifecycle *lc)
{
	struct strbuf *out = &rep->body, sb = STRBUF_INIT, when = STRBUF_INIT;

	strbuf_reset(out);
	/* req->path: /uitslag, or /uitslag/SLUG on a host. */
	server_html_begin(req, out, msg_get(req->lang, MSG_PUBLIC_TITLE),
			  req->path);
	strbuf_addf(out, "<h1>%s</h1>\n", msg_get(req->lang, MSG_PUBLIC_TITLE));
	msg_moment(&when, req->lang, lc->closed_at);
	msg_add(&sb, req->lang, MSG_PUBLIC_INTRO, when.buf);
	strbuf_addstr(out, "<p>");
	strbuf_add_html(out, sb.buf);
	strbuf_addstr(out, "</p>\n");
	for (size_t i = 0; i < an->nr_questions; i++)
		add_question(req, out, an, i);
	add_agreements(req, out, an->s);
	server_html_end(req, out);
	strbuf_release(&sb);
	strbuf_release(&when);
}

/* While the count after closing is being made: look again soon. */
static void counting_page(struct server_request *req, struct server_reply *rep)
{
	struct strbuf *out = &rep->body;

	strbuf_reset(out);
	rep->status = MHD_HTTP_SERVICE_UNAVAILABLE;
	server_html_begin(req, out, msg_get(req->lang, MSG_PUBLIC_TITLE), NULL);
	strbuf_addf(out,
		    "<meta http-equiv=\"refresh\" content=\"3\">\n"
		    "<h1>%s</h1>\n<p role=\"status\">",
		    msg_get(req->lang, MSG_PUBLIC_TITLE));
	strbuf_add_html(out, msg_get(req->lang, MSG_PUBLIC_COUNTING));
	strbuf_addstr(out, "</p>\n");
	server_html_end(req, out);
}

enum server_outcome server_public_results(struct server_request *req,
					  struct server_reply *rep)
{
	struct server_survey *sv = server_hosting_public(req);
	const struct survey *s;
	const struct server_snapshot *snap;
	struct strbuf err = STRBUF_INIT, sb = STRBUF_INIT;
	struct store_lifecycle lc;
	struct store *st;
	int rc = STORE_ERROR;

	if (!sv) {
		explain(req, rep, MHD_HTTP_NOT_FOUND,
			msg_get(req->lang, MSG_PAGE_NOT_FOUND));
		goto out;
	}
	req->sv = sv;
	s = sv->survey;
	if (!s->public_results) {
		explain(req, rep, MHD_HTTP_NOT_FOUND,
			msg_get(req->lang, MSG_PUBLIC_NOT_PUBLIC));
		goto out;
	}
	if ((st = server_store_get(req->sv))) {
		rc = store_lifecycle_read(st, &lc, &err);
		server_store_put(req->sv, st);
	}
	if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	if (!lc.closed) {
		struct strbuf date = STRBUF_INIT;

		msg_date(&date, req->lang, s->closes, 0);
		msg_add(&sb, req->lang, MSG_PUBLIC_NOT_CLOSED, date.buf);
		strbuf_release(&date);
		explain(req, rep, MHD_HTTP_NOT_FOUND, sb.buf);
		goto out;
	}
	/* A count made before closing may still say "not yet decided". */
	snap = server_results_get(req->sv->results);
	if (snap && snap->an->phase == ANALYSIS_CLOSED)
		results_page(req, rep, snap->an, &lc);
	else
		counting_page(req, rep);
	server_results_put(req->sv->results, snap);
out:
	strbuf_release(&err);
	strbuf_release(&sb);
	return SERVER_REPLY;
}
