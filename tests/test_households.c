/*
 * test_households.c - unit tests for households (survey/households.c).
 *
 * Every test works on a real SQLite store of the Dorst sample in a fresh
 * temporary directory.  Tested: importing the sample address list (one
 * valid, unique code per household, the buurten's counts); every problem
 * a board's spreadsheet can have, each reported on its own line, with
 * nothing imported; what must be accepted (quoted fields, any of the
 * three separators, a byte-order mark, Dutch names, header aliases, empty
 * lines) and how addresses are normalised; updating from a newer extract;
 * numbered anonymous forms; the delivery order of the walk; and codes
 * kept unique beyond the store (a host's other surveys): the code_taken
 * check, and counting the codes two stores share.
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
#include <unistd.h>

#include "diag.h"
#include "addresses.h"
#include "backup.h"
#include "households.h"
#include "definition.h"
#include "internal.h"
#include "lifecycle.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"
#include "token.h"
#include "xalloc.h"
#include "testutil.h"
#include "banned.h"

#define DORST_YAML SAMPLES_DIR "/dorst-speelveld/survey.yaml"
#define DORST_CSV  SAMPLES_DIR "/dorst-speelveld/addresses.csv"

/* The Dorst sample's buurten, in the order of the definition. */
#define CENTRUM "BU08260100"
#define OOST	"BU08260101"
#define WEST	"BU08260102"

/* The header of a BAG extract, as in the sample. */
#define BAG_HEADER                                                             \
	"openbareruimtenaam;huisnummer;huisletter;huisnummertoevoeging;"       \
	"postcode;woonplaatsnaam;buurtcode\n"

struct fixture {
	char dir[64];
	struct store *st;
	struct survey *s;
	char *csv; /* the path of the last CSV written */
};

static char *read_text_file(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(strbuf_read_file(&sb, path), 0);
	return strbuf_detach(&sb, NULL);
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct diag_list dl;
	char *yaml;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/draagvlak-test-hh-XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	*state = fx;
	strbuf_addf(&path, "%s/store.db", fx->dir);
	fx->st = store_open(path.buf, STORE_CREATE, &err);
	strbuf_release(&path);
	if (!fx->st) {
		print_error("cannot create the store: %s\n", err.buf);
		strbuf_release(&err);
		return -1;
	}
	diag_list_init(&dl, DORST_YAML);
	fx->s = survey_load(DORST_YAML, &dl);
	diag_list_release(&dl);
	if (!fx->s)
		return -1;
	yaml = read_text_file(DORST_YAML);
	if (store_definition_apply(fx->st, fx->s, yaml, NULL, &err) < 0) {
		print_error("cannot apply the sample: %s\n", err.buf);
		free(yaml);
		strbuf_release(&err);
		return -1;
	}
	free(yaml);
	strbuf_release(&err);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	store_free(fx->st);
	survey_free(fx->s);
	free(fx->csv);
	test_remove_tree(fx->dir);
	free(fx);
	return 0;
}

/* ---- helpers ---------------------------------------------------------- */

/* Write len bytes of text to dir/name; fx->csv is its path. */
static const char *write_csv_len(struct fixture *fx, const char *name,
				 const char *text, size_t len)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;

	strbuf_addf(&path, "%s/%s", fx->dir, name);
	free(fx->csv);
	fx->csv = strbuf_detach(&path, NULL);
	f = fopen(fx->csv, "wb");
	if (!f)
		fail_msg("cannot create %s", fx->csv);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return fx->csv;
}

static const char *write_csv(struct fixture *fx, const char *name,
			     const char *text)
{
	return write_csv_len(fx, name, text, strlen(text));
}

static void fail_with_diags(const char *what, struct diag_list *dl)
{
	struct strbuf sb = STRBUF_INIT;

	diag_list_format(dl, &sb);
	fail_msg("%s:\n%s", what, sb.buf);
}

/* Import path, which must succeed without diagnostics. */
static struct survey_import_result import_ok(struct fixture *fx,
					     const char *path, bool update)
{
	struct survey_import_result res = { 99, 99, true, 99 };
	struct diag_list dl;

	diag_list_init(&dl, path);
	if (survey_households_import(fx->st, fx->s, path, update, &dl, &res) <
	    0)
		fail_with_diags("the import failed", &dl);
	if (dl.nr)
		fail_with_diags("the import succeeded with diagnostics", &dl);
	diag_list_release(&dl);
	return res;
}

/* Import the text, which must succeed; returns what was added. */
static size_t import_text_ok(struct fixture *fx, const char *text)
{
	struct survey_import_result res =
		import_ok(fx, write_csv(fx, "ok.csv", text), false);

	assert_int_equal(res.kept, 0);
	return res.added;
}

static long long buurt_count(struct store *st, const char *buurt)
{
	long long n = -1;

	assert_int_equal(store_households_count(st, buurt, &n, NULL), STORE_OK);
	return n;
}

static long long households_count(struct store *st)
{
	return buurt_count(st, NULL);
}

/*
 * Import path, which must fail and import nothing; dl (initialised here)
 * holds the diagnostics for the caller to check and release.
 */
static void import_refused(struct fixture *fx, const char *path, bool update,
			   struct diag_list *dl)
{
	struct survey_import_result res = { 77, 77, true, 77 };
	long long before = households_count(fx->st);
	long long tokens_before, tokens_after;
	sqlite3_stmt *stmt;

	stmt = store_prepare(fx->st, "SELECT count(*) FROM token", NULL);
	assert_non_null(stmt);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	tokens_before = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);

	diag_list_init(dl, path);
	assert_int_equal(
		survey_households_import(fx->st, fx->s, path, update, dl, &res),
		-1);
	assert_true(dl->errors > 0);
	/* res is written only on success */
	assert_int_equal(res.added, 77);
	assert_int_equal(res.kept, 77);
	/* Nothing was imported. */
	assert_int_equal(households_count(fx->st), before);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	tokens_after = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	assert_int_equal(tokens_after, tokens_before);
	/* and no transaction was left open */
	assert_true(sqlite3_get_autocommit(fx->st->db));
}

