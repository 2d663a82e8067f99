/*
 * board.c - the board's dashboard, the buurt pages, the charts and the
 * downloads (see board.h).
 *
 * Every page renders from one snapshot of the background count, so the
 * numbers on a page, its charts and its downloads agree with each other
 * and with `draagvlak analyse` on the same store and day.  The sentences
 * come from analysis/report.h and report_pdf.h, the charts from chart.h:
 * the dashboard says nothing the printed report does not say the same way.
 */
#include "board.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "board_answers.h"
#include "chart.h"
#include "closing.h"
#include "html.h"
#include "msg.h"
#include "report.h"
#include "remind.h"
#include "report_pdf.h"
#include "results.h"
#include "staff.h"
#include "volunteer.h"
#include "banned.h"

/* Above this many buurten the dashboard leaves charts to the buurt pages. */
#define DASHBOARD_CHARTS_MAX 12

static const char *verdict_class(enum analysis_verdict v)
{
	switch (v) {
	case ANALYSIS_SUFFICIENT: return "ok";
	case ANALYSIS_INSUFFICIENT: return "bad";
	default: return "warn";
	}
}

/* The cell of question aq in buurt b, or the buurten together (b < 0). */
static const struct analysis_cell *cell_of(const struct analysis_question *aq,
					   long b)
{
	return b < 0 ? &aq->total : &aq->cells[b];
}

static const struct agreement *agreement_of(const struct analysis *an, long b)
{
	return b < 0 ? &an->s->agreement : &an->s->buurten[b].agreement;
}

static void add_verdict(struct server_request *req, struct strbuf *out,
			const struct analysis *an,
			const struct analysis_cell *c)
{
	const struct analysis_outcome *o = &c->outcome;

	strbuf_addf(out, "<strong class=\"verdict %s\">%s</strong>",
		    verdict_class(o->verdict),
		    analysis_verdict_words(o->verdict, req->lang));
	if (analysis_still_open(an))
		strbuf_addf(out, "<br><span class=\"muted\">%s</span>",
			    o->decided ? server_nl_en(req, "al beslist",
						      "already decided")
				       : server_nl_en(req, "nog niet beslist",
						      "not yet decided"));
}

/* When the count was made, and where the survey stands. */
static void add_status(struct server_request *req, struct strbuf *out,
		       const struct server_snapshot *snap)
{
	char hms[16] = "";
	struct tm tm;

	if (localtime_r(&snap->taken, &tm))
		strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	strbuf_addstr(out, "<p class=\"muted\" role=\"status\">");
	strbuf_addf(out, "%s %s. ",
		    server_nl_en(req, "Geteld om", "Counted at"), hms);
	analysis_format_phase(snap->an, req->lang, " ", out);
	strbuf_addstr(out, "</p>\n");
}

/*
 * The chart's link names the count (?n=) so that it is drawn from the
 * count the page's table shows, even when a newer one came meanwhile.
 */
static void add_chart_img(struct server_request *req, struct strbuf *out,
			  const struct server_snapshot *snap,
			  const struct analysis_question *aq, long b,
			  enum analysis_chart k)
{
	const struct analysis *an = snap->an;
	const char *lq = server_lang_query(req);
	struct strbuf alt = STRBUF_INIT;
	double w, h;

	analysis_chart_size(k, &w, &h);
	analysis_chart_describe(k, agreement_of(an, b), cell_of(aq, b),
				req->lang, &alt);
	strbuf_addstr(out, "<img src=\"/bestuur/grafiek/");
	strbuf_add_html(out, aq->q->id);
	strbuf_addch(out, '/');
	strbuf_add_html(out, b < 0 ? "samen" : an->s->buurten[b].id);
	strbuf_addf(out, "/%s.svg?n=%llu%s%s\" width=\"%.0f\" height=\"%.0f\" ",
		    analysis_chart_name(k), snap->seq, *lq ? "&amp;" : "",
		    *lq ? lq + 1 : "", w, h);
	strbuf_addstr(out, "loading=\"lazy\" alt=\"");
	strbuf_add_html(out, alt.buf);
	strbuf_addstr(out, "\">");
	strbuf_release(&alt);
}

/* A row of the dashboard's table: buurt b, or the buurten together. */
/*
 * While the survey runs: how many more answers the quorum needs and how
 * many more votes would turn the verdict, under the verdict (issue 15).
 */
