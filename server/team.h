/*
 * team.h - the board manages its volunteers and board members in the
 * browser, with no shell:
 *
 *   GET  /bestuur/vrijwilligers      accounts, open invitations, and
 *                                    what changed (who did what, when)
 *   POST /bestuur/vrijwilligers      action=invite (name, role): a
 *                                    one-time link the board member
 *                                    copies to the person; action=remove
 *                                    (name); action=cancel (name)
 *   GET  /uitnodiging/TOKEN          the invited person chooses a
 *   POST /uitnodiging/TOKEN          password; then the account exists
 *
 * The board pages are the router's to guard (board role, CSRF).  The
 * invitation page needs no session: its token (store/invitations.h) is
 * the credential, and its form carries an HMAC of the token as CSRF
 * token.  A removed account's sessions end at once; a board member
 * cannot remove their own account, so a board is never locked out by
 * a slip.  Changes go through the writer (rare board actions).
 */
#ifndef DRAAGVLAK_SERVER_TEAM_H
#define DRAAGVLAK_SERVER_TEAM_H

#include "http.h"

/* How long an invitation stays valid. */
#define SERVER_INVITATION_DAYS 7

/* The card with a fresh invitation's link, to copy once. */
void server_team_add_link(struct server_request *req, struct strbuf *out,
			  const char *link);
/* The link of an invitation, on the address the inviter used. */
void server_team_invitation_url(struct server_request *req, const char *token,
				struct strbuf *out);

enum server_outcome server_team_page(struct server_request *req,
				     struct server_reply *rep);
enum server_outcome server_team_invitation(struct server_request *req,
					   struct server_reply *rep);

#endif
