/*
 * test_agreement.c - unit tests for the afspraak (survey/agreement.c).
 *
 * The boundaries matter most: the outcome of a survey is argued over, so
 * exactly 50% against "> 50%" and ">= 50%" is tested, as are the exact
 * sentences residents read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "agreement.h"
#include "strbuf.h"
#include "xalloc.h"
#include "banned.h"

/* Parse s, which must be accepted, and return the threshold. */
static struct agreement_threshold parse_ok(const char *s, bool need_cmp)
{
	struct agreement_threshold t = { 0 };
	const char *why = NULL;

	if (agreement_parse_threshold(s, need_cmp, &t, &why))
		fail_msg("\"%s\" refused: %s", s, why ? why : "(no reason)");
	assert_true(t.set);
	return t;
}

static void check_parse(const char *s, bool need_cmp, enum agreement_cmp cmp,
			uint32_t num, uint32_t den)
{
	struct agreement_threshold t = parse_ok(s, need_cmp);

	if (t.cmp != cmp || t.num != num || t.den != den)
		fail_msg("\"%s\": got %d %u/%u, want %d %u/%u", s, (int)t.cmp,
			 (unsigned)t.num, (unsigned)t.den, (int)cmp,
			 (unsigned)num, (unsigned)den);
}

/* s must be refused with a reason, and leave t untouched. */
static void check_refused(const char *s, bool need_cmp)
{
	struct agreement_threshold t = { true, AGREEMENT_GT, 7, 9 };
	const char *why = NULL;

	if (!agreement_parse_threshold(s, need_cmp, &t, &why))
		fail_msg("\"%s\" accepted", s);
	assert_non_null(why);
	assert_true(strlen(why) > 0);
	assert_true(t.set && t.cmp == AGREEMENT_GT && t.num == 7 && t.den == 9);
}

static void test_init_and_names(void **state)
{
	struct agreement a;

	(void)state;
	agreement_init(&a);
	assert_false(a.min_response.set);
	assert_true(a.min_in_favour.set);
	assert_int_equal(a.min_in_favour.cmp, AGREEMENT_GT);
	assert_int_equal(a.min_in_favour.num, 1);
	assert_int_equal(a.min_in_favour.den, 2);
	assert_int_equal(a.basis, AGREEMENT_BASIS_VOTES);
	assert_int_equal(a.neutral, AGREEMENT_LEFT_OUT);
	assert_int_equal(a.blank, AGREEMENT_LEFT_OUT);
	assert_int_equal(a.invalid, AGREEMENT_LEFT_OUT);
	assert_int_equal(a.silent, AGREEMENT_SILENT_AGAINST);
	assert_int_equal(a.decision, AGREEMENT_EACH);
	assert_int_equal(a.confidence_permille, 0);
	assert_null(a.agreed_with);
	assert_null(a.agreed_on);

	assert_string_equal(agreement_basis_name(AGREEMENT_BASIS_VOTES),
			    "votes");
	assert_string_equal(agreement_basis_name(AGREEMENT_BASIS_RESPONSES),
			    "responses");
	assert_string_equal(agreement_basis_name(AGREEMENT_BASIS_HOUSEHOLDS),
			    "households");
	assert_string_equal(agreement_count_name(AGREEMENT_LEFT_OUT),
			    "left_out");
	assert_string_equal(agreement_count_name(AGREEMENT_AGAINST), "against");
	assert_string_equal(agreement_silent_name(AGREEMENT_SILENT_AGAINST),
			    "against");
	assert_string_equal(agreement_silent_name(AGREEMENT_SILENT_FOR), "for");
	assert_string_equal(agreement_decision_name(AGREEMENT_EACH), "each");
	assert_string_equal(agreement_decision_name(AGREEMENT_ALL), "all");
	assert_string_equal(agreement_decision_name(AGREEMENT_POOLED),
			    "pooled");
}