static void add_still_needed(struct server_request *req, struct strbuf *out,
			     const struct analysis *an,
			     const struct analysis_cell *c)
{
	struct strbuf sb = STRBUF_INIT;

	if (analysis_format_still_needed(an, c, req->lang, &sb)) {
		strbuf_addstr(out, "<br><span class=\"still-needed\">");
		strbuf_add_html(out, sb.buf);
		strbuf_addstr(out, "</span>");
	}
	strbuf_release(&sb);
}

void server_board_add_shares(struct server_request *req, struct strbuf *out,
			     const struct agreement *a,
			     const struct analysis_cell *c)
{
	const struct analysis_outcome *o = &c->outcome;

	analysis_format_percent_vs(o->responses, c->tally.households,
				   &a->min_response, req->lang, out);
	strbuf_addf(out,
		    "<br><span class=\"muted\">%llu / %llu</span></td><td>",
		    (unsigned long long)o->responses,
		    (unsigned long long)c->tally.households);
	if (o->whole) {
		analysis_format_percent_vs(o->part, o->whole, &a->min_in_favour,
					   req->lang, out);
		strbuf_addf(out, "<br><span class=\"muted\">%llu / %llu</span>",
			    (unsigned long long)o->part,
			    (unsigned long long)o->whole);
	} else {
		strbuf_addstr(out, "–");
	}
}

static void add_row(struct server_request *req, struct strbuf *out,
		    const struct analysis *an,
		    const struct analysis_question *aq, long b)
{
	const struct analysis_cell *c = cell_of(aq, b);
	const struct agreement *a =
		b < 0 ? &an->s->agreement : &an->s->buurten[b].agreement;

	strbuf_addstr(out, "<tr><th scope=\"row\">");
	if (b < 0) {
		strbuf_addstr(out, server_nl_en(req, "Samen", "Together"));
	} else {
		strbuf_addstr(out, "<a href=\"/bestuur/buurt/");
		strbuf_add_html(out, an->s->buurten[b].id);
		strbuf_addf(out, "%s\">", server_lang_query(req));
		strbuf_add_html(out, an->s->buurten[b].name);
		strbuf_addstr(out, "</a>");
	}
	strbuf_addstr(out, "</th><td>");
	server_board_add_shares(req, out, a, c);
	strbuf_addstr(out, "</td><td>");
	add_verdict(req, out, an, c);
	add_still_needed(req, out, an, c);
	strbuf_addstr(out, "</td></tr>\n");
}

static void add_question(struct server_request *req, struct strbuf *out,
			 const struct server_snapshot *snap, size_t i)
{
	const struct analysis *an = snap->an;
	const struct analysis_question *aq = &an->questions[i];
	const struct survey *s = an->s;
	const bool pooled = an->decision == AGREEMENT_POOLED;
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
		    "<th scope=\"col\">Buurt</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
		    server_nl_en(req, "Respons", "Response"),
		    server_nl_en(req, "Voor", "In favour"),
		    server_nl_en(req, "Oordeel", "Verdict"));
	strbuf_addstr(out, "</tr></thead>\n<tbody>\n");
	for (size_t b = 0; b < s->nr_buurten; b++)
		add_row(req, out, an, aq, (long)b);
	if (pooled)
		add_row(req, out, an, aq, -1);
	strbuf_addstr(out, "</tbody></table></div>\n");
	if (s->nr_buurten <= DASHBOARD_CHARTS_MAX) {
		strbuf_addstr(out, "<div class=\"charts\">\n");
		for (long b = pooled ? -1 : 0; b < (long)s->nr_buurten; b++) {
			strbuf_addstr(out, "<figure>");
			add_chart_img(req, out, snap, aq, b,
				      ANALYSIS_CHART_FAVOUR);
			strbuf_addstr(out, "<figcaption>");
			strbuf_add_html(out, b < 0 ? server_nl_en(req, "Samen",
								  "Together")
						   : s->buurten[b].name);
			strbuf_addstr(out, "</figcaption></figure>\n");
		}
		strbuf_addstr(out, "</div>\n");
	}
	strbuf_addstr(out, "</section>\n");
	strbuf_release(&sb);
}

/*
 * Responses per day of buurt b (b < 0: all buurten): the chart, with
 * its summary as the alt text, and the same numbers as a table for
 * screen readers and for anyone who wants the exact counts (issue 15).
 */
