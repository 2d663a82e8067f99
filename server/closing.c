/*
 * closing.c - closing the survey from the board's pages (see closing.h).
 */
#include "closing.h"

#include "html.h"
#include "lifecycle.h"
#include "msg.h"
#include "record.h"
#include "staff.h"
#include "banned.h"

/* Whether it is closed, with when and by whom; false on a store error. */
static bool read_state(struct server_request *req, struct store_lifecycle *lc)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st = server_store_get(req->sv);
	bool ok = st && store_lifecycle_read(st, lc, &err) == STORE_OK;

	if (st)
		server_store_put(req->sv, st);
	if (!ok)
		server_log_error(req, &err);
	strbuf_release(&err);
	return ok;
}

void server_closing_status(struct server_request *req, struct strbuf *out)
{
	struct store_lifecycle lc;
	struct strbuf sb = STRBUF_INIT;

	if (!read_state(req, &lc))
		return;
	if (lc.closed) {
		msg_add(&sb, req->lang, MSG_CLOSE_CLOSED, lc.closed_at,
			lc.closed_by);
		strbuf_addstr(out, "<p class=\"closed\"><strong>");
		strbuf_add_html(out, sb.buf);
		strbuf_addstr(out, "</strong></p>\n");
	} else {
		strbuf_addf(out, "<p><a href=\"/bestuur/sluiten%s\">",
			    server_lang_query(req));
		strbuf_add_html(out, msg_get(req->lang, MSG_CLOSE_LINK));
		strbuf_addstr(out, "</a></p>\n");
	}
	strbuf_release(&sb);
}

struct closing {
	const struct survey *s;
	const char *by;
};

static int run_close(struct store *st, void *arg, struct strbuf *err)
{
	struct closing *c = arg;
	int rc = analysis_close(st, c->s, c->by, err);

	return rc == STORE_ALREADY_DONE ? STORE_OK : rc;
}

enum server_outcome server_board_close(struct server_request *req,
				       struct server_reply *rep)
{
	struct strbuf *out = &rep->body;
	struct closing c = { req->sv->survey, req->session.user };
	struct strbuf err = STRBUF_INIT;

	if (req->post) {
		if (store_writer_run(req->sv->writer, run_close, &c, &err) ==
		    STORE_OK) {
			/* The next view counts afresh: the snapshot is old. */
			server_redirect(rep, "/bestuur");
		} else {
			server_log_error(req, &err);
			server_html_store_failed(req, rep);
		}
		strbuf_release(&err);
		return SERVER_REPLY;
	}
	strbuf_reset(out);
	server_html_begin(req, out, msg_get(req->lang, MSG_CLOSE_TITLE),
			  "/bestuur/sluiten");
	server_staff_bar(req, out, &req->session);
	strbuf_addstr(out, "<h1>");
	strbuf_add_html(out, msg_get(req->lang, MSG_CLOSE_TITLE));
	strbuf_addstr(out, "</h1>\n");
	server_closing_status(req, out);
	strbuf_addstr(out, "<p>");
	strbuf_add_html(out, msg_get(req->lang, MSG_CLOSE_EXPLAIN));
	strbuf_addstr(out, "</p>\n<form method=\"post\" "
			   "action=\"/bestuur/sluiten\">\n");
	server_staff_csrf_field(out, &req->session);
	strbuf_addstr(out, "<button type=\"submit\">");
	strbuf_add_html(out, msg_get(req->lang, MSG_CLOSE_BUTTON));
	strbuf_addstr(out, "</button>\n</form>\n");
	server_html_end(req, out);
	return SERVER_REPLY;
}
