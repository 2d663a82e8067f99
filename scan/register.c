/*
 * register.c - finding the corner marks and fitting the page transform
 * (see register.h).
 *
 * Image coordinates are continuous: pixel (i, j) covers [i, i+1) x
 * [j, j+1), its centre is (i + 0.5, j + 0.5).  Every transform maps mm
 * to these coordinates.
 *
 * A mark is found in two steps.  First a template of the L (both arms,
 * slightly thinner and shorter than printed, so that a page turned a few
 * degrees still fills it) is slid over a window round the predicted
 * place; its score, the darkness of the arms less that of the paper
 * just outside and inside them, is computed from an integral image in
 * constant time per position.  Then the outer edge of each arm is found
 * to a fraction of a pixel on profiles across it, a line is fitted to
 * each edge, and the mark's outer corner is where the two lines cross.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "register.h"
#include "xalloc.h"
#include "banned.h"

#define SEARCH_MM 12.0 /* how far a mark may be from where the QR says */
#define MIN_SCORE 40.0 /* grey levels between a mark and its paper */

int scan_transform_fit(const double *mx, const double *my, const double *ix,
		       const double *iy, size_t n, struct scan_transform *t)
{
	/* Normal equations of [x y 1] p = target, once per coordinate. */
	double sxx = 0, sxy = 0, syy = 0, sx = 0, sy = 0, s1 = (double)n;
	double bx[3] = { 0 }, by[3] = { 0 }, m[3][3], det, inv[3][3];

	if (n < 3)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sxx += mx[i] * mx[i];
		sxy += mx[i] * my[i];
		syy += my[i] * my[i];
		sx += mx[i];
		sy += my[i];
		bx[0] += mx[i] * ix[i];
		bx[1] += my[i] * ix[i];
		bx[2] += ix[i];
		by[0] += mx[i] * iy[i];
		by[1] += my[i] * iy[i];
		by[2] += iy[i];
	}
	m[0][0] = sxx, m[0][1] = sxy, m[0][2] = sx;
	m[1][0] = sxy, m[1][1] = syy, m[1][2] = sy;
	m[2][0] = sx, m[2][1] = sy, m[2][2] = s1;
	inv[0][0] = m[1][1] * m[2][2] - m[1][2] * m[2][1];
	inv[0][1] = m[0][2] * m[2][1] - m[0][1] * m[2][2];
	inv[0][2] = m[0][1] * m[1][2] - m[0][2] * m[1][1];
	inv[1][0] = m[1][2] * m[2][0] - m[1][0] * m[2][2];
	inv[1][1] = m[0][0] * m[2][2] - m[0][2] * m[2][0];
	inv[1][2] = m[0][2] * m[1][0] - m[0][0] * m[1][2];
	inv[2][0] = m[1][0] * m[2][1] - m[1][1] * m[2][0];
	inv[2][1] = m[0][1] * m[2][0] - m[0][0] * m[2][1];
	inv[2][2] = m[0][0] * m[1][1] - m[0][1] * m[1][0];
	det = m[0][0] * inv[0][0] + m[0][1] * inv[1][0] + m[0][2] * inv[2][0];
	/* Relative to the points' spread: collinear points leave it ~0. */
	if (fabs(det) < 1e-9 * sxx * syy * s1 || !isfinite(det))
		return -1;
	t->a = (inv[0][0] * bx[0] + inv[0][1] * bx[1] + inv[0][2] * bx[2]) /
	       det;
	t->b = (inv[1][0] * bx[0] + inv[1][1] * bx[1] + inv[1][2] * bx[2]) /
	       det;
	t->c = (inv[2][0] * bx[0] + inv[2][1] * bx[1] + inv[2][2] * bx[2]) /
	       det;
	t->d = (inv[0][0] * by[0] + inv[0][1] * by[1] + inv[0][2] * by[2]) /
	       det;
	t->e = (inv[1][0] * by[0] + inv[1][1] * by[1] + inv[1][2] * by[2]) /
	       det;
	t->f = (inv[2][0] * by[0] + inv[2][1] * by[1] + inv[2][2] * by[2]) /
	       det;
	t->g = t->h = 0;
	return 0;
}