static void add_days(struct server_request *req, struct strbuf *out,
		     const struct server_snapshot *snap, long b)
{
	const struct analysis *an = snap->an;
	const char *lq = server_lang_query(req);
	struct strbuf sb = STRBUF_INIT;
	uint64_t n[ANALYSIS_NCHANNEL];
	double w, h;

	strbuf_addf(out, "<section class=\"card\" id=\"dagen\">\n<h2>%s</h2>\n",
		    msg_get(req->lang, MSG_ANALYSIS_DAYS_TITLE));
	analysis_chart_days_describe(an, b, req->lang, &sb);
	if (!an->nr_days) {
		strbuf_addstr(out, "<p>");
		strbuf_add_html(out,
				msg_get(req->lang, MSG_ANALYSIS_DAYS_NONE));
		strbuf_addstr(out, "</p>\n</section>\n");
		strbuf_release(&sb);
		return;
	}
	analysis_chart_days_size(&w, &h);
	strbuf_addstr(out, "<div class=\"charts\"><figure><img "
			   "src=\"/bestuur/grafiek/dagen");
	if (b >= 0) {
		strbuf_addch(out, '/');
		strbuf_add_html(out, an->s->buurten[b].id);
	}
	strbuf_addf(out, ".svg?n=%llu%s%s\" width=\"%.0f\" height=\"%.0f\" ",
		    snap->seq, *lq ? "&amp;" : "", *lq ? lq + 1 : "", w, h);
	strbuf_addstr(out, "loading=\"lazy\" alt=\"");
	strbuf_add_html(out, sb.buf);
	strbuf_addstr(out, "\"><figcaption>");
	strbuf_add_html(out, msg_get(req->lang, MSG_ANALYSIS_DAYS_LOCAL));
	strbuf_addstr(out, "</figcaption></figure></div>\n<details><summary>");
	strbuf_add_html(out, msg_get(req->lang, MSG_BOARD_DAYS_TABLE));
	strbuf_addstr(out,
		      "</summary>\n<div class=\"scroll\"><table>\n<caption>");
	strbuf_add_html(out, msg_get(req->lang, MSG_ANALYSIS_DAYS_TITLE));
	strbuf_addstr(out, "</caption>\n<thead><tr><th scope=\"col\">");
	strbuf_add_html(out, msg_get(req->lang, MSG_ANALYSIS_DAYS_DAY));
	strbuf_addstr(out, "</th>");
	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
		strbuf_addf(out, "<th scope=\"col\">%s</th>",
			    analysis_channel_words(ch, req->lang));
	strbuf_addstr(out, "<th scope=\"col\">");
	strbuf_add_html(out, msg_get(req->lang, MSG_ANALYSIS_DAYS_TOTAL));
	strbuf_addstr(out, "</th></tr></thead>\n<tbody>\n");
	for (size_t d = 0; d < an->nr_days; d++) {
		uint64_t sum = analysis_day_counts(an, d, b, n);

		strbuf_reset(&sb);
		analysis_format_date(an->days[d].date, req->lang, &sb);
		strbuf_addf(out, "<tr><th scope=\"row\"><time datetime=\"%s\">",
			    an->days[d].date);
		strbuf_add_html(out, sb.buf);
		strbuf_addstr(out, "</time></th>");
		for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
			strbuf_addf(out, "<td>%llu</td>",
				    (unsigned long long)n[ch]);
		strbuf_addf(out, "<td>%llu</td></tr>\n",
			    (unsigned long long)sum);
	}
	strbuf_addstr(out, "</tbody></table></div>\n</details>\n</section>\n");
	strbuf_release(&sb);
}

/* The audit of buurt b (b < 0: the whole survey) as a list. */
static void add_audit(struct server_request *req, struct strbuf *out,
		      const struct server_snapshot *snap, long b)
{
	struct strbuf lines[5] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
				   STRBUF_INIT, STRBUF_INIT };
	size_t n = analysis_audit_sentences(snap->an, &snap->au, b, req->lang,
					    lines, 4);
	uint64_t differs = 0;

	if (b < 0 && analysis_audit_rejections(&snap->au, req->lang, &lines[n]))
		n++;
	strbuf_addf(out, "<section class=\"card\">\n<h2>%s</h2>\n<ul>\n",
		    server_nl_en(req, "Controle", "Audit"));
	for (size_t i = 0; i < n; i++) {
		strbuf_addstr(out, "<li>");
		strbuf_add_html(out, lines[i].buf);
		strbuf_addstr(out, "</li>\n");
		strbuf_release(&lines[i]);
	}
	strbuf_addstr(out, "</ul>\n");
	for (size_t i = 0; snap->au.differs && i < snap->an->s->nr_buurten; i++)
		if (b < 0 || (size_t)b == i)
			differs += snap->au.differs[i];
	if (differs)
		strbuf_addf(
			out, "<p><a href=\"/bestuur/verschillen\">%s</a></p>\n",
			server_nl_en(
				req,
				"Verschillen tussen twee invoeren beslissen",
				"Settle differences between two entries"));
	strbuf_addstr(out, "</section>\n");
}

