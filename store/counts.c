/*
 * counts.c - the counts and rows the analysis and the exports read (see
 * counts.h).
 *
 * The propositions are read with one aggregate query over current
 * responses, so the time grows with the responses only once and not with
 * the number of buurten; the rules are applied in C, in analysis/.
 */
#include "counts.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xalloc.h"
#include "banned.h"

static long buurt_index(const struct survey *s, const char *id)
{
	for (size_t b = 0; b < s->nr_buurten; b++)
		if (!strcmp(s->buurten[b].id, id))
			return (long)b;
	return -1;
}

int store_counts_households(struct store *st, const struct survey *s,
			    uint64_t *with_address, uint64_t *all,
			    struct strbuf *err)
{
	sqlite3_stmt *stmt =
		store_stmt(st,
			   "SELECT h.buurt_id, count(ad.household_id), count(*)"
			   " FROM household h"
			   " LEFT JOIN address ad ON ad.household_id = h.id"
			   " GROUP BY h.buurt_id",
			   err);
	int rc;

	memset(with_address, 0, s->nr_buurten * sizeof(*with_address));
	memset(all, 0, s->nr_buurten * sizeof(*all));
	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		long b = buurt_index(s, store_col_text(stmt, 0));

		if (b < 0)
			continue; /* the store follows the definition */
		with_address[b] = (uint64_t)sqlite3_column_int64(stmt, 1);
		all[b] = (uint64_t)sqlite3_column_int64(stmt, 2);
	}
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

static const char sql_values[] =
	"SELECT t.buurt_id, t.channel, t.question_id, t.value, t.n"
	" FROM tally t JOIN question q ON q.id = t.question_id"
	" WHERE t.n > 0 AND (?1 = 0 OR q.type = 'proposition')"
	" ORDER BY 1, 2, 3, 4";
static const char sql_responses[] =
	"SELECT buurt_id, channel, n FROM tally_response WHERE n > 0"
	" ORDER BY 1, 2";

