/*
 * marks.c - measuring ink in boxes and lined areas (see marks.h).
 *
 * Thresholds, in darkness (0 paper .. 1 print):
 *   - clear ink at 0.45: a blue ballpoint line on a grey scan is about
 *     0.6, pencil 0.3 to 0.5, the paper's noise well under 0.1;
 *   - any ink at 0.18: what a faint pencil mark leaves, still three times
 *     the noise of a poor scan.
 * A lone sample above a threshold (dust, a noisy pixel) counts only
 * when one of its eight neighbours is above it too.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "marks.h"
#include "xalloc.h"
#include "banned.h"

#define CLEAR 0.45
#define FAINT 0.18

/* Frame search: this far either way, in these steps (mm). */
#define FRAME_RANGE 0.8
#define FRAME_STEP  0.05
#define FRAME_SEEN  0.25

/* Grey level at image point (x, y), bilinear between pixel centres. */
static inline double bilinear(const struct scan_image *img, double x, double y)
{
	double u = x - 0.5, v = y - 0.5, fx, fy, top, bot;
	int i, j;
	const unsigned char *p;

	if (u < -1 || v < -1 || u > img->w || v > img->h)
		return 255;
	i = (int)floor(u);
	j = (int)floor(v);
	fx = u - i;
	fy = v - j;
	if (i < 0)
		i = 0, fx = 0;
	if (j < 0)
		j = 0, fy = 0;
	if (i > img->w - 2)
		i = img->w - 2, fx = 1;
	if (j > img->h - 2)
		j = img->h - 2, fy = 1;
	p = img->px + (size_t)j * img->stride + i;
	top = p[0] + fx * (p[1] - p[0]);
	bot = p[img->stride] + fx * (p[img->stride + 1] - p[img->stride]);
	return top + fy * (bot - top);
}

double scan_sample(const struct scan_sampler *s, double x, double y)
{
	double px, py;

	scan_transform_apply(&s->t, x, y, &px, &py);
	return bilinear(s->img, px, py);
}

/* Grey levels on an nx x ny grid of cells pitch mm wide from (x0, y0),
 * sampled at the cells' centres, into out. */
static void grid(const struct scan_sampler *s, double x0, double y0, int nx,
		 int ny, double pitch, float *out)
{
	const struct scan_transform *t = &s->t;
	double px, py;

	scan_transform_apply(t, x0 + pitch / 2, y0 + pitch / 2, &px, &py);
	for (int j = 0; j < ny; j++) {
		double rx = px + j * pitch * t->b, ry = py + j * pitch * t->e;

		for (int i = 0; i < nx; i++)
			out[j * nx + i] =
				(float)bilinear(s->img, rx + i * pitch * t->a,
						ry + i * pitch * t->d);
	}
}

/* Mean darkness (255 - grey) of n samples from (x0, y0) to (x1, y1). */
static double line_dark(const struct scan_sampler *s, double x0, double y0,
			double x1, double y1, int n)
{
	double sum = 0;

	for (int i = 0; i < n; i++) {
		double f = n > 1 ? (double)i / (n - 1) : 0.5;

		sum += 255 -
		       scan_sample(s, x0 + f * (x1 - x0), y0 + f * (y1 - y0));
	}
	return sum / n;
}

/*
 * Where the two borders of a box across one axis are: the offset (mm)
 * at which both are darkest, and how dark they are there above the
 * least dark offset (0..1 of print).  vertical: the left and right
 * borders, else the top and bottom.
 */
static double find_border(const struct scan_sampler *s,
			  const struct render_rect *r, bool vertical,
			  double other, double *contrast)
{
	enum { N = (int)(2 * FRAME_RANGE / FRAME_STEP + 1.5) };
	double score[N], best = -1, lo = 1e9, off;
	int bi = 0;
	double h = SCAN_BORDER / 2;
	/* Along the border, clear of the corners. */
	double len = vertical ? r->h : r->w, a0 = 1.0, a1 = len - 1.0;
	int n = (int)((a1 - a0) / 0.2) + 1;

	for (int k = 0; k < N; k++) {
		double o = -FRAME_RANGE + k * FRAME_STEP;

		if (vertical)
			score[k] =
				line_dark(s, r->x + h + o, r->y + a0 + other,
					  r->x + h + o, r->y + a1 + other, n) +
				line_dark(s, r->x + r->w - h + o,
					  r->y + a0 + other,
					  r->x + r->w - h + o,
					  r->y + a1 + other, n);
		else
			score[k] =
				line_dark(s, r->x + a0 + other, r->y + h + o,
					  r->x + a1 + other, r->y + h + o, n) +
				line_dark(s, r->x + a0 + other,
					  r->y + r->h - h + o,
					  r->x + a1 + other,
					  r->y + r->h - h + o, n);
		score[k] /= 2;
		if (score[k] > best)
			best = score[k], bi = k;
		if (score[k] < lo)
			lo = score[k];
	}
	off = -FRAME_RANGE + bi * FRAME_STEP;
	if (bi > 0 && bi < N - 1) {
		/* The top of a parabola through the peak and its
		 * neighbours. */
		double a = score[bi - 1], c = score[bi + 1],
		       den = a - 2 * best + c;

		if (den < 0)
			off += FRAME_STEP * 0.5 * (a - c) / den;
	}
	*contrast = (best - lo) / fmax(s->paper - s->ink, 1);
	return off;
}

