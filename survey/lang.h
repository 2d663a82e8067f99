/*
 * lang.h - the languages residents and boards read draagvlak in.
 *
 * Dutch is the default everywhere; English is optional per survey.
 */
#ifndef DRAAGVLAK_LANG_H
#define DRAAGVLAK_LANG_H

enum survey_lang { SURVEY_NL = 0, SURVEY_EN = 1, SURVEY_NLANG };

/* "nl" or "en". */
const char *survey_lang_code(enum survey_lang lang);
/* 0 and the language for "nl"/"en" (any case), -1 otherwise. */
int survey_lang_parse(const char *code, enum survey_lang *lang);

#endif
