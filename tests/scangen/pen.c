/*
 * pen.c - ink shapes and how they are drawn (see pen.h).
 */
#include <math.h>
#include <stdlib.h>

#include "pen.h"
#include "xalloc.h"
#include "banned.h"

#define STEP 0.15 /* mm between sampled points of a stroke */

void pen_pick(struct pen *p, struct rng *r, int kind)
{
	static const double weights[] = { 40, 26, 17, 6, 6, 5 };
	double j = rng_range(r, -0.03, 0.03);
	unsigned k = rng_weighted(r, weights, 6);

	p->width = rng_range(r, 0.3, 0.8);
	switch (kind >= 0 ? (unsigned)kind : k) {
	case 0: /* blue ballpoint */
		p->r = 0.10 + j;
		p->g = 0.15 + j;
		p->b = rng_range(r, 0.42, 0.58);
		break;
	case 1: /* black ballpoint or felt tip */
		p->r = p->g = p->b = rng_range(r, 0.04, 0.12);
		break;
	case 2: /* a soft pencil, pressed as people do */
		p->r = p->g = p->b = rng_range(r, 0.26, 0.36);
		break;
	case 3: /* a thin ballpoint, barely 0.2 mm */
		p->r = 0.10 + j;
		p->g = 0.15 + j;
		p->b = rng_range(r, 0.42, 0.58);
		p->width = rng_range(r, 0.18, 0.28);
		break;
	case 4: /* a black or dark blue felt tip, 0.9 to 1.3 mm */
		p->r = p->g = rng_range(r, 0.05, 0.15);
		p->b = p->r + rng_range(r, 0, 0.35);
		p->width = rng_range(r, 0.9, 1.3);
		break;
	default: /* a light-blue felt pen: on grey about 0.5 of black */
		p->r = rng_range(r, 0.25, 0.4);
		p->g = rng_range(r, 0.5, 0.62);
		p->b = rng_range(r, 0.85, 0.95);
		p->width = rng_range(r, 0.7, 1.1);
		break;
	}
}

void pen_faint(struct pen *p, struct rng *r)
{
	p->r = p->g = p->b = rng_range(r, 0.62, 0.74);
	p->width = rng_range(r, 0.3, 0.4);
}

void ink_reset(struct ink *k)
{
	k->nr = 0;
}

void ink_release(struct ink *k)
{
	free(k->v);
	k->v = NULL;
	k->nr = k->alloc = 0;
}

static void add_point(struct ink *k, double x, double y, double w, bool start)
{
	ALLOC_GROW(k->v, k->nr + 1, k->alloc);
	k->v[k->nr++] = (struct ink_pt){ x, y, w, start };
}

