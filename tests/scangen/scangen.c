/*
 * scangen.c - a test set for `draagvlak scan`: realistic scanned pages
 * of filled-in forms, with the truth about every box (see README.md).
 *
 * Households come from a real store and their forms are drawn exactly
 * as `draagvlak render` prints them (render_form_draw_page), filled in
 * by a simulated resident (resident.h), placed and degraded by a
 * simulated printer and scanner (scanner.h), and written as a scanner
 * would (imgfile.h): single PNG and JPEG pages, and stacks of shuffled
 * pages in multi-page TIFF and PDF files.  Everything follows from the
 * seed.
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "form.h"
#include "households.h"
#include "imgfile.h"
#include "layout.h"
#include "render.h"
#include "resident.h"
#include "rng.h"
#include "photo.h"
#include "scanner.h"
#include "definition.h"
#include "store.h"
#include "xalloc.h"
#include <zbar.h>
#include "banned.h"

static const char usage[] =
	"usage: scangen --db STORE --out DIR [--forms N | --pages N]\n"
	"               [--dpi 150,200,300] [--formats png,jpg,tif,pdf,photo]\n"
	"               [--seed S] [--buurt ID] [--base-url URL] [-j N]\n"
	"               [--hard P] [--pen KIND] [--speckle]\n"
	"\n"
	"Write scanned pages of filled-in forms of the store's households\n"
	"to DIR, with pages.csv, truth.csv and questions.csv (see\n"
	"tests/scangen/README.md).\n"
	"\n"
	"  --forms N      forms of N households (default 10)\n"
	"  --pages N      exactly N pages instead (forms as needed)\n"
	"  --dpi LIST     resolutions to choose from per file\n"
	"  --formats LIST file formats to choose from per page (photo: a\n"
	"                 phone photo, 12 MP JPEG, see photo.h)\n"
	"  --seed S       the same seed gives the same set (default 1)\n"
	"  --buurt ID     only households of this buurt\n"
	"  --base-url URL when the survey has no base_url\n"
	"  -j, --jobs N   worker processes (default 1); the set is the same\n"
	"  --hard P       every resident makes a hard case (crossed out,\n"
	"                 circled, beside the box, ...) in a share P (0-1)\n"
	"                 of questions, instead of the usual mix\n"
	"  --pen KIND     everyone's pen: blue, black, pencil, thin, felt,\n"
	"                 light-felt (default: the usual mix)\n"
	"  --speckle      every scanned page with 1% dust specks\n";

enum fmt { FMT_PNG, FMT_JPG, FMT_TIF, FMT_PDF, FMT_PHOTO, FMT_NR };
static const char *const fmt_name[FMT_NR] = { "png", "jpg", "tif", "pdf",
					      "photo" };
static const char *const fmt_ext[FMT_NR] = { "png", "jpg", "tif", "pdf",
					     "jpg" };
/* A photo's page is drawn at this resolution, then photographed. */
#define PHOTO_PAGE_DPI 300

#define MAX_DPIS  8
#define BATCH_MIN 3 /* pages in a TIFF or PDF stack */
#define BATCH_MAX 8

struct options {
	const char *db, *out, *buurt, *base_url;
	size_t forms, pages;
	int dpi[MAX_DPIS];
	size_t nr_dpi;
	bool format[FMT_NR];
	uint64_t seed;
	unsigned jobs;
	double hard;  /* share of questions with a hard case; < 0: the mix */
	int pen;      /* enum pen_kind for everyone; < 0: the mix */
	bool speckle; /* every page speckled */
};

/* A layout and its recorded drawing, per buurt and survey. */
struct layout_ref {
	const struct survey *s;
	const char *buurt;
	struct render_layout *l;
	struct render_form *f;
};

struct layouts {
	struct layout_ref **v; /* pointers: forms keep them */
	size_t nr, alloc;
};

/* One household's form in the set. */
struct form {
	const struct render_household *h;
	struct layout_ref *lay;
	struct form_fill fill;
	bool foreign; /* drawn from another survey definition */
	bool missing; /* one of its pages is not in the set */
};

/* One scanned page. */
struct page {
	size_t form;
	size_t page; /* 0-based page of the form */
	enum fmt fmt;
	size_t file;
	unsigned index; /* within the file */
	struct scan_look look;
	struct photo_look photo; /* FMT_PHOTO */
	int gentler;		 /* scanned again more gently (scan_page()) */
};

struct file {
	enum fmt fmt;
	int dpi;
	size_t *pages; /* into the page list, in stack order */
	size_t nr, cap;
};

struct set {
	const struct options *o;
	struct survey *s, *foreign_s;
	const char *base;
	struct render_households list;
	struct layouts layouts;
	struct form *forms;
	size_t nr_forms;
	struct page *pages; /* shared with worker processes once made */
	size_t nr_pages, alloc_pages;
	bool pages_shared;
	struct file *files;
	size_t nr_files, alloc_files;
	struct strbuf pages_csv, truth_csv, questions_csv;
};

/* ---- options ---- */

static int parse_count(const char *arg, size_t *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno || *end || n < 1 || n > 100000)
		return -1;
	*out = (size_t)n;
	return 0;
}

