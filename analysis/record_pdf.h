/*
 * record_pdf.h - the count record (proces-verbaal) as a PDF: what the
 * counters, the board and an independent observer sign after closing.
 *
 * Per proposition and buurt the counts by channel and the verdict; the
 * decision over the buurten; the agreement quoted in full (with whom and
 * when it was agreed, and how the buurten decide); the audit (changed
 * answers, replaced codes, forms entered twice, scans reviewed, what is
 * still waiting); the fingerprint (record.h) with what it covers; and
 * lines for the names and signatures of two counters and an observer.
 */
#ifndef DRAAGVLAK_RECORD_PDF_H
#define DRAAGVLAK_RECORD_PDF_H

#include "analysis.h"
#include "audit.h"
#include "lang.h"
#include "lifecycle.h"
#include "record.h"
#include "strbuf.h"

struct analysis_record_doc {
	const struct analysis *an;
	const struct store_audit *au;	       /* refused codes */
	const struct store_life_audit *life;   /* the rest of the audit */
	const struct store_lifecycle *lc;      /* when closed, by whom */
	const struct store_count_record *kept; /* number, date, fingerprint */
	const struct analysis_record *rec;     /* rows and scans covered */
	enum survey_lang lang;
};

/*
 * Write the record to path (A4) through a temporary file renamed when
 * complete.  0, or -1 with err and nothing left at path.
 */
int analysis_record_pdf(const struct analysis_record_doc *doc, const char *path,
			struct strbuf *err);

#endif
