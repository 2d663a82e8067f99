/*
 * test_scan.c - unit tests for reading scanned forms (scan/).
 *
 * Pages of the Dorst sample are drawn by render/ as a scanner would see
 * them (synth.h: upright and upside down, turned, printed smaller, grey
 * paper, noise, black and white, 150 to 300 dpi) with ticks, crosses and
 * the doubtful marks a person must look at, and read back.  What matters
 * most: every clear answer is the one drawn, every doubtful mark sends
 * its question to review, and a page that cannot be read as a whole is
 * refused with a sentence.  Every file format a scanner writes is
 * decoded to the same pixels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <jansson.h>
#include <jpeglib.h>
#include <tiffio.h>

#include "form.h"
#include "layout.h"
#include "qrcode.h"
#include "reason.h"
#include "scan.h"
#include "synth.h"
#include "xalloc.h"
#include "testutil.h"
#include "banned.h"

#define DORST SAMPLES_DIR "/dorst-speelveld/survey.yaml"
#define BASE  "https://draagvlak.dorpsplatformdorst.nl"

struct fixture {
	struct survey *s;
	struct render_layout *l;
	struct render_form *f;
	struct render_households hh;
	struct scan_layouts set;
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	struct diag_list dl;
	struct strbuf err = STRBUF_INIT;
	struct store_household h = { .id = 1,
				     .buurt_id = "BU08260101",
				     .street = "Kerkstraat",
				     .number = 12,
				     .letter = "",
				     .addition = "",
				     .postcode = "4849 AB",
				     .place = "Dorst" };

	diag_list_init(&dl, DORST);
	fx->s = survey_load(DORST, &dl);
	diag_list_release(&dl);
	assert_non_null(fx->s);
	fx->l = render_layout_new(fx->s, &fx->s->buurten[1], SURVEY_NL, BASE,
				  &err);
	if (!fx->l)
		fail_msg("%s", err.buf);
	fx->f = render_form_new(fx->l);
	memcpy(h.token, "K7QM2XHD9FAB", SURVEY_TOKEN_SIZE);
	assert_int_equal(survey_token_parse("K7QM2XHD9FA", h.token),
			 SURVEY_TOKEN_BAD_LENGTH);
	/* A real code: minted, so its check symbol is right. */
	assert_int_equal(survey_token_new(h.token), 0);
	render_households_add(&fx->hh, &h);
	scan_layouts_add(&fx->set, fx->l);
	strbuf_release(&err);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	scan_layouts_release(&fx->set);
	render_households_release(&fx->hh);
	render_form_free(fx->f);
	render_layout_free(fx->l);
	survey_free(fx->s);
	free(fx);
	return 0;
}

/* Every choice-like question on page p: one mark in box number pick
 * (modulo its boxes), and a scribble in every text area. */
static size_t plan_marks(const struct render_page *p, size_t pick,
			 enum synth_mark mark, struct synth_box_mark *out,
			 size_t max)
{
	size_t n = 0;
	const char *last = NULL;

	for (size_t i = 0; i < p->nr && n < max; i++) {
		const struct render_item *it = &p->items[i];
		size_t nb = 0, k = 0;

		if (it->kind == RENDER_ITEM_LINES) {
			out[n++] = (struct synth_box_mark){ it->question, "",
							    SYNTH_SCRIBBLE };
			continue;
		}
		if (it->kind != RENDER_ITEM_BOX ||
		    (last && !strcmp(last, it->question)))
			continue;
		last = it->question;
		for (size_t j = i; j < p->nr; j++)
			nb += p->items[j].kind == RENDER_ITEM_BOX &&
			      !strcmp(p->items[j].question, it->question);
		for (size_t j = i; j < p->nr; j++) {
			if (p->items[j].kind != RENDER_ITEM_BOX ||
			    strcmp(p->items[j].question, it->question))
				continue;
			if (k++ == pick % nb) {
				out[n++] = (struct synth_box_mark){
					it->question, p->items[j].value, mark
				};
				break;
			}
		}
	}
	return n;
}

static const struct synth_box_mark *mark_of(const struct synth_box_mark *m,
					    size_t n, const char *q)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(m[i].question, q))
			return &m[i];
	return NULL;
}

/* Read every page of the form drawn with o, one tick (or cross) per
 * question, and check every answer. */
static void read_all_pages(struct fixture *fx, const struct synth_opts *o,
			   enum synth_mark mark)
{
	struct strbuf err = STRBUF_INIT;

