/*
 * fuzz_form.c - libFuzzer harness for what the server makes of a POST
 * body: the urlencoded split and decode (server_parse_body, server/http.c)
 * and the answers read from the fields against the Dorst sample survey
 * (server_fields_answers, server/fields.c), as online and as paper form.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fields.h"
#include "http.h"
#include "survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct survey *survey;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct server_request req;
	struct survey_answers answers = SURVEY_ANSWERS_INIT;
	char **errors;

	if (!survey) {
		struct diag_list dl;

		diag_list_init(&dl, FUZZ_SURVEY);
		survey = survey_load(FUZZ_SURVEY, &dl);
		diag_list_release(&dl);
		if (!survey)
			abort();
	}
	memset(&req, 0, sizeof(req));
	req.post = true;
	strbuf_init(&req.body, size);
	strbuf_add(&req.body, data, size);
	if (server_parse_body(&req) == 0) {
		errors = calloc(survey->nr_questions + 1, sizeof(*errors));
		for (int paper = 0; paper < 2; paper++) {
			server_fields_answers(&req, survey, paper, SURVEY_NL,
					      &answers, errors);
			server_errors_free(errors, survey->nr_questions);
			survey_answers_release(&answers);
		}
		free(errors);
	}
	free(req.fields);
	strbuf_release(&req.body);
	return 0;
}
