/*
 * accuracy.c - how well scan/ reads a generated test set, and whether it
 * ever reads a box wrongly without sending its question to review.
 *
 *     accuracy --db STORE [--base-url URL] [-j N] [-v] [--dump CSV] DIR
 *
 * DIR is what tests/scangen/scangen wrote: page images, pages.csv (what
 * each page is), truth.csv (what each box and lined area holds and what
 * a careful reader should make of it) and questions.csv (per question:
 * clear with its answer, or review).  The layouts are made from the
 * store's survey, one per buurt and language, as `draagvlak render`
 * makes them.
 *
 * Printed: the confusion tables (boxes: expected empty, ticked or review
 * against read empty, ticked or uncertain; lined areas; questions), the
 * share of boxes read correctly, and every silent error: a box read
 * wrongly whose question was not sent to review, a clear answer that is
 * not the truth, a good page refused, a foreign page accepted.  A box
 * whose truth is review is read correctly when it is uncertain or its
 * question goes to review.
 *
 * Exit status: 0 when there is no silent error and no good page was
 * refused (and, with --min-accuracy P, at least P% of boxes are read
 * correctly), 1 otherwise, 2 for wrong usage.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "layout.h"
#include "scan.h"
#include "definition.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

enum { E_EMPTY, E_TICKED, E_REVIEW, E_WRITTEN };

struct row {
	char *file;
	long index;
	char **f; /* fields */
	size_t nf;
};

struct table {
	struct row *v;
	size_t nr, alloc;
};