static void add_downloads(struct server_request *req, struct strbuf *out)
{
	strbuf_addf(
		out,
		"<p class=\"downloads\">%s "
		"<a href=\"/bestuur/uitslag.pdf%s\" download>%s</a> "
		"<a href=\"/bestuur/uitslag.csv%s\" download>%s</a> "
		"<a href=\"/bestuur/uitslag.json%s\" download>JSON</a></p>\n",
		server_nl_en(req, "Downloaden:", "Download:"),
		server_lang_query(req),
		server_nl_en(req, "rapport (PDF)", "report (PDF)"),
		server_lang_query(req),
		server_nl_en(req, "cijfers (CSV)", "figures (CSV)"),
		server_lang_query(req));
}

/* While the first count is being made: a page that looks again soon. */
static void counting_page(struct server_request *req, struct server_reply *rep)
{
	struct strbuf *out = &rep->body;

	strbuf_reset(out);
	rep->status = MHD_HTTP_SERVICE_UNAVAILABLE;
	server_html_begin(req, out, server_nl_en(req, "Uitslag", "Results"),
			  NULL);
	/* No script: the browser itself asks again in a few seconds. */
	strbuf_addf(
		out,
		"<meta http-equiv=\"refresh\" content=\"3\">\n"
		"<h1>%s</h1>\n<p role=\"status\">%s</p>\n",
		server_nl_en(req, "Uitslag", "Results"),
		server_nl_en(
			req,
			"De antwoorden worden nu geteld. Deze pagina ververst "
			"zichzelf over een paar seconden.",
			"The answers are being counted. This page reloads "
			"itself in a few seconds."));
	server_html_end(req, out);
}

static void dashboard(struct server_request *req, struct server_reply *rep,
		      const struct server_session *sess,
		      const struct server_snapshot *snap)
{
	const struct analysis *an = snap->an;
	struct strbuf *out = &rep->body;

	strbuf_reset(out);
	server_html_begin(req, out, server_nl_en(req, "Uitslag", "Results"),
			  "/bestuur");
	server_staff_bar(req, out, sess);
	strbuf_addf(out, "<h1>%s</h1>\n",
		    server_nl_en(req, "Uitslag", "Results"));
	add_status(req, out, snap);
	server_closing_status(req, out);
	server_remind_link(req, out);
	add_downloads(req, out);
	if (!an->nr_questions)
		strbuf_addf(out, "<p>%s</p>\n",
			    server_nl_en(req,
					 "Deze peiling heeft geen stellingen.",
					 "This survey has no propositions."));
	for (size_t i = 0; i < an->nr_questions; i++)
		add_question(req, out, snap, i);
	add_days(req, out, snap, -1);
	server_board_answers(req, out, snap);
	add_audit(req, out, snap, -1);
	server_html_end(req, out);
}

/* The counts of a cell by answer and channel, as a table. */
static void add_counts(struct server_request *req, struct strbuf *out,
		       const struct analysis_cell *c)
{
	strbuf_addf(out,
		    "<div class=\"scroll\"><table>\n<thead><tr>"
		    "<th scope=\"col\">%s</th>",
		    server_nl_en(req, "Antwoord", "Answer"));
	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
		strbuf_addf(out, "<th scope=\"col\">%s</th>",
			    analysis_channel_words(ch, req->lang));
	strbuf_addstr(out, "</tr></thead>\n<tbody>\n");
	for (int k = 0; k < ANALYSIS_NKIND; k++) {
		strbuf_addf(out, "<tr><th scope=\"row\">%s</th>",
			    analysis_kind_words(k, req->lang));
		for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
			strbuf_addf(out, "<td>%llu</td>",
				    (unsigned long long)c->count[ch][k]);
		strbuf_addstr(out, "</tr>\n");
	}
	strbuf_addstr(out, "</tbody></table></div>\n");
}

