/*
 * host.c - the host's store: organisations, their surveys, and whose
 * the accounts are (see host.h).
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "banned.h"

bool store_host_slug_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n > STORE_SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

bool store_is_host(struct store *st)
{
	char *v = store_meta_get(st, "host");
	bool yes = v != NULL;

	free(v);
	return yes;
}

int store_host_init(struct store *st, struct strbuf *err)
{
	char *id = store_meta_get(st, "survey_id");

	if (id) {
		free(id);
		return STORE_REFUSED;
	}
	return store_exec(st,
			  "INSERT OR IGNORE INTO meta(key, value)"
			  " VALUES ('host', '1');",
			  err) < 0
		       ? STORE_ERROR
		       : STORE_OK;
}

int store_host_org_add(struct store *st, const char *slug, const char *name,
		       struct strbuf *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (!store_host_slug_valid(slug) || !name || !*name)
		return STORE_INVALID;
	stmt = store_stmt(
		st, "INSERT INTO organisation(slug, name) VALUES (?, ?)", err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return STORE_EXISTS;
	if (rc != SQLITE_DONE) {
		store_sql_error(st, err);
		return STORE_ERROR;
	}
	return STORE_OK;
}

int store_host_org_name(struct store *st, const char *slug, char *name,
			size_t size, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT name FROM organisation WHERE slug = ?", err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, slug, -1, SQLITE_STATIC);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0)
		return rc < 0 ? STORE_ERROR : STORE_NOT_FOUND;
	store_col_copy(stmt, 0, name, size);
	sqlite3_reset(stmt);
	return STORE_OK;
}

int store_host_org_each(struct store *st, store_host_org_fn fn, void *data,
			struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(
		st, "SELECT slug, name FROM organisation ORDER BY slug", err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		ret = fn(store_col_text(stmt, 0), store_col_text(stmt, 1),
			 data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

/* A file name inside the host's folder: no path, nothing hidden. */
static bool file_valid(const char *file)
{
	size_t n = file ? strlen(file) : 0;

	return n && n < 200 && file[0] != '.' && !strchr(file, '/') &&
	       !strchr(file, '\\');
}

int store_host_survey_add(struct store *st, const char *slug, const char *org,
			  const char *file, struct strbuf *err)
{
	char name[2];
	sqlite3_stmt *stmt;
	int rc;

	if (!store_host_slug_valid(slug) || !file_valid(file))
		return STORE_INVALID;
	rc = store_host_org_name(st, org, name, sizeof(name), err);
	if (rc != STORE_OK)
		return rc;
	stmt = store_stmt(st,
			  "INSERT INTO host_survey(slug, organisation, file)"
			  " VALUES (?, ?, ?)",
			  err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, org, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, file, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
	    rc == SQLITE_CONSTRAINT_UNIQUE)
		return STORE_EXISTS;
	if (rc != SQLITE_DONE) {
		store_sql_error(st, err);
		return STORE_ERROR;
	}
	return STORE_OK;
}

int store_host_survey_each(struct store *st, const char *org,
			   store_host_survey_fn fn, void *data,
			   struct strbuf *err)
{
	sqlite3_stmt *stmt =
		store_prepare(st,
			      "SELECT slug, organisation, file FROM host_survey"
			      " WHERE ?1 IS NULL OR organisation = ?1"
			      " ORDER BY organisation, slug",
			      err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	if (org)
		sqlite3_bind_text(stmt, 1, org, -1, SQLITE_STATIC);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		ret = fn(store_col_text(stmt, 0), store_col_text(stmt, 1),
			 store_col_text(stmt, 2), data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

int store_account_organisation(struct store *st, const char *name,
			       char org[STORE_SLUG_SIZE], struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT organisation FROM account WHERE name = ?", err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0)
		return rc < 0 ? STORE_ERROR : STORE_NOT_FOUND;
	store_col_copy(stmt, 0, org, STORE_SLUG_SIZE);
	sqlite3_reset(stmt);
	return STORE_OK;
}
