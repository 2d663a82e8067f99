/*
 * scanner.c - printing and scanning a page (see scanner.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "scanner.h"
#include "xalloc.h"
#include "banned.h"

#define P_UPSIDE_DOWN 0.08
#define P_BLUR	      0.30
#define P_NOISE	      0.40
#define P_GREY	      0.25
#define P_JPEG	      0.15 /* pages not stored as JPEG files */
#define P_BW	      0.10
#define P_SPECKLE     0.08 /* dust and toner specks, 1% of pixels */
#define MAX_SHIFT     2.5  /* mm: corner marks stay on the image */

void scan_pick(struct scan_look *lk, struct rng *r, int dpi, bool jpeg_file)
{
	double u = rng_uniform(r), sigma_mm;

	memset(lk, 0, sizeof(*lk));
	lk->dpi = dpi;
	/* Most printers print at 100%; "fit to page" is 94-97%. */
	lk->scale = u < 0.5   ? 1.0
		    : u < 0.8 ? rng_range(r, 0.94, 0.97)
			      : rng_range(r, 0.90, 1.0);
	lk->shift_x = fmax(-MAX_SHIFT, fmin(MAX_SHIFT, 1.2 * rng_normal(r)));
	lk->shift_y = fmax(-MAX_SHIFT, fmin(MAX_SHIFT, 1.2 * rng_normal(r)));
	u = rng_uniform(r);
	lk->skew = u < 0.55   ? rng_range(r, -0.5, 0.5)
		   : u < 0.85 ? rng_range(r, -1.5, 1.5)
			      : rng_range(r, -3.0, 3.0);
	if (rng_chance(r, P_UPSIDE_DOWN))
		lk->flags |= SCAN_UPSIDE_DOWN;
	if (rng_chance(r, P_BLUR)) {
		lk->flags |= SCAN_BLUR;
		sigma_mm = rng_range(r, 0.04, 0.10);
		/* n passes of [1 2 1]/4 make a Gaussian of variance n/2. */
		lk->blur_passes =
			(unsigned)lround(2 * pow(sigma_mm * dpi / 25.4, 2));
		if (lk->blur_passes < 1)
			lk->blur_passes = 1;
	}
	if (rng_chance(r, P_NOISE)) {
		lk->flags |= SCAN_NOISE;
		lk->noise = rng_range(r, 2.0, 7.0);
	}
	lk->paper = 1.0;
	if (rng_chance(r, P_GREY)) {
		lk->flags |= SCAN_GREY;
		lk->paper = rng_range(r, 0.80, 0.94);
		lk->shade = rng_range(r, -0.04, 0.04);
	}
	if (rng_chance(r, P_SPECKLE))
		lk->flags |= SCAN_SPECKLE;
	/* What pages.csv says is exactly what was applied. */
	lk->scale = round(lk->scale * 1e4) / 1e4;
	lk->shift_x = round(lk->shift_x * 100) / 100;
	lk->shift_y = round(lk->shift_y * 100) / 100;
	lk->skew = round(lk->skew * 100) / 100;
	if (jpeg_file) {
		lk->flags |= SCAN_JPEG;
		lk->quality = (int)rng_range(r, 60, 93);
	} else if (rng_chance(r, P_BW)) {
		lk->flags |= SCAN_BW;
		lk->threshold = (int)rng_range(r, 115, 150);
	} else if (rng_chance(r, P_JPEG)) {
		lk->flags |= SCAN_JPEG;
		lk->quality = (int)rng_range(r, 40, 86);
	}
}

double scan_rotation(const struct scan_look *lk)
{
	return lk->skew + (lk->flags & SCAN_UPSIDE_DOWN ? 180.0 : 0.0);
}

int scan_width(int dpi)
{
	return (int)lround(RENDER_PAGE_W / 25.4 * dpi);
}

int scan_height(int dpi)
{
	return (int)lround(RENDER_PAGE_H / 25.4 * dpi);
}

