/*
 * image.c - decoding scanned files into grey images (see image.h).
 *
 * One decoder per format, each through its library: libpng, libjpeg,
 * libtiff and poppler-glib.  libpng and libjpeg report errors by
 * longjmp; every value that changes after the setjmp lives in a job
 * struct on the heap so that the jump cannot clobber it.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>
#include <poppler.h>
#include <tiffio.h>

#include "image.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_SIDE 30000 /* pixels: 1.2 m at 600 dpi; more is a broken file */

void scan_image_init(struct scan_image *img)
{
	memset(img, 0, sizeof(*img));
}

int scan_image_alloc(struct scan_image *img, int w, int h, struct strbuf *err)
{
	size_t n;

	if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE) {
		strbuf_addf(err, "an image of %d x %d pixels cannot be a page",
			    w, h);
		return -1;
	}
	n = (size_t)w * (size_t)h;
	if (n > img->size) {
		free(img->px);
		img->px = xmalloc(n);
		img->size = n;
	}
	img->w = w;
	img->h = h;
	img->stride = (size_t)w;
	img->dpi = 0;
	memset(img->px, 255, n);
	return 0;
}

void scan_image_release(struct scan_image *img)
{
	if (!img)
		return;
	free(img->px);
	scan_image_init(img);
}

double scan_image_dpi(const struct scan_image *img)
{
	double lo = img->w < img->h ? img->w : img->h;
	double hi = img->w < img->h ? img->h : img->w;
	double guess = (lo / (210 / 25.4) + hi / (297 / 25.4)) / 2;

	/* A file's own figure wins unless it makes the page absurd (some
	 * programs write 72 dpi whatever the scan was). */
	if (img->dpi >= 50 && img->dpi <= 2400 && img->dpi / guess > 0.7 &&
	    img->dpi / guess < 1.4)
		return img->dpi;
	return guess;
}

/* Grey from 8-bit red, green and blue (ITU-R BT.601 weights). */
static inline unsigned char grey(unsigned r, unsigned g, unsigned b)
{
	return (unsigned char)((r * 77 + g * 150 + b * 29 + 128) >> 8);
}

/* ---- PNG ---- */

struct png_job {
	jmp_buf jb;
	struct strbuf *err;
	const char *what;
	png_structp png;
	png_infop info;
	png_bytep *rows;
	FILE *f;
};

static void png_error_fn(png_structp png, png_const_charp msg)
{
	struct png_job *j = png_get_error_ptr(png);

	strbuf_addf(j->err, "%s: %s", j->what, msg);
	longjmp(j->jb, 1);
}

static void png_warning_fn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static int read_png(const char *path, struct scan_image *img,
		    struct strbuf *err)
{
	struct png_job *j = xcalloc(1, sizeof(*j));
	int ret = -1;

	j->err = err;
	j->what = path;
	j->f = fopen(path, "rb");
	if (!j->f) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	j->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, j, png_error_fn,
					png_warning_fn);
	j->info = png_create_info_struct(j->png);
	if (setjmp(j->jb))
		goto out;
	png_init_io(j->png, j->f);
	png_read_info(j->png, j->info);
	{
		int type = png_get_color_type(j->png, j->info);
		int depth = png_get_bit_depth(j->png, j->info);
		png_uint_32 rx, ry;
		int unit;

		if (type == PNG_COLOR_TYPE_PALETTE)
			png_set_palette_to_rgb(j->png);
		if (type == PNG_COLOR_TYPE_GRAY && depth < 8)
			png_set_expand_gray_1_2_4_to_8(j->png);
		if (depth == 16)
			png_set_strip_16(j->png);
		if (type & PNG_COLOR_MASK_ALPHA)
			png_set_strip_alpha(j->png);
		if (type & PNG_COLOR_MASK_COLOR)
			png_set_rgb_to_gray_fixed(j->png, 1, -1, -1);
		png_set_interlace_handling(j->png);
		png_read_update_info(j->png, j->info);
		if (png_get_channels(j->png, j->info) != 1 ||
		    png_get_rowbytes(j->png, j->info) !=
			    png_get_image_width(j->png, j->info)) {
			strbuf_addf(err, "%s: a PNG layout we cannot read",
				    path);
			goto out;
		}
		if (scan_image_alloc(img,
				     (int)png_get_image_width(j->png, j->info),
				     (int)png_get_image_height(j->png, j->info),
				     err) < 0)
			goto out;
		if (png_get_pHYs(j->png, j->info, &rx, &ry, &unit) &&
		    unit == PNG_RESOLUTION_METER)
			img->dpi = rx * 0.0254;
	}
	j->rows = xmalloc((size_t)img->h * sizeof(*j->rows));
	for (int y = 0; y < img->h; y++)
		j->rows[y] = img->px + (size_t)y * img->stride;
	png_read_image(j->png, j->rows);
	png_read_end(j->png, NULL);
	ret = 0;