void scan_transform_jacobian(const struct scan_transform *t, double x, double y,
			     double j[4])
{
	double w = t->g * x + t->h * y + 1, px, py;

	scan_transform_apply(t, x, y, &px, &py);
	j[0] = (t->a - t->g * px) / w;
	j[1] = (t->b - t->h * px) / w;
	j[2] = (t->d - t->g * py) / w;
	j[3] = (t->e - t->h * py) / w;
}

double scan_transform_scale(const struct scan_transform *t)
{
	double j[4];

	scan_transform_jacobian(t, RENDER_PAGE_W / 2, RENDER_PAGE_H / 2, j);
	return sqrt(fabs(j[0] * j[3] - j[1] * j[2]));
}

/* The eigenvector of the smallest eigenvalue of the symmetric 9 x 9 m
 * (destroyed), by cyclic Jacobi rotations. */
static void smallest_eigenvector(double m[9][9], double out[9])
{
	double v[9][9] = { { 0 } };
	int best = 0;

	for (int i = 0; i < 9; i++)
		v[i][i] = 1;
	for (int sweep = 0; sweep < 60; sweep++) {
		double off = 0;

		for (int p = 0; p < 9; p++)
			for (int q = p + 1; q < 9; q++)
				off += m[p][q] * m[p][q];
		if (off < 1e-30)
			break;
		for (int p = 0; p < 9; p++)
			for (int q = p + 1; q < 9; q++) {
				double th, t, c, sn;

				if (fabs(m[p][q]) < 1e-300)
					continue;
				th = (m[q][q] - m[p][p]) / (2 * m[p][q]);
				t = (th >= 0 ? 1 : -1) /
				    (fabs(th) + sqrt(th * th + 1));
				c = 1 / sqrt(t * t + 1);
				sn = t * c;
				for (int k = 0; k < 9; k++) {
					double a = m[k][p], b = m[k][q];

					m[k][p] = c * a - sn * b;
					m[k][q] = sn * a + c * b;
				}
				for (int k = 0; k < 9; k++) {
					double a = m[p][k], b = m[q][k];

					m[p][k] = c * a - sn * b;
					m[q][k] = sn * a + c * b;
				}
				for (int k = 0; k < 9; k++) {
					double a = v[k][p], b = v[k][q];

					v[k][p] = c * a - sn * b;
					v[k][q] = sn * a + c * b;
				}
			}
	}
	for (int i = 1; i < 9; i++)
		if (m[i][i] < m[best][best])
			best = i;
	for (int k = 0; k < 9; k++)
		out[k] = v[k][best];
}

/* Move points to their centroid and scale them to a mean distance of
 * sqrt 2: n[] = (s, tx, ty) with x' = s x + tx. */
static int normaliser(const double *x, const double *y, size_t n, double *nm)
{
	double cx = 0, cy = 0, d = 0;

	for (size_t i = 0; i < n; i++)
		cx += x[i] / n, cy += y[i] / n;
	for (size_t i = 0; i < n; i++)
		d += hypot(x[i] - cx, y[i] - cy) / n;
	if (!(d > 1e-9))
		return -1;
	nm[0] = M_SQRT2 / d;
	nm[1] = -nm[0] * cx;
	nm[2] = -nm[0] * cy;
	return 0;
}

