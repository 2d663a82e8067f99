/*
 * token.h - household codes: unguessable, typeable, self-checking.
 *
 * Every household gets, per survey, a code that is printed on its form and
 * in its QR code, and typed by residents and volunteers:
 *
 *     K7QM-2XHD-9FAB
 *
 * Twelve symbols of Crockford's base32 (0-9 and A-Z without I, L, O, U):
 * eleven carry 55 random bits from libsodium, the twelfth is a check symbol.
 * The check is a weighted sum over GF(32) with twelve distinct non-zero
 * weights, so every single-symbol typo and every swap of two symbols
 * (adjacent or not) is caught.  Input is read the way Crockford intended:
 * any case, dashes and spaces ignored, I and L read as 1, O as 0.
 *
 * The canonical form, stored and compared, is the twelve symbols in upper
 * case without dashes.  They are all in the QR code's alphanumeric set.
 */
#ifndef DRAAGVLAK_TOKEN_H
#define DRAAGVLAK_TOKEN_H

#include <stddef.h>

#include "lang.h"

#define SURVEY_TOKEN_LEN    12 /* symbols in a code */
#define SURVEY_TOKEN_BITS   55 /* random bits in a code */
#define SURVEY_TOKEN_SIZE   13 /* canonical form with its NUL */
#define SURVEY_TOKEN_PRETTY 15 /* "XXXX-XXXX-XXXX" with its NUL */

enum survey_token_status {
	SURVEY_TOKEN_OK = 0,
	SURVEY_TOKEN_BAD_LENGTH, /* not twelve symbols */
	SURVEY_TOKEN_BAD_SYMBOL, /* a character that is no base32 symbol */
	SURVEY_TOKEN_BAD_CHECK,	 /* a typo: the check symbol does not match */
};

/*
 * Mint a fresh random code in canonical form.  Returns 0, or -1 when
 * libsodium cannot be initialised (no entropy source).
 */
int survey_token_new(char out[SURVEY_TOKEN_SIZE]);

/*
 * Read a code as a person typed it and, when it is well-formed and its
 * check symbol matches, write its canonical form to out.  out is written
 * only on SURVEY_TOKEN_OK.
 */
enum survey_token_status survey_token_parse(const char *input,
					    char out[SURVEY_TOKEN_SIZE]);

/*
 * The codes input would be with one symbol read as its look-alike
 * (8/B, 5/S, 2/Z, 6/G; O is read as 0 already) whose check symbol then
 * matches, in canonical form, at most max of them; returns how many.
 * For input whose check fails (SURVEY_TOKEN_BAD_CHECK); nothing for
 * input of the wrong length or with other symbols.  Whether a household
 * has such a code is for the caller to ask: show only those.
 */
size_t survey_token_suggest(const char *input, char out[][SURVEY_TOKEN_SIZE],
			    size_t max);

/* "K7QM2XHD9FAB" -> "K7QM-2XHD-9FAB". canon must be canonical. */
void survey_token_pretty(const char *canon, char out[SURVEY_TOKEN_PRETTY]);

/* A sentence for a person about a status other than OK. */
const char *survey_token_status_message(enum survey_token_status st,
					enum survey_lang lang);

#endif
