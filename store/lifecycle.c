/*
 * lifecycle.c - closing, count records, replaced codes and archiving
 * (see lifecycle.h).
 */
#include "lifecycle.h"

#include <string.h>

#include "internal.h"
#include "token.h"
#include "banned.h"

static const char sql_read[] =
	"SELECT coalesce(closed_at, ''), coalesce(closed_by, ''),"
	" coalesce(archived_at, '') FROM lifecycle WHERE id = 1";

int store_lifecycle_read(struct store *st, struct store_lifecycle *lc,
			 struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_read, err);
	int rc;

	memset(lc, 0, sizeof(*lc));
	if (!stmt)
		return STORE_ERROR;
	rc = store_step_row(st, stmt, err);
	if (rc < 0)
		return STORE_ERROR;
	if (rc > 0) {
		store_col_copy(stmt, 0, lc->closed_at, sizeof(lc->closed_at));
		store_col_copy(stmt, 1, lc->closed_by, sizeof(lc->closed_by));
		store_col_copy(stmt, 2, lc->archived_at,
			       sizeof(lc->archived_at));
		sqlite3_reset(stmt);
	}
	lc->closed = lc->closed_at[0] != '\0';
	lc->archived = lc->archived_at[0] != '\0';
	return STORE_OK;
}

int store_closed(struct store *st, struct strbuf *err)
{
	long long n = 0;

	if (store_query_int(st,
			    "SELECT count(*) FROM lifecycle WHERE id = 1"
			    " AND closed_at IS NOT NULL",
			    0, 0, &n, err) < 0)
		return STORE_ERROR;
	return n > 0;
}

int store_lifecycle_close(struct store *st, const char *by, struct strbuf *err)
{
	sqlite3_stmt *stmt;
	int entered = store_enter(st, err), rc;

	if (entered < 0)
		return STORE_ERROR;
	rc = store_closed(st, err);
	if (rc != 0) {
		rc = rc > 0 ? STORE_ALREADY_DONE : STORE_ERROR;
		goto out;
	}
	rc = STORE_ERROR;
	stmt = store_stmt(st,
			  "UPDATE lifecycle SET closed_by = ?,"
			  " closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
			  " WHERE id = 1",
			  err);
	if (!stmt)
		goto out;
	store_bind_text(stmt, 1, by);
	rc = store_step_done(st, stmt, err);
out:
	return store_leave(st, entered, rc, err);
}

int store_export_key(struct store *st, unsigned char key[STORE_EXPORT_KEY_SIZE],
		     struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT export_key FROM lifecycle WHERE id = 1", err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	rc = store_step_row(st, stmt, err);
	if (rc <= 0 || sqlite3_column_bytes(stmt, 0) != STORE_EXPORT_KEY_SIZE) {
		if (rc > 0)
			sqlite3_reset(stmt);
		if (rc >= 0)
			strbuf_addf(err, "the store %s has no export key",
				    st->path);
		return STORE_ERROR;
	}
	memcpy(key, sqlite3_column_blob(stmt, 0), STORE_EXPORT_KEY_SIZE);
	sqlite3_reset(stmt);
	return STORE_OK;
}

void store_count_record_init(struct store_count_record *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->made_by, 0);
	strbuf_init(&r->fingerprint, 0);
	strbuf_init(&r->verdicts, 0);
	strbuf_init(&r->canonical, 0);
}

void store_count_record_release(struct store_count_record *r)
{
	strbuf_release(&r->made_by);
	strbuf_release(&r->fingerprint);
	strbuf_release(&r->verdicts);
	strbuf_release(&r->canonical);
}

int store_count_record_add(struct store *st, struct store_count_record *r,
			   struct strbuf *err)
{
	sqlite3_stmt *stmt;
	int entered = store_enter(st, err), rc;

