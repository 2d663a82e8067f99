/*
 * test_render.c - unit tests for the printable forms (render/).
 *
 * What matters is that a scanner can read a form back: every page's QR
 * code must decode to its household, page and layout, both when the page
 * is drawn on an image surface and in the real PDF rasterised by
 * pdftoppm; the layout file must put every box on the page, inside the
 * printable margins, clear of other boxes, the corner marks and the QR
 * zone; and nothing may be printed outside the areas the layout names.
 * Bad input must fail with a sentence and leave no file behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zbar.h>

#include "form.h"
#include "layout.h"
#include "pdf.h"
#include "poster.h"
#include "qr.h"
#include "render.h"
#include "xalloc.h"
#include "testutil.h"
#include "msg.h"
#include "banned.h"

#define DORST  SAMPLES_DIR "/dorst-speelveld/survey.yaml"
#define OOSTER SAMPLES_DIR "/oosterheide-parkeren/survey.yaml"
#define DPI    150.0

static struct survey *load(const char *path)
{
	struct diag_list dl;
	struct survey *s;

	diag_list_init(&dl, path);
	s = survey_load(path, &dl);
	if (!s) {
		diag_list_print(&dl, stderr);
		fail_msg("%s does not load", path);
	}
	diag_list_release(&dl);
	return s;
}

static struct survey *load_text(const char *yaml)
{
	struct diag_list dl;
	struct survey *s;

	diag_list_init(&dl, "test.yaml");
	s = survey_load_buffer("test.yaml", yaml, strlen(yaml), &dl);
	if (!s) {
		diag_list_print(&dl, stderr);
		fail_msg("test survey does not load");
	}
	diag_list_release(&dl);
	return s;
}

/* A household of buurt with a fresh code; anonymous when form_no > 0. */
static void add_household(struct render_households *list, const char *buurt,
			  long long form_no, const char *street, long number)
{
	struct store_household h = { .id = (long long)list->nr + 1,
				     .buurt_id = buurt,
				     .form_no = form_no,
				     .street = form_no ? NULL : street,
				     .number = number,
				     .letter = "",
				     .addition = number % 3 ? "" : "2",
				     .postcode = "4849 AB",
				     .place = "Dorst" };

	assert_int_equal(survey_token_new(h.token), 0);
	render_households_add(list, &h);
}

/* The QR codes zbar finds in a grey image, in the order found. */
static size_t decode(const unsigned char *grey, int w, int h, char **out,
		     size_t max)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_t *img = zbar_image_create();
	const zbar_symbol_t *sym;
	size_t n = 0;

	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, grey, (unsigned long)w * h, NULL);
	zbar_scan_image(sc, img);
	for (sym = zbar_image_first_symbol(img); sym && n < max;
	     sym = zbar_symbol_next(sym))
		out[n++] = xstrdup(zbar_symbol_get_data(sym));
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	return n;
}

/* Page of f for h drawn on a white image at dpi; grey bytes (free()). */
static unsigned char *rasterise(struct render_form *f, size_t page,
				const struct render_household *h, double dpi,
				int *w, int *hh)
{
	cairo_surface_t *surf;
	struct strbuf err = STRBUF_INIT;
	unsigned char *grey;
	cairo_t *cr;

	*w = (int)lround(RENDER_PAGE_W / 25.4 * dpi);
	*hh = (int)lround(RENDER_PAGE_H / 25.4 * dpi);
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *w, *hh);
	cr = cairo_create(surf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, dpi / 25.4, dpi / 25.4);
	if (render_form_draw_page(f, cr, page, h, &err) < 0)
		fail_msg("drawing page %zu: %s", page + 1, err.buf);
	cairo_destroy(cr);
	cairo_surface_flush(surf);
	grey = xmalloc((size_t)*w * *hh);
	for (int y = 0; y < *hh; y++) {
		const uint32_t *row =
			(const uint32_t
				 *)(cairo_image_surface_get_data(surf) +
				    (size_t)y * cairo_image_surface_get_stride(
							surf));

		for (int x = 0; x < *w; x++) {
			uint32_t p = row[x];

			grey[(size_t)y * *w + x] =
				(unsigned char)((((p >> 16) & 0xff) * 30 +
						 ((p >> 8) & 0xff) * 59 +
						 (p & 0xff) * 11) /
						100);
		}
	}
	cairo_surface_destroy(surf);
	strbuf_release(&err);
	return grey;
}

static void expect_single_qr(const unsigned char *grey, int w, int h,
			     const char *want)
{
	char *got[4];
	size_t n = decode(grey, w, h, got, 4);

	if (n != 1)
		fail_msg("found %zu QR codes, want 1 (%s)", n, want);
	assert_string_equal(got[0], want);
	free(got[0]);
}

/* ---- QR plans and URLs ---- */

