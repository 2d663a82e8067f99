/*
 * backup.c - copies of a whole store (see backup.h): SQLite's online
 * backup API to take them, integrity and schema checks before one is put
 * back in place.
 *
 * The backup copies in one sqlite3_backup_step(-1): in WAL mode that is
 * one read transaction, which writers do not wait for.  Copying a few
 * pages at a time instead would restart from the beginning whenever the
 * server commits meanwhile, and under steady load never finish.
 */
#include "backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "store.h"
#include "banned.h"

static void db_error(sqlite3 *db, const char *path, struct strbuf *err)
{
	strbuf_addf(err, "%s: %s", path,
		    db ? sqlite3_errmsg(db) : "out of memory");
}

static sqlite3 *open_db(const char *path, int flags, struct strbuf *err)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		db_error(db, path, err);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* One integer or text result of sql; -1 / "" when there is no row. */
static int query(sqlite3 *db, const char *path, const char *sql, long long *num,
		 char *text, size_t size, struct strbuf *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		db_error(db, path, err);
		return STORE_ERROR;
	}
	if (num)
		*num = -1;
	if (text && size)
		text[0] = '\0';
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if (num)
			*num = sqlite3_column_int64(stmt, 0);
		if (text && size) {
			const unsigned char *t = sqlite3_column_text(stmt, 0);
			snprintf(text, size, "%s", t ? (const char *)t : "");
		}
	} else if (rc != SQLITE_DONE) {
		db_error(db, path, err);
		sqlite3_finalize(stmt);
		return STORE_ERROR;
	}
	sqlite3_finalize(stmt);
	return STORE_OK;
}

static int sync_path(const char *path, struct strbuf *err)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fsync(fd) != 0) {
		strbuf_addf(err, "cannot sync %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return STORE_ERROR;
	}
	close(fd);
	return STORE_OK;
}

/* Copy src into the file tmp (created), in rollback-journal mode. */
static int copy_file(const char *src, const char *tmp, struct strbuf *err)
{
	sqlite3 *from = NULL, *to = NULL;
	sqlite3_backup *b;
	int rc, ret = STORE_ERROR;

	from = open_db(src, SQLITE_OPEN_READWRITE, err);
	if (!from)
		goto out;
	to = open_db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err);
	if (!to)
		goto out;
	b = sqlite3_backup_init(to, "main", from, "main");
	if (!b) {
		db_error(to, tmp, err);
		goto out;
	}
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		strbuf_addf(err, "the backup of %s to %s failed: %s", src, tmp,
			    sqlite3_errstr(rc));
		goto out;
	}
	/* The copy is one file: a copy in WAL mode would need its -wal. */
	if (sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL,
			 NULL) != SQLITE_OK) {
		db_error(to, tmp, err);
		goto out;
	}
	ret = STORE_OK;
out:
	sqlite3_close(from);
	if (to && sqlite3_close(to) != SQLITE_OK && ret == STORE_OK) {
		db_error(to, tmp, err);
		ret = STORE_ERROR;
	}
	return ret;
}

static void tmp_name(struct strbuf *sb, const char *path)
{
	strbuf_addf(sb, "%s.tmp-%ld", path, (long)getpid());
}

static void remove_db(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	unlink(path);
	strbuf_addf(&sb, "%s-journal", path);
	unlink(sb.buf);
	strbuf_release(&sb);
}

int store_backup_check(const char *path, struct store_backup_info *info,
		       struct strbuf *err)
{
	struct store_backup_info tmp = { 0 };
	char ok[256];
	long long n;
	sqlite3 *db;
	int ret = STORE_ERROR;

