/*
 * photo.h - a phone photographing a form page instead of a scanner.
 *
 * The page is drawn flat (as scanner.h draws it, straight, at 100%) and
 * then photographed: the sheet lies on a darker table, fills 78 to 92%
 * of a 12-megapixel frame (4032 x 3024, mostly held upright), turned a
 * few degrees, seen in perspective (the far edge 2 to 5% shorter than
 * the near one, and a little sideways too), lit unevenly (a gradient of
 * 10 to 30% across the frame, a soft shadow of the phone or a hand over
 * part of it, darker corners), blurred by the lens and the hand (sigma
 * 0.5 to 1.3 pixels), with sensor noise, and stored as a JPEG of
 * quality 72 to 92 that says no resolution, as phones do.
 *
 * The geometry is a homography from page mm to photo pixels, kept so
 * that the generator can find the QR code to check it decodes.
 */
#ifndef SCANGEN_PHOTO_H
#define SCANGEN_PHOTO_H

#include <stdbool.h>
#include <stdint.h>

#include "rng.h"

#define PHOTO_LONG  4032
#define PHOTO_SHORT 3024

struct photo_look {
	bool landscape;	  /* the frame held sideways (page turned 90) */
	double fill;	  /* page height over frame height */
	double angle;	  /* degrees the sheet is turned in the frame */
	double tilt;	  /* far edge shorter by this share (0.02-0.05) */
	double yaw;	  /* one side edge shorter by this share */
	double light;	  /* brightness change across the frame */
	double light_dir; /* its direction, radians */
	double shadow;	  /* darkening in the shadow, 0 none */
	double shadow_a, shadow_c; /* its edge: a line (angle, offset) */
	double shadow_soft;	   /* width of its edge, share of the frame */
	double blur;		   /* sigma, pixels */
	double noise;		   /* sigma, grey levels */
	double table;		   /* grey of the table round the sheet */
	int quality;		   /* JPEG */
	double h[9];		   /* page mm to photo pixels (row major) */
};

/* Choose how page dpi pixels per inch will be photographed. */
void photo_pick(struct photo_look *p, struct rng *r);
/* The same photo taken more carefully: no shadow, less tilt, sharper. */
void photo_gentler(struct photo_look *p, int step);

/* Frame size for p. */
int photo_width(const struct photo_look *p);
int photo_height(const struct photo_look *p);

/* Where page point (x, y) mm lands in the photo, in pixels. */
void photo_point(const struct photo_look *p, double x, double y, double *px,
		 double *py);

/*
 * Photograph the flat page (pw x ph grey pixels at dpi) into out
 * (photo_width x photo_height grey pixels); noise from r.
 */
void photo_shoot(struct photo_look *p, const uint8_t *page, int pw, int ph,
		 int dpi, uint8_t *out, struct rng *r);

#endif
