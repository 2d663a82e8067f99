/*
 * workbook.c - the answers for Excel (see workbook.h).
 */
#include "workbook.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "msg.h"
#include "report.h"
#include "banned.h"

/* "Vraag 3: Welke kleur?" */
static void question_title(const struct survey_question *q, size_t nr,
			   enum survey_lang lang, struct strbuf *out)
{
	char n[24];

	snprintf(n, sizeof(n), "%zu", nr);
	msg_add(out, lang, MSG_WORKBOOK_QUESTION_N, n,
		survey_text_get(&q->text, lang));
}

/* part of whole in percent, with one decimal: "42,3" or "42.3". */
static void percent(uint64_t part, uint64_t whole, enum survey_lang lang,
		    struct strbuf *out)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.1f",
		 whole ? 100.0 * (double)part / (double)whole : 0.0);
	if (lang != SURVEY_EN)
		for (char *p = buf; *p; p++)
			if (*p == '.')
				*p = ',';
	strbuf_addstr(out, buf);
}

static const char *buurt_name(const struct analysis_counts *c, size_t b,
			      enum survey_lang lang)
{
	return b < c->nr_buurten ? c->s->buurten[b].name
				 : msg_get(lang, MSG_WORKBOOK_ALL_BUURTEN);
}

void analysis_workbook_csv(const struct analysis_counts *c,
			   enum survey_lang lang, struct strbuf *out)
{
	struct strbuf cell = STRBUF_INIT;

	strbuf_addstr(out, "\xEF\xBB\xBF");
	strbuf_add_csv(out, msg_get(lang, MSG_WORKBOOK_QUESTION), ';');
	strbuf_addch(out, ';');
	strbuf_add_csv(out, msg_get(lang, MSG_WORKBOOK_ANSWER), ';');
	for (size_t b = 0; b <= c->nr_buurten; b++) {
		strbuf_reset(&cell);
		msg_add(&cell, lang, MSG_WORKBOOK_COUNT_IN,
			buurt_name(c, b, lang));
		strbuf_addch(out, ';');
		strbuf_add_csv(out, cell.buf, ';');
		strbuf_reset(&cell);
		msg_add(&cell, lang, MSG_WORKBOOK_SHARE_IN,
			buurt_name(c, b, lang));
		strbuf_addch(out, ';');
		strbuf_add_csv(out, cell.buf, ';');
	}
	strbuf_addstr(out, "\r\n");
	for (size_t i = 0; i < c->nr_questions; i++) {
		const struct analysis_qcounts *qc = &c->questions[i];

		for (size_t v = 0; v < qc->nr_values; v++) {
			strbuf_reset(&cell);
			question_title(qc->q, i + 1, lang, &cell);
			strbuf_add_csv(out, cell.buf, ';');
			strbuf_addch(out, ';');
			strbuf_add_csv(out,
				       analysis_value_label(qc->q,
							    qc->values[v].value,
							    lang),
				       ';');
			for (size_t b = 0; b <= c->nr_buurten; b++) {
				strbuf_addf(
					out, ";%llu;",
					(unsigned long long)qc->values[v].n[b]);
				percent(qc->values[v].n[b], qc->answered[b],
					lang, out);
			}
			strbuf_addstr(out, "\r\n");
		}
	}
	strbuf_release(&cell);
}

/* ---- the workbook ------------------------------------------------------- */

struct book {
	lxw_workbook *wb;
	lxw_format *bold, *wrap, *pct, *title;
	enum survey_lang lang;
};

