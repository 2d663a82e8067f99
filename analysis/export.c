/*
 * export.c - the answers as CSV or JSON, read from answer_export only
 * (see export.h).
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "xalloc.h"
#include "banned.h"

/* The responses in the export, sorted, so that a number is an index. */
struct respondents {
	long long *id;
	size_t nr;
};

/* 1-based number of response id (present by construction). */
static size_t respondent_no(const struct respondents *r, long long id)
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

struct writing {
	const struct respondents *r;
	enum analysis_format format;
	struct strbuf sb;
	FILE *out;
	long long n;
};

static int write_row(long long response, const char *buurt_id,
		     const char *channel, const char *question_id,
		     const char *value, void *data)
{
	struct writing *w = data;

	add_row(&w->sb, w->format, w->n, respondent_no(w->r, response),
		buurt_id, channel, question_id, value);
	w->n++;
	/* Write in pieces: an export can be large. */
	if (w->sb.len > 65536) {
		fwrite(w->sb.buf, 1, w->sb.len, w->out);
		strbuf_reset(&w->sb);
	}
	return 0;
}

long long analysis_export(struct store *st, const struct survey *s,
			  const struct analysis_export_filter *f,
			  enum analysis_format format, FILE *out,
			  struct strbuf *err)
{
	struct respondents r = { NULL, 0 };
	struct writing w = { &r, format, STRBUF_INIT, out, 0 };
	long long ret = -1;

	if (format == ANALYSIS_TEXT) {
		strbuf_addstr(err, "the export is CSV or JSON, not text");
		goto out;
	}
	if (store_export_respondents(st, &r.id, &r.nr, err) != STORE_OK)
		goto out;
	if (format == ANALYSIS_CSV)
		fputs("respondent,buurt,channel,question,value\r\n", out);
	else
		fputs("[", out);
	for (size_t i = 0; i < s->nr_questions; i++) {
		const char *qid = s->questions[i].id;

		if (f && f->question && strcmp(f->question, qid))
			continue;
		if (store_export_each(st, qid, f ? f->buurt : NULL, write_row,
				      &w, err) != STORE_OK)
			goto out;
	}
	fwrite(w.sb.buf, 1, w.sb.len, out);
	if (format == ANALYSIS_JSON)
		fputs("\n]\n", out);
	if (ferror(out)) {
		strbuf_addstr(err, "could not write the export");
		goto out;
	}
	ret = w.n;
out:
	strbuf_release(&w.sb);
	free(r.id);
	return ret;
}
