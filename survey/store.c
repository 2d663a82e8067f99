/*
 * store.c - the SQLite store of one survey: schema, migrations, and
 * bringing the store in line with a definition (see store.h).
 */
#include "store.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"
#include "banned.h"

/*
 * Forward migrations: migrations[i] takes the schema from version i to
 * i + 1.  Never edit a migration that has shipped; add a new one.
 */
static const char *const migrations[] = {
	/* 0 -> 1: the survey, its households, and their responses. */
	"CREATE TABLE meta("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE buurt("
	"  id TEXT PRIMARY KEY,"
	"  position INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  households INTEGER NOT NULL CHECK (households >= 0)"
	");"
	"CREATE TABLE question("
	"  id TEXT PRIMARY KEY,"
	"  position INTEGER NOT NULL,"
	"  type TEXT NOT NULL"
	");"
	"CREATE TABLE option("
	"  question_id TEXT NOT NULL REFERENCES question(id) ON DELETE CASCADE,"
	"  id TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  PRIMARY KEY (question_id, id)"
	") WITHOUT ROWID;"
	/* The link between both sides: an id and a buurt, nothing personal. */
	"CREATE TABLE household("
	"  id INTEGER PRIMARY KEY,"
	"  buurt_id TEXT NOT NULL REFERENCES buurt(id),"
	"  form_no INTEGER UNIQUE,"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
	");"
	"CREATE INDEX household_buurt ON household(buurt_id);"
	/* The personal side. */
	"CREATE TABLE address("
	"  household_id INTEGER PRIMARY KEY"
	"    REFERENCES household(id) ON DELETE CASCADE,"
	"  street TEXT NOT NULL,"
	"  number INTEGER NOT NULL,"
	"  letter TEXT NOT NULL DEFAULT '' COLLATE NOCASE,"
	"  addition TEXT NOT NULL DEFAULT '' COLLATE NOCASE,"
	"  postcode TEXT NOT NULL,"
	"  place TEXT NOT NULL,"
	"  UNIQUE (postcode, number, letter, addition)"
	");"
	"CREATE TABLE token("
	"  household_id INTEGER PRIMARY KEY"
	"    REFERENCES household(id) ON DELETE CASCADE,"
	"  code TEXT NOT NULL UNIQUE"
	");"
	/* The answers side. */
	"CREATE TABLE response("
	"  id INTEGER PRIMARY KEY,"
	"  household_id INTEGER NOT NULL REFERENCES household(id),"
	"  channel TEXT NOT NULL CHECK (channel IN ('online', 'paper', "
	"'scan')),"
	"  entered_by TEXT,"
	"  lang TEXT NOT NULL DEFAULT 'nl',"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  superseded_by INTEGER REFERENCES response(id)"
	");"
	"CREATE INDEX response_household ON response(household_id);"
	"CREATE TABLE answer("
	"  response_id INTEGER NOT NULL REFERENCES response(id) ON DELETE "
	"CASCADE,"
	"  question_id TEXT NOT NULL REFERENCES question(id),"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (response_id, question_id, value)"
	") WITHOUT ROWID;"
	/* What exports read: the answers side and the buurt, nothing else. */
	"CREATE VIEW answer_export AS"
	"  SELECT r.id AS response, h.buurt_id AS buurt, r.channel AS channel,"
	"         a.question_id AS question, a.value AS value"
	"  FROM answer a"
	"  JOIN response r ON r.id = a.response_id"
	"  JOIN household h ON h.id = r.household_id"
	"  WHERE r.superseded_by IS NULL;",
	/*
	 * 1 -> 2: what the web server needs.  At most one response per
	 * household counts (is not superseded), enforced by the schema;
	 * accounts of volunteers and board members (argon2id hashes);
	 * paper forms entered once and waiting for a second, equal entry;
	 * and the server's own secret keys.
	 */
	"CREATE UNIQUE INDEX response_current ON response(household_id)"
	"  WHERE superseded_by IS NULL;"
	"CREATE TABLE account("
	"  name TEXT PRIMARY KEY,"
	"  role TEXT NOT NULL CHECK (role IN ('volunteer', 'board')),"
	"  pwhash TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
	");"
	"CREATE TABLE paper_entry("
	"  id INTEGER PRIMARY KEY,"
	"  household_id INTEGER NOT NULL REFERENCES household(id),"
	"  entered_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN"
	"    ('waiting', 'matched', 'differs', 'settled', 'rejected')),"
	"  response_id INTEGER REFERENCES response(id)"
	");"
	"CREATE INDEX paper_entry_household ON paper_entry(household_id);"
	"CREATE TABLE paper_entry_answer("
	"  entry_id INTEGER NOT NULL REFERENCES paper_entry(id)"
	"    ON DELETE CASCADE,"
	"  question_id TEXT NOT NULL REFERENCES question(id),"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (entry_id, question_id, value)"
	") WITHOUT ROWID;"
	"CREATE TABLE server_key("
	"  name TEXT PRIMARY KEY,"
	"  value BLOB NOT NULL"
	") WITHOUT ROWID;",
	/*
	 * 2 -> 3: codes that were refused, counted per day, channel and
	 * reason for the audit: a typo (the check symbol caught it) or a
	 * well-formed code of no household (a guess, or a form of another
	 * survey).  Only counts: who typed them is nobody's business.
	 */
	"CREATE TABLE code_rejection("
	"  day TEXT NOT NULL,"
	"  channel TEXT NOT NULL CHECK (channel IN"
	"    ('online', 'paper', 'scan')),"
	"  reason TEXT NOT NULL CHECK (reason IN ('typo', 'unknown')),"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (day, channel, reason)"
	") WITHOUT ROWID;",
	/*
	 * 3 -> 4: scanned forms.  A page read back (or refused) once; a
	 * second scan of the same form page changes nothing.  Per question
	 * the machine's reading, and for a person to check: why it is in
	 * doubt and the cut-out of the question.  The reading with every
	 * box's measurements stays as JSON, to see why.
	 */
	"CREATE TABLE scan_page("
	"  id INTEGER PRIMARY KEY,"
	"  household_id INTEGER REFERENCES household(id),"
	"  page INTEGER,"
	"  of_pages INTEGER,"
	"  layout TEXT,"
	"  source TEXT NOT NULL,"
	"  image_hash TEXT NOT NULL,"
	"  scanned_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  refusal TEXT,"
	"  reason TEXT,"
	"  reading TEXT"
	");"
	"CREATE UNIQUE INDEX scan_page_read ON scan_page(household_id, page)"
	"  WHERE refusal IS NULL;"
	"CREATE UNIQUE INDEX scan_page_image ON scan_page(image_hash);"
	"CREATE TABLE scan_question("
	"  page_id INTEGER NOT NULL REFERENCES scan_page(id) ON DELETE CASCADE,"
	"  question_id TEXT NOT NULL REFERENCES question(id),"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('clear', 'review', 'reviewed')),"
	"  reading TEXT NOT NULL,"
	"  reason TEXT,"
	"  doubt REAL NOT NULL DEFAULT 0,"
	"  crop BLOB,"
	"  answer TEXT,"
	"  reviewed_by TEXT,"
	"  reviewed_at TEXT,"
	"  PRIMARY KEY (page_id, question_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE scan_form("
	"  household_id INTEGER PRIMARY KEY REFERENCES household(id),"
	"  state TEXT NOT NULL CHECK (state IN"
	"    ('incomplete', 'review', 'conflict', 'counted', 'kept')),"
	"  response_id INTEGER REFERENCES response(id)"
	");",
	/*
	 * 4 -> 5: the channel of a response checked with comparisons
	 * instead of IN: SQLite (3.40) builds a temporary b-tree for an IN
	 * list on every INSERT, a quarter of the work of recording an
	 * answer.  The other IN checks guard tables written at a person's
	 * pace and stay.  SQLite changes a constraint only by rebuilding
	 * the table; legacy_alter_table keeps the rename from checking the
	 * view, which names the old table until the new one takes its name.
	 */
	"CREATE TABLE response_new("
	"  id INTEGER PRIMARY KEY,"
	"  household_id INTEGER NOT NULL REFERENCES household(id),"
	"  channel TEXT NOT NULL"
	"    CHECK (channel = 'online' OR channel = 'paper' OR channel = "
	"'scan'),"
	"  entered_by TEXT,"
	"  lang TEXT NOT NULL DEFAULT 'nl',"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  superseded_by INTEGER REFERENCES response(id)"
	");"
	"INSERT INTO response_new SELECT id, household_id, channel, entered_by,"
	"  lang, created_at, superseded_by FROM response;"
	"DROP TABLE response;"
	"PRAGMA legacy_alter_table = ON;"
	"ALTER TABLE response_new RENAME TO response;"
	"PRAGMA legacy_alter_table = OFF;"
	"CREATE INDEX response_household ON response(household_id);"
	"CREATE UNIQUE INDEX response_current ON response(household_id)"
	"  WHERE superseded_by IS NULL;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) ==
		       SURVEY_STORE_VERSION,
	       "one migration per schema version");

