/*
 * test_store.c - unit tests for the SQLite store (survey/store.c).
 *
 * Every test works on a real SQLite file in a fresh temporary directory.
 * Tested: how a store is opened (WAL, foreign keys, synchronous=FULL, the
 * schema version, and the refusals: no file, no survey, a newer schema,
 * not SQLite at all); bringing a store in line with a definition, first
 * freely and then, once residents have answered, only in ways that keep
 * every stored answer valid and the agreement as it was made; that a
 * refused update leaves the store exactly as it was; and that the export
 * view carries answers only, never an address or a code.
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
#include "households.h"
#include "definition.h"
#include "internal.h"
#include "counts.h"
#include "responses.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"
#include "xalloc.h"
#include "testutil.h"
#include "banned.h"

#define DORST_YAML	 SAMPLES_DIR "/dorst-speelveld/survey.yaml"
#define DORST_CSV	 SAMPLES_DIR "/dorst-speelveld/addresses.csv"
#define OOSTERHEIDE_YAML SAMPLES_DIR "/oosterheide-parkeren/survey.yaml"

/* A small survey that the tests below edit one piece at a time. */
static const char base_yaml[] =
	"survey: testdorp-bankje-2027\n"
	"title: Een bankje op het Dorpsplein\n"
	"organisation: Dorpsraad Testdorp\n"
	"contact: \"Vragen? secretaris@dorpsraad-testdorp.nl\"\n"
	"opens: 2027-03-01\n"
	"closes: 2027-03-28\n"
	"questions:\n"
	"  - id: bankje\n"
	"    type: proposition\n"
	"    text: Ik ben voor een bankje op het Dorpsplein.\n"
	"  - id: kleur\n"
	"    type: choice\n"
	"    text: Welke kleur moet het bankje krijgen?\n"
	"    options:\n"
	"      - { id: groen, label: Groen }\n"
	"      - { id: rood, label: Rood }\n"
	"      - { id: blauw, label: Blauw }\n"
	"  - id: leeftijd\n"
	"    type: number\n"
	"    text: Hoe oud bent u?\n"
	"    min: 0\n"
	"    max: 120\n"
	"  - id: opmerking\n"
	"    type: text\n"
	"    text: Wilt u nog iets kwijt?\n"
	"buurten:\n"
	"  - id: NOORD\n"
	"    name: Testdorp-Noord\n"
	"    households: 40\n"
	"  - id: ZUID\n"
	"    name: Testdorp-Zuid\n"
	"    households: 60\n"
	"agreement:\n"
	"  min_in_favour: \"> 50%\"\n"
	"  agreed_with: Dorpsraad Testdorp\n"
	"  agreed_on: 2027-02-01\n";

/* Pieces of base_yaml that the edits remove or replace. */
#define Q_OPMERKING                                                            \
	"  - id: opmerking\n"                                                  \
	"    type: text\n"                                                     \
	"    text: Wilt u nog iets kwijt?\n"
#define OPT_BLAUW  "      - { id: blauw, label: Blauw }\n"
#define OPT_ROOD   "      - { id: rood, label: Rood }\n"
#define LAST_BUURT "    households: 60\n"
#define BUURT_WEST                                                             \
	"  - id: WEST\n"                                                       \
	"    name: Testdorp-West\n"                                            \
	"    households: 25\n"
#define BUURT_ZUID                                                             \
	"  - id: ZUID\n"                                                       \
	"    name: Testdorp-Zuid\n"                                            \
	"    households: 60\n"
#define Q_PLEK                                                                 \
	"  - id: plek\n"                                                       \
	"    type: yesno\n"                                                    \
	"    text: Mag het bankje onder de lindeboom?\n"

struct fixture {
	char dir[64];
	char *db; /* dir/store.db */
	struct store *st;
	struct survey *s; /* the definition applied last */
	char *yaml;	  /* its text */
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	struct strbuf sb = STRBUF_INIT;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/draagvlak-test-store-XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	strbuf_addf(&sb, "%s/store.db", fx->dir);
	fx->db = strbuf_detach(&sb, NULL);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	store_free(fx->st);
	survey_free(fx->s);
	free(fx->yaml);
	test_remove_tree(fx->dir);
	free(fx->db);
	free(fx);
	return 0;
}

/* ---- helpers ---------------------------------------------------------- */

static char *read_text_file(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(strbuf_read_file(&sb, path), 0);
	return strbuf_detach(&sb, NULL);
}

static void write_text_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		fail_msg("cannot create %s", path);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void fail_with_diags(const char *what, struct diag_list *dl)
{
	struct strbuf sb = STRBUF_INIT;

	diag_list_format(dl, &sb);
	fail_msg("%s does not load:\n%s", what, sb.buf);
}

static struct survey *load_yaml(const char *yaml)
{
	struct diag_list dl;
	struct survey *s;

	diag_list_init(&dl, "test.yaml");
	s = survey_load_buffer("test.yaml", yaml, strlen(yaml), &dl);
	if (!s)
		fail_with_diags("the test definition", &dl);
	diag_list_release(&dl);
	return s;
}

static struct survey *load_file(const char *path)
{
	struct diag_list dl;
	struct survey *s;

	diag_list_init(&dl, path);
	s = survey_load(path, &dl);
	if (!s)
		fail_with_diags(path, &dl);
	diag_list_release(&dl);
	return s;
}

/* yaml with the one occurrence of from replaced by to (caller frees). */
static char *edit(const char *yaml, const char *from, const char *to)
{
	const char *at = strstr(yaml, from);
	struct strbuf sb = STRBUF_INIT;

	if (!at)
		fail_msg("the edit expects \"%s\" in the definition", from);
	if (strstr(at + 1, from))
		fail_msg("\"%s\" occurs twice in the definition", from);
	strbuf_add(&sb, yaml, (size_t)(at - yaml));
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, at + strlen(from));
	return strbuf_detach(&sb, NULL);
}

/* Like edit(), freeing yaml. */
static char *edit_free(char *yaml, const char *from, const char *to)
{
	char *out = edit(yaml, from, to);

	free(yaml);
	return out;
}

static void open_store(struct fixture *fx, enum store_mode mode)
{
	struct strbuf err = STRBUF_INIT;

	fx->st = store_open(fx->db, mode, &err);
	if (!fx->st)
		fail_msg("cannot open %s: %s", fx->db, err.buf);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
}

/* Apply yaml, which must be accepted; it becomes fx's survey. */
static void apply_ok(struct fixture *fx, const char *yaml,
		     struct store_changes *changes)
{
	struct survey *s = load_yaml(yaml);
	struct strbuf err = STRBUF_INIT;

	if (store_definition_apply(fx->st, s, yaml, changes, &err) != STORE_OK)
		fail_msg("apply refused: %s", err.buf);
	strbuf_release(&err);
	survey_free(fx->s);
	free(fx->yaml);
	fx->s = s;
	fx->yaml = xstrdup(yaml);
}

