/*
 * accounts.c - accounts with argon2id password hashes (see accounts.h).
 */
#include "accounts.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "banned.h"

const char *server_role_name(enum server_role role)
{
	return role == SERVER_ROLE_BOARD ? "board" : "volunteer";
}

int server_role_parse(const char *name, enum server_role *role)
{
	if (!strcmp(name, "volunteer"))
		*role = SERVER_ROLE_VOLUNTEER;
	else if (!strcmp(name, "board"))
		*role = SERVER_ROLE_BOARD;
	else
		return -1;
	return 0;
}

static bool valid_name(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 40)
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-_", *p))
			return false;
	return true;
}

int server_account_add(struct survey_store *st, const char *name,
		       enum server_role role, const char *password,
		       struct strbuf *err)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *stmt = NULL;
	int rc, ret = -1;

	if (!valid_name(name)) {
		strbuf_addf(err,
			    "'%s' cannot be an account name: use 1 to 40 "
			    "letters, digits, '.', '-' or '_'",
			    name);
		return -1;
	}
	if (strlen(password) < SERVER_MIN_PASSWORD) {
		strbuf_addf(err, "a password needs at least %d characters",
			    SERVER_MIN_PASSWORD);
		return -1;
	}
	if (sodium_init() < 0 ||
	    crypto_pwhash_str(hash, password, strlen(password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		strbuf_addstr(err, "cannot hash the password (out of memory?)");
		return -1;
	}
	stmt = survey_store_prepare(
		st, "INSERT INTO account(name, role, pwhash) VALUES (?, ?, ?)",
		err);
	if (!stmt)
		goto out;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, server_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		strbuf_addf(err, "there is already an account '%s'", name);
		goto out;
	}
	if (rc != SQLITE_DONE) {
		survey_store_error(st, err);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(stmt);
	sodium_memzero(hash, sizeof(hash));
	return ret;
}

int server_account_remove(struct survey_store *st, const char *name,
			  struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st, "DELETE FROM account WHERE name = ?", err);
	int ret = -1;

	if (!stmt)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		survey_store_error(st, err);
	else if (!sqlite3_changes(st->db))
		strbuf_addf(err, "there is no account '%s'", name);
	else
		ret = 0;
	sqlite3_finalize(stmt);
	return ret;
}

int server_account_each(struct survey_store *st, server_account_fn fn,
			void *data, struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st, "SELECT name, role, created_at FROM account ORDER BY name",
		err);
	int rc, ret = 0;

	if (!stmt)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		enum server_role role = SERVER_ROLE_VOLUNTEER;

		server_role_parse((const char *)sqlite3_column_text(stmt, 1),
				  &role);
		ret = fn((const char *)sqlite3_column_text(stmt, 0), role,
			 (const char *)sqlite3_column_text(stmt, 2), data);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE) {
		survey_store_error(st, err);
		ret = -1;
	}
	sqlite3_finalize(stmt);
	return ret;
}

/*
 * An unknown name is checked against a hash of nothing in particular, so
 * that it takes as long as a wrong password.
 */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	if (crypto_pwhash_str(dummy, "no such account", 15,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy[0] = '\0';
}

int server_account_check(struct survey_store *st, const char *name,
			 const char *password, enum server_role *role,
			 struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st, "SELECT role, pwhash FROM account WHERE name = ?", err);
	int ok = 0;

	if (!stmt)
		return -1;
	pthread_once(&dummy_once, make_dummy);
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *hash = (const char *)sqlite3_column_text(stmt, 1);

		ok = crypto_pwhash_str_verify(hash, password,
					      strlen(password)) == 0;
		if (ok)
			server_role_parse(
				(const char *)sqlite3_column_text(stmt, 0),
				role);
	} else if (dummy[0]) {
		if (crypto_pwhash_str_verify(dummy, password,
					     strlen(password)) == 0)
			ok = 0; /* never: the dummy has no password */
	}
	sqlite3_finalize(stmt);
	return ok;
}