void survey_store_error(struct survey_store *st, struct strbuf *err)
{
	if (err)
		strbuf_addf(err, "the store %s: %s", st->path,
			    sqlite3_errmsg(st->db));
}

int survey_store_exec(struct survey_store *st, const char *sql,
		      struct strbuf *err)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (err)
			strbuf_addf(err, "the store %s: %s", st->path,
				    msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *survey_store_prepare(struct survey_store *st, const char *sql,
				   struct strbuf *err)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		if (err)
			survey_store_error(st, err);
		return NULL;
	}
	return stmt;
}

/* A single integer from sql, or -1 on error. */
static long long query_int(struct survey_store *st, const char *sql)
{
	sqlite3_stmt *stmt = survey_store_prepare(st, sql, NULL);
	long long v = -1;

	if (stmt && sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/*
 * Whether the open transaction left a row pointing at nothing: 1 (with
 * the first such row named in err), 0, or -1 on error.
 */
static int broken_reference(struct survey_store *st, struct strbuf *err)
{
	sqlite3_stmt *stmt =
		survey_store_prepare(st, "PRAGMA foreign_key_check", err);
	int rc, ret = -1;

	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		strbuf_addf(err, "row %lld of table %s refers to a missing %s",
			    sqlite3_column_int64(stmt, 1),
			    (const char *)sqlite3_column_text(stmt, 0),
			    (const char *)sqlite3_column_text(stmt, 2));
		ret = 1;
	} else if (rc == SQLITE_DONE) {
		ret = 0;
	} else {
		survey_store_error(st, err);
	}
	sqlite3_finalize(stmt);
	return ret;
}

/*
 * Bring the schema up to SURVEY_STORE_VERSION, a migration per
 * transaction.  Foreign keys are off meanwhile, because SQLite changes
 * a table's constraints only by rebuilding it, and dropping the old
 * table would delete whatever refers to it; instead every migration
 * is checked for broken references before it commits.
 */
static int migrate(struct survey_store *st, struct strbuf *err)
{
	long long version = query_int(st, "PRAGMA user_version");
	struct strbuf sql = STRBUF_INIT;
	int ret = -1;

	if (version < 0) {
		strbuf_addf(err, "%s is not a draagvlak store (%s)", st->path,
			    sqlite3_errmsg(st->db));
		goto out;
	}
	if (version > SURVEY_STORE_VERSION) {
		strbuf_addf(err,
			    "%s was written by a newer draagvlak (schema %lld; "
			    "this one knows up to %d); upgrade draagvlak",
			    st->path, version, SURVEY_STORE_VERSION);
		goto out;
	}
	for (; version < SURVEY_STORE_VERSION; version++) {
		strbuf_reset(&sql);
		strbuf_addf(&sql,
			    "PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE; %s"
			    " PRAGMA user_version = %lld;",
			    migrations[version], version + 1);
		if (survey_store_exec(st, sql.buf, err) < 0 ||
		    broken_reference(st, err) != 0 ||
		    survey_store_exec(st, "COMMIT", err) < 0) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			strbuf_addf(err, " (while updating it to schema %lld)",
				    version + 1);
			goto out;
		}
	}
	ret = 0;
out:
	strbuf_release(&sql);
	if (survey_store_exec(st, "PRAGMA foreign_keys = ON", ret ? NULL : err))
		ret = -1;
	return ret;
}

