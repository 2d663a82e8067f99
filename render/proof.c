/*
 * proof.c - a page of the paper form as a PNG (see proof.h).
 */
#include "proof.h"

#include <cairo.h>
#include <string.h>

#include "form.h"
#include "layout.h"
#include "banned.h"

static cairo_status_t append(void *closure, const unsigned char *data,
			     unsigned int length)
{
	strbuf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

int render_proof_png(const struct survey *s, const struct survey_buurt *b,
		     enum survey_lang lang, const char *base_url, size_t page,
		     double dpi, struct strbuf *out, size_t *nr_pages,
		     struct strbuf *err)
{
	struct render_household h = { 0 };
	struct render_layout *l = NULL;
	struct render_form *f = NULL;
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	double scale = dpi / 25.4; /* pixels per mm */
	int ret = -1;

	*nr_pages = 0;
	if (dpi < 36 || dpi > 200) {
		strbuf_addstr(err, "a preview is drawn at 36 to 200 dpi");
		return -1;
	}
	l = render_layout_new(s, b, lang, base_url, err);
	if (!l)
		goto out;
	*nr_pages = l->nr_pages;
	if (page >= l->nr_pages) {
		strbuf_addf(err, "the form has %zu pages", l->nr_pages);
		goto out;
	}
	f = render_form_new(l);
	/* A household that is nobody: its code opens no form. */
	h.buurt_id = b->id;
	memcpy(h.token, "000000000000", SURVEY_TOKEN_LEN + 1);
	h.street = (char *)"Voorbeeldstraat";
	h.number = 1;
	h.letter = h.addition = (char *)"";
	h.postcode = (char *)"1234 AB";
	h.place = (char *)"Voorbeeld";
	h.resident = h.residents = 1;
	surface = cairo_image_surface_create(
		CAIRO_FORMAT_RGB24, (int)(RENDER_PAGE_W * scale + 0.5),
		(int)(RENDER_PAGE_H * scale + 0.5));
	cr = cairo_create(surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	if (render_form_draw_page(f, cr, page, &h, err) < 0)
		goto out;
	cairo_surface_flush(surface);
	if (cairo_surface_write_to_png_stream(surface, append, out) !=
	    CAIRO_STATUS_SUCCESS) {
		strbuf_addstr(err, "cannot write the preview as PNG");
		goto out;
	}
	ret = 0;
out:
	if (cr)
		cairo_destroy(cr);
	if (surface)
		cairo_surface_destroy(surface);
	render_form_free(f);
	render_layout_free(l);
	return ret;
}