static void test_copy_and_release(void **state)
{
	struct agreement a, b;

	(void)state;
	agreement_init(&a);
	a.agreed_with = xstrdup("Bewonersvereniging Dorst-Oost");
	a.agreed_on = xstrdup("2027-01-20");
	a.basis = AGREEMENT_BASIS_HOUSEHOLDS;
	agreement_copy(&b, &a);
	assert_ptr_not_equal(a.agreed_with, b.agreed_with);
	assert_ptr_not_equal(a.agreed_on, b.agreed_on);
	assert_string_equal(b.agreed_with, "Bewonersvereniging Dorst-Oost");
	assert_string_equal(b.agreed_on, "2027-01-20");
	assert_int_equal(b.basis, AGREEMENT_BASIS_HOUSEHOLDS);

	agreement_release(&a);
	assert_null(a.agreed_with);
	assert_null(a.agreed_on);
	assert_string_equal(b.agreed_with, "Bewonersvereniging Dorst-Oost");
	agreement_release(&a); /* twice is fine */
	agreement_release(&b);
	agreement_release(NULL);

	agreement_init(&a); /* no strings: the copy has none either */
	agreement_copy(&b, &a);
	assert_null(b.agreed_with);
	assert_null(b.agreed_on);
	agreement_release(&b);
}

static void test_parse_accepted(void **state)
{
	(void)state;
	check_parse("35%", false, AGREEMENT_GE, 7, 20);
	check_parse("35 %", false, AGREEMENT_GE, 7, 20);
	check_parse("  35%  ", false, AGREEMENT_GE, 7, 20);
	check_parse("66.67%", false, AGREEMENT_GE, 6667, 10000);
	check_parse("66,67%", false, AGREEMENT_GE, 6667, 10000);
	check_parse("66,67 %", false, AGREEMENT_GE, 6667, 10000);
	check_parse("12.5%", false, AGREEMENT_GE, 1, 8);
	check_parse("50.00%", false, AGREEMENT_GE, 1, 2);
	check_parse("0%", false, AGREEMENT_GE, 0, 1);
	check_parse("100%", false, AGREEMENT_GE, 1, 1);
	check_parse("100.00%", false, AGREEMENT_GE, 1, 1);
	check_parse("2/3", false, AGREEMENT_GE, 2, 3);
	check_parse("4/6", false, AGREEMENT_GE, 2, 3);
	check_parse("2 / 3", false, AGREEMENT_GE, 2, 3);
	check_parse("0/5", false, AGREEMENT_GE, 0, 1);
	check_parse("3/3", false, AGREEMENT_GE, 1, 1);
	check_parse("4294967295/4294967295", false, AGREEMENT_GE, 1, 1);
	check_parse("1/4294967295", false, AGREEMENT_GE, 1, 4294967295u);
	check_parse("> 50%", true, AGREEMENT_GT, 1, 2);
	check_parse(">50%", true, AGREEMENT_GT, 1, 2);
	check_parse(">= 70%", true, AGREEMENT_GE, 7, 10);
	check_parse(">=70%", true, AGREEMENT_GE, 7, 10);
	check_parse("\xe2\x89\xa5 70%", true, AGREEMENT_GE, 7, 10); /* ≥ */
	check_parse("\xe2\x89\xa5"
		    "70%",
		    true, AGREEMENT_GE, 7, 10);
	check_parse("> 2/3", true, AGREEMENT_GT, 2, 3);
	check_parse(">= 66,67%", true, AGREEMENT_GE, 6667, 10000);
	check_parse(" > 50 % ", true, AGREEMENT_GT, 1, 2);
	check_parse("\t>\t50%", true, AGREEMENT_GT, 1, 2);
	/* The comparison in words needs no YAML quoting. */
	check_parse("meer dan 50%", true, AGREEMENT_GT, 1, 2);
	check_parse("more than 50%", true, AGREEMENT_GT, 1, 2);
	check_parse("Minstens 35%", true, AGREEMENT_GE, 7, 20);
	check_parse("at least 2/3", true, AGREEMENT_GE, 2, 3);
	check_parse("ten minste 70%", true, AGREEMENT_GE, 7, 10);
}

