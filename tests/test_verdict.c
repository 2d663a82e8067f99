/*
 * test_verdict.c - unit tests for the verdict engine (analysis/verdict.c).
 *
 * Three kinds of test.  Known answers on hand-made cases at every edge
 * (exactly at the threshold with > and >=, zero households, no
 * responses, all neutral, full response, each basis and each way of
 * counting neutral, blank, invalid and silent households, "already
 * decided" one vote either side of its boundary, the ways buurten
 * decide together).  A brute-force check of "already decided": for every
 * combination of agreement options and every small buurt, every way the
 * silent households could still answer is tried and the verdicts reached
 * are compared with the closed form.  And the Wilson interval against
 * numbers computed independently with python3.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "verdict.h"
#include "banned.h"

static struct agreement_threshold th(enum agreement_cmp cmp, uint32_t num,
				     uint32_t den)
{
	struct agreement_threshold t = { true, cmp, num, den };

	return t;
}

static const struct agreement_threshold unset = { false, AGREEMENT_GE, 0, 1 };

/* The default agreement: no quorum, > 50% of the votes. */
static struct agreement base(void)
{
	struct agreement a;

	agreement_init(&a);
	return a;
}

static struct analysis_tally tally(uint64_t households, uint64_t f, uint64_t ag,
				   uint64_t n, uint64_t b, uint64_t i)
{
	struct analysis_tally t = { households, 0, f, ag, n, b, i };

	analysis_tally_set_silent(&t);
	return t;
}

static enum analysis_verdict verdict_of(const struct agreement *a,
					struct analysis_tally t)
{
	struct analysis_outcome o;

	analysis_judge(a, &t, &o);
	assert_int_equal(o.exact, analysis_exact_verdict(a, &t));
	return o.verdict;
}

static bool decided(const struct agreement *a, struct analysis_tally t)
{
	struct analysis_outcome o;

	analysis_judge(a, &t, &o);
	return o.decided;
}

/* ---- known answers ---------------------------------------------------- */

static void test_exactly_at_threshold(void **state)
{
	struct agreement a = base();

	(void)state;
	/* 50 of 100 votes: "> 50%" fails, ">= 50%" passes. */
	a.min_in_favour = th(AGREEMENT_GT, 1, 2);
	assert_int_equal(verdict_of(&a, tally(200, 50, 50, 0, 0, 0)),
			 ANALYSIS_INSUFFICIENT);
	a.min_in_favour = th(AGREEMENT_GE, 1, 2);
	assert_int_equal(verdict_of(&a, tally(200, 50, 50, 0, 0, 0)),
			 ANALYSIS_SUFFICIENT);
	/* 2 of 3 against ">= 66.67%" (6667/10000) fails: 2/3 < 0.6667. */
	a.min_in_favour = th(AGREEMENT_GE, 6667, 10000);
	assert_int_equal(verdict_of(&a, tally(3, 2, 1, 0, 0, 0)),
			 ANALYSIS_INSUFFICIENT);
	a.min_in_favour = th(AGREEMENT_GE, 2, 3);
	assert_int_equal(verdict_of(&a, tally(3, 2, 1, 0, 0, 0)),
			 ANALYSIS_SUFFICIENT);
	a.min_in_favour = th(AGREEMENT_GT, 2, 3);
	assert_int_equal(verdict_of(&a, tally(3, 2, 1, 0, 0, 0)),
			 ANALYSIS_INSUFFICIENT);

	/* The quorum at exactly 30%: a bare share means "at least". */
	a = base();
	a.min_response = th(AGREEMENT_GE, 3, 10);
	assert_int_equal(verdict_of(&a, tally(100, 30, 0, 0, 0, 0)),
			 ANALYSIS_SUFFICIENT);
	assert_int_equal(verdict_of(&a, tally(100, 29, 0, 0, 0, 0)),
			 ANALYSIS_LOW_RESPONSE);
	a.min_response = th(AGREEMENT_GT, 3, 10);
	assert_int_equal(verdict_of(&a, tally(100, 30, 0, 0, 0, 0)),
			 ANALYSIS_LOW_RESPONSE);
	assert_int_equal(verdict_of(&a, tally(100, 31, 0, 0, 0, 0)),
			 ANALYSIS_SUFFICIENT);
}

