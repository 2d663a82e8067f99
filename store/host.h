/*
 * host.h - one server for many surveys: the host's store.
 *
 * A municipality hosts the surveys of many platforms on one server
 * (`draagvlak serve --data DIR`).  DIR holds one store per survey, as
 * `draagvlak init` makes them, and one host store, DIR/host.db, that
 * says which surveys there are and whose they are, and holds every
 * account of the server:
 *
 *   organisation   a platform or buurtvereniging, by its slug;
 *   host_survey    a survey: its slug, its organisation, its file
 *                  (a name inside DIR, never a path);
 *   account        belongs to one organisation, as a volunteer or its
 *                  board; an account without one is the host's
 *                  administrator.
 *
 * The host store has the survey store's schema (so the accounts,
 * sessions and invitations of accounts.h, sessions.h and
 * invitations.h work on it unchanged) but no survey in it; meta 'host'
 * marks it.  Accounts see only their own organisation: every listing
 * of accounts and invitations is made for a viewer, and every change
 * is made by an actor, and both are held to the viewer's or actor's
 * organisation in the SQL itself (invitations.h).  In a single-survey
 * store every account has no organisation, so all see each other, as
 * before.
 *
 * Invariants: nothing but this file writes organisation or host_survey.
 */
#ifndef DRAAGVLAK_STORE_HOST_H
#define DRAAGVLAK_STORE_HOST_H

#include <stdbool.h>

#include "accounts.h"
#include "store.h"
#include "strbuf.h"

/* Longest slug, and the size of a buffer for one with its NUL. */
#define STORE_SLUG_MAX	40
#define STORE_SLUG_SIZE (STORE_SLUG_MAX + 1)

/*
 * Whether s can be a slug: 1 to STORE_SLUG_MAX of a-z, 0-9 and '-',
 * not starting or ending with '-'.  Slugs appear in URLs and file names.
 */
bool store_host_slug_valid(const char *s);

/*
 * Make st (fresh, holding no survey) a host store: STORE_OK; STORE_REFUSED
 * when it holds a survey; STORE_ERROR.  Doing it again is STORE_OK.
 */
int store_host_init(struct store *st, struct strbuf *err);
/* Whether st is a host store. */
bool store_is_host(struct store *st);

/*
 * Add an organisation: STORE_OK; STORE_INVALID (slug not valid, or no
 * name); STORE_EXISTS; STORE_ERROR.
 */
int store_host_org_add(struct store *st, const char *slug, const char *name,
		       struct strbuf *err);
/*
 * The name of organisation slug copied into name (at most size bytes):
 * STORE_OK, STORE_NOT_FOUND, STORE_ERROR.
 */
int store_host_org_name(struct store *st, const char *slug, char *name,
			size_t size, struct strbuf *err);

typedef int (*store_host_org_fn)(const char *slug, const char *name,
				 void *data);
/* fn for every organisation by slug: STORE_OK, fn's non-zero, ERROR. */
int store_host_org_each(struct store *st, store_host_org_fn fn, void *data,
			struct strbuf *err);

/*
 * Register the survey slug of organisation org, kept in file (a plain
 * file name inside the host's folder: no '/', not starting with '.').
 * STORE_OK; STORE_INVALID (slug or file not acceptable); STORE_NOT_FOUND
 * (no such organisation); STORE_EXISTS (slug or file taken); STORE_ERROR.
 */
int store_host_survey_add(struct store *st, const char *slug, const char *org,
			  const char *file, struct strbuf *err);

typedef int (*store_host_survey_fn)(const char *slug, const char *org,
				    const char *file, void *data);
/*
 * fn for every survey (of org, or of all when org is NULL), by
 * organisation and slug: STORE_OK, fn's non-zero value, STORE_ERROR.
 */
int store_host_survey_each(struct store *st, const char *org,
			   store_host_survey_fn fn, void *data,
			   struct strbuf *err);

/*
 * The organisation of account name, copied into org (empty for none):
 * STORE_OK, STORE_NOT_FOUND (no such account), STORE_ERROR.
 */
int store_account_organisation(struct store *st, const char *name,
			       char org[STORE_SLUG_SIZE], struct strbuf *err);

#endif
