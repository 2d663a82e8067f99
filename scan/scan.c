/*
 * scan.c - reading a form page from its image (see scan.h): QR code,
 * registration, boxes, and the decision per question.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qrcode.h"
#include "reason.h"
#include "scan.h"
#include "xalloc.h"
#include "banned.h"

/* The QR code must be within this of where the marks put it (mm, root
 * mean square over its corners): zbar finds them to a few tenths. */
#define QR_AGREE_MM 2.0
/* ...and when one corner mark is missing, closer. */
#define QR_AGREE_3_MM 0.8

void scan_layouts_add(struct scan_layouts *set, const struct render_layout *l)
{
	if (scan_layouts_lookup(set, l->id))
		return;
	ALLOC_GROW(set->v, set->nr + 1, set->alloc);
	set->v[set->nr++] = l;
}

const struct render_layout *scan_layouts_lookup(void *ctx, const char *id)
{
	const struct scan_layouts *set = ctx;

	for (size_t i = 0; i < set->nr; i++)
		if (!strcmp(set->v[i]->id, id))
			return set->v[i];
	return NULL;
}

void scan_layouts_release(struct scan_layouts *set)
{
	if (!set)
		return;
	free(set->v);
	set->v = NULL;
	set->nr = set->alloc = 0;
}

const char *scan_refusal_name(enum scan_refusal r)
{
	switch (r) {
	case SCAN_READ: return "read";
	case SCAN_REFUSED_NO_QR: return "no-qr";
	case SCAN_REFUSED_NOT_A_FORM: return "not-a-form";
	case SCAN_REFUSED_UNKNOWN_LAYOUT: return "unknown-layout";
	case SCAN_REFUSED_OTHER_SURVEY: return "other-survey";
	case SCAN_REFUSED_NO_SUCH_PAGE: return "no-such-page";
	case SCAN_REFUSED_MARKS: return "marks";
	case SCAN_REFUSED_BOXES: return "boxes";
	}
	return "?";
}

void scan_page_init(struct scan_page *p)
{
	memset(p, 0, sizeof(*p));
}

/* Drop what measure() made, to measure again. */
static void free_reading(struct scan_page *p)
{
	for (size_t i = 0; i < p->nr_questions; i++) {
		free(p->questions[i].values);
		free(p->questions[i].reason);
	}
	free(p->questions);
	free(p->boxes);
	free(p->texts);
	p->questions = NULL;
	p->boxes = NULL;
	p->texts = NULL;
	p->nr_questions = p->nr_boxes = p->nr_texts = p->nr_review = 0;
}

void scan_page_release(struct scan_page *p)
{
	if (!p)
		return;
	free_reading(p);
	free(p->qr_text);
	scan_page_init(p);
}

const struct scan_question *scan_page_question(const struct scan_page *p,
					       const char *id)
{
	for (size_t i = 0; i < p->nr_questions; i++)
		if (!strcmp(p->questions[i].id, id))
			return &p->questions[i];
	return NULL;
}

void scan_question_answer(const struct scan_question *q, struct strbuf *out)
{
	for (size_t i = 0; i < q->nr_values; i++) {
		if (i)
			strbuf_addch(out, '+');
		strbuf_addstr(out, q->values[i]);
	}
}

static void rect_union(struct render_rect *u, const struct render_rect *r)
{
	double x1, y1;

	if (u->w <= 0) {
		*u = *r;
		return;
	}
	x1 = fmax(u->x + u->w, r->x + r->w);
	y1 = fmax(u->y + u->h, r->y + r->h);
	u->x = fmin(u->x, r->x);
	u->y = fmin(u->y, r->y);
	u->w = x1 - u->x;
	u->h = y1 - u->y;
}

void scan_page_px_rect(const struct scan_page *p, const struct scan_image *img,
		       const struct render_rect *mm, struct scan_px_rect *out)
{
	double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;

	for (int k = 0; k < 4; k++) {
		double px, py;

		scan_transform_apply(&p->reg.t, mm->x + (k & 1 ? mm->w : 0),
				     mm->y + (k & 2 ? mm->h : 0), &px, &py);
		x0 = fmin(x0, px), y0 = fmin(y0, py);
		x1 = fmax(x1, px), y1 = fmax(y1, py);
	}
	x0 = fmax(floor(x0), 0), y0 = fmax(floor(y0), 0);
	x1 = fmin(ceil(x1), img->w), y1 = fmin(ceil(y1), img->h);
	out->x = (int)x0;
	out->y = (int)y0;
	out->w = x1 > x0 ? (int)(x1 - x0) : 0;
	out->h = y1 > y0 ? (int)(y1 - y0) : 0;
}