	for (size_t pg = 0; pg < fx->l->nr_pages; pg++) {
		struct synth_box_mark m[64];
		size_t n = plan_marks(&fx->l->pages[pg], pg + 1, mark, m, 64);
		struct scan_image img = SCAN_IMAGE_INIT;
		struct scan_page sp;

		synth_page(fx->f, fx->l, pg, &fx->hh.v[0], m, n, o, &img);
		if (scan_page_read(&img, scan_layouts_lookup, &fx->set, &sp,
				   &err) < 0)
			fail_msg("page %zu refused: %s", pg + 1, err.buf);
		assert_string_equal(sp.code, fx->hh.v[0].token);
		assert_int_equal(sp.page, pg + 1);
		assert_string_equal(sp.layout_id, fx->l->id);
		assert_int_equal(sp.orientation, ((o->upside_down ? 180 : 0) +
						  (o->landscape ? 90 : 0)) %
							 360);
		assert_true(fabs(sp.skew - o->angle) < 0.1);
		assert_true(sp.reg.residual < 0.2);
		for (size_t q = 0; q < sp.nr_questions; q++) {
			const struct scan_question *sq = &sp.questions[q];
			const struct synth_box_mark *want =
				mark_of(m, n, sq->id);
			struct strbuf got = STRBUF_INIT;

			assert_non_null(want);
			scan_question_answer(sq, &got);
			if (want->mark == SYNTH_SCRIBBLE) {
				if (sq->status != SCAN_REVIEW ||
				    sp.texts[sq->text].state !=
					    SCAN_TEXT_WRITTEN)
					fail_msg("page %zu: text %s not read "
						 "as written",
						 pg + 1, sq->id);
			} else if (sq->status != SCAN_CLEAR ||
				   strcmp(got.buf, want->value)) {
				struct strbuf js = STRBUF_INIT;

				scan_page_json(&sp, &js);
				fail_msg("page %zu: %s read as '%s' (%s), "
					 "drawn '%s'\n%s",
					 pg + 1, sq->id, got.buf,
					 sq->reason ? sq->reason : "clear",
					 want->value, js.buf);
			}
			strbuf_release(&got);
		}
		scan_page_release(&sp);
		scan_image_release(&img);
	}
	strbuf_release(&err);
}

static void test_read_upright(void **state)
{
	struct synth_opts o = { .dpi = 200 };

	read_all_pages(*state, &o, SYNTH_TICK);
}

static void test_read_crooked(void **state)
{
	struct synth_opts o = { .dpi = 300,
				.angle = 2.5,
				.upside_down = true,
				.scale = 0.93,
				.dx = 3,
				.dy = -4,
				.paper = 0.85,
				.noise = 8,
				.seed = 7 };

	read_all_pages(*state, &o, SYNTH_CROSS);
	o.upside_down = false;
	o.angle = -3;
	o.scale = 0.97;
	read_all_pages(*state, &o, SYNTH_TICK);
}

/* A page fed sideways: the image is landscape, the page turned a
 * quarter either way. */
static void test_read_sideways(void **state)
{
	struct synth_opts o = { .dpi = 200, .landscape = true, .angle = 1 };

	read_all_pages(*state, &o, SYNTH_TICK);
	o.upside_down = true;
	o.angle = -0.5;
	read_all_pages(*state, &o, SYNTH_CROSS);
}

static void test_read_fax(void **state)
{
	struct synth_opts o = { .dpi = 150, .angle = 1.2, .threshold = true };

	read_all_pages(*state, &o, SYNTH_TICK);
}

/* The page holding question id, and one of its box values. */
static size_t page_of(const struct render_layout *l, const char *id,
		      const char **value)
{
	for (size_t p = 0; p < l->nr_pages; p++)
		for (size_t i = 0; i < l->pages[p].nr; i++) {
			const struct render_item *it = &l->pages[p].items[i];

			if ((it->kind == RENDER_ITEM_BOX ||
			     it->kind == RENDER_ITEM_LINES) &&
			    !strcmp(it->question, id)) {
				*value = it->value;
				return p;
			}
		}
	fail_msg("no question %s", id);
	return 0;
}

/* Read the page with marks m and return question q's reading. */
static void read_one(struct fixture *fx, size_t pg,
		     const struct synth_box_mark *m, size_t n,
		     struct scan_page *sp)
{
	struct synth_opts o = { .dpi = 200, .angle = 0.7, .noise = 4 };
	struct scan_image img = SCAN_IMAGE_INIT;
	struct strbuf err = STRBUF_INIT;

	synth_page(fx->f, fx->l, pg, &fx->hh.v[0], m, n, &o, &img);
	if (scan_page_read(&img, scan_layouts_lookup, &fx->set, sp, &err) < 0)
		fail_msg("refused: %s", err.buf);
	scan_image_release(&img);
	strbuf_release(&err);
}

static void expect_review(struct fixture *fx, const char *q,
			  const struct synth_box_mark *m, size_t n,
			  const char *reason)
{
	const char *v;
	size_t pg = page_of(fx->l, q, &v);
	struct scan_page sp;
	const struct scan_question *sq;

	read_one(fx, pg, m, n, &sp);
	sq = scan_page_question(&sp, q);
	assert_non_null(sq);
	if (sq->status != SCAN_REVIEW) {
		struct strbuf js = STRBUF_INIT;

		scan_page_json(&sp, &js);
		fail_msg("%s is clear, want review for %s\n%s", q, reason,
			 js.buf);
	}
	assert_int_equal(sq->nr_values, 0);
	if (!strstr(sq->reason, reason))
		fail_msg("%s: reason '%s' lacks '%s'", q, sq->reason, reason);
	scan_page_release(&sp);
}

