/*
 * test_scan_limits.c - files that would make the scan reader use
 * unbounded memory or time (issue 18), and photo formats from phones.
 *
 * Each hostile file is a few hundred bytes made here: a TIFF whose header
 * claims 43009 samples per pixel on a 20000 x 20000 page, a PDF whose
 * only page is 5000 points (1.76 m) square, a PNG header of 30000 x
 * 30000 pixels.  Each must be refused with a sentence saying what is
 * wrong, within a second, and without the process's peak resident memory
 * growing by more than 64 MB (measured from /proc: VmHWM after, VmRSS
 * before, with the peak reset through /proc/self/clear_refs).  Before
 * these limits, the TIFF took 400 MB, the PNG 900 MB and the PDF 1 GB.
 *
 * A HEIC photo of a form page (written here with libheif when draagvlak
 * is built with it and its HEVC encoder is there) is read like a JPEG.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tiffio.h>
#include <zlib.h>
#ifdef SCAN_HAVE_HEIF
#include <libheif/heif.h>
#endif

#include "form.h"
#include "layout.h"
#include "render.h"
#include "scan.h"
#include "synth.h"
#include "testutil.h"
#include "xalloc.h"
#include "banned.h"

#define DORST	  SAMPLES_DIR "/dorst-speelveld/survey.yaml"
#define BASE	  "https://draagvlak.dorpsplatformdorst.nl"
#define GROWTH_MB 64

static char tmp[64];

static const char *tmpdir(void)
{
	if (!tmp[0]) {
		snprintf(tmp, sizeof(tmp), "/tmp/draagvlak-limits-XXXXXX");
		assert_non_null(mkdtemp(tmp));
	}
	return tmp;
}

/* A kB figure from /proc/self/status ("VmRSS:", "VmHWM:"), or -1. */
static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

struct probe {
	long rss_kb; /* before; -1 when the peak cannot be reset */
	struct timespec t0;
};

static void probe_start(struct probe *p)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");

	p->rss_kb = -1;
	/* "5" resets the peak resident size to the present one. */
	if (f && fputs("5", f) >= 0 && fclose(f) == 0)
		p->rss_kb = status_kb("VmRSS:");
	else if (f)
		fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
}

/* Fails the test when what took more than a second or 64 MB. */
static void probe_end(const struct probe *p, const char *what)
{
	struct timespec t1;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - p->t0.tv_sec) + (t1.tv_nsec - p->t0.tv_nsec) / 1e9;
	if (s > 1.0)
		fail_msg("%s took %.1f s", what, s);
	if (p->rss_kb >= 0) {
		long grew = status_kb("VmHWM:") - p->rss_kb;

		if (grew > GROWTH_MB * 1024)
			fail_msg("%s took %ld MB of memory", what, grew / 1024);
	}
}

/* Open path and decode its first page: must fail, with want in err. */
static void expect_refused(const char *path, const char *want)
{
	struct strbuf err = STRBUF_INIT;
	struct scan_image img = SCAN_IMAGE_INIT;
	struct scan_source *src;
	struct probe p;

	probe_start(&p);
	src = scan_source_open(path, &err);
	if (src) {
		assert_int_equal(scan_source_next(src, &img, &err), -1);
		scan_source_close(src);
	}
	probe_end(&p, path);
	if (!strstr(err.buf, want))
		fail_msg("%s: '%s' does not say '%s'", path, err.buf, want);
	assert_null(img.px);
	strbuf_release(&err);
}

/* A TIFF header saying w x w pixels of 8-bit grey in one Deflate strip,
 * then patched to claim spp samples per pixel. */