/* The grey level below which a share p of the values lies. */
static double percentile(const float *v, int n, double p)
{
	unsigned hist[256] = { 0 };
	int want = (int)(p * n), seen = 0;

	for (int i = 0; i < n; i++) {
		int g = (int)v[i];

		hist[g < 0 ? 0 : g > 255 ? 255 : g]++;
	}
	for (int g = 0; g < 256; g++) {
		seen += (int)hist[g];
		if (seen > want)
			return g;
	}
	return 255;
}

/* Paper round the box: a ring 0.55 to 1.05 mm outside it. */
static double paper_round(const struct scan_sampler *s,
			  const struct render_rect *r)
{
	float v[512];
	int n = 0;

	for (double d = 0.6; d <= 1.01; d += 0.2) {
		double x0 = r->x - d, y0 = r->y - d, x1 = r->x + r->w + d,
		       y1 = r->y + r->h + d;

		for (double a = 0; a <= 1.0001 && n < 508; a += 0.05) {
			v[n++] = (float)scan_sample(s, x0 + a * (x1 - x0), y0);
			v[n++] = (float)scan_sample(s, x0 + a * (x1 - x0), y1);
			v[n++] = (float)scan_sample(s, x0, y0 + a * (y1 - y0));
			v[n++] = (float)scan_sample(s, x1, y0 + a * (y1 - y0));
		}
	}
	/* Labels and ticks that run over the border darken some of it;
	 * most of it is paper. */
	return percentile(v, n, 0.6);
}

/* Keep only the samples at or above thr with a neighbour at or above it
 * too; returns how many, and their bounding box. */
static int clustered(const float *d, int nx, int ny, double thr, int *bx0,
		     int *by0, int *bx1, int *by1, unsigned char *mask)
{
	int n = 0;

	*bx0 = nx, *by0 = ny, *bx1 = -1, *by1 = -1;
	for (int j = 0; j < ny; j++)
		for (int i = 0; i < nx; i++) {
			bool nb = false;

			if (mask)
				mask[j * nx + i] = 0;
			if (d[j * nx + i] < thr)
				continue;
			for (int dj = -1; dj <= 1 && !nb; dj++)
				for (int di = -1; di <= 1 && !nb; di++) {
					int x = i + di, y = j + dj;

					nb = (di || dj) && x >= 0 && y >= 0 &&
					     x < nx && y < ny &&
					     d[y * nx + x] >= thr;
				}
			if (!nb)
				continue;
			if (mask)
				mask[j * nx + i] = 1;
			n++;
			*bx0 = i < *bx0 ? i : *bx0;
			*bx1 = i > *bx1 ? i : *bx1;
			*by0 = j < *by0 ? j : *by0;
			*by1 = j > *by1 ? j : *by1;
		}
	return n;
}

/*
 * How many separate strokes a line across the ink meets: the count of
 * runs of ink on each row and column that has any, at the 90th
 * percentile.  A tick or a cross meets at most two; loops scribbled over
 * a box to cross it out meet four and more.
 */
static double strokes(const unsigned char *mask, int nx, int ny)
{
	unsigned hist[64] = { 0 }, lines = 0, seen = 0;

	for (int pass = 0; pass < 2; pass++) {
		int outer = pass ? nx : ny, inner = pass ? ny : nx;

		for (int a = 0; a < outer; a++) {
			unsigned runs = 0;
			int prev = 0;

			for (int b = 0; b < inner; b++) {
				int on = pass ? mask[b * nx + a]
					      : mask[a * nx + b];

				runs += on && !prev;
				prev = on;
			}
			if (runs) {
				hist[runs < 63 ? runs : 63]++;
				lines++;
			}
		}
	}
	for (unsigned r = 0; r < 64; r++) {
		seen += hist[r];
		if (seen * 10 >= lines * 9)
			return r;
	}
	return 0;
}

/*
 * The share of rows (or of columns, whichever is larger) that clear ink
 * covers for three quarters or more: none for a tick or a cross, whose
 * strokes cross a line in two short runs, and many for a box scribbled
 * over back and forth or blacked out.
 */