static void test_review(void **state)
{
	struct fixture *fx = *state;
	const struct synth_box_mark two[] = {
		{ "speelveld", "voor", SYNTH_TICK },
		{ "speelveld", "tegen", SYNTH_CROSS },
	};
	const struct synth_box_mark faint[] = {
		{ "speelveld", "voor", SYNTH_FAINT },
	};
	const struct synth_box_mark dot[] = {
		{ "speelveld", "tegen", SYNTH_DOT },
	};
	const struct synth_box_mark filled[] = {
		{ "speelveld", "voor", SYNTH_FILLED },
		{ "speelveld", "tegen", SYNTH_TICK },
	};
	const struct synth_box_mark four[] = {
		{ "wensen", "trapveld", SYNTH_TICK },
		{ "wensen", "basketbal", SYNTH_TICK },
		{ "wensen", "bankjes", SYNTH_CROSS },
		{ "wensen", "jeu_de_boules", SYNTH_TICK },
	};
	const struct synth_box_mark three[] = {
		{ "wensen", "trapveld", SYNTH_TICK },
		{ "wensen", "basketbal", SYNTH_TICK },
		{ "wensen", "bankjes", SYNTH_CROSS },
	};
	struct scan_page sp;
	const struct scan_question *sq;
	struct strbuf got = STRBUF_INIT;
	const char *v;

	expect_review(fx, "speelveld", two, 2, "ticked:2");
	expect_review(fx, "speelveld", faint, 1, "box:voor:faint");
	expect_review(fx, "speelveld", dot, 1, "box:tegen:dot");
	expect_review(fx, "speelveld", filled, 2, "box:voor:filled");
	expect_review(fx, "wensen", four, 4, "over-max:4:3");
	/* Three of a multi is fine. */
	read_one(fx, page_of(fx->l, "wensen", &v), three, 3, &sp);
	sq = scan_page_question(&sp, "wensen");
	assert_int_equal(sq->status, SCAN_CLEAR);
	scan_question_answer(sq, &got);
	assert_string_equal(got.buf, "trapveld+basketbal+bankjes");
	/* The reading as JSON: valid, with every box's measurements. */
	{
		struct strbuf js = STRBUF_INIT;
		json_error_t jerr;
		json_t *root, *boxes;

		scan_page_json(&sp, &js);
		root = json_loads(js.buf, 0, &jerr);
		if (!root)
			fail_msg("not JSON: %s\n%s", jerr.text, js.buf);
		boxes = json_object_get(root, "boxes");
		assert_int_equal(json_array_size(boxes), sp.nr_boxes);
		assert_true(json_is_number(
			json_object_get(json_array_get(boxes, 0), "darkest")));
		assert_string_equal(
			json_string_value(json_object_get(root, "code")),
			fx->hh.v[0].token);
		json_decref(root);
		strbuf_release(&js);
	}
	/* Nothing ticked anywhere: clear, no answer. */
	for (size_t i = 0; i < sp.nr_questions; i++)
		if (strcmp(sp.questions[i].id, "wensen")) {
			assert_int_equal(sp.questions[i].status, SCAN_CLEAR);
			assert_int_equal(sp.questions[i].nr_values, 0);
		}
	strbuf_release(&got);
	scan_page_release(&sp);
}

/* A number too large for a row of boxes is written in digit boxes: a
 * person always reads it, whether the boxes look written in or not. */