static int parse_dpis(const char *arg, struct options *o)
{
	const char *p = arg;

	o->nr_dpi = 0;
	while (*p) {
		char *end;
		long n;

		errno = 0;
		n = strtol(p, &end, 10);
		if (errno || end == p || n < 50 || n > 1200 ||
		    o->nr_dpi == MAX_DPIS || (*end && *end != ','))
			return -1;
		o->dpi[o->nr_dpi++] = (int)n;
		p = *end ? end + 1 : end;
	}
	return o->nr_dpi ? 0 : -1;
}

static int parse_formats(const char *arg, struct options *o)
{
	char *copy = xstrdup(arg), *save = NULL, *tok;
	int ret = 0, any = 0;

	memset(o->format, 0, sizeof(o->format));
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int k;

		if (!strcmp(tok, "jpeg"))
			tok = "jpg";
		if (!strcmp(tok, "tiff"))
			tok = "tif";
		for (k = 0; k < FMT_NR; k++)
			if (!strcmp(tok, fmt_name[k]))
				break;
		if (k == FMT_NR) {
			ret = -1;
			break;
		}
		o->format[k] = true;
		any = 1;
	}
	free(copy);
	return any ? ret : -1;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "forms", required_argument, NULL, 'n' },
		{ "pages", required_argument, NULL, 'p' },
		{ "dpi", required_argument, NULL, 'r' },
		{ "formats", required_argument, NULL, 'f' },
		{ "seed", required_argument, NULL, 's' },
		{ "buurt", required_argument, NULL, 'b' },
		{ "base-url", required_argument, NULL, 'u' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "hard", required_argument, NULL, 'H' },
		{ "pen", required_argument, NULL, 'P' },
		{ "speckle", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	size_t jobs;
	int c;

	o->forms = 10;
	o->seed = 1;
	o->jobs = 1;
	o->hard = -1;
	o->pen = -1;
	parse_dpis("150,200,300", o);
	parse_formats("png,jpg,tif,pdf", o);
	while ((c = getopt_long(argc, argv, "d:o:n:p:r:f:s:b:u:j:H:P:Sh", opts,
				NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'o': o->out = optarg; break;
		case 'b': o->buurt = optarg; break;
		case 'u': o->base_url = optarg; break;
		case 'n':
			if (parse_count(optarg, &o->forms) < 0)
				goto bad;
			break;
		case 'p':
			if (parse_count(optarg, &o->pages) < 0)
				goto bad;
			break;
		case 'r':
			if (parse_dpis(optarg, o) < 0)
				goto bad;
			break;
		case 'f':
			if (parse_formats(optarg, o) < 0)
				goto bad;
			break;
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 10);
			if (errno || *end || end == optarg)
				goto bad;
			break;
		case 'j':
			if (parse_count(optarg, &jobs) < 0 || jobs > 64)
				goto bad;
			o->jobs = (unsigned)jobs;
			break;
		case 'H':
			errno = 0;
			o->hard = strtod(optarg, &end);
			if (errno || *end || end == optarg || o->hard < 0 ||
			    o->hard > 1)
				goto bad;
			break;
		case 'P': {
			static const char *const pens[PEN_NR] = {
				"blue", "black", "pencil",
				"thin", "felt",	 "light-felt"
			};

			for (o->pen = 0; o->pen < PEN_NR; o->pen++)
				if (!strcmp(optarg, pens[o->pen]))
					break;
			if (o->pen == PEN_NR)
				goto bad;
			break;
		}
		case 'S': o->speckle = true; break;
		case 'h': fputs(usage, stdout); return 1;
		default: goto bad;
		}
	}
	if (optind == argc && o->db && o->out)
		return 0;
bad:
	fputs(usage, stderr);
	return -1;
}

/* ---- households, layouts and the altered survey ---- */

static int collect(const struct store_household *h, void *data)
{
	render_households_add(data, h);
	return 0;
}

static struct layout_ref *layout_for(struct set *set, const struct survey *s,
				     const char *buurt_id, struct strbuf *err)
{
	struct layouts *ls = &set->layouts;
	struct layout_ref *ref;
	const struct survey_buurt *b = survey_find_buurt(s, buurt_id);

	for (size_t i = 0; i < ls->nr; i++)
		if (ls->v[i]->s == s && !strcmp(ls->v[i]->buurt, buurt_id))
			return ls->v[i];
	if (!b) {
		strbuf_addf(err, "buurt '%s' is not in the survey", buurt_id);
		return NULL;
	}
	ref = xcalloc(1, sizeof(*ref));
	ref->s = s;
	ref->buurt = b->id;
	ref->l = render_layout_new(s, b, SURVEY_NL, set->base, err);
	if (!ref->l) {
		free(ref);
		return NULL;
	}
	ref->f = render_form_new(ref->l);
	ALLOC_GROW(ls->v, ls->nr + 1, ls->alloc);
	ls->v[ls->nr++] = ref;
	return ref;
}

/*
 * The survey as if its board had changed it after printing: the options
 * of the first question that has several are put in the reverse order.
 * The boxes mean other things, so the layout id differs, and a reader
 * must refuse a page of it.
 */
