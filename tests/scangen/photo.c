/*
 * photo.c - photographing a page with a phone (see photo.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "photo.h"
#include "scanner.h"
#include "banned.h"

int photo_width(const struct photo_look *p)
{
	return p->landscape ? PHOTO_LONG : PHOTO_SHORT;
}

int photo_height(const struct photo_look *p)
{
	return p->landscape ? PHOTO_SHORT : PHOTO_LONG;
}

/* Solve the 8 x 8 system a x = b in place (Gauss, partial pivoting). */
static void solve8(double a[8][9], double *x)
{
	for (int c = 0; c < 8; c++) {
		int piv = c;

		for (int r = c + 1; r < 8; r++)
			if (fabs(a[r][c]) > fabs(a[piv][c]))
				piv = r;
		for (int k = 0; k < 9; k++) {
			double t = a[c][k];

			a[c][k] = a[piv][k];
			a[piv][k] = t;
		}
		for (int r = 0; r < 8; r++) {
			double f;

			if (r == c || a[c][c] == 0)
				continue;
			f = a[r][c] / a[c][c];
			for (int k = c; k < 9; k++)
				a[r][k] -= f * a[c][k];
		}
	}
	for (int c = 0; c < 8; c++)
		x[c] = a[c][8] / a[c][c];
}

/* The homography taking the page's corners (mm) where p puts them. */
static void make_h(struct photo_look *p)
{
	double W = photo_width(p), H = photo_height(p);
	/* The page's height along the frame's long side. */
	double s = p->fill * PHOTO_LONG / RENDER_PAGE_H;
	double hw = RENDER_PAGE_W * s / 2, hh = RENDER_PAGE_H * s / 2;
	double u[4] = { -hw, hw, hw, -hw }, v[4] = { -hh, -hh, hh, hh };
	double mx[4] = { 0, RENDER_PAGE_W, RENDER_PAGE_W, 0 };
	double my[4] = { 0, 0, RENDER_PAGE_H, RENDER_PAGE_H };
	double a = (p->angle + (p->landscape ? 90 : 0)) * M_PI / 180;
	double sys[8][9], x[8];

	for (int k = 0; k < 4; k++) {
		/* The far edge (top for tilt > 0) is shorter and nearer
		 * the middle; so is one side for yaw. */
		bool top = k < 2, right = k == 1 || k == 2;
		double t = p->tilt > 0 ? (top ? p->tilt : 0)
				       : (top ? 0 : -p->tilt);
		double y = p->yaw > 0 ? (right ? p->yaw : 0)
				      : (right ? 0 : -p->yaw);
		double uu = u[k] * (1 - t), vv = v[k] * (1 - y);

		vv -= (top ? -1 : 1) * t * hh / 2;
		uu -= (right ? 1 : -1) * y * hw / 2;
		u[k] = W / 2 + uu * cos(a) - vv * sin(a);
		v[k] = H / 2 + uu * sin(a) + vv * cos(a);
	}
	for (int k = 0; k < 4; k++) {
		double r1[9] = { mx[k],		my[k],	       1,   0, 0, 0,
				 -u[k] * mx[k], -u[k] * my[k], u[k] };
		double r2[9] = { 0,
				 0,
				 0,
				 mx[k],
				 my[k],
				 1,
				 -v[k] * mx[k],
				 -v[k] * my[k],
				 v[k] };

		memcpy(sys[2 * k], r1, sizeof(r1));
		memcpy(sys[2 * k + 1], r2, sizeof(r2));
	}
	solve8(sys, x);
	memcpy(p->h, x, sizeof(x));
	p->h[8] = 1;
}

void photo_pick(struct photo_look *p, struct rng *r)
{
	memset(p, 0, sizeof(*p));
	p->landscape = rng_chance(r, 0.15);
	p->fill = rng_range(r, 0.78, 0.92);
	p->angle = rng_range(r, -4, 4) + (rng_chance(r, 0.08) ? 180 : 0);
	p->tilt = rng_range(r, 0.02, 0.05) * (rng_chance(r, 0.75) ? 1 : -1);
	p->yaw = rng_range(r, -0.02, 0.02);
	p->light = rng_range(r, 0.10, 0.30);
	p->light_dir = rng_range(r, 0, 6.2832);
	if (rng_chance(r, 0.5)) {
		p->shadow = rng_range(r, 0.2, 0.45);
		p->shadow_a = rng_range(r, 0, 6.2832);
		p->shadow_c = rng_range(r, 0.2, 0.45);
		p->shadow_soft = rng_range(r, 0.03, 0.10);
	}
	p->blur = rng_range(r, 0.5, 1.3);
	p->noise = rng_range(r, 1.5, 5);
	p->table = rng_range(r, 60, 140);
	p->quality = (int)rng_range(r, 72, 93);
	/* What pages.csv says is what was applied. */
	p->angle = round(p->angle * 100) / 100;
	p->tilt = round(p->tilt * 1e4) / 1e4;
	p->yaw = round(p->yaw * 1e4) / 1e4;
	p->fill = round(p->fill * 1e4) / 1e4;
	make_h(p);
}