static void test_digits(void **state)
{
	static const char yaml[] =
		"survey: fietsen-2027\n"
		"title: Fietsen\n"
		"organisation: Dorpsplatform Dorst\n"
		"contact: secretariaat@dorpsplatformdorst.nl\n"
		"opens: 2027-04-05\n"
		"closes: 2027-05-02\n"
		"languages: [nl]\n"
		"questions:\n"
		"  - id: fietspad\n"
		"    type: proposition\n"
		"    text: Ik ben voor het fietspad.\n"
		"  - id: afstand\n"
		"    type: number\n"
		"    text: Hoeveel meter fietst u per dag?\n"
		"    min: -50\n"
		"    max: 5000\n"
		"  - id: fiets\n"
		"    type: yesno\n"
		"    text: Heeft u een fiets?\n"
		"buurten:\n"
		"  - { id: BU1, name: Dorp, households: 10 }\n"
		"agreement:\n"
		"  min_in_favour: \"> 50%\"\n";
	struct fixture *fx = *state;
	struct diag_list dl;
	struct strbuf err = STRBUF_INIT;
	struct survey *s;
	struct render_layout *l;
	struct render_form *f;
	struct scan_layouts set = SCAN_LAYOUTS_INIT;
	struct synth_opts o = { .dpi = 200, .angle = 0.5 };
	const struct synth_box_mark m[] = {
		{ "afstand", "2", SYNTH_CROSS },
		{ "fiets", "ja", SYNTH_TICK },
	};

	diag_list_init(&dl, "fietsen.yaml");
	s = survey_load_buffer("fietsen.yaml", yaml, sizeof(yaml) - 1, &dl);
	if (!s) {
		diag_list_print(&dl, stderr);
		fail_msg("the test survey does not load");
	}
	diag_list_release(&dl);
	l = render_layout_new(s, &s->buurten[0], SURVEY_NL, BASE, &err);
	if (!l)
		fail_msg("%s", err.buf);
	f = render_form_new(l);
	scan_layouts_add(&set, l);
	for (int marked = 0; marked < 2; marked++) {
		struct scan_image img = SCAN_IMAGE_INIT;
		struct scan_page sp;
		const struct scan_question *q;
		struct strbuf got = STRBUF_INIT;

		synth_page(f, l, 0, &fx->hh.v[0], m, marked ? 2 : 0, &o, &img);
		if (scan_page_read(&img, scan_layouts_lookup, &set, &sp, &err) <
		    0)
			fail_msg("refused: %s", err.buf);
		q = scan_page_question(&sp, "afstand");
		assert_non_null(q);
		/* A sign box and four digit boxes. */
		assert_int_equal(q->nr_boxes, 5);
		assert_int_equal(sp.boxes[q->box0].kind, RENDER_BOX_SIGN);
		assert_int_equal(q->status, SCAN_REVIEW);
		assert_string_equal(q->reason,
				    marked ? "digits" : "digits-empty");
		q = scan_page_question(&sp, "fiets");
		assert_int_equal(q->status, SCAN_CLEAR);
		scan_question_answer(q, &got);
		assert_string_equal(got.buf, marked ? "ja" : "");
		strbuf_release(&got);
		scan_page_release(&sp);
		scan_image_release(&img);
	}
	scan_layouts_release(&set);
	render_form_free(f);
	render_layout_free(l);
	survey_free(s);
	strbuf_release(&err);
}

static const struct render_layout *no_layouts(void *ctx, const char *id)
{
	(void)ctx;
	(void)id;
	return NULL;
}

/* Whatever id is asked: the layout in ctx. */
static const struct render_layout *this_layout(void *ctx, const char *id)
{
	(void)id;
	return ctx;
}

static void test_refusals(void **state)
{
	struct fixture *fx = *state;
	struct synth_opts o = { .dpi = 150 };
	struct scan_image img = SCAN_IMAGE_INIT;
	struct strbuf err = STRBUF_INIT;
	struct scan_page sp;

	/* A blank sheet. */
	assert_int_equal(scan_image_alloc(&img, 1240, 1754, &err), 0);
	assert_int_equal(
		scan_page_read(&img, scan_layouts_lookup, &fx->set, &sp, &err),
		-1);
	assert_int_equal(sp.refusal, SCAN_REFUSED_NO_QR);
	assert_non_null(strstr(err.buf, "no QR code"));
	scan_page_release(&sp);

	/* A form of a layout nobody knows: the code is still reported. */
	synth_page(fx->f, fx->l, 0, &fx->hh.v[0], NULL, 0, &o, &img);
	strbuf_reset(&err);
	assert_int_equal(scan_page_read(&img, no_layouts, NULL, &sp, &err), -1);
	assert_int_equal(sp.refusal, SCAN_REFUSED_UNKNOWN_LAYOUT);
	assert_string_equal(sp.code, fx->hh.v[0].token);
	assert_non_null(strstr(err.buf, fx->l->id));
	scan_page_release(&sp);

	/* The same forms served from another address: another survey's
	 * page, even if its boxes are the same. */
	{
		struct render_layout *other = render_layout_new(
			fx->s, &fx->s->buurten[1], SURVEY_NL,
			"https://draagvlak.dorpsplatformdorst.be", &err);

		assert_non_null(other);
		strbuf_reset(&err);
		assert_int_equal(
			scan_page_read(&img, this_layout, other, &sp, &err),
			-1);
		assert_int_equal(sp.refusal, SCAN_REFUSED_OTHER_SURVEY);
		assert_non_null(strstr(err.buf, "DORPSPLATFORMDORST.BE"));
		scan_page_release(&sp);
		render_layout_free(other);
	}

	/* The bottom-left corner torn off: three marks still read it,
	 * checked on the QR code. */
	for (int y = img.h - (int)(30 / 25.4 * 150); y < img.h; y++)
		memset(img.px + (size_t)y * img.stride, 255,
		       (size_t)(35 / 25.4 * 150));
	strbuf_reset(&err);
	if (scan_page_read(&img, scan_layouts_lookup, &fx->set, &sp, &err) < 0)
		fail_msg("three marks: %s", err.buf);
	assert_int_equal(sp.reg.nr_marks, 3);
	assert_false(sp.reg.marks[2].found);
	assert_true(sp.reg.residual < 0.5);
	scan_page_release(&sp);

	/* And the bottom right too: refused, naming both. */
	for (int y = img.h - (int)(30 / 25.4 * 150); y < img.h; y++)
		memset(img.px + (size_t)y * img.stride, 255, (size_t)img.w);
	strbuf_reset(&err);
	assert_int_equal(
		scan_page_read(&img, scan_layouts_lookup, &fx->set, &sp, &err),
		-1);
	assert_int_equal(sp.refusal, SCAN_REFUSED_MARKS);
	assert_non_null(strstr(err.buf, "bottom-left and bottom-right"));
	scan_page_release(&sp);
	scan_page_release(NULL);
	scan_image_release(&img);
	strbuf_release(&err);
}

