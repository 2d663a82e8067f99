/*
 * survey.h - the survey definition: what a platform board writes in YAML.
 *
 * A survey has texts in one or two languages, questions of seven types,
 * the buurten it covers, and the agreement (afspraak) on what counts as
 * sufficient draagvlak.  survey_load() reads and validates a definition
 * file (see docs/definition.md for the format) and reports every mistake
 * it finds with its line and column; the structures below are the result,
 * and everything else in draagvlak reads them.
 *
 * Ownership: a struct survey owns every string and array hanging off it;
 * survey_free() releases them all.
 */
#ifndef DRAAGVLAK_SURVEY_H
#define DRAAGVLAK_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "agreement.h"
#include "lang.h"

/*
 * A text the respondent or board reads.  In the file it is either one
 * string (used for every language) or a mapping {nl: ..., en: ...}.
 * text[SURVEY_NL] is never NULL once loaded; text[SURVEY_EN] is NULL when
 * no English was given.
 */
struct survey_text {
	char *text[SURVEY_NLANG];
};

/* The text in lang, falling back to Dutch.  NULL only for an unset text. */
const char *survey_text_get(const struct survey_text *t, enum survey_lang lang);

enum survey_qtype {
	SURVEY_Q_PROPOSITION, /* voor / tegen / neutraal: measures draagvlak */
	SURVEY_Q_CHOICE,      /* one of N options */
	SURVEY_Q_MULTI,	      /* several of N options */
	SURVEY_Q_SCALE,	      /* an integer from min to max with end labels */
	SURVEY_Q_YESNO,	      /* ja / nee */
	SURVEY_Q_NUMBER,      /* an integer from min to max */
	SURVEY_Q_TEXT,	      /* free text up to max_length characters */
};

/* "proposition", "choice", ... as written in the definition file. */
const char *survey_qtype_name(enum survey_qtype type);

struct survey_option {
	char *id;		  /* stable id stored with answers */
	struct survey_text label; /* what the box says */
};

/*
 * A question.  Choice-like questions (proposition, choice, multi, yesno)
 * have their options in options[]; a proposition's are "voor", "tegen"
 * and, unless neutral is off, "neutraal", and a yesno's are "ja" and "nee",
 * so that every consumer (forms, web pages, scanner) can treat all boxes
 * alike.  min/max hold the range of scale and number questions,
 * max_length the limit of a text question, max_choices that of a multi.
 */
struct survey_question {
	char *id;
	enum survey_qtype type;
	struct survey_text text;
	struct survey_text help; /* optional explanation under the question */
	bool required;
	struct survey_option *options;
	size_t nr_options;
	long min, max;
	struct survey_text min_label, max_label; /* scale ends, optional */
	unsigned max_length;			 /* text: characters */
	unsigned max_choices;			 /* multi: 0 = no limit */
	int line;				 /* where it is defined */
};

/* Well-known option ids of proposition and yesno questions. */
#define SURVEY_OPT_FOR	   "voor"
#define SURVEY_OPT_AGAINST "tegen"
#define SURVEY_OPT_NEUTRAL "neutraal"
#define SURVEY_OPT_YES	   "ja"
#define SURVEY_OPT_NO	   "nee"

struct survey_buurt {
	char *id;   /* CBS buurt code such as BU08260101, or any id */
	char *name; /* "Dorst-Oost" */
	/*
	 * The name as it reads after "in": "de Schrijversbuurt" (name_in
	 * in the definition); NULL: the name itself.
	 */
	char *name_in;
	unsigned
		households; /* declared count: the denominator without addresses */
	struct agreement
		agreement; /* the survey's, with this buurt's overrides */
	bool overrides;	   /* this buurt has an agreement of its own */
	int line;
};

/* What counts when one household answered both on paper and online. */
enum survey_conflict { SURVEY_CONFLICT_LATEST, SURVEY_CONFLICT_PAPER };
/*
 * Who has a voice (issue 15): every household (letterbox), or every
 * resident of 18+, each with a code and form of their own; then a
 * buurt's households count is its number of voters.
 */
enum survey_voting_unit { SURVEY_UNIT_HOUSEHOLD, SURVEY_UNIT_RESIDENT };

struct survey {
	char *id; /* short lower-case id: "dorst-speelveld-2027" */
	struct survey_text title;
	char *organisation; /* the platform's name */
	struct survey_text contact;
	struct survey_text intro;
	struct survey_text return_to; /* where the paper form goes; optional */
	char opens[11];	 /* YYYY-MM-DD: first day answers are taken */
	char closes[11]; /* YYYY-MM-DD: last day answers are taken */
	/*
	 * YYYY-MM-DD after which `draagvlak archive` may destroy addresses,
	 * codes and scans; "" when the definition sets none.
	 */
	char retention[11];
	bool languages[SURVEY_NLANG];
	char *base_url; /* where the server answers; NULL when not set */
	enum survey_conflict conflict;
	enum survey_voting_unit voting_unit;
	bool double_entry; /* paper forms count after two equal entries */
	/* After closing, the results per buurt at /uitslag for anyone. */
	bool public_results;

	struct survey_question *questions;
	size_t nr_questions;
	struct survey_buurt *buurten;
	size_t nr_buurten;

	bool has_agreement;
	struct agreement agreement; /* the survey-wide default */
};

/*
 * Read and validate the definition in path.  On success returns a survey
 * (free with survey_free()) and leaves only warnings, if any, in dl.
 * On failure returns NULL with every problem found in dl, which must have
 * been initialised by the caller (diag_list_init(dl, path)).
 */
struct survey *survey_load(const char *path, struct diag_list *dl);
/* The same, from a buffer; name is used in messages. */
struct survey *survey_load_buffer(const char *name, const char *buf, size_t len,
				  struct diag_list *dl);
/*
 * The same, with the messages the catalogue has (the share, the YAML
 * syntax, unknown keys, the confidence) in lang: check speaks the board's
 * language.  The plain functions use English.
 */
struct survey *survey_load_lang(const char *path, enum survey_lang lang,
				struct diag_list *dl);
struct survey *survey_load_buffer_lang(const char *name, const char *buf,
				       size_t len, enum survey_lang lang,
				       struct diag_list *dl);
void survey_free(struct survey *s);

const struct survey_question *survey_find_question(const struct survey *s,
						   const char *id);
const struct survey_buurt *survey_find_buurt(const struct survey *s,
					     const char *id);
const struct survey_option *survey_find_option(const struct survey_question *q,
					       const char *id);
size_t survey_count_propositions(const struct survey *s);

/*
 * The value stored for a choice-like question whose paper form was
 * filled in so that no single answer can be read (two boxes ticked).
 */
#define SURVEY_VALUE_INVALID "~invalid"

/*
 * Whether value is a valid stored answer to q: an option id (or
 * SURVEY_VALUE_INVALID) for choice-like questions, one value per option
 * for multi; a whole number in range for scale and number; UTF-8 text of
 * at most max_length characters for text.
 */
bool survey_question_accepts(const struct survey_question *q,
			     const char *value);

/*
 * Append a short summary for a board member (questions, buurten, the
 * agreement in words) in lang.
 */
void survey_describe(const struct survey *s, enum survey_lang lang,
		     struct strbuf *out);

/* "de Schrijversbuurt": what follows "in" in a sentence about buurt b. */
const char *survey_buurt_name_in(const struct survey_buurt *b);

#endif
