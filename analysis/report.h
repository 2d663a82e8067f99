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

/*
 * Where the survey stands ("De peiling loopt van ... en is nog open: de
 * uitslag kan nog veranderen.") and how the buurten decide, sep between
 * the two sentences.  The text report and the PDF say it alike.
 */
void analysis_format_phase(const struct analysis *an, enum survey_lang lang,
			   const char *sep, struct strbuf *out);

/* "20 april 2027" / "20 April 2027" for a YYYY-MM-DD date. */
void analysis_format_date(const char *date, enum survey_lang lang,
			  struct strbuf *out);
/* part/whole as a percentage with one decimal: "42,3%" (nl), "42.3%". */
void analysis_format_percent(uint64_t part, uint64_t whole,
			     enum survey_lang lang, struct strbuf *out);

/*
 * part/whole beside the threshold t it is held against (NULL or unset:
 * as analysis_format_percent()): one decimal, or as many as it takes not
 * to show 2 of 3 as "66,7%" next to "nodig: minstens 66,7% (niet
 * gehaald)".  Every page, PDF and text that shows a share and its
 * threshold together uses this.
 */
void analysis_format_percent_vs(uint64_t part, uint64_t whole,
				const struct agreement_threshold *t,
				enum survey_lang lang, struct strbuf *out);

/* A share of 0..1 as "52,1%" (nl) or "52.1%": interval ends. */
void analysis_format_fraction(double v, enum survey_lang lang,
			      struct strbuf *out);
/* A confidence level in permille as "95%" or "99,5%" (nl). */
void analysis_format_confidence(uint32_t permille, enum survey_lang lang,
				struct strbuf *out);
/* "minstens 30%", "meer dan 50%", or "geen eis" for an unset threshold. */
void analysis_format_needed(const struct agreement_threshold *t,
			    enum survey_lang lang, struct strbuf *out);
/* What the share in favour is of: "32 van de 47 stemmen". */
void analysis_format_share_basis(const struct agreement *a,
				 const struct analysis_outcome *o,
				 enum survey_lang lang, struct strbuf *out);
/* "voor", "tegen", ... and "online", "papier", "scan" for people. */
const char *analysis_kind_words(enum analysis_kind k, enum survey_lang lang);
const char *analysis_channel_words(enum analysis_channel c,
				   enum survey_lang lang);
/*
 * While the survey is open, whether the outcome of c is already decided,
 * as one sentence ("Nog niet beslist: de 90 huishoudens ..."); returns
 * false and appends nothing once it has closed.
 */
bool analysis_format_decided(const struct analysis *an,
			     const struct analysis_cell *c,
			     enum survey_lang lang, struct strbuf *out);
/*
 * While the survey is open, how far c is from another outcome, as
 * sentences joined by a space: how many more answers the quorum needs
 * ("Nog 12 antwoorden nodig voor de opkomstdrempel.") and how many more
 * votes in favour (or against) would turn the verdict ("Met nog 8 stemmen
 * voor wordt het voldoende draagvlak.").  Returns false and appends
 * nothing once it has closed or when neither applies (the quorum is met
 * and the outcome is decided).
 */
bool analysis_format_still_needed(const struct analysis *an,
				  const struct analysis_cell *c,
				  enum survey_lang lang, struct strbuf *out);
/*
 * The reasons for a verdict as sentences of the text report, without
 * indent or newline.  Response: "Respons 36,6% (52 van 142 huishoudens,
 * volgens de adressen); nodig: minstens 30% (gehaald)" (ab may be NULL:
 * the buurten together).  Favour: "Voor: 68,1% (32 van de 47 stemmen);
 * nodig: meer dan 50% (gehaald)".
 */
void analysis_format_response_reason(const struct agreement *a,
				     const struct analysis_cell *c,
				     const struct analysis_buurt *ab,
				     enum survey_lang lang, struct strbuf *out);
void analysis_format_favour_reason(const struct agreement *a,
				   const struct analysis_cell *c,
				   enum survey_lang lang, struct strbuf *out);
/*
 * The margin: "Met 95% zekerheid ligt het aandeel voor in de hele buurt
 * tussen 54,0% en 79,5%.", or that the share is exact; false and nothing
 * appended when the agreement names no confidence level or there is no
 * interval.
 */
bool analysis_format_margin(const struct agreement *a,
			    const struct analysis_outcome *o,
			    enum survey_lang lang, struct strbuf *out);
/* Why a verdict is too close to call; false unless it is. */
bool analysis_format_too_close(const struct analysis_outcome *o,
			       enum survey_lang lang, struct strbuf *out);
/*
 * "Afgesproken met Buurtvereniging X op 9 februari 2027." Returns false
 * and appends nothing when the agreement says neither with whom nor when.
 */
bool analysis_format_agreed(const struct agreement *a, enum survey_lang lang,
			    struct strbuf *out);

#endif
