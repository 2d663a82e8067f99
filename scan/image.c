/*
 * image.c - decoding scanned files into grey images (see image.h).
 *
 * One decoder per format, each through its library: libpng, libjpeg,
 * libtiff, poppler-glib and (when built with it) libheif.  libpng and
 * libjpeg report errors by longjmp; every value that changes after the
 * setjmp lives in a job struct on the heap so that the jump cannot
 * clobber it.
 *
 * Every decoder learns the image's size from the file's header and
 * checks it with size_ok() before anything of that size is allocated:
 * a file of a few hundred bytes can claim a page of a billion pixels
 * (issue 18: a 12 KB TIFF took 22.9 GB).
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
#ifdef SCAN_HAVE_HEIF
#include <libheif/heif.h>
#endif

#include "image.h"
#include "xalloc.h"
#include "banned.h"

/*
 * Whether a w x h image is within the budget; if not, a sentence in err
 * saying what was too large.  what names the file (and page).
 */
static bool size_ok(const char *what, double w, double h, struct strbuf *err)
{
	if (w >= 1 && h >= 1 && w <= SCAN_MAX_SIDE && h <= SCAN_MAX_SIDE &&
	    w * h <= (double)SCAN_MAX_PIXELS)
		return true;
	if (w < 1 || h < 1)
		strbuf_addf(err,
			    "%s: the file says the image is %.0f x %.0f "
			    "pixels, which is no image (a damaged file)",
			    what, w, h);
	else
		strbuf_addf(
			err,
			"%s: the image is %.0f x %.0f pixels (%.0f million), "
			"more than a page can be (at most %d pixels a side "
			"and %ld million in all, an A3 sheet at 600 dpi): "
			"scan at a lower resolution, or the file is damaged",
			what, w, h, w * h / 1e6, SCAN_MAX_SIDE,
			SCAN_MAX_PIXELS / 1000000);
	return false;
}

void scan_image_init(struct scan_image *img)
{
	memset(img, 0, sizeof(*img));
}