/* The transform the QR code alone gives: its symbol's corners. */
static int qr_guess(const struct render_page *rp, const struct scan_qr *qr,
		    struct scan_transform *t)
{
	const struct render_rect *r = &rp->qr;
	double mx[4] = { r->x, r->x + r->w, r->x + r->w, r->x };
	double my[4] = { r->y, r->y, r->y + r->h, r->y + r->h };

	return scan_transform_fit(mx, my, qr->x, qr->y, 4, t);
}

/* How far (mm, root mean square) the QR code's corners are from where
 * the fitted transform puts them. */
static double qr_distance(const struct render_page *rp,
			  const struct scan_qr *qr,
			  const struct scan_transform *t)
{
	const struct render_rect *r = &rp->qr;
	double s = scan_transform_scale(t), sum = 0;

	for (int k = 0; k < 4; k++) {
		double px, py, d;

		scan_transform_apply(t, r->x + (k == 1 || k == 2 ? r->w : 0),
				     r->y + (k >= 2 ? r->h : 0), &px, &py);
		d = hypot(px - qr->x[k], py - qr->y[k]) / s;
		sum += d * d;
	}
	return sqrt(sum / 4);
}

/* The QR code's corners in mm, in its symbol's order (qrcode.h). */
static void qr_corner_mm(const struct render_page *rp, int k, double *x,
			 double *y)
{
	*x = rp->qr.x + (k == 1 || k == 2 ? rp->qr.w : 0);
	*y = rp->qr.y + (k >= 2 ? rp->qr.h : 0);
}

/* Distance (mm) between where t puts (x, y) and image point (u, v). */
static double point_error(const struct scan_transform *t, double x, double y,
			  double u, double v)
{
	double px, py, j[4];

	scan_transform_apply(t, x, y, &px, &py);
	scan_transform_jacobian(t, x, y, j);
	return hypot(px - u, py - v) / sqrt(fabs(j[0] * j[3] - j[1] * j[2]));
}

/* Points for a perspective fit: mm and image pixels. */
struct fit_points {
	double *mx, *my, *ix, *iy;
	size_t n, alloc;
};

static void fit_add(struct fit_points *fp, double x, double y, double u,
		    double v)
{
	if (fp->n == fp->alloc) {
		fp->alloc = fp->alloc ? 2 * fp->alloc : 64;
		fp->mx = xrealloc(fp->mx, fp->alloc * sizeof(double));
		fp->my = xrealloc(fp->my, fp->alloc * sizeof(double));
		fp->ix = xrealloc(fp->ix, fp->alloc * sizeof(double));
		fp->iy = xrealloc(fp->iy, fp->alloc * sizeof(double));
	}
	fp->mx[fp->n] = x, fp->my[fp->n] = y;
	fp->ix[fp->n] = u, fp->iy[fp->n] = v;
	fp->n++;
}

/*
 * A photo: the four corner marks were found but do not fit a flat page
 * under an affine transform.  A perspective transform is fitted to the
 * marks and the QR code's corners (8 points, 8 unknowns and 8 to
 * spare), then again with the centre of every answer box whose printed
 * border is found again through it (dozens of points over the whole
 * page), twice.  The residual over the marks and boxes must be under
 * SCAN_MAX_RESIDUAL_PHOTO, most boxes must be found, and the transform
 * must be a plausible view of a flat sheet: not mirrored, and not so
 * slanted that one end of the page is far smaller than the other.
 */
static int register_photo(const struct scan_image *img,
			  const struct render_page *rp,
			  const struct scan_qr *qr,
			  struct scan_registration *reg, struct strbuf *err)
{
	struct fit_points fp = { 0 };
	struct scan_transform t;
	size_t nbox = 0, found = 0;
	double sum = 0, lo = 1e9, hi = 0;
	int ret = -1;