static void write_tiff(const char *path, int w, uint16_t spp)
{
	static unsigned char strip[200];
	TIFF *t = TIFFOpen(path, "w");
	unsigned char b[4096];
	size_t n;
	FILE *f;

	assert_non_null(t);
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)w);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, (uint32_t)w);
	TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
	TIFFWriteRawStrip(t, 0, strip, sizeof(strip));
	TIFFClose(t);
	/* libtiff will not write such a header: the entry of tag 277
	 * (SamplesPerPixel, SHORT, count 1) is changed in the file. */
	f = fopen(path, "r+b");
	assert_non_null(f);
	n = fread(b, 1, sizeof(b), f);
	for (size_t i = 8; i + 12 <= n; i += 2)
		if (b[i] == 0x15 && b[i + 1] == 0x01 && b[i + 2] == 3 &&
		    b[i + 3] == 0 && b[i + 4] == 1) {
			b[i + 8] = (unsigned char)(spp & 0xff);
			b[i + 9] = (unsigned char)(spp >> 8);
			assert_int_equal(fseek(f, 0, SEEK_SET), 0);
			assert_int_equal(fwrite(b, 1, n, f), n);
			break;
		}
	assert_int_equal(fclose(f), 0);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG chunk: length, type, data, CRC. */
static void png_chunk(FILE *f, const char *type, const unsigned char *data,
		      uint32_t len)
{
	unsigned char h[8];
	uLong crc = crc32(0, (const Bytef *)type, 4);

	put32(h, len);
	memcpy(h + 4, type, 4);
	crc = crc32(crc, data, len);
	assert_int_equal(fwrite(h, 1, 8, f), 8);
	assert_int_equal(fwrite(data, 1, len, f), len);
	put32(h, (uint32_t)crc);
	assert_int_equal(fwrite(h, 1, 4, f), 4);
}

/* A valid PNG header of w x h 8-bit grey and one short IDAT. */
static void write_png_header(const char *path, uint32_t w, uint32_t h)
{
	FILE *f = fopen(path, "wb");
	unsigned char ihdr[13] = { 0 }, idat[64];
	uLongf zlen = sizeof(idat);
	unsigned char row[16] = { 0 };

	assert_non_null(f);
	assert_int_equal(fwrite("\x89PNG\r\n\x1a\n", 1, 8, f), 8);
	put32(ihdr, w);
	put32(ihdr + 4, h);
	ihdr[8] = 8; /* bits */
	ihdr[9] = 0; /* grey */
	png_chunk(f, "IHDR", ihdr, 13);
	assert_int_equal(compress(idat, &zlen, row, sizeof(row)), Z_OK);
	png_chunk(f, "IDAT", idat, (uint32_t)zlen);
	png_chunk(f, "IEND", ihdr, 0);
	assert_int_equal(fclose(f), 0);
}

static void test_hostile_tiff(void **state)
{
	struct strbuf path = STRBUF_INIT;

	(void)state;
	strbuf_addf(&path, "%s/spp.tif", tmpdir());
	write_tiff(path.buf, 20000, 43009);
	expect_refused(path.buf, "43009 samples per pixel");
	/* Ordinary samples, but more pixels than any page. */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/huge.tif", tmpdir());
	write_tiff(path.buf, 29000, 1);
	expect_refused(path.buf, "841 million");
	strbuf_release(&path);
}

static void test_hostile_pdf(void **state)
{
	struct strbuf path = STRBUF_INIT;
	static const char pdf[] =
		"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
		"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 5000 5000]>>"
		"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
	FILE *f;

	(void)state;
	strbuf_addf(&path, "%s/big.pdf", tmpdir());
	f = fopen(path.buf, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf, 1, sizeof(pdf) - 1, f), sizeof(pdf) - 1);
	assert_int_equal(fclose(f), 0);
	/* 1764 mm square at 200 dpi: 13889 x 13889 pixels. */
	expect_refused(path.buf, "1764 x 1764 mm");
	expect_refused(path.buf, "193 million");
	strbuf_release(&path);
}

static void test_hostile_png(void **state)
{
	struct strbuf path = STRBUF_INIT;

	(void)state;
	strbuf_addf(&path, "%s/big.png", tmpdir());
	write_png_header(path.buf, 30000, 30000);
	expect_refused(path.buf, "900 million");
	strbuf_release(&path);
}

