/*
 * staff.c - sessions, CSRF tokens and the account bar of the volunteers'
 * and the board's pages (see staff.h).
 */
#include "staff.h"

#include "hosting.h"
#include "html.h"
#include "msg.h"
#include "banned.h"

bool server_staff_session(struct server_request *req, struct server_session *s)
{
	const char *id = server_cookie(req, SERVER_SESSION_COOKIE);

	if (!server_session_get(req->srv->sessions, id, s))
		return false;
	/* A language picked on any page sticks for the session. */
	if (req->lang_chosen && req->lang != s->lang) {
		server_session_set_lang(req->srv->sessions, id, req->lang);
		s->lang = req->lang;
	}
	server_request_set_lang(req, s->lang);
	return true;
}

enum server_outcome server_staff_to_login(struct server_reply *rep)
{
	return server_redirect(rep, "/login");
}

void server_staff_csrf_field(struct strbuf *out, const struct server_session *s)
{
	strbuf_addf(out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n",
		    s->csrf);
}

bool server_staff_csrf_ok(struct server_request *req,
			  const struct server_session *s)
{
	return server_csrf_equal(server_field(req, "csrf"), s->csrf);
}

enum server_outcome server_staff_csrf_refused(struct server_request *req,
					      struct server_reply *rep)
{
	rep->status = MHD_HTTP_FORBIDDEN;
	server_html_message(req, rep, msg_get(req->lang, MSG_STAFF_CSRF_TITLE),
			    msg_get(req->lang, MSG_STAFF_CSRF));
	return SERVER_REPLY;
}

enum server_outcome server_staff_board_only(struct server_request *req,
					    struct server_reply *rep)
{
	rep->status = MHD_HTTP_FORBIDDEN;
	server_html_message(req, rep, NULL,
			    msg_get(req->lang, MSG_STAFF_BOARD_ONLY));
	return SERVER_REPLY;
}

void server_staff_bar(struct server_request *req, struct strbuf *out,
		      const struct server_session *s)
{
	enum survey_lang l = req->lang;

	strbuf_addf(out,
		    "<form class=\"actions\" method=\"post\" "
		    "action=\"/logout\"><span>%s <strong>",
		    msg_get(l, MSG_STAFF_LOGGED_IN_AS));
	strbuf_add_html(out, s->user);
	strbuf_addf(out, "</strong> (%s)</span>",
		    msg_get(l, s->role == STORE_ROLE_BOARD
				       ? MSG_STAFF_ROLE_BOARD
				       : MSG_STAFF_ROLE_VOLUNTEER));
	server_staff_csrf_field(out, s);
	/* On a host: which survey, and the host's own page. */
	if (server_hosting_is_admin(req, s)) {
		strbuf_addf(out,
			    "<a href=\"/beheer\">%s</a>"
			    "<button class=\"secondary\" type=\"submit\">%s"
			    "</button></form>\n",
			    msg_get(l, MSG_HOSTING_ADMIN_NAV),
			    msg_get(l, MSG_STAFF_LOG_OUT));
		return;
	}
	if (req->srv->host)
		strbuf_addf(out, "<a href=\"/werkruimte\">%s</a>",
			    msg_get(l, MSG_HOSTING_NAV));
	if (s->role == STORE_ROLE_BOARD)
		strbuf_addf(
			out,
			"<a href=\"/bestuur\">%s</a>"
			"<a href=\"/bestuur/verschillen\">%s</a>"
			"<a href=\"/bestuur/vrijwilligers\">%s</a>"
			"<a href=\"/bestuur/voorbeeld\">%s</a>"
			"<a href=\"/bestuur/formulieren\">%s</a>"
			"<a href=\"/bestuur/adressen\">%s</a>"
			"<a href=\"/bestuur/vragenlijst\">%s</a>",
			msg_get(l, MSG_STAFF_NAV_RESULTS),
			msg_get(l, MSG_STAFF_NAV_DIFFERENCES),
			msg_get(l, MSG_TEAM_NAV), msg_get(l, MSG_PREVIEW_NAV),
			msg_get(l, MSG_FORMS_NAV), msg_get(l, MSG_UPLOAD_NAV),
			msg_get(l, MSG_EDITOR_NAV));
	strbuf_addf(out,
		    "<a href=\"/invoer\">%s</a><a href=\"/scan\">%s</a>"
		    "<a href=\"/balie\">%s</a>",
		    msg_get(l, MSG_STAFF_NAV_ENTER),
		    msg_get(l, MSG_STAFF_NAV_SCANS),
		    msg_get(l, MSG_STAFF_NAV_DESK));
	strbuf_addf(out,
		    "<button class=\"secondary\" type=\"submit\">%s</button>"
		    "</form>\n",
		    msg_get(l, MSG_STAFF_LOG_OUT));
}
