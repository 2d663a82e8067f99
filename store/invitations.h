/*
 * invitations.h - one-time invitations to an account, and the record of
 * who added, invited and removed whom.
 *
 * A board member invites someone by name and role; the invitation is a
 * random 32-byte token (64 hex digits) that the board member copies to
 * the person, who opens it and chooses a password: only then does the
 * account exist.  The store keeps the token's SHA-256, never the token,
 * so whoever reads the file cannot accept an invitation; it works once,
 * and not after it expires.  Invariants: a name has at most one open
 * invitation, and never one while an account has that name; accepting
 * makes the account and removes the invitation in one transaction.
 * Nothing but this file writes invitation or account_event.
 */
#ifndef DRAAGVLAK_STORE_INVITATIONS_H
#define DRAAGVLAK_STORE_INVITATIONS_H

#include <time.h>

#include "accounts.h"
#include "store.h"
#include "strbuf.h"

/* An invitation token in hex, with its NUL. */
#define STORE_INVITATION_HEX 65

/*
 * Invite name as role on behalf of by, valid until expires (seconds since
 * the epoch); the token in token (give it to the person; it is not kept).
 * An open invitation of the same name is replaced.  STORE_OK;
 * STORE_INVALID when the name cannot be an account's; STORE_EXISTS when
 * an account has the name; STORE_ERROR.
 */
int store_invitation_create(struct store *st, const char *name,
			    enum store_role role, const char *by,
			    time_t expires, char token[STORE_INVITATION_HEX],
			    struct strbuf *err);

/*
 * The same, into organisation org of a host store (host.h): how the
 * host's administrator invites an organisation's first board member.
 * NULL org: by's own, as above.
 */
int store_invitation_create_in(struct store *st, const char *name,
			       enum store_role role, const char *by,
			       const char *org, time_t expires,
			       char token[STORE_INVITATION_HEX],
			       struct strbuf *err);

/*
 * The open invitation of token at time now: its name (copied, at most
 * 41 bytes) and role.  STORE_OK, STORE_NOT_FOUND (unknown, used or
 * expired), STORE_ERROR.
 */
int store_invitation_find(struct store *st, const char *token, time_t now,
			  char name[41], enum store_role *role,
			  struct strbuf *err);

/*
 * Accept the invitation of token at time now with password: the account
 * is made, the invitation gone.  STORE_OK with its name and role;
 * STORE_NOT_FOUND as above; STORE_INVALID when the password is shorter
 * than STORE_MIN_PASSWORD; STORE_EXISTS when the name was taken
 * meanwhile; STORE_ERROR.
 */
int store_invitation_accept(struct store *st, const char *token, time_t now,
			    const char *password, char name[41],
			    enum store_role *role, struct strbuf *err);

/* Withdraw name's open invitation (by whom, for the record). */
int store_invitation_cancel(struct store *st, const char *name, const char *by,
			    struct strbuf *err);

typedef int (*store_invitation_fn)(const char *name, enum store_role role,
				   const char *invited_by, time_t expires,
				   void *data);
/*
 * Every open invitation at time now that viewer may see (those of its
 * organisation, host.h; all when viewer is NULL), by name.
 */
int store_invitation_each(struct store *st, const char *viewer, time_t now,
			  store_invitation_fn fn, void *data,
			  struct strbuf *err);

/*
 * Remove the account name on behalf of by, and record it.  STORE_OK,
 * STORE_NOT_FOUND (also when name is another organisation's, host.h),
 * STORE_ERROR.  Withdrawing an invitation is likewise held to by's
 * organisation.
 */
int store_account_remove_by(struct store *st, const char *name, const char *by,
			    struct strbuf *err);

typedef int (*store_account_event_fn)(const char *at, const char *actor,
				      const char *action, const char *name,
				      enum store_role role, void *data);
/* The latest limit events viewer may see (as above), newest first. */
int store_account_events(struct store *st, const char *viewer, unsigned limit,
			 store_account_event_fn fn, void *data,
			 struct strbuf *err);

#endif
