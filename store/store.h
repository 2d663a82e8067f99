/*
 * store.h - the data layer: one survey's SQLite file, and the only code
 * in draagvlak that speaks SQL.
 *
 * Everything above this folder sees a store as an opaque handle and a set
 * of functions, one header per group of tables:
 *
 *   store.h        opening, closing, transactions, result codes
 *   definition.h   the survey definition, its buurten and questions
 *   households.h   households, their addresses and codes
 *   responses.h    responses and their answers: who counts
 *   paper.h        paper forms entered by volunteers (double entry)
 *   scans.h        scanned pages, their questions, the review queue
 *   accounts.h     volunteers' and board members' accounts, server keys
 *   invitations.h  one-time invitations to an account, and who did what
 *   audit.h        refused codes and what the count record lists
 *   counts.h       the counts the analysis and the exports read
 *   writer.h       the group-commit writer thread
 *   backup.h       copies of the whole file: backup and restore
 *   evening.h      community evenings: laptop copies, check-in, merging
 *   lifecycle.h    closing, count records, replaced codes, archiving
 *
 * Each of those files states the invariants of its tables once, and is
 * the only one that writes them.  The personal side (address, token) and
 * the answers side (response, answer) are separate tables that meet only
 * in household, which holds nothing but an id and a buurt; the view
 * answer_export reads the answers side only, so an export cannot carry an
 * address.
 *
 * The file is opened in WAL mode with foreign keys on and synchronous=FULL:
 * what the store has acknowledged is on disk.  The schema version lives in
 * PRAGMA user_version and is migrated forward on open (schema.c).
 *
 * A store is used by one thread at a time (the server hands its stores
 * from thread to thread under a lock): the connection is opened without
 * SQLite's own mutex, which would cost the writer a lock on every call.
 *
 * Results: functions return an enum store_rc.  STORE_ERROR (negative)
 * means the store itself failed, and err holds a sentence for the
 * operator's log (file name, SQLite's words): never show it to a
 * resident or volunteer.  The positive codes are outcomes a page turns
 * into words of its own.
 */
#ifndef DRAAGVLAK_STORE_H
#define DRAAGVLAK_STORE_H

#include <stdbool.h>

#include "strbuf.h"

/* The schema version this build writes and migrates to. */
#define STORE_SCHEMA_VERSION 15

struct store;

enum store_rc {
	STORE_ERROR = -1, /* the store failed: err says why, for logs */
	STORE_OK = 0,
	STORE_NOT_FOUND,      /* no such row */
	STORE_EXISTS,	      /* the name or key is taken */
	STORE_CHANGED,	      /* someone else changed it meanwhile */
	STORE_ALREADY_DONE,   /* it was dealt with before */
	STORE_SAME_VOLUNTEER, /* a second entry by the first one's author */
	STORE_REFUSED,	      /* the rules do not allow it (see the call) */
	STORE_INVALID,	      /* the input is not acceptable */
};

/*
 * Call once at the start of a long-running process, before any store is
 * opened: SQLite keeps memory statistics under one global lock taken on
 * every allocation (5% of the writer's work), and nothing here reads
 * them.  Later calls, and calls after a store was opened, change nothing.
 */
void store_global_init(void);

/* A name for the code, for logs and tests: "ok", "not-found", ... */
const char *store_rc_name(enum store_rc rc);

enum store_mode {
	STORE_EXISTING, /* the file must exist and hold a survey, or be a
			   host's store (host.h) */
	STORE_CREATE,	/* create the file when missing */
};

/*
 * Open the store at path, creating it or migrating its schema as needed.
 * Returns the store (free with store_free()), or NULL with a sentence in
 * err.  A newer schema than this build knows is refused.
 */
struct store *store_open(const char *path, enum store_mode mode,
			 struct strbuf *err);
/*
 * Finalize every statement, close the database and free the store.
 * NULL is fine.
 */
void store_free(struct store *st);

/* The file the store was opened from. */
const char *store_path(const struct store *st);

/*
 * Transactions.  store_begin() starts a write transaction (BEGIN
 * IMMEDIATE: the write lock is taken at once, so it cannot fail half-way
 * for want of it); store_begin_read() a read transaction, in which every
 * query sees the same snapshot.  Called while a transaction is open,
 * either opens a savepoint instead, so a function that makes several
 * changes can begin and commit on its own and still be part of its
 * caller's transaction.  store_commit() ends the innermost level;
 * store_rollback() undoes it.  Every begin is matched by exactly one
 * commit or rollback.  Return STORE_OK or STORE_ERROR with err.
 */
int store_begin(struct store *st, struct strbuf *err);
int store_begin_read(struct store *st, struct strbuf *err);
int store_commit(struct store *st, struct strbuf *err);
void store_rollback(struct store *st);
/* How many levels are open (0: none). */
unsigned store_depth(const struct store *st);

/*
 * A number that changes whenever another connection commits to the file
 * (PRAGMA data_version); -1 on error.
 */
long long store_data_version(struct store *st);

/*
 * Copy the WAL into the main file (TRUNCATE: and empty it), so that the
 * .db file alone is complete.  STORE_OK or STORE_ERROR.
 */
int store_checkpoint(struct store *st, struct strbuf *err);

#endif
