/*
 * pen.h - how a person's pen puts ink on a form.
 *
 * Ink is a list of strokes, each a polyline in mm (page coordinates of
 * the layout) with a width at every point: the shapes below (ticks,
 * crosses, blacked-out boxes, dots, scribbles, digits, handwriting) are
 * built as ink first, so that the generator can measure them (how much
 * of a tick lies inside its box) before anything is drawn, and then
 * drawn with round caps segment by segment, which gives the uneven
 * width of a ballpoint or a pencil.  Strokes wobble a little (tremor),
 * taper at their ends, and their control points are jittered.
 */
#ifndef SCANGEN_PEN_H
#define SCANGEN_PEN_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "rng.h"

/* Ink colour and nominal width. */
struct pen {
	double r, g, b;
	double width; /* mm */
};

/* A resident's pen: blue or black ballpoint (also a thin one), a felt tip
 * (black, blue, or light blue), or pencil. */
void pen_pick(struct pen *p, struct rng *r, int kind);

/* The kinds of pen, for pen_pick()'s kind (-1: drawn at random). */
enum pen_kind {
	PEN_BLUE,
	PEN_BLACK,
	PEN_PENCIL,
	PEN_THIN,
	PEN_FELT,
	PEN_LIGHT_FELT,
	PEN_NR
};
/* A light pencil barely pressed: the "faint" mark. */
void pen_faint(struct pen *p, struct rng *r);

struct ink_pt {
	double x, y, w;
	bool start; /* first point of a stroke */
};

struct ink {
	struct ink_pt *v;
	size_t nr, alloc;
};

void ink_reset(struct ink *k);
void ink_release(struct ink *k);

/* A smooth stroke through the n control points cp (mm). */
void ink_stroke(struct ink *k, struct rng *r, double width,
		const double (*cp)[2], size_t n);

/* The marks, in box b; width is the pen's. */
void ink_tick(struct ink *k, struct rng *r, double width,
	      const struct render_rect *b);
void ink_cross(struct ink *k, struct rng *r, double width,
	       const struct render_rect *b);
/* Zig-zags close enough to black out the box almost completely. */
void ink_fill(struct ink *k, struct rng *r, double width,
	      const struct render_rect *b);
/* A small blob, about 1 mm across, somewhere in the box. */
void ink_dot(struct ink *k, struct rng *r, double width,
	     const struct render_rect *b);
/* Loops scribbled over the box to cross out what is in it. */
void ink_scribble_over(struct ink *k, struct rng *r, double width,
		       const struct render_rect *b);
/* A loose zigzag over the box, rows 1 to 1.8 mm apart: crossed out. */
void ink_zigzag(struct ink *k, struct rng *r, double width,
		const struct render_rect *b);
/* lines (1-3) straight lines through the box and past it: struck out. */
void ink_strike(struct ink *k, struct rng *r, double width,
		const struct render_rect *b, unsigned lines);
/* A ring drawn round the box, clear of it: "this one". */
void ink_circle(struct ink *k, struct rng *r, double width,
		const struct render_rect *b);
/* A handwritten digit 0-9 filling a digit box. */
void ink_digit(struct ink *k, struct rng *r, double width,
	       const struct render_rect *b, int digit);
/* Cursive-looking words on lines 1..used of a lined area. */
void ink_handwriting(struct ink *k, struct rng *r, double width,
		     const struct render_rect *area, unsigned used);

/* Share of the ink's length from point from on whose middle lies in b. */
double ink_inside(const struct ink *k, size_t from,
		  const struct render_rect *b);
/* Bounding box of the ink from point from, stroke widths included. */
struct render_rect ink_bounds(const struct ink *k, size_t from);
/* Scale the points from from by f about (cx, cy), then move by (dx, dy). */
void ink_move(struct ink *k, size_t from, double cx, double cy, double f,
	      double dx, double dy);
/* Draw on cr (user space mm) in the pen's colour. */
void ink_draw(const struct ink *k, cairo_t *cr, const struct pen *p);

#endif
