/*
 * export.c - the answers as CSV or JSON, read from answer_export only
 * (see export.h).
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "counts.h"
#include "lifecycle.h"
#include "xalloc.h"
#include "banned.h"

/*
 * The respondents of the export, numbered in the order of a keyed hash
 * of their response id (HMAC-SHA-256 with the store's secret export
 * key): not the order they answered in, which would let anyone who saw
 * the forms being entered match numbers to homes, and not an order
 * anyone without the key can reproduce.
 */
struct respondent {
	long long id;
	size_t no;
	unsigned char hash[crypto_auth_hmacsha256_BYTES];
};

struct respondents {
	struct respondent *r; /* by id, after numbering */
	size_t nr;
};

static int by_hash(const void *a, const void *b)
{
	const struct respondent *x = a, *y = b;

	return memcmp(x->hash, y->hash, sizeof(x->hash));
}

static int by_id(const void *a, const void *b)
{
	const struct respondent *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int number_respondents(struct store *st, struct respondents *r,
			      struct strbuf *err)
{
	unsigned char key[STORE_EXPORT_KEY_SIZE];
	long long *ids = NULL;
	size_t nr = 0;

	if (store_export_key(st, key, err) != STORE_OK ||
	    store_export_respondents(st, &ids, &nr, err) != STORE_OK) {
		sodium_memzero(key, sizeof(key));
		return -1;
	}
	r->r = nr ? xcalloc(nr, sizeof(*r->r)) : NULL;
	r->nr = nr;
	for (size_t i = 0; i < nr; i++) {
		char text[24];
		int n = snprintf(text, sizeof(text), "%lld", ids[i]);

		r->r[i].id = ids[i];
		crypto_auth_hmacsha256(r->r[i].hash,
				       (const unsigned char *)text,
				       (unsigned long long)n, key);
	}
	sodium_memzero(key, sizeof(key));
	free(ids);
	if (nr) {
		qsort(r->r, nr, sizeof(*r->r), by_hash);
		for (size_t i = 0; i < nr; i++)
			r->r[i].no = i + 1;
		qsort(r->r, nr, sizeof(*r->r), by_id);
	}
	return 0;
}

/* The number of response id (present by construction). */
static size_t respondent_no(const struct respondents *r, long long id)
{
	size_t lo = 0, hi = r->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->r[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nr ? r->r[lo].no : 0;
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

/* One row of a question, kept to be sorted by respondent number. */
struct row {
	size_t no;
	char *buurt, *channel, *value;
};

struct writing {
	const struct respondents *r;
	enum analysis_format format;
	struct strbuf sb;
	FILE *out;
	long long n;
	struct row *rows;
	size_t nr_rows, alloc_rows;
};

static int keep_row(long long response, const char *buurt_id,
		    const char *channel, const char *question_id,
		    const char *value, void *data)
{
	struct writing *w = data;
	struct row *row;

	(void)question_id;
	ALLOC_GROW(w->rows, w->nr_rows + 1, w->alloc_rows);
	row = &w->rows[w->nr_rows++];
	row->no = respondent_no(w->r, response);
	row->buurt = xstrdup(buurt_id);
	row->channel = xstrdup(channel);
	row->value = xstrdup(value);
	return 0;
}

static int by_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->buurt, y->buurt);

	if (c)
		return c;
	if (x->no != y->no)
		return x->no < y->no ? -1 : 1;
	return strcmp(x->value, y->value);
}

/* Write the kept rows of question in order, and forget them. */
static void write_rows(struct writing *w, const char *question)
{
	if (w->nr_rows)
		qsort(w->rows, w->nr_rows, sizeof(*w->rows), by_row);
	for (size_t i = 0; i < w->nr_rows; i++) {
		struct row *row = &w->rows[i];

		add_row(&w->sb, w->format, w->n, row->no, row->buurt,
			row->channel, question, row->value);
		w->n++;
		free(row->buurt);
		free(row->channel);
		free(row->value);
		/* Write in pieces: an export can be large. */
		if (w->sb.len > 65536) {
			fwrite(w->sb.buf, 1, w->sb.len, w->out);
			strbuf_reset(&w->sb);
		}
	}
	w->nr_rows = 0;
}

long long analysis_export(struct store *st, const struct survey *s,
			  const struct analysis_export_filter *f,
			  enum analysis_format format, FILE *out,
			  struct strbuf *err)
{
	struct respondents r = { NULL, 0 };
	struct writing w = { &r, format, STRBUF_INIT, out, 0, NULL, 0, 0 };
	long long ret = -1;

	if (format == ANALYSIS_TEXT) {
		strbuf_addstr(err, "the export is CSV or JSON, not text");
		goto out;
	}
	if (number_respondents(st, &r, err) < 0)
		goto out;
	if (format == ANALYSIS_CSV)
		fputs("respondent,buurt,channel,question,value\r\n", out);
	else
		fputs("[", out);
	for (size_t i = 0; i < s->nr_questions; i++) {
		const char *qid = s->questions[i].id;

		if (f && f->question && strcmp(f->question, qid))
			continue;
		if (store_export_each(st, qid, f ? f->buurt : NULL, keep_row,
				      &w, err) != STORE_OK)
			goto out;
		write_rows(&w, qid);
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
	for (size_t i = 0; i < w.nr_rows; i++) {
		free(w.rows[i].buurt);
		free(w.rows[i].channel);
		free(w.rows[i].value);
	}
	free(w.rows);
	strbuf_release(&w.sb);
	free(r.r);
	return ret;
}
