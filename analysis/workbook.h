/*
 * workbook.h - the answers to every question for a Dutch board's own
 * spreadsheet: an Excel workbook (libxlsxwriter), and a CSV that Excel
 * opens as it is in a Dutch setting (';' between fields, a decimal comma,
 * UTF-8 with a byte-order mark, Dutch headers).  The CSV and JSON of
 * report.h and export.h stay as they are, for programs.
 *
 * The workbook has an overview (responses per buurt, the verdict on each
 * proposition), the counts and shares of every answer per buurt, and the
 * free texts by question in alphabetical order with a note on care: no
 * address, no code, no order that says who answered.
 */
#ifndef DRAAGVLAK_WORKBOOK_H
#define DRAAGVLAK_WORKBOOK_H

#include <stdio.h>

#include "analysis.h"
#include "lang.h"
#include "questions.h"
#include "strbuf.h"

/*
 * Write the workbook of an and c in lang to path, through a temporary
 * file renamed when complete.  Returns 0, or -1 with a sentence in err
 * and nothing left at path.
 */
int analysis_workbook_xlsx(const struct analysis *an,
			   const struct analysis_counts *c,
			   enum survey_lang lang, const char *path,
			   struct strbuf *err);

/* The counts and shares of every answer as a CSV for Excel, to out. */
void analysis_workbook_csv(const struct analysis_counts *c,
			   enum survey_lang lang, struct strbuf *out);

#endif
