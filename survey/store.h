/*
 * store.h - the SQLite store of one survey.
 *
 * One file holds one survey: its definition (the YAML text as the board
 * wrote it, so every later command needs only the store), its buurten and
 * questions, the households with their addresses and codes, and the
 * responses.  The personal side (address, token) and the answers side
 * (response, answer) are separate tables that meet only in household,
 * which holds nothing but an id and a buurt; the view answer_export reads
 * the answers side only, so an export cannot carry an address.
 *
 * The file is opened in WAL mode with foreign keys on and synchronous=FULL:
 * what the store has acknowledged is on disk.  The schema version lives in
 * PRAGMA user_version and is migrated forward on open.
 *
 * A store is used by one thread at a time (the server hands its stores
 * from thread to thread under a lock): the connection is opened without
 * SQLite's own mutex, which would cost the writer a lock on every call.
 */
#ifndef DRAAGVLAK_STORE_H
#define DRAAGVLAK_STORE_H

#include <sqlite3.h>
#include <stdbool.h>

#include "strbuf.h"
#include "survey.h"

/* The schema version this build writes and migrates to. */
#define SURVEY_STORE_VERSION 5

struct survey_store {
	sqlite3 *db;
	char *path;
};

enum survey_store_mode {
	SURVEY_STORE_EXISTING, /* the file must exist and hold a survey */
	SURVEY_STORE_CREATE,   /* create the file when missing */
};

/*
 * Open the store at path, creating it or migrating its schema as needed.
 * Returns the store (free with survey_store_free()), or NULL with a
 * sentence in err.  A newer schema than this build knows is refused.
 */
struct survey_store *survey_store_open(const char *path,
				       enum survey_store_mode mode,
				       struct strbuf *err);
/* Close the database and free the store.  NULL is fine. */
void survey_store_free(struct survey_store *st);

/* What survey_store_apply() did, for the user. */
struct survey_store_changes {
	bool created; /* the store was empty */
	unsigned questions_added, questions_removed, questions_changed;
	unsigned buurten_added, buurten_removed, buurten_changed;
	bool agreement_changed;
	bool texts_changed; /* nothing above: only wording, dates, settings */
};

/*
 * Make the store hold the survey s, whose definition text is yaml.  On an
 * empty store this creates everything.  On a store of the same survey it
 * updates: freely while no response exists, and otherwise only in ways
 * that leave every stored answer valid and the agreement untouched (it
 * was made before anyone answered).  Buurten that have households cannot
 * be removed.  All or nothing: returns 0, or -1 with the reasons in err
 * and the store unchanged.
 */
int survey_store_apply(struct survey_store *st, const struct survey *s,
		       const char *yaml, struct survey_store_changes *changes,
		       struct strbuf *err);

/*
 * Load the survey stored in st (parsing the stored definition again).
 * Returns it (free with survey_free()), or NULL with a sentence in err.
 */
struct survey *survey_store_load(struct survey_store *st, struct strbuf *err);

/* Number of responses stored (all channels, all versions); -1 on error. */
long long survey_store_count_responses(struct survey_store *st);

/*
 * Run sql (no result rows) and return 0, or -1 with SQLite's message in
 * err (which may be NULL).  For statements without parameters only.
 */
int survey_store_exec(struct survey_store *st, const char *sql,
		      struct strbuf *err);

/*
 * Append "the store PATH: what SQLite said" to err (which may be NULL),
 * for a statement of st that just failed.
 */
void survey_store_error(struct survey_store *st, struct strbuf *err);

/*
 * Count one refused code for today's audit: channel "online", "paper" or
 * "scan", reason "typo" (the check symbol caught it) or "unknown" (no
 * household has it).  Returns 0, or -1 with a sentence in err.
 */
int survey_store_note_rejected_code(struct survey_store *st,
				    const char *channel, const char *reason,
				    struct strbuf *err);

/* Prepare sql or return NULL with the message in err (may be NULL). */
sqlite3_stmt *survey_store_prepare(struct survey_store *st, const char *sql,
				   struct strbuf *err);

#endif
