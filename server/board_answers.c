/*
 * board_answers.c - every question's answers on the board's results and
 * the downloads for Excel (see board_answers.h).
 */
#include "board_answers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html.h"
#include "msg.h"
#include "questions.h"
#include "report.h"
#include "workbook.h"
#include "banned.h"

/* Width in pixels of a bar at 100%. */
#define BAR_WIDTH 120

/* A bar of part of whole: decoration, the number beside it says it. */
static void add_bar(struct strbuf *out, uint64_t part, uint64_t whole)
{
	double w =
		whole ? (double)BAR_WIDTH * (double)part / (double)whole : 0.0;

	strbuf_addf(out,
		    "<svg class=\"bar\" width=\"%d\" height=\"10\" "
		    "aria-hidden=\"true\" focusable=\"false\">"
		    "<rect width=\"%d\" height=\"10\" fill=\"#e8f0f8\"/>"
		    "<rect width=\"%.1f\" height=\"10\" fill=\"#0b4f8a\"/>"
		    "</svg>",
		    BAR_WIDTH, BAR_WIDTH, w);
}

/* n and its share of whole: "12<br>(34,5%)". */
static void add_cell(struct server_request *req, struct strbuf *out, uint64_t n,
		     uint64_t whole, bool bar)
{
	strbuf_addf(out, "<td>%llu <span class=\"muted\">(",
		    (unsigned long long)n);
	analysis_format_percent(n, whole, req->lang, out);
	strbuf_addstr(out, ")</span>");
	if (bar) {
		strbuf_addstr(out, "<br>");
		add_bar(out, n, whole);
	}
	strbuf_addstr(out, "</td>");
}

/* The counts of one question: a row per answer, a column per buurt. */
static void add_counts(struct server_request *req, struct strbuf *out,
		       const struct analysis_counts *c,
		       const struct analysis_qcounts *qc)
{
	const struct survey *s = c->s;
	const size_t all = c->nr_buurten;
	char a[24], r[24];

	snprintf(a, sizeof(a), "%llu", (unsigned long long)qc->answered[all]);
	snprintf(r, sizeof(r), "%llu", (unsigned long long)c->responses[all]);
	strbuf_addstr(out, "<p class=\"muted\">");
	if (qc->q->type == SURVEY_Q_MULTI)
		msg_add(out, req->lang, MSG_BOARD_ANSWERS_MULTI, r);
	else
		msg_add(out, req->lang, MSG_BOARD_ANSWERS_ANSWERED, a, r);
	strbuf_addstr(out, "</p>\n");
	if (!qc->nr_values) {
		strbuf_addf(out, "<p>%s</p>\n",
			    msg_get(req->lang, MSG_BOARD_ANSWERS_NONE));
		return;
	}
	strbuf_addstr(out, "<div class=\"scroll\" tabindex=\"0\" "
			   "role=\"region\" aria-label=\"");
	strbuf_add_html(out, survey_text_get(&qc->q->text, req->lang));
	strbuf_addf(out,
		    "\"><table>\n<thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th>",
		    msg_get(req->lang, MSG_WORKBOOK_ANSWER),
		    msg_get(req->lang, MSG_WORKBOOK_ALL_BUURTEN));
	if (c->nr_buurten > 1)
		for (size_t b = 0; b < c->nr_buurten; b++) {
			strbuf_addstr(out, "<th scope=\"col\">");
			strbuf_add_html(out, s->buurten[b].name);
			strbuf_addstr(out, "</th>");
		}
	strbuf_addstr(out, "</tr></thead>\n<tbody>\n");
	for (size_t v = 0; v < qc->nr_values; v++) {
		const struct analysis_qvalue *qv = &qc->values[v];

		strbuf_addstr(out, "<tr><th scope=\"row\">");
		strbuf_add_html(
			out, analysis_value_label(qc->q, qv->value, req->lang));
		strbuf_addstr(out, "</th>");
		add_cell(req, out, qv->n[all], qc->answered[all], true);
		if (c->nr_buurten > 1)
			for (size_t b = 0; b < c->nr_buurten; b++)
				add_cell(req, out, qv->n[b], qc->answered[b],
					 false);
		strbuf_addstr(out, "</tr>\n");
	}
	strbuf_addstr(out, "</tbody></table></div>\n");
}

/* The texts of one question, in the store's alphabetical order. */
static void add_texts(struct server_request *req, struct strbuf *out,
		      const struct analysis_qcounts *qc)
{
	char n[24];

	snprintf(n, sizeof(n), "%zu", qc->nr_texts);
	strbuf_addstr(out, "<p class=\"muted\">");
	msg_add(out, req->lang, MSG_BOARD_ANSWERS_TEXTS, n);
	strbuf_addstr(out, "</p>\n");
	if (!qc->nr_texts)
		return;
	strbuf_addstr(out, "<ul class=\"texts\">\n");
	for (size_t t = 0; t < qc->nr_texts; t++) {
		strbuf_addstr(out, "<li>");
		strbuf_add_html(out, qc->texts[t]);
		strbuf_addstr(out, "</li>\n");
	}
	strbuf_addstr(out, "</ul>\n");
}

