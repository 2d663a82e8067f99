/*
 * synth.c - made-up scans for the scan tests (see synth.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"
#include "banned.h"

static const struct render_item *find_box(const struct render_page *p,
					  const char *q, const char *v)
{
	for (size_t i = 0; i < p->nr; i++) {
		const struct render_item *it = &p->items[i];

		if (it->kind == RENDER_ITEM_BOX && !strcmp(it->question, q) &&
		    !strcmp(it->value, v))
			return it;
		if (it->kind == RENDER_ITEM_LINES && !strcmp(it->question, q))
			return it;
	}
	return NULL;
}

static void draw_mark(cairo_t *cr, const struct render_rect *r,
		      enum synth_mark m)
{
	double x = r->x, y = r->y;

	cairo_save(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_source_rgb(cr, 0.08, 0.1, 0.45); /* blue ballpoint */
	cairo_set_line_width(cr, 0.4);
	switch (m) {
	case SYNTH_NONE: break;
	case SYNTH_TICK:
		cairo_move_to(cr, x + 1.0, y + 2.7);
		cairo_line_to(cr, x + 2.1, y + 4.1);
		cairo_line_to(cr, x + 4.4, y + 0.6);
		cairo_stroke(cr);
		break;
	case SYNTH_CROSS:
		cairo_move_to(cr, x + 0.8, y + 0.9);
		cairo_line_to(cr, x + 4.2, y + 4.1);
		cairo_move_to(cr, x + 4.1, y + 0.8);
		cairo_line_to(cr, x + 0.9, y + 4.2);
		cairo_stroke(cr);
		break;
	case SYNTH_FILLED:
		cairo_rectangle(cr, x + 0.4, y + 0.4, r->w - 0.8, r->h - 0.8);
		cairo_fill(cr);
		break;
	case SYNTH_FAINT:
		cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
		cairo_set_line_width(cr, 0.3);
		cairo_move_to(cr, x + 1.0, y + 2.7);
		cairo_line_to(cr, x + 2.1, y + 4.1);
		cairo_line_to(cr, x + 4.4, y + 0.6);
		cairo_stroke(cr);
		break;
	case SYNTH_DOT:
		cairo_arc(cr, x + 2.6, y + 2.4, 0.3, 0, 2 * M_PI);
		cairo_fill(cr);
		break;
	case SYNTH_SCRIBBLE:
		cairo_move_to(cr, x + 3, y + 6);
		for (int i = 0; i < 30; i++)
			cairo_line_to(cr, x + 4 + i * 1.6,
				      y + 6 + (i % 2 ? -2.5 : 0.5));
		cairo_stroke(cr);
		break;
	}
	cairo_restore(cr);
}

/* A standard normal deviate from a small LCG (tests need no quality). */
static double gauss(unsigned *s)
{
	double u1, u2;

	*s = *s * 1103515245u + 12345u;
	u1 = ((*s >> 8) + 1.0) / 16777217.0;
	*s = *s * 1103515245u + 12345u;
	u2 = ((*s >> 8) + 1.0) / 16777217.0;
	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

size_t synth_page_of(const struct render_layout *l, const char *question)
{
	for (size_t pg = 0; pg < l->nr_pages; pg++)
		for (size_t i = 0; i < l->pages[pg].nr; i++)
			if (l->pages[pg].items[i].kind == RENDER_ITEM_BOX &&
			    !strcmp(l->pages[pg].items[i].question, question))
				return pg;
	return 0;
}

void synth_page(struct render_form *f, const struct render_layout *l,
		size_t page, const struct render_household *h,
		const struct synth_box_mark *marks, size_t nr_marks,
		const struct synth_opts *o, struct scan_image *img)
{
	int w = (int)lround((o->landscape ? RENDER_PAGE_H : RENDER_PAGE_W) /
			    25.4 * o->dpi);
	int hh = (int)lround((o->landscape ? RENDER_PAGE_W : RENDER_PAGE_H) /
			     25.4 * o->dpi);
	cairo_surface_t *surf =
		cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, hh);
	cairo_t *cr = cairo_create(surf);
	struct strbuf err = STRBUF_INIT;
	double k = o->dpi / 25.4, paper = o->paper > 0 ? o->paper : 1;
	double scale = o->scale > 0 ? o->scale : 1;
	unsigned seed = o->seed ? o->seed : 1;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, k, k);
	/* Turn and shrink about the middle of the sheet, as a printer's
	 * "fit to page" and a crooked sheet on the glass do. */
	cairo_translate(cr, w / k / 2 + o->dx, hh / k / 2 + o->dy);
	cairo_rotate(cr, (o->angle + (o->upside_down ? 180 : 0) +
			  (o->landscape ? 90 : 0)) *
				 M_PI / 180);
	cairo_scale(cr, scale, scale);
	cairo_translate(cr, -RENDER_PAGE_W / 2, -RENDER_PAGE_H / 2);
	if (render_form_draw_page(f, cr, page, h, &err) < 0)
		fail_msg("drawing page %zu: %s", page + 1, err.buf);
	for (size_t i = 0; i < nr_marks; i++) {
		const struct render_item *it = find_box(
			&l->pages[page], marks[i].question, marks[i].value);

		if (!it)
			fail_msg("no box %s=%s on page %zu", marks[i].question,
				 marks[i].value, page + 1);
		draw_mark(cr, &it->r, marks[i].mark);
	}
	cairo_destroy(cr);
	cairo_surface_flush(surf);
	if (scan_image_alloc(img, w, hh, &err) < 0)
		fail_msg("%s", err.buf);
	img->dpi = o->dpi;
	for (int y = 0; y < hh; y++) {
		const uint32_t *row =
			(const uint32_t
				 *)(cairo_image_surface_get_data(surf) +
				    (size_t)y * cairo_image_surface_get_stride(
							surf));

		for (int x = 0; x < w; x++) {
			uint32_t p = row[x];
			double g =
				(((p >> 16) & 255) * 0.3 +
				 ((p >> 8) & 255) * 0.59 + (p & 255) * 0.11) *
				paper;

			if (o->noise > 0)
				g += o->noise * gauss(&seed);
			if (o->threshold)
				g = g < 128 ? 0 : 255;
			img->px[(size_t)y * img->stride + x] =
				(unsigned char)(g < 0	  ? 0
						: g > 255 ? 255
							  : g);
		}
	}
	cairo_surface_destroy(surf);
	strbuf_release(&err);
}
