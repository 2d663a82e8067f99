/*
 * record_pdf.c - the count record as a PDF (see record_pdf.h).
 *
 * The record is a flow of items (a line of text, a row of a table, a
 * signature block), measured first by the same function that draws them
 * called without a cairo_t, and put on pages so that none is cut: the
 * page count is known before render_write_pdf() starts.
 */
#include "record_pdf.h"

#include <cairo-pdf.h>
#include <inttypes.h>
#include <string.h>

#include "chart.h"
#include "msg.h"
#include "render.h"
#include "report.h"
#include "report_pdf.h"
#include "xalloc.h"
#include "banned.h"

#define MM_TO_PT (72.0 / 25.4)
#define PAGE_W	 (RENDER_PAGE_W * MM_TO_PT)
#define PAGE_H	 (RENDER_PAGE_H * MM_TO_PT)
#define LEFT	 52.0
#define WIDTH	 (PAGE_W - 104.0)
#define TOP	 50.0
#define BOTTOM	 (PAGE_H - 58.0)
#define FOOTER_Y (PAGE_H - 40.0)

#define F_TITLE "Liberation Sans Bold 20"
#define F_HEAD	"Liberation Sans Bold 12"
#define F_BODY	"Liberation Sans 10"
#define F_BOLD	"Liberation Sans Bold 9"
#define F_CELL	"Liberation Sans 9"
#define F_MONO	"Liberation Mono 9.5"
#define F_SMALL "Liberation Sans 8"

enum item_kind { ITEM_TEXT, ITEM_ROW, ITEM_SIGN, ITEM_SPACE };

#define NCOL 9

struct item {
	enum item_kind kind;
	const char *font;
	char *text;	  /* ITEM_TEXT, ITEM_SIGN: the label */
	char *cell[NCOL]; /* ITEM_ROW */
	double space;	  /* ITEM_SPACE */
	size_t page;
	double y;
};

struct doc {
	const struct analysis_record_doc *d;
	PangoContext *ctx;
	struct item *items;
	size_t nr, alloc;
	size_t nr_pages;
};

/* Where each column of a table row starts, and how wide it is. */
static const double col_x[NCOL] = { 0, 118, 170, 214, 254, 294, 338, 378, 420 };
static const double col_w[NCOL] = { 116, 50, 42, 38, 38, 42, 38, 40, 71 };