static int alter_survey(struct survey *s, struct strbuf *err)
{
	for (size_t i = 0; i < s->nr_questions; i++) {
		struct survey_question *q = &s->questions[i];

		if (q->nr_options < 2)
			continue;
		for (size_t a = 0, b = q->nr_options - 1; a < b; a++, b--) {
			struct survey_option t = q->options[a];

			q->options[a] = q->options[b];
			q->options[b] = t;
		}
		return 0;
	}
	strbuf_addstr(err, "the survey has no question with options to "
			   "change for a foreign layout");
	return -1;
}

static void add_page(struct set *set, size_t form, size_t page)
{
	ALLOC_GROW(set->pages, set->nr_pages + 1, set->alloc_pages);
	memset(&set->pages[set->nr_pages], 0, sizeof(*set->pages));
	set->pages[set->nr_pages].form = form;
	set->pages[set->nr_pages].page = page;
	set->nr_pages++;
}

/* The households' indices in an order shuffled by the seed. */
static size_t *shuffled(size_t n, uint64_t seed)
{
	struct rng r = rng_stream(seed, "households", 0);
	size_t *order = xcalloc(n + 1, sizeof(*order));

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = rng_below(&r, (unsigned)i), t = order[i - 1];

		order[i - 1] = order[j];
		order[j] = t;
	}
	return order;
}

/* Household h's form, from survey s, as the next form of the set. */
static struct form *add_form(struct set *set, const struct survey *s,
			     const struct render_household *h,
			     struct strbuf *err)
{
	struct form *f = &set->forms[set->nr_forms];

	f->h = h;
	f->lay = layout_for(set, s, h->buurt_id, err);
	if (!f->lay)
		return NULL;
	set->nr_forms++;
	return f;
}

/*
 * Choose the households (shuffled by the seed) and their pages: first
 * the foreign page (page 1 of the last household drawn), then every
 * page of every form, less page 2 of the first form that has one; with
 * --pages, forms until there are enough, the last one cut short.
 */
static int choose_pages(struct set *set, struct strbuf *err)
{
	const struct options *o = set->o;
	size_t n = set->list.nr, *order = shuffled(n, o->seed);
	size_t want_forms = o->pages ? n : o->forms;
	bool missing_done = false;
	struct form *f;
	int ret = -1;

	if (!n || (!o->pages && n < want_forms + 1)) {
		strbuf_addf(err,
			    "the store has %zu households%s%s; %zu are needed "
			    "(one more for the foreign page)",
			    n, o->buurt ? " in buurt " : "",
			    o->buurt ? o->buurt : "", want_forms + 1);
		goto out;
	}
	set->forms = xcalloc(n, sizeof(*set->forms));
	f = add_form(set, set->foreign_s, &set->list.v[order[n - 1]], err);
	if (!f)
		goto out;
	f->foreign = true;
	add_page(set, set->nr_forms - 1, 0);
	for (size_t k = 0; k + 1 < n && set->nr_forms <= want_forms; k++) {
		if (o->pages && set->nr_pages >= o->pages)
			break;
		f = add_form(set, set->s, &set->list.v[order[k]], err);
		if (!f)
			goto out;
		for (size_t p = 0; p < f->lay->l->nr_pages; p++) {
			if (p == 1 && !missing_done) {
				missing_done = f->missing = true;
				continue;
			}
			add_page(set, set->nr_forms - 1, p);
		}
	}
	if (o->pages && set->nr_pages < o->pages) {
		strbuf_addf(err,
			    "the store's %zu households give only %zu pages", n,
			    set->nr_pages);
		goto out;
	}
	if (o->pages && set->nr_pages > o->pages) {
		/* Only the last form is cut, and it keeps its page 1. */
		set->nr_pages = o->pages;
		set->forms[set->pages[o->pages - 1].form].missing = true;
	}
	ret = 0;
out:
	free(order);
	return ret;
}

/* ---- the stacks: files, formats, resolutions, looks ---- */

static struct file *new_file(struct set *set, enum fmt fmt, struct rng *r)
{
	struct file *f;

	ALLOC_GROW(set->files, set->nr_files + 1, set->alloc_files);
	f = &set->files[set->nr_files++];
	memset(f, 0, sizeof(*f));
	f->fmt = fmt;
	f->dpi = fmt == FMT_PHOTO
			 ? PHOTO_PAGE_DPI
			 : set->o->dpi[rng_below(r, (unsigned)set->o->nr_dpi)];
	f->cap = fmt == FMT_TIF || fmt == FMT_PDF
			 ? BATCH_MIN + rng_below(r, BATCH_MAX - BATCH_MIN + 1)
			 : 1;
	f->pages = xcalloc(f->cap, sizeof(*f->pages));
	return f;
}

/*
 * Shuffle the pages as a scanner's stack, give each a format (every
 * format asked for at least once), and put them in files: one page per
 * PNG or JPEG, stacks of 3 to 8 per TIFF or PDF.
 */