	for (int k = 0; k < 4; k++) {
		double x, y;

		if (!reg->marks[k].found)
			goto out;
		for (size_t i = 0; i < rp->nr; i++)
			if (rp->items[i].kind == RENDER_ITEM_MARK &&
			    rp->items[i].corner == k) {
				const struct render_rect *r = &rp->items[i].r;

				fit_add(&fp, k & 1 ? r->x + r->w : r->x,
					k & 2 ? r->y + r->h : r->y,
					reg->marks[k].x, reg->marks[k].y);
			}
		qr_corner_mm(rp, k, &x, &y);
		fit_add(&fp, x, y, qr->x[k], qr->y[k]);
	}
	if (fp.n != 8 ||
	    scan_homography_fit(fp.mx, fp.my, fp.ix, fp.iy, 8, &t) < 0) {
		strbuf_addstr(err, "the corner marks and the QR code do not "
				   "fit one sheet");
		goto out;
	}
	for (int round = 0; round < 2; round++) {
		struct scan_sampler s = { img, t, reg->ink, reg->paper };

		fp.n = 8;
		nbox = found = 0;
		for (size_t i = 0; i < rp->nr; i++) {
			const struct render_item *it = &rp->items[i];
			struct scan_box_measure m;
			double cx, cy, u, v;

			if (it->kind != RENDER_ITEM_BOX)
				continue;
			nbox++;
			scan_measure_box(&s, &it->r, &m);
			if (m.frame < 0.25)
				continue;
			found++;
			cx = it->r.x + it->r.w / 2;
			cy = it->r.y + it->r.h / 2;
			scan_transform_apply(&t, cx + m.dx, cy + m.dy, &u, &v);
			fit_add(&fp, cx, cy, u, v);
		}
		if (scan_homography_fit(fp.mx, fp.my, fp.ix, fp.iy, fp.n, &t) <
		    0)
			break;
	}
	/* The residual over the marks (0-7, every other point) and the
	 * boxes; the QR code's corners are checked by the caller. */
	{
		size_t used = 0;

		for (size_t i = 0; i < fp.n; i++) {
			double e;

			if (i < 8 && (i & 1))
				continue;
			e = point_error(&t, fp.mx[i], fp.my[i], fp.ix[i],
					fp.iy[i]);
			if (i < 8)
				reg->marks[i / 2].err = e;
			sum += e * e;
			used++;
		}
		reg->residual = used ? sqrt(sum / (double)used) : 1e9;
	}
	for (int k = 0; k < 4; k++) {
		double j[4], det;

		scan_transform_jacobian(&t, k & 1 ? RENDER_PAGE_W : 0,
					k & 2 ? RENDER_PAGE_H : 0, j);
		det = j[0] * j[3] - j[1] * j[2];
		lo = fmin(lo, det);
		hi = fmax(hi, det);
	}
	reg->nr_points = (int)(fp.n - 4);
	if (lo <= 0) {
		strbuf_addstr(err, "the corner marks are mirrored: was the "
				   "page photographed through the paper?");
		goto out;
	}
	if (sqrt(hi / lo) > 1.4) {
		strbuf_addf(err,
			    "the photo is taken at too steep an angle (one end "
			    "of the page is %.0f%% larger than the other): "
			    "hold the phone straight above the page",
			    (sqrt(hi / lo) - 1) * 100);
		goto out;
	}
	if (found * 4 < nbox * 3) {
		strbuf_addf(err,
			    "only %zu of the %zu answer boxes are where a "
			    "photo of a flat page puts them",
			    found, nbox);
		goto out;
	}
	if (reg->residual > SCAN_MAX_RESIDUAL_PHOTO) {
		strbuf_addf(
			err,
			"the page in the photo is not flat (its marks and "
			"boxes are %.2f mm off a flat sheet on average; at "
			"most %.2f mm reads reliably): lay it flat and take "
			"the photo again",
			reg->residual, SCAN_MAX_RESIDUAL_PHOTO);
		goto out;
	}
	reg->t = t;
	reg->perspective = true;
	scan_transform_rotation(&t, &reg->quarter, &reg->skew);
	ret = 0;
out:
	free(fp.mx);
	free(fp.my);
	free(fp.ix);
	free(fp.iy);
	return ret;
}

