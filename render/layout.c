/*
 * layout.c - computing the geometry of a form (see layout.h): page
 * breaking, text measured with pango, boxes placed, the layout id, and
 * the layout file.
 *
 * Every block (title, intro paragraph, agreement panel, question) is
 * first built at y = 0 in a scratch list, measured, and then moved onto
 * the current page or the next one; a block never straddles a break.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "xalloc.h"
#include "msg.h"
#include "banned.h"

#define ACCENT 0.09, 0.24, 0.42
#define INK    0.10, 0.10, 0.12
#define GREY   0.33, 0.33, 0.36

/*
 * Sizes for older residents (issue 17): what they read is 11 to 12 pt
 * and black; only the staff's footer stays small and grey.
 */
static const struct render_style_def styles[RENDER_ST_NR] = {
	[RENDER_ST_ORG] = { "Liberation Sans Bold 15", ACCENT, 0,
			    PANGO_ALIGN_LEFT },
	[RENDER_ST_CONTACT] = { "Liberation Sans 10", INK, 1.1,
				PANGO_ALIGN_LEFT },
	[RENDER_ST_TITLE] = { "Liberation Sans Bold 19", ACCENT, 1.05,
			      PANGO_ALIGN_LEFT },
	[RENDER_ST_RUNNING] = { "Liberation Sans Bold 10", ACCENT, 0,
				PANGO_ALIGN_LEFT },
	[RENDER_ST_DEADLINE] = { "Liberation Sans Bold 10.5", INK, 0,
				 PANGO_ALIGN_LEFT },
	[RENDER_ST_BODY] = { "Liberation Sans 11", INK, 1.2, PANGO_ALIGN_LEFT },
	[RENDER_ST_PANEL_HEAD] = { "Liberation Sans Bold 11", ACCENT, 0,
				   PANGO_ALIGN_LEFT },
	[RENDER_ST_PANEL] = { "Liberation Sans 11", INK, 1.15,
			      PANGO_ALIGN_LEFT },
	[RENDER_ST_QNUM] = { "Liberation Sans Bold 10.5", 1, 1, 1, 0,
			     PANGO_ALIGN_CENTER },
	[RENDER_ST_QTEXT] = { "Liberation Sans Bold 12", INK, 1.1,
			      PANGO_ALIGN_LEFT },
	[RENDER_ST_HELP] = { "Liberation Sans 11", INK, 1.1, PANGO_ALIGN_LEFT },
	[RENDER_ST_INSTR] = { "Liberation Sans 11", INK, 0, PANGO_ALIGN_LEFT },
	[RENDER_ST_OPTION] = { "Liberation Sans 11.5", INK, 1.1,
			       PANGO_ALIGN_LEFT },
	[RENDER_ST_SCALE] = { "Liberation Sans Bold 9.5", INK, 0,
			      PANGO_ALIGN_CENTER },
	[RENDER_ST_END_LABEL] = { "Liberation Sans 10", INK, 1.05,
				  PANGO_ALIGN_LEFT },
	[RENDER_ST_CODE_LABEL] = { "Liberation Sans Bold 10", ACCENT, 0,
				   PANGO_ALIGN_LEFT },
	[RENDER_ST_CODE] = { "DejaVu Sans Mono Bold 16", 0, 0, 0, 0,
			     PANGO_ALIGN_LEFT },
	[RENDER_ST_ADDRESS] = { "Liberation Sans 11.5", 0, 0, 0, 1.1,
				PANGO_ALIGN_LEFT },
	[RENDER_ST_FORM_NO] = { "Liberation Sans Bold 15", 0, 0, 0, 1.1,
				PANGO_ALIGN_LEFT },
	[RENDER_ST_FOOTER] = { "Liberation Sans 7.5", GREY, 0,
			       PANGO_ALIGN_LEFT },
};

/* Names for the layout file. */
static const char *const style_names[RENDER_ST_NR] = {
	"org",	      "contact",     "title",	"running", "deadline",
	"body",	      "panel_head",  "panel",	"qnum",	   "question",
	"help",	      "instruction", "option",	"scale",   "end_label",
	"code_label", "code",	     "address", "form_no", "footer",
};

const struct render_style_def *render_style_get(enum render_style st)
{
	return &styles[st];
}