static void test_zero_households_and_no_responses(void **state)
{
	struct agreement a = base();
	struct analysis_outcome o;
	struct analysis_tally t = tally(0, 0, 0, 0, 0, 0);

	(void)state;
	/* No one to count: no support, and nothing can change that. */
	analysis_judge(&a, &t, &o);
	assert_int_equal(o.verdict, ANALYSIS_INSUFFICIENT);
	assert_true(o.decided);
	a.min_response = th(AGREEMENT_GE, 3, 10);
	analysis_judge(&a, &t, &o);
	assert_int_equal(o.verdict, ANALYSIS_LOW_RESPONSE);
	assert_true(o.decided);

	/* No responses yet: too low, and everything is still possible. */
	t = tally(10, 0, 0, 0, 0, 0);
	assert_int_equal(t.silent, 10);
	analysis_judge(&a, &t, &o);
	assert_int_equal(o.verdict, ANALYSIS_LOW_RESPONSE);
	assert_false(o.decided);
	assert_int_equal(o.possible,
			 ANALYSIS_BIT(ANALYSIS_SUFFICIENT) |
				 ANALYSIS_BIT(ANALYSIS_INSUFFICIENT) |
				 ANALYSIS_BIT(ANALYSIS_LOW_RESPONSE));
	/* Without a quorum, no votes is no support. */
	a = base();
	assert_int_equal(verdict_of(&a, t), ANALYSIS_INSUFFICIENT);
}

static void test_all_neutral(void **state)
{
	struct agreement a = base();
	struct analysis_tally t = tally(20, 0, 0, 10, 0, 0);
	uint64_t part, whole;

	(void)state;
	/* Left out: no votes at all, 0/0 is not support. */
	analysis_share(&a, &t, &part, &whole);
	assert_true(part == 0 && whole == 0);
	assert_int_equal(verdict_of(&a, t), ANALYSIS_INSUFFICIENT);
	a.neutral = AGREEMENT_AGAINST;
	analysis_share(&a, &t, &part, &whole);
	assert_true(part == 0 && whole == 10);
	assert_int_equal(verdict_of(&a, t), ANALYSIS_INSUFFICIENT);
	/* Against ">= 0%", 0 of 10 passes but 0 of 0 never does. */
	a.min_in_favour = th(AGREEMENT_GE, 0, 1);
	assert_int_equal(verdict_of(&a, t), ANALYSIS_SUFFICIENT);
	a.neutral = AGREEMENT_LEFT_OUT;
	assert_int_equal(verdict_of(&a, t), ANALYSIS_INSUFFICIENT);
}

static void test_full_response(void **state)
{
	struct agreement a = base();
	struct analysis_outcome o;
	struct analysis_tally t = tally(10, 6, 4, 0, 0, 0);

	(void)state;
	a.min_response = th(AGREEMENT_GE, 1, 2);
	a.confidence_permille = 950;
	analysis_judge(&a, &t, &o);
	assert_int_equal(o.responses, 10);
	assert_int_equal(t.silent, 0);
	assert_int_equal(o.verdict, ANALYSIS_SUFFICIENT);
	assert_true(o.decided);
	/* Everyone answered: the interval is the share itself. */
	assert_true(o.has_interval);
	assert_true(fabs(o.lo - 0.6) < 1e-12 && fabs(o.hi - 0.6) < 1e-12);

	/* More responses than households (anonymous forms): no underflow. */
	t = tally(10, 9, 3, 0, 0, 0);
	assert_int_equal(t.silent, 0);
	analysis_judge(&a, &t, &o);
	assert_int_equal(o.responses, 12);
	assert_true(o.quorum_met);
	assert_true(o.decided);
	assert_int_equal(o.verdict, ANALYSIS_SUFFICIENT);
}