/* Decide question q from its boxes (or text area). */
static void decide(struct scan_page *pg, struct scan_question *sq)
{
	struct strbuf why = STRBUF_INIT;
	struct scan_clause c = { 0 };
	size_t ticked = 0, uncertain = 0, digits = 0;
	bool multi = sq->q && sq->q->type == SURVEY_Q_MULTI;

	if (sq->text >= 0) {
		switch (pg->texts[sq->text].state) {
		case SCAN_TEXT_EMPTY: break;
		case SCAN_TEXT_WRITTEN:
			c.why = SCAN_WHY_TEXT_WRITTEN;
			scan_reason_add(&why, &c);
			break;
		case SCAN_TEXT_UNCERTAIN:
			c.why = SCAN_WHY_TEXT_UNCERTAIN;
			scan_reason_add(&why, &c);
			break;
		}
	}
	for (size_t i = 0; i < sq->nr_boxes; i++) {
		struct scan_box *b = &pg->boxes[sq->box0 + i];

		if (b->kind == RENDER_BOX_DIGIT || b->kind == RENDER_BOX_SIGN)
			digits++;
		if (b->state == SCAN_BOX_TICKED)
			ticked++;
		else if (b->state == SCAN_BOX_UNCERTAIN)
			uncertain++;
	}
	if (digits) {
		c.why = ticked || uncertain ? SCAN_WHY_DIGITS
					    : SCAN_WHY_DIGITS_EMPTY;
		scan_reason_add(&why, &c);
		goto out;
	}
	for (size_t i = 0; i < sq->nr_boxes; i++) {
		struct scan_box *b = &pg->boxes[sq->box0 + i];

		if (b->state != SCAN_BOX_UNCERTAIN)
			continue;
		c.why = SCAN_WHY_BOX;
		c.value = b->value;
		c.value_len = strlen(b->value);
		c.doubt = b->doubt;
		scan_reason_add(&why, &c);
	}
	if (uncertain)
		goto out;
	c.n = (unsigned)ticked;
	if (!multi && ticked > 1) {
		c.why = SCAN_WHY_TICKED;
		scan_reason_add(&why, &c);
		goto out;
	}
	if (multi && sq->q->max_choices && ticked > sq->q->max_choices) {
		c.why = SCAN_WHY_OVER_MAX;
		c.max = sq->q->max_choices;
		scan_reason_add(&why, &c);
		goto out;
	}
	sq->values = xcalloc(ticked ? ticked : 1, sizeof(*sq->values));
	for (size_t i = 0; i < sq->nr_boxes; i++) {
		struct scan_box *b = &pg->boxes[sq->box0 + i];

		if (b->state == SCAN_BOX_TICKED)
			sq->values[sq->nr_values++] = b->value;
	}
out:
	if (why.len) {
		sq->status = SCAN_REVIEW;
		sq->reason = strbuf_detach(&why, NULL);
		free(sq->values);
		sq->values = NULL;
		sq->nr_values = 0;
		pg->nr_review++;
	}
	strbuf_release(&why);
}

/* The question id's entry, made on first sight. */
static struct scan_question *question_for(struct scan_page *pg, const char *id,
					  size_t *alloc)
{
	struct scan_question *sq;

	for (size_t i = 0; i < pg->nr_questions; i++)
		if (!strcmp(pg->questions[i].id, id))
			return &pg->questions[i];
	ALLOC_GROW(pg->questions, pg->nr_questions + 1, *alloc);
	sq = &pg->questions[pg->nr_questions++];
	memset(sq, 0, sizeof(*sq));
	sq->id = id;
	sq->q = survey_find_question(pg->layout->s, id);
	sq->text = -1;
	return sq;
}

