/*
 * test_definition.c - unit tests for reading survey definitions
 * (survey/definition.c: survey_load(), survey_load_buffer()).
 *
 * The samples must load with the facts they state.  Then every kind of
 * mistake a board member can make gets a small definition with that one
 * mistake, and the test pins down what they will read: that the file is
 * refused, how many problems are reported, and for each the exact line,
 * column and wording.  Lines in the comments next to the YAML are the
 * 1-based lines of that string.  The wording is Dutch, as `draagvlak
 * check` speaks to a board; test_english_messages() holds the English.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "diag.h"
#include "lang.h"
#include "strbuf.h"
#include "survey.h"
#include "banned.h"

#ifndef SAMPLES_DIR
#error "SAMPLES_DIR must be defined (the samples/ directory)"
#endif
#ifndef TESTS_DIR
#error "TESTS_DIR must be defined (the tests/ directory)"
#endif

/* ---- helpers ----------------------------------------------------------- */

/*
 * A minimal valid definition, in pieces that keep their line numbers:
 * HEAD is lines 1-6, QUESTION 7-10, BUURT 11-14, AGREEMENT 15-16.
 */
#define HEAD                                                                   \
	"survey: t\n"	       /*  1 */                                        \
	"title: T\n"	       /*  2 */                                        \
	"organisation: O\n"    /*  3 */                                        \
	"contact: C\n"	       /*  4 */                                        \
	"opens: 2027-03-01\n"  /*  5 */                                        \
	"closes: 2027-03-28\n" /*  6 */
#define QUESTION                                                               \
	"questions:\n"		  /*  7 */                                     \
	"  - id: q\n"		  /*  8 */                                     \
	"    type: proposition\n" /*  9 */                                     \
	"    text: Q?\n"	  /* 10 */
#define BUURT                                                                  \
	"buurten:\n"	       /* 11 */                                        \
	"  - id: b1\n"	       /* 12 */                                        \
	"    name: B\n"	       /* 13 */                                        \
	"    households: 10\n" /* 14 */
#define AGREEMENT                                                              \
	"agreement:\n"		       /* 15 */                                \
	"  min_in_favour: \"> 50%\"\n" /* 16 */

/* One expected diagnostic.  A phrase starting with "warning: " must be a
 * warning, one starting with "=" must be the whole message. */
struct want {
	int line;
	int col;
	const char *phrase;
};

/* Loaded as `draagvlak check` does by default: the messages in Dutch. */
static struct survey *load(const char *yaml, struct diag_list *dl)
{
	diag_list_init(dl, "t.yaml");
	return survey_load_buffer_lang("t.yaml", yaml, strlen(yaml), SURVEY_NL,
				       dl);
}

/* Whether d is what w describes; the reason in why when not. */
static bool diag_matches(const struct diag *d, const struct want *w,
			 struct strbuf *why)
{
	const char *phrase = w->phrase;
	bool warning = !strncmp(phrase, "warning: ", 9);
	bool exact = *phrase == '=';

	if (warning)
		phrase += 9;
	if (exact)
		phrase++;
	if (d->line != w->line || d->column != w->col) {
		strbuf_addf(why, "at %d:%d, want %d:%d", d->line, d->column,
			    w->line, w->col);
		return false;
	}
	if (warning != (d->level == DIAG_WARNING)) {
		strbuf_addstr(why, warning ? "an error, want a warning"
					   : "a warning, want an error");
		return false;
	}
	if (exact ? strcmp(d->msg, phrase) != 0 : !strstr(d->msg, phrase)) {
		strbuf_addf(why, "message does not %s \"%s\"",
			    exact ? "equal" : "contain", phrase);
		return false;
	}
	return true;
}

/*
 * Whether the diagnostics in dl, sorted, are exactly want[0..n).  On a
 * mismatch everything that was reported is shown.  Callers free what they
 * hold before failing, so that a failure is not also reported as a leak.
 */
static bool diags_are(struct diag_list *dl, const struct want *want, size_t n,
		      const char *yaml)
{
	struct strbuf all = STRBUF_INIT;
	struct strbuf why = STRBUF_INIT;
	bool ok = dl->nr == n;

	diag_list_format(dl, &all); /* sorts dl */
	if (!ok)
		strbuf_addf(&why, "%zu diagnostics, want %zu", dl->nr, n);
	for (size_t i = 0; ok && i < n; i++) {
		if (!diag_matches(&dl->items[i], &want[i], &why)) {
			strbuf_addf(&why, " (diagnostic %zu: \"%s\")", i + 1,
				    dl->items[i].msg);
			ok = false;
		}
	}
	if (!ok) {
		print_error("%s\n--- reported:\n%s--- wanted:\n", why.buf,
			    all.buf);
		for (size_t i = 0; i < n; i++)
			print_error("%d:%d: %s\n", want[i].line, want[i].col,
				    want[i].phrase);
		print_error("--- for:\n%s\n", yaml);
	}
	strbuf_release(&all);
	strbuf_release(&why);
	return ok;
}

static size_t count_errors(const struct want *want, size_t n)
{
	size_t errors = 0;

	for (size_t i = 0; i < n; i++)
		errors += strncmp(want[i].phrase, "warning: ", 9) != 0;
	return errors;
}

/* yaml must be refused with exactly the diagnostics in want[]. */
static bool refused_as_(const char *yaml, const struct want *want, size_t n)
{
	struct diag_list dl;
	struct survey *s = load(yaml, &dl);
	bool ok = true;

	if (s) {
		print_error("the definition was accepted\n");
		survey_free(s);
		ok = false;
	}
	if (dl.errors != count_errors(want, n)) {
		print_error("%zu errors, want %zu\n", dl.errors,
			    count_errors(want, n));
		ok = false;
	}
	ok = diags_are(&dl, want, n, yaml) && ok;
	diag_list_release(&dl);
	return ok;
}

/* Whether yaml is refused with exactly the diagnostics listed. */
#define REFUSED_AS(yaml, ...)                                                  \
	refused_as_((yaml), (const struct want[]){ __VA_ARGS__ },              \
		    sizeof((const struct want[]){ __VA_ARGS__ }) /             \
			    sizeof(struct want))

#define CHECK_REFUSED(yaml, ...)                                               \
	do {                                                                   \
		if (!REFUSED_AS((yaml), __VA_ARGS__))                          \
			fail();                                                \
	} while (0)

/* yaml must load with exactly the warnings in want[]; returns the survey. */
static struct survey *check_loads_(const char *yaml, const struct want *want,
				   size_t n)
{
	struct diag_list dl;
	struct survey *s = load(yaml, &dl);
	bool ok = s && dl.errors == 0;

	if (!ok)
		print_error("refused\n");
	ok = diags_are(&dl, want, n, yaml) && ok;
	diag_list_release(&dl);
	if (!ok) {
		survey_free(s);
		fail();
	}
	return s;
}

static struct survey *check_loads(const char *yaml)
{
	return check_loads_(yaml, NULL, 0);
}

#define CHECK_LOADS_WARNING(yaml, ...)                                         \
	check_loads_((yaml), (const struct want[]){ __VA_ARGS__ },             \
		     sizeof((const struct want[]){ __VA_ARGS__ }) /            \
			     sizeof(struct want))

static void check_loads_and_free(const char *yaml)
{
	survey_free(check_loads(yaml));
}

static struct survey *load_sample(const char *path)
{
	struct diag_list dl;
	struct survey *s;
	bool ok;

	diag_list_init(&dl, path);
	s = survey_load(path, &dl);
	ok = s && diags_are(&dl, NULL, 0, path); /* not even a warning */
	if (!s)
		diags_are(&dl, NULL, 0, path);
	diag_list_release(&dl);
	if (!ok) {
		survey_free(s);
		fail_msg("%s does not load cleanly", path);
	}
	return s;
}

static const struct survey_question *question(const struct survey *s,
					      const char *id)
{
	const struct survey_question *q = survey_find_question(s, id);

	if (!q)
		fail_msg("no question '%s'", id);
	return q;
}