static void test_each_basis_and_policy(void **state)
{
	struct agreement a = base();
	/* 40 households: 12 for, 8 against, 4 neutral, 2 blank, 2 invalid. */
	struct analysis_tally t = tally(40, 12, 8, 4, 2, 2);
	uint64_t part, whole;
	static const struct {
		enum agreement_count n, b, i;
		uint64_t whole;
	} votes[] = {
		{ AGREEMENT_LEFT_OUT, AGREEMENT_LEFT_OUT, AGREEMENT_LEFT_OUT,
		  20 },
		{ AGREEMENT_AGAINST, AGREEMENT_LEFT_OUT, AGREEMENT_LEFT_OUT,
		  24 },
		{ AGREEMENT_LEFT_OUT, AGREEMENT_AGAINST, AGREEMENT_LEFT_OUT,
		  22 },
		{ AGREEMENT_LEFT_OUT, AGREEMENT_LEFT_OUT, AGREEMENT_AGAINST,
		  22 },
		{ AGREEMENT_AGAINST, AGREEMENT_AGAINST, AGREEMENT_AGAINST, 28 },
	};

	(void)state;
	assert_int_equal(t.silent, 12);
	for (size_t k = 0; k < sizeof(votes) / sizeof(*votes); k++) {
		a.neutral = votes[k].n;
		a.blank = votes[k].b;
		a.invalid = votes[k].i;
		analysis_share(&a, &t, &part, &whole);
		assert_int_equal(part, 12);
		assert_int_equal(whole, votes[k].whole);
	}
	/* 12/20 = 60% > 50%; 12/24 = 50% is not; 12/22 is. */
	a.neutral = a.blank = a.invalid = AGREEMENT_LEFT_OUT;
	assert_int_equal(verdict_of(&a, t), ANALYSIS_SUFFICIENT);
	a.neutral = AGREEMENT_AGAINST;
	assert_int_equal(verdict_of(&a, t), ANALYSIS_INSUFFICIENT);
	a.neutral = AGREEMENT_LEFT_OUT;
	a.blank = AGREEMENT_AGAINST;
	assert_int_equal(verdict_of(&a, t), ANALYSIS_SUFFICIENT);

	/* Responses: 12 of 28, whatever the neutral policy says. */
	a = base();
	a.basis = AGREEMENT_BASIS_RESPONSES;
	analysis_share(&a, &t, &part, &whole);
	assert_true(part == 12 && whole == 28);
	assert_int_equal(verdict_of(&a, t), ANALYSIS_INSUFFICIENT);
	a.min_in_favour = th(AGREEMENT_GE, 3, 7); /* 12/28 = 3/7 exactly */
	assert_int_equal(verdict_of(&a, t), ANALYSIS_SUFFICIENT);

	/* Households: silent against 12/40; silent for (12+12)/40. */
	a = base();
	a.basis = AGREEMENT_BASIS_HOUSEHOLDS;
	a.silent = AGREEMENT_SILENT_AGAINST;
	analysis_share(&a, &t, &part, &whole);
	assert_true(part == 12 && whole == 40);
	assert_int_equal(verdict_of(&a, t), ANALYSIS_INSUFFICIENT);
	a.silent = AGREEMENT_SILENT_FOR;
	analysis_share(&a, &t, &part, &whole);
	assert_true(part == 24 && whole == 40);
	assert_int_equal(verdict_of(&a, t), ANALYSIS_SUFFICIENT);
	/* 7:220 BW: at least 70% of all households. */
	a.silent = AGREEMENT_SILENT_AGAINST;
	a.min_in_favour = th(AGREEMENT_GE, 7, 10);
	assert_int_equal(verdict_of(&a, tally(10, 7, 0, 0, 0, 0)),
			 ANALYSIS_SUFFICIENT);
	assert_int_equal(verdict_of(&a, tally(10, 6, 0, 0, 0, 0)),
			 ANALYSIS_INSUFFICIENT);
}

/*
 * "Already decided" at its exact boundary: 100 households, > 50% of the
 * votes.  With 40 silent, 51 for and 9 against is decided (even 40 more
 * against make 51 of 100), 50 for and 10 against is not (50 of 100).
 */
static void test_decided_boundary(void **state)
{
	struct agreement a = base();
	struct analysis_outcome o;
	struct analysis_tally t;

	(void)state;
	assert_true(decided(&a, tally(100, 51, 9, 0, 0, 0)));
	assert_false(decided(&a, tally(100, 50, 10, 0, 0, 0)));
	/* And the other way: 51 against cannot be overturned. */
	assert_true(decided(&a, tally(100, 9, 50, 0, 0, 0)));
	assert_false(decided(&a, tally(100, 10, 49, 0, 0, 0)));
	t = tally(100, 9, 50, 0, 0, 0);
	analysis_judge(&a, &t, &o);
	assert_int_equal(o.possible, ANALYSIS_BIT(ANALYSIS_INSUFFICIENT));
	/* With >= the for side needs one vote less. */
	a.min_in_favour = th(AGREEMENT_GE, 1, 2);
	assert_true(decided(&a, tally(100, 50, 10, 0, 0, 0)));
	assert_false(decided(&a, tally(100, 49, 11, 0, 0, 0)));

	/* A quorum keeps it open until it is met... */
	a = base();
	a.min_response = th(AGREEMENT_GE, 3, 10);
	assert_false(decided(&a, tally(100, 29, 0, 0, 0, 0)));
	/* ...and then 51 for still decides it. */
	assert_true(decided(&a, tally(100, 51, 0, 0, 0, 0)));
	/* Basis households, silent against: 70 of 100 needed. */
	a = base();
	a.basis = AGREEMENT_BASIS_HOUSEHOLDS;
	a.min_in_favour = th(AGREEMENT_GE, 7, 10);
	assert_true(decided(&a, tally(100, 70, 0, 0, 0, 0)));
	assert_false(decided(&a, tally(100, 69, 0, 0, 0, 0)));
	assert_true(decided(&a, tally(100, 0, 31, 0, 0, 0)));
	assert_false(decided(&a, tally(100, 0, 30, 0, 0, 0)));
	/* Silence is consent: 31 against are enough to block. */
	a.silent = AGREEMENT_SILENT_FOR;
	assert_true(decided(&a, tally(100, 0, 31, 0, 0, 0)));
	assert_int_equal(verdict_of(&a, tally(100, 0, 30, 0, 0, 0)),
			 ANALYSIS_SUFFICIENT);
	assert_false(decided(&a, tally(100, 0, 30, 0, 0, 0)));
}

