/*
 * check_scangen.c - checks a set written by scangen against the store it
 * came from, for the ctest (run.sh).
 *
 * usage: check_scangen STORE DIR [BASE_URL]
 *
 * BASE_URL as given to scangen --base-url, for a survey without one.
 * The three CSV files must have their headers and, for every page in
 * pages.csv, one truth row per box and lined area of that page's layout
 * and one question row per question on it, with values that follow the
 * rules in README.md; a foreign page must carry a layout id the store
 * does not know, and no truth.  Every file must exist, a TIFF must hold
 * as many pages as pages.csv says, and the QR code of every page that
 * is not upside down (PNG, JPEG and TIFF) must decode with zbar to the
 * URL of its row.  Prints one line per problem and exits 1 if any.
 */
#include <png.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <zbar.h>

#include "imgfile.h"
#include "layout.h"
#include "render.h"
#include "definition.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_FIELDS 16

struct row {
	char *f[MAX_FIELDS];
	size_t nr;
};

struct table {
	struct row *rows; /* rows[0] is the header */
	size_t nr, alloc;
};

static int problems;

static void problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void problem(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	problems++;
}

/* ---- a strict RFC 4180 reader, written apart from scangen's writer ---- */

static int parse_csv(const char *text, struct table *t)
{
	const char *p = text;
	struct strbuf field = STRBUF_INIT;
	struct row row = { { 0 }, 0 };

	while (*p) {
		strbuf_reset(&field);
		if (*p == '"') {
			for (p++;; p++) {
				if (!*p)
					return -1;
				if (*p == '"' && p[1] == '"')
					strbuf_addch(&field, *p++);
				else if (*p == '"')
					break;
				else
					strbuf_addch(&field, *p);
			}
			p++;
		} else {
			while (*p && *p != ',' && *p != '\r' && *p != '\n')
				strbuf_addch(&field, *p++);
		}
		if (row.nr == MAX_FIELDS)
			return -1;
		row.f[row.nr++] = strbuf_detach(&field, NULL);
		if (*p == ',') {
			p++;
			continue;
		}
		if (p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
		ALLOC_GROW(t->rows, t->nr + 1, t->alloc);
		t->rows[t->nr++] = row;
		memset(&row, 0, sizeof(row));
	}
	strbuf_release(&field);
	return row.nr ? -1 : 0;
}

static void free_table(struct table *t)
{
	for (size_t i = 0; i < t->nr; i++)
		for (size_t j = 0; j < t->rows[i].nr; j++)
			free(t->rows[i].f[j]);
	free(t->rows);
}

static int load_csv(const char *dir, const char *name, const char *header,
		    struct table *t)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT,
		      head = STRBUF_INIT;
	int ret = -1;

	strbuf_addf(&path, "%s/%s", dir, name);
	if (strbuf_read_file(&text, path.buf) < 0) {
		problem("cannot read %s", path.buf);
		goto out;
	}
	if (parse_csv(text.buf, t) < 0 || !t->nr) {
		problem("%s is not CSV with CRLF line ends", name);
		goto out;
	}
	for (size_t i = 0; i < t->rows[0].nr; i++)
		strbuf_addf(&head, "%s%s", i ? "," : "", t->rows[0].f[i]);
	if (strcmp(head.buf, header)) {
		problem("%s has the header '%s'", name, head.buf);
		goto out;
	}
	for (size_t i = 1; i < t->nr; i++)
		if (t->rows[i].nr != t->rows[0].nr) {
			problem("%s line %zu has %zu fields", name, i + 1,
				t->rows[i].nr);
			goto out;
		}
	ret = 0;
out:
	strbuf_release(&path);
	strbuf_release(&text);
	strbuf_release(&head);
	return ret;
}

/* ---- the store's layouts ---- */

struct layouts {
	struct render_layout *v[64];
	size_t nr;
};

static const struct render_layout *find_layout(const struct layouts *ls,
					       const char *id)
{
	for (size_t i = 0; i < ls->nr; i++)
		if (!strcmp(ls->v[i]->id, id))
			return ls->v[i];
	return NULL;
}

/* Boxes and lined areas, and questions, on page (0-based) of l. */
static void count_page(const struct render_layout *l, size_t page,
		       size_t *items, size_t *questions)
{
	const struct render_page *p = &l->pages[page];
	const char *last = NULL;

	*items = *questions = 0;
	for (size_t i = 0; i < p->nr; i++) {
		const struct render_item *it = &p->items[i];

		if (it->kind != RENDER_ITEM_BOX &&
		    it->kind != RENDER_ITEM_LINES)
			continue;
		(*items)++;
		if (!last || strcmp(last, it->question))
			(*questions)++;
		last = it->question;
	}
}

