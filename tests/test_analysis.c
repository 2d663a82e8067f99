/*
 * test_analysis.c - end-to-end tests of the analysis (analysis/) on
 * real SQLite stores.
 *
 * Each test creates a store in a fresh temporary directory with the same
 * calls as `draagvlak init` and `households import`, adds responses with
 * SQL as the server and the paper entry would, and checks the numbers the
 * analysis reads back: households from the addresses or else from the
 * definition, anonymous forms counted as responses but not as households,
 * superseded responses ignored, blank and invalid answers, the split by
 * channel, the phase of the survey, the decision over the buurten; then
 * the reports, the export (never an address or a code), and the
 * simulation (never over real responses).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "chart.h"
#include "diag.h"
#include "export.h"
#include "households.h"
#include "responses.h"
#include "teststore.h"
#include "report.h"
#include "questions.h"
#include "simulate.h"
#include "workbook.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"
#include "xalloc.h"
#include "testutil.h"
#include "banned.h"

#define DORST_YAML SAMPLES_DIR "/dorst-speelveld/survey.yaml"
#define DORST_CSV  SAMPLES_DIR "/dorst-speelveld/addresses.csv"

#define CENTRUM "BU08260100"
#define OOST	"BU08260101"
#define WEST	"BU08260102"

struct fixture {
	char dir[64];
	char db[96];
	struct store *st;
	struct survey *s;
};

static void read_file(const char *path, struct strbuf *sb)
{
	assert_int_equal(strbuf_read_file(sb, path), 0);
}

/* A store for the survey in yaml, with the addresses in csv if given. */
static void make_store(struct fixture *fx, const char *yaml,
		       const char *csv_path)
{
	fx->st = test_store_make(fx->db, "test.yaml", yaml, csv_path, &fx->s);
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_analysis.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->db, sizeof(fx->db), "%s/d.db", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	survey_free(fx->s);
	store_free(fx->st);
	test_remove_tree(fx->dir);
	free(fx);
	return 0;
}

static void make_dorst(struct fixture *fx)
{
	struct strbuf yaml = STRBUF_INIT;

	read_file(DORST_YAML, &yaml);
	make_store(fx, yaml.buf, DORST_CSV);
	strbuf_release(&yaml);
}

/* Household ids of buurt, with an address or (anonymous) without. */
static size_t households_of(struct fixture *fx, const char *buurt,
			    bool anonymous, long long *ids, size_t max)
{
	return test_store_households(fx->st, buurt, anonymous, ids, max);
}

/*
 * A response of household on channel, answering speelveld with value
 * (NULL: left blank) and verlichting with "voor".  Returns its id.
 */
static long long respond(struct fixture *fx, long long household,
			 const char *channel, const char *value)
{
	return test_store_respond(fx->st, fx->s, household, channel, "test",
				  "speelveld", value, "verlichting", "voor",
				  "opmerking", "Mooi plan", (char *)NULL);
}

/*
 * Dorst-Centrum: 50 households with an address answer (30 voor, 15
 * tegen, 3 neutraal, 1 invalid, 1 blank; 20 on paper, 25 online, 5
 * scanned); the first had answered "tegen" before, superseded; and two
 * numbered forms without an address answer "voor" online.
 */
static void fill_centrum(struct fixture *fx)
{
	long long ids[200], anon[2], old, cur;
	struct strbuf err = STRBUF_INIT;
	long long first;
	size_t n = households_of(fx, CENTRUM, false, ids, 200);

	assert_int_equal(n, 142);
	for (int i = 0; i < 50; i++) {
		const char *v = i < 30	 ? "voor"
				: i < 45 ? "tegen"
				: i < 48 ? "neutraal"
				: i < 49 ? SURVEY_VALUE_INVALID
					 : NULL;
		const char *ch = i < 20 ? "paper" : i < 45 ? "online" : "scan";

		if (i) {
			respond(fx, ids[i], ch, v);
			continue;
		}
		/* The first answer is replaced by the second. */
		old = respond(fx, ids[i], "online", "tegen");
		cur = respond(fx, ids[i], ch, v);
		assert_int_equal(cur, old + 1);
	}
	if (store_households_add_anonymous(fx->st, CENTRUM, 2, &first, &err) !=
	    STORE_OK)
		fail_msg("%s", err.buf);
	assert_int_equal(households_of(fx, CENTRUM, true, anon, 2), 2);
	respond(fx, anon[0], "online", "voor");
	respond(fx, anon[1], "online", "voor");
	strbuf_release(&err);
}

