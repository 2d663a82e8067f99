/*
 * session.h - log-in sessions of volunteers and board members, and the
 * CSRF tokens of every form that changes something.
 *
 * A session is 32 random bytes, kept in memory only: a restart logs
 * everyone out, which costs a volunteer one log-in and keeps the store
 * free of live credentials.  It ends after two idle hours, after twelve
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
};

struct server_sessions;

struct server_sessions *server_sessions_new(void);
void server_sessions_free(struct server_sessions *ss);

/* Start a session for user, in lang; fills *out. */
void server_session_create(struct server_sessions *ss, const char *user,
			   enum store_role role, enum survey_lang lang,
			   struct server_session *out);
/* Find the live session id and refresh it; false when none. */
bool server_session_get(struct server_sessions *ss, const char *id,
			struct server_session *out);
void server_session_end(struct server_sessions *ss, const char *id);
/* End every session of user (an account that was removed). */
void server_sessions_end_user(struct server_sessions *ss, const char *user);
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
