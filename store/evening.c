/*
 * evening.c - laptop copies for community evenings, the check-in desk,
 * and merging a laptop's store back into the main one (see evening.h).
 */
#include "evening.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "internal.h"
#include "paper.h"
#include "responses.h"
#include "xalloc.h"
#include "banned.h"

/* The laptop a copy is for, in its meta table. */
#define META_LAPTOP_ID	 "evening_laptop_id"
#define META_LAPTOP_NAME "evening_laptop_name"

/* ---- the copy ------------------------------------------------------------ */

/*
 * What goes along, with src the main store ATTACHed to the new one.  The
 * address loses its postcode: the desk finds a household by street and
 * number (and place, for a street name two villages share); the
 * postcode column keeps a stand-in that names no place, because the
 * schema's uniqueness is on it.  Only volunteers' accounts: the board's
 * hashes stay home.  No answers, entries, scans, refused codes or keys:
 * the laptop makes its own keys, and answers it holds are the evening's.
 */
static const char sql_copy[] =
	"INSERT INTO main.meta(key, value) SELECT key, value FROM src.meta;"
	"INSERT INTO main.buurt(id, position, name, households)"
	" SELECT id, position, name, households FROM src.buurt;"
	"INSERT INTO main.question(id, position, type)"
	" SELECT id, position, type FROM src.question;"
	"INSERT INTO main.option(question_id, id, position)"
	" SELECT question_id, id, position FROM src.option;"
	"INSERT INTO main.household(id, buurt_id, form_no, created_at)"
	" SELECT id, buurt_id, form_no, created_at FROM src.household;"
	"INSERT INTO main.address(household_id, street, number, letter,"
	" addition, postcode, place, resident, residents)"
	" SELECT household_id, street, number, letter, addition,"
	" '#' || household_id, place, resident, residents FROM src.address;"
	"INSERT INTO main.token(household_id, code)"
	" SELECT household_id, code FROM src.token;"
	"INSERT INTO main.account(name, role, pwhash, created_at)"
	" SELECT name, role, pwhash, created_at FROM src.account"
	" WHERE role = 'volunteer';"
	"DELETE FROM main.tally_household;"
	"INSERT INTO main.tally_household(buurt_id, households, with_address)"
	" SELECT buurt_id, households, with_address FROM src.tally_household;";

static const char sql_meta_put[] =
	"INSERT INTO meta(key, value) VALUES (?, ?)"
	" ON CONFLICT(key) DO UPDATE SET value = excluded.value";

static int meta_put(struct store *st, const char *key, const char *value,
		    struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_meta_put, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, value, -1, SQLITE_STATIC);
	return store_step_done(st, stmt, err);
}

static bool name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!n || n > STORE_EVENING_NAME_MAX * 4)
		return false;
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < ' ')
			return false;
	return true;
}

/* Fill the new store out from st; in out's transaction. */
static int fill_copy(struct store *st, struct store *out, const char *name,
		     struct store_evening_copied *c, struct strbuf *err)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_prepare(out, "ATTACH DATABASE ? AS src", err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, store_path(st), -1, SQLITE_STATIC);
	rc = store_step_done(out, stmt, err);
	sqlite3_finalize(stmt);
	if (rc < 0)
		return STORE_ERROR;
	/*
	 * A deferred transaction, not store_begin()'s immediate one: that
	 * would take the write lock of src too, and hold up the server of
	 * the main store while the copy is made.
	 */
	rc = STORE_ERROR;
	if (store_exec(out, "BEGIN DEFERRED", err) < 0)
		goto detach;
	if (store_exec(out, sql_copy, err) < 0 ||
	    meta_put(out, META_LAPTOP_ID, c->laptop_id, err) < 0 ||
	    meta_put(out, META_LAPTOP_NAME, name, err) < 0 ||
	    store_query_int(out, "SELECT count(*) FROM main.household", 0, 0,
			    &c->households, err) < 0 ||
	    store_query_int(out, "SELECT count(*) FROM main.address", 0, 0,
			    &c->addresses, err) < 0 ||
	    store_query_int(out, "SELECT count(*) FROM main.account", 0, 0,
			    &c->volunteers, err) < 0 ||
	    store_exec(out, "COMMIT", err) < 0) {
		store_exec(out, "ROLLBACK", NULL);
		goto detach;
	}
	rc = STORE_OK;
