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
};

/*
 * Import the address list at path (comma-, semicolon- or tab-separated,
 * with a header naming the columns; see docs/households.md) into the
 * store of survey s.  Without update, an address already in the store is
 * a problem; with update (a newer extract of the same list) it is kept
 * as it is, code and all, and only new addresses are added.  Every
 * problem is reported in dl with its line, and then nothing is imported.
 * Returns 0 and fills *res, or -1.
 */
int survey_households_import(struct store *st, const struct survey *s,
			     const char *path, bool update,
			     struct diag_list *dl,
			     struct survey_import_result *res);

#endif
