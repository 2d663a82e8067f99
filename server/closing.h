/*
 * closing.h - the board closes the survey from /bestuur/sluiten (a page
 * that says what closing means, and a POST with the session's CSRF
 * token), and the dashboard says whether it is closed.
 */
#ifndef DRAAGVLAK_SERVER_CLOSING_H
#define DRAAGVLAK_SERVER_CLOSING_H

#include "http.h"
#include "strbuf.h"

/* GET: the explanation and the button; POST: close, back to /bestuur. */
enum server_outcome server_board_close(struct server_request *req,
				       struct server_reply *rep);

/* A paragraph for the dashboard: closed when and by whom, or the link. */
void server_closing_status(struct server_request *req, struct strbuf *out);

#endif
