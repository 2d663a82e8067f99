/*
 * lang.h - the languages residents, volunteers and boards read draagvlak
 * in.
 *
 * Dutch is the default everywhere and English is always there; both are
 * built in from messages/nl.msg and messages/en.msg.  Further languages
 * (Frisian villages have their dorpsbelangen too) are one file each,
 * loaded at start-up (msg.h): a language is an index, 0 and 1 being
 * Dutch and English, the others in the order they were loaded.
 */
#ifndef DRAAGVLAK_LANG_H
#define DRAAGVLAK_LANG_H

enum survey_lang { SURVEY_NL = 0, SURVEY_EN = 1 };

/* The most languages at once, built in and loaded. */
#define SURVEY_NLANG 8

/* "nl", "en", ... (of a known language; "nl" otherwise). */
const char *survey_lang_code(enum survey_lang lang);
/* 0 and the language for a known code (any case), -1 otherwise. */
int survey_lang_parse(const char *code, enum survey_lang *lang);

#endif