static void test_qr_plan(void **state)
{
	struct render_qr_plan p;
	struct strbuf err = STRBUF_INIT, url = STRBUF_INIT;

	(void)state;
	assert_int_equal(render_qr_plan_init(
				 &p, "https://draagvlak.dorpsplatformdorst.nl/",
				 SURVEY_NL, &err),
			 0);
	assert_true(p.alnum);
	assert_null(p.why);
	assert_true(p.module >= RENDER_QR_MIN_MODULE);
	assert_true(p.size >= 18 && p.size <= 25);
	assert_true(p.version <= 4);
	render_qr_url(&p, "K7QM2XHD9FAB", 1, "3F2A9C", &url);
	assert_string_equal(url.buf, "HTTPS://DRAAGVLAK.DORPSPLATFORMDORST.NL/"
				     "F/K7QM2XHD9FAB/1/3F2A9C");
	render_qr_plan_release(&p);

	/* A path in lower case keeps its case: byte mode, with a reason. */
	assert_int_equal(render_qr_plan_init(&p, "https://example.nl/enquete",
					     SURVEY_NL, &err),
			 0);
	assert_false(p.alnum);
	assert_non_null(p.why);
	assert_string_equal(p.prefix, "HTTPS://EXAMPLE.NL/enquete/F/");
	render_qr_plan_release(&p);
	assert_int_equal(
		render_qr_plan_init(&p, "https://ex_ample.nl", SURVEY_NL, &err),
		0);
	assert_false(p.alnum);
	render_qr_plan_release(&p);

	/* Refused, with a sentence. */
	assert_int_equal(render_qr_plan_init(&p, NULL, SURVEY_NL, &err), -1);
	assert_non_null(strstr(err.buf, "--base-url"));
	strbuf_reset(&err);
	assert_int_equal(
		render_qr_plan_init(&p, "draagvlak.nl", SURVEY_NL, &err), -1);
	assert_true(err.len > 0);
	strbuf_reset(&err);
	strbuf_reset(&url);
	strbuf_addstr(&url, "https://draagvlak.");
	for (int i = 0; i < 20; i++)
		strbuf_addstr(&url, "heel-lang-");
	strbuf_addstr(&url, ".nl");
	assert_int_equal(render_qr_plan_init(&p, url.buf, SURVEY_NL, &err), -1);
	assert_non_null(strstr(err.buf, "is te lang"));
	strbuf_reset(&err);
	assert_int_equal(render_qr_plan_init(&p, url.buf, SURVEY_EN, &err), -1);
	assert_non_null(strstr(err.buf, "too long"));
	/* A '?' would end the path before the code (issue 17), in Dutch. */
	strbuf_reset(&err);
	assert_int_equal(
		render_qr_plan_init(&p, "https://a.nl/?x=1", SURVEY_NL, &err),
		-1);
	assert_non_null(strstr(err.buf, "mag geen '?' of '#' bevatten"));
	render_qr_plan_release(NULL);
	strbuf_release(&err);
	strbuf_release(&url);
}

/*
 * Page symbols (encoded through libqrencode's public API only): zbar must
 * read them for many codes, at 4 pixels a module (a 150 dpi scan of 0.6 mm
 * modules is 3.6).
 */
static void test_qr_page_symbols(void **state)
{
	struct render_qr_plan p;
	struct render_qr_symbol sym;
	struct strbuf err = STRBUF_INIT, url = STRBUF_INIT;
	char token[SURVEY_TOKEN_SIZE];

	(void)state;
	assert_int_equal(render_qr_plan_init(
				 &p, "https://draagvlak.dorpsplatformdorst.nl",
				 SURVEY_NL, &err),
			 0);
	for (int i = 0; i < 300; i++) {
		const int px = 4, side = (p.modules + 8) * px;
		unsigned char *grey = xmalloc((size_t)side * side);

		assert_int_equal(survey_token_new(token), 0);
		strbuf_reset(&url);
		render_qr_url(&p, token, (unsigned)i % 9 + 1, "3F2A9C", &url);
		if (render_qr_encode(&p, url.buf, &sym, &err) < 0)
			fail_msg("%s", err.buf);
		assert_int_equal(sym.width, p.modules);
		memset(grey, 255, (size_t)side * side);
		for (int y = 0; y < side; y++)
			for (int x = 0; x < side; x++) {
				int r = y / px - 4, c = x / px - 4;

				if (r >= 0 && c >= 0 && r < sym.width &&
				    c < sym.width &&
				    sym.row[r][c / 8] & 0x80 >> c % 8)
					grey[(size_t)y * side + x] = 0;
			}
		expect_single_qr(grey, side, side, url.buf);
		free(grey);
	}
	render_qr_plan_release(&p);
	strbuf_release(&err);
	strbuf_release(&url);
}

/* ---- The layout file ---- */

static struct render_rect json_rect(json_t *o)
{
	struct render_rect r = {
		json_number_value(json_object_get(o, "x")),
		json_number_value(json_object_get(o, "y")),
		json_number_value(json_object_get(o, "w")),
		json_number_value(json_object_get(o, "h")),
	};

	if (!json_is_number(json_object_get(o, "x")) || r.w <= 0 || r.h <= 0)
		fail_msg("a rectangle in the layout file is malformed");
	return r;
}

static void describe(json_t *o, char *buf, size_t size)
{
	char *s = json_dumps(o, JSON_COMPACT);

	snprintf(buf, size, "%s", s);
	free(s);
}