static void make_files(struct set *set)
{
	const struct options *o = set->o;
	struct rng r = rng_stream(o->seed, "stack", 0);
	enum fmt fmts[FMT_NR];
	size_t nr_fmts = 0, cur[FMT_NR];

	for (int k = 0; k < FMT_NR; k++)
		if (o->format[k])
			fmts[nr_fmts++] = (enum fmt)k;
	for (size_t i = set->nr_pages - 1; i > 0; i--) {
		size_t j = rng_below(&r, (unsigned)(i + 1));
		struct page t = set->pages[i];

		set->pages[i] = set->pages[j];
		set->pages[j] = t;
	}
	for (int k = 0; k < FMT_NR; k++)
		cur[k] = SIZE_MAX;
	for (size_t i = 0; i < set->nr_pages; i++) {
		struct page *p = &set->pages[i];
		struct file *f;

		p->fmt = i < nr_fmts ? fmts[i]
				     : fmts[rng_below(&r, (unsigned)nr_fmts)];
		if (cur[p->fmt] == SIZE_MAX ||
		    set->files[cur[p->fmt]].nr == set->files[cur[p->fmt]].cap) {
			new_file(set, p->fmt, &r);
			cur[p->fmt] = set->nr_files - 1;
		}
		f = &set->files[cur[p->fmt]];
		p->file = cur[p->fmt];
		p->index = (unsigned)f->nr;
		f->pages[f->nr++] = i;
	}
	for (size_t i = 0; i < set->nr_files; i++) {
		const struct file *f = &set->files[i];

		for (size_t j = 0; j < f->nr; j++) {
			struct page *p = &set->pages[f->pages[j]];
			struct rng lr =
				rng_stream(o->seed, "look", f->pages[j]);

			scan_pick(&p->look, &lr, f->dpi, f->fmt == FMT_JPG);
			if (o->speckle)
				p->look.flags |= SCAN_SPECKLE;
			if (f->fmt == FMT_PHOTO) {
				struct rng pr = rng_stream(o->seed, "photo",
							   f->pages[j]);

				/* The sheet flat and straight; the phone
				 * does the rest. */
				memset(&p->look, 0, sizeof(p->look));
				p->look.dpi = f->dpi;
				p->look.scale = 1;
				p->look.flags = SCAN_PHOTO | SCAN_JPEG;
				photo_pick(&p->photo, &pr);
				p->look.quality = p->photo.quality;
			}
		}
	}
}

/*
 * Put the pages where worker processes can write to them: a page they
 * scan again more gently changes its look, which pages.csv must show.
 */
static int share_pages(struct set *set, struct strbuf *err)
{
	size_t size = set->nr_pages * sizeof(*set->pages);
	struct page *shared = mmap(NULL, size, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (shared == MAP_FAILED) {
		strbuf_addf(err, "cannot share memory with workers: %s",
			    strerror(errno));
		return -1;
	}
	memcpy(shared, set->pages, size);
	if (set->pages_shared)
		munmap(set->pages, set->nr_pages * sizeof(*set->pages));
	else
		free(set->pages);
	set->pages = shared;
	set->pages_shared = true;
	return 0;
}

/* Fill in every form, knowing which of its pages are scanned in b/w. */
static void fill_forms(struct set *set)
{
	for (size_t i = 0; i < set->nr_forms; i++) {
		struct form *f = &set->forms[i];
		struct rng r = rng_stream(set->o->seed, "resident", i);
		bool *bw = xcalloc(f->lay->l->nr_pages, sizeof(*bw));

		for (size_t k = 0; k < set->nr_pages; k++)
			if (set->pages[k].form == i &&
			    (set->pages[k].look.flags & SCAN_BW))
				bw[set->pages[k].page] = true;
		resident_fill(&f->fill, f->lay->l, &r, bw, set->o->hard,
			      set->o->pen);
		free(bw);
	}
}

/* ---- the CSV files ---- */

/*
 * One RFC 4180 field.  Not strbuf_add_csv(): its guard against
 * spreadsheet formulas would turn a value such as "-" or "-2" into
 * "'-", and the reader compares values exactly.
 */
static void csv_field(struct strbuf *sb, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		strbuf_addch(sb, '"');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				strbuf_addch(sb, '"');
			strbuf_addch(sb, *p);
		}
		strbuf_addch(sb, '"');
	} else {
		strbuf_addstr(sb, s);
	}
	strbuf_addstr(sb, last ? "\r\n" : ",");
}

static void file_name(const struct set *set, size_t file, struct strbuf *out)
{
	strbuf_addf(out, "scan-%04zu.%s", file + 1,
		    fmt_ext[set->files[file].fmt]);
}

static const char *box_kind_name(const struct render_item *it)
{
	static const char *const names[] = { "option", "value", "digit",
					     "sign" };

	return it->kind == RENDER_ITEM_LINES ? "text" : names[it->box];
}