static long long query_int(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt = store_prepare(st, sql, NULL);
	long long v;

	if (!stmt)
		fail_msg("cannot prepare %s: %s", sql, sqlite3_errmsg(st->db));
	if (sqlite3_step(stmt) != SQLITE_ROW)
		fail_msg("no row from %s: %s", sql, sqlite3_errmsg(st->db));
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static long long count_responses(struct store *st)
{
	long long n = -1;

	assert_int_equal(store_responses_count(st, &n, NULL), STORE_OK);
	return n;
}

/* The first column of the first row as text (caller frees), or NULL. */
static char *query_text(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt = store_prepare(st, sql, NULL);
	char *v = NULL;

	if (!stmt)
		fail_msg("cannot prepare %s: %s", sql, sqlite3_errmsg(st->db));
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		v = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return v;
}

/* Every row of sql, columns separated by |, rows by newlines. */
static void dump_rows(struct store *st, const char *sql, struct strbuf *out)
{
	sqlite3_stmt *stmt = store_prepare(st, sql, NULL);

	if (!stmt)
		fail_msg("cannot prepare %s: %s", sql, sqlite3_errmsg(st->db));
	strbuf_addf(out, "%s:\n", sql);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(stmt); i++) {
			const unsigned char *v = sqlite3_column_text(stmt, i);

			strbuf_addf(out, "%s%s", i ? "|" : "",
				    v ? (const char *)v : "NULL");
		}
		strbuf_addch(out, '\n');
	}
	sqlite3_finalize(stmt);
}

/* Everything apply could touch, as text (caller frees). */
static char *snapshot(struct store *st)
{
	struct strbuf sb = STRBUF_INIT;

	dump_rows(st, "SELECT key, value FROM meta ORDER BY key", &sb);
	dump_rows(st, "SELECT id, position, type FROM question ORDER BY id",
		  &sb);
	dump_rows(st,
		  "SELECT question_id, id, position FROM option"
		  " ORDER BY question_id, id",
		  &sb);
	dump_rows(st,
		  "SELECT id, position, name, households FROM buurt"
		  " ORDER BY id",
		  &sb);
	dump_rows(st, "SELECT id, buurt_id, form_no FROM household ORDER BY id",
		  &sb);
	dump_rows(st, "SELECT * FROM response ORDER BY id", &sb);
	dump_rows(st, "SELECT * FROM answer ORDER BY 1, 2, 3", &sb);
	return strbuf_detach(&sb, NULL);
}

/* Fill changes with values apply must overwrite. */
static void poison(struct store_changes *c)
{
	c->created = c->agreement_changed = c->texts_changed = true;
	c->questions_added = c->questions_removed = c->questions_changed = 99;
	c->buurten_added = c->buurten_removed = c->buurten_changed = 99;
}