int scan_homography_fit(const double *mx, const double *my, const double *ix,
			const double *iy, size_t n, struct scan_transform *t)
{
	double ata[9][9] = { { 0 } }, hv[9], nm[3], ni[3], H[3][3], M[3][3];

	if (n < 4 || normaliser(mx, my, n, nm) < 0 ||
	    normaliser(ix, iy, n, ni) < 0)
		return -1;
	{
		/* Points (nearly) on one line fix no plane. */
		double sxx = 0, syy = 0, sxy = 0, tr, det;

		for (size_t i = 0; i < n; i++) {
			double x = nm[0] * mx[i] + nm[1],
			       y = nm[0] * my[i] + nm[2];

			sxx += x * x / n, syy += y * y / n, sxy += x * y / n;
		}
		tr = sxx + syy;
		det = sxx * syy - sxy * sxy;
		if (tr / 2 - sqrt(fmax(tr * tr / 4 - det, 0)) < 1e-4)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		double x = nm[0] * mx[i] + nm[1], y = nm[0] * my[i] + nm[2];
		double u = ni[0] * ix[i] + ni[1], v = ni[0] * iy[i] + ni[2];
		double r1[9] = { -x, -y, -1, 0, 0, 0, u * x, u * y, u };
		double r2[9] = { 0, 0, 0, -x, -y, -1, v * x, v * y, v };

		for (int a = 0; a < 9; a++)
			for (int b = 0; b < 9; b++)
				ata[a][b] += r1[a] * r1[b] + r2[a] * r2[b];
	}
	smallest_eigenvector(ata, hv);
	/* H = Ni^-1 Hn Nm, Ni^-1 = [1/s 0 -tx/s; 0 1/s -ty/s; 0 0 1]. */
	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 3; c++) {
			double nmc[3] = { c == 0   ? nm[0]
					  : c == 2 ? nm[1]
						   : 0,
					  c == 1   ? nm[0]
					  : c == 2 ? nm[2]
						   : 0,
					  c == 2 ? 1 : 0 };

			/* M = Hn Nm, column c of Nm is nmc (rows 0..2). */
			M[r][c] = hv[3 * r] * nmc[0] + hv[3 * r + 1] * nmc[1] +
				  hv[3 * r + 2] * nmc[2];
		}
	for (int c = 0; c < 3; c++) {
		H[0][c] = (M[0][c] - ni[1] * M[2][c]) / ni[0];
		H[1][c] = (M[1][c] - ni[2] * M[2][c]) / ni[0];
		H[2][c] = M[2][c];
	}
	if (fabs(H[2][2]) < 1e-12 || !isfinite(H[2][2]))
		return -1;
	t->a = H[0][0] / H[2][2], t->b = H[0][1] / H[2][2];
	t->c = H[0][2] / H[2][2];
	t->d = H[1][0] / H[2][2], t->e = H[1][1] / H[2][2];
	t->f = H[1][2] / H[2][2];
	t->g = H[2][0] / H[2][2], t->h = H[2][1] / H[2][2];
	return isfinite(t->a + t->b + t->c + t->d + t->e + t->f + t->g + t->h)
		       ? 0
		       : -1;
}

void scan_transform_rotation(const struct scan_transform *t, int *quarter,
			     double *skew)
{
	/* The direction of the layout's x axis in the image. */
	double j[4], deg;

	scan_transform_jacobian(t, RENDER_PAGE_W / 2, RENDER_PAGE_H / 2, j);
	deg = atan2(j[2], j[0]) * 180 / M_PI;
	int q = (int)lround(deg / 90);

	*skew = deg - q * 90.0;
	*quarter = ((q % 4) + 4) % 4 * 90;
}

/* An integral image of darkness (255 - grey) over a window. */
struct integral {
	int x0, y0, w, h; /* the window in image pixels */
	uint32_t *s;	  /* (w + 1) x (h + 1) */
};

static void integral_make(struct integral *in, const struct scan_image *img,
			  int x0, int y0, int x1, int y1)
{
	x0 = x0 < 0 ? 0 : x0;
	y0 = y0 < 0 ? 0 : y0;
	x1 = x1 > img->w ? img->w : x1;
	y1 = y1 > img->h ? img->h : y1;
	in->x0 = x0;
	in->y0 = y0;
	in->w = x1 > x0 ? x1 - x0 : 0;
	in->h = y1 > y0 ? y1 - y0 : 0;
	in->s = xcalloc((size_t)(in->w + 1) * (size_t)(in->h + 1),
			sizeof(*in->s));
	for (int y = 0; y < in->h; y++) {
		const unsigned char *row =
			img->px + (size_t)(y0 + y) * img->stride + x0;
		uint32_t run = 0, *o = in->s + (size_t)(y + 1) * (in->w + 1),
			 *above = o - (in->w + 1);

		for (int x = 0; x < in->w; x++) {
			run += 255u - row[x];
			o[x + 1] = above[x + 1] + run;
		}
	}
}

/* Darkness summed over image pixels [x0, x1) x [y0, y1), clipped to the
 * window, and how many pixels that was. */
