/*
 * verdict.c - the agreed rule applied to counts: verdict, whether it is
 * already decided, and the statistical interval (see verdict.h).
 *
 * Every comparison with a threshold goes through agreement_threshold_met(),
 * which cross-multiplies in integers: 50 of 100 against "> 50%" must fail
 * every time.  Floating point is used only for the confidence interval,
 * which is an estimate anyway and never decides at an exact boundary.
 */
#include "verdict.h"

#include <math.h>
#include <stddef.h>

#include "banned.h"

uint64_t analysis_tally_responses(const struct analysis_tally *t)
{
	return t->n_for + t->n_against + t->n_neutral + t->n_blank +
	       t->n_invalid;
}

void analysis_tally_set_silent(struct analysis_tally *t)
{
	uint64_t r = analysis_tally_responses(t);

	/* Anonymous forms can push responses past households: no underflow. */
	t->silent = t->households > r ? t->households - r : 0;
}

void analysis_tally_add(struct analysis_tally *sum,
			const struct analysis_tally *t)
{
	sum->households += t->households;
	sum->silent += t->silent;
	sum->n_for += t->n_for;
	sum->n_against += t->n_against;
	sum->n_neutral += t->n_neutral;
	sum->n_blank += t->n_blank;
	sum->n_invalid += t->n_invalid;
}

const char *analysis_verdict_words(enum analysis_verdict v,
				   enum survey_lang lang)
{
	static const char *const words[][SURVEY_NLANG] = {
		[ANALYSIS_SUFFICIENT] = { "voldoende draagvlak",
					  "sufficient support" },
		[ANALYSIS_INSUFFICIENT] = { "onvoldoende draagvlak",
					    "insufficient support" },
		[ANALYSIS_LOW_RESPONSE] = { "respons te laag",
					    "response too low" },
		[ANALYSIS_TOO_CLOSE] = { "te krap om te beslissen",
					 "too close to call" },
	};

	if ((unsigned)v >= ANALYSIS_NVERDICT)
		return "?";
	return words[v][lang == SURVEY_EN];
}

const char *analysis_verdict_name(enum analysis_verdict v)
{
	static const char *const name[] = {
		[ANALYSIS_SUFFICIENT] = "sufficient",
		[ANALYSIS_INSUFFICIENT] = "insufficient",
		[ANALYSIS_LOW_RESPONSE] = "low_response",
		[ANALYSIS_TOO_CLOSE] = "too_close",
	};

	return (unsigned)v < ANALYSIS_NVERDICT ? name[v] : "unknown";
}

void analysis_share(const struct agreement *a, const struct analysis_tally *t,
		    uint64_t *part, uint64_t *whole)
{
	switch (a->basis) {
	case AGREEMENT_BASIS_RESPONSES:
		*part = t->n_for;
		*whole = analysis_tally_responses(t);
		return;
	case AGREEMENT_BASIS_HOUSEHOLDS:
		*part = t->n_for;
		if (a->silent == AGREEMENT_SILENT_FOR)
			*part += t->silent;
		*whole = t->households;
		return;
	case AGREEMENT_BASIS_VOTES:
	default:
		*part = t->n_for;
		*whole = t->n_for + t->n_against;
		if (a->neutral == AGREEMENT_AGAINST)
			*whole += t->n_neutral;
		if (a->blank == AGREEMENT_AGAINST)
			*whole += t->n_blank;
		if (a->invalid == AGREEMENT_AGAINST)
			*whole += t->n_invalid;
		return;
	}
}

enum analysis_verdict analysis_exact_verdict(const struct agreement *a,
					     const struct analysis_tally *t)
{
	uint64_t part, whole;

	if (!agreement_threshold_met(&a->min_response,
				     analysis_tally_responses(t),
				     t->households))
		return ANALYSIS_LOW_RESPONSE;
	analysis_share(a, t, &part, &whole);
	return agreement_threshold_met(&a->min_in_favour, part, whole)
		       ? ANALYSIS_SUFFICIENT
		       : ANALYSIS_INSUFFICIENT;
}