static void check_options(const struct survey_question *q,
			  const char *const *ids, size_t n)
{
	assert_int_equal(q->nr_options, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(q->options[i].id, ids[i]);
}

static void check_threshold(const struct agreement_threshold *t, bool set,
			    enum agreement_cmp cmp, uint32_t num, uint32_t den)
{
	assert_int_equal(t->set, set);
	if (!set)
		return;
	assert_int_equal(t->cmp, cmp);
	assert_int_equal(t->num, num);
	assert_int_equal(t->den, den);
}

/* ---- the samples ------------------------------------------------------- */

static void test_sample_dorst(void **state)
{
	static const char *const prop[] = { "voor", "tegen", "neutraal" };
	static const char *const prop_no_neutral[] = { "voor", "tegen" };
	static const char *const yesno[] = { "ja", "nee" };
	static const char *const bezoek[] = { "wekelijks", "maandelijks",
					      "soms", "nooit" };
	static const enum survey_qtype types[] = {
		SURVEY_Q_PROPOSITION, SURVEY_Q_PROPOSITION, SURVEY_Q_CHOICE,
		SURVEY_Q_MULTI,	      SURVEY_Q_SCALE,	    SURVEY_Q_YESNO,
		SURVEY_Q_NUMBER,      SURVEY_Q_TEXT,
	};
	struct survey *s =
		load_sample(SAMPLES_DIR "/dorst-speelveld/survey.yaml");
	const struct survey_question *q;
	const struct survey_buurt *b;

	(void)state;
	assert_string_equal(s->id, "dorst-speelveld-2027");
	assert_string_equal(s->title.text[SURVEY_NL],
			    "Een nieuw speelveld aan de Schoolstraat");
	assert_string_equal(survey_text_get(&s->title, SURVEY_EN),
			    "A new playing field on Schoolstraat");
	assert_string_equal(s->organisation, "Dorpsplatform Dorst");
	assert_true(s->languages[SURVEY_NL]);
	assert_true(s->languages[SURVEY_EN]);
	assert_string_equal(s->opens, "2027-04-05");
	assert_string_equal(s->closes, "2027-05-02");
	assert_string_equal(s->base_url,
			    "https://draagvlak.dorpsplatformdorst.nl");
	assert_int_equal(s->conflict, SURVEY_CONFLICT_LATEST);
	assert_false(s->double_entry);
	assert_non_null(strstr(s->intro.text[SURVEY_NL], "Beste bewoners"));
	assert_non_null(strstr(s->intro.text[SURVEY_EN], "Dear residents"));

	assert_int_equal(s->nr_questions, 8);
	for (size_t i = 0; i < s->nr_questions; i++)
		assert_int_equal(s->questions[i].type, types[i]);
	assert_int_equal(survey_count_propositions(s), 2);
	assert_string_equal(survey_qtype_name(SURVEY_Q_PROPOSITION),
			    "proposition");
	assert_string_equal(survey_qtype_name(SURVEY_Q_TEXT), "text");

	q = question(s, "speelveld");
	assert_ptr_equal(q, &s->questions[0]);
	assert_int_equal(q->line, 80);
	check_options(q, prop, 3);
	assert_string_equal(q->options[2].label.text[SURVEY_NL], "Neutraal");
	assert_non_null(q->help.text[SURVEY_EN]);
	assert_false(q->required);
	check_options(question(s, "verlichting"), prop_no_neutral, 2);
	check_options(question(s, "bezoek"), bezoek, 4);
	assert_string_equal(
		question(s, "bezoek")->options[0].label.text[SURVEY_EN],
		"Every week");
	q = question(s, "wensen");
	assert_int_equal(q->nr_options, 7);
	assert_int_equal(q->max_choices, 3);
	assert_string_equal(q->options[5].id, "jeu_de_boules");
	q = question(s, "tevreden");
	assert_int_equal(q->min, 1);
	assert_int_equal(q->max, 5);
	assert_string_equal(q->max_label.text[SURVEY_EN], "Very satisfied");
	check_options(question(s, "kinderen"), yesno, 2);
	q = question(s, "aantal_kinderen");
	assert_int_equal(q->min, 0);
	assert_int_equal(q->max, 15);
	assert_int_equal(question(s, "opmerking")->max_length, 1000);
	assert_null(survey_find_question(s, "bestaat_niet"));

	/* The survey-wide agreement. */
	assert_true(s->has_agreement);
	check_threshold(&s->agreement.min_response, false, 0, 0, 0);
	check_threshold(&s->agreement.min_in_favour, true, AGREEMENT_GT, 1, 2);
	assert_int_equal(s->agreement.basis, AGREEMENT_BASIS_VOTES);
	assert_int_equal(s->agreement.decision, AGREEMENT_ALL);
	assert_int_equal(s->agreement.confidence_permille, 950);
	assert_string_equal(s->agreement.agreed_on, "2027-02-16");

	/* Three buurten, each overriding part of it. */
	assert_int_equal(s->nr_buurten, 3);
	b = survey_find_buurt(s, "BU08260100");
	assert_ptr_equal(b, &s->buurten[0]);
	assert_string_equal(b->name, "Dorst-Centrum");
	assert_int_equal(b->households, 142);
	assert_true(b->overrides);
	check_threshold(&b->agreement.min_response, true, AGREEMENT_GE, 3, 10);
	check_threshold(&b->agreement.min_in_favour, true, AGREEMENT_GT, 1, 2);
	assert_string_equal(b->agreement.agreed_with,
			    "Buurtvereniging Dorst-Centrum");
	assert_string_equal(b->agreement.agreed_on, "2027-02-09");
	assert_int_equal(b->agreement.decision, AGREEMENT_ALL); /* inherited */
	assert_int_equal(b->agreement.confidence_permille, 950);

	b = survey_find_buurt(s, "BU08260101");
	assert_int_equal(b->households, 176);
	check_threshold(&b->agreement.min_response, false, 0, 0, 0);
	check_threshold(&b->agreement.min_in_favour, true, AGREEMENT_GE, 3, 5);
	assert_int_equal(b->agreement.neutral, AGREEMENT_AGAINST);
	assert_int_equal(b->agreement.blank, AGREEMENT_LEFT_OUT);
	assert_int_equal(b->agreement.basis, AGREEMENT_BASIS_VOTES);

	b = survey_find_buurt(s, "BU08260102");
	assert_string_equal(b->name, "Dorst-West");
	check_threshold(&b->agreement.min_response, true, AGREEMENT_GE, 1, 4);
	check_threshold(&b->agreement.min_in_favour, true, AGREEMENT_GT, 1, 2);
	assert_int_equal(b->agreement.basis, AGREEMENT_BASIS_RESPONSES);
	assert_string_equal(b->agreement.agreed_with,
			    "Buurtvereniging De Akkers (Dorst-West)");
	assert_null(survey_find_buurt(s, "BU00000000"));

	/* The survey-wide agreement is not changed by the overrides. */
	assert_int_equal(s->agreement.neutral, AGREEMENT_LEFT_OUT);
	assert_string_equal(s->agreement.agreed_with,
			    "Dorpsplatform Dorst en de buurtverenigingen van "
			    "Dorst-Centrum, Dorst-Oost en Dorst-West");
	survey_free(s);
}

static void test_sample_oosterheide(void **state)
{
	static const char *const prop[] = { "voor", "tegen", "neutraal" };
	struct survey *s =
		load_sample(SAMPLES_DIR "/oosterheide-parkeren/survey.yaml");
	const struct survey_question *q;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_string_equal(s->id, "oosterheide-parkeren-2027");
	assert_true(s->languages[SURVEY_NL]);
	assert_false(s->languages[SURVEY_EN]);
	assert_null(s->title.text[SURVEY_EN]);
	assert_string_equal(survey_text_get(&s->title, SURVEY_EN),
			    "Vergunningparkeren in Oosterheide-Oost?");
	assert_null(s->base_url);
	assert_int_equal(s->conflict, SURVEY_CONFLICT_PAPER);
	assert_true(s->double_entry);

	assert_int_equal(s->nr_questions, 7);
	assert_int_equal(survey_count_propositions(s), 1);
	q = question(s, "vergunningparkeren");
	assert_int_equal(q->type, SURVEY_Q_PROPOSITION);
	assert_true(q->required);
	check_options(q, prop, 3);
	assert_null(q->text.text[SURVEY_EN]);
	assert_string_equal(
		survey_find_option(q, "tegen")->label.text[SURVEY_NL], "Tegen");
	assert_null(survey_find_option(q, "ja"));
	assert_int_equal(question(s, "aantal_autos")->type, SURVEY_Q_NUMBER);
	assert_int_equal(question(s, "aantal_autos")->max, 9);
	assert_int_equal(question(s, "parkeerplek")->type, SURVEY_Q_CHOICE);
	assert_int_equal(question(s, "parkeerplek")->nr_options, 5);
	assert_string_equal(
		question(s, "parkeerplek")->options[4].label.text[SURVEY_NL],
		"Niet van toepassing: ik heb geen auto");
	assert_int_equal(question(s, "drukte")->type, SURVEY_Q_MULTI);
	assert_int_equal(question(s, "drukte")->max_choices, 0);
	assert_int_equal(question(s, "parkeerdruk")->type, SURVEY_Q_SCALE);
	assert_string_equal(
		question(s, "parkeerdruk")->min_label.text[SURVEY_NL],
		"Geen probleem");
	assert_int_equal(question(s, "zorg_bezoek")->type, SURVEY_Q_YESNO);
	assert_int_equal(question(s, "opmerking")->type, SURVEY_Q_TEXT);
	assert_int_equal(question(s, "opmerking")->max_length, 1500);

	assert_int_equal(s->nr_buurten, 3);
	assert_true(s->has_agreement);
	assert_int_equal(s->agreement.decision, AGREEMENT_EACH);
	assert_int_equal(s->agreement.basis, AGREEMENT_BASIS_RESPONSES);
	check_threshold(&s->agreement.min_response, true, AGREEMENT_GE, 1, 2);
	for (size_t i = 0; i < s->nr_buurten; i++) {
		const struct survey_buurt *b = &s->buurten[i];

		/* No overrides: every buurt has the survey's agreement. */
		assert_false(b->overrides);
		assert_int_equal(b->agreement.basis, AGREEMENT_BASIS_RESPONSES);
		check_threshold(&b->agreement.min_in_favour, true, AGREEMENT_GT,
				1, 2);
		assert_string_equal(b->agreement.agreed_on, "2027-06-22");
		assert_ptr_not_equal(b->agreement.agreed_on,
				     s->agreement.agreed_on);
	}
	assert_string_equal(s->buurten[1].name, "Natuurkundigenbuurt");
	assert_int_equal(s->buurten[2].households, 203);

	survey_describe(s, SURVEY_NL, &sb);
	assert_non_null(strstr(sb.buf, "oosterheide-parkeren-2027"));
	assert_non_null(strstr(sb.buf, "Bloemenbuurt"));
	assert_non_null(strstr(sb.buf, "Elke buurt beslist voor zichzelf."));
	strbuf_release(&sb);
	survey_free(s);
}

static void test_minimal_and_missing_file(void **state)
{
	struct diag_list dl;
	struct survey *s;

	(void)state;
	s = check_loads(HEAD QUESTION BUURT AGREEMENT);
	assert_string_equal(s->id, "t");
	assert_int_equal(s->nr_questions, 1);
	assert_int_equal(s->questions[0].line, 8);
	assert_int_equal(s->buurten[0].line, 12);
	assert_false(s->buurten[0].overrides);
	assert_false(s->languages[SURVEY_EN]);
	survey_free(s);

	diag_list_init(&dl, TESTS_DIR "/defs/bestaat-niet.yaml");
	assert_null(survey_load_lang(TESTS_DIR "/defs/bestaat-niet.yaml",
				     SURVEY_NL, &dl));
	assert_int_equal(dl.errors, 1);
	assert_int_equal(dl.items[0].line, 0);
	assert_non_null(strstr(dl.items[0].msg, "kan het bestand niet openen"));
	diag_list_release(&dl);
}

/* ---- one kind of mistake at a time ------------------------------------- */

static void test_unknown_key(void **state)
{
	(void)state;
	CHECK_REFUSED("survey: t\n"
		      "titel: T\n" /* 2 */
		      "organisation: O\n"
		      "contact: C\n"
		      "opens: 2027-03-01\n"
		      "closes: 2027-03-28\n" QUESTION BUURT AGREEMENT,
		      /* not also "the survey has no 'title'" */
		      { 2, 1,
			"=onbekende sleutel 'titel' in de peiling; bedoelt u "
			"'title'? (de sleutels zijn Engels)" });
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT "kleur: rood\n", /* 17 */
		      { 17, 1, "=onbekende sleutel 'kleur' in de peiling" });
}