static double solid(const unsigned char *mask, int nx, int ny)
{
	double best = 0;

	for (int pass = 0; pass < 2; pass++) {
		int outer = pass ? nx : ny, inner = pass ? ny : nx, full = 0;

		for (int a = 0; a < outer; a++) {
			int on = 0;

			for (int b = 0; b < inner; b++)
				on += pass ? mask[b * nx + a]
					   : mask[a * nx + b];
			full += 4 * on >= 3 * inner;
		}
		if ((double)full / outer > best)
			best = (double)full / outer;
	}
	return best;
}

/* The largest mean of d over a k x k window. */
static double darkest_window(const float *d, int nx, int ny, int k)
{
	double best = 0;

	if (nx < k || ny < k)
		k = nx < ny ? nx : ny;
	if (k < 1)
		return 0;
	for (int j = 0; j + k <= ny; j++)
		for (int i = 0; i + k <= nx; i++) {
			double sum = 0;

			for (int b = 0; b < k; b++)
				for (int a = 0; a < k; a++)
					sum += d[(j + b) * nx + i + a];
			best = sum > best ? sum : best;
		}
	return best / (k * k);
}

void scan_measure_box(const struct scan_sampler *s, const struct render_rect *r,
		      struct scan_box_measure *m)
{
	struct render_rect box = *r, in;
	double cx, cy, inset = SCAN_BORDER + SCAN_GUARD_MM, range, sum = 0;
	int nx, ny, n, strong, bx0, by0, bx1, by1;
	unsigned char *mask;
	float *d;

	memset(m, 0, sizeof(*m));
	m->dx = find_border(s, r, true, 0, &cx);
	m->dy = find_border(s, r, false, 0, &cy);
	/* Again across x, now that y is known. */
	m->dx = find_border(s, r, true, m->dy, &cx);
	m->frame = fmin(cx, cy);
	if (m->frame < FRAME_SEEN) {
		/* Nothing to go by: trust the page's transform. */
		m->dx = m->dy = 0;
	}
	box.x += m->dx;
	box.y += m->dy;
	m->paper = paper_round(s, &box);
	in = (struct render_rect){ box.x + inset, box.y + inset,
				   box.w - 2 * inset, box.h - 2 * inset };
	nx = (int)(in.w / SCAN_GRID_MM);
	ny = (int)(in.h / SCAN_GRID_MM);
	n = nx * ny;
	d = xmalloc((size_t)n * sizeof(*d));
	mask = xmalloc((size_t)n);
	grid(s, in.x + (in.w - nx * SCAN_GRID_MM) / 2,
	     in.y + (in.h - ny * SCAN_GRID_MM) / 2, nx, ny, SCAN_GRID_MM, d);
	range = fmax(m->paper - s->ink, 1);
	for (int i = 0; i < n; i++) {
		double v = (m->paper - d[i]) / range;

		d[i] = (float)(v < 0 ? 0 : v > 1 ? 1 : v);
		sum += d[i];
	}
	m->mean = sum / n;
	m->faint = (double)clustered(d, nx, ny, FAINT, &bx0, &by0, &bx1, &by1,
				     NULL) /
		   n;
	strong = clustered(d, nx, ny, CLEAR, &bx0, &by0, &bx1, &by1, mask);
	m->strokes = strokes(mask, nx, ny);
	m->solid = solid(mask, nx, ny);
	m->ink = (double)strong / n;
	if (strong)
		m->spread = fmax((double)(bx1 - bx0 + 1) / nx,
				 (double)(by1 - by0 + 1) / ny);
	m->darkest = darkest_window(d, nx, ny, 3);
	free(mask);
	free(d);
}

const char *scan_box_state_name(enum scan_box_state st)
{
	switch (st) {
	case SCAN_BOX_EMPTY: return "empty";
	case SCAN_BOX_TICKED: return "ticked";
	case SCAN_BOX_UNCERTAIN: return "uncertain";
	}
	return "?";
}

static const char *const doubt_names[SCAN_NDOUBT] = {
	[SCAN_DOUBT_NONE] = "",
	[SCAN_DOUBT_BORDER] = "border",
	[SCAN_DOUBT_DARK] = "dark",
	[SCAN_DOUBT_FILLED] = "filled",
	[SCAN_DOUBT_SCRIBBLED] = "scribbled",
	[SCAN_DOUBT_FAINT] = "faint",
	[SCAN_DOUBT_DOT] = "dot",
	[SCAN_DOUBT_LITTLE_INK] = "little-ink",
};

