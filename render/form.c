/*
 * form.c - drawing forms from their layout (see form.h): the static part
 * of each page recorded once, the household's slots and QR code per form,
 * with cairo or straight into a PDF (pdf.h).
 */
#include <cairo-pdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "pdf.h"
#include "households.h"
#include "msg.h"
#include "xalloc.h"
#include "banned.h"

#define MM_TO_PT (72.0 / 25.4)

/*
 * How pango sets one line of a slot's style, measured once on a probe
 * layout so that a household's line can be shaped on its own
 * (pango_shape_with_flags(): a few microseconds) instead of laid out
 * (a PangoLayout: tens of microseconds) and still land where the layout
 * would have put it.
 */
struct slot_type {
	PangoFont *font; /* the style's first font */
	PangoLanguage *lang;
	int width;    /* pango units; -1: no wrapping */
	int baseline; /* of the first line, from the layout's top */
	int pitch;    /* from one baseline to the next */
	int height;   /* of a one-line layout */
	PangoAlignment align;
};

/*
 * Lines shaped lately: the addressee line and a street's postcode line
 * repeat from one household to the next, and the footer from one page to
 * the next.
 */
#define NR_SHAPED 8

struct shaped {
	const struct slot_type *t;
	struct strbuf text;
	PangoGlyphString *gs;
	int width;
	bool ok; /* shape_line() could set it */
};

struct render_form {
	const struct render_layout *l;
	cairo_surface_t **statics; /* per page, in mm */
	PangoLayout *address, *form_no, *code, *footer;
	struct slot_type t_address, t_form_no, t_code, t_footer;
	struct shaped shaped[NR_SHAPED];
	size_t next_shaped; /* the one to replace next */
	struct strbuf sb;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void render_households_add(struct render_households *list,
			   const struct store_household *h)
{
	struct render_household *c;

	ALLOC_GROW(list->v, list->nr + 1, list->alloc);
	c = &list->v[list->nr++];
	c->id = h->id;
	c->buurt_id = xstrdup(h->buurt_id);
	c->form_no = h->form_no;
	memcpy(c->token, h->token, sizeof(c->token));
	c->street = dup_or_null(h->street);
	c->number = h->number;
	c->letter = dup_or_null(h->street ? h->letter : NULL);
	c->addition = dup_or_null(h->street ? h->addition : NULL);
	c->postcode = dup_or_null(h->street ? h->postcode : NULL);
	c->place = dup_or_null(h->street ? h->place : NULL);
	c->resident = h->resident;
	c->residents = h->residents;
}

void render_households_release(struct render_households *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->nr; i++) {
		struct render_household *h = &list->v[i];

		free(h->buurt_id);
		free(h->street);
		free(h->letter);
		free(h->addition);
		free(h->postcode);
		free(h->place);
	}
	free(list->v);
	list->v = NULL;
	list->nr = list->alloc = 0;
}

static void set_style_colour(cairo_t *cr, enum render_style st)
{
	const struct render_style_def *d = render_style_get(st);

	cairo_set_source_rgb(cr, d->r, d->g, d->b);
}

/* Draw pl with its layout origin at (x, y): slots, whose rectangle is
 * where their layout starts. */
static void show_at(cairo_t *cr, PangoLayout *pl, enum render_style st,
		    double x, double y)
{
	set_style_colour(cr, st);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, pl);
}

/* Draw pl so that its logical extents start at (x, y): static texts,
 * whose rectangle is their measured extents. */
static void show_text(cairo_t *cr, PangoLayout *pl, enum render_style st,
		      double x, double y)
{
	PangoRectangle lr;

	pango_layout_get_extents(pl, NULL, &lr);
	set_style_colour(cr, st);
	cairo_move_to(cr, x - (double)lr.x / PANGO_SCALE,
		      y - (double)lr.y / PANGO_SCALE);
	pango_cairo_show_layout(cr, pl);
}

static void rounded(cairo_t *cr, const struct render_rect *r, double rad)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, r->x + r->w - rad, r->y + rad, rad, -M_PI / 2, 0);
	cairo_arc(cr, r->x + r->w - rad, r->y + r->h - rad, rad, 0, M_PI / 2);
	cairo_arc(cr, r->x + rad, r->y + r->h - rad, rad, M_PI / 2, M_PI);
	cairo_arc(cr, r->x + rad, r->y + rad, rad, M_PI, 3 * M_PI / 2);
	cairo_close_path(cr);
}