void server_board_answers(struct server_request *req, struct strbuf *out,
			  const struct server_snapshot *snap)
{
	const struct analysis_counts *c = &snap->qc;
	const char *q = server_lang_query(req);
	bool texts = false;
	size_t nr = 0;

	strbuf_addf(out, "<h2 id=\"vragen\">%s</h2>\n",
		    msg_get(req->lang, MSG_BOARD_ANSWERS_HEADING));
	strbuf_addf(out,
		    "<p class=\"downloads\">%s "
		    "<a href=\"/bestuur/uitslag.xlsx%s\" download>%s</a> "
		    "<a href=\"/bestuur/antwoorden.csv%s\" download>%s</a>"
		    "</p>\n",
		    msg_get(req->lang, MSG_BOARD_ANSWERS_DOWNLOADS), q,
		    msg_get(req->lang, MSG_BOARD_ANSWERS_XLSX), q,
		    msg_get(req->lang, MSG_BOARD_ANSWERS_CSV));
	for (size_t i = 0; i < c->nr_questions; i++) {
		const struct analysis_qcounts *qc = &c->questions[i];

		if (qc->q->type == SURVEY_Q_PROPOSITION)
			continue;
		nr++;
		strbuf_addstr(out, "<section class=\"card\">\n<h3>");
		strbuf_add_html(out, survey_text_get(&qc->q->text, req->lang));
		strbuf_addstr(out, "</h3>\n");
		if (qc->q->type == SURVEY_Q_TEXT) {
			texts = true;
			add_texts(req, out, qc);
		} else {
			add_counts(req, out, c, qc);
		}
		strbuf_addstr(out, "</section>\n");
	}
	if (!nr)
		strbuf_addf(out, "<p>%s</p>\n",
			    msg_get(req->lang, MSG_BOARD_ANSWERS_NO_QUESTIONS));
	if (texts)
		strbuf_addf(out, "<p class=\"muted\">%s</p>\n",
			    msg_get(req->lang, MSG_WORKBOOK_TEXTS_NOTE));
}

/* The latest count, or NULL after a "still counting" reply. */
static const struct server_snapshot *snapshot(struct server_request *req,
					      struct server_reply *rep)
{
	const struct server_snapshot *snap =
		server_results_get(req->sv->results);

	if (!snap) {
		rep->status = MHD_HTTP_SERVICE_UNAVAILABLE;
		server_html_message(
			req, rep, NULL,
			msg_get(req->lang, MSG_BOARD_ANSWERS_COUNTING));
	}
	return snap;
}

struct workbook_job {
	const struct server_snapshot *snap;
	enum survey_lang lang;
};

static int write_workbook(const char *path, void *data, struct strbuf *err)
{
	struct workbook_job *j = data;

	return analysis_workbook_xlsx(j->snap->an, &j->snap->qc, j->lang, path,
				      err);
}

/* The workbook, written to a scratch folder and read back. */
static int workbook(struct server_request *req,
		    const struct server_snapshot *snap, struct strbuf *out,
		    struct strbuf *err)
{
	struct workbook_job j = { snap, req->lang };

	return server_results_file("uitslag.xlsx", write_workbook, &j, out,
				   err);
}

enum server_outcome server_board_xlsx(struct server_request *req,
				      struct server_reply *rep)
{
	const struct server_snapshot *snap = snapshot(req, rep);
	struct strbuf err = STRBUF_INIT;
	char key[16];

	if (!snap)
		return SERVER_REPLY;
	snprintf(key, sizeof(key), "xlsx %s", survey_lang_code(req->lang));
	strbuf_reset(&rep->body);
	if (server_results_file_get(req->sv->results, snap->seq, key,
				    &rep->body)) {
		rep->content_type = "application/vnd.openxmlformats-"
				    "officedocument.spreadsheetml.sheet";
		rep->download = "uitslag.xlsx";
	} else if (workbook(req, snap, &rep->body, &err) < 0) {
		server_log_error(req, &err);
		rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		server_html_message(
			req, rep, NULL,
			msg_get(req->lang, MSG_BOARD_ANSWERS_FAILED));
	} else {
		server_results_file_keep(req->sv->results, snap->seq, key,
					 &rep->body);
		rep->content_type = "application/vnd.openxmlformats-"
				    "officedocument.spreadsheetml.sheet";
		rep->download = "uitslag.xlsx";
	}
	server_results_put(req->sv->results, snap);
	strbuf_release(&err);
	return SERVER_REPLY;
}

enum server_outcome server_board_excel_csv(struct server_request *req,
					   struct server_reply *rep)
{
	const struct server_snapshot *snap = snapshot(req, rep);

	if (!snap)
		return SERVER_REPLY;
	strbuf_reset(&rep->body);
	analysis_workbook_csv(&snap->qc, req->lang, &rep->body);
	rep->content_type = "text/csv; charset=utf-8";
	rep->download = "antwoorden.csv";
	server_results_put(req->sv->results, snap);
	return SERVER_REPLY;
}