static void test_unknown_key_inside(void **state)
{
	(void)state;
	/* In a question. */
	CHECK_REFUSED(HEAD QUESTION "    hulp: Uitleg\n" /* 11 */
		      BUURT AGREEMENT,
		      { 11, 5,
			"=onbekende sleutel 'hulp' in een vraag; bedoelt u "
			"'help'? (de sleutels zijn Engels)" });
	/* In an option. */
	CHECK_REFUSED(
		HEAD QUESTION "  - id: c\n"		      /* 11 */
			      "    type: choice\n"	      /* 12 */
			      "    text: C?\n"		      /* 13 */
			      "    options:\n"		      /* 14 */
			      "      - { id: a, label: A }\n" /* 15 */
			      "      - { id: b, lable: B }\n" /* 16 */
		BUURT AGREEMENT,
		{ 15, 11,
		  "=vraag 'c' heeft minstens twee antwoordmogelijkheden "
		  "nodig" },
		{ 16, 18,
		  "=onbekende sleutel 'lable' in een antwoordmogelijkheid; "
		  "bedoelt u 'label'? (de sleutels zijn Engels)" });
	/* In a buurt. */
	CHECK_REFUSED(HEAD QUESTION "buurten:\n"	   /* 11 */
				    "  - id: b1\n"	   /* 12 */
				    "    naam: B\n"	   /* 13 */
				    "    households: 10\n" /* 14 */
		      AGREEMENT,
		      { 13, 5,
			"=onbekende sleutel 'naam' in een buurt; bedoelt u "
			"'name'? (de sleutels zijn Engels)" });
	/* In the agreement. */
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT "  quorum: 30%\n", /* 17 */
		      { 17, 3, "=onbekende sleutel 'quorum' in de afspraak" });
	/* A missing min_in_favour is placed at the agreement's first key. */
	CHECK_REFUSED(HEAD QUESTION BUURT "agreement:\n"      /* 15 */
					  "  basis: votes\n", /* 16 */
		      { 16, 3,
			"=de afspraak heeft geen 'min_in_favour': zeg welk "
			"aandeel voor genoeg is, zoals \"meer dan 50%\", hier "
			"of in de afspraak van elke buurt" });
	/* In a text per language. */
	CHECK_REFUSED("survey: t\n"
		      "title:\n"  /* 2 */
		      "  nl: T\n" /* 3 */
		      "  fr: T\n" /* 4 */
		      "organisation: O\n"
		      "contact: C\n"
		      "opens: 2027-03-01\n"
		      "closes: 2027-03-28\n" QUESTION BUURT AGREEMENT,
		      { 4, 3, "onbekende sleutel 'fr' in een tekst per taal" });
}

/*
 * A misspelt key is reported once, as a typo, and not also as missing:
 * require() does so for every required key ('titel', 'naam', 'lable'
 * above), and the survey-wide agreement's min_in_favour must follow suit.
 */
static void test_typo_reported_once(void **state)
{
	(void)state;
	CHECK_REFUSED(
		HEAD QUESTION BUURT "agreement:\n"		   /* 15 */
				    "  min_in_favor: \"> 50%\"\n", /* 16 */
		{ 16, 3,
		  "=onbekende sleutel 'min_in_favor' in de afspraak; bedoelt u "
		  "'min_in_favour'? (de sleutels zijn Engels)" });
}

static void test_wrong_type(void **state)
{
	(void)state;
	CHECK_REFUSED(HEAD QUESTION "buurten:\n"	     /* 11 */
				    "  - id: b1\n"	     /* 12 */
				    "    name: B\n"	     /* 13 */
				    "    households: veel\n" /* 14 */
		      AGREEMENT,
		      { 14, 17,
			"='households' moet een heel getal zijn, zoals 120, "
			"zonder punt, komma of woorden; niet 'veel'" });
	CHECK_REFUSED(
		HEAD QUESTION "buurten:\n"	    /* 11 */
			      "  - id: b1\n"	    /* 12 */
			      "    name: B\n"	    /* 13 */
			      "    households: 0\n" /* 14 */
		AGREEMENT,
		{ 14, 17,
		  "'households' moet tussen 1 en 1000000 liggen, niet 0" });
	/* questions as a mapping, not a list */
	CHECK_REFUSED(HEAD "questions:\n" /* 7 */
			   "  q: Q?\n"	  /* 8 */
		      BUURT AGREEMENT,
		      { 8, 3,
			"'questions' moet een lijst zijn, met elke vraag "
			"beginnend met '- id:'; niet een lijst van sleutels" });
	/* a text as a list: placed at its first item */
	CHECK_REFUSED(HEAD "questions:\n"	     /* 7 */
			   "  - id: q\n"	     /* 8 */
			   "    type: proposition\n" /* 9 */
			   "    text: [a, b]\n"	     /* 10 */
		      BUURT AGREEMENT,
		      { 10, 12,
			"'text' moet een tekst zijn, of een tekst per taal "
			"(nl: ..., en: ...); niet een lijst" });
	/* a boolean and an enumeration */
	CHECK_REFUSED(HEAD QUESTION "    required: misschien\n" /* 11 */
		      BUURT AGREEMENT,
		      { 11, 15,
			"='required' is true (ja) of false (nee), niet "
			"'misschien'" });
	CHECK_REFUSED(HEAD "questions:\n"	  /* 7 */
			   "  - id: q\n"	  /* 8 */
			   "    type: stelling\n" /* 9 */
			   "    text: Q?\n"	  /* 10 */
		      BUURT AGREEMENT,
		      { 9, 11,
			"='type' moet proposition, choice, multi, scale, "
			"yesno, number of text zijn, precies zo geschreven; "
			"niet 'stelling'" });
	/* an id with capitals and spaces */
	CHECK_REFUSED("survey: Dorst 2027\n" /* 1 */
		      "title: T\n"
		      "organisation: O\n"
		      "contact: C\n"
		      "opens: 2027-03-01\n"
		      "closes: 2027-03-28\n" QUESTION BUURT AGREEMENT,
		      { 1, 9,
			"'survey' mag alleen kleine letters, cijfers en '-' "
			"bevatten, hoogstens 40 tekens; niet 'Dorst 2027', "
			"maar bijvoorbeeld 'dorst-2027'" });
	/* the file is not a mapping at all */
	CHECK_REFUSED("- survey: t\n", { 1, 3,
					 "een definitie begint met sleutels "
					 "zoals 'survey:' en 'title:'" });
}