static void draw_mark(cairo_t *cr, const struct render_item *it)
{
	const struct render_rect *r = &it->r;
	const double t = RENDER_MARK_WIDTH;
	bool right = it->corner & 1, bottom = it->corner & 2;

	cairo_rectangle(cr, r->x, bottom ? r->y + r->h - t : r->y, r->w, t);
	cairo_rectangle(cr, right ? r->x + r->w - t : r->x, r->y, t, r->h);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_fill(cr);
}

static void draw_static(cairo_t *cr, const struct render_page *p)
{
	for (size_t i = 0; i < p->nr; i++) {
		const struct render_item *it = &p->items[i];
		const struct render_rect *r = &it->r;

		/* Text leaves a current point; an arc would draw a line
		 * from it. */
		cairo_new_path(cr);
		switch (it->kind) {
		case RENDER_ITEM_TEXT:
			show_text(cr, it->pl, it->style, r->x, r->y);
			break;
		case RENDER_ITEM_BOX:
			/* The border inside the rectangle: 0.35 mm. */
			cairo_rectangle(cr, r->x + 0.175, r->y + 0.175,
					r->w - 0.35, r->h - 0.35);
			cairo_set_source_rgb(cr, 1, 1, 1);
			cairo_fill_preserve(cr);
			cairo_set_line_width(cr, 0.35);
			cairo_set_source_rgb(cr, 0.12, 0.12, 0.14);
			cairo_stroke(cr);
			break;
		case RENDER_ITEM_LINES:
			for (unsigned k = 1; k <= it->nr_lines; k++)
				cairo_rectangle(cr, r->x, r->y + k * 8.5 - 0.25,
						r->w, 0.25);
			cairo_set_source_rgb(cr, 0.62, 0.64, 0.68);
			cairo_fill(cr);
			break;
		case RENDER_ITEM_PANEL:
			rounded(cr, r, 2.5);
			cairo_set_source_rgb(cr, 0.925, 0.945, 0.97);
			cairo_fill(cr);
			cairo_rectangle(cr, r->x, r->y + 2.5, 1.2, r->h - 5);
			cairo_set_source_rgb(cr, 0.09, 0.24, 0.42);
			cairo_fill(cr);
			break;
		case RENDER_ITEM_BADGE:
			cairo_arc(cr, r->x + r->w / 2, r->y + r->h / 2,
				  r->w / 2, 0, 2 * M_PI);
			cairo_set_source_rgb(cr, 0.09, 0.24, 0.42);
			cairo_fill(cr);
			break;
		case RENDER_ITEM_RULE:
			cairo_rectangle(cr, r->x, r->y, r->w, r->h);
			cairo_set_source_rgb(cr, 0.75, 0.77, 0.8);
			cairo_fill(cr);
			break;
		case RENDER_ITEM_MARK: draw_mark(cr, it); break;
		case RENDER_ITEM_SLOT: break;
		}
	}
}

/*
 * The blank back page a double-sided set ends with when the form has an
 * odd number of pages (page l->nr_pages of render_form_draw_page()): one
 * small line in the middle, so that nobody thinks a page is missing.
 */
static void draw_blank_static(cairo_t *cr, const struct render_layout *l)
{
	const double w = 120;
	PangoLayout *pl =
		render_text_layout(l->pango, RENDER_ST_FOOTER,
				   msg_get(l->lang, MSG_FORM_BLANK_PAGE), w);
	double tw, th;

	pango_layout_set_alignment(pl, PANGO_ALIGN_CENTER);
	render_text_size(pl, &tw, &th);
	/* show_text() puts the text's own extents at x: centre those. */
	show_text(cr, pl, RENDER_ST_FOOTER, (RENDER_PAGE_W - tw) / 2,
		  (RENDER_PAGE_H - th) / 2);
	g_object_unref(pl);
}

static PangoLayout *slot_layout(const struct render_layout *l,
				enum render_style st, double width)
{
	return render_text_layout(l->pango, st, "", width);
}