static void test_parse_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"   ",
		"%",
		">",
		">=",
		"abc",
		"fifty percent",
		"none",
		"35",
		"35.5",
		"> 50",
		"2/",
		"/3",
		"2/3/4",
		"2//3",
		"35%x",
		"35% 1",
		"35%%",
		"> 50% of votes",
		"2/3%",
		"+35%",
		"-5%",
		"> -5%",
		"-1/3",
		"1/-3",
		"101%",
		"100.01%",
		"150%",
		"4/3",
		"1/0",
		"0/0",
		"66.667%",
		"12.345%",
		"66.%",
		".5%",
		"66,%",
		"6 6%",
		"< 50%",
		"<= 50%",
		"<50%",
		"\xe2\x89\xa4 50%",
		"= 50%",
		"=> 50%",
		">> 50%",
		"> = 50%",
		"4294967296/4294967296",
		"1/4294967296",
		"99999999999%",
		"0x10%",
		"1e2%",
	};
	const char *why = NULL;
	struct agreement_threshold t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		check_refused(bad[i], false);
		check_refused(bad[i], true);
	}
	/* A bare share is fine unless the comparison is required. */
	check_refused("50%", true);
	check_refused("2/3", true);
	check_refused("66,67%", true);

	/* The reasons are the ones a board member can act on. */
	assert_int_equal(agreement_parse_threshold("50%", true, &t, &why), -1);
	assert_non_null(strstr(why, ">= 50%"));
	assert_int_equal(agreement_parse_threshold("101%", false, &t, &why),
			 -1);
	assert_non_null(strstr(why, "more than 100%"));
	assert_int_equal(agreement_parse_threshold("< 50%", false, &t, &why),
			 -1);
	assert_non_null(strstr(why, "minimum"));
	assert_int_equal(agreement_parse_threshold("x", false, &t, &why), -1);
	assert_non_null(strstr(why, "35% or 2/3"));
	assert_int_equal(agreement_parse_threshold("-5%", false, &t, &why), -1);
	assert_non_null(strstr(why, "negative"));
	assert_int_equal(agreement_parse_threshold("1.234%", false, &t, &why),
			 -1);
	assert_non_null(strstr(why, "2 decimals"));
	/* A NULL why is tolerated. */
	assert_int_equal(agreement_parse_threshold("x", false, &t, NULL), -1);
}

static bool met(const char *threshold, uint64_t part, uint64_t whole)
{
	struct agreement_threshold t = parse_ok(threshold, false);

	return agreement_threshold_met(&t, part, whole);
}

static void test_met_boundaries(void **state)
{
	struct agreement_threshold t;
	const char *why = NULL;

	(void)state;
	assert_false(met("> 50%", 50, 100));
	assert_true(met(">= 50%", 50, 100));
	assert_true(met("> 50%", 51, 100));
	assert_false(met(">= 50%", 49, 100));
	assert_true(met("> 50%", 5001, 10000));
	assert_false(met("> 50%", 1, 2));

	assert_true(met(">= 2/3", 2, 3));
	assert_false(met("> 2/3", 2, 3));
	assert_true(met("> 2/3", 667, 1000));
	assert_false(met(">= 2/3", 666, 1000));
	assert_true(met(">= 2/3", 200, 300));

	assert_true(met(">= 66.67%", 6667, 10000));
	assert_false(met("> 66.67%", 6667, 10000));
	assert_false(met(">= 66.67%", 6666, 10000));
	assert_false(met(">= 66.67%", 2, 3)); /* 66.666...% < 66.67% */

	/* Utrecht, Lombok-Zuidwest: 46.05% is not more than 50%. */
	assert_false(met("> 50%", 4605, 10000));
	/* Art. 7:220 BW: 70 of 100 households is at least 70%. */
	assert_true(met(">= 70%", 70, 100));
	assert_false(met(">= 70%", 69, 100));

	assert_true(met(">= 0%", 0, 10));
	assert_false(met("> 0%", 0, 10));
	assert_true(met(">= 100%", 10, 10));
	/* "> 100%" can never be met and is refused (issue 17). */
	assert_int_equal(agreement_parse_threshold("> 100%", false, &t, &why),
			 -1);
	assert_non_null(strstr(why, "can never be met"));
	assert_false(met(">= 100%", 9, 10));
}

