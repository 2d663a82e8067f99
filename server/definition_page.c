/*
 * definition_page.c - the survey's definition shown, downloaded and
 * checked by the board (see definition_page.h).
 */
#include "definition_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "definition.h"
#include "diag.h"
#include "html.h"
#include "msg.h"
#include "staff.h"
#include "banned.h"

/* A survey in words (survey_describe()), as lines in a card. */
static void add_described(struct server_request *req, struct strbuf *out,
			  const struct survey *s)
{
	struct strbuf sb = STRBUF_INIT;

	survey_describe(s, req->lang, &sb);
	strbuf_addstr(out, "<div class=\"card described\">\n");
	server_html_paragraphs(out, sb.buf);
	strbuf_addstr(out, "</div>\n");
	strbuf_release(&sb);
}

static void add_problems(struct server_request *req, struct strbuf *out,
			 const struct diag_list *dl)
{
	char n[24];

	snprintf(n, sizeof(n), "%zu", dl->errors);
	strbuf_addstr(out, "<div class=\"notice bad\" role=\"alert\"><p>");
	msg_add(out, req->lang, MSG_DEFINITION_PROBLEMS, n);
	strbuf_addstr(out, "</p>\n<ul>\n");
	for (size_t i = 0; i < dl->nr; i++) {
		const struct diag *d = &dl->items[i];
		char line[24], col[24];

		strbuf_addstr(out, "<li>");
		if (d->line > 0) {
			snprintf(line, sizeof(line), "%d", d->line);
			snprintf(col, sizeof(col), "%d", d->column);
			msg_add(out, req->lang, MSG_DEFINITION_AT, line, col);
			strbuf_addch(out, ' ');
		}
		strbuf_add_html(out, d->msg);
		strbuf_addstr(out, "</li>\n");
	}
	strbuf_addstr(out, "</ul></div>\n");
}

static void page(struct server_request *req, struct server_reply *rep,
		 const struct diag_list *dl, const struct survey *checked)
{
	enum survey_lang l = req->lang;
	struct strbuf *out = &rep->body;

	strbuf_reset(out);
	server_html_begin(req, out, msg_get(l, MSG_DEFINITION_TITLE),
			  SERVER_DEFINITION_PATH);
	server_staff_bar(req, out, &req->session);
	strbuf_addf(out, "<h1>%s</h1>\n", msg_get(l, MSG_DEFINITION_TITLE));
	if (dl && !checked)
		add_problems(req, out, dl);
	if (checked) {
		server_html_notice(out, msg_get(l, MSG_DEFINITION_CHECKED_OK));
		add_described(req, out, checked);
	}
	strbuf_addf(out, "<h2>%s</h2>\n<p>%s</p>\n",
		    msg_get(l, MSG_DEFINITION_RUNNING),
		    msg_get(l, MSG_DEFINITION_FREEZE));
	add_described(req, out, req->srv->survey);
	strbuf_addf(out,
		    "<p class=\"downloads\"><a href=\"%s.yaml\" download>%s</a>"
		    "</p>\n",
		    SERVER_DEFINITION_PATH,
		    msg_get(l, MSG_DEFINITION_DOWNLOAD));
	strbuf_addf(out,
		    "<form class=\"card\" method=\"post\" action=\"%s\" "
		    "enctype=\"multipart/form-data\">\n<h2>%s</h2>\n",
		    SERVER_DEFINITION_PATH, msg_get(l, MSG_DEFINITION_CHECK));
	server_staff_csrf_field(out, &req->session);
	strbuf_addf(out,
		    "<label class=\"field\" for=\"file\">%s</label>\n"
		    "<p class=\"help\" id=\"file-help\">%s</p>\n"
		    "<input type=\"file\" id=\"file\" name=\"file\" "
		    "accept=\".yaml,.yml,text/yaml\" required "
		    "aria-describedby=\"file-help\">\n"
		    "<div class=\"actions\"><button type=\"submit\">%s</button>"
		    "</div>\n</form>\n",
		    msg_get(l, MSG_DEFINITION_FILE),
		    msg_get(l, MSG_DEFINITION_FILE_HELP),
		    msg_get(l, MSG_DEFINITION_CHECK_BUTTON));
	server_html_end(req, out);
}

enum server_outcome server_definition_page(struct server_request *req,
					   struct server_reply *rep)
{
	const char *file = server_field(req, "file");
	struct diag_list dl;
	struct survey *s = NULL;

	diag_list_init(&dl, "peiling.yaml");
	if (!req->post) {
		page(req, rep, NULL, NULL);
		goto out;
	}
	if (!file || !*file)
		diag_error(&dl, 0, 0, "%s",
			   msg_get(req->lang, MSG_DEFINITION_EMPTY));
	else
		s = survey_load_buffer("peiling.yaml", file, strlen(file), &dl);
	if (!s)
		rep->status = MHD_HTTP_BAD_REQUEST;
	page(req, rep, &dl, s);
out:
	survey_free(s);
	diag_list_release(&dl);
	return SERVER_REPLY;
}

enum server_outcome server_definition_yaml(struct server_request *req,
					   struct server_reply *rep)
{
	struct store *st = server_store_get(req->srv);
	char *yaml = store_definition_yaml(st);

	server_store_put(req->srv, st);
	if (!yaml) {
		server_html_store_failed(req, rep);
		return SERVER_REPLY;
	}
	strbuf_reset(&rep->body);
	strbuf_addstr(&rep->body, yaml);
	rep->content_type = "application/yaml; charset=utf-8";
	rep->download = "peiling.yaml";
	free(yaml);
	return SERVER_REPLY;
}
