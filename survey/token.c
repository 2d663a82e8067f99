/*
 * token.c - minting and checking household codes (see token.h).
 *
 * The check symbol c makes  c + sum(alpha^(i+1) * d_i) = 0  over GF(32),
 * with d_0..d_10 the data symbols and alpha a primitive element.  The
 * twelve weights alpha^0..alpha^11 are distinct and non-zero, so a
 * changed symbol changes the sum by w*e != 0, and a swap of two different
 * symbols a, b changes it by (w1 + w2)(a + b) != 0.
 */
#include "token.h"

#include <ctype.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "banned.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Multiplication in GF(2^5) modulo x^5 + x^2 + 1 (primitive). */
static unsigned gf32_mul(unsigned a, unsigned b)
{
	unsigned r = 0;

	while (b) {
		if (b & 1)
			r ^= a;
		b >>= 1;
		a <<= 1;
		if (a & 0x20)
			a ^= 0x25;
	}
	return r & 0x1f;
}

/* The check symbol for data symbols d[0..SURVEY_TOKEN_LEN-1). */
static unsigned check_symbol(const unsigned *d)
{
	unsigned sum = 0, w = 1;

	for (int i = 0; i < SURVEY_TOKEN_LEN - 1; i++) {
		w = gf32_mul(w, 2);
		sum ^= gf32_mul(w, d[i]);
	}
	return sum;
}

/* Value of a symbol as Crockford reads it, or -1. */
static int symbol_value(int ch)
{
	const char *p;

	ch = toupper(ch);
	if (ch == 'O')
		ch = '0';
	else if (ch == 'I' || ch == 'L')
		ch = '1';
	if (!ch)
		return -1;
	p = strchr(alphabet, ch);
	return p ? (int)(p - alphabet) : -1;
}

int survey_token_new(char out[SURVEY_TOKEN_SIZE])
{
	unsigned d[SURVEY_TOKEN_LEN];
	uint64_t bits;

	if (sodium_init() < 0)
		return -1;
	randombytes_buf(&bits, sizeof(bits));
	for (int i = 0; i < SURVEY_TOKEN_LEN - 1; i++) {
		d[i] = (unsigned)(bits & 0x1f);
		bits >>= 5;
	}
	d[SURVEY_TOKEN_LEN - 1] = check_symbol(d);
	for (int i = 0; i < SURVEY_TOKEN_LEN; i++)
		out[i] = alphabet[d[i]];
	out[SURVEY_TOKEN_LEN] = '\0';
	return 0;
}

enum survey_token_status survey_token_parse(const char *input,
					    char out[SURVEY_TOKEN_SIZE])
{
	unsigned d[SURVEY_TOKEN_LEN];
	int n = 0, bad_symbol = 0;

	for (const char *p = input; *p; p++) {
		int v;

		if (*p == '-' || *p == ' ' || *p == '\t')
			continue;
		if (n == SURVEY_TOKEN_LEN)
			return SURVEY_TOKEN_BAD_LENGTH;
		v = symbol_value((unsigned char)*p);
		if (v < 0)
			bad_symbol = 1;
		d[n++] = v < 0 ? 0 : (unsigned)v;
	}
	if (n != SURVEY_TOKEN_LEN)
		return SURVEY_TOKEN_BAD_LENGTH;
	if (bad_symbol)
		return SURVEY_TOKEN_BAD_SYMBOL;
	if (check_symbol(d) != d[SURVEY_TOKEN_LEN - 1])
		return SURVEY_TOKEN_BAD_CHECK;
	for (int i = 0; i < SURVEY_TOKEN_LEN; i++)
		out[i] = alphabet[d[i]];
	out[SURVEY_TOKEN_LEN] = '\0';
	return SURVEY_TOKEN_OK;
}

/*
 * Symbols a person easily reads as one another in print or handwriting.
 * O and 0 need no pair: O is read as 0 already (as I and L are as 1).
 */
static const char *const confusable[] = { "8B", "5S", "2Z", "6G" };

size_t survey_token_suggest(const char *input, char out[][SURVEY_TOKEN_SIZE],
			    size_t max)
{
	unsigned d[SURVEY_TOKEN_LEN];
	size_t found = 0;
	int n = 0;

	for (const char *p = input; *p; p++) {
		int v;

		if (*p == '-' || *p == ' ' || *p == '\t')
			continue;
		if (n == SURVEY_TOKEN_LEN)
			return 0;
		v = symbol_value((unsigned char)*p);
		if (v < 0)
			return 0;
		d[n++] = (unsigned)v;
	}
	if (n != SURVEY_TOKEN_LEN)
		return 0;
	/* Exactly one symbol changed, and only for its look-alike. */
	for (int i = 0; i < SURVEY_TOKEN_LEN && found < max; i++) {
		unsigned was = d[i];

		for (size_t k = 0; k < sizeof(confusable) / sizeof(*confusable);
		     k++) {
			const char *pair = confusable[k];
			int other;

			if (alphabet[was] == pair[0])
				other = symbol_value(pair[1]);
			else if (alphabet[was] == pair[1])
				other = symbol_value(pair[0]);
			else
				continue;
			d[i] = (unsigned)other;
			if (check_symbol(d) == d[SURVEY_TOKEN_LEN - 1] &&
			    found < max) {
				for (int j = 0; j < SURVEY_TOKEN_LEN; j++)
					out[found][j] = alphabet[d[j]];
				out[found][SURVEY_TOKEN_LEN] = '\0';
				found++;
			}
			d[i] = was;
		}
	}
	return found;
}

void survey_token_pretty(const char *canon, char out[SURVEY_TOKEN_PRETTY])
{
	char *o = out;

	for (int i = 0; i < SURVEY_TOKEN_LEN; i++) {
		if (i && i % 4 == 0)
			*o++ = '-';
		*o++ = canon[i];
	}
	*o = '\0';
}

const char *survey_token_status_message(enum survey_token_status st,
					enum survey_lang lang)
{
	static const char *const msg[][SURVEY_NLANG] = {
		[SURVEY_TOKEN_OK] = { "De code is goed.",
				      "The code is valid." },
		[SURVEY_TOKEN_BAD_LENGTH] = { "Een code heeft 12 tekens, zoals "
					      "K7QM-2XHD-9FAB.",
					      "A code has 12 characters, like "
					      "K7QM-2XHD-9FAB." },
		[SURVEY_TOKEN_BAD_SYMBOL] = { "De code bevat een teken dat er "
					      "niet in kan staan; "
					      "gebruik alleen cijfers en "
					      "letters.",
					      "The code holds a character that "
					      "cannot be in it; "
					      "use only digits and letters." },
		[SURVEY_TOKEN_BAD_CHECK] = { "Er lijkt een tikfout in de code "
					     "te zitten. "
					     "Kijk de code op uw formulier nog "
					     "eens na.",
					     "There seems to be a typing error "
					     "in the code. "
					     "Please check the code on your "
					     "form again." },
	};

	return msg[st][lang == SURVEY_EN];
}