static void overview(struct book *bk, const struct analysis *an,
		     const struct analysis_counts *c)
{
	lxw_worksheet *ws = workbook_add_worksheet(
		bk->wb, msg_get(bk->lang, MSG_WORKBOOK_SHEET_OVERVIEW));
	enum survey_lang lang = bk->lang;
	struct strbuf sb = STRBUF_INIT;
	lxw_row_t r = 0;

	worksheet_set_column(ws, 0, 0, 28, NULL);
	worksheet_set_column(ws, 1, 4, 16, NULL);
	worksheet_write_string(ws, r++, 0, survey_text_get(&an->s->title, lang),
			       bk->title);
	worksheet_write_string(ws, r++, 0, an->s->organisation, NULL);
	msg_date(&sb, lang, an->today, 0);
	strbuf_addf(&sb, " (%s)", an->today);
	worksheet_write_string(ws, r++, 0, sb.buf, NULL);
	r++;
	worksheet_write_string(ws, r, 0, msg_get(lang, MSG_WORKBOOK_BUURT),
			       bk->bold);
	worksheet_write_string(ws, r, 1, msg_get(lang, MSG_WORKBOOK_HOUSEHOLDS),
			       bk->bold);
	worksheet_write_string(ws, r, 2, msg_get(lang, MSG_WORKBOOK_RESPONSES),
			       bk->bold);
	worksheet_write_string(ws, r++, 3,
			       msg_get(lang, MSG_WORKBOOK_RESPONSE_RATE),
			       bk->bold);
	for (size_t b = 0; b < an->s->nr_buurten; b++, r++) {
		uint64_t hh = an->buurten[b].households;

		worksheet_write_string(ws, r, 0, an->s->buurten[b].name, NULL);
		worksheet_write_number(ws, r, 1, (double)hh, NULL);
		worksheet_write_number(ws, r, 2, (double)c->responses[b], NULL);
		if (hh)
			worksheet_write_number(
				ws, r, 3, (double)c->responses[b] / (double)hh,
				bk->pct);
	}
	r++;
	for (size_t i = 0; i < an->nr_questions; i++) {
		const struct analysis_question *aq = &an->questions[i];

		worksheet_write_string(ws, r++, 0,
				       survey_text_get(&aq->q->text, lang),
				       bk->bold);
		for (size_t b = 0; b < an->s->nr_buurten; b++, r++) {
			worksheet_write_string(ws, r, 0, an->s->buurten[b].name,
					       NULL);
			worksheet_write_string(
				ws, r, 1,
				analysis_verdict_words(
					aq->cells[b].outcome.verdict, lang),
				NULL);
		}
		if (aq->has_overall) {
			worksheet_write_string(
				ws, r, 0,
				msg_get(lang, MSG_WORKBOOK_ALL_BUURTEN),
				bk->bold);
			worksheet_write_string(
				ws, r++, 1,
				analysis_verdict_words(aq->overall, lang),
				bk->bold);
		}
		r++;
	}
	strbuf_release(&sb);
}