/* sb (escaped) as a paragraph, unless empty; sb is empty after. */
static void add_para(struct strbuf *out, struct strbuf *sb)
{
	if (sb->len) {
		strbuf_addstr(out, "<p>");
		strbuf_add_html(out, sb->buf);
		strbuf_addstr(out, "</p>\n");
	}
	strbuf_reset(sb);
}

/* Every reason for the verdict of cell b of aq, as paragraphs. */
static void add_reasons(struct server_request *req, struct strbuf *out,
			const struct analysis *an,
			const struct analysis_question *aq, long b)
{
	const struct analysis_cell *c = cell_of(aq, b);
	const struct agreement *a = agreement_of(an, b);
	struct strbuf sb = STRBUF_INIT;

	analysis_format_response_reason(a, c, b < 0 ? NULL : &an->buurten[b],
					req->lang, &sb);
	strbuf_addch(&sb, '.');
	add_para(out, &sb);
	analysis_format_favour_reason(a, c, req->lang, &sb);
	strbuf_addch(&sb, '.');
	add_para(out, &sb);
	analysis_format_decided(an, c, req->lang, &sb);
	add_para(out, &sb);
	analysis_format_margin(a, &c->outcome, req->lang, &sb);
	add_para(out, &sb);
	analysis_format_too_close(&c->outcome, req->lang, &sb);
	add_para(out, &sb);
	analysis_format_still_needed(an, c, req->lang, &sb);
	add_para(out, &sb);
	strbuf_release(&sb);
}

static void buurt_page(struct server_request *req, struct server_reply *rep,
		       const struct server_session *sess,
		       const struct server_snapshot *snap, long b)
{
	const struct analysis *an = snap->an;
	const struct survey_buurt *sb = &an->s->buurten[b];
	struct strbuf *out = &rep->body, words = STRBUF_INIT;

	strbuf_reset(out);
	server_html_begin(req, out, sb->name, req->path);
	server_staff_bar(req, out, sess);
	strbuf_addf(out, "<p><a href=\"/bestuur%s\">%s</a></p>\n<h1>",
		    server_lang_query(req),
		    server_nl_en(req, "← Alle buurten", "← All buurten"));
	strbuf_add_html(out, sb->name);
	strbuf_addstr(out, "</h1>\n");
	add_status(req, out, snap);
	agreement_describe_whole(&sb->agreement, survey_buurt_name_in(sb),
				 req->lang, &words);
	strbuf_addstr(out, "<div class=\"notice\"><p>");
	strbuf_add_html(out, words.buf);
	strbuf_addstr(out, "</p></div>\n");
	for (size_t i = 0; i < an->nr_questions; i++) {
		const struct analysis_question *aq = &an->questions[i];

		strbuf_addstr(out, "<section class=\"card\">\n<h2>");
		strbuf_add_html(out, survey_text_get(&aq->q->text, req->lang));
		strbuf_addstr(out, "</h2>\n<p>");
		add_verdict(req, out, an, &aq->cells[b]);
		strbuf_addstr(out, "</p>\n");
		add_reasons(req, out, an, aq, b);
		add_counts(req, out, &aq->cells[b]);
		strbuf_addstr(out, "<div class=\"charts\">\n");
		for (int k = 0; k < ANALYSIS_NCHART; k++) {
			strbuf_addstr(out, "<figure>");
			add_chart_img(req, out, snap, aq, b,
				      (enum analysis_chart)k);
			strbuf_addf(out,
				    "<figcaption>%s</figcaption></figure>\n",
				    analysis_chart_title(k, req->lang));
		}
		strbuf_addstr(out, "</div>\n</section>\n");
	}
	add_days(req, out, snap, b);
	add_audit(req, out, snap, b);
	server_html_end(req, out);
	strbuf_release(&words);
}

/* The index of buurt id in s, or -1. */
static long buurt_index(const struct survey *s, const char *id)
{
	const struct survey_buurt *b = survey_find_buurt(s, id);

	return b ? (long)(b - s->buurten) : -1;
}