static const char *const words[RENDER_W_NR][SURVEY_NLANG] = {
	[RENDER_W_CODE_LABEL] = { "Uw persoonlijke code",
				  "Your personal code" },
	[RENDER_W_CODE_HOWTO] = { "Liever online? Scan de QR-code rechtsboven "
				  "met uw telefoon, "
				  "of ga naar %s en vul deze code in.",
				  "Prefer to answer online? Scan the QR code "
				  "at the top right "
				  "with your phone, or go to %s and enter this "
				  "code." },
	[RENDER_W_ADDRESSEE] = { "Aan de bewoners van", "To the residents of" },
	[RENDER_W_FORM_NO] = { "Formulier %s", "Form %s" },
	/* The addressee line of a letter to one voter of 18+ (issue 15). */
	[RENDER_W_RESIDENT] = { "Aan bewoner %s van %s (18 jaar of ouder) op",
				"To resident %s of %s (aged 18 or over) at" },
	[RENDER_W_DEADLINE] = { "Invullen kan tot en met %s.",
				"You can respond until and including %s." },
	[RENDER_W_AGREEMENT_HEAD] = { "Wanneer is er genoeg draagvlak?",
				      "When is there enough support?" },
	[RENDER_W_PAGE] = { "Pagina %s van %s", "Page %s of %s" },
	[RENDER_W_CONTINUED] = { "vervolg", "continued" },
	[RENDER_W_ONE_BOX] = { "Kruis één vakje aan.", "Tick one box." },
	[RENDER_W_MULTI] = { "Kruis aan wat voor u geldt; meer vakjes mag.",
			     "Tick all that apply." },
	[RENDER_W_MULTI_MAX] = { "Kruis hoogstens %s vakjes aan.",
				 "Tick at most %s boxes." },
	[RENDER_W_SCALE] = { "Kruis één vakje aan.", "Tick one box." },
	[RENDER_W_NUMBER_BOXES] = { "Kruis het vakje met het aantal aan.",
				    "Tick the box with the number." },
	[RENDER_W_NUMBER_DIGITS] = { "Schrijf het getal in de vakjes, één "
				     "cijfer per vakje "
				     "(%s tot en met %s).",
				     "Write the number in the boxes, one digit "
				     "per box "
				     "(%s to %s)." },
	[RENDER_W_TEXT] = { "Schrijf hier uw antwoord, graag in duidelijke "
			    "letters.",
			    "Write your answer here, please in clear "
			    "letters." },
	[RENDER_W_THANKS] = { "Hartelijk dank voor het invullen! Inleveren of "
			      "online "
			      "invullen kan tot en met %s.",
			      "Thank you for filling in this form! You can "
			      "hand it in or "
			      "answer online until and including %s." },
	[RENDER_W_FOOTER_CODE] = { "Code %s", "Code %s" },
	[RENDER_W_LAYOUT] = { "Indeling %s", "Layout %s" },
	/*
	 * What the reader does with it: a box filled in is never taken as
	 * a tick, it goes to a person as "an answer taken back?"
	 * (scan/marks.c, SCAN_DOUBT_FILLED), who then sees the other box.
	 */
	[RENDER_W_CORRECTION] = { "Vergist? Kleur het foute vakje helemaal "
				  "in en kruis het goede aan.",
				  "Made a mistake? Fill in the wrong box "
				  "completely and tick the right one." },
	[RENDER_W_POSTER_CALL] = { "Praat mee en geef uw mening!",
				   "Have your say!" },
	[RENDER_W_POSTER_SCAN] = { "Scan de code met de camera van uw "
				   "telefoon",
				   "Scan the code with your phone's camera" },
	[RENDER_W_POSTER_SITE] = { "of ga naar %s", "or go to %s" },
	[RENDER_W_POSTER_UNTIL] = { "Invullen kan tot en met %s",
				    "You can respond until and including %s" },
};

void render_decimal(char *buf, size_t size, double v, int decimals,
		    enum survey_lang lang)
{
	char *dot;

	snprintf(buf, size, "%.*f", decimals, v);
	if (lang == SURVEY_NL && (dot = strchr(buf, '.')))
		*dot = ',';
}

const char *render_word(enum render_word w, enum survey_lang lang)
{
	/* Languages beyond these two print in Dutch, for now. */
	return (unsigned)lang < SURVEY_NLANG && words[w][lang]
		       ? words[w][lang]
		       : words[w][SURVEY_NL];
}

void render_word_fill(struct strbuf *out, enum render_word w,
		      enum survey_lang lang, const char *a, const char *b)
{
	const char *p = render_word(w, lang), *q;

	while ((q = strstr(p, "%s"))) {
		strbuf_add(out, p, (size_t)(q - p));
		strbuf_addstr(out, a ? a : "");
		a = b;
		b = NULL;
		p = q + 2;
	}
	strbuf_addstr(out, p);
}

void render_format_date(const char *ymd, enum survey_lang lang,
			struct strbuf *out)
{
	msg_date(out, lang, ymd, 1);
}

bool render_rect_overlap(const struct render_rect *a,
			 const struct render_rect *b)
{
	const double e = 1e-6;

	return a->x < b->x + b->w - e && b->x < a->x + a->w - e &&
	       a->y < b->y + b->h - e && b->y < a->y + a->h - e;
}

bool render_rect_inside(const struct render_rect *in,
			const struct render_rect *out, double eps)
{
	return in->x >= out->x - eps && in->y >= out->y - eps &&
	       in->x + in->w <= out->x + out->w + eps &&
	       in->y + in->h <= out->y + out->h + eps;
}

PangoContext *render_pango_context(enum survey_lang lang)
{
	PangoFontMap *fm = pango_cairo_font_map_get_default();
	PangoContext *ctx = pango_font_map_create_context(fm);
	cairo_font_options_t *fo = cairo_font_options_create();

	/* Unhinted metrics: the same positions on paper and in a PNG. */
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	/* User units are mm: 25.4 "dots" an inch makes a point 0.353 mm. */
	pango_cairo_context_set_resolution(ctx, 25.4);
	/* Rounding glyph positions to whole units would round to whole mm. */
	pango_context_set_round_glyph_positions(ctx, FALSE);
	pango_context_set_language(
		ctx, pango_language_from_string(survey_lang_code(lang)));
	return ctx;
}

PangoLayout *render_text_layout(PangoContext *ctx, enum render_style st,
				const char *text, double width)
{
	const struct render_style_def *d = &styles[st];
	PangoLayout *pl = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_from_string(d->font);

	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(pl, (int)(width * PANGO_SCALE));
		/* Long compound words break inside rather than overflow. */
		pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_alignment(pl, d->align);
	}
	if (d->line_spacing > 0)
		pango_layout_set_line_spacing(pl, (float)d->line_spacing);
	pango_layout_set_text(pl, text, -1);
	return pl;
}

void render_text_size(PangoLayout *pl, double *w, double *h)
{
	PangoRectangle lr;

	pango_layout_get_extents(pl, NULL, &lr);
	*w = (double)lr.width / PANGO_SCALE;
	*h = (double)lr.height / PANGO_SCALE;
}

/* The layout being built and the block being measured. */
struct builder {
	struct render_layout *l;
	struct strbuf *err;
	double y;		/* cursor on the current page */
	double top;		/* where flowing blocks start on pages 2+ */
	struct render_page blk; /* items of the current block, at y = 0 */
	double line_h[RENDER_ST_NR]; /* height of one line per style */
};

static struct render_item *push(struct render_page *p, enum render_item_kind k,
				double x, double y, double w, double h)
{
	struct render_item *it;

	ALLOC_GROW(p->items, p->nr + 1, p->alloc);
	it = &p->items[p->nr++];
	memset(it, 0, sizeof(*it));
	it->kind = k;
	it->r = (struct render_rect){ x, y, w, h };
	return it;
}

static void item_release(struct render_item *it)
{
	free(it->text);
	free(it->value);
	if (it->pl)
		g_object_unref(it->pl);
}