static long long count_responses(struct fixture *fx)
{
	long long n = -1;

	assert_int_equal(store_responses_count(fx->st, &n, NULL), STORE_OK);
	return n;
}

static struct analysis *run(struct fixture *fx, const char *date)
{
	struct strbuf err = STRBUF_INIT;
	struct analysis *an = analysis_run(fx->st, fx->s, date, &err);

	if (!an)
		fail_msg("analysis: %s", err.buf);
	strbuf_release(&err);
	return an;
}

static void test_dorst_numbers(void **state)
{
	struct fixture *fx = *state;
	struct analysis *an;
	const struct analysis_cell *c;
	const struct analysis_outcome *o;
	struct strbuf err = STRBUF_INIT;
	double lo, hi;

	make_dorst(fx);
	fill_centrum(fx);
	an = run(fx, "2027-04-20");
	assert_int_equal(an->phase, ANALYSIS_OPEN);
	assert_int_equal(an->decision, AGREEMENT_ALL);
	assert_int_equal(an->nr_questions, 2);
	assert_string_equal(an->questions[0].q->id, "speelveld");
	assert_string_equal(an->questions[1].q->id, "verlichting");

	/* Households from the addresses; the 2 forms are not added. */
	assert_true(an->buurten[0].from_addresses);
	assert_int_equal(an->buurten[0].households, 142);
	assert_int_equal(an->buurten[0].anonymous, 2);
	assert_int_equal(an->buurten[0].responses[ANALYSIS_ONLINE], 27);
	assert_int_equal(an->buurten[0].responses[ANALYSIS_PAPER], 20);
	assert_int_equal(an->buurten[0].responses[ANALYSIS_SCAN], 5);
	assert_int_equal(an->buurten[1].households, 176);
	assert_int_equal(an->buurten[2].households, 131);

	c = &an->questions[0].cells[0];
	o = &c->outcome;
	assert_int_equal(c->tally.households, 142);
	assert_int_equal(o->responses, 52);
	assert_int_equal(c->tally.silent, 90);
	assert_int_equal(c->tally.n_for, 32);
	assert_int_equal(c->tally.n_against, 15);
	assert_int_equal(c->tally.n_neutral, 3);
	assert_int_equal(c->tally.n_invalid, 1);
	assert_int_equal(c->tally.n_blank, 1);
	/* by channel: paper 20 voor; online 10 voor + 15 tegen + 2 forms */
	assert_int_equal(c->count[ANALYSIS_PAPER][ANALYSIS_FOR], 20);
	assert_int_equal(c->count[ANALYSIS_ONLINE][ANALYSIS_FOR], 12);
	assert_int_equal(c->count[ANALYSIS_ONLINE][ANALYSIS_AGAINST], 15);
	assert_int_equal(c->count[ANALYSIS_SCAN][ANALYSIS_NEUTRAL], 3);
	assert_int_equal(c->count[ANALYSIS_SCAN][ANALYSIS_INVALID], 1);
	assert_int_equal(c->count[ANALYSIS_SCAN][ANALYSIS_BLANK], 1);
	/* Centrum: >= 30% respond (52/142), > 50% of the votes (32/47). */
	assert_true(o->quorum_met);
	assert_int_equal(o->part, 32);
	assert_int_equal(o->whole, 47);
	assert_int_equal(o->verdict, ANALYSIS_SUFFICIENT);
	assert_false(o->decided); /* 90 silent against would make 32/137 */
	/* confidence 95% from the survey-wide agreement */
	assert_true(o->has_interval);
	assert_true(analysis_wilson(32, 47, 142, 950, &lo, &hi));
	assert_true(o->lo == lo && o->hi == hi);

	/* verlichting: every response answered voor. */
	c = &an->questions[1].cells[0];
	assert_int_equal(c->tally.n_for, 52);
	assert_int_equal(c->tally.n_blank, 0);

	/* Oost and West: nobody answered. */
	o = &an->questions[0].cells[1].outcome;
	assert_int_equal(o->responses, 0);
	assert_int_equal(o->verdict, ANALYSIS_INSUFFICIENT);
	o = &an->questions[0].cells[2].outcome;
	assert_int_equal(o->verdict, ANALYSIS_LOW_RESPONSE);
	/* All must pass: insufficient, not decided while open. */
	assert_true(an->questions[0].has_overall);
	assert_int_equal(an->questions[0].overall, ANALYSIS_INSUFFICIENT);
	assert_false(an->questions[0].overall_decided);
	/* The total adds up the buurten. */
	assert_int_equal(an->questions[0].total.tally.households, 449);
	assert_int_equal(an->questions[0].total.tally.n_for, 32);
	assert_int_equal(an->questions[0].total.tally.silent, 90 + 176 + 131);
	analysis_free(an);

	/* Before it opens and after it closed. */
	an = run(fx, "2027-04-04");
	assert_int_equal(an->phase, ANALYSIS_NOT_OPEN);
	assert_true(analysis_still_open(an));
	analysis_free(an);
	an = run(fx, "2027-05-02");
	assert_int_equal(an->phase, ANALYSIS_OPEN);
	analysis_free(an);
	an = run(fx, "2027-05-03");
	assert_int_equal(an->phase, ANALYSIS_CLOSED);
	assert_true(an->questions[0].cells[0].outcome.decided);
	assert_true(an->questions[0].overall_decided);
	analysis_free(an);
	assert_null(analysis_run(fx->st, fx->s, "2027-02-30", &err));
	assert_non_null(strstr(err.buf, "not a date"));
	strbuf_release(&err);
}