void scan_point(const struct scan_look *lk, double x, double y, double *px,
		double *py)
{
	double cx = RENDER_PAGE_W / 2, cy = RENDER_PAGE_H / 2;
	double a = scan_rotation(lk) * M_PI / 180.0, f = lk->dpi / 25.4;
	double u = lk->scale * (x - cx) + lk->shift_x;
	double v = lk->scale * (y - cy) + lk->shift_y;

	*px = f * (cx + u * cos(a) - v * sin(a));
	*py = f * (cy + u * sin(a) + v * cos(a));
}

void scan_gentler(struct scan_look *lk, int step)
{
	lk->flags &=
		~(unsigned)(SCAN_BLUR | SCAN_NOISE | SCAN_BW | SCAN_SPECKLE);
	if (lk->quality && lk->quality < 85)
		lk->quality = 85;
	if (step >= 1) {
		lk->skew = 0;
		lk->scale = 1;
	}
}

void scan_transform(cairo_t *cr, const struct scan_look *lk)
{
	double cx = RENDER_PAGE_W / 2, cy = RENDER_PAGE_H / 2;

	cairo_scale(cr, lk->dpi / 25.4, lk->dpi / 25.4);
	cairo_translate(cr, cx, cy);
	cairo_rotate(cr, scan_rotation(lk) * M_PI / 180.0);
	cairo_translate(cr, lk->shift_x, lk->shift_y);
	cairo_scale(cr, lk->scale, lk->scale);
	cairo_translate(cr, -cx, -cy);
}

void scan_to_grey(cairo_surface_t *s, uint8_t *grey)
{
	int w = cairo_image_surface_get_width(s);
	int h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *data = cairo_image_surface_get_data(s);

	for (int y = 0; y < h; y++) {
		const uint32_t *row =
			(const uint32_t *)(data + (size_t)y * stride);
		uint8_t *out = grey + (size_t)y * w;

		for (int x = 0; x < w; x++) {
			uint32_t p = row[x] & 0xffffff;

			/* Most of a page is white paper. */
			if (p == 0xffffff) {
				out[x] = 255;
				continue;
			}
			out[x] = (uint8_t)((((p >> 16) & 0xff) * 77 +
					    ((p >> 8) & 0xff) * 151 +
					    (p & 0xff) * 28) >>
					   8);
		}
	}
}

/* out[x] = (a[x] + 2 b[x] + c[x] + 2) / 4: written so that it vectorises. */
static void mix3(uint8_t *restrict out, const uint8_t *restrict a,
		 const uint8_t *restrict b, const uint8_t *restrict c, int n)
{
	for (int x = 0; x < n; x++)
		out[x] = (uint8_t)((a[x] + 2 * b[x] + c[x] + 2) >> 2);
}

/* One pass of [1 2 1]/4 along rows and along columns; tmp holds 3w + 2. */
static void blur_pass(uint8_t *img, int w, int h, uint8_t *tmp)
{
	uint8_t *pad = tmp, *prev = tmp + w + 2, *cur = prev + w;

	for (int y = 0; y < h; y++) {
		uint8_t *row = img + (size_t)y * w;

		/* The row with its end pixels repeated, then the mix. */
		memcpy(pad + 1, row, (size_t)w);
		pad[0] = row[0];
		pad[w + 1] = row[w - 1];
		mix3(row, pad, pad + 1, pad + 2, w);
	}
	/* Columns, a row at a time: prev holds the row above as it was. */
	memcpy(prev, img, (size_t)w);
	for (int y = 0; y < h; y++) {
		uint8_t *row = img + (size_t)y * w;

		memcpy(cur, row, (size_t)w);
		mix3(row, prev, cur, y + 1 < h ? row + w : cur, w);
		memcpy(prev, cur, (size_t)w);
	}
}

/* Quantiles of the standard normal at (i + 0.5) / 4096, by bisection. */
static void normal_quantiles(double *q, int n)
{
	for (int i = 0; i < n; i++) {
		double p = (i + 0.5) / n, lo = -6, hi = 6;

		for (int k = 0; k < 40; k++) {
			double mid = (lo + hi) / 2;

			if (0.5 * erfc(-mid / M_SQRT2) < p)
				lo = mid;
			else
				hi = mid;
		}
		q[i] = lo;
	}
}