/* Add text at (x, y), width mm wide; returns its height. */
static double text(struct builder *b, struct render_page *p,
		   enum render_style st, const char *s, double x, double y,
		   double width, const char *question)
{
	PangoLayout *pl = render_text_layout(b->l->pango, st, s, width);
	struct render_item *it;
	PangoRectangle lr;

	pango_layout_get_extents(pl, NULL, &lr);
	it = push(p, RENDER_ITEM_TEXT, x + (double)lr.x / PANGO_SCALE,
		  y + (double)lr.y / PANGO_SCALE,
		  (double)lr.width / PANGO_SCALE,
		  (double)lr.height / PANGO_SCALE);
	it->style = st;
	it->text = xstrdup(s);
	it->pl = pl;
	it->question = question;
	return it->r.h;
}

static double line_height(struct builder *b, enum render_style st)
{
	if (!b->line_h[st]) {
		PangoLayout *pl = render_text_layout(b->l->pango, st, "Ág", -1);
		double w;

		render_text_size(pl, &w, &b->line_h[st]);
		g_object_unref(pl);
	}
	return b->line_h[st];
}

static struct render_item *box(struct render_page *p, double x, double y,
			       double w, double h, const char *question,
			       enum render_box_kind kind, const char *value)
{
	struct render_item *it = push(p, RENDER_ITEM_BOX, x, y, w, h);

	it->question = question;
	it->box = kind;
	it->value = xstrdup(value);
	return it;
}

static void new_page(struct builder *b)
{
	struct render_layout *l = b->l;
	struct render_page *p;
	const struct render_qr_plan *qr = &l->qr;
	static const double mx[4] = {
		RENDER_MARGIN, RENDER_PAGE_W - RENDER_MARGIN - RENDER_MARK_LEN,
		RENDER_MARGIN, RENDER_PAGE_W - RENDER_MARGIN - RENDER_MARK_LEN
	};
	static const double my[4] = {
		RENDER_MARGIN, RENDER_MARGIN,
		RENDER_PAGE_H - RENDER_MARGIN - RENDER_MARK_LEN,
		RENDER_PAGE_H - RENDER_MARGIN - RENDER_MARK_LEN
	};

	l->pages = xrealloc(l->pages, (l->nr_pages + 1) * sizeof(*l->pages));
	p = &l->pages[l->nr_pages++];
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < 4; i++)
		push(p, RENDER_ITEM_MARK, mx[i], my[i], RENDER_MARK_LEN,
		     RENDER_MARK_LEN)
			->corner = i;
	p->qr_zone = (struct render_rect){ RENDER_RIGHT - qr->zone, RENDER_TOP,
					   qr->zone, qr->zone };
	p->qr = (struct render_rect){
		p->qr_zone.x + RENDER_QR_QUIET * qr->module,
		p->qr_zone.y + RENDER_QR_QUIET * qr->module, qr->size, qr->size
	};
	b->y = b->top;
	if (l->nr_pages > 1) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s  ·  %s (%s)", l->s->organisation,
			    survey_text_get(&l->s->title, l->lang),
			    render_word(RENDER_W_CONTINUED, l->lang));
		text(b, p, RENDER_ST_RUNNING, sb.buf, RENDER_LEFT,
		     RENDER_TOP + 1, p->qr_zone.x - 6 - RENDER_LEFT, NULL);
		strbuf_release(&sb);
	}
}

/* Move the block onto the page (or the next), gap mm after it. */
/*
 * How far the block at b->y must move down so that none of its boxes
 * lies on a fold of a letter folded in three (at a third and two thirds
 * of the page, with 3 mm either side): a crease through a box reads as a
 * cross.  0 when none does.
 */
#define FOLD_CLEARANCE 3.0
static double fold_shift(const struct builder *b)
{
	double shift = 0;
	bool moved = true;

	/* Moving past one fold can land a later box on the next. */
	for (int round = 0; moved && round < 8; round++) {
		moved = false;
		for (size_t i = 0; i < b->blk.nr; i++) {
			const struct render_item *it = &b->blk.items[i];
			double top = b->y + shift + it->r.y;

			if (it->kind != RENDER_ITEM_BOX)
				continue;
			for (int f = 1; f <= 2; f++) {
				double fold = RENDER_PAGE_H * f / 3;

				if (top < fold + FOLD_CLEARANCE &&
				    top + it->r.h > fold - FOLD_CLEARANCE) {
					shift = fold + FOLD_CLEARANCE - b->y -
						it->r.y;
					moved = true;
					break;
				}
			}
		}
	}
	return shift;
}

static int place(struct builder *b, const char *what, double gap)
{
	struct render_layout *l = b->l;
	struct render_page *p = &l->pages[l->nr_pages - 1];
	double h = 0, cap = RENDER_BOTTOM - b->top;
	int ret = 0;

	for (size_t i = 0; i < b->blk.nr; i++) {
		const struct render_rect *r = &b->blk.items[i].r;

		if (r->y + r->h > h)
			h = r->y + r->h;
	}
	if (h > cap) {
		char need[16], has[16];

		render_decimal(need, sizeof(need), h, 0, b->l->lang);
		render_decimal(has, sizeof(has), cap, 0, b->l->lang);
		msg_add(b->err, b->l->lang, MSG_RENDER_TOO_TALL, what, need,
			has);
		ret = -1;
		goto out;
	}
	/* Off the folds when it fits below them; else the next page. */
	b->y += fold_shift(b);
	if (b->y + h > RENDER_BOTTOM) {
		if (l->nr_pages == RENDER_MAX_PAGES) {
			char n[16];

			snprintf(n, sizeof(n), "%d", RENDER_MAX_PAGES);
			msg_add(b->err, l->lang, MSG_RENDER_TOO_MANY_PAGES, n);
			ret = -1;
			goto out;
		}
		new_page(b);
		p = &l->pages[l->nr_pages - 1];
		/* A block too tall to clear the folds keeps its place. */
		if (b->y + fold_shift(b) + h <= RENDER_BOTTOM)
			b->y += fold_shift(b);
	}
	for (size_t i = 0; i < b->blk.nr; i++) {
		struct render_item *it = push(p, RENDER_ITEM_TEXT, 0, 0, 0, 0);

		*it = b->blk.items[i];
		it->r.y += b->y;
	}
	b->blk.nr = 0;
	b->y += h + gap;
	return 0;
out:
	for (size_t i = 0; i < b->blk.nr; i++)
		item_release(&b->blk.items[i]);
	b->blk.nr = 0;
	return ret;
}