/* /bestuur/grafiek/Q/B/K.svg */
static bool chart(struct server_request *req, struct server_reply *rep,
		  const struct server_snapshot *snap, const char *path)
{
	const struct analysis *an = snap->an;
	const struct analysis_question *aq = NULL;
	struct strbuf title = STRBUF_INIT, err = STRBUF_INIT;
	char q[64], buurt[64], kind[16];
	long b;
	int k = -1;

	/* Q/B/K.svg: three parts, none empty and none with a slash. */
	if (sscanf(path, "%63[^/]/%63[^/]/%15[^/.].svg", q, buurt, kind) != 3 ||
	    strlen(path) != strlen(q) + strlen(buurt) + strlen(kind) + 6)
		return false;
	for (size_t i = 0; i < an->nr_questions; i++)
		if (!strcmp(an->questions[i].q->id, q))
			aq = &an->questions[i];
	for (int i = 0; i < ANALYSIS_NCHART; i++)
		if (!strcmp(analysis_chart_name(i), kind))
			k = i;
	/* "samen" is the buurten together, only when they are pooled. */
	if (!strcmp(buurt, "samen"))
		b = an->decision == AGREEMENT_POOLED ? -1 : -2;
	else if ((b = buurt_index(an->s, buurt)) < 0)
		b = -2;
	if (!aq || b < -1 || k < 0)
		return false;
	strbuf_addstr(&title, analysis_chart_title(k, req->lang));
	strbuf_addstr(&title, ": ");
	strbuf_addstr(&title, b < 0 ? server_nl_en(req, "samen", "together")
				    : an->s->buurten[b].name);
	strbuf_reset(&rep->body);
	if (analysis_chart_render(k, true, title.buf, agreement_of(an, b),
				  cell_of(aq, b), req->lang, &rep->body,
				  &err) < 0) {
		fprintf(stderr, "draagvlak serve: %s\n", err.buf);
		rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		strbuf_reset(&rep->body);
		strbuf_addstr(&rep->body, "cannot draw the chart\n");
		rep->content_type = "text/plain; charset=utf-8";
	} else {
		rep->content_type = "image/svg+xml";
	}
	strbuf_release(&title);
	strbuf_release(&err);
	return true;
}

/* /bestuur/grafiek/dagen.svg, or dagen/B.svg for buurt B. */
static bool days_chart(struct server_request *req, struct server_reply *rep,
		       const struct server_snapshot *snap, const char *path)
{
	const struct analysis *an = snap->an;
	struct strbuf title = STRBUF_INIT, err = STRBUF_INIT;
	char buurt[64] = "";
	long b = -1;

	if (strcmp(path, "dagen.svg")) {
		if (sscanf(path, "dagen/%63[^/.].svg", buurt) != 1 ||
		    strlen(path) != strlen(buurt) + 10 ||
		    (b = buurt_index(an->s, buurt)) < 0)
			return false;
	}
	strbuf_addstr(&title, msg_get(req->lang, MSG_ANALYSIS_DAYS_TITLE));
	if (b >= 0) {
		strbuf_addstr(&title, ": ");
		strbuf_addstr(&title, an->s->buurten[b].name);
	}
	strbuf_reset(&rep->body);
	if (analysis_chart_days_render(an, b, true, title.buf, req->lang,
				       &rep->body, &err) < 0) {
		fprintf(stderr, "draagvlak serve: %s\n", err.buf);
		rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		strbuf_reset(&rep->body);
		strbuf_addstr(&rep->body, "cannot draw the chart\n");
		rep->content_type = "text/plain; charset=utf-8";
	} else {
		rep->content_type = "image/svg+xml";
	}
	strbuf_release(&title);
	strbuf_release(&err);
	return true;
}

struct report_job {
	const struct server_snapshot *snap;
	enum survey_lang lang;
};

static int write_report(const char *path, void *data, struct strbuf *err)
{
	struct report_job *j = data;

	return analysis_report_pdf(j->snap->an, &j->snap->au, j->lang, path,
				   err);
}

/* The PDF report, written to a scratch folder and read back. */
static int report_pdf(struct server_request *req,
		      const struct server_snapshot *snap, struct strbuf *out,
		      struct strbuf *err)
{
	struct report_job j = { snap, req->lang };

	return server_results_file("uitslag.pdf", write_report, &j, out, err);
}