static struct item *add_item(struct doc *p, enum item_kind kind,
			     const char *font)
{
	struct item *it;

	ALLOC_GROW(p->items, p->nr + 1, p->alloc);
	it = &p->items[p->nr++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->font = font;
	return it;
}

static void add_text(struct doc *p, const char *font, const char *text)
{
	add_item(p, ITEM_TEXT, font)->text = xstrdup(text);
}

static void add_space(struct doc *p, double h)
{
	add_item(p, ITEM_SPACE, NULL)->space = h;
}

static void add_row(struct doc *p, const char *font,
		    const char *const cell[NCOL])
{
	struct item *it = add_item(p, ITEM_ROW, font);

	for (size_t i = 0; i < NCOL; i++)
		it->cell[i] = xstrdup(cell[i] ? cell[i] : "");
}

/* Draw it at y (cr NULL: only measure); its height. */
static double draw_item(cairo_t *cr, struct doc *p, const struct item *it,
			double y)
{
	double h = 0;

	switch (it->kind) {
	case ITEM_SPACE: return it->space;
	case ITEM_TEXT:
		return analysis_text(cr, p->ctx, it->font, ANALYSIS_C_INK,
				     it->text, LEFT, y, WIDTH, PANGO_ALIGN_LEFT,
				     NULL) +
		       3;
	case ITEM_ROW:
		for (size_t i = 0; i < NCOL; i++) {
			double ch = analysis_text(
				cr, p->ctx, it->font, ANALYSIS_C_INK,
				it->cell[i], LEFT + col_x[i], y, col_w[i],
				i ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, NULL);

			if (ch > h)
				h = ch;
		}
		if (cr) {
			cairo_rectangle(cr, LEFT, y + h + 1.5, WIDTH, 0.4);
			cairo_set_source_rgb(cr, 0.8, 0.82, 0.85);
			cairo_fill(cr);
		}
		return h + 4;
	case ITEM_SIGN: {
		enum survey_lang lang = p->d->lang;
		const char *lines[] = {
			msg_get(lang, MSG_RECORD_SIGN_NAME),
			msg_get(lang, MSG_RECORD_SIGN_SIGNATURE),
			msg_get(lang, MSG_RECORD_SIGN_DATE),
		};

		h = analysis_text(cr, p->ctx, F_BOLD, ANALYSIS_C_INK, it->text,
				  LEFT, y, WIDTH, PANGO_ALIGN_LEFT, NULL) +
		    6;
		for (size_t i = 0; i < 3; i++) {
			analysis_text(cr, p->ctx, F_CELL, ANALYSIS_C_INK,
				      lines[i], LEFT, y + h + 12, 110,
				      PANGO_ALIGN_LEFT, NULL);
			if (cr) {
				cairo_rectangle(cr, LEFT + 115, y + h + 24,
						WIDTH - 115, 0.6);
				cairo_set_source_rgb(cr, 0.2, 0.2, 0.25);
				cairo_fill(cr);
			}
			h += 28;
		}
		return h + 8;
	}
	}
	return h;
}

static void fmt_u(char *buf, size_t size, uint64_t n)
{
	snprintf(buf, size, "%" PRIu64, n);
}

static void add_header_row(struct doc *p)
{
	enum survey_lang l = p->d->lang;
	const char *head[NCOL] = {
		msg_get(l, MSG_RECORD_COL_BUURT),
		msg_get(l, MSG_RECORD_COL_CHANNEL),
		msg_get(l, MSG_RECORD_COL_HOUSEHOLDS),
		msg_get(l, MSG_RECORD_COL_FOR),
		msg_get(l, MSG_RECORD_COL_AGAINST),
		msg_get(l, MSG_RECORD_COL_NEUTRAL),
		msg_get(l, MSG_RECORD_COL_BLANK),
		msg_get(l, MSG_RECORD_COL_INVALID),
		msg_get(l, MSG_RECORD_COL_VERDICT),
	};

	add_row(p, F_BOLD, head);
}

/* The rows of one cell: a row per channel that counted, and the total. */
static void add_cell_rows(struct doc *p, const char *name,
			  const struct analysis_cell *c, bool judged)
{
	static const enum msg_id channel[ANALYSIS_NCHANNEL] = {
		MSG_RECORD_CHANNEL_ONLINE,
		MSG_RECORD_CHANNEL_PAPER,
		MSG_RECORD_CHANNEL_SCAN,
	};
	enum survey_lang l = p->d->lang;
	char num[ANALYSIS_NKIND + 1][24];
	const char *cell[NCOL];

	for (int ch = 0; ch <= ANALYSIS_NCHANNEL; ch++) {
		const bool total = ch == ANALYSIS_NCHANNEL;
		uint64_t sum = 0;

		for (int k = 0; k < ANALYSIS_NKIND; k++) {
			uint64_t n = 0;

			if (total) {
				for (int x = 0; x < ANALYSIS_NCHANNEL; x++)
					n += c->count[x][k];
			} else {
				n = c->count[ch][k];
			}
			sum += n;
			fmt_u(num[k + 1], sizeof(num[k + 1]), n);
		}
		if (!total && !sum)
			continue;
		fmt_u(num[0], sizeof(num[0]), c->tally.households);
		cell[0] = ch == 0 || total ? name : "";
		cell[1] = msg_get(l, total ? MSG_RECORD_CHANNEL_TOTAL
					   : channel[ch]);
		cell[2] = total ? num[0] : "";
		for (int k = 0; k < ANALYSIS_NKIND; k++)
			cell[3 + k] = num[k + 1];
		cell[8] =
			total && judged
				? analysis_verdict_words(c->outcome.verdict, l)
				: "";
		add_row(p, total ? F_BOLD : F_CELL, cell);
	}
}

static void add_counts(struct doc *p)
{
	const struct analysis *an = p->d->an;
	enum survey_lang l = p->d->lang;
	struct strbuf sb = STRBUF_INIT;

	add_text(p, F_HEAD, msg_get(l, MSG_RECORD_COUNTS));
	for (size_t i = 0; i < an->nr_questions; i++) {
		const struct analysis_question *aq = &an->questions[i];

		strbuf_reset(&sb);
		msg_add(&sb, l, MSG_RECORD_PROPOSITION,
			survey_text_get(&aq->q->text, l));
		add_space(p, 4);
		add_text(p, F_BOLD, sb.buf);
		add_header_row(p);
		for (size_t b = 0; b < an->s->nr_buurten; b++)
			add_cell_rows(p, an->s->buurten[b].name, &aq->cells[b],
				      an->decision != AGREEMENT_POOLED);
		if (an->decision == AGREEMENT_POOLED)
			add_cell_rows(p, "∑", &aq->total, true);
		if (aq->has_overall) {
			strbuf_reset(&sb);
			msg_add(&sb, l, MSG_RECORD_OVERALL,
				analysis_verdict_words(aq->overall, l));
			add_text(p, F_BOLD, sb.buf);
		}
	}
	strbuf_release(&sb);
}

static void add_agreement(struct doc *p)
{
	const struct analysis *an = p->d->an;
	const struct survey *s = an->s;
	enum survey_lang l = p->d->lang;
	struct strbuf sb = STRBUF_INIT;
	static const enum msg_id decision[] = {
		[AGREEMENT_EACH] = MSG_RECORD_DECISION_EACH,
		[AGREEMENT_ALL] = MSG_RECORD_DECISION_ALL,
		[AGREEMENT_POOLED] = MSG_RECORD_DECISION_POOLED,
	};

	add_space(p, 8);
	add_text(p, F_HEAD, msg_get(l, MSG_RECORD_AGREEMENT));
	agreement_describe(&s->agreement, NULL, l, &sb);
	add_text(p, F_BODY, sb.buf);
	add_text(p, F_BODY, msg_get(l, decision[s->agreement.decision]));
	strbuf_reset(&sb);
	/* Said as the report says it, with the date in words. */
	if (!analysis_format_agreed(&s->agreement, l, &sb))
		strbuf_addstr(&sb, msg_get(l, MSG_RECORD_NOT_AGREED));
	add_text(p, F_BODY, sb.buf);
	for (size_t b = 0; b < s->nr_buurten; b++) {
		const struct survey_buurt *bu = &s->buurten[b];

		if (!bu->overrides)
			continue;
		strbuf_reset(&sb);
		msg_add(&sb, l, MSG_RECORD_BUURT_RULE, bu->name);
		strbuf_addch(&sb, ' ');
		agreement_describe(&bu->agreement, bu->name, l, &sb);
		strbuf_addch(&sb, ' ');
		if (!analysis_format_agreed(&bu->agreement, l, &sb))
			strbuf_setlen(&sb, sb.len - 1);
		add_text(p, F_BODY, sb.buf);
	}
	strbuf_release(&sb);
}

static void add_audit_line(struct doc *p, enum msg_id id, uint64_t n)
{
	struct strbuf sb = STRBUF_INIT;
	char num[24];

	fmt_u(num, sizeof(num), n);
	msg_add(&sb, p->d->lang, id, num);
	add_text(p, F_BODY, sb.buf);
	strbuf_release(&sb);
}

static void add_audit(struct doc *p)
{
	const struct store_life_audit *a = p->d->life;
	enum survey_lang l = p->d->lang;
	struct strbuf sb = STRBUF_INIT;

	add_space(p, 8);
	add_text(p, F_HEAD, msg_get(l, MSG_RECORD_AUDIT));
	add_audit_line(p, MSG_RECORD_AUDIT_SUPERSEDED, a->superseded);
	add_audit_line(p, MSG_RECORD_AUDIT_REPLACED, a->codes_replaced);
	add_audit_line(p, MSG_RECORD_AUDIT_TWICE, a->entered_twice);
	add_audit_line(p, MSG_RECORD_AUDIT_SETTLED, a->settled);
	add_audit_line(p, MSG_RECORD_AUDIT_REVIEWED, a->scans_reviewed);
	{
		char n1[24], n2[24];

		fmt_u(n1, sizeof(n1), a->reminder_waves);
		fmt_u(n2, sizeof(n2), a->reminder_letters);
		msg_add(&sb, l, MSG_REMIND_RECORD_LINE, n1, n2);
		add_text(p, F_BODY, sb.buf);
		strbuf_reset(&sb);
	}
	if (p->d->au && analysis_audit_rejections(p->d->au, l, &sb))
		add_text(p, F_BODY, sb.buf);
	strbuf_reset(&sb);
	if (a->paper_waiting || a->scans_waiting) {
		char n1[24], n2[24];

		fmt_u(n1, sizeof(n1), a->paper_waiting);
		fmt_u(n2, sizeof(n2), a->scans_waiting);
		msg_add(&sb, l, MSG_RECORD_AUDIT_PENDING, n1, n2);
		add_text(p, F_BOLD, sb.buf);
	} else {
		add_text(p, F_BODY, msg_get(l, MSG_RECORD_AUDIT_NONE_PENDING));
	}
	strbuf_release(&sb);
}

static void add_fingerprint(struct doc *p)
{
	const struct analysis_record *r = p->d->rec;
	enum survey_lang l = p->d->lang;
	struct strbuf sb = STRBUF_INIT;
	char rows[24], scans[24];
	size_t lines = 0;

	for (size_t i = 0; i < r->canonical.len; i++)
		lines += r->canonical.buf[i] == '\n';
	fmt_u(rows, sizeof(rows), lines ? lines - 1 : 0); /* the header */
	fmt_u(scans, sizeof(scans), r->nr_scans);
	add_space(p, 8);
	add_text(p, F_HEAD, msg_get(l, MSG_RECORD_FINGERPRINT));
	add_text(p, F_MONO, p->d->kept->fingerprint.buf);
	msg_add(&sb, l, MSG_RECORD_FINGERPRINT_NOTE, rows, scans);
	add_text(p, F_SMALL, sb.buf);
	strbuf_release(&sb);
}

static void add_signatures(struct doc *p)
{
	enum survey_lang l = p->d->lang;
	struct strbuf sb = STRBUF_INIT;

	add_space(p, 8);
	add_text(p, F_HEAD, msg_get(l, MSG_RECORD_SIGN));
	for (int i = 1; i <= 2; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s %d", msg_get(l, MSG_RECORD_SIGN_COUNTER),
			    i);
		add_item(p, ITEM_SIGN, F_BOLD)->text = strbuf_detach(&sb, NULL);
	}
	add_item(p, ITEM_SIGN, F_BOLD)->text =
		xstrdup(msg_get(l, MSG_RECORD_SIGN_OBSERVER));
	strbuf_release(&sb);
}