/*
 * Buurten together.  Each: 60 of 100 for in A, 40 of 100 in B.  All must
 * pass: B fails, so the plan does.  Pooled: 100 of 200, which "> 50%"
 * refuses and ">= 50%" accepts.
 */
static void test_each_all_pooled(void **state)
{
	struct agreement a = base();
	struct analysis_tally ta = tally(100, 60, 40, 0, 0, 0);
	struct analysis_tally tb = tally(100, 40, 60, 0, 0, 0);
	struct analysis_tally pool = { 0 };
	struct analysis_outcome oa, ob, op;
	struct analysis_overall all;

	(void)state;
	analysis_judge(&a, &ta, &oa);
	analysis_judge(&a, &tb, &ob);
	assert_int_equal(oa.verdict, ANALYSIS_SUFFICIENT);
	assert_int_equal(ob.verdict, ANALYSIS_INSUFFICIENT);

	analysis_all_init(&all);
	analysis_all_add(&all, &oa);
	analysis_all_add(&all, &ob);
	assert_int_equal(all.verdict, ANALYSIS_INSUFFICIENT);
	assert_true(all.decided);
	assert_int_equal(all.nr_failing, 1);

	analysis_tally_add(&pool, &ta);
	analysis_tally_add(&pool, &tb);
	analysis_judge(&a, &pool, &op);
	assert_int_equal(op.part, 100);
	assert_int_equal(op.whole, 200);
	assert_int_equal(op.verdict, ANALYSIS_INSUFFICIENT);
	a.min_in_favour = th(AGREEMENT_GE, 1, 2);
	analysis_judge(&a, &pool, &op);
	assert_int_equal(op.verdict, ANALYSIS_SUFFICIENT);

	/* All pass, but one could still fail: sufficient, not decided. */
	a = base();
	ta = tally(100, 60, 0, 0, 0, 0); /* decided */
	tb = tally(100, 30, 0, 0, 0, 0); /* 70 silent */
	analysis_judge(&a, &ta, &oa);
	analysis_judge(&a, &tb, &ob);
	analysis_all_init(&all);
	analysis_all_add(&all, &oa);
	analysis_all_add(&all, &ob);
	assert_int_equal(all.verdict, ANALYSIS_SUFFICIENT);
	assert_false(all.decided);
	/* One buurt that can no longer pass decides it for all. */
	tb = tally(100, 0, 51, 0, 0, 0);
	analysis_judge(&a, &tb, &ob);
	ta = tally(100, 1, 0, 0, 0, 0); /* undecided */
	analysis_judge(&a, &ta, &oa);
	analysis_all_init(&all);
	analysis_all_add(&all, &oa);
	analysis_all_add(&all, &ob);
	assert_int_equal(all.verdict, ANALYSIS_INSUFFICIENT);
	assert_true(all.decided);

	/* Pooled silent households add up per buurt, not as H - R. */
	pool = (struct analysis_tally){ 0 };
	ta = tally(10, 12, 0, 0, 0, 0); /* anonymous forms: 0 silent */
	tb = tally(10, 2, 0, 0, 0, 0);	/* 8 silent */
	analysis_tally_add(&pool, &ta);
	analysis_tally_add(&pool, &tb);
	assert_int_equal(pool.households, 20);
	assert_int_equal(pool.silent, 8);
}

static void test_too_close_to_call(void **state)
{
	struct agreement a = base();
	struct analysis_outcome o;
	struct analysis_tally t;

	(void)state;
	a.confidence_permille = 950;
	/* 52 of 100 votes out of 1000 households: [42%, 62%] holds 50%. */
	t = tally(1000, 52, 48, 0, 0, 0);
	analysis_judge(&a, &t, &o);
	assert_int_equal(o.exact, ANALYSIS_SUFFICIENT);
	assert_int_equal(o.verdict, ANALYSIS_TOO_CLOSE);
	/* 70 of 100: clear. */
	t = tally(1000, 70, 30, 0, 0, 0);
	analysis_judge(&a, &t, &o);
	assert_int_equal(o.verdict, ANALYSIS_SUFFICIENT);
	/* A missed quorum stays a missed quorum. */
	a.min_response = th(AGREEMENT_GE, 1, 5);
	t = tally(1000, 52, 48, 0, 0, 0);
	analysis_judge(&a, &t, &o);
	assert_int_equal(o.verdict, ANALYSIS_LOW_RESPONSE);
	/* Decided outcomes are not "too close": 51 of 100 for, 40 silent. */
	a = base();
	a.confidence_permille = 950;
	t = tally(100, 51, 9, 0, 0, 0);
	analysis_judge(&a, &t, &o);
	assert_true(o.decided);
	assert_int_equal(o.verdict, ANALYSIS_SUFFICIENT);
	/* Basis households: exact, no interval. */
	a.basis = AGREEMENT_BASIS_HOUSEHOLDS;
	t = tally(1000, 52, 48, 0, 0, 0);
	analysis_judge(&a, &t, &o);
	assert_true(o.exact_share);
	assert_false(o.has_interval);
	assert_int_equal(o.verdict, ANALYSIS_INSUFFICIENT);
}

