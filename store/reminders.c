/*
 * reminders.c - the reminder waves (see reminders.h): who has not
 * answered, and which letters each wave wrote.
 */
#include "reminders.h"

#include <string.h>

#include "internal.h"
#include "banned.h"

/*
 * A household has answered when anything of it came back, on any
 * channel: a counting response, a paper form entered once or twice (a
 * form the board rejected does not count), a scanned page, or a
 * check-in at a community evening (its paper form may still be on the
 * laptop).  Every test uses an index on household_id.
 */
#define ANSWERED_SQL(h)                                                        \
	"(EXISTS (SELECT 1 FROM response r WHERE r.household_id = " h          \
	"   AND r.superseded_by IS NULL)"                                      \
	" OR EXISTS (SELECT 1 FROM paper_entry p WHERE p.household_id = " h    \
	"   AND p.state <> 'rejected')"                                        \
	" OR EXISTS (SELECT 1 FROM scan_form f WHERE f.household_id = " h ")"  \
	" OR EXISTS (SELECT 1 FROM evening_checkin c"                          \
	"   WHERE c.household_id = " h "))"

/* The columns of a household and the order of delivery (households.c). */
#define HOUSEHOLD_COLS                                                         \
	"SELECT h.id, h.buurt_id, coalesce(h.form_no, 0), t.code,"             \
	" a.street, a.number, a.letter, a.addition, a.postcode, a.place"
#define DELIVERY_ORDER                                                         \
	" ORDER BY b.position, a.street, a.number, a.letter, a.addition"

const char *store_reminder_scope_name(enum store_reminder_scope scope)
{
	return scope == STORE_REMIND_ALL ? "all" : "nonresponders";
}

/* Walk the households stmt yields (HOUSEHOLD_COLS); finalizes stmt. */
static int walk(struct store *st, sqlite3_stmt *stmt, store_household_fn fn,
		void *data, struct strbuf *err)
{
	int rc, ret = STORE_OK;

	while ((rc = store_step_row(st, stmt, err)) > 0) {
		struct store_household h = { 0 };

		h.id = sqlite3_column_int64(stmt, 0);
		h.buurt_id = store_col_text(stmt, 1);
		h.form_no = sqlite3_column_int64(stmt, 2);
		store_col_copy(stmt, 3, h.token, sizeof(h.token));
		h.street = store_col_text(stmt, 4);
		h.number = (long)sqlite3_column_int64(stmt, 5);
		h.letter = store_col_text(stmt, 6);
		h.addition = store_col_text(stmt, 7);
		h.postcode = store_col_text(stmt, 8);
		h.place = store_col_text(stmt, 9);
		ret = fn(&h, data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

int store_reminder_households_each(struct store *st, const char *buurt_id,
				   enum store_reminder_scope scope,
				   store_household_fn fn, void *data,
				   struct strbuf *err)
{
	/* Not kept: fn may well use the store itself. */
	sqlite3_stmt *stmt = store_prepare(
		st,
		HOUSEHOLD_COLS
		" FROM household h"
		" JOIN buurt b ON b.id = h.buurt_id"
		" JOIN token t ON t.household_id = h.id"
		" JOIN address a ON a.household_id = h.id"
		" WHERE (?1 IS NULL OR h.buurt_id = ?1)"
		" AND (?2 OR NOT " ANSWERED_SQL("h.id") ")" DELIVERY_ORDER,
		err);

	if (!stmt)
		return STORE_ERROR;
	store_bind_text(stmt, 1, buurt_id);
	sqlite3_bind_int(stmt, 2, scope == STORE_REMIND_ALL);
	return walk(st, stmt, fn, data, err);
}

int store_reminder_counts(struct store *st, const struct survey *s,
			  uint64_t *with_address, uint64_t *unanswered,
			  struct strbuf *err)
{
	sqlite3_stmt *stmt =
		store_prepare(st,
			      "SELECT h.buurt_id, count(*),"
			      " sum(NOT " ANSWERED_SQL(
				      "h.id") ")"
					      " FROM household h JOIN address a"
					      " ON a.household_id = h.id"
					      " GROUP BY h.buurt_id",
			      err);
	int rc;

	for (size_t i = 0; i < s->nr_buurten; i++)
		with_address[i] = unanswered[i] = 0;
	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		const struct survey_buurt *b =
			survey_find_buurt(s, store_col_text(stmt, 0));

		if (!b)
			continue;
		with_address[b - s->buurten] =
			(uint64_t)sqlite3_column_int64(stmt, 1);
		unanswered[b - s->buurten] =
			(uint64_t)sqlite3_column_int64(stmt, 2);
	}
	sqlite3_finalize(stmt);
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

int store_reminder_wave_make(struct store *st, enum store_reminder_scope scope,
			     const char *buurt_id, const char *by,
			     long long *wave, uint64_t *n, struct strbuf *err)
{
	sqlite3_stmt *stmt;
	int entered, rc;

	*wave = 0;
	*n = 0;
	entered = store_enter(st, err);
	if (entered < 0)
		return STORE_ERROR;
	if ((rc = store_closed(st, err)) != 0) {
		rc = rc > 0 ? STORE_REFUSED : STORE_ERROR;
		goto out;
	}
	rc = STORE_ERROR;
	/* The count is set once the letters are in (CHECK > 0 until). */
	stmt = store_stmt(st,
			  "INSERT INTO reminder_wave(made_by, scope, buurt_id,"
			  " households) VALUES (?, ?, ?, 1)",
			  err);
	if (!stmt)
		goto out;
	store_bind_text(stmt, 1, by);
	store_bind_text(stmt, 2, store_reminder_scope_name(scope));
	store_bind_text(stmt, 3, buurt_id);
	if (store_step_done(st, stmt, err) < 0)
		goto out;
	*wave = sqlite3_last_insert_rowid(st->db);
	stmt = store_stmt(st,
			  "INSERT INTO reminder_letter(wave, household_id)"
			  " SELECT ?1, h.id FROM household h"
			  " JOIN token t ON t.household_id = h.id"
			  " JOIN address a ON a.household_id = h.id"
			  " WHERE (?2 IS NULL OR h.buurt_id = ?2)"
			  " AND (?3 OR NOT " ANSWERED_SQL("h.id") ")",
			  err);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, *wave);
	store_bind_text(stmt, 2, buurt_id);
	sqlite3_bind_int(stmt, 3, scope == STORE_REMIND_ALL);
	if (store_step_done(st, stmt, err) < 0)
		goto out;
	*n = (uint64_t)sqlite3_changes(st->db);
	if (!*n) {
		/* Not left for a caller's transaction to roll back. */
		stmt = store_stmt(st, "DELETE FROM reminder_wave WHERE id = ?",
				  err);
		if (!stmt)
			goto out;
		sqlite3_bind_int64(stmt, 1, *wave);
		if (store_step_done(st, stmt, err) < 0)
			goto out;
		*wave = 0;
		rc = STORE_NOT_FOUND;
		goto out;
	}
	stmt = store_stmt(st,
			  "UPDATE reminder_wave SET households = ?"
			  " WHERE id = ?",
			  err);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)*n);
	sqlite3_bind_int64(stmt, 2, *wave);
	if (store_step_done(st, stmt, err) < 0)
		goto out;
	rc = STORE_OK;
out:
	return store_leave(st, entered, rc, err);
}