static double integral_sum(const struct integral *in, int x0, int y0, int x1,
			   int y1, double *count)
{
	size_t W = (size_t)in->w + 1;

	x0 -= in->x0, x1 -= in->x0, y0 -= in->y0, y1 -= in->y0;
	x0 = x0 < 0 ? 0 : x0 > in->w ? in->w : x0;
	x1 = x1 < 0 ? 0 : x1 > in->w ? in->w : x1;
	y0 = y0 < 0 ? 0 : y0 > in->h ? in->h : y0;
	y1 = y1 < 0 ? 0 : y1 > in->h ? in->h : y1;
	if (x1 <= x0 || y1 <= y0) {
		*count = 0;
		return 0;
	}
	*count = (double)(x1 - x0) * (y1 - y0);
	return (double)in->s[y1 * W + x1] - in->s[y0 * W + x1] -
	       in->s[y1 * W + x0] + in->s[y0 * W + x0];
}

/*
 * A mark's frame in the image: its outer corner is pixel corner (cx, cy)
 * and its arms run along image axes, the first along (ux, uy) and the
 * second along (vx, vy), each a unit vector on an axis.
 */
struct frame {
	int ux, uy, vx, vy;
};

/* The image rectangle of [p0, p1) along u and [q0, q1) along v from
 * corner (cx, cy), its sum and pixel count. */
static double frame_sum(const struct integral *in, const struct frame *fr,
			int cx, int cy, int p0, int p1, int q0, int q1,
			double *count)
{
	int xa = cx + fr->ux * p0 + fr->vx * q0;
	int xb = cx + fr->ux * p1 + fr->vx * q1;
	int ya = cy + fr->uy * p0 + fr->vy * q0;
	int yb = cy + fr->uy * p1 + fr->vy * q1;

	/* Along a negative axis, [p0, p1) covers pixels cx - p1 .. cx - p0
	 * - 1: the half-open range flips with the corner as its origin. */
	return integral_sum(in, xa < xb ? xa : xb, ya < yb ? ya : yb,
			    xa < xb ? xb : xa, ya < yb ? yb : ya, count);
}

/* Mean darkness of the arms and of the paper round them, for a corner
 * at (cx, cy); s is pixels per mm. */
static void template_at(const struct integral *in, const struct frame *fr,
			int cx, int cy, double s, double *arms, double *paper)
{
	int L = (int)lround(9 * s), t = (int)lround(0.8 * s);
	int g0 = (int)lround(0.25 * s) + 1, g1 = (int)lround(1.25 * s) + 1;
	int i0 = (int)lround(1.3 * s) + 1, i1 = i0 + (int)lround(1.0 * s);
	double n, c, sa = 0, na = 0, sp = 0, np = 0;

	sa += frame_sum(in, fr, cx, cy, 0, L, 0, t, &c), na += c;
	sa += frame_sum(in, fr, cx, cy, 0, t, t, L, &c), na += c;
	/* Outside both arms, and inside the L. */
	sp += frame_sum(in, fr, cx, cy, -g1, L, -g1, -g0, &n), np += n;
	sp += frame_sum(in, fr, cx, cy, -g1, -g0, -g0, L, &n), np += n;
	sp += frame_sum(in, fr, cx, cy, i0, L, i0, i1, &n), np += n;
	sp += frame_sum(in, fr, cx, cy, i0, i1, i1, L, &n), np += n;
	*arms = na ? sa / na : 0;
	*paper = np ? sp / np : 255;
}

static inline double dark_at(const struct scan_image *img, int x, int y)
{
	if (x < 0 || y < 0 || x >= img->w || y >= img->h)
		return 0; /* off the image: as paper */
	return 255.0 - img->px[(size_t)y * img->stride + x];
}

/*
 * The outer edge of the arm along (ax, ay) from corner (cx, cy), whose
 * outside is towards -(bx, by): a line across = alpha + beta * along in
 * image coordinates, where along is the coordinate on the arm's axis
 * and across the other one.  Returns the number of edge points used.
 */
