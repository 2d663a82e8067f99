/*
 * test_report_pdf.c - the PDF report and the chart files (analysis/
 * report_pdf.h, chart.h) on real SQLite stores.
 *
 * The store is built as in test_analysis.c (the Dorst sample with known
 * answers inserted with SQL, one of them superseded).  The PDF is read
 * back with pdftotext and checked for what a council member must find
 * in it: the decision in one sentence, the agreement in words with who
 * agreed it and when, Dutch numbers, the audit count, and the same in
 * English.  The charts are written as PNG and SVG and checked for being
 * pictures with the expected words; a pooled survey adds the page of the
 * buurten together.  Nothing may be left beside the files: no temporary
 * file survives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "chart.h"
#include "diag.h"
#include "households.h"
#include "teststore.h"
#include "render.h"
#include "report_pdf.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"
#include "xalloc.h"
#include "testutil.h"
#include "banned.h"

#define DORST_YAML  SAMPLES_DIR "/dorst-speelveld/survey.yaml"
#define DORST_CSV   SAMPLES_DIR "/dorst-speelveld/addresses.csv"
#define POOLED_YAML TESTS_DIR "/report/pooled.yaml"
#define POOLED_CSV  TESTS_DIR "/report/pooled.csv"

#define CENTRUM "BU08260100"

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

static void make_store(struct fixture *fx, const char *yaml_path,
		       const char *csv_path)
{
	struct strbuf yaml = STRBUF_INIT;

	read_file(yaml_path, &yaml);
	fx->st = test_store_make(fx->db, yaml_path, yaml.buf, csv_path, &fx->s);
	strbuf_release(&yaml);
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_report_pdf.XXXXXX");
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

static size_t households_of(struct fixture *fx, const char *buurt,
			    long long *ids, size_t max)
{
	return test_store_households(fx->st, buurt, false, ids, max);
}

/* A response answering the first proposition qid with value. */
static long long respond(struct fixture *fx, long long household,
			 const char *channel, const char *qid,
			 const char *value)
{
	return test_store_respond(fx->st, fx->s, household, channel, "test",
				  qid, value, (char *)NULL);
}

/*
 * Dorst-Centrum: 52 of 142 households answer speelveld (32 voor, 15
 * tegen, 5 neutraal; 20 on paper, the rest online); the first had
 * answered "tegen" before, superseded.  Oost and West stay silent.
 */
static void fill_dorst(struct fixture *fx)
{
	long long ids[200];

	assert_int_equal(households_of(fx, CENTRUM, ids, 200), 142);
	/* The first answer is replaced by the second. */
	respond(fx, ids[0], "online", "speelveld", "tegen");
	for (int i = 0; i < 52; i++)
		respond(fx, ids[i], i < 20 ? "paper" : "online", "speelveld",
			i < 32	 ? "voor"
			: i < 47 ? "tegen"
				 : "neutraal");
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

/* The text of pdf with every run of white space made one space. */
static void pdf_text(const char *pdf, struct strbuf *out)
{
	struct strbuf cmd = STRBUF_INIT, txt = STRBUF_INIT, raw = STRBUF_INIT;
	int space = 0;

	strbuf_addf(&txt, "%s.txt", pdf);
	strbuf_addf(&cmd, "%s -enc UTF-8 '%s' '%s'", PDFTOTEXT, pdf, txt.buf);
	assert_int_equal(system(cmd.buf), 0);
	read_file(txt.buf, &raw);
	for (size_t i = 0; i < raw.len; i++) {
		char c = raw.buf[i];

		if (c == ' ' || c == '\n' || c == '\t' || c == '\f' ||
		    c == '\r') {
			space = 1;
			continue;
		}
		if (space && out->len)
			strbuf_addch(out, ' ');
		space = 0;
		strbuf_addch(out, c);
	}
	unlink(txt.buf);
	strbuf_release(&cmd);
	strbuf_release(&txt);
	strbuf_release(&raw);
}

static void assert_has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("not found: \"%s\"\nin: %s", needle, hay);
}

/* Only the files named in want (NULL-terminated) are in dir. */
static void assert_only(const char *dir, const char *const *want)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((de = readdir(d))) {
		bool known = de->d_name[0] == '.' &&
			     (!de->d_name[1] || !strcmp(de->d_name, ".."));

		for (size_t i = 0; want[i] && !known; i++)
			known = !strcmp(de->d_name, want[i]);
		if (!known)
			fail_msg("unexpected file %s in %s", de->d_name, dir);
	}
	closedir(d);
}

static void write_pdf(struct fixture *fx, const struct analysis *an,
		      enum survey_lang lang, const char *path)
{
	struct strbuf err = STRBUF_INIT;
	struct store_audit au;

	if (store_audit_read(fx->st, an->s, &au, &err) < 0)
		fail_msg("audit: %s", err.buf);
	assert_int_equal(au.superseded[0], 1);
	assert_int_equal(au.superseded[1], 0);
	if (analysis_report_pdf(an, &au, lang, path, &err) < 0)
		fail_msg("pdf: %s", err.buf);
	store_audit_release(&au);
	strbuf_release(&err);
}