/* A row of option boxes with their labels side by side, or -1 mm. */
static double options_row(struct builder *b, const struct survey_question *q,
			  double x, double y)
{
	struct render_page *p = &b->blk;
	double lh = line_height(b, RENDER_ST_OPTION), cx = x, w, h;
	size_t first = p->nr;

	for (size_t i = 0; i < q->nr_options; i++) {
		const char *label =
			survey_text_get(&q->options[i].label, b->l->lang);
		PangoLayout *pl = render_text_layout(
			b->l->pango, RENDER_ST_OPTION, label, -1);

		render_text_size(pl, &w, &h);
		g_object_unref(pl);
		if (cx + 7.5 + w > RENDER_RIGHT) {
			while (p->nr > first)
				item_release(&p->items[--p->nr]);
			return -1;
		}
		box(p, cx, y, RENDER_BOX, RENDER_BOX, q->id, RENDER_BOX_OPTION,
		    q->options[i].id);
		text(b, p, RENDER_ST_OPTION, label, cx + 7.5,
		     y + RENDER_BOX / 2 - lh / 2, -1, q->id);
		cx += 7.5 + w + 14;
	}
	return y + RENDER_BOX;
}

/* Option boxes one under the other. */
static double options_column(struct builder *b, const struct survey_question *q,
			     double x, double y)
{
	double lh = line_height(b, RENDER_ST_OPTION);

	for (size_t i = 0; i < q->nr_options; i++) {
		const char *label =
			survey_text_get(&q->options[i].label, b->l->lang);
		double ty = y + RENDER_BOX / 2 - lh / 2, h;

		box(&b->blk, x, y, RENDER_BOX, RENDER_BOX, q->id,
		    RENDER_BOX_OPTION, q->options[i].id);
		h = text(b, &b->blk, RENDER_ST_OPTION, label, x + 7.5, ty,
			 RENDER_RIGHT - x - 7.5, q->id);
		y = fmax(y + RENDER_BOX, ty + h) + 3.2;
	}
	return y - 3.2;
}

/* Boxes for the values lo..hi in a row, numbers above; scale labels. */
static double value_row(struct builder *b, const struct survey_question *q,
			double x, double y, double max_pitch)
{
	long n = q->max - q->min + 1;
	double pitch = fmin(max_pitch, (RENDER_RIGHT - x) / (double)n);
	double nh = line_height(b, RENDER_ST_SCALE), by = y + nh + 1.2;
	double bottom = by + RENDER_BOX;
	char num[24];

	for (long i = 0; i < n; i++) {
		double bx = x + (double)i * pitch;

		snprintf(num, sizeof(num), "%ld", q->min + i);
		text(b, &b->blk, RENDER_ST_SCALE, num,
		     bx + RENDER_BOX / 2 - pitch / 2 + 0.5, y, pitch - 1,
		     q->id);
		box(&b->blk, bx, by, RENDER_BOX, RENDER_BOX, q->id,
		    RENDER_BOX_VALUE, num);
	}
	if (q->type == SURVEY_Q_SCALE) {
		const char *lo = survey_text_get(&q->min_label, b->l->lang);
		const char *hi = survey_text_get(&q->max_label, b->l->lang);
		double row = (double)(n - 1) * pitch + RENDER_BOX;
		double lw = fmax(row / 2 - 2, 20), h;
		struct render_item *it;

		if (lo) {
			h = text(b, &b->blk, RENDER_ST_END_LABEL, lo, x,
				 by + RENDER_BOX + 1.5, lw, q->id);
			bottom = fmax(bottom, by + RENDER_BOX + 1.5 + h);
		}
		if (hi) {
			h = text(b, &b->blk, RENDER_ST_END_LABEL, hi,
				 x + row - lw, by + RENDER_BOX + 1.5, lw,
				 q->id);
			/* Right-aligned under the last box. */
			it = &b->blk.items[b->blk.nr - 1];
			pango_layout_set_alignment(it->pl, PANGO_ALIGN_RIGHT);
			{
				PangoRectangle lr;

				pango_layout_get_extents(it->pl, NULL, &lr);
				it->r.x = x + row - lw +
					  (double)lr.x / PANGO_SCALE;
			}
			bottom = fmax(bottom, by + RENDER_BOX + 1.5 + h);
		}
	}
	return bottom;
}

