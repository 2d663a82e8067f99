/*
 * qr.c - page URLs and QR codes (see qr.h): planning the symbol once per
 * layout, encoding with libqrencode (its public API only) and
 * drawing the modules as a one-bit image mask.
 */
#include <ctype.h>
#include <stdint.h>
#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qr.h"
#include "layout.h"
#include "msg.h"
#include "xalloc.h"
#include "banned.h"

static bool is_qr_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr(" $%*+-./:", c));
}

int render_qr_plan_init(struct render_qr_plan *plan, const char *base_url,
			enum survey_lang lang, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	const char *host, *path;
	size_t len;
	QRcode *qr = NULL;
	int ret = -1;

	memset(plan, 0, sizeof(*plan));
	if (!base_url || !*base_url) {
		msg_put(err, lang, MSG_RENDER_NO_BASE_URL);
		goto out;
	}
	if (!strncasecmp(base_url, "https://", 8))
		host = base_url + 8;
	else if (!strncasecmp(base_url, "http://", 7))
		host = base_url + 7;
	else
		host = NULL;
	len = strlen(base_url);
	while (len && base_url[len - 1] == '/')
		len--;
	if (!host || host >= base_url + len || *host == '/') {
		msg_add(err, lang, MSG_RENDER_BASE_URL_FORM, base_url);
		goto out;
	}
	for (const char *p = base_url; p < base_url + len; p++) {
		/* As the definition's base_url: a '?' or '#' would end
		 * the path before the code that follows it. */
		if (*p == '?' || *p == '#') {
			msg_add(err, lang, MSG_RENDER_BASE_URL_CHARS, base_url);
			goto out;
		}
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f) {
			msg_add(err, lang, MSG_RENDER_BASE_URL_ASCII, base_url);
			goto out;
		}
	}
	path = memchr(host, '/', len - (size_t)(host - base_url));
	if (!path)
		path = base_url + len;

	/* Scheme and host are case-insensitive (RFC 3986): upper-case them. */
	for (const char *p = base_url; p < path; p++)
		strbuf_addch(&sb, toupper((unsigned char)*p));
	plan->alnum = true;
	for (const char *p = path; p < base_url + len; p++) {
		if (islower((unsigned char)*p)) {
			plan->alnum = false;
			plan->why = msg_get(lang, MSG_RENDER_QR_BYTE_LOWER);
		}
		strbuf_addch(&sb, *p);
	}
	strbuf_addstr(&sb, "/F/");
	for (size_t i = 0; i < sb.len; i++) {
		if (!is_qr_alnum((unsigned char)sb.buf[i]) && plan->alnum) {
			plan->alnum = false;
			plan->why = msg_get(lang, MSG_RENDER_QR_BYTE_CHARS);
		}
	}
	plan->prefix = xstrdup(sb.buf);

	/*
	 * Probe with the longest URL of the plan.  An all-letter code is the
	 * worst case: libqrencode picks the shortest segmentation, and a
	 * code with digits can only be encoded in fewer bits.
	 */
	strbuf_addstr(&sb, "ZZZZZZZZZZZZ/9/ZZZZZZ");
	qr = QRcode_encodeString(sb.buf, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr) {
		msg_add(err, lang, MSG_RENDER_BASE_URL_QR, base_url,
			strerror(errno));
		goto out;
	}
	plan->version = qr->version;
	plan->modules = qr->width;
	plan->module = RENDER_QR_TARGET / qr->width;
	if (plan->module < RENDER_QR_MIN_MODULE)
		plan->module = RENDER_QR_MIN_MODULE;
	plan->size = plan->module * qr->width;
	plan->zone = plan->size + 2 * RENDER_QR_QUIET * plan->module;
	if (plan->size > RENDER_QR_MAX + 1e-9) {
		char n[16], size[16], module[16], max[16];

		snprintf(n, sizeof(n), "%d", qr->width);
		render_decimal(size, sizeof(size), plan->size, 1, lang);
		render_decimal(module, sizeof(module), RENDER_QR_MIN_MODULE, 1,
			       lang);
		render_decimal(max, sizeof(max), RENDER_QR_MAX, 0, lang);
		msg_add(err, lang, MSG_RENDER_BASE_URL_LONG, base_url, n, size,
			module, max);
		goto out;
	}
	ret = 0;
out:
	QRcode_free(qr);
	strbuf_release(&sb);
	if (ret)
		render_qr_plan_release(plan);
	return ret;
}

void render_qr_plan_release(struct render_qr_plan *plan)
{
	if (!plan)
		return;
	free(plan->prefix);
	plan->prefix = NULL;
}

void render_qr_url(const struct render_qr_plan *plan, const char *token,
		   unsigned page, const char *layout_id, struct strbuf *out)
{
	strbuf_addf(out, "%s%s/%u/%s", plan->prefix, token, page, layout_id);
}