static void test_url(void **state)
{
	struct scan_url u;
	struct strbuf err = STRBUF_INIT, url = STRBUF_INIT;
	char code[SURVEY_TOKEN_SIZE];

	(void)state;
	assert_int_equal(survey_token_new(code), 0);
	strbuf_addf(&url, "HTTPS://X.NL/F/%s/2/0A1B2C", code);
	assert_int_equal(scan_url_parse(url.buf, &u, &err), 0);
	assert_string_equal(u.code, code);
	assert_int_equal(u.page, 2);
	assert_string_equal(u.layout, "0A1B2C");
	assert_int_equal(u.prefix_len, strlen("HTTPS://X.NL/F/"));
	/* One symbol changed: the check symbol catches it. */
	url.buf[16] = url.buf[16] == '7' ? '8' : '7';
	assert_int_equal(scan_url_parse(url.buf, &u, &err), -1);
	assert_non_null(strstr(err.buf, "not a valid code"));
	strbuf_reset(&err);
	assert_int_equal(scan_url_parse("https://example.nl/", &u, &err), -1);
	assert_non_null(strstr(err.buf, "not a draagvlak form"));
	strbuf_reset(&url);
	strbuf_addf(&url, "HTTPS://X.NL/F/%s/0/0A1B2C", code);
	assert_int_equal(scan_url_parse(url.buf, &u, &err), -1);
	strbuf_release(&err);
	strbuf_release(&url);
}

/* ---- File formats ---- */

static char tmp[64];

static const char *tmpdir(void)
{
	char *dir = tmp;

	if (!dir[0]) {
		snprintf(dir, sizeof(tmp), "/tmp/test_scan.XXXXXX");
		assert_non_null(mkdtemp(dir));
	}
	return dir;
}

static void remove_tmpdir(void)
{
	if (tmp[0])
		test_remove_tree(tmp);
	tmp[0] = '\0';
}

static void write_file(const char *path, const struct strbuf *sb)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(sb->buf, 1, sb->len, f), sb->len);
	assert_int_equal(fclose(f), 0);
}

static void write_jpeg(const char *path, const struct scan_image *img)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = (JDIMENSION)img->w;
	c.image_height = (JDIMENSION)img->h;
	c.input_components = 1;
	c.in_color_space = JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 90, TRUE);
	c.density_unit = 1;
	c.X_density = c.Y_density = (UINT16)img->dpi;
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW row = img->px + (size_t)c.next_scanline * img->stride;

		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	fclose(f);
}

/* One TIFF page: 1 bit (G4), 8-bit grey, or RGB. */
static void tiff_page(TIFF *t, const struct scan_image *img, int kind)
{
	size_t rowsize = kind == 0 ? ((size_t)img->w + 7) / 8
				   : (size_t)img->w * (kind == 2 ? 3 : 1);
	unsigned char *row = xcalloc(rowsize, 1);

	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)img->w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)img->h);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, kind == 0 ? 1 : 8);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, kind == 2 ? 3 : 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC,
		     kind == 0	 ? PHOTOMETRIC_MINISWHITE
		     : kind == 1 ? PHOTOMETRIC_MINISBLACK
				 : PHOTOMETRIC_RGB);
	TIFFSetField(t, TIFFTAG_COMPRESSION,
		     kind == 0 ? COMPRESSION_CCITTFAX4 : COMPRESSION_LZW);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)img->dpi);
	TIFFSetField(t, TIFFTAG_YRESOLUTION, (float)img->dpi);
	TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 64);
	for (int y = 0; y < img->h; y++) {
		const unsigned char *p = img->px + (size_t)y * img->stride;

		memset(row, 0, rowsize);
		for (int x = 0; x < img->w; x++) {
			if (kind == 0 && p[x] < 128)
				row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
			else if (kind == 1)
				row[x] = p[x];
			else if (kind == 2)
				memset(row + 3 * x, p[x], 3);
		}
		assert_true(TIFFWriteScanline(t, row, (uint32_t)y, 0) >= 0);
	}
	TIFFWriteDirectory(t);
	free(row);
}