static void test_missing_key(void **state)
{
	(void)state;
	CHECK_REFUSED("survey: t\n"
		      "organisation: O\n"
		      "contact: C\n"
		      "opens: 2027-03-01\n"
		      "closes: 2027-03-28\n"
		      "questions:\n"		/* 6 */
		      "  - id: q\n"		/* 7 */
		      "    type: proposition\n" /* 8 */
		      "    text: Q?\n"		/* 9 */
		      "buurten:\n"		/* 10 */
		      "  - id: b1\n"		/* 11 */
		      "    name: B\n"
		      "    households: 10\n"
		      "agreement:\n"
		      "  min_in_favour: \"> 50%\"\n",
		      { 1, 1, "=de peiling heeft geen 'title'" });
	CHECK_REFUSED(HEAD "questions:\n"	     /* 7 */
			   "  - id: q\n"	     /* 8 */
			   "    type: proposition\n" /* 9 */
		      BUURT AGREEMENT,
		      { 8, 5, "=deze vraag heeft geen 'text'" });
	CHECK_REFUSED(HEAD "questions:\n"	     /* 7 */
			   "  - type: proposition\n" /* 8 */
			   "    text: Q?\n"	     /* 9 */
		      BUURT AGREEMENT,
		      { 8, 5, "=deze vraag heeft geen 'id'" });
	CHECK_REFUSED(HEAD QUESTION "buurten:\n"    /* 11 */
				    "  - id: b1\n"  /* 12 */
				    "    name: B\n" /* 13 */
		      AGREEMENT,
		      { 12, 5, "=deze buurt heeft geen 'households'" });
	CHECK_REFUSED(HEAD QUESTION AGREEMENT,
		      { 1, 1, "=de peiling heeft geen 'buurten'" });
}

static void test_duplicate_ids(void **state)
{
	(void)state;
	CHECK_REFUSED(HEAD QUESTION "  - id: q\n"	/* 11 */
				    "    type: yesno\n" /* 12 */
				    "    text: J?\n"	/* 13 */
		      BUURT AGREEMENT,
		      { 11, 9,
			"=vraag-id 'q' staat al op regel 8: geef elke vraag "
			"een eigen id" });
	CHECK_REFUSED(HEAD QUESTION BUURT "  - id: b1\n"	 /* 15 */
					  "    name: C\n"	 /* 16 */
					  "    households: 20\n" /* 17 */
		      AGREEMENT,
		      { 15, 9,
			"=buurt-id 'b1' staat al op regel 12: geef elke buurt "
			"een eigen id" });
	CHECK_REFUSED(HEAD QUESTION "  - id: c\n"		    /* 11 */
				    "    type: choice\n"	    /* 12 */
				    "    text: C?\n"		    /* 13 */
				    "    options:\n"		    /* 14 */
				    "      - { id: a, label: A }\n" /* 15 */
				    "      - { id: b, label: B }\n" /* 16 */
				    "      - { id: a, label: C }\n" /* 17 */
		      BUURT AGREEMENT,
		      { 17, 15,
			"=de antwoordmogelijkheid 'a' staat twee keer in vraag "
			"'c': geef elke mogelijkheid een eigen id" });
}

static void test_thresholds(void **state)
{
	(void)state;
	CHECK_REFUSED(
		HEAD QUESTION BUURT "agreement:\n"		     /* 15 */
				    "  min_response: 3/2\n"	     /* 16 */
				    "  min_in_favour: \"> 150%\"\n", /* 17 */
		{ 16, 17,
		  "='min_response': een aandeel kan niet meer dan 100% zijn" },
		/* a quoted value is placed at its first character */
		{ 17, 19,
		  "='min_in_favour': een aandeel kan niet meer dan 100% "
		  "zijn" });
	/* Whether exactly 50% is enough must be said. */
	CHECK_REFUSED(HEAD QUESTION BUURT "agreement:\n"	    /* 15 */
					  "  min_in_favour: 50%\n", /* 16 */
		      { 16, 18,
			"'min_in_favour': zeg of precies dit aandeel genoeg "
			"is: schrijf \"meer dan 50%\"" });
	CHECK_REFUSED(HEAD QUESTION BUURT "agreement:\n" /* 15 */
					  "  min_in_favour: \"> 50%\"\n"
					  "  confidence: 30%\n", /* 17 */
		      { 17, 15, "'confidence' ligt tussen 50% en 99,9%" });
}

static void test_agreement_needs_proposition(void **state)
{
	(void)state;
	CHECK_REFUSED(HEAD "questions:\n"      /* 7 */
			   "  - id: j\n"       /* 8 */
			   "    type: yesno\n" /* 9 */
			   "    text: J?\n"    /* 10 */
		      BUURT AGREEMENT,
		      { 15, 1,
			"=de peiling heeft een afspraak, maar geen vraag van "
			"type 'proposition' om die mee te meten: maak van de "
			"hoofdvraag een proposition" });
}

static void test_dates(void **state)
{
	(void)state;
	CHECK_REFUSED("survey: t\n"
		      "title: T\n"
		      "organisation: O\n"
		      "contact: C\n"
		      "opens: 2027-03-01\n"
		      "closes: 2027-02-28\n" /* 6 */
		      QUESTION BUURT AGREEMENT,
		      { 6, 9,
			"=de peiling sluit (2027-02-28) voordat ze opent "
			"(2027-03-01): kijk 'opens' en 'closes' na" });
	CHECK_REFUSED("survey: t\n"
		      "title: T\n"
		      "organisation: O\n"
		      "contact: C\n"
		      "opens: 2027-02-30\n" /* 5 */
		      "closes: 2027-03-28\n" QUESTION BUURT AGREEMENT
		      "  agreed_on: 2027-13-01\n", /* 17 */
		      { 5, 8,
			"='opens': de datum 2027-02-30 bestaat niet; kijk de "
			"dag en de maand na (jaar-maand-dag)" },
		      { 17, 14,
			"='agreed_on': de datum 2027-13-01 bestaat niet; kijk "
			"de dag en de maand na (jaar-maand-dag)" });
	CHECK_REFUSED(
		"survey: t\n"
		"title: T\n"
		"organisation: O\n"
		"contact: C\n"
		"opens: 1-3-2027\n"   /* 5 */
		"closes: 2027-3-28\n" /* 6 */
		QUESTION BUURT AGREEMENT,
		{ 5, 8,
		  "='opens' is een datum, geschreven als jaar-maand-dag: "
		  "2027-03-01 voor 1 maart 2027; niet '1-3-2027'" },
		{ 6, 9,
		  "'closes' is een datum, geschreven als jaar-maand-dag" });
	/* Leap days exist in leap years only; one-day surveys are fine. */
	check_loads_and_free("survey: t\n"
			     "title: T\n"
			     "organisation: O\n"
			     "contact: C\n"
			     "opens: 2028-02-29\n"
			     "closes: 2028-02-29\n" QUESTION BUURT AGREEMENT);
	CHECK_REFUSED("survey: t\n"
		      "title: T\n"
		      "organisation: O\n"
		      "contact: C\n"
		      "opens: 2100-02-29\n" /* 5 */
		      "closes: 2100-03-01\n" QUESTION BUURT AGREEMENT,
		      { 5, 8, "'opens': de datum 2100-02-29 bestaat niet" });
}

/*
 * A date must be exactly YYYY-MM-DD.  sscanf's %2d also takes a sign or a
 * leading space, so "2027-+3-01" must not slip through (it would be stored
 * as is and compare wrongly with closes).
 */
static void test_dates_strict(void **state)
{
	bool ok = true;

	(void)state;
	ok = REFUSED_AS("survey: t\n"
			"title: T\n"
			"organisation: O\n"
			"contact: C\n"
			"opens: 2027-+3-01\n" /* 5 */
			"closes: 2027-03-28\n" QUESTION BUURT AGREEMENT,
			{ 5, 8,
			  "'opens' is een datum, geschreven als "
			  "jaar-maand-dag" }) &&
	     ok;
	ok = REFUSED_AS("survey: t\n"
			"title: T\n"
			"organisation: O\n"
			"contact: C\n"
			"opens: 2027-03-01\n"
			"closes: 2027-03- 8\n" /* 6 */
			QUESTION BUURT AGREEMENT,
			{ 6, 9,
			  "'closes' is een datum, geschreven als "
			  "jaar-maand-dag" }) &&
	     ok;
	assert_true(ok);
}

