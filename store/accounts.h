/*
 * accounts.h - the accounts of volunteers and board members, and the
 * server's own secret keys.
 *
 * Volunteers enter paper forms and check scans; board members also see
 * the results and settle double entries that differ.  Passwords are
 * stored only as argon2id hashes (libsodium's crypto_pwhash_str,
 * interactive limits), made and checked here, so no caller ever holds a
 * hash.  Invariants: a name is 1 to 40 letters, digits, '.', '-', '_',
 * and names one account; nothing but this file writes account or
 * server_key.
 */
#ifndef DRAAGVLAK_STORE_ACCOUNTS_H
#define DRAAGVLAK_STORE_ACCOUNTS_H

#include <stdbool.h>

#include "store.h"
#include "strbuf.h"

/* Shortest password accepted, in bytes. */
#define STORE_MIN_PASSWORD 10

enum store_role { STORE_ROLE_VOLUNTEER, STORE_ROLE_BOARD };

/* "volunteer" / "board" and back; -1 for another name. */
const char *store_role_name(enum store_role role);
int store_role_parse(const char *name, enum store_role *role);

/* Whether name can be an account name. */
bool store_account_name_valid(const char *name);

/*
 * Add an account.  STORE_OK; STORE_INVALID when the name cannot be one
 * (store_account_name_valid()) or the password is shorter than
 * STORE_MIN_PASSWORD; STORE_EXISTS when the name is taken; STORE_ERROR.
 */
int store_account_add(struct store *st, const char *name, enum store_role role,
		      const char *password, struct strbuf *err);
/*
 * The same, for organisation org of a host store (host.h); NULL: none
 * (the host's administrator, or any account of a single-survey store).
 * STORE_NOT_FOUND when there is no such organisation.
 */
int store_account_add_in(struct store *st, const char *name,
			 enum store_role role, const char *org,
			 const char *password, struct strbuf *err);
/* Remove an account: STORE_OK, STORE_NOT_FOUND, STORE_ERROR. */
int store_account_remove(struct store *st, const char *name,
			 struct strbuf *err);

/*
 * Whether the account name exists, with its role in *role: STORE_OK,
 * STORE_NOT_FOUND or STORE_ERROR.
 */
int store_account_role(struct store *st, const char *name,
		       enum store_role *role, struct strbuf *err);

typedef int (*store_account_fn)(const char *name, enum store_role role,
				const char *created_at, void *data);
/*
 * Call fn for every account by name that viewer may see (those of
 * viewer's organisation, host.h; every account when viewer is NULL);
 * returns STORE_OK, fn's non-zero value, or STORE_ERROR.
 */
int store_account_each(struct store *st, const char *viewer,
		       store_account_fn fn, void *data, struct strbuf *err);

/*
 * Check a password: STORE_OK with *role when name has password,
 * STORE_NOT_FOUND when not (whether or not the name exists: both take as
 * long, the time of one argon2id hash), STORE_ERROR.
 */
int store_account_check(struct store *st, const char *name,
			const char *password, enum store_role *role,
			struct strbuf *err);

/*
 * The server key called name (32 bytes), made from random bytes and
 * stored the first time it is asked for, so that what it signs stays
 * valid across a restart.  STORE_OK or STORE_ERROR.
 */
int store_server_key(struct store *st, const char *name, unsigned char key[32],
		     struct strbuf *err);

#endif