/* ---- images and QR codes ---- */

static int read_png(const char *path, struct img *im)
{
	png_image pi;

	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&pi, path))
		return -1;
	pi.format = PNG_FORMAT_GRAY;
	im->w = (int)pi.width;
	im->h = (int)pi.height;
	im->px = xmalloc(PNG_IMAGE_SIZE(pi));
	if (!png_image_finish_read(&pi, NULL, im->px, 0, NULL)) {
		free(im->px);
		im->px = NULL;
		return -1;
	}
	return 0;
}

static int read_jpeg(const char *path, struct img *im)
{
	struct strbuf data = STRBUF_INIT, err = STRBUF_INIT;
	const unsigned char *b;
	int ret = -1;

	if (strbuf_read_file(&data, path) < 0)
		goto out;
	/* The size from the SOF0 marker, then the pixels. */
	b = (const unsigned char *)data.buf;
	for (size_t i = 2; i + 9 < data.len;) {
		if (b[i] != 0xff)
			goto out;
		if (b[i + 1] == 0xc0 || b[i + 1] == 0xc2) {
			im->h = b[i + 5] << 8 | b[i + 6];
			im->w = b[i + 7] << 8 | b[i + 8];
			break;
		}
		i += 2 + (size_t)(b[i + 2] << 8 | b[i + 3]);
	}
	if (!im->w)
		goto out;
	im->px = xmalloc((size_t)im->w * im->h);
	ret = img_jpeg_decode(b, data.len, im, &err);
out:
	strbuf_release(&data);
	strbuf_release(&err);
	return ret;
}

/* Directory dir of an open TIFF as 8-bit grey (1-bit pages unpacked). */
static int read_tiff_page(TIFF *tif, unsigned dir, struct img *im)
{
	uint32_t w, h;
	uint16_t bps = 8, photo = PHOTOMETRIC_MINISBLACK;
	uint8_t *line;

	if (!TIFFSetDirectory(tif, (tdir_t)dir))
		return -1;
	TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetField(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo);
	im->w = (int)w;
	im->h = (int)h;
	im->px = xmalloc((size_t)w * h);
	line = xmalloc(TIFFScanlineSize(tif));
	for (uint32_t y = 0; y < h; y++) {
		uint8_t *out = im->px + (size_t)y * w;

		if (TIFFReadScanline(tif, line, y, 0) < 0) {
			free(line);
			return -1;
		}
		for (uint32_t x = 0; x < w; x++) {
			int v = bps == 1 ? (line[x >> 3] >> (7 - (x & 7)) & 1) *
						   255
					 : line[x];

			out[x] = (uint8_t)(photo == PHOTOMETRIC_MINISWHITE
						   ? 255 - v
						   : v);
		}
	}
	free(line);
	return 0;
}

static void expect_qr(const struct img *im, const char *what, const char *tail)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_t *z = zbar_image_create();
	const zbar_symbol_t *sym;
	size_t n = 0, lt = strlen(tail);
	bool found = false;

	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(z, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(z, (unsigned)im->w, (unsigned)im->h);
	zbar_image_set_data(z, im->px, (unsigned long)im->w * im->h, NULL);
	zbar_scan_image(sc, z);
	for (sym = zbar_image_first_symbol(z); sym;
	     sym = zbar_symbol_next(sym)) {
		const char *d = zbar_symbol_get_data(sym);
		size_t ld = strlen(d);

		n++;
		if (ld >= lt && !strcmp(d + ld - lt, tail))
			found = true;
	}
	if (n != 1 || !found)
		problem("%s: %zu QR codes, none ending in %s", what, n, tail);
	zbar_image_destroy(z);
	zbar_image_scanner_destroy(sc);
}

/* ---- the checks ---- */