static void test_ranges(void **state)
{
	(void)state;
	/* A scale of 12 steps does not fit on a form; 11 does. */
	CHECK_REFUSED(HEAD QUESTION "  - id: s\n"	/* 11 */
				    "    type: scale\n" /* 12 */
				    "    text: S?\n"	/* 13 */
				    "    min: 0\n"	/* 14 */
				    "    max: 11\n"	/* 15 */
		      BUURT AGREEMENT,
		      { 15, 10,
			"=een schaal van 0 tot 11 heeft 12 stappen; er passen "
			"er hoogstens 11 op een formulier" });
	check_loads_and_free(HEAD QUESTION "  - id: s\n"
					   "    type: scale\n"
					   "    text: S?\n"
					   "    min: 0\n"
					   "    max: 10\n" BUURT AGREEMENT);
	/* A number question with min >= max. */
	CHECK_REFUSED(HEAD QUESTION "  - id: n\n"	 /* 11 */
				    "    type: number\n" /* 12 */
				    "    text: N?\n"	 /* 13 */
				    "    min: 5\n"	 /* 14 */
				    "    max: 5\n"	 /* 15 */
		      BUURT AGREEMENT,
		      { 15, 10, "='max' (5) moet groter zijn dan 'min' (5)" });
	CHECK_REFUSED(HEAD QUESTION "  - id: n\n"	 /* 11 */
				    "    type: number\n" /* 12 */
				    "    text: N?\n"	 /* 13 */
				    "    max: 3\n"	 /* 14 */
				    "    min: 10\n"	 /* 15 */
		      BUURT AGREEMENT,
		      { 14, 10, "='max' (3) moet groter zijn dan 'min' (10)" });
	CHECK_REFUSED(HEAD QUESTION "  - id: n\n"	 /* 11 */
				    "    type: number\n" /* 12 */
				    "    text: N?\n"	 /* 13 */
				    "    min: 0\n"	 /* 14 */
		      BUURT AGREEMENT,
		      { 11, 5, "=deze vraag heeft geen 'max'" });
	/* max_choices above the number of options. */
	CHECK_REFUSED(HEAD QUESTION "  - id: m\n"		    /* 11 */
				    "    type: multi\n"		    /* 12 */
				    "    text: M?\n"		    /* 13 */
				    "    max_choices: 3\n"	    /* 14 */
				    "    options:\n"		    /* 15 */
				    "      - { id: a, label: A }\n" /* 16 */
				    "      - { id: b, label: B }\n" /* 17 */
		      BUURT AGREEMENT,
		      { 14, 18,
			"='max_choices' is 3, maar de vraag heeft maar 2 "
			"antwoordmogelijkheden" });
	/* text max_length */
	CHECK_REFUSED(HEAD QUESTION "  - id: o\n"	     /* 11 */
				    "    type: text\n"	     /* 12 */
				    "    text: O?\n"	     /* 13 */
				    "    max_length: 5001\n" /* 14 */
		      BUURT AGREEMENT,
		      { 14, 17, "'max_length' moet tussen 1 en 5000 liggen" });
}

static void test_key_not_for_type(void **state)
{
	(void)state;
	CHECK_REFUSED(HEAD QUESTION "  - id: s\n"		    /* 11 */
				    "    type: scale\n"		    /* 12 */
				    "    text: S?\n"		    /* 13 */
				    "    min: 1\n"		    /* 14 */
				    "    max: 5\n"		    /* 15 */
				    "    options:\n"		    /* 16 */
				    "      - { id: a, label: A }\n" /* 17 */
		      BUURT AGREEMENT,
		      { 16, 5,
			"='options' hoort niet bij een vraag van type scale: "
			"haal de regel weg, of kies een ander type" });
	CHECK_REFUSED(HEAD QUESTION "  - id: j\n"	   /* 11 */
				    "    type: yesno\n"	   /* 12 */
				    "    text: J?\n"	   /* 13 */
				    "    neutral: false\n" /* 14 */
		      BUURT AGREEMENT,
		      { 14, 5,
			"='neutral' hoort niet bij een vraag van type yesno: "
			"haal de regel weg, of kies een ander type" });
}

static void test_agreement_combinations(void **state)
{
	(void)state;
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT
		      "  basis: responses\n"  /* 17 */
		      "  neutral: against\n", /* 18 */
		      { 18, 3,
			"'neutral' doet alleen iets bij basis: votes; bij "
			"basis 'responses' telt elke reactie al mee" });
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT "  silent: for\n", /* 17 */
		      { 17, 3,
			"'silent' doet alleen iets bij basis: households; bij "
			"basis 'votes'" });
	/* The combination is judged with the buurt's basis. */
	CHECK_REFUSED(HEAD QUESTION "buurten:\n"		/* 11 */
				    "  - id: b1\n"		/* 12 */
				    "    name: B\n"		/* 13 */
				    "    households: 10\n"	/* 14 */
				    "    agreement:\n"		/* 15 */
				    "      basis: households\n" /* 16 */
				    "      blank: against\n"	/* 17 */
				    "agreement:\n"		/* 18 */
				    "  min_in_favour: \"> 50%\"\n",
		      { 17, 7,
			"'blank' doet alleen iets bij basis: votes; bij basis "
			"'households' telt elk huishouden al mee" });
	check_loads_and_free(HEAD QUESTION BUURT AGREEMENT
			     "  basis: households\n"
			     "  silent: for\n");
	/* decision is for the survey as a whole */
	CHECK_REFUSED(
		HEAD QUESTION "buurten:\n"	      /* 11 */
			      "  - id: b1\n"	      /* 12 */
			      "    name: B\n"	      /* 13 */
			      "    households: 10\n"  /* 14 */
			      "    agreement:\n"      /* 15 */
			      "      decision: all\n" /* 16 */
		AGREEMENT,
		{ 16, 7,
		  "='decision' gaat over alle buurten samen en hoort in de "
		  "afspraak van de hele peiling, niet in die van een buurt: "
		  "zet de regel onder de 'agreement:' van de peiling" });
	/* an override needs something to override */
	CHECK_REFUSED(HEAD QUESTION "buurten:\n"		 /* 11 */
				    "  - id: b1\n"		 /* 12 */
				    "    name: B\n"		 /* 13 */
				    "    households: 10\n"	 /* 14 */
				    "    agreement:\n"		 /* 15 */
				    "      min_response: 30%\n", /* 16 */
		      { 1, 1,
			"warning: de peiling heeft stellingen (proposition), "
			"maar geen 'agreement'" },
		      { 15, 5,
			"deze buurt wijkt af van de afspraak, maar de peiling "
			"heeft geen 'agreement' voor alle buurten" });
}

static void test_languages(void **state)
{
	(void)state;
	/* English in a Dutch-only survey. */
	CHECK_REFUSED("survey: t\n"
		      "title:\n"  /* 2 */
		      "  nl: T\n" /* 3 */
		      "  en: T\n" /* 4 */
		      "organisation: O\n"
		      "contact: C\n"
		      "opens: 2027-03-01\n"
		      "closes: 2027-03-28\n" QUESTION BUURT AGREEMENT,
		      { 4, 3,
			"='title' heeft een tekst in 'en', maar 'en' staat "
			"niet bij de talen van de peiling: zet languages: [nl, "
			"en] in de definitie, of haal die tekst weg" });
	/* A language draagvlak does not speak. */
	CHECK_REFUSED(HEAD "languages: [nl, de]\n" /* 7 */
			   "questions:\n"
			   "  - id: q\n"
			   "    type: proposition\n"
			   "    text: Q?\n" BUURT AGREEMENT,
		      { 7, 17,
			"=de taal 'de' kent draagvlak niet; kies uit nl, en" });
	CHECK_REFUSED(
		HEAD "languages: nl\n" /* 7 */
		     "questions:\n"
		     "  - id: q\n"
		     "    type: proposition\n"
		     "    text: Q?\n" BUURT AGREEMENT,
		{ 7, 12, "='languages' moet een lijst zijn, zoals [nl, en]" });
	/* A text per language without Dutch. */
	CHECK_REFUSED(
		"survey: t\n"
		"title:\n"  /* 2 */
		"  en: T\n" /* 3 */
		"organisation: O\n"
		"contact: C\n"
		"opens: 2027-03-01\n"
		"closes: 2027-03-28\n"
		"languages: [nl, en]\n" /* 8 */
		QUESTION /* 9-12 */ BUURT AGREEMENT,
		{ 3, 3,
		  "='title' heeft geen Nederlandse tekst: zet er een regel nl: "
		  "... bij" },
		{ 12, 11, "warning: 'text' heeft één tekst voor beide talen" });
}