/* Measure the lines of pl's style (pl is left with no text). */
static void slot_type_init(struct slot_type *t, PangoLayout *pl)
{
	const PangoFontDescription *fd = pango_layout_get_font_description(pl);
	PangoContext *ctx = pango_layout_get_context(pl);
	PangoLayoutIter *it;
	PangoRectangle lr;

	t->font = pango_context_load_font(ctx, fd);
	t->lang = pango_context_get_language(ctx);
	t->width = pango_layout_get_width(pl);
	t->align = pango_layout_get_alignment(pl);
	pango_layout_set_text(pl, "Hg", -1);
	pango_layout_get_extents(pl, NULL, &lr);
	t->height = lr.height;
	pango_layout_set_text(pl, "Hg\nHg", -1);
	it = pango_layout_get_iter(pl);
	t->baseline = pango_layout_iter_get_baseline(it);
	pango_layout_iter_next_line(it);
	t->pitch = pango_layout_iter_get_baseline(it) - t->baseline;
	pango_layout_iter_free(it);
	pango_layout_set_text(pl, "", 0);
}

struct render_form *render_form_new(const struct render_layout *l)
{
	struct render_form *f = xcalloc(1, sizeof(*f));
	cairo_rectangle_t ext = { 0, 0, RENDER_PAGE_W, RENDER_PAGE_H };

	f->l = l;
	strbuf_init(&f->sb, 128);
	/* The pages, and the blank back page after them. */
	f->statics = xcalloc(l->nr_pages + 1, sizeof(*f->statics));
	for (size_t i = 0; i <= l->nr_pages; i++) {
		cairo_t *cr;

		f->statics[i] = cairo_recording_surface_create(
			CAIRO_CONTENT_COLOR_ALPHA, &ext);
		cr = cairo_create(f->statics[i]);
		if (i < l->nr_pages)
			draw_static(cr, &l->pages[i]);
		else
			draw_blank_static(cr, l);
		cairo_destroy(cr);
	}
	f->address = slot_layout(l, RENDER_ST_ADDRESS, RENDER_WINDOW_W - 8);
	f->form_no = slot_layout(l, RENDER_ST_FORM_NO, RENDER_WINDOW_W - 8);
	f->code = slot_layout(l, RENDER_ST_CODE, -1);
	f->footer = slot_layout(l, RENDER_ST_FOOTER, 50);
	pango_layout_set_alignment(f->footer, PANGO_ALIGN_CENTER);
	slot_type_init(&f->t_address, f->address);
	slot_type_init(&f->t_form_no, f->form_no);
	slot_type_init(&f->t_code, f->code);
	slot_type_init(&f->t_footer, f->footer);
	for (size_t i = 0; i < NR_SHAPED; i++) {
		strbuf_init(&f->shaped[i].text, 0);
		f->shaped[i].gs = pango_glyph_string_new();
	}
	return f;
}

void render_form_free(struct render_form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i <= f->l->nr_pages; i++)
		cairo_surface_destroy(f->statics[i]);
	free(f->statics);
	g_object_unref(f->address);
	g_object_unref(f->form_no);
	g_object_unref(f->code);
	g_object_unref(f->footer);
	g_clear_object(&f->t_address.font);
	g_clear_object(&f->t_form_no.font);
	g_clear_object(&f->t_code.font);
	g_clear_object(&f->t_footer.font);
	for (size_t i = 0; i < NR_SHAPED; i++) {
		strbuf_release(&f->shaped[i].text);
		pango_glyph_string_free(f->shaped[i].gs);
	}
	strbuf_release(&f->sb);
	free(f);
}

void render_form_url(const struct render_form *f, size_t page,
		     const struct render_household *h, struct strbuf *out)
{
	render_qr_url(&f->l->qr, h->token, (unsigned)page + 1, f->l->id, out);
}

/*
 * "Aan de bewoners van / Kerkstraat 12a-2 / 4849 AB  DORST"; with
 * voting_unit resident the first line names which voter of the address
 * the letter is for, so that each adult takes their own.
 */
static void address_text(const struct render_layout *l,
			 const struct render_household *h, struct strbuf *sb)
{
	if (l->s && l->s->voting_unit == SURVEY_UNIT_RESIDENT) {
		char r[16], n[16];

		snprintf(r, sizeof(r), "%d", h->resident > 0 ? h->resident : 1);
		snprintf(n, sizeof(n), "%d",
			 h->residents > 0 ? h->residents : 1);
		render_word_fill(sb, RENDER_W_RESIDENT, l->lang, r, n);
	} else {
		strbuf_addstr(sb, render_word(RENDER_W_ADDRESSEE, l->lang));
	}
	strbuf_addf(sb, "\n%s %ld%s%s%s\n%s  ", h->street, h->number,
		    h->letter ? h->letter : "",
		    h->addition && *h->addition ? "-" : "",
		    h->addition ? h->addition : "",
		    h->postcode ? h->postcode : "");
	if (h->place) {
		/* PostNL asks for the place in capitals. */
		char *up = g_utf8_strup(h->place, -1);

		strbuf_addstr(sb, up);
		g_free(up);
	}
}

