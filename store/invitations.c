/*
 * invitations.c - one-time invitations and the record of account changes
 * (see invitations.h).
 */
#include "invitations.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

static int log_event(struct store *st, const char *actor, const char *action,
		     const char *name, enum store_role role, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO account_event(actor, action, name, role,"
		" organisation) VALUES (?1, ?2, ?3, ?4,"
		" coalesce((SELECT organisation FROM account WHERE name = ?3),"
		" (SELECT organisation FROM account WHERE name = ?1)))",
		err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, store_role_name(role), -1, SQLITE_STATIC);
	return store_step_done(st, stmt, err);
}

int store_invitation_create(struct store *st, const char *name,
			    enum store_role role, const char *by,
			    time_t expires, char token[STORE_INVITATION_HEX],
			    struct strbuf *err)
{
	return store_invitation_create_in(st, name, role, by, NULL, expires,
					  token, err);
}

int store_invitation_create_in(struct store *st, const char *name,
			       enum store_role role, const char *by,
			       const char *org, time_t expires,
			       char token[STORE_INVITATION_HEX],
			       struct strbuf *err)
{
	unsigned char raw[32], hash[32];
	enum store_role had;
	sqlite3_stmt *stmt;
	int entered, rc;

	if (!store_account_name_valid(name))
		return STORE_INVALID;
	if (sodium_init() < 0) {
		strbuf_addstr(err, "cannot start libsodium");
		return STORE_ERROR;
	}
	entered = store_enter(st, err);
	if (entered < 0)
		return STORE_ERROR;
	/* Account names are unique across the host's organisations. */
	rc = store_account_role(st, name, &had, err);
	if (rc == STORE_OK) {
		rc = STORE_EXISTS;
		goto out;
	}
	if (rc != STORE_NOT_FOUND)
		goto out;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, STORE_INVITATION_HEX, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	token_hash(token, hash);
	rc = STORE_ERROR;
	stmt = store_stmt(st, "DELETE FROM invitation WHERE name = ?", err);
	if (!stmt)
		goto out;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (store_step_done(st, stmt, err) < 0)
		goto out;
	stmt = store_stmt(
		st,
		"INSERT INTO invitation(token_hash, name, role,"
		" invited_by, expires_at, organisation)"
		" VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6,"
		" (SELECT organisation FROM account WHERE name = ?4)))",
		err);
	if (!stmt)
		goto out;
	sqlite3_bind_blob(stmt, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, store_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64)expires);
	store_bind_text(stmt, 6, org);
	if (store_step_done(st, stmt, err) < 0)
		goto out;
	rc = log_event(st, by, "invited", name, role, err);
out:
	return store_leave(st, entered, rc, err);
}

int store_invitation_find(struct store *st, const char *token, time_t now,
			  char name[41], enum store_role *role,
			  struct strbuf *err)
{
	unsigned char hash[32];
	sqlite3_stmt *stmt;
	int rc;

	if (strlen(token) != STORE_INVITATION_HEX - 1)
		return STORE_NOT_FOUND;
	token_hash(token, hash);
	stmt = store_stmt(st,
			  "SELECT name, role FROM invitation"
			  " WHERE token_hash = ? AND expires_at > ?",
			  err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_blob(stmt, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)now);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0)
		return rc < 0 ? STORE_ERROR : STORE_NOT_FOUND;
	store_col_copy(stmt, 0, name, 41);
	if (store_role_parse(store_col_text(stmt, 1), role) < 0)
		*role = STORE_ROLE_VOLUNTEER;
	sqlite3_reset(stmt);
	return STORE_OK;
}

int store_invitation_accept(struct store *st, const char *token, time_t now,
			    const char *password, char name[41],
			    enum store_role *role, struct strbuf *err)
{
	unsigned char hash[32];
	char org[64];
	bool has_org;
	sqlite3_stmt *stmt;
	int entered, rc;

	if (strlen(password) < STORE_MIN_PASSWORD)
		return STORE_INVALID;
	entered = store_enter(st, err);
	if (entered < 0)
		return STORE_ERROR;
	rc = store_invitation_find(st, token, now, name, role, err);
	if (rc != STORE_OK)
		goto out;
	/* The account joins the organisation it was invited to. */
	rc = STORE_ERROR;
	token_hash(token, hash);
	stmt = store_stmt(
		st, "SELECT organisation FROM invitation WHERE token_hash = ?",
		err);
	if (!stmt)
		goto out;
	sqlite3_bind_blob(stmt, 1, hash, sizeof(hash), SQLITE_STATIC);
	if (store_step_row(st, stmt, err) <= 0)
		goto out;
	has_org = sqlite3_column_type(stmt, 0) != SQLITE_NULL;
	store_col_copy(stmt, 0, org, sizeof(org));
	sqlite3_reset(stmt);
	rc = store_account_add_in(st, name, *role, has_org ? org : NULL,
				  password, err);
	if (rc != STORE_OK)
		goto out;
	rc = STORE_ERROR;
	stmt = store_stmt(st, "DELETE FROM invitation WHERE token_hash = ?",
			  err);
	if (!stmt)
		goto out;
	sqlite3_bind_blob(stmt, 1, hash, sizeof(hash), SQLITE_STATIC);
	if (store_step_done(st, stmt, err) < 0)
		goto out;
	rc = log_event(st, name, "joined", name, *role, err);
out:
	return store_leave(st, entered, rc, err);
}

