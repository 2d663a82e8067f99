/*
 * session.c - staff sessions in the store, and CSRF tokens (see
 * session.h).
 *
 * A look-up is one read by primary key on a reader from the pool; a
 * session's "last used" is written (through the writer, without waiting)
 * only when it is a minute old, so that reading pages costs no write.
 */
#include "session.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "sessions.h"
#include "xalloc.h"
#include "banned.h"

#define IDLE_S	   (2 * 3600)
#define ABSOLUTE_S (12 * 3600)
#define TOUCH_S	   60

struct server_sessions {
	struct server *srv;
};

static long long now(void)
{
	return (long long)time(NULL);
}

static void random_hex(char out[SERVER_TOKEN_HEX])
{
	unsigned char b[32];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, SERVER_TOKEN_HEX, b, sizeof(b));
	sodium_memzero(b, sizeof(b));
}

/* The hash the store knows id by; false when id cannot be one. */
static bool id_hash(const char *id, unsigned char h[STORE_SESSION_HASH])
{
	if (!id || strlen(id) != SERVER_TOKEN_HEX - 1)
		return false;
	crypto_hash_sha256(h, (const unsigned char *)id, SERVER_TOKEN_HEX - 1);
	return true;
}

struct server_sessions *server_sessions_new(struct server *srv)
{
	struct server_sessions *ss = xcalloc(1, sizeof(*ss));

	ss->srv = srv;
	return ss;
}

void server_sessions_free(struct server_sessions *ss)
{
	free(ss);
}

/* ---- writes ------------------------------------------------------------- */

struct change {
	struct store_write_job job;
	unsigned char hash[STORE_SESSION_HASH];
	const char *user, *csrf, *survey;
	int lang;
	enum { ADD, TOUCH, LANG, SURVEY, END } what;
};

static int run_change(struct store *st, void *arg, struct strbuf *err)
{
	struct change *c = arg;

	switch (c->what) {
	case ADD:
		return store_session_add(st, c->hash, c->user, c->csrf, c->lang,
					 now(), err);
	case TOUCH:
		return store_session_touch(st, c->hash, now(), IDLE_S,
					   ABSOLUTE_S, err);
	case LANG: return store_session_set_lang(st, c->hash, c->lang, err);
	case SURVEY:
		return store_session_set_survey(st, c->hash, c->survey, err);
	case END: return store_session_end(st, c->hash, err);
	}
	return STORE_ERROR;
}

static void change_done(void *arg, int rc)
{
	struct change *c = arg;

	if (rc == STORE_ERROR)
		fprintf(stderr, "draagvlak serve: session: %s\n",
			c->job.err.len ? c->job.err.buf : "failed");
	strbuf_release(&c->job.err);
	sodium_memzero(c, sizeof(*c));
	free(c);
}

/* Without waiting: losing a touch costs nobody much. */
static void submit(struct server_sessions *ss, const unsigned char *hash,
		   int what)
{
	struct change *c = xcalloc(1, sizeof(*c));

	memcpy(c->hash, hash, STORE_SESSION_HASH);
	c->what = what;
	c->job.run = run_change;
	c->job.done = change_done;
	c->job.arg = c;
	strbuf_init(&c->job.err, 0);
	store_writer_submit(ss->srv->staff->writer, &c->job);
}

bool server_session_create(struct server_sessions *ss, const char *user,
			   enum store_role role, enum survey_lang lang,
			   struct server_session *out)
{
	struct change c;
	struct strbuf err = STRBUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	random_hex(out->id);
	random_hex(out->csrf);
	snprintf(out->user, sizeof(out->user), "%s", user);
	out->role = role;
	out->lang = lang;
	memset(&c, 0, sizeof(c));
	id_hash(out->id, c.hash);
	c.what = ADD;
	c.user = out->user;
	c.csrf = out->csrf;
	c.lang = (int)lang;
	/* A log-in waits for its session to be on disk. */
	rc = store_writer_run(ss->srv->staff->writer, run_change, &c, &err);
	if (rc != STORE_OK)
		fprintf(stderr, "draagvlak serve: session: %s\n",
			err.len ? err.buf : "account gone");
	strbuf_release(&err);
	sodium_memzero(&c, sizeof(c));
	return rc == STORE_OK;
}

