/*
 * staff.c - sessions, CSRF tokens and the account bar of the volunteers'
 * and the board's pages (see staff.h).
 */
#include "staff.h"

#include "html.h"
#include "banned.h"

bool server_staff_session(struct server_request *req, struct server_session *s)
{
	return server_session_get(req->srv->sessions,
				  server_cookie(req, SERVER_SESSION_COOKIE), s);
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
	server_html_message(req, rep, "Formulier niet herkend",
			    "Dit formulier is verouderd of komt niet van "
			    "deze website. Open de pagina opnieuw.");
	return SERVER_REPLY;
}

enum server_outcome server_staff_board_only(struct server_request *req,
					    struct server_reply *rep)
{
	rep->status = MHD_HTTP_FORBIDDEN;
	server_html_message(req, rep, NULL, "Deze pagina is voor het bestuur.");
	return SERVER_REPLY;
}

void server_staff_bar(struct strbuf *out, const struct server_session *s)
{
	strbuf_addstr(out, "<form class=\"actions\" method=\"post\" "
			   "action=\"/logout\"><span>Ingelogd als <strong>");
	strbuf_add_html(out, s->user);
	strbuf_addf(out, "</strong> (%s)</span>",
		    s->role == SERVER_ROLE_BOARD ? "bestuur" : "vrijwilliger");
	server_staff_csrf_field(out, s);
	if (s->role == SERVER_ROLE_BOARD)
		strbuf_addstr(out, "<a href=\"/bestuur\">Uitslag</a>"
				   "<a href=\"/bestuur/verschillen\">"
				   "Verschillen</a>");
	strbuf_addstr(out, "<a href=\"/invoer\">Formulier invoeren</a>"
			   "<a href=\"/scan\">Gescand nakijken</a>");
	strbuf_addstr(out, "<button class=\"secondary\" type=\"submit\">"
			   "Uitloggen</button></form>\n");
}