static void csv_rows(struct set *set, const struct page *p)
{
	const struct form *f = &set->forms[p->form];
	const struct render_page *pg = &f->lay->l->pages[p->page];
	struct strbuf name = STRBUF_INIT, flags = STRBUF_INIT,
		      head = STRBUF_INIT;
	char num[64];
	unsigned fl = p->look.flags;

	file_name(set, p->file, &name);
	if (f->foreign)
		fl |= SCAN_FOREIGN_LAYOUT;
	if (f->missing && p->page == 0)
		fl |= SCAN_MISSING_PAGE;
	scan_flags_format(fl, &flags);
	/* file,index,code,page shared by all three files */
	csv_field(&head, name.buf, false);
	strbuf_addf(&head, "%u,%s,%zu,", p->index, f->h->token, p->page + 1);

	strbuf_addstr(&set->pages_csv, head.buf);
	csv_field(&set->pages_csv, f->lay->l->id, false);
	if (p->fmt == FMT_PHOTO) {
		/* The resolution in the middle of the page; the rotation in
		 * the frame (the perspective is not in pages.csv). */
		double ax, ay, bx, by;

		photo_point(&p->photo, 105, 148, &ax, &ay);
		photo_point(&p->photo, 105, 149, &bx, &by);
		snprintf(num, sizeof(num), "%d,%.2f,1.0000,0.00,0.00,",
			 (int)lround(hypot(bx - ax, by - ay) * 25.4),
			 p->photo.angle + (p->photo.landscape ? 90 : 0));
	} else {
		snprintf(num, sizeof(num), "%d,%.2f,%.4f,%.2f,%.2f,",
			 p->look.dpi, scan_rotation(&p->look), p->look.scale,
			 p->look.shift_x, p->look.shift_y);
	}
	strbuf_addstr(&set->pages_csv, num);
	csv_field(&set->pages_csv, flags.buf, true);
	if (f->foreign)
		goto out; /* a reader must refuse it: no truth to compare */
	for (size_t i = 0; i < pg->nr; i++) {
		const struct render_item *it = &pg->items[i];
		const struct item_fill *fi = &f->fill.items[p->page][i];

		if (it->kind != RENDER_ITEM_BOX &&
		    it->kind != RENDER_ITEM_LINES)
			continue;
		strbuf_addstr(&set->truth_csv, head.buf);
		csv_field(&set->truth_csv, f->lay->l->id, false);
		csv_field(&set->truth_csv, it->question, false);
		csv_field(&set->truth_csv, box_kind_name(it), false);
		csv_field(&set->truth_csv,
			  it->kind == RENDER_ITEM_BOX ? it->value : "", false);
		csv_field(&set->truth_csv, mark_name(fi->mark), false);
		csv_field(&set->truth_csv, expect_name(fi->expect), true);
	}
	for (size_t i = 0; i < f->fill.nr_questions; i++) {
		const struct question_fill *q = &f->fill.questions[i];

		if (q->page != p->page)
			continue;
		strbuf_addstr(&set->questions_csv, head.buf);
		csv_field(&set->questions_csv, q->q->id, false);
		csv_field(&set->questions_csv, q->review ? "review" : "clear",
			  false);
		csv_field(&set->questions_csv, q->answer.buf, true);
	}
out:
	strbuf_release(&name);
	strbuf_release(&flags);
	strbuf_release(&head);
}

/* ---- drawing and writing the pages ---- */

/* An image surface per resolution, reused from page to page. */
struct canvas {
	int dpi;
	cairo_surface_t *surface;
	struct img img;
	struct img photo; /* FMT_PHOTO: the frame (allocated when needed) */
};

static struct canvas *canvas_for(struct canvas *c, size_t n, int dpi)
{
	for (size_t i = 0; i < n; i++) {
		if (c[i].dpi == dpi)
			return &c[i];
		if (!c[i].dpi) {
			c[i].dpi = dpi;
			c[i].img.w = scan_width(dpi);
			c[i].img.h = scan_height(dpi);
			c[i].img.dpi = dpi;
			c[i].img.px = xmalloc((size_t)c[i].img.w * c[i].img.h);
			c[i].surface = cairo_image_surface_create(
				CAIRO_FORMAT_RGB24, c[i].img.w, c[i].img.h);
			return &c[i];
		}
	}
	return NULL;
}

/* The page as scanned, in c->img. */
static int draw_page(struct set *set, size_t k, struct canvas *c,
		     struct strbuf *err)
{
	const struct page *p = &set->pages[k];
	const struct form *f = &set->forms[p->form];
	struct rng ink = rng_stream(set->o->seed, "ink", k);
	struct rng noise = rng_stream(set->o->seed, "noise", k);
	cairo_t *cr = cairo_create(c->surface);
	int ret;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	scan_transform(cr, &p->look);
	ret = render_form_draw_page(f->lay->f, cr, p->page, f->h, err);
	if (!ret)
		resident_draw(&f->fill, p->page, cr, &ink);
	cairo_destroy(cr);
	if (ret < 0)
		return -1;
	cairo_surface_flush(c->surface);
	scan_to_grey(c->surface, c->img.px);
	scan_degrade(c->img.px, c->img.w, c->img.h, &p->look, &noise);
	return 0;
}

/* Whether zbar finds want in the w x h grey pixels px. */
static bool zbar_finds(const uint8_t *px, int w, int h, const char *want)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_t *zi = zbar_image_create();
	const zbar_symbol_t *sym;
	bool found = false;

	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zi, (unsigned)w, (unsigned)h);
	zbar_image_set_data(zi, px, (unsigned long)w * h, NULL);
	zbar_scan_image(sc, zi);
	for (sym = zbar_image_first_symbol(zi); sym;
	     sym = zbar_symbol_next(sym))
		if (!strcmp(zbar_symbol_get_data(sym), want))
			found = true;
	zbar_image_destroy(zi);
	zbar_image_scanner_destroy(sc);
	return found;
}