struct survey_store *survey_store_open(const char *path,
				       enum survey_store_mode mode,
				       struct strbuf *err)
{
	struct survey_store *st;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	if (mode == SURVEY_STORE_EXISTING && access(path, F_OK) != 0) {
		strbuf_addf(err,
			    "there is no store at %s; create it with "
			    "'draagvlak init SURVEY.yaml' or name it with --db",
			    path);
		return NULL;
	}
	if (mode == SURVEY_STORE_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		strbuf_addf(err, "cannot open the store %s: %s", path,
			    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_extended_result_codes(st->db, 1);
	/*
	 * WAL lets the server read while it writes; synchronous=FULL makes a
	 * commit durable before we tell anyone it happened.  migrate()
	 * turns foreign keys on when it is done.
	 */
	if (survey_store_exec(st,
			      "PRAGMA journal_mode = WAL;"
			      "PRAGMA synchronous = FULL;",
			      err) < 0 ||
	    migrate(st, err) < 0)
		goto fail;
	if (mode == SURVEY_STORE_EXISTING &&
	    query_int(st, "SELECT count(*) FROM meta WHERE key = "
			  "'survey_id'") != 1) {
		strbuf_addf(err,
			    "the store %s holds no survey yet; run "
			    "'draagvlak init SURVEY.yaml' first",
			    path);
		goto fail;
	}
	return st;
fail:
	survey_store_free(st);
	return NULL;
}

void survey_store_free(struct survey_store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

long long survey_store_count_responses(struct survey_store *st)
{
	return query_int(st, "SELECT count(*) FROM response");
}

/* The value of a meta key (caller frees), or NULL. */
static char *meta_get(struct survey_store *st, const char *key)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st, "SELECT value FROM meta WHERE key = ?", NULL);
	char *v = NULL;

	if (!stmt)
		return NULL;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return v;
}

/* Run sql, which writes, with two text parameters: 0, or -1 with err. */
static int exec_texts(struct survey_store *st, const char *sql, const char *a,
		      const char *b, struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(st, sql, err);
	int rc;

	if (!stmt)
		return -1;
	sqlite3_bind_text(stmt, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		survey_store_error(st, err);
		return -1;
	}
	return 0;
}

static int meta_set(struct survey_store *st, const char *key, const char *value,
		    struct strbuf *err)
{
	return exec_texts(st,
			  "INSERT INTO meta(key, value) VALUES (?, ?)"
			  " ON CONFLICT(key) DO UPDATE SET value = "
			  "excluded.value",
			  key, value, err);
}

struct survey *survey_store_load(struct survey_store *st, struct strbuf *err)
{
	char *yaml = meta_get(st, "definition");
	char *name = meta_get(st, "definition_name");
	struct diag_list dl;
	struct survey *s = NULL;