static size_t count_occurrences(const char *haystack, const char *needle)
{
	size_t n = 0;

	for (const char *p = haystack; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/*
 * Apply yaml, which must be refused with a message mentioning each of
 * the NULL-terminated mentions; then the store must be exactly as before
 * and still load the old definition.
 */
static void apply_refused(struct fixture *fx, const char *yaml, ...)
{
	struct survey *s = load_yaml(yaml);
	struct strbuf err = STRBUF_INIT;
	struct store_changes changes = { .created = true };
	char *before = snapshot(fx->st), *after;
	struct survey *old;
	const char *mention;
	va_list ap;

	if (store_definition_apply(fx->st, s, yaml, &changes, &err) == 0)
		fail_msg("apply accepted a definition it must refuse");
	assert_true(err.len > 0);
	va_start(ap, yaml);
	while ((mention = va_arg(ap, const char *)))
		if (!strstr(err.buf, mention))
			fail_msg("the message does not mention '%s':\n%s",
				 mention, err.buf);
	va_end(ap);
	/* changes is written only on success */
	assert_true(changes.created);

	after = snapshot(fx->st);
	assert_string_equal(after, before);
	strbuf_reset(&err);
	old = store_definition_load(fx->st, &err);
	if (!old)
		fail_msg("the store no longer loads: %s", err.buf);
	assert_string_equal(old->id, fx->s->id);
	assert_int_equal(old->nr_questions, fx->s->nr_questions);
	assert_int_equal(old->nr_buurten, fx->s->nr_buurten);
	assert_string_equal(survey_text_get(&old->title, SURVEY_NL),
			    survey_text_get(&fx->s->title, SURVEY_NL));

	/* The store is still usable: a write after the refusal works. */
	assert_int_equal(store_exec(fx->st, "BEGIN; ROLLBACK;", NULL), 0);

	survey_free(old);
	survey_free(s);
	free(before);
	free(after);
	strbuf_release(&err);
}

/* A new household in buurt_id: a plain row, as the store allows. */
static long long add_household(struct store *st, const char *buurt_id)
{
	sqlite3_stmt *stmt = store_prepare(
		st, "INSERT INTO household(buurt_id) VALUES (?)", NULL);

	assert_non_null(stmt);
	sqlite3_bind_text(stmt, 1, buurt_id, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		fail_msg("insert household: %s", sqlite3_errmsg(st->db));
	sqlite3_finalize(stmt);
	return sqlite3_last_insert_rowid(st->db);
}

/*
 * Store a response of household_id with answers given as NULL-terminated
 * pairs of question id and value.  Returns the response id.
 */
static long long add_response(struct store *st, long long household_id,
			      const char *channel, ...)
{
	sqlite3_stmt *r = store_prepare(
		st, "INSERT INTO response(household_id, channel) VALUES (?, ?)",
		NULL);
	sqlite3_stmt *a = store_prepare(
		st,
		"INSERT INTO answer(response_id, question_id, value)"
		" VALUES (?, ?, ?)",
		NULL);
	const char *qid;
	long long id;
	va_list ap;

	assert_non_null(r);
	assert_non_null(a);
	sqlite3_bind_int64(r, 1, household_id);
	sqlite3_bind_text(r, 2, channel, -1, SQLITE_STATIC);
	if (sqlite3_step(r) != SQLITE_DONE)
		fail_msg("insert response: %s", sqlite3_errmsg(st->db));
	id = sqlite3_last_insert_rowid(st->db);
	va_start(ap, channel);
	while ((qid = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);

		sqlite3_bind_int64(a, 1, id);
		sqlite3_bind_text(a, 2, qid, -1, SQLITE_STATIC);
		sqlite3_bind_text(a, 3, value, -1, SQLITE_STATIC);
		if (sqlite3_step(a) != SQLITE_DONE)
			fail_msg("insert answer %s=%s: %s", qid, value,
				 sqlite3_errmsg(st->db));
		sqlite3_reset(a);
	}
	va_end(ap);
	sqlite3_finalize(r);
	sqlite3_finalize(a);
	return id;
}

/* A store of base_yaml with two responses (one paper, one online). */
static void assert_tallies_ok(struct store *st)
{
	struct strbuf why = STRBUF_INIT;
	bool ok = false;

	assert_int_equal(store_counts_check(st, &ok, &why, NULL), STORE_OK);
	if (!ok)
		fail_msg("the tallies differ from the answers: %s", why.buf);
	strbuf_release(&why);
}

/* Record a response through the layer, as the server does. */
static long long record(struct fixture *fx, long long household,
			const char *channel, enum survey_conflict policy,
			const char *bankje, const char *kleur)
{
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	struct store_record r = { .household = household,
				  .channel = channel,
				  .answers = &a,
				  .conflict = policy,
				  .expect_current = -1 };
	struct strbuf err = STRBUF_INIT;

	if (bankje)
		survey_answers_add(&a, survey_find_question(fx->s, "bankje"),
				   bankje);
	if (kleur)
		survey_answers_add(&a, survey_find_question(fx->s, "kleur"),
				   kleur);
	survey_answers_add(&a, survey_find_question(fx->s, "opmerking"),
			   "Mooi zo");
	if (store_response_record(fx->st, &r, &err) != STORE_OK)
		fail_msg("record: %s", err.buf);
	survey_answers_release(&a);
	strbuf_release(&err);
	return r.response_id;
}

static long long tally(struct fixture *fx, const char *buurt,
		       const char *channel, const char *qid, const char *value)
{
	struct strbuf sql = STRBUF_INIT;
	long long n;

	if (qid)
		strbuf_addf(&sql,
			    "SELECT coalesce(sum(n), 0) FROM tally WHERE"
			    " buurt_id = '%s' AND channel = '%s' AND"
			    " question_id = '%s' AND value = '%s'",
			    buurt, channel, qid, value);
	else
		strbuf_addf(&sql,
			    "SELECT coalesce(sum(n), 0) FROM tally_response"
			    " WHERE buurt_id = '%s' AND channel = '%s'",
			    buurt, channel);
	n = query_int(fx->st, sql.buf);
	strbuf_release(&sql);
	return n;
}

/*
 * The tallies follow every way a response comes and goes: a new one, one
 * that replaces another, one kept without counting (paper goes first),
 * simulated ones removed; free texts are not tallied; and a tally that
 * no longer matches the answers is found.
 */
static void test_tallies_follow_answers(void **state)
{
	struct fixture *fx = *state;
	long long first, hh[3], n;
	bool ok = true;

	open_store(fx, STORE_CREATE);
	apply_ok(fx, base_yaml, NULL);
	assert_int_equal(store_households_add_anonymous(fx->st, "NOORD", 2,
							&first, NULL),
			 STORE_OK);
	assert_int_equal(
		store_households_add_anonymous(fx->st, "ZUID", 1, &first, NULL),
		STORE_OK);
	hh[0] = 1, hh[1] = 2, hh[2] = 3;
	record(fx, hh[0], "online", SURVEY_CONFLICT_LATEST, "voor", "rood");
	record(fx, hh[1], "paper", SURVEY_CONFLICT_LATEST, "tegen", NULL);
	record(fx, hh[2], "online", SURVEY_CONFLICT_LATEST, "voor", "groen");
	assert_tallies_ok(fx->st);
	assert_int_equal(tally(fx, "NOORD", "online", "bankje", "voor"), 1);
	assert_int_equal(tally(fx, "NOORD", "paper", NULL, NULL), 1);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM tally WHERE"
					   " question_id = 'opmerking'"),
			 0);
	/* The first household changes its mind: its old answer goes. */
	record(fx, hh[0], "online", SURVEY_CONFLICT_LATEST, "tegen", "rood");
	assert_tallies_ok(fx->st);
	assert_int_equal(tally(fx, "NOORD", "online", "bankje", "voor"), 0);
	assert_int_equal(tally(fx, "NOORD", "online", "bankje", "tegen"), 1);
	assert_int_equal(tally(fx, "NOORD", "online", NULL, NULL), 1);
	/* Paper first: an online answer after the paper form does not count. */
	record(fx, hh[1], "online", SURVEY_CONFLICT_PAPER, "voor", NULL);
	assert_tallies_ok(fx->st);
	assert_int_equal(tally(fx, "NOORD", "online", NULL, NULL), 1);
	assert_int_equal(tally(fx, "NOORD", "paper", "bankje", "tegen"), 1);
	/* The latest counts: the same answer moves from paper to online. */
	record(fx, hh[1], "online", SURVEY_CONFLICT_LATEST, "voor", NULL);
	assert_tallies_ok(fx->st);
	assert_int_equal(tally(fx, "NOORD", "paper", NULL, NULL), 0);
	assert_int_equal(tally(fx, "NOORD", "online", NULL, NULL), 2);
	/* Removing simulated answers leaves the real ones counted. */
	assert_int_equal(store_responses_remove_simulated(fx->st, &n, NULL),
			 STORE_REFUSED);
	assert_tallies_ok(fx->st);
	/* A tally changed behind the layer's back is found. */
	assert_int_equal(store_exec(fx->st,
				    "UPDATE tally SET n = n + 1 WHERE"
				    " question_id = 'kleur'",
				    NULL),
			 0);
	assert_int_equal(store_counts_check(fx->st, &ok, NULL, NULL), STORE_OK);
	assert_false(ok);
}

static void store_with_responses(struct fixture *fx)
{
	open_store(fx, STORE_CREATE);
	apply_ok(fx, base_yaml, NULL);
	add_response(fx->st, add_household(fx->st, "NOORD"), "online", "bankje",
		     "voor", "kleur", "blauw", "leeftijd", "80", "opmerking",
		     "Graag met een prullenbak erbij.", NULL);
	add_response(fx->st, add_household(fx->st, "ZUID"), "paper", "bankje",
		     "tegen", "kleur", "groen", "leeftijd", "34", NULL);
	assert_int_equal(count_responses(fx->st), 2);
}

/* ---- opening ----------------------------------------------------------- */

static void test_open_create(void **state)
{
	struct fixture *fx = *state;
	char *mode;

	assert_int_not_equal(access(fx->db, F_OK), 0);
	open_store(fx, STORE_CREATE);
	assert_int_equal(access(fx->db, F_OK), 0);
	assert_string_equal(fx->st->path, fx->db);

	mode = query_text(fx->st, "PRAGMA journal_mode");
	assert_non_null(mode);
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(query_int(fx->st, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_int(fx->st, "PRAGMA synchronous"), 2);
	assert_int_equal(query_int(fx->st, "PRAGMA user_version"),
			 STORE_SCHEMA_VERSION);
	/* The schema is there, and empty. */
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM meta"), 0);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM household"),
			 0);
	assert_int_equal(count_responses(fx->st), 0);
	/* The foreign keys are enforced, not just declared. */
	assert_int_equal(store_exec(fx->st,
				    "INSERT INTO household(buurt_id)"
				    " VALUES ('NERGENS')",
				    NULL),
			 -1);

	/* Opening again (both modes) keeps the version and the settings. */
	store_free(fx->st);
	fx->st = NULL;
	open_store(fx, STORE_CREATE);
	assert_int_equal(query_int(fx->st, "PRAGMA user_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(query_int(fx->st, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_int(fx->st, "PRAGMA synchronous"), 2);
}

static void test_open_existing_missing(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT;

	assert_null(store_open(fx->db, STORE_EXISTING, &err));
	assert_non_null(strstr(err.buf, "draagvlak init"));
	assert_non_null(strstr(err.buf, fx->db));
	/* and it did not create the file on the way */
	assert_int_not_equal(access(fx->db, F_OK), 0);
	strbuf_release(&err);
}

static void test_open_existing_without_survey(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT;

	open_store(fx, STORE_CREATE);
	store_free(fx->st);
	fx->st = NULL;
	assert_null(store_open(fx->db, STORE_EXISTING, &err));
	assert_non_null(strstr(err.buf, "no survey"));
	assert_non_null(strstr(err.buf, "draagvlak init"));
	strbuf_release(&err);

	/* Once a survey is applied, the same open succeeds. */
	open_store(fx, STORE_CREATE);
	apply_ok(fx, base_yaml, NULL);
	store_free(fx->st);
	fx->st = NULL;
	open_store(fx, STORE_EXISTING);
}

static void test_open_newer_schema(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT, sql = STRBUF_INIT;
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	strbuf_addf(&sql, "CREATE TABLE future(x); PRAGMA user_version = %d;",
		    STORE_SCHEMA_VERSION + 1);
	assert_int_equal(sqlite3_exec(db, sql.buf, NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);

	assert_null(store_open(fx->db, STORE_EXISTING, &err));
	assert_non_null(strstr(err.buf, "newer draagvlak"));
	strbuf_reset(&err);
	assert_null(store_open(fx->db, STORE_CREATE, &err));
	assert_non_null(strstr(err.buf, "newer draagvlak"));

	/* The file was not touched: still the newer version, no tables added. */
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	{
		sqlite3_stmt *stmt = NULL;

		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version",
						    -1, &stmt, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(stmt, 0),
				 STORE_SCHEMA_VERSION + 1);
		sqlite3_finalize(stmt);
		assert_int_equal(
			sqlite3_prepare_v2(db,
					   "SELECT count(*) FROM sqlite_master"
					   " WHERE name = 'meta'",
					   -1, &stmt, NULL),
			SQLITE_OK);
		assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(stmt, 0), 0);
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
	strbuf_release(&err);
	strbuf_release(&sql);
}

static void test_open_not_sqlite(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT;
	static const char text[] =
		"openbareruimtenaam;huisnummer;postcode\n"
		"Kerkstraat;1;4849 AB\n"
		"This is an address list, not a SQLite database, and it is "
		"long enough to fill the first page a database would have.\n";

	write_text_file(fx->db, text, sizeof(text) - 1);
	assert_null(store_open(fx->db, STORE_EXISTING, &err));
	assert_true(err.len > 0);
	assert_non_null(strstr(err.buf, fx->db));
	strbuf_reset(&err);
	assert_null(store_open(fx->db, STORE_CREATE, &err));
	assert_true(err.len > 0);
	strbuf_release(&err);
	/* The file is as it was. */
	{
		char *now = read_text_file(fx->db);

		assert_string_equal(now, text);
		free(now);
	}
}

/*
 * Turn the store at fx->db back into what schema 4 wrote: the channel
 * checked with IN (nothing else changed in 4 -> 5), and without the
 * tables of later schemas.
 */
static void make_schema_4(struct fixture *fx, const char *extra_sql)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3 *db = NULL;

	strbuf_addstr(&sql,
		      "PRAGMA writable_schema = ON;"
		      "UPDATE sqlite_schema SET sql = replace(sql,"
		      " 'channel = ''online'' OR channel = ''paper''"
		      " OR channel = ''scan''',"
		      " 'channel IN (''online'', ''paper'', ''scan'')')"
		      " WHERE name = 'response';"
		      "PRAGMA writable_schema = OFF;"
		      "DROP TABLE tally; DROP TABLE tally_response;"
		      "DROP TABLE tally_household;"
		      /* schema 8: community evenings */
		      "DROP TABLE evening_checkin;"
		      "DROP TABLE evening_merge; DROP TABLE evening_laptop;"
		      /* schema 9: invitations.c */
		      "DROP TABLE invitation; DROP TABLE account_event;"
		      /* schema 10: sessions.c */
		      "DROP TABLE staff_session; DROP TABLE answer_view;"
		      /* schema 11: the life of a survey */
		      "DROP TABLE lifecycle; DROP TABLE count_record;"
		      "DROP TABLE code_replacement;"
		      "DROP TABLE archive_statement;"
		      /* schema 12: one server for many surveys */
		      "DROP TABLE host_survey; DROP TABLE organisation;"
		      "ALTER TABLE account DROP COLUMN organisation;"
		      /* schema 13: reminder waves */
		      "DROP TABLE reminder_letter; DROP TABLE reminder_wave;"
		      /* schema 14: responses per day */
		      "DROP TRIGGER tally_day_insert;"
		      "DROP TRIGGER tally_day_delete;"
		      "DROP TRIGGER tally_day_update; DROP TABLE tally_day;"
		      "DROP TABLE summer_time;"
		      /* schema 15: the voting unit, address.resident */
		      "CREATE TABLE address_old("
		      "  household_id INTEGER PRIMARY KEY"
		      "    REFERENCES household(id) ON DELETE CASCADE,"
		      "  street TEXT NOT NULL, number INTEGER NOT NULL,"
		      "  letter TEXT NOT NULL DEFAULT '' COLLATE NOCASE,"
		      "  addition TEXT NOT NULL DEFAULT '' COLLATE NOCASE,"
		      "  postcode TEXT NOT NULL, place TEXT NOT NULL,"
		      "  UNIQUE (postcode, number, letter, addition));"
		      "INSERT INTO address_old SELECT household_id, street,"
		      "  number, letter, addition, postcode, place"
		      "  FROM address;"
		      "DROP TABLE address;"
		      "ALTER TABLE address_old RENAME TO address;"
		      "PRAGMA user_version = 4;");
	if (extra_sql)
		strbuf_addstr(&sql, extra_sql);
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql.buf, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("making schema 4: %s", sqlite3_errmsg(db));
	sqlite3_close(db);
	strbuf_release(&sql);
}

static void test_migrate_from_schema_4(void **state)
{
	struct fixture *fx = *state;
	char *sql;

	store_with_responses(fx);
	/* A superseded response (entered while another counted). */
	assert_int_equal(store_exec(fx->st,
				    "INSERT INTO response(household_id,"
				    " channel, superseded_by)"
				    " SELECT household_id, 'online', id"
				    " FROM response WHERE id = 1",
				    NULL),
			 0);
	store_free(fx->st);
	fx->st = NULL;
	make_schema_4(fx, NULL);

	open_store(fx, STORE_EXISTING);
	assert_int_equal(query_int(fx->st, "PRAGMA user_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(query_int(fx->st, "PRAGMA foreign_keys"), 1);
	sql = query_text(fx->st, "SELECT sql FROM sqlite_schema"
				 " WHERE name = 'response'");
	assert_null(strstr(sql, " IN "));
	free(sql);
	/* Every row, link and index is still there and still enforced. */
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM response"), 3);
	assert_int_equal(query_int(fx->st, "SELECT superseded_by FROM response"
					   " WHERE id = 3"),
			 1);
	assert_int_equal(
		query_int(fx->st, "SELECT count(*) FROM answer_export"), 7);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM sqlite_schema"
					   " WHERE tbl_name = 'response'"
					   " AND type = 'index'"),
			 3);
	sql = query_text(fx->st, "PRAGMA integrity_check");
	assert_string_equal(sql, "ok");
	free(sql);
	/* Schema 7 filled the tallies from the counting responses. */
	assert_tallies_ok(fx->st);
	assert_int_equal(query_int(fx->st, "SELECT sum(n) FROM tally_response"),
			 2);
	/* Schema 13 the responses per day, kept by triggers after. */
	assert_int_equal(query_int(fx->st, "SELECT sum(n) FROM tally_day"), 2);
	assert_int_equal(store_exec(fx->st,
				    "UPDATE response SET superseded_by = 3"
				    " WHERE id = 1;"
				    "UPDATE response SET superseded_by = NULL"
				    " WHERE id = 3;"
				    "UPDATE response SET created_at ="
				    " '2027-03-28T22:30:00Z' WHERE id = 3",
				    NULL),
			 0);
	assert_int_equal(query_int(fx->st, "SELECT n FROM tally_day"
					   " WHERE day = '2027-03-29'"),
			 1);
	assert_int_equal(query_int(fx->st, "SELECT sum(n) FROM tally_day"), 2);
	assert_int_equal(store_exec(fx->st,
				    "INSERT INTO response(household_id,"
				    " channel) VALUES (2, 'fax')",
				    NULL),
			 -1);
	assert_int_equal(store_exec(fx->st,
				    "INSERT INTO response(household_id,"
				    " channel) VALUES (999, 'online')",
				    NULL),
			 -1);
	/* A household cannot count twice (response_current). */
	assert_int_equal(store_exec(fx->st,
				    "INSERT INTO response(household_id,"
				    " channel) VALUES (2, 'paper')",
				    NULL),
			 -1);
	/* A deleted response still takes its answers along. */
	assert_int_equal(
		store_exec(fx->st, "DELETE FROM response WHERE id = 2", NULL),
		0);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM answer"
					   " WHERE response_id = 2"),
			 0);
	/* and out of the responses per day */
	assert_int_equal(query_int(fx->st, "SELECT sum(n) FROM tally_day"), 1);
}