/*
 * Check one layout file: boxes and lined areas on the page inside the
 * printable margins, clear of each other, the corner marks, the QR zone
 * and every text; texts inside the margins and clear of marks and QR.
 * Returns the number of boxes.
 */
static size_t check_layout_json(const char *text, const struct survey *s,
				const char *want_id)
{
	const struct render_rect page = { RENDER_MARGIN, RENDER_MARGIN,
					  RENDER_PAGE_W - 2 * RENDER_MARGIN,
					  RENDER_PAGE_H - 2 * RENDER_MARGIN };
	json_error_t jerr;
	json_t *root = json_loads(text, 0, &jerr), *pages, *pg;
	size_t nboxes = 0, pi;
	char a[256], b[256];
	bool *seen = xcalloc(s->nr_questions, sizeof(bool));

	if (!root)
		fail_msg("layout file is not JSON: %s (line %d)", jerr.text,
			 jerr.line);
	assert_string_equal(json_string_value(json_object_get(root, "layout")),
			    want_id);
	assert_string_equal(json_string_value(json_object_get(root, "units")),
			    "mm");
	pages = json_object_get(root, "pages");
	assert_true(json_array_size(pages) >= 1);
	json_array_foreach(pages, pi, pg)
	{
		json_t *marks = json_object_get(pg, "corner_marks");
		json_t *boxes = json_object_get(pg, "boxes");
		json_t *areas = json_object_get(pg, "text_areas");
		json_t *texts = json_object_get(pg, "texts");
		json_t *solid = json_array(); /* boxes and lined areas */
		struct render_rect qr =
			json_rect(json_object_get(pg, "qr_zone"));
		struct render_rect sym = json_rect(json_object_get(pg, "qr"));
		struct render_rect mk[4];
		size_t i, j;
		json_t *o, *o2;

		assert_int_equal(
			json_integer_value(json_object_get(pg, "page")),
			(json_int_t)pi + 1);
		assert_true(render_rect_inside(&qr, &page, 1e-6));
		assert_true(render_rect_inside(&sym, &qr, 1e-6));
		assert_true(sym.w >= 18 - 1e-6 && sym.w <= 25 + 1e-6);
		assert_int_equal(json_array_size(marks), 4);
		json_array_foreach(marks, i, o)
		{
			mk[i] = json_rect(o);
			assert_true(render_rect_inside(&mk[i], &page, 1e-6));
			assert_false(render_rect_overlap(&mk[i], &qr));
		}
		json_array_extend(solid, boxes);
		json_array_extend(solid, areas);
		json_array_foreach(solid, i, o)
		{
			struct render_rect r = json_rect(o);
			const char *q = json_string_value(
				json_object_get(o, "question"));

			describe(o, a, sizeof(a));
			assert_non_null(survey_find_question(s, q));
			seen[survey_find_question(s, q) - s->questions] = true;
			if (!render_rect_inside(&r, &page, 1e-6))
				fail_msg("outside the margins: %s", a);
			if (render_rect_overlap(&r, &qr))
				fail_msg("in the QR zone: %s", a);
			for (int m = 0; m < 4; m++)
				if (render_rect_overlap(&r, &mk[m]))
					fail_msg("on a corner mark: %s", a);
			json_array_foreach(solid, j, o2)
			{
				struct render_rect r2 = json_rect(o2);

				if (j <= i || !render_rect_overlap(&r, &r2))
					continue;
				describe(o2, b, sizeof(b));
				fail_msg("%s overlaps %s", a, b);
			}
			json_array_foreach(texts, j, o2)
			{
				struct render_rect r2 = json_rect(o2);

				if (!render_rect_overlap(&r, &r2))
					continue;
				describe(o2, b, sizeof(b));
				fail_msg("%s overlaps text %s", a, b);
			}
		}
		json_array_foreach(texts, i, o)
		{
			struct render_rect r = json_rect(o);

			describe(o, a, sizeof(a));
			if (!render_rect_inside(&r, &page, 1e-6))
				fail_msg("text outside the margins: %s", a);
			if (render_rect_overlap(&r, &qr))
				fail_msg("text in the QR zone: %s", a);
			for (int m = 0; m < 4; m++)
				if (render_rect_overlap(&r, &mk[m]))
					fail_msg("text on a mark: %s", a);
		}
		nboxes += json_array_size(boxes);
		json_decref(solid);
	}
	/* Every question has its boxes or lined area somewhere. */
	for (size_t q = 0; q < s->nr_questions; q++)
		if (!seen[q])
			fail_msg("question %s has no boxes",
				 s->questions[q].id);
	free(seen);
	json_decref(root);
	return nboxes;
}

/*
 * Every page says how to correct a mistake, in one line between the
 * answers and the footer, clear of the corner marks' search (12 mm round
 * a mark, scan/register.c) and of every box: added after the layout id
 * is computed, it moves nothing a scanner reads.
 */
