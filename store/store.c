/*
 * store.c - opening and closing a store, transactions, and the helpers
 * the other files of the data layer share (see store.h, internal.h).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"
#include "banned.h"

const char *store_rc_name(enum store_rc rc)
{
	switch (rc) {
	case STORE_ERROR: return "error";
	case STORE_OK: return "ok";
	case STORE_NOT_FOUND: return "not-found";
	case STORE_EXISTS: return "exists";
	case STORE_CHANGED: return "changed";
	case STORE_ALREADY_DONE: return "already-done";
	case STORE_SAME_VOLUNTEER: return "same-volunteer";
	case STORE_REFUSED: return "refused";
	case STORE_INVALID: return "invalid";
	}
	return "unknown";
}

void store_global_init(void)
{
	/* SQLite refuses (harmlessly) once it has started. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void store_sql_error(struct store *st, struct strbuf *err)
{
	if (err)
		strbuf_addf(err, "the store %s: %s", st->path,
			    sqlite3_errmsg(st->db));
}

int store_exec(struct store *st, const char *sql, struct strbuf *err)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (err)
			strbuf_addf(err, "the store %s: %s", st->path,
				    msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return STORE_ERROR;
	}
	return STORE_OK;
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql,
			    struct strbuf *err)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_sql_error(st, err);
		return NULL;
	}
	return stmt;
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql, struct strbuf *err)
{
	sqlite3_stmt *stmt = NULL;

	for (size_t i = 0; i < st->nr_cached; i++) {
		if (st->cache[i].sql == sql) {
			stmt = st->cache[i].stmt;
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return stmt;
		}
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &stmt, NULL) != SQLITE_OK) {
		store_sql_error(st, err);
		return NULL;
	}
	if (st->nr_cached == STORE_CACHE_SIZE) {
		/* More statements than we thought we had: drop the oldest. */
		sqlite3_finalize(st->cache[0].stmt);
		memmove(st->cache, st->cache + 1,
			(STORE_CACHE_SIZE - 1) * sizeof(*st->cache));
		st->nr_cached--;
	}
	st->cache[st->nr_cached].sql = sql;
	st->cache[st->nr_cached].stmt = stmt;
	st->nr_cached++;
	return stmt;
}

int store_step_done(struct store *st, sqlite3_stmt *stmt, struct strbuf *err)
{
	int rc = sqlite3_step(stmt);

	while (rc == SQLITE_ROW)
		rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_sql_error(st, err);
		return STORE_ERROR;
	}
	return STORE_OK;
}

int store_step_row(struct store *st, sqlite3_stmt *stmt, struct strbuf *err)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(stmt);
		return 0;
	}
	store_sql_error(st, err);
	sqlite3_reset(stmt);
	return STORE_ERROR;
}

int store_query_int(struct store *st, const char *sql, long long a, long long b,
		    long long *out, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);
	int n, rc;

	if (!stmt)
		return STORE_ERROR;
	n = sqlite3_bind_parameter_count(stmt);
	if (n >= 1)
		sqlite3_bind_int64(stmt, 1, a);
	if (n >= 2)
		sqlite3_bind_int64(stmt, 2, b);
	rc = store_step_row(st, stmt, err);
	if (rc < 0)
		return STORE_ERROR;
	*out = rc ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	return STORE_OK;
}

const char *store_col_text(sqlite3_stmt *stmt, int i)
{
	const char *v = (const char *)sqlite3_column_text(stmt, i);

	return v ? v : "";
}

void store_col_copy(sqlite3_stmt *stmt, int i, char *dst, size_t size)
{
	snprintf(dst, size, "%s", store_col_text(stmt, i));
}

void store_bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, i);
}

/* ---- opening and closing ----------------------------------------------- */

struct store *store_open(const char *path, enum store_mode mode,
			 struct strbuf *err)
{
	struct store *st;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	char *id;