static int measure(struct scan_page *pg, const struct scan_image *img,
		   const struct render_page *rp, struct strbuf *err)
{
	struct scan_sampler s = { img, pg->reg.t, pg->reg.ink, pg->reg.paper };
	size_t nb = 0, nt = 0, qalloc = 0, lost = 0;

	for (size_t i = 0; i < rp->nr; i++) {
		nb += rp->items[i].kind == RENDER_ITEM_BOX;
		nt += rp->items[i].kind == RENDER_ITEM_LINES;
	}
	pg->boxes = xcalloc(nb ? nb : 1, sizeof(*pg->boxes));
	pg->texts = xcalloc(nt ? nt : 1, sizeof(*pg->texts));
	/* Boxes of a question are consecutive in the layout. */
	for (size_t i = 0; i < rp->nr; i++) {
		const struct render_item *it = &rp->items[i];
		struct scan_question *sq;

		if (it->kind == RENDER_ITEM_BOX) {
			struct scan_box *b = &pg->boxes[pg->nr_boxes];

			sq = question_for(pg, it->question, &qalloc);
			if (!sq->nr_boxes)
				sq->box0 = pg->nr_boxes;
			if (sq->box0 + sq->nr_boxes != pg->nr_boxes) {
				strbuf_addf(err,
					    "the layout's boxes of question "
					    "'%s' are not together",
					    it->question);
				return -1;
			}
			pg->nr_boxes++;
			sq->nr_boxes++;
			b->question = it->question;
			b->kind = it->box;
			b->value = it->value;
			b->r = it->r;
			scan_measure_box(&s, &it->r, &b->m);
			scan_measure_beside(&s, rp, i, &b->m);
			b->state = scan_classify_box(&b->m, &b->doubt);
			if (b->m.frame < 0.25 && b->m.ink < 0.5)
				lost++;
		} else if (it->kind == RENDER_ITEM_LINES) {
			struct scan_text *t = &pg->texts[pg->nr_texts];

			sq = question_for(pg, it->question, &qalloc);
			sq->text = (int)pg->nr_texts++;
			t->question = it->question;
			t->r = it->r;
			scan_page_px_rect(pg, img, &it->r, &t->px);
			scan_measure_text(&s, it, &t->m);
			t->state = scan_classify_text(&t->m);
		}
	}
	if (lost >= 3 && lost * 4 > pg->nr_boxes) {
		strbuf_addf(err,
			    "%zu of the %zu answer boxes are not where the "
			    "layout puts them: is this really a page of "
			    "layout %s?",
			    lost, pg->nr_boxes, pg->layout_id);
		return -1;
	}
	/* Each question's whole block, for cut-outs. */
	for (size_t i = 0; i < rp->nr; i++) {
		const struct render_item *it = &rp->items[i];

		if (!it->question)
			continue;
		for (size_t k = 0; k < pg->nr_questions; k++)
			if (!strcmp(pg->questions[k].id, it->question))
				rect_union(&pg->questions[k].r, &it->r);
	}
	for (size_t k = 0; k < pg->nr_questions; k++)
		decide(pg, &pg->questions[k]);
	return 0;
}