static void test_words(void **state)
{
	(void)state;
	assert_string_equal(
		analysis_verdict_words(ANALYSIS_SUFFICIENT, SURVEY_NL),
		"voldoende draagvlak");
	assert_string_equal(
		analysis_verdict_words(ANALYSIS_INSUFFICIENT, SURVEY_NL),
		"onvoldoende draagvlak");
	assert_string_equal(
		analysis_verdict_words(ANALYSIS_LOW_RESPONSE, SURVEY_NL),
		"respons te laag");
	assert_string_equal(
		analysis_verdict_words(ANALYSIS_TOO_CLOSE, SURVEY_NL),
		"te krap om te beslissen");
	assert_string_equal(
		analysis_verdict_words(ANALYSIS_TOO_CLOSE, SURVEY_EN),
		"too close to call");
	assert_string_equal(analysis_verdict_name(ANALYSIS_LOW_RESPONSE),
			    "low_response");
}

/* ---- the Wilson interval ---------------------------------------------- */

/*
 * Expected values from python3 (statistics.NormalDist), independently of
 * the C code:
 *
 *   z = NormalDist().inv_cdf(0.5 + c / 2)
 *   f = sqrt((N - n) / (N - 1)) if N > n and N > 1 else 0
 *   z *= f; z2 = z * z; p = x / n; d = 1 + z2 / n
 *   centre = (p + z2 / (2 * n)) / d
 *   half = z / d * sqrt(p * (1 - p) / n + z2 / (4 * n * n))
 *   lo, hi = max(0, centre - half), min(1, centre + half)
 */
static void test_wilson(void **state)
{
	static const struct {
		uint64_t x, n, pop;
		uint32_t permille;
		double lo, hi;
	} cases[] = {
		{ 60, 100, 1000, 950, 0.506993324247, 0.686316654814 },
		{ 30, 50, 142, 950, 0.488083511943, 0.702369157558 },
		{ 5, 10, 10, 950, 0.500000000000, 0.500000000000 },
		{ 0, 20, 1000000000, 950, 0.000000000000, 0.161125155485 },
		{ 45, 80, 176, 900, 0.494400859981, 0.628322342597 },
		{ 9, 10, 11, 950, 0.825634338495, 0.944770862939 },
		{ 52, 100, 200, 990, 0.429611359709, 0.609098023433 },
	};
	double lo = -1, hi = -1;

	(void)state;
	/* python3: NormalDist().inv_cdf(0.975), (0.95), (0.995) */
	assert_true(fabs(analysis_z(950) - 1.9599639845400536) < 1e-12);
	assert_true(fabs(analysis_z(900) - 1.6448536269514715) < 1e-12);
	assert_true(fabs(analysis_z(990) - 2.5758293035489) < 1e-12);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		assert_true(analysis_wilson(cases[i].x, cases[i].n,
					    cases[i].pop, cases[i].permille,
					    &lo, &hi));
		if (fabs(lo - cases[i].lo) > 1e-9 ||
		    fabs(hi - cases[i].hi) > 1e-9)
			fail_msg("case %zu: [%.12f, %.12f], want [%.12f, "
				 "%.12f]",
				 i, lo, hi, cases[i].lo, cases[i].hi);
		/* The interval always holds the observed share. */
		assert_true(lo <= (double)cases[i].x / cases[i].n + 1e-12);
		assert_true(hi >= (double)cases[i].x / cases[i].n - 1e-12);
	}
	assert_false(analysis_wilson(0, 0, 100, 950, &lo, &hi));
}

/* ---- brute force ------------------------------------------------------ */

/* The rule as docs/definition.md words it, written out separately. */
static bool ref_met(const struct agreement_threshold *t, uint64_t part,
		    uint64_t whole)
{
	if (!t->set)
		return true;
	if (!whole)
		return false;
	if (t->cmp == AGREEMENT_GT)
		return part * t->den > whole * t->num;
	return part * t->den >= whole * t->num;
}

