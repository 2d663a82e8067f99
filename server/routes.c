/*
 * routes.c - the table of pages and the router that checks it (see
 * routes.h).
 */
#include "routes.h"

#include <string.h>
#include <strings.h>

#include "board.h"
#include "board_answers.h"
#include "closing.h"
#include "desk.h"
#include "editor.h"
#include "forms.h"
#include "hosting.h"
#include "html.h"
#include "msg.h"
#include "preview.h"
#include "remind.h"
#include "public.h"
#include "resident.h"
#include "review.h"
#include "scanupload.h"
#include "staff.h"
#include "team.h"
#include "upload.h"
#include "volunteer.h"
#include "banned.h"

#define STAFF_PAGE (ROUTE_GET | ROUTE_STAFF)
#define STAFF_FORM (ROUTE_GET | ROUTE_POST | ROUTE_STAFF | ROUTE_CSRF)
#define BOARD_PAGE (ROUTE_GET | ROUTE_STAFF | ROUTE_BOARD)

const struct server_route server_routes[] = {
	/* Residents. */
	{ "/", ROUTE_GET, server_resident_home },
	{ "/static/style.css", ROUTE_GET, server_html_css },
	{ "/static/editor.js", ROUTE_GET, server_editor_script },
	{ "/code", ROUTE_GET, server_resident_code },
	{ "/f/", ROUTE_GET | ROUTE_POST | ROUTE_PREFIX, server_resident_form },
	{ "/privacy", ROUTE_GET, server_resident_privacy },
	{ "/uitslag", ROUTE_GET, server_public_results },
	/* The same on a host, for the survey of the slug that follows. */
	{ "/privacy/", ROUTE_GET | ROUTE_PREFIX, server_resident_privacy },
	{ "/uitslag/", ROUTE_GET | ROUTE_PREFIX, server_public_results },
	/* Volunteers and the board. */
	{ "/login", ROUTE_GET | ROUTE_POST, server_volunteer_login },
	/* An invitation's token is its credential (team.h). */
	{ "/uitnodiging/", ROUTE_GET | ROUTE_POST | ROUTE_PREFIX,
	  server_team_invitation },
	{ "/logout", ROUTE_POST | ROUTE_STAFF | ROUTE_CSRF | ROUTE_ANY_SURVEY,
	  server_volunteer_logout },
	/* On a host: choosing a survey, and the host's administration. */
	{ "/werkruimte", STAFF_FORM | ROUTE_ANY_SURVEY, server_hosting_choose },
	{ "/beheer", STAFF_FORM | ROUTE_ANY_SURVEY | ROUTE_HOST,
	  server_hosting_admin },
	{ "/invoer", STAFF_PAGE, server_volunteer_lookup },
	{ "/invoer/", STAFF_FORM | ROUTE_PREFIX, server_volunteer_entry },
	{ "/scan", STAFF_PAGE, server_review_queue },
	/* Before "/scan/": uploads and their progress (scanupload.h). */
	{ SERVER_SCAN_UPLOAD_PATH, ROUTE_POST | ROUTE_STAFF | ROUTE_CSRF,
	  server_scanupload_upload },
	{ SERVER_SCAN_UPLOAD_PATH "/", STAFF_PAGE | ROUTE_PREFIX,
	  server_scanupload_progress },
	{ "/scan/", STAFF_FORM | ROUTE_PREFIX, server_review_form },
	/* The check-in desk of a community evening. */
	{ "/balie", STAFF_FORM, server_desk_search },
	{ "/balie/", STAFF_FORM | ROUTE_PREFIX, server_desk_household },
	/* The board. */
	{ "/bestuur", BOARD_PAGE, server_board_dashboard },
	{ "/bestuur/verschillen", BOARD_PAGE, server_volunteer_differences },
	{ "/bestuur/verschillen/",
	  BOARD_PAGE | ROUTE_POST | ROUTE_CSRF | ROUTE_PREFIX,
	  server_volunteer_settle },
	{ "/bestuur/buurt/", BOARD_PAGE | ROUTE_PREFIX, server_board_buurt },
	{ "/bestuur/grafiek/", BOARD_PAGE | ROUTE_PREFIX, server_board_chart },
	{ "/bestuur/formulieren", BOARD_PAGE | ROUTE_POST | ROUTE_CSRF,
	  server_forms_page },
	{ "/bestuur/formulieren/", BOARD_PAGE | ROUTE_PREFIX,
	  server_forms_download },
	{ "/bestuur/vrijwilligers", BOARD_PAGE | ROUTE_POST | ROUTE_CSRF,
	  server_team_page },
	{ "/bestuur/voorbeeld", BOARD_PAGE | ROUTE_POST | ROUTE_CSRF,
	  server_preview_form },
	{ SERVER_UPLOAD_PATH, BOARD_PAGE | ROUTE_POST | ROUTE_CSRF,
	  server_upload_addresses },
	{ "/bestuur/uitslag.xlsx", BOARD_PAGE, server_board_xlsx },
	{ "/bestuur/antwoorden.csv", BOARD_PAGE, server_board_excel_csv },
	{ "/bestuur/sluiten", BOARD_PAGE | ROUTE_POST | ROUTE_CSRF,
	  server_board_close },
	{ "/bestuur/herinnering", BOARD_PAGE | ROUTE_POST | ROUTE_CSRF,
	  server_remind_page },
	{ "/bestuur/herinnering/", BOARD_PAGE | ROUTE_PREFIX,
	  server_remind_letters },
	{ "/bestuur/uitslag.", BOARD_PAGE | ROUTE_PREFIX,
	  server_board_download },
	{ "/bestuur/vragenlijst", BOARD_PAGE | ROUTE_POST | ROUTE_CSRF,
	  server_editor_page },
	{ "/bestuur/vragenlijst.yaml", BOARD_PAGE, server_editor_download },
	{ "/bestuur/vragenlijst/yaml", BOARD_PAGE | ROUTE_POST | ROUTE_CSRF,
	  server_editor_upload },
	{ "/bestuur/vragenlijst/afspraak",
	  ROUTE_POST | ROUTE_STAFF | ROUTE_BOARD | ROUTE_CSRF,
	  server_editor_sentence },
	{ NULL, 0, NULL },
};