static void test_reports(void **state)
{
	struct fixture *fx = *state;
	struct strbuf out = STRBUF_INIT;
	struct analysis *an;
	size_t rows = 0;

	make_dorst(fx);
	fill_centrum(fx);
	an = run(fx, "2027-04-20");
	analysis_report(an, ANALYSIS_TEXT, SURVEY_NL, &out);
	assert_non_null(strstr(out.buf, "Dorst-Centrum: VOLDOENDE DRAAGVLAK"));
	assert_non_null(strstr(out.buf, "Dorst-West: RESPONS TE LAAG"));
	assert_non_null(strstr(out.buf, "68,1% (32 van de 47 stemmen)"));
	assert_non_null(strstr(out.buf, "Nog niet beslist"));
	assert_non_null(strstr(out.buf, "anders over denken"));
	for (char *line = out.buf; line && *line;) {
		char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);

		if (len > 79 + 4) /* UTF-8 bytes: a little slack */
			fail_msg("line too long: %.*s", (int)len, line);
		line = eol ? eol + 1 : NULL;
	}
	strbuf_reset(&out);
	analysis_report(an, ANALYSIS_TEXT, SURVEY_EN, &out);
	assert_non_null(strstr(out.buf, "Dorst-Centrum: SUFFICIENT SUPPORT"));
	assert_non_null(strstr(out.buf, "68.1% (32 of 47 votes)"));

	/* CSV: 42 fields in every row; 2 x (3 buurten + total + overall). */
	strbuf_reset(&out);
	analysis_report(an, ANALYSIS_CSV, SURVEY_NL, &out);
	for (char *line = out.buf; *line;) {
		char *eol = strstr(line, "\r\n");
		int fields = 1;
		bool quoted = false;

		assert_non_null(eol);
		for (char *p = line; p < eol; p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (*p == ',' && !quoted)
				fields++;
		}
		assert_int_equal(
			fields,
			45); /* + quorum_short, change_toward, change_votes */
		rows++;
		line = eol + 2;
	}
	assert_int_equal(rows, 1 + 2 * 5);
	assert_non_null(strstr(out.buf,
			       "speelveld,buurt,BU08260100,"
			       "Dorst-Centrum,open,142,addresses,52,"));

	strbuf_reset(&out);
	analysis_report(an, ANALYSIS_JSON, SURVEY_EN, &out);
	assert_non_null(strstr(out.buf, "\"decision\":\"all\""));
	assert_non_null(
		strstr(out.buf, "\"share_part\":32,\"share_whole\":47"));
	analysis_free(an);
	strbuf_release(&out);
}

/* A survey whose declared households differ from its addresses. */
static const char small_yaml[] =
	"survey: testdorp-bankje-2027\n"
	"title: Een bankje\n"
	"organisation: Dorpsraad Testdorp\n"
	"contact: \"Vragen? secretaris@dorpsraad-testdorp.nl\"\n"
	"opens: 2027-03-01\n"
	"closes: 2027-03-28\n"
	"questions:\n"
	"  - id: speelveld\n"
	"    type: proposition\n"
	"    text: Ik ben voor een bankje.\n"
	"  - id: verlichting\n"
	"    type: proposition\n"
	"    text: Ik ben voor een lamp.\n"
	"  - id: opmerking\n"
	"    type: text\n"
	"    text: Nog iets?\n"
	"buurten:\n"
	"  - { id: A, name: Noord, households: 100 }\n"
	"  - { id: B, name: Zuid, households: 7 }\n"
	"agreement:\n"
	"  min_in_favour: \"> 50%\"\n"
	"  decision: pooled\n";