static void build(struct doc *p)
{
	const struct analysis_record_doc *d = p->d;
	const struct survey *s = d->an->s;
	enum survey_lang l = d->lang;
	struct strbuf sb = STRBUF_INIT, made = STRBUF_INIT,
		      closed = STRBUF_INIT;
	char num[24];

	/* The store keeps UTC; the record says when as its readers do. */
	msg_moment(&made, l, d->kept->made_at);
	msg_moment(&closed, l, d->lc->closed_at);
	add_text(p, F_HEAD, s->organisation);
	add_text(p, F_TITLE, msg_get(l, MSG_RECORD_TITLE));
	add_text(p, F_HEAD, survey_text_get(&s->title, l));
	snprintf(num, sizeof(num), "%lld", d->kept->id);
	msg_add(&sb, l, MSG_RECORD_NUMBER, num, made.buf);
	add_text(p, F_BODY, sb.buf);
	strbuf_reset(&sb);
	msg_add(&sb, l, MSG_RECORD_CLOSED, closed.buf,
		d->lc->closed_by[0] ? d->lc->closed_by : "?");
	add_text(p, F_BODY, sb.buf);
	add_space(p, 8);
	add_counts(p);
	add_agreement(p);
	add_audit(p);
	add_fingerprint(p);
	add_signatures(p);
	strbuf_release(&sb);
	strbuf_release(&made);
	strbuf_release(&closed);
}