#define WAVE_COLS                                                              \
	"SELECT id, made_at, made_by, scope, coalesce(buurt_id, ''),"          \
	" households FROM reminder_wave"

static void wave_row(sqlite3_stmt *stmt, struct store_reminder_wave *w)
{
	memset(w, 0, sizeof(*w));
	w->id = sqlite3_column_int64(stmt, 0);
	store_col_copy(stmt, 1, w->made_at, sizeof(w->made_at));
	store_col_copy(stmt, 2, w->made_by, sizeof(w->made_by));
	w->scope = !strcmp(store_col_text(stmt, 3), "all")
			   ? STORE_REMIND_ALL
			   : STORE_REMIND_NONRESPONDERS;
	store_col_copy(stmt, 4, w->buurt_id, sizeof(w->buurt_id));
	w->households = (uint64_t)sqlite3_column_int64(stmt, 5);
}

int store_reminder_waves_each(struct store *st, store_reminder_wave_fn fn,
			      void *data, struct strbuf *err)
{
	sqlite3_stmt *stmt =
		store_prepare(st, WAVE_COLS " ORDER BY id DESC", err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		struct store_reminder_wave w;

		wave_row(stmt, &w);
		ret = fn(&w, data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

int store_reminder_wave_get(struct store *st, long long id,
			    struct store_reminder_wave *w, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, WAVE_COLS " WHERE id = ?", err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, id);
	rc = store_step_row(st, stmt, err);
	if (rc > 0)
		wave_row(stmt, w);
	sqlite3_reset(stmt);
	return rc < 0 ? STORE_ERROR : rc ? STORE_OK : STORE_NOT_FOUND;
}

int store_reminder_letters_each(struct store *st, long long wave,
				const char *buurt_id, store_household_fn fn,
				void *data, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(
		st,
		HOUSEHOLD_COLS
		" FROM reminder_letter l"
		" JOIN household h ON h.id = l.household_id"
		" JOIN buurt b ON b.id = h.buurt_id"
		" JOIN token t ON t.household_id = h.id"
		" JOIN address a ON a.household_id = h.id"
		" WHERE l.wave = ?1"
		" AND (?2 IS NULL OR h.buurt_id = ?2)" DELIVERY_ORDER,
		err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, wave);
	store_bind_text(stmt, 2, buurt_id);
	return walk(st, stmt, fn, data, err);
}
