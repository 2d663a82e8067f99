/*
 * test_token.c - unit tests for household codes (survey/token.c).
 *
 * A code is typed by residents from a letter, so the promises of token.h
 * are tested exhaustively rather than by example: over thousands of
 * minted codes, every single-symbol typo and every swap of two different
 * symbols must be caught by the check symbol.  Also tested: the alphabet
 * and the pretty form, Crockford's forgiving reading (case, dashes, O/I/L),
 * uniqueness over 100,000 codes and a rough balance of the random bits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "token.h"
#include "banned.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void mint(char out[SURVEY_TOKEN_SIZE])
{
	assert_int_equal(survey_token_new(out), 0);
}

static int symbol_index(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;

	if (!p)
		fail_msg("'%c' is not in the alphabet", c);
	return (int)(p - alphabet);
}

/* Parse input, which must be OK and give canon. */
static void check_parses_to(const char *input, const char *canon)
{
	char out[SURVEY_TOKEN_SIZE];
	enum survey_token_status st = survey_token_parse(input, out);

	if (st != SURVEY_TOKEN_OK)
		fail_msg("\"%s\": status %d, want OK", input, (int)st);
	assert_string_equal(out, canon);
}

/* Parse input, which must give st and leave out untouched. */
static void check_status(const char *input, enum survey_token_status want)
{
	char out[SURVEY_TOKEN_SIZE];
	enum survey_token_status st;

	memset(out, '#', sizeof(out));
	st = survey_token_parse(input, out);
	if (st != want)
		fail_msg("\"%s\": status %d, want %d", input, (int)st,
			 (int)want);
	for (size_t i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], '#');
}

static void test_minted_form(void **state)
{
	(void)state;
	for (int n = 0; n < 1000; n++) {
		char code[SURVEY_TOKEN_SIZE];

		mint(code);
		assert_int_equal(strlen(code), SURVEY_TOKEN_LEN);
		for (int i = 0; i < SURVEY_TOKEN_LEN; i++)
			if (!strchr(alphabet, code[i]) || !code[i])
				fail_msg("\"%s\": '%c' is not a Crockford "
					 "symbol",
					 code, code[i]);
		check_parses_to(code, code);
	}
}

static void test_pretty(void **state)
{
	char code[SURVEY_TOKEN_SIZE];
	char pretty[SURVEY_TOKEN_PRETTY];

	(void)state;
	survey_token_pretty("K7QM2XHD9FAB", pretty);
	assert_string_equal(pretty, "K7QM-2XHD-9FAB");

	for (int n = 0; n < 100; n++) {
		mint(code);
		memset(pretty, '#', sizeof(pretty));
		survey_token_pretty(code, pretty);
		assert_int_equal(strlen(pretty), SURVEY_TOKEN_PRETTY - 1);
		assert_int_equal(pretty[4], '-');
		assert_int_equal(pretty[9], '-');
		assert_memory_equal(pretty, code, 4);
		assert_memory_equal(pretty + 5, code + 4, 4);
		assert_memory_equal(pretty + 10, code + 8, 4);
		check_parses_to(pretty, code); /* reads back */
	}
}

/* The code with every symbol replaced by f(symbol). */
static void transform(const char *code, char *out, int (*f)(int))
{
	size_t i;

	for (i = 0; code[i]; i++)
		out[i] = (char)f((unsigned char)code[i]);
	out[i] = '\0';
}

/* Crockford's misreadings, inverted: 0 -> O, 1 -> I or L. */
static int to_letter_i(int c)
{
	return c == '0' ? 'O' : c == '1' ? 'I' : c;
}

static int to_letter_l(int c)
{
	return c == '0' ? 'o' : c == '1' ? 'l' : c;
}

static void test_forgiving_reading(void **state)
{
	char code[SURVEY_TOKEN_SIZE];
	char in[64];
	bool saw_01 = false;

	(void)state;
	for (int n = 0; n < 2000; n++) {
		mint(code);

		transform(code, in, tolower);
		check_parses_to(in, code);
		transform(code, in, to_letter_i);
		check_parses_to(in, code);
		transform(code, in, to_letter_l);
		check_parses_to(in, code);
		if (strpbrk(code, "01"))
			saw_01 = true;

		/* Dashes and spaces anywhere, and mixed case. */
		snprintf(in, sizeof(in), " %.3s-%.1s %.4s -- %.4s ", code,
			 code + 3, code + 4, code + 8);
		in[2] = (char)tolower((unsigned char)in[2]);
		check_parses_to(in, code);
	}
	assert_true(saw_01);

	/* A fixed code whose symbols include 0 and 1. */
	{
		char fixed[SURVEY_TOKEN_SIZE];
		char lower[SURVEY_TOKEN_PRETTY];
		char pretty[SURVEY_TOKEN_PRETTY];

		/* Find a valid check symbol for "01ABCDEFGHJ". */
		for (const char *c = alphabet; *c; c++) {
			char try[SURVEY_TOKEN_SIZE];

			snprintf(try, sizeof(try), "01ABCDEFGHJ%c", *c);
			if (survey_token_parse(try, fixed) == SURVEY_TOKEN_OK)
				break;
		}
		assert_memory_equal(fixed, "01ABCDEFGHJ", 11);
		survey_token_pretty(fixed, pretty);
		transform(pretty, lower, tolower);
		lower[0] = 'o';
		lower[1] = 'L';
		check_parses_to(lower, fixed);
		lower[1] = 'i';
		check_parses_to(lower, fixed);
	}
}