static bool flag(const struct row *r, const char *name)
{
	const char *p = r->f[10];
	size_t n = strlen(name);

	while ((p = strstr(p, name))) {
		if ((p == r->f[10] || p[-1] == ';') && (p[n] == ';' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static bool same_page(const struct row *a, const struct row *b)
{
	return !strcmp(a->f[0], b->f[0]) && !strcmp(a->f[1], b->f[1]);
}

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

static void check_truth_row(const struct row *t)
{
	static const char *const kinds[] = { "option", "value", "digit",
					     "sign",   "text",	NULL };
	static const char *const ticked[] = { "tick", "cross", "stray", NULL };
	static const char *const review[] = {
		"fill",	   "dot",    "faint",  "crossed_out", "circle",
		"outside", "zigzag", "struck", "cancelled",   NULL
	};
	const char *kind = t->f[6], *mark = t->f[8], *expect = t->f[9];
	const char *want = "?";

	if (!one_of(kind, kinds))
		problem("truth: kind '%s'", kind);
	if (!strcmp(mark, "none"))
		want = "empty";
	else if (one_of(mark, ticked))
		want = "ticked";
	else if (one_of(mark, review))
		want = "review";
	else if (!strcmp(mark, "scribble"))
		want = !strcmp(kind, "text") ? "written" : "review";
	if (strcmp(want, expect))
		problem("truth: %s %s %s: mark %s expects %s", t->f[0], t->f[5],
			t->f[7], mark, expect);
}

/* The question rows of a page against its truth rows. */
static void check_question_row(const struct row *q, const struct table *truth)
{
	size_t ticked = 0, review = 0;
	struct strbuf answer = STRBUF_INIT;

	for (size_t i = 1; i < truth->nr; i++) {
		const struct row *t = &truth->rows[i];

		if (!same_page(t, q) || strcmp(t->f[5], q->f[4]))
			continue;
		if (!strcmp(t->f[9], "review"))
			review++;
		if (!strcmp(t->f[9], "ticked")) {
			strbuf_addf(&answer, "%s%s", ticked++ ? "+" : "",
				    t->f[7]);
		}
	}
	if (review && strcmp(q->f[5], "review"))
		problem("questions: %s %s is clear with a box to review",
			q->f[0], q->f[4]);
	if (!strcmp(q->f[5], "review") && *q->f[6])
		problem("questions: %s %s is review with an answer", q->f[0],
			q->f[4]);
	if (!strcmp(q->f[5], "clear") && strcmp(q->f[6], answer.buf))
		problem("questions: %s %s answers '%s', the boxes say '%s'",
			q->f[0], q->f[4], q->f[6], answer.buf);
	strbuf_release(&answer);
}

static size_t count_rows(const struct table *t, const struct row *page,
			 const char *want_code)
{
	size_t n = 0;

	for (size_t i = 1; i < t->nr; i++) {
		if (!same_page(&t->rows[i], page))
			continue;
		n++;
		if (strcmp(t->rows[i].f[2], want_code))
			problem("%s %s: a row of another code", page->f[0],
				page->f[1]);
	}
	return n;
}

static void check_page(const char *dir, const struct row *p,
		       const struct layouts *ls, const struct table *truth,
		       const struct table *questions)
{
	const struct render_layout *l = find_layout(ls, p->f[4]);
	size_t nt = count_rows(truth, p, p->f[2]);
	size_t nq = count_rows(questions, p, p->f[2]), items, qs;
	struct strbuf path = STRBUF_INIT;
	struct stat sb;
	long page = strtol(p->f[3], NULL, 10);

	strbuf_addf(&path, "%s/%s", dir, p->f[0]);
	if (stat(path.buf, &sb) || !sb.st_size)
		problem("%s is missing", p->f[0]);
	if (flag(p, "foreign_layout")) {
		if (l)
			problem("%s %s: foreign page with a known layout",
				p->f[0], p->f[1]);
		if (nt || nq)
			problem("%s %s: foreign page with truth rows", p->f[0],
				p->f[1]);
		goto out;
	}
	if (!l) {
		problem("%s %s: unknown layout %s", p->f[0], p->f[1], p->f[4]);
		goto out;
	}
	if (page < 1 || (size_t)page > l->nr_pages) {
		problem("%s %s: no page %ld", p->f[0], p->f[1], page);
		goto out;
	}
	count_page(l, (size_t)page - 1, &items, &qs);
	if (nt != items || nq != qs)
		problem("%s %s: %zu truth rows and %zu questions, want %zu "
			"and %zu",
			p->f[0], p->f[1], nt, nq, items, qs);
out:
	strbuf_release(&path);
}

/* QR codes of every page of file (all rows of pages.csv naming it). */
static void check_images(const char *dir, const struct table *pages)
{
	for (size_t i = 1; i < pages->nr; i++) {
		const struct row *p = &pages->rows[i];
		const char *ext = strrchr(p->f[0], '.');
		struct strbuf path = STRBUF_INIT, tail = STRBUF_INIT,
			      what = STRBUF_INIT;
		struct img im = { NULL, 0, 0, 0 };
		int got = -1;

		if (flag(p, "upside_down") || !ext || !strcmp(ext, ".pdf"))
			continue;
		strbuf_addf(&path, "%s/%s", dir, p->f[0]);
		strbuf_addf(&tail, "/F/%s/%s/%s", p->f[2], p->f[3], p->f[4]);
		strbuf_addf(&what, "%s page %s", p->f[0], p->f[1]);
		if (!strcmp(ext, ".png")) {
			got = read_png(path.buf, &im);
		} else if (!strcmp(ext, ".jpg")) {
			got = read_jpeg(path.buf, &im);
		} else if (!strcmp(ext, ".tif")) {
			TIFF *tif = TIFFOpen(path.buf, "r");

			if (tif) {
				got = read_tiff_page(
					tif,
					(unsigned)strtoul(p->f[1], NULL, 10),
					&im);
				TIFFClose(tif);
			}
		}
		if (got < 0)
			problem("%s: cannot read the image", what.buf);
		else
			expect_qr(&im, what.buf, tail.buf);
		free(im.px);
		strbuf_release(&path);
		strbuf_release(&tail);
		strbuf_release(&what);
	}
}

/* Pages in every TIFF: as many as pages.csv gives it. */
static void check_tiff_counts(const char *dir, const struct table *pages)
{
	for (size_t i = 1; i < pages->nr; i++) {
		const struct row *p = &pages->rows[i];
		const char *ext = strrchr(p->f[0], '.');
		struct strbuf path = STRBUF_INIT;
		size_t want = 0;
		TIFF *tif;

		if (strcmp(p->f[1], "0") || !ext || strcmp(ext, ".tif"))
			continue;
		for (size_t j = 1; j < pages->nr; j++)
			if (!strcmp(pages->rows[j].f[0], p->f[0]))
				want++;
		strbuf_addf(&path, "%s/%s", dir, p->f[0]);
		tif = TIFFOpen(path.buf, "r");
		if (!tif || TIFFNumberOfDirectories(tif) != want)
			problem("%s: not a TIFF of %zu pages", p->f[0], want);
		if (tif)
			TIFFClose(tif);
		strbuf_release(&path);
	}
}

static int load_layouts(const char *db, const char *base_url,
			struct layouts *ls, struct survey **s,
			struct store **st)
{
	struct strbuf err = STRBUF_INIT;

	*st = store_open(db, STORE_EXISTING, &err);
	*s = *st ? store_definition_load(*st, &err) : NULL;
	for (size_t i = 0; *s && i < (*s)->nr_buurten && i < 64; i++) {
		ls->v[ls->nr] = render_layout_new(
			*s, &(*s)->buurten[i], SURVEY_NL,
			base_url ? base_url : (*s)->base_url, &err);
		if (!ls->v[ls->nr])
			break;
		ls->nr++;
	}
	if (err.len)
		problem("%s", err.buf);
	strbuf_release(&err);
	return *s && ls->nr ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct table pages = { 0 }, truth = { 0 }, questions = { 0 };
	struct layouts ls = { { 0 }, 0 };
	struct store *st = NULL;
	struct survey *s = NULL;
	const char *dir;

	if (argc != 3 && argc != 4) {
		fputs("usage: check_scangen STORE DIR [BASE_URL]\n", stderr);
		return 2;
	}
	dir = argv[2];
	if (load_layouts(argv[1], argc == 4 ? argv[3] : NULL, &ls, &s, &st) <
		    0 ||
	    load_csv(dir, "pages.csv",
		     "file,index,code,page,layout,dpi,rotation,scale,shift_x,"
		     "shift_y,flags",
		     &pages) < 0 ||
	    load_csv(dir, "truth.csv",
		     "file,index,code,page,layout,question,kind,value,mark,"
		     "expect",
		     &truth) < 0 ||
	    load_csv(dir, "questions.csv",
		     "file,index,code,page,question,expect,answer",
		     &questions) < 0)
		goto out;
	for (size_t i = 1; i < pages.nr; i++)
		check_page(dir, &pages.rows[i], &ls, &truth, &questions);
	for (size_t i = 1; i < truth.nr; i++)
		check_truth_row(&truth.rows[i]);
	for (size_t i = 1; i < questions.nr; i++)
		check_question_row(&questions.rows[i], &truth);
	check_tiff_counts(dir, &pages);
	check_images(dir, &pages);
	printf("%zu pages, %zu truth rows, %zu question rows checked\n",
	       pages.nr - 1, truth.nr - 1, questions.nr - 1);
out:
	free_table(&pages);
	free_table(&truth);
	free_table(&questions);
	for (size_t i = 0; i < ls.nr; i++)
		render_layout_free(ls.v[i]);
	survey_free(s);
	store_free(st);
	render_cleanup();
	return problems ? 1 : 0;
}