static int fit_edge(const struct scan_image *img, int cx, int cy, int ax,
		    int ay, int bx, int by, double s, double *alpha,
		    double *beta)
{
	double pa[64], pc[64];
	int n = 0, from = (int)lround(1.6 * s), to = (int)lround(8.6 * s);
	int step = (int)lround(0.4 * s) > 1 ? (int)lround(0.4 * s) : 1;
	int q0 = -(int)lround(1.6 * s), q1 = (int)lround(0.9 * s);

	for (int p = from; p <= to && n < 64; p += step) {
		/* Pixel indices: along the arm, then across from outside. */
		int px = cx + (ax < 0 ? -p - 1 : p) * (ax != 0);
		int py = cy + (ay < 0 ? -p - 1 : p) * (ay != 0);
		double prof[96], lo = 0, hi = 0, thr;
		int m = 0, k;

		for (int q = q0; q < q1 && m < 96; q++, m++) {
			int x = px + (bx < 0 ? -q - 1 : q) * (bx != 0);
			int y = py + (by < 0 ? -q - 1 : q) * (by != 0);

			prof[m] = dark_at(img, x, y);
		}
		if (m < 6)
			continue;
		for (k = 0; k < 3; k++)
			lo += prof[k] / 3;
		for (k = 0; k < m; k++)
			hi = prof[k] > hi ? prof[k] : hi;
		if (hi - lo < MIN_SCORE)
			continue;
		thr = (lo + hi) / 2;
		for (k = 1; k < m && prof[k] < thr; k++)
			;
		if (k >= m || prof[k] == prof[k - 1])
			continue;
		{
			/* Pixel index q0 + k - 1 and q0 + k across; their
			 * centres in image coordinates. */
			double f =
				(thr - prof[k - 1]) / (prof[k] - prof[k - 1]);
			int i0 = q0 + k - 1;
			double c0 = bx ? (bx < 0 ? cx - i0 - 1 : cx + i0) + 0.5
				       : (by < 0 ? cy - i0 - 1 : cy + i0) + 0.5;
			int sign = bx ? bx : by;

			pc[n] = c0 + f * sign;
			pa[n] = (ax ? px : py) + 0.5;
			n++;
		}
	}
	/* Least squares, then once more without the points far off. */
	for (int pass = 0; pass < 2; pass++) {
		double sa = 0, sc = 0, saa = 0, sac = 0, d;
		int used = 0;

		for (int i = 0; i < n; i++) {
			if (pass && fabs(pc[i] - (*alpha + *beta * pa[i])) >
					    0.6 + 0.1 * s)
				continue;
			sa += pa[i], sc += pc[i], saa += pa[i] * pa[i],
				sac += pa[i] * pc[i], used++;
		}
		d = used * saa - sa * sa;
		if (used < 4 || fabs(d) < 1e-9)
			return pass ? used : 0;
		*beta = (used * sac - sa * sc) / d;
		*alpha = (sc - *beta * sa) / used;
		if (pass)
			return used;
	}
	return 0;
}

/* Unit axis vector nearest to the image direction (x, y). */
static void axis_of(double x, double y, int *ax, int *ay)
{
	*ax = fabs(x) >= fabs(y) ? (x < 0 ? -1 : 1) : 0;
	*ay = fabs(x) >= fabs(y) ? 0 : (y < 0 ? -1 : 1);
}

static int find_mark(const struct scan_image *img, const struct render_item *it,
		     const struct scan_transform *g, double search,
		     struct scan_mark *mk, double *ink, double *paper)
{
	int k = it->corner;
	double mx = k & 1 ? it->r.x + it->r.w : it->r.x;
	double my = k & 2 ? it->r.y + it->r.h : it->r.y;
	double sx = k & 1 ? -1 : 1, sy = k & 2 ? -1 : 1;
	double s = scan_transform_scale(g), x0, y0;
	struct frame fr;
	struct integral in;
	int R = (int)lround(search * s), ext = (int)lround(10.5 * s);
	double jac[4];
	int step = (int)(s / 2.5) > 1 ? (int)(s / 2.5) : 1;
	int bx = 0, by = 0, cx0, cy0;
	double best = -1e9, a1, b1, a2, b2;

