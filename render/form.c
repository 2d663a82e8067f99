/*
 * form.c - drawing forms from their layout (see form.h): the static part
 * of each page recorded once, the household's slots and QR code per form.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "households.h"
#include "xalloc.h"
#include "banned.h"

struct render_form {
	const struct render_layout *l;
	cairo_surface_t **statics; /* per page, in mm */
	PangoLayout *address, *form_no, *code, *footer;
	struct strbuf sb;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void render_households_add(struct render_households *list,
			   const struct survey_household *h)
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

static PangoLayout *slot_layout(const struct render_layout *l,
				enum render_style st, double width)
{
	return render_text_layout(l->pango, st, "", width);
}

struct render_form *render_form_new(const struct render_layout *l)
{
	struct render_form *f = xcalloc(1, sizeof(*f));
	cairo_rectangle_t ext = { 0, 0, RENDER_PAGE_W, RENDER_PAGE_H };

	f->l = l;
	strbuf_init(&f->sb, 128);
	f->statics = xcalloc(l->nr_pages, sizeof(*f->statics));
	for (size_t i = 0; i < l->nr_pages; i++) {
		cairo_t *cr;

		f->statics[i] = cairo_recording_surface_create(
			CAIRO_CONTENT_COLOR_ALPHA, &ext);
		cr = cairo_create(f->statics[i]);
		draw_static(cr, &l->pages[i]);
		cairo_destroy(cr);
	}
	f->address = slot_layout(l, RENDER_ST_ADDRESS, RENDER_WINDOW_W - 8);
	f->form_no = slot_layout(l, RENDER_ST_FORM_NO, RENDER_WINDOW_W - 8);
	f->code = slot_layout(l, RENDER_ST_CODE, -1);
	f->footer = slot_layout(l, RENDER_ST_FOOTER, 50);
	pango_layout_set_alignment(f->footer, PANGO_ALIGN_CENTER);
	return f;
}

void render_form_free(struct render_form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->l->nr_pages; i++)
		cairo_surface_destroy(f->statics[i]);
	free(f->statics);
	g_object_unref(f->address);
	g_object_unref(f->form_no);
	g_object_unref(f->code);
	g_object_unref(f->footer);
	strbuf_release(&f->sb);
	free(f);
}

void render_form_url(const struct render_form *f, size_t page,
		     const struct render_household *h, struct strbuf *out)
{
	render_qr_url(&f->l->qr, h->token, (unsigned)page + 1, f->l->id, out);
}

/* "Aan de bewoners van / Kerkstraat 12a-2 / 4849 AB  DORST". */
static void draw_address(struct render_form *f, cairo_t *cr,
			 const struct render_item *it,
			 const struct render_household *h)
{
	const struct render_layout *l = f->l;
	struct strbuf *sb = &f->sb;
	double w, hh;

	strbuf_reset(sb);
	if (!h->street) {
		char num[24];

		snprintf(num, sizeof(num), "%lld", h->form_no);
		render_word_fill(sb, RENDER_W_FORM_NO, l->lang, num, NULL);
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
	strbuf_addf(sb, "%s\n%s %ld%s%s%s\n%s  ",
		    render_word(RENDER_W_ADDRESSEE, l->lang), h->street,
		    h->number, h->letter ? h->letter : "",
		    h->addition && *h->addition ? "-" : "",
		    h->addition ? h->addition : "",
		    h->postcode ? h->postcode : "");
	if (h->place) {
		/* PostNL asks for the place in capitals. */
		char *up = g_utf8_strup(h->place, -1);

		strbuf_addstr(sb, up);
		g_free(up);
	}
	pango_layout_set_text(f->address, sb->buf, (int)sb->len);
	show_at(cr, f->address, RENDER_ST_ADDRESS, it->r.x, it->r.y);
}

int render_form_draw_page(struct render_form *f, cairo_t *cr, size_t page,
			  const struct render_household *h, struct strbuf *err)
{
	const struct render_layout *l = f->l;
	const struct render_page *p = &l->pages[page];
	char pretty[SURVEY_TOKEN_PRETTY];
	int ret;

	survey_token_pretty(h->token, pretty);
	cairo_save(cr);
	cairo_set_source_surface(cr, f->statics[page], 0, 0);
	cairo_paint(cr);
	for (size_t i = 0; i < p->nr; i++) {
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