out:
	if (j->png)
		png_destroy_read_struct(&j->png, &j->info, NULL);
	if (j->f)
		fclose(j->f);
	free(j->rows);
	free(j);
	if (ret < 0)
		scan_image_release(img);
	return ret;
}

static void png_write_fn(png_structp png, png_bytep data, size_t len)
{
	strbuf_add(png_get_io_ptr(png), data, len);
}

static void png_flush_fn(png_structp png)
{
	(void)png;
}

int scan_image_write_png(const struct scan_image *img, struct strbuf *png,
			 struct strbuf *err)
{
	struct png_job *j = xcalloc(1, sizeof(*j));
	int ret = -1;

	j->err = err;
	j->what = "writing a PNG image";
	j->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, j, png_error_fn,
					 png_warning_fn);
	j->info = png_create_info_struct(j->png);
	if (setjmp(j->jb))
		goto out;
	png_set_write_fn(j->png, png, png_write_fn, png_flush_fn);
	/* Crops are small and made one at a time: fast beats smallest. */
	png_set_compression_level(j->png, 3);
	png_set_IHDR(j->png, j->info, (png_uint_32)img->w, (png_uint_32)img->h,
		     8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (img->dpi > 0) {
		png_uint_32 ppm = (png_uint_32)lround(img->dpi / 0.0254);

		png_set_pHYs(j->png, j->info, ppm, ppm, PNG_RESOLUTION_METER);
	}
	png_write_info(j->png, j->info);
	for (int y = 0; y < img->h; y++)
		png_write_row(j->png, img->px + (size_t)y * img->stride);
	png_write_end(j->png, NULL);
	ret = 0;
out:
	png_destroy_write_struct(&j->png, &j->info);
	free(j);
	return ret;
}

/* ---- JPEG ---- */

struct jpeg_job {
	struct jpeg_error_mgr pub; /* first: libjpeg casts to it */
	jmp_buf jb;
	struct strbuf *err;
	const char *path;
	struct jpeg_decompress_struct cinfo;
	bool created;
	FILE *f;
};

static void jpeg_error_fn(j_common_ptr c)
{
	struct jpeg_job *j = (struct jpeg_job *)c->err;
	char msg[JMSG_LENGTH_MAX];

	c->err->format_message(c, msg);
	strbuf_addf(j->err, "%s: %s", j->path, msg);
	longjmp(j->jb, 1);
}

/* Warnings (a truncated file, say) would go to stderr: the page is
 * judged by what it shows, not by libjpeg's remarks. */
static void jpeg_message_fn(j_common_ptr c)
{
	(void)c;
}

static int read_jpeg(const char *path, struct scan_image *img,
		     struct strbuf *err)
{
	struct jpeg_job *j = xcalloc(1, sizeof(*j));
	int ret = -1;

	j->err = err;
	j->path = path;
	j->f = fopen(path, "rb");
	if (!j->f) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	j->cinfo.err = jpeg_std_error(&j->pub);
	j->pub.error_exit = jpeg_error_fn;
	j->pub.output_message = jpeg_message_fn;
	if (setjmp(j->jb))
		goto out;
	jpeg_create_decompress(&j->cinfo);
	j->created = true;
	jpeg_stdio_src(&j->cinfo, j->f);
	jpeg_read_header(&j->cinfo, TRUE);
	/* libjpeg takes the luminance straight from YCbCr: no colour work. */
	j->cinfo.out_color_space = JCS_GRAYSCALE;
	jpeg_start_decompress(&j->cinfo);
	if (scan_image_alloc(img, (int)j->cinfo.output_width,
			     (int)j->cinfo.output_height, err) < 0)
		goto out;
	if (j->cinfo.density_unit == 1)
		img->dpi = j->cinfo.X_density;
	else if (j->cinfo.density_unit == 2)
		img->dpi = j->cinfo.X_density * 2.54;
	while (j->cinfo.output_scanline < j->cinfo.output_height) {
		JSAMPROW rows[16];
		unsigned n = 0;

		for (; n < 16 &&
		       j->cinfo.output_scanline + n < j->cinfo.output_height;
		     n++)
			rows[n] = img->px +
				  (size_t)(j->cinfo.output_scanline + n) *
					  img->stride;
		jpeg_read_scanlines(&j->cinfo, rows, n);
	}
	jpeg_finish_decompress(&j->cinfo);
	ret = 0;
out:
	if (j->created)
		jpeg_destroy_decompress(&j->cinfo);
	if (j->f)
		fclose(j->f);
	free(j);
	if (ret < 0)
		scan_image_release(img);
	return ret;
}

