/*
 * staff.h - what the pages of volunteers and board members share: the
 * session of the request, its CSRF token, and the bar above every page.
 *
 * Residents never see these pages; they are in Dutch, for the platform's
 * own people.
 */
#ifndef DRAAGVLAK_SERVER_STAFF_H
#define DRAAGVLAK_SERVER_STAFF_H

#include <stdbool.h>

#include "http.h"
#include "session.h"
#include "strbuf.h"

/*
 * Whether req carries a live session; fills *s when it does, and puts
 * req in the session's language (a language picked on this request,
 * ?lang= or a lang field, becomes the session's).
 */
bool server_staff_session(struct server_request *req, struct server_session *s);
/* A redirect to the log-in page. */
enum server_outcome server_staff_to_login(struct server_reply *rep);

/* The hidden field with the session's CSRF token, for every POST form. */
void server_staff_csrf_field(struct strbuf *out,
			     const struct server_session *s);
/* Whether the POST of req carries the session's CSRF token. */
bool server_staff_csrf_ok(struct server_request *req,
			  const struct server_session *s);
/* 403 with a page saying the form is stale or foreign. */
enum server_outcome server_staff_csrf_refused(struct server_request *req,
					      struct server_reply *rep);
/* 403 with a page saying that only the board may see this. */
enum server_outcome server_staff_board_only(struct server_request *req,
					    struct server_reply *rep);

/*
 * The bar above every staff page: who is logged in, the pages the role
 * may use, and log-out (a POST with the CSRF token).  The language link
 * is the page header's (server_html_begin); the session keeps the choice
 * (server_staff_session), so one click switches every staff page.
 */
void server_staff_bar(struct server_request *req, struct strbuf *out,
		      const struct server_session *s);

#endif
