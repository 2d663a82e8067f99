/*
 * intake.c - a read page into the store (see intake.h).
 */
#include "intake.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

/* How much a question in doubt is in doubt: the queue shows most first. */
static double doubt(const struct scan_page *p, const struct scan_question *q)
{
	double d = 0;
	size_t ticked = 0;

	for (size_t i = q->box0; i < q->box0 + q->nr_boxes; i++) {
		if (p->boxes[i].state == SCAN_BOX_UNCERTAIN)
			d += 1;
		else if (p->boxes[i].state == SCAN_BOX_TICKED)
			ticked++;
	}
	if (ticked > 1 && q->q && q->q->type != SURVEY_Q_MULTI)
		d += 0.5 * (double)(ticked - 1);
	if (q->text >= 0 && p->texts[q->text].state == SCAN_TEXT_UNCERTAIN)
		d += 0.5;
	return d;
}

/* What a person sees pre-filled: the clear reading, or the boxes ticked. */
static void prefill(const struct scan_page *p, const struct scan_question *q,
		    struct strbuf *out)
{
	if (q->status == SCAN_CLEAR) {
		scan_question_answer(q, out);
		return;
	}
	for (size_t i = q->box0; i < q->box0 + q->nr_boxes; i++)
		if (p->boxes[i].state == SCAN_BOX_TICKED &&
		    p->boxes[i].kind != RENDER_BOX_DIGIT &&
		    p->boxes[i].kind != RENDER_BOX_SIGN) {
			if (out->len)
				strbuf_addch(out, '+');
			strbuf_addstr(out, p->boxes[i].value);
		}
}

int scan_intake_page(struct store *st, const struct survey *s,
		     const struct scan_page *p, const struct scan_image *img,
		     const char *reason, const char *source,
		     const char *image_hash, enum store_scan_result *res,
		     struct strbuf *err)
{
	struct store_scan_page sp = {
		.page = p->page,
		.layout_id = *p->layout_id ? p->layout_id : NULL,
		.source = source,
		.image_hash = image_hash,
	};
	struct store_scan_question *qs = NULL;
	struct strbuf *readings = NULL, *crops = NULL, json = STRBUF_INIT;
	size_t n = 0;
	int ret = STORE_ERROR;

	if (p->refusal != SCAN_READ) {
		sp.refusal = scan_refusal_name(p->refusal);
		sp.reason = reason;
		return store_scan_record(st, s, &sp, res, err);
	}
	sp.code = p->code;
	sp.of_pages = (unsigned)p->layout->nr_pages;
	scan_page_json(p, &json);
	sp.reading = json.buf;
	n = p->nr_questions;
	qs = xcalloc(n ? n : 1, sizeof(*qs));
	readings = xcalloc(n ? n : 1, sizeof(*readings));
	crops = xcalloc(n ? n : 1, sizeof(*crops));
	for (size_t i = 0; i < n; i++) {
		const struct scan_question *q = &p->questions[i];

		strbuf_init(&readings[i], 0);
		strbuf_init(&crops[i], 0);
		prefill(p, q, &readings[i]);
		if (q->status == SCAN_REVIEW &&
		    scan_page_crop_png(p, img, &q->r, 2.0, &crops[i], err) < 0)
			goto out;
		qs[i].question_id = q->id;
		qs[i].clear = q->status == SCAN_CLEAR;
		qs[i].reading = readings[i].buf;
		qs[i].reason = q->reason;
		qs[i].doubt = doubt(p, q);
		qs[i].crop = crops[i].len ? crops[i].buf : NULL;
		qs[i].crop_len = crops[i].len;
	}
	sp.questions = qs;
	sp.nr_questions = n;
	ret = store_scan_record(st, s, &sp, res, err);
out:
	for (size_t i = 0; i < n; i++) {
		strbuf_release(&readings[i]);
		strbuf_release(&crops[i]);
	}
	free(readings);
	free(crops);
	free(qs);
	strbuf_release(&json);
	return ret;
}

int scan_intake_layouts_make(const struct survey *s,
			     struct scan_intake_layouts *l, struct strbuf *err)
{
	memset(l, 0, sizeof(*l));
	if (!s->base_url) {
		strbuf_addstr(err, "the survey has no base_url, so its forms "
				   "carry no QR code to read");
		return -1;
	}
	l->v = xcalloc(SURVEY_NLANG * (s->nr_buurten + 1), sizeof(*l->v));
	for (int lang = 0; lang < SURVEY_NLANG; lang++) {
		if (!s->languages[lang])
			continue;
		for (size_t b = 0; b < s->nr_buurten; b++) {
			l->v[l->nr] = render_layout_new(s, &s->buurten[b], lang,
							s->base_url, err);
			if (!l->v[l->nr]) {
				scan_intake_layouts_release(l);
				return -1;
			}
			scan_layouts_add(&l->set, l->v[l->nr++]);
		}
	}
	return 0;
}

void scan_intake_layouts_release(struct scan_intake_layouts *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nr; i++)
		render_layout_free(l->v[i]);
	free(l->v);
	scan_layouts_release(&l->set);
	memset(l, 0, sizeof(*l));
}

void scan_intake_image_hash(const struct scan_image *img, char out[33])
{
	crypto_generichash_state h;
	unsigned char d[16];

	crypto_generichash_init(&h, NULL, 0, sizeof(d));
	for (int y = 0; y < img->h; y++)
		crypto_generichash_update(&h, img->px + (size_t)y * img->stride,
					  (size_t)img->w);
	crypto_generichash_final(&h, d, sizeof(d));
	sodium_bin2hex(out, 33, d, sizeof(d));
}