	diag_list_init(&dl, name ? name : "stored definition");
	if (!yaml) {
		strbuf_addf(err, "the store %s holds no survey definition",
			    st->path);
		goto out;
	}
	s = survey_load_buffer(dl.file, yaml, strlen(yaml), &dl);
	if (!s) {
		strbuf_addf(err,
			    "the definition stored in %s no longer reads; "
			    "fix it and run 'draagvlak init' again:\n",
			    st->path);
		diag_list_format(&dl, err);
		strbuf_rtrim(err);
	}
out:
	diag_list_release(&dl);
	free(yaml);
	free(name);
	return s;
}

/* ---- comparing the stored definition with a new one ------------------- */

static bool threshold_equal(const struct agreement_threshold *a,
			    const struct agreement_threshold *b)
{
	if (a->set != b->set)
		return false;
	return !a->set ||
	       (a->cmp == b->cmp &&
		(uint64_t)a->num * b->den == (uint64_t)b->num * a->den);
}

/* The rule itself; who agreed it and when may be corrected. */
static bool rule_equal(const struct agreement *a, const struct agreement *b)
{
	return threshold_equal(&a->min_response, &b->min_response) &&
	       threshold_equal(&a->min_in_favour, &b->min_in_favour) &&
	       a->basis == b->basis && a->neutral == b->neutral &&
	       a->blank == b->blank && a->invalid == b->invalid &&
	       a->silent == b->silent && a->decision == b->decision &&
	       a->confidence_permille == b->confidence_permille;
}

static bool question_shape_equal(const struct survey_question *a,
				 const struct survey_question *b)
{
	if (a->type != b->type || a->nr_options != b->nr_options ||
	    a->min != b->min || a->max != b->max ||
	    a->max_length != b->max_length || a->max_choices != b->max_choices)
		return false;
	for (size_t i = 0; i < a->nr_options; i++)
		if (strcmp(a->options[i].id, b->options[i].id))
			return false;
	return true;
}

static void compare(const struct survey *old, const struct survey *s,
		    struct survey_store_changes *c)
{
	for (size_t i = 0; i < s->nr_questions; i++) {
		const struct survey_question *o =
			survey_find_question(old, s->questions[i].id);

		if (!o)
			c->questions_added++;
		else if (!question_shape_equal(o, &s->questions[i]))
			c->questions_changed++;
	}
	for (size_t i = 0; i < old->nr_questions; i++)
		if (!survey_find_question(s, old->questions[i].id))
			c->questions_removed++;
	for (size_t i = 0; i < s->nr_buurten; i++) {
		const struct survey_buurt *b = &s->buurten[i];
		const struct survey_buurt *o = survey_find_buurt(old, b->id);

		if (!o)
			c->buurten_added++;
		else if (strcmp(o->name, b->name) ||
			 o->households != b->households ||
			 !rule_equal(&o->agreement, &b->agreement))
			c->buurten_changed++;
		if (o && !rule_equal(&o->agreement, &b->agreement))
			c->agreement_changed = true;
	}
	for (size_t i = 0; i < old->nr_buurten; i++)
		if (!survey_find_buurt(s, old->buurten[i].id))
			c->buurten_removed++;
	if (old->has_agreement != s->has_agreement ||
	    !rule_equal(&old->agreement, &s->agreement))
		c->agreement_changed = true;
}

/*
 * With responses stored, every stored answer must still be valid under
 * the new definition.  Reports each kind of broken answer once.
 */
static int check_answers_still_valid(struct survey_store *st,
				     const struct survey *s, struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st,
		"SELECT question_id, value, count(*) FROM answer"
		" GROUP BY question_id, value ORDER BY question_id, value",
		err);
	char *removed = NULL; /* the question last found gone */
	int bad = 0;