static void test_bad_length_and_symbol(void **state)
{
	char code[SURVEY_TOKEN_SIZE];
	char in[64];

	(void)state;
	mint(code);
	check_status("", SURVEY_TOKEN_BAD_LENGTH);
	check_status("----", SURVEY_TOKEN_BAD_LENGTH);
	check_status("   ", SURVEY_TOKEN_BAD_LENGTH);

	/* One symbol short, one too many. */
	snprintf(in, sizeof(in), "%.11s", code);
	check_status(in, SURVEY_TOKEN_BAD_LENGTH);
	snprintf(in, sizeof(in), "%s0", code);
	check_status(in, SURVEY_TOKEN_BAD_LENGTH);
	snprintf(in, sizeof(in), "%s%s", code, code);
	check_status(in, SURVEY_TOKEN_BAD_LENGTH);

	/* 'U' is left out of the alphabet (no accidental words). */
	for (int pos = 0; pos < SURVEY_TOKEN_LEN; pos++) {
		static const char bad[] = "Uu*#.!_/+é";

		for (const char *b = bad; *b; b++) {
			memcpy(in, code, SURVEY_TOKEN_SIZE);
			in[pos] = *b;
			check_status(in, SURVEY_TOKEN_BAD_SYMBOL);
		}
	}
	check_status("K7QM-2XHD-9FA*", SURVEY_TOKEN_BAD_SYMBOL);
	check_status("UUUU-UUUU-UUUU", SURVEY_TOKEN_BAD_SYMBOL);
	/* The length is judged first. */
	check_status("K7QM-2XHD-9F*", SURVEY_TOKEN_BAD_LENGTH);
}

/*
 * Every single-symbol substitution, every adjacent swap and every swap of
 * two different symbols anywhere, over many codes, is a check failure.
 */
static void test_typos_always_caught(void **state)
{
	const int codes = 2000;
	long substitutions = 0, swaps = 0, adjacent = 0;

	(void)state;
	for (int n = 0; n < codes; n++) {
		char code[SURVEY_TOKEN_SIZE];
		char in[SURVEY_TOKEN_SIZE];
		char out[SURVEY_TOKEN_SIZE];

		mint(code);
		for (int pos = 0; pos < SURVEY_TOKEN_LEN; pos++)
			for (const char *c = alphabet; *c; c++) {
				if (*c == code[pos])
					continue;
				memcpy(in, code, sizeof(in));
				in[pos] = *c;
				if (survey_token_parse(in, out) !=
				    SURVEY_TOKEN_BAD_CHECK)
					fail_msg("%s -> %s (position %d) not "
						 "caught",
						 code, in, pos);
				substitutions++;
			}
		for (int i = 0; i < SURVEY_TOKEN_LEN; i++)
			for (int j = i + 1; j < SURVEY_TOKEN_LEN; j++) {
				if (code[i] == code[j])
					continue;
				memcpy(in, code, sizeof(in));
				in[i] = code[j];
				in[j] = code[i];
				if (survey_token_parse(in, out) !=
				    SURVEY_TOKEN_BAD_CHECK)
					fail_msg("%s -> %s (swap %d and %d) "
						 "not caught",
						 code, in, i, j);
				swaps++;
				adjacent += j == i + 1;
			}
	}
	assert_int_equal(substitutions, (long)codes * SURVEY_TOKEN_LEN * 31);
	/* Nearly all pairs differ: 66 pairs per code, 11 adjacent. */
	assert_true(swaps > (long)codes * 60);
	assert_true(adjacent > (long)codes * 10);
}

static int cmp_code(const void *a, const void *b)
{
	return memcmp(a, b, SURVEY_TOKEN_SIZE);
}

static void test_unique(void **state)
{
	const size_t n = 100000;
	char(*codes)[SURVEY_TOKEN_SIZE] = calloc(n, sizeof(*codes));

	(void)state;
	assert_non_null(codes);
	for (size_t i = 0; i < n; i++)
		mint(codes[i]);
	qsort(codes, n, sizeof(*codes), cmp_code);
	for (size_t i = 1; i < n; i++)
		if (!memcmp(codes[i - 1], codes[i], SURVEY_TOKEN_SIZE))
			fail_msg("%s minted twice", codes[i]);
	free(codes);
}