/*
 * Whether zbar reads want on page p as scanned in im.  Below 300 dpi
 * zbar is given the whole page, as a reader would, because its
 * binariser adapts to the size of the image and a crop can read where
 * the page does not; at 300 dpi, where the whole page would cost more
 * than making it, the QR zone with 3 mm around it (where the modules
 * are 7 pixels and both agree).
 */
static bool qr_reads(const struct set *set, const struct page *p,
		     const struct img *im, const char *want)
{
	const struct form *f = &set->forms[p->form];
	const struct render_rect *z = &f->lay->l->pages[p->page].qr_zone;
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	double margin = 3 * p->look.dpi / 25.4;
	int cx0, cy0, cw, ch;
	uint8_t *crop;
	bool found;

	if (p->look.dpi < 300)
		return zbar_finds(im->px, im->w, im->h, want);
	for (int i = 0; i < 4; i++) {
		double px, py;

		scan_point(&p->look, z->x + (i & 1) * z->w,
			   z->y + (i >> 1) * z->h, &px, &py);
		x0 = fmin(x0, px);
		y0 = fmin(y0, py);
		x1 = fmax(x1, px);
		y1 = fmax(y1, py);
	}
	cx0 = (int)fmax(0, x0 - margin);
	cy0 = (int)fmax(0, y0 - margin);
	cw = (int)fmin(im->w, x1 + margin) - cx0;
	ch = (int)fmin(im->h, y1 + margin) - cy0;
	if (cw <= 0 || ch <= 0)
		return false;
	crop = xmalloc((size_t)cw * ch);
	for (int y = 0; y < ch; y++)
		memcpy(crop + (size_t)y * cw,
		       im->px + (size_t)(cy0 + y) * im->w + cx0, (size_t)cw);
	found = zbar_finds(crop, cw, ch, want);
	free(crop);
	return found;
}

/* Page k photographed (photo.h): the frame in c->photo, its JPEG in *jpeg
 * and the frame decoded from it again. */
static int photo_page(struct set *set, size_t k, struct canvas *c,
		      unsigned char **jpeg, size_t *len, struct strbuf *err)
{
	struct page *p = &set->pages[k];
	struct rng noise = rng_stream(set->o->seed, "photo-noise", k);

	if (draw_page(set, k, c, err) < 0)
		return -1;
	if (!c->photo.px)
		c->photo.px = xmalloc((size_t)PHOTO_LONG * PHOTO_SHORT);
	c->photo.w = photo_width(&p->photo);
	c->photo.h = photo_height(&p->photo);
	c->photo.dpi = 0; /* a phone says none */
	photo_shoot(&p->photo, c->img.px, c->img.w, c->img.h, c->img.dpi,
		    c->photo.px, &noise);
	p->look.quality = p->photo.quality;
	if (img_jpeg_encode_photo(&c->photo, p->photo.quality, jpeg, len, err) <
		    0 ||
	    img_jpeg_decode(*jpeg, *len, &c->photo, err) < 0)
		return -1;
	return 0;
}

/* Whether zbar reads want in the QR zone of a photo, with 5 mm round. */
static bool photo_qr_reads(const struct set *set, const struct page *p,
			   const struct img *im, const char *want)
{
	const struct form *f = &set->forms[p->form];
	const struct render_rect *z = &f->lay->l->pages[p->page].qr_zone;
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	int cx0, cy0, cw, ch;
	uint8_t *crop;
	bool found;

	for (int i = 0; i < 4; i++) {
		double px, py;

		photo_point(&p->photo, z->x - 5 + (i & 1) * (z->w + 10),
			    z->y - 5 + (i >> 1) * (z->h + 10), &px, &py);
		x0 = fmin(x0, px);
		y0 = fmin(y0, py);
		x1 = fmax(x1, px);
		y1 = fmax(y1, py);
	}
	cx0 = (int)fmax(0, x0);
	cy0 = (int)fmax(0, y0);
	cw = (int)fmin(im->w, x1) - cx0;
	ch = (int)fmin(im->h, y1) - cy0;
	if (cw <= 0 || ch <= 0)
		return false;
	crop = xmalloc((size_t)cw * ch);
	for (int y = 0; y < ch; y++)
		memcpy(crop + (size_t)y * cw,
		       im->px + (size_t)(cy0 + y) * im->w + cx0, (size_t)cw);
	found = zbar_finds(crop, cw, ch, want);
	free(crop);
	return found;
}

/*
 * Page k as scanned, in c->img, with its JPEG in *jpeg when it has one
 * (the pixels are then the JPEG's).  A page whose QR code zbar cannot
 * read is scanned again more gently (scan_gentler()), so that every
 * page of the set can be told apart by its QR code; pages.csv gives the
 * look that was used.
 */