/* dl must hold an error at line (column 0) whose message has each of the
 * NULL-terminated pieces. */
static void expect_diag(struct diag_list *dl, int line, ...)
{
	for (size_t i = 0; i < dl->nr; i++) {
		const struct diag *d = &dl->items[i];
		const char *piece;
		bool all = true;
		va_list ap;

		if (d->level != DIAG_ERROR || d->line != line)
			continue;
		assert_int_equal(d->column, 0);
		va_start(ap, line);
		while ((piece = va_arg(ap, const char *)))
			if (!strstr(d->msg, piece))
				all = false;
		va_end(ap);
		if (all)
			return;
	}
	fail_with_diags("an expected diagnostic is missing", dl);
}

/* Import text (which must be refused) and expect one diagnostic. */
static void refused_text(struct fixture *fx, const char *text, int line,
			 const char *piece)
{
	struct diag_list dl;

	import_refused(fx, write_csv(fx, "bad.csv", text), false, &dl);
	expect_diag(&dl, line, piece, (char *)NULL);
	diag_list_release(&dl);
}

/* A copy of a household, for checking after the walk. */
struct hh {
	long long id;
	char *buurt_id;
	long long form_no;
	char token[SURVEY_TOKEN_SIZE];
	char *street; /* NULL for anonymous */
	long number;
	char *letter, *addition, *postcode, *place;
};

