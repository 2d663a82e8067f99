/*
 * session.h - log-in sessions of volunteers and board members, and the
 * CSRF tokens of every form that changes something.
 *
 * A session is 32 random bytes.  The store keeps it as the hash of its
 * id (store/sessions.h), so that a restart logs nobody out and a copy of
 * the store logs nobody in.  Every request looks it up there, joined to
 * its account: a removed account's sessions end at once, and a changed
 * role counts at once.  It ends after two idle hours, after twelve
 * hours in any case, and at log-out.  Its id travels in a cookie that is
 * HttpOnly, SameSite=Strict, and Secure when the server speaks TLS.
 *
 * CSRF: a session has a random token of its own; a resident's form has
 * HMAC-SHA256(server key, code), so that it needs no server-side state
 * and stays valid across a restart.  Tokens are compared in constant time.
 */
#ifndef DRAAGVLAK_SERVER_SESSION_H
#define DRAAGVLAK_SERVER_SESSION_H

#include <sodium.h>
#include <stdbool.h>

#include "accounts.h"
#include "lang.h"

#define SERVER_SESSION_COOKIE "draagvlak_sessie"
#define SERVER_TOKEN_HEX      65 /* 32 bytes in hex, with the NUL */

struct server_session {
	char id[SERVER_TOKEN_HEX];
	char csrf[SERVER_TOKEN_HEX];
	char user[64];
	enum store_role role;
	enum survey_lang lang; /* of the staff pages: chosen, then kept */
	/* On a host (store/host.h): the account's organisation and the
	 * survey the session works on; both "" when serving one store. */
	char organisation[41];
	char survey[41];
};

struct server;
struct server_sessions;

/* Sessions of srv, kept in its staff store (http.h) through its readers
 * and writer. */
struct server_sessions *server_sessions_new(struct server *srv);
void server_sessions_free(struct server_sessions *ss);

/* Start a session for user, in lang; fills *out.  false: store failed. */
bool server_session_create(struct server_sessions *ss, const char *user,
			   enum store_role role, enum survey_lang lang,
			   struct server_session *out);
/*
 * Find the live session id and refresh it; false when none (or the store
 * failed: that is logged).
 */
bool server_session_get(struct server_sessions *ss, const char *id,
			struct server_session *out);
void server_session_end(struct server_sessions *ss, const char *id);
/* The live session id works on survey (a host's slug) from now on. */
bool server_session_set_survey(struct server_sessions *ss, const char *id,
			       const char *survey);
/* The live session id's pages are in lang from now on. */
void server_session_set_lang(struct server_sessions *ss, const char *id,
			     enum survey_lang lang);

/*
 * The server key of resident tokens, made ready once: HMAC's state after
 * the key and the "resident:" prefix, so that a token costs two SHA-256
 * blocks instead of four.
 */
struct server_csrf_key {
	crypto_auth_hmacsha256_state keyed;
};

void server_csrf_key_init(struct server_csrf_key *k,
			  const unsigned char key[32]);
/* The CSRF token of a resident's form for the canonical code. */
void server_csrf_resident(const struct server_csrf_key *k, const char *code,
			  char out[SERVER_TOKEN_HEX]);
/* Whether the token a form sent (may be NULL) is expected. */
bool server_csrf_equal(const char *sent, const char *expected);

#endif
