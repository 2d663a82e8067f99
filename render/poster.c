/*
 * poster.c - the poster (see poster.h): a tinted title band, a call to
 * take part, a QR code of 90 mm and the closing date.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "layout.h"
#include "poster.h"
#include "banned.h"

#define QR_SIZE 92.0

/* Text in font, colour rgb, centred in [x, x + w]; returns its height. */
static double centred(cairo_t *cr, PangoContext *ctx, const char *font,
		      double r, double g, double b, const char *text, double x,
		      double y, double w)
{
	PangoLayout *pl = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	PangoRectangle lr;

	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(pl, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(pl, PANGO_ALIGN_CENTER);
	pango_layout_set_line_spacing(pl, 1.05f);
	pango_layout_set_text(pl, text, -1);
	pango_layout_get_extents(pl, NULL, &lr);
	cairo_set_source_rgb(cr, r, g, b);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, pl);
	g_object_unref(pl);
	return (double)lr.height / PANGO_SCALE;
}

void render_poster_url(const char *base_url, struct strbuf *out)
{
	const char *host = strstr(base_url, "://");
	const char *path = host ? strchr(host + 3, '/') : NULL;
	size_t len = strlen(base_url);
	bool lower_path = false;

	while (len && base_url[len - 1] == '/')
		len--;
	if (!path || path > base_url + len)
		path = base_url + len;
	for (const char *p = path; p < base_url + len; p++)
		if (islower((unsigned char)*p))
			lower_path = true;
	/* Scheme and host are case-insensitive; upper case is smaller. */
	for (const char *p = base_url; p < base_url + len; p++)
		strbuf_addch(out, p < path || !lower_path
					  ? toupper((unsigned char)*p)
					  : *p);
	strbuf_addch(out, '/');
}

int render_poster_draw(cairo_t *cr, const struct survey *s,
		       enum survey_lang lang, const char *base_url,
		       struct strbuf *err)
{
	PangoContext *ctx = render_pango_context(lang);
	struct strbuf sb = STRBUF_INIT, date = STRBUF_INIT;
	const char *site = strstr(base_url, "://");
	const char *contact = survey_text_get(&s->contact, lang);
	double y, h, w = RENDER_PAGE_W - 2 * 24;
	int ret = -1;

	site = site ? site + 3 : base_url;
	cairo_save(cr);
	/* The band: organisation and title, white on the accent colour. */
	y = 34;
	cairo_new_path(cr);
	cairo_set_source_rgb(cr, 0.09, 0.24, 0.42);
	{
		PangoLayout *pl = pango_layout_new(ctx);
		PangoFontDescription *fd = pango_font_description_from_string(
			"Liberation Sans Bold 34");
		PangoRectangle lr;

		pango_layout_set_font_description(pl, fd);
		pango_font_description_free(fd);
		pango_layout_set_width(pl, (int)(w * PANGO_SCALE));
		pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_alignment(pl, PANGO_ALIGN_CENTER);
		pango_layout_set_text(pl, survey_text_get(&s->title, lang), -1);
		pango_layout_get_extents(pl, NULL, &lr);
		h = (double)lr.height / PANGO_SCALE;
		g_object_unref(pl);
	}
	cairo_rectangle(cr, 14, 14, RENDER_PAGE_W - 28, y - 14 + h + 12);
	cairo_fill(cr);
	centred(cr, ctx, "Liberation Sans Bold 15", 1, 1, 1, s->organisation,
		24, 21, w);
	centred(cr, ctx, "Liberation Sans Bold 34", 1, 1, 1,
		survey_text_get(&s->title, lang), 24, y, w);
	y += h + 12 + 12;

	y += centred(cr, ctx, "Liberation Sans Bold 24", 0.09, 0.24, 0.42,
		     render_word(RENDER_W_POSTER_CALL, lang), 24, y, w);
	y += 8;
	render_poster_url(base_url, &sb);
	if (render_qr_draw_free(cr, sb.buf, (RENDER_PAGE_W - QR_SIZE) / 2, y,
				QR_SIZE, err) < 0)
		goto out;
	y += QR_SIZE + 4;
	y += centred(cr, ctx, "Liberation Sans 15", 0.1, 0.1, 0.12,
		     render_word(RENDER_W_POSTER_SCAN, lang), 24, y, w);
	strbuf_reset(&sb);
	render_word_fill(&sb, RENDER_W_POSTER_SITE, lang, site, NULL);
	strbuf_rtrim(&sb);
	while (sb.len && sb.buf[sb.len - 1] == '/')
		strbuf_setlen(&sb, sb.len - 1);
	y += 2 + centred(cr, ctx, "Liberation Sans Bold 15", 0.1, 0.1, 0.12,
			 sb.buf, 24, y + 2, w);
	y += 12;
	strbuf_reset(&sb);
	render_format_date(s->closes, lang, &date);
	render_word_fill(&sb, RENDER_W_POSTER_UNTIL, lang, date.buf, NULL);
	centred(cr, ctx, "Liberation Sans Bold 19", 0.09, 0.24, 0.42, sb.buf,
		24, y, w);
	if (contact)
		centred(cr, ctx, "Liberation Sans 10.5", 0.33, 0.33, 0.36,
			contact, 24, RENDER_PAGE_H - 40, w);
	ret = 0;
out:
	cairo_restore(cr);
	strbuf_release(&sb);
	strbuf_release(&date);
	g_object_unref(ctx);
	return ret;
}