static int scan_page(struct set *set, size_t k, struct canvas *c,
		     unsigned char **jpeg, size_t *len, struct strbuf *err)
{
	struct page *p = &set->pages[k];
	const struct form *f = &set->forms[p->form];
	struct strbuf url = STRBUF_INIT;
	int ret = -1;

	render_form_url(f->lay->f, p->page, f->h, &url);
	for (int step = -1; step < 2; step++) {
		if (step >= 0) {
			scan_gentler(&p->look, step);
			p->gentler = step + 1;
		}
		free(*jpeg);
		*jpeg = NULL;
		if (p->fmt == FMT_PHOTO) {
			if (step >= 0)
				photo_gentler(&p->photo, step);
			if (photo_page(set, k, c, jpeg, len, err) < 0)
				goto out;
			if (photo_qr_reads(set, p, &c->photo, url.buf)) {
				ret = 0;
				goto out;
			}
			continue;
		}
		if (draw_page(set, k, c, err) < 0)
			goto out;
		if ((p->look.flags & SCAN_JPEG) &&
		    (img_jpeg_encode(&c->img, p->look.quality, jpeg, len, err) <
			     0 ||
		     img_jpeg_decode(*jpeg, *len, &c->img, err) < 0))
			goto out;
		if (qr_reads(set, p, &c->img, url.buf)) {
			ret = 0;
			goto out;
		}
	}
	strbuf_addf(err,
		    "the QR code of %s does not decode even on a clean "
		    "straight scan",
		    url.buf);
out:
	strbuf_release(&url);
	return ret;
}

struct writer {
	struct tiff_out *tif;
	struct pdf_out *pdf;
};

/* Write the j-th page of file; a PDF takes jpeg over. */
static int write_page(struct set *set, const struct file *file, size_t j,
		      struct writer *w, const struct img *im,
		      unsigned char *jpeg, size_t len, const char *path,
		      struct strbuf *err)
{
	const struct page *p = &set->pages[file->pages[j]];

	switch (file->fmt) {
	case FMT_PNG: return img_write_png(path, im, err);
	case FMT_TIF:
		/* A JPEG page: as if the scanner's JPEG had been converted. */
		return img_tiff_add(w->tif, im, p->look.flags & SCAN_BW,
				    (unsigned)j, (unsigned)file->nr, err);
	case FMT_JPG:
	case FMT_PHOTO: return img_write_bytes(path, jpeg, len, err);
	case FMT_PDF: return img_pdf_add(w->pdf, im, jpeg, len, err);
	case FMT_NR: break;
	}
	return -1;
}

static int write_file(struct set *set, size_t i, struct canvas *canvases,
		      struct strbuf *err)
{
	const struct file *file = &set->files[i];
	struct strbuf path = STRBUF_INIT, name = STRBUF_INIT;
	struct canvas *c = canvas_for(canvases, MAX_DPIS, file->dpi);
	struct writer w = { NULL, NULL };
	int ret = -1;

	file_name(set, i, &name);
	strbuf_addf(&path, "%s/%s", set->o->out, name.buf);
	if (file->fmt == FMT_TIF && !(w.tif = img_tiff_open(path.buf, err)))
		goto out;
	if (file->fmt == FMT_PDF && !(w.pdf = img_pdf_open(path.buf, err)))
		goto out;
	for (size_t j = 0; j < file->nr; j++) {
		unsigned char *jpeg = NULL;
		size_t len = 0;
		int r = scan_page(set, file->pages[j], c, &jpeg, &len, err);
		bool taken = false;

		if (!r) {
			r = write_page(set, file, j, &w, &c->img, jpeg, len,
				       path.buf, err);
			taken = file->fmt == FMT_PDF; /* the PDF owns it */
		}
		if (!taken)
			free(jpeg);
		if (r < 0)
			goto out;
	}
	ret = 0;
out:
	if (img_tiff_close(w.tif) < 0)
		ret = -1;
	if (img_pdf_close(w.pdf, err) < 0)
		ret = -1;
	strbuf_release(&path);
	strbuf_release(&name);
	return ret;
}

static int write_csv(const char *dir, const char *name, const char *header,
		     const struct strbuf *rows, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT, all = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/%s", dir, name);
	strbuf_addf(&all, "%s\r\n", header);
	strbuf_add(&all, rows->buf, rows->len);
	ret = img_write_bytes(path.buf, all.buf, all.len, err);
	strbuf_release(&path);
	strbuf_release(&all);
	return ret;
}

/* The files of worker w of jobs (all of them when jobs is 1). */
static int write_files(struct set *set, unsigned w, unsigned jobs,
		       struct strbuf *err)
{
	struct canvas canvases[MAX_DPIS];
	int ret = 0;

	memset(canvases, 0, sizeof(canvases));
	for (size_t i = w; i < set->nr_files && !ret; i += jobs)
		ret = write_file(set, i, canvases, err);
	for (size_t i = 0; i < MAX_DPIS; i++) {
		if (!canvases[i].dpi)
			continue;
		cairo_surface_destroy(canvases[i].surface);
		free(canvases[i].img.px);
		free(canvases[i].photo.px);
	}
	return ret;
}

/*
 * Every page draws from its own random streams, so worker processes can
 * share the files out and the set is the same whatever their number.
 */
