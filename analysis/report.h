/*
 * report.h - the analysis for people and for programs.
 *
 * The text report is for a board member who never saw a spreadsheet: a
 * small table per question, then per buurt the verdict in full words with
 * the reason in a sentence (the share, the threshold, the agreement as
 * agreed and with whom), whether it is already decided, and when asked the
 * statistical margin with its caveat.  CSV (RFC 4180, one row per question
 * and buurt, plus the total and the overall decision) and JSON carry the
 * same numbers for further use.
 */
#ifndef DRAAGVLAK_REPORT_H
#define DRAAGVLAK_REPORT_H

#include "analysis.h"
#include "lang.h"
#include "strbuf.h"

enum analysis_format { ANALYSIS_TEXT, ANALYSIS_CSV, ANALYSIS_JSON };

/* "text", "csv", "json" into *f; returns 0, or -1 for anything else. */
int analysis_parse_format(const char *name, enum analysis_format *f);

/*
 * Append the report of an in format f to out.  lang chooses the labels
 * and sentences of the text report, and the verdict words in CSV and
 * JSON (whose keys and codes are always English).
 */
void analysis_report(const struct analysis *an, enum analysis_format f,
		     enum survey_lang lang, struct strbuf *out);

/* "20 april 2027" / "20 April 2027" for a YYYY-MM-DD date. */
void analysis_format_date(const char *date, enum survey_lang lang,
			  struct strbuf *out);
/* part/whole as a percentage with one decimal: "42,3%" (nl), "42.3%". */
void analysis_format_percent(uint64_t part, uint64_t whole,
			     enum survey_lang lang, struct strbuf *out);

#endif