/* Catmull-Rom between p1 and p2 at t, with neighbours p0 and p3. */
static double catmull(double p0, double p1, double p2, double p3, double t)
{
	return 0.5 * (2 * p1 + (-p0 + p2) * t +
		      (2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t +
		      (-p0 + 3 * p1 - 3 * p2 + p3) * t * t * t);
}

/* The curve through cp, sampled every STEP mm, appended as a stroke. */
static void sample_curve(struct ink *k, const double (*cp)[2], size_t n)
{
	size_t first = k->nr;

	for (size_t i = 0; i + 1 < n; i++) {
		const double *p0 = cp[i ? i - 1 : 0], *p1 = cp[i],
			     *p2 = cp[i + 1],
			     *p3 = cp[i + 2 < n ? i + 2 : n - 1];
		double d = hypot(p2[0] - p1[0], p2[1] - p1[1]);
		unsigned m = (unsigned)ceil(d / STEP);

		if (m < 1)
			m = 1;
		for (unsigned j = i ? 1 : 0; j <= m; j++) {
			double t = (double)j / m;

			add_point(k, catmull(p0[0], p1[0], p2[0], p3[0], t),
				  catmull(p0[1], p1[1], p2[1], p3[1], t), 0,
				  k->nr == first);
		}
	}
}

/*
 * The pen's hand on the stroke from point first: a slow sideways tremor,
 * and a width that follows the pressure, lighter where the pen lands and
 * lifts.  Arc lengths and directions are taken before anything moves.
 */
static void pen_hand(struct ink *k, size_t first, struct rng *r, double width)
{
	double amp = rng_range(r, 0.02, 0.07), f1 = rng_range(r, 0.4, 1.3),
	       f2 = rng_range(r, 1.5, 3.0), ph1 = rng_range(r, 0, 6.28),
	       ph2 = rng_range(r, 0, 6.28), press = rng_range(r, 0.9, 1.1);
	size_t n = k->nr - first;
	double *s = xcalloc(n, sizeof(*s)), *nx = xcalloc(n, sizeof(*nx)),
	       *ny = xcalloc(n, sizeof(*ny));
	const struct ink_pt *v = k->v + first;

	for (size_t i = 0; i < n; i++) {
		size_t a = i ? i - 1 : i, b = i + 1 < n ? i + 1 : i;
		double dx = v[b].x - v[a].x, dy = v[b].y - v[a].y;
		double dl = hypot(dx, dy);

		s[i] = i ? s[i - 1] + hypot(v[i].x - v[i - 1].x,
					    v[i].y - v[i - 1].y)
			 : 0;
		nx[i] = dl > 0 ? -dy / dl : 0;
		ny[i] = dl > 0 ? dx / dl : 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct ink_pt *p = &k->v[first + i];
		double t = s[n - 1] > 0 ? s[i] / s[n - 1] : 0;
		double off = amp * (sin(f1 * 6.28 * s[i] + ph1) +
				    0.4 * sin(f2 * 6.28 * s[i] + ph2));
		double taper = n < 4 ? 1 : fmin(1.0, fmin(t, 1 - t) / 0.12);

		p->x += nx[i] * off;
		p->y += ny[i] * off;
		p->w = width * press * (0.6 + 0.4 * taper) *
		       (1 + 0.08 * sin(f2 * 3.1 * s[i] + ph1));
	}
	free(s);
	free(nx);
	free(ny);
}

void ink_stroke(struct ink *k, struct rng *r, double width,
		const double (*cp)[2], size_t n)
{
	size_t first = k->nr;

	if (n < 2)
		return;
	sample_curve(k, cp, n);
	pen_hand(k, first, r, width);
}

/* A control point at (u, v) of box b, in mm. */
static void at(double *p, const struct render_rect *b, double u, double v)
{
	p[0] = b->x + u * b->w;
	p[1] = b->y + v * b->h;
}

void ink_tick(struct ink *k, struct rng *r, double width,
	      const struct render_rect *b)
{
	double cp[4][2];
	double vu = rng_range(r, 0.33, 0.5), vv = rng_range(r, 0.76, 0.9);
	double eu = rng_range(r, 0.8, 1.04), ev = rng_range(r, -0.1, 0.16);

	at(cp[0], b, rng_range(r, 0.12, 0.28), rng_range(r, 0.42, 0.6));
	at(cp[1], b, vu, vv);
	/* The long leg bows a little. */
	at(cp[2], b, vu + (eu - vu) * 0.5 + rng_range(r, -0.05, 0.02),
	   vv + (ev - vv) * 0.5 + rng_range(r, -0.02, 0.06));
	at(cp[3], b, eu, ev);
	ink_stroke(k, r, width, (const double(*)[2])cp, 4);
}

void ink_cross(struct ink *k, struct rng *r, double width,
	       const struct render_rect *b)
{
	double cp[3][2];
	double a = rng_range(r, 0.05, 0.25), c = rng_range(r, 0.78, 0.98);
	double d = rng_range(r, 0.05, 0.25), e = rng_range(r, 0.75, 0.97);

	at(cp[0], b, a + rng_range(r, -0.04, 0.04), d);
	at(cp[1], b, 0.5 + rng_range(r, -0.06, 0.06),
	   0.5 + rng_range(r, -0.06, 0.06));
	at(cp[2], b, c, e);
	ink_stroke(k, r, width, (const double(*)[2])cp, 3);
	at(cp[0], b, rng_range(r, 0.75, 0.97), rng_range(r, 0.04, 0.24));
	at(cp[1], b, 0.5 + rng_range(r, -0.06, 0.06),
	   0.5 + rng_range(r, -0.06, 0.06));
	at(cp[2], b, rng_range(r, 0.03, 0.25), rng_range(r, 0.76, 0.98));
	ink_stroke(k, r, width, (const double(*)[2])cp, 3);
}

void ink_fill(struct ink *k, struct rng *r, double width,
	      const struct render_rect *b)
{
	/* People black a box out with the pen pressed hard, row by row;
	 * rows closer than the pen is wide leave no white between them. */
	double w = fmax(width, 0.6), in = rng_range(r, 0.1, 0.35);
	double y0 = b->y + in + w / 2, y1 = b->y + b->h - in - w / 2;
	double gap = w * rng_range(r, 0.55, 0.75);
	size_t n = (size_t)ceil((y1 - y0) / gap) + 1, m = 0;
	double(*cp)[2] = xcalloc(n + 1, sizeof(*cp));

	for (size_t i = 0; i < n; i++) {
		double y = fmin(y0 + (double)i * gap, y1);

		cp[m][0] =
			(i & 1) ? b->x + b->w - in - w / 2 +
					  rng_range(r, -0.15, 0.25)
				: b->x + in + w / 2 + rng_range(r, -0.25, 0.15);
		cp[m++][1] = y + rng_range(r, -0.05, 0.05);
	}
	ink_stroke(k, r, w, (const double(*)[2])cp, m);
	free(cp);
}

void ink_dot(struct ink *k, struct rng *r, double width,
	     const struct render_rect *b)
{
	double cp[3][2], w = fmax(width, 0.5) * rng_range(r, 1.1, 1.6);
	double u = rng_range(r, 0.3, 0.7), v = rng_range(r, 0.3, 0.7);
	double a = rng_range(r, 0, 6.28), l = rng_range(r, 0.1, 0.35);

	at(cp[0], b, u, v);
	cp[1][0] = cp[0][0] + l * cos(a);
	cp[1][1] = cp[0][1] + l * sin(a);
	cp[2][0] = cp[0][0] + rng_range(r, -0.1, 0.1);
	cp[2][1] = cp[0][1] + rng_range(r, -0.1, 0.1);
	ink_stroke(k, r, w, (const double(*)[2])cp, 3);
}

void ink_scribble_over(struct ink *k, struct rng *r, double width,
		       const struct render_rect *b)
{
	/* Quick diagonal back-and-forth strokes, a little past the box. */
	size_t n = 7 + rng_below(r, 6);
	double(*cp)[2] = xcalloc(n, sizeof(*cp));

	for (size_t i = 0; i < n; i++) {
		double t = (double)i / (double)(n - 1);

		if (i & 1)
			at(cp[i], b, rng_range(r, 0.55, 1.08),
			   t * 1.1 - 0.05 + rng_range(r, -0.05, 0.05));
		else
			at(cp[i], b, rng_range(r, -0.08, 0.45),
			   t * 1.1 - 0.05 + rng_range(r, 0.05, 0.25));
	}
	ink_stroke(k, r, width, (const double(*)[2])cp, n);
	free(cp);
}

void ink_zigzag(struct ink *k, struct rng *r, double width,
		const struct render_rect *b)
{
	/* A loose zigzag, rows 1 to 1.8 mm apart, over and past the box,
	 * across or down it, in one stroke. */
	bool down = rng_chance(r, 0.3);
	double gap = rng_range(r, 1.0, 1.8), over = rng_range(r, 0.1, 0.7);
	size_t n = (size_t)ceil((b->h + 2 * over) / gap) + 1, m = 0;
	double(*cp)[2] = xcalloc(n + 1, sizeof(*cp));
	double slope = rng_range(r, -0.25, 0.25);

	for (size_t i = 0; i < n; i++) {
		double t = (double)i / (double)(n - 1);
		double a = (i & 1) ? 1 + over / b->w + rng_range(r, -0.1, 0.1)
				   : -over / b->w + rng_range(r, -0.1, 0.1);
		double c = -over / b->h + t * (1 + 2 * over / b->h) +
			   slope * (a - 0.5) + rng_range(r, -0.05, 0.05);

		if (down)
			at(cp[m++], b, c, a);
		else
			at(cp[m++], b, a, c);
	}
	ink_stroke(k, r, width, (const double(*)[2])cp, m);
	free(cp);
}

void ink_strike(struct ink *k, struct rng *r, double width,
		const struct render_rect *b, unsigned lines)
{
	/* Lines through the middle, 1 to 3 mm past the box either side. */
	double ang = rng_chance(r, 0.5) ? rng_range(r, -0.5, 0.5)
					: rng_range(r, 0.55, 1.0) *
						  (rng_chance(r, 0.5) ? 1 : -1);
	double cx = b->x + b->w / 2, cy = b->y + b->h / 2;

	for (unsigned i = 0; i < lines; i++) {
		double a = ang + rng_range(r, -0.12, 0.12);
		double off = (i - (lines - 1) / 2.0) * rng_range(r, 0.7, 1.3);
		double half = b->w / 2 / fmax(fabs(cos(a)), 0.5) +
			      rng_range(r, 1.0, 3.0);
		double nx = -sin(a), ny = cos(a);
		double cp[3][2] = {
			{ cx + off * nx - half * cos(a),
			  cy + off * ny - half * sin(a) },
			{ cx + off * nx + rng_range(r, -0.1, 0.1),
			  cy + off * ny + rng_range(r, -0.1, 0.1) },
			{ cx + off * nx + half * cos(a),
			  cy + off * ny + half * sin(a) },
		};

		ink_stroke(k, r, width, (const double(*)[2])cp, 3);
	}
}

void ink_circle(struct ink *k, struct rng *r, double width,
		const struct render_rect *b)
{
	/* A ring round the box, a little more than once round, never
	 * quite closed where it started. */
	double cx = b->x + b->w / 2 + rng_range(r, -0.4, 0.4);
	double cy = b->y + b->h / 2 + rng_range(r, -0.4, 0.4);
	double rx = b->w / 2 * 1.414 + rng_range(r, 0.4, 1.8);
	double ry = rx * rng_range(r, 0.8, 1.1);
	double a0 = rng_range(r, 0, 6.28), turn = rng_range(r, 1.0, 1.2);
	double(*cp)[2] = xcalloc(14, sizeof(*cp));
	size_t n = 0;

	for (; n < 14; n++) {
		double a = a0 + turn * 6.2832 * (double)n / 13;
		double g =
			1 + rng_range(r, -0.06, 0.06) + 0.05 * (double)n / 13;

		cp[n][0] = cx + g * rx * cos(a);
		cp[n][1] = cy + g * ry * sin(a);
	}
	ink_stroke(k, r, width, (const double(*)[2])cp, n);
	free(cp);
}

/* Control points of the digits in a unit box, y down; a negative x
 * starts a new stroke (the bar of a 4, drawn apart). */
static const double digit_cp[10][10][2] = {
	{ { 0.5, 0.06 },
	  { 0.2, 0.25 },
	  { 0.18, 0.7 },
	  { 0.45, 0.94 },
	  { 0.78, 0.75 },
	  { 0.82, 0.3 },
	  { 0.55, 0.06 },
	  { 0.45, 0.1 } },
	{ { 0.3, 0.25 }, { 0.55, 0.06 }, { 0.55, 0.5 }, { 0.55, 0.94 } },
	{ { 0.2, 0.28 },
	  { 0.4, 0.08 },
	  { 0.7, 0.12 },
	  { 0.76, 0.35 },
	  { 0.5, 0.62 },
	  { 0.18, 0.92 },
	  { 0.84, 0.9 } },
	{ { 0.2, 0.15 },
	  { 0.5, 0.06 },
	  { 0.76, 0.22 },
	  { 0.48, 0.46 },
	  { 0.8, 0.66 },
	  { 0.56, 0.92 },
	  { 0.18, 0.84 } },
	{ { 0.62, 0.94 },
	  { 0.62, 0.5 },
	  { 0.62, 0.06 },
	  { 0.15, 0.64 },
	  { 0.86, 0.64 } },
	{ { 0.8, 0.08 },
	  { 0.3, 0.08 },
	  { 0.26, 0.45 },
	  { 0.62, 0.4 },
	  { 0.8, 0.64 },
	  { 0.6, 0.92 },
	  { 0.2, 0.86 } },
	{ { 0.72, 0.08 },
	  { 0.4, 0.25 },
	  { 0.24, 0.62 },
	  { 0.42, 0.92 },
	  { 0.74, 0.82 },
	  { 0.72, 0.56 },
	  { 0.44, 0.5 },
	  { 0.26, 0.64 } },
	{ { 0.16, 0.1 }, { 0.84, 0.1 }, { 0.6, 0.5 }, { 0.4, 0.94 } },
	{ { 0.56, 0.47 },
	  { 0.24, 0.27 },
	  { 0.5, 0.06 },
	  { 0.76, 0.27 },
	  { 0.5, 0.5 },
	  { 0.2, 0.72 },
	  { 0.5, 0.94 },
	  { 0.8, 0.72 },
	  { 0.52, 0.48 } },
	{ { 0.76, 0.3 },
	  { 0.55, 0.08 },
	  { 0.26, 0.2 },
	  { 0.3, 0.44 },
	  { 0.56, 0.48 },
	  { 0.76, 0.3 },
	  { 0.72, 0.6 },
	  { 0.66, 0.94 } },
};
static const size_t digit_n[10] = { 8, 4, 7, 7, 5, 7, 8, 4, 9, 8 };

void ink_digit(struct ink *k, struct rng *r, double width,
	       const struct render_rect *b, int digit)
{
	const struct render_rect in = { b->x + 1.0, b->y + 0.9, b->w - 2.0,
					b->h - 1.8 };
	double cp[10][2], slant = rng_range(r, 0.0, 0.15);
	size_t n = digit_n[digit];

	for (size_t i = 0; i < n; i++) {
		double u = digit_cp[digit][i][0] + rng_range(r, -0.05, 0.05);
		double v = digit_cp[digit][i][1] + rng_range(r, -0.04, 0.04);

		at(cp[i], &in, u + slant * (0.5 - v), v);
	}
	ink_stroke(k, r, width, (const double(*)[2])cp, n);
}

/* A short separate stroke: the dot of an i or the bar of a t. */
static void dot_or_bar(struct ink *k, struct rng *r, double width, double x,
		       double y, double xh)
{
	double cp[2][2] = { { x, y - xh * 1.5 }, { x, y - xh * 1.5 } };

	if (rng_chance(r, 0.5)) {
		cp[0][0] -= xh * 0.5;
		cp[1][0] += xh * 0.6;
		cp[1][1] -= xh * 0.1;
	} else {
		cp[1][0] += 0.15;
	}
	ink_stroke(k, r, width, (const double(*)[2])cp, 2);
}

/*
 * One word from x on baseline yb, as a prolate cycloid per letter:
 * the pen goes up and down as it moves right, and a letter whose
 * sideways swing is larger than its advance loops back at its top
 * (e, l) or, going down, at its bottom (g, j).
 * Returns where the word ends.
 */
static double word(struct ink *k, struct rng *r, double width, double x,
		   double yb, double xh, double slant, unsigned letters)
{
	size_t first = k->nr;
	double cx = x;

	for (unsigned i = 0; i < letters; i++) {
		static const double weights[] = { 40, 28, 16, 10 };
		unsigned kind = rng_weighted(r, weights, 4);
		double lw = xh * rng_range(r, 0.7, 1.1), h = xh, rl;

		rl = lw * (kind == 1 || kind == 2 ? rng_range(r, 0.18, 0.3)
						  : rng_range(r, 0.03, 0.12));
		if (kind == 2)
			h = xh + rng_range(r, 1.4, 2.3);
		for (unsigned j = 0; j <= 12; j++) {
			double t = j / 12.0, a = 6.2831853 * t, px, py;

			if (i && !j)
				continue;
			px = cx + lw * t + rl * sin(a);
			if (kind == 3)
				py = yb - xh * 0.3 +
				     (xh * 0.3 + rng_range(r, 1.2, 1.3)) *
					     (1 - cos(a)) / 2;
			else
				py = yb - h * (1 - cos(a)) / 2;
			px += slant * (yb - py);
			add_point(k, px + rng_range(r, -0.03, 0.03),
				  py + rng_range(r, -0.03, 0.03), 0,
				  k->nr == first);
		}
		cx += lw;
	}
	/* The same finish as other strokes: widths and tremor. */
	{
		size_t n = k->nr - first;
		double(*cp)[2] = xcalloc(n, sizeof(*cp));

		for (size_t i = 0; i < n; i++) {
			cp[i][0] = k->v[first + i].x;
			cp[i][1] = k->v[first + i].y;
		}
		k->nr = first;
		ink_stroke(k, r, width, (const double(*)[2])cp, n);
		free(cp);
	}
	if (rng_chance(r, 0.35))
		dot_or_bar(k, r, width, x + rng_range(r, 0.2, 0.8) * (cx - x),
			   yb, xh);
	return cx;
}

void ink_handwriting(struct ink *k, struct rng *r, double width,
		     const struct render_rect *area, unsigned used)
{
	double xh = rng_range(r, 1.7, 2.5), slant = rng_range(r, 0.05, 0.35);
	double w = fmin(width, 0.55);

	for (unsigned line = 1; line <= used; line++) {
		double yb = area->y + line * 8.5 - rng_range(r, 0.5, 1.2);
		double x = area->x + rng_range(r, 0.5, 3.0);
		double end = area->x + area->w - rng_range(r, 3, 14);
		double drift = rng_range(r, -0.012, 0.012), x0 = x;

		if (line == used)
			end = x + (end - x) * rng_range(r, 0.2, 0.95);
		while (x < end - 6) {
			unsigned letters = 2 + rng_below(r, 7);

			if (x + letters * xh > end)
				letters = (unsigned)((end - x) / xh);
			if (letters < 1)
				break;
			x = word(k, r, w, x, yb + drift * (x - x0), xh, slant,
				 letters);
			x += rng_range(r, 1.5, 3.5);
		}
	}
}

double ink_inside(const struct ink *k, size_t from, const struct render_rect *b)
{
	double in = 0, all = 0;

	for (size_t i = from + 1; i < k->nr; i++) {
		const struct ink_pt *p = &k->v[i - 1], *q = &k->v[i];
		double l, mx, my;

		if (q->start)
			continue;
		l = hypot(q->x - p->x, q->y - p->y);
		mx = (p->x + q->x) / 2;
		my = (p->y + q->y) / 2;
		all += l;
		if (mx >= b->x && mx <= b->x + b->w && my >= b->y &&
		    my <= b->y + b->h)
			in += l;
	}
	return all > 0 ? in / all : 0;
}

struct render_rect ink_bounds(const struct ink *k, size_t from)
{
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;

	for (size_t i = from; i < k->nr; i++) {
		const struct ink_pt *p = &k->v[i];

		x0 = fmin(x0, p->x - p->w / 2);
		y0 = fmin(y0, p->y - p->w / 2);
		x1 = fmax(x1, p->x + p->w / 2);
		y1 = fmax(y1, p->y + p->w / 2);
	}
	if (from >= k->nr)
		return (struct render_rect){ 0, 0, 0, 0 };
	return (struct render_rect){ x0, y0, x1 - x0, y1 - y0 };
}

void ink_move(struct ink *k, size_t from, double cx, double cy, double f,
	      double dx, double dy)
{
	for (size_t i = from; i < k->nr; i++) {
		k->v[i].x = cx + (k->v[i].x - cx) * f + dx;
		k->v[i].y = cy + (k->v[i].y - cy) * f + dy;
	}
}

void ink_draw(const struct ink *k, cairo_t *cr, const struct pen *p)
{
	cairo_save(cr);
	cairo_set_source_rgb(cr, p->r, p->g, p->b);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (size_t i = 1; i < k->nr; i++) {
		const struct ink_pt *a = &k->v[i - 1], *b = &k->v[i];

		if (b->start)
			continue;
		cairo_move_to(cr, a->x, a->y);
		cairo_line_to(cr, b->x, b->y);
		cairo_set_line_width(cr, (a->w + b->w) / 2);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
}