detach:
	if (store_exec(out, "DETACH DATABASE src",
		       rc == STORE_OK ? err : NULL) < 0)
		rc = STORE_ERROR;
	return rc;
}

static const char sql_add_laptop[] =
	"INSERT INTO evening_laptop(id, name) VALUES (?, ?)";

int store_evening_copy(struct store *st, const char *out_path, const char *name,
		       struct store_evening_copied *c, struct strbuf *err)
{
	unsigned char raw[16];
	struct store *out = NULL;
	sqlite3_stmt *stmt;
	struct strbuf side = STRBUF_INIT;
	int ret = STORE_ERROR;
	bool made = false;
	mode_t old_mask;

	memset(c, 0, sizeof(*c));
	if (!name_ok(name))
		return STORE_INVALID;
	if (access(out_path, F_OK) == 0)
		return STORE_EXISTS;
	if (sodium_init() < 0) {
		strbuf_addstr(err, "no source of random numbers for a laptop "
				   "id");
		return STORE_ERROR;
	}
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(c->laptop_id, sizeof(c->laptop_id), raw, sizeof(raw));
	made = true; /* it did not exist: whatever is there now is ours */
	/*
	 * The codes in it are residents' keys: for its owner's eyes only,
	 * from the first byte (umask, for its -wal and -shm too) to the end.
	 */
	old_mask = umask(077);
	out = store_open(out_path, STORE_CREATE, err);
	umask(old_mask);
	if (!out)
		goto out;
	if (chmod(out_path, 0600) != 0) {
		strbuf_addf(err, "cannot make %s private: %s", out_path,
			    strerror(errno));
		goto out;
	}
	if (fill_copy(st, out, name, c, err) < 0 ||
	    store_checkpoint(out, err) < 0)
		goto out;
	/* Noted at home: a laptop the main store does not know cannot merge. */
	stmt = store_stmt(st, sql_add_laptop, err);
	if (!stmt)
		goto out;
	sqlite3_bind_text(stmt, 1, c->laptop_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	ret = store_step_done(st, stmt, err);
out:
	store_free(out);
	if (ret != STORE_OK && made) {
		unlink(out_path);
		strbuf_addf(&side, "%s-wal", out_path);
		unlink(side.buf);
		strbuf_reset(&side);
		strbuf_addf(&side, "%s-shm", out_path);
		unlink(side.buf);
	}
	strbuf_release(&side);
	return ret;
}

/* ---- merging a laptop home ----------------------------------------------- */

struct merge {
	struct store *st, *lap;
	const struct survey *s;
	char *laptop_id;
	struct store_evening_merged *m;
	struct strbuf by;
};

static const char sql_merged[] =
	"SELECT 1 FROM evening_merge WHERE laptop = ? AND kind = ?"
	" AND origin_id = ?";
static const char sql_note_merge[] =
	"INSERT INTO evening_merge(laptop, kind, origin_id, household_id,"
	" origin_at, outcome, response_id, entry_id)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

/* Whether the laptop's row (kind, id) was merged: 1, 0, STORE_ERROR. */
static int merged_before(struct merge *g, const char *kind, long long id,
			 struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(g->st, sql_merged, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, g->laptop_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, id);
	rc = store_step_row(g->st, stmt, err);
	sqlite3_reset(stmt);
	return rc;
}

static int note_merge(struct merge *g, const char *kind, long long id,
		      long long household, const char *at, const char *outcome,
		      long long response, long long entry, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(g->st, sql_note_merge, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, g->laptop_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, id);
	sqlite3_bind_int64(stmt, 4, household);
	sqlite3_bind_text(stmt, 5, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, outcome, -1, SQLITE_STATIC);
	if (response)
		sqlite3_bind_int64(stmt, 7, response);
	if (entry)
		sqlite3_bind_int64(stmt, 8, entry);
	return store_step_done(g->st, stmt, err);
}

/* The answers of the laptop's row id, by sql, into a. */
static int load_laptop_answers(struct merge *g, const char *sql, long long id,
			       struct survey_answers *a, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(g->lap, sql, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = store_step_row(g->lap, stmt, err)) > 0) {
		const struct survey_question *q =
			survey_find_question(g->s, store_col_text(stmt, 0));