/* A migration that would leave a dangling row is not committed. */
static void test_migrate_refuses_broken_reference(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT;
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;

	store_with_responses(fx);
	store_free(fx->st);
	fx->st = NULL;
	make_schema_4(fx, "PRAGMA foreign_keys = OFF;"
			  "INSERT INTO answer VALUES (77, 'bankje', 'voor');");

	assert_null(store_open(fx->db, STORE_EXISTING, &err));
	assert_non_null(strstr(err.buf, "table answer refers to a missing "
					"response"));
	assert_non_null(strstr(err.buf, "schema 5"));
	strbuf_release(&err);

	/* Still schema 4, with the same rows: nothing half done. */
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT (SELECT user_version FROM"
					    " pragma_user_version),"
					    " (SELECT count(*) FROM response)",
					    -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 4);
	assert_int_equal(sqlite3_column_int(stmt, 1), 2);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

/* ---- applying a definition -------------------------------------------- */

static void test_apply_sample(void **state)
{
	struct fixture *fx = *state;
	struct survey *s = load_file(DORST_YAML), *back;
	char *yaml = read_text_file(DORST_YAML), *v;
	struct store_changes c;
	struct strbuf err = STRBUF_INIT;
	size_t nr_options = 0;

	open_store(fx, STORE_CREATE);
	poison(&c);
	if (store_definition_apply(fx->st, s, yaml, &c, &err) != STORE_OK)
		fail_msg("the Dorst sample is refused: %s", err.buf);
	assert_true(c.created);
	assert_false(c.agreement_changed);

	for (size_t i = 0; i < s->nr_questions; i++)
		nr_options += s->questions[i].nr_options;
	assert_int_equal(s->nr_questions, 8);
	assert_int_equal(s->nr_buurten, 3);
	/* voor/tegen/neutraal, voor/tegen, 4, 7, ja/nee */
	assert_int_equal(nr_options, 3 + 2 + 4 + 7 + 2);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM question"),
			 s->nr_questions);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM option"),
			 nr_options);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM buurt"),
			 s->nr_buurten);
	assert_int_equal(query_int(fx->st,
				   "SELECT count(*) FROM option"
				   " WHERE question_id = 'verlichting'"),
			 2);
	assert_int_equal(query_int(fx->st, "SELECT households FROM buurt"
					   " WHERE id = 'BU08260101'"),
			 176);
	assert_int_equal(query_int(fx->st, "SELECT position FROM buurt"
					   " WHERE id = 'BU08260102'"),
			 2);
	assert_int_equal(query_int(fx->st, "SELECT position FROM question"
					   " WHERE id = 'opmerking'"),
			 7);
	v = query_text(fx->st, "SELECT type FROM question WHERE id = 'wensen'");
	assert_string_equal(v, "multi");
	free(v);
	v = query_text(fx->st,
		       "SELECT value FROM meta WHERE key = 'survey_id'");
	assert_string_equal(v, "dorst-speelveld-2027");
	free(v);
	v = query_text(fx->st,
		       "SELECT value FROM meta WHERE key = 'definition'");
	assert_string_equal(v, yaml);
	free(v);

	/* What comes back is the same survey. */
	back = store_definition_load(fx->st, &err);
	if (!back)
		fail_msg("store_definition_load: %s", err.buf);
	assert_string_equal(back->id, s->id);
	assert_int_equal(back->nr_questions, s->nr_questions);
	assert_int_equal(back->nr_buurten, s->nr_buurten);
	for (size_t i = 0; i < s->nr_questions; i++) {
		const struct survey_question *a = &s->questions[i];
		const struct survey_question *b = &back->questions[i];

		assert_string_equal(b->id, a->id);
		assert_int_equal(b->type, a->type);
		assert_int_equal(b->nr_options, a->nr_options);
		for (size_t k = 0; k < a->nr_options; k++)
			assert_string_equal(b->options[k].id, a->options[k].id);
		assert_int_equal(b->min, a->min);
		assert_int_equal(b->max, a->max);
	}
	for (size_t i = 0; i < s->nr_buurten; i++) {
		assert_string_equal(back->buurten[i].id, s->buurten[i].id);
		assert_string_equal(back->buurten[i].name, s->buurten[i].name);
		assert_int_equal(back->buurten[i].households,
				 s->buurten[i].households);
	}
	assert_int_equal(back->agreement.decision, s->agreement.decision);
	survey_free(back);

	/* The same definition again: an update that changes nothing. */
	poison(&c);
	if (store_definition_apply(fx->st, s, yaml, &c, &err) != STORE_OK)
		fail_msg("applying the same definition again: %s", err.buf);
	assert_false(c.created);
	assert_int_equal(c.questions_added + c.questions_removed +
				 c.questions_changed,
			 0);
	assert_int_equal(
		c.buurten_added + c.buurten_removed + c.buurten_changed, 0);
	assert_false(c.agreement_changed);
	assert_false(c.texts_changed);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM option"),
			 nr_options);

	/* And a store reopened as EXISTING reads it too. */
	store_free(fx->st);
	fx->st = NULL;
	open_store(fx, STORE_EXISTING);
	back = store_definition_load(fx->st, &err);
	assert_non_null(back);
	assert_string_equal(back->id, "dorst-speelveld-2027");
	survey_free(back);

	survey_free(s);
	free(yaml);
	strbuf_release(&err);
}