static QRcode *encode(const struct render_qr_plan *plan, const char *text)
{
	QRinput *in;
	QRcode *qr = NULL;

	/*
	 * An alphanumeric URL is one alphanumeric segment: the plan was
	 * sized with the longest such URL, which libqrencode also encodes
	 * as one segment, so every URL of the plan fits.  A byte-mode URL
	 * mixes segments as libqrencode sees fit; that rare case keeps its
	 * full encoder.
	 */
	if (!plan->alnum)
		return QRcode_encodeString(text, plan->version, QR_ECLEVEL_M,
					   QR_MODE_8, 1);
	in = QRinput_new2(plan->version, QR_ECLEVEL_M);
	if (!in)
		return NULL;
	if (!QRinput_append(in, QR_MODE_AN, (int)strlen(text),
			    (const unsigned char *)text))
		qr = QRcode_encodeInput(in);
	QRinput_free(in);
	return qr;
}

/* Pack libqrencode's byte a module (bit 0 = dark) into sym. */
static void to_symbol(const QRcode *qr, struct render_qr_symbol *sym)
{
	int w = qr->width;
	const unsigned char *m = qr->data;

	sym->width = w;
	for (int r = 0; r < w; r++) {
		unsigned char *out = sym->row[r];
		unsigned acc = 0;
		int c;

		for (c = 0; c < w; c++) {
			acc = acc << 1 | (*m++ & 1);
			if (c % 8 == 7) {
				*out++ = (unsigned char)acc;
				acc = 0;
			}
		}
		if (c % 8)
			*out = (unsigned char)(acc << (8 - c % 8));
	}
}

int render_qr_encode(const struct render_qr_plan *plan, const char *text,
		     struct render_qr_symbol *sym, struct strbuf *err)
{
	QRcode *qr = encode(plan, text);

	if (!qr || qr->version != plan->version ||
	    qr->width > RENDER_QR_MAX_MODULES) {
		strbuf_addf(err, "'%s' does not fit in a QR code of version %d",
			    text, plan->version);
		QRcode_free(qr);
		return -1;
	}
	to_symbol(qr, sym);
	QRcode_free(qr);
	return 0;
}

/*
 * The dark modules of qr, drawn as a one-bit stencil scaled up without
 * interpolation: in a PDF that is an image mask of a few hundred bytes
 * with /Interpolate false, crisp at any resolution, and far cheaper to
 * write than a path of several hundred rectangles (which made up most of
 * each page's content and of the time to write it).
 */
static void fill_modules(cairo_t *cr, const struct render_qr_symbol *sym,
			 double x, double y, double m)
{
	int w = sym->width, stride;
	cairo_surface_t *img;
	cairo_pattern_t *pat;
	unsigned char *data;

	img = cairo_image_surface_create(CAIRO_FORMAT_A1, w, w);
	cairo_surface_flush(img);
	data = cairo_image_surface_get_data(img);
	stride = cairo_image_surface_get_stride(img);
	for (int r = 0; r < w; r++) {
		uint32_t *row = (uint32_t *)(data + (size_t)r * stride);

		/* A1 pixels are bits of native-endian 32-bit words. */
		for (int c = 0; c < w; c++)
			if (sym->row[r][c / 8] & 0x80 >> c % 8)
				row[c / 32] |=
					(uint32_t)1
					<< (__BYTE_ORDER__ ==
							    __ORDER_LITTLE_ENDIAN__
						    ? c % 32
						    : 31 - c % 32);
	}
	cairo_surface_mark_dirty(img);
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, m, m);
	pat = cairo_pattern_create_for_surface(img);
	cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_mask(cr, pat);
	cairo_pattern_destroy(pat);
	cairo_restore(cr);
	cairo_surface_destroy(img);
}

static void fill_quiet_zone(cairo_t *cr, double x, double y, double size)
{
	cairo_rectangle(cr, x, y, size, size);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_fill(cr);
}

int render_qr_draw(cairo_t *cr, const struct render_qr_plan *plan,
		   const char *text, double x, double y, struct strbuf *err)
{
	double q = RENDER_QR_QUIET * plan->module;
	struct render_qr_symbol sym;

	if (render_qr_encode(plan, text, &sym, err) < 0)
		return -1;
	cairo_save(cr);
	cairo_new_path(cr);
	fill_quiet_zone(cr, x, y, plan->zone);
	fill_modules(cr, &sym, x + q, y + q, plan->module);
	cairo_restore(cr);
	return 0;
}

int render_qr_draw_free(cairo_t *cr, const char *text, double x, double y,
			double size, struct strbuf *err)
{
	struct render_qr_symbol *sym = NULL;
	QRcode *qr;
	double m;
	int ret = -1;

	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr || qr->width > RENDER_QR_MAX_MODULES) {
		strbuf_addf(err, "'%s' cannot be put in a QR code", text);
		goto out;
	}
	sym = xmalloc(sizeof(*sym));
	to_symbol(qr, sym);
	m = size / (qr->width + 2 * RENDER_QR_QUIET);
	cairo_save(cr);
	cairo_new_path(cr);
	fill_quiet_zone(cr, x, y, size);
	fill_modules(cr, sym, x + RENDER_QR_QUIET * m, y + RENDER_QR_QUIET * m,
		     m);
	cairo_restore(cr);
	ret = 0;
out:
	QRcode_free(qr);
	free(sym);
	return ret;
}