unsigned analysis_possible_verdicts(const struct agreement *a,
				    const struct analysis_tally *t)
{
	unsigned mask = ANALYSIS_BIT(analysis_exact_verdict(a, t));
	uint64_t *kind[5];
	struct analysis_tally c;

	if (!t->silent)
		return mask;
	/*
	 * Every silent household answers alike.  The quorum and the share's
	 * extremes are reached there (see verdict.h); staying silent is the
	 * counts as they are, above.
	 */
	for (int k = 0; k < 5; k++) {
		c = *t;
		kind[0] = &c.n_for;
		kind[1] = &c.n_against;
		kind[2] = &c.n_neutral;
		kind[3] = &c.n_blank;
		kind[4] = &c.n_invalid;
		*kind[k] += c.silent;
		c.silent = 0;
		mask |= ANALYSIS_BIT(analysis_exact_verdict(a, &c));
	}
	return mask;
}

uint64_t analysis_threshold_least(const struct agreement_threshold *t,
				  uint64_t whole)
{
	uint64_t q, r, fl;
	bool exact;

	if (!t->set)
		return 0;
	if (!whole || !t->den)
		return UINT64_MAX;
	/*
	 * whole * num / den without overflowing 64 bits: whole = q * den + r
	 * with r < den < 2^32, so r * num fits.
	 */
	q = whole / t->den;
	r = whole % t->den;
	fl = q * t->num + r * t->num / t->den;
	exact = (r * t->num) % t->den == 0;
	if (t->cmp == AGREEMENT_GT)
		return fl + 1;
	return exact ? fl : fl + 1;
}

/* t with k of its silent households answering for (or against). */
static bool sufficient_after(const struct agreement *a,
			     const struct analysis_tally *t, uint64_t k,
			     bool for_)
{
	struct analysis_tally c = *t;

	if (for_)
		c.n_for += k;
	else
		c.n_against += k;
	c.silent -= k;
	return analysis_exact_verdict(a, &c) == ANALYSIS_SUFFICIENT;
}

void analysis_margin(const struct agreement *a, const struct analysis_tally *t,
		     struct analysis_margin *m)
{
	uint64_t r = analysis_tally_responses(t), least, lo, hi;
	bool now = analysis_exact_verdict(a, t) == ANALYSIS_SUFFICIENT;

	m->has_quorum = a->min_response.set;
	least = analysis_threshold_least(&a->min_response, t->households);
	m->quorum_reachable = least != UINT64_MAX;
	m->quorum_short = !m->quorum_reachable ? 0 : least > r ? least - r : 0;
	/*
	 * Sufficient-after is monotone in k (true from some k on when
	 * heading for sufficient; false from some k on when heading away):
	 * find the least k in 1..silent where it differs from now.
	 */
	m->toward_sufficient = !now;
	m->flip = 0;
	m->can_flip =
		t->silent && sufficient_after(a, t, t->silent, !now) != now;
	if (!m->can_flip)
		return;
	lo = 1;
	hi = t->silent;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (sufficient_after(a, t, mid, !now) != now)
			hi = mid;
		else
			lo = mid + 1;
	}
	m->flip = lo;
}

/*
 * The standard normal quantile: Acklam's rational approximation (relative
 * error 1.15e-9) polished by one Halley step on erfc, which brings it to
 * double precision.
 */
static double normal_quantile(double p)
{
	static const double a[] = {
		-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
		-3.066479806614716e+01, 2.506628277459239e+00
	};
	static const double b[] = { -5.447609879822406e+01,
				    1.615858368580409e+02,
				    -1.556989798598866e+02,
				    6.680131188771972e+01,
				    -1.328068155288572e+01 };
	static const double c[] = {
		-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
		4.374664141464968e+00,	2.938163982698783e+00
	};
	static const double d[] = { 7.784695709041462e-03,
				    3.224671290700398e-01,
				    2.445134137142996e+00,
				    3.754408661907416e+00 };
	const double plow = 0.02425;
	double q, r, x, e, u;

	if (p < plow) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) *
			     q +
		     c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p <= 1 - plow) {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) *
			     r +
		     a[5]) *
		    q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) *
			     r +
		     1);
	} else {
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) *
			      q +
		      c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	e = 0.5 * erfc(-x / sqrt(2)) - p;
	u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