	if (!stmt)
		return -1;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *qid = (const char *)sqlite3_column_text(stmt, 0);
		const char *value = (const char *)sqlite3_column_text(stmt, 1);
		long long n = sqlite3_column_int64(stmt, 2);
		const struct survey_question *q = survey_find_question(s, qid);

		if (removed && !strcmp(removed, qid))
			continue;
		if (q && survey_question_accepts(q, value))
			continue;
		if (bad++ >= 10)
			continue;
		if (!q) {
			free(removed);
			removed = xstrdup(qid);
			strbuf_addf(err,
				    "\n  question '%s' has stored answers and "
				    "cannot be removed",
				    qid);
			continue;
		}
		strbuf_addf(err,
			    "\n  question '%s' has %lld stored answers "
			    "'%.40s' that the new definition would refuse",
			    qid, n, value);
	}
	if (bad > 10)
		strbuf_addf(err, "\n  and %d more", bad - 10);
	free(removed);
	sqlite3_finalize(stmt);
	return bad ? -1 : 0;
}

static int check_buurten_removable(struct survey_store *st,
				   const struct survey *s, struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st,
		"SELECT b.id, b.name, count(h.id) FROM buurt b"
		" JOIN household h ON h.buurt_id = b.id GROUP BY b.id",
		err);
	int bad = 0;

	if (!stmt)
		return -1;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(stmt, 0);

		if (survey_find_buurt(s, id))
			continue;
		strbuf_addf(err,
			    "\n  buurt %s (%s) has %lld households and "
			    "cannot be removed",
			    id, (const char *)sqlite3_column_text(stmt, 1),
			    sqlite3_column_int64(stmt, 2));
		bad++;
	}
	sqlite3_finalize(stmt);
	return bad ? -1 : 0;
}

/* ---- writing the definition ------------------------------------------- */

static int step_done(struct survey_store *st, sqlite3_stmt *stmt,
		     struct strbuf *err)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_DONE) {
		survey_store_error(st, err);
		return -1;
	}
	return 0;
}

