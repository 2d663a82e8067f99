/*
 * households.c - households, addresses and codes in the store (see
 * households.h).
 */
#include "households.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "token.h"
#include "banned.h"

static const char sql_find_address[] =
	"SELECT household_id FROM address WHERE postcode = ?"
	" AND number = ? AND letter = ? AND addition = ? AND resident = ?";
static const char sql_ins_household[] =
	"INSERT INTO household(buurt_id, form_no) VALUES (?, ?)";
static const char sql_ins_address[] =
	"INSERT INTO address(household_id, street, number,"
	" letter, addition, postcode, place, resident, residents)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char sql_tally_household[] =
	"INSERT INTO tally_household(buurt_id, households, with_address)"
	" VALUES (?1, ?2, ?3) ON CONFLICT (buurt_id) DO UPDATE SET"
	" households = households + excluded.households,"
	" with_address = with_address + excluded.with_address";
static const char sql_ins_token[] =
	"INSERT INTO token(household_id, code) VALUES (?, ?)";

void store_codes_set_taken(struct store *st, store_code_taken_fn fn, void *arg)
{
	st->code_taken = fn;
	st->code_taken_arg = arg;
}

/*
 * Tries at one code before giving up: with 55 random bits a code is
 * taken by chance hardly ever, so only a broken check says "taken" a
 * thousand times in a row.
 */
#define CODE_TRIES 1000

/* A fresh random code into token that st's code_taken calls free. */
static int fresh_code(struct store *st, char token[SURVEY_TOKEN_SIZE],
		      struct strbuf *err)
{
	for (unsigned i = 0; i < CODE_TRIES; i++) {
		int taken;

		if (survey_token_new(token) < 0) {
			strbuf_addstr(err, "no source of random numbers for "
					   "codes");
			return STORE_ERROR;
		}
		if (!st->code_taken)
			return STORE_OK;
		taken = st->code_taken(token, st->code_taken_arg);
		if (taken < 0) {
			strbuf_addstr(err, "cannot tell whether a new code is "
					   "taken by another survey");
			return STORE_ERROR;
		}
		if (!taken)
			return STORE_OK;
	}
	strbuf_addf(err, "no free code after %d tries", CODE_TRIES);
	return STORE_ERROR;
}

/* Give household id a new code; 55 random bits collide rarely, but retry. */
static int add_token(struct store *st, long long id, struct strbuf *err)
{
	char token[SURVEY_TOKEN_SIZE];
	int rc;

	do {
		sqlite3_stmt *stmt = store_stmt(st, sql_ins_token, err);

		if (!stmt)
			return STORE_ERROR;
		if (fresh_code(st, token, err) < 0)
			return STORE_ERROR;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_text(stmt, 2, token, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
		sqlite3_reset(stmt);
	} while (rc == SQLITE_CONSTRAINT_UNIQUE);
	if (rc != SQLITE_DONE) {
		store_sql_error(st, err);
		return STORE_ERROR;
	}
	return STORE_OK;
}

/* Count households (and those with an address) into buurt_id's tally. */
static int tally_households(struct store *st, const char *buurt_id, int all,
			    int with_address, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_tally_household, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, buurt_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, all);
	sqlite3_bind_int(stmt, 3, with_address);
	return store_step_done(st, stmt, err);
}

/* A new household row (form_no 0: none); its id in *id. */
static int add_household(struct store *st, const char *buurt_id,
			 long long form_no, long long *id, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_ins_household, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, buurt_id, -1, SQLITE_STATIC);
	if (form_no)
		sqlite3_bind_int64(stmt, 2, form_no);
	if (store_step_done(st, stmt, err) < 0)
		return STORE_ERROR;
	*id = sqlite3_last_insert_rowid(st->db);
	if (tally_households(st, buurt_id, 1, form_no ? 0 : 1, err) < 0)
		return STORE_ERROR;
	return add_token(st, *id, err);
}