/* Split a CSV file whose fields hold no commas or quotes (scangen's). */
static int read_table(const char *path, size_t want, struct table *t)
{
	struct strbuf sb = STRBUF_INIT;
	char *line, *save = NULL;
	bool header = true;

	if (strbuf_read_file(&sb, path) < 0) {
		fprintf(stderr, "accuracy: cannot read %s\n", path);
		return -1;
	}
	for (line = strtok_r(sb.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct row r = { 0 };
		char *p = line, *comma;

		line[strcspn(line, "\r")] =
			'\0'; /* RFC 4180 lines end in CRLF */
		if (header) {
			header = false;
			continue;
		}
		r.f = xcalloc(want, sizeof(*r.f));
		for (r.nf = 0; r.nf < want; r.nf++) {
			comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			r.f[r.nf] = xstrdup(p);
			if (!comma) {
				r.nf++;
				break;
			}
			p = comma + 1;
		}
		for (; r.nf < want; r.nf++)
			r.f[r.nf] = xstrdup("");
		r.file = r.f[0];
		r.index = strtol(r.f[1], NULL, 10);
		ALLOC_GROW(t->v, t->nr + 1, t->alloc);
		t->v[t->nr++] = r;
	}
	strbuf_release(&sb);
	return 0;
}

static void free_table(struct table *t)
{
	for (size_t i = 0; i < t->nr; i++) {
		for (size_t k = 0; k < t->v[i].nf; k++)
			free(t->v[i].f[k]);
		free(t->v[i].f);
	}
	free(t->v);
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* The rows of (file, index) in a sorted table: [*from, *to). */
static void rows_of(const struct table *t, const char *file, long index,
		    size_t *from, size_t *to)
{
	size_t lo = 0, hi = t->nr;
	struct row key = { .file = (char *)file, .index = index };

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (row_cmp(&t->v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	while (lo < t->nr && !row_cmp(&t->v[lo], &key))
		lo++;
	*to = lo;
}

/* Boxes by what the resident did (truth.csv's mark). */
struct by_mark {
	char name[24];
	size_t n, read[3]; /* read empty, ticked, uncertain */
	size_t review;	   /* its question went to review */
	size_t silent;
};

#define MAX_MARKS 32

struct stats {
	struct by_mark marks[MAX_MARKS];
	size_t nr_marks;
	size_t boxes[3][3]; /* expected empty/ticked/review x read */
	size_t flagged[3];  /* wrong box, but its question went to review */
	size_t texts[2][3]; /* expected empty/written x read */
	size_t qs[2][2];    /* expected clear/review x read */
	size_t correct, total, silent, text_correct, text_total;
	size_t pages, refused_ok, refused_bad, accepted_foreign, wrong_id;
	size_t answer_wrong;
	double read_s;
};

struct ctx {
	const char *dir;
	struct table pages, truth, questions;
	char **files;
	size_t nr_files, next;
	struct scan_layouts set;
	bool verbose;
	FILE *dump; /* every box's measurements, as CSV */
	pthread_mutex_t lock;
	struct stats st;
};

static int expect_of(const char *s)
{
	return !strcmp(s, "empty")     ? E_EMPTY
	       : !strcmp(s, "ticked")  ? E_TICKED
	       : !strcmp(s, "written") ? E_WRITTEN
				       : E_REVIEW;
}

static const struct scan_box *find_box(const struct scan_page *sp,
				       const char *q, const char *v)
{
	for (size_t i = 0; i < sp->nr_boxes; i++)
		if (!strcmp(sp->boxes[i].question, q) &&
		    !strcmp(sp->boxes[i].value, v))
			return &sp->boxes[i];
	return NULL;
}

static struct by_mark *mark_stats(struct stats *st, const char *name)
{
	for (size_t i = 0; i < st->nr_marks; i++)
		if (!strcmp(st->marks[i].name, name))
			return &st->marks[i];
	if (st->nr_marks == MAX_MARKS)
		return &st->marks[MAX_MARKS - 1];
	snprintf(st->marks[st->nr_marks].name,
		 sizeof(st->marks[st->nr_marks].name), "%s", name);
	return &st->marks[st->nr_marks++];
}

static void print_box(const char *what, const struct row *r,
		      const struct scan_box *b, const struct scan_question *q)
{
	printf("%s: %s#%ld %s=%s mark %s expect %s, read %s (%s) -> "
	       "question %s; ink %.3f faint %.3f darkest %.2f spread %.2f "
	       "strokes %.0f mean %.3f paper %.0f frame %.2f d %.2f,%.2f\n",
	       what, r->file, r->index, r->f[5], r->f[7], r->f[8], r->f[9],
	       scan_box_state_name(b->state),
	       b->doubt ? scan_doubt_name(b->doubt) : "-",
	       q && q->status == SCAN_REVIEW ? "review" : "clear", b->m.ink,
	       b->m.faint, b->m.darkest, b->m.spread, b->m.strokes, b->m.mean,
	       b->m.paper, b->m.frame, b->m.dx, b->m.dy);
}

/* Compare one read page with its truth; under the lock. */
static void judge(struct ctx *c, const struct row *pg,
		  const struct scan_page *sp)
{
	struct stats *st = &c->st;
	size_t a, b;

	if (strcmp(sp->code, pg->f[2]) ||
	    sp->page != strtoul(pg->f[3], NULL, 10) ||
	    strcmp(sp->layout_id, pg->f[4])) {
		printf("SILENT: %s#%ld read as %s page %u layout %s, is %s "
		       "page %s layout %s\n",
		       pg->file, pg->index, sp->code, sp->page, sp->layout_id,
		       pg->f[2], pg->f[3], pg->f[4]);
		st->wrong_id++;
		st->silent++;
		return;
	}
	rows_of(&c->truth, pg->file, pg->index, &a, &b);
	for (size_t i = a; i < b; i++) {
		const struct row *r = &c->truth.v[i];
		int e = expect_of(r->f[9]);

		if (!strcmp(r->f[6], "text")) {
			const struct scan_text *t = NULL;
			int got;

			for (size_t k = 0; k < sp->nr_texts; k++)
				if (!strcmp(sp->texts[k].question, r->f[5]))
					t = &sp->texts[k];
			if (!t) {
				printf("MISSING text %s on %s#%ld\n", r->f[5],
				       r->file, r->index);
				st->silent++;
				continue;
			}
			got = t->state == SCAN_TEXT_EMPTY     ? 0
			      : t->state == SCAN_TEXT_WRITTEN ? 1
							      : 2;
			st->texts[e == E_WRITTEN][got]++;
			st->text_total++;
			if ((e == E_WRITTEN) == (got == 1) && got != 2)
				st->text_correct++;
			else if (e == E_WRITTEN && got == 0) {
				printf("SILENT: %s#%ld text %s written, read "
				       "empty (ink %.2f mm2, darkest %.2f)\n",
				       r->file, r->index, r->f[5], t->m.ink_mm2,
				       t->m.darkest);
				st->silent++;
			} else if (c->verbose)
				printf("text: %s#%ld %s expect %s read %s "
				       "(ink %.2f mm2 darkest %.2f)\n",
				       r->file, r->index, r->f[5], r->f[9],
				       scan_text_state_name(t->state),
				       t->m.ink_mm2, t->m.darkest);
			continue;
		}
		{
			const struct scan_box *bx =
				find_box(sp, r->f[5], r->f[7]);
			const struct scan_question *q =
				scan_page_question(sp, r->f[5]);
			bool review = q && q->status == SCAN_REVIEW, ok;

			if (!bx || e > E_REVIEW) {
				printf("MISSING box %s=%s on %s#%ld\n", r->f[5],
				       r->f[7], r->file, r->index);
				st->silent++;
				continue;
			}
			st->boxes[e][bx->state]++;
			st->total++;
			{
				struct by_mark *bm = mark_stats(st, r->f[8]);

				bm->n++;
				bm->read[bx->state]++;
				bm->review += review;
			}
			if (c->dump)
				fprintf(c->dump,
					"%s,%ld,%s,%s,%s,%s,%s,%.4f,%.4f,%.4f,"
					"%.4f,%.0f,%.4f,%.0f,%.3f,%.3f,%.3f,%."
					"3f,%.2f,%.3f,%.0f,%.0f,%.0f,%.2f,%.2f,"
					"%d,%.3f,%s\n",
					r->file, r->index, r->f[5], r->f[7],
					r->f[8], r->f[9],
					scan_box_state_name(bx->state),
					bx->m.ink, bx->m.faint, bx->m.darkest,
					bx->m.spread, bx->m.strokes, bx->m.mean,
					bx->m.paper, bx->m.frame, bx->m.dx,
					bx->m.dy, bx->m.solid, bx->m.length,
					bx->m.width, bx->m.ends, bx->m.branches,
					bx->m.turns, bx->m.beside,
					bx->m.beside_far, bx->m.beside_sides,
					bx->m.crossing,
					review ? "review" : "clear");
			ok = e == E_REVIEW
				     ? bx->state == SCAN_BOX_UNCERTAIN || review
				     : (int)bx->state == e;
			if (ok) {
				st->correct++;
				continue;
			}
			if (review) {
				st->flagged[e]++;
				if (c->verbose)
					print_box("flagged", r, bx, q);
				continue;
			}
			st->silent++;
			mark_stats(st, r->f[8])->silent++;
			print_box("SILENT", r, bx, q);
		}
	}
	rows_of(&c->questions, pg->file, pg->index, &a, &b);
	for (size_t i = a; i < b; i++) {
		const struct row *r = &c->questions.v[i];
		const struct scan_question *q = scan_page_question(sp, r->f[4]);
		bool want_review = !strcmp(r->f[5], "review");
		struct strbuf ans = STRBUF_INIT;

		if (!q) {
			printf("MISSING question %s on %s#%ld\n", r->f[4],
			       r->file, r->index);
			st->silent++;
			continue;
		}
		/* A lined area is judged above: written text goes to a
		 * person to be typed, which the truth calls clear. */
		if (q->text >= 0)
			continue;
		st->qs[want_review][q->status == SCAN_REVIEW]++;
		if (q->status == SCAN_REVIEW)
			continue;
		scan_question_answer(q, &ans);
		if (want_review || strcmp(ans.buf, r->f[6])) {
			printf("SILENT: %s#%ld question %s read clear '%s', "
			       "truth %s '%s'\n",
			       r->file, r->index, r->f[4], ans.buf, r->f[5],
			       r->f[6]);
			st->answer_wrong++;
			st->silent++;
		}
		strbuf_release(&ans);
	}
}

static const struct row *page_row(struct ctx *c, const char *file, long index)
{
	size_t a, b;

	rows_of(&c->pages, file, index, &a, &b);
	return a < b ? &c->pages.v[a] : NULL;
}

static void *worker(void *arg)
{
	struct ctx *c = arg;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct scan_image img = SCAN_IMAGE_INIT;

	for (;;) {
		struct scan_source *src;
		size_t fi;
		long index = 0;
		int r;

		pthread_mutex_lock(&c->lock);
		fi = c->next++;
		pthread_mutex_unlock(&c->lock);
		if (fi >= c->nr_files)
			break;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", c->dir, c->files[fi]);
		strbuf_reset(&err);
		src = scan_source_open(path.buf, &err);
		if (!src) {
			printf("ERROR: %s\n", err.buf);
			pthread_mutex_lock(&c->lock);
			c->st.refused_bad++;
			pthread_mutex_unlock(&c->lock);
			continue;
		}
		while ((r = scan_source_next(src, &img, &err)) != 0) {
			const struct row *pg = page_row(c, c->files[fi], index);
			bool foreign =
				pg && strstr(pg->f[10], "foreign_layout");
			struct scan_page sp;
			struct timespec t0, t1;
			int rr = -1;

			if (r > 0) {
				strbuf_reset(&err);
				clock_gettime(CLOCK_MONOTONIC, &t0);
				rr = scan_page_read(&img, scan_layouts_lookup,
						    &c->set, &sp, &err);
				clock_gettime(CLOCK_MONOTONIC, &t1);
			} else {
				scan_page_init(&sp);
			}
			pthread_mutex_lock(&c->lock);
			c->st.pages++;
			if (r > 0)
				c->st.read_s += (t1.tv_sec - t0.tv_sec) +
						(t1.tv_nsec - t0.tv_nsec) / 1e9;
			if (!pg) {
				printf("ERROR: %s#%ld is not in pages.csv\n",
				       c->files[fi], index);
				c->st.refused_bad++;
			} else if (rr < 0 && foreign &&
				   sp.refusal == SCAN_REFUSED_UNKNOWN_LAYOUT) {
				c->st.refused_ok++;
			} else if (rr < 0) {
				printf("REFUSED: %s#%ld (%s): %s\n",
				       c->files[fi], index,
				       scan_refusal_name(sp.refusal), err.buf);
				c->st.refused_bad++;
			} else if (foreign) {
				printf("SILENT: %s#%ld has a foreign layout "
				       "and was read\n",
				       c->files[fi], index);
				c->st.accepted_foreign++;
				c->st.silent++;
			} else {
				judge(c, pg, &sp);
			}
			pthread_mutex_unlock(&c->lock);
			scan_page_release(&sp);
			index++;
		}
		scan_source_close(src);
	}
	scan_image_release(&img);
	strbuf_release(&path);
	strbuf_release(&err);
	return NULL;
}

static int load_layouts(struct ctx *c, const char *db, const char *base,
			struct survey **sp, struct render_layout ***ls,
			size_t *nr)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st = store_open(db, STORE_EXISTING, &err);
	struct survey *s = st ? store_definition_load(st, &err) : NULL;

	store_free(st);
	if (!s) {
		fprintf(stderr, "accuracy: %s\n", err.buf);
		strbuf_release(&err);
		return -1;
	}
	*sp = s;
	for (int lang = 0; lang < SURVEY_NLANG; lang++) {
		if (!s->languages[lang])
			continue;
		for (size_t b = 0; b <= s->nr_buurten; b++) {
			struct render_layout *l = render_layout_new(
				s, b < s->nr_buurten ? &s->buurten[b] : NULL,
				(enum survey_lang)lang,
				base ? base : s->base_url, &err);

			if (!l) {
				fprintf(stderr, "accuracy: %s\n", err.buf);
				strbuf_release(&err);
				return -1;
			}
			*ls = xrealloc(*ls, (*nr + 1) * sizeof(**ls));
			(*ls)[(*nr)++] = l;
			scan_layouts_add(&c->set, l);
		}
	}
	strbuf_release(&err);
	return 0;
}

static const char usage[] =
	"usage: accuracy --db STORE [--base-url URL] [-j N] [-v]\n"
	"                [--min-accuracy PCT] [--dump BOXES.csv] DIR\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "base-url", required_argument, NULL, 'u' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "min-accuracy", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "dump", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctx c = { .lock = PTHREAD_MUTEX_INITIALIZER };
	const char *db = NULL, *base = NULL;
	struct survey *s = NULL;
	struct render_layout **ls = NULL;
	size_t nls = 0;
	unsigned jobs = 1;
	double min_acc = 0, acc;
	struct strbuf p = STRBUF_INIT;
	pthread_t th[16];
	struct timespec t0, t1;
	int opt, ret = 1;
	struct stats *st = &c.st;
	static const char *const en[3] = { "empty", "ticked", "review" };

	while ((opt = getopt_long(argc, argv, "d:u:j:m:v", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'u': base = optarg; break;
		case 'j': jobs = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'm': min_acc = strtod(optarg, NULL); break;
		case 'v': c.verbose = true; break;
		case 'D':
			c.dump = fopen(optarg, "w");
			if (!c.dump) {
				perror(optarg);
				return 1;
			}
			fputs("file,index,question,value,mark,expect,state,ink,"
			      "faint,darkest,spread,strokes,mean,paper,frame,"
			      "dx,dy,solid,length,width,ends,branches,turns,"
			      "beside,beside_far,beside_sides,crossing,"
			      "qstatus\n",
			      c.dump);
			break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!db || optind + 1 != argc || jobs < 1 || jobs > 16) {
		fputs(usage, stderr);
		return 2;
	}
	c.dir = argv[optind];
	if (load_layouts(&c, db, base, &s, &ls, &nls) < 0)
		goto out;
	strbuf_addf(&p, "%s/pages.csv", c.dir);
	if (read_table(p.buf, 11, &c.pages) < 0)
		goto out;
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/truth.csv", c.dir);
	if (read_table(p.buf, 10, &c.truth) < 0)
		goto out;
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/questions.csv", c.dir);
	if (read_table(p.buf, 7, &c.questions) < 0)
		goto out;
	/* Files in the order pages.csv names them first. */
	for (size_t i = 0; i < c.pages.nr; i++)
		if (!c.nr_files ||
		    strcmp(c.files[c.nr_files - 1], c.pages.v[i].file)) {
			c.files = xrealloc(c.files,
					   (c.nr_files + 1) * sizeof(*c.files));
			c.files[c.nr_files++] = c.pages.v[i].file;
		}
	qsort(c.pages.v, c.pages.nr, sizeof(struct row), row_cmp);
	qsort(c.truth.v, c.truth.nr, sizeof(struct row), row_cmp);
	qsort(c.questions.v, c.questions.nr, sizeof(struct row), row_cmp);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < jobs; i++)
		pthread_create(&th[i], NULL, worker, &c);
	for (unsigned i = 0; i < jobs; i++)
		pthread_join(th[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("\nPages: %zu (%zu foreign refused as they should be, %zu good "
	       "refused, %zu foreign read, %zu misidentified); reading took "
	       "%.1f ms a page, %.1f s in all\n",
	       st->pages, st->refused_ok, st->refused_bad, st->accepted_foreign,
	       st->wrong_id, st->pages ? st->read_s * 1000 / st->pages : 0,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("\nBoxes, expected x read:\n%-10s %10s %10s %10s   %s\n", "",
	       "empty", "ticked", "uncertain",
	       "of which wrong but sent to review");
	for (int e = 0; e < 3; e++)
		printf("%-10s %10zu %10zu %10zu   %zu\n", en[e],
		       st->boxes[e][0], st->boxes[e][1], st->boxes[e][2],
		       st->flagged[e]);
	printf("\nText areas, expected x read:\n%-10s %10s %10s %10s\n", "",
	       "empty", "written", "uncertain");
	printf("%-10s %10zu %10zu %10zu\n%-10s %10zu %10zu %10zu\n", "empty",
	       st->texts[0][0], st->texts[0][1], st->texts[0][2], "written",
	       st->texts[1][0], st->texts[1][1], st->texts[1][2]);
	printf("\nQuestions (not free text), expected x read:\n%-10s %10s "
	       "%10s\n%-10s %10zu %10zu\n%-10s %10zu %10zu\n",
	       "", "clear", "review", "clear", st->qs[0][0], st->qs[0][1],
	       "review", st->qs[1][0], st->qs[1][1]);
	printf("\nBoxes by mark:\n%-12s %7s %7s %7s %9s %9s %7s\n", "", "boxes",
	       "empty", "ticked", "uncertain", "q.review", "silent");
	for (size_t i = 0; i < st->nr_marks; i++) {
		const struct by_mark *bm = &st->marks[i];

		printf("%-12s %7zu %7zu %7zu %9zu %9zu %7zu\n", bm->name, bm->n,
		       bm->read[0], bm->read[1], bm->read[2], bm->review,
		       bm->silent);
	}
	acc = st->total ? 100.0 * st->correct / st->total : 0;
	printf("\nBoxes read correctly: %zu of %zu (%.3f%%); text areas: %zu "
	       "of %zu\nClear answers not the truth: %zu\nSilent errors: "
	       "%zu\n",
	       st->correct, st->total, acc, st->text_correct, st->text_total,
	       st->answer_wrong, st->silent);
	ret = st->silent || st->refused_bad || acc < min_acc ? 1 : 0;
out:
	if (c.dump)
		fclose(c.dump);
	for (size_t i = 0; i < nls; i++)
		render_layout_free(ls[i]);
	free(ls);
	free(c.files);
	free_table(&c.pages);
	free_table(&c.truth);
	free_table(&c.questions);
	survey_free(s);
	scan_layouts_release(&c.set);
	strbuf_release(&p);
	return ret;
}