const char *scan_doubt_name(enum scan_doubt d)
{
	return (unsigned)d < SCAN_NDOUBT ? doubt_names[d] : "";
}

int scan_doubt_parse(const char *name, size_t len, enum scan_doubt *d)
{
	for (int i = SCAN_DOUBT_NONE + 1; i < SCAN_NDOUBT; i++)
		if (strlen(doubt_names[i]) == len &&
		    !memcmp(doubt_names[i], name, len)) {
			*d = (enum scan_doubt)i;
			return 0;
		}
	return -1;
}

enum scan_box_state scan_classify_box(const struct scan_box_measure *m,
				      enum scan_doubt *doubt)
{
	*doubt = SCAN_DOUBT_NONE;
	if (m->frame < FRAME_SEEN) {
		*doubt = SCAN_DOUBT_BORDER;
		return SCAN_BOX_UNCERTAIN;
	}
	if (m->paper < 80) {
		/* Paper this dark is a shadow, a fold or a black area. */
		*doubt = SCAN_DOUBT_DARK;
		return SCAN_BOX_UNCERTAIN;
	}
	if (m->faint <= 0.01 && m->darkest < 0.25)
		return SCAN_BOX_EMPTY;
	if (m->ink > 0.6) {
		*doubt = SCAN_DOUBT_FILLED;
		return SCAN_BOX_UNCERTAIN;
	}
	if (m->ink >= 0.04 && m->spread >= 0.5 && m->darkest >= 0.45 &&
	    m->strokes <= 2 && m->solid < 0.35)
		return SCAN_BOX_TICKED;
	if (m->strokes > 2 || m->solid >= 0.35)
		*doubt = SCAN_DOUBT_SCRIBBLED;
	else if (m->darkest < 0.45)
		*doubt = SCAN_DOUBT_FAINT;
	else if (m->spread < 0.5)
		*doubt = SCAN_DOUBT_DOT;
	else
		*doubt = SCAN_DOUBT_LITTLE_INK;
	return SCAN_BOX_UNCERTAIN;
}

void scan_measure_text(const struct scan_sampler *s,
		       const struct render_item *it,
		       struct scan_text_measure *m)
{
	const double pitch = 0.25, band = 0.6;
	double x0 = it->r.x + 0.5, y0 = it->r.y + 0.5;
	int nx = (int)((it->r.w - 1) / pitch),
	    ny = (int)((it->r.h - 1) / pitch);
	int bx0, by0, bx1, by1, n;
	float *d;
	double range;

	memset(m, 0, sizeof(*m));
	if (nx < 3 || ny < 3)
		return;
	d = xmalloc((size_t)nx * (size_t)ny * sizeof(*d));
	grid(s, x0, y0, nx, ny, pitch, d);
	/* The ruled lines are not ink: blank a band round each. */
	for (int j = 0; j < ny; j++) {
		double y = y0 + (j + 0.5) * pitch - it->r.y;
		double k = floor(y / 8.5 + 0.5);

		if (k >= 1 && fabs(y - (k * 8.5 - 0.125)) < band)
			for (int i = 0; i < nx; i++)
				d[j * nx + i] = -1;
	}
	{
		unsigned hist[256] = { 0 };
		int cnt = 0, seen = 0;

		for (int i = 0; i < nx * ny; i++)
			if (d[i] >= 0)
				hist[(int)d[i]]++, cnt++;
		for (int g = 0; g < 256; g++) {
			seen += (int)hist[g];
			if (seen > cnt / 2) {
				m->paper = g;
				break;
			}
		}
	}
	range = fmax(m->paper - s->ink, 1);
	for (int i = 0; i < nx * ny; i++) {
		double v = d[i] < 0 ? 0 : (m->paper - d[i]) / range;

		d[i] = (float)(v < 0 ? 0 : v > 1 ? 1 : v);
	}
	n = clustered(d, nx, ny, CLEAR, &bx0, &by0, &bx1, &by1, NULL);
	m->ink_mm2 = n * pitch * pitch;
	m->darkest = darkest_window(d, nx, ny, 3);
	free(d);
}

const char *scan_text_state_name(enum scan_text_state st)
{
	switch (st) {
	case SCAN_TEXT_EMPTY: return "empty";
	case SCAN_TEXT_WRITTEN: return "written";
	case SCAN_TEXT_UNCERTAIN: return "uncertain";
	}
	return "?";
}

enum scan_text_state scan_classify_text(const struct scan_text_measure *m)
{
	if (m->ink_mm2 >= 2.0)
		return SCAN_TEXT_WRITTEN;
	if (m->ink_mm2 < 0.3 && m->darkest < 0.35)
		return SCAN_TEXT_EMPTY;
	return SCAN_TEXT_UNCERTAIN;
}