/* /bestuur/uitslag.EXT */
static bool download(struct server_request *req, struct server_reply *rep,
		     const struct server_snapshot *snap, const char *ext)
{
	struct strbuf err = STRBUF_INIT;

	strbuf_reset(&rep->body);
	if (!strcmp(ext, "csv")) {
		analysis_report(snap->an, ANALYSIS_CSV, req->lang, &rep->body);
		rep->content_type = "text/csv; charset=utf-8";
		rep->download = "uitslag.csv";
	} else if (!strcmp(ext, "json")) {
		analysis_report(snap->an, ANALYSIS_JSON, req->lang, &rep->body);
		rep->content_type = "application/json";
		rep->download = "uitslag.json";
	} else if (!strcmp(ext, "pdf")) {
		char key[16];

		snprintf(key, sizeof(key), "pdf %s",
			 survey_lang_code(req->lang));
		if (server_results_file_get(req->sv->results, snap->seq, key,
					    &rep->body)) {
			rep->content_type = "application/pdf";
			rep->download = "uitslag.pdf";
		} else if (report_pdf(req, snap, &rep->body, &err) < 0) {
			fprintf(stderr, "draagvlak serve: %s\n", err.buf);
			rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
			server_html_message(
				req, rep, NULL,
				server_nl_en(req,
					     "Het rapport kon niet worden "
					     "gemaakt. Probeer het zo nog "
					     "eens.",
					     "The report could not be made. "
					     "Please try again shortly."));
		} else {
			server_results_file_keep(req->sv->results, snap->seq,
						 key, &rep->body);
			rep->content_type = "application/pdf";
			rep->download = "uitslag.pdf";
		}
	} else {
		strbuf_release(&err);
		return false;
	}
	strbuf_release(&err);
	return true;
}

/*
 * The latest count for the page, or NULL after the "still counting"
 * page.  Give it back with server_results_put().
 */
static const struct server_snapshot *snapshot(struct server_request *req,
					      struct server_reply *rep)
{
	const struct server_snapshot *snap =
		server_results_get(req->sv->results);

	if (!snap)
		counting_page(req, rep);
	return snap;
}

static enum server_outcome not_found(struct server_request *req,
				     struct server_reply *rep)
{
	rep->status = MHD_HTTP_NOT_FOUND;
	server_html_message(
		req, rep, server_nl_en(req, "Niet gevonden", "Not found"),
		server_nl_en(req,
			     "Deze pagina bestaat niet. Begin bij de "
			     "uitslag: /bestuur.",
			     "This page does not exist. Start at the "
			     "results: /bestuur."));
	return SERVER_REPLY;
}

enum server_outcome server_board_dashboard(struct server_request *req,
					   struct server_reply *rep)
{
	const struct server_snapshot *snap = snapshot(req, rep);

	if (snap) {
		dashboard(req, rep, &req->session, snap);
		server_results_keep(req->sv->results, snap);
	}
	server_results_put(req->sv->results, snap);
	return SERVER_REPLY;
}

enum server_outcome server_board_buurt(struct server_request *req,
				       struct server_reply *rep)
{
	const struct server_snapshot *snap = snapshot(req, rep);
	long b;

	if (!snap)
		return SERVER_REPLY;
	b = buurt_index(snap->an->s, req->rest);
	if (b >= 0) {
		buurt_page(req, rep, &req->session, snap, b);
		server_results_keep(req->sv->results, snap);
	} else
		not_found(req, rep);
	server_results_put(req->sv->results, snap);
	return SERVER_REPLY;
}

enum server_outcome server_board_chart(struct server_request *req,
				       struct server_reply *rep)
{
	const char *n = server_query(req, "n");
	const struct server_snapshot *snap;
	char *end = NULL;
	unsigned long long seq = n ? strtoull(n, &end, 10) : 0;

	if (!n) {
		snap = snapshot(req, rep);
	} else if (!*n || *end ||
		   !(snap = server_results_get_seq(req->sv->results, seq))) {
		/* The page is older than the counts kept for it. */
		rep->status = MHD_HTTP_NOT_FOUND;
		server_html_message(req, rep, NULL,
				    msg_get(req->lang, MSG_BOARD_CHART_OLD));
		return SERVER_REPLY;
	}
	/* A question may be called "dagen": its charts have three parts. */
	if (snap && !days_chart(req, rep, snap, req->rest) &&
	    !chart(req, rep, snap, req->rest))
		not_found(req, rep);
	server_results_put(req->sv->results, snap);
	return SERVER_REPLY;
}

enum server_outcome server_board_download(struct server_request *req,
					  struct server_reply *rep)
{
	const struct server_snapshot *snap = snapshot(req, rep);

	if (snap && !download(req, rep, snap, req->rest))
		not_found(req, rep);
	server_results_put(req->sv->results, snap);
	return SERVER_REPLY;
}