/* ---- TIFF ---- */

static int tiff_error_fn(TIFF *tif, void *data, const char *module,
			 const char *fmt, va_list ap)
{
	struct strbuf *msg = data;

	(void)tif;
	(void)module;
	if (msg->len)
		return 1; /* the first says most */
	strbuf_vaddf(msg, fmt, ap);
	return 1;
}

static int tiff_warning_fn(TIFF *tif, void *data, const char *module,
			   const char *fmt, va_list ap)
{
	(void)tif;
	(void)data;
	(void)module;
	(void)fmt;
	(void)ap;
	return 1;
}

/* The current directory through libtiff's RGBA reader: any layout. */
static int tiff_rgba(TIFF *tif, struct scan_image *img)
{
	size_t n = (size_t)img->w * img->h;
	uint32_t *raster = xmalloc(n * sizeof(*raster));
	int ok = TIFFReadRGBAImageOriented(tif, (uint32_t)img->w,
					   (uint32_t)img->h, raster,
					   ORIENTATION_TOPLEFT, 0);

	if (ok)
		for (size_t i = 0; i < n; i++)
			img->px[i] =
				grey(TIFFGetR(raster[i]), TIFFGetG(raster[i]),
				     TIFFGetB(raster[i]));
	free(raster);
	return ok ? 0 : -1;
}

/* The current directory row by row, for the common layouts. */
static int tiff_rows(TIFF *tif, struct scan_image *img, int bps, int spp,
		     int photo)
{
	tmsize_t size = TIFFScanlineSize(tif);
	unsigned char *row = xmalloc(size > 0 ? (size_t)size : 1);
	int ret = 0;

	for (int y = 0; y < img->h && ret == 0; y++) {
		unsigned char *o = img->px + (size_t)y * img->stride;

		if (TIFFReadScanline(tif, row, (uint32_t)y, 0) < 0) {
			ret = -1;
			break;
		}
		if (bps == 1) {
			unsigned char on =
				photo == PHOTOMETRIC_MINISWHITE ? 0 : 255;

			for (int x = 0; x < img->w; x++)
				o[x] = (row[x >> 3] >> (7 - (x & 7))) & 1
					       ? on
					       : (unsigned char)(255 - on);
		} else if (spp == 1) {
			if (photo == PHOTOMETRIC_MINISWHITE)
				for (int x = 0; x < img->w; x++)
					o[x] = (unsigned char)(255 - row[x]);
			else
				memcpy(o, row, (size_t)img->w);
		} else {
			for (int x = 0; x < img->w; x++) {
				const unsigned char *p = row + (size_t)x * spp;

				o[x] = grey(p[0], p[1], p[2]);
			}
		}
	}
	free(row);
	return ret;
}

static int read_tiff_page(TIFF *tif, struct strbuf *msg, const char *path,
			  size_t page, struct scan_image *img,
			  struct strbuf *err)
{
	uint32_t w = 0, h = 0;
	uint16_t bps = 1, spp = 1, photo = PHOTOMETRIC_MINISWHITE,
		 planar = PLANARCONFIG_CONTIG, unit = RESUNIT_INCH;
	float xres = 0;
	bool simple;

	strbuf_reset(msg);
	TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo);
	TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
	if (scan_image_alloc(img, (int)w, (int)h, err) < 0)
		goto fail;
	if (TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres) && xres > 0) {
		TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
		if (unit == RESUNIT_INCH)
			img->dpi = xres;
		else if (unit == RESUNIT_CENTIMETER)
			img->dpi = xres * 2.54;
	}
	simple = !TIFFIsTiled(tif) && planar == PLANARCONFIG_CONTIG &&
		 (((bps == 1 || bps == 8) && spp == 1 &&
		   (photo == PHOTOMETRIC_MINISWHITE ||
		    photo == PHOTOMETRIC_MINISBLACK)) ||
		  (bps == 8 && (spp == 3 || spp == 4) &&
		   photo == PHOTOMETRIC_RGB));
	if ((simple ? tiff_rows(tif, img, bps, spp, photo)
		    : tiff_rgba(tif, img)) < 0)
		goto fail;
	return 0;
fail:
	if (!err->len)
		strbuf_addf(err, "%s: page %zu cannot be decoded: %s", path,
			    page, msg->len ? msg->buf : "a damaged TIFF file");
	scan_image_release(img);
	return -1;
}