	if (entered < 0)
		return STORE_ERROR;
	rc = store_closed(st, err);
	if (rc <= 0) {
		rc = rc == 0 ? STORE_REFUSED : STORE_ERROR;
		goto out;
	}
	rc = STORE_ERROR;
	stmt = store_stmt(st,
			  "INSERT INTO count_record(made_by, fingerprint,"
			  " verdicts, canonical) VALUES (?, ?, ?, ?)"
			  " RETURNING id, made_at",
			  err);
	if (!stmt)
		goto out;
	store_bind_text(stmt, 1, r->made_by.buf);
	store_bind_text(stmt, 2, r->fingerprint.buf);
	store_bind_text(stmt, 3, r->verdicts.buf);
	store_bind_text(stmt, 4, r->canonical.buf);
	if (store_step_row(st, stmt, err) <= 0)
		goto out;
	r->id = sqlite3_column_int64(stmt, 0);
	store_col_copy(stmt, 1, r->made_at, sizeof(r->made_at));
	rc = store_step_done(st, stmt, err);
out:
	return store_leave(st, entered, rc, err);
}

int store_count_record_latest(struct store *st, struct store_count_record *r,
			      struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"SELECT id, made_at, coalesce(made_by, ''), fingerprint,"
		" verdicts, canonical FROM count_record ORDER BY id DESC"
		" LIMIT 1",
		err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	rc = store_step_row(st, stmt, err);
	if (rc <= 0)
		return rc < 0 ? STORE_ERROR : STORE_NOT_FOUND;
	r->id = sqlite3_column_int64(stmt, 0);
	store_col_copy(stmt, 1, r->made_at, sizeof(r->made_at));
	strbuf_addstr(&r->made_by, store_col_text(stmt, 2));
	strbuf_addstr(&r->fingerprint, store_col_text(stmt, 3));
	strbuf_addstr(&r->verdicts, store_col_text(stmt, 4));
	strbuf_addstr(&r->canonical, store_col_text(stmt, 5));
	sqlite3_reset(stmt);
	return STORE_OK;
}

int store_scan_hashes_each(struct store *st, store_hash_fn fn, void *data,
			   struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(
		st, "SELECT image_hash FROM scan_page ORDER BY image_hash",
		err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0)
		if ((ret = fn(store_col_text(stmt, 0), data)) != 0)
			break;
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

int store_life_audit_read(struct store *st, struct store_life_audit *au,
			  struct strbuf *err)
{
	static const struct {
		const char *sql;
		size_t offset;
	} q[] = {
		{ "SELECT count(*) FROM response WHERE superseded_by IS NOT "
		  "NULL",
		  offsetof(struct store_life_audit, superseded) },
		{ "SELECT count(*) FROM code_replacement",
		  offsetof(struct store_life_audit, codes_replaced) },
		{ "SELECT count(*) FROM paper_entry WHERE state = 'matched'",
		  offsetof(struct store_life_audit, entered_twice) },
		{ "SELECT count(*) FROM paper_entry WHERE state = 'settled'",
		  offsetof(struct store_life_audit, settled) },
		{ "SELECT count(*) FROM scan_question WHERE status = "
		  "'reviewed'",
		  offsetof(struct store_life_audit, scans_reviewed) },
		{ "SELECT count(DISTINCT household_id) FROM paper_entry"
		  " WHERE state IN ('waiting', 'differs')",
		  offsetof(struct store_life_audit, paper_waiting) },
		{ "SELECT count(*) FROM scan_form"
		  " WHERE state IN ('incomplete', 'review', 'conflict')",
		  offsetof(struct store_life_audit, scans_waiting) },
		{ "SELECT count(*) FROM reminder_wave",
		  offsetof(struct store_life_audit, reminder_waves) },
		{ "SELECT count(*) FROM reminder_letter",
		  offsetof(struct store_life_audit, reminder_letters) },
	};

	memset(au, 0, sizeof(*au));
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		long long n = 0;

		if (store_query_int(st, q[i].sql, 0, 0, &n, err) < 0)
			return STORE_ERROR;
		*(uint64_t *)((char *)au + q[i].offset) = (uint64_t)n;
	}
	return STORE_OK;
}

