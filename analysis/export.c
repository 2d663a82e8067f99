/*
 * export.c - the answers as CSV or JSON, read from answer_export only
 * (see export.h).
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

/* The responses in the export, sorted, so that a number is an index. */
struct respondents {
	sqlite3_int64 *id;
	size_t nr, alloc;
};

static int load_respondents(struct survey_store *st, struct respondents *r,
			    struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st, "SELECT DISTINCT response FROM answer_export ORDER BY 1",
		err);
	int rc;

	if (!stmt)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ALLOC_GROW(r->id, r->nr + 1, r->alloc);
		r->id[r->nr++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		survey_store_error(st, err);
		return -1;
	}
	return 0;
}

/* 1-based number of response id (present by construction). */
static size_t respondent_no(const struct respondents *r, sqlite3_int64 id)
{
	size_t lo = 0, hi = r->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo + 1;
}

static void add_row(struct strbuf *sb, enum analysis_format format, long long n,
		    size_t no, const char *buurt, const char *channel,
		    const char *question, const char *value)
{
	if (format == ANALYSIS_CSV) {
		strbuf_addf(sb, "%zu,", no);
		strbuf_add_csv(sb, buurt, ',');
		strbuf_addch(sb, ',');
		strbuf_add_csv(sb, channel, ',');
		strbuf_addch(sb, ',');
		strbuf_add_csv(sb, question, ',');
		strbuf_addch(sb, ',');
		strbuf_add_csv(sb, value, ',');
		strbuf_addstr(sb, "\r\n");
		return;
	}
	strbuf_addf(sb, "%s\n{\"respondent\":%zu,\"buurt\":", n ? "," : "", no);
	strbuf_add_json(sb, buurt);
	strbuf_addstr(sb, ",\"channel\":");
	strbuf_add_json(sb, channel);
	strbuf_addstr(sb, ",\"question\":");
	strbuf_add_json(sb, question);
	strbuf_addstr(sb, ",\"value\":");
	strbuf_add_json(sb, value);
	strbuf_addch(sb, '}');
}

static const char *col(sqlite3_stmt *stmt, int i)
{
	const char *v = (const char *)sqlite3_column_text(stmt, i);

	return v ? v : "";
}

long long analysis_export(struct survey_store *st, const struct survey *s,
			  const struct analysis_export_filter *f,
			  enum analysis_format format, FILE *out,
			  struct strbuf *err)
{
	struct respondents r = { NULL, 0, 0 };
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *stmt = NULL;
	long long n = 0, ret = -1;
	int rc;

	if (format == ANALYSIS_TEXT) {
		strbuf_addstr(err, "the export is CSV or JSON, not text");
		goto out;
	}
	if (load_respondents(st, &r, err) < 0)
		goto out;
	/* Only the view: see export.h.  ? IS NULL lets a filter be off. */
	stmt = survey_store_prepare(
		st,
		"SELECT response, buurt, channel, question, value"
		" FROM answer_export"
		" WHERE question = ?1 AND (?2 IS NULL OR buurt = ?2)"
		" ORDER BY buurt, response, value",
		err);
	if (!stmt)
		goto out;
	if (format == ANALYSIS_CSV)
		fputs("respondent,buurt,channel,question,value\r\n", out);
	else
		fputs("[", out);
	for (size_t i = 0; i < s->nr_questions; i++) {
		const char *qid = s->questions[i].id;

		if (f && f->question && strcmp(f->question, qid))
			continue;
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, qid, -1, SQLITE_STATIC);
		if (f && f->buurt)
			sqlite3_bind_text(stmt, 2, f->buurt, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(stmt, 2);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			add_row(&sb, format, n,
				respondent_no(&r,
					      sqlite3_column_int64(stmt, 0)),
				col(stmt, 1), col(stmt, 2), col(stmt, 3),
				col(stmt, 4));
			n++;
			/* Write in pieces: an export can be large. */
			if (sb.len > 65536) {
				fwrite(sb.buf, 1, sb.len, out);
				strbuf_reset(&sb);
			}
		}
		if (rc != SQLITE_DONE) {
			survey_store_error(st, err);
			goto out;
		}
	}
	fwrite(sb.buf, 1, sb.len, out);
	if (format == ANALYSIS_JSON)
		fputs("\n]\n", out);
	if (ferror(out)) {
		strbuf_addstr(err, "could not write the export");
		goto out;
	}
	ret = n;
out:
	sqlite3_finalize(stmt);
	strbuf_release(&sb);
	free(r.id);
	return ret;
}