/* A PDF of one page holding img as a scanner's PDF does. */
static void write_pdf(const char *path, const struct scan_image *img)
{
	cairo_surface_t *pdf = cairo_pdf_surface_create(
		path, RENDER_PAGE_W / 25.4 * 72, RENDER_PAGE_H / 25.4 * 72);
	cairo_surface_t *im =
		cairo_image_surface_create(CAIRO_FORMAT_RGB24, img->w, img->h);
	cairo_t *cr = cairo_create(pdf);
	unsigned char *data = cairo_image_surface_get_data(im);
	int stride = cairo_image_surface_get_stride(im);

	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++) {
			uint32_t g = img->px[(size_t)y * img->stride + x];

			((uint32_t *)(data + (size_t)y * stride))[x] =
				0xff000000u | g << 16 | g << 8 | g;
		}
	cairo_surface_mark_dirty(im);
	cairo_scale(cr, 72 / img->dpi, 72 / img->dpi);
	cairo_set_source_surface(cr, im, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(pdf);
	cairo_surface_destroy(im);
}

/* Mean absolute difference of two images of one size. */
static double image_diff(const struct scan_image *a, const struct scan_image *b)
{
	double sum = 0;

	assert_int_equal(a->w, b->w);
	assert_int_equal(a->h, b->h);
	for (int y = 0; y < a->h; y++)
		for (int x = 0; x < a->w; x++)
			sum += abs(a->px[(size_t)y * a->stride + x] -
				   b->px[(size_t)y * b->stride + x]);
	return sum / ((double)a->w * a->h);
}

