/*
 * record.c - the numbers of the count record and checking them again
 * (see record.h).
 */
#include "record.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "xalloc.h"
#include "banned.h"

/* Changing what the fingerprint covers changes this heading. */
#define FINGERPRINT_HEADING "draagvlak count record 1\n"

void analysis_record_init(struct analysis_record *r)
{
	strbuf_init(&r->canonical, 0);
	strbuf_init(&r->fingerprint, 0);
	strbuf_init(&r->verdicts, 0);
	r->nr_scans = 0;
}

void analysis_record_release(struct analysis_record *r)
{
	strbuf_release(&r->canonical);
	strbuf_release(&r->fingerprint);
	strbuf_release(&r->verdicts);
}

static void add_counts(struct strbuf *out, const struct analysis_tally *t)
{
	strbuf_addf(out,
		    " households=%" PRIu64 " for=%" PRIu64 " against=%" PRIu64
		    " neutral=%" PRIu64 " blank=%" PRIu64 " invalid=%" PRIu64,
		    t->households, t->n_for, t->n_against, t->n_neutral,
		    t->n_blank, t->n_invalid);
}

void analysis_record_verdicts(const struct analysis *an, struct strbuf *out)
{
	for (size_t i = 0; i < an->nr_questions; i++) {
		const struct analysis_question *aq = &an->questions[i];

		for (size_t b = 0; b < an->s->nr_buurten; b++) {
			const struct analysis_cell *c = &aq->cells[b];

			strbuf_addf(out, "question=%s buurt=%s verdict=%s",
				    aq->q->id, an->s->buurten[b].id,
				    analysis_verdict_name(c->outcome.verdict));
			add_counts(out, &c->tally);
			strbuf_addch(out, '\n');
		}
		if (aq->has_overall)
			strbuf_addf(out, "question=%s decision=%s overall=%s\n",
				    aq->q->id,
				    agreement_decision_name(an->decision),
				    analysis_verdict_name(aq->overall));
	}
}

struct hashing {
	crypto_hash_sha256_state h;
	size_t n;
};

static int hash_scan(const char *hash, void *data)
{
	struct hashing *hs = data;

	crypto_hash_sha256_update(&hs->h, (const unsigned char *)"scan ", 5);
	crypto_hash_sha256_update(&hs->h, (const unsigned char *)hash,
				  strlen(hash));
	crypto_hash_sha256_update(&hs->h, (const unsigned char *)"\n", 1);
	hs->n++;
	return 0;
}