int scan_page_read(const struct scan_image *img, scan_layout_lookup_fn lookup,
		   void *ctx, struct scan_page *out, struct strbuf *err)
{
	struct scan_qr qr;
	struct scan_image flat = SCAN_IMAGE_INIT;
	struct scan_url url;
	struct scan_transform guess;
	const struct render_layout *l;
	const struct render_page *rp;
	size_t plen;
	double qd;

	scan_page_init(out);
	memset(&qr, 0, sizeof(qr));
	/* A photo's light is uneven (a gradient, a shadow): even it out
	 * first.  A scan is left as it is. */
	if (scan_image_flatten(img, &flat, err) > 0)
		img = &flat;
	strbuf_reset(err);
	out->dpi = scan_image_dpi(img);
	if (scan_qr_find(img, out->dpi, &qr, err) < 0) {
		out->qr_tries = qr.tries;
		out->refusal = SCAN_REFUSED_NO_QR;
		goto refused;
	}
	out->qr_tries = qr.tries;
	out->qr_text = qr.text;
	qr.text = NULL;
	if (scan_url_parse(out->qr_text, &url, err) < 0) {
		out->refusal = SCAN_REFUSED_NOT_A_FORM;
		goto refused;
	}
	memcpy(out->code, url.code, sizeof(out->code));
	out->page = url.page;
	memcpy(out->layout_id, url.layout, sizeof(out->layout_id));
	l = lookup(ctx, url.layout);
	if (!l) {
		strbuf_addf(err,
			    "this page's layout %s is none of this survey's "
			    "forms (a form of another survey, or printed "
			    "before the survey was changed); it is page %u "
			    "of household code %s",
			    url.layout, url.page, url.code);
		out->refusal = SCAN_REFUSED_UNKNOWN_LAYOUT;
		goto refused;
	}
	out->layout = l;
	plen = strlen(l->qr.prefix);
	if (plen != url.prefix_len ||
	    memcmp(out->qr_text, l->qr.prefix, plen)) {
		strbuf_addf(err,
			    "this page's QR code points to %.*s, not to this "
			    "survey's %s",
			    (int)url.prefix_len, out->qr_text, l->qr.prefix);
		out->refusal = SCAN_REFUSED_OTHER_SURVEY;
		goto refused;
	}
	/*
	 * The blank back page a double-sided set of an odd number of pages
	 * ends with (render --duplex): nothing to read, nothing to review.
	 */
	if (url.page == l->nr_pages + 1 && l->nr_pages % 2) {
		out->blank_back = true;
		scan_qr_release(&qr);
		scan_image_release(&flat);
		return 1;
	}
	if (url.page > l->nr_pages) {
		strbuf_addf(err,
			    "this page says it is page %u, but layout %s has "
			    "%zu pages",
			    url.page, l->id, l->nr_pages);
		out->refusal = SCAN_REFUSED_NO_SUCH_PAGE;
		goto refused;
	}
	rp = &l->pages[url.page - 1];
	if (qr_guess(rp, &qr, &guess) < 0) {
		strbuf_addstr(err, "the QR code's corners make no sense");
		out->refusal = SCAN_REFUSED_NO_QR;
		goto refused;
	}
	if (scan_register(img, rp, &guess, &out->reg, err) < 0) {
		/* All four marks found but not on one flat scan: a photo
		 * taken at an angle, perhaps. */
		struct strbuf why = STRBUF_INIT;

		if (out->reg.nr_marks < 4 ||
		    register_photo(img, rp, &qr, &out->reg, &why) < 0) {
			if (why.len)
				strbuf_addf(err,
					    "; nor as a photo taken at an "
					    "angle: %s",
					    why.buf);
			strbuf_release(&why);
			out->refusal = SCAN_REFUSED_MARKS;
			goto refused;
		}
		strbuf_release(&why);
		strbuf_reset(err);
	}
	/* With four marks the QR code only confirms the page; with three
	 * it is the check on the fit that the fourth mark would have been,
	 * and its residual the page's. */
	qd = qr_distance(rp, &qr, &out->reg.t);
	if (out->reg.nr_marks == 3)
		out->reg.residual = qd;
	if (qd > (out->reg.nr_marks == 3 ? QR_AGREE_3_MM : QR_AGREE_MM)) {
		strbuf_addf(err,
			    "the QR code is %.1f mm from where the corner "
			    "marks put it: the marks found are not this "
			    "page's%s",
			    qd,
			    out->reg.nr_marks == 3
				    ? " (one corner mark is missing)"
				    : "");
		out->refusal = SCAN_REFUSED_MARKS;
		goto refused;
	}
	out->orientation = out->reg.quarter;
	out->skew = out->reg.skew;
	out->scale = scan_transform_scale(&out->reg.t) / (out->dpi / 25.4);
	if (out->reg.perspective && !img->dpi) {
		/* A photo says no resolution: the page's own size does. */
		out->dpi = scan_transform_scale(&out->reg.t) * 25.4;
		out->scale = 1;
	}
	if (measure(out, img, rp, err) < 0) {
		/* The marks fit a flat scan closely enough, but the boxes
		 * between them are not there: a photo at a gentle angle,
		 * whose perspective bends the middle of the page. */
		struct strbuf why = STRBUF_INIT;
		struct scan_registration affine = out->reg;

		if (out->reg.perspective || out->reg.nr_marks < 4 ||
		    register_photo(img, rp, &qr, &out->reg, &why) < 0) {
			out->reg = affine;
			strbuf_release(&why);
			out->refusal = SCAN_REFUSED_BOXES;
			goto refused;
		}
		strbuf_release(&why);
		strbuf_reset(err);
		free_reading(out);
		out->orientation = out->reg.quarter;
		out->skew = out->reg.skew;
		if (!img->dpi) {
			out->dpi = scan_transform_scale(&out->reg.t) * 25.4;
			out->scale = 1;
		}
		if (measure(out, img, rp, err) < 0) {
			out->refusal = SCAN_REFUSED_BOXES;
			goto refused;
		}
	}
	scan_qr_release(&qr);
	scan_image_release(&flat);
	return 0;
refused:
	scan_qr_release(&qr);
	scan_image_release(&flat);
	return -1;
}

