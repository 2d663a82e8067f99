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

/*
 * Ink beside a box (scan_measure_beside()), measured on the same marks:
 * a ring drawn round a box leaves 4.4 mm^2 and more there and none
 * inside; a tick 2 to 2.6 mm off its box leaves at least 0.42 times as
 * much beside as inside, a tick or cross in its box at most 0.37 (of
 * 1,600, nearly all 0); lines struck through a box reach more than 1 mm
 * past it on two sides or more, which 2 ticks or crosses in 1,000 do
 * (a cross with one stroke drawn on past the box, 1 to 3 mm either
 * side, leaves only 0.16 mm^2 there).
 */
#define BESIDE_EMPTY 0.12 /* mm^2 beside a box with nothing in it */
/* ...counting any ink there, also a light pen's (about 0.5 of print) */
#define FAINT_BESIDE 0.3
#define BESIDE_SHARE 0.4  /* beside over inside, for a box with ink */
#define STRUCK_FAR   0.12 /* mm^2 more than 1 mm out, on 2 sides */

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

	if (t->g == 0 && t->h == 0) {
		/* Affine (a scan): steps along the rows and columns. */
		scan_transform_apply(t, x0 + pitch / 2, y0 + pitch / 2, &px,
				     &py);
		for (int j = 0; j < ny; j++) {
			double rx = px + j * pitch * t->b,
			       ry = py + j * pitch * t->e;

			for (int i = 0; i < nx; i++)
				out[j * nx + i] = (float)bilinear(
					s->img, rx + i * pitch * t->a,
					ry + i * pitch * t->d);
		}
		return;
	}
	for (int j = 0; j < ny; j++)
		for (int i = 0; i < nx; i++) {
			scan_transform_apply(t, x0 + (i + 0.5) * pitch,
					     y0 + (j + 0.5) * pitch, &px, &py);
			out[j * nx + i] = (float)bilinear(s->img, px, py);
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

/*
 * Dust: clear the samples of every patch of d at or above thr (8-
 * connected) smaller than min samples.  A speck of toner or dust is a
 * tenth of a millimetre or two; the smallest mark a person makes, a dot,
 * is half a millimetre across.
 */
static void drop_specks(float *d, int nx, int ny, double thr, int min)
{
	int n = nx * ny, *stack = xmalloc((size_t)n * sizeof(int)),
	    *members = xmalloc((size_t)n * sizeof(int));
	unsigned char *seen = xcalloc((size_t)n, 1);

	for (int start = 0; start < n; start++) {
		int sp = 0, nm = 0;

		if (seen[start] || d[start] < thr)
			continue;
		seen[start] = 1;
		stack[sp++] = start;
		while (sp) {
			int k = stack[--sp], i = k % nx, j = k / nx;

			members[nm++] = k;
			for (int dj = -1; dj <= 1; dj++)
				for (int di = -1; di <= 1; di++) {
					int x = i + di, y = j + dj, q;

					if (x < 0 || y < 0 || x >= nx ||
					    y >= ny)
						continue;
					q = y * nx + x;
					if (!seen[q] && d[q] >= thr) {
						seen[q] = 1;
						stack[sp++] = q;
					}
				}
		}
		if (nm < min)
			for (int m = 0; m < nm; m++)
				d[members[m]] = 0;
	}
	free(stack);
	free(members);
	free(seen);
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

/*
 * Thin mask (nx x ny, 1 for ink) to its skeleton in place, by Zhang and
 * Suen's two sub-iterations: lines one sample wide along the middle of
 * the strokes, their ends and crossings kept.
 */
static void thin(unsigned char *mask, int nx, int ny)
{
	unsigned char *del = xcalloc((size_t)nx * ny, 1);
	bool changed = true;

	while (changed) {
		changed = false;
		for (int pass = 0; pass < 2; pass++) {
			int nd = 0;

			for (int j = 1; j + 1 < ny; j++)
				for (int i = 1; i + 1 < nx; i++) {
					const unsigned char *c =
						mask + j * nx + i;
					/* p2..p9 clockwise from the top */
					int p[8] = { c[-nx], c[-nx + 1],
						     c[1],   c[nx + 1],
						     c[nx],  c[nx - 1],
						     c[-1],  c[-nx - 1] };
					int b = 0, a = 0;

					if (!*c)
						continue;
					for (int k = 0; k < 8; k++) {
						b += p[k];
						a += !p[k] && p[(k + 1) % 8];
					}
					if (b < 2 || b > 6 || a != 1)
						continue;
					if (pass == 0 &&
					    ((p[0] && p[2] && p[4]) ||
					     (p[2] && p[4] && p[6])))
						continue;
					if (pass == 1 &&
					    ((p[0] && p[2] && p[6]) ||
					     (p[0] && p[4] && p[6])))
						continue;
					del[j * nx + i] = 1;
					nd++;
				}
			for (int k = 0; nd && k < nx * ny; k++)
				if (del[k])
					mask[k] = 0, del[k] = 0;
			changed |= nd > 0;
		}
	}
	free(del);
}

/* The 8 neighbours of (i, j) clockwise from the top; off the grid: 0. */
static void ring8(const unsigned char *sk, int nx, int ny, int i, int j, int *p)
{
	static const int dx[8] = { 0, 1, 1, 1, 0, -1, -1, -1 };
	static const int dy[8] = { -1, -1, 0, 1, 1, 1, 0, -1 };

	for (int k = 0; k < 8; k++) {
		int x = i + dx[k], y = j + dy[k];

		p[k] = x >= 0 && y >= 0 && x < nx && y < ny && sk[y * nx + x];
	}
}

/*
 * The crossing number of skeleton point (i, j): how many separate lines
 * leave it (1 at an end, 2 along a line, 3 or more where lines meet).
 * Unlike the count of neighbours it is 2 on a staircase of a diagonal.
 */
static int crossings(const unsigned char *sk, int nx, int ny, int i, int j)
{
	int p[8], n = 0, any = 0;

	ring8(sk, nx, ny, i, j, p);
	for (int k = 0; k < 8; k++) {
		n += !p[k] && p[(k + 1) % 8];
		any += p[k];
	}
	return any == 8 ? 0 : n;
}

/*
 * Walk the skeleton's lines and count sharp turns: where the direction
 * over 0.6 mm before a point and 0.6 mm after it differ by more than
 * 120 degrees (the tips of a zigzag; a tick turns about 90).  A line is
 * followed from an end or from any point not yet seen, in both
 * directions, and stops where lines meet.  seen is scratch of nx * ny.
 */
static int skel_turns(const unsigned char *sk, int nx, int ny,
		      unsigned char *seen)
{
	enum { MAXP = 8192, K = 6 };
	static const int dx[8] = { 0, 1, 0, -1, 1, 1, -1, -1 };
	static const int dy[8] = { -1, 0, 1, 0, -1, 1, 1, -1 };
	int *px = xmalloc(MAXP * sizeof(int)),
	    *py = xmalloc(MAXP * sizeof(int));
	int turns = 0;

	memset(seen, 0, (size_t)nx * ny);
	for (int pass = 0; pass < 2; pass++)
		for (int start = 0; start < nx * ny; start++) {
			int n = 0, i = start % nx, j = start / nx, c;

			if (!sk[start] || seen[start])
				continue;
			c = crossings(sk, nx, ny, i, j);
			/* Ends first; then loops, which have none. */
			if (pass == 0 ? c != 1 : c != 2)
				continue;
			for (;;) {
				int ni = -1, nj = -1;

				seen[j * nx + i] = 1;
				px[n] = i, py[n] = j;
				if (++n == MAXP)
					break;
				/* Straight neighbours before diagonal
				 * ones: a staircase is walked step by
				 * step. */
				for (int k = 0; k < 8 && ni < 0; k++) {
					int x = i + dx[k], y = j + dy[k];

					if (x >= 0 && y >= 0 && x < nx &&
					    y < ny && sk[y * nx + x] &&
					    !seen[y * nx + x])
						ni = x, nj = y;
				}
				if (ni < 0 || crossings(sk, nx, ny, ni, nj) > 2)
					break;
				i = ni, j = nj;
			}
			for (int k = K; k + K < n; k++) {
				double ax = px[k] - px[k - K],
				       ay = py[k] - py[k - K];
				double bx = px[k + K] - px[k],
				       by = py[k + K] - py[k];
				double cs =
					(ax * bx + ay * by) /
					(hypot(ax, ay) * hypot(bx, by) + 1e-9);

				if (cs < -0.5) { /* over 120 degrees */
					turns++;
					k += K; /* one tip, one turn */
				}
			}
		}
	free(px);
	free(py);
	return turns;
}

/*
 * Length, ends, branches and turns of the ink in mask (changed).  The
 * mask's pinholes are filled first and the skeleton's spurs (the ragged
 * edge of a stroke leaves twigs of a few samples) cut off after.
 */
static void shape(unsigned char *mask, int nx, int ny,
		  struct scan_box_measure *m)
{
	unsigned char *seen = xcalloc((size_t)nx * ny, 1);
	int n = 0, ends = 0, branches = 0;

	for (int j = 1; j + 1 < ny; j++)
		for (int i = 1; i + 1 < nx; i++) {
			int p[8], k = 0;

			ring8(mask, nx, ny, i, j, p);
			for (int q = 0; q < 8; q++)
				k += p[q];
			seen[j * nx + i] = mask[j * nx + i] || k >= 6;
		}
	memcpy(mask, seen, (size_t)nx * ny);
	thin(mask, nx, ny);
	for (int round = 0; round < 4; round++) {
		memset(seen, 0, (size_t)nx * ny);
		for (int j = 0; j < ny; j++)
			for (int i = 0; i < nx; i++)
				seen[j * nx + i] =
					mask[j * nx + i] &&
					crossings(mask, nx, ny, i, j) == 1;
		for (int k = 0; k < nx * ny; k++)
			mask[k] &= !seen[k];
	}
	memset(seen, 0, (size_t)nx * ny);
	for (int j = 0; j < ny; j++)
		for (int i = 0; i < nx; i++) {
			int c;

			if (!mask[j * nx + i])
				continue;
			n++;
			c = crossings(mask, nx, ny, i, j);
			ends += c == 1;
			/* Where lines meet is a few points: count the
			 * first of each group. */
			if (c >= 3 && !seen[j * nx + i]) {
				double off =
					fmax(fabs(i + 0.5 - nx / 2.0) / nx,
					     fabs(j + 0.5 - ny / 2.0) / ny);

				branches++;
				m->crossing = fmax(m->crossing, off);
				for (int dj = -3; dj <= 3; dj++)
					for (int di = -3; di <= 3; di++) {
						int x = i + di, y = j + dj;

						if (x >= 0 && y >= 0 &&
						    x < nx && y < ny)
							seen[y * nx + x] = 1;
					}
			}
		}
	/* Steps are 0.1 mm straight or 0.14 diagonal: 1.1 on average;
	 * the four samples cut off each end put back. */
	m->length = (n + 8.0 * ends / 2) * SCAN_GRID_MM * 1.1;
	m->ends = ends;
	m->branches = branches;
	m->turns = skel_turns(mask, nx, ny, seen);
	free(seen);
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
	double cx, cy, inset = SCAN_BORDER + SCAN_GUARD_MM, range, sum = 0, thr;
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
	}
	/* 0.16 mm^2 at the 0.1 mm grid: a dot is 0.2 and more. */
	drop_specks(d, nx, ny, FAINT, 16);
	for (int i = 0; i < n; i++)
		sum += d[i];
	m->mean = sum / n;
	m->faint = (double)clustered(d, nx, ny, FAINT, &bx0, &by0, &bx1, &by1,
				     NULL) /
		   n;
	strong = clustered(d, nx, ny, CLEAR, &bx0, &by0, &bx1, &by1, NULL);
	m->ink = (double)strong / n;
	m->area = n * SCAN_GRID_MM * SCAN_GRID_MM;
	{
		/*
		 * The strokes' shape from a mask at the ink's own level: a
		 * light-blue felt pen is about 0.5 of print, and at the
		 * clear threshold its strokes fall apart into pieces that
		 * look like a scribble.  Seven tenths of the darkest tenth
		 * of the ink, between 0.3 and the clear threshold.
		 */
		float *v = xmalloc((size_t)n * sizeof(*v));
		int k = 0, got;

		for (int i = 0; i < n; i++)
			if (d[i] >= FAINT)
				v[k++] = d[i] * 255;
		thr = k ? 0.7 * percentile(v, k, 0.9) / 255 : CLEAR;
		thr = thr < 0.3 ? 0.3 : thr > CLEAR ? CLEAR : thr;
		free(v);
		got = clustered(d, nx, ny, thr, &bx0, &by0, &bx1, &by1, mask);
		m->strokes = strokes(mask, nx, ny);
		m->solid = solid(mask, nx, ny);
		shape(mask, nx, ny, m);
		m->width = m->length > 0 ? got * SCAN_GRID_MM * SCAN_GRID_MM /
						   m->length
					 : 0;
	}
	if (strong)
		m->spread = fmax((double)(bx1 - bx0 + 1) / nx,
				 (double)(by1 - by0 + 1) / ny);
	m->darkest = darkest_window(d, nx, ny, 3);
	free(mask);
	free(d);
}

/* Whether (x, y) lies within r grown by g mm. */
static inline bool in_rect(const struct render_rect *r, double g, double x,
			   double y)
{
	return x >= r->x - g && x <= r->x + r->w + g && y >= r->y - g &&
	       y <= r->y + r->h + g;
}

/* Distance from (x, y) to r (0 inside). */
static inline double rect_dist(const struct render_rect *r, double x, double y)
{
	double dx = fmax(fmax(r->x - x, 0), x - (r->x + r->w));
	double dy = fmax(fmax(r->y - y, 0), y - (r->y + r->h));

	return hypot(dx, dy);
}

void scan_measure_beside(const struct scan_sampler *s,
			 const struct render_page *p, size_t item,
			 struct scan_box_measure *m)
{
	const double pitch = 0.2, clear = 0.45, mask_g = 0.4;
	const struct render_rect *r0 = &p->items[item].r;
	struct render_rect box = { r0->x + m->dx, r0->y + m->dy, r0->w, r0->h };
	struct render_rect area = { box.x - SCAN_BESIDE_MM,
				    box.y - SCAN_BESIDE_MM,
				    box.w + 2 * SCAN_BESIDE_MM,
				    box.h + 2 * SCAN_BESIDE_MM };
	const struct render_item **near;
	size_t nn = 0;
	int nx = (int)(area.w / pitch), ny = (int)(area.h / pitch), sides = 0;
	float *d;
	double range = fmax(m->paper - s->ink, 1);

	m->beside = m->beside_far = m->beside_any = 0;
	m->beside_sides = 0;
	near = xcalloc(p->nr + 1, sizeof(*near));
	for (size_t i = 0; i < p->nr; i++) {
		const struct render_item *it = &p->items[i];
		struct render_rect g = { it->r.x - mask_g, it->r.y - mask_g,
					 it->r.w + 2 * mask_g,
					 it->r.h + 2 * mask_g };

		if (i == item || it->kind == RENDER_ITEM_PANEL ||
		    !render_rect_overlap(&g, &area))
			continue;
		near[nn++] = it;
	}
	d = xmalloc((size_t)nx * ny * sizeof(*d));
	for (int j = 0; j < ny; j++)
		for (int i = 0; i < nx; i++) {
			double x = area.x + (i + 0.5) * pitch,
			       y = area.y + (j + 0.5) * pitch, own;
			float v = 0;

			/* The box itself and its border, and what is
			 * printed round it. */
			if (in_rect(&box, 0.45, x, y) ||
			    in_rect(&p->qr_zone, mask_g, x, y))
				goto put;
			own = rect_dist(&box, x, y);
			for (size_t k = 0; k < nn; k++) {
				if (in_rect(&near[k]->r, mask_g, x, y))
					goto put;
				/* Nearer to another box: its ink. */
				if (near[k]->kind == RENDER_ITEM_BOX &&
				    rect_dist(&near[k]->r, x, y) < own)
					goto put;
			}
			v = (float)((m->paper - scan_sample(s, x, y)) / range);
		put:
			d[j * nx + i] = v;
		}
	/* 0.24 mm^2 at the 0.2 mm grid. */
	drop_specks(d, nx, ny, FAINT_BESIDE, 6);
	for (int j = 1; j + 1 < ny; j++)
		for (int i = 1; i + 1 < nx; i++) {
			double x = area.x + (i + 0.5) * pitch,
			       y = area.y + (j + 0.5) * pitch;
			bool nb = false;

			if (d[j * nx + i] >= FAINT_BESIDE)
				m->beside_any += pitch * pitch;
			if (d[j * nx + i] < clear)
				continue;
			for (int dj = -1; dj <= 1 && !nb; dj++)
				for (int di = -1; di <= 1 && !nb; di++)
					nb = (di || dj) &&
					     d[(j + dj) * nx + i + di] >= clear;
			if (!nb)
				continue;
			m->beside += pitch * pitch;
			if (rect_dist(&box, x, y) <= 1.0)
				continue;
			m->beside_far += pitch * pitch;
			sides |= (x < box.x ? 1 : 0) |
				 (x > box.x + box.w ? 2 : 0) |
				 (y < box.y ? 4 : 0) |
				 (y > box.y + box.h ? 8 : 0);
		}
	for (int k = 0; k < 4; k++)
		m->beside_sides += (sides >> k) & 1;
	free(d);
	free(near);
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
	[SCAN_DOUBT_BESIDE] = "beside",
	[SCAN_DOUBT_STRUCK] = "struck",
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

/*
 * Whether the clear ink has the shape of a tick (one stroke, two ends)
 * or a cross (two strokes meeting near the middle), measured on its
 * skeleton.  Marks drawn by residents over 2,700 boxes (tests/scangen,
 * --hard 0.6, seed 13): ticks have 2 ends, no branch and 4.8 to 8.4 mm
 * of line; crosses 3 or 4 ends, at most 4 branches, up to 12.7 mm, and
 * meet at most 0.216 of the box from the middle (of 1,400; seeds 12, 13
 * and 31 with --hard 0.6).  Boxes crossed out with
 * a zigzag, hatching or lines have more line, more ends and branches,
 * or lines meeting off the middle (median 0.27); a loop or a blob has
 * fewer than two ends.
 */
static bool tick_shape(const struct scan_box_measure *m)
{
	/* Lengths for a 5 mm box; larger boxes hold longer lines. */
	double k = m->area > 0 ? sqrt(m->area / 13.69) : 1;

	/* A tick is one line: two ends and no branch. */
	if (m->ends == 2 && m->branches > 0)
		return false;
	/* ...at least 4.2 mm long, its ends (half a stroke's width each,
	 * which the skeleton loses) counted: the piece of a tick put
	 * beside the box that reaches into it is shorter. */
	if (m->length + m->width < 4.2 * k)
		return false;
	return m->ends >= 2 && m->ends <= 4 && m->branches <= 2 &&
	       m->length <= 13.0 * k && m->crossing <= 0.22;
}

/*
 * A tick or cross with a felt tip (strokes 0.9 to 1.3 mm wide) covers
 * 55 to 77% of the inside and fills many of its rows: by ink alone, a
 * box blacked out.  Its skeleton still is a tick's or a cross's: short
 * (at most 9.6 mm of line), strokes 0.85 to 1.6 mm wide, meeting near
 * the middle (at most 0.16 of the box away), and nothing beside the box
 * (at most 0.08 mm^2; 300 felt-tip marks, tests/scangen --pen felt).
 * Boxes crossed out with a felt tip that look the same inside reach
 * past the box (0.44 mm^2 and more beside).
 */
static bool felt_tip(const struct scan_box_measure *m)
{
	double k = m->area > 0 ? sqrt(m->area / 13.69) : 1;

	return m->width >= 0.8 && m->width <= 1.7 && m->length <= 10.0 * k &&
	       m->ink <= 0.8 && m->solid < 0.65 && m->crossing <= 0.17 &&
	       m->beside <= 0.2 && tick_shape(m);
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
	if (m->faint <= 0.01 && m->darkest < 0.25) {
		/* Nothing inside; a ring round it, a tick beside it? */
		if (m->beside_any >= BESIDE_EMPTY) {
			*doubt = SCAN_DOUBT_BESIDE;
			return SCAN_BOX_UNCERTAIN;
		}
		return SCAN_BOX_EMPTY;
	}
	if (m->ink > 0.6 && !felt_tip(m)) {
		*doubt = SCAN_DOUBT_FILLED;
		return SCAN_BOX_UNCERTAIN;
	}
	if (m->ink >= 0.04 && m->spread >= 0.5 && m->darkest >= 0.45 &&
	    m->strokes <= 2 && (m->solid < 0.35 || felt_tip(m))) {
		if (!tick_shape(m))
			*doubt = SCAN_DOUBT_SCRIBBLED;
		else if (m->beside_far >= STRUCK_FAR && m->beside_sides >= 2)
			*doubt = SCAN_DOUBT_STRUCK;
		else if (m->beside >= BESIDE_SHARE * m->ink * m->area)
			*doubt = SCAN_DOUBT_BESIDE;
		else
			return SCAN_BOX_TICKED;
		return SCAN_BOX_UNCERTAIN;
	}
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
