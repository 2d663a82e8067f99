/*
 * imgfile.c - PNG, JPEG, TIFF and PDF pages (see imgfile.h).
 */
#include <cairo-pdf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* jpeglib.h needs stdio.h and stddef.h first. */
#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>

#include "imgfile.h"
#include "xalloc.h"
#include "banned.h"

/* ---- PNG ---- */

int img_write_png(const char *path, const struct img *im, struct strbuf *err)
{
	png_structp png = NULL;
	png_infop info = NULL;
	FILE *fp = fopen(path, "wb");
	int ret = -1;

	if (!fp) {
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		strbuf_addf(err, "cannot write %s: out of memory", path);
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		strbuf_addf(err, "cannot write %s", path);
		goto out;
	}
	png_init_io(png, fp);
	/*
	 * Speed over size: a 300 dpi page is 8.7 MB of pixels, and zlib's
	 * default level spends most of the generator's time on it.
	 * Run-length deflate of unfiltered rows is several times as fast,
	 * still squeezes white paper well, and on noisy pages does better
	 * than a filter (which adds the noise of two pixels).
	 */
	png_set_filter(png, 0, PNG_FILTER_NONE);
	png_set_compression_level(png, 1);
	png_set_compression_strategy(png, 3 /* Z_RLE */);
	png_set_IHDR(png, info, (png_uint_32)im->w, (png_uint_32)im->h, 8,
		     PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_pHYs(png, info, (png_uint_32)(im->dpi / 0.0254 + 0.5),
		     (png_uint_32)(im->dpi / 0.0254 + 0.5),
		     PNG_RESOLUTION_METER);
	png_write_info(png, info);
	for (int y = 0; y < im->h; y++)
		png_write_row(png, im->px + (size_t)y * im->w);
	png_write_end(png, NULL);
	ret = 0;
out:
	png_destroy_write_struct(&png, &info);
	if (fclose(fp) && !ret) {
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
		ret = -1;
	}
	return ret;
}

/* ---- JPEG ---- */

/* libjpeg reports errors by calling error_exit, which must not return. */
struct jpeg_err {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
};

static void jpeg_fail(j_common_ptr cinfo)
{
	struct jpeg_err *e = (struct jpeg_err *)cinfo->err;

	e->mgr.format_message(cinfo, e->msg);
	longjmp(e->jump, 1);
}

/* colour: three components, as a camera stores them (the same grey). */
static int encode(const struct img *im, int quality, bool colour,
		  unsigned char **buf, size_t *len, struct strbuf *err)
{
	struct jpeg_compress_struct c;
	struct jpeg_err e;
	unsigned char *volatile out = NULL;
	unsigned char *volatile rgb = NULL;
	unsigned long size = 0;

	c.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = jpeg_fail;
	if (setjmp(e.jump)) {
		strbuf_addf(err, "JPEG: %s", e.msg);
		jpeg_destroy_compress(&c);
		free(out);
		free(rgb);
		return -1;
	}
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, (unsigned char **)&out, &size);
	c.image_width = (JDIMENSION)im->w;
	c.image_height = (JDIMENSION)im->h;
	c.input_components = colour ? 3 : 1;
	c.in_color_space = colour ? JCS_RGB : JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, quality, TRUE);
	c.density_unit = im->dpi > 0 ? 1 : 0; /* dots per inch, or none */
	c.X_density = c.Y_density = (UINT16)(im->dpi > 0 ? im->dpi : 1);
	if (colour)
		rgb = xmalloc(3 * (size_t)im->w);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW row = im->px + (size_t)c.next_scanline * im->w;

		if (colour) {
			for (int x = 0; x < im->w; x++)
				memset(rgb + 3 * x, row[x], 3);
			row = rgb;
		}
		jpeg_write_scanlines(&c, &row, 1);
	}
	free(rgb);
	rgb = NULL;
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	*buf = out;
	*len = size;
	return 0;
}

int img_jpeg_encode(const struct img *im, int quality, unsigned char **buf,
		    size_t *len, struct strbuf *err)
{
	return encode(im, quality, false, buf, len, err);
}

int img_jpeg_encode_photo(const struct img *im, int quality,
			  unsigned char **buf, size_t *len, struct strbuf *err)
{
	return encode(im, quality, true, buf, len, err);
}

int img_jpeg_decode(const unsigned char *buf, size_t len, struct img *im,
		    struct strbuf *err)
{
	struct jpeg_decompress_struct d;
	struct jpeg_err e;