/* ---- PDF ---- */

/* Grey from a cairo image (RGB24 or ARGB32, alpha over white). */
static int grey_from_cairo(cairo_surface_t *s, struct scan_image *img,
			   struct strbuf *err)
{
	cairo_format_t fmt = cairo_image_surface_get_format(s);
	const unsigned char *data;
	int stride;

	if (fmt != CAIRO_FORMAT_RGB24 && fmt != CAIRO_FORMAT_ARGB32) {
		strbuf_addstr(err, "an image format poppler gave us that we "
				   "do not read");
		return -1;
	}
	cairo_surface_flush(s);
	if (scan_image_alloc(img, cairo_image_surface_get_width(s),
			     cairo_image_surface_get_height(s), err) < 0)
		return -1;
	data = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < img->h; y++) {
		const uint32_t *row =
			(const uint32_t *)(data + (size_t)y * (size_t)stride);
		unsigned char *o = img->px + (size_t)y * img->stride;

		for (int x = 0; x < img->w; x++) {
			uint32_t p = row[x];
			unsigned g =
				grey((p >> 16) & 255, (p >> 8) & 255, p & 255);

			if (fmt == CAIRO_FORMAT_ARGB32)
				g += 255 - (p >> 24); /* premultiplied */
			o[x] = (unsigned char)(g > 255 ? 255 : g);
		}
	}
	return 0;
}

/*
 * The one image that covers the page, as the scanner stored it: id and
 * the resolution it has on the page.  -1 when the page is anything else.
 */
static int pdf_page_image(PopplerPage *page, double *dpi)
{
	GList *map = poppler_page_get_image_mapping(page), *it;
	double pw, ph;
	int id = -1, n = 0;

	poppler_page_get_size(page, &pw, &ph);
	for (it = map; it; it = it->next) {
		PopplerImageMapping *m = it->data;
		double w = m->area.x2 - m->area.x1, h = m->area.y2 - m->area.y1;

		n++;
		if (fabs(w) >= 0.9 * pw && fabs(h) >= 0.9 * ph) {
			id = m->image_id;
			*dpi = fabs(w) / 72.0;
		}
	}
	poppler_page_free_image_mapping(map);
	return n == 1 ? id : -1;
}

static int read_pdf_page(PopplerDocument *doc, const char *path, size_t index,
			 struct scan_image *img, struct strbuf *err)
{
	PopplerPage *page = poppler_document_get_page(doc, (int)index);
	cairo_surface_t *s = NULL;
	double inches = 0, pw, ph;
	int id, ret = -1;

	if (!page) {
		strbuf_addf(err, "%s: page %zu cannot be read", path,
			    index + 1);
		return -1;
	}
	id = pdf_page_image(page, &inches);
	if (id >= 0)
		s = poppler_page_get_image(page, id);
	if (s && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS &&
	    grey_from_cairo(s, img, err) == 0) {
		img->dpi = img->w / inches;
		ret = 0;
		goto out;
	}
	strbuf_reset(err);
	if (s)
		cairo_surface_destroy(s);
	/* Not a scan: draw it. */
	poppler_page_get_size(page, &pw, &ph);
	s = cairo_image_surface_create(
		CAIRO_FORMAT_RGB24, (int)lround(pw / 72 * SCAN_PDF_RENDER_DPI),
		(int)lround(ph / 72 * SCAN_PDF_RENDER_DPI));
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		strbuf_addf(err, "%s: page %zu is too large to draw", path,
			    index + 1);
		goto out;
	}
	{
		cairo_t *cr = cairo_create(s);

		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_scale(cr, SCAN_PDF_RENDER_DPI / 72,
			    SCAN_PDF_RENDER_DPI / 72);
		poppler_page_render_for_printing(page, cr);
		cairo_destroy(cr);
	}
	if (grey_from_cairo(s, img, err) < 0) {
		strbuf_addf(err, " (%s, page %zu)", path, index + 1);
		goto out;
	}
	img->dpi = SCAN_PDF_RENDER_DPI;
	ret = 0;
out:
	if (s)
		cairo_surface_destroy(s);
	g_object_unref(page);
	return ret;
}

/* ---- Sources ---- */

enum format { FMT_PNG, FMT_JPEG, FMT_TIFF, FMT_PDF };

struct scan_source {
	enum format fmt;
	char *path;
	size_t next, count;
	TIFF *tif;
	struct strbuf tiff_msg; /* libtiff's last complaint */
	PopplerDocument *pdf;
};

