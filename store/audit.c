/*
 * audit.c - refused codes, and the audit the reports list (see audit.h).
 */
#include "audit.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "responses.h"
#include "xalloc.h"
#include "banned.h"

static const char sql_reject[] =
	"INSERT INTO code_rejection(day, channel, reason, n)"
	" VALUES (date('now', 'localtime'), ?1, ?2, ?3)"
	" ON CONFLICT (day, channel, reason) DO UPDATE SET n = n + excluded.n";

int store_audit_note_rejected_codes(struct store *st, const char *channel,
				    const char *reason, unsigned n,
				    struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_reject, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, n);
	return store_step_done(st, stmt, err);
}

int store_audit_note_rejected_code(struct store *st, const char *channel,
				   const char *reason, struct strbuf *err)
{
	return store_audit_note_rejected_codes(st, channel, reason, 1, err);
}

static long buurt_index(const struct survey *s, const char *id)
{
	for (size_t b = 0; b < s->nr_buurten; b++)
		if (!strcmp(s->buurten[b].id, id))
			return (long)b;
	return -1;
}

/* Add per buurt the counts of sql, returning (buurt_id, count[, count]). */
static int count_per_buurt(struct store *st, const struct survey *s,
			   const char *sql, uint64_t *a, uint64_t *b,
			   struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		long i = buurt_index(s, store_col_text(stmt, 0));

		if (i < 0)
			continue;
		a[i] += (uint64_t)sqlite3_column_int64(stmt, 1);
		if (b)
			b[i] += (uint64_t)sqlite3_column_int64(stmt, 2);
	}
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

static const char *const channels[STORE_AUDIT_NCHANNEL] = {
	STORE_CHANNEL_ONLINE, STORE_CHANNEL_PAPER, STORE_CHANNEL_SCAN
};

static int read_rejections(struct store *st, struct store_audit *au,
			   struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st,
					"SELECT channel, reason, sum(n) FROM"
					" code_rejection GROUP BY channel,"
					" reason",
					err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		const char *ch = store_col_text(stmt, 0);
		const char *why = store_col_text(stmt, 1);

		for (int c = 0; c < STORE_AUDIT_NCHANNEL; c++)
			if (!strcmp(ch, channels[c]))
				au->rejected[c][!strcmp(
					why, STORE_REJECTED_UNKNOWN)] +=
					(uint64_t)sqlite3_column_int64(stmt, 2);
	}
	return rc < 0 ? STORE_ERROR : STORE_OK;
}

int store_audit_read(struct store *st, const struct survey *s,
		     struct store_audit *au, struct strbuf *err)
{
	size_t nb = s->nr_buurten ? s->nr_buurten : 1;
	int ret = STORE_ERROR;

	memset(au, 0, sizeof(*au));
	au->superseded = xcalloc(nb, sizeof(*au->superseded));
	au->waiting = xcalloc(nb, sizeof(*au->waiting));
	au->differs = xcalloc(nb, sizeof(*au->differs));
	au->scan_waiting = xcalloc(nb, sizeof(*au->scan_waiting));
	au->scan_incomplete = xcalloc(nb, sizeof(*au->scan_incomplete));
	if (count_per_buurt(st, s,
			    "SELECT h.buurt_id, count(*) FROM response r"
			    " JOIN household h ON h.id = r.household_id"
			    " WHERE r.superseded_by IS NOT NULL"
			    " GROUP BY h.buurt_id",
			    au->superseded, NULL, err) < 0 ||
	    count_per_buurt(st, s,
			    "SELECT h.buurt_id,"
			    " sum(p.state = 'waiting'),"
			    " sum(p.state = 'differs')"
			    " FROM paper_entry p"
			    " JOIN household h ON h.id = p.household_id"
			    " GROUP BY h.buurt_id",
			    au->waiting, au->differs, err) < 0 ||
	    count_per_buurt(st, s,
			    "SELECT h.buurt_id,"
			    " sum(f.state IN ('review', 'conflict')),"
			    " sum(f.state = 'incomplete')"
			    " FROM scan_form f"
			    " JOIN household h ON h.id = f.household_id"
			    " GROUP BY h.buurt_id",
			    au->scan_waiting, au->scan_incomplete, err) < 0 ||
	    read_rejections(st, au, err) < 0)
		goto out;
	ret = STORE_OK;
out:
	if (ret != STORE_OK)
		store_audit_release(au);
	return ret;
}

void store_audit_release(struct store_audit *au)
{
	free(au->superseded);
	free(au->waiting);
	free(au->differs);
	free(au->scan_waiting);
	free(au->scan_incomplete);
	memset(au, 0, sizeof(*au));
}