	memset(mk, 0, sizeof(*mk));
	scan_transform_apply(g, mx, my, &x0, &y0);
	scan_transform_jacobian(g, mx, my, jac);
	s = sqrt(fabs(jac[0] * jac[3] - jac[1] * jac[2]));
	R = (int)lround(search * s), ext = (int)lround(10.5 * s);
	axis_of(jac[0] * sx, jac[2] * sx, &fr.ux, &fr.uy);
	axis_of(jac[1] * sy, jac[3] * sy, &fr.vx, &fr.vy);
	if (fr.ux * fr.vx + fr.uy * fr.vy != 0)
		return -1;
	cx0 = (int)lround(x0);
	cy0 = (int)lround(y0);
	/* The template reaches 10 mm into the mark's quadrant and 1.5 mm
	 * out of it. */
	{
		int back = R + (int)lround(1.6 * s), fwd = R + ext;
		int xa = cx0 - (fr.ux + fr.vx > 0 ? back : fwd);
		int xb = cx0 + (fr.ux + fr.vx > 0 ? fwd : back);
		int ya = cy0 - (fr.uy + fr.vy > 0 ? back : fwd);
		int yb = cy0 + (fr.uy + fr.vy > 0 ? fwd : back);

		integral_make(&in, img, xa, ya, xb, yb);
	}
	/* Coarse steps of about 0.4 mm (the template is thinner than
	 * the arms, so it still lands on them), then every pixel round the
	 * best. */
	for (int cy = cy0 - R; cy <= cy0 + R; cy += step)
		for (int cx = cx0 - R; cx <= cx0 + R; cx += step) {
			double arms, pap;

			template_at(&in, &fr, cx, cy, s, &arms, &pap);
			if (arms - pap > best) {
				best = arms - pap;
				bx = cx;
				by = cy;
			}
		}
	cx0 = bx;
	cy0 = by;
	for (int cy = cy0 - step; cy <= cy0 + step; cy++)
		for (int cx = cx0 - step; cx <= cx0 + step; cx++) {
			double arms, pap;

			template_at(&in, &fr, cx, cy, s, &arms, &pap);
			if (arms - pap > best) {
				best = arms - pap;
				bx = cx;
				by = cy;
			}
		}
	{
		double arms, pap;

		template_at(&in, &fr, bx, by, s, &arms, &pap);
		*ink = 255 - arms;
		*paper = 255 - pap;
	}
	free(in.s);
	mk->score = best;
	if (best < MIN_SCORE)
		return -1;
	/* The first arm's edge is across v, the second's across u. */
	if (fit_edge(img, bx, by, fr.ux, fr.uy, fr.vx, fr.vy, s, &a1, &b1) <
		    4 ||
	    fit_edge(img, bx, by, fr.vx, fr.vy, fr.ux, fr.uy, s, &a2, &b2) < 4)
		return -1;
	/*
	 * One line is y = a + b x (an arm along x), the other x = a + b y.
	 * Which is which depends on the frame.
	 */
	{
		double ah = fr.ux ? a1 : a2, bh = fr.ux ? b1 : b2;
		double av = fr.ux ? a2 : a1, bv = fr.ux ? b2 : b1;
		double den = 1 - bh * bv;

		if (fabs(den) < 1e-6)
			return -1;
		/* x = av + bv (ah + bh x) */
		mk->x = (av + bv * ah) / den;
		mk->y = ah + bh * mk->x;
	}
	mk->found = true;
	return 0;
}

static const char *const corner_names[4] = { "top-left", "top-right",
					     "bottom-left", "bottom-right" };

int scan_register(const struct scan_image *img, const struct render_page *p,
		  const struct scan_transform *guess,
		  struct scan_registration *reg, struct strbuf *err)
{
	double mx[4], my[4], ix[4], iy[4], ink[4], paper[4], sum = 0, s;
	double gx[8], gy[8], gu[8], gv[8];
	const struct render_item *marks[4] = { NULL };
	int corner[4], missing[4], nmiss = 0;
	/* Nearest the QR code first: each mark found makes the guess for
	 * the next better (a photo's perspective bends the far corners
	 * away from where the QR code alone puts them). */
	static const int order[4] = { 1, 0, 3, 2 };
	struct scan_transform next = *guess;
	size_t n = 0;