int analysis_record_compute(struct store *st, const struct survey *s,
			    const struct analysis *an,
			    struct analysis_record *r, struct strbuf *err)
{
	unsigned char sum[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	struct hashing hs = { .n = 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	long long rows;

	strbuf_reset(&r->canonical);
	strbuf_reset(&r->fingerprint);
	strbuf_reset(&r->verdicts);
	if (!mem) {
		strbuf_addstr(err, "out of memory for the export");
		return -1;
	}
	rows = analysis_export(st, s, NULL, ANALYSIS_CSV, mem, err);
	if (fclose(mem) != 0 && rows >= 0) {
		strbuf_addstr(err, "out of memory for the export");
		rows = -1;
	}
	if (rows < 0) {
		free(buf);
		return -1;
	}
	strbuf_add(&r->canonical, buf, len);
	free(buf);
	crypto_hash_sha256_init(&hs.h);
	crypto_hash_sha256_update(&hs.h,
				  (const unsigned char *)FINGERPRINT_HEADING,
				  strlen(FINGERPRINT_HEADING));
	crypto_hash_sha256_update(&hs.h,
				  (const unsigned char *)r->canonical.buf,
				  r->canonical.len);
	if (store_scan_hashes_each(st, hash_scan, &hs, err) != STORE_OK)
		return -1;
	crypto_hash_sha256_final(&hs.h, sum);
	sodium_bin2hex(hex, sizeof(hex), sum, sizeof(sum));
	strbuf_addstr(&r->fingerprint, hex);
	r->nr_scans = hs.n;
	analysis_record_verdicts(an, &r->verdicts);
	return 0;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of text (split at "\n", "\r" dropped), sorted. */
static char **sorted_lines(const char *text, size_t *nr)
{
	char **v = NULL;
	size_t n = 0, alloc = 0;

	while (*text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);

		ALLOC_GROW(v, n + 1, alloc);
		v[n] = xstrndup(text, len);
		if (len && v[n][len - 1] == '\r')
			v[n][len - 1] = '\0';
		n++;
		text += len + (end ? 1 : 0);
	}
	if (n)
		qsort(v, n, sizeof(*v), by_text);
	*nr = n;
	return v;
}

static void free_lines(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * Lines of a not in b as "was: LINE", of b not in a as "now: LINE";
 * how many differences.
 */
static size_t diff_lines(const char *a, const char *b, const char *what,
			 struct strbuf *why)
{
	size_t na, nb, i = 0, j = 0, n = 0;
	char **va = sorted_lines(a, &na), **vb = sorted_lines(b, &nb);

	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(va[i], vb[j]);

		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (n < 50)
			strbuf_addf(why, "  %s %s: %s\n", what,
				    c < 0 ? "in the record, no longer"
					  : "not in the record, now",
				    c < 0 ? va[i] : vb[j]);
		if (c < 0)
			i++;
		else
			j++;
		n++;
	}
	if (n > 50)
		strbuf_addf(why, "  ... and %zu more\n", n - 50);
	free_lines(va, na);
	free_lines(vb, nb);
	return n;
}

bool analysis_record_matches(const struct store_count_record *kept,
			     const struct analysis_record *now,
			     struct strbuf *why)
{
	bool same_fp = !strcmp(kept->fingerprint.buf, now->fingerprint.buf);
	bool same_v = !strcmp(kept->verdicts.buf, now->verdicts.buf);

	if (same_fp && same_v)
		return true;
	if (!same_fp)
		strbuf_addf(why,
			    "The fingerprint differs: the record says %s, the "
			    "store now gives %s.\n",
			    kept->fingerprint.buf, now->fingerprint.buf);
	if (!same_v) {
		strbuf_addstr(why, "Verdicts or the counts behind them "
				   "changed:\n");
		diff_lines(kept->verdicts.buf, now->verdicts.buf, "verdict",
			   why);
	}
	if (strcmp(kept->canonical.buf, now->canonical.buf)) {
		strbuf_addstr(why, "Answers changed (respondent, buurt, "
				   "channel, question, value):\n");
		diff_lines(kept->canonical.buf, now->canonical.buf, "answer",
			   why);
	} else if (!same_fp) {
		strbuf_addstr(why, "The answers are the same: the scanned "
				   "pages changed.\n");
	}
	return false;
}

int analysis_record_keep(struct store *st, const struct survey *s,
			 const char *by, struct analysis **anp,
			 struct analysis_record *now,
			 struct store_count_record *kept, struct strbuf *err)
{
	struct store_lifecycle lc;
	struct analysis *an = NULL;
	struct strbuf why = STRBUF_INIT;
	int rc = STORE_ERROR;

	if (anp)
		*anp = NULL;
	if (store_begin(st, err) < 0)
		return STORE_ERROR;
	if (store_lifecycle_read(st, &lc, err) < 0)
		goto out;
	if (!lc.closed) {
		rc = STORE_REFUSED;
		goto out;
	}
	an = analysis_run(st, s, NULL, err);
	if (!an || analysis_record_compute(st, s, an, now, err) < 0)
		goto out;
	rc = store_count_record_latest(st, kept, err);
	if (rc == STORE_ERROR)
		goto out;
	if (rc == STORE_OK && analysis_record_matches(kept, now, &why)) {
		rc = store_commit(st, err);
		goto done;
	}
	store_count_record_release(kept);
	store_count_record_init(kept);
	strbuf_addstr(&kept->made_by, by);
	strbuf_add(&kept->fingerprint, now->fingerprint.buf,
		   now->fingerprint.len);
	strbuf_add(&kept->verdicts, now->verdicts.buf, now->verdicts.len);
	strbuf_add(&kept->canonical, now->canonical.buf, now->canonical.len);
	rc = store_count_record_add(st, kept, err);
	if (rc != STORE_OK)
		goto out;
	rc = store_commit(st, err);
	goto done;
out:
	store_rollback(st);
done:
	strbuf_release(&why);
	if (anp && rc == STORE_OK)
		*anp = an;
	else
		analysis_free(an);
	return rc;
}

int analysis_close(struct store *st, const struct survey *s, const char *by,
		   struct strbuf *err)
{
	struct analysis_record now;
	struct store_count_record kept;
	int rc;

	analysis_record_init(&now);
	store_count_record_init(&kept);
	if (store_begin(st, err) < 0)
		return STORE_ERROR;
	rc = store_lifecycle_close(st, by, err);
	if (rc == STORE_OK)
		rc = analysis_record_keep(st, s, by, NULL, &now, &kept, err);
	if (rc == STORE_OK)
		rc = store_commit(st, err);
	else
		store_rollback(st);
	analysis_record_release(&now);
	store_count_record_release(&kept);
	return rc;
}