void photo_gentler(struct photo_look *p, int step)
{
	p->shadow = 0;
	p->blur = fmin(p->blur, 0.6);
	p->noise = fmin(p->noise, 2);
	if (p->quality < 88)
		p->quality = 88;
	if (step >= 1) {
		p->tilt /= 2;
		p->yaw /= 2;
		p->angle /= 2;
	}
	make_h(p);
}

void photo_point(const struct photo_look *p, double x, double y, double *px,
		 double *py)
{
	const double *h = p->h;
	double w = h[6] * x + h[7] * y + h[8];

	*px = (h[0] * x + h[1] * y + h[2]) / w;
	*py = (h[3] * x + h[4] * y + h[5]) / w;
}

/* The inverse of the 3 x 3 m into inv. */
static void invert3(const double *m, double *inv)
{
	double det = m[0] * (m[4] * m[8] - m[5] * m[7]) -
		     m[1] * (m[3] * m[8] - m[5] * m[6]) +
		     m[2] * (m[3] * m[7] - m[4] * m[6]);

	inv[0] = (m[4] * m[8] - m[5] * m[7]) / det;
	inv[1] = (m[2] * m[7] - m[1] * m[8]) / det;
	inv[2] = (m[1] * m[5] - m[2] * m[4]) / det;
	inv[3] = (m[5] * m[6] - m[3] * m[8]) / det;
	inv[4] = (m[0] * m[8] - m[2] * m[6]) / det;
	inv[5] = (m[2] * m[3] - m[0] * m[5]) / det;
	inv[6] = (m[3] * m[7] - m[4] * m[6]) / det;
	inv[7] = (m[1] * m[6] - m[0] * m[7]) / det;
	inv[8] = (m[0] * m[4] - m[1] * m[3]) / det;
}

void photo_shoot(struct photo_look *p, const uint8_t *page, int pw, int ph,
		 int dpi, uint8_t *out, struct rng *r)
{
	int W = photo_width(p), H = photo_height(p);
	double inv[9], k = dpi / 25.4;
	double lx = cos(p->light_dir), ly = sin(p->light_dir);
	double sx = cos(p->shadow_a), sy = sin(p->shadow_a);

	invert3(p->h, inv);
	for (int y = 0; y < H; y++) {
		uint8_t *o = out + (size_t)y * W;
		double vn = (y + 0.5) / H - 0.5;

		for (int x = 0; x < W; x++) {
			double u = x + 0.5, v = y + 0.5, un = u / W - 0.5;
			double w = inv[6] * u + inv[7] * v + inv[8];
			double mx = (inv[0] * u + inv[1] * v + inv[2]) / w;
			double my = (inv[3] * u + inv[4] * v + inv[5]) / w;
			double g, light, d;

			if (mx >= 0 && my >= 0 && mx < RENDER_PAGE_W &&
			    my < RENDER_PAGE_H) {
				double fx = mx * k - 0.5, fy = my * k - 0.5;
				int i = (int)floor(fx), j = (int)floor(fy);
				const uint8_t *q;

				fx -= i, fy -= j;
				i = i < 0 ? 0 : i > pw - 2 ? pw - 2 : i;
				j = j < 0 ? 0 : j > ph - 2 ? ph - 2 : j;
				q = page + (size_t)j * pw + i;
				g = (q[0] * (1 - fx) + q[1] * fx) * (1 - fy) +
				    (q[pw] * (1 - fx) + q[pw + 1] * fx) * fy;
			} else {
				g = p->table * (1 + 0.15 * un);
			}
			/* The light: a gradient, darker corners, and a
			 * soft shadow beyond a line. */
			light = 0.93 *
				(1 - p->light * (0.5 + lx * un + ly * vn));
			light *= 1 - 0.35 * (un * un + vn * vn);
			if (p->shadow > 0) {
				d = (sx * un + sy * vn - p->shadow_c) /
				    p->shadow_soft;
				d = d < -1 ? 0 : d > 1 ? 1 : (d + 1) / 2;
				light *= 1 - p->shadow * d * d * (3 - 2 * d);
			}
			g *= light;
			o[x] = (uint8_t)(g < 0 ? 0 : g > 255 ? 255 : lround(g));
		}
	}
	if (p->blur > 0)
		scan_blur(out, W, H, (unsigned)lround(2 * p->blur * p->blur));
	if (p->noise > 0) {
		/* Four bytes summed: close enough to Gaussian. */
		double f = p->noise / 147.8;

		for (size_t i = 0; i < (size_t)W * H; i += 2) {
			uint64_t b = rng_next(r);

			for (size_t j = 0; j < 2 && i + j < (size_t)W * H;
			     j++, b >>= 32) {
				int n = (int)(b & 255) + (int)(b >> 8 & 255) +
					(int)(b >> 16 & 255) +
					(int)(b >> 24 & 255) - 510;
				int v = out[i + j] + (int)lround(n * f);

				out[i + j] = (uint8_t)(v < 0	 ? 0
						       : v > 255 ? 255
								 : v);
			}
		}
	}
}
