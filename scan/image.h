/*
 * image.h - scanned pages as 8-bit grey images, from the files scanners
 * write.
 *
 * Everything the reader measures is a grey level, so every page becomes
 * one plane of 8-bit grey (0 black, 255 white) whatever the file held:
 * black-and-white (1 bit), grey, colour or a palette.  A page source
 * yields the pages of one file in order:
 *
 *   - PDF (poppler-glib): a scanner's PDF is one image per page; that
 *     image is taken as it is, at its own resolution.  A page that is not
 *     one full-page image (a PDF drawn from vectors) is rasterised at
 *     SCAN_PDF_RENDER_DPI.
 *   - TIFF (libtiff), every page of a multi-page file: 1-bit (also fax
 *     G3/G4), 8-bit grey, RGB, palette, tiled or striped.
 *   - PNG (libpng) and JPEG (libjpeg): one page; a JPEG too large for
 *     the pixel budget is decoded at a half, a quarter or an eighth of
 *     its size (libjpeg scales while it decodes).
 *   - HEIC and HEIF (libheif), as phones store photos, when draagvlak
 *     was built with libheif (SCAN_HAVE_HEIF); otherwise a clear error.
 *
 * No file may make the reader use unbounded memory: every decoder checks
 * the image's size against SCAN_MAX_PIXELS (and each side against
 * SCAN_MAX_SIDE) before it allocates or decodes anything, libtiff and
 * libjpeg are given the same cap for their own allocations, unusual
 * TIFF samples per pixel or bits per sample are refused from the
 * header, and a PDF page is measured before it is drawn.  The error
 * says in words what was too large and what to do.
 *
 * The resolution is taken from the file when it says one (PNG pHYs,
 * JFIF density, TIFF resolution tags, the size of a PDF's image on its
 * page); scan_image_dpi() otherwise infers it from the image's size,
 * assuming an A4 page.
 *
 * Thread-safety: images and sources are plain data; different threads
 * may read different sources at the same time.
 */
#ifndef DRAAGVLAK_SCAN_IMAGE_H
#define DRAAGVLAK_SCAN_IMAGE_H

#include <stddef.h>

#include "strbuf.h"

/* Vector PDF pages are rasterised at this resolution. */
#define SCAN_PDF_RENDER_DPI 200.0

/*
 * The most pixels one page may have: an A3 sheet at 600 dpi (70 million)
 * fits, and so does a 50-megapixel photo.  As 8-bit grey that is 72 MB;
 * a decoder's own buffers stay within a few times that.
 */
#define SCAN_MAX_PIXELS (72L * 1000 * 1000)
/* The most pixels on either side: 1.2 m at 600 dpi. */
#define SCAN_MAX_SIDE 30000

/*
 * A grey image.  px[y * stride + x] is the pixel in column x of row y,
 * counted from the top-left corner.  The image owns px.
 */
struct scan_image {
	int w, h;	   /* pixels */
	size_t stride;	   /* bytes from one row to the next, >= w */
	unsigned char *px; /* 0 black .. 255 white */
	double dpi;	   /* pixels per inch the file says; 0: not said */
	size_t size;	   /* bytes allocated at px (reused page to page) */
};

#define SCAN_IMAGE_INIT                                                        \
	{                                                                      \
		0, 0, 0, NULL, 0, 0                                            \
	}

/* An empty image (no pixels). */
void scan_image_init(struct scan_image *img);
/*
 * Make img a w x h image of white pixels, with stride w and no dpi,
 * reusing its memory when it is large enough (a stack of pages of one
 * size allocates once).  Returns 0, or -1 with a sentence in err when w or h is not
 * positive or absurdly large.
 */
int scan_image_alloc(struct scan_image *img, int w, int h, struct strbuf *err);
/* Free the pixels; img is empty after.  NULL is fine. */
void scan_image_release(struct scan_image *img);

/*
 * The image's resolution in pixels per inch: the file's when it gave one
 * between 50 and 2400, otherwise what an A4 page (either way round) of
 * this size has.
 */
double scan_image_dpi(const struct scan_image *img);

/*
 * Append img as an 8-bit grey PNG file, with its dpi (when known) in a
 * pHYs chunk.  Returns 0, or -1 with a sentence in err.
 */
int scan_image_write_png(const struct scan_image *img, struct strbuf *png,
			 struct strbuf *err);

/*
 * Even out the light of a photo: the paper's own brightness is estimated
 * everywhere (the brightest of each block of about 1/64 of the image,
 * spread over its neighbours so that print and ink between do not count,
 * then smoothed), and every pixel divided by it, so that paper comes out
 * at the same grey in a shadow and in full light.  A scan, lit evenly
 * (its paper within 12% from end to end), is left alone: returns 0 and
 * out is untouched.  Returns 1 with the evened image in out (released
 * first), or -1 with a sentence in err.
 */
int scan_image_flatten(const struct scan_image *img, struct scan_image *out,
		       struct strbuf *err);

/* The pages of one scanned file. */
struct scan_source;

/*
 * Open the file at path, recognised by its first bytes (PDF, TIFF, PNG,
 * JPEG, HEIC).  Returns the source (close with scan_source_close()), or NULL
 * with a sentence in err that names the file: missing, unreadable, not
 * an image format we read, or damaged.
 */
struct scan_source *scan_source_open(const char *path, struct strbuf *err);

/* The number of pages in the file. */
size_t scan_source_pages(const struct scan_source *src);

/*
 * Decode the next page into img (releasing what it held).  Returns 1 when
 * img holds a page, 0 when there are no more pages, or -1 with a sentence
 * in err naming the file and page when this page cannot be decoded; the
 * next call goes on with the page after it.
 */
int scan_source_next(struct scan_source *src, struct scan_image *img,
		     struct strbuf *err);

/* NULL is fine. */
void scan_source_close(struct scan_source *src);

/*
 * The first page of the file at path, for files of one page: returns 0,
 * or -1 with a sentence in err.
 */
int scan_image_load(const char *path, struct scan_image *img,
		    struct strbuf *err);

#endif