int store_code_replace(struct store *st, long long household, const char *by,
		       char *canon, size_t size, struct strbuf *err)
{
	char token[SURVEY_TOKEN_SIZE];
	sqlite3_stmt *stmt;
	int entered = store_enter(st, err), rc = STORE_ERROR;

	if (entered < 0)
		return STORE_ERROR;
	if ((rc = store_closed(st, err)) != 0) {
		rc = rc > 0 ? STORE_REFUSED : STORE_ERROR;
		goto out;
	}
	rc = store_households_new_code(st, household, token, err);
	if (rc != STORE_OK)
		goto out;
	rc = STORE_ERROR;
	stmt = store_stmt(st,
			  "INSERT INTO code_replacement(household_id,"
			  " replaced_by) VALUES (?, ?)",
			  err);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, household);
	store_bind_text(stmt, 2, by);
	if (store_step_done(st, stmt, err) < 0)
		goto out;
	if (strlen(token) >= size) {
		strbuf_addstr(err, "no room for the new code");
		goto out;
	}
	memcpy(canon, token, strlen(token) + 1);
	rc = STORE_OK;
out:
	return store_leave(st, entered, rc, err);
}

/* How many rows the query counts, into *n. */
static int count_into(struct store *st, const char *sql, uint64_t *n,
		      struct strbuf *err)
{
	long long v = 0;

	if (store_query_int(st, sql, 0, 0, &v, err) < 0)
		return STORE_ERROR;
	*n = (uint64_t)v;
	return STORE_OK;
}

int store_archive(struct store *st, const char *statement,
		  struct store_archive_result *res, struct strbuf *err)
{
	struct store_lifecycle lc;
	sqlite3_stmt *stmt;
	int rc = STORE_ERROR;

	memset(res, 0, sizeof(*res));
	if (store_lifecycle_read(st, &lc, err) < 0)
		return STORE_ERROR;
	if (!lc.closed)
		return STORE_REFUSED;
	if (lc.archived)
		return STORE_ALREADY_DONE;
	/* Deleted rows are overwritten with zeros, not just unlinked. */
	if (store_exec(st, "PRAGMA secure_delete = ON", err) < 0 ||
	    store_begin(st, err) < 0)
		return STORE_ERROR;
	if (count_into(st, "SELECT count(*) FROM address", &res->addresses,
		       err) < 0 ||
	    count_into(st, "SELECT count(*) FROM token", &res->codes, err) <
		    0 ||
	    count_into(st, "SELECT count(*) FROM scan_page", &res->scan_pages,
		       err) < 0 ||
	    count_into(st,
		       "SELECT count(*) FROM scan_question WHERE crop IS NOT"
		       " NULL",
		       &res->cutouts, err) < 0 ||
	    count_into(st, "SELECT count(*) FROM server_key", &res->keys, err) <
		    0)
		goto fail;
	/*
	 * A scanned page keeps its hash (the fingerprint covers it) and
	 * its state; what it showed goes: the file it came from, the
	 * machine's reading (which holds the code it decoded) and the
	 * cut-outs of the questions.
	 */
	if (store_households_forget(st, err) != STORE_OK ||
	    store_accounts_forget_keys(st, err) != STORE_OK ||
	    store_sessions_forget(st, err) != STORE_OK ||
	    store_invitations_forget(st, err) != STORE_OK ||
	    store_evening_forget(st, err) != STORE_OK ||
	    store_scans_forget(st, err) != STORE_OK ||
	    store_exec(st,
		       "UPDATE lifecycle SET archived_at ="
		       " strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;",
		       err) < 0)
		goto fail;
	stmt = store_stmt(st,
			  "INSERT INTO archive_statement(statement) VALUES (?)"
			  " RETURNING archived_at",
			  err);
	if (!stmt)
		goto fail;
	store_bind_text(stmt, 1, statement);
	if (store_step_row(st, stmt, err) <= 0)
		goto fail;
	store_col_copy(stmt, 0, res->archived_at, sizeof(res->archived_at));
	if (store_step_done(st, stmt, err) < 0 || store_commit(st, err) < 0)
		goto fail;
	/* The free pages go too, and the WAL that saw the old rows. */
	if (store_checkpoint(st, err) < 0 ||
	    store_exec(st, "VACUUM", err) < 0 || store_checkpoint(st, err) < 0)
		return STORE_ERROR;
	return STORE_OK;
fail:
	store_rollback(st);
	return rc;
}

int store_archive_statement_set(struct store *st, const char *statement,
				struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"UPDATE archive_statement SET statement = ? WHERE id ="
		" (SELECT max(id) FROM archive_statement)",
		err);

	if (!stmt)
		return STORE_ERROR;
	store_bind_text(stmt, 1, statement);
	return store_step_done(st, stmt, err);
}