static unsigned digits(long v)
{
	unsigned n = 1;

	if (v < 0)
		v = -v;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* One 7 x 9 mm box per digit, with a sign box for negative ranges. */
/* n in decimal, in buf (24 bytes), for render_word_fill(). */
static const char *fmt_long(char *buf, long n)
{
	snprintf(buf, 24, "%ld", n);
	return buf;
}

static double digit_row(struct builder *b, const struct survey_question *q,
			double x, double y)
{
	unsigned n = digits(q->max) > digits(q->min) ? digits(q->max)
						     : digits(q->min);
	char pos[16];

	if (q->min < 0) {
		box(&b->blk, x, y + 2, RENDER_BOX, RENDER_BOX, q->id,
		    RENDER_BOX_SIGN, "-");
		text(b, &b->blk, RENDER_ST_OPTION, "−", x + 6.5,
		     y + 4.5 - line_height(b, RENDER_ST_OPTION) / 2, -1, q->id);
		x += 14;
	}
	for (unsigned i = 0; i < n; i++) {
		snprintf(pos, sizeof(pos), "%u", i + 1);
		box(&b->blk, x + i * 9.0, y, 7, 9, q->id, RENDER_BOX_DIGIT,
		    pos);
	}
	return y + 9;
}

static int question(struct builder *b, const struct survey_question *q,
		    unsigned nr)
{
	enum survey_lang lang = b->l->lang;
	double xq = RENDER_LEFT + 10, wq = RENDER_RIGHT - xq, y, h;
	const char *help = survey_text_get(&q->help, lang);
	struct strbuf sb = STRBUF_INIT;
	char num[16], a[24], c[24];
	long n = q->max - q->min + 1;
	bool per_value = q->type == SURVEY_Q_NUMBER && n <= 16 && q->min >= 0 &&
			 (double)n * 9.5 <= wq;
	int ret;

	push(&b->blk, RENDER_ITEM_BADGE, RENDER_LEFT, 0, 7, 7);
	snprintf(num, sizeof(num), "%u", nr);
	h = line_height(b, RENDER_ST_QNUM);
	text(b, &b->blk, RENDER_ST_QNUM, num, RENDER_LEFT, 3.5 - h / 2, 7,
	     q->id);
	h = line_height(b, RENDER_ST_QTEXT);
	y = 3.5 - h / 2;
	y += text(b, &b->blk, RENDER_ST_QTEXT, survey_text_get(&q->text, lang),
		  xq, y, wq, q->id);
	if (help)
		y += 1.3 + text(b, &b->blk, RENDER_ST_HELP, help, xq, y + 1.3,
				wq, q->id);
	switch (q->type) {
	case SURVEY_Q_MULTI:
		if (q->max_choices)
			render_word_fill(&sb, RENDER_W_MULTI_MAX, lang,
					 fmt_long(a, q->max_choices), NULL);
		else
			strbuf_addstr(&sb, render_word(RENDER_W_MULTI, lang));
		break;
	case SURVEY_Q_NUMBER:
		if (per_value)
			strbuf_addstr(&sb,
				      render_word(RENDER_W_NUMBER_BOXES, lang));
		else
			render_word_fill(&sb, RENDER_W_NUMBER_DIGITS, lang,
					 fmt_long(a, q->min),
					 fmt_long(c, q->max));
		break;
	case SURVEY_Q_TEXT:
		strbuf_addstr(&sb, render_word(RENDER_W_TEXT, lang));
		break;
	default: strbuf_addstr(&sb, render_word(RENDER_W_ONE_BOX, lang));
	}
	/* Not "Kruis één vakje aan." twice when the help says it too. */
	if (!help || !strstr(help, sb.buf))
		y += 1.3 + text(b, &b->blk, RENDER_ST_INSTR, sb.buf, xq,
				y + 1.3, wq, q->id);
	y += 3.5;
	switch (q->type) {
	case SURVEY_Q_PROPOSITION:
	case SURVEY_Q_YESNO:
		h = options_row(b, q, xq, y);
		if (h < 0)
			h = options_column(b, q, xq, y);
		break;
	case SURVEY_Q_CHOICE:
	case SURVEY_Q_MULTI: h = options_column(b, q, xq, y); break;
	case SURVEY_Q_SCALE: h = value_row(b, q, xq, y, 22); break;
	case SURVEY_Q_NUMBER:
		h = per_value ? value_row(b, q, xq, y, 12)
			      : digit_row(b, q, xq, y);
		break;
	case SURVEY_Q_TEXT: {
		unsigned lines = q->max_length / 150 + 2;
		struct render_item *it;

		lines = lines < 3 ? 3 : lines > 8 ? 8 : lines;
		it = push(&b->blk, RENDER_ITEM_LINES, xq, y, wq, lines * 8.5);
		it->question = q->id;
		it->nr_lines = lines;
		h = y + lines * 8.5;
		break;
	}
	}
	(void)h;
	strbuf_reset(&sb);
	{
		char number[16];

		snprintf(number, sizeof(number), "%u", nr);
		msg_add(&sb, b->l->lang, MSG_RENDER_WHAT_QUESTION, number,
			q->id);
	}
	ret = place(b, sb.buf, 8);
	strbuf_release(&sb);
	return ret;
}

/* Page 1 above the flowing text: header, window, code panel. */
static int first_page_head(struct builder *b)
{
	struct render_layout *l = b->l;
	struct render_page *p = &l->pages[0];
	double w = p->qr_zone.x - 6 - RENDER_LEFT, y = RENDER_TOP + 1;
	const char *contact = survey_text_get(&l->s->contact, l->lang);
	struct strbuf sb = STRBUF_INIT;
	struct render_item *it;
	double px = RENDER_WINDOW_X + RENDER_WINDOW_W + 6;
	double pw = RENDER_RIGHT - px, ph;

	y += text(b, p, RENDER_ST_ORG, l->s->organisation, RENDER_LEFT, y, w,
		  NULL);
	if (contact)
		y += 1.5 + text(b, p, RENDER_ST_CONTACT, contact, RENDER_LEFT,
				y + 1.5, w, NULL);
	if (y > RENDER_WINDOW_Y - 3) {
		msg_put(b->err, l->lang, MSG_RENDER_HEADER_TOO_LONG);
		return -1;
	}
	/* The address, 4 mm inside the envelope window. */
	it = push(p, RENDER_ITEM_SLOT, RENDER_WINDOW_X + 4, RENDER_WINDOW_Y + 4,
		  RENDER_WINDOW_W - 8, RENDER_WINDOW_H - 8);
	it->slot = RENDER_SLOT_ADDRESS;
	it->style = RENDER_ST_ADDRESS;

	/* The code panel beside it; the envelope hides it. */
	it = push(p, RENDER_ITEM_PANEL, px, RENDER_WINDOW_Y, pw, 0);
	y = RENDER_WINDOW_Y + 4;
	y += text(b, p, RENDER_ST_CODE_LABEL,
		  render_word(RENDER_W_CODE_LABEL, l->lang), px + 4, y, pw - 8,
		  NULL);
	it = push(p, RENDER_ITEM_SLOT, px + 4, y + 1, pw - 8,
		  line_height(b, RENDER_ST_CODE));
	it->slot = RENDER_SLOT_CODE;
	it->style = RENDER_ST_CODE;
	y += 1 + it->r.h + 1.5;
	render_word_fill(&sb, RENDER_W_CODE_HOWTO, l->lang, l->site, NULL);
	y += text(b, p, RENDER_ST_CONTACT, sb.buf, px + 4, y, pw - 8, NULL);
	strbuf_release(&sb);
	ph = fmax(RENDER_WINDOW_H, y + 4 - RENDER_WINDOW_Y);
	for (size_t i = 0; i < p->nr; i++)
		if (p->items[i].kind == RENDER_ITEM_PANEL)
			p->items[i].r.h = ph;
	b->y = RENDER_WINDOW_Y + ph + 9;
	return 0;
}

/* The intro as paragraphs: blank lines separate, single breaks reflow. */
static int intro(struct builder *b, const char *s)
{
	struct strbuf para = STRBUF_INIT;
	const char *p = s;
	int ret = 0;

	while (*p && !ret) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);

		strbuf_reset(&para);
		for (size_t i = 0; i < len; i++)
			strbuf_addch(&para, p[i] == '\n' ? ' ' : p[i]);
		strbuf_rtrim(&para);
		if (para.len) {
			text(b, &b->blk, RENDER_ST_BODY, para.buf, RENDER_LEFT,
			     0, RENDER_RIGHT - RENDER_LEFT, NULL);
			ret = place(b,
				    msg_get(b->l->lang, MSG_RENDER_WHAT_INTRO),
				    2.8);
		}
		p += len;
		while (*p == '\n')
			p++;
	}
	strbuf_release(&para);
	return ret;
}