/* Missing English in a bilingual survey is a warning, not an error. */
static void test_warnings_do_not_fail(void **state)
{
	struct survey *s;

	(void)state;
	s = CHECK_LOADS_WARNING(
		"survey: t\n"
		"title:\n"
		"  nl: T\n"
		"  en: T\n"
		"organisation: O\n"
		"contact: C\n"
		"opens: 2027-03-01\n"
		"closes: 2027-03-28\n"
		"languages: [nl, en]\n"
		"questions:\n"
		"  - id: q\n"
		"    type: proposition\n"
		"    text:\n"		       /* 13 */
		"      nl: Q?\n"	       /* 14 */
		"  - id: j\n"		       /* 15 */
		"    type: yesno\n"	       /* 16 */
		"    text: J?\n"	       /* 17 */
		BUURT "agreement:\n"	       /* 22 */
		"  min_in_favour: \"> 50%\"\n" /* 23 */
		"  agreed_on: 2027-03-05\n",   /* 24 */
		{ 14, 7,
		  "warning: 'text' heeft geen Engelse tekst; wie de peiling in "
		  "het Engels leest, ziet de Nederlandse" },
		{ 17, 11, "warning: 'text' heeft één tekst voor beide talen" },
		{ 24, 14,
		  "warning: de afspraak is gedateerd na de opening van de "
		  "peiling" });
	assert_true(s->languages[SURVEY_EN]);
	assert_null(s->questions[0].text.text[SURVEY_EN]);
	assert_string_equal(survey_text_get(&s->questions[0].text, SURVEY_EN),
			    "Q?");
	assert_string_equal(s->title.text[SURVEY_EN], "T");
	assert_string_equal(s->agreement.agreed_on, "2027-03-05");
	survey_free(s);

	/* Propositions without an agreement: counted, not decided. */
	s = CHECK_LOADS_WARNING(HEAD QUESTION BUURT,
				{ 1, 1,
				  "warning: de peiling heeft stellingen "
				  "(proposition), maar geen 'agreement'" });
	assert_false(s->has_agreement);
	survey_free(s);
}

static void test_yaml_syntax(void **state)
{
	(void)state;
	/* An unquoted "> 50%" starts a folded block scalar. */
	CHECK_REFUSED(HEAD QUESTION BUURT "agreement:\n"	      /* 15 */
					  "  min_in_favour: > 50%\n", /* 16 */
		      { 16, 20,
			"een waarde die met > of | begint moet tussen "
			"aanhalingstekens, zoals \"> 50%\"" });
	/* An unclosed flow sequence: found where the parser gives up. */
	CHECK_REFUSED(HEAD "languages: [nl, en\n" /* 7 */
			   "questions:\n"	  /* 8 */
			   "  - id: q\n"	  /* 9 */
			   "    type: proposition\n"
			   "    text: Q?\n" BUURT AGREEMENT,
		      { 9, 3, "YAML-opmaak: " });
	CHECK_REFUSED(
		HEAD QUESTION BUURT AGREEMENT
		"languages: [nl, en\n", /* 17: at the end, line 18 */
		{ 18, 1,
		  "YAML-opmaak: flow sequence without a closing bracket" });
	/* A key given twice. */
	CHECK_REFUSED(HEAD "title: U\n" /* 7 */
		      QUESTION BUURT AGREEMENT,
		      { 7, 1, "YAML-opmaak: duplicate key" });
	/* A tab used to indent. */
	CHECK_REFUSED(HEAD "questions:\n"
			   "  - id: q\n"
			   "    type: proposition\n"
			   "\ttext: Q?\n" /* 10 */
		      BUURT AGREEMENT,
		      { 10, 2, "YAML-opmaak: " });
	/* No YAML at all. */
	CHECK_REFUSED("", { 0, 0, "het bestand is leeg of geen YAML" });
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* Latin-1 "é", as an old editor saves it. */
	CHECK_REFUSED(
		"survey: t\n"
		"title: Caf\xe9\n"
		"organisation: O\n"
		"contact: C\n"
		"opens: 2027-03-01\n"
		"closes: 2027-03-28\n" QUESTION BUURT AGREEMENT,
		{ 0, 0,
		  "=het bestand is geen UTF-8-tekst: sla het in uw editor op "
		  "als UTF-8 (in Kladblok: Opslaan als, Codering: UTF-8)" });
	/* A surrogate encoded in UTF-8 and an overlong "/" are not UTF-8 either. */
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT "# \xed\xa0\x80\n",
		      { 0, 0, "geen UTF-8-tekst" });
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT "# \xc0\xaf\n",
		      { 0, 0, "geen UTF-8-tekst" });
	/* Proper UTF-8 is of course fine. */
	check_loads_and_free("survey: t\n"
			     "title: Café € ✓\n"
			     "organisation: O\n"
			     "contact: C\n"
			     "opens: 2027-03-01\n"
			     "closes: 2027-03-28\n" QUESTION BUURT AGREEMENT);
}

/*
 * An empty value has no position of its own in libfyaml; the message must
 * then point at its key (as loc_of() promises: "an empty one at the
 * fallback (usually the key that holds it)"), not at no line at all.
 */
static void test_empty_values_positioned(void **state)
{
	bool ok = true;

	(void)state;
	ok = REFUSED_AS("survey: t\n"
			"title:\n" /* 2 */
			"organisation: O\n"
			"contact: C\n"
			"opens: 2027-03-01\n"
			"closes: 2027-03-28\n" QUESTION BUURT AGREEMENT,
			{ 2, 1,
			  "='title' is leeg: schrijf de waarde achter de "
			  "dubbele punt, op dezelfde regel" }) &&
	     ok;
	ok = REFUSED_AS(HEAD "questions:\n"
			     "  - id: q\n"
			     "    type: proposition\n"
			     "    text:\n" /* 10 */
			BUURT AGREEMENT,
			{ 10, 5,
			  "='text' is leeg: schrijf de waarde achter de "
			  "dubbele punt, op dezelfde regel" }) &&
	     ok;
	ok = REFUSED_AS(HEAD "questions: []\n" /* 7 */
			BUURT,
			{ 7, 1,
			  "=de peiling heeft geen vragen: zet er minstens één "
			  "onder 'questions:'" }) &&
	     ok;
	ok = REFUSED_AS(HEAD QUESTION "buurten: []\n" /* 11 */
			AGREEMENT,
			{ 11, 1,
			  "=de peiling heeft geen buurten: zet er minstens één "
			  "onder 'buurten:'" }) &&
	     ok;
	ok = REFUSED_AS(HEAD QUESTION BUURT "agreement: {}\n", /* 15 */
			{ 15, 1, "de afspraak heeft geen 'min_in_favour'" }) &&
	     ok;
	ok = REFUSED_AS(HEAD QUESTION BUURT "agreement: []\n", /* 15 */
			{ 15, 1,
			  "'agreement' moet een lijst van sleutels zijn" }) &&
	     ok;
	ok = REFUSED_AS(HEAD QUESTION BUURT "agreement:\n", /* 15 */
			{ 15, 1,
			  "'agreement' moet een lijst van sleutels zijn" }) &&
	     ok;
	assert_true(ok);
}

/*
 * A "---" starts a second YAML document, which the survey would silently
 * lose (here its whole agreement).  Such a file must be refused, with the
 * place of the second document.
 */
static void test_second_document(void **state)
{
	struct diag_list dl;
	struct survey *s;
	bool placed = false;

	(void)state;
	s = load(HEAD QUESTION BUURT "---\n" /* 15 */
				     "agreement:\n"
				     "  min_in_favour: \"> 50%\"\n",
		 &dl);
	for (size_t i = 0; i < dl.nr; i++)
		if (dl.items[i].level == DIAG_ERROR && dl.items[i].line == 15 &&
		    strstr(dl.items[i].msg, "document"))
			placed = true;
	survey_free(s);
	diag_list_release(&dl);
	assert_null(s);
	assert_true(placed);
}

/* Several mistakes in one file: all reported in one run, in order. */
static void test_many_mistakes(void **state)
{
	(void)state;
	CHECK_REFUSED("survey: Dorst Speelveld\n" /* 1 */
		      "titel: Speelveld\n"	  /* 2 */
		      "organisation: O\n"	  /* 3 */
		      "contact: C\n"		  /* 4 */
		      "opens: 2027-02-30\n"	  /* 5 */
		      "closes: 2027-03-28\n"	  /* 6 */
		      "questions:\n"		  /* 7 */
		      "  - id: speelveld\n"	  /* 8 */
		      "    type: proposition\n"	  /* 9 */
		      "    text: Speelveld?\n"	  /* 10 */
		      "  - id: speelveld\n"	  /* 11 */
		      "    type: scale\n"	  /* 12 */
		      "    text: Tevreden?\n"	  /* 13 */
		      "    min: 1\n"		  /* 14 */
		      "    max: 20\n"		  /* 15 */
		      "buurten:\n"		  /* 16 */
		      "  - id: b1\n"		  /* 17 */
		      "    name: B\n"		  /* 18 */
		      "    households: veel\n"	  /* 19 */
		      "agreement:\n"		  /* 20 */
		      "  min_in_favour: 50%\n"	  /* 21 */
		      "  basis: responses\n"	  /* 22 */
		      "  neutral: against\n",	  /* 23 */
		      { 1, 9, "'survey' mag alleen kleine letters" },
		      { 2, 1, "bedoelt u 'title'?" },
		      { 5, 8, "'opens': de datum 2027-02-30 bestaat niet" },
		      { 11, 9, "vraag-id 'speelveld' staat al op regel 8" },
		      { 15, 10, "een schaal van 1 tot 20 heeft 20 stappen" },
		      { 19, 17, "'households' moet een heel getal zijn" },
		      { 21, 18, "zeg of precies dit aandeel genoeg is" },
		      { 23, 3, "'neutral' doet alleen iets bij basis: votes" });
}

