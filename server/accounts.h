/*
 * accounts.h - the accounts of volunteers and board members.
 *
 * Volunteers enter paper forms; board members also settle double entries
 * that differ.  Passwords are stored only as argon2id hashes (libsodium's
 * crypto_pwhash_str, interactive limits).  Accounts live in the store's
 * account table, so `draagvlak user` and the server share them.
 */
#ifndef DRAAGVLAK_SERVER_ACCOUNTS_H
#define DRAAGVLAK_SERVER_ACCOUNTS_H

#include "session.h"
#include "store.h"
#include "strbuf.h"

/* Shortest password accepted, in bytes. */
#define SERVER_MIN_PASSWORD 10

/* "volunteer" / "board" and back; -1 for another name. */
const char *server_role_name(enum server_role role);
int server_role_parse(const char *name, enum server_role *role);

/*
 * Add an account.  name: 1-40 letters, digits, '.', '-', '_'.  Returns 0,
 * or -1 with a sentence in err (also when the name is taken).
 */
int server_account_add(struct survey_store *st, const char *name,
		       enum server_role role, const char *password,
		       struct strbuf *err);
/* Remove an account; -1 with err when there is none of that name. */
int server_account_remove(struct survey_store *st, const char *name,
			  struct strbuf *err);

typedef int (*server_account_fn)(const char *name, enum server_role role,
				 const char *created_at, void *data);
/* Call fn for every account by name; returns 0, fn's non-zero, or -1. */
int server_account_each(struct survey_store *st, server_account_fn fn,
			void *data, struct strbuf *err);

/*
 * Check a password.  Returns 1 and sets *role when name has password, 0
 * when not (no matter whether the name exists: both take as long), -1 on
 * a store error with err.
 */
int server_account_check(struct survey_store *st, const char *name,
			 const char *password, enum server_role *role,
			 struct strbuf *err);

#endif