int scan_image_alloc(struct scan_image *img, int w, int h, struct strbuf *err)
{
	size_t n;

	if (w <= 0 || h <= 0 || w > SCAN_MAX_SIDE || h > SCAN_MAX_SIDE ||
	    (double)w * h > (double)SCAN_MAX_PIXELS) {
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

/* The level below which a share p of the n values in hist lies. */
static int hist_level(const unsigned *hist, unsigned n, double p)
{
	unsigned want = (unsigned)(p * n), seen = 0;

	for (int g = 0; g < 256; g++) {
		seen += hist[g];
		if (seen > want)
			return g;
	}
	return 255;
}

int scan_image_flatten(const struct scan_image *img, struct scan_image *out,
		       struct strbuf *err)
{
	int side = img->w < img->h ? img->w : img->h;
	int B = side / 48 > 8 ? side / 48 : 8;
	int gw = (img->w + B - 1) / B, gh = (img->h + B - 1) / B;
	float *bg = xcalloc((size_t)gw * gh, sizeof(*bg));
	float *tmp = xcalloc((size_t)gw * gh, sizeof(*tmp));
	unsigned hist[256];
	int ret = -1;

	if (img->w < 2 * B || img->h < 2 * B) {
		ret = 0;
		goto out;
	}
	/* The paper in each block: most of a block is paper, and the 90th
	 * percentile skips the print and ink on it. */
	for (int by = 0; by < gh; by++)
		for (int bx = 0; bx < gw; bx++) {
			unsigned n = 0;

			memset(hist, 0, sizeof(hist));
			for (int y = by * B; y < (by + 1) * B && y < img->h;
			     y += 2)
				for (int x = bx * B;
				     x < (bx + 1) * B && x < img->w;
				     x += 2, n++)
					hist[img->px[(size_t)y * img->stride +
						     x]]++;
			bg[by * gw + bx] = (float)hist_level(hist, n, 0.9);
		}
	/* A block all black (a filled box, a badge) takes its neighbours'
	 * paper: the brightest within two blocks, then a smoothing. */
	for (int pass = 0; pass < 3; pass++) {
		for (int by = 0; by < gh; by++)
			for (int bx = 0; bx < gw; bx++) {
				float v = 0, sum = 0;
				int n = 0;

				for (int dy = -2; dy <= 2; dy++)
					for (int dx = -2; dx <= 2; dx++) {
						int x = bx + dx, y = by + dy;

						if (x < 0 || y < 0 || x >= gw ||
						    y >= gh)
							continue;
						v = fmaxf(v, bg[y * gw + x]);
						sum += bg[y * gw + x];
						n++;
					}
				tmp[by * gw + bx] = pass == 0 ? v : sum / n;
			}
		memcpy(bg, tmp, (size_t)gw * gh * sizeof(*bg));
	}
	{
		/* Even light: leave the image as it is. */
		unsigned n = 0;

		memset(hist, 0, sizeof(hist));
		for (int i = 0; i < gw * gh; i++, n++)
			hist[(int)bg[i]]++;
		if (hist_level(hist, n, 0.05) >=
		    0.88 * hist_level(hist, n, 0.95)) {
			ret = 0;
			goto out;
		}
	}
	scan_image_release(out);
	if (scan_image_alloc(out, img->w, img->h, err) < 0)
		goto out;
	out->dpi = img->dpi;
	for (int y = 0; y < img->h; y++) {
		const unsigned char *row = img->px + (size_t)y * img->stride;
		unsigned char *o = out->px + (size_t)y * out->stride;
		double fy = (y + 0.5) / B - 0.5;
		int j = (int)floor(fy);
		double wy;

		j = j < 0 ? 0 : j > gh - 2 ? gh - 2 : j;
		wy = fmin(fmax(fy - j, 0), 1);
		for (int x = 0; x < img->w; x++) {
			double fx = (x + 0.5) / B - 0.5, wx, b, v;
			int i = (int)floor(fx);

			i = i < 0 ? 0 : i > gw - 2 ? gw - 2 : i;
			wx = fmin(fmax(fx - i, 0), 1);
			b = (bg[j * gw + i] * (1 - wx) +
			     bg[j * gw + i + 1] * wx) *
				    (1 - wy) +
			    (bg[(j + 1) * gw + i] * (1 - wx) +
			     bg[(j + 1) * gw + i + 1] * wx) *
				    wy;
			/* Paper to 235; the table round it, too dark to
			 * say, stays dark. */
			v = row[x] * 235.0 / fmax(b, 48);
			o[x] = (unsigned char)(v > 255 ? 255 : lround(v));
		}
	}
	ret = 1;
out:
	free(bg);
	free(tmp);
	return ret;
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
	/* libpng refuses larger headers itself, and bounds its chunks. */
	png_set_user_limits(j->png, SCAN_MAX_SIDE, SCAN_MAX_SIDE);
	png_set_chunk_malloc_max(j->png, 8 << 20);
	png_read_info(j->png, j->info);
	if (!size_ok(path, png_get_image_width(j->png, j->info),
		     png_get_image_height(j->png, j->info), err))
		goto out;
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
	if (!size_ok(path, j->cinfo.image_width, j->cinfo.image_height, err) &&
	    j->cinfo.image_width <= 8 * SCAN_MAX_SIDE &&
	    j->cinfo.image_height <= 8 * SCAN_MAX_SIDE) {
		/* A photo of more megapixels than a page needs: libjpeg
		 * scales it down while decoding, for little memory. */
		for (j->cinfo.scale_denom = 2; j->cinfo.scale_denom <= 8;
		     j->cinfo.scale_denom *= 2) {
			jpeg_calc_output_dimensions(&j->cinfo);
			if ((double)j->cinfo.output_width *
				    j->cinfo.output_height <=
			    (double)SCAN_MAX_PIXELS)
				break;
		}
		if (j->cinfo.scale_denom <= 8)
			strbuf_reset(err);
	}
	if (err->len)
		goto out;
	jpeg_calc_output_dimensions(&j->cinfo);
	if (!size_ok(path, j->cinfo.output_width, j->cinfo.output_height, err))
		goto out;
	/* Its own buffers (a progressive file keeps every coefficient)
	 * within a few times the page. */
	j->cinfo.mem->max_memory_to_use = 6 * SCAN_MAX_PIXELS;
	jpeg_start_decompress(&j->cinfo);
	if (scan_image_alloc(img, (int)j->cinfo.output_width,
			     (int)j->cinfo.output_height, err) < 0)
		goto out;
	if (j->cinfo.density_unit == 1)
		img->dpi = j->cinfo.X_density;
	else if (j->cinfo.density_unit == 2)
		img->dpi = j->cinfo.X_density * 2.54;
	img->dpi /= j->cinfo.scale_denom;
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

/* libtiff hands over its own format: the attribute tells the compiler the
 * argument is one, so -Wformat-nonliteral accepts passing it on. */
static int tiff_error_fn(TIFF *tif, void *data, const char *module,
			 const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
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
	/*
	 * Scanners write 1 (grey), 2 (grey and alpha), 3 (RGB) or 4 (RGBA,
	 * CMYK) samples of 1 to 16 bits.  Anything else is refused from the
	 * header: libtiff's general reader would allocate buffers for what
	 * the header claims before it finds out the data is not there.
	 */
	if (spp < 1 || spp > 4) {
		strbuf_addf(err,
			    "%s: page %zu says it has %u samples per pixel; a "
			    "scanned page has 1 (grey) to 4 (colour with "
			    "alpha): the file is damaged or not a scan",
			    path, page, (unsigned)spp);
		goto fail;
	}
	if (bps != 1 && bps != 2 && bps != 4 && bps != 8 && bps != 16) {
		strbuf_addf(err,
			    "%s: page %zu says it has %u bits per sample; a "
			    "scanned page has 1, 2, 4, 8 or 16: the file is "
			    "damaged or not a scan",
			    path, page, (unsigned)bps);
		goto fail;
	}
	{
		struct strbuf what = STRBUF_INIT;

		strbuf_addf(&what, "%s, page %zu", path, page);
		if (!size_ok(what.buf, w, h, err)) {
			strbuf_release(&what);
			goto fail;
		}
		strbuf_release(&what);
	}
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
 * The sizes of the images in a PDF file, from their dictionaries.  A
 * stream can never be inside a compressed object stream, so every image
 * XObject's dictionary (/Subtype /Image ... /Width N /Height N) is plain
 * bytes in the file.  A size given as a reference to another object is
 * not seen; neither are inline images in a content stream.  They need
 * not be: the sizes only choose the resolution a page is drawn at, and
 * drawing is bounded by that (read_pdf_page()).
 */
struct pdf_sizes {
	struct {
		double w, h;
	} * v;
	size_t nr, alloc;
};

/* The integer after key within [p, end), or -1 when there is none or it
 * is a reference ("12 0 R"). */
static double pdf_int_after(const char *p, const char *end, const char *key)
{
	size_t kl = strlen(key);

	for (; p + kl < end; p++) {
		const char *q;
		double v = 0;
		int digits = 0;

		if (memcmp(p, key, kl) || strchr("/ \t\r\n<>[]", p[kl]) == NULL)
			continue;
		for (q = p + kl; q < end && strchr(" \t\r\n", *q); q++)
			;
		for (; q < end && *q >= '0' && *q <= '9' && digits < 9;
		     q++, digits++)
			v = v * 10 + (*q - '0');
		if (!digits)
			return -1;
		for (; q < end && strchr(" \t\r\n", *q); q++)
			;
		/* "N G R" is a reference, not the size. */
		if (q < end && *q >= '0' && *q <= '9') {
			while (q < end && *q >= '0' && *q <= '9')
				q++;
			while (q < end && strchr(" \t\r\n", *q))
				q++;
			if (q < end && *q == 'R')
				return -1;
		}
		return v;
	}
	return -1;
}

/* The first n bytes of needle in [p, end), or NULL. */
static const char *find(const char *p, const char *end, const char *needle,
			size_t n)
{
	for (; p + n <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p));
		if (!p || p + n > end)
			return NULL;
		if (!memcmp(p, needle, n))
			return p;
	}
	return NULL;
}

static void pdf_image_sizes(const char *path, struct pdf_sizes *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p, *end;

	memset(out, 0, sizeof(*out));
	if (strbuf_read_file(&sb, path) < 0)
		goto out;
	end = sb.buf + sb.len;
	for (p = sb.buf; (p = find(p, end, "/Image", 6)); p += 6) {
		/* The dictionary round it: back to its "obj", on to its
		 * "stream" (both within a few hundred bytes). */
		const char *a = p - (p - sb.buf > 600 ? 600 : p - sb.buf);
		const char *b = p + (end - p > 600 ? 600 : end - p), *o, *st;
		double w, h;

		if (strchr("/ \t\r\n<>[]", p[6]) == NULL)
			continue;
		for (o = p; o > a && memcmp(o, "obj", 3); o--)
			;
		st = find(p, b, "stream", 6);
		if (!st)
			continue;
		w = pdf_int_after(o, st, "/Width");
		h = pdf_int_after(o, st, "/Height");
		if (w <= 0 || h <= 0)
			continue;
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr].w = w;
		out->v[out->nr].h = h;
		out->nr++;
	}
out:
	strbuf_release(&sb);
}

/* What of a PDF page is drawn, and how large. */
struct pdf_view {
	double x, y, w, h; /* points, from the page's top left */
	double dpi;
	double px_w, px_h; /* pixels */
};

/*
 * What to draw of page: a scanner's PDF is one image covering the page,
 * drawn exactly over that image at its own size (which gives exactly its
 * pixels); anything else is the whole page at SCAN_PDF_RENDER_DPI.
 */
static void pdf_page_view(PopplerPage *page, const struct pdf_sizes *sizes,
			  struct pdf_view *v)
{
	GList *map = poppler_page_get_image_mapping(page), *it;
	double pw, ph;
	int n = 0;

	poppler_page_get_size(page, &pw, &ph);
	*v = (struct pdf_view){ 0,
				0,
				pw,
				ph,
				SCAN_PDF_RENDER_DPI,
				pw / 72 * SCAN_PDF_RENDER_DPI,
				ph / 72 * SCAN_PDF_RENDER_DPI };
	for (it = map; it; it = it->next) {
		PopplerImageMapping *m = it->data;
		double w = fabs(m->area.x2 - m->area.x1),
		       h = fabs(m->area.y2 - m->area.y1), best = 0;

		if (++n > 1 || w < 0.9 * pw || h < 0.9 * ph)
			continue;
		/* Its image: one whose shape is the area's. */
		for (size_t i = 0; i < sizes->nr; i++) {
			double dpi = sizes->v[i].w / (w / 72);

			if (fabs(sizes->v[i].w / sizes->v[i].h / (w / h) - 1) >
				    0.01 ||
			    dpi < 50 || dpi > 2400 || dpi <= best)
				continue;
			best = dpi;
			*v = (struct pdf_view){ fmin(m->area.x1, m->area.x2),
						fmin(m->area.y1, m->area.y2),
						w,
						h,
						dpi,
						sizes->v[i].w,
						sizes->v[i].h };
		}
	}
	if (n > 1) /* not a scan: the whole page */
		*v = (struct pdf_view){ 0,
					0,
					pw,
					ph,
					SCAN_PDF_RENDER_DPI,
					pw / 72 * SCAN_PDF_RENDER_DPI,
					ph / 72 * SCAN_PDF_RENDER_DPI };
	poppler_page_free_image_mapping(map);
	v->px_w = round(v->px_w);
	v->px_h = round(v->px_h);
}

/*
 * Page index drawn to grey.  Always drawn, never its image taken out
 * (poppler_page_get_image() decodes an image at the size its file
 * claims, however large): the size to draw at is checked first, and
 * poppler scales an image larger than that down as it reads it, so
 * memory stays within the page's pixels.
 */
static int read_pdf_page(PopplerDocument *doc, const struct pdf_sizes *sizes,
			 const char *path, size_t index, struct scan_image *img,
			 struct strbuf *err)
{
	PopplerPage *page = poppler_document_get_page(doc, (int)index);
	cairo_surface_t *s = NULL;
	struct strbuf what = STRBUF_INIT;
	struct pdf_view v;
	int ret = -1;

	if (!page) {
		strbuf_addf(err, "%s: page %zu cannot be read", path,
			    index + 1);
		return -1;
	}
	pdf_page_view(page, sizes, &v);
	strbuf_addf(&what, "%s, page %zu (%.0f x %.0f mm at %.0f dpi)", path,
		    index + 1, v.w / 72 * 25.4, v.h / 72 * 25.4, v.dpi);
	if (!(v.w > 0 && v.h > 0) || !size_ok(what.buf, v.px_w, v.px_h, err))
		goto out;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)v.px_w,
				       (int)v.px_h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		strbuf_addf(err, "%s: page %zu is too large to draw", path,
			    index + 1);
		goto out;
	}
	{
		cairo_t *cr = cairo_create(s);

		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_scale(cr, v.px_w / v.w, v.px_h / v.h);
		cairo_translate(cr, -v.x, -v.y);
		poppler_page_render(page, cr);
		cairo_destroy(cr);
	}
	if (grey_from_cairo(s, img, err) < 0) {
		strbuf_addf(err, " (%s, page %zu)", path, index + 1);
		goto out;
	}
	img->dpi = v.dpi;
	ret = 0;