/* ---- the fixtures the command-line tests use --------------------------- */

static void check_fixture_(const char *path, const struct want *want, size_t n)
{
	struct diag_list dl;
	struct survey *s;
	bool ok;

	diag_list_init(&dl, path);
	s = survey_load_lang(path, SURVEY_NL, &dl);
	ok = !s && dl.errors == count_errors(want, n);
	ok = diags_are(&dl, want, n, path) && ok;
	survey_free(s);
	diag_list_release(&dl);
	if (!ok)
		fail_msg("%s: not the diagnostics wanted", path);
}

#define CHECK_FIXTURE(path, ...)                                               \
	do {                                                                   \
		static const struct want want_[] = { __VA_ARGS__ };            \
		check_fixture_((path), want_,                                  \
			       sizeof(want_) / sizeof(want_[0]));              \
	} while (0)

static void test_fixtures(void **state)
{
	(void)state;
	CHECK_FIXTURE(
		TESTS_DIR "/defs/broken-many.yaml",
		{ 5, 1,
		  "=onbekende sleutel 'titel' in de peiling; bedoelt u "
		  "'title'? (de sleutels zijn Engels)" },
		{ 9, 9,
		  "=de peiling sluit (2027-03-28) voordat ze opent "
		  "(2027-04-05): kijk 'opens' en 'closes' na" },
		{ 10, 17,
		  "=de taal 'de' kent draagvlak niet; kies uit nl, en" },
		{ 16, 9,
		  "=vraag-id 'speelveld' staat al op regel 13: geef elke vraag "
		  "een eigen id" },
		{ 18, 5,
		  "=onbekende sleutel 'tekst' in een vraag; bedoelt u 'text'? "
		  "(de sleutels zijn Engels)" },
		{ 26, 10,
		  "=een schaal van 0 tot 20 heeft 21 stappen; er passen er "
		  "hoogstens 11 op een formulier" },
		{ 31, 17,
		  "='households' moet een heel getal zijn, zoals 120, zonder "
		  "punt, komma of woorden; niet 'veel'" },
		{ 32, 9,
		  "=buurt-id 'BU08260100' staat al op regel 29: geef elke "
		  "buurt een eigen id" },
		{ 36, 7,
		  "='decision' gaat over alle buurten samen en hoort in de "
		  "afspraak van de hele peiling, niet in die van een buurt: "
		  "zet de regel onder de 'agreement:' van de peiling" },
		{ 39, 18,
		  "='min_in_favour': zeg of precies dit aandeel genoeg is: "
		  "schrijf \"meer dan 50%\" (50% zelf is niet genoeg) of "
		  "\"minstens 50%\" (50% is genoeg)" },
		{ 41, 3,
		  "='silent' doet alleen iets bij basis: households; bij basis "
		  "'votes' tellen huishoudens die niet antwoorden niet mee. "
		  "Haal 'silent' weg, of kies basis: households" });
	CHECK_FIXTURE(TESTS_DIR "/defs/broken-syntax.yaml",
		      { 24, 20,
			"YAML-opmaak: block scalar no linebreak found (een "
			"waarde die met > of | begint moet tussen "
			"aanhalingstekens, zoals \"> 50%\"" });
	CHECK_FIXTURE(
		TESTS_DIR "/defs/broken-types.yaml",
		{ 9, 12, "='languages' moet een lijst zijn, zoals [nl, en]" },
		{ 12, 3,
		  "='questions' moet een lijst zijn, met elke vraag beginnend "
		  "met '- id:'; niet een lijst van sleutels" },
		{ 16, 10,
		  "='buurten' moet een lijst zijn, met elke buurt beginnend "
		  "met '- id:'; niet één waarde" },
		{ 19, 5,
		  "='agreement' moet een lijst van sleutels zijn "
		  "(min_response, min_in_favour, ...), elk op een eigen regel "
		  "eronder en ingesprongen; niet een lijst" });
}

/* ---- survey_question_accepts() ----------------------------------------- */

static void test_accepts(void **state)
{
	struct survey *s =
		load_sample(SAMPLES_DIR "/dorst-speelveld/survey.yaml");
	const struct survey_question *q;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	q = question(s, "speelveld"); /* proposition */
	assert_true(survey_question_accepts(q, "voor"));
	assert_true(survey_question_accepts(q, "tegen"));
	assert_true(survey_question_accepts(q, "neutraal"));
	assert_true(survey_question_accepts(q, SURVEY_VALUE_INVALID));
	assert_false(survey_question_accepts(q, "Voor"));
	assert_false(survey_question_accepts(q, "ja"));
	assert_false(survey_question_accepts(q, ""));
	assert_false(survey_question_accepts(q, "invalid"));
	q = question(s, "verlichting"); /* proposition without neutral */
	assert_true(survey_question_accepts(q, "voor"));
	assert_false(survey_question_accepts(q, "neutraal"));

	q = question(s, "bezoek"); /* choice */
	assert_true(survey_question_accepts(q, "wekelijks"));
	assert_true(survey_question_accepts(q, "nooit"));
	assert_true(survey_question_accepts(q, SURVEY_VALUE_INVALID));
	assert_false(survey_question_accepts(q, "dagelijks"));
	assert_false(survey_question_accepts(q, "voor"));

	q = question(s, "wensen"); /* multi: one value per option */
	assert_true(survey_question_accepts(q, "trapveld"));
	assert_true(survey_question_accepts(q, "jeu_de_boules"));
	assert_false(survey_question_accepts(q, "trapveld,bankjes"));
	assert_false(survey_question_accepts(q, "zwembad"));

	q = question(s, "kinderen"); /* yesno */
	assert_true(survey_question_accepts(q, "ja"));
	assert_true(survey_question_accepts(q, "nee"));
	assert_true(survey_question_accepts(q, SURVEY_VALUE_INVALID));
	assert_false(survey_question_accepts(q, "yes"));

	q = question(s, "tevreden"); /* scale 1..5 */
	assert_true(survey_question_accepts(q, "1"));
	assert_true(survey_question_accepts(q, "3"));
	assert_true(survey_question_accepts(q, "5"));
	assert_false(survey_question_accepts(q, "0"));
	assert_false(survey_question_accepts(q, "6"));
	assert_false(survey_question_accepts(q, ""));
	assert_false(survey_question_accepts(q, "3.5"));
	assert_false(survey_question_accepts(q, "3 "));
	assert_false(survey_question_accepts(q, "drie"));
	assert_false(survey_question_accepts(q, SURVEY_VALUE_INVALID));

	q = question(s, "aantal_kinderen"); /* number 0..15 */
	assert_true(survey_question_accepts(q, "0"));
	assert_true(survey_question_accepts(q, "15"));
	assert_false(survey_question_accepts(q, "-1"));
	assert_false(survey_question_accepts(q, "16"));
	assert_false(survey_question_accepts(q, "99999999999999999999999"));
	assert_false(survey_question_accepts(q, "0x1"));

	q = question(s, "opmerking"); /* text, at most 1000 characters */
	assert_true(survey_question_accepts(q, ""));
	assert_true(survey_question_accepts(q, "Mooi plan!"));
	for (int i = 0; i < 1000; i++)
		strbuf_addstr(&sb, "é"); /* 2000 bytes, 1000 characters */
	assert_true(survey_question_accepts(q, sb.buf));
	strbuf_addstr(&sb, "é");
	assert_false(survey_question_accepts(q, sb.buf));
	strbuf_reset(&sb);
	for (int i = 0; i < 999; i++)
		strbuf_addch(&sb, 'a');
	strbuf_addstr(&sb, "\xf0\x9f\x8c\xb3"); /* one character, 4 bytes */
	assert_true(survey_question_accepts(q, sb.buf));
	strbuf_addch(&sb, 'a');
	assert_false(survey_question_accepts(q, sb.buf));
	assert_false(survey_question_accepts(q, "caf\xe9")); /* Latin-1 */
	assert_false(survey_question_accepts(q, "\xc3"));
	strbuf_release(&sb);
	survey_free(s);
}

/*
 * A stored number must be written as a number: strtol's skipping of
 * leading white space must not let " 3" count as the answer 3 (it would
 * be stored, and tallied, apart from "3").
 */