int store_invitation_cancel(struct store *st, const char *name, const char *by,
			    struct strbuf *err)
{
	sqlite3_stmt *stmt;
	enum store_role role = STORE_ROLE_VOLUNTEER;
	int entered, rc;

	entered = store_enter(st, err);
	if (entered < 0)
		return STORE_ERROR;
	rc = STORE_ERROR;
	/* Only within by's own organisation (host.h). */
	stmt = store_stmt(st,
			  "SELECT role FROM invitation i WHERE name = ?1"
			  " AND EXISTS (SELECT 1 FROM account v WHERE"
			  "  v.name = ?2 AND v.organisation IS i.organisation)",
			  err);
	if (!stmt)
		goto out;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, by, -1, SQLITE_STATIC);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0) {
		rc = rc < 0 ? STORE_ERROR : STORE_NOT_FOUND;
		goto out;
	}
	store_role_parse(store_col_text(stmt, 0), &role);
	sqlite3_reset(stmt);
	rc = STORE_ERROR;
	stmt = store_stmt(st, "DELETE FROM invitation WHERE name = ?", err);
	if (!stmt)
		goto out;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (store_step_done(st, stmt, err) < 0)
		goto out;
	rc = log_event(st, by, "cancelled", name, role, err);
out:
	return store_leave(st, entered, rc, err);
}

int store_invitation_each(struct store *st, const char *viewer, time_t now,
			  store_invitation_fn fn, void *data,
			  struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(
		st,
		"SELECT name, role, invited_by, expires_at FROM invitation i"
		" WHERE expires_at > ?1 AND (?2 IS NULL OR EXISTS (SELECT 1"
		"  FROM account v WHERE v.name = ?2"
		"  AND v.organisation IS i.organisation))"
		" ORDER BY name",
		err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)now);
	store_bind_text(stmt, 2, viewer);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		enum store_role role = STORE_ROLE_VOLUNTEER;

		store_role_parse(store_col_text(stmt, 1), &role);
		ret = fn(store_col_text(stmt, 0), role, store_col_text(stmt, 2),
			 (time_t)sqlite3_column_int64(stmt, 3), data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

/* Whether accounts a and b belong to the same organisation (host.h). */
static bool same_organisation(struct store *st, const char *a, const char *b,
			      struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st,
					"SELECT 1 FROM account x JOIN account y"
					" ON x.organisation IS y.organisation"
					" WHERE x.name = ? AND y.name = ?",
					err);
	int rc;

	if (!stmt)
		return false;
	sqlite3_bind_text(stmt, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, b, -1, SQLITE_STATIC);
	rc = store_step_row(st, stmt, err);
	sqlite3_reset(stmt);
	return rc > 0;
}

int store_account_remove_by(struct store *st, const char *name, const char *by,
			    struct strbuf *err)
{
	enum store_role role;
	int entered, rc;

	entered = store_enter(st, err);
	if (entered < 0)
		return STORE_ERROR;
	rc = store_account_role(st, name, &role, err);
	if (rc == STORE_OK && !same_organisation(st, name, by, err))
		rc = STORE_NOT_FOUND; /* another organisation's: not there */
	if (rc == STORE_OK)
		rc = store_account_remove(st, name, err);
	if (rc == STORE_OK)
		rc = log_event(st, by, "removed", name, role, err);
	return store_leave(st, entered, rc, err);
}

int store_account_events(struct store *st, const char *viewer, unsigned limit,
			 store_account_event_fn fn, void *data,
			 struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(
		st,
		"SELECT at, actor, action, name, role FROM account_event e"
		" WHERE ?2 IS NULL OR EXISTS (SELECT 1 FROM account v"
		"  WHERE v.name = ?2 AND v.organisation IS e.organisation)"
		" ORDER BY id DESC LIMIT ?1",
		err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, limit);
	store_bind_text(stmt, 2, viewer);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		enum store_role role = STORE_ROLE_VOLUNTEER;

		store_role_parse(store_col_text(stmt, 4), &role);
		ret = fn(store_col_text(stmt, 0), store_col_text(stmt, 1),
			 store_col_text(stmt, 2), store_col_text(stmt, 3), role,
			 data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

/* See internal.h: what archiving forgets of this file's tables. */
int store_invitations_forget(struct store *st, struct strbuf *err)
{
	return store_exec(st, "DELETE FROM invitation;", err);
}