static void test_met_nobody_and_unset(void **state)
{
	struct agreement_threshold unset = { 0 };

	(void)state;
	/* With no one to count there is no support, not even for 0%. */
	assert_false(met(">= 0%", 0, 0));
	assert_false(met("> 50%", 0, 0));
	assert_false(met(">= 50%", 5, 0));
	/* An unset threshold (no quorum) asks nothing. */
	assert_true(agreement_threshold_met(&unset, 0, 100));
	assert_true(agreement_threshold_met(&unset, 0, 0));
}

static void test_met_big_numbers(void **state)
{
	struct agreement_threshold t = { true, AGREEMENT_GE, 0, 0 };
	const uint64_t big = 4294967296u; /* 2^32 */

	(void)state;
	/* part*den and num*whole overflow 64 bits here. */
	t.num = UINT32_MAX - 1;
	t.den = UINT32_MAX;
	assert_true(agreement_threshold_met(&t, UINT32_MAX - 1, UINT32_MAX));
	assert_false(agreement_threshold_met(&t, UINT32_MAX - 2, UINT32_MAX));
	t.cmp = AGREEMENT_GT;
	assert_false(agreement_threshold_met(&t, UINT32_MAX - 1, UINT32_MAX));
	assert_true(agreement_threshold_met(&t, big - 1, big));

	t.cmp = AGREEMENT_GE;
	t.num = 1;
	t.den = 2;
	assert_true(agreement_threshold_met(&t, big, 2 * big));
	assert_false(agreement_threshold_met(&t, big - 1, 2 * big));
	t.cmp = AGREEMENT_GT;
	assert_false(agreement_threshold_met(&t, big, 2 * big));
	assert_true(agreement_threshold_met(&t, big + 1, 2 * big));

	/* Beyond 2^32 too, up to the full uint64 range. */
	t.cmp = AGREEMENT_GE;
	t.num = UINT32_MAX;
	t.den = UINT32_MAX;
	assert_true(agreement_threshold_met(&t, UINT64_MAX, UINT64_MAX));
	assert_false(agreement_threshold_met(&t, UINT64_MAX - 1, UINT64_MAX));
	t.num = 2;
	t.den = 3;
	assert_true(agreement_threshold_met(&t, UINT64_MAX / 3 * 2,
					    UINT64_MAX / 3));
	assert_true(agreement_threshold_met(&t, 2 * (UINT64_MAX / 3),
					    UINT64_MAX / 3 * 3));
	assert_false(agreement_threshold_met(&t, 2 * (UINT64_MAX / 3) - 1,
					     UINT64_MAX / 3 * 3));
}

static void check_format(const char *threshold, const char *nl, const char *en)
{
	struct agreement_threshold t = parse_ok(threshold, false);
	struct strbuf sb = STRBUF_INIT;

	agreement_format_share(&t, SURVEY_NL, &sb);
	assert_string_equal(sb.buf, nl);
	strbuf_reset(&sb);
	agreement_format_share(&t, SURVEY_EN, &sb);
	assert_string_equal(sb.buf, en);
	strbuf_release(&sb);
}

static void test_format(void **state)
{
	(void)state;
	check_format("35%", "35%", "35%");
	check_format("> 50%", "50%", "50%");
	check_format("66.67%", "66,67%", "66.67%");
	check_format("66,7%", "66,7%", "66.7%");
	check_format("12.5%", "12,5%", "12.5%");
	check_format("0.05%", "0,05%", "0.05%");
	check_format("0%", "0%", "0%");
	check_format("100%", "100%", "100%");
	check_format("1/4", "25%", "25%");
	check_format("2/3", "2/3", "2/3");
	check_format("> 5/7", "5/7", "5/7");
	check_format("4/6", "2/3", "2/3");
}