static int add_address(struct store *st, const char *buurt_id,
		       const struct store_address *a, long long *id,
		       struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_find_address, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, a->postcode, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, a->number);
	sqlite3_bind_text(stmt, 3, a->letter, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, a->addition, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 5, a->resident > 0 ? a->resident : 1);
	rc = store_step_row(st, stmt, err);
	if (rc < 0)
		return STORE_ERROR;
	if (rc > 0) {
		*id = sqlite3_column_int64(stmt, 0);
		sqlite3_reset(stmt);
		return STORE_EXISTS;
	}
	if (add_household(st, buurt_id, 0, id, err) < 0)
		return STORE_ERROR;
	stmt = store_stmt(st, sql_ins_address, err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, *id);
	sqlite3_bind_text(stmt, 2, a->street, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, a->number);
	sqlite3_bind_text(stmt, 4, a->letter, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, a->addition, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, a->postcode, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, a->place, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 8, a->resident > 0 ? a->resident : 1);
	sqlite3_bind_int(stmt, 9, a->residents > 0 ? a->residents : 1);
	return store_step_done(st, stmt, err);
}

int store_household_add_address(struct store *st, const char *buurt_id,
				const struct store_address *a, long long *id,
				struct strbuf *err)
{
	int entered = store_enter(st, err);

	if (entered < 0)
		return STORE_ERROR;
	return store_leave(st, entered, add_address(st, buurt_id, a, id, err),
			   err);
}

int store_households_add_anonymous(struct store *st, const char *buurt_id,
				   unsigned n, long long *first_form_no,
				   struct strbuf *err)
{
	long long form_no = 0, buurt = 0, id;
	int rc = STORE_ERROR;

	if (n == 0 || n > STORE_MAX_ANONYMOUS)
		return STORE_INVALID;
	if (store_begin(st, err) < 0)
		return STORE_ERROR;
	if (store_query_int(
		    st, "SELECT coalesce(max(form_no), 0) + 1 FROM household",
		    0, 0, &form_no, err) < 0)
		goto out;
	{
		sqlite3_stmt *stmt = store_stmt(
			st, "SELECT count(*) FROM buurt WHERE id = ?", err);

		if (!stmt)
			goto out;
		sqlite3_bind_text(stmt, 1, buurt_id, -1, SQLITE_STATIC);
		if (store_step_row(st, stmt, err) < 0)
			goto out;
		buurt = sqlite3_column_int64(stmt, 0);
		sqlite3_reset(stmt);
	}
	if (!buurt) {
		rc = STORE_NOT_FOUND;
		goto out;
	}
	*first_form_no = form_no;
	for (unsigned i = 0; i < n; i++)
		if (add_household(st, buurt_id, form_no + i, &id, err) < 0)
			goto out;
	rc = store_commit(st, err);
out:
	if (rc != STORE_OK)
		store_rollback(st);
	return rc;
}

