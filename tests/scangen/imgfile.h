/*
 * imgfile.h - writing scanned pages the way scanners store them: PNG
 * and JPEG files of one page, multi-page TIFF (8-bit grey with Deflate,
 * or 1-bit CCITT G4 for black-and-white pages) and PDF with one image
 * per page at the page's physical size.  Every image is 8-bit grey,
 * w x h with no padding, and carries its resolution.
 */
#ifndef SCANGEN_IMGFILE_H
#define SCANGEN_IMGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* A grey image and its resolution. */
struct img {
	uint8_t *px;
	int w, h, dpi;
};

int img_write_png(const char *path, const struct img *im, struct strbuf *err);

/* JPEG in memory (free *buf with free()), and back into im->px. */
int img_jpeg_encode(const struct img *im, int quality, unsigned char **buf,
		    size_t *len, struct strbuf *err);
/* As a phone stores it: three components, no resolution (dpi 0). */
int img_jpeg_encode_photo(const struct img *im, int quality,
			  unsigned char **buf, size_t *len, struct strbuf *err);
int img_jpeg_decode(const unsigned char *buf, size_t len, struct img *im,
		    struct strbuf *err);
int img_write_bytes(const char *path, const void *buf, size_t len,
		    struct strbuf *err);

struct tiff_out;
struct tiff_out *img_tiff_open(const char *path, struct strbuf *err);
/* Add a page; bw pages are stored as 1 bit, G4 (black below 128). */
int img_tiff_add(struct tiff_out *t, const struct img *im, bool bw,
		 unsigned page, unsigned pages, struct strbuf *err);
/* Close (also after a failure); -1 if a page failed (img_tiff_add()
 * said why).  libtiff reports its own errors on stderr. */
int img_tiff_close(struct tiff_out *t);

struct pdf_out;
struct pdf_out *img_pdf_open(const char *path, struct strbuf *err);
/* Add a page of the image's physical size; jpeg (may be NULL) is the
 * image compressed, embedded as it is (the PDF takes it over). */
int img_pdf_add(struct pdf_out *p, const struct img *im, unsigned char *jpeg,
		size_t jpeg_len, struct strbuf *err);
int img_pdf_close(struct pdf_out *p, struct strbuf *err);

#endif
