/*
 * volunteer.h - the pages of volunteers and board members.
 *
 *   GET/POST /login             log in (rate-limited on failures)
 *   POST     /logout            log out
 *   GET      /invoer            type a paper form's code
 *   GET      /invoer/CODE       the household's buurt, what it already
 *                               answered, and the paper form to fill in
 *   POST     /invoer/CODE       save what was ticked on paper
 *   GET      /bestuur/verschillen     board: double entries that differ
 *   POST     /bestuur/verschillen/ID  board: settle one by choosing an
 *                                     entry
 *   POST     /bestuur/verschillen/hID board: keep what counts for
 *                                     household ID (a laptop's answer
 *                                     that came home, docs/evening.md)
 *
 * (The board's dashboard, /bestuur itself, is in board.h.)
 *
 * Every page but log-in needs a session (session.h), and every POST
 * carries the session's CSRF token: the router checks both (routes.h).  When the household already answered, the
 * volunteer is told so (and when; an online answer's content only a
 * board member sees, and that look is recorded in answer_view) and has
 * to confirm before the survey's conflict policy lets the paper form
 * replace it: nothing is overwritten unseen.  With double entry a paper form counts only once two different
 * volunteers entered the same answers.
 */
#ifndef DRAAGVLAK_SERVER_VOLUNTEER_H
#define DRAAGVLAK_SERVER_VOLUNTEER_H

#include "http.h"

enum server_outcome server_volunteer_login(struct server_request *req,
					   struct server_reply *rep);
enum server_outcome server_volunteer_logout(struct server_request *req,
					    struct server_reply *rep);
enum server_outcome server_volunteer_lookup(struct server_request *req,
					    struct server_reply *rep);
enum server_outcome server_volunteer_entry(struct server_request *req,
					   struct server_reply *rep);
enum server_outcome server_volunteer_differences(struct server_request *req,
						 struct server_reply *rep);
enum server_outcome server_volunteer_settle(struct server_request *req,
					    struct server_reply *rep);

#endif