#ifdef SCAN_HAVE_HEIF
/* img as a HEIC file (HEVC, quality 80); 0, or -1 with no HEVC encoder. */
static int write_heic(const char *path, const struct scan_image *img)
{
	struct heif_context *ctx = heif_context_alloc();
	struct heif_encoder *enc = NULL;
	struct heif_image *im = NULL;
	struct heif_error e;
	uint8_t *plane;
	int stride, ret = -1;

	e = heif_context_get_encoder_for_format(ctx, heif_compression_HEVC,
						&enc);
	if (e.code != heif_error_Ok)
		goto out;
	heif_encoder_set_lossy_quality(enc, 80);
	e = heif_image_create(img->w, img->h, heif_colorspace_monochrome,
			      heif_chroma_monochrome, &im);
	assert_int_equal(e.code, heif_error_Ok);
	e = heif_image_add_plane(im, heif_channel_Y, img->w, img->h, 8);
	assert_int_equal(e.code, heif_error_Ok);
	plane = heif_image_get_plane(im, heif_channel_Y, &stride);
	for (int y = 0; y < img->h; y++)
		memcpy(plane + (size_t)y * (size_t)stride,
		       img->px + (size_t)y * img->stride, (size_t)img->w);
	e = heif_context_encode_image(ctx, im, enc, NULL, NULL);
	assert_int_equal(e.code, heif_error_Ok);
	e = heif_context_write_to_file(ctx, path);
	assert_int_equal(e.code, heif_error_Ok);
	ret = 0;
out:
	if (enc)
		heif_encoder_release(enc);
	heif_image_release(im);
	heif_context_free(ctx);
	return ret;
}
#endif

static void test_heic(void **state)
{
#ifdef SCAN_HAVE_HEIF
	struct diag_list dl;
	struct survey *s;
	struct render_layout *l;
	struct render_form *f;
	struct render_households hh = { 0 };
	struct scan_layouts set = SCAN_LAYOUTS_INIT;
	struct store_household h = { .id = 1,
				     .buurt_id = "BU08260101",
				     .street = "Kerkstraat",
				     .number = 12,
				     .letter = "",
				     .addition = "",
				     .postcode = "4849 AB",
				     .place = "Dorst" };
	struct synth_opts o = { .dpi = 200, .angle = 0.7 };
	const struct synth_box_mark m[] = { { "speelveld", "tegen",
					      SYNTH_TICK } };
	struct scan_image img = SCAN_IMAGE_INIT, back = SCAN_IMAGE_INIT;
	struct strbuf err = STRBUF_INIT, path = STRBUF_INIT;
	const struct scan_question *q;
	struct scan_page sp;

	(void)state;
	diag_list_init(&dl, DORST);
	s = survey_load(DORST, &dl);
	diag_list_release(&dl);
	assert_non_null(s);
	l = render_layout_new(s, &s->buurten[1], SURVEY_NL, BASE, &err);
	assert_non_null(l);
	f = render_form_new(l);
	assert_int_equal(survey_token_new(h.token), 0);
	render_households_add(&hh, &h);
	scan_layouts_add(&set, l);
	synth_page(f, l, synth_page_of(l, "speelveld"), &hh.v[0], m, 1, &o,
		   &img);
	strbuf_addf(&path, "%s/photo.heic", tmpdir());
	if (write_heic(path.buf, &img) < 0) {
		print_message("no HEVC encoder in libheif: HEIC not tried\n");
		goto out;
	}
	if (scan_image_load(path.buf, &back, &err) < 0)
		fail_msg("%s", err.buf);
	assert_int_equal(back.w, img.w);
	assert_int_equal(back.h, img.h);
	if (scan_page_read(&back, scan_layouts_lookup, &set, &sp, &err) < 0)
		fail_msg("HEIC page refused: %s", err.buf);
	q = scan_page_question(&sp, "speelveld");
	assert_non_null(q);
	assert_int_equal(q->status, SCAN_CLEAR);
	assert_int_equal(q->nr_values, 1);
	assert_string_equal(q->values[0], "tegen");
	scan_page_release(&sp);
out:
	scan_image_release(&img);
	scan_image_release(&back);
	scan_layouts_release(&set);
	render_households_release(&hh);
	render_form_free(f);
	render_layout_free(l);
	survey_free(s);
	strbuf_release(&err);
	strbuf_release(&path);
#else
	(void)state;
	print_message("built without libheif: HEIC not tried\n");
#endif
}

static int teardown(void **state)
{
	(void)state;
	if (tmp[0])
		test_remove_tree(tmp);
	render_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_tiff),
		cmocka_unit_test(test_hostile_pdf),
		cmocka_unit_test(test_hostile_png),
		cmocka_unit_test(test_heic),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