static void test_apply_other_survey(void **state)
{
	struct fixture *fx = *state;
	char *dorst = read_text_file(DORST_YAML);
	char *other = read_text_file(OOSTERHEIDE_YAML);
	struct survey *o = load_file(OOSTERHEIDE_YAML);

	open_store(fx, STORE_CREATE);
	apply_ok(fx, dorst, NULL);
	apply_refused(fx, other, "dorst-speelveld-2027", o->id, (char *)NULL);
	survey_free(o);
	free(dorst);
	free(other);
}

static void test_apply_renamed_survey(void **state)
{
	struct fixture *fx = *state;
	char *renamed = edit(base_yaml, "survey: testdorp-bankje-2027",
			     "survey: testdorp-bankje-2028");

	open_store(fx, STORE_CREATE);
	apply_ok(fx, base_yaml, NULL);
	apply_refused(fx, renamed, "testdorp-bankje-2027",
		      "testdorp-bankje-2028", (char *)NULL);
	free(renamed);
}

static void test_edit_before_responses(void **state)
{
	struct fixture *fx = *state;
	struct store_changes c;
	char *v2 = edit(base_yaml, Q_OPMERKING, "");
	char *v3;
	char *v;

	open_store(fx, STORE_CREATE);
	apply_ok(fx, base_yaml, &c);
	assert_true(c.created);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM question"), 4);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM option"),
			 3 + 3);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM buurt"), 2);

	/* A question removed, an option removed, a buurt added, the
	 * agreement changed. */
	v2 = edit_free(v2, OPT_BLAUW, "");
	v2 = edit_free(v2, LAST_BUURT, LAST_BUURT BUURT_WEST);
	v2 = edit_free(v2, "\"> 50%\"", "\">= 60%\"");
	poison(&c);
	apply_ok(fx, v2, &c);
	assert_false(c.created);
	assert_int_equal(c.questions_added, 0);
	assert_int_equal(c.questions_removed, 1);
	assert_int_equal(c.questions_changed, 1); /* kleur lost an option */
	assert_int_equal(c.buurten_added, 1);
	assert_int_equal(c.buurten_removed, 0);
	/* NOORD and ZUID inherit the survey-wide rule, so theirs changed. */
	assert_int_equal(c.buurten_changed, 2);
	assert_true(c.agreement_changed);

	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM question"), 3);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM question"
					   " WHERE id = 'opmerking'"),
			 0);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM option"
					   " WHERE question_id = 'kleur'"),
			 2);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM option"
					   " WHERE id = 'blauw'"),
			 0);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM buurt"), 3);
	assert_int_equal(query_int(fx->st, "SELECT position FROM buurt"
					   " WHERE id = 'WEST'"),
			 2);
	assert_int_equal(query_int(fx->st, "SELECT households FROM buurt"
					   " WHERE id = 'WEST'"),
			 25);
	v = query_text(fx->st,
		       "SELECT value FROM meta WHERE key = 'definition'");
	assert_string_equal(v, v2);
	free(v);
	{
		struct strbuf err = STRBUF_INIT;
		struct survey *back = store_definition_load(fx->st, &err);

		assert_non_null(back);
		assert_int_equal(back->agreement.min_in_favour.cmp,
				 AGREEMENT_GE);
		assert_int_equal(back->agreement.min_in_favour.num * 100,
				 back->agreement.min_in_favour.den * 60);
		assert_null(survey_find_question(back, "opmerking"));
		survey_free(back);
		strbuf_release(&err);
	}

	/* Then a question added, a buurt removed (no households) and the
	 * options reordered. */
	v3 = edit(v2, "buurten:\n", Q_PLEK "buurten:\n");
	v3 = edit_free(v3, BUURT_ZUID, "");
	v3 = edit_free(v3, OPT_ROOD, "");
	v3 = edit_free(v3, "      - { id: groen, label: Groen }\n",
		       OPT_ROOD "      - { id: groen, label: Groen }\n");
	poison(&c);
	apply_ok(fx, v3, &c);
	assert_false(c.created);
	assert_int_equal(c.questions_added, 1);
	assert_int_equal(c.questions_removed, 0);
	assert_int_equal(c.questions_changed, 1); /* kleur's order */
	assert_int_equal(c.buurten_added, 0);
	assert_int_equal(c.buurten_removed, 1);
	assert_int_equal(c.buurten_changed, 0);
	assert_false(c.agreement_changed);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM question"), 4);
	assert_int_equal(query_int(fx->st, "SELECT position FROM question"
					   " WHERE id = 'plek'"),
			 3);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM option"
					   " WHERE question_id = 'plek'"),
			 2);
	assert_int_equal(query_int(fx->st, "SELECT position FROM option"
					   " WHERE question_id = 'kleur'"
					   " AND id = 'rood'"),
			 0);
	assert_int_equal(query_int(fx->st, "SELECT position FROM option"
					   " WHERE question_id = 'kleur'"
					   " AND id = 'groen'"),
			 1);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM buurt"
					   " WHERE id = 'ZUID'"),
			 0);
	assert_int_equal(query_int(fx->st, "SELECT position FROM buurt"
					   " WHERE id = 'WEST'"),
			 1);
	free(v2);
	free(v3);
}