static int write_questions(struct survey_store *st, const struct survey *s,
			   struct strbuf *err)
{
	sqlite3_stmt *q = NULL, *o = NULL;
	int ret = -1;

	/*
	 * Remove what the new definition no longer has; the checks above
	 * made sure no answer refers to it, and the foreign keys would stop
	 * us otherwise.  Positions are moved out of the way first so that
	 * reordering never collides.
	 */
	if (survey_store_exec(st,
			      "CREATE TEMP TABLE IF NOT EXISTS keep_q(id TEXT "
			      "PRIMARY KEY);"
			      "CREATE TEMP TABLE IF NOT EXISTS keep_o(q TEXT, "
			      "id TEXT, PRIMARY KEY(q, id));"
			      "DELETE FROM keep_q; DELETE FROM keep_o;",
			      err) < 0)
		return -1;
	q = survey_store_prepare(st, "INSERT INTO keep_q(id) VALUES (?)", err);
	o = survey_store_prepare(st, "INSERT INTO keep_o(q, id) VALUES (?, ?)",
				 err);
	if (!q || !o)
		goto out;
	for (size_t i = 0; i < s->nr_questions; i++) {
		const struct survey_question *sq = &s->questions[i];

		sqlite3_bind_text(q, 1, sq->id, -1, SQLITE_STATIC);
		if (step_done(st, q, err) < 0)
			goto out;
		for (size_t k = 0; k < sq->nr_options; k++) {
			sqlite3_bind_text(o, 1, sq->id, -1, SQLITE_STATIC);
			sqlite3_bind_text(o, 2, sq->options[k].id, -1,
					  SQLITE_STATIC);
			if (step_done(st, o, err) < 0)
				goto out;
		}
	}
	sqlite3_finalize(q);
	sqlite3_finalize(o);
	q = o = NULL;
	if (survey_store_exec(st,
			      "DELETE FROM option WHERE (question_id, id) NOT "
			      "IN (SELECT q, id FROM keep_o);"
			      "DELETE FROM question WHERE id NOT IN (SELECT id "
			      "FROM keep_q);",
			      err) < 0)
		goto out;

	q = survey_store_prepare(
		st,
		"INSERT INTO question(id, position, type) VALUES (?, ?, ?)"
		" ON CONFLICT(id) DO UPDATE SET position = excluded.position,"
		" type = excluded.type",
		err);
	o = survey_store_prepare(
		st,
		"INSERT INTO option(question_id, id, position) VALUES (?, ?, ?)"
		" ON CONFLICT(question_id, id) DO UPDATE SET"
		" position = excluded.position",
		err);
	if (!q || !o)
		goto out;
	for (size_t i = 0; i < s->nr_questions; i++) {
		const struct survey_question *sq = &s->questions[i];

		sqlite3_bind_text(q, 1, sq->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
		sqlite3_bind_text(q, 3, survey_qtype_name(sq->type), -1,
				  SQLITE_STATIC);
		if (step_done(st, q, err) < 0)
			goto out;
		for (size_t k = 0; k < sq->nr_options; k++) {
			sqlite3_bind_text(o, 1, sq->id, -1, SQLITE_STATIC);
			sqlite3_bind_text(o, 2, sq->options[k].id, -1,
					  SQLITE_STATIC);
			sqlite3_bind_int64(o, 3, (sqlite3_int64)k);
			if (step_done(st, o, err) < 0)
				goto out;
		}
	}
	ret = 0;
out:
	sqlite3_finalize(q);
	sqlite3_finalize(o);
	return ret;
}

static int write_buurten(struct survey_store *st, const struct survey *s,
			 struct strbuf *err)
{
	sqlite3_stmt *b = survey_store_prepare(
		st,
		"INSERT INTO buurt(id, position, name, households)"
		" VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
		" position = excluded.position, name = excluded.name,"
		" households = excluded.households",
		err);
	sqlite3_stmt *del = NULL;
	int ret = -1;

