/*
 * routes.h - every page of the server in one table, with the method it
 * answers, who may see it and whether a POST must carry the session's
 * CSRF token; checked once, by the router, before any handler runs
 * (redis's command table, git.c's { "add", cmd_add, RUN_SETUP }).
 *
 * A handler so runs only for a request it may answer: the method is
 * one it takes, the staff session (req->session) is live and of the
 * right role, a POST's CSRF token is the session's, and on a host the
 * survey (req->sv) is one of the session's own organisation.  What is left
 * of the path after the route's own (req->rest) is the handler's to
 * read.  Residents' forms carry a token of their own (an HMAC of the
 * household's code, see session.h), which only the handler can check.
 */
#ifndef DRAAGVLAK_SERVER_ROUTES_H
#define DRAAGVLAK_SERVER_ROUTES_H

#include "http.h"

enum server_route_flags {
	ROUTE_GET = 1 << 0,    /* answers GET (and HEAD) */
	ROUTE_POST = 1 << 1,   /* answers POST */
	ROUTE_PREFIX = 1 << 2, /* path is a prefix: the rest is req->rest */
	ROUTE_STAFF = 1 << 3,  /* needs a volunteer's or the board's session */
	ROUTE_BOARD = 1 << 4,  /* needs the board's session */
	ROUTE_CSRF = 1 << 5,   /* a POST carries the session's CSRF token */
	/*
	 * On a host (store/host.h) a staff page is about the survey the
	 * session works on, which must be of the account's organisation;
	 * without one the router sends the browser to choose (/werkruimte).
	 * These pages need none: req->sv stays the staff store.
	 */
	ROUTE_ANY_SURVEY = 1 << 6,
	ROUTE_HOST = 1 << 7, /* the host's administrators only (on a host) */
};

struct server_route {
	const char *path; /* exact, or with ROUTE_PREFIX a prefix (any case) */
	unsigned flags;
	server_handler fn;
};

/* The table, in the order it is searched; ends with a NULL path. */
extern const struct server_route server_routes[];

/*
 * The route of path (as MHD hands it over: decoded, without the query),
 * with *rest what follows its prefix (for an exact route: ""); or NULL
 * and *rest untouched.  Used by server_route(); public for
 * fuzz/fuzz_url.c.
 */
const struct server_route *server_route_find(const char *path,
					     const char **rest);

/*
 * Find req's route, check it, and run its handler; or reply 404, 405,
 * a redirect to the log-in page, or 403.
 */
enum server_outcome server_route(struct server_request *req,
				 struct server_reply *rep);

#endif