int scan_page_crop_png(const struct scan_page *p, const struct scan_image *img,
		       const struct render_rect *mm, double margin,
		       struct strbuf *png, struct strbuf *err)
{
	struct scan_sampler s = { img, p->reg.t, p->reg.ink, p->reg.paper };
	struct scan_image out = SCAN_IMAGE_INIT;
	double k, x0 = mm->x - margin, y0 = mm->y - margin;
	double w = mm->w + 2 * margin, h = mm->h + 2 * margin;
	int ret = -1;

	if (p->refusal != SCAN_READ || !p->layout) {
		strbuf_addstr(err, "a refused page has nothing to cut out");
		return -1;
	}
	k = scan_transform_scale(&p->reg.t);
	if (w <= 0 || h <= 0 || x0 + w < 0 || y0 + h < 0 ||
	    x0 > RENDER_PAGE_W || y0 > RENDER_PAGE_H) {
		strbuf_addf(err,
			    "the rectangle %.1f,%.1f %.1f x %.1f mm is not "
			    "on the page",
			    mm->x, mm->y, mm->w, mm->h);
		return -1;
	}
	if (scan_image_alloc(&out, (int)ceil(w * k), (int)ceil(h * k), err) < 0)
		return -1;
	out.dpi = k * 25.4;
	for (int j = 0; j < out.h; j++)
		for (int i = 0; i < out.w; i++) {
			double v = scan_sample(&s, x0 + (i + 0.5) / k,
					       y0 + (j + 0.5) / k);

			out.px[(size_t)j * out.stride + i] =
				(unsigned char)lround(v);
		}
	ret = scan_image_write_png(&out, png, err);
	scan_image_release(&out);
	return ret;
}

static void json_num(struct strbuf *sb, const char *key, double v)
{
	strbuf_addf(sb, "\"%s\":%.4g", key, v);
}

static void json_rect(struct strbuf *sb, const char *key,
		      const struct render_rect *r)
{
	strbuf_addf(sb, "\"%s\":{\"x\":%.2f,\"y\":%.2f,\"w\":%.2f,\"h\":%.2f}",
		    key, r->x, r->y, r->w, r->h);
}

static const char *const box_kinds[] = { "option", "value", "digit", "sign" };