static enum analysis_verdict ref_verdict(const struct agreement *a,
					 uint64_t households, uint64_t silent,
					 const uint64_t n[5])
{
	uint64_t responses = n[0] + n[1] + n[2] + n[3] + n[4];
	uint64_t part = n[0], whole = 0;

	if (!ref_met(&a->min_response, responses, households))
		return ANALYSIS_LOW_RESPONSE;
	if (a->basis == AGREEMENT_BASIS_VOTES)
		whole = n[0] + n[1] +
			(a->neutral == AGREEMENT_AGAINST ? n[2] : 0) +
			(a->blank == AGREEMENT_AGAINST ? n[3] : 0) +
			(a->invalid == AGREEMENT_AGAINST ? n[4] : 0);
	else if (a->basis == AGREEMENT_BASIS_RESPONSES)
		whole = responses;
	else {
		whole = households;
		if (a->silent == AGREEMENT_SILENT_FOR)
			part += silent;
	}
	return ref_met(&a->min_in_favour, part, whole) ? ANALYSIS_SUFFICIENT
						       : ANALYSIS_INSUFFICIENT;
}

/*
 * Every way to hand out left silent households over the six outcomes
 * (0: stays silent, 1..5: for, against, neutral, blank, invalid); the
 * verdicts reached are or-ed into *mask.
 */
static void enumerate(const struct agreement *a, uint64_t households,
		      uint64_t n[5], uint64_t stay, int kind, uint64_t left,
		      unsigned *mask)
{
	if (kind == 5) {
		/* the rest stays silent */
		*mask |= ANALYSIS_BIT(
			ref_verdict(a, households, stay + left, n));
		return;
	}
	for (uint64_t k = 0; k <= left; k++) {
		n[kind] += k;
		enumerate(a, households, n, stay, kind + 1, left - k, mask);
		n[kind] -= k;
	}
}

static void check_all_tallies(const struct agreement *a, uint64_t max_h,
			      unsigned long *checked)
{
	for (uint64_t h = 0; h <= max_h; h++) {
		uint64_t n[5];

		/* Responses up to h + 1: anonymous forms may exceed h. */
		for (n[0] = 0; n[0] <= h + 1; n[0]++)
			for (n[1] = 0; n[0] + n[1] <= h + 1; n[1]++)
				for (n[2] = 0; n[0] + n[1] + n[2] <= h + 1;
				     n[2]++)
					for (n[3] = 0;
					     n[0] + n[1] + n[2] + n[3] <= h + 1;
					     n[3]++)
						for (n[4] = 0;
						     n[0] + n[1] + n[2] + n[3] +
							     n[4] <=
						     h + 1;
						     n[4]++) {
							struct analysis_tally
								t = tally(h,
									  n[0],
									  n[1],
									  n[2],
									  n[3],
									  n[4]);
							unsigned want = 0, got;

							if (analysis_exact_verdict(
								    a, &t) !=
							    ref_verdict(
								    a, h,
								    t.silent,
								    n))
								fail_msg(
									"exact "
									"verdic"
									"t "
									"differ"
									"s at "
									"h=%u "
									"%u/%u/"
									"%u/%u/"
									"%u",
									(unsigned)
										h,
									(unsigned)n
										[0],
									(unsigned)n
										[1],
									(unsigned)n
										[2],
									(unsigned)n
										[3],
									(unsigned)n
										[4]);
							enumerate(a, h, n, 0, 0,
								  t.silent,
								  &want);
							got = analysis_possible_verdicts(
								a, &t);
							if (got != want)
								fail_msg(
									"possib"
									"le "
									"verdic"
									"ts "
									"0x%x, "
									"brute "
									"force "
									"0x%x "
									"at "
									"h=%u "
									"%u/%u/"
									"%u/%u/"
									"%u "
									"basis="
									"%d "
									"quorum"
									"=%d "
									"%u/%u "
									"favour"
									"=%d "
									"%d/%u/"
									"%u",
									got,
									want,
									(unsigned)
										h,
									(unsigned)n
										[0],
									(unsigned)n
										[1],
									(unsigned)n
										[2],
									(unsigned)n
										[3],
									(unsigned)n
										[4],
									(int)a->basis,
									a->min_response
										.set,
									a->min_response
										.num,
									a->min_response
										.den,
									a->min_in_favour
										.set,
									(int)a->min_in_favour
										.cmp,
									a->min_in_favour
										.num,
									a->min_in_favour
										.den);
							(*checked)++;
						}
	}
}