static void test_dorst_nl(void **state)
{
	struct fixture *fx = *state;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	const char *const files[] = { "d.db", "d.db-wal", "d.db-shm", "r.pdf",
				      NULL };
	struct analysis *an;
	struct stat sb;

	make_store(fx, DORST_YAML, DORST_CSV);
	fill_dorst(fx);
	an = run(fx, "2027-04-20");
	strbuf_addf(&path, "%s/r.pdf", fx->dir);
	write_pdf(fx, an, SURVEY_NL, path.buf);
	assert_int_equal(stat(path.buf, &sb), 0);
	assert_true(sb.st_size > 5000);
	assert_only(fx->dir, files);
	pdf_text(path.buf, &text);

	/* the front page: the decision in one sentence */
	assert_has(text.buf, "Een nieuw speelveld aan de Schoolstraat");
	assert_has(text.buf, "stand op 20 april 2027");
	assert_has(text.buf, "Onvoldoende draagvlak");
	assert_has(text.buf,
		   "Er is onvoldoende draagvlak voor deze stelling: 1 van de "
		   "3 buurten heeft voldoende draagvlak, en alle buurten "
		   "moeten slagen. Dit is nog niet beslist");
	assert_has(text.buf, "397 van de 449 huishoudens hebben (nog) niet "
			     "gereageerd");
	/* Centrum: 52 of 142 answered, 32 of 47 votes for */
	assert_has(text.buf, "Respons 36,6% (52 van 142 huishoudens, "
			     "volgens de adressen); nodig: minstens 30% "
			     "(gehaald).");
	assert_has(text.buf, "Voor: 68,1% (32 van de 47 stemmen); nodig: "
			     "meer dan 50% (gehaald).");
	assert_has(text.buf, "Met 95% zekerheid ligt het aandeel voor");
	/* the agreement in words, with whom and when */
	assert_has(text.buf, "Er is voldoende draagvlak als minstens 30% van "
			     "de huishoudens in Dorst-Centrum reageert en "
			     "meer dan 50% van de stemmen voor is.");
	assert_has(text.buf, "Afgesproken met Buurtvereniging Dorst-Centrum "
			     "op 9 februari 2027.");
	assert_has(text.buf, "Afgesproken met Buurtvereniging De Akkers "
			     "(Dorst-West) op 15 februari 2027.");
	/* the audit: one answer replaced */
	assert_has(text.buf, "Gewijzigde antwoorden: 1.");
	/* responses per day, on a front page of its own (issue 15) */
	assert_has(text.buf, "Reacties per dag");
	assert_has(text.buf, "pagina 8 van 8");
	analysis_free(an);
	strbuf_release(&path);
	strbuf_release(&text);
}

static void test_dorst_en(void **state)
{
	struct fixture *fx = *state;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct analysis *an;

	make_store(fx, DORST_YAML, DORST_CSV);
	fill_dorst(fx);
	an = run(fx, "2027-05-10"); /* closed: the final result */
	strbuf_addf(&path, "%s/r.pdf", fx->dir);
	write_pdf(fx, an, SURVEY_EN, path.buf);
	pdf_text(path.buf, &text);
	assert_has(text.buf, "A new playing field on Schoolstraat");
	assert_has(text.buf, "and has closed: this is the final result.");
	assert_has(text.buf,
		   "There is insufficient support for this proposition: 1 of "
		   "the 3 buurten have sufficient support, and every buurt "
		   "must pass.");
	assert_has(text.buf, "Response 36.6% (52 of 142 households");
	assert_has(text.buf, "Agreed with Buurtvereniging Dorst-Centrum on "
			     "9 February 2027.");
	assert_has(text.buf, "Changed answers: 1.");
	/* closed: nothing is "not yet decided" any more */
	assert_null(strstr(text.buf, "not yet decided"));
	analysis_free(an);
	strbuf_release(&path);
	strbuf_release(&text);
}

/* The first bytes of path into head (up to size - 1), and its size. */
static long head_of(const char *path, char *head, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	long len;

	if (!f)
		fail_msg("missing: %s", path);
	n = fread(head, 1, size - 1, f);
	head[n] = '\0';
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fclose(f);
	return len;
}

