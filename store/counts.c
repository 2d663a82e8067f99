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

/*
 * Each current response is paired with every proposition question; the
 * answer to it is looked up by the answer's primary key (response_id,
 * question_id), and a missing answer comes back as NULL: blank.
 */
static const char sql_propositions[] =
	"SELECT h.buurt_id, r.channel, q.id, a.value, count(*)"
	" FROM response r"
	" JOIN household h ON h.id = r.household_id"
	" JOIN question q ON q.type = 'proposition'"
	" LEFT JOIN answer a ON a.response_id = r.id AND a.question_id = q.id"
	" WHERE r.superseded_by IS NULL"
	" GROUP BY h.buurt_id, r.channel, q.id, a.value";

int store_counts_propositions(struct store *st, store_count_fn fn, void *data,
			      struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_propositions, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0)
		fn(store_col_text(stmt, 0), store_col_text(stmt, 1),
		   store_col_text(stmt, 2),
		   (const char *)sqlite3_column_text(stmt, 3),
		   (uint64_t)sqlite3_column_int64(stmt, 4), data);
	return rc < 0 ? STORE_ERROR : STORE_OK;
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