static void test_decided_brute_force(void **state)
{
	const struct agreement_threshold quorum[] = {
		unset,
		th(AGREEMENT_GE, 3, 10),
		th(AGREEMENT_GT, 1, 2),
		th(AGREEMENT_GE, 1, 1),
		th(AGREEMENT_GT, 0, 1),
	};
	const struct agreement_threshold favour[] = {
		th(AGREEMENT_GT, 1, 2),
		th(AGREEMENT_GE, 1, 2),
		th(AGREEMENT_GE, 2, 3),
		th(AGREEMENT_GT, 2, 3),
		th(AGREEMENT_GE, 7, 10),
		th(AGREEMENT_GE, 0, 1),
		th(AGREEMENT_GT, 0, 1),
		th(AGREEMENT_GE, 1, 1),
		unset,
	};
	unsigned long checked = 0, rules = 0;

	(void)state;
	for (size_t q = 0; q < sizeof(quorum) / sizeof(*quorum); q++)
		for (size_t f = 0; f < sizeof(favour) / sizeof(*favour); f++)
			for (int basis = 0; basis < 3; basis++)
				for (int policy = 0; policy < 8; policy++) {
					struct agreement a = base();

					a.min_response = quorum[q];
					a.min_in_favour = favour[f];
					a.basis = (enum agreement_basis)basis;
					/* neutral, blank, invalid for votes; silent for households */
					if (basis ==
						    AGREEMENT_BASIS_RESPONSES &&
					    policy)
						continue;
					if (basis ==
						    AGREEMENT_BASIS_HOUSEHOLDS &&
					    policy > 1)
						continue;
					a.neutral =
						policy & 1 ? AGREEMENT_AGAINST
							   : AGREEMENT_LEFT_OUT;
					a.blank = policy & 2
							  ? AGREEMENT_AGAINST
							  : AGREEMENT_LEFT_OUT;
					a.invalid =
						policy & 4 ? AGREEMENT_AGAINST
							   : AGREEMENT_LEFT_OUT;
					a.silent =
						policy & 1
							? AGREEMENT_SILENT_FOR
							: AGREEMENT_SILENT_AGAINST;
					if (basis != AGREEMENT_BASIS_VOTES)
						a.neutral = a.blank = a.invalid =
							AGREEMENT_LEFT_OUT;
					check_all_tallies(&a, 8, &checked);
					rules++;
				}
	print_message("brute force: %lu rules, %lu tallies\n", rules, checked);
	assert_true(rules == 5 * 9 * 11);
}

/*
 * How many more answers the quorum needs and how many more votes turn
 * the verdict, on cases worked out by hand.
 */
static void test_margin_by_hand(void **state)
{
	struct agreement a = base();
	struct analysis_tally t;
	struct analysis_margin m;

	(void)state;
	/* 30% of 150 households is 45 exactly: ">=" needs 45, ">" 46. */
	a.min_response = th(AGREEMENT_GE, 30, 100);
	assert_int_equal(analysis_threshold_least(&a.min_response, 150), 45);
	t = tally(150, 44, 0, 0, 0, 0);
	analysis_margin(&a, &t, &m);
	assert_true(m.has_quorum && m.quorum_reachable);
	assert_int_equal(m.quorum_short, 1);
	/* All 44 for: one more answer in favour meets the quorum. */
	assert_true(m.toward_sufficient && m.can_flip);
	assert_int_equal(m.flip, 1);
	a.min_response = th(AGREEMENT_GT, 30, 100);
	assert_int_equal(analysis_threshold_least(&a.min_response, 150), 46);
	analysis_margin(&a, &t, &m);
	assert_int_equal(m.quorum_short, 2);
	assert_int_equal(m.flip, 2);
	/* Met: 0 more, whatever the comparison. */
	t = tally(150, 46, 0, 0, 0, 0);
	analysis_margin(&a, &t, &m);
	assert_int_equal(m.quorum_short, 0);
	/* 35% of 412 is 144,2: at least 145. */
	a.min_response = th(AGREEMENT_GE, 35, 100);
	assert_int_equal(analysis_threshold_least(&a.min_response, 412), 145);
	t = tally(412, 60, 40, 0, 0, 0);
	analysis_margin(&a, &t, &m);
	assert_int_equal(m.quorum_short, 45);
	/* 2/3 of 10 is 6,67: 7 either way; 1/2 of 10: 5 (>=), 6 (>). */
	a.min_response = th(AGREEMENT_GE, 2, 3);
	assert_int_equal(analysis_threshold_least(&a.min_response, 10), 7);
	a.min_response = th(AGREEMENT_GT, 2, 3);
	assert_int_equal(analysis_threshold_least(&a.min_response, 10), 7);
	a.min_response = th(AGREEMENT_GE, 1, 2);
	assert_int_equal(analysis_threshold_least(&a.min_response, 10), 5);
	a.min_response = th(AGREEMENT_GT, 1, 2);
	assert_int_equal(analysis_threshold_least(&a.min_response, 10), 6);
	/* No households: no quorum to reach. */
	t = tally(0, 0, 0, 0, 0, 0);
	analysis_margin(&a, &t, &m);
	assert_false(m.quorum_reachable);
	assert_false(m.can_flip);
	assert_int_equal(analysis_threshold_least(&unset, 0), 0);

	/*
	 * > 50% of the votes, no quorum.  30 for, 32 against: with 2 more
	 * for it is 32 of 64, exactly 50%, not more; with 3, 33 of 65.
	 */
	a = base();
	t = tally(100, 30, 32, 0, 0, 0);
	analysis_margin(&a, &t, &m);
	assert_false(m.has_quorum);
	assert_true(m.toward_sufficient && m.can_flip);
	assert_int_equal(m.flip, 3);
	/* 40 for, 30 against: 10 more against make it 40 of 80. */
	t = tally(100, 40, 30, 0, 0, 0);
	analysis_margin(&a, &t, &m);
	assert_false(m.toward_sufficient);
	assert_true(m.can_flip);
	assert_int_equal(m.flip, 10);
	/* 8 for, 2 silent: even 2 against leave 8 of 10: decided. */
	t = tally(10, 8, 0, 0, 0, 0);
	analysis_margin(&a, &t, &m);
	assert_false(m.can_flip);
	/* Basis households, >= 70% (art. 7:220): 60 of 100 need 10 more. */
	a.basis = AGREEMENT_BASIS_HOUSEHOLDS;
	a.min_in_favour = th(AGREEMENT_GE, 70, 100);
	t = tally(100, 60, 5, 0, 0, 0);
	analysis_margin(&a, &t, &m);
	assert_true(m.toward_sufficient && m.can_flip);
	assert_int_equal(m.flip, 10);
	/* Against answers from silent households cannot undo 70 of 100. */
	t = tally(100, 70, 5, 0, 0, 0);
	analysis_margin(&a, &t, &m);
	assert_false(m.can_flip);
}

