/*
 * test_remind.c - the reminder wave end to end: a store of the Dorst
 * sample with twelve addresses, some answered online, on paper and at
 * an evening; `draagvlak render` and `draagvlak remind` run for real;
 * the QR codes of every page of the reminder PDF decoded with zbar
 * (exactly the households without an answer, in delivery order, under
 * their own codes and the first forms' layout); a reminder form marked
 * and read back by `draagvlak scan`; the all-households wave; a wave's
 * letters made again; and no wave after closing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zbar.h>

#include "answers.h"
#include "definition.h"
#include "diag.h"
#include "evening.h"
#include "households.h"
#include "image.h"
#include "layout.h"
#include "lifecycle.h"
#include "paper.h"
#include "qrcode.h"
#include "reminder.h"
#include "reminders.h"
#include "responses.h"
#include "strbuf.h"
#include "teststore.h"
#include "testutil.h"
#include "xalloc.h"
#include "banned.h"

#define BUURT	 "BU08260100"
#define BASE_URL "https://draagvlak.dorpsplatformdorst.nl"
#define NR_ADDR	 12

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd.buf);
	strbuf_release(&cmd);
	return rc;
}

static char *read_text(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path) < 0)
		fail_msg("cannot read %s", path);
	return strbuf_detach(&sb, NULL);
}

/* The household codes of BUURT with an address, in delivery order. */
struct walk {
	long long ids[NR_ADDR + 4];
	char codes[NR_ADDR + 4][SURVEY_TOKEN_SIZE];
	size_t n;
};

static int walk_one(const struct store_household *h, void *data)
{
	struct walk *w = data;

	if (h->street && w->n < NR_ADDR + 4) {
		w->ids[w->n] = h->id;
		memcpy(w->codes[w->n], h->token, SURVEY_TOKEN_SIZE);
		w->n++;
	}
	return 0;
}

/* The QR code zbar finds on a page (copied to a plain grey buffer). */
static char *page_qr(const struct scan_image *img)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_t *zi = zbar_image_create();
	unsigned char *grey = xmalloc((size_t)img->w * img->h);
	const zbar_symbol_t *sym;
	char *text = NULL;

	for (int y = 0; y < img->h; y++)
		memcpy(grey + (size_t)y * img->w,
		       img->px + (size_t)y * img->stride, (size_t)img->w);
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zi, (unsigned)img->w, (unsigned)img->h);
	zbar_image_set_data(zi, grey, (unsigned long)img->w * img->h, NULL);
	zbar_scan_image(sc, zi);
	sym = zbar_image_first_symbol(zi);
	if (sym)
		text = xstrdup(zbar_symbol_get_data(sym));
	zbar_image_destroy(zi);
	zbar_image_scanner_destroy(sc);
	free(grey);
	return text;
}

/* The code, page and layout of every page of the PDF at path. */
struct pdf_pages {
	struct scan_url v[64];
	size_t n;
};

static void read_pdf(const char *path, struct pdf_pages *out,
		     struct scan_image *keep, size_t nr_keep)
{
	struct strbuf err = STRBUF_INIT;
	struct scan_source *src = scan_source_open(path, &err);
	struct scan_image img = SCAN_IMAGE_INIT;
	int rc;

	if (!src)
		fail_msg("%s", err.buf);
	out->n = 0;
	while ((rc = scan_source_next(src, &img, &err)) > 0) {
		char *text = page_qr(&img);

		if (!text)
			fail_msg("%s page %zu: no QR code", path, out->n + 1);
		assert_true(out->n < 64);
		if (scan_url_parse(text, &out->v[out->n], &err) < 0)
			fail_msg("%s page %zu: %s (%s)", path, out->n + 1,
				 err.buf, text);
		if (out->n < nr_keep) {
			keep[out->n] = img;
			scan_image_init(&img);
		}
		out->n++;
		free(text);
	}
	assert_int_equal(rc, 0);
	scan_image_release(&img);
	scan_source_close(src);
	strbuf_release(&err);
}

