/*
 * fuzz_addresses.c - libFuzzer harness for the address import (the CSV a
 * board uploads or `draagvlak households` reads): detecting
 * Windows-1252, guessing the separator, libcsv's quoting, the header and
 * every row's checks, and the households it adds (survey/addresses.c,
 * survey_households_import_buffer).  Against the Dorst sample survey in
 * a store in memory; every input is imported inside a transaction that
 * is rolled back afterwards, so each starts from the same empty list.
 * The same bytes are then imported a second time as an update, which
 * takes the paths for addresses already in the store.
 */
#include <stdint.h>
#include <stdlib.h>

#include "addresses.h"
#include "definition.h"
#include "diag.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct survey *survey;
static struct store *store;

/* The sample survey in a fresh store in memory, once. */
static void setup(void)
{
	struct strbuf yaml = STRBUF_INIT, err = STRBUF_INIT;
	struct diag_list dl;

	diag_list_init(&dl, FUZZ_SURVEY);
	if (strbuf_read_file(&yaml, FUZZ_SURVEY) < 0)
		abort();
	survey = survey_load_buffer(FUZZ_SURVEY, yaml.buf, yaml.len, &dl);
	diag_list_release(&dl);
	store = store_open(":memory:", STORE_CREATE, &err);
	if (!survey || !store ||
	    store_definition_apply(store, survey, yaml.buf, NULL, &err) !=
		    STORE_OK)
		abort();
	strbuf_release(&yaml);
	strbuf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct survey_import_result res;

	if (!store)
		setup();
	if (store_begin(store, &err) != STORE_OK)
		abort();
	for (int update = 0; update < 2; update++) {
		struct diag_list dl;

		diag_list_init(&dl, "adressen.csv");
		survey_households_import_buffer(store, survey,
						(const char *)data, size,
						update, SURVEY_NL, &dl, &res);
		diag_list_release(&dl);
	}
	store_rollback(store);
	/* Nothing may be left open for the next input. */
	if (store_depth(store) != 0)
		abort();
	strbuf_release(&err);
	return 0;
}
