/*
 * report_pdf.h - the analysis as a PDF report for the bewonersorganisatie
 * and the municipal council.
 *
 * For someone who never saw a spreadsheet: a front page with, per
 * proposition, the decision in big words and one sentence, and a small
 * table of the buurten; then a page per proposition and buurt (and for
 * the buurten together when they are pooled) with the verdict, the
 * reasons in plain sentences, the charts of chart.h (the answers, the
 * response against the quorum, the share in favour against the threshold
 * with its interval, the channels), the agreement in words with who
 * agreed it and when, and a short audit.  Honest about uncertainty: the
 * front page says how many households did not answer and that they may
 * think differently; the interval comes with the same caveat.  Dutch
 * numbers in Dutch (42,3%), English with --lang en.
 */
#ifndef DRAAGVLAK_REPORT_PDF_H
#define DRAAGVLAK_REPORT_PDF_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"
#include "lang.h"
#include "audit.h"
#include "strbuf.h"

/*
 * The audit of buurt b (b < 0: the buurten together) as at most max
 * sentences, one per strbuf of sb: changed answers, paper forms waiting
 * for their second entry or differing, scanned forms waiting for review
 * or missing a page, numbered forms handed out.
 * Returns how many it filled.  The PDF report and the board's dashboard
 * say them alike.
 */
size_t analysis_audit_sentences(const struct analysis *an,
				const struct store_audit *au, long b,
				enum survey_lang lang, struct strbuf *sb,
				size_t max);
/*
 * The refused codes of the whole survey in one sentence; false and
 * nothing appended when there were none.
 */
bool analysis_audit_rejections(const struct store_audit *au,
			       enum survey_lang lang, struct strbuf *out);

/*
 * Write the report of an in lang to path (A4), through a temporary file
 * in the same folder renamed when complete.  au may be NULL: no audit
 * section.  Returns 0, or -1 with a sentence in err and nothing left at
 * path or beside it.
 */
int analysis_report_pdf(const struct analysis *an, const struct store_audit *au,
			enum survey_lang lang, const char *path,
			struct strbuf *err);

/*
 * The decision on proposition aq in one sentence, as on the front page:
 * "Er is onvoldoende draagvlak voor deze stelling: 1 van de 3 buurten
 * heeft voldoende draagvlak, en alle buurten moeten slagen."
 */
void analysis_decision_sentence(const struct analysis *an,
				const struct analysis_question *aq,
				enum survey_lang lang, struct strbuf *out);

#endif