static const char *layout_id_of(const char *json_path, char *buf)
{
	char *text = read_text(json_path);
	json_t *root = json_loads(text, 0, NULL);

	assert_non_null(root);
	snprintf(buf, RENDER_LAYOUT_ID_SIZE, "%s",
		 json_string_value(json_object_get(root, "layout")));
	json_decref(root);
	free(text);
	return buf;
}

/* An X through box r (mm) on img, as a resident's pen makes it. */
static void cross(struct scan_image *img, const struct render_rect *r)
{
	double dpi = scan_image_dpi(img), k = dpi / 25.4;

	for (double t = 0.1; t <= 0.9; t += 0.002) {
		for (int d = -2; d <= 2; d++) {
			int x1 = (int)((r->x + t * r->w) * k) + d;
			int y1 = (int)((r->y + t * r->h) * k);
			int y2 = (int)((r->y + (1 - t) * r->h) * k);

			if (x1 < 0 || x1 >= img->w)
				continue;
			if (y1 >= 0 && y1 < img->h)
				img->px[(size_t)y1 * img->stride + x1] = 20;
			if (y2 >= 0 && y2 < img->h)
				img->px[(size_t)y2 * img->stride + x1] = 20;
		}
	}
}

static void write_png(const struct scan_image *img, const char *path)
{
	struct strbuf png = STRBUF_INIT, err = STRBUF_INIT;
	FILE *fp;

	if (scan_image_write_png(img, &png, &err) < 0)
		fail_msg("%s", err.buf);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(png.buf, 1, png.len, fp), png.len);
	assert_int_equal(fclose(fp), 0);
	strbuf_release(&png);
	strbuf_release(&err);
}

static off_t file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) ? -1 : sb.st_size;
}

