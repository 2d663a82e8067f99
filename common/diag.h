/*
 * diag.h - a list of diagnostics about input that people wrote.
 *
 * A board member who made five mistakes in a survey definition, or a CSV
 * with a dozen bad lines, wants to see all of them in one run, each with
 * the place to look.  Parsers therefore do not stop at the first problem:
 * they add to a diag_list and carry on, and the caller prints the list as
 *
 *     FILE:LINE:COLUMN: message
 *     FILE:LINE:COLUMN: warning: message
 *
 * sorted by position.  Lines and columns are 1-based, as editors show them;
 * 0 means "not known" and is left out of the output; diagnostics without
 * a line are about the whole input and come last.
 */
#ifndef DRAAGVLAK_DIAG_H
#define DRAAGVLAK_DIAG_H

#include <stdio.h>

#include "strbuf.h"

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag {
	enum diag_level level;
	int line;
	int column;
	char *msg;
};

struct diag_list {
	char *file; /* the input's name as the user gave it */
	/*
	 * The word before a warning's message, in the reader's language
	 * ("let op"); NULL, as diag_list_init() leaves it, for "warning".
	 * Not owned: a catalogue text or a literal.
	 */
	const char *warning_label;
	struct diag *items;
	size_t nr;
	size_t alloc;
	size_t errors;
	size_t warnings;
};

/* Start an empty list about file (copied). */
void diag_list_init(struct diag_list *dl, const char *file);
/* Free everything; NULL is fine.  The list may be initialised again. */
void diag_list_release(struct diag_list *dl);

void diag_error(struct diag_list *dl, int line, int column, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));
void diag_warning(struct diag_list *dl, int line, int column, const char *fmt,
		  ...) __attribute__((format(printf, 4, 5)));

/* Sort by position (stable) and write every diagnostic, one per line. */
void diag_list_print(struct diag_list *dl, FILE *out);
/* Append the diagnostics as printed to sb. */
void diag_list_format(struct diag_list *dl, struct strbuf *sb);

#endif