/* Each of the 55 random bits is set in roughly half of the codes. */
static void test_bit_balance(void **state)
{
	const int n = 10000;
	int set[SURVEY_TOKEN_BITS] = { 0 };

	(void)state;
	for (int k = 0; k < n; k++) {
		char code[SURVEY_TOKEN_SIZE];

		mint(code);
		for (int i = 0; i < SURVEY_TOKEN_LEN - 1; i++) {
			int v = symbol_index(code[i]);

			for (int b = 0; b < 5; b++)
				set[5 * i + b] += (v >> b) & 1;
		}
	}
	for (int b = 0; b < SURVEY_TOKEN_BITS; b++)
		if (set[b] < n * 45 / 100 || set[b] > n * 55 / 100)
			fail_msg("bit %d set in %d of %d codes", b, set[b], n);
}

/*
 * A code misread at one look-alike symbol is found again; every code
 * suggested is one look-alike away from what was typed, and valid.
 */
static void test_suggest_lookalikes(void **state)
{
	static const char pairs[] = "8B5S2Z6G";
	char sug[8][SURVEY_TOKEN_SIZE], canon[SURVEY_TOKEN_SIZE];
	size_t tried = 0;

	(void)state;
	for (int round = 0; round < 2000; round++) {
		char code[SURVEY_TOKEN_SIZE], typed[SURVEY_TOKEN_SIZE];
		const char *p = NULL;
		int i;
		size_t n;
		bool back = false;

		assert_int_equal(survey_token_new(code), 0);
		for (i = 0; i < SURVEY_TOKEN_LEN; i++)
			if ((p = strchr(pairs, code[i])))
				break;
		if (i == SURVEY_TOKEN_LEN)
			continue;
		memcpy(typed, code, sizeof(typed));
		typed[i] = pairs[(p - pairs) ^ 1];
		assert_int_equal(survey_token_parse(typed, canon),
				 SURVEY_TOKEN_BAD_CHECK);
		n = survey_token_suggest(typed, sug, 8);
		for (size_t k = 0; k < n; k++) {
			int diff = 0;

			back |= !strcmp(sug[k], code);
			assert_int_equal(survey_token_parse(sug[k], canon),
					 SURVEY_TOKEN_OK);
			for (int j = 0; j < SURVEY_TOKEN_LEN; j++)
				if (sug[k][j] != typed[j]) {
					const char *a = strchr(pairs, typed[j]);

					diff++;
					assert_non_null(a);
					assert_int_equal(
						sug[k][j],
						pairs[(a - pairs) ^ 1]);
				}
			assert_int_equal(diff, 1);
		}
		assert_true(back);
		tried++;
	}
	assert_true(tried > 1000);
	/* Nothing for a code of the wrong length or with a stray symbol. */
	assert_int_equal(survey_token_suggest("K7QM-2XHD-9FA", sug, 8), 0);
	assert_int_equal(survey_token_suggest("K7QM-2XHD-9FA!", sug, 8), 0);
	assert_int_equal(survey_token_suggest("K7QM-2XHD-9FAU", sug, 8), 0);
}

static void test_messages(void **state)
{
	static const enum survey_token_status all[] = {
		SURVEY_TOKEN_OK, SURVEY_TOKEN_BAD_LENGTH,
		SURVEY_TOKEN_BAD_SYMBOL, SURVEY_TOKEN_BAD_CHECK
	};

	(void)state;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *nl = survey_token_status_message(all[i], SURVEY_NL);
		const char *en = survey_token_status_message(all[i], SURVEY_EN);

		assert_non_null(nl);
		assert_non_null(en);
		assert_true(strlen(nl) > 10);
		assert_true(strlen(en) > 10);
		assert_string_not_equal(nl, en);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(nl, survey_token_status_message(
							    all[j], SURVEY_NL));
	}
	assert_non_null(strstr(
		survey_token_status_message(SURVEY_TOKEN_BAD_LENGTH, SURVEY_NL),
		"12 tekens"));
	assert_non_null(strstr(
		survey_token_status_message(SURVEY_TOKEN_BAD_LENGTH, SURVEY_EN),
		"12 characters"));
	assert_non_null(strstr(
		survey_token_status_message(SURVEY_TOKEN_BAD_CHECK, SURVEY_NL),
		"tikfout"));
	assert_non_null(strstr(
		survey_token_status_message(SURVEY_TOKEN_BAD_CHECK, SURVEY_EN),
		"typing error"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minted_form),
		cmocka_unit_test(test_pretty),
		cmocka_unit_test(test_forgiving_reading),
		cmocka_unit_test(test_bad_length_and_symbol),
		cmocka_unit_test(test_typos_always_caught),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_bit_balance),
		cmocka_unit_test(test_suggest_lookalikes),
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
