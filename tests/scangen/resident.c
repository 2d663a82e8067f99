/*
 * resident.c - filling in a form like people do (see resident.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "resident.h"
#include "xalloc.h"
#include "banned.h"

/* How often residents do what (per answered question). */
#define P_MESSY	       0.30 /* residents who make hard cases at all */
#define P_HARD_MESSY   0.35 /* hard case per question, messy resident */
#define P_HARD_NEAT    0.03 /* the same, everyone else */
#define P_BLANK	       0.07 /* a choice question left blank */
#define P_BLANK_DIGITS 0.10
#define P_WRITES_TEXT  0.40
#define P_MULTI_OPTION 0.30 /* each option of a multi ticked */

/* Stray marks: most ink inside, some clearly over the edge. */
#define STRAY_MIN_IN 0.55
#define STRAY_MAX_IN 0.80
#define STRAY_REACH  2.0 /* mm past the box at most */
#define CLEAN_MIN_IN 0.85
#define CLEAN_REACH  0.8

static const char *const mark_names[MARK_NR] = {
	"none",	   "tick",   "cross",	    "fill",	"dot",
	"faint",   "stray",  "crossed_out", "scribble", "circle",
	"outside", "zigzag", "struck",	    "cancelled"
};

const char *mark_name(enum mark m)
{
	return mark_names[m];
}

const char *expect_name(enum expect e)
{
	static const char *const names[] = { "empty", "ticked", "review",
					     "written" };

	return names[e];
}

static enum expect expect_of(enum mark m, enum render_box_kind kind)
{
	switch (m) {
	case MARK_NONE: return EXPECT_EMPTY;
	case MARK_TICK:
	case MARK_CROSS:
	case MARK_STRAY: return EXPECT_TICKED;
	case MARK_SCRIBBLE:
		return kind == RENDER_BOX_DIGIT ? EXPECT_REVIEW
						: EXPECT_WRITTEN;
	default: return EXPECT_REVIEW;
	}
}

/* The items of question q: its boxes or its lined area, on one page. */
struct qitems {
	size_t page;
	size_t *idx;
	size_t nr, alloc;
};

static void find_items(const struct render_layout *l, const char *qid,
		       struct qitems *qi)
{
	qi->nr = 0;
	for (size_t p = 0; p < l->nr_pages; p++) {
		const struct render_page *pg = &l->pages[p];

		for (size_t i = 0; i < pg->nr; i++) {
			const struct render_item *it = &pg->items[i];

			if ((it->kind != RENDER_ITEM_BOX &&
			     it->kind != RENDER_ITEM_LINES) ||
			    !it->question || strcmp(it->question, qid))
				continue;
			qi->page = p;
			ALLOC_GROW(qi->idx, qi->nr + 1, qi->alloc);
			qi->idx[qi->nr++] = i;
		}
	}
}

struct filler {
	struct form_fill *f;
	struct rng *r;
	const bool *bw;
	double p_hard;
	struct qitems qi;
	struct question_fill *qf;
};

static struct item_fill *item(struct filler *fl, size_t k)
{
	return &fl->f->items[fl->qi.page][fl->qi.idx[k]];
}

static const struct render_item *ritem(struct filler *fl, size_t k)
{
	return &fl->f->l->pages[fl->qi.page].items[fl->qi.idx[k]];
}

static void set_mark(struct filler *fl, size_t k, enum mark m)
{
	struct item_fill *it = item(fl, k);

	it->mark = m;
	it->expect = expect_of(m, ritem(fl, k)->box);
	if (it->expect == EXPECT_REVIEW)
		fl->qf->review = true;
}

static enum mark clear_mark(struct filler *fl)
{
	return fl->f->crosses ? MARK_CROSS : MARK_TICK;
}

/* How a resident crosses a box out: hatched over densely (the old
 * crossed_out), a loose zigzag, or struck through with 1 to 3 lines;
 * mostly over the tick they take back. */