	d.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = jpeg_fail;
	if (setjmp(e.jump)) {
		strbuf_addf(err, "JPEG: %s", e.msg);
		jpeg_destroy_decompress(&d);
		return -1;
	}
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, buf, (unsigned long)len);
	jpeg_read_header(&d, TRUE);
	d.out_color_space = JCS_GRAYSCALE;
	jpeg_start_decompress(&d);
	if ((int)d.output_width != im->w || (int)d.output_height != im->h) {
		strbuf_addf(err, "JPEG: decoded %ux%u, wanted %dx%d",
			    d.output_width, d.output_height, im->w, im->h);
		jpeg_destroy_decompress(&d);
		return -1;
	}
	while (d.output_scanline < d.output_height) {
		JSAMPROW row = im->px + (size_t)d.output_scanline * im->w;

		jpeg_read_scanlines(&d, &row, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return 0;
}

int img_write_bytes(const char *path, const void *buf, size_t len,
		    struct strbuf *err)
{
	FILE *fp = fopen(path, "wb");
	int bad;

	if (!fp) {
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	bad = fwrite(buf, 1, len, fp) != len;
	if (fclose(fp))
		bad = 1;
	if (bad) {
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- TIFF ---- */

struct tiff_out {
	TIFF *tif;
	char *path;
	uint8_t *row;
	int failed;
};

struct tiff_out *img_tiff_open(const char *path, struct strbuf *err)
{
	struct tiff_out *t;
	TIFF *tif = TIFFOpen(path, "w");

	if (!tif) {
		strbuf_addf(err, "cannot write %s", path);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->tif = tif;
	t->path = xstrdup(path);
	return t;
}

/* Pack a row as 1 bit per pixel, 1 = black (min-is-white). */
static void pack_bits(const uint8_t *px, int w, uint8_t *out)
{
	memset(out, 0, (size_t)(w + 7) / 8);
	for (int x = 0; x < w; x++)
		if (px[x] < 128)
			out[x >> 3] |= (uint8_t)(0x80 >> (x & 7));
}

int img_tiff_add(struct tiff_out *t, const struct img *im, bool bw,
		 unsigned page, unsigned pages, struct strbuf *err)
{
	TIFF *tif = t->tif;

	TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
	TIFFSetField(tif, TIFFTAG_PAGENUMBER, (uint16_t)page, (uint16_t)pages);
	TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)im->w);
	TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)im->h);
	TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	TIFFSetField(tif, TIFFTAG_XRESOLUTION, (float)im->dpi);
	TIFFSetField(tif, TIFFTAG_YRESOLUTION, (float)im->dpi);
	TIFFSetField(tif, TIFFTAG_SOFTWARE, "draagvlak scangen");
	if (bw) {
		TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
		TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
		TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
		TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, (uint32_t)im->h);
	} else {
		TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
		TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
		TIFFSetField(tif, TIFFTAG_COMPRESSION,
			     COMPRESSION_ADOBE_DEFLATE);
		/* Fast rather than small, as for PNG. */
		TIFFSetField(tif, TIFFTAG_ZIPQUALITY, 1);
		TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP,
			     TIFFDefaultStripSize(tif, 0));
	}
	t->row = xrealloc(t->row, (size_t)im->w);
	for (int y = 0; y < im->h; y++) {
		const uint8_t *src = im->px + (size_t)y * im->w;

		if (bw)
			pack_bits(src, im->w, t->row);
		else
			memcpy(t->row, src, (size_t)im->w);
		if (TIFFWriteScanline(tif, t->row, (uint32_t)y, 0) < 0) {
			strbuf_addf(err, "cannot write %s", t->path);
			t->failed = 1;
			return -1;
		}
	}
	if (!TIFFWriteDirectory(tif)) {
		strbuf_addf(err, "cannot write %s", t->path);
		t->failed = 1;
		return -1;
	}
	return 0;
}

int img_tiff_close(struct tiff_out *t)
{
	int ret;

	if (!t)
		return 0;
	TIFFClose(t->tif);
	ret = t->failed ? -1 : 0;
	free(t->path);
	free(t->row);
	free(t);
	return ret;
}

/* ---- PDF ---- */

struct pdf_out {
	cairo_surface_t *surface;
	char *path;
};

struct pdf_out *img_pdf_open(const char *path, struct strbuf *err)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, 595.28, 841.89);
	struct pdf_out *p;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		strbuf_addf(err, "cannot write %s: %s", path,
			    cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return NULL;
	}
	/* A fixed date, so the same seed gives the same bytes. */
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
				       "2027-04-20T10:00:00");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
				       "draagvlak scangen");
	p = xcalloc(1, sizeof(*p));
	p->surface = s;
	p->path = xstrdup(path);
	return p;
}

/* A grey image as a cairo RGB24 surface, which cairo's PDF backend
 * recognises as grey (or as 1 bit when only black and white). */
static cairo_surface_t *grey_surface(const struct img *im)
{
	cairo_surface_t *s =
		cairo_image_surface_create(CAIRO_FORMAT_RGB24, im->w, im->h);
	unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);

	for (int y = 0; y < im->h; y++) {
		uint32_t *row = (uint32_t *)(data + (size_t)y * stride);
		const uint8_t *src = im->px + (size_t)y * im->w;

		for (int x = 0; x < im->w; x++)
			row[x] = 0x010101u * src[x];
	}
	cairo_surface_mark_dirty(s);
	return s;
}

int img_pdf_add(struct pdf_out *p, const struct img *im, unsigned char *jpeg,
		size_t jpeg_len, struct strbuf *err)
{
	double f = 72.0 / im->dpi;
	cairo_surface_t *img = grey_surface(im);
	cairo_status_t st;
	cairo_t *cr;

	if (jpeg)
		cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, jpeg,
					    jpeg_len, free, jpeg);
	cairo_pdf_surface_set_size(p->surface, im->w * f, im->h * f);
	cr = cairo_create(p->surface);
	cairo_scale(cr, f, f);
	cairo_set_source_surface(cr, img, 0, 0);
	/* Pixels as scanned: no /Interpolate, as scanners write it. */
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
	cairo_paint(cr);
	cairo_show_page(cr);
	st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(img);
	if (st != CAIRO_STATUS_SUCCESS) {
		strbuf_addf(err, "cannot write %s: %s", p->path,
			    cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

int img_pdf_close(struct pdf_out *p, struct strbuf *err)
{
	cairo_status_t st;

	if (!p)
		return 0;
	cairo_surface_finish(p->surface);
	st = cairo_surface_status(p->surface);
	cairo_surface_destroy(p->surface);
	if (st != CAIRO_STATUS_SUCCESS)
		strbuf_addf(err, "cannot write %s: %s", p->path,
			    cairo_status_to_string(st));
	free(p->path);
	free(p);
	return st == CAIRO_STATUS_SUCCESS ? 0 : -1;
}
