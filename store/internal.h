/*
 * internal.h - what the files of the data layer share, and nothing above
 * it may see: the connection, the statement cache, and small helpers for
 * stepping statements.  Include it only from the files of store/.
 */
#ifndef DRAAGVLAK_STORE_INTERNAL_H
#define DRAAGVLAK_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "store.h"
#include "strbuf.h"

/*
 * Statements are prepared once per connection and kept: preparing costs
 * more than running most of ours (the writer records thousands of
 * responses a second).  The key is the address of the SQL text, which
 * must therefore be a string constant; store_free() finalizes them all.
 */
#define STORE_CACHE_SIZE 64

struct store_cached {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	unsigned depth; /* open transaction levels */
	struct store_cached cache[STORE_CACHE_SIZE];
	size_t nr_cached;
	/* Whether a new code is taken elsewhere (households.h), or NULL. */
	int (*code_taken)(const char *code, void *arg);
	void *code_taken_arg;
};

/* Append "the store PATH: what SQLite said" to err (may be NULL). */
void store_sql_error(struct store *st, struct strbuf *err);

/*
 * The kept statement for sql (a string constant), reset and with its
 * bindings cleared; NULL with err when it cannot be prepared.  The
 * statement belongs to the cache: never finalize it.
 */
sqlite3_stmt *store_stmt(struct store *st, const char *sql, struct strbuf *err);

/*
 * A statement for sql built at run time (not cached): finalize it.
 * NULL with err.
 */
sqlite3_stmt *store_prepare(struct store *st, const char *sql,
			    struct strbuf *err);

/* Run statements without parameters or results; STORE_OK or STORE_ERROR. */
int store_exec(struct store *st, const char *sql, struct strbuf *err);

/*
 * Archiving (lifecycle.c) forgets, inside its transaction, what each
 * table group's own file keeps about people, so that every table is
 * still written by one file: addresses and codes (households.c), the
 * server's keys (accounts.c), staff sessions (sessions.c), open
 * invitations (invitations.c), proxies' names at a check-in desk
 * (evening.c), and what scanned pages showed (scans.c: the file, the
 * machine's reading, the cut-outs; a page keeps its hash and state).
 * Each returns STORE_OK or STORE_ERROR.
 */
int store_households_forget(struct store *st, struct strbuf *err);
int store_accounts_forget_keys(struct store *st, struct strbuf *err);
int store_sessions_forget(struct store *st, struct strbuf *err);
int store_invitations_forget(struct store *st, struct strbuf *err);
int store_evening_forget(struct store *st, struct strbuf *err);
int store_scans_forget(struct store *st, struct strbuf *err);

/*
 * Give household a fresh random code in place of its old one, into
 * token (SURVEY_TOKEN_SIZE bytes; inside the caller's transaction; lifecycle.c's replace-code).
 * Like every code made here, never one st's code_taken calls taken.
 * STORE_OK, STORE_NOT_FOUND when it has no code, or STORE_ERROR.
 */
int store_households_new_code(struct store *st, long long household,
			      char *token, struct strbuf *err);

/*
 * Step stmt to its end (a write, or a query whose rows are not wanted),
 * then reset it.  STORE_OK or STORE_ERROR with err.
 */
int store_step_done(struct store *st, sqlite3_stmt *stmt, struct strbuf *err);

/*
 * Step a row loop: 1 for a row, 0 at the end, STORE_ERROR with err.  A
 * loop written `while ((rc = store_step_row(...)) > 0)` then checks rc:
 * an error is never taken for the end of the rows.
 */
int store_step_row(struct store *st, sqlite3_stmt *stmt, struct strbuf *err);

/* One integer from a kept statement with up to two integer parameters. */
int store_query_int(struct store *st, const char *sql, long long a, long long b,
		    long long *out, struct strbuf *err);

/* Column i as text, "" for NULL. */
const char *store_col_text(sqlite3_stmt *stmt, int i);
/* Column i copied into dst of size bytes, "" for NULL. */
void store_col_copy(sqlite3_stmt *stmt, int i, char *dst, size_t size);

/* Bind a text or NULL; the text must live until the statement is reset. */
void store_bind_text(sqlite3_stmt *stmt, int i, const char *s);

/*
 * For functions that make several changes: store_enter() begins a write
 * transaction when none is open (returns 1), and otherwise joins the
 * caller's (returns 0; a savepoint per call would cost the writer as
 * much as the call itself); STORE_ERROR when it cannot begin.
 * store_leave() then commits what store_enter() began when rc is
 * STORE_OK, rolls it back otherwise, and returns the outcome.  In a
 * caller's transaction a failure leaves the partial change for the
 * caller to roll back: every caller of the writer's kind does.
 */