static void check_correction_line(const struct render_layout *l)
{
	const char *want = render_word(RENDER_W_CORRECTION, l->lang);

	assert_non_null(
		strstr(want, l->lang == SURVEY_NL ? "Vergist?" : "mistake?"));
	for (size_t i = 0; i < l->nr_pages; i++) {
		const struct render_page *p = &l->pages[i];
		const struct render_item *line = NULL;

		for (size_t j = 0; j < p->nr; j++)
			if (p->items[j].kind == RENDER_ITEM_TEXT &&
			    !strcmp(p->items[j].text, want))
				line = &p->items[j];
		if (!line)
			fail_msg("page %zu does not say how to correct", i + 1);
		assert_true(line->r.y >= RENDER_BOTTOM);
		assert_true(line->r.y + line->r.h <=
			    RENDER_PAGE_H - RENDER_MARGIN - 8);
		assert_true(line->r.x >=
			    RENDER_MARGIN + RENDER_MARK_LEN + 12.0);
		assert_true(line->r.x + line->r.w <=
			    RENDER_PAGE_W - RENDER_MARGIN - RENDER_MARK_LEN -
				    12.0);
		for (size_t j = 0; j < p->nr; j++)
			if (p->items[j].kind == RENDER_ITEM_BOX ||
			    p->items[j].kind == RENDER_ITEM_LINES)
				assert_false(render_rect_overlap(&p->items[j].r,
								 &line->r));
	}
}

static void check_survey_layouts(const char *path, const char *base,
				 enum survey_lang lang)
{
	struct survey *s = load(path);
	struct strbuf err = STRBUF_INIT, json = STRBUF_INIT;

	for (size_t i = 0; i < s->nr_buurten; i++) {
		struct render_layout *l =
			render_layout_new(s, &s->buurten[i], lang, base, &err);
		struct render_layout *again =
			render_layout_new(s, &s->buurten[i], lang, base, &err);

		if (!l)
			fail_msg("%s: %s", path, err.buf);
		assert_non_null(again);
		/* Six upper-case hex digits, the same for the same boxes. */
		assert_int_equal(strlen(l->id), 6);
		assert_int_equal(strspn(l->id, "0123456789ABCDEF"), 6);
		assert_string_equal(l->id, again->id);
		strbuf_reset(&json);
		render_layout_json(l, &json);
		assert_true(check_layout_json(json.buf, s, l->id) > 10);
		check_correction_line(l);
		render_layout_free(l);
		render_layout_free(again);
	}
	strbuf_release(&err);
	strbuf_release(&json);
	survey_free(s);
}

static void test_layout_dorst(void **state)
{
	(void)state;
	check_survey_layouts(DORST, "https://draagvlak.dorpsplatformdorst.nl",
			     SURVEY_NL);
	check_survey_layouts(DORST, "https://draagvlak.dorpsplatformdorst.nl",
			     SURVEY_EN);
}

static void test_layout_oosterheide(void **state)
{
	struct survey *s = load(OOSTER);
	struct strbuf err = STRBUF_INIT;

	(void)state;
	/* No base_url in the definition and none given: a clear error. */
	assert_null(
		render_layout_new(s, &s->buurten[0], SURVEY_NL, NULL, &err));
	assert_non_null(strstr(err.buf, "base_url"));
	strbuf_reset(&err);
	/* No English in this survey. */
	assert_null(render_layout_new(s, &s->buurten[0], SURVEY_EN,
				      "https://parkeren.example.nl", &err));
	assert_non_null(strstr(err.buf, "'en'"));
	survey_free(s);
	strbuf_release(&err);
	check_survey_layouts(OOSTER, "https://parkeren.oosterheide.example.nl",
			     SURVEY_NL);
}

/* ---- Drawing: QR codes decode, nothing outside the layout ---- */

/* Count dark pixels outside every area the layout names (+ slack). */
static size_t ink_outside(const struct render_layout *l, size_t page,
			  const unsigned char *grey, int w, int h, double dpi)
{
	const struct render_page *p = &l->pages[page];
	const double px = dpi / 25.4, slack = 0.8;
	unsigned char *ok = xcalloc((size_t)w * h, 1);
	size_t n = 0;

	for (size_t i = 0; i <= p->nr; i++) {
		const struct render_rect *r =
			i < p->nr ? &p->items[i].r : &p->qr_zone;
		int x0 = (int)floor((r->x - slack) * px);
		int y0 = (int)floor((r->y - slack) * px);
		int x1 = (int)ceil((r->x + r->w + slack) * px);
		int y1 = (int)ceil((r->y + r->h + slack) * px);

		for (int y = y0 < 0 ? 0 : y0; y < y1 && y < h; y++)
			for (int x = x0 < 0 ? 0 : x0; x < x1 && x < w; x++)
				ok[(size_t)y * w + x] = 1;
	}
	for (size_t i = 0; i < (size_t)w * h; i++)
		if (grey[i] < 160 && !ok[i])
			n++;
	free(ok);
	return n;
}

