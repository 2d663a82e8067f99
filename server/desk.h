/*
 * desk.h - the check-in desk of a community evening (see
 * store/evening.h and docs/evening.md).
 *
 *   GET  /balie        find a household: street and number, or the QR
 *                      code or code of its letter (POSTed, so that the
 *                      code stays out of addresses and logs)
 *   POST /balie        the code typed or scanned: to its household
 *   GET  /balie/ID     the household's address (never its code) and
 *                      the form to note that it answered on paper here
 *   POST /balie/ID     note it, with a proxy and the written consent
 *
 * For volunteers and the board (a session, and the CSRF token on every
 * POST: the router checks both).  The answers themselves arrive later,
 * through paper entry or scanning.
 */
#ifndef DRAAGVLAK_SERVER_DESK_H
#define DRAAGVLAK_SERVER_DESK_H

#include "http.h"

enum server_outcome server_desk_search(struct server_request *req,
				       struct server_reply *rep);
enum server_outcome server_desk_household(struct server_request *req,
					  struct server_reply *rep);

#endif