/* Put the items on pages: an item that does not fit starts the next. */
static void paginate(struct doc *p)
{
	double y = TOP;
	size_t page = 0;

	for (size_t i = 0; i < p->nr; i++) {
		double h = draw_item(NULL, p, &p->items[i], y);

		if (y + h > BOTTOM && y > TOP) {
			page++;
			y = TOP;
		}
		p->items[i].page = page;
		p->items[i].y = y;
		y += h;
	}
	p->nr_pages = page + 1;
}

static int draw_page(cairo_t *cr, void *data, size_t page, struct strbuf *err)
{
	struct doc *p = data;
	struct strbuf sb = STRBUF_INIT;
	char a[24], b[24];

	(void)err;
	if (page == 0)
		cairo_pdf_surface_set_metadata(
			cairo_get_target(cr), CAIRO_PDF_METADATA_TITLE,
			msg_get(p->d->lang, MSG_RECORD_TITLE));
	cairo_save(cr);
	cairo_scale(cr, 1 / MM_TO_PT, 1 / MM_TO_PT);
	for (size_t i = 0; i < p->nr; i++)
		if (p->items[i].page == page)
			draw_item(cr, p, &p->items[i], p->items[i].y);
	snprintf(a, sizeof(a), "%zu", page + 1);
	snprintf(b, sizeof(b), "%zu", p->nr_pages);
	strbuf_addf(&sb, "%s · ", msg_get(p->d->lang, MSG_RECORD_TITLE));
	msg_add(&sb, p->d->lang, MSG_RECORD_PAGE, a, b);
	strbuf_addf(&sb, " · %.16s…", p->d->kept->fingerprint.buf);
	analysis_text(cr, p->ctx, F_SMALL, ANALYSIS_C_GREY, sb.buf, LEFT,
		      FOOTER_Y, WIDTH, PANGO_ALIGN_LEFT, NULL);
	cairo_restore(cr);
	strbuf_release(&sb);
	return 0;
}

int analysis_record_pdf(const struct analysis_record_doc *d, const char *path,
			struct strbuf *err)
{
	struct doc p = { .d = d };
	int ret;

	p.ctx = analysis_pango_context(d->lang);
	build(&p);
	paginate(&p);
	ret = render_write_pdf(path, RENDER_PAGE_W, RENDER_PAGE_H, p.nr_pages,
			       draw_page, &p, NULL, d->lang, err);
	for (size_t i = 0; i < p.nr; i++) {
		free(p.items[i].text);
		for (size_t k = 0; k < NCOL; k++)
			free(p.items[i].cell[k]);
	}
	free(p.items);
	g_object_unref(p.ctx);
	return ret;
}