struct hh_list {
	struct hh *items;
	size_t nr, alloc;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int collect(const struct store_household *h, void *data)
{
	struct hh_list *l = data;
	struct hh *c;

	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	c = &l->items[l->nr++];
	c->id = h->id;
	c->buurt_id = xstrdup(h->buurt_id);
	c->form_no = h->form_no;
	memcpy(c->token, h->token, sizeof(c->token));
	c->street = dup_or_null(h->street);
	c->number = h->number;
	c->letter = dup_or_null(h->letter);
	c->addition = dup_or_null(h->addition);
	c->postcode = dup_or_null(h->postcode);
	c->place = dup_or_null(h->place);
	return 0;
}

static void walk(struct fixture *fx, const char *buurt_id, struct hh_list *l)
{
	struct strbuf err = STRBUF_INIT;

	memset(l, 0, sizeof(*l));
	if (store_households_each(fx->st, buurt_id, collect, l, &err) != 0)
		fail_msg("store_households_each: %s", err.buf);
	strbuf_release(&err);
}

static void hh_list_release(struct hh_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		struct hh *h = &l->items[i];

		free(h->buurt_id);
		free(h->street);
		free(h->letter);
		free(h->addition);
		free(h->postcode);
		free(h->place);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* The household at postcode and number (letter and addition empty). */
static const struct hh *find_hh(const struct hh_list *l, const char *postcode,
				long number)
{
	for (size_t i = 0; i < l->nr; i++)
		if (l->items[i].postcode &&
		    !strcmp(l->items[i].postcode, postcode) &&
		    l->items[i].number == number)
			return &l->items[i];
	fail_msg("no household at %s %ld", postcode, number);
	return NULL;
}

static int cmp_tokens(const void *a, const void *b)
{
	return strcmp(((const struct hh *)a)->token,
		      ((const struct hh *)b)->token);
}

/* ---- the sample ------------------------------------------------------- */

static void test_import_sample(void **state)
{
	struct fixture *fx = *state;
	char *text = read_text_file(DORST_CSV);
	struct survey_import_result res;
	struct hh_list l;
	size_t lines = 0;

	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	assert_true(lines > 100);
	assert_int_equal(households_count(fx->st), 0);

	res = import_ok(fx, DORST_CSV, false);
	assert_int_equal(res.added, lines - 1);
	assert_int_equal(res.kept, 0);
	assert_int_equal(households_count(fx->st), lines - 1);

	walk(fx, NULL, &l);
	assert_int_equal(l.nr, lines - 1);
	for (size_t i = 0; i < l.nr; i++) {
		char canon[SURVEY_TOKEN_SIZE] = "";

		assert_int_equal(strlen(l.items[i].token), SURVEY_TOKEN_LEN);
		assert_int_equal(survey_token_parse(l.items[i].token, canon),
				 SURVEY_TOKEN_OK);
		assert_string_equal(canon, l.items[i].token);
		assert_non_null(l.items[i].street);
		assert_int_equal(l.items[i].form_no, 0);
	}
	qsort(l.items, l.nr, sizeof(*l.items), cmp_tokens);
	for (size_t i = 1; i < l.nr; i++)
		if (!strcmp(l.items[i - 1].token, l.items[i].token))
			fail_msg("code %s is given twice", l.items[i].token);
	hh_list_release(&l);

	/* Per buurt, the list matches the declared counts. */
	for (size_t i = 0; i < fx->s->nr_buurten; i++) {
		const struct survey_buurt *b = &fx->s->buurten[i];

		assert_int_equal(buurt_count(fx->st, b->id), b->households);
		walk(fx, b->id, &l);
		assert_int_equal(l.nr, b->households);
		for (size_t k = 0; k < l.nr; k++)
			assert_string_equal(l.items[k].buurt_id, b->id);
		hh_list_release(&l);
	}
	assert_int_equal(buurt_count(fx->st, "BU99999999"), 0);
	free(text);
}

/* ---- what is refused -------------------------------------------------- */

static void test_missing_column(void **state)
{
	struct fixture *fx = *state;
	struct diag_list dl;

	/* no postcode column */
	import_refused(fx,
		       write_csv(fx, "bad.csv",
				 "openbareruimtenaam;huisnummer;woonplaatsnaam;"
				 "buurtcode\n"
				 "Kerkstraat;1;Dorst;" CENTRUM "\n"),
		       false, &dl);
	expect_diag(&dl, 1, "postcode", (char *)NULL);
	diag_list_release(&dl);

	/* no buurt column, and no street */
	import_refused(fx,
		       write_csv(fx, "bad.csv",
				 "huisnummer;postcode;woonplaatsnaam\n"
				 "1;4849 AB;Dorst\n"),
		       false, &dl);
	expect_diag(&dl, 1, "buurtcode", (char *)NULL);
	expect_diag(&dl, 1, "openbareruimtenaam", (char *)NULL);
	diag_list_release(&dl);

	/* an empty file has no header at all */
	import_refused(fx, write_csv(fx, "empty.csv", ""), false, &dl);
	expect_diag(&dl, 1, "header", (char *)NULL);
	diag_list_release(&dl);
}

static void test_unknown_buurt(void **state)
{
	struct fixture *fx = *state;

	refused_text(fx,
		     BAG_HEADER "Kerkstraat;1;;;4849 AB;Dorst;" CENTRUM "\n"
				"Kerkstraat;2;;;4849 AB;Dorst;BU08269999\n"
				"Kerkstraat;3;;;4849 AB;Dorst;" CENTRUM "\n",
		     3, "BU08269999");
	/* the valid ids are named */
	refused_text(fx, BAG_HEADER "Kerkstraat;1;;;4849 AB;Dorst;Kern\n", 2,
		     "the buurten are: BU08260100, BU08260101, BU08260102");
	/* buurt codes match without regard to case (issue 17) */
	assert_int_equal(import_text_ok(fx, BAG_HEADER "Kerkstraat;1;;;4849 "
						       "AB;Dorst;bu08260100\n"),
			 1);
	assert_int_equal(buurt_count(fx->st, CENTRUM), 1);
}

static void test_duplicate_in_file(void **state)
{
	struct fixture *fx = *state;
	struct diag_list dl;

	import_refused(fx,
		       write_csv(fx, "bad.csv",
				 BAG_HEADER
				 "Kerkstraat;1;;;4849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;2;a;;4849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;3;;;4849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;2;A;;4849ab;Dorst;" CENTRUM "\n"
				 "Kerkstraat;1;;;4849 AB;Dorst;" CENTRUM "\n"),
		       false, &dl);
	/* The letter and the postcode are compared after normalising. */
	expect_diag(&dl, 5, "Kerkstraat 2A", "line 3", (char *)NULL);
	expect_diag(&dl, 6, "Kerkstraat 1", "line 2", (char *)NULL);
	assert_int_equal(dl.errors, 2);
	diag_list_release(&dl);

	/* Another addition is another address. */
	assert_int_equal(
		import_text_ok(fx, BAG_HEADER
			       "Kerkstraat;15;;1;4849 AB;Dorst;" CENTRUM "\n"
			       "Kerkstraat;15;;2;4849 AB;Dorst;" CENTRUM "\n"
			       "Kerkstraat;15;;;4849 AB;Dorst;" CENTRUM "\n"),
		3);
}

static void test_duplicate_of_imported(void **state)
{
	struct fixture *fx = *state;
	struct diag_list dl;

	assert_int_equal(
		import_text_ok(fx, BAG_HEADER
			       "Kerkstraat;1;;;4849 AB;Dorst;" CENTRUM "\n"
			       "Kerkstraat;2;;;4849 AB;Dorst;" CENTRUM "\n"),
		2);
	import_refused(fx,
		       write_csv(fx, "again.csv",
				 BAG_HEADER
				 "Kerkstraat;3;;;4849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;2;;;4849 AB;Dorst;" CENTRUM "\n"),
		       false, &dl);
	expect_diag(&dl, 3, "Kerkstraat 2", "imported before", "--update",
		    (char *)NULL);
	assert_int_equal(dl.errors, 1);
	diag_list_release(&dl);
	assert_int_equal(households_count(fx->st), 2);
}

static void test_broken_utf8(void **state)
{
	struct fixture *fx = *state;

	/* UTF-8 (Reeënlaan) with a stray byte: that field is refused. */
	refused_text(fx,
		     BAG_HEADER
		     "Ree\xc3\xabnlaan;1;;;4849 AB;Dorst;" CENTRUM "\n"
		     "Kerk\xffstraat;2;;;4849 AB;Dorst;" CENTRUM "\n",
		     3, "CSV UTF-8");
	/* A byte Windows-1252 has no character for. */
	refused_text(
		fx, BAG_HEADER "Kerk\x81straat;2;;;4849 AB;Dorst;" CENTRUM "\n",
		2, "not text");
}

/* Issue 17: the CSV Excel saves, and the mistakes it hides. */
static void test_excel_csv(void **state)
{
	struct fixture *fx = *state;
	struct survey_import_result res;
	struct diag_list dl;
	struct strbuf big = STRBUF_INIT;
	struct hh_list l;
	const char *path;

	/* Windows-1252 ("Ree\xebnlaan") is converted, and said so; the
	 * trailing ";;;;;;" rows are skipped. */
	path = write_csv(fx, "cp1252.csv",
			 BAG_HEADER "Ree\xebnlaan;1;;;4849 AB;Dorst;" CENTRUM
				    "\n"
				    "Rietveld-Schr\xf6"
				    "derlaan;2;;;4849 AB;Dorst;" CENTRUM "\n"
				    ";;;;;;\n;;;;;;\n");
	res = import_ok(fx, path, false);
	assert_int_equal(res.added, 2);
	assert_true(res.from_windows_1252);
	assert_int_equal(res.blank_rows, 2);
	walk(fx, NULL, &l);
	assert_string_equal(find_hh(&l, "4849 AB", 1)->street,
			    "Ree\xc3\xabnlaan");
	assert_string_equal(find_hh(&l, "4849 AB", 2)->street,
			    "Rietveld-Schr\xc3\xb6"
			    "derlaan");
	hh_list_release(&l);

	/* 150 rows with an unknown buurt are one problem; the real one on
	 * line 153 is not hidden behind them. */
	strbuf_addstr(&big, BAG_HEADER);
	for (int i = 1; i <= 150; i++)
		strbuf_addf(&big, "Laan;%d;;;4849 AB;Dorst;Kern\n", i);
	strbuf_addstr(&big, "Laan;200;;;4849 AB;;" CENTRUM "\n");
	import_refused(fx, write_csv(fx, "kern.csv", big.buf), false, &dl);
	assert_int_equal(dl.errors, 2);
	expect_diag(&dl, 2, "buurt 'Kern'", "the buurten are: BU08260100",
		    "also on 149 more lines: 3, 4, 5, 6, 7, ...", (char *)NULL);
	expect_diag(&dl, 152, "place", (char *)NULL);
	diag_list_release(&dl);
	strbuf_release(&big);

	/*
	 * A stray quote at the start of the last field of line 3 swallows
	 * the rest of the file: refused, naming line 3, not "Imported 2".
	 */
	refused_text(fx,
		     BAG_HEADER "Laan;1;;;4849 AB;Dorst;" CENTRUM "\n"
				"Laan;2;;;4849 AB;Dorst;\"" CENTRUM "\n"
				"Laan;3;;;4849 AB;Dorst;" CENTRUM "\n"
				"Laan;4;;;4849 AB;Dorst;" CENTRUM "\n",
		     3, "runs to the end of the file");
	/* The same quote closed later: a field with line breaks. */
	refused_text(fx,
		     BAG_HEADER "Laan;1;;;4849 AB;\"Dorst;" CENTRUM "\n"
				"Laan;3;;;4849 AB;Dorst\";" CENTRUM "\n",
		     2, "more than one line");
}

static void test_bad_number(void **state)
{
	struct fixture *fx = *state;
	struct diag_list dl;

	import_refused(
		fx,
		write_csv(fx, "bad.csv",
			  BAG_HEADER
			  "Kerkstraat;12a;;;4849 AB;Dorst;" CENTRUM "\n"
			  "Kerkstraat;0;;;4849 AB;Dorst;" CENTRUM "\n"
			  "Kerkstraat;;;;4849 AB;Dorst;" CENTRUM "\n"
			  "Kerkstraat;-3;;;4849 AB;Dorst;" CENTRUM "\n"
			  "Kerkstraat;twaalf;;;4849 AB;Dorst;" CENTRUM "\n"
			  "Kerkstraat;100000;;;4849 AB;Dorst;" CENTRUM "\n"
			  "Kerkstraat;7;ab;;4849 AB;Dorst;" CENTRUM "\n"
			  "Kerkstraat;8;;toolong;4849 AB;Dorst;" CENTRUM "\n"
			  "Kerkstraat;9;;;4849 AB;Dorst;" CENTRUM "\n"),
		false, &dl);
	expect_diag(&dl, 2, "'12a'", (char *)NULL);
	expect_diag(&dl, 3, "'0'", (char *)NULL);
	expect_diag(&dl, 4, "house number", (char *)NULL);
	expect_diag(&dl, 5, "'-3'", (char *)NULL);
	expect_diag(&dl, 6, "'twaalf'", (char *)NULL);
	expect_diag(&dl, 7, "'100000'", (char *)NULL);
	expect_diag(&dl, 8, "'ab'", (char *)NULL);
	expect_diag(&dl, 9, "'toolong'", (char *)NULL);
	assert_int_equal(dl.errors, 8);
	diag_list_release(&dl);
}

static void test_bad_postcode(void **state)
{
	struct fixture *fx = *state;
	struct diag_list dl;

	import_refused(fx,
		       write_csv(fx, "bad.csv",
				 BAG_HEADER
				 "Kerkstraat;1;;;0849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;2;;;4849 A;Dorst;" CENTRUM "\n"
				 "Kerkstraat;3;;;484 ABC;Dorst;" CENTRUM "\n"
				 "Kerkstraat;4;;;ABCD 12;Dorst;" CENTRUM "\n"
				 "Kerkstraat;5;;;;Dorst;" CENTRUM "\n"
				 "Kerkstraat;6;;;4849-AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;7;;;4849 AB;Dorst;" CENTRUM "\n"),
		       false, &dl);
	expect_diag(&dl, 2, "'0849 AB'", (char *)NULL);
	expect_diag(&dl, 3, "'4849 A'", (char *)NULL);
	expect_diag(&dl, 4, "'484 ABC'", (char *)NULL);
	expect_diag(&dl, 5, "'ABCD 12'", (char *)NULL);
	expect_diag(&dl, 6, "postcode", (char *)NULL);
	expect_diag(&dl, 7, "'4849-AB'", (char *)NULL);
	assert_int_equal(dl.errors, 6);
	diag_list_release(&dl);
}

static void test_field_count(void **state)
{
	struct fixture *fx = *state;
	struct diag_list dl;

	import_refused(fx,
		       write_csv(fx, "bad.csv",
				 BAG_HEADER
				 "Kerkstraat;1;;;4849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;2;;4849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;3;;;4849 AB;Dorst;" CENTRUM
				 ";extra\n"),
		       false, &dl);
	expect_diag(&dl, 3, "6 fields", "7", (char *)NULL);
	expect_diag(&dl, 4, "8 fields", "7", (char *)NULL);
	assert_int_equal(dl.errors, 2);
	diag_list_release(&dl);
}

/* Problems after a line that is skipped or spans lines keep their line. */
static void test_line_numbers(void **state)
{
	struct fixture *fx = *state;
	struct diag_list dl;

	/* a quoted field over two lines: lines 2-3 are one row */
	import_refused(fx,
		       write_csv(fx, "multiline.csv",
				 BAG_HEADER
				 "\"Kerkstraat;\nachter\";1;;;4849 "
				 "AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;2;;;4849 AB;Dorst;BU0000\n"),
		       false, &dl);
	expect_diag(&dl, 4, "BU0000", (char *)NULL);
	diag_list_release(&dl);

	/* Windows line ends */
	import_refused(
		fx,
		write_csv(fx, "crlf.csv",
			  "straat;huisnummer;postcode;woonplaats;buurt\r\n"
			  "Kerkstraat;1;4849 AB;Dorst;" CENTRUM "\r\n"
			  "Kerkstraat;2;4849 AB;Dorst;BU0000\r\n"),
		false, &dl);
	expect_diag(&dl, 3, "BU0000", (char *)NULL);
	diag_list_release(&dl);

	/*
	 * An empty line and a line of spaces are skipped, but they are
	 * lines: the problems after them are on lines 5 and 7, and the
	 * duplicate names line 2 where the address first appears.
	 */
	import_refused(fx,
		       write_csv(fx, "emptyline.csv",
				 BAG_HEADER
				 "Kerkstraat;1;;;4849 AB;Dorst;" CENTRUM "\n"
				 "\n"
				 "Kerkstraat;2;;;4849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;3;;;4849 AB;Dorst;BU0000\n"
				 "   \n"
				 "Kerkstraat;1;;;4849 AB;Dorst;" CENTRUM "\n"),
		       false, &dl);
	expect_diag(&dl, 5, "BU0000", (char *)NULL);
	expect_diag(&dl, 7, "Kerkstraat 1", "line 2", (char *)NULL);
	assert_int_equal(dl.errors, 2);
	diag_list_release(&dl);
}

/* One file, many problems: all reported, and the good lines not imported. */
static void test_all_problems_reported(void **state)
{
	struct fixture *fx = *state;
	struct diag_list dl;

	import_refused(fx,
		       write_csv(fx, "bad.csv",
				 BAG_HEADER
				 "Kerkstraat;1;;;4849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;x;;;4849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;3;;;4849 AB;Dorst;" CENTRUM "\n"
				 ";4;;;4849 AB;Dorst;" CENTRUM "\n"
				 "Kerkstraat;5;;;4849 AB;;" CENTRUM "\n"
				 "Kerkstraat;6;;;4849 AB;Dorst;" OOST "\n"),
		       false, &dl);
	expect_diag(&dl, 3, "'x'", (char *)NULL);
	expect_diag(&dl, 5, "street", (char *)NULL);
	expect_diag(&dl, 6, "place", (char *)NULL);
	assert_int_equal(dl.errors, 3);
	diag_list_release(&dl);
	assert_int_equal(households_count(fx->st), 0);
}

/* ---- what is accepted ------------------------------------------------- */

static void test_quoted_field(void **state)
{
	struct fixture *fx = *state;
	struct hh_list l;

	/* A field over two lines is refused (issue 17): an address has none. */
	refused_text(fx,
		     BAG_HEADER "Kerkstraat;1;;;4849 AB;"
				"\"Dorst\nNoord-Brabant\";" CENTRUM "\n",
		     2, "field 6 runs over more than one line");
	assert_int_equal(
		import_text_ok(fx, BAG_HEADER
			       "\"Kerkstraat; achter de kerk\";1;;;4849 AB;"
			       "\"Dorst\";" CENTRUM "\n"
			       "\"Kerk\"\"straat\";2;;;4849 AB;Dorst;" CENTRUM
			       "\n"),
		2);
	walk(fx, NULL, &l);
	assert_int_equal(l.nr, 2);
	assert_string_equal(find_hh(&l, "4849 AB", 1)->street,
			    "Kerkstraat; achter de kerk");
	assert_string_equal(find_hh(&l, "4849 AB", 1)->place, "Dorst");
	assert_string_equal(find_hh(&l, "4849 AB", 2)->street, "Kerk\"straat");
	hh_list_release(&l);
}

static void test_delimiters(void **state)
{
	struct fixture *fx = *state;
	static const char *const files[] = {
		"straat;huisnummer;huisletter;postcode;woonplaats;buurt\n"
		"Kerkstraat;1;;4849 AB;Dorst;" CENTRUM "\n"
		"Kerkstraat;2;b;4849 AB;Dorst;" CENTRUM "\n",

		"straat,huisnummer,huisletter,postcode,woonplaats,buurt\n"
		"Kerkstraat,3,,4849 AB,Dorst," CENTRUM "\n"
		"\"Laan, de\",4,b,4849 AB,Dorst," CENTRUM "\n",

		"straat\thuisnummer\thuisletter\tpostcode\twoonplaats\tbuurt\n"
		"Kerkstraat\t5\t\t4849 AB\tDorst\t" CENTRUM "\n"
		"Kerk straat\t6\tb\t4849 AB\tDorst\t" CENTRUM "\n",
	};
	struct hh_list l;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		assert_int_equal(import_text_ok(fx, files[i]), 2);
	walk(fx, NULL, &l);
	assert_int_equal(l.nr, 6);
	for (long n = 1; n <= 6; n++) {
		const struct hh *h = find_hh(&l, "4849 AB", n);

		assert_string_equal(h->buurt_id, CENTRUM);
		assert_string_equal(h->place, "Dorst");
		assert_string_equal(h->letter, n % 2 ? "" : "B");
	}
	assert_string_equal(find_hh(&l, "4849 AB", 4)->street, "Laan, de");
	assert_string_equal(find_hh(&l, "4849 AB", 6)->street, "Kerk straat");
	hh_list_release(&l);
}

static void test_bom(void **state)
{
	struct fixture *fx = *state;
	struct hh_list l;

	assert_int_equal(import_text_ok(fx, "\xEF\xBB\xBF" BAG_HEADER
					    "Kerkstraat;1;;;4849 "
					    "AB;Dorst;" CENTRUM "\n"),
			 1);
	/* and a BOM before a comma-separated header with an alias first */
	assert_int_equal(
		import_text_ok(fx, "\xEF\xBB\xBFstraat,huisnummer,postcode,"
				   "woonplaats,buurt\n"
				   "Kerkstraat,2,4849 AB,Dorst," CENTRUM "\n"),
		1);
	walk(fx, NULL, &l);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.items[0].street, "Kerkstraat");
	assert_string_equal(l.items[1].street, "Kerkstraat");
	hh_list_release(&l);
}

static void test_diacritics(void **state)
{
	struct fixture *fx = *state;
	struct hh_list l;

	assert_int_equal(
		import_text_ok(
			fx, BAG_HEADER
			"Van 't Hoffstraat;1;;;4849 AD;Dorst;" CENTRUM "\n"
			"Rietveld-Schröderlaan;2;;;4849 AD;Dorst;" CENTRUM "\n"
			"Ĳsselmeerstraat;3;;;4849 AD;Dorst;" CENTRUM "\n"
			"Burgemeester Coënstraat;4;;;4849 "
			"AD;'s-Hertogenbosch;" CENTRUM "\n"),
		4);
	walk(fx, NULL, &l);
	assert_string_equal(find_hh(&l, "4849 AD", 1)->street,
			    "Van 't Hoffstraat");
	assert_string_equal(find_hh(&l, "4849 AD", 2)->street,
			    "Rietveld-Schröderlaan");
	assert_string_equal(find_hh(&l, "4849 AD", 3)->street,
			    "Ĳsselmeerstraat");
	assert_string_equal(find_hh(&l, "4849 AD", 4)->street,
			    "Burgemeester Coënstraat");
	assert_string_equal(find_hh(&l, "4849 AD", 4)->place,
			    "'s-Hertogenbosch");
	hh_list_release(&l);
}

static void test_aliases_and_normalising(void **state)
{
	struct fixture *fx = *state;
	struct hh_list l;
	const struct hh *h;

	/* Aliases, in another order and case, with spaces and an extra
	 * column that is ignored. */
	assert_int_equal(
		import_text_ok(
			fx, " Buurt ;Postcode;Straat;Huisnummer;Woonplaats;"
			    "opmerking;huisletter;toevoeging\n" OOST
			    ";4904xa;Kerkstraat;7;Dorst;hoekhuis;b;\n" OOST
			    ";  4904 XA ; Kerkstraat ; 8 ; Dorst ;;;bis\n" OOST
			    ";4904XA;Kerkstraat;9;Dorst;;;\n"),
		3);
	walk(fx, NULL, &l);
	assert_int_equal(l.nr, 3);
	h = find_hh(&l, "4904 XA", 7);
	assert_string_equal(h->buurt_id, OOST);
	assert_string_equal(h->street, "Kerkstraat");
	assert_string_equal(h->letter, "B");
	assert_string_equal(h->addition, "");
	assert_string_equal(h->place, "Dorst");
	h = find_hh(&l, "4904 XA", 8);
	assert_string_equal(h->street, "Kerkstraat");
	assert_string_equal(h->addition, "bis");
	assert_string_equal(h->place, "Dorst");
	h = find_hh(&l, "4904 XA", 9);
	assert_string_equal(h->letter, "");
	hh_list_release(&l);
}

static void test_empty_line_skipped(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(
		import_text_ok(fx, BAG_HEADER
			       "Kerkstraat;1;;;4849 AB;Dorst;" CENTRUM "\n"
			       "\n"
			       "Kerkstraat;2;;;4849 AB;Dorst;" CENTRUM "\n"
			       "   \n"
			       "Kerkstraat;3;;;4849 AB;Dorst;" CENTRUM "\n"
			       "\n"),
		3);
	/* and a last line without its newline */
	assert_int_equal(import_text_ok(fx, BAG_HEADER "Kerkstraat;4;;;4849 "
						       "AB;Dorst;" CENTRUM),
			 1);
	assert_int_equal(households_count(fx->st), 4);
}

/* ---- updating ---------------------------------------------------------- */

static void test_update(void **state)
{
	struct fixture *fx = *state;
	struct survey_import_result res;
	struct hh_list before, after;
	char *text = read_text_file(DORST_CSV);
	struct strbuf more = STRBUF_INIT;
	size_t n;

	res = import_ok(fx, DORST_CSV, false);
	n = res.added;
	walk(fx, NULL, &before);

	/* The same list again: nothing new, everything kept as it was. */
	res = import_ok(fx, DORST_CSV, true);
	assert_int_equal(res.added, 0);
	assert_int_equal(res.kept, n);
	walk(fx, NULL, &after);
	assert_int_equal(after.nr, before.nr);
	for (size_t i = 0; i < before.nr; i++) {
		assert_int_equal(after.items[i].id, before.items[i].id);
		assert_string_equal(after.items[i].token,
				    before.items[i].token);
	}
	hh_list_release(&after);

	/* A newer extract with two new addresses. */
	strbuf_addstr(&more, text);
	strbuf_addstr(&more, "Nieuwbouwlaan;1;;;4849 BZ;Dorst;" WEST "\n"
			     "Nieuwbouwlaan;3;;;4849 BZ;Dorst;" WEST "\n");
	res = import_ok(fx, write_csv(fx, "newer.csv", more.buf), true);
	assert_int_equal(res.added, 2);
	assert_int_equal(res.kept, n);
	assert_int_equal(households_count(fx->st), n + 2);
	assert_int_equal(buurt_count(fx->st, WEST),
			 fx->s->buurten[2].households + 2);
	walk(fx, NULL, &after);
	for (size_t i = 0; i < before.nr; i++) {
		bool found = false;

		for (size_t k = 0; k < after.nr && !found; k++)
			if (after.items[k].id == before.items[i].id) {
				assert_string_equal(after.items[k].token,
						    before.items[i].token);
				found = true;
			}
		assert_true(found);
	}
	hh_list_release(&after);

	/* Without update the same newer extract is refused. */
	{
		struct diag_list dl;

		import_refused(fx, fx->csv, false, &dl);
		expect_diag(&dl, 2, "imported before", (char *)NULL);
		diag_list_release(&dl);
	}
	/* With update, a duplicate within the file is still a problem. */
	{
		struct diag_list dl;

		import_refused(
			fx,
			write_csv(fx, "dup.csv",
				  BAG_HEADER
				  "Nieuwbouwlaan;5;;;4849 BZ;Dorst;" WEST "\n"
				  "Nieuwbouwlaan;5;;;4849 BZ;Dorst;" WEST "\n"),
			true, &dl);
		expect_diag(&dl, 3, "line 2", (char *)NULL);
		diag_list_release(&dl);
	}
	hh_list_release(&before);
	strbuf_release(&more);
	free(text);
}

/* ---- anonymous forms --------------------------------------------------- */

static void test_anonymous(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT;
	long long first = -1;
	struct hh_list l;

	assert_int_equal(
		store_households_add_anonymous(fx->st, OOST, 5, &first, &err),
		0);
	assert_int_equal(first, 1);
	assert_int_equal(
		store_households_add_anonymous(fx->st, WEST, 5, &first, &err),
		0);
	assert_int_equal(first, 6);
	assert_int_equal(err.len, 0);
	assert_int_equal(buurt_count(fx->st, OOST), 5);
	assert_int_equal(buurt_count(fx->st, WEST), 5);

	walk(fx, NULL, &l);
	assert_int_equal(l.nr, 10);
	for (size_t i = 0; i < l.nr; i++) {
		char canon[SURVEY_TOKEN_SIZE];

		assert_int_equal(l.items[i].form_no, (long long)i + 1);
		assert_string_equal(l.items[i].buurt_id, i < 5 ? OOST : WEST);
		assert_null(l.items[i].street);
		assert_int_equal(survey_token_parse(l.items[i].token, canon),
				 SURVEY_TOKEN_OK);
	}
	hh_list_release(&l);

	first = -1;
	assert_int_equal(store_households_add_anonymous(fx->st, "BU99999999", 3,
							&first, &err),
			 STORE_NOT_FOUND);
	strbuf_reset(&err);
	assert_int_equal(
		store_households_add_anonymous(fx->st, OOST, 0, &first, &err),
		STORE_INVALID);
	assert_int_equal(first, -1);
	assert_int_equal(households_count(fx->st), 10);
	assert_true(sqlite3_get_autocommit(fx->st->db));

	/* Addresses imported afterwards have no form number; the next
	 * forms still continue at 11. */
	assert_int_equal(import_text_ok(fx, BAG_HEADER "Kerkstraat;1;;;4849 "
						       "AB;Dorst;" OOST "\n"),
			 1);
	assert_int_equal(store_households_add_anonymous(fx->st, CENTRUM, 1,
							&first, &err),
			 0);
	assert_int_equal(first, 11);
	strbuf_release(&err);
}

/* ---- the walk ---------------------------------------------------------- */

static int stop_at_third(const struct store_household *h, void *data)
{
	int *seen = data;

	(void)h;
	return ++*seen == 3 ? 42 : 0;
}

static void test_delivery_order(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT;
	long long first;
	struct hh_list l;
	int seen = 0;
	/* buurt (definition order), street, number, letter, addition; the
	 * anonymous forms of a buurt after its addresses */
	static const char *const want[] = {
		CENTRUM " Dorpsstraat 2",
		CENTRUM " Kerkstraat 2",
		CENTRUM " Kerkstraat 10",
		CENTRUM " Kerkstraat 10A",
		CENTRUM " Kerkstraat 10B",
		CENTRUM " Kerkstraat 11-1",
		CENTRUM " Kerkstraat 11-2",
		CENTRUM " form 2",
		OOST " Akkerweg 1",
		OOST " form 1",
		OOST " form 3",
		WEST " Zandweg 5",
	};

	/* West first in the file, the definition puts it last. */
	assert_int_equal(
		import_text_ok(fx, BAG_HEADER
			       "Zandweg;5;;;4849 BB;Dorst;" WEST "\n"
			       "Kerkstraat;11;;2;4849 AB;Dorst;" CENTRUM "\n"
			       "Kerkstraat;10;b;;4849 AB;Dorst;" CENTRUM "\n"
			       "Kerkstraat;10;;;4849 AB;Dorst;" CENTRUM "\n"
			       "Kerkstraat;2;;;4849 AB;Dorst;" CENTRUM "\n"
			       "Kerkstraat;11;;1;4849 AB;Dorst;" CENTRUM "\n"
			       "Akkerweg;1;;;4849 BC;Dorst;" OOST "\n"
			       "Kerkstraat;10;a;;4849 AB;Dorst;" CENTRUM "\n"
			       "Dorpsstraat;2;;;4849 AC;Dorst;" CENTRUM "\n"),
		9);
	assert_int_equal(
		store_households_add_anonymous(fx->st, OOST, 1, &first, &err),
		0);
	assert_int_equal(store_households_add_anonymous(fx->st, CENTRUM, 1,
							&first, &err),
			 0);
	assert_int_equal(
		store_households_add_anonymous(fx->st, OOST, 1, &first, &err),
		0);

	walk(fx, NULL, &l);
	assert_int_equal(l.nr, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < l.nr; i++) {
		const struct hh *h = &l.items[i];
		struct strbuf got = STRBUF_INIT;

		if (h->street)
			strbuf_addf(&got, "%s %s %ld%s%s%s", h->buurt_id,
				    h->street, h->number, h->letter,
				    *h->addition ? "-" : "", h->addition);
		else
			strbuf_addf(&got, "%s form %lld", h->buurt_id,
				    h->form_no);
		assert_string_equal(got.buf, want[i]);
		strbuf_release(&got);
	}
	hh_list_release(&l);

	/* One buurt only. */
	walk(fx, OOST, &l);
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.items[0].street, "Akkerweg");
	assert_int_equal(l.items[0].form_no, 0);
	assert_int_equal(l.items[1].form_no, 1);
	assert_int_equal(l.items[2].form_no, 3);
	hh_list_release(&l);
	walk(fx, "BU99999999", &l);
	assert_int_equal(l.nr, 0);
	hh_list_release(&l);