		if (!q) {
			strbuf_addf(err,
				    "the laptop's answer to question '%s' is "
				    "not of this survey",
				    store_col_text(stmt, 0));
			sqlite3_reset(stmt);
			return STORE_ERROR;
		}
		survey_answers_add(a, q, store_col_text(stmt, 1));
	}
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

static const char sql_lap_token[] =
	"SELECT code FROM token WHERE household_id = ?";
static const char sql_main_token[] =
	"SELECT code = ? FROM token WHERE household_id = ?";

/*
 * Whether household on the laptop is the same household at home (its
 * code agrees): a household made on the laptop would take another's id.
 */
static int same_household(struct merge *g, long long household,
			  struct strbuf *err)
{
	sqlite3_stmt *lap = store_stmt(g->lap, sql_lap_token, err), *st;
	char code[SURVEY_TOKEN_SIZE];
	int rc;

	if (!lap)
		return STORE_ERROR;
	sqlite3_bind_int64(lap, 1, household);
	rc = store_step_row(g->lap, lap, err);
	if (rc < 0)
		return STORE_ERROR;
	store_col_copy(lap, 0, code, sizeof(code));
	sqlite3_reset(lap);
	st = store_stmt(g->st, sql_main_token, err);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, household);
	rc = store_step_row(g->st, st, err);
	if (rc > 0)
		rc = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	if (rc == 0)
		strbuf_addf(err,
			    "household %lld of the laptop is not the one of "
			    "that number in %s (was it made on the laptop?); "
			    "nothing was merged",
			    household, store_path(g->st));
	return rc > 0 ? 1 : STORE_ERROR;
}

static const char sql_entries_from[] =
	"SELECT entry_id FROM evening_merge WHERE laptop = ? AND kind = 'entry'"
	" AND household_id = ?";

/*
 * The laptop counted household's form after its entry was brought home
 * waiting: that entry waits no longer.
 */
