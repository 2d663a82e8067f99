/*
 * board.h - the board's pages: is there draagvlak, live.
 *
 *   GET /bestuur                       the dashboard: per proposition the
 *                                      decision, a row per buurt, charts,
 *                                      and the audit
 *   GET /bestuur/buurt/ID              one buurt: every reason, the counts
 *                                      by channel, all charts, the
 *                                      agreement as agreed
 *   GET /bestuur/grafiek/Q/B/K.svg     chart K of question Q in buurt B
 *                                      ("samen": the buurten together)
 *   GET /bestuur/grafiek/dagen.svg     responses per day (dagen/B.svg:
 *                                      of buurt B), also as a table on
 *                                      the dashboard and buurt pages
 *   GET /bestuur/uitslag.csv|json|pdf  the report to download
 *   /bestuur/verschillen...            double entries (volunteer.h)
 *
 * Only logged-in board members see results (the router checks it,
 * routes.h).  The numbers, verdicts,
 * sentences and charts are those of `draagvlak analyse` (analysis/), from
 * the latest background count (results.h), so a page never waits for a
 * count of a large store; it says when the count was made.  Dutch by
 * default, English with ?lang=en.
 */
#ifndef DRAAGVLAK_SERVER_BOARD_H
#define DRAAGVLAK_SERVER_BOARD_H

#include "http.h"

enum server_outcome server_board_dashboard(struct server_request *req,
					   struct server_reply *rep);
enum server_outcome server_board_buurt(struct server_request *req,
				       struct server_reply *rep);
enum server_outcome server_board_chart(struct server_request *req,
				       struct server_reply *rep);
enum server_outcome server_board_download(struct server_request *req,
					  struct server_reply *rep);

/*
 * The response and in-favour cells of a verdict table's row for cell c
 * under agreement a: from the response share (after the row's "<td>") to
 * the in-favour share, each with its counts, the cell left open.  Shared
 * by the board's dashboard and the public results page.
 */
struct agreement;
struct analysis_cell;
void server_board_add_shares(struct server_request *req, struct strbuf *out,
			     const struct agreement *a,
			     const struct analysis_cell *c);

#endif