static void check_describe(const struct agreement *a, const char *buurt,
			   enum survey_lang lang, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	agreement_describe(a, buurt, lang, &sb);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_describe_quorum_votes(void **state)
{
	struct agreement a;

	(void)state;
	agreement_init(&a);
	assert_int_equal(
		agreement_parse_threshold("35%", false, &a.min_response, NULL),
		0);
	check_describe(&a, "Dorst-Oost", SURVEY_NL,
		       "Er is voldoende draagvlak als minstens 35% van de "
		       "huishoudens in Dorst-Oost reageert en meer dan 50% "
		       "van de stemmen voor is.");
	check_describe(&a, "Dorst-Oost", SURVEY_EN,
		       "There is sufficient support if at least 35% of the "
		       "households in Dorst-Oost respond and more than 50% of "
		       "the votes are in favour.");
	check_describe(&a, NULL, SURVEY_NL,
		       "Er is voldoende draagvlak als minstens 35% van de "
		       "huishoudens reageert en meer dan 50% van de stemmen "
		       "voor is.");
}

static void test_describe_households(void **state)
{
	struct agreement a;

	(void)state;
	agreement_init(&a);
	a.basis = AGREEMENT_BASIS_HOUSEHOLDS;
	a.min_in_favour = parse_ok(">= 70%", true);
	check_describe(&a, "Dorst-Oost", SURVEY_NL,
		       "Er is voldoende draagvlak als minstens 70% van alle "
		       "huishoudens in Dorst-Oost voor is; wie niet reageert, "
		       "telt als tegen.");
	check_describe(&a, "Dorst-Oost", SURVEY_EN,
		       "There is sufficient support if at least 70% of all "
		       "households in Dorst-Oost are in favour; no response "
		       "counts as against.");
	a.silent = AGREEMENT_SILENT_FOR;
	a.min_in_favour = parse_ok(">= 75%", true);
	/* neutral only matters for basis votes: not mentioned here */
	a.neutral = AGREEMENT_AGAINST;
	check_describe(&a, "Lievegem", SURVEY_NL,
		       "Er is voldoende draagvlak als minstens 75% van alle "
		       "huishoudens in Lievegem voor is; wie niet reageert, "
		       "stemt in.");
	check_describe(&a, NULL, SURVEY_EN,
		       "There is sufficient support if at least 75% of all "
		       "households are in favour; no response counts as in "
		       "favour.");
}

static void test_describe_responses(void **state)
{
	struct agreement a;

	(void)state;
	agreement_init(&a);
	a.basis = AGREEMENT_BASIS_RESPONSES;
	a.min_response = parse_ok("> 50%", false);
	a.min_in_favour = parse_ok(">= 66,67%", true);
	check_describe(&a, "Indische Buurt", SURVEY_NL,
		       "Er is voldoende draagvlak als meer dan 50% van de "
		       "huishoudens in Indische Buurt reageert en minstens "
		       "66,67% van de reacties voor is.");
	check_describe(&a, "Indische Buurt", SURVEY_EN,
		       "There is sufficient support if more than 50% of the "
		       "households in Indische Buurt respond and at least "
		       "66.67% of the responses are in favour.");
	a.min_response.set = false;
	a.min_in_favour = parse_ok("> 2/3", true);
	check_describe(&a, "Lombok", SURVEY_NL,
		       "Er is voldoende draagvlak als meer dan 2/3 van de "
		       "reacties in Lombok voor is.");
}

static void test_describe_counted_against(void **state)
{
	struct agreement a;

	(void)state;
	agreement_init(&a);
	a.neutral = AGREEMENT_AGAINST;
	check_describe(&a, NULL, SURVEY_NL,
		       "Er is voldoende draagvlak als meer dan 50% van de "
		       "stemmen voor is. Neutraal telt als tegen.");
	check_describe(&a, NULL, SURVEY_EN,
		       "There is sufficient support if more than 50% of the "
		       "votes are in favour. Neutral answers count as "
		       "against.");
	a.neutral = AGREEMENT_LEFT_OUT;
	a.blank = AGREEMENT_AGAINST;
	a.invalid = AGREEMENT_AGAINST;
	check_describe(&a, "Dorst-Oost", SURVEY_NL,
		       "Er is voldoende draagvlak als meer dan 50% van de "
		       "stemmen in Dorst-Oost voor is. Blanco en ongeldig "
		       "tellen als tegen.");
	a.neutral = AGREEMENT_AGAINST;
	check_describe(&a, "Dorst-Oost", SURVEY_EN,
		       "There is sufficient support if more than 50% of the "
		       "votes in Dorst-Oost are in favour. Neutral, blank and "
		       "invalid answers count as against.");
	check_describe(&a, "", SURVEY_NL,
		       "Er is voldoende draagvlak als meer dan 50% van de "
		       "stemmen voor is. Neutraal, blanco en ongeldig tellen "
		       "als tegen.");
}

static void test_describe_appends(void **state)
{
	struct agreement a;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	agreement_init(&a);
	strbuf_addstr(&sb, "Afspraak: ");
	agreement_describe(&a, NULL, SURVEY_NL, &sb);
	assert_string_equal(sb.buf, "Afspraak: Er is voldoende draagvlak als "
				    "meer dan 50% van de stemmen voor is.");
	strbuf_release(&sb);
}

/* Issue 17: what a board secretary writes, and what can never be met. */
static void test_parse_as_written(void **state)
{
	struct agreement_threshold t = { 0 };
	const char *why = NULL;
	uint32_t n = 0, d = 0;

	(void)state;
	/* Quotes pasted from Word around the share. */
	t = parse_ok("\xe2\x80\x9c> 50%\xe2\x80\x9d", true);
	assert_int_equal(t.cmp, AGREEMENT_GT);
	assert_int_equal(t.num, 1);
	assert_int_equal(t.den, 2);
	/* The most common Dutch word. */
	t = parse_ok("minimaal 66,7%", true);
	assert_int_equal(t.cmp, AGREEMENT_GE);
	assert_int_equal(t.num, 667);
	assert_int_equal(t.den, 1000);
	t = parse_ok("tenminste 30%", true);
	assert_int_equal(t.cmp, AGREEMENT_GE);
	/* Never met: refused in both languages, saying what to write. */
	assert_int_equal(agreement_parse_threshold_lang("meer dan 100%", true,
							&t, SURVEY_NL, &why),
			 -1);
	assert_non_null(strstr(why, "minstens 100%"));
	assert_int_equal(agreement_parse_threshold_lang("geen idee", true, &t,
							SURVEY_NL, &why),
			 -1);
	assert_non_null(strstr(why, "minstens"));
	assert_non_null(strstr(why, "geen"));
	/* 66,7% lies near 2/3; 66,67% too; 2/3 and 70% do not. */
	t = parse_ok(">= 66,7%", true);
	assert_true(agreement_near_fraction(&t, &n, &d));
	assert_int_equal(n, 2);
	assert_int_equal(d, 3);
	t = parse_ok(">= 66.67%", true);
	assert_true(agreement_near_fraction(&t, &n, &d));
	t = parse_ok("> 33,3%", true);
	assert_true(agreement_near_fraction(&t, &n, &d));
	assert_int_equal(n, 1);
	t = parse_ok(">= 2/3", true);
	assert_false(agreement_near_fraction(&t, &n, &d));
	t = parse_ok(">= 70%", true);
	assert_false(agreement_near_fraction(&t, &n, &d));
	t = parse_ok("> 50%", true);
	assert_false(agreement_near_fraction(&t, &n, &d));
	assert_true(agreement_starts_with_cmp("> 95%"));
	assert_true(agreement_starts_with_cmp("meer dan 95%"));
	assert_true(agreement_starts_with_cmp("\xe2\x89\xa5 95%"));
	assert_false(agreement_starts_with_cmp("95%"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_names),
		cmocka_unit_test(test_copy_and_release),
		cmocka_unit_test(test_parse_accepted),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_met_boundaries),
		cmocka_unit_test(test_parse_as_written),
		cmocka_unit_test(test_met_nobody_and_unset),
		cmocka_unit_test(test_met_big_numbers),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_describe_quorum_votes),
		cmocka_unit_test(test_describe_households),
		cmocka_unit_test(test_describe_responses),
		cmocka_unit_test(test_describe_counted_against),
		cmocka_unit_test(test_describe_appends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