static void test_denominator_and_pooled(void **state)
{
	struct fixture *fx = *state;
	struct strbuf csv = STRBUF_INIT;
	struct analysis *an;
	long long ids[8];
	FILE *f;

	(void)state;
	strbuf_addf(&csv, "%s/a.csv", fx->dir);
	f = fopen(csv.buf, "w");
	assert_non_null(f);
	fputs("openbareruimtenaam;huisnummer;huisletter;huisnummertoevoeging;"
	      "postcode;woonplaatsnaam;buurtcode\n",
	      f);
	for (int i = 1; i <= 5; i++)
		fprintf(f, "Dorpsstraat;%d;;;1234 AB;Testdorp;A\n", i);
	fclose(f);
	make_store(fx, small_yaml, csv.buf);

	/* A: 3 of 5 addresses for; B (7 declared): 1 for, 3 against. */
	assert_int_equal(households_of(fx, "A", false, ids, 8), 5);
	for (int i = 0; i < 3; i++)
		respond(fx, ids[i], "online", "voor");
	{
		long long first;

		assert_int_equal(store_households_add_anonymous(fx->st, "B", 4,
								&first, NULL),
				 STORE_OK);
	}
	assert_int_equal(households_of(fx, "B", true, ids, 8), 4);
	respond(fx, ids[0], "paper", "voor");
	for (int i = 1; i < 4; i++)
		respond(fx, ids[i], "paper", "tegen");

	an = run(fx, "2027-03-10");
	assert_true(an->buurten[0].from_addresses);
	assert_int_equal(an->buurten[0].households, 5);
	assert_false(an->buurten[1].from_addresses);
	assert_int_equal(an->buurten[1].households, 7);
	assert_int_equal(an->buurten[1].anonymous, 4);
	assert_int_equal(an->questions[0].cells[0].outcome.verdict,
			 ANALYSIS_SUFFICIENT);
	assert_int_equal(an->questions[0].cells[1].outcome.verdict,
			 ANALYSIS_INSUFFICIENT);
	/* Pooled: 4 of 7 votes, 12 households, 5 silent (2 + 3). */
	assert_int_equal(an->questions[0].total.tally.households, 12);
	assert_int_equal(an->questions[0].total.tally.silent, 5);
	assert_int_equal(an->questions[0].total.outcome.part, 4);
	assert_int_equal(an->questions[0].total.outcome.whole, 7);
	assert_int_equal(an->questions[0].overall, ANALYSIS_SUFFICIENT);
	assert_false(an->questions[0].overall_decided);
	analysis_free(an);
	strbuf_release(&csv);
}