static void cross_out(struct filler *fl, size_t k, bool cancelled)
{
	static const double w[3] = { 35, 35, 30 };
	unsigned how = rng_weighted(fl->r, w, 3);
	struct item_fill *it;

	set_mark(fl, k,
		 cancelled  ? MARK_CANCELLED
		 : how == 0 ? MARK_CROSSED_OUT
		 : how == 1 ? MARK_ZIGZAG
			    : MARK_STRUCK);
	it = item(fl, k);
	it->under = how == 0 || rng_chance(fl->r, 0.8);
	it->lines = how == 2 ? 1 + rng_below(fl->r, 3) : 0;
	/* A cancelled box is crossed out in one of the same three ways. */
	it->how = how;
}

enum hard {
	H_STRAY,
	H_CROSSED_OUT,
	H_TWO,
	H_FILL,
	H_FAINT,
	H_DOT,
	H_CIRCLE,
	H_OUTSIDE,
	H_CANCELLED,
	H_NR
};

static enum hard pick_hard(struct filler *fl, bool single)
{
	static const double w[H_NR] = { 16, 26, 10, 10, 12, 8, 7, 7, 6 };
	double weights[H_NR];

	memcpy(weights, w, sizeof(weights));
	if (!single)
		weights[H_TWO] = 0;
	if (fl->bw && fl->bw[fl->qi.page])
		weights[H_FAINT] = 0;
	return (enum hard)rng_weighted(fl->r, weights, H_NR);
}

/* Any other box than a (n >= 2). */
static size_t other(struct filler *fl, size_t a)
{
	size_t o = rng_below(fl->r, (unsigned)fl->qi.nr - 1);

	return o >= a ? o + 1 : o;
}

/* The answer of a clear question: its ticked values in box order. */
static void settle_answer(struct filler *fl)
{
	size_t ticked = 0;

	strbuf_reset(&fl->qf->answer);
	for (size_t k = 0; k < fl->qi.nr; k++) {
		if (item(fl, k)->expect != EXPECT_TICKED)
			continue;
		if (ticked++)
			strbuf_addch(&fl->qf->answer, '+');
		strbuf_addstr(&fl->qf->answer, ritem(fl, k)->value);
	}
	if (fl->qf->review)
		strbuf_reset(&fl->qf->answer);
}

/* One box of a row (proposition, choice, yes/no, scale, small number). */
static void fill_single(struct filler *fl)
{
	size_t n = fl->qi.nr, a;

	if (rng_chance(fl->r, P_BLANK))
		return;
	a = rng_below(fl->r, (unsigned)n);
	if (!rng_chance(fl->r, fl->p_hard)) {
		set_mark(fl, a, clear_mark(fl));
		return;
	}
	switch (pick_hard(fl, n >= 2)) {
	case H_STRAY: set_mark(fl, a, MARK_STRAY); break;
	case H_FILL: set_mark(fl, a, MARK_FILL); break;
	case H_FAINT: set_mark(fl, a, MARK_FAINT); break;
	case H_DOT: set_mark(fl, a, MARK_DOT); break;
	case H_CROSSED_OUT:
		if (n < 2) {
			set_mark(fl, a, MARK_STRAY);
			break;
		}
		cross_out(fl, other(fl, a), false);
		set_mark(fl, a, clear_mark(fl));
		break;
	case H_CANCELLED: cross_out(fl, a, true); break;
	case H_CIRCLE: set_mark(fl, a, MARK_CIRCLE); break;
	case H_OUTSIDE: set_mark(fl, a, MARK_OUTSIDE); break;
	case H_TWO:
		set_mark(fl, a, clear_mark(fl));
		set_mark(fl, other(fl, a), clear_mark(fl));
		fl->qf->review = true;
		break;
	case H_NR: break;
	}
}

