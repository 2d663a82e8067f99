/*
 * accounts.c - accounts with argon2id password hashes, and server keys
 * (see accounts.h).
 */
#include "accounts.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "host.h"
#include "internal.h"
#include "banned.h"

const char *store_role_name(enum store_role role)
{
	return role == STORE_ROLE_BOARD ? "board" : "volunteer";
}

int store_role_parse(const char *name, enum store_role *role)
{
	if (!strcmp(name, "volunteer"))
		*role = STORE_ROLE_VOLUNTEER;
	else if (!strcmp(name, "board"))
		*role = STORE_ROLE_BOARD;
	else
		return -1;
	return 0;
}

bool store_account_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 40)
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-_", *p))
			return false;
	return true;
}

int store_account_add(struct store *st, const char *name, enum store_role role,
		      const char *password, struct strbuf *err)
{
	return store_account_add_in(st, name, role, NULL, password, err);
}

int store_account_add_in(struct store *st, const char *name,
			 enum store_role role, const char *org,
			 const char *password, struct strbuf *err)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *stmt;
	int rc, ret = STORE_ERROR;

	if (!store_account_name_valid(name) ||
	    strlen(password) < STORE_MIN_PASSWORD)
		return STORE_INVALID;
	if (sodium_init() < 0 ||
	    crypto_pwhash_str(hash, password, strlen(password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		strbuf_addstr(err, "cannot hash the password (out of memory?)");
		return STORE_ERROR;
	}
	if (org) {
		char name_of_org[2];

		rc = store_host_org_name(st, org, name_of_org,
					 sizeof(name_of_org), err);
		if (rc != STORE_OK) {
			ret = rc;
			goto out;
		}
	}
	stmt = store_stmt(
		st,
		"INSERT INTO account(name, role, pwhash, organisation)"
		" VALUES (?, ?, ?, ?)",
		err);
	if (!stmt)
		goto out;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, store_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, hash, -1, SQLITE_STATIC);
	store_bind_text(stmt, 4, org);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		ret = STORE_EXISTS;
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		ret = STORE_NOT_FOUND;
	else if (rc != SQLITE_DONE)
		store_sql_error(st, err);
	else
		ret = STORE_OK;
out:
	sodium_memzero(hash, sizeof(hash));
	return ret;
}

int store_account_remove(struct store *st, const char *name, struct strbuf *err)
{
	sqlite3_stmt *stmt =
		store_stmt(st, "DELETE FROM account WHERE name = ?", err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	return sqlite3_changes(st->db) ? STORE_OK : STORE_NOT_FOUND;
}

int store_account_role(struct store *st, const char *name,
		       enum store_role *role, struct strbuf *err)
{
	sqlite3_stmt *stmt =
		store_stmt(st, "SELECT role FROM account WHERE name = ?", err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0)
		return rc < 0 ? STORE_ERROR : STORE_NOT_FOUND;
	if (store_role_parse(store_col_text(stmt, 0), role) < 0)
		*role = STORE_ROLE_VOLUNTEER;
	sqlite3_reset(stmt);
	return STORE_OK;
}

int store_account_each(struct store *st, const char *viewer,
		       store_account_fn fn, void *data, struct strbuf *err)
{
	/* An unknown viewer sees nobody (host.h). */
	sqlite3_stmt *stmt = store_prepare(
		st,
		"SELECT name, role, created_at FROM account a"
		" WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM account v"
		"  WHERE v.name = ?1 AND v.organisation IS a.organisation)"
		" ORDER BY name",
		err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	store_bind_text(stmt, 1, viewer);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		enum store_role role = STORE_ROLE_VOLUNTEER;

		store_role_parse(store_col_text(stmt, 1), &role);
		ret = fn(store_col_text(stmt, 0), role, store_col_text(stmt, 2),
			 data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
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

int store_account_check(struct store *st, const char *name,
			const char *password, enum store_role *role,
			struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT role, pwhash FROM account WHERE name = ?", err);
	char hash[crypto_pwhash_STRBYTES] = "";
	enum store_role found = STORE_ROLE_VOLUNTEER;
	int rc, ok = 0;

	if (!stmt)
		return STORE_ERROR;
	pthread_once(&dummy_once, make_dummy);
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	rc = store_step_row(st, stmt, err);
	if (rc < 0)
		return STORE_ERROR;
	if (rc > 0) {
		store_col_copy(stmt, 1, hash, sizeof(hash));
		store_role_parse(store_col_text(stmt, 0), &found);
		sqlite3_reset(stmt);
	}
	/* Hash with the statement reset: no read lock held meanwhile. */
	if (hash[0])
		ok = crypto_pwhash_str_verify(hash, password,
					      strlen(password)) == 0;
	else if (dummy[0] && crypto_pwhash_str_verify(dummy, password,
						      strlen(password)) == 0)
		ok = 0; /* never: the dummy has no password */
	sodium_memzero(hash, sizeof(hash));
	if (!ok)
		return STORE_NOT_FOUND;
	*role = found;
	return STORE_OK;
}

int store_server_key(struct store *st, const char *name, unsigned char key[32],
		     struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT value FROM server_key WHERE name = ?", err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	rc = store_step_row(st, stmt, err);
	if (rc < 0)
		return STORE_ERROR;
	if (rc > 0 && sqlite3_column_bytes(stmt, 0) == 32) {
		memcpy(key, sqlite3_column_blob(stmt, 0), 32);
		sqlite3_reset(stmt);
		return STORE_OK;
	}
	sqlite3_reset(stmt);
	randombytes_buf(key, 32);
	stmt = store_stmt(st,
			  "INSERT OR REPLACE INTO server_key(name, value)"
			  " VALUES (?, ?)",
			  err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 2, key, 32, SQLITE_STATIC);
	return store_step_done(st, stmt, err);
}

/* See internal.h: what archiving forgets of this file's tables. */
int store_accounts_forget_keys(struct store *st, struct strbuf *err)
{
	return store_exec(st, "DELETE FROM server_key;", err);
}
