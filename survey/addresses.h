/*
 * addresses.h - importing an address list (a CSV in the columns of a BAG
 * extract) as the households of a survey; see store/households.h for
 * the households themselves.
 */
#ifndef DRAAGVLAK_SURVEY_ADDRESSES_H
#define DRAAGVLAK_SURVEY_ADDRESSES_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "store.h"
#include "survey.h"
#include "token.h"

struct survey_import_result {
	size_t added; /* new households, each with a new code */
	size_t kept;  /* addresses already in the store (with update) */
	bool from_windows_1252; /* read as Windows-1252 and converted */
	size_t blank_rows;	/* ";;;;;;" rows skipped */
};

/*
 * Import the address list at path (comma-, semicolon- or tab-separated,
 * with a header naming the columns; see docs/households.md) into the
 * store of survey s.  Without update, an address already in the store is
 * a problem; with update (a newer extract of the same list) it is kept
 * as it is, code and all, and only new addresses are added.  Every
 * problem is reported in dl with its line, and then nothing is imported.
 * Returns 0 and fills *res, or -1.
 *
 * A file that is not UTF-8 and holds no UTF-8 is read as Windows-1252
 * (Excel's default) and converted.  Blank rows are skipped; buurt ids
 * match without regard to case; a problem that repeats is reported once,
 * at its first line, naming the others; a field holding a line break or
 * running to the end of the file (a stray quote) is refused.
 */
int survey_households_import(struct store *st, const struct survey *s,
			     const char *path, bool update,
			     struct diag_list *dl,
			     struct survey_import_result *res);
/* The same, with the problems in lang (the plain function: English). */
int survey_households_import_lang(struct store *st, const struct survey *s,
				  const char *path, bool update,
				  enum survey_lang lang, struct diag_list *dl,
				  struct survey_import_result *res);
/*
 * The same for a list already in memory: the len bytes at buf (need not
 * end with a NUL, may hold any bytes), named in problems as the list.
 * The two above read their file and call this; public for
 * fuzz/fuzz_addresses.c.
 */
int survey_households_import_buffer(struct store *st, const struct survey *s,
				    const char *buf, size_t len, bool update,
				    enum survey_lang lang, struct diag_list *dl,
				    struct survey_import_result *res);

#endif