/* One hard case among the boxes of a multi; on[] tells the ticked. */
static void multi_hard(struct filler *fl, const bool *on, size_t chosen)
{
	static const enum mark as[H_NR] = {
		[H_STRAY] = MARK_STRAY,
		[H_CROSSED_OUT] = MARK_CROSSED_OUT,
		[H_TWO] = MARK_STRAY,
		[H_FILL] = MARK_FILL,
		[H_FAINT] = MARK_FAINT,
		[H_DOT] = MARK_DOT,
		[H_CIRCLE] = MARK_CIRCLE,
		[H_OUTSIDE] = MARK_OUTSIDE,
		[H_CANCELLED] = MARK_CROSSED_OUT,
	};
	enum hard h = pick_hard(fl, false);
	size_t n = fl->qi.nr, a;

	if (h == H_CROSSED_OUT || h == H_CANCELLED) {
		/* Ticked, then changed their mind: an unticked box. */
		if (chosen == n)
			return;
		do
			a = rng_below(fl->r, (unsigned)n);
		while (on[a]);
		cross_out(fl, a, chosen == 0);
		return;
	} else {
		/* On a ticked box if any, so max_choices still holds. */
		do
			a = rng_below(fl->r, (unsigned)n);
		while (chosen && !on[a]);
	}
	set_mark(fl, a, as[h]);
}

/* Several boxes, at most max_choices of them. */
static void fill_multi(struct filler *fl, unsigned max)
{
	size_t n = fl->qi.nr, chosen = 0, a;
	bool *on = xcalloc(n, sizeof(*on));

	for (size_t k = 0; k < n; k++)
		if (rng_chance(fl->r, P_MULTI_OPTION))
			on[k] = true, chosen++;
	while (max && chosen > max) {
		a = rng_below(fl->r, (unsigned)n);
		if (on[a])
			on[a] = false, chosen--;
	}
	for (size_t k = 0; k < n; k++)
		if (on[k])
			set_mark(fl, k, clear_mark(fl));
	if (rng_chance(fl->r, fl->p_hard))
		multi_hard(fl, on, chosen);
	free(on);
}

/* A number written in digit boxes, with the sign box ticked if < 0. */
static void fill_digits(struct filler *fl, const struct survey_question *q)
{
	size_t ndig = 0, sign = fl->qi.nr;
	char num[24];
	long v;
	size_t len, first;
	bool right = rng_chance(fl->r, 0.6);

	if (rng_chance(fl->r, P_BLANK_DIGITS))
		return;
	for (size_t k = 0; k < fl->qi.nr; k++) {
		if (ritem(fl, k)->box == RENDER_BOX_DIGIT)
			ndig++;
		else if (ritem(fl, k)->box == RENDER_BOX_SIGN)
			sign = k;
	}
	v = q->min + (long)rng_below(fl->r, (unsigned)(q->max - q->min + 1));
	snprintf(num, sizeof(num), "%ld", v < 0 ? -v : v);
	len = strlen(num);
	if (len > ndig)
		len = ndig;
	first = right ? ndig - len : 0;
	for (size_t k = 0; k < fl->qi.nr; k++) {
		const struct render_item *it = ritem(fl, k);
		char *end;
		long pos;

		if (it->box != RENDER_BOX_DIGIT)
			continue;
		pos = strtol(it->value, &end, 10) - 1;
		if (pos < (long)first || pos >= (long)(first + len))
			continue;
		item(fl, k)->digit = num[pos - (long)first] - '0';
		set_mark(fl, k, MARK_SCRIBBLE);
	}
	if (v < 0 && sign < fl->qi.nr)
		set_mark(fl, sign, clear_mark(fl));
	fl->qf->review = true;
}

static void fill_text(struct filler *fl)
{
	const struct render_item *it = ritem(fl, 0);
	unsigned used;

	if (!rng_chance(fl->r, P_WRITES_TEXT))
		return;
	/* Most people write a line or two; a few fill the area. */
	used = 1 + (unsigned)floor(pow(rng_uniform(fl->r), 2.2) * it->nr_lines);
	if (used > it->nr_lines)
		used = it->nr_lines;
	item(fl, 0)->lines = used;
	set_mark(fl, 0, MARK_SCRIBBLE);
}