static void test_reminder_wave(void **state)
{
	char dir[] = "/tmp/test_remind.XXXXXX";
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT, csv = STRBUF_INIT;
	struct survey *s;
	struct store *st;
	struct walk w = { 0 };
	bool answered[NR_ADDR] = { false };
	struct pdf_pages first, rem, again;
	struct scan_image keep[9];
	char first_id[RENDER_LAYOUT_ID_SIZE], rem_id[RENDER_LAYOUT_ID_SIZE];
	size_t nr_open = 0, k, wave1_letters = 0;
	char *yaml, *text, *cmd_db;
	off_t first_size;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* Twelve addresses of BUURT and two of the next buurt. */
	text = read_text(SAMPLES_DIR "/dorst-speelveld/addresses.csv");
	{
		char *line = text, *nl;
		size_t lines = 0, other = 0;

		while ((nl = strchr(line, '\n'))) {
			bool ours = strstr(line, BUURT ";") ||
				    (strstr(line, BUURT) &&
				     nl - strstr(line, BUURT) == 10);

			if (!lines || (ours && lines <= NR_ADDR) ||
			    (!ours && strstr(line, "BU08260101") &&
			     other++ < 2)) {
				strbuf_add(&csv, line, (size_t)(nl - line + 1));
				if (ours || !lines)
					lines++;
			}
			line = nl + 1;
		}
	}
	free(text);
	strbuf_addf(&p, "%s/addresses.csv", dir);
	fp = fopen(p.buf, "w");
	assert_non_null(fp);
	fputs(csv.buf, fp);
	fclose(fp);
	yaml = read_text(SAMPLES_DIR "/dorst-speelveld/survey.yaml");
	cmd_db = xstrdup(p.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/store.db", dir);
	st = test_store_make(p.buf, "survey.yaml", yaml, cmd_db, &s);
	free(cmd_db);
	cmd_db = strbuf_detach(&p, NULL);
	assert_int_equal(store_households_each(st, BUURT, walk_one, &w, &err),
			 STORE_OK);
	assert_int_equal(w.n, NR_ADDR);

	/* Answers on every channel; 8 answered twice, still one. */
	test_store_respond(st, s, w.ids[0], "online", NULL, "speelveld", "voor",
			   NULL);
	answered[0] = true;
	test_store_respond(st, s, w.ids[3], "paper", "vrijwilliger",
			   "speelveld", "tegen", NULL);
	answered[3] = true;
	test_store_respond(st, s, w.ids[8], "online", NULL, "speelveld", "voor",
			   NULL);
	test_store_respond(st, s, w.ids[8], "online", NULL, "speelveld",
			   "tegen", NULL);
	answered[8] = true;
	{
		struct store_checkin c = { w.ids[5], "balie", NULL, false };

		assert_int_equal(store_evening_checkin(st, &c, &err), STORE_OK);
		answered[5] = true;
	}
	for (size_t i = 0; i < NR_ADDR; i++)
		nr_open += !answered[i];
	{
		uint64_t addr[8], open[8];

		assert_true(s->nr_buurten <= 8);
		assert_int_equal(store_reminder_counts(st, s, addr, open, &err),
				 STORE_OK);
		assert_int_equal(addr[0], NR_ADDR);
		assert_int_equal(open[0], nr_open);
		assert_int_equal(addr[1], 2);
		assert_int_equal(open[1], 2);
	}
	store_free(st);
	st = NULL;

	/* The first letters, then the reminder wave, for real. */
	assert_int_equal(run("%s render --db %s -o %s/out --buurt %s -j 1 "
			     ">/dev/null",
			     DRAAGVLAK_BIN, cmd_db, dir, BUURT),
			 0);
	strbuf_addf(&p, "%s/out/formulieren-%s.pdf", dir, BUURT);
	first_size = file_size(p.buf);
	assert_true(first_size > 0);
	assert_int_equal(run("%s remind --db %s -o %s/out -j 1 >%s/remind.txt",
			     DRAAGVLAK_BIN, cmd_db, dir, dir),
			 0);
	/* The first letters' file is not replaced. */
	assert_int_equal(file_size(p.buf), first_size);
	/* The privacy warning is said. */
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/remind.txt", dir);
	text = read_text(p.buf);
	assert_non_null(strstr(text, "welke adressen nog niet hebben"));
	assert_non_null(strstr(text, "Reminder wave 1:"));
	free(text);

	/* Every page of the reminder PDF: the right household, in order. */
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/out/herinnering-1-%s.pdf", dir, BUURT);
	read_pdf(p.buf, &rem, keep, 9);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/out/formulieren-%s.pdf", dir, BUURT);
	read_pdf(p.buf, &first, NULL, 0);
	assert_int_equal(first.n % NR_ADDR, 0);
	{
		size_t pages = first.n / NR_ADDR, f = 0;

		assert_int_equal(rem.n, nr_open * pages);
		for (size_t i = 0; i < NR_ADDR; i++) {
			if (answered[i])
				continue;
			for (size_t pg = 0; pg < pages; pg++) {
				const struct scan_url *u =
					&rem.v[f * pages + pg];

				assert_string_equal(u->code, w.codes[i]);
				assert_int_equal(u->page, pg + 1);
				/* The first forms' layout. */
				assert_string_equal(
					u->layout,
					first.v[i * pages + pg].layout);
			}
			f++;
		}
		assert_int_equal(f, nr_open);
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/out/formulieren-%s.layout.json", dir, BUURT);
	layout_id_of(p.buf, first_id);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/out/herinnering-1-%s.layout.json", dir, BUURT);
	layout_id_of(p.buf, rem_id);
	assert_string_equal(rem_id, first_id);
	assert_string_equal(rem.v[0].layout, first_id);
	/* The other buurt's two households got theirs in a file of its own. */
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/out/herinnering-1-BU08260101.pdf", dir);
	read_pdf(p.buf, &again, NULL, 0);
	assert_int_equal(again.n, 2 * (first.n / NR_ADDR));

	/* The reminder's text is on page 1, not on the first letters. */
	assert_int_equal(run("pdftotext -f 1 -l 1 %s/out/herinnering-1-%s.pdf "
			     "%s/rem.txt && pdftotext -f 1 -l 1 "
			     "%s/out/formulieren-%s.pdf %s/first.txt",
			     dir, BUURT, dir, dir, BUURT, dir),
			 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/rem.txt", dir);
	text = read_text(p.buf);
	assert_non_null(strstr(text, "Herinnering"));
	free(text);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/first.txt", dir);
	text = read_text(p.buf);
	assert_null(strstr(text, "Herinnering"));
	free(text);

	/*
	 * The first reminder form, ticked and scanned: it is read like a
	 * first form and counts for its household.
	 */
	{
		struct render_layout *l =
			render_layout_new(s, survey_find_buurt(s, BUURT),
					  SURVEY_NL, BASE_URL, &err);
		size_t pages = first.n / NR_ADDR;
		const struct render_rect *box = NULL;
		size_t box_page = 0;
		struct store_current cur;
		struct survey_answers a = SURVEY_ANSWERS_INIT;
		long long hh = 0;

		assert_non_null(l);
		assert_string_equal(l->id, first_id);
		for (size_t pg = 0; pg < l->nr_pages && !box; pg++)
			for (size_t i = 0; i < l->pages[pg].nr; i++) {
				const struct render_item *it =
					&l->pages[pg].items[i];

				if (it->kind == RENDER_ITEM_BOX &&
				    !strcmp(it->question, "speelveld") &&
				    !strcmp(it->value, "tegen")) {
					box = &it->r;
					box_page = pg;
					break;
				}
			}
		assert_non_null(box);
		assert_true(pages <= 9);
		cross(&keep[box_page], box);
		strbuf_reset(&p);
		for (k = 0; k < pages; k++) {
			struct strbuf png = STRBUF_INIT;

			strbuf_addf(&png, "%s/scan-%zu.png", dir, k + 1);
			write_png(&keep[k], png.buf);
			strbuf_addf(&p, " %s", png.buf);
			strbuf_release(&png);
		}
		assert_int_equal(run("%s scan --db %s%s >/dev/null",
				     DRAAGVLAK_BIN, cmd_db, p.buf),
				 0);
		for (size_t i = 0; i < NR_ADDR; i++)
			if (!answered[i]) {
				hh = w.ids[i];
				answered[i] = true;
				nr_open--;
				break;
			}
		st = store_open(cmd_db, STORE_EXISTING, &err);
		assert_non_null(st);
		assert_int_equal(
			store_response_current(st, s, hh, &cur, &a, &err),
			STORE_OK);
		assert_true(cur.id > 0);
		assert_string_equal(cur.channel, "scan");
		assert_int_equal(a.nr, 1);
		assert_string_equal(a.a[0].q->id, "speelveld");
		assert_string_equal(a.a[0].value, "tegen");
		survey_answers_release(&a);
		render_layout_free(l);
		for (k = 0; k < pages; k++)
			scan_image_release(&keep[k]);
		for (; k < 9 && k < rem.n; k++)
			scan_image_release(&keep[k]);
	}
	/* The scanned household has answered now. */
	{
		uint64_t addr[8], open[8];

		assert_int_equal(store_reminder_counts(st, s, addr, open, &err),
				 STORE_OK);
		assert_int_equal(open[0], nr_open);
	}
	store_free(st);
	st = NULL;

	/* Wave 1's letters made again: the same households. */
	assert_int_equal(run("%s remind --db %s --wave 1 --buurt %s -o "
			     "%s/again -j 1 >/dev/null",
			     DRAAGVLAK_BIN, cmd_db, BUURT, dir),
			 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/again/herinnering-1-%s.pdf", dir, BUURT);
	read_pdf(p.buf, &again, NULL, 0);
	assert_int_equal(again.n, rem.n);
	for (k = 0; k < rem.n; k++)
		assert_string_equal(again.v[k].code, rem.v[k].code);

	/* Every household, at the board's choice: wave 2. */
	assert_int_equal(run("%s remind --db %s --all --buurt %s -o %s/out "
			     "-j 1 >%s/remind.txt",
			     DRAAGVLAK_BIN, cmd_db, BUURT, dir, dir),
			 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/remind.txt", dir);
	text = read_text(p.buf);
	assert_null(strstr(text, "welke adressen nog niet hebben"));
	free(text);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/out/herinnering-2-%s.pdf", dir, BUURT);
	read_pdf(p.buf, &again, NULL, 0);
	assert_int_equal(again.n, first.n);
	for (k = 0; k < first.n; k++)
		assert_string_equal(again.v[k].code, first.v[k].code);
	assert_int_equal(run("pdftotext -f 1 -l 1 %s %s/all.txt", p.buf, dir),
			 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/all.txt", dir);
	text = read_text(p.buf);
	assert_non_null(strstr(text, "negeren"));
	free(text);
	/* Wave 1's file is still there. */
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/out/herinnering-1-%s.pdf", dir, BUURT);
	assert_true(file_size(p.buf) > 0);

	/* The waves as kept, and none after closing. */
	st = store_open(cmd_db, STORE_EXISTING, &err);
	assert_non_null(st);
	{
		struct store_reminder_wave wv;

		assert_int_equal(store_reminder_wave_get(st, 1, &wv, &err),
				 STORE_OK);
		assert_int_equal(wv.scope, STORE_REMIND_NONRESPONDERS);
		assert_string_equal(wv.made_by, "cli");
		assert_string_equal(wv.buurt_id, "");
		wave1_letters = rem.n / (first.n / NR_ADDR) + 2;
		assert_int_equal(wv.households, wave1_letters);
		assert_int_equal(store_reminder_wave_get(st, 2, &wv, &err),
				 STORE_OK);
		assert_int_equal(wv.scope, STORE_REMIND_ALL);
		assert_string_equal(wv.buurt_id, BUURT);
		assert_int_equal(wv.households, NR_ADDR);
		assert_int_equal(store_reminder_wave_get(st, 3, &wv, &err),
				 STORE_NOT_FOUND);
	}
	assert_int_equal(store_lifecycle_close(st, "bestuur", &err), STORE_OK);
	store_free(st);
	assert_int_equal(run("%s remind --db %s -o %s/out 2>%s/err.txt",
			     DRAAGVLAK_BIN, cmd_db, dir, dir) != 0,
			 1);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/err.txt", dir);
	text = read_text(p.buf);
	assert_non_null(strstr(text, "closed"));
	free(text);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/out/herinnering-3-%s.pdf", dir, BUURT);
	assert_int_equal(file_size(p.buf), -1);

	/* The count record's audit names both waves and their letters. */
	assert_int_equal(run("%s record --db %s --pdf %s/pv.pdf >/dev/null && "
			     "pdftotext %s/pv.pdf %s/pv.txt",
			     DRAAGVLAK_BIN, cmd_db, dir, dir, dir),
			 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/pv.txt", dir);
	text = read_text(p.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "Herinneringsrondes: 2, samen %zu brieven",
		    wave1_letters + NR_ADDR);
	if (!strstr(text, p.buf))
		fail_msg("the record lacks '%s':\n%s", p.buf, text);
	free(text);

	survey_free(s);
	free(yaml);
	free(cmd_db);
	strbuf_release(&p);
	strbuf_release(&err);
	strbuf_release(&csv);
	test_remove_tree(dir);
}

static int count_one(const struct store_household *h, void *data)
{
	(void)h;
	(*(size_t *)data)++;
	return 0;
}

static int count_wave(const struct store_reminder_wave *w, void *data)
{
	(void)w;
	(*(size_t *)data)++;
	return 0;
}

/*
 * A paper form entered once (double entry: it waits for its second
 * entry) is an answer: no reminder.  A wave with nobody to write to is
 * not kept.
 */
static void test_paper_waiting_and_nobody(void **state)
{
	char dir[] = "/tmp/test_remind.XXXXXX";
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT, yaml = STRBUF_INIT;
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	struct store_paper entry = { 0 };
	struct survey *s;
	struct store *st;
	long long ids[200], wave;
	uint64_t n;
	size_t nr, open = 0, waves = 0;
	char *text, *at;

	(void)state;
	assert_non_null(mkdtemp(dir));
	text = read_text(SAMPLES_DIR "/dorst-speelveld/survey.yaml");
	at = strstr(text, "double_entry: false");
	assert_non_null(at);
	strbuf_add(&yaml, text, (size_t)(at - text));
	strbuf_addstr(&yaml, "double_entry: true");
	strbuf_addstr(&yaml, at + strlen("double_entry: false"));
	free(text);
	strbuf_addf(&p, "%s/store.db", dir);
	st = test_store_make(p.buf, "survey.yaml", yaml.buf,
			     SAMPLES_DIR "/dorst-speelveld/addresses.csv", &s);
	nr = test_store_households(st, BUURT, false, ids, 200);
	assert_true(nr > 10 && nr < 200);

	survey_answers_add(&a, survey_find_question(s, "speelveld"), "voor");
	entry.household = ids[1];
	entry.volunteer = "anna";
	entry.answers = &a;
	assert_int_equal(store_paper_enter(st, s, &entry, &err), STORE_OK);
	assert_int_equal(entry.result, STORE_PAPER_WAITING);
	assert_int_equal(store_reminder_households_each(
				 st, BUURT, STORE_REMIND_NONRESPONDERS,
				 count_one, &open, &err),
			 STORE_OK);
	assert_int_equal(open, nr - 1);
	open = 0;
	assert_int_equal(store_reminder_households_each(st, BUURT,
							STORE_REMIND_ALL,
							count_one, &open, &err),
			 STORE_OK);
	assert_int_equal(open, nr);

	/* Everyone in the buurt answers: nobody to remind, nothing kept. */
	for (size_t i = 0; i < nr; i++)
		if (i != 1)
			test_store_respond(st, s, ids[i], "online", NULL,
					   "speelveld", "tegen", NULL);
	assert_int_equal(
		store_reminder_wave_make(st, STORE_REMIND_NONRESPONDERS, BUURT,
					 "carol", &wave, &n, &err),
		STORE_NOT_FOUND);
	assert_int_equal(n, 0);
	assert_int_equal(
		store_reminder_waves_each(st, count_wave, &waves, &err),
		STORE_OK);
	assert_int_equal(waves, 0);
	/* Every household still gets one when the board chooses so. */
	assert_int_equal(store_reminder_wave_make(st, STORE_REMIND_ALL, BUURT,
						  "carol", &wave, &n, &err),
			 STORE_OK);
	assert_int_equal(wave, 1);
	assert_int_equal(n, nr);

	survey_answers_release(&a);
	store_free(st);
	survey_free(s);
	strbuf_release(&p);
	strbuf_release(&err);
	strbuf_release(&yaml);
	test_remove_tree(dir);
}

static struct survey *load_yaml(const char *yaml)
{
	struct diag_list dl;
	struct survey *s;

	diag_list_init(&dl, "survey.yaml");
	s = survey_load_buffer("survey.yaml", yaml, strlen(yaml), &dl);
	diag_list_release(&dl);
	return s;
}

/*
 * The reminder's text, in every sample, language and wave, lies under
 * the header and above the envelope window, overlaps nothing, and
 * leaves the layout id as it was.
 */
static void test_notice_fits_samples(void **state)
{
	static const char *const samples[] = {
		SAMPLES_DIR "/dorst-speelveld/survey.yaml",
		SAMPLES_DIR "/oosterheide-parkeren/survey.yaml",
	};
	size_t checked = 0;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char *yaml = read_text(samples[i]);
		struct survey *s = load_yaml(yaml);

		assert_non_null(s);
		for (int lang = 0; lang < SURVEY_NLANG; lang++) {
			if (lang != SURVEY_NL && !s->languages[lang])
				continue;
			for (int scope = 0; scope < 2; scope++) {
				struct strbuf err = STRBUF_INIT;
				struct render_layout *l = render_layout_new(
					s, &s->buurten[0],
					(enum survey_lang)lang, BASE_URL, &err);
				const char *text = render_reminder_notice(
					(enum store_reminder_scope)scope,
					(enum survey_lang)lang);
				char id[RENDER_LAYOUT_ID_SIZE];
				const struct render_page *p;
				const struct render_item *n;
				size_t before;

				assert_non_null(l);
				memcpy(id, l->id, sizeof(id));
				before = l->pages[0].nr;
				if (render_layout_add_notice(l, text, &err) < 0)
					fail_msg("%s: %s", samples[i], err.buf);
				p = &l->pages[0];
				assert_int_equal(p->nr, before + 1);
				n = &p->items[p->nr - 1];
				assert_string_equal(n->text, text);
				assert_string_equal(l->id, id);
				assert_true(n->r.y + n->r.h <= RENDER_WINDOW_Y);
				assert_true(n->r.x >= RENDER_LEFT - 0.5);
				assert_true(n->r.x + n->r.w <= p->qr_zone.x);
				for (size_t k = 0; k < before; k++)
					if (render_rect_overlap(&n->r,
								&p->items[k].r))
						fail_msg("%s: the notice "
							 "overlaps "
							 "item %zu",
							 samples[i], k);
				render_layout_free(l);
				strbuf_release(&err);
				checked++;
			}
		}
		survey_free(s);
		free(yaml);
	}
	assert_int_equal(checked, 6);
}

/*
 * A contact text that leaves no room for the reminder's: the command
 * says what to shorten, and no wave is kept.
 */
static void test_notice_does_not_fit(void **state)
{
	char dir[] = "/tmp/test_remind.XXXXXX";
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT, yaml = STRBUF_INIT;
	char *text, *at, *end;
	struct survey *s = NULL;
	struct store *st;
	size_t waves = 0;
	int words;

	(void)state;
	assert_non_null(mkdtemp(dir));
	text = read_text(SAMPLES_DIR "/dorst-speelveld/survey.yaml");
	at = strstr(text, "  nl: \"Vragen?");
	assert_non_null(at);
	end = strchr(at, '\n');
	/* The longest contact text the first letters still take. */
	for (words = 1; words < 200; words++) {
		struct render_layout *l;

		strbuf_reset(&yaml);
		strbuf_add(&yaml, text, (size_t)(at - text));
		strbuf_addstr(&yaml, "  nl: \"Vragen?");
		for (int k = 0; k < words; k++)
			strbuf_addstr(&yaml, " Mail ons");
		strbuf_addch(&yaml, '"');
		strbuf_addstr(&yaml, end);
		survey_free(s);
		s = load_yaml(yaml.buf);
		assert_non_null(s);
		strbuf_reset(&err);
		l = render_layout_new(s, &s->buurten[0], SURVEY_NL, BASE_URL,
				      &err);
		if (!l)
			break;
		if (render_layout_add_notice(
			    l,
			    render_reminder_notice(STORE_REMIND_NONRESPONDERS,
						   SURVEY_NL),
			    &err) < 0) {
			assert_non_null(strstr(err.buf, "contact text"));
			render_layout_free(l);
			break;
		}
		render_layout_free(l);
	}
	assert_true(words < 200);
	/* The first letters can be made, the reminder's cannot. */
	assert_null(strstr(err.buf, "above the address; shorten"));
	assert_non_null(strstr(err.buf, "reminder text does not fit"));
	strbuf_addf(&p, "%s/store.db", dir);
	survey_free(s);
	st = test_store_make(p.buf, "survey.yaml", yaml.buf,
			     SAMPLES_DIR "/dorst-speelveld/addresses.csv", &s);
	store_free(st);
	assert_int_not_equal(run("%s remind --db %s -o %s/out 2>%s/err.txt",
				 DRAAGVLAK_BIN, p.buf, dir, dir),
			     0);
	st = store_open(p.buf, STORE_EXISTING, &err);
	assert_non_null(st);
	assert_int_equal(
		store_reminder_waves_each(st, count_wave, &waves, &err),
		STORE_OK);
	assert_int_equal(waves, 0);
	store_free(st);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/err.txt", dir);
	free(text);
	text = read_text(p.buf);
	assert_non_null(strstr(text, "shorten the contact text"));
	free(text);
	survey_free(s);
	strbuf_release(&p);
	strbuf_release(&err);
	strbuf_release(&yaml);
	test_remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reminder_wave),
		cmocka_unit_test(test_paper_waiting_and_nobody),
		cmocka_unit_test(test_notice_fits_samples),
		cmocka_unit_test(test_notice_does_not_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