static void form_no_text(const struct render_layout *l,
			 const struct render_household *h, struct strbuf *sb)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", h->form_no);
	render_word_fill(sb, RENDER_W_FORM_NO, l->lang, num, NULL);
}

static void draw_address(struct render_form *f, cairo_t *cr,
			 const struct render_item *it,
			 const struct render_household *h)
{
	const struct render_layout *l = f->l;
	struct strbuf *sb = &f->sb;
	double w, hh;

	strbuf_reset(sb);
	if (!h->street) {
		form_no_text(l, h, sb);
		pango_layout_set_text(f->form_no, sb->buf, (int)sb->len);
		show_at(cr, f->form_no, RENDER_ST_FORM_NO, it->r.x, it->r.y);
		render_text_size(f->form_no, &w, &hh);
		strbuf_reset(sb);
		strbuf_addstr(sb, l->buurt ? l->buurt->name : "");
		pango_layout_set_text(f->address, sb->buf, (int)sb->len);
		show_at(cr, f->address, RENDER_ST_ADDRESS, it->r.x,
			it->r.y + hh + 1);
		return;
	}
	address_text(l, h, sb);
	pango_layout_set_text(f->address, sb->buf, (int)sb->len);
	show_at(cr, f->address, RENDER_ST_ADDRESS, it->r.x, it->r.y);
}

int render_form_draw_page(struct render_form *f, cairo_t *cr, size_t page,
			  const struct render_household *h, struct strbuf *err)
{
	const struct render_layout *l = f->l;
	bool blank = page == l->nr_pages;
	/* The blank back page has its QR code where page 1 has it. */
	const struct render_page *p = &l->pages[blank ? 0 : page];
	char pretty[SURVEY_TOKEN_PRETTY];
	int ret;

	survey_token_pretty(h->token, pretty);
	cairo_save(cr);
	cairo_set_source_surface(cr, f->statics[page], 0, 0);
	cairo_paint(cr);
	for (size_t i = 0; i < p->nr && !blank; i++) {
		const struct render_item *it = &p->items[i];

		if (it->kind != RENDER_ITEM_SLOT)
			continue;
		switch (it->slot) {
		case RENDER_SLOT_ADDRESS: draw_address(f, cr, it, h); break;
		case RENDER_SLOT_CODE:
			pango_layout_set_text(f->code, pretty, -1);
			show_at(cr, f->code, RENDER_ST_CODE, it->r.x, it->r.y);
			break;
		case RENDER_SLOT_FOOTER_CODE:
			strbuf_reset(&f->sb);
			render_word_fill(&f->sb, RENDER_W_FOOTER_CODE, l->lang,
					 pretty, NULL);
			pango_layout_set_text(f->footer, f->sb.buf,
					      (int)f->sb.len);
			show_at(cr, f->footer, RENDER_ST_FOOTER, it->r.x,
				it->r.y);
			break;
		}
	}
	strbuf_reset(&f->sb);
	render_form_url(f, page, h, &f->sb);
	ret = render_qr_draw(cr, &l->qr, f->sb.buf, p->qr_zone.x, p->qr_zone.y,
			     err);
	cairo_restore(cr);
	return ret;
}

/* ---- Straight into a PDF (pdf.h) ---- */

static cairo_status_t append_fn(void *closure, const unsigned char *data,
				unsigned int len)
{
	strbuf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

int render_form_template(struct render_form *f, bool blank_back,
			 struct strbuf *out, struct strbuf *err)
{
	const struct render_layout *l = f->l;
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
		append_fn, out, RENDER_PAGE_W * MM_TO_PT,
		RENDER_PAGE_H * MM_TO_PT);
	cairo_status_t status;
	cairo_t *cr;

	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
				       "draagvlak");
	cr = cairo_create(surface);
	cairo_scale(cr, MM_TO_PT, MM_TO_PT);
	for (size_t i = 0; i < l->nr_pages; i++) {
		draw_static(cr, &l->pages[i]);
		cairo_show_page(cr);
	}
	if (blank_back) {
		draw_blank_static(cr, l);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (status != CAIRO_STATUS_SUCCESS) {
		strbuf_addf(err, "cannot draw the forms: %s",
			    cairo_status_to_string(status));
		return -1;
	}
	return 0;
}

