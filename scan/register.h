/*
 * register.h - where the layout's millimetres are in a scanned image.
 *
 * A scan is never exactly the page: it may be upside down, turned a few
 * degrees, shifted some millimetres, printed at 90 to 100% ("fit to
 * page"), and stretched a little by the scanner.  The four L-shaped
 * corner marks of every page (render/layout.h) are found near where the
 * QR code says they should be, each to a fraction of a pixel (the outer
 * edges of both arms are fitted as lines and crossed), and an affine
 * transform from layout mm to image pixels is fitted to them by least
 * squares.  Four points for six unknowns leave two degrees of freedom:
 * the residual says whether the marks agree with one flat page, and a
 * mark found in the wrong place shows up in it.  (A perspective fit
 * would pass through any four points and so could not check itself; flat
 * scans do not need one.)
 */
#ifndef DRAAGVLAK_SCAN_REGISTER_H
#define DRAAGVLAK_SCAN_REGISTER_H

#include <stdbool.h>
#include <stddef.h>

#include "image.h"
#include "layout.h"
#include "strbuf.h"

/*
 * Layout mm (x, y) to image pixels:
 *
 *     px = (a x + b y + c) / w,  py = (d x + e y + f) / w,  w = g x + h y + 1
 *
 * A scan is affine (g = h = 0); a photo taken at an angle is a full
 * perspective transform (a homography).
 */
struct scan_transform {
	double a, b, c, d, e, f;
	double g, h;
};

static inline void scan_transform_apply(const struct scan_transform *t,
					double x, double y, double *px,
					double *py)
{
	double w = t->g * x + t->h * y + 1;

	*px = (t->a * x + t->b * y + t->c) / w;
	*py = (t->d * x + t->e * y + t->f) / w;
}

/*
 * The derivatives of t at (x, y) mm: j[0] = dpx/dx, j[1] = dpx/dy,
 * j[2] = dpy/dx, j[3] = dpy/dy (pixels per mm).
 */
void scan_transform_jacobian(const struct scan_transform *t, double x, double y,
			     double j[4]);

/*
 * The perspective transform taking the n >= 4 points (mx, my) to (ix,
 * iy), by the normalised direct linear transform (Hartley): both point
 * sets are moved to their centroid and scaled to a mean distance of
 * sqrt 2, and the 9 coefficients are the eigenvector of the smallest
 * eigenvalue of A'A.  Returns 0, or -1 when the points do not fix one
 * (three on a line, too few).
 */
int scan_homography_fit(const double *mx, const double *my, const double *ix,
			const double *iy, size_t n, struct scan_transform *t);

/*
 * The least-squares affine transform taking the n >= 3 points (mx, my)
 * to (ix, iy).  Returns 0, or -1 when the points are (nearly) on a line.
 */
int scan_transform_fit(const double *mx, const double *my, const double *ix,
		       const double *iy, size_t n, struct scan_transform *t);

/* Pixels per mm (the square root of the area scale) in the middle of the
 * page. */
double scan_transform_scale(const struct scan_transform *t);

/*
 * How the page lies in the image: degrees it was turned clockwise,
 * rounded to a quarter (0, 90, 180, 270), and the rest (-45..45).
 */
void scan_transform_rotation(const struct scan_transform *t, int *quarter,
			     double *skew);

/* Worst residual (mm) of the fit that still reads the page. */
#define SCAN_MAX_RESIDUAL 0.5
/*
 * ...and of a perspective fit (a photo), over the corner marks, the QR
 * code's corners and every answer box's border found again: many more
 * points than unknowns, so the residual says whether one flat sheet was
 * photographed.
 */
#define SCAN_MAX_RESIDUAL_PHOTO 0.35

/* A corner mark as found. */
struct scan_mark {
	bool found;
	double x, y;  /* outer corner, image pixels */
	double score; /* grey levels between the L and the paper round it */
	double err;   /* distance (mm) from the fitted transform */
};

struct scan_registration {
	struct scan_transform t;   /* layout mm to image pixels */
	struct scan_mark marks[4]; /* by corner: 0 top left .. 3 bottom right */
	int nr_marks;		   /* 4, or 3 with one corner torn or covered */
	double residual;	   /* mm, root mean square over the marks */
	double paper, ink;	   /* grey levels of paper and print (marks) */
	int quarter;		   /* 0, 90, 180, 270: page turned clockwise */
	double skew;		   /* degrees beyond that */
	/*
	 * A photo: the marks did not fit an affine transform, and t is a
	 * perspective one fitted to nr_points points (marks, QR corners,
	 * box borders); residual is over all of them.
	 */
	bool perspective;
	int nr_points;
	double affine_residual; /* mm, the affine fit's over the marks */
};

/*
 * Find the corner marks of page p in img, starting from guess (mm to
 * pixels, from the QR code), and fit the transform.  Returns 0 with reg
 * filled, or -1 with reg filled as far as it got and a sentence in err:
 * two or more marks not found (which), marks that do not form the
 * page's rectangle, or a residual above SCAN_MAX_RESIDUAL.  With one
 * mark missing the three others fix the transform exactly (residual 0):
 * the caller must check it against something else (the QR code).
 */
int scan_register(const struct scan_image *img, const struct render_page *p,
		  const struct scan_transform *guess,
		  struct scan_registration *reg, struct strbuf *err);

#endif
