/*
 * review.h - the review queue of scanned forms, for volunteers and the
 * board.
 *
 *   GET  /scan                           the forms that wait for a person,
 *                                        most in doubt first
 *   GET  /scan/CODE                      one form: the cut-out of each
 *                                        question in doubt, with the
 *                                        machine's reading pre-filled
 *   POST /scan/CODE                      confirm or correct; the form
 *                                        counts once nothing is in doubt
 *   GET  /scan/CODE/uitsnede/PAGE/Q.png  a cut-out
 *
 * A form whose household also answered online under the "latest" policy
 * waits here too: the person chooses which counts (scanned.h).
 */
#ifndef DRAAGVLAK_SERVER_REVIEW_H
#define DRAAGVLAK_SERVER_REVIEW_H

#include "http.h"

enum server_outcome server_review(struct server_request *req,
				  struct server_reply *rep);

#endif