static int close_earlier_entries(struct merge *g, long long household,
				 long long response, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(g->st, sql_entries_from, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, g->laptop_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, household);
	while ((rc = store_step_row(g->st, stmt, err)) > 0)
		if (store_paper_close_waiting(g->st,
					      sqlite3_column_int64(stmt, 0),
					      response, err) < 0) {
			rc = STORE_ERROR;
			break;
		}
	sqlite3_finalize(stmt);
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

static const char sql_lap_responses[] =
	"SELECT id, household_id, channel, coalesce(entered_by, ''), lang,"
	" created_at FROM response WHERE superseded_by IS NULL"
	" AND simulated = 0 ORDER BY id";
static const char sql_lap_response_answers[] =
	"SELECT question_id, value FROM answer WHERE response_id = ?";

/* One counting response of the laptop, brought home. */
static int merge_response(struct merge *g, sqlite3_stmt *row,
			  struct strbuf *err)
{
	long long id = sqlite3_column_int64(row, 0);
	long long household = sqlite3_column_int64(row, 1);
	const char *at = store_col_text(row, 5);
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	struct store_current cur;
	char channel[8];
	int rc, ret = STORE_ERROR;

	rc = merged_before(g, "response", id, err);
	if (rc != 0) {
		g->m->known += rc > 0;
		return rc < 0 ? STORE_ERROR : STORE_OK;
	}
	if (same_household(g, household, err) < 0)
		return STORE_ERROR;
	store_col_copy(row, 2, channel, sizeof(channel));
	strbuf_reset(&g->by);
	strbuf_addf(&g->by, "%s (%s)",
		    *store_col_text(row, 3) ? store_col_text(row, 3) : channel,
		    g->m->laptop_name);
	if (load_laptop_answers(g, sql_lap_response_answers, id, &a, err) < 0 ||
	    store_response_current(g->st, g->s, household, &cur, NULL, err) < 0)
		goto out;
	if (!cur.id) {
		struct store_record rec = {
			.household = household,
			.channel = channel,
			.entered_by = g->by.buf,
			.lang = store_col_text(row, 4),
			.answers = &a,
			.conflict = g->s->conflict,
			.expect_current = 0,
			.created_at = at,
		};

		if (store_response_record(g->st, &rec, err) != STORE_OK) {
			if (!err->len)
				strbuf_addstr(err, "a response was recorded "
						   "meanwhile; merge again");
			goto out;
		}
		if (close_earlier_entries(g, household, rec.response_id, err) <
			    0 ||
		    note_merge(g, "response", id, household, at, "counted",
			       rec.response_id, 0, err) < 0)
			goto out;
		g->m->counted++;
	} else {
		/* Online, or another laptop: the board decides. */
		struct store_paper_carry c = {
			.household = household,
			.entered_by = g->by.buf,
			.answers = &a,
			.created_at = at,
		};

		if (store_paper_add_conflict(g->st, &c, err) < 0 ||
		    close_earlier_entries(g, household, 0, err) < 0 ||
		    note_merge(g, "response", id, household, at, "conflict", 0,
			       c.entry_id, err) < 0)
			goto out;
		g->m->conflicts++;
	}
	ret = STORE_OK;
out:
	survey_answers_release(&a);
	return ret;
}

static const char sql_lap_entries[] =
	"SELECT id, household_id, entered_by, created_at, state = 'waiting'"
	" FROM paper_entry WHERE state IN ('waiting', 'differs') ORDER BY id";
static const char sql_lap_entry_answers[] =
	"SELECT question_id, value FROM paper_entry_answer WHERE entry_id = ?";
static const char sql_main_waiting[] =
	"SELECT count(*) FROM paper_entry WHERE household_id = ?"
	" AND state = 'waiting'";

/*
 * A paper entry still open on the laptop: one that waits for its second
 * entry waits at home (unless one waits there too: then both differ, for
 * the board); one that differs goes to the board.
 */
static int merge_entry(struct merge *g, sqlite3_stmt *row, struct strbuf *err)
{
	long long id = sqlite3_column_int64(row, 0);
	long long household = sqlite3_column_int64(row, 1);
	const char *at = store_col_text(row, 3);
	bool waiting = sqlite3_column_int(row, 4) != 0;
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	long long home_waiting = 0;
	int rc, ret = STORE_ERROR;

	rc = merged_before(g, "entry", id, err);
	if (rc != 0) {
		g->m->known += rc > 0;
		return rc < 0 ? STORE_ERROR : STORE_OK;
	}
	if (same_household(g, household, err) < 0 ||
	    load_laptop_answers(g, sql_lap_entry_answers, id, &a, err) < 0 ||
	    store_query_int(g->st, sql_main_waiting, household, 0,
			    &home_waiting, err) < 0)
		goto out;
	strbuf_reset(&g->by);
	if (waiting && !home_waiting) {
		/* The plain name: the second entry needs another volunteer. */
		struct store_paper_carry c = {
			.household = household,
			.entered_by = store_col_text(row, 2),
			.answers = &a,
			.created_at = at,
		};

		if (store_paper_add_waiting(g->st, &c, err) < 0 ||
		    note_merge(g, "entry", id, household, at, "waiting", 0,
			       c.entry_id, err) < 0)
			goto out;
	} else {
		struct store_paper_carry c = {
			.household = household,
			.entered_by = g->by.buf,
			.answers = &a,
			.created_at = at,
		};

		strbuf_addf(&g->by, "%s (%s)", store_col_text(row, 2),
			    g->m->laptop_name);
		if (store_paper_add_conflict(g->st, &c, err) < 0 ||
		    note_merge(g, "entry", id, household, at, "differs", 0,
			       c.entry_id, err) < 0)
			goto out;
	}
	g->m->entries++;
	ret = STORE_OK;
out:
	survey_answers_release(&a);
	return ret;
}

static const char sql_lap_checkins[] =
	"SELECT id, household_id, volunteer, proxy, consent_shown, created_at"
	" FROM evening_checkin WHERE laptop = '' ORDER BY id";
static const char sql_carry_checkin[] =
	"INSERT INTO evening_checkin(household_id, laptop, origin_id,"
	" volunteer, proxy, consent_shown, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (laptop, origin_id)"
	" DO NOTHING";

static int merge_checkin(struct merge *g, sqlite3_stmt *row, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(g->st, sql_carry_checkin, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, sqlite3_column_int64(row, 1));
	sqlite3_bind_text(stmt, 2, g->laptop_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, sqlite3_column_int64(row, 0));
	sqlite3_bind_text(stmt, 4, store_col_text(row, 2), -1,
			  SQLITE_TRANSIENT);
	if (sqlite3_column_type(row, 3) != SQLITE_NULL)
		sqlite3_bind_text(stmt, 5, store_col_text(row, 3), -1,
				  SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 6, sqlite3_column_int(row, 4));
	sqlite3_bind_text(stmt, 7, store_col_text(row, 5), -1,
			  SQLITE_TRANSIENT);
	if (store_step_done(g->st, stmt, err) < 0)
		return STORE_ERROR;
	if (sqlite3_changes(g->st->db))
		g->m->checkins++;
	else
		g->m->known++;
	return STORE_OK;
}

typedef int (*merge_row_fn)(struct merge *g, sqlite3_stmt *row,
			    struct strbuf *err);

/* Run fn on every row of the laptop's query sql. */
static int each_laptop_row(struct merge *g, const char *sql, merge_row_fn fn,
			   struct strbuf *err)
{
	/* Not kept: fn uses the laptop's kept statements meanwhile. */
	sqlite3_stmt *stmt = store_prepare(g->lap, sql, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(g->lap, stmt, err)) > 0)
		if (fn(g, stmt, err) < 0) {
			rc = STORE_ERROR;
			break;
		}
	sqlite3_finalize(stmt);
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

static const char sql_known_laptop[] =
	"SELECT name FROM evening_laptop WHERE id = ?";
static const char sql_merged_at[] =
	"UPDATE evening_laptop SET merged_at ="
	" strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?";

/* Which laptop lap is, and whether st made it: STORE_OK or why not. */
static int identify(struct merge *g, struct strbuf *err)
{
	sqlite3_stmt *stmt;
	int rc;

	g->laptop_id = store_meta_get(g->lap, META_LAPTOP_ID);
	if (!g->laptop_id) {
		strbuf_addf(err,
			    "%s is not a laptop copy (draagvlak evening "
			    "copy makes one)",
			    store_path(g->lap));
		return STORE_INVALID;
	}
	stmt = store_stmt(g->st, sql_known_laptop, err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, g->laptop_id, -1, SQLITE_STATIC);
	rc = store_step_row(g->st, stmt, err);
	if (rc > 0)
		store_col_copy(stmt, 0, g->m->laptop_name,
			       sizeof(g->m->laptop_name));
	sqlite3_reset(stmt);
	if (rc == 0)
		strbuf_addf(err, "the laptop copy %s was not made from %s",
			    store_path(g->lap), store_path(g->st));
	return rc < 0 ? STORE_ERROR : rc ? STORE_OK : STORE_NOT_FOUND;
}

int store_evening_merge(struct store *st, const struct survey *s,
			const char *laptop_path, struct store_evening_merged *m,
			struct strbuf *err)
{
	struct merge g = { .st = st, .s = s, .m = m, .by = STRBUF_INIT };
	int ret = STORE_ERROR;
	bool began = false;

	memset(m, 0, sizeof(*m));
	g.lap = store_open(laptop_path, STORE_EXISTING, err);
	if (!g.lap)
		goto out;
	ret = identify(&g, err);
	if (ret != STORE_OK)
		goto out;
	ret = STORE_ERROR;
	if (store_begin(st, err) < 0 || store_begin_read(g.lap, err) < 0)
		goto out;
	began = true;
	if (each_laptop_row(&g, sql_lap_responses, merge_response, err) < 0 ||
	    each_laptop_row(&g, sql_lap_entries, merge_entry, err) < 0 ||
	    each_laptop_row(&g, sql_lap_checkins, merge_checkin, err) < 0 ||
	    store_query_int(g.lap,
			    "SELECT count(*) FROM scan_form WHERE state IN"
			    " ('review', 'incomplete', 'conflict')",
			    0, 0, &m->left, err) < 0)
		goto out;
	/* Only a merge that brought something changes the store. */
	if (m->counted + m->conflicts + m->entries + m->checkins) {
		sqlite3_stmt *stmt = store_stmt(st, sql_merged_at, err);

		if (!stmt)
			goto out;
		sqlite3_bind_text(stmt, 1, g.laptop_id, -1, SQLITE_STATIC);
		if (store_step_done(st, stmt, err) < 0)
			goto out;
	}
	store_rollback(g.lap);
	began = false;
	ret = store_commit(st, err);
	if (ret != STORE_OK)
		store_rollback(st);
out:
	if (began) {
		store_rollback(g.lap);
		store_rollback(st);
	}
	free(g.laptop_id);
	strbuf_release(&g.by);
	store_free(g.lap);
	return ret;
}

/* ---- the check-in desk --------------------------------------------------- */

#define HOUSEHOLD_COLUMNS                                                      \
	"SELECT h.id, h.buurt_id, coalesce(h.form_no, 0),"                     \
	" a.household_id IS NOT NULL, coalesce(a.street, ''),"                 \
	" coalesce(a.number, 0), coalesce(a.letter, ''),"                      \
	" coalesce(a.addition, ''), coalesce(a.place, ''),"                    \
	" (SELECT count(*) FROM evening_checkin c WHERE c.household_id = "     \
	"h.id)"                                                                \
	" FROM household h LEFT JOIN address a ON a.household_id = h.id"

static const char sql_find_address[] = HOUSEHOLD_COLUMNS
	" WHERE a.number = ?2 AND a.street LIKE ?1 || '%' ESCAPE '\\'"
	" ORDER BY a.street, a.place, a.letter, a.addition LIMIT ?3";
static const char sql_household[] = HOUSEHOLD_COLUMNS " WHERE h.id = ?";

static void read_household(sqlite3_stmt *stmt,
			   struct store_evening_household *h)
{
	memset(h, 0, sizeof(*h));
	h->id = sqlite3_column_int64(stmt, 0);
	store_col_copy(stmt, 1, h->buurt_id, sizeof(h->buurt_id));
	h->form_no = sqlite3_column_int64(stmt, 2);
	h->has_address = sqlite3_column_int(stmt, 3) != 0;
	store_col_copy(stmt, 4, h->street, sizeof(h->street));
	h->number = (long)sqlite3_column_int64(stmt, 5);
	store_col_copy(stmt, 6, h->letter, sizeof(h->letter));
	store_col_copy(stmt, 7, h->addition, sizeof(h->addition));
	store_col_copy(stmt, 8, h->place, sizeof(h->place));
	h->checkins = sqlite3_column_int64(stmt, 9);
}

int store_evening_find_address(struct store *st, const char *street,
			       long number, unsigned max, store_evening_fn fn,
			       void *data, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_find_address, err);
	struct strbuf like = STRBUF_INIT;
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	/* The street as typed, its LIKE wildcards taken literally. */
	for (const char *p = street; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			strbuf_addch(&like, '\\');
		strbuf_addch(&like, *p);
	}
	sqlite3_bind_text(stmt, 1, like.buf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, number);
	sqlite3_bind_int(stmt, 3, (int)max);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		struct store_evening_household h;

		read_household(stmt, &h);
		ret = fn(&h, data);
		if (ret) {
			sqlite3_reset(stmt);
			break;
		}
	}
	if (rc < 0)
		ret = STORE_ERROR;
	strbuf_release(&like);
	return ret;
}