static void test_charts(void **state)
{
	struct fixture *fx = *state;
	static const char *const charts[] = { "stemmen", "respons", "voor",
					      "kanalen" };
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	struct strbuf err = STRBUF_INIT, svg = STRBUF_INIT;
	struct analysis *an;
	size_t nr = 0, seen = 0;
	struct dirent *de;
	char head[16];
	DIR *d;

	make_store(fx, DORST_YAML, DORST_CSV);
	fill_dorst(fx);
	an = run(fx, "2027-04-20");
	strbuf_addf(&dir, "%s/charts", fx->dir);
	if (analysis_charts_write(an, dir.buf, SURVEY_NL, &nr, &err) < 0)
		fail_msg("charts: %s", err.buf);
	/* 2 propositions x 3 buurten x 4 charts x PNG and SVG, the days */
	assert_int_equal(nr, 50);
	for (size_t k = 0; k < 4; k++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/speelveld-%s-%s.png", dir.buf, CENTRUM,
			    charts[k]);
		assert_true(head_of(path.buf, head, sizeof(head)) > 1000);
		assert_memory_equal(head, "\x89PNG\r\n\x1a\n", 8);
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/speelveld-%s-stemmen.svg", dir.buf, CENTRUM);
	read_file(path.buf, &svg);
	assert_true(!strncmp(svg.buf, "<?xml", 5) ||
		    !strncmp(svg.buf, "<svg", 4));
	assert_has(svg.buf, "</svg>");
	assert_has(svg.buf, "<title>speelveld, Dorst-Centrum: Antwoorden"
			    "</title>");
	assert_has(svg.buf, "voor 32, tegen 15, neutraal 5, blanco 0, "
			    "ongeldig 0.");
	strbuf_reset(&svg);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/speelveld-%s-voor.svg", dir.buf, CENTRUM);
	read_file(path.buf, &svg);
	assert_has(svg.buf, "Voor: 68,1% (32 van de 47 stemmen)");
	assert_has(svg.buf, "Met 95% zekerheid");

	/* nothing else, in particular no temporary file */
	d = opendir(dir.buf);
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			size_t len = strlen(de->d_name);

			assert_true(len > 4 &&
				    (!strcmp(de->d_name + len - 4, ".png") ||
				     !strcmp(de->d_name + len - 4, ".svg")));
			seen++;
		}
	closedir(d);
	assert_int_equal(seen, 50);
	analysis_free(an);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&err);
	strbuf_release(&svg);
}

/* Pooled: the buurten together decide, and get a page of their own. */
static void test_pooled(void **state)
{
	struct fixture *fx = *state;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct strbuf err = STRBUF_INIT;
	struct analysis *an;
	long long ids[8];
	size_t nr;

	make_store(fx, POOLED_YAML, POOLED_CSV);
	/* Noord: 3 of 4 for; Zuid: 1 for, 2 against.  Together 4 of 7 votes. */
	assert_int_equal(households_of(fx, "A", ids, 8), 4);
	for (int i = 0; i < 4; i++)
		respond(fx, ids[i], "online", "bankje",
			i < 3 ? "voor" : "tegen");
	assert_int_equal(households_of(fx, "B", ids, 8), 4);
	for (int i = 0; i < 3; i++)
		respond(fx, ids[i], "scan", "bankje", i ? "tegen" : "voor");
	an = run(fx, "2027-04-01");
	strbuf_addf(&path, "%s/r.pdf", fx->dir);
	if (analysis_report_pdf(an, NULL, SURVEY_NL, path.buf, &err) < 0)
		fail_msg("pdf: %s", err.buf);
	pdf_text(path.buf, &text);
	assert_has(text.buf, "Er is voldoende draagvlak voor deze stelling, "
			     "met alle buurten samen geteld: 57,1% voor (4 "
			     "van de 7 stemmen)");
	assert_has(text.buf, "Alle buurten samen");
	assert_has(text.buf, "Ter informatie");
	assert_has(text.buf, "Afgesproken met Dorpsraad Testdorp op 1 "
			     "februari 2027.");
	/* no audit section without an audit */
	assert_null(strstr(text.buf, "Gewijzigde antwoorden"));
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/charts", fx->dir);
	if (analysis_charts_write(an, path.buf, SURVEY_EN, &nr, &err) < 0)
		fail_msg("charts: %s", err.buf);
	/* (2 buurten + together) x 4 x 2, and the days */
	assert_int_equal(nr, 26);
	strbuf_addstr(&path, "/bankje-samen-kanalen.svg");
	strbuf_reset(&text);
	read_file(path.buf, &text);
	assert_has(text.buf, "online 4, paper 0, scan 3.");
	analysis_free(an);
	strbuf_release(&path);
	strbuf_release(&text);
	strbuf_release(&err);
}

/* An unwritable place: an error, and nothing left behind. */
static void test_errors(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT, path = STRBUF_INIT;
	const char *const files[] = { "d.db", "d.db-wal", "d.db-shm", NULL };
	struct analysis *an;
	size_t nr = 1;

	make_store(fx, DORST_YAML, DORST_CSV);
	an = run(fx, "2027-04-20");
	strbuf_addf(&path, "%s/no/such/dir/r.pdf", fx->dir);
	assert_int_equal(
		analysis_report_pdf(an, NULL, SURVEY_NL, path.buf, &err), -1);
	assert_has(err.buf, "niet schrijven: de map bestaat niet");
	strbuf_reset(&err);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/no/charts", fx->dir);
	assert_int_equal(
		analysis_charts_write(an, path.buf, SURVEY_NL, &nr, &err), -1);
	assert_int_equal(nr, 0);
	assert_has(err.buf, "cannot create the folder");
	assert_only(fx->dir, files);
	analysis_free(an);
	strbuf_release(&err);
	strbuf_release(&path);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_dorst_nl), T(test_dorst_en), T(test_charts),
		T(test_pooled),	  T(test_errors),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	render_cleanup();
	return failed;
}