/* Whether u is a character pango sets in a run of its own script and
 * one font when the font has it: Latin, digits, punctuation. */
static bool simple_char(gunichar u)
{
	return (u >= 0x20 && u < 0x7f) || (u >= 0xa0 && u < 0x250) ||
	       (u >= 0x2010 && u < 0x2040) || u == 0x20ac;
}

/*
 * Shape the line s (len bytes) of slot type t as pango's layout would:
 * one item, in the style's font.  Returns the line (owned by f, valid
 * until the next call), whose ok is false when the layout could set it
 * otherwise: another script, a character the font lacks, a line too wide
 * to stay one line.
 */
static const struct shaped *shape_line(struct render_form *f,
				       const struct slot_type *t, const char *s,
				       int len)
{
	struct shaped *sh;
	PangoAnalysis an;
	PangoScript script = PANGO_SCRIPT_COMMON;

	for (size_t i = 0; i < NR_SHAPED; i++) {
		sh = &f->shaped[i];
		if (sh->t == t && sh->text.len == (size_t)len &&
		    !memcmp(sh->text.buf, s, (size_t)len))
			return sh;
	}
	sh = &f->shaped[f->next_shaped];
	f->next_shaped = (f->next_shaped + 1) % NR_SHAPED;
	sh->t = t;
	strbuf_reset(&sh->text);
	strbuf_add(&sh->text, s, (size_t)len);
	sh->ok = false;
	sh->width = 0;
	for (const char *p = s; p < s + len; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		PangoScript sc;

		if (!simple_char(u))
			return sh;
		sc = (PangoScript)g_unichar_get_script(u);
		if (script == PANGO_SCRIPT_COMMON &&
		    sc != PANGO_SCRIPT_COMMON && sc != PANGO_SCRIPT_INHERITED)
			script = sc;
	}
	memset(&an, 0, sizeof(an));
	an.font = t->font;
	an.gravity = PANGO_GRAVITY_SOUTH;
	an.script = (guint8)script;
	an.language = t->lang;
	pango_shape_with_flags(s, len, s, len, &an, sh->gs, PANGO_SHAPE_NONE);
	for (int i = 0; i < sh->gs->num_glyphs; i++) {
		if (sh->gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
			return sh;
		sh->width += sh->gs->glyphs[i].geometry.width;
	}
	sh->ok = t->width < 0 || sh->width <= t->width;
	return sh;
}

/* Page coordinates in mm from the top-left to PDF points. */
static double px(double x)
{
	return x * MM_TO_PT;
}

static double py(double y)
{
	return (RENDER_PAGE_H - y) * MM_TO_PT;
}

/* The runs of pango's layout of text, with pl's origin at (x, y) mm. */
static int pdf_layout(struct render_pdf *pdf, struct strbuf *c, PangoLayout *pl,
		      const char *text, double x, double y)
{
	PangoLayoutIter *it;
	int ret = 0;

	pango_layout_set_text(pl, text, -1);
	it = pango_layout_get_iter(pl);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
		PangoRectangle lr;

		if (!run)
			continue;
		pango_layout_iter_get_run_extents(it, NULL, &lr);
		ret = render_pdf_glyphs(
			pdf, c, run->item->analysis.font, run->glyphs,
			text + run->item->offset, run->item->length,
			px(x + (double)lr.x / PANGO_SCALE),
			py(y + (double)pango_layout_iter_get_baseline(it) /
				       PANGO_SCALE));
	} while (!ret && pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	return ret;
}

/*
 * Text in a slot of type t, laid out in pl, with the layout's origin at
 * (x, y) mm: each line shaped on its own when shape_line() allows, else
 * laid out whole by pango.  Returns 0 or RENDER_PDF_UNSUPPORTED.
 */
static int pdf_text(struct render_form *f, struct render_pdf *pdf,
		    struct strbuf *c, const struct slot_type *t,
		    PangoLayout *pl, enum render_style st, const char *text,
		    double x, double y)
{
	const struct render_style_def *d = render_style_get(st);
	size_t mark;
	int ret = 0, line = 0;

	render_pdf_colour(c, d->r, d->g, d->b);
	mark = c->len;
	for (const char *s = text;; line++) {
		const char *e = strchr(s, '\n');
		int len = e ? (int)(e - s) : (int)strlen(s), dx = 0;
		const struct shaped *sh = shape_line(f, t, s, len);

		if (!sh->ok) {
			strbuf_setlen(c, mark);
			return pdf_layout(pdf, c, pl, text, x, y);
		}
		if (t->width >= 0 && t->align == PANGO_ALIGN_CENTER)
			dx = (t->width - sh->width) / 2;
		else if (t->width >= 0 && t->align == PANGO_ALIGN_RIGHT)
			dx = t->width - sh->width;
		ret = render_pdf_glyphs(
			pdf, c, t->font, sh->gs, s, len,
			px(x + (double)dx / PANGO_SCALE),
			py(y + (double)(t->baseline + line * t->pitch) /
				       PANGO_SCALE));
		if (ret || !e)
			return ret;
		s = e + 1;
	}
}

int render_form_pdf_page(struct render_form *f, struct render_pdf *pdf,
			 size_t page, const struct render_household *h,
			 struct strbuf *c, struct strbuf *err)
{
	const struct render_layout *l = f->l;
	bool blank = page == l->nr_pages;
	const struct render_page *p = &l->pages[blank ? 0 : page];
	const struct render_qr_plan *plan = &l->qr;
	char pretty[SURVEY_TOKEN_PRETTY];
	struct render_qr_symbol sym;
	double q = RENDER_QR_QUIET * plan->module;
	int ret = 0;

	survey_token_pretty(h->token, pretty);
	strbuf_reset(c);
	render_pdf_template(pdf, c, page);
	for (size_t i = 0; i < p->nr && !ret && !blank; i++) {
		const struct render_item *it = &p->items[i];

		if (it->kind != RENDER_ITEM_SLOT)
			continue;
		strbuf_reset(&f->sb);
		switch (it->slot) {
		case RENDER_SLOT_ADDRESS:
			if (h->street) {
				address_text(l, h, &f->sb);
				ret = pdf_text(f, pdf, c, &f->t_address,
					       f->address, RENDER_ST_ADDRESS,
					       f->sb.buf, it->r.x, it->r.y);
				break;
			}
			form_no_text(l, h, &f->sb);
			ret = pdf_text(f, pdf, c, &f->t_form_no, f->form_no,
				       RENDER_ST_FORM_NO, f->sb.buf, it->r.x,
				       it->r.y);
			strbuf_reset(&f->sb);
			strbuf_addstr(&f->sb, l->buurt ? l->buurt->name : "");
			if (!ret)
				ret = pdf_text(
					f, pdf, c, &f->t_address, f->address,
					RENDER_ST_ADDRESS, f->sb.buf, it->r.x,
					it->r.y +
						(double)f->t_form_no.height /
							PANGO_SCALE +
						1);
			break;
		case RENDER_SLOT_CODE:
			ret = pdf_text(f, pdf, c, &f->t_code, f->code,
				       RENDER_ST_CODE, pretty, it->r.x,
				       it->r.y);
			break;
		case RENDER_SLOT_FOOTER_CODE:
			render_word_fill(&f->sb, RENDER_W_FOOTER_CODE, l->lang,
					 pretty, NULL);
			ret = pdf_text(f, pdf, c, &f->t_footer, f->footer,
				       RENDER_ST_FOOTER, f->sb.buf, it->r.x,
				       it->r.y);
			break;
		}
	}
	if (ret) {
		strbuf_addstr(err, "a font of the forms cannot be embedded "
				   "(not TrueType)");
		return ret;
	}
	strbuf_reset(&f->sb);
	render_form_url(f, page, h, &f->sb);
	if (render_qr_encode(plan, f->sb.buf, &sym, err) < 0)
		return -1;
	render_pdf_colour(c, 1, 1, 1);
	render_pdf_rect(c, px(p->qr_zone.x), py(p->qr_zone.y + plan->zone),
			plan->zone * MM_TO_PT, plan->zone * MM_TO_PT);
	render_pdf_colour(c, 0, 0, 0);
	render_pdf_qr(c, &sym, px(p->qr_zone.x + q),
		      py(p->qr_zone.y + q + plan->size), plan->size * MM_TO_PT);
	return 0;
}