static void read_back(struct fixture *fx, const char *path,
		      const struct scan_image *want, size_t pages,
		      double max_diff)
{
	struct strbuf err = STRBUF_INIT;
	struct scan_source *src = scan_source_open(path, &err);
	struct scan_image img = SCAN_IMAGE_INIT;
	struct scan_page sp;
	size_t n = 0;
	int r;

	if (!src)
		fail_msg("%s", err.buf);
	assert_int_equal(scan_source_pages(src), pages);
	while ((r = scan_source_next(src, &img, &err)) == 1) {
		double d = image_diff(&img, want);

		if (d > max_diff)
			fail_msg("%s page %zu differs by %.2f", path, n + 1, d);
		assert_true(fabs(scan_image_dpi(&img) - want->dpi) < 0.5);
		if (scan_page_read(&img, scan_layouts_lookup, &fx->set, &sp,
				   &err) < 0)
			fail_msg("%s page %zu: %s", path, n + 1, err.buf);
		scan_page_release(&sp);
		n++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(n, pages);
	scan_image_release(&img);
	scan_source_close(src);
	strbuf_release(&err);
}

static void test_formats(void **state)
{
	struct fixture *fx = *state;
	struct synth_opts o = { .dpi = 150, .angle = -1 };
	struct scan_image img = SCAN_IMAGE_INIT, bw = SCAN_IMAGE_INIT;
	struct strbuf path = STRBUF_INIT, png = STRBUF_INIT, err = STRBUF_INIT;
	const struct synth_box_mark m[] = { { "speelveld", "tegen",
					      SYNTH_TICK } };
	TIFF *t;

	/* Where speelveld is depends on the length of the intro. */
	synth_page(fx->f, fx->l, synth_page_of(fx->l, "speelveld"),
		   &fx->hh.v[0], m, 1, &o, &img);
	o.threshold = true;
	synth_page(fx->f, fx->l, synth_page_of(fx->l, "speelveld"),
		   &fx->hh.v[0], m, 1, &o, &bw);

	strbuf_addf(&path, "%s/page.png", tmpdir());
	assert_int_equal(scan_image_write_png(&img, &png, &err), 0);
	write_file(path.buf, &png);
	read_back(fx, path.buf, &img, 1, 0);

	strbuf_reset(&path);
	strbuf_addf(&path, "%s/page.jpg", tmpdir());
	write_jpeg(path.buf, &img);
	read_back(fx, path.buf, &img, 1, 3);

	strbuf_reset(&path);
	strbuf_addf(&path, "%s/bw.tif", tmpdir());
	t = TIFFOpen(path.buf, "w");
	assert_non_null(t);
	tiff_page(t, &bw, 0);
	tiff_page(t, &bw, 1);
	tiff_page(t, &bw, 2);
	TIFFClose(t);
	read_back(fx, path.buf, &bw, 3, 0);

	strbuf_reset(&path);
	strbuf_addf(&path, "%s/page.pdf", tmpdir());
	write_pdf(path.buf, &img);
	read_back(fx, path.buf, &img, 1, 0);

	/* Not an image at all; missing. */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/notes.txt", tmpdir());
	write_file(path.buf, &path);
	assert_null(scan_source_open(path.buf, &err));
	assert_non_null(strstr(err.buf, "not a PDF, TIFF, PNG, JPEG or HEIC"));
	strbuf_reset(&err);
	assert_null(scan_source_open("/nonexistent/scan.pdf", &err));
	assert_non_null(strstr(err.buf, "/nonexistent/scan.pdf"));

	scan_image_release(&img);
	scan_image_release(&bw);
	strbuf_release(&path);
	strbuf_release(&png);
	strbuf_release(&err);
	remove_tmpdir();
}

static void test_crop(void **state)
{
	struct fixture *fx = *state;
	struct synth_opts o = { .dpi = 200, .upside_down = true };
	struct scan_image img = SCAN_IMAGE_INIT, crop = SCAN_IMAGE_INIT;
	struct strbuf err = STRBUF_INIT, png = STRBUF_INIT, path = STRBUF_INIT;
	const struct synth_box_mark m[] = { { "speelveld", "voor",
					      SYNTH_FILLED } };
	const struct scan_question *sq;
	struct scan_page sp;
	const char *v;
	size_t pg = page_of(fx->l, "speelveld", &v);

	synth_page(fx->f, fx->l, pg, &fx->hh.v[0], m, 1, &o, &img);
	assert_int_equal(
		scan_page_read(&img, scan_layouts_lookup, &fx->set, &sp, &err),
		0);
	sq = scan_page_question(&sp, "speelveld");
	assert_int_equal(sq->status, SCAN_REVIEW);
	assert_int_equal(scan_page_crop_png(&sp, &img, &sq->r, 2, &png, &err),
			 0);
	strbuf_addf(&path, "%s/crop.png", tmpdir());
	write_file(path.buf, &png);
	assert_int_equal(scan_image_load(path.buf, &crop, &err), 0);
	/* Upright, at the scan's resolution: the filled box is at its
	 * place in the crop, top left of the question's boxes. */
	assert_true(abs(crop.w - (int)lround((sq->r.w + 4) / 25.4 * 200)) <= 2);
	assert_true(abs(crop.h - (int)lround((sq->r.h + 4) / 25.4 * 200)) <= 2);
	{
		const struct scan_box *b = &sp.boxes[sq->box0];
		int cx =
			(int)((b->r.x + b->r.w / 2 - sq->r.x + 2) / 25.4 * 200);
		int cy =
			(int)((b->r.y + b->r.h / 2 - sq->r.y + 2) / 25.4 * 200);

		assert_string_equal(b->value, "voor");
		assert_true(crop.px[(size_t)cy * crop.stride + cx] < 100);
	}
	/* Off the page; a refused page. */
	assert_int_equal(
		scan_page_crop_png(&sp, &img,
				   &(struct render_rect){ 300, 0, 5, 5 }, 0,
				   &png, &err),
		-1);
	{
		struct render_rect r = sq->r;

		scan_page_release(&sp);
		assert_int_equal(
			scan_page_crop_png(&sp, &img, &r, 2, &png, &err), -1);
	}
	scan_image_release(&img);
	scan_image_release(&crop);
	strbuf_release(&err);
	strbuf_release(&png);
	strbuf_release(&path);
	remove_tmpdir();
}

/* What a reason says to a person, in either language. */
static void expect_said(const char *reason, const struct survey_question *q,
			enum survey_lang lang, const char *want)
{
	struct strbuf out = STRBUF_INIT;

	scan_reason_describe(reason, q, lang, &out);
	assert_string_equal(out.buf, want);
	strbuf_release(&out);
}

static void test_reasons(void **state)
{
	struct fixture *fx = *state;
	const struct survey_question *speelveld =
		survey_find_question(fx->s, "speelveld");
	const struct survey_question *wensen =
		survey_find_question(fx->s, "wensen");
	struct strbuf r = STRBUF_INIT;
	struct scan_clause c = { .why = SCAN_WHY_BOX,
				 .value = "voorbeeld",
				 .value_len = 4,
				 .doubt = SCAN_DOUBT_FAINT };
	const char *p;

	/* Codes go in and come out as they were. */
	scan_reason_add(&r, &c);
	c = (struct scan_clause){ .why = SCAN_WHY_OVER_MAX, .n = 4, .max = 3 };
	scan_reason_add(&r, &c);
	c = (struct scan_clause){ .why = SCAN_WHY_TEXT_WRITTEN };
	scan_reason_add(&r, &c);
	assert_string_equal(r.buf,
			    "box:voor:faint; over-max:4:3; text-written");
	p = r.buf;
	assert_int_equal(scan_reason_next(&p, &c), 1);
	assert_int_equal(c.why, SCAN_WHY_BOX);
	assert_int_equal(c.value_len, 4);
	assert_memory_equal(c.value, "voor", 4);
	assert_int_equal(c.doubt, SCAN_DOUBT_FAINT);
	assert_int_equal(scan_reason_next(&p, &c), 1);
	assert_int_equal(c.why, SCAN_WHY_OVER_MAX);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.max, 3);
	assert_int_equal(scan_reason_next(&p, &c), 1);
	assert_int_equal(c.why, SCAN_WHY_TEXT_WRITTEN);
	assert_int_equal(scan_reason_next(&p, &c), 0);

	/* Boxes are named by their labels, in the reader's language. */
	expect_said("box:voor:faint", speelveld, SURVEY_NL,
		    "Vakje \u2018Voor\u2019: een vaag streepje.");
	expect_said("box:voor:faint", speelveld, SURVEY_EN,
		    "Box \u2018For\u2019: a faint mark.");
	expect_said("box:trapveld:scribbled; box:bankjes:dot", wensen,
		    SURVEY_NL,
		    "Vakje \u2018Een trapveldje met doeltjes\u2019: bekrast "
		    "(doorgestreept?); vakje \u2018Bankjes en een "
		    "picknicktafel\u2019: een stip of klein streepje.");
	/* Without the question (or a scale's box), the value itself. */
	expect_said("box:4:little-ink", NULL, SURVEY_EN,
		    "Box \u20184\u2019: very little ink.");
	expect_said("ticked:2", speelveld, SURVEY_NL,
		    "2 vakjes aangekruist waar er één gevraagd wordt.");
	expect_said("over-max:4:3", wensen, SURVEY_EN,
		    "4 boxes ticked where at most 3 are allowed.");
	expect_said("text-uncertain", NULL, SURVEY_NL,
		    "Een paar vlekjes in het tekstvak: staat er iets?");
	expect_said("digits-empty", NULL, SURVEY_EN,
		    "A number is asked in digits, but the boxes look empty.");
	/* What is no code is shown as it is: stores from before the codes. */
	expect_said("a faint mark", NULL, SURVEY_NL, "a faint mark");
	expect_said("box:voor; ticked:x; over-max:3; digits:1; box:voor:pale",
		    NULL, SURVEY_EN,
		    "box:voor; ticked:x; over-max:3; digits:1; box:voor:pale");
	expect_said("ticked:3; a faint mark", NULL, SURVEY_EN,
		    "3 boxes ticked where one is asked; a faint mark");
	p = "ticked:2; words";
	assert_int_equal(scan_reason_next(&p, &c), 1);
	assert_int_equal(scan_reason_next(&p, &c), -1);
	assert_int_equal(c.value_len, 5);
	assert_int_equal(scan_reason_next(&p, &c), 0);
	expect_said("", NULL, SURVEY_NL, "");
	strbuf_release(&r);
}