int store_households_each(struct store *st, const char *buurt_id,
			  store_household_fn fn, void *data, struct strbuf *err)
{
	/* Not kept: fn may well use the store itself. */
	sqlite3_stmt *stmt = store_prepare(
		st,
		"SELECT h.id, h.buurt_id, coalesce(h.form_no, 0), t.code,"
		" a.street, a.number, a.letter, a.addition, a.postcode,"
		" a.place, coalesce(a.resident, 1), coalesce(a.residents, 1)"
		" FROM household h"
		" JOIN buurt b ON b.id = h.buurt_id"
		" JOIN token t ON t.household_id = h.id"
		" LEFT JOIN address a ON a.household_id = h.id"
		" WHERE ?1 IS NULL OR h.buurt_id = ?1"
		" ORDER BY b.position, a.street IS NULL, a.street, a.number,"
		" a.letter, a.addition, a.resident, h.form_no",
		err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	store_bind_text(stmt, 1, buurt_id);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		struct store_household h = { 0 };

		h.id = sqlite3_column_int64(stmt, 0);
		h.buurt_id = store_col_text(stmt, 1);
		h.form_no = sqlite3_column_int64(stmt, 2);
		store_col_copy(stmt, 3, h.token, sizeof(h.token));
		if (sqlite3_column_type(stmt, 4) != SQLITE_NULL) {
			h.street = store_col_text(stmt, 4);
			h.number = (long)sqlite3_column_int64(stmt, 5);
			h.letter = store_col_text(stmt, 6);
			h.addition = store_col_text(stmt, 7);
			h.postcode = store_col_text(stmt, 8);
			h.place = store_col_text(stmt, 9);
			h.resident = (int)sqlite3_column_int(stmt, 10);
			h.residents = (int)sqlite3_column_int(stmt, 11);
		}
		ret = fn(&h, data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

int store_households_count(struct store *st, const char *buurt_id, long long *n,
			   struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st,
					"SELECT count(*) FROM household"
					" WHERE ?1 IS NULL OR buurt_id = ?1",
					err);
	int rc;

	*n = 0;
	if (!stmt)
		return STORE_ERROR;
	store_bind_text(stmt, 1, buurt_id);
	rc = store_step_row(st, stmt, err);
	if (rc < 0)
		return STORE_ERROR;
	*n = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return STORE_OK;
}

int store_codes_each(struct store *st, store_code_fn fn, void *data,
		     struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(st,
					   "SELECT t.code, h.id, h.buurt_id"
					   " FROM token t JOIN household h"
					   " ON h.id = t.household_id",
					   err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		ret = fn(store_col_text(stmt, 0), sqlite3_column_int64(stmt, 1),
			 store_col_text(stmt, 2), data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

int store_code_find(struct store *st, const char *canon, long long *household,
		    char *buurt_id, size_t size, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st,
					"SELECT h.id, h.buurt_id FROM token t"
					" JOIN household h ON h.id ="
					" t.household_id WHERE t.code = ?",
					err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, canon, -1, SQLITE_STATIC);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0)
		return rc < 0 ? STORE_ERROR : STORE_NOT_FOUND;
	*household = sqlite3_column_int64(stmt, 0);
	if (buurt_id)
		store_col_copy(stmt, 1, buurt_id, size);
	sqlite3_reset(stmt);
	return STORE_OK;
}

int store_code_hint(struct store *st, long long household,
		    char hint[STORE_CODE_HINT], struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT substr(code, -4) FROM token WHERE household_id = ?",
		err);
	int rc;

	hint[0] = '\0';
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int64(stmt, 1, household);
	rc = store_step_row(st, stmt, err);
	if (rc <= 0)
		return rc < 0 ? STORE_ERROR : STORE_NOT_FOUND;
	store_col_copy(stmt, 0, hint, STORE_CODE_HINT);
	sqlite3_reset(stmt);
	return STORE_OK;
}

int store_codes_in_common(struct store *st, const char *path, long long *n,
			  struct strbuf *err)
{
	sqlite3_stmt *stmt;
	int rc;

	*n = 0;
	/* ATTACH would make an empty file where there is none. */
	if (access(path, F_OK) != 0)
		return STORE_NOT_FOUND;
	stmt = store_prepare(st, "ATTACH DATABASE ? AS other", err);
	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
	rc = store_step_done(st, stmt, err);
	sqlite3_finalize(stmt);
	if (rc < 0)
		return STORE_ERROR;
	/*
	 * Each side's codes are unique (the index): a join counts them.
	 * Not kept: the statement names a database that is detached next.
	 */
	stmt = store_prepare(st,
			     "SELECT count(*) FROM main.token t"
			     " JOIN other.token o ON o.code = t.code",
			     err);
	rc = stmt ? store_step_row(st, stmt, err) : STORE_ERROR;
	if (rc > 0)
		*n = sqlite3_column_int64(stmt, 0);
	else if (rc == 0)
		rc = STORE_ERROR;
	sqlite3_finalize(stmt);
	if (store_exec(st, "DETACH DATABASE other", rc < 0 ? NULL : err) < 0)
		rc = STORE_ERROR;
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

/* See internal.h: what archiving forgets of this file's tables. */
int store_households_forget(struct store *st, struct strbuf *err)
{
	return store_exec(st, "DELETE FROM address; DELETE FROM token;", err);
}

/* See internal.h. */
int store_households_new_code(struct store *st, long long household,
			      char *token, struct strbuf *err)
{
	sqlite3_stmt *stmt;
	long long n = 0;
	int rc;

	if (store_query_int(st,
			    "SELECT count(*) FROM token WHERE household_id = ?",
			    household, 0, &n, err) < 0)
		return STORE_ERROR;
	if (!n)
		return STORE_NOT_FOUND;
	do {
		stmt = store_stmt(st,
				  "UPDATE token SET code = ? WHERE household_id"
				  " = ?",
				  err);
		if (!stmt)
			return STORE_ERROR;
		if (fresh_code(st, token, err) < 0)
			return STORE_ERROR;
		sqlite3_bind_text(stmt, 1, token, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, household);
		rc = sqlite3_step(stmt);
		sqlite3_reset(stmt);
	} while (rc == SQLITE_CONSTRAINT_UNIQUE);
	if (rc != SQLITE_DONE) {
		store_sql_error(st, err);
		return STORE_ERROR;
	}
	return STORE_OK;
}