void scan_page_json(const struct scan_page *p, struct strbuf *out)
{
	const struct scan_transform *t = &p->reg.t;

	strbuf_addstr(out, "{\"refusal\":");
	strbuf_add_json(out, scan_refusal_name(p->refusal));
	strbuf_addstr(out, ",\"qr\":");
	strbuf_add_json(out, p->qr_text ? p->qr_text : "");
	strbuf_addstr(out, ",\"code\":");
	strbuf_add_json(out, p->code);
	strbuf_addf(out, ",\"page\":%u,\"layout\":", p->page);
	strbuf_add_json(out, p->layout_id);
	if (p->refusal != SCAN_READ) {
		strbuf_addch(out, '}');
		return;
	}
	strbuf_addf(out,
		    ",\"qr_tries\":%d,\"dpi\":%.1f,\"orientation\":%d,"
		    "\"skew\":%.2f,\"scale\":%.4f,\"marks\":%d,"
		    "\"residual_mm\":%.3f,\"paper\":%.0f,\"ink\":%.0f,"
		    "\"transform\":[%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g]",
		    p->qr_tries, p->dpi, p->orientation, p->skew, p->scale,
		    p->reg.nr_marks, p->reg.residual, p->reg.paper, p->reg.ink,
		    t->a, t->b, t->c, t->d, t->e, t->f, t->g, t->h);
	if (p->reg.perspective)
		strbuf_addf(out,
			    ",\"perspective\":true,\"points\":%d,"
			    "\"affine_residual_mm\":%.3f",
			    p->reg.nr_points, p->reg.affine_residual);
	strbuf_addstr(out, ",\"boxes\":[");
	for (size_t i = 0; i < p->nr_boxes; i++) {
		const struct scan_box *b = &p->boxes[i];

		strbuf_addstr(out, i ? ",{\"question\":" : "{\"question\":");
		strbuf_add_json(out, b->question);
		strbuf_addf(out,
			    ",\"kind\":\"%s\",\"value\":", box_kinds[b->kind]);
		strbuf_add_json(out, b->value);
		strbuf_addf(out, ",\"state\":\"%s\",",
			    scan_box_state_name(b->state));
		json_num(out, "ink", b->m.ink);
		strbuf_addch(out, ',');
		json_num(out, "faint", b->m.faint);
		strbuf_addch(out, ',');
		json_num(out, "darkest", b->m.darkest);
		strbuf_addch(out, ',');
		json_num(out, "spread", b->m.spread);
		strbuf_addch(out, ',');
		json_num(out, "mean", b->m.mean);
		strbuf_addch(out, ',');
		json_num(out, "strokes", b->m.strokes);
		strbuf_addch(out, ',');
		json_num(out, "solid", b->m.solid);
		strbuf_addch(out, ',');
		json_num(out, "paper", b->m.paper);
		strbuf_addch(out, ',');
		json_num(out, "dx", b->m.dx);
		strbuf_addch(out, ',');
		json_num(out, "dy", b->m.dy);
		strbuf_addch(out, ',');
		json_num(out, "frame", b->m.frame);
		strbuf_addch(out, ',');
		json_num(out, "length", b->m.length);
		strbuf_addch(out, ',');
		json_num(out, "width", b->m.width);
		strbuf_addch(out, ',');
		json_num(out, "ends", b->m.ends);
		strbuf_addch(out, ',');
		json_num(out, "branches", b->m.branches);
		strbuf_addch(out, ',');
		json_num(out, "turns", b->m.turns);
		strbuf_addch(out, ',');
		json_num(out, "crossing", b->m.crossing);
		strbuf_addch(out, ',');
		json_num(out, "beside", b->m.beside);
		strbuf_addch(out, ',');
		json_num(out, "beside_far", b->m.beside_far);
		strbuf_addf(out, ",\"beside_sides\":%d", b->m.beside_sides);
		if (b->doubt != SCAN_DOUBT_NONE)
			strbuf_addf(out, ",\"doubt\":\"%s\"",
				    scan_doubt_name(b->doubt));
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "],\"texts\":[");
	for (size_t i = 0; i < p->nr_texts; i++) {
		const struct scan_text *x = &p->texts[i];

		strbuf_addstr(out, i ? ",{\"question\":" : "{\"question\":");
		strbuf_add_json(out, x->question);
		strbuf_addf(out,
			    ",\"state\":\"%s\",\"ink_mm2\":%.2f,"
			    "\"darkest\":%.3f,\"px\":[%d,%d,%d,%d]}",
			    scan_text_state_name(x->state), x->m.ink_mm2,
			    x->m.darkest, x->px.x, x->px.y, x->px.w, x->px.h);
	}
	strbuf_addstr(out, "],\"questions\":[");
	for (size_t i = 0; i < p->nr_questions; i++) {
		const struct scan_question *q = &p->questions[i];

		strbuf_addstr(out, i ? ",{\"id\":" : "{\"id\":");
		strbuf_add_json(out, q->id);
		strbuf_addf(out, ",\"status\":\"%s\",\"values\":[",
			    q->status == SCAN_CLEAR ? "clear" : "review");
		for (size_t v = 0; v < q->nr_values; v++) {
			if (v)
				strbuf_addch(out, ',');
			strbuf_add_json(out, q->values[v]);
		}
		strbuf_addch(out, ']');
		if (q->reason) {
			strbuf_addstr(out, ",\"reason\":");
			strbuf_add_json(out, q->reason);
		}
		strbuf_addch(out, ',');
		json_rect(out, "rect", &q->r);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "]}");
}