bool server_session_get(struct server_sessions *ss, const char *id,
			struct server_session *out)
{
	unsigned char h[STORE_SESSION_HASH];
	struct store_session s;
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	long long t = now();
	int rc;

	if (!id_hash(id, h))
		return false;
	st = server_store_get(ss->srv->staff);
	rc = st ? store_session_get(st, h, t, IDLE_S, ABSOLUTE_S, &s, &err)
		: STORE_ERROR;
	server_store_put(ss->srv->staff, st);
	if (rc == STORE_ERROR && err.len)
		fprintf(stderr, "draagvlak serve: session: %s\n", err.buf);
	strbuf_release(&err);
	if (rc != STORE_OK)
		return false;
	memset(out, 0, sizeof(*out));
	snprintf(out->id, sizeof(out->id), "%s", id);
	snprintf(out->csrf, sizeof(out->csrf), "%s", s.csrf);
	snprintf(out->user, sizeof(out->user), "%s", s.account);
	out->role = s.role;
	snprintf(out->organisation, sizeof(out->organisation), "%s",
		 s.organisation);
	snprintf(out->survey, sizeof(out->survey), "%s", s.survey);
	out->lang = s.lang >= 0 && s.lang < SURVEY_NLANG
			    ? (enum survey_lang)s.lang
			    : SURVEY_NL;
	if (t - s.used >= TOUCH_S)
		submit(ss, h, TOUCH);
	sodium_memzero(&s, sizeof(s));
	return true;
}

void server_session_set_lang(struct server_sessions *ss, const char *id,
			     enum survey_lang lang)
{
	struct change c;
	struct strbuf err = STRBUF_INIT;

	memset(&c, 0, sizeof(c));
	if (!id_hash(id, c.hash))
		return;
	c.what = LANG;
	c.lang = (int)lang;
	/* Waited for: the next page must already be in it. */
	if (store_writer_run(ss->srv->staff->writer, run_change, &c, &err) !=
	    STORE_OK)
		fprintf(stderr, "draagvlak serve: session: %s\n",
			err.len ? err.buf : "failed");
	strbuf_release(&err);
}

bool server_session_set_survey(struct server_sessions *ss, const char *id,
			       const char *survey)
{
	struct change c;
	struct strbuf err = STRBUF_INIT;
	int rc;

	memset(&c, 0, sizeof(c));
	if (!id_hash(id, c.hash))
		return false;
	c.what = SURVEY;
	c.survey = survey;
	/* Waited for: the next page works on it. */
	rc = store_writer_run(ss->srv->staff->writer, run_change, &c, &err);
	if (rc != STORE_OK)
		fprintf(stderr, "draagvlak serve: session: %s\n",
			err.len ? err.buf : "failed");
	strbuf_release(&err);
	return rc == STORE_OK;
}

void server_session_end(struct server_sessions *ss, const char *id)
{
	unsigned char h[STORE_SESSION_HASH];
	struct change c;
	struct strbuf err = STRBUF_INIT;

	if (!id_hash(id, h))
		return;
	memset(&c, 0, sizeof(c));
	memcpy(c.hash, h, sizeof(h));
	c.what = END;
	/* Logged out means gone before the page says so. */
	if (store_writer_run(ss->srv->staff->writer, run_change, &c, &err) !=
	    STORE_OK)
		fprintf(stderr, "draagvlak serve: session: %s\n",
			err.len ? err.buf : "failed");
	strbuf_release(&err);
}

void server_csrf_key_init(struct server_csrf_key *k,
			  const unsigned char key[32])
{
	crypto_auth_hmacsha256_init(&k->keyed, key, 32);
	crypto_auth_hmacsha256_update(&k->keyed,
				      (const unsigned char *)"resident:", 9);
}

void server_csrf_resident(const struct server_csrf_key *k, const char *code,
			  char out[SERVER_TOKEN_HEX])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st = k->keyed;

	crypto_auth_hmacsha256_update(&st, (const unsigned char *)code,
				      strlen(code));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, SERVER_TOKEN_HEX, mac, sizeof(mac));
}

bool server_csrf_equal(const char *sent, const char *expected)
{
	return sent && strlen(sent) == SERVER_TOKEN_HEX - 1 &&
	       !sodium_memcmp(sent, expected, SERVER_TOKEN_HEX - 1);
}