static void test_remove_buurt_with_households(void **state)
{
	struct fixture *fx = *state;
	struct strbuf err = STRBUF_INIT;
	long long first = 0;
	char *without_zuid = edit(base_yaml, BUURT_ZUID, BUURT_WEST);

	open_store(fx, STORE_CREATE);
	apply_ok(fx, base_yaml, NULL);
	if (store_households_add_anonymous(fx->st, "ZUID", 3, &first, &err) !=
	    STORE_OK)
		fail_msg("add_anonymous: %s", err.buf);
	assert_int_equal(first, 1);
	apply_refused(fx, without_zuid, "ZUID", "Testdorp-Zuid", "3 households",
		      (char *)NULL);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM household"
					   " WHERE buurt_id = 'ZUID'"),
			 3);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM buurt"
					   " WHERE id = 'WEST'"),
			 0);

	/* NOORD has no households and may go. */
	{
		char *without_noord =
			edit(base_yaml,
			     "  - id: NOORD\n    name: Testdorp-Noord\n    "
			     "households: 40\n",
			     "");
		struct store_changes c;

		apply_ok(fx, without_noord, &c);
		assert_int_equal(c.buurten_removed, 1);
		assert_int_equal(
			query_int(fx->st, "SELECT count(*) FROM buurt"), 1);
		free(without_noord);
	}
	free(without_zuid);
	strbuf_release(&err);
}

