/*
 * fuzz_definition.c - libFuzzer harness for the survey definition parser
 * (survey_load_buffer): any bytes give a survey or diagnostics, never a
 * crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list dl;
	struct survey *s;

	diag_list_init(&dl, "fuzz.yaml");
	s = survey_load_buffer("fuzz.yaml", (const char *)data, size, &dl);
	survey_free(s);
	diag_list_release(&dl);
	return 0;
}