/* The tallies' rows to fn (of propositions only when only_propositions). */
static int each_value(struct store *st, bool only_propositions,
		      store_count_fn fn, void *data, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_values, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_int(stmt, 1, only_propositions);
	while ((rc = store_step_row(st, stmt, err)) > 0)
		fn(store_col_text(stmt, 0), store_col_text(stmt, 1),
		   store_col_text(stmt, 2), store_col_text(stmt, 3),
		   (uint64_t)sqlite3_column_int64(stmt, 4), data);
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

static int each_response_count(struct store *st, store_count_fn fn, void *data,
			       struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_responses, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0)
		fn(store_col_text(stmt, 0), store_col_text(stmt, 1), NULL, NULL,
		   (uint64_t)sqlite3_column_int64(stmt, 2), data);
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

int store_counts_values(struct store *st, store_count_fn fn, void *data,
			struct strbuf *err)
{
	if (each_value(st, false, fn, data, err) < 0)
		return STORE_ERROR;
	return each_response_count(st, fn, data, err);
}

/*
 * Blank is what is left: per buurt, channel and proposition the
 * responses less those that gave any value, each looked up by the
 * tallies' key.
 */
static const char sql_blanks[] =
	"SELECT r.buurt_id, r.channel, q.id, r.n - coalesce("
	"  (SELECT sum(t.n) FROM tally t WHERE t.buurt_id = r.buurt_id"
	"   AND t.channel = r.channel AND t.question_id = q.id), 0)"
	" FROM tally_response r JOIN question q ON q.type = 'proposition'"
	" WHERE r.n > 0";

int store_counts_propositions(struct store *st, store_count_fn fn, void *data,
			      struct strbuf *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (each_value(st, true, fn, data, err) < 0)
		return STORE_ERROR;
	stmt = store_stmt(st, sql_blanks, err);
	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0)
		if (sqlite3_column_int64(stmt, 3) > 0)
			fn(store_col_text(stmt, 0), store_col_text(stmt, 1),
			   store_col_text(stmt, 2), NULL,
			   (uint64_t)sqlite3_column_int64(stmt, 3), data);
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

/* Kept per day by the triggers of migration 14 (schema.c). */
static const char sql_days[] =
	"SELECT day, buurt_id, channel, n FROM tally_day WHERE n > 0"
	" ORDER BY 1, 2, 3";

int store_counts_days(struct store *st, store_day_fn fn, void *data,
		      struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_days, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0)
		fn(store_col_text(stmt, 0), store_col_text(stmt, 1),
		   store_col_text(stmt, 2),
		   (uint64_t)sqlite3_column_int64(stmt, 3), data);
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

/* The same rows from the tallies and from a count of the answers. */
static const char sql_check[] =
	"WITH counted(b, c, q, v, n) AS ("
	"  SELECT h.buurt_id, r.channel, a.question_id, a.value, count(*)"
	"  FROM response r JOIN household h ON h.id = r.household_id"
	"  JOIN answer a ON a.response_id = r.id"
	"  JOIN question q ON q.id = a.question_id"
	"  WHERE r.superseded_by IS NULL AND q.type <> 'text'"
	"  GROUP BY 1, 2, 3, 4"
	"  UNION ALL"
	"  SELECT h.buurt_id, r.channel, NULL, NULL, count(*)"
	"  FROM response r JOIN household h ON h.id = r.household_id"
	"  WHERE r.superseded_by IS NULL GROUP BY 1, 2"
	"  UNION ALL"
	"  SELECT h.buurt_id, '~day ' || " STORE_TALLY_DAY_OF_R
	"   || ' ' || r.channel, NULL, NULL, count(*)"
	"  FROM response r JOIN household h ON h.id = r.household_id"
	"  WHERE r.superseded_by IS NULL GROUP BY 1, 2"
	"  UNION ALL"
	"  SELECT h.buurt_id, '~households', NULL, NULL, count(*)"
	"  FROM household h GROUP BY 1"
	"  UNION ALL"
	"  SELECT h.buurt_id, '~addresses', NULL, NULL, count(*)"
	"  FROM household h JOIN address a ON a.household_id = h.id"
	/* Archiving destroyed the addresses and kept their count. */
	"  WHERE NOT EXISTS (SELECT 1 FROM lifecycle"
	"   WHERE archived_at IS NOT NULL)"
	"  GROUP BY 1),"
	" kept(b, c, q, v, n) AS ("
	"  SELECT buurt_id, channel, question_id, value, n FROM tally"
	"  WHERE n <> 0"
	"  UNION ALL"
	"  SELECT buurt_id, channel, NULL, NULL, n FROM tally_response"
	"  WHERE n <> 0"
	"  UNION ALL"
	"  SELECT buurt_id, '~day ' || day || ' ' || channel, NULL, NULL, n"
	"  FROM tally_day WHERE n <> 0"
	"  UNION ALL"
	"  SELECT buurt_id, '~households', NULL, NULL, households"
	"  FROM tally_household WHERE households <> 0"
	"  UNION ALL"
	"  SELECT buurt_id, '~addresses', NULL, NULL, with_address"
	"  FROM tally_household WHERE with_address <> 0"
	"  AND NOT EXISTS (SELECT 1 FROM lifecycle"
	"   WHERE archived_at IS NOT NULL))"
	" SELECT b, c, q, v, sum(n) FROM"
	"  (SELECT b, c, q, v, n FROM counted"
	"   UNION ALL SELECT b, c, q, v, -n FROM kept)"
	" GROUP BY b, c, q, v HAVING sum(n) <> 0 LIMIT 1";

int store_counts_check(struct store *st, bool *ok, struct strbuf *why,
		       struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(st, sql_check, err);
	int rc;

	*ok = false;
	if (!stmt)
		return STORE_ERROR;
	rc = store_step_row(st, stmt, err);
	if (rc > 0 && why)
		strbuf_addf(why,
			    "buurt %s, %s, %s = %s: the answers count %lld "
			    "more than the tallies",
			    store_col_text(stmt, 0), store_col_text(stmt, 1),
			    sqlite3_column_type(stmt, 2) == SQLITE_NULL
				    ? "responses"
				    : store_col_text(stmt, 2),
			    store_col_text(stmt, 3),
			    sqlite3_column_int64(stmt, 4));
	sqlite3_finalize(stmt);
	if (rc < 0)
		return STORE_ERROR;
	*ok = rc == 0;
	return STORE_OK;
}

int store_export_texts(struct store *st, store_text_fn fn, void *data,
		       struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(
		st,
		"SELECT e.question, e.value FROM answer_export e"
		" JOIN question q ON q.id = e.question WHERE q.type = 'text'"
		" ORDER BY q.position, e.value",
		err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		ret = fn(store_col_text(stmt, 0), store_col_text(stmt, 1),
			 data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}

#define TALLY_REBUILD_SQL                                                      \
	STORE_TALLY_CLEAR_SQL STORE_TALLY_FILL_SQL STORE_TALLY_DAY_CLEAR_SQL   \
		STORE_TALLY_DAY_FILL_SQL

int store_counts_rebuild(struct store *st, struct strbuf *err)
{
	int rc = store_begin(st, err);

	if (rc < 0)
		return STORE_ERROR;
	rc = store_exec(st, TALLY_REBUILD_SQL, err);
	if (rc == STORE_OK)
		rc = store_commit(st, err);
	if (rc != STORE_OK)
		store_rollback(st);
	return rc;
}

int store_export_respondents(struct store *st, long long **ids, size_t *nr,
			     struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT DISTINCT response FROM answer_export ORDER BY 1",
		err);
	size_t alloc = 0;
	int rc;

	*ids = NULL;
	*nr = 0;
	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		ALLOC_GROW(*ids, *nr + 1, alloc);
		(*ids)[(*nr)++] = sqlite3_column_int64(stmt, 0);
	}
	if (rc < 0) {
		free(*ids);
		*ids = NULL;
		*nr = 0;
		return STORE_ERROR;
	}
	return STORE_OK;
}

int store_export_each(struct store *st, const char *question_id,
		      const char *buurt_id, store_export_fn fn, void *data,
		      struct strbuf *err)
{
	/* Only the view: see counts.h.  ? IS NULL lets a filter be off. */
	sqlite3_stmt *stmt = store_prepare(
		st,
		"SELECT response, buurt, channel, question, value"
		" FROM answer_export"
		" WHERE question = ?1 AND (?2 IS NULL OR buurt = ?2)"
		" ORDER BY buurt, response, value",
		err);
	int rc, ret = STORE_OK;

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, question_id, -1, SQLITE_STATIC);
	store_bind_text(stmt, 2, buurt_id);
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		ret = fn(sqlite3_column_int64(stmt, 0), store_col_text(stmt, 1),
			 store_col_text(stmt, 2), store_col_text(stmt, 3),
			 store_col_text(stmt, 4), data);
		if (ret)
			break;
	}
	if (rc < 0)
		ret = STORE_ERROR;
	sqlite3_finalize(stmt);
	return ret;
}