out:
	if (s)
		cairo_surface_destroy(s);
	strbuf_release(&what);
	g_object_unref(page);
	return ret;
}

/* ---- HEIC ---- */

#ifdef SCAN_HAVE_HEIF
/* The primary image of a HEIF file (a phone's photo), its luma plane. */
static int read_heif(const char *path, struct scan_image *img,
		     struct strbuf *err)
{
	struct heif_context *ctx = heif_context_alloc();
	struct heif_image_handle *h = NULL;
	struct heif_image *im = NULL;
	struct heif_error he;
	const uint8_t *plane;
	int stride, ret = -1;
	bool rgb = false;

	/* libheif's own check, before it allocates anything. */
	heif_context_set_maximum_image_size_limit(ctx, SCAN_MAX_SIDE);
	he = heif_context_read_from_file(ctx, path, NULL);
	if (he.code == heif_error_Ok)
		he = heif_context_get_primary_image_handle(ctx, &h);
	if (he.code != heif_error_Ok) {
		strbuf_addf(err, "%s: not a readable HEIC file: %s", path,
			    he.message);
		goto out;
	}
	if (!size_ok(path, heif_image_handle_get_width(h),
		     heif_image_handle_get_height(h), err))
		goto out;
	/* As stored: a photo's luma plane is its grey, no conversion. */
	he = heif_decode_image(h, &im, heif_colorspace_undefined,
			       heif_chroma_undefined, NULL);
	plane = he.code == heif_error_Ok ? heif_image_get_plane_readonly(
						   im, heif_channel_Y, &stride)
					 : NULL;
	if (he.code == heif_error_Ok &&
	    (!plane ||
	     heif_image_get_bits_per_pixel_range(im, heif_channel_Y) != 8)) {
		/* Stored as RGB (or deeper): libheif converts. */
		heif_image_release(im);
		im = NULL;
		rgb = true;
		he = heif_decode_image(h, &im, heif_colorspace_RGB,
				       heif_chroma_interleaved_RGB, NULL);
		plane = he.code == heif_error_Ok
				? heif_image_get_plane_readonly(
					  im, heif_channel_interleaved, &stride)
				: NULL;
	}
	if (he.code != heif_error_Ok || !plane) {
		strbuf_addf(err, "%s: the photo cannot be decoded: %s", path,
			    he.code != heif_error_Ok
				    ? he.message
				    : "a layout we cannot read");
		goto out;
	}
	if (scan_image_alloc(img, heif_image_handle_get_width(h),
			     heif_image_handle_get_height(h), err) < 0)
		goto out;
	for (int y = 0; y < img->h; y++) {
		const uint8_t *row = plane + (size_t)y * (size_t)stride;
		unsigned char *o = img->px + (size_t)y * img->stride;

		if (!rgb)
			memcpy(o, row, (size_t)img->w);
		else
			for (int x = 0; x < img->w; x++)
				o[x] = grey(row[3 * x], row[3 * x + 1],
					    row[3 * x + 2]);
	}
	/* Photos say no resolution that means anything: the reader takes
	 * the scale from the page's own marks. */
	ret = 0;
out:
	heif_image_release(im);
	heif_image_handle_release(h);
	heif_context_free(ctx);
	if (ret < 0)
		scan_image_release(img);
	return ret;
}
#else
static int read_heif(const char *path, struct scan_image *img,
		     struct strbuf *err)
{
	(void)img;
	strbuf_addf(err,
		    "%s is a HEIC photo, and this draagvlak was built without "
		    "libheif: save the photo as JPEG (on an iPhone: Settings, "
		    "Camera, Formats, Most Compatible)",
		    path);
	return -1;
}
#endif

