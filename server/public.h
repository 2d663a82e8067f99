/*
 * public.h - the results for anyone, after closing (issue 15).
 *
 *   GET /uitslag     per proposition the decision, and per buurt the
 *                    response, the share in favour and the verdict, with
 *                    the agreements as agreed; no log-in
 *
 * Only when the definition says public_results: true, and only once the
 * survey has been closed (`draagvlak close` or the board's button:
 * store/lifecycle.h), so the page never shows a count that can still
 * change.  Otherwise a page that says why, with 404.  The words and
 * numbers are those of `draagvlak analyse` (analysis/), from the
 * server's background count (results.h); like the export, the page has
 * no addresses and no codes: it reads only the analysis.
 */
#ifndef DRAAGVLAK_SERVER_PUBLIC_H
#define DRAAGVLAK_SERVER_PUBLIC_H

#include "http.h"

enum server_outcome server_public_results(struct server_request *req,
					  struct server_reply *rep);

#endif