int store_evening_household(struct store *st, long long id,
			    struct store_evening_household *h,
			    struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_household, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, id);
	rc = store_step_row(st, stmt, err);
	if (rc > 0)
		read_household(stmt, h);
	sqlite3_reset(stmt);
	return rc < 0 ? STORE_ERROR : rc ? STORE_OK : STORE_NOT_FOUND;
}

static const char sql_checkin[] =
	"INSERT INTO evening_checkin(household_id, volunteer, proxy,"
	" consent_shown) SELECT id, ?2, ?3, ?4 FROM household WHERE id = ?1";

int store_evening_checkin(struct store *st, const struct store_checkin *c,
			  struct strbuf *err)
{
	bool proxy = c->proxy && *c->proxy;
	sqlite3_stmt *stmt;

	if ((proxy && !c->consent_shown) || (proxy && strlen(c->proxy) > 80))
		return STORE_INVALID;
	stmt = store_stmt(st, sql_checkin, err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, c->household);
	sqlite3_bind_text(stmt, 2, c->volunteer, -1, SQLITE_STATIC);
	if (proxy)
		sqlite3_bind_text(stmt, 3, c->proxy, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, proxy && c->consent_shown);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	return sqlite3_changes(st->db) ? STORE_OK : STORE_NOT_FOUND;
}

/* See internal.h: what archiving forgets of this file's tables. */
int store_evening_forget(struct store *st, struct strbuf *err)
{
	return store_exec(
		st,
		"UPDATE evening_checkin SET proxy = NULL, consent_shown = 0;",
		err);
}