/* ---- Sources ---- */

enum format { FMT_PNG, FMT_JPEG, FMT_TIFF, FMT_PDF, FMT_HEIF };

/* Whether the 12 bytes at m open an ISO media file of a HEIF brand. */
static bool is_heif(const unsigned char *m)
{
	static const char *const brands[] = { "heic", "heix", "hevc",
					      "hevx", "heim", "heis",
					      "mif1", "msf1", "avif" };

	if (memcmp(m + 4, "ftyp", 4))
		return false;
	for (size_t i = 0; i < sizeof(brands) / sizeof(*brands); i++)
		if (!memcmp(m + 8, brands[i], 4))
			return true;
	return false;
}

struct scan_source {
	enum format fmt;
	char *path;
	size_t next, count;
	TIFF *tif;
	struct strbuf tiff_msg; /* libtiff's last complaint */
	PopplerDocument *pdf;
	struct pdf_sizes pdf_sizes; /* its images' sizes (pdf_image_sizes()) */
};

static int sniff(const char *path, enum format *fmt, struct strbuf *err)
{
	unsigned char m[12] = { 0 };
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
	else if (n >= 12 && is_heif(m))
		*fmt = FMT_HEIF;
	else {
		strbuf_addf(err,
			    "%s is not a PDF, TIFF, PNG, JPEG or HEIC file; "
			    "scan to one of those",
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
	case FMT_JPEG:
	case FMT_HEIF: break;
	case FMT_TIFF:
		opts = TIFFOpenOptionsAlloc();
		TIFFOpenOptionsSetErrorHandlerExtR(opts, tiff_error_fn,
						   &src->tiff_msg);
		TIFFOpenOptionsSetWarningHandlerExtR(opts, tiff_warning_fn,
						     NULL);
#if TIFFLIB_VERSION >= 20221213
		/* libtiff 4.5: none of its own buffers larger than what the
		 * largest page needs (RGBA, 4 bytes a pixel). */
		TIFFOpenOptionsSetMaxSingleMemAlloc(
			opts, (tmsize_t)4 * SCAN_MAX_PIXELS);
#endif
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
		pdf_image_sizes(path, &src->pdf_sizes);
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
	case FMT_HEIF: return read_heif(src->path, img, err) < 0 ? -1 : 1;
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
		return read_pdf_page(src->pdf, &src->pdf_sizes, src->path, i,
				     img, err) < 0
			       ? -1
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
	free(src->pdf_sizes.v);
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
