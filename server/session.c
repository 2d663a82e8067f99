/*
 * session.c - sessions in memory and CSRF tokens (see session.h).
 *
 * A board has a handful of volunteers, so the sessions are a short array
 * searched in full with sodium_memcmp(): no early exit tells a guesser
 * how close an id came.
 */
#include "session.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"
#include "banned.h"

#define IDLE_S	   (2 * 3600)
#define ABSOLUTE_S (12 * 3600)

struct entry {
	struct server_session s;
	time_t created, used;
};

struct server_sessions {
	pthread_mutex_t lock;
	struct entry *e;
	size_t nr, alloc;
};

static time_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void random_hex(char out[SERVER_TOKEN_HEX])
{
	unsigned char b[32];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, SERVER_TOKEN_HEX, b, sizeof(b));
}

struct server_sessions *server_sessions_new(void)
{
	struct server_sessions *ss = xcalloc(1, sizeof(*ss));

	pthread_mutex_init(&ss->lock, NULL);
	return ss;
}

void server_sessions_free(struct server_sessions *ss)
{
	if (!ss)
		return;
	sodium_memzero(ss->e, ss->alloc * sizeof(*ss->e));
	free(ss->e);
	pthread_mutex_destroy(&ss->lock);
	free(ss);
}

/* Drop expired sessions; call with the lock held. */
static void expire(struct server_sessions *ss, time_t t)
{
	size_t k = 0;

	for (size_t i = 0; i < ss->nr; i++) {
		if (t - ss->e[i].used > IDLE_S ||
		    t - ss->e[i].created > ABSOLUTE_S)
			continue;
		ss->e[k++] = ss->e[i];
	}
	ss->nr = k;
}

void server_session_create(struct server_sessions *ss, const char *user,
			   enum store_role role, enum survey_lang lang,
			   struct server_session *out)
{
	struct entry e;

	memset(&e, 0, sizeof(e));
	random_hex(e.s.id);
	random_hex(e.s.csrf);
	snprintf(e.s.user, sizeof(e.s.user), "%s", user);
	e.s.role = role;
	e.s.lang = lang;
	e.created = e.used = now();
	pthread_mutex_lock(&ss->lock);
	expire(ss, e.created);
	ALLOC_GROW(ss->e, ss->nr + 1, ss->alloc);
	ss->e[ss->nr++] = e;
	pthread_mutex_unlock(&ss->lock);
	*out = e.s;
}

/*
 * The live entry of id, or NULL; under ss->lock.  Every entry is compared
 * (in constant time), so the time taken does not tell which one matched.
 */
static struct entry *find_locked(struct server_sessions *ss, const char *id)
{
	struct entry *found = NULL;

	if (!id || strlen(id) != SERVER_TOKEN_HEX - 1)
		return NULL;
	for (size_t i = 0; i < ss->nr; i++)
		if (!sodium_memcmp(ss->e[i].s.id, id, SERVER_TOKEN_HEX - 1))
			found = &ss->e[i];
	return found;
}

bool server_session_get(struct server_sessions *ss, const char *id,
			struct server_session *out)
{
	time_t t = now();
	struct entry *e;

	pthread_mutex_lock(&ss->lock);
	expire(ss, t);
	e = find_locked(ss, id);
	if (e) {
		e->used = t;
		*out = e->s;
	}
	pthread_mutex_unlock(&ss->lock);
	return e != NULL;
}

void server_session_set_lang(struct server_sessions *ss, const char *id,
			     enum survey_lang lang)
{
	struct entry *e;

	pthread_mutex_lock(&ss->lock);
	e = find_locked(ss, id);
	if (e)
		e->s.lang = lang;
	pthread_mutex_unlock(&ss->lock);
}

void server_session_end(struct server_sessions *ss, const char *id)
{
	size_t k = 0;

	if (!id || strlen(id) != SERVER_TOKEN_HEX - 1)
		return;
	pthread_mutex_lock(&ss->lock);
	for (size_t i = 0; i < ss->nr; i++)
		if (sodium_memcmp(ss->e[i].s.id, id, SERVER_TOKEN_HEX - 1))
			ss->e[k++] = ss->e[i];
	ss->nr = k;
	pthread_mutex_unlock(&ss->lock);
}

void server_sessions_end_user(struct server_sessions *ss, const char *user)
{
	size_t k = 0;

	pthread_mutex_lock(&ss->lock);
	for (size_t i = 0; i < ss->nr; i++)
		if (strcmp(ss->e[i].s.user, user))
			ss->e[k++] = ss->e[i];
	ss->nr = k;
	pthread_mutex_unlock(&ss->lock);
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