	memset(reg, 0, sizeof(*reg));
	reg->t = *guess;
	for (size_t i = 0; i < p->nr; i++)
		if (p->items[i].kind == RENDER_ITEM_MARK &&
		    p->items[i].corner >= 0 && p->items[i].corner < 4)
			marks[p->items[i].corner] = &p->items[i];
	for (int q = 0; q < 4; q++) {
		gx[q] = p->qr.x + (q & 1 ? p->qr.w : 0);
		gy[q] = p->qr.y + (q & 2 ? p->qr.h : 0);
		scan_transform_apply(guess, gx[q], gy[q], &gu[q], &gv[q]);
	}
	for (int o = 0; o < 4; o++) {
		int k = order[o];
		const struct render_item *it = marks[k];

		if (!it) {
			strbuf_addf(err, "the layout has no %s corner mark",
				    corner_names[k]);
			return -1;
		}
		/* A photo (its file says no resolution) may bend the far
		 * corners further from the guess: a wider search once the
		 * two nearest marks fixed the page's turn and scale. */
		if (find_mark(img, it, &next, SEARCH_MM, &reg->marks[k],
			      &ink[n], &paper[n]) < 0 &&
		    (img->dpi > 0 || n < 2 ||
		     find_mark(img, it, &next, 2.5 * SEARCH_MM, &reg->marks[k],
			       &ink[n], &paper[n]) < 0)) {
			missing[nmiss++] = k;
			continue;
		}
		mx[n] = k & 1 ? it->r.x + it->r.w : it->r.x;
		my[n] = k & 2 ? it->r.y + it->r.h : it->r.y;
		ix[n] = reg->marks[k].x;
		iy[n] = reg->marks[k].y;
		corner[n] = k;
		gx[4 + n] = mx[n], gy[4 + n] = my[n];
		gu[4 + n] = ix[n], gv[4 + n] = iy[n];
		n++;
		if (scan_transform_fit(gx, gy, gu, gv, 4 + n, &next) < 0)
			next = *guess;
	}
	reg->nr_marks = (int)n;
	/* One corner may be torn off or stapled over: three marks still
	 * fix an affine transform (the caller checks it on the QR code). */
	if (nmiss > 1) {
		for (int i = 1; i < nmiss; i++) /* in corner order */
			for (int j = i; j > 0 && missing[j] < missing[j - 1];
			     j--) {
				int t = missing[j];

				missing[j] = missing[j - 1];
				missing[j - 1] = t;
			}
		strbuf_addf(err, "the %s", corner_names[missing[0]]);
		for (int i = 1; i < nmiss; i++)
			strbuf_addf(err, "%s%s", i + 1 < nmiss ? ", " : " and ",
				    corner_names[missing[i]]);
		strbuf_addstr(err, " corner marks cannot be found (are those "
				   "corners folded, torn or cut off?)");
		return -1;
	}
	if (scan_transform_fit(mx, my, ix, iy, n, &reg->t) < 0) {
		strbuf_addstr(err, "the corner marks do not span a page");
		return -1;
	}
	s = scan_transform_scale(&reg->t);
	for (size_t i = 0; i < n; i++) {
		double px, py;
		struct scan_mark *mk = &reg->marks[corner[i]];

		scan_transform_apply(&reg->t, mx[i], my[i], &px, &py);
		mk->err = hypot(px - ix[i], py - iy[i]) / s;
		sum += mk->err * mk->err;
	}
	reg->residual = sqrt(sum / (double)n);
	reg->affine_residual = reg->residual;
	reg->ink = reg->paper = 0;
	for (size_t i = 0; i < n; i++) {
		reg->ink += ink[i] / (double)n;
		reg->paper += paper[i] / (double)n;
	}
	scan_transform_rotation(&reg->t, &reg->quarter, &reg->skew);
	{
		/* A flat page: both axes the same length and square. */
		double lx = hypot(reg->t.a, reg->t.d),
		       ly = hypot(reg->t.b, reg->t.e);
		double cosang =
			(reg->t.a * reg->t.b + reg->t.d * reg->t.e) / (lx * ly);
		/* Mirrored: a scan of the back through the paper, or a
		 * transparency. */
		double det = reg->t.a * reg->t.e - reg->t.b * reg->t.d;

		if (fabs(lx / ly - 1) > 0.05 || fabs(cosang) > 0.035 ||
		    det < 0) {
			strbuf_addf(err,
				    "the corner marks do not form the page's "
				    "rectangle (stretched %.1f%%, sheared "
				    "%.1f degrees)",
				    (lx / ly - 1) * 100,
				    asin(fabs(cosang)) * 180 / M_PI);
			return -1;
		}
	}
	if (reg->residual > SCAN_MAX_RESIDUAL) {
		strbuf_addf(err,
			    "the corner marks do not agree with a flat page "
			    "(they are %.2f mm off on average; at most %.2f "
			    "mm reads reliably): is the page crumpled, or "
			    "scanned with a camera?",
			    reg->residual, SCAN_MAX_RESIDUAL);
		return -1;
	}
	return 0;
}