static void test_draw_and_decode(void **state)
{
	struct survey *s = load(DORST);
	struct render_households list = { 0 };
	struct strbuf err = STRBUF_INIT, url = STRBUF_INIT;

	(void)state;
	add_household(&list, "BU08260101", 0, "Populierenlaan", 112);
	add_household(&list, "BU08260101", 7, NULL, 0);
	for (int lang = 0; lang < (int)msg_nr_langs(); lang++) {
		struct render_layout *l = render_layout_new(
			s, survey_find_buurt(s, "BU08260101"), lang,
			"https://draagvlak.dorpsplatformdorst.nl", &err);
		struct render_form *f;

		assert_non_null(l);
		f = render_form_new(l);
		for (size_t i = 0; i < list.nr; i++) {
			for (size_t pg = 0; pg < l->nr_pages; pg++) {
				int w, h;
				unsigned char *grey = rasterise(
					f, pg, &list.v[i], DPI, &w, &h);
				size_t stray;

				strbuf_reset(&url);
				render_form_url(f, pg, &list.v[i], &url);
				/* Household, page and layout in the URL. */
				assert_non_null(
					strstr(url.buf, list.v[i].token));
				assert_non_null(strstr(url.buf, l->id));
				expect_single_qr(grey, w, h, url.buf);
				stray = ink_outside(l, pg, grey, w, h, DPI);
				if (stray)
					fail_msg("page %zu: %zu dark pixels "
						 "outside the layout's areas",
						 pg + 1, stray);
				free(grey);
			}
		}
		render_form_free(f);
		render_layout_free(l);
	}
	render_households_release(&list);
	strbuf_release(&err);
	strbuf_release(&url);
	survey_free(s);
}

/* ---- The real files ---- */

static char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/test_render.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return xstrdup(tmpl);
}

/* Number of entries in dir (hidden ones counted in *hidden). */
static size_t count_files(const char *dir, size_t *hidden)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	*hidden = 0;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n++;
		if (e->d_name[0] == '.')
			(*hidden)++;
	}
	if (d)
		closedir(d);
	return n;
}

static unsigned char *read_pgm(const char *path, int *w, int *h)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	int max;

	if (!fp)
		fail_msg("no %s", path);
	if (fscanf(fp, "P5 %d %d %d", w, h, &max) != 3 || max != 255)
		fail_msg("%s is not an 8-bit PGM", path);
	fgetc(fp);
	buf = xmalloc((size_t)*w * *h);
	if (fread(buf, 1, (size_t)*w * *h, fp) != (size_t)*w * *h)
		fail_msg("%s is short", path);
	fclose(fp);
	return buf;
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	if (!fp)
		fail_msg("no %s", path);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	return strbuf_detach(&sb, NULL);
}

/*
 * Each of the PDF tests runs twice: with our writer (pdf.h), and with
 * every file drawn by plain cairo, the fallback when the writer cannot
 * read what a cairo version writes.  Both must give the same pages.
 */
static bool cairo_only[2] = { false, true };

static void test_pdf_pdftoppm(void **state)
{
	struct survey *s = load(DORST);
	struct render_households list = { 0 };
	struct render_options o = { 0 };
	struct render_stats st = { 0 };
	struct strbuf err = STRBUF_INIT, cmd = STRBUF_INIT, p = STRBUF_INIT;
	struct strbuf url = STRBUF_INIT;
	char *dir = make_tmpdir(), *json;
	struct render_layout *l;
	struct render_form *f;
	size_t hidden, pages;
	json_t *root;

	(void)state;
	add_household(&list, "BU08260100", 0, "Kerkstraat", 1);
	add_household(&list, "BU08260100", 0, "Kerkstraat", 3);
	add_household(&list, "BU08260100", 1, NULL, 0);
	o.outdir = dir;
	o.jobs = 2;
	o.cairo_only = *(bool *)*state;
	if (render_forms(s, &list, &o, &st, &err) < 0)
		fail_msg("%s", err.buf);
	assert_int_equal(st.files, 2);
	assert_int_equal(st.cairo_files, o.cairo_only ? 2 : 0);
	assert_int_equal(st.forms, 3);
	assert_int_equal(count_files(dir, &hidden), 4);
	assert_int_equal(hidden, 0);

	/* The layout id in the file is the one in the QR codes. */
	strbuf_addf(&p, "%s/formulieren-BU08260100.layout.json", dir);
	json = read_file(p.buf);
	root = json_loads(json, 0, NULL);
	assert_non_null(root);
	l = render_layout_new(s, survey_find_buurt(s, "BU08260100"), SURVEY_NL,
			      "https://draagvlak.dorpsplatformdorst.nl", &err);
	assert_non_null(l);
	assert_string_equal(json_string_value(json_object_get(root, "layout")),
			    l->id);
	check_layout_json(json, s, l->id);
	pages = json_array_size(json_object_get(root, "pages"));
	assert_int_equal(pages, l->nr_pages);
	json_decref(root);
	free(json);

	/* Rasterise the real PDF and read every page's QR code. */
	strbuf_addf(&cmd, "%s -r 150 -gray %s/formulieren-BU08260100.pdf %s/p",
		    PDFTOPPM, dir, dir);
	assert_int_equal(system(cmd.buf), 0);
	f = render_form_new(l);
	for (size_t k = 0; k < 2 * pages; k++) {
		int w, h;
		unsigned char *grey;

		strbuf_reset(&p);
		strbuf_addf(&p, "%s/p-%zu.pgm", dir, k + 1);
		if (access(p.buf, R_OK)) {
			strbuf_reset(&p);
			strbuf_addf(&p, "%s/p-%02zu.pgm", dir, k + 1);
		}
		grey = read_pgm(p.buf, &w, &h);
		strbuf_reset(&url);
		render_form_url(f, k % pages, &list.v[k / pages], &url);
		expect_single_qr(grey, w, h, url.buf);
		free(grey);
	}
	render_form_free(f);
	render_layout_free(l);
	test_remove_tree(dir);
	free(dir);
	render_households_release(&list);
	strbuf_release(&err);
	strbuf_release(&cmd);
	strbuf_release(&p);
	strbuf_release(&url);
	survey_free(s);
}

