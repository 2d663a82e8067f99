/*
 * backup.h - copies of a whole store: taking one from a live store, and
 * putting one back (draagvlak backup / restore, docs/operations.md).
 *
 * These work on files, not on an open struct store: a backup is taken
 * beside the running server over a connection of its own, and a restore
 * replaces the file the server would open.
 *
 * Invariants of a copy: it is one self-contained SQLite file (rollback
 * journal, no -wal beside it), it holds every transaction committed
 * before store_backup() was called, and it appears under its name only
 * when complete (written as NAME.tmp-PID, synced, renamed).
 */
#ifndef DRAAGVLAK_STORE_BACKUP_H
#define DRAAGVLAK_STORE_BACKUP_H

#include "strbuf.h"

struct store_backup_info {
	int schema_version;  /* PRAGMA user_version of the copy */
	long long pages;     /* its size in pages */
	long long page_size; /* bytes per page */
	char survey_id[128]; /* the survey it holds */
};

/*
 * Copy the store at src to dst with SQLite's online backup API while
 * other connections (the server) keep writing: the copy is of one read
 * snapshot, so writers are never blocked.  An existing dst is replaced.
 * STORE_OK, or STORE_ERROR with a sentence in err.  info may be NULL.
 */
int store_backup(const char *src, const char *dst,
		 struct store_backup_info *info, struct strbuf *err);

/*
 * Check the copy at path: PRAGMA integrity_check says ok, its schema
 * version is one this build knows (not newer), and it holds a survey.
 * STORE_OK; STORE_INVALID with the reason in err; STORE_ERROR when it
 * cannot be read.  info may be NULL.
 */
int store_backup_check(const char *path, struct store_backup_info *info,
		       struct strbuf *err);

/*
 * Check the copy at copy (store_backup_check), then put it in place of
 * the store at target atomically: target always names either the old
 * store or the whole new one.  The old store, when there is one, is kept
 * as TARGET.before-restore.  The server must be stopped: a target still
 * open elsewhere is refused (STORE_REFUSED).  STORE_OK, STORE_INVALID,
 * STORE_REFUSED or STORE_ERROR, with err.
 */
int store_restore(const char *copy, const char *target,
		  struct store_backup_info *info, struct strbuf *err);

#endif
