/*
 * lang.c - language codes (see lang.h).
 */
#include "lang.h"

#include <strings.h>

#include "banned.h"

const char *survey_lang_code(enum survey_lang lang)
{
	return lang == SURVEY_EN ? "en" : "nl";
}

int survey_lang_parse(const char *code, enum survey_lang *lang)
{
	if (!strcasecmp(code, "nl"))
		*lang = SURVEY_NL;
	else if (!strcasecmp(code, "en"))
		*lang = SURVEY_EN;
	else
		return -1;
	return 0;
}