/*
 * The margin against a linear search over every small tally: the least
 * k that meets the quorum, and the least k answering alike that turns
 * the verdict.
 */
static void test_margin_brute_force(void **state)
{
	const struct agreement_threshold quorum[] = {
		unset, th(AGREEMENT_GE, 3, 10), th(AGREEMENT_GT, 3, 10),
		th(AGREEMENT_GT, 1, 2), th(AGREEMENT_GE, 1, 1)
	};
	const struct agreement_threshold favour[] = { th(AGREEMENT_GT, 1, 2),
						      th(AGREEMENT_GE, 1, 2),
						      th(AGREEMENT_GE, 2, 3),
						      th(AGREEMENT_GT, 0, 1) };
	unsigned long checked = 0;

	(void)state;
	for (size_t q = 0; q < sizeof(quorum) / sizeof(*quorum); q++)
		for (size_t f = 0; f < sizeof(favour) / sizeof(*favour); f++)
			for (int basis = 0; basis < 3; basis++)
				for (int sil = 0; sil < 2; sil++)
					for (uint64_t h = 0; h <= 9; h++)
						for (uint64_t fo = 0; fo <= h;
						     fo++)
							for (uint64_t ag = 0;
							     fo + ag <= h;
							     ag++) {
								struct agreement a =
									base();
								struct analysis_tally t =
									tally(h,
									      fo,
									      ag,
									      0,
									      0,
									      0);
								struct analysis_margin
									m;
								uint64_t k;
								bool now;

								a.min_response =
									quorum[q];
								a.min_in_favour =
									favour[f];
								a.basis = (enum agreement_basis)
									basis;
								a.silent =
									sil ? AGREEMENT_SILENT_FOR
									    : AGREEMENT_SILENT_AGAINST;
								analysis_margin(
									&a, &t,
									&m);
								for (k = 0;
								     h &&
								     !agreement_threshold_met(
									     &a.min_response,
									     fo + ag +
										     k,
									     h);
								     k++)
									;
								if (h)
									assert_int_equal(
										m.quorum_short,
										k);
								now = analysis_exact_verdict(
									      &a,
									      &t) ==
								      ANALYSIS_SUFFICIENT;
								for (k = 1;
								     k <=
								     t.silent;
								     k++) {
									struct analysis_tally
										c = t;

									if (now)
										c.n_against +=
											k;
									else
										c.n_for +=
											k;
									c.silent -=
										k;
									if ((analysis_exact_verdict(
										     &a,
										     &c) ==
									     ANALYSIS_SUFFICIENT) !=
									    now)
										break;
								}
								assert_int_equal(
									m.can_flip,
									k <= t.silent);
								if (m.can_flip)
									assert_int_equal(
										m.flip,
										k);
								checked++;
							}
	print_message("margin brute force: %lu tallies\n", checked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exactly_at_threshold),
		cmocka_unit_test(test_zero_households_and_no_responses),
		cmocka_unit_test(test_all_neutral),
		cmocka_unit_test(test_full_response),
		cmocka_unit_test(test_each_basis_and_policy),
		cmocka_unit_test(test_decided_boundary),
		cmocka_unit_test(test_each_all_pooled),
		cmocka_unit_test(test_too_close_to_call),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_decided_brute_force),
		cmocka_unit_test(test_margin_by_hand),
		cmocka_unit_test(test_margin_brute_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
