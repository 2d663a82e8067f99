/*
 * sessions.c - staff sessions by the hash of their id, and the record of
 * looks at online answers (see sessions.h).
 */
#include "sessions.h"

#include <string.h>

#include "internal.h"
#include "banned.h"

int store_session_add(struct store *st,
		      const unsigned char hash[STORE_SESSION_HASH],
		      const char *account, const char *csrf, int lang,
		      long long now, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO staff_session(id_hash, account, csrf, lang,"
		" created, used) SELECT ?, name, ?, ?, ?, ? FROM account"
		" WHERE name = ?",
		err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_blob(stmt, 1, hash, STORE_SESSION_HASH, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, lang);
	sqlite3_bind_int64(stmt, 4, now);
	sqlite3_bind_int64(stmt, 5, now);
	sqlite3_bind_text(stmt, 6, account, -1, SQLITE_STATIC);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	return sqlite3_changes(st->db) ? STORE_OK : STORE_NOT_FOUND;
}

int store_session_get(struct store *st,
		      const unsigned char hash[STORE_SESSION_HASH],
		      long long now, long long idle_s, long long absolute_s,
		      struct store_session *out, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT s.account, a.role, s.csrf, s.lang, s.created, s.used,"
		" a.organisation, s.survey FROM staff_session s JOIN account a "
		"ON a.name = s.account"
		" WHERE s.id_hash = ? AND s.used >= ? AND s.created >= ?",
		err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_blob(stmt, 1, hash, STORE_SESSION_HASH, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, now - idle_s);
	sqlite3_bind_int64(stmt, 3, now - absolute_s);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0)
		return rc < 0 ? STORE_ERROR : STORE_NOT_FOUND;
	memset(out, 0, sizeof(*out));
	store_col_copy(stmt, 0, out->account, sizeof(out->account));
	if (store_role_parse(store_col_text(stmt, 1), &out->role) < 0)
		out->role = STORE_ROLE_VOLUNTEER;
	store_col_copy(stmt, 2, out->csrf, sizeof(out->csrf));
	out->lang = sqlite3_column_int(stmt, 3);
	out->created = sqlite3_column_int64(stmt, 4);
	out->used = sqlite3_column_int64(stmt, 5);
	store_col_copy(stmt, 6, out->organisation, sizeof(out->organisation));
	store_col_copy(stmt, 7, out->survey, sizeof(out->survey));
	sqlite3_reset(stmt);
	return STORE_OK;
}

int store_session_touch(struct store *st,
			const unsigned char hash[STORE_SESSION_HASH],
			long long now, long long idle_s, long long absolute_s,
			struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "UPDATE staff_session SET used = ? WHERE id_hash = ?", err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_blob(stmt, 2, hash, STORE_SESSION_HASH, SQLITE_STATIC);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	stmt = store_stmt(st,
			  "DELETE FROM staff_session WHERE used < ?"
			  " OR created < ?",
			  err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, now - idle_s);
	sqlite3_bind_int64(stmt, 2, now - absolute_s);
	return store_step_done(st, stmt, err) < 0 ? STORE_ERROR : STORE_OK;
}

int store_session_set_lang(struct store *st,
			   const unsigned char hash[STORE_SESSION_HASH],
			   int lang, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "UPDATE staff_session SET lang = ? WHERE id_hash = ?", err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int(stmt, 1, lang);
	sqlite3_bind_blob(stmt, 2, hash, STORE_SESSION_HASH, SQLITE_STATIC);
	return store_step_done(st, stmt, err) < 0 ? STORE_ERROR : STORE_OK;
}

int store_session_set_survey(struct store *st,
			     const unsigned char hash[STORE_SESSION_HASH],
			     const char *survey, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "UPDATE staff_session SET survey = ? WHERE id_hash = ?",
		err);

	if (!stmt)
		return STORE_ERROR;
	store_bind_text(stmt, 1, survey);
	sqlite3_bind_blob(stmt, 2, hash, STORE_SESSION_HASH, SQLITE_STATIC);
	return store_step_done(st, stmt, err) < 0 ? STORE_ERROR : STORE_OK;
}

int store_session_end(struct store *st,
		      const unsigned char hash[STORE_SESSION_HASH],
		      struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "DELETE FROM staff_session WHERE id_hash = ?", err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_blob(stmt, 1, hash, STORE_SESSION_HASH, SQLITE_STATIC);
	return store_step_done(st, stmt, err) < 0 ? STORE_ERROR : STORE_OK;
}

int store_session_end_account(struct store *st, const char *account,
			      struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "DELETE FROM staff_session WHERE account = ?", err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, account, -1, SQLITE_STATIC);
	return store_step_done(st, stmt, err) < 0 ? STORE_ERROR : STORE_OK;
}

int store_answer_view_note(struct store *st, const char *account,
			   long long household, const char *why,
			   struct strbuf *err)
{
	sqlite3_stmt *stmt =
		store_stmt(st,
			   "INSERT INTO answer_view(account, household_id, why)"
			   " VALUES (?, ?, ?)",
			   err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, household);
	sqlite3_bind_text(stmt, 3, why, -1, SQLITE_STATIC);
	return store_step_done(st, stmt, err) < 0 ? STORE_ERROR : STORE_OK;
}

/* See internal.h: what archiving forgets of this file's tables. */
int store_sessions_forget(struct store *st, struct strbuf *err)
{
	return store_exec(st, "DELETE FROM staff_session;", err);
}