/*
 * One pass for the rest: ink and print on grey paper (every pixel times
 * the paper's tone, which shades a little from top to bottom), sensor
 * noise (Gaussian, from a table of 4096 quantiles, five draws per random
 * number), and the threshold of a black-and-white scan.  A scanner
 * calibrates white paper to a little above full white, so the noise
 * shows in print, ink and grey paper but is mostly clipped away on
 * white paper (which also keeps the PNG files small and quick).
 */
static void finish(uint8_t *img, int w, int h, const struct scan_look *lk,
		   struct rng *r)
{
	static double unit[4096];
	static bool have_unit;
	short table[4096];
	uint64_t bits = 0;
	unsigned left = 0;
	bool grey = lk->flags & SCAN_GREY, noisy = lk->flags & SCAN_NOISE;
	int t = lk->flags & SCAN_BW ? lk->threshold : -1;
	int lift = noisy ? (int)lround(1.5 * lk->noise) : 0;

	if (noisy && !have_unit) {
		normal_quantiles(unit, 4096);
		have_unit = true;
	}
	for (int i = 0; i < 4096; i++)
		table[i] = noisy ? (short)lround(lk->noise * unit[i]) : 0;
	for (int y = 0; y < h; y++) {
		double tone =
			grey ? lk->paper + lk->shade * ((double)y / h - 0.5)
			     : 1.0;
		unsigned f = (unsigned)lround(fmin(1.0, tone) * 256);
		uint8_t *row = img + (size_t)y * w;

		for (int x = 0; x < w; x++) {
			int v = (int)((row[x] * f) >> 8);

			if (noisy) {
				if (!left) {
					bits = rng_next(r);
					left = 5;
				}
				v += lift + table[bits & 4095];
				bits >>= 12;
				left--;
				v = v < 0 ? 0 : v > 255 ? 255 : v;
			}
			if (t >= 0)
				v = v < t ? 0 : 255;
			row[x] = (uint8_t)v;
		}
	}
}

void scan_blur(uint8_t *img, int w, int h, unsigned passes)
{
	uint8_t *tmp = xmalloc(3 * (size_t)w + 2);

	for (unsigned i = 0; i < passes; i++)
		blur_pass(img, w, h, tmp);
	free(tmp);
}

void scan_degrade(uint8_t *img, int w, int h, const struct scan_look *lk,
		  struct rng *r)
{
	if (lk->flags & SCAN_BLUR) {
		uint8_t *tmp = xmalloc(3 * (size_t)w + 2);

		for (unsigned i = 0; i < lk->blur_passes; i++)
			blur_pass(img, w, h, tmp);
		free(tmp);
	}
	if (lk->flags & SCAN_SPECKLE) {
		/* Specks of one to four pixels on 1% of the page, before
		 * the threshold of a b/w scan. */
		size_t n = (size_t)w * h / 100 / 2;

		for (size_t i = 0; i < n; i++) {
			uint64_t b = rng_next(r);
			int x = (int)(b % (unsigned)w),
			    y = (int)((b >> 24) % (unsigned)h);
			uint8_t g = (uint8_t)((b >> 48) % 120);

			img[(size_t)y * w + x] = g;
			if (b >> 60 & 1 && x + 1 < w)
				img[(size_t)y * w + x + 1] = g;
			if (b >> 61 & 1 && y + 1 < h)
				img[(size_t)(y + 1) * w + x] = g;
		}
	}
	if (lk->flags & (SCAN_GREY | SCAN_NOISE | SCAN_BW))
		finish(img, w, h, lk, r);
}

void scan_flags_format(unsigned flags, struct strbuf *out)
{
	static const char *const names[] = {
		"jpeg",	       "noise",		 "blur",	 "grey", "bw",
		"upside_down", "foreign_layout", "missing_page", "photo"
	};
	bool first = true;

	for (unsigned i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (!(flags & (1u << i)))
			continue;
		if (!first)
			strbuf_addch(out, ';');
		strbuf_addstr(out, names[i]);
		first = false;
	}
}