static void answers(struct book *bk, const struct analysis_counts *c)
{
	lxw_worksheet *ws = workbook_add_worksheet(
		bk->wb, msg_get(bk->lang, MSG_WORKBOOK_SHEET_ANSWERS));
	enum survey_lang lang = bk->lang;
	struct strbuf sb = STRBUF_INIT;
	lxw_row_t r = 0;

	worksheet_set_column(ws, 0, 0, 44, bk->wrap);
	worksheet_set_column(ws, 1, 1, 28, bk->wrap);
	worksheet_set_column(ws, 2, (lxw_col_t)(2 + 2 * c->nr_buurten + 1), 12,
			     NULL);
	worksheet_write_string(ws, r, 0, msg_get(lang, MSG_WORKBOOK_QUESTION),
			       bk->bold);
	worksheet_write_string(ws, r, 1, msg_get(lang, MSG_WORKBOOK_ANSWER),
			       bk->bold);
	for (size_t b = 0; b <= c->nr_buurten; b++) {
		strbuf_reset(&sb);
		msg_add(&sb, lang, MSG_WORKBOOK_COUNT_IN,
			buurt_name(c, b, lang));
		worksheet_write_string(ws, r, (lxw_col_t)(2 + 2 * b), sb.buf,
				       bk->bold);
		strbuf_reset(&sb);
		msg_add(&sb, lang, MSG_WORKBOOK_SHARE_IN,
			buurt_name(c, b, lang));
		worksheet_write_string(ws, r, (lxw_col_t)(3 + 2 * b), sb.buf,
				       bk->bold);
	}
	worksheet_freeze_panes(ws, 1, 2);
	r++;
	for (size_t i = 0; i < c->nr_questions; i++) {
		const struct analysis_qcounts *qc = &c->questions[i];

		strbuf_reset(&sb);
		question_title(qc->q, i + 1, lang, &sb);
		for (size_t v = 0; v < qc->nr_values; v++, r++) {
			worksheet_write_string(ws, r, 0, sb.buf, NULL);
			worksheet_write_string(
				ws, r, 1,
				analysis_value_label(qc->q, qc->values[v].value,
						     lang),
				NULL);
			for (size_t b = 0; b <= c->nr_buurten; b++) {
				uint64_t n = qc->values[v].n[b];

				worksheet_write_number(ws, r,
						       (lxw_col_t)(2 + 2 * b),
						       (double)n, NULL);
				if (qc->answered[b])
					worksheet_write_number(
						ws, r, (lxw_col_t)(3 + 2 * b),
						(double)n /
							(double)qc->answered[b],
						bk->pct);
			}
		}
	}
	strbuf_release(&sb);
}

static void texts(struct book *bk, const struct analysis_counts *c)
{
	lxw_worksheet *ws = workbook_add_worksheet(
		bk->wb, msg_get(bk->lang, MSG_WORKBOOK_SHEET_TEXTS));
	enum survey_lang lang = bk->lang;
	struct strbuf sb = STRBUF_INIT;
	lxw_row_t r = 0;

	worksheet_set_column(ws, 0, 0, 40, bk->wrap);
	worksheet_set_column(ws, 1, 1, 80, bk->wrap);
	worksheet_write_string(
		ws, r++, 0, msg_get(lang, MSG_WORKBOOK_TEXTS_NOTE), bk->wrap);
	r++;
	for (size_t i = 0; i < c->nr_questions; i++) {
		const struct analysis_qcounts *qc = &c->questions[i];

		strbuf_reset(&sb);
		question_title(qc->q, i + 1, lang, &sb);
		for (size_t t = 0; t < qc->nr_texts; t++, r++) {
			worksheet_write_string(ws, r, 0, sb.buf, NULL);
			worksheet_write_string(ws, r, 1, qc->texts[t], NULL);
		}
	}
	strbuf_release(&sb);
}

int analysis_workbook_xlsx(const struct analysis *an,
			   const struct analysis_counts *c,
			   enum survey_lang lang, const char *path,
			   struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	struct book bk = { .lang = lang };
	lxw_error rc;
	int ret = -1;

	strbuf_addf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	bk.wb = workbook_new(tmp.buf);
	if (!bk.wb) {
		strbuf_addf(err, "cannot write %s", tmp.buf);
		goto out;
	}
	bk.bold = workbook_add_format(bk.wb);
	format_set_bold(bk.bold);
	bk.title = workbook_add_format(bk.wb);
	format_set_bold(bk.title);
	format_set_font_size(bk.title, 14);
	bk.wrap = workbook_add_format(bk.wb);
	format_set_text_wrap(bk.wrap);
	bk.pct = workbook_add_format(bk.wb);
	format_set_num_format(bk.pct, "0.0%");
	overview(&bk, an, c);
	answers(&bk, c);
	texts(&bk, c);
	rc = workbook_close(bk.wb);
	if (rc != LXW_NO_ERROR) {
		strbuf_addf(err, "cannot write %s: %s", path, lxw_strerror(rc));
		unlink(tmp.buf);
		goto out;
	}
	if (rename(tmp.buf, path) < 0) {
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp.buf);
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&tmp);
	return ret;
}
