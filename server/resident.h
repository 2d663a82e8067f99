/*
 * resident.h - the pages residents use.
 *
 *   GET  /                      the survey: intro, dates, how to take
 *                               part, and a box for the code
 *   GET  /code?code=...         a typed code: to the household's form
 *   GET  /F/CODE/PAGE/LAYOUT    a form's QR code (any case): the same
 *   GET  /f/CODE                the household's form (CODE canonical)
 *   POST /f/CODE                its answers: stored, then 303 to ...
 *   GET  /f/CODE/ontvangen      ... the confirmation with the answers
 *   GET  /privacy               the privacy statement (survey/privacy.h),
 *                               linked from every page's footer
 *
 * A code typed with a typo (the check symbol does not match) gets a kind
 * word about typos; an unknown code, a survey not open yet and a closed
 * survey each get a page of their own.  Failed look-ups of well-formed
 * codes are rate-limited (ratelimit.h): once a client or the world has
 * used up its budget, every look-up of that client waits a moment before
 * it is answered, so guessing is slow while a household that types its
 * own code right is still let in.
 */
#ifndef DRAAGVLAK_SERVER_RESIDENT_H
#define DRAAGVLAK_SERVER_RESIDENT_H

#include "http.h"

/* How long a client over its budget waits for each look-up. */
#define SERVER_SLOW_LOOKUP_MS 1500

/* What a path under /f/ (or a QR code's /F/) asks for. */
enum server_resident_page {
	SERVER_RESIDENT_REDIRECT, /* to /f/CANON: /F/..., a code not canonical */
	SERVER_RESIDENT_FORM,	  /* GET /f/CODE */
	SERVER_RESIDENT_SUBMIT,	  /* POST /f/CODE */
	SERVER_RESIDENT_RECEIVED, /* GET /f/CODE/ontvangen */
	SERVER_RESIDENT_UNKNOWN,  /* a "code" too long to be one */
};

/* Room for the code part of such a path, with its NUL. */
#define SERVER_RESIDENT_CODE_MAX 48

/*
 * Read path (starting "/f/" or "/F/", as routed): the page it asks for,
 * by a GET or (post) a POST, and the code as typed (not yet checked) in
 * code; code is left empty for SERVER_RESIDENT_UNKNOWN.  Public for
 * fuzz/fuzz_url.c.
 */
enum server_resident_page
server_resident_path(const char *path, bool post,
		     char code[SERVER_RESIDENT_CODE_MAX]);

enum server_outcome server_resident_home(struct server_request *req,
					 struct server_reply *rep);
enum server_outcome server_resident_code(struct server_request *req,
					 struct server_reply *rep);
enum server_outcome server_resident_form(struct server_request *req,
					 struct server_reply *rep);
enum server_outcome server_resident_privacy(struct server_request *req,
					    struct server_reply *rep);

#endif