int store_enter(struct store *st, struct strbuf *err);
int store_leave(struct store *st, int entered, int rc, struct strbuf *err);

/*
 * The tallies from scratch, from the counting responses: what migration
 * 7 fills them with, and what store_counts_rebuild() puts back after
 * responses were removed wholesale.  See counts.h for their invariant.
 */
#define STORE_TALLY_CLEAR_SQL                                                  \
	"DELETE FROM tally; DELETE FROM tally_response;"                       \
	"DELETE FROM tally_household;"
#define STORE_TALLY_FILL_SQL                                                   \
	"INSERT INTO tally(buurt_id, channel, question_id, value, n)"          \
	" SELECT h.buurt_id, r.channel, a.question_id, a.value, count(*)"      \
	" FROM response r JOIN household h ON h.id = r.household_id"           \
	" JOIN answer a ON a.response_id = r.id"                               \
	" JOIN question q ON q.id = a.question_id"                             \
	" WHERE r.superseded_by IS NULL AND q.type <> 'text'"                  \
	" GROUP BY 1, 2, 3, 4;"                                                \
	"INSERT INTO tally_response(buurt_id, channel, n)"                     \
	" SELECT h.buurt_id, r.channel, count(*)"                              \
	" FROM response r JOIN household h ON h.id = r.household_id"           \
	" WHERE r.superseded_by IS NULL GROUP BY 1, 2;"                        \
	"INSERT INTO tally_household(buurt_id, households, with_address)"      \
	" SELECT h.buurt_id, count(*), count(a.household_id)"                  \
	" FROM household h LEFT JOIN address a ON a.household_id = h.id"       \
	" GROUP BY 1;"

/*
 * The date in the Netherlands of a moment t (an SQL expression for the
 * store's UTC "YYYY-MM-DDTHH:MM:SSZ"): summer time from 01:00 UTC on the
 * last Sunday of March to 01:00 UTC on the last Sunday of October, as
 * msg_moment() tells a moment; the table summer_time (migration 14)
 * holds those moments per year, 1970 to 2199 (outside it: winter
 * time), because working them out with date() on every recorded answer
 * doubled what the triggers cost.  The moments are all written alike,
 * so they compare as strings, and the date is the UTC one unless the
 * hour is past 22 (summer) or 23 (winter).  Not SQLite's 'localtime',
 * which is the server's zone, not the survey's.  '' for a moment that
 * does not read.
 */
#define STORE_LOCAL_DAY_SQL(t)                                                 \
	"(CASE WHEN " t " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T"   \
	"[0-9][0-9]:*' THEN CASE WHEN substr(" t ", 12, 2) < CASE WHEN"        \
	" (SELECT " t " >= starts AND " t " < ends FROM summer_time"           \
	" WHERE year = substr(" t ", 1, 4) + 0) THEN '22' ELSE '23' END"       \
	" THEN substr(" t ", 1, 10)"                                           \
	" ELSE coalesce(date(substr(" t ", 1, 10), '+1 day'), '') END"         \
	" ELSE '' END)"

/*
 * The responses per day tally (migration 14, counts.h) from scratch, as
 * store_counts_rebuild() puts it back; the triggers keep it afterwards.
 */
#define STORE_TALLY_DAY_CLEAR_SQL "DELETE FROM tally_day;"
#define STORE_TALLY_DAY_OF_R	  STORE_LOCAL_DAY_SQL("r.created_at")
#define STORE_TALLY_DAY_FILL_SQL                                               \
	"INSERT INTO tally_day(day, buurt_id, channel, n)"                     \
	" SELECT " STORE_TALLY_DAY_OF_R ", h.buurt_id, r.channel, count(*)"    \
	" FROM response r JOIN household h ON h.id = r.household_id"           \
	" WHERE r.superseded_by IS NULL GROUP BY 1, 2, 3;"

/*
 * Whether the survey was closed: 1, 0 or STORE_ERROR (lifecycle.c); the
 * files that record answers refuse what closing forbids with it.
 */
int store_closed(struct store *st, struct strbuf *err);

/* Bring the schema up to STORE_SCHEMA_VERSION (schema.c). */
int store_schema_migrate(struct store *st, struct strbuf *err);

/* The value of a meta key (caller frees), or NULL (definition.c). */
char *store_meta_get(struct store *st, const char *key);

#endif
