/*
 * review.h - the review queue of scanned forms, for volunteers and the
 * board.
 *
 *   GET  /scan                        the forms that wait for a person,
 *                                     most in doubt first
 *   GET  /scan/N                      one form (N: the household's number
 *                                     in the store, never its code): the
 *                                     cut-out of each question in doubt,
 *                                     with the machine's reading filled in
 *   POST /scan/N                      confirm or correct; the form counts
 *                                     once nothing is in doubt
 *   GET  /scan/N/uitsnede/PAGE/Q.png  a cut-out
 *
 * A form whose household also answered online under the "latest" policy
 * waits here too: the person chooses which counts (store/scans.h).  The
 * pages show only the last characters of a household's code, enough to
 * find the paper in a pile: a code is the household's credential.
 */
#ifndef DRAAGVLAK_SERVER_REVIEW_H
#define DRAAGVLAK_SERVER_REVIEW_H

#include "http.h"

enum server_outcome server_review_queue(struct server_request *req,
					struct server_reply *rep);
enum server_outcome server_review_form(struct server_request *req,
				       struct server_reply *rep);

#endif