double analysis_z(uint32_t confidence_permille)
{
	/* Two-sided: (1 - level) / 2 in each tail. */
	return normal_quantile((1000.0 + confidence_permille) / 2000.0);
}

bool analysis_wilson(uint64_t part, uint64_t whole, uint64_t population,
		     uint32_t confidence_permille, double *lo, double *hi)
{
	double n = (double)whole, p, z, z2, fpc = 0, denom, centre, half;

	if (!whole || !confidence_permille || confidence_permille >= 1000)
		return false;
	p = part >= whole ? 1.0 : (double)part / n;
	/*
	 * The buurt's households are the population: sampling n of N
	 * without replacement shrinks the standard error by
	 * sqrt((N - n) / (N - 1)); nothing is left to estimate once every
	 * household is in the sample (anonymous forms can make n exceed N).
	 */
	if (population > whole && population > 1)
		fpc = sqrt((double)(population - whole) /
			   (double)(population - 1));
	z = analysis_z(confidence_permille) * fpc;
	z2 = z * z;
	denom = 1 + z2 / n;
	centre = (p + z2 / (2 * n)) / denom;
	half = z / denom * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
	*lo = centre - half < 0 ? 0 : centre - half;
	*hi = centre + half > 1 ? 1 : centre + half;
	return true;
}

void analysis_judge(const struct agreement *a, const struct analysis_tally *t,
		    struct analysis_outcome *o)
{
	double threshold;

	o->responses = analysis_tally_responses(t);
	o->quorum_met = agreement_threshold_met(&a->min_response, o->responses,
						t->households);
	analysis_share(a, t, &o->part, &o->whole);
	o->share_met =
		agreement_threshold_met(&a->min_in_favour, o->part, o->whole);
	o->exact = analysis_exact_verdict(a, t);
	o->verdict = o->exact;
	o->possible = analysis_possible_verdicts(a, t);
	o->decided = !(o->possible & (o->possible - 1));
	analysis_margin(a, t, &o->margin);
	/* Every household is in the count: the share is a fact, not a guess. */
	o->exact_share = a->basis == AGREEMENT_BASIS_HOUSEHOLDS;
	o->has_interval = false;
	o->lo = o->hi = 0;
	if (!a->confidence_permille || o->exact_share)
		return;
	o->has_interval =
		analysis_wilson(o->part, o->whole, t->households,
				a->confidence_permille, &o->lo, &o->hi);
	if (!o->has_interval || !o->quorum_met || o->decided ||
	    !a->min_in_favour.set || !a->min_in_favour.den)
		return;
	threshold = (double)a->min_in_favour.num / a->min_in_favour.den;
	if (o->lo < threshold && threshold < o->hi)
		o->verdict = ANALYSIS_TOO_CLOSE;
}

void analysis_all_init(struct analysis_overall *ov)
{
	ov->verdict = ANALYSIS_SUFFICIENT;
	ov->decided = true;
	ov->nr_buurten = ov->nr_passing = ov->nr_failing = 0;
	ov->nr_too_close = 0;
	ov->all_decided_pass = true;
	ov->one_cannot_pass = false;
}

void analysis_all_add(struct analysis_overall *ov,
		      const struct analysis_outcome *o)
{
	ov->nr_buurten++;
	switch (o->verdict) {
	case ANALYSIS_SUFFICIENT: ov->nr_passing++; break;
	case ANALYSIS_TOO_CLOSE: ov->nr_too_close++; break;
	default: ov->nr_failing++; break;
	}
	if (o->possible != ANALYSIS_BIT(ANALYSIS_SUFFICIENT))
		ov->all_decided_pass = false;
	if (!(o->possible & ANALYSIS_BIT(ANALYSIS_SUFFICIENT)))
		ov->one_cannot_pass = true;
	if (ov->nr_failing)
		ov->verdict = ANALYSIS_INSUFFICIENT;
	else if (ov->nr_too_close)
		ov->verdict = ANALYSIS_TOO_CLOSE;
	else
		ov->verdict = ANALYSIS_SUFFICIENT;
	ov->decided = ov->all_decided_pass || ov->one_cannot_pass;
}