static int sniff(const char *path, enum format *fmt, struct strbuf *err)
{
	unsigned char m[8] = { 0 };
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(m, 1, sizeof(m), f);
	fclose(f);
	if (n >= 8 && !memcmp(m, "\x89PNG\r\n\x1a\n", 8))
		*fmt = FMT_PNG;
	else if (n >= 3 && m[0] == 0xff && m[1] == 0xd8 && m[2] == 0xff)
		*fmt = FMT_JPEG;
	else if (n >= 4 && (!memcmp(m, "II*\0", 4) || !memcmp(m, "MM\0*", 4) ||
			    !memcmp(m, "II+\0", 4) || !memcmp(m, "MM\0+", 4)))
		*fmt = FMT_TIFF;
	else if (n >= 5 && !memcmp(m, "%PDF-", 5))
		*fmt = FMT_PDF;
	else {
		strbuf_addf(err,
			    "%s is not a PDF, TIFF, PNG or JPEG file; scan "
			    "to one of those",
			    path);
		return -1;
	}
	return 0;
}

struct scan_source *scan_source_open(const char *path, struct strbuf *err)
{
	struct scan_source *src = xcalloc(1, sizeof(*src));
	TIFFOpenOptions *opts;
	GError *gerr = NULL;
	int fd;

	strbuf_init(&src->tiff_msg, 0);
	if (sniff(path, &src->fmt, err) < 0)
		goto fail;
	src->path = xstrdup(path);
	src->count = 1;
	switch (src->fmt) {
	case FMT_PNG:
	case FMT_JPEG: break;
	case FMT_TIFF:
		opts = TIFFOpenOptionsAlloc();
		TIFFOpenOptionsSetErrorHandlerExtR(opts, tiff_error_fn,
						   &src->tiff_msg);
		TIFFOpenOptionsSetWarningHandlerExtR(opts, tiff_warning_fn,
						     NULL);
		src->tif = TIFFOpenExt(path, "r", opts);
		TIFFOpenOptionsFree(opts);
		if (!src->tif) {
			strbuf_addf(err, "%s: not a readable TIFF file: %s",
				    path, src->tiff_msg.buf);
			goto fail;
		}
		src->count = TIFFNumberOfDirectories(src->tif);
		break;
	case FMT_PDF:
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			strbuf_addf(err, "%s: %s", path, strerror(errno));
			goto fail;
		}
		/* poppler owns fd from here, also when it fails. */
		src->pdf = poppler_document_new_from_fd(fd, NULL, &gerr);
		if (!src->pdf) {
			strbuf_addf(err, "%s: not a readable PDF file: %s",
				    path, gerr ? gerr->message : "?");
			g_clear_error(&gerr);
			goto fail;
		}
		src->count = (size_t)poppler_document_get_n_pages(src->pdf);
		break;
	}
	return src;
fail:
	scan_source_close(src);
	return NULL;
}

size_t scan_source_pages(const struct scan_source *src)
{
	return src->count;
}

int scan_source_next(struct scan_source *src, struct scan_image *img,
		     struct strbuf *err)
{
	size_t i = src->next;

	if (i >= src->count)
		return 0;
	src->next++;
	switch (src->fmt) {
	case FMT_PNG: return read_png(src->path, img, err) < 0 ? -1 : 1;
	case FMT_JPEG: return read_jpeg(src->path, img, err) < 0 ? -1 : 1;
	case FMT_TIFF:
		if (!TIFFSetDirectory(src->tif, (tdir_t)i)) {
			strbuf_addf(err, "%s: page %zu cannot be found: %s",
				    src->path, i + 1, src->tiff_msg.buf);
			return -1;
		}
		return read_tiff_page(src->tif, &src->tiff_msg, src->path,
				      i + 1, img, err) < 0
			       ? -1
			       : 1;
	case FMT_PDF:
		return read_pdf_page(src->pdf, src->path, i, img, err) < 0 ? -1
									   : 1;
	}
	return -1;
}

void scan_source_close(struct scan_source *src)
{
	if (!src)
		return;
	if (src->tif)
		TIFFClose(src->tif);
	if (src->pdf)
		g_object_unref(src->pdf);
	strbuf_release(&src->tiff_msg);
	free(src->path);
	free(src);
}

int scan_image_load(const char *path, struct scan_image *img,
		    struct strbuf *err)
{
	struct scan_source *src = scan_source_open(path, err);
	int ret;

	if (!src)
		return -1;
	ret = scan_source_next(src, img, err);
	if (ret == 0)
		strbuf_addf(err, "%s has no pages", path);
	scan_source_close(src);
	return ret == 1 ? 0 : -1;
}