/* ---- after the first responses ---------------------------------------- */

static void test_agreement_frozen(void **state)
{
	struct fixture *fx = *state;
	char *stricter = edit(base_yaml, "\"> 50%\"", "\">= 60%\"");
	char *quorum = edit(base_yaml, "  min_in_favour:",
			    "  min_response: 30%\n  min_in_favour:");
	char *buurt_override =
		edit(base_yaml, LAST_BUURT,
		     LAST_BUURT "    agreement:\n"
				"      min_in_favour: \">= 2/3\"\n");
	char *same_rule = edit(base_yaml, "\"> 50%\"", "\"> 1/2\"");
	char *corrected = edit(base_yaml, "agreed_on: 2027-02-01",
			       "agreed_on: 2027-02-02");
	struct store_changes c;

	store_with_responses(fx);
	apply_refused(fx, stricter, "agreement", (char *)NULL);
	apply_refused(fx, quorum, "agreement", (char *)NULL);
	apply_refused(fx, buurt_override, "agreement", (char *)NULL);
	/* The same rule in other words is no change ... */
	apply_ok(fx, same_rule, &c);
	assert_false(c.agreement_changed);
	/* ... nor is correcting when it was agreed. */
	apply_ok(fx, corrected, &c);
	assert_false(c.agreement_changed);
	free(stricter);
	free(quorum);
	free(buurt_override);
	free(same_rule);
	free(corrected);
}

static void test_remove_answered_question(void **state)
{
	struct fixture *fx = *state;
	char *without = edit(base_yaml, Q_OPMERKING, "");
	struct survey *s = load_yaml(without);
	struct strbuf err = STRBUF_INIT;

	store_with_responses(fx);
	apply_refused(fx, without, "'opmerking'", (char *)NULL);

	/* The reason is given once, not once per pass over the answers. */
	assert_int_equal(store_definition_apply(fx->st, s, without, NULL, &err),
			 STORE_REFUSED);
	if (count_occurrences(err.buf, "'opmerking'") != 1)
		fail_msg("question 'opmerking' is reported %zu times:\n%s",
			 count_occurrences(err.buf, "'opmerking'"), err.buf);
	survey_free(s);
	free(without);
	strbuf_release(&err);
}

static void test_remove_unanswered_question(void **state)
{
	struct fixture *fx = *state;
	struct store_changes c;
	char *with_plek = edit(base_yaml, "buurten:\n", Q_PLEK "buurten:\n");

	open_store(fx, STORE_CREATE);
	apply_ok(fx, with_plek, NULL);
	add_response(fx->st, add_household(fx->st, "NOORD"), "online", "bankje",
		     "voor", NULL);
	/* Nobody answered plek: it may go. */
	apply_ok(fx, base_yaml, &c);
	assert_int_equal(c.questions_removed, 1);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM question"
					   " WHERE id = 'plek'"),
			 0);
	free(with_plek);
}

static void test_narrow_range(void **state)
{
	struct fixture *fx = *state;
	char *narrow = edit(base_yaml, "    max: 120\n", "    max: 70\n");
	char *raised = edit(base_yaml, "    min: 0\n", "    min: 40\n");
	char *still_fits = edit(base_yaml, "    max: 120\n", "    max: 80\n");
	struct store_changes c;

	store_with_responses(fx); /* answers 80 and 34 */
	apply_refused(fx, narrow, "'leeftijd'", "'80'", (char *)NULL);
	apply_refused(fx, raised, "'leeftijd'", "'34'", (char *)NULL);
	apply_ok(fx, still_fits, &c);
	assert_int_equal(c.questions_changed, 1);
	free(narrow);
	free(raised);
	free(still_fits);
}

static void test_remove_answered_option(void **state)
{
	struct fixture *fx = *state;
	char *no_blauw = edit(base_yaml, OPT_BLAUW, "");
	char *no_rood = edit(base_yaml, OPT_ROOD, "");
	char *as_scale =
		edit(base_yaml,
		     "    type: choice\n"
		     "    text: Welke kleur moet het bankje krijgen?\n"
		     "    options:\n"
		     "      - { id: groen, label: Groen }\n" OPT_ROOD OPT_BLAUW,
		     "    type: scale\n"
		     "    text: Welke kleur moet het bankje krijgen?\n"
		     "    min: 1\n"
		     "    max: 5\n");
	struct store_changes c;

	store_with_responses(fx); /* blauw and groen answered */
	apply_refused(fx, no_blauw, "'kleur'", "'blauw'", (char *)NULL);
	apply_refused(fx, as_scale, "'kleur'", (char *)NULL);
	/* Nobody chose rood: it may go. */
	apply_ok(fx, no_rood, &c);
	assert_int_equal(c.questions_changed, 1);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM option"
					   " WHERE question_id = 'kleur'"),
			 2);
	free(no_blauw);
	free(no_rood);
	free(as_scale);
}