static void fill_question(struct filler *fl, const struct survey_question *q)
{
	bool digits = false;

	for (size_t k = 0; k < fl->qi.nr; k++)
		if (ritem(fl, k)->kind == RENDER_ITEM_BOX &&
		    ritem(fl, k)->box == RENDER_BOX_DIGIT)
			digits = true;
	switch (q->type) {
	case SURVEY_Q_MULTI: fill_multi(fl, q->max_choices); break;
	case SURVEY_Q_TEXT: fill_text(fl); break;
	case SURVEY_Q_NUMBER:
		if (digits) {
			fill_digits(fl, q);
			break;
		}
		fill_single(fl);
		break;
	default: fill_single(fl); break;
	}
	settle_answer(fl);
}

void resident_fill(struct form_fill *f, const struct render_layout *l,
		   struct rng *r, const bool *bw, double hard, int pen)
{
	struct filler fl = { .f = f, .r = r, .bw = bw };
	const struct survey *s = l->s;

	memset(f, 0, sizeof(*f));
	f->l = l;
	pen_pick(&f->pen, r, pen);
	for (size_t p = 0; bw && p < l->nr_pages; p++)
		if (bw[p]) {
			/* A black-and-white scan would lose a thin or light
			 * line altogether, and the truth with it. */
			f->pen.width = fmax(f->pen.width, 0.3);
			if (f->pen.r + f->pen.g > 0.6)
				f->pen.r = 0.1, f->pen.g = 0.15, f->pen.b = 0.5;
		}
	pen_faint(&f->faint, r);
	f->crosses = rng_chance(r, 0.45);
	fl.p_hard = rng_chance(r, P_MESSY) ? P_HARD_MESSY : P_HARD_NEAT;
	if (hard >= 0)
		fl.p_hard = hard;
	f->items = xcalloc(l->nr_pages, sizeof(*f->items));
	for (size_t p = 0; p < l->nr_pages; p++)
		f->items[p] = xcalloc(l->pages[p].nr + 1, sizeof(**f->items));
	f->questions = xcalloc(s->nr_questions, sizeof(*f->questions));
	for (size_t i = 0; i < s->nr_questions; i++) {
		const struct survey_question *q = &s->questions[i];

		find_items(l, q->id, &fl.qi);
		if (!fl.qi.nr)
			continue;
		fl.qf = &f->questions[f->nr_questions++];
		fl.qf->q = q;
		fl.qf->page = fl.qi.page;
		strbuf_init(&fl.qf->answer, 0);
		fill_question(&fl, q);
	}
	free(fl.qi.idx);
}

void resident_release(struct form_fill *f)
{
	if (!f->l)
		return;
	for (size_t p = 0; p < f->l->nr_pages; p++)
		free(f->items[p]);
	free(f->items);
	for (size_t i = 0; i < f->nr_questions; i++)
		strbuf_release(&f->questions[i].answer);
	free(f->questions);
	memset(f, 0, sizeof(*f));
}

/* ---- drawing ---- */

static void shape(struct ink *k, struct rng *r, double width, bool cross,
		  const struct render_rect *b)
{
	if (cross)
		ink_cross(k, r, width, b);
	else
		ink_tick(k, r, width, b);
}

static bool within(const struct render_rect *in, const struct render_rect *b,
		   double reach)
{
	return in->x >= b->x - reach && in->y >= b->y - reach &&
	       in->x + in->w <= b->x + b->w + reach &&
	       in->y + in->h <= b->y + b->h + reach;
}

/* A tick or cross with nearly all its ink in the box. */
static void clean_shape(struct ink *k, struct rng *r, double width, bool cross,
			const struct render_rect *b)
{
	size_t from = k->nr;

	for (int tries = 0; tries < 30; tries++) {
		struct render_rect bb;

		k->nr = from;
		shape(k, r, width, cross, b);
		bb = ink_bounds(k, from);
		if (ink_inside(k, from, b) >= CLEAN_MIN_IN &&
		    within(&bb, b, CLEAN_REACH))
			return;
	}
	/* Rare: pull the last try towards the middle of the box. */
	ink_move(k, from, b->x + b->w / 2, b->y + b->h / 2, 0.8, 0, 0);
}