	if (!b)
		return -1;
	for (size_t i = 0; i < s->nr_buurten; i++) {
		sqlite3_bind_text(b, 1, s->buurten[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(b, 2, (sqlite3_int64)i);
		sqlite3_bind_text(b, 3, s->buurten[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(b, 4, s->buurten[i].households);
		if (step_done(st, b, err) < 0)
			goto out;
	}
	/* Buurten gone from the definition (checked to have no households). */
	del = survey_store_prepare(st, "SELECT id FROM buurt", err);
	if (!del)
		goto out;
	{
		struct strbuf sql = STRBUF_INIT;

		strbuf_addstr(&sql, "DELETE FROM buurt WHERE id NOT IN (");
		for (size_t i = 0; i < s->nr_buurten; i++)
			strbuf_addf(&sql, "%s?", i ? ", " : "");
		strbuf_addch(&sql, ')');
		sqlite3_finalize(del);
		del = survey_store_prepare(st, sql.buf, err);
		strbuf_release(&sql);
		if (!del)
			goto out;
		for (size_t i = 0; i < s->nr_buurten; i++)
			sqlite3_bind_text(del, (int)i + 1, s->buurten[i].id, -1,
					  SQLITE_STATIC);
		if (step_done(st, del, err) < 0)
			goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(b);
	sqlite3_finalize(del);
	return ret;
}

/* Put a lead-in sentence before the list of reasons already in err. */
__attribute__((format(printf, 2, 3))) static void prefix(struct strbuf *err,
							 const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	strbuf_add(&msg, err->buf, err->len);
	strbuf_reset(err);
	strbuf_add(err, msg.buf, msg.len);
	strbuf_release(&msg);
}

int survey_store_apply(struct survey_store *st, const struct survey *s,
		       const char *yaml, struct survey_store_changes *changes,
		       struct strbuf *err)
{
	struct survey_store_changes c = { 0 };
	char *stored_id = NULL;
	struct survey *old = NULL;
	long long responses;
	int ret = -1;

	if (survey_store_exec(st, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	stored_id = meta_get(st, "survey_id");
	if (stored_id && strcmp(stored_id, s->id)) {
		strbuf_addf(err,
			    "the store %s holds survey '%s', not '%s'; "
			    "give another store with --db",
			    st->path, stored_id, s->id);
		goto out;
	}
	c.created = !stored_id;
	if (stored_id) {
		struct strbuf lerr = STRBUF_INIT;
		char *old_yaml = meta_get(st, "definition");

		old = survey_store_load(st, &lerr);
		strbuf_release(&lerr);
		if (old)
			compare(old, s, &c);
		c.texts_changed = old_yaml && strcmp(old_yaml, yaml) &&
				  !c.questions_added && !c.questions_removed &&
				  !c.questions_changed && !c.buurten_added &&
				  !c.buurten_removed && !c.buurten_changed &&
				  !c.agreement_changed;
		free(old_yaml);
	}
	responses = survey_store_count_responses(st);
	if (responses < 0) {
		survey_store_error(st, err);
		goto out;
	}
	if (check_buurten_removable(st, s, err) < 0) {
		prefix(err, "cannot update %s:", st->path);
		goto out;
	}
	if (responses > 0) {
		if (c.agreement_changed) {
			strbuf_addf(
				err,
				"the store %s already holds answers, so the "
				"agreement cannot change any more: it was made "
				"with the residents before anyone answered",
				st->path);
			goto out;
		}
		if (check_answers_still_valid(st, s, err) < 0) {
			prefix(err,
			       "the store %s already holds answers, and "
			       "the new definition would invalidate them:",
			       st->path);
			goto out;
		}
	}
	if (write_questions(st, s, err) < 0 || write_buurten(st, s, err) < 0 ||
	    meta_set(st, "survey_id", s->id, err) < 0 ||
	    meta_set(st, "definition", yaml, err) < 0)
		goto out;
	if (survey_store_exec(st, "COMMIT", err) < 0)
		goto out;
	ret = 0;
out:
	if (ret < 0)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	else if (changes)
		*changes = c;
	survey_free(old);
	free(stored_id);
	return ret;
}

int survey_store_note_rejected_code(struct survey_store *st,
				    const char *channel, const char *reason,
				    struct strbuf *err)
{
	return exec_texts(st,
			  "INSERT INTO code_rejection(day, channel, reason, n)"
			  " VALUES (date('now', 'localtime'), ?, ?, 1)"
			  " ON CONFLICT (day, channel, reason) DO UPDATE SET"
			  " n = n + 1",
			  channel, reason, err);
}