static int agreement_panel(struct builder *b)
{
	struct render_layout *l = b->l;
	const struct agreement *a =
		l->buurt ? &l->buurt->agreement : &l->s->agreement;
	struct strbuf sb = STRBUF_INIT;
	struct render_item *panel;
	double y = 3.5, w = RENDER_RIGHT - RENDER_LEFT;
	int ret;

	if (!l->s->has_agreement && !l->buurt)
		return 0;
	panel = push(&b->blk, RENDER_ITEM_PANEL, RENDER_LEFT, 0, w, 0);
	(void)panel;
	y += text(b, &b->blk, RENDER_ST_PANEL_HEAD,
		  render_word(RENDER_W_AGREEMENT_HEAD, l->lang),
		  RENDER_LEFT + 5, y, w - 10, NULL);
	agreement_describe_whole(
		a, l->buurt ? survey_buurt_name_in(l->buurt) : NULL, l->lang,
		&sb);
	y += 1.2 + text(b, &b->blk, RENDER_ST_PANEL, sb.buf, RENDER_LEFT + 5,
			y + 1.2, w - 10, NULL);
	b->blk.items[0].r.h = y + 3.5;
	strbuf_release(&sb);
	ret = place(b, msg_get(b->l->lang, MSG_RENDER_WHAT_AGREEMENT), 9);
	return ret;
}

static int title_block(struct builder *b)
{
	struct render_layout *l = b->l;
	struct strbuf sb = STRBUF_INIT, date = STRBUF_INIT;
	double y;

	y = text(b, &b->blk, RENDER_ST_TITLE,
		 survey_text_get(&l->s->title, l->lang), RENDER_LEFT, 0,
		 RENDER_RIGHT - RENDER_LEFT, NULL);
	render_format_date(l->s->closes, l->lang, &date);
	render_word_fill(&sb, RENDER_W_DEADLINE, l->lang, date.buf, NULL);
	text(b, &b->blk, RENDER_ST_DEADLINE, sb.buf, RENDER_LEFT, y + 2.5,
	     RENDER_RIGHT - RENDER_LEFT, NULL);
	strbuf_release(&sb);
	strbuf_release(&date);
	return place(b, msg_get(b->l->lang, MSG_RENDER_WHAT_TITLE), 6);
}

static int thanks_block(struct builder *b)
{
	struct render_layout *l = b->l;
	struct strbuf sb = STRBUF_INIT, date = STRBUF_INIT;
	double y;

	render_format_date(l->s->closes, l->lang, &date);
	render_word_fill(&sb, RENDER_W_THANKS, l->lang, date.buf, NULL);
	y = text(b, &b->blk, RENDER_ST_PANEL_HEAD, sb.buf, RENDER_LEFT + 10, 0,
		 RENDER_RIGHT - RENDER_LEFT - 10, NULL);
	/* Where the paper form goes (the definition's return_to). */
	if (survey_text_get(&l->s->return_to, l->lang)) {
		strbuf_reset(&sb);
		msg_add(&sb, l->lang, MSG_FORM_RETURN_TO,
			survey_text_get(&l->s->return_to, l->lang));
		text(b, &b->blk, RENDER_ST_PANEL, sb.buf, RENDER_LEFT + 10,
		     y + 1.5, RENDER_RIGHT - RENDER_LEFT - 10, NULL);
	}
	strbuf_release(&sb);
	strbuf_release(&date);
	return place(b, msg_get(b->l->lang, MSG_RENDER_WHAT_CLOSING), 0);
}

/* FNV-1a, 64 bits: small, stable across platforms, no dependency. */
static uint64_t fnv1a(uint64_t h, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void add_rect(struct strbuf *sb, const struct render_rect *r)
{
	strbuf_addf(sb, "%.2f,%.2f,%.2f,%.2f;", r->x, r->y, r->w, r->h);
}

/* Hash what a scanner reads: marks, QR zone, boxes, lined areas. */
static void compute_id(struct render_layout *l)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t h;

	strbuf_addf(&sb, "A4;%zu;", l->nr_pages);
	for (size_t i = 0; i < l->nr_pages; i++) {
		const struct render_page *p = &l->pages[i];

		strbuf_addf(&sb, "P%zu;Q", i + 1);
		add_rect(&sb, &p->qr);
		for (size_t j = 0; j < p->nr; j++) {
			const struct render_item *it = &p->items[j];

			if (it->kind == RENDER_ITEM_MARK) {
				strbuf_addch(&sb, 'M');
			} else if (it->kind == RENDER_ITEM_BOX) {
				strbuf_addf(&sb, "B%s|%d|%s|", it->question,
					    (int)it->box, it->value);
			} else if (it->kind == RENDER_ITEM_LINES) {
				strbuf_addf(&sb, "L%s|%u|", it->question,
					    it->nr_lines);
			} else {
				continue;
			}
			add_rect(&sb, &it->r);
		}
	}
	h = fnv1a(0xcbf29ce484222325ULL, sb.buf, sb.len);
	snprintf(l->id, sizeof(l->id), "%06X",
		 (unsigned)((h ^ (h >> 24) ^ (h >> 48)) & 0xffffff));
	strbuf_release(&sb);
}

