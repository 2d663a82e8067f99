/*
 * resident.h - a resident filling in a paper form, and what a careful
 * person reading it back would conclude.
 *
 * resident_fill() decides, for one household's form, what happens to
 * every answer box and lined area (the mark) and what the scanner is
 * expected to make of it (the truth): most residents tick or cross one
 * clear box per question with one pen; some leave questions blank; a
 * few are messy and black boxes out, leave a dot, press too lightly,
 * miss the box, cross out and tick again, or tick two boxes of a
 * single-choice question.  resident_draw() then puts the ink on a page,
 * drawing the shapes from pen.h.
 *
 * Expectations (the reader's contract, see README.md):
 *   mark none                       -> empty
 *   tick, cross, stray              -> ticked (most ink inside the box)
 *   fill, dot, faint, crossed_out,
 *   zigzag, struck, cancelled,
 *   circle, outside                 -> review (never to be guessed)
 *   scribble in a lined area        -> written; in a digit box -> review
 * A question is review when any of its boxes is, when a single-choice
 * question has two ticked boxes, or when digits were written in it.
 */
#ifndef SCANGEN_RESIDENT_H
#define SCANGEN_RESIDENT_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "pen.h"
#include "rng.h"

enum mark {
	MARK_NONE,
	MARK_TICK,
	MARK_CROSS,
	MARK_FILL,
	MARK_DOT,
	MARK_FAINT,
	MARK_STRAY,
	MARK_CROSSED_OUT,
	MARK_SCRIBBLE,
	MARK_CIRCLE,	/* a ring round the box, no ink in it */
	MARK_OUTSIDE,	/* a tick mostly beside the box, 2-2.6 mm off */
	MARK_ZIGZAG,	/* crossed out with a loose zigzag */
	MARK_STRUCK,	/* struck through with 1 to 3 lines */
	MARK_CANCELLED, /* crossed out, and no other box ticked */
	MARK_NR
};

enum expect { EXPECT_EMPTY, EXPECT_TICKED, EXPECT_REVIEW, EXPECT_WRITTEN };

const char *mark_name(enum mark m);
const char *expect_name(enum expect e);

/* What happened to one box or lined area. */
struct item_fill {
	enum mark mark;
	enum expect expect;
	int digit;	/* digit boxes: the digit written */
	bool under;	/* crossed out: over a tick (else over nothing) */
	unsigned how;	/* crossed out: 0 hatched, 1 zigzag, 2 struck */
	unsigned lines; /* lined areas: lines written on; struck: lines */
};

/* One question as the truth has it. */
struct question_fill {
	const struct survey_question *q;
	size_t page;	      /* 0-based page its boxes are on */
	bool review;	      /* a person must look */
	struct strbuf answer; /* clear questions: value(s), "+"-joined */
};

struct form_fill {
	const struct render_layout *l;
	struct pen pen, faint;
	bool crosses;		  /* this resident crosses instead of ticking */
	struct item_fill **items; /* [page][item], as the layout's items */
	struct question_fill *questions;
	size_t nr_questions;
};

/*
 * Fill in the form of layout l with choices from r.  bw[page] (may be
 * NULL) tells which pages will be scanned in black and white, where a
 * faint pencil mark would vanish, so none is made there.  hard, when
 * 0 or more, is the share of questions every resident makes a hard
 * case in (instead of 30% messy residents at 35%); pen, when 0 or
 * more, the pen everyone uses (enum pen_kind).  Release with
 * resident_release().
 */
void resident_fill(struct form_fill *f, const struct render_layout *l,
		   struct rng *r, const bool *bw, double hard, int pen);
void resident_release(struct form_fill *f);

/* Draw the ink of page (0-based) on cr (user space: page mm). */
void resident_draw(const struct form_fill *f, size_t page, cairo_t *cr,
		   struct rng *r);

#endif
