/*
 * qrcode.c - the page's QR code through zbar, looked for where it should
 * be first (see qrcode.h), and the form URL it holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zbar.h>

#include "qrcode.h"
#include "xalloc.h"
#include "banned.h"

/* The QR code lies within this many mm of its corner of the page, even
 * printed at 90% and shifted or turned a little (its far corner is then
 * at most 60 mm from either edge). */
#define CORNER_MM 70.0
/* zbar reads the form's 0.5 mm modules well at this resolution. */
#define QR_DPI 150.0

void scan_qr_release(struct scan_qr *qr)
{
	if (!qr)
		return;
	free(qr->text);
	qr->text = NULL;
}

/* A region of the image, reduced by an integer factor. */
struct region {
	int x, y, w, h; /* in image pixels */
	int f;		/* reduction */
};

/*
 * Run zbar on region r of img.  Returns 1 with qr filled when a QR code
 * is read, 0 otherwise.
 */
static int try_region(zbar_image_scanner_t *sc, const struct scan_image *img,
		      const struct region *r, struct scan_qr *qr)
{
	int w = r->w / r->f, h = r->h / r->f, found = 0;
	unsigned char *buf;
	zbar_image_t *zi;
	const zbar_symbol_t *sym;

	if (w < 32 || h < 32)
		return 0;
	buf = xmalloc((size_t)w * (size_t)h);
	for (int y = 0; y < h; y++) {
		unsigned char *o = buf + (size_t)y * w;

		if (r->f == 1) {
			memcpy(o,
			       img->px + (size_t)(r->y + y) * img->stride +
				       r->x,
			       (size_t)w);
			continue;
		}
		if (r->f == 2) {
			const unsigned char *a =
				img->px + (size_t)(r->y + 2 * y) * img->stride +
				r->x;
			const unsigned char *b = a + img->stride;

			for (int x = 0; x < w; x++)
				o[x] = (unsigned char)((a[2 * x] +
							a[2 * x + 1] +
							b[2 * x] +
							b[2 * x + 1] + 2) >>
						       2);
			continue;
		}
		for (int x = 0; x < w; x++) {
			unsigned sum = 0;

			for (int j = 0; j < r->f; j++) {
				const unsigned char *p =
					img->px +
					(size_t)(r->y + y * r->f + j) *
						img->stride +
					r->x + x * r->f;

				for (int i = 0; i < r->f; i++)
					sum += p[i];
			}
			o[x] = (unsigned char)(sum / (unsigned)(r->f * r->f));
		}
	}
	zi = zbar_image_create();
	zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zi, (unsigned)w, (unsigned)h);
	zbar_image_set_data(zi, buf, (unsigned long)w * h, NULL);
	qr->tries++;
	if (zbar_scan_image(sc, zi) > 0)
		for (sym = zbar_image_first_symbol(zi); sym;
		     sym = zbar_symbol_next(sym)) {
			/* zbar lists a QR code's corners top left, bottom
			 * left, bottom right, top right. */
			static const int order[4] = { 0, 3, 2, 1 };

			if (zbar_symbol_get_type(sym) != ZBAR_QRCODE ||
			    zbar_symbol_get_loc_size(sym) != 4)
				continue;
			qr->text = xstrdup(zbar_symbol_get_data(sym));
			for (int k = 0; k < 4; k++) {
				qr->x[k] = r->x +
					   (double)r->f *
						   zbar_symbol_get_loc_x(
							   sym,
							   (unsigned)order[k]);
				qr->y[k] = r->y +
					   (double)r->f *
						   zbar_symbol_get_loc_y(
							   sym,
							   (unsigned)order[k]);
			}
			found = 1;
			break;
		}
	zbar_image_destroy(zi);
	free(buf);
	return found;
}

/* The square of side CORNER_MM at corner c of the image (0 top left,
 * 1 top right, 2 bottom left, 3 bottom right). */
static struct region corner(const struct scan_image *img, double dpi, int c,
			    int f)
{
	int side = (int)(CORNER_MM / 25.4 * dpi);
	struct region r;

	r.w = side < img->w ? side : img->w;
	r.h = side < img->h ? side : img->h;
	r.x = c & 1 ? img->w - r.w : 0;
	r.y = c & 2 ? img->h - r.h : 0;
	r.f = f;
	return r;
}