/* A tick or cross that runs over the edge but keeps most ink inside. */
static void stray_shape(struct ink *k, struct rng *r, double width, bool cross,
			const struct render_rect *b)
{
	size_t from = k->nr;
	double cx = b->x + b->w / 2, cy = b->y + b->h / 2;

	for (int tries = 0; tries < 200; tries++) {
		double f = rng_range(r, 1.0, 1.45), a = rng_range(r, 0, 6.28);
		double d = rng_range(r, 0.8, 2.2) * (tries < 100 ? 1 : 0.6);
		struct render_rect bb;
		double in;

		k->nr = from;
		shape(k, r, width, cross, b);
		ink_move(k, from, cx, cy, f, d * cos(a), d * sin(a));
		in = ink_inside(k, from, b);
		bb = ink_bounds(k, from);
		if (in >= STRAY_MIN_IN && in <= STRAY_MAX_IN &&
		    within(&bb, b, STRAY_REACH) && !within(&bb, b, 0.5))
			return;
	}
	/* Never seen in practice; a plain shape keeps the truth right. */
	k->nr = from;
	clean_shape(k, r, width, cross, b);
}

/* A tick or cross mostly beside the box: its middle 2 to 2.6 mm off the
 * box's, to the right or below as people miss. */
static void outside_shape(struct ink *k, struct rng *r, double width,
			  bool cross, const struct render_rect *b)
{
	size_t from = k->nr;
	double d = rng_range(r, 2.0, 2.6);
	double a = rng_chance(r, 0.6) ? rng_range(r, -0.6, 0.6)
				      : rng_range(r, 0.9, 2.2);

	shape(k, r, width, cross, b);
	ink_move(k, from, b->x + b->w / 2, b->y + b->h / 2,
		 rng_range(r, 0.9, 1.1), d * cos(a), d * sin(a));
}

static void draw_item(const struct form_fill *f, const struct render_item *it,
		      const struct item_fill *fi, struct ink *k,
		      struct ink *faint, struct rng *r)
{
	const struct render_rect *b = &it->r;
	double w = f->pen.width;

	switch (fi->mark) {
	case MARK_NONE: break;
	case MARK_TICK: clean_shape(k, r, w, false, b); break;
	case MARK_CROSS: clean_shape(k, r, w, true, b); break;
	case MARK_STRAY: stray_shape(k, r, w, f->crosses, b); break;
	case MARK_FAINT:
		clean_shape(faint, r, f->faint.width, f->crosses, b);
		break;
	case MARK_FILL: ink_fill(k, r, w, b); break;
	case MARK_DOT: ink_dot(k, r, w, b); break;
	case MARK_CROSSED_OUT:
	case MARK_ZIGZAG:
	case MARK_STRUCK:
	case MARK_CANCELLED:
		if (fi->under)
			clean_shape(k, r, w, f->crosses, b);
		if (fi->how == 0)
			ink_scribble_over(k, r, w, b);
		else if (fi->how == 1)
			ink_zigzag(k, r, w, b);
		else
			ink_strike(k, r, w, b, fi->lines ? fi->lines : 1);
		break;
	case MARK_CIRCLE: ink_circle(k, r, w, b); break;
	case MARK_OUTSIDE: outside_shape(k, r, w, f->crosses, b); break;
	case MARK_SCRIBBLE:
		if (it->kind == RENDER_ITEM_LINES)
			ink_handwriting(k, r, w, b, fi->lines);
		else
			ink_digit(k, r, w, b, fi->digit);
		break;
	case MARK_NR: break;
	}
}

void resident_draw(const struct form_fill *f, size_t page, cairo_t *cr,
		   struct rng *r)
{
	const struct render_page *p = &f->l->pages[page];
	struct ink k = { 0 }, faint = { 0 };

	for (size_t i = 0; i < p->nr; i++)
		draw_item(f, &p->items[i], &f->items[page][i], &k, &faint, r);
	ink_draw(&k, cr, &f->pen);
	ink_draw(&faint, cr, &f->faint);
	ink_release(&k);
	ink_release(&faint);
}