static int write_files_parallel(struct set *set, struct strbuf *err)
{
	unsigned jobs = set->o->jobs;
	pid_t pids[64];
	int failed = 0;

	if (jobs <= 1)
		return write_files(set, 0, 1, err);
	fflush(NULL);
	for (unsigned w = 0; w < jobs; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			int r = write_files(set, w, jobs, err);

			if (r < 0)
				fprintf(stderr, "scangen: %s\n", err->buf);
			_exit(r < 0 ? 1 : 0);
		}
		if (pids[w] < 0)
			failed = 1;
	}
	for (unsigned w = 0; w < jobs; w++) {
		int status;

		if (pids[w] > 0 && (waitpid(pids[w], &status, 0) < 0 ||
				    !WIFEXITED(status) || WEXITSTATUS(status)))
			failed = 1;
	}
	if (failed)
		strbuf_addstr(err, "a worker failed (see above)");
	return failed ? -1 : 0;
}

static int write_all(struct set *set, struct strbuf *err)
{
	if (mkdir(set->o->out, 0777) && errno != EEXIST) {
		strbuf_addf(err, "cannot create %s: %s", set->o->out,
			    strerror(errno));
		return -1;
	}
	if (write_files_parallel(set, err) < 0)
		return -1;
	/* After the pages: a page scanned again says how. */
	for (size_t i = 0; i < set->nr_files; i++)
		for (size_t j = 0; j < set->files[i].nr; j++)
			csv_rows(set, &set->pages[set->files[i].pages[j]]);
	if (write_csv(set->o->out, "pages.csv",
		      "file,index,code,page,layout,dpi,rotation,scale,"
		      "shift_x,shift_y,flags",
		      &set->pages_csv, err) < 0 ||
	    write_csv(set->o->out, "truth.csv",
		      "file,index,code,page,layout,question,kind,value,mark,"
		      "expect",
		      &set->truth_csv, err) < 0 ||
	    write_csv(set->o->out, "questions.csv",
		      "file,index,code,page,question,expect,answer",
		      &set->questions_csv, err) < 0)
		return -1;
	return 0;
}

/* ---- the whole run ---- */

static void set_release(struct set *set)
{
	for (size_t i = 0; i < set->nr_forms; i++)
		resident_release(&set->forms[i].fill);
	free(set->forms);
	for (size_t i = 0; i < set->layouts.nr; i++) {
		render_form_free(set->layouts.v[i]->f);
		render_layout_free(set->layouts.v[i]->l);
		free(set->layouts.v[i]);
	}
	free(set->layouts.v);
	for (size_t i = 0; i < set->nr_files; i++)
		free(set->files[i].pages);
	free(set->files);
	if (set->pages_shared)
		munmap(set->pages, set->nr_pages * sizeof(*set->pages));
	else
		free(set->pages);
	render_households_release(&set->list);
	strbuf_release(&set->pages_csv);
	strbuf_release(&set->truth_csv);
	strbuf_release(&set->questions_csv);
	survey_free(set->s);
	survey_free(set->foreign_s);
}

static int run(const struct options *o, struct strbuf *err)
{
	struct set set = { .o = o };
	struct store *st;
	size_t gentler = 0;
	int ret = -1;

	strbuf_init(&set.pages_csv, 0);
	strbuf_init(&set.truth_csv, 0);
	strbuf_init(&set.questions_csv, 0);
	st = store_open(o->db, STORE_EXISTING, err);
	if (!st)
		return -1;
	set.s = store_definition_load(st, err);
	set.foreign_s = set.s ? store_definition_load(st, err) : NULL;
	if (!set.foreign_s || alter_survey(set.foreign_s, err) < 0)
		goto out;
	set.base = o->base_url ? o->base_url : set.s->base_url;
	if (o->buurt && !survey_find_buurt(set.s, o->buurt)) {
		strbuf_addf(err, "buurt '%s' is not in the survey", o->buurt);
		goto out;
	}
	if (store_households_each(st, o->buurt, collect, &set.list, err) < 0)
		goto out;
	if (choose_pages(&set, err) < 0)
		goto out;
	make_files(&set);
	if (share_pages(&set, err) < 0)
		goto out;
	fill_forms(&set);
	if (write_all(&set, err) < 0)
		goto out;
	for (size_t i = 0; i < set.nr_pages; i++)
		gentler += set.pages[i].gentler > 0;
	printf("Wrote %zu pages of %zu forms in %zu files to %s.\n",
	       set.nr_pages, set.nr_forms, set.nr_files, o->out);
	if (gentler)
		printf("%zu pages were scanned again more gently: zbar could "
		       "not read their QR code.\n",
		       gentler);
	ret = 0;
out:
	set_release(&set);
	store_free(st);
	return ret;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct strbuf err = STRBUF_INIT;
	int ret;

	ret = parse_options(argc, argv, &o);
	if (ret)
		return ret < 0 ? 2 : 0;
	/*
	 * Page-sized buffers (pixels, zlib and JPEG state) come and go for
	 * every page; kept on the heap instead of being mapped and unmapped
	 * each time they cost no page faults.  (As render.c does.)
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	ret = run(&o, &err) < 0 ? 1 : 0;
	if (ret)
		fprintf(stderr, "scangen: %s\n", err.buf);
	strbuf_release(&err);
	render_cleanup();
	return ret;
}