static void test_accepts_number_strict(void **state)
{
	struct survey *s =
		load_sample(SAMPLES_DIR "/dorst-speelveld/survey.yaml");
	const struct survey_question *q = question(s, "tevreden");
	bool space = survey_question_accepts(q, " 3");
	bool newline = survey_question_accepts(q, "\n3");

	(void)state;
	survey_free(s);
	assert_false(space);
	assert_false(newline);
}

/* Issue 17: what a board secretary writes gets the fix in the message. */
static void test_check_for_a_secretary(void **state)
{
	struct survey *s;

	(void)state;
	/* A rule that can never be met. */
	CHECK_REFUSED(HEAD QUESTION BUURT
		      "agreement:\n"		       /* 15 */
		      "  min_in_favour: \"> 100%\"\n", /* 16 */
		      { 16, 19,
			"'min_in_favour': \"meer dan 100%\" kan nooit gehaald "
			"worden" });
	CHECK_REFUSED(HEAD QUESTION BUURT "agreement:\n" /* 15 */
					  "  min_response: more than 100%\n"
					  "  min_in_favour: \"> 50%\"\n",
		      { 16, 17, "kan nooit gehaald worden" });
	/* A confidence level is not a comparison, nor a fraction. */
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT
		      "  confidence: \"> 95%\"\n", /* 17 */
		      { 17, 16, "'confidence' is een zekerheid, geen eis" });
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT
		      "  confidence: meer dan 95%\n",
		      { 17, 15, "'confidence' is een zekerheid, geen eis" });
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT
		      "  confidence: at least 90%\n",
		      { 17, 15, "'confidence' is een zekerheid, geen eis" });
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT
		      "  confidence: \"\xe2\x89\xa5 95%\"\n",
		      { 17, 16, "'confidence' is een zekerheid, geen eis" });
	CHECK_REFUSED(HEAD QUESTION BUURT AGREEMENT "  confidence: 2/3\n",
		      { 17, 15, "niet als breuk" });
	/* 66,7% is not two thirds: a warning that says how to write it. */
	survey_free(CHECK_LOADS_WARNING(
		HEAD QUESTION BUURT
		"agreement:\n"			     /* 15 */
		"  min_in_favour: minimaal 66,7%\n", /* 16 */
		{ 16, 18, "warning: 'min_in_favour': 66,7% is net niet 2/3" }));
	/* Curly quotes from Word, and "geen" for no quorum. */
	s = check_loads(HEAD QUESTION BUURT
			"agreement:\n"
			"  min_response: geen\n"
			"  min_in_favour: \xe2\x80\x9c> 50%\xe2\x80\x9d\n");
	assert_false(s->agreement.min_response.set);
	assert_int_equal(s->agreement.min_in_favour.cmp, AGREEMENT_GT);
	survey_free(s);
	/* A colon inside a text: say to put it in quotes. */
	CHECK_REFUSED("survey: t\n"
		      "title: Let op: dit\n" /* 2 */
		      "organisation: O\n",
		      { 2, 14, "moet tussen aanhalingstekens staan" });
	/* A Dutch key gets its English name. */
	CHECK_REFUSED(HEAD "vragen:\n" /* 7 */
			   "  - id: q\n"
			   "    type: proposition\n"
			   "    text: Q?\n" BUURT AGREEMENT,
		      { 7, 1,
			"=onbekende sleutel 'vragen' in de peiling; bedoelt u "
			"'questions'? (de sleutels zijn Engels)" });
	/* No survey-wide min_in_favour when every buurt sets its own. */
	s = check_loads(HEAD QUESTION "buurten:\n"
				      "  - id: b1\n"
				      "    name: B\n"
				      "    households: 10\n"
				      "    agreement:\n"
				      "      min_in_favour: \"> 50%\"\n"
				      "  - id: b2\n"
				      "    name: C\n"
				      "    households: 10\n"
				      "    agreement:\n"
				      "      min_in_favour: \">= 2/3\"\n"
				      "agreement:\n"
				      "  min_response: 30%\n");
	assert_int_equal(s->buurten[1].agreement.min_in_favour.den, 3);
	survey_free(s);
}

/*
 * Issue 17: every message of check comes from the catalogue, so that
 * --lang en gets English and the default (Dutch) has no English left.
 */
static void test_english_messages(void **state)
{
	static const char yaml[] = "survey: Dorst 2027\n"	   /* 1 */
				   "title: T\n"			   /* 2 */
				   "organisation: O\n"		   /* 3 */
				   "contact: C\n"		   /* 4 */
				   "opens: 2027-03-01\n"	   /* 5 */
				   "closes: 2027-02-28\n"	   /* 6 */
				   "languages: [nl, de]\n"	   /* 7 */
				   "questions:\n"		   /* 8 */
				   "  - id: q\n"		   /* 9 */
				   "    type: stelling\n"	   /* 10 */
				   "    text: Q?\n"		   /* 11 */
				   "    required: misschien\n"	   /* 12 */
				   "buurten:\n"			   /* 13 */
				   "  - id: b1\n"		   /* 14 */
				   "    name: B\n"		   /* 15 */
				   "    households: veel\n"	   /* 16 */
				   "agreement:\n"		   /* 17 */
				   "  min_in_favour: \"> 50%\"\n"; /* 18 */
	static const struct want en[] = {
		{ 1, 9,
		  "='survey' may hold only lower-case letters, digits and "
		  "'-', at most 40 characters; not 'Dorst 2027', but for "
		  "example 'dorst-2027'" },
		{ 6, 9,
		  "=the survey closes (2027-02-28) before it opens "
		  "(2027-03-01): check 'opens' and 'closes'" },
		{ 7, 17,
		  "=language 'de' is not supported; choose from nl, en" },
		{ 10, 11,
		  "='type' must be proposition, choice, multi, scale, yesno, "
		  "number or text, written exactly so; not 'stelling'" },
		{ 16, 17, "'households' must be a whole number, like 120" },
	};
	static const char *const english[] = {
		"must", "not ", "the survey", "line", "choose", "written",
	};
	struct diag_list dl;
	struct survey *s;
	bool ok;

	(void)state;
	diag_list_init(&dl, "t.yaml");
	s = survey_load_buffer_lang("t.yaml", yaml, sizeof(yaml) - 1, SURVEY_EN,
				    &dl);
	/* 'required' is left out of en[]: it stops at the type. */
	ok = !s && diags_are(&dl, en, sizeof(en) / sizeof(*en), yaml);
	diag_list_release(&dl);
	survey_free(s);
	assert_true(ok);

	/* The same file in Dutch: not one of the English words. */
	s = load(yaml, &dl);
	assert_null(s);
	assert_int_equal(dl.errors, 5);
	for (size_t i = 0; i < dl.nr; i++)
		for (size_t w = 0; w < sizeof(english) / sizeof(*english); w++)
			if (strstr(dl.items[i].msg, english[w])) {
				print_error("English in \"%s\"\n",
					    dl.items[i].msg);
				ok = false;
			}
	diag_list_release(&dl);
	assert_true(ok);
}

/* An id that is not one says what would be: lower-cased, joined by '-'. */
static void test_id_suggestion(void **state)
{
	(void)state;
	CHECK_REFUSED(
		"survey: \"Dorst: Speelveld & Café 2027!\"\n" /* 1 */
		"title: T\n"
		"organisation: O\n"
		"contact: C\n"
		"opens: 2027-03-01\n"
		"closes: 2027-03-28\n" QUESTION BUURT AGREEMENT,
		{ 1, 10, "maar bijvoorbeeld 'dorst-speelveld-cafe-2027'" });
	CHECK_REFUSED(HEAD QUESTION "buurten:\n"	      /* 11 */
				    "  - id: Dorst Centrum\n" /* 12 */
				    "    name: B\n"
				    "    households: 10\n" AGREEMENT,
		      { 12, 9,
			"='id' mag alleen letters, cijfers en '_-' "
			"bevatten, hoogstens 16 tekens; niet 'Dorst "
			"Centrum', maar bijvoorbeeld 'Dorst_Centrum'" });
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english_messages),
		cmocka_unit_test(test_id_suggestion),
		cmocka_unit_test(test_check_for_a_secretary),
		cmocka_unit_test(test_sample_dorst),
		cmocka_unit_test(test_sample_oosterheide),
		cmocka_unit_test(test_minimal_and_missing_file),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_unknown_key_inside),
		cmocka_unit_test(test_typo_reported_once),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_missing_key),
		cmocka_unit_test(test_duplicate_ids),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_agreement_needs_proposition),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_dates_strict),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_key_not_for_type),
		cmocka_unit_test(test_agreement_combinations),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_warnings_do_not_fail),
		cmocka_unit_test(test_yaml_syntax),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_empty_values_positioned),
		cmocka_unit_test(test_second_document),
		cmocka_unit_test(test_many_mistakes),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_accepts),
		cmocka_unit_test(test_accepts_number_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