/* pdftotext, from the same poppler-utils as pdftoppm. */
static void pdftotext_cmd(struct strbuf *cmd)
{
	const char *slash = strrchr(PDFTOPPM, '/');

	if (slash)
		strbuf_add(cmd, PDFTOPPM, (size_t)(slash - PDFTOPPM + 1));
	strbuf_addstr(cmd, "pdftotext");
}

/*
 * The forms' own PDF writer (pdf.h): the texts of the slots are real text
 * a PDF reader finds, whether a line is shaped on its own (Latin), laid
 * out by pango because it wraps or is in another script, and cairo never
 * had to draw a file itself.
 */
static void test_pdf_text(void **state)
{
	static const char *streets[] = {
		"Kerkstraat",
		"Straße des 17. Juni",
		"Ĳsselmeerstraat",
		("Burgemeester van der Dussen-van Hogendorp-"
		 "Schimmelpenninckstraat"),
		"Οδός Αθηνάς",
	};
	struct survey *s = load(DORST);
	struct render_households list = { 0 };
	struct render_options o = { 0 };
	struct render_stats st = { 0 };
	struct strbuf err = STRBUF_INIT, cmd = STRBUF_INIT, p = STRBUF_INIT;
	char *dir = make_tmpdir(), *text;

	o.cairo_only = *(bool *)*state;
	for (size_t i = 0; i < sizeof(streets) / sizeof(*streets); i++)
		add_household(&list, "BU08260100", 0, streets[i], (long)i + 11);
	add_household(&list, "BU08260100", 3, NULL, 0);
	o.outdir = dir;
	o.jobs = 1;
	if (render_forms(s, &list, &o, &st, &err) < 0)
		fail_msg("%s", err.buf);
	assert_int_equal(st.cairo_files, o.cairo_only ? 2 : 0);
	for (int anon = 0; anon < 2; anon++) {
		strbuf_reset(&cmd);
		pdftotext_cmd(&cmd);
		strbuf_addf(&cmd,
			    " -raw %s/formulieren-BU08260100%s.pdf "
			    "%s/out.txt",
			    dir, anon ? "-zonder-adres" : "", dir);
		assert_int_equal(system(cmd.buf), 0);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/out.txt", dir);
		text = read_file(p.buf);
		for (size_t i = 0; i < list.nr; i++) {
			const struct render_household *h = &list.v[i];
			char pretty[SURVEY_TOKEN_PRETTY];

			if ((h->street == NULL) != anon)
				continue;
			survey_token_pretty(h->token, pretty);
			if (!strstr(text, pretty))
				fail_msg("no code %s in the PDF's text",
					 pretty);
			strbuf_reset(&p);
			if (anon)
				strbuf_addf(&p, "Formulier %lld", h->form_no);
			else if (strlen(h->street) < 30)
				strbuf_addf(&p, "%s %ld", h->street, h->number);
			else
				strbuf_addstr(&p, "Schimmelpenninckstraat");
			if (!strstr(text, p.buf))
				fail_msg("no '%s' in the PDF's text", p.buf);
		}
		/* How to correct a mistake, printed. */
		assert_non_null(strstr(text, "Vergist? Kleur het foute vakje"));
		free(text);
	}
	test_remove_tree(dir);
	free(dir);
	render_households_release(&list);
	strbuf_release(&err);
	strbuf_release(&cmd);
	strbuf_release(&p);
	survey_free(s);
}

/* What is not a PDF cairo writes makes the writer step aside. */
/*
 * voting_unit resident (issue 15): the three voters at an address get
 * three letters, each with a QR code of its own code, and each letter
 * says which voter it is for.
 */