	assert_int_equal(households_count(fx->st), 12);
	assert_int_equal(buurt_count(fx->st, CENTRUM), 8);
	assert_int_equal(buurt_count(fx->st, OOST), 3);
	assert_int_equal(buurt_count(fx->st, WEST), 1);

	/* A non-zero return stops the walk and is passed on. */
	assert_int_equal(
		store_households_each(fx->st, NULL, stop_at_third, &seen, &err),
		42);
	assert_int_equal(seen, 3);
	strbuf_release(&err);
}

/* ---- codes unique beyond the store (a host's other surveys) ----------- */

struct taken {
	int calls;
	int refuse; /* say "taken" to this many, then "free"; -1: fail */
	char offered[8][SURVEY_TOKEN_SIZE];
};

static int say_taken(const char *code, void *arg)
{
	struct taken *t = arg;
	char canon[SURVEY_TOKEN_SIZE];

	/* Every code offered is a well-formed one. */
	assert_int_equal(survey_token_parse(code, canon), SURVEY_TOKEN_OK);
	assert_string_equal(canon, code);
	if (t->calls < 8)
		snprintf(t->offered[t->calls], SURVEY_TOKEN_SIZE, "%s", code);
	t->calls++;
	if (t->refuse < 0)
		return -1;
	return t->calls <= t->refuse ? 1 : 0;
}

