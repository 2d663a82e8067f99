/*
 * preview.c - the online form previewed by the board, nothing stored
 * (see preview.h).
 */
#include "preview.h"

#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "html.h"
#include "msg.h"
#include "staff.h"
#include "xalloc.h"
#include "banned.h"

/* The notice above everything: this is a preview, and when it opens. */
static void add_notice(struct server_request *req, struct strbuf *out,
		       enum msg_id what)
{
	const struct survey *s = req->sv->survey;
	char today[11];
	struct strbuf opens = STRBUF_INIT, closes = STRBUF_INIT;

	server_today(req->srv, today);
	server_html_date(&opens, s->opens, req->lang);
	server_html_date(&closes, s->closes, req->lang);
	strbuf_addf(out,
		    "<div class=\"notice warn preview\" role=\"note\">"
		    "<p><strong>%s</strong> %s</p><p>",
		    msg_get(req->lang, MSG_PREVIEW_LABEL),
		    msg_get(req->lang, what));
	/* The dates are the survey's own (YYYY-MM-DD), in words. */
	msg_add(out, req->lang,
		strcmp(today, s->opens) < 0	? MSG_PREVIEW_NOT_YET_OPEN
		: strcmp(today, s->closes) <= 0 ? MSG_PREVIEW_OPEN
						: MSG_PREVIEW_CLOSED,
		opens.buf, closes.buf);
	strbuf_addstr(out, "</p></div>\n");
	strbuf_release(&opens);
	strbuf_release(&closes);
}

static void form_page(struct server_request *req, struct server_reply *rep,
		      const struct survey_answers *values, char **errors)
{
	const struct survey *s = req->sv->survey;
	struct strbuf *out = &rep->body;
	const char *heading = msg_get(req->lang, MSG_PREVIEW_HEADING);

	strbuf_reset(out);
	server_html_begin(req, out, msg_get(req->lang, MSG_PREVIEW_TITLE),
			  "/bestuur/voorbeeld");
	server_staff_bar(req, out, &req->session);
	add_notice(req, out, MSG_PREVIEW_FORM);
	/* From here on as the resident sees it (resident.c). */
	strbuf_addf(out, "<h1>%s</h1>\n", heading);
	if (errors)
		server_html_error_summary(out, s, errors, false, req->lang);
	server_html_intro(out, s, req->lang);
	strbuf_addf(out, "<form method=\"post\" action=\"/bestuur/voorbeeld\" "
			 "accept-charset=\"utf-8\">\n");
	server_staff_csrf_field(out, &req->session);
	strbuf_addf(out, "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
		    survey_lang_code(req->lang));
	for (size_t i = 0; i < s->nr_questions; i++)
		server_html_question(out, &s->questions[i], i + 1, values,
				     errors ? errors[i] : NULL, false,
				     req->lang);
	strbuf_addf(out,
		    "<div class=\"actions\"><button type=\"submit\">%s</button>"
		    "</div>\n</form>\n",
		    msg_get(req->lang, MSG_PREVIEW_SEND));
	server_html_end(req, out);
}

static void received_page(struct server_request *req, struct server_reply *rep,
			  const struct survey_answers *a)
{
	struct strbuf *out = &rep->body;

	strbuf_reset(out);
	server_html_begin(req, out, msg_get(req->lang, MSG_PREVIEW_TITLE),
			  "/bestuur/voorbeeld");
	server_staff_bar(req, out, &req->session);
	add_notice(req, out, MSG_PREVIEW_RECEIVED);
	strbuf_addf(out, "<h1>%s</h1>\n",
		    msg_get(req->lang, MSG_PREVIEW_THANKS));
	strbuf_addf(out, "<div class=\"card\">\n");
	server_html_answers(out, req->sv->survey, a, req->lang);
	strbuf_addf(
		out, "</div>\n<p><a href=\"/bestuur/voorbeeld%s\">%s</a></p>\n",
		server_lang_query(req), msg_get(req->lang, MSG_PREVIEW_AGAIN));
	server_html_end(req, out);
}

enum server_outcome server_preview_form(struct server_request *req,
					struct server_reply *rep)
{
	const struct survey *s = req->sv->survey;
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	char **errors;
	size_t nerr;

	if (!req->post) {
		form_page(req, rep, NULL, NULL);
		return SERVER_REPLY;
	}
	errors =
		xcalloc(s->nr_questions ? s->nr_questions : 1, sizeof(*errors));
	nerr = server_fields_answers(req, s, false, req->lang, &a, errors);
	if (nerr) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		form_page(req, rep, &a, errors);
	} else {
		received_page(req, rep, &a);
	}
	server_errors_free(errors, s->nr_questions);
	free(errors);
	survey_answers_release(&a);
	return SERVER_REPLY;
}