static void test_pdf_residents(void **state)
{
	static const int adults[3] = { 1, 2, 3 };
	struct survey *s = load(DORST);
	struct render_households list = { 0 };
	struct render_options o = { 0 };
	struct render_stats st = { 0 };
	struct strbuf err = STRBUF_INIT, cmd = STRBUF_INIT, p = STRBUF_INIT;
	struct strbuf url = STRBUF_INIT;
	char *dir = make_tmpdir(), *text;
	struct render_layout *l;
	struct render_form *f;

	(void)state;
	s->voting_unit = SURVEY_UNIT_RESIDENT;
	for (int a = 0; a < 3; a++)
		for (int r = 1; r <= adults[a]; r++) {
			struct store_household h = {
				.id = (long long)list.nr + 1,
				.buurt_id = "BU08260100",
				.street = "Kerkstraat",
				.number = a + 1,
				.letter = "",
				.addition = "",
				.postcode = "4849 AB",
				.place = "Dorst",
				.resident = r,
				.residents = adults[a],
			};

			assert_int_equal(survey_token_new(h.token), 0);
			render_households_add(&list, &h);
		}
	assert_int_equal(list.nr, 6);
	for (size_t i = 0; i < list.nr; i++)
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(list.v[i].token,
						list.v[j].token);
	o.outdir = dir;
	o.jobs = 1;
	if (render_forms(s, &list, &o, &st, &err) < 0)
		fail_msg("%s", err.buf);
	assert_int_equal(st.forms, 6);
	l = render_layout_new(s, survey_find_buurt(s, "BU08260100"), SURVEY_NL,
			      "https://draagvlak.dorpsplatformdorst.nl", &err);
	assert_non_null(l);

	/* The first page of each letter carries its own code. */
	strbuf_addf(&cmd, "%s -r 150 -gray %s/formulieren-BU08260100.pdf %s/p",
		    PDFTOPPM, dir, dir);
	assert_int_equal(system(cmd.buf), 0);
	f = render_form_new(l);
	for (size_t k = 0; k < list.nr; k++) {
		size_t page = k * l->nr_pages;
		unsigned char *grey;
		int w, h;

		strbuf_reset(&p);
		strbuf_addf(&p, "%s/p-%zu.pgm", dir, page + 1);
		if (access(p.buf, R_OK)) {
			strbuf_reset(&p);
			strbuf_addf(&p, "%s/p-%02zu.pgm", dir, page + 1);
		}
		grey = read_pgm(p.buf, &w, &h);
		strbuf_reset(&url);
		render_form_url(f, 0, &list.v[k], &url);
		assert_non_null(strstr(url.buf, list.v[k].token));
		expect_single_qr(grey, w, h, url.buf);
		free(grey);
	}

	/* And each letter names its voter. */
	strbuf_reset(&cmd);
	pdftotext_cmd(&cmd);
	strbuf_addf(&cmd, " -raw %s/formulieren-BU08260100.pdf %s/t.txt", dir,
		    dir);
	assert_int_equal(system(cmd.buf), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/t.txt", dir);
	text = read_file(p.buf);
	assert_non_null(
		strstr(text, "Aan bewoner 1 van 1 (18 jaar of ouder) op"));
	assert_non_null(
		strstr(text, "Aan bewoner 2 van 2 (18 jaar of ouder) op"));
	assert_non_null(
		strstr(text, "Aan bewoner 3 van 3 (18 jaar of ouder) op"));
	assert_null(strstr(text, "Aan de bewoners van"));
	free(text);

	render_form_free(f);
	render_layout_free(l);
	test_remove_tree(dir);
	free(dir);
	render_households_release(&list);
	strbuf_release(&err);
	strbuf_release(&cmd);
	strbuf_release(&p);
	strbuf_release(&url);
	survey_free(s);
}

static void test_pdf_template(void **state)
{
	static const char junk[] = "%PDF-1.5\n1 0 obj\n<< >>\nendobj\n"
				   "startxref\n9\n%%EOF\n";
	struct strbuf err = STRBUF_INIT;
	FILE *fp = tmpfile();
	int ret = 0;

	(void)state;
	assert_non_null(fp);
	assert_null(render_pdf_open(fp, 595, 842, junk, sizeof(junk) - 1, &ret,
				    &err));
	assert_int_equal(ret, RENDER_PDF_UNSUPPORTED);
	assert_non_null(strstr(err.buf, "cannot read"));
	fclose(fp);
	strbuf_release(&err);
}

static void test_posters(void **state)
{
	struct survey *s = load(DORST);
	struct render_options o = { 0 };
	struct render_stats st = { 0 };
	struct strbuf err = STRBUF_INIT, cmd = STRBUF_INIT, p = STRBUF_INIT;
	char *dir = make_tmpdir();
	char *got[2];
	unsigned char *grey;
	int w, h;

	(void)state;
	o.outdir = dir;
	if (render_posters(s, &o, &st, &err) < 0)
		fail_msg("%s", err.buf);
	assert_int_equal(st.files, 2);
	strbuf_addf(&cmd, "%s -r 50 -gray %s/poster-A3.pdf %s/a3", PDFTOPPM,
		    dir, dir);
	assert_int_equal(system(cmd.buf), 0);
	strbuf_addf(&p, "%s/a3-1.pgm", dir);
	grey = read_pgm(p.buf, &w, &h);
	assert_int_equal(decode(grey, w, h, got, 2), 1);
	assert_string_equal(got[0], "HTTPS://DRAAGVLAK.DORPSPLATFORMDORST.NL/");
	free(got[0]);
	free(grey);
	test_remove_tree(dir);
	free(dir);
	strbuf_release(&err);
	strbuf_release(&cmd);
	strbuf_release(&p);
	survey_free(s);
}

/* ---- Bad input: a sentence, and nothing left behind ---- */

static const char long_survey[] = "survey: lang\n"
				  "title: Lang\n"
				  "organisation: Test\n"
				  "contact: \"Vragen? test@example.nl\"\n"
				  "intro: Hallo.\n"
				  "opens: 2027-01-01\n"
				  "closes: 2027-02-01\n"
				  "base_url: https://draagvlak.example.nl\n"
				  "questions:\n"
				  "  - id: lang\n"
				  "    type: proposition\n"
				  "    text: \"%s\"\n"
				  "buurten:\n"
				  "  - { id: B1, name: Een, households: 10 }\n"
				  "agreement:\n"
				  "  min_in_favour: \"> 50%%\"\n";

static void test_errors(void **state)
{
	struct strbuf yaml = STRBUF_INIT, words = STRBUF_INIT;
	struct strbuf err = STRBUF_INIT;
	struct render_households list = { 0 };
	struct render_options o = { 0 };
	struct render_stats st = { 0 };
	char *dir = make_tmpdir();
	struct survey *s;
	size_t hidden;

	(void)state;
	/* A question too long for a page. */
	for (int i = 0; i < 900; i++)
		strbuf_addstr(&words, "Bewonersvereniging ");
	strbuf_addf(&yaml, long_survey, words.buf);
	s = load_text(yaml.buf);
	add_household(&list, "B1", 0, "Dorpsstraat", 1);
	o.outdir = dir;
	assert_int_equal(render_forms(s, &list, &o, &st, &err), -1);
	assert_non_null(strstr(err.buf, "past niet op één bladzijde"));
	assert_non_null(strstr(err.buf, "Vraag 1 ('lang')"));
	/* The same in English with --lang en. */
	strbuf_reset(&err);
	o.lang = SURVEY_EN;
	survey_free(s);
	strbuf_reset(&yaml);
	strbuf_addstr(&yaml, "languages: [nl, en]\n");
	strbuf_addf(&yaml, long_survey, words.buf);
	s = load_text(yaml.buf);
	assert_int_equal(render_forms(s, &list, &o, &st, &err), -1);
	assert_non_null(strstr(err.buf, "Question 1 ('lang') does not fit"));
	o.lang = SURVEY_NL;
	assert_int_equal(count_files(dir, &hidden), 0);
	survey_free(s);
	render_households_release(&list);

	/* A household in a buurt the survey does not have. */
	s = load(DORST);
	add_household(&list, "BU99999999", 0, "Nergensstraat", 1);
	strbuf_reset(&err);
	assert_int_equal(render_forms(s, &list, &o, &st, &err), -1);
	assert_non_null(strstr(err.buf, "BU99999999"));
	render_households_release(&list);

	/* A base URL too long for a small QR code. */
	add_household(&list, "BU08260100", 0, "Kerkstraat", 1);
	o.base_url = "https://draagvlak.een-heel-erg-lange-naam-van-een-"
		     "dorpsplatform-in-west-brabant.nl/enquetes/2027/"
		     "draagvlakmeting-over-het-nieuwe-speelveld-aan-de-"
		     "schoolstraat-in-dorst-en-de-verlichting-ervan";
	strbuf_reset(&err);
	assert_int_equal(render_forms(s, &list, &o, &st, &err), -1);
	assert_non_null(strstr(err.buf, "is te lang"));
	assert_int_equal(render_posters(s, &o, &st, &err), -1);
	assert_int_equal(count_files(dir, &hidden), 0);

	/* An output folder that cannot be written. */
	o.base_url = NULL;
	o.outdir = "/dev/null/forms";
	strbuf_reset(&err);
	assert_int_equal(render_forms(s, &list, &o, &st, &err), -1);
	assert_non_null(strstr(err.buf,
			       "Kan de map /dev/null/forms niet maken: de map "
			       "bestaat niet. Kies een map die er wel is"));
	strbuf_reset(&err);
	assert_int_equal(render_write_pdf("/dev/null/x.pdf", 210, 297, 0, NULL,
					  NULL, NULL, SURVEY_EN, &err),
			 -1);
	assert_non_null(strstr(err.buf, "cannot write"));

	render_households_release(&list);
	survey_free(s);
	test_remove_tree(dir);
	free(dir);
	strbuf_release(&yaml);
	strbuf_release(&words);
	strbuf_release(&err);
}

static void test_dates(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	render_format_date("2027-05-02", SURVEY_NL, &sb);
	assert_string_equal(sb.buf, "zondag 2 mei 2027");
	strbuf_reset(&sb);
	render_format_date("2027-10-03", SURVEY_EN, &sb);
	assert_string_equal(sb.buf, "Sunday 3 October 2027");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_qr_plan),
		cmocka_unit_test(test_qr_page_symbols),
		cmocka_unit_test(test_layout_dorst),
		cmocka_unit_test(test_layout_oosterheide),
		cmocka_unit_test(test_draw_and_decode),
		cmocka_unit_test_prestate(test_pdf_pdftoppm, &cairo_only[0]),
		cmocka_unit_test_prestate(test_pdf_pdftoppm, &cairo_only[1]),
		cmocka_unit_test_prestate(test_pdf_text, &cairo_only[0]),
		cmocka_unit_test_prestate(test_pdf_text, &cairo_only[1]),
		cmocka_unit_test(test_pdf_template),
		cmocka_unit_test(test_pdf_residents),
		cmocka_unit_test(test_posters),
		cmocka_unit_test(test_errors),
	};

	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	render_cleanup();
	return failed;
}
