/*
 * scanner.h - what a printer and a scanner do to a page.
 *
 * The printer may shrink the page ("fit to page", centred) and shift it
 * a few mm; the sheet lies skewed on the glass or upside down in the
 * feeder.  These are applied as one affine transform when the page is
 * drawn, so the form and the ink are rendered directly at their scanned
 * place with no resampling:
 *
 *     image_mm = C + R(rotation) * (scale * (page_mm - C) + shift)
 *
 * with C the centre of the A4 page (105, 148.5), R a rotation clockwise
 * as seen in the image (y down), rotation the skew plus 180 for an
 * upside-down sheet, and shift in mm along the paper's own axes.  Then
 * the image is degraded: the blur of the optics, a grey or off-white
 * paper (multiplied in), sensor noise, and either JPEG compression or a
 * black-and-white threshold.
 */
#ifndef SCANGEN_SCANNER_H
#define SCANGEN_SCANNER_H

#include <cairo.h>
#include <stdbool.h>
#include <stdint.h>

#include "rng.h"
#include "strbuf.h"

/* Flags of a page in pages.csv, in the order they are written. */
enum scan_flag {
	SCAN_JPEG = 1 << 0,
	SCAN_NOISE = 1 << 1,
	SCAN_BLUR = 1 << 2,
	SCAN_GREY = 1 << 3,
	SCAN_BW = 1 << 4,
	SCAN_UPSIDE_DOWN = 1 << 5,
	SCAN_FOREIGN_LAYOUT = 1 << 6,
	SCAN_MISSING_PAGE = 1 << 7,
	SCAN_PHOTO = 1 << 8,   /* a phone's photo (photo.h), not a scan */
	SCAN_SPECKLE = 1 << 9, /* dust: 1% of pixels dark specks */
};

struct scan_look {
	int dpi;
	double scale;		 /* 0.90-1.00 */
	double shift_x, shift_y; /* mm */
	double skew;		 /* degrees, clockwise in the image */
	unsigned flags;
	unsigned blur_passes; /* of a [1 2 1] kernel each way */
	double noise;	      /* sigma in grey levels */
	double paper;	      /* tone of the paper, 1 = white */
	double shade;	      /* change of tone from top to bottom */
	int quality;	      /* JPEG quality */
	int threshold;	      /* black below this, for bw */
};

/*
 * Choose how a page is printed and scanned at dpi.  jpeg_file: the page
 * is stored as a JPEG file, so it is always jpeg and never bw; other
 * pages are sometimes jpeg (a PDF holds the JPEG as is, PNG and TIFF
 * pages go through JPEG and back).
 */
void scan_pick(struct scan_look *lk, struct rng *r, int dpi, bool jpeg_file);

/* Rotation as written to pages.csv: skew, plus 180 when upside down. */
double scan_rotation(const struct scan_look *lk);
/* Image size in pixels of an A4 page at dpi. */
int scan_width(int dpi);
int scan_height(int dpi);

/* Where page point (x, y) mm lands in the image, in pixels. */
void scan_point(const struct scan_look *lk, double x, double y, double *px,
		double *py);
/*
 * A gentler scan of the same page, when its QR code did not decode:
 * step 0 drops blur, noise and the threshold and keeps JPEG at quality
 * 85 or better; step 1 also lays the sheet straight at 100%.
 */
void scan_gentler(struct scan_look *lk, int step);

/* Make cr's user space page mm, placed as lk says. */
void scan_transform(cairo_t *cr, const struct scan_look *lk);

/* RGB24 surface to 8-bit grey (w x h, no padding). */
void scan_to_grey(cairo_surface_t *s, uint8_t *grey);
/* passes of a [1 2 1] kernel along rows and columns (variance passes/2). */
void scan_blur(uint8_t *img, int w, int h, unsigned passes);
/* Blur, paper tone and noise as lk says; the threshold for bw. */
void scan_degrade(uint8_t *img, int w, int h, const struct scan_look *lk,
		  struct rng *r);

/* The flags as pages.csv writes them: "noise;blur". */
void scan_flags_format(unsigned flags, struct strbuf *out);

#endif