const struct server_route *server_route_find(const char *path,
					     const char **rest)
{
	for (const struct server_route *r = server_routes; r->path; r++) {
		size_t n = strlen(r->path);

		if (r->flags & ROUTE_PREFIX) {
			if (!strncasecmp(path, r->path, n) && path[n]) {
				*rest = path + n;
				return r;
			}
		} else if (!strcmp(path, r->path) ||
			   /* "/bestuur/" is "/bestuur" */
			   (n > 1 && !strncmp(path, r->path, n) &&
			    !strcmp(path + n, "/"))) {
			*rest = path + strlen(path);
			return r;
		}
	}
	return NULL;
}

static enum server_outcome not_found(struct server_request *req,
				     struct server_reply *rep)
{
	rep->status = MHD_HTTP_NOT_FOUND;
	server_html_message(req, rep,
			    msg_get(req->lang, MSG_PAGE_NOT_FOUND_TITLE),
			    msg_get(req->lang, MSG_PAGE_NOT_FOUND));
	return SERVER_REPLY;
}

static enum server_outcome wrong_method(struct server_request *req,
					struct server_reply *rep)
{
	rep->status = MHD_HTTP_METHOD_NOT_ALLOWED;
	server_html_message(
		req, rep, NULL,
		msg_get(req->lang, req->post ? MSG_PAGE_CHANGES_NOTHING
					     : MSG_PAGE_ONLY_FORM));
	return SERVER_REPLY;
}

enum server_outcome server_route(struct server_request *req,
				 struct server_reply *rep)
{
	const struct server_route *r = server_route_find(req->path, &req->rest);

	if (!r)
		return not_found(req, rep);
	if (!(r->flags & (req->post ? ROUTE_POST : ROUTE_GET)))
		return wrong_method(req, rep);
	if (r->flags & ROUTE_STAFF) {
		req->has_session = server_staff_session(req, &req->session);
		if (!req->has_session)
			return server_staff_to_login(rep);
		if ((r->flags & ROUTE_BOARD) &&
		    req->session.role != STORE_ROLE_BOARD)
			return server_staff_board_only(req, rep);
		if (req->post && (r->flags & ROUTE_CSRF) &&
		    !server_staff_csrf_ok(req, &req->session))
			return server_staff_csrf_refused(req, rep);
		if ((r->flags & ROUTE_HOST) &&
		    !server_hosting_is_admin(req, &req->session))
			return server_staff_board_only(req, rep);
		if (req->srv->host && !(r->flags & ROUTE_ANY_SURVEY)) {
			req->sv = server_hosting_survey(req, &req->session);
			if (!req->sv)
				req->sv = server_hosting_sole_survey(
					req, &req->session);
			if (!req->sv) {
				req->sv = req->srv->staff;
				return server_redirect(rep, "/werkruimte");
			}
		}
	}
	return r->fn(req, rep);
}