static void test_export_has_no_addresses(void **state)
{
	struct fixture *fx = *state;
	struct analysis_export_filter flt = { "speelveld", CENTRUM };
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	long long n;
	char *codes, *line, *save = NULL;

	make_dorst(fx);
	fill_centrum(fx);
	mem = open_memstream(&buf, &len);
	n = analysis_export(fx->st, fx->s, NULL, ANALYSIS_CSV, mem, &err);
	fclose(mem);
	/* speelveld 51 + verlichting 52 + opmerking 52 current answers */
	assert_int_equal(n, 51 + 52 + 52);
	assert_true(!strncmp(buf, "respondent,buurt,channel,question,value\r\n",
			     41));
	/* No street of the address list, no postcode, no code. */
	assert_null(strstr(buf, "4849"));
	assert_null(strstr(buf, "Dorst,"));
	codes = test_store_codes(fx->st);
	for (line = strtok_r(codes, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		assert_null(strstr(buf, line));
	free(codes);
	/* Respondents are renumbered from 1, not the store's ids. */
	assert_non_null(strstr(buf, "\r\n1,BU08260100,"));
	free(buf);

	mem = open_memstream(&buf, &len);
	n = analysis_export(fx->st, fx->s, &flt, ANALYSIS_JSON, mem, &err);
	fclose(mem);
	assert_int_equal(n, 51);
	assert_non_null(strstr(buf, "\"question\":\"speelveld\""));
	assert_null(strstr(buf, "verlichting"));
	free(buf);
	strbuf_release(&err);
}

static void test_simulate(void **state)
{
	struct fixture *fx = *state;
	struct analysis_sim_options o = { 7, 50 };
	struct analysis_sim_result res, again;
	struct strbuf err = STRBUF_INIT;
	struct analysis *an;

	make_dorst(fx);
	assert_int_equal(analysis_simulate(fx->st, fx->s, &o, &res, &err), 0);
	assert_int_equal(res.households, 449);
	assert_true(res.responses > 180 && res.responses < 270);
	assert_int_equal(count_responses(fx), res.responses);
	/* The same seed again replaces them with the same. */
	assert_int_equal(analysis_simulate(fx->st, fx->s, &o, &again, &err), 0);
	assert_int_equal(again.replaced, res.responses);
	assert_int_equal(again.responses, res.responses);
	an = run(fx, "2027-04-20");
	/* A mix of verdicts, as a demo needs. */
	assert_int_not_equal(an->questions[0].cells[0].outcome.verdict,
			     an->questions[0].cells[1].outcome.verdict);
	analysis_free(an);

	/* One real response and it refuses, leaving the store alone. */
	test_store_respond(fx->st, fx->s, 1, "paper", "Marie", "speelveld",
			   "voor", (char *)NULL);
	assert_int_equal(analysis_simulate(fx->st, fx->s, &o, &again, &err),
			 -1);
	assert_non_null(strstr(err.buf, "real responses"));
	assert_int_equal(count_responses(fx), res.responses + 1);
	strbuf_release(&err);
}

/* The output of cmd, whole (it must succeed). */
static void capture(const char *cmd, struct strbuf *out)
{
	FILE *p = popen(cmd, "r");
	char buf[4096];
	size_t n;

	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(out, buf, n);
	assert_int_equal(pclose(p), 0);
}

/*
 * Every question counted per buurt, from the tallies: the options in the
 * definition's order, shares of those who answered, the free texts; the
 * CSV for Excel in Dutch; and the workbook with the same in it.
 */
static void test_every_question(void **state)
{
	struct fixture *fx = *state;
	struct analysis_counts c;
	struct strbuf err = STRBUF_INIT, csv = STRBUF_INIT, xml = STRBUF_INIT;
	struct strbuf path = STRBUF_INIT, cmd = STRBUF_INIT;
	const struct analysis_qcounts *q;
	struct analysis *an;

	make_dorst(fx);
	fill_centrum(fx);
	assert_int_equal(analysis_counts_read(fx->st, fx->s, &c, &err), 0);
	assert_int_equal(c.responses[0], 52);
	assert_int_equal(c.responses[c.nr_buurten], 52);
	q = &c.questions[0];
	assert_string_equal(q->q->id, "speelveld");
	assert_string_equal(q->values[0].value, "voor");
	assert_int_equal(q->values[0].n[0], 32);
	assert_int_equal(q->values[1].n[0], 15);
	assert_int_equal(q->answered[0], 51); /* one left it blank */
	for (size_t i = 0; i < c.nr_questions; i++)
		if (c.questions[i].q->type == SURVEY_Q_TEXT) {
			assert_int_equal(c.questions[i].nr_texts, 52);
			assert_string_equal(c.questions[i].texts[0],
					    "Mooi plan");
		}

	analysis_workbook_csv(&c, SURVEY_NL, &csv);
	assert_memory_equal(csv.buf, "\xEF\xBB\xBFVraag;Antwoord;Aantal ", 25);
	/* 32 of 51 for, 62,7%, in Dorst-Centrum. */
	assert_non_null(strstr(csv.buf, ";Voor;32;62,7;"));

	an = run(fx, "2027-04-20");
	strbuf_addf(&path, "%s/uitslag.xlsx", fx->dir);
	assert_int_equal(
		analysis_workbook_xlsx(an, &c, SURVEY_NL, path.buf, &err), 0);
	strbuf_addf(&cmd, "unzip -p '%s' xl/sharedStrings.xml xl/workbook.xml",
		    path.buf);
	capture(cmd.buf, &xml);
	assert_non_null(strstr(xml.buf, "Mooi plan"));
	assert_non_null(strstr(xml.buf, "name=\"Antwoorden\""));
	assert_non_null(strstr(xml.buf, "Dorst-Centrum"));
	analysis_free(an);
	analysis_counts_release(&c);
	strbuf_release(&err);
	strbuf_release(&csv);
	strbuf_release(&xml);
	strbuf_release(&path);
	strbuf_release(&cmd);
}

/*
 * `simulatie` is a valid account name, and a paper form entered by that
 * volunteer is a real answer: simulate must refuse to run rather than
 * take it for one of its own and remove it (it did, when it knew its
 * answers by entered_by).
 */
static void test_simulate_keeps_volunteer_simulatie(void **state)
{
	struct fixture *fx = *state;
	struct analysis_sim_options o = { 7, 50 };
	struct analysis_sim_result res;
	struct strbuf err = STRBUF_INIT;
	struct store_current cur;
	long long ids[1];

	make_dorst(fx);
	assert_int_equal(households_of(fx, CENTRUM, false, ids, 1), 1);
	test_store_respond(fx->st, fx->s, ids[0], "paper", "simulatie",
			   "speelveld", "tegen", (char *)NULL);
	assert_int_equal(analysis_simulate(fx->st, fx->s, &o, &res, &err), -1);
	assert_non_null(strstr(err.buf, "1 real responses"));
	assert_int_equal(count_responses(fx), 1);
	assert_int_equal(
		store_response_current(fx->st, fx->s, ids[0], &cur, NULL, &err),
		STORE_OK);
	assert_string_equal(cur.channel, "paper");
	assert_string_equal(cur.entered_by, "simulatie");
	strbuf_release(&err);
}

/*
 * Issue 17: 66,7% is not 2/3, more responses than households, and the
 * agreement quoted whole.  A buurt of 1 household in the definition
 * with 3 numbered forms answered: 2 for, 1 against.
 */
static const char trust_yaml[] =
	"survey: testdorp-bankje-2027\n"
	"title: Een bankje\n"
	"organisation: Dorpsraad Testdorp\n"
	"contact: \"Vragen? secretaris@dorpsraad-testdorp.nl\"\n"
	"opens: 2027-03-01\n"
	"closes: 2027-03-28\n"
	"questions:\n"
	"  - id: speelveld\n"
	"    type: proposition\n"
	"    text: Ik ben voor een bankje.\n"
	"  - id: verlichting\n"
	"    type: proposition\n"
	"    text: Ik ben voor een lamp.\n"
	"  - id: opmerking\n"
	"    type: text\n"
	"    text: Nog iets?\n"
	"buurten:\n"
	"  - { id: A, name: Noord, households: 1 }\n"
	"  - { id: B, name: Zuid, households: 40 }\n"
	"agreement:\n"
	"  min_in_favour: minstens 66,7%\n"
	"  confidence: 95%\n"
	"  decision: all\n"
	"  agreed_with: Buurtvereniging Noord\n"
	"  agreed_on: 2027-02-09\n";

static void test_trust_verdict(void **state)
{
	struct fixture *fx = *state;
	struct strbuf out = STRBUF_INIT;
	struct analysis *an;
	struct analysis_cell *c;
	long long ids[4], first;

	make_store(fx, trust_yaml, NULL);
	assert_int_equal(
		store_households_add_anonymous(fx->st, "A", 3, &first, NULL),
		STORE_OK);
	assert_int_equal(households_of(fx, "A", true, ids, 4), 3);
	respond(fx, ids[0], "paper", "voor");
	respond(fx, ids[1], "paper", "voor");
	respond(fx, ids[2], "paper", "tegen");
	an = run(fx, "2027-03-10");
	analysis_report(an, ANALYSIS_TEXT, SURVEY_NL, &out);
	/* Not "Voor: 66,7% ... nodig: minstens 66,7% (niet gehaald)". */
	assert_null(strstr(out.buf, "Voor: 66,7%"));
	assert_non_null(strstr(out.buf, "Voor: 66,67% (2 van de 3 stemmen)"));
	assert_non_null(strstr(out.buf, "minstens 66,7% (niet gehaald)"));
	/* More responses than households: said, and not "all answered". */
	assert_non_null(strstr(out.buf, "meer reacties (3) dan huishoudens"));
	assert_null(strstr(out.buf, "alle huishoudens hebben gereageerd"));
	assert_non_null(strstr(out.buf, "Niet te zeggen of dit al beslist"));
	/* The agreement whole. */
	assert_non_null(strstr(out.buf, "Neutraal, blanco en ongeldig tellen"));
	assert_non_null(strstr(out.buf, "met 95% zekerheid"));
	assert_non_null(strstr(out.buf, "alle buurten voldoende draagvlak"));
	assert_non_null(strstr(out.buf, "Afgesproken met Buurtvereniging"));
	strbuf_reset(&out);
	analysis_report(an, ANALYSIS_JSON, SURVEY_EN, &out);
	assert_non_null(strstr(out.buf, "with 95% confidence"));
	assert_non_null(strstr(out.buf, "Agreed with Buurtvereniging Noord on "
					"9 February 2027."));
	analysis_free(an);

	/*
 * After closing, a buurt too close to call is decided as too close,
 * and possible says the same: not "possible":["sufficient"].
 * Zuid: 14 for, 6 against of 40 (70% > 66,7%, the interval wide).
 */
	an = run(fx, "2027-04-10");
	c = &an->questions[0].cells[1];
	memset(c->count, 0, sizeof(c->count));
	c->count[ANALYSIS_PAPER][ANALYSIS_FOR] = 14;
	c->count[ANALYSIS_PAPER][ANALYSIS_AGAINST] = 6;
	analysis_judge_all(an);
	assert_int_equal(c->outcome.exact, ANALYSIS_SUFFICIENT);
	assert_int_equal(c->outcome.verdict, ANALYSIS_TOO_CLOSE);
	assert_true(c->outcome.decided);
	assert_int_equal(c->outcome.possible, ANALYSIS_BIT(ANALYSIS_TOO_CLOSE));
	strbuf_reset(&out);
	analysis_report(an, ANALYSIS_JSON, SURVEY_EN, &out);
	assert_non_null(strstr(out.buf,
			       "\"verdict\":\"too_close\","
			       "\"verdict_words\":\"too close to call\","
			       "\"decided\":true,"
			       "\"possible\":[\"too_close\"]"));
	analysis_free(an);
	strbuf_release(&out);
}

/*
 * Issue 15: responses per day, on the day the Netherlands' clocks
 * showed.  2027 goes to summer time at 01:00 UTC on 28 March and back at
 * 01:00 UTC on 31 October; each moment sits a second or a minute beside
 * a local midnight or a change of the clocks.
 */
static const struct {
	const char *utc, *channel;
	int buurt; /* 0: A, 1: B */
} day_moments[] = {
	{ "2027-03-27T22:59:59Z", "online", 0 }, /* 23:59:59 CET, 27th */
	{ "2027-03-27T23:00:00Z", "paper", 0 },	 /* 00:00 CET, 28th */
	{ "2027-03-28T00:59:59Z", "online", 1 }, /* 01:59:59 CET, 28th */
	{ "2027-03-28T21:59:59Z", "scan", 1 },	 /* 23:59:59 CEST, 28th */
	{ "2027-03-28T22:00:00Z", "online", 0 }, /* 00:00 CEST, 29th */
	{ "2027-03-29T21:30:00Z", "paper", 1 },	 /* 23:30 CEST, 29th */
	{ "2027-03-30T22:30:00Z", "online", 1 }, /* 00:30 CEST, 31st */
	{ "2027-10-30T22:30:00Z", "online", 0 }, /* 00:30 CEST, 31 Oct */
	{ "2027-10-31T00:59:59Z", "paper", 0 },	 /* 02:59:59 CEST */
	{ "2027-10-31T01:00:00Z", "online", 1 }, /* 02:00 CET */
	{ "2027-10-31T23:00:00Z", "online", 1 }, /* 00:00 CET, 1 Nov */
};

static long long respond_at(struct fixture *fx, long long household,
			    const char *channel, const char *utc)
{
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	struct strbuf err = STRBUF_INIT;
	struct store_record rec = {
		.household = household,
		.channel = channel,
		.entered_by = strcmp(channel, "online") ? "test" : NULL,
		.answers = &a,
		.conflict = SURVEY_CONFLICT_LATEST,
		.expect_current = -1,
		.created_at = utc,
	};

	survey_answers_add(&a, survey_find_question(fx->s, "speelveld"),
			   "voor");
	if (store_response_record(fx->st, &rec, &err) != STORE_OK)
		fail_msg("record: %s", err.buf);
	survey_answers_release(&a);
	strbuf_release(&err);
	return rec.response_id;
}

static const struct analysis_day *day_of(const struct analysis *an,
					 const char *date)
{
	for (size_t d = 0; d < an->nr_days; d++)
		if (!strcmp(an->days[d].date, date))
			return &an->days[d];
	fail_msg("no day %s", date);
	return NULL;
}

static uint64_t day_total(const struct analysis *an, const char *date, long b)
{
	uint64_t n[ANALYSIS_NCHANNEL];

	return analysis_day_counts(an, (size_t)(day_of(an, date) - an->days), b,
				   n);
}

static void test_days(void **state)
{
	struct fixture *fx = *state;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	const char *buurt[2] = { "A", "B" };
	long long ids[2][16], first;
	size_t used[2] = { 0, 0 };
	struct analysis *an;
	uint64_t sum = 0;

	make_store(fx, trust_yaml, NULL);
	/* Nobody answered: no days, and the report says so. */
	an = run(fx, "2027-03-10");
	assert_int_equal(an->nr_days, 0);
	analysis_report(an, ANALYSIS_TEXT, SURVEY_NL, &out);
	assert_non_null(strstr(out.buf, "Er zijn nog geen reacties."));
	analysis_free(an);
	for (int b = 0; b < 2; b++) {
		assert_int_equal(store_households_add_anonymous(
					 fx->st, buurt[b], 16, &first, &err),
				 STORE_OK);
		assert_int_equal(test_store_households(fx->st, buurt[b], true,
						       ids[b], 16),
				 16);
	}
	for (size_t i = 0; i < sizeof(day_moments) / sizeof(*day_moments);
	     i++) {
		int b = day_moments[i].buurt;

		respond_at(fx, ids[b][used[b]++], day_moments[i].channel,
			   day_moments[i].utc);
	}
	/* Answered on the 27th, again on 1 November: counts on 1 Nov only. */
	respond_at(fx, ids[0][15], "online", "2027-03-27T12:00:00Z");
	respond_at(fx, ids[0][15], "online", "2027-10-31T23:30:00Z");

	an = run(fx, "2027-11-02");
	/* From 27 March to 1 November, the days between at 0. */
	assert_int_equal(an->nr_days, 220);
	assert_string_equal(an->days[0].date, "2027-03-27");
	assert_string_equal(an->days[an->nr_days - 1].date, "2027-11-01");
	assert_int_equal(day_total(an, "2027-03-27", -1), 1);
	assert_int_equal(day_total(an, "2027-03-28", -1), 3);
	assert_int_equal(day_total(an, "2027-03-29", -1), 2);
	assert_int_equal(day_total(an, "2027-03-30", -1), 0);
	assert_int_equal(day_total(an, "2027-03-31", -1), 1);
	assert_int_equal(day_total(an, "2027-10-30", -1), 0);
	assert_int_equal(day_total(an, "2027-10-31", -1), 3);
	assert_int_equal(day_total(an, "2027-11-01", -1), 2);
	/* by channel */
	assert_int_equal(day_of(an, "2027-03-28")->count[ANALYSIS_PAPER], 1);
	assert_int_equal(day_of(an, "2027-03-28")->count[ANALYSIS_ONLINE], 1);
	assert_int_equal(day_of(an, "2027-03-28")->count[ANALYSIS_SCAN], 1);
	assert_int_equal(day_of(an, "2027-10-31")->count[ANALYSIS_PAPER], 1);
	assert_int_equal(day_of(an, "2027-10-31")->count[ANALYSIS_ONLINE], 2);
	/* by buurt */
	assert_int_equal(day_total(an, "2027-03-28", 0), 1);
	assert_int_equal(day_total(an, "2027-03-28", 1), 2);
	assert_int_equal(day_total(an, "2027-11-01", 0), 1);
	assert_int_equal(day_total(an, "2027-11-01", 1), 1);
	/* The days add up to the responses. */
	for (size_t d = 0; d < an->nr_days; d++) {
		uint64_t n[ANALYSIS_NCHANNEL];

		sum += analysis_day_counts(an, d, -1, n);
	}
	assert_int_equal(sum, an->questions[0].total.tally.n_for);
	assert_int_equal(sum, 12);
	/* The text report's table, the JSON, the chart in words. */
	strbuf_reset(&out);
	analysis_report(an, ANALYSIS_TEXT, SURVEY_NL, &out);
	assert_non_null(strstr(out.buf, "== Reacties per dag =="));
	assert_non_null(strstr(out.buf, "28 maart 2027            1       1"
					"       1       3\n"));
	assert_non_null(strstr(out.buf, "30 maart 2027            0       0"
					"       0       0\n"));
	strbuf_reset(&out);
	analysis_report(an, ANALYSIS_JSON, SURVEY_NL, &out);
	assert_non_null(strstr(out.buf, "{\"date\":\"2027-10-31\",\"online\":2,"
					"\"paper\":1,\"scan\":0}"));
	strbuf_reset(&out);
	analysis_chart_days_describe(an, -1, SURVEY_NL, &out);
	assert_string_equal(out.buf,
			    "Reacties per dag: 12 in totaal, van 27 maart 2027 "
			    "tot en met 1 november 2027. De meeste op 28 maart "
			    "2027: 3.");
	strbuf_reset(&out);
	assert_int_equal(analysis_chart_days_render(an, 1, true, "Dagen <B>",
						    SURVEY_EN, &out, &err),
			 0);
	assert_non_null(strstr(out.buf, "<title>Dagen &lt;B&gt;</title>"));
	assert_non_null(strstr(out.buf, "Responses per day: 6 in all"));
	analysis_free(an);
	strbuf_release(&out);
	strbuf_release(&err);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_dorst_numbers),
		T(test_reports),
		T(test_denominator_and_pooled),
		T(test_trust_verdict),
		T(test_export_has_no_addresses),
		T(test_simulate),
		T(test_simulate_keeps_volunteer_simulatie),
		T(test_every_question),
		T(test_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
