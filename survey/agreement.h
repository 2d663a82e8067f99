/*
 * agreement.h - the afspraak: what counts as sufficient draagvlak.
 *
 * Before a survey the platform agrees with each buurt's residents'
 * organisation when support is enough.  Dutch practice varies (see
 * docs/definition.md): a quorum against all households or none; a share in
 * favour that must be "more than" or "at least" some fraction of the votes,
 * of all responses or of all households (art. 7:220 BW); neutral, blank and
 * invalid answers left out or counted as against; households that stay
 * silent counted as against (7:220) or as consent (some Flemish play-street
 * rules); each buurt deciding for itself, every buurt having to pass, or
 * the buurten pooled.  struct agreement says all of that exactly, and
 * thresholds are fractions compared in integers, so that exactly 50% is
 * never a floating-point accident.
 */
#ifndef DRAAGVLAK_AGREEMENT_H
#define DRAAGVLAK_AGREEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang.h"
#include "strbuf.h"

enum agreement_cmp {
	AGREEMENT_GE, /* "at least": >= */
	AGREEMENT_GT, /* "more than": > */
};

/* A share num/den (0 <= num <= den) with its comparison. */
struct agreement_threshold {
	bool set;
	enum agreement_cmp cmp;
	uint32_t num;
	uint32_t den;
};

/* What the share in favour is measured against. */
enum agreement_basis {
	AGREEMENT_BASIS_VOTES, /* for + against (+ what counts as against) */
	AGREEMENT_BASIS_RESPONSES,  /* every household that answered */
	AGREEMENT_BASIS_HOUSEHOLDS, /* every household of the buurt */
};

/* How a neutral, blank or invalid answer counts (basis votes only). */
enum agreement_count {
	AGREEMENT_LEFT_OUT, /* not in the count at all */
	AGREEMENT_AGAINST,  /* as a vote against */
};

/* How households that did not answer count (basis households only). */
enum agreement_silent {
	AGREEMENT_SILENT_AGAINST, /* not answering is not agreeing (7:220) */
	AGREEMENT_SILENT_FOR,	  /* silence is consent */
};

/* How the buurten together decide. */
enum agreement_decision {
	AGREEMENT_EACH,	  /* each buurt decides for itself */
	AGREEMENT_ALL,	  /* the plan needs every buurt to pass */
	AGREEMENT_POOLED, /* the buurten are counted as one */
};

struct agreement {
	struct agreement_threshold min_response; /* quorum; unset = none */
	struct agreement_threshold min_in_favour;
	enum agreement_basis basis;
	enum agreement_count neutral, blank, invalid;
	enum agreement_silent silent;
	enum agreement_decision decision;
	uint32_t
		confidence_permille; /* 950 = 95%; 0 = no statistical verdict */
	char *agreed_with;	     /* "Bewonersvereniging Dorst-Oost" */
	char *agreed_on;	     /* YYYY-MM-DD */
	/*
	 * How many buurten the survey has (set by the definition reader):
	 * the agreement quoted whole says how they decide together when
	 * there are several.
	 */
	size_t nr_buurten;
};

/* Default: no quorum, > 50% of the votes, neutral/blank/invalid left out. */
void agreement_init(struct agreement *a);
/* Free the strings; the rest stays valid.  NULL is fine. */
void agreement_release(struct agreement *a);
/* Deep copy: dst must not hold strings (initialised or released). */
void agreement_copy(struct agreement *dst, const struct agreement *src);

/*
 * Parse a threshold as people write it: "> 50%", ">= 70%", "35%",
 * "66.67%", "66,67%", "2/3", "> 2/3", and with the comparison in words:
 * "more than 50%", "meer dan 50%", "at least 35%", "minstens 35%",
 * "ten minste 35%".
 * When need_cmp is true a bare share is refused, because whether exactly
 * 50% is enough must be said.  A bare share otherwise means ">=".
 * Returns 0, or -1 with a plain-words reason in *why (static string).
 */
int agreement_parse_threshold(const char *s, bool need_cmp,
			      struct agreement_threshold *t, const char **why);
/*
 * The same, with the reason in lang (from the message catalogue).  The
 * share may also stand in quotes pasted from a word processor ("“> 50%”"),
 * and "minimaal", "tenminste", "groter dan" are taken as comparisons.
 * "more than 100%" is refused: it can never be met.
 */
int agreement_parse_threshold_lang(const char *s, bool need_cmp,
				   struct agreement_threshold *t,
				   enum survey_lang lang, const char **why);
/* Whether s starts with a comparison ("> ", "meer dan", "<" ...). */
bool agreement_starts_with_cmp(const char *s);
/*
 * Whether t lies within 0.1 percentage point of a simple fraction
 * (thirds, sixths, sevenths, ninths, elevenths, twelfths) without being
 * it, as 66,7% lies near 2/3: *num/ *den is that fraction.  2 of 3 in
 * favour is not "at least 66,7%".
 */
bool agreement_near_fraction(const struct agreement_threshold *t, uint32_t *num,
			     uint32_t *den);

/*
 * Whether part/whole meets t, in exact integer arithmetic.  0/0 never
 * meets a threshold: with no one to count there is no support.
 */
bool agreement_threshold_met(const struct agreement_threshold *t, uint64_t part,
			     uint64_t whole);

/* "35%", "66,67%" (Dutch decimal comma in nl), "2/3". */
void agreement_format_share(const struct agreement_threshold *t,
			    enum survey_lang lang, struct strbuf *out);

/*
 * The agreement in one sentence residents can read, as on the forms:
 * "Er is voldoende draagvlak als minstens 35% van de huishoudens in
 * Dorst-Oost reageert en meer dan 50% van de stemmen voor is."
 * buurt_name may be NULL for a survey-wide wording.
 */
void agreement_describe(const struct agreement *a, const char *buurt_name,
			enum survey_lang lang, struct strbuf *out);

/*
 * The agreement whole, wherever it is quoted (forms, reports, JSON, the
 * board's pages, check): agreement_describe()'s sentence, then how
 * neutral, blank and invalid answers count, the confidence rule, how the
 * buurten decide together (when a->nr_buurten > 1), and with whom and when
 * it was agreed.
 */
void agreement_describe_whole(const struct agreement *a, const char *buurt_name,
			      enum survey_lang lang, struct strbuf *out);

/* Names as written in the definition file, for storage and JSON. */
const char *agreement_basis_name(enum agreement_basis b);
const char *agreement_count_name(enum agreement_count c);
const char *agreement_silent_name(enum agreement_silent s);
const char *agreement_decision_name(enum agreement_decision d);

#endif