	if (!info)
		info = &tmp;
	memset(info, 0, sizeof(*info));
	if (access(path, R_OK) != 0) {
		strbuf_addf(err, "cannot read %s: %s", path, strerror(errno));
		return STORE_ERROR;
	}
	db = open_db(path, SQLITE_OPEN_READONLY, err);
	if (!db)
		return STORE_ERROR;
	if (query(db, path, "PRAGMA integrity_check(1)", NULL, ok, sizeof(ok),
		  err) < 0) {
		/* "file is not a database" and the like */
		ret = STORE_INVALID;
		goto out;
	}
	if (strcmp(ok, "ok")) {
		strbuf_addf(err, "%s is damaged: %s", path, ok);
		ret = STORE_INVALID;
		goto out;
	}
	if (query(db, path, "PRAGMA user_version", &n, NULL, 0, err) < 0 ||
	    query(db, path, "PRAGMA page_count", &info->pages, NULL, 0, err) <
		    0 ||
	    query(db, path, "PRAGMA page_size", &info->page_size, NULL, 0,
		  err) < 0)
		goto out;
	info->schema_version = (int)n;
	if (n < 1 || n > STORE_SCHEMA_VERSION) {
		strbuf_addf(err,
			    "%s has schema version %lld; this draagvlak knows "
			    "1 to %d",
			    path, n, STORE_SCHEMA_VERSION);
		ret = STORE_INVALID;
		goto out;
	}
	if (query(db, path, "SELECT value FROM meta WHERE key = 'survey_id'",
		  NULL, info->survey_id, sizeof(info->survey_id), err) < 0) {
		ret = STORE_INVALID;
		goto out;
	}
	if (!info->survey_id[0]) {
		strbuf_addf(err, "%s holds no survey", path);
		ret = STORE_INVALID;
		goto out;
	}
	ret = STORE_OK;
out:
	sqlite3_close(db);
	return ret;
}

int store_backup(const char *src, const char *dst,
		 struct store_backup_info *info, struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	int ret = STORE_ERROR;

	if (access(src, F_OK) != 0) {
		strbuf_addf(err, "there is no store at %s", src);
		goto out;
	}
	tmp_name(&tmp, dst);
	remove_db(tmp.buf);
	if (copy_file(src, tmp.buf, err) < 0)
		goto out;
	/* A copy that does not check out is no backup. */
	if (store_backup_check(tmp.buf, info, err) != STORE_OK ||
	    sync_path(tmp.buf, err) < 0)
		goto out;
	if (rename(tmp.buf, dst) != 0) {
		strbuf_addf(err, "cannot rename %s to %s: %s", tmp.buf, dst,
			    strerror(errno));
		goto out;
	}
	ret = STORE_OK;
out:
	if (ret != STORE_OK)
		remove_db(tmp.buf);
	strbuf_release(&tmp);
	return ret;
}

/*
 * Nobody else has the target open: leaving WAL mode needs the only
 * connection, and folds the -wal into the file, so the rename below
 * leaves no -wal of the old store to be read with the new one.
 */
static int target_quiet(const char *target, struct strbuf *err)
{
	sqlite3 *db;
	char mode[32];
	int ret = STORE_ERROR;

	if (access(target, F_OK) != 0)
		return STORE_OK;
	db = open_db(target, SQLITE_OPEN_READWRITE, err);
	if (!db)
		return STORE_ERROR;
	sqlite3_busy_timeout(db, 0);
	if (query(db, target, "PRAGMA journal_mode = DELETE", NULL, mode,
		  sizeof(mode), err) < 0 ||
	    strcmp(mode, "delete")) {
		strbuf_reset(err);
		strbuf_addf(err,
			    "%s is in use (is the server running? stop it "
			    "first)",
			    target);
		ret = STORE_REFUSED;
		goto out;
	}
	ret = STORE_OK;
out:
	sqlite3_close(db);
	return ret;
}

int store_restore(const char *copy, const char *target,
		  struct store_backup_info *info, struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT, old = STRBUF_INIT;
	int ret;

	ret = store_backup_check(copy, info, err);
	if (ret != STORE_OK)
		goto out;
	ret = target_quiet(target, err);
	if (ret != STORE_OK)
		goto out;
	ret = STORE_ERROR;
	tmp_name(&tmp, target);
	remove_db(tmp.buf);
	if (copy_file(copy, tmp.buf, err) < 0 ||
	    store_backup_check(tmp.buf, NULL, err) != STORE_OK ||
	    sync_path(tmp.buf, err) < 0)
		goto out;
	if (access(target, F_OK) == 0) {
		strbuf_addf(&old, "%s.before-restore", target);
		unlink(old.buf);
		if (link(target, old.buf) != 0) {
			strbuf_addf(err, "cannot keep the old store as %s: %s",
				    old.buf, strerror(errno));
			goto out;
		}
	}
	if (rename(tmp.buf, target) != 0) {
		strbuf_addf(err, "cannot rename %s to %s: %s", tmp.buf, target,
			    strerror(errno));
		goto out;
	}
	ret = STORE_OK;
out:
	if (ret != STORE_OK && tmp.len)
		remove_db(tmp.buf);
	strbuf_release(&tmp);
	strbuf_release(&old);
	return ret;
}