/* A perspective transform is found again from points it maps, also
 * through noise, and an affine one is its special case. */
static void test_homography(void **state)
{
	const struct scan_transform h = { 11.8, 0.7, 140,    -0.5,
					  11.6, 95,  2.1e-4, -1.3e-4 };
	double mx[40], my[40], ix[40], iy[40];
	struct scan_transform t;
	size_t n = 0;

	(void)state;
	for (int j = 0; j < 5; j++)
		for (int i = 0; i < 8 && n < 40; i++, n++) {
			mx[n] = 10 + 27 * i;
			my[n] = 10 + 69 * j;
			scan_transform_apply(&h, mx[n], my[n], &ix[n], &iy[n]);
		}
	/* Four corners fix it exactly. */
	{
		const size_t c[4] = { 0, 7, 32, 39 };
		double ax[4], ay[4], au[4], av[4];

		for (int k = 0; k < 4; k++) {
			ax[k] = mx[c[k]], ay[k] = my[c[k]];
			au[k] = ix[c[k]], av[k] = iy[c[k]];
		}
		assert_int_equal(scan_homography_fit(ax, ay, au, av, 4, &t), 0);
	}
	for (size_t k = 0; k < n; k++) {
		double u, v;

		scan_transform_apply(&t, mx[k], my[k], &u, &v);
		assert_true(hypot(u - ix[k], v - iy[k]) < 1e-3);
	}
	/* Four points on a line (one row) do not. */
	assert_int_equal(scan_homography_fit(mx, my, ix, iy, 4, &t), -1);
	/* Noise of a tenth of a pixel: the fit stays within a pixel. */
	for (size_t k = 0; k < n; k++) {
		ix[k] += 0.1 * sin(7.0 * k);
		iy[k] += 0.1 * cos(5.0 * k);
	}
	assert_int_equal(scan_homography_fit(mx, my, ix, iy, n, &t), 0);
	for (size_t k = 0; k < n; k++) {
		double u, v;

		scan_transform_apply(&t, mx[k], my[k], &u, &v);
		assert_true(hypot(u - ix[k], v - iy[k]) < 0.5);
	}
	assert_true(fabs(t.g - h.g) < 2e-5 && fabs(t.h - h.h) < 2e-5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_homography),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_read_upright),
		cmocka_unit_test(test_read_crooked),
		cmocka_unit_test(test_read_sideways),
		cmocka_unit_test(test_read_fax),
		cmocka_unit_test(test_review),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_crop),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