static void footers(struct builder *b)
{
	struct render_layout *l = b->l;
	struct strbuf sb = STRBUF_INIT;
	const double y = RENDER_PAGE_H - RENDER_MARGIN - 8;
	char a[24], c[24];

	for (size_t i = 0; i < l->nr_pages; i++) {
		struct render_page *p = &l->pages[i];
		struct render_item *it;
		PangoRectangle lr;

		/*
		 * How to correct a mistake, between the last answers
		 * (RENDER_BOTTOM) and the footer, centred, away from the
		 * corner marks.  Added after compute_id(), like the footer:
		 * no box moves, so forms printed before it still read.
		 */
		text(b, p, RENDER_ST_INSTR,
		     render_word(RENDER_W_CORRECTION, l->lang), RENDER_LEFT,
		     RENDER_BOTTOM + 1.2, RENDER_RIGHT - RENDER_LEFT, NULL);
		it = &p->items[p->nr - 1];
		pango_layout_set_alignment(it->pl, PANGO_ALIGN_CENTER);
		pango_layout_get_extents(it->pl, NULL, &lr);
		it->r.x = RENDER_LEFT + (double)lr.x / PANGO_SCALE;
		strbuf_reset(&sb);
		render_word_fill(&sb, RENDER_W_PAGE, l->lang,
				 fmt_long(a, (long)i + 1),
				 fmt_long(c, (long)l->nr_pages));
		text(b, p, RENDER_ST_FOOTER, sb.buf, RENDER_LEFT, y, 50, NULL);
		it = push(p, RENDER_ITEM_SLOT, 80, y, 50,
			  line_height(b, RENDER_ST_FOOTER));
		it->slot = RENDER_SLOT_FOOTER_CODE;
		it->style = RENDER_ST_FOOTER;
		strbuf_reset(&sb);
		render_word_fill(&sb, RENDER_W_LAYOUT, l->lang, l->id, NULL);
		text(b, p, RENDER_ST_FOOTER, sb.buf, RENDER_RIGHT - 40, y, 40,
		     NULL);
		it = &p->items[p->nr - 1];
		pango_layout_set_alignment(it->pl, PANGO_ALIGN_RIGHT);
		pango_layout_get_extents(it->pl, NULL, &lr);
		it->r.x = RENDER_RIGHT - 40 + (double)lr.x / PANGO_SCALE;
	}
	strbuf_release(&sb);
}

struct render_layout *render_layout_new(const struct survey *s,
					const struct survey_buurt *buurt,
					enum survey_lang lang,
					const char *base_url,
					struct strbuf *err)
{
	struct render_layout *l = xcalloc(1, sizeof(*l));
	struct builder b = { .l = l, .err = err };
	const char *intro_text;
	const char *site;
	int ret = -1;

	l->s = s;
	l->buurt = buurt;
	l->lang = lang;
	if (lang != SURVEY_NL && !s->languages[lang]) {
		msg_add(err, lang, MSG_RENDER_NO_LANG, survey_lang_code(lang));
		goto out;
	}
	if (render_qr_plan_init(&l->qr, base_url, lang, err) < 0)
		goto out;
	site = strstr(base_url, "://") + 3;
	l->site = xstrdup(site);
	if (l->site[0] && l->site[strlen(l->site) - 1] == '/')
		l->site[strlen(l->site) - 1] = '\0';
	l->pango = render_pango_context(lang);

	b.top = RENDER_TOP;
	new_page(&b);
	if (first_page_head(&b) < 0)
		goto out;
	b.top = l->pages[0].qr_zone.y + l->pages[0].qr_zone.h + 6;
	if (title_block(&b) < 0)
		goto out;
	intro_text = survey_text_get(&s->intro, lang);
	if (intro_text && intro(&b, intro_text) < 0)
		goto out;
	b.y += 3;
	if (agreement_panel(&b) < 0)
		goto out;
	for (size_t i = 0; i < s->nr_questions; i++)
		if (question(&b, &s->questions[i], (unsigned)i + 1) < 0)
			goto out;
	if (thanks_block(&b) < 0)
		goto out;
	compute_id(l);
	footers(&b);
	ret = 0;
out:
	for (size_t i = 0; i < b.blk.nr; i++)
		item_release(&b.blk.items[i]);
	free(b.blk.items);
	if (ret) {
		render_layout_free(l);
		return NULL;
	}
	return l;
}

int render_layout_add_notice(struct render_layout *l, const char *text,
			     struct strbuf *err)
{
	static const enum render_style tries[] = { RENDER_ST_PANEL_HEAD,
						   RENDER_ST_RUNNING };
	struct render_page *p = &l->pages[0];
	double w = p->qr_zone.x - 6 - RENDER_LEFT, top = RENDER_TOP;

	/* Below the header's texts: those that end above the window. */
	for (size_t i = 0; i < p->nr; i++) {
		const struct render_item *it = &p->items[i];

		if (it->kind == RENDER_ITEM_TEXT && it->r.y < RENDER_WINDOW_Y &&
		    it->r.x < p->qr_zone.x && it->r.y + it->r.h > top)
			top = it->r.y + it->r.h;
	}
	top += 2.5;
	for (size_t t = 0; t < sizeof(tries) / sizeof(tries[0]); t++) {
		PangoLayout *pl =
			render_text_layout(l->pango, tries[t], text, w);
		double tw, th;
		struct render_item *it;
		PangoRectangle lr;

		render_text_size(pl, &tw, &th);
		if (top + th > RENDER_WINDOW_Y - 1.5) {
			g_object_unref(pl);
			continue;
		}
		pango_layout_get_extents(pl, NULL, &lr);
		it = push(p, RENDER_ITEM_TEXT,
			  RENDER_LEFT + (double)lr.x / PANGO_SCALE,
			  top + (double)lr.y / PANGO_SCALE,
			  (double)lr.width / PANGO_SCALE,
			  (double)lr.height / PANGO_SCALE);
		it->style = tries[t];
		it->text = xstrdup(text);
		it->pl = pl;
		return 0;
	}
	strbuf_addf(err,
		    "the reminder text does not fit between the "
		    "organisation's contact text and the address (%.0f mm "
		    "are left); shorten the contact text",
		    fmax(0, RENDER_WINDOW_Y - 1.5 - top));
	return -1;
}

