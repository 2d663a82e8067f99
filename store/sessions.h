/*
 * sessions.h - the log-in sessions of volunteers and board members, and
 * the record of who looked at a household's online answers.
 *
 * A session survives a restart of the server: it is kept in the store,
 * but only as a hash of its id (SHA-256 of 32 random bytes: a copy of
 * the store does not log anyone in).  It belongs to an account, and
 * ends with it: removing the account removes its sessions (a foreign key
 * ON DELETE CASCADE), and every look-up joins the account, so a session
 * also takes the account's role as it is now.  Expiry is decided by the
 * caller's limits, against wall-clock seconds, in the look-up itself.
 *
 * answer_view: a board member who opens a household's online answers
 * (to decide between paper and online) leaves a row: who, which
 * household, when.  Nothing is ever deleted from it.
 *
 * Invariants: nothing but this file writes staff_session or answer_view.
 */
#ifndef DRAAGVLAK_STORE_SESSIONS_H
#define DRAAGVLAK_STORE_SESSIONS_H

#include "accounts.h"
#include "store.h"
#include "strbuf.h"

#define STORE_SESSION_HASH 32 /* bytes of a session id's hash */

struct store_session {
	char account[64];
	enum store_role role;
	char csrf[65];
	int lang;		 /* enum survey_lang */
	long long created, used; /* seconds since 1970 */
	char organisation[41];	 /* the account's (host.h); "" for none */
	char survey[41];	 /* the survey it works on (host.h), or "" */
};

/* Start a session: STORE_OK, STORE_NOT_FOUND (no such account), ERROR. */
int store_session_add(struct store *st,
		      const unsigned char hash[STORE_SESSION_HASH],
		      const char *account, const char *csrf, int lang,
		      long long now, struct strbuf *err);
/*
 * The session of hash when it is live at now (used within idle_s, made
 * within absolute_s, and its account still there): STORE_OK with *out,
 * STORE_NOT_FOUND, STORE_ERROR.
 */
int store_session_get(struct store *st,
		      const unsigned char hash[STORE_SESSION_HASH],
		      long long now, long long idle_s, long long absolute_s,
		      struct store_session *out, struct strbuf *err);
/* Mark it used at now, and drop every session expired by then. */
int store_session_touch(struct store *st,
			const unsigned char hash[STORE_SESSION_HASH],
			long long now, long long idle_s, long long absolute_s,
			struct strbuf *err);
int store_session_set_lang(struct store *st,
			   const unsigned char hash[STORE_SESSION_HASH],
			   int lang, struct strbuf *err);
/* Set the survey the session works on (a host's slug; NULL: none). */
int store_session_set_survey(struct store *st,
			     const unsigned char hash[STORE_SESSION_HASH],
			     const char *survey, struct strbuf *err);
/* End it (log-out); STORE_OK also when there was none. */
int store_session_end(struct store *st,
		      const unsigned char hash[STORE_SESSION_HASH],
		      struct strbuf *err);

/* End every session of account (also done by removing the account). */
int store_session_end_account(struct store *st, const char *account,
			      struct strbuf *err);

/* Record that account saw household's online answers, for why. */
int store_answer_view_note(struct store *st, const char *account,
			   long long household, const char *why,
			   struct strbuf *err);

#endif
