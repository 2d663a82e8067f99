/*
 * staff.c - sessions, CSRF tokens and the account bar of the volunteers'
 * and the board's pages (see staff.h).
 */
#include "staff.h"

#include "html.h"
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
	req->lang = s->lang;
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
	server_html_message(
		req, rep,
		server_nl_en(req, "Formulier niet herkend",
			     "Form not recognised"),
		server_nl_en(req,
			     "Dit formulier is verouderd of komt niet van "
			     "deze website. Open de pagina opnieuw.",
			     "This form is out of date or did not come from "
			     "this website. Open the page again."));
	return SERVER_REPLY;
}

enum server_outcome server_staff_board_only(struct server_request *req,
					    struct server_reply *rep)
{
	rep->status = MHD_HTTP_FORBIDDEN;
	server_html_message(req, rep, NULL,
			    server_nl_en(req,
					 "Deze pagina is voor het bestuur.",
					 "This page is for the board."));
	return SERVER_REPLY;
}

void server_staff_bar(struct server_request *req, struct strbuf *out,
		      const struct server_session *s)
{
	strbuf_addf(out,
		    "<form class=\"actions\" method=\"post\" "
		    "action=\"/logout\"><span>%s <strong>",
		    server_nl_en(req, "Ingelogd als", "Logged in as"));
	strbuf_add_html(out, s->user);
	strbuf_addf(out, "</strong> (%s)</span>",
		    s->role == STORE_ROLE_BOARD
			    ? server_nl_en(req, "bestuur", "board")
			    : server_nl_en(req, "vrijwilliger", "volunteer"));
	server_staff_csrf_field(out, s);
	if (s->role == STORE_ROLE_BOARD)
		strbuf_addf(out,
			    "<a href=\"/bestuur\">%s</a>"
			    "<a href=\"/bestuur/verschillen\">%s</a>",
			    server_nl_en(req, "Uitslag", "Results"),
			    server_nl_en(req, "Verschillen", "Differences"));
	strbuf_addf(out, "<a href=\"/invoer\">%s</a><a href=\"/scan\">%s</a>",
		    server_nl_en(req, "Formulier invoeren", "Enter a form"),
		    server_nl_en(req, "Gescand nakijken", "Check scans"));
	strbuf_addf(out,
		    "<button class=\"secondary\" type=\"submit\">%s</button>"
		    "</form>\n",
		    server_nl_en(req, "Uitloggen", "Log out"));
}