void render_layout_free(struct render_layout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nr_pages; i++) {
		for (size_t j = 0; j < l->pages[i].nr; j++)
			item_release(&l->pages[i].items[j]);
		free(l->pages[i].items);
	}
	free(l->pages);
	if (l->pango)
		g_object_unref(l->pango);
	free(l->site);
	render_qr_plan_release(&l->qr);
	free(l);
}

static void json_rect(struct strbuf *sb, const struct render_rect *r)
{
	strbuf_addf(sb, "\"x\": %.2f, \"y\": %.2f, \"w\": %.2f, \"h\": %.2f",
		    r->x, r->y, r->w, r->h);
}

/* Append the items of kind k on page p as a JSON array named name. */
static void json_items(struct strbuf *sb, const struct render_page *p,
		       enum render_item_kind k, const char *name)
{
	static const char *const corners[] = { "top-left", "top-right",
					       "bottom-left", "bottom-right" };
	static const char *const kinds[] = { "option", "value", "digit",
					     "sign" };
	static const char *const slots[] = { "address", "code", "footer_code" };
	bool first = true;

	strbuf_addf(sb, ",\n      \"%s\": [", name);
	for (size_t i = 0; i < p->nr; i++) {
		const struct render_item *it = &p->items[i];

		if (it->kind != k)
			continue;
		strbuf_addstr(sb, first ? "\n        { " : ",\n        { ");
		first = false;
		switch (k) {
		case RENDER_ITEM_MARK:
			strbuf_addf(sb, "\"corner\": \"%s\", ",
				    corners[it->corner]);
			break;
		case RENDER_ITEM_BOX:
			strbuf_addstr(sb, "\"question\": ");
			strbuf_add_json(sb, it->question);
			strbuf_addf(sb, ", \"kind\": \"%s\", \"value\": ",
				    kinds[it->box]);
			strbuf_add_json(sb, it->value);
			strbuf_addstr(sb, ", ");
			break;
		case RENDER_ITEM_LINES:
			strbuf_addstr(sb, "\"question\": ");
			strbuf_add_json(sb, it->question);
			strbuf_addf(sb, ", \"lines\": %u, ", it->nr_lines);
			break;
		case RENDER_ITEM_TEXT:
			strbuf_addf(sb, "\"style\": \"%s\", ",
				    style_names[it->style]);
			if (it->question) {
				strbuf_addstr(sb, "\"question\": ");
				strbuf_add_json(sb, it->question);
				strbuf_addstr(sb, ", ");
			}
			break;
		case RENDER_ITEM_SLOT:
			strbuf_addf(sb, "\"slot\": \"%s\", ", slots[it->slot]);
			break;
		default: break;
		}
		json_rect(sb, &it->r);
		strbuf_addstr(sb, " }");
	}
	strbuf_addstr(sb, first ? "]" : "\n      ]");
}

void render_layout_json(const struct render_layout *l, struct strbuf *out)
{
	strbuf_addstr(out, "{\n  \"format\": \"draagvlak-layout-1\",\n"
			   "  \"survey\": ");
	strbuf_add_json(out, l->s->id);
	strbuf_addf(out, ",\n  \"layout\": \"%s\",\n  \"buurt\": ", l->id);
	if (l->buurt)
		strbuf_add_json(out, l->buurt->id);
	else
		strbuf_addstr(out, "null");
	strbuf_addf(out,
		    ",\n  \"lang\": \"%s\",\n  \"units\": \"mm\",\n"
		    "  \"origin\": \"top-left\",\n"
		    "  \"page_size\": { \"w\": %.0f, \"h\": %.0f },\n"
		    "  \"printable_margin\": %.0f,\n",
		    survey_lang_code(l->lang), RENDER_PAGE_W, RENDER_PAGE_H,
		    RENDER_MARGIN);
	strbuf_addstr(out, "  \"qr\": { \"url\": ");
	{
		struct strbuf u = STRBUF_INIT;

		strbuf_addf(&u, "%s{code}/{page}/%s", l->qr.prefix, l->id);
		strbuf_add_json(out, u.buf);
		strbuf_release(&u);
	}
	strbuf_addf(out,
		    ", \"mode\": \"%s\", \"ecc\": \"M\", \"version\": %d, "
		    "\"modules\": %d, \"module\": %.3f },\n",
		    l->qr.alnum ? "alphanumeric" : "byte", l->qr.version,
		    l->qr.modules, l->qr.module);
	strbuf_addstr(out, "  \"pages\": [");
	for (size_t i = 0; i < l->nr_pages; i++) {
		const struct render_page *p = &l->pages[i];

		strbuf_addf(out, "%s\n    {\n      \"page\": %zu", i ? "," : "",
			    i + 1);
		strbuf_addstr(out, ",\n      \"qr\": { ");
		json_rect(out, &p->qr);
		strbuf_addstr(out, " },\n      \"qr_zone\": { ");
		json_rect(out, &p->qr_zone);
		strbuf_addstr(out, " }");
		json_items(out, p, RENDER_ITEM_MARK, "corner_marks");
		json_items(out, p, RENDER_ITEM_BOX, "boxes");
		json_items(out, p, RENDER_ITEM_LINES, "text_areas");
		json_items(out, p, RENDER_ITEM_TEXT, "texts");
		json_items(out, p, RENDER_ITEM_SLOT, "slots");
		strbuf_addstr(out, "\n    }");
	}
	strbuf_addstr(out, "\n  ]\n}\n");
}