static void test_texts_and_new_question_after_responses(void **state)
{
	struct fixture *fx = *state;
	char *texts = edit(base_yaml, "title: Een bankje op het Dorpsplein",
			   "title: Een nieuw bankje op het Dorpsplein");
	char *added;
	struct store_changes c;

	texts = edit_free(texts, "text: Hoe oud bent u?",
			  "text: Wat is uw leeftijd?");
	texts = edit_free(texts, "{ id: groen, label: Groen }",
			  "{ id: groen, label: Donkergroen }");
	store_with_responses(fx);

	poison(&c);
	apply_ok(fx, texts, &c);
	assert_false(c.created);
	assert_int_equal(c.questions_added + c.questions_removed +
				 c.questions_changed,
			 0);
	assert_int_equal(
		c.buurten_added + c.buurten_removed + c.buurten_changed, 0);
	assert_false(c.agreement_changed);
	/* store.h: texts_changed says "only wording, dates or settings". */
	assert_true(c.texts_changed);
	{
		struct strbuf err = STRBUF_INIT;
		struct survey *back = store_definition_load(fx->st, &err);

		assert_non_null(back);
		assert_string_equal(survey_text_get(&back->title, SURVEY_NL),
				    "Een nieuw bankje op het Dorpsplein");
		assert_string_equal(
			survey_text_get(
				&survey_find_question(back, "leeftijd")->text,
				SURVEY_NL),
			"Wat is uw leeftijd?");
		survey_free(back);
		strbuf_release(&err);
	}

	added = edit(texts, "buurten:\n", Q_PLEK "buurten:\n");
	poison(&c);
	apply_ok(fx, added, &c);
	assert_int_equal(c.questions_added, 1);
	assert_int_equal(c.questions_removed, 0);
	assert_int_equal(c.questions_changed, 0);
	assert_false(c.agreement_changed);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM question"), 5);
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM option"
					   " WHERE question_id = 'plek'"),
			 2);
	/* A new buurt is fine too: nobody there has answered. */
	{
		char *west = edit(added, LAST_BUURT, LAST_BUURT BUURT_WEST);

		apply_ok(fx, west, &c);
		assert_int_equal(c.buurten_added, 1);
		assert_false(c.agreement_changed);
		free(west);
	}
	/* The answers are all still there. */
	assert_int_equal(query_int(fx->st, "SELECT count(*) FROM answer"), 7);
	assert_int_equal(count_responses(fx->st), 2);
	free(texts);
	free(added);
}

/* ---- the export view ---------------------------------------------------- */

struct collected {
	char **tokens;
	char **streets;
	long long *ids;
	size_t nr, alloc;
	size_t alloc_t, alloc_s;
};

static int collect(const struct store_household *h, void *data)
{
	struct collected *c = data;

	ALLOC_GROW(c->tokens, c->nr + 1, c->alloc_t);
	ALLOC_GROW(c->streets, c->nr + 1, c->alloc_s);
	ALLOC_GROW(c->ids, c->nr + 1, c->alloc);
	c->tokens[c->nr] = xstrdup(h->token);
	c->streets[c->nr] = xstrdup(h->street ? h->street : "");
	c->ids[c->nr] = h->id;
	c->nr++;
	return 0;
}

static void test_answer_export(void **state)
{
	struct fixture *fx = *state;
	static const char *const want[] = { "response", "buurt", "channel",
					    "question", "value" };
	char *yaml = read_text_file(DORST_YAML);
	struct collected c = { 0 };
	struct diag_list dl;
	struct survey_import_result res;
	struct strbuf err = STRBUF_INIT;
	sqlite3_stmt *stmt;
	size_t rows = 0, i;

	open_store(fx, STORE_CREATE);
	apply_ok(fx, yaml, NULL);

	/* The columns, by PRAGMA and by a query. */
	stmt = store_prepare(fx->st, "PRAGMA table_info(answer_export)", &err);
	assert_non_null(stmt);
	for (i = 0; sqlite3_step(stmt) == SQLITE_ROW; i++) {
		assert_true(i < 5);
		assert_string_equal((const char *)sqlite3_column_text(stmt, 1),
				    want[i]);
	}
	assert_int_equal(i, 5);
	sqlite3_finalize(stmt);
	stmt = store_prepare(fx->st, "SELECT * FROM answer_export", &err);
	assert_non_null(stmt);
	assert_int_equal(sqlite3_column_count(stmt), 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(sqlite3_column_name(stmt, (int)i), want[i]);
	sqlite3_finalize(stmt);

	/* Addressed households, some of whom answer. */
	diag_list_init(&dl, DORST_CSV);
	if (survey_households_import(fx->st, fx->s, DORST_CSV, false, &dl,
				     &res) < 0)
		fail_with_diags(DORST_CSV, &dl);
	diag_list_release(&dl);
	assert_int_equal(store_households_each(fx->st, NULL, collect, &c, &err),
			 0);
	assert_true(c.nr > 100);
	for (i = 0; i < c.nr; i += 10)
		add_response(fx->st, c.ids[i], i % 20 ? "paper" : "online",
			     "speelveld", "voor", "verlichting", "tegen",
			     "wensen", "trapveld", "wensen", "bankjes",
			     "tevreden", "4", "aantal_kinderen", "2",
			     "opmerking", "Fijn dat er eindelijk iets gebeurt.",
			     NULL);

	stmt = store_prepare(fx->st,
			     "SELECT response, buurt, channel, question,"
			     " value FROM answer_export",
			     &err);
	assert_non_null(stmt);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		rows++;
		for (int col = 0; col < 5; col++) {
			const char *v =
				(const char *)sqlite3_column_text(stmt, col);

			assert_non_null(v);
			for (size_t k = 0; k < c.nr; k++) {
				if (strstr(v, c.tokens[k]))
					fail_msg("the export holds code %s",
						 c.tokens[k]);
				if (*c.streets[k] && strstr(v, c.streets[k]))
					fail_msg("the export holds street %s",
						 c.streets[k]);
			}
		}
	}
	sqlite3_finalize(stmt);
	assert_int_equal(rows, ((c.nr + 9) / 10) * 7);

	/* A superseded response leaves the export. */
	assert_int_equal(store_exec(fx->st,
				    "UPDATE response SET superseded_by ="
				    " (SELECT max(id) FROM response)"
				    " WHERE id = (SELECT min(id)"
				    " FROM response)",
				    NULL),
			 0);
	assert_int_equal(
		query_int(fx->st, "SELECT count(*) FROM answer_export"),
		(long long)rows - 7);

	for (i = 0; i < c.nr; i++) {
		free(c.tokens[i]);
		free(c.streets[i]);
	}
	free(c.tokens);
	free(c.streets);
	free(c.ids);
	free(yaml);
	strbuf_release(&err);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_open_create),
		T(test_open_existing_missing),
		T(test_open_existing_without_survey),
		T(test_open_newer_schema),
		T(test_open_not_sqlite),
		T(test_migrate_from_schema_4),
		T(test_migrate_refuses_broken_reference),
		T(test_apply_sample),
		T(test_apply_other_survey),
		T(test_apply_renamed_survey),
		T(test_edit_before_responses),
		T(test_remove_buurt_with_households),
		T(test_agreement_frozen),
		T(test_remove_answered_question),
		T(test_remove_unanswered_question),
		T(test_narrow_range),
		T(test_remove_answered_option),
		T(test_texts_and_new_question_after_responses),
		T(test_answer_export),
		T(test_tallies_follow_answers),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
