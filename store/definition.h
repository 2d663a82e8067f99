/*
 * definition.h - the survey definition in the store: the YAML text as
 * the board wrote it (so every later command needs only the store), and
 * the buurten, questions and options that answers and households refer
 * to.
 *
 * Invariants: meta 'survey_id' names the one survey of the file, and
 * 'definition' holds its YAML; buurt, question and option hold exactly
 * what that definition declares.  Once a response exists, a new
 * definition may change only what leaves every stored answer valid, and
 * never the agreement: it was made with the residents before anyone
 * answered.
 */
#ifndef DRAAGVLAK_STORE_DEFINITION_H
#define DRAAGVLAK_STORE_DEFINITION_H

#include <stdbool.h>

#include "store.h"
#include "strbuf.h"
#include "survey.h"

/* What store_definition_apply() did, for the user. */
struct store_changes {
	bool created; /* the store was empty */
	unsigned questions_added, questions_removed, questions_changed;
	unsigned buurten_added, buurten_removed, buurten_changed;
	bool agreement_changed;
	bool texts_changed; /* nothing above: only wording, dates, settings */
};

/*
 * Make the store hold the survey s, whose definition text is yaml.  On an
 * empty store this creates everything.  On a store of the same survey it
 * updates: freely while no response exists, and otherwise only in ways
 * that leave every stored answer valid and the agreement untouched.
 * Buurten that have households cannot be removed.  All or nothing:
 * returns STORE_OK; STORE_REFUSED with the reasons in err (for the
 * board: they name what stands in the way) and the store unchanged; or
 * STORE_ERROR.
 */
int store_definition_apply(struct store *st, const struct survey *s,
			   const char *yaml, struct store_changes *changes,
			   struct strbuf *err);

/*
 * Load the survey stored in st (parsing the stored definition again).
 * Returns it (free with survey_free()), or NULL with a sentence in err.
 */
struct survey *store_definition_load(struct store *st, struct strbuf *err);

/*
 * The stored definition text (caller frees), or NULL when there is
 * none or the store failed.
 */
char *store_definition_yaml(struct store *st);

#endif