int scan_qr_find(const struct scan_image *img, double dpi, struct scan_qr *qr,
		 struct strbuf *err)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	int f = (int)(dpi / QR_DPI + 0.25), ret = -1;
	/* Top right upright, bottom left upside down; a landscape image
	 * holds a page turned a quarter, its top right now at the image's
	 * top left or bottom right. */
	const int *corners, portrait[2] = { 1, 2 }, landscape[2] = { 0, 3 };
	struct region r;

	memset(qr, 0, sizeof(*qr));
	if (f < 1)
		f = 1;
	corners = img->w <= img->h ? portrait : landscape;
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	/* Every other line: a finder pattern is 7 modules, over 20 lines
	 * at 150 dpi, and zbar spends its time scanning lines. */
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_X_DENSITY, 2);
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_Y_DENSITY, 2);
	for (int i = 0; i < 2; i++) {
		r = corner(img, dpi, corners[i], f);
		if (try_region(sc, img, &r, qr))
			goto found;
	}
	/* Blurred or noisy at the reduced resolution: full resolution,
	 * every line. */
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_X_DENSITY, 1);
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_Y_DENSITY, 1);
	for (int i = 0; i < 2; i++) {
		r = corner(img, dpi, corners[i], 1);
		if (try_region(sc, img, &r, qr))
			goto found;
	}
	/* Somewhere else altogether (a page scanned on the wrong part of
	 * the glass, or on a larger sheet). */
	r = (struct region){ 0, 0, img->w, img->h, f };
	if (try_region(sc, img, &r, qr))
		goto found;
	/* A photo whose code is small in the frame: all of it, at full
	 * resolution (slow, and only when all else failed). */
	if (f > 1) {
		r.f = 1;
		if (try_region(sc, img, &r, qr))
			goto found;
	}
	strbuf_addstr(err, "no QR code can be read on this page (is it a page "
			   "of a draagvlak form, and is its top right corner "
			   "clean and whole?)");
	goto out;
found:
	ret = 0;
out:
	zbar_image_scanner_destroy(sc);
	return ret;
}

static bool all_in(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(set, s[i]))
			return false;
	return true;
}

int scan_url_parse(const char *text, struct scan_url *url, struct strbuf *err)
{
	/* ".../F/" CODE "/" PAGE "/" LAYOUT */
	const size_t tail =
		3 + SURVEY_TOKEN_LEN + 1 + 1 + 1 + (RENDER_LAYOUT_ID_SIZE - 1);
	size_t len = strlen(text);
	const char *t, *code;
	char canon[SURVEY_TOKEN_SIZE];

	memset(url, 0, sizeof(*url));
	if (len < tail || memcmp(text + len - tail, "/F/", 3) != 0) {
		strbuf_addf(err,
			    "the QR code on this page is not a draagvlak form "
			    "page's (it says '%.80s')",
			    text);
		return -1;
	}
	t = text + len - tail + 3;
	code = t;
	if (t[SURVEY_TOKEN_LEN] != '/' || t[SURVEY_TOKEN_LEN + 2] != '/' ||
	    !all_in(t + SURVEY_TOKEN_LEN + 1, 1, "123456789") ||
	    !all_in(t + SURVEY_TOKEN_LEN + 3, RENDER_LAYOUT_ID_SIZE - 1,
		    "0123456789ABCDEF")) {
		strbuf_addf(err,
			    "the QR code on this page does not end in "
			    "/F/code/page/layout (it says '%.80s')",
			    text);
		return -1;
	}
	{
		char given[SURVEY_TOKEN_SIZE];

		memcpy(given, code, SURVEY_TOKEN_LEN);
		given[SURVEY_TOKEN_LEN] = '\0';
		/* A printed code is canonical; anything else was not made
		 * by draagvlak. */
		if (survey_token_parse(given, canon) != SURVEY_TOKEN_OK ||
		    strcmp(canon, given) != 0) {
			strbuf_addf(err,
				    "the household code %s in this page's QR "
				    "code is not a valid code",
				    given);
			return -1;
		}
	}
	memcpy(url->code, canon, sizeof(url->code));
	url->page = (unsigned)(t[SURVEY_TOKEN_LEN + 1] - '0');
	memcpy(url->layout, t + SURVEY_TOKEN_LEN + 3,
	       RENDER_LAYOUT_ID_SIZE - 1);
	url->layout[RENDER_LAYOUT_ID_SIZE - 1] = '\0';
	url->prefix_len = (size_t)(code - text);
	return 0;
}