static int always_taken(const char *code, void *arg)
{
	(void)code;
	++*(int *)arg;
	return 1;
}

/* The code of the household with form number form_no, via SQL. */
static void code_of_form(struct store *st, long long form_no,
			 char out[SURVEY_TOKEN_SIZE])
{
	sqlite3_stmt *stmt;

	assert_int_equal(sqlite3_prepare_v2(st->db,
					    "SELECT t.code FROM token t JOIN"
					    " household h ON h.id ="
					    " t.household_id WHERE"
					    " h.form_no = ?",
					    -1, &stmt, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(stmt, 1, form_no);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	snprintf(out, SURVEY_TOKEN_SIZE, "%s",
		 (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
}

static void test_code_taken_elsewhere(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT;
	struct taken t = { 0, 3, { { 0 } } };
	struct store_address a = { "Kerkstraat", 1,	  "", "",
				   "4849 AB",	 "Dorst", 1,  1 };
	char code[SURVEY_TOKEN_SIZE], canon[SURVEY_TOKEN_SIZE];
	long long first = 0, id = 0, before;
	int calls = 0;

	/* Taken for the first three tries: the fourth code is kept. */
	store_codes_set_taken(fx->st, say_taken, &t);
	assert_int_equal(
		store_households_add_anonymous(fx->st, OOST, 1, &first, &err),
		STORE_OK);
	assert_int_equal(t.calls, 4);
	code_of_form(fx->st, first, code);
	assert_string_equal(code, t.offered[3]);
	for (int i = 0; i < 3; i++)
		assert_string_not_equal(code, t.offered[i]);

	/* The same for an address, and for a replaced code. */
	t.calls = 0;
	t.refuse = 2;
	assert_int_equal(
		store_household_add_address(fx->st, OOST, &a, &id, &err),
		STORE_OK);
	assert_int_equal(t.calls, 3);
	t.calls = 0;
	t.refuse = 1;
	assert_int_equal(store_code_replace(fx->st, id, "test", canon,
					    sizeof(canon), &err),
			 STORE_OK);
	assert_int_equal(t.calls, 2);
	assert_string_equal(canon, t.offered[1]);
	assert_string_not_equal(canon, t.offered[0]);

	/* A check that cannot tell: the change fails, nothing is added. */
	before = households_count(fx->st);
	t.calls = 0;
	t.refuse = -1;
	assert_int_equal(
		store_households_add_anonymous(fx->st, OOST, 2, &first, &err),
		STORE_ERROR);
	assert_non_null(strstr(err.buf, "another survey"));
	assert_int_equal(households_count(fx->st), before);
	assert_true(sqlite3_get_autocommit(fx->st->db));

	/* Always taken: given up, not an endless loop. */
	strbuf_reset(&err);
	store_codes_set_taken(fx->st, always_taken, &calls);
	assert_int_equal(
		store_households_add_anonymous(fx->st, OOST, 1, &first, &err),
		STORE_ERROR);
	assert_int_equal(calls, 1000);
	assert_int_equal(households_count(fx->st), before);

	/* No check: as before. */
	strbuf_reset(&err);
	store_codes_set_taken(fx->st, NULL, NULL);
	assert_int_equal(
		store_households_add_anonymous(fx->st, OOST, 2, &first, &err),
		STORE_OK);
	assert_int_equal(calls, 1000);
	assert_int_equal(households_count(fx->st), before + 2);
	strbuf_release(&err);
}

static void test_codes_in_common(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT, copy = STRBUF_INIT, none = STRBUF_INIT;
	struct store *other;
	long long first, n = -1;

	assert_int_equal(import_ok(fx, DORST_CSV, false).added, 449);
	strbuf_addf(&copy, "%s/copy.db", fx->dir);
	strbuf_addf(&none, "%s/none.db", fx->dir);
	assert_int_equal(store_backup(store_path(fx->st), copy.buf, NULL, &err),
			 STORE_OK);
	/* A copy shares every code; codes made afterwards are its own. */
	assert_int_equal(
		store_households_add_anonymous(fx->st, OOST, 5, &first, &err),
		STORE_OK);
	assert_int_equal(store_codes_in_common(fx->st, copy.buf, &n, &err),
			 STORE_OK);
	assert_int_equal(n, 449);
	other = store_open(copy.buf, STORE_EXISTING, &err);
	assert_non_null(other);
	assert_int_equal(
		store_codes_in_common(other, store_path(fx->st), &n, &err),
		STORE_OK);
	assert_int_equal(n, 449);
	/* One household's code changed in the copy: one fewer. */
	assert_int_equal(sqlite3_exec(other->db,
				      "UPDATE token SET code = 'ABCDEFGHJKMN'"
				      " WHERE household_id = 1",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(store_codes_in_common(fx->st, copy.buf, &n, &err),
			 STORE_OK);
	assert_int_equal(n, 448);
	store_free(other);
	/* Nothing there: said, and no file made. */
	assert_int_equal(store_codes_in_common(fx->st, none.buf, &n, &err),
			 STORE_NOT_FOUND);
	assert_int_equal(n, 0);
	assert_int_equal(access(none.buf, F_OK), -1);
	/* Detached again: twice works, and the store is as it was. */
	assert_int_equal(store_codes_in_common(fx->st, copy.buf, &n, &err),
			 STORE_OK);
	assert_int_equal(n, 448);
	assert_int_equal(households_count(fx->st), 454);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
	strbuf_release(&copy);
	strbuf_release(&none);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_import_sample),
		T(test_missing_column),
		T(test_unknown_buurt),
		T(test_duplicate_in_file),
		T(test_duplicate_of_imported),
		T(test_broken_utf8),
		T(test_excel_csv),
		T(test_bad_number),
		T(test_bad_postcode),
		T(test_field_count),
		T(test_line_numbers),
		T(test_all_problems_reported),
		T(test_quoted_field),
		T(test_delimiters),
		T(test_bom),
		T(test_diacritics),
		T(test_aliases_and_normalising),
		T(test_empty_line_skipped),
		T(test_update),
		T(test_anonymous),
		T(test_delivery_order),
		T(test_code_taken_elsewhere),
		T(test_codes_in_common),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