	if (mode == STORE_EXISTING && access(path, F_OK) != 0) {
		strbuf_addf(err,
			    "there is no store at %s; create it with "
			    "'draagvlak init SURVEY.yaml' or name it with --db",
			    path);
		return NULL;
	}
	if (mode == STORE_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		strbuf_addf(err, "cannot open the store %s: %s", path,
			    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_extended_result_codes(st->db, 1);
	/*
	 * WAL lets the server read while it writes; synchronous=FULL makes a
	 * commit durable before we tell anyone it happened.  The migration
	 * turns foreign keys on when it is done.
	 */
	if (store_exec(st,
		       "PRAGMA journal_mode = WAL;"
		       "PRAGMA synchronous = FULL;",
		       err) < 0 ||
	    store_schema_migrate(st, err) < 0)
		goto fail;
	if (mode == STORE_EXISTING) {
		id = store_meta_get(st, "survey_id");
		/* A host's store (host.h) holds the accounts, no survey. */
		if (!id)
			id = store_meta_get(st, "host");
		if (!id) {
			strbuf_addf(err,
				    "the store %s holds no survey yet; run "
				    "'draagvlak init SURVEY.yaml' first",
				    path);
			goto fail;
		}
		free(id);
	}
	return st;
fail:
	store_free(st);
	return NULL;
}

void store_free(struct store *st)
{
	sqlite3_stmt *stmt;

	if (!st)
		return;
	for (size_t i = 0; i < st->nr_cached; i++)
		sqlite3_finalize(st->cache[i].stmt);
	/* Anything a caller forgot would keep the connection open. */
	while (st->db && (stmt = sqlite3_next_stmt(st->db, NULL)))
		sqlite3_finalize(stmt);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

const char *store_path(const struct store *st)
{
	return st->path;
}

/* ---- transactions ------------------------------------------------------ */

/* Reset every statement still stepping, so a transaction can end. */
static void reset_busy(struct store *st)
{
	for (sqlite3_stmt *s = sqlite3_next_stmt(st->db, NULL); s;
	     s = sqlite3_next_stmt(st->db, s))
		if (sqlite3_stmt_busy(s))
			sqlite3_reset(s);
}

static int savepoint(struct store *st, const char *verb, unsigned level,
		     struct strbuf *err)
{
	char sql[48];

	snprintf(sql, sizeof(sql), "%s s%u", verb, level);
	return store_exec(st, sql, err);
}

static int begin(struct store *st, const char *sql, struct strbuf *err)
{
	int rc = st->depth ? savepoint(st, "SAVEPOINT", st->depth, err)
			   : store_exec(st, sql, err);

	if (rc == STORE_OK)
		st->depth++;
	return rc;
}

int store_begin(struct store *st, struct strbuf *err)
{
	return begin(st, "BEGIN IMMEDIATE", err);
}

int store_begin_read(struct store *st, struct strbuf *err)
{
	return begin(st, "BEGIN", err);
}

int store_commit(struct store *st, struct strbuf *err)
{
	int rc;

	if (!st->depth) {
		strbuf_addf(err, "the store %s: commit without a transaction",
			    st->path);
		return STORE_ERROR;
	}
	if (st->depth > 1) {
		rc = savepoint(st, "RELEASE", st->depth - 1, err);
		if (rc == STORE_OK)
			st->depth--;
		return rc;
	}
	reset_busy(st);
	rc = store_exec(st, "COMMIT", err);
	/*
	 * A failed COMMIT (the disk is full) leaves the transaction open;
	 * the caller's rollback ends it.
	 */
	if (rc == STORE_OK)
		st->depth = 0;
	return rc;
}

void store_rollback(struct store *st)
{
	if (!st->depth)
		return;
	reset_busy(st);
	if (st->depth > 1) {
		savepoint(st, "ROLLBACK TO", st->depth - 1, NULL);
		savepoint(st, "RELEASE", st->depth - 1, NULL);
	} else {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
	st->depth--;
}

int store_enter(struct store *st, struct strbuf *err)
{
	if (st->depth)
		return 0;
	return store_begin(st, err) < 0 ? STORE_ERROR : 1;
}

int store_leave(struct store *st, int entered, int rc, struct strbuf *err)
{
	if (entered <= 0)
		return rc;
	if (rc == STORE_OK && store_commit(st, err) < 0)
		rc = STORE_ERROR;
	if (rc != STORE_OK)
		store_rollback(st);
	return rc;
}

unsigned store_depth(const struct store *st)
{
	return st->depth;
}

long long store_data_version(struct store *st)
{
	long long v = -1;

	if (store_query_int(st, "PRAGMA data_version", 0, 0, &v, NULL) < 0)
		return -1;
	return v;
}

int store_checkpoint(struct store *st, struct strbuf *err)
{
	return store_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", err);
}
