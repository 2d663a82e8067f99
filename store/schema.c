/*
 * schema.c - the schema of a store and its migrations (see store.h).
 *
 * A store records its schema version in PRAGMA user_version.  Opening a
 * store brings it forward one migration at a time, each in a transaction
 * of its own, so a store is always at one version or the next, never in
 * between.
 */
#include "internal.h"

#include <stdlib.h>

#include "banned.h"

/*
 * Forward migrations: migrations[i] takes the schema from version i to
 * i + 1.  Never edit a migration that has shipped; add a new one.
 */
/* What the triggers of migration 14 count a response by. */
#define DAY_NEW STORE_LOCAL_DAY_SQL("NEW.created_at")
#define DAY_OLD STORE_LOCAL_DAY_SQL("OLD.created_at")
#define BUURT_NEW                                                              \
	"coalesce((SELECT buurt_id FROM household"                             \
	" WHERE id = NEW.household_id), '')"
#define BUURT_OLD                                                              \
	"coalesce((SELECT buurt_id FROM household"                             \
	" WHERE id = OLD.household_id), '')"

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
	/*
	 * 5 -> 6: simulated answers marked by a column of their own.  Until
	 * now `draagvlak simulate` knew its answers by entered_by =
	 * 'simulatie', which is also a valid account name: it removed a real
	 * paper form entered by a volunteer of that name.  Online answers
	 * never have an entered_by, so those are simulated; paper ones only
	 * when no account has that name (otherwise they stay real: simulate
	 * then refuses to run, and nothing is lost).
	 */
	"ALTER TABLE response ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0"
	"  CHECK (simulated = 0 OR simulated = 1);"
	"UPDATE response SET simulated = 1 WHERE entered_by = 'simulatie'"
	"  AND (channel = 'online' OR NOT EXISTS"
	"   (SELECT 1 FROM account WHERE name = 'simulatie'));",
	/*
	 * 6 -> 7: the counts kept up to date as answers are committed, in
	 * the same transaction, so that a count can never disagree with
	 * the answers and reading it costs the same for a million
	 * responses as for ten: per buurt, channel, question and value how
	 * many counting responses gave it (free texts are not counted),
	 * and per buurt and channel how many counting responses there are.
	 * Derived data: no foreign keys, filled from what is there.
	 */
	"CREATE TABLE tally("
	"  buurt_id TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  question_id TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (buurt_id, channel, question_id, value)"
	") WITHOUT ROWID;"
	"CREATE TABLE tally_response("
	"  buurt_id TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (buurt_id, channel)"
	") WITHOUT ROWID;"
	/* And the households per buurt, with and without an address. */
	"CREATE TABLE tally_household("
	"  buurt_id TEXT PRIMARY KEY,"
	"  households INTEGER NOT NULL,"
	"  with_address INTEGER NOT NULL"
	") WITHOUT ROWID;"
	/* The audit counts replaced answers without reading every one. */
	"CREATE INDEX response_superseded ON response(household_id)"
	"  WHERE superseded_by IS NOT NULL;" STORE_TALLY_FILL_SQL,
	/*
	 * 7 -> 8: community evenings (store/evening.c).  The laptops a
	 * copy was made for; what a merge brought home from which laptop
	 * (each laptop row once: merging twice changes nothing); and the
	 * check-in desk: a household that answered on paper at the
	 * evening, or through a proxy with written consent.  The personal
	 * side: none of it reaches the answers or an export.
	 */
	"CREATE TABLE evening_laptop("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  copied_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  merged_at TEXT"
	") WITHOUT ROWID;"
	"CREATE TABLE evening_merge("
	"  laptop TEXT NOT NULL REFERENCES evening_laptop(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('response', 'entry')),"
	"  origin_id INTEGER NOT NULL,"
	"  household_id INTEGER NOT NULL REFERENCES household(id),"
	"  origin_at TEXT NOT NULL,"
	"  outcome TEXT NOT NULL CHECK (outcome IN"
	"    ('counted', 'conflict', 'waiting', 'differs')),"
	"  response_id INTEGER REFERENCES response(id),"
	"  entry_id INTEGER REFERENCES paper_entry(id),"
	"  merged_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  PRIMARY KEY (laptop, kind, origin_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE evening_checkin("
	"  id INTEGER PRIMARY KEY,"
	"  household_id INTEGER NOT NULL REFERENCES household(id),"
	"  laptop TEXT NOT NULL DEFAULT '',"
	"  origin_id INTEGER,"
	"  volunteer TEXT NOT NULL,"
	"  proxy TEXT,"
	"  consent_shown INTEGER NOT NULL DEFAULT 0"
	"    CHECK (consent_shown = 0 OR consent_shown = 1),"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  CHECK (proxy IS NULL OR consent_shown = 1),"
	"  UNIQUE (laptop, origin_id)"
	");"
	"CREATE INDEX evening_checkin_household ON "
	"evening_checkin(household_id);",
	/*
	 * 8 -> 9: the board manages its people from the browser
	 * (invitations.c).  An invitation is kept by the SHA-256 of its
	 * one-time token, never the token itself, so the file alone cannot
	 * be used to accept one; account_event says who added, invited
	 * and removed whom, and when.
	 */
	"CREATE TABLE invitation("
	"  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('volunteer', 'board')),"
	"  invited_by TEXT NOT NULL,"
	"  expires_at INTEGER NOT NULL"
	");"
	"CREATE TABLE account_event("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL"
	"    CHECK (action IN ('invited', 'joined', 'removed', 'cancelled')),"
	"  name TEXT NOT NULL,"
	"  role TEXT NOT NULL CHECK (role IN ('volunteer', 'board'))"
	");",
	/*
	 * 9 -> 10: staff sessions that survive a restart, kept as the hash
	 * of their id and ending with their account; and who of the board
	 * looked at a household's online answers (store/sessions.h).
	 */
	"CREATE TABLE staff_session("
	"  id_hash BLOB PRIMARY KEY,"
	"  account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL,"
	"  lang INTEGER NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  used INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE INDEX staff_session_account ON staff_session(account);"
	"CREATE TABLE answer_view("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  account TEXT NOT NULL,"
	"  household_id INTEGER NOT NULL REFERENCES household(id),"
	"  why TEXT NOT NULL"
	");",
	/*
	 * 10 -> 11: the life of a survey after its letters (lifecycle.c):
	 * when it closed and was archived, and the secret key that orders
	 * respondents in exports (so that their numbers say nothing of who
	 * answered when); the count records drawn up after closing; codes
	 * replaced for lost letters; and what archiving destroyed.
	 */
	"CREATE TABLE lifecycle("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  closed_at TEXT,"
	"  closed_by TEXT,"
	"  archived_at TEXT,"
	"  export_key BLOB NOT NULL"
	");"
	"INSERT INTO lifecycle(id, export_key) VALUES (1, randomblob(32));"
	"CREATE TABLE count_record("
	"  id INTEGER PRIMARY KEY,"
	"  made_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  made_by TEXT,"
	"  fingerprint TEXT NOT NULL,"
	"  verdicts TEXT NOT NULL,"
	"  canonical TEXT NOT NULL"
	");"
	"CREATE TABLE code_replacement("
	"  id INTEGER PRIMARY KEY,"
	"  household_id INTEGER NOT NULL REFERENCES household(id),"
	"  replaced_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  replaced_by TEXT"
	");"
	"CREATE TABLE archive_statement("
	"  id INTEGER PRIMARY KEY,"
	"  archived_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  statement TEXT NOT NULL"
	");",
	/*
	 * 11 -> 12: one server for many surveys (host.h).  A host store
	 * (meta 'host') lists the organisations and their surveys, and
	 * holds every account of the server: an account belongs to one
	 * organisation (NULL: the host's administrators, and every account
	 * of a single-survey store), and so do its invitations and their
	 * record.  A session remembers the survey it works on.
	 */
	"CREATE TABLE organisation("
	"  slug TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
	");"
	"CREATE TABLE host_survey("
	"  slug TEXT PRIMARY KEY,"
	"  organisation TEXT NOT NULL REFERENCES organisation(slug),"
	"  file TEXT NOT NULL UNIQUE,"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
	");"
	"ALTER TABLE account ADD COLUMN organisation TEXT;"
	"ALTER TABLE invitation ADD COLUMN organisation TEXT;"
	"ALTER TABLE account_event ADD COLUMN organisation TEXT;"
	"ALTER TABLE staff_session ADD COLUMN survey TEXT;",
	/*
	 * 12 -> 13: reminder waves (reminders.c): each wave of second
	 * letters, by whom, to whom (the households that had not answered,
	 * or all), and which households it wrote to, so that its letters
	 * can be made again as they were printed.
	 */
	"CREATE TABLE reminder_wave("
	"  id INTEGER PRIMARY KEY,"
	"  made_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  made_by TEXT NOT NULL,"
	"  scope TEXT NOT NULL CHECK (scope IN ('nonresponders', 'all')),"
	"  buurt_id TEXT REFERENCES buurt(id),"
	"  households INTEGER NOT NULL CHECK (households > 0)"
	");"
	"CREATE TABLE reminder_letter("
	"  wave INTEGER NOT NULL REFERENCES reminder_wave(id),"
	"  household_id INTEGER NOT NULL REFERENCES household(id),"
	"  PRIMARY KEY (wave, household_id)"
	") WITHOUT ROWID;",
	/*
	 * 13 -> 14: the counting responses per day in the Netherlands,
	 * buurt and channel (counts.h, the board's chart of them), kept
	 * like the other tallies so that the background count stays cheap:
	 * counting them from a million responses took 2.5 s, reading this
	 * tally takes nothing worth measuring.  Kept by triggers rather than
	 * by responses.c, because every path that makes a response count
	 * or stop counting (recording, the three-step hand-over, removing
	 * simulated answers, an evening's merge) changes superseded_by or
	 * inserts or deletes a row.  A migration that rebuilds the
	 * response table must create them again.  They cost about 2
	 * microseconds per response that starts or stops counting
	 * (measured on the Dorst store), with the day looked up in
	 * summer_time (STORE_LOCAL_DAY_SQL), against 7 with date() working
	 * out the last Sundays each time.
	 */
	"CREATE TABLE summer_time("
	"  year INTEGER PRIMARY KEY,"
	"  starts TEXT NOT NULL,"
	"  ends TEXT NOT NULL"
	");"
	"WITH RECURSIVE y(n) AS (SELECT 1970 UNION ALL SELECT n + 1 FROM y"
	"  WHERE n < 2199)"
	" INSERT INTO summer_time(year, starts, ends) SELECT n,"
	"  date(n || '-03-25', 'weekday 0') || 'T01:00:00Z',"
	"  date(n || '-10-25', 'weekday 0') || 'T01:00:00Z' FROM y;"
	"CREATE TABLE tally_day("
	"  day TEXT NOT NULL,"
	"  buurt_id TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (day, buurt_id, channel)"
	") WITHOUT ROWID;"
	"CREATE TRIGGER tally_day_insert AFTER INSERT ON response"
	"  WHEN NEW.superseded_by IS NULL BEGIN"
	"  INSERT INTO tally_day(day, buurt_id, channel, n) SELECT " DAY_NEW
	"   , " BUURT_NEW ", NEW.channel, 1 WHERE true"
	"   ON CONFLICT DO UPDATE SET n = n + 1;"
	" END;"
	"CREATE TRIGGER tally_day_delete AFTER DELETE ON response"
	"  WHEN OLD.superseded_by IS NULL BEGIN"
	"  INSERT INTO tally_day(day, buurt_id, channel, n) SELECT " DAY_OLD
	"   , " BUURT_OLD ", OLD.channel, -1 WHERE true"
	"   ON CONFLICT DO UPDATE SET n = n - 1;"
	" END;"
	"CREATE TRIGGER tally_day_update AFTER UPDATE OF superseded_by,"
	"  created_at, channel, household_id ON response BEGIN"
	"  INSERT INTO tally_day(day, buurt_id, channel, n) SELECT " DAY_OLD
	"   , " BUURT_OLD ", OLD.channel, -1 WHERE OLD.superseded_by IS NULL"
	"   ON CONFLICT DO UPDATE SET n = n - 1;"
	"  INSERT INTO tally_day(day, buurt_id, channel, n) SELECT " DAY_NEW
	"   , " BUURT_NEW ", NEW.channel, 1 WHERE NEW.superseded_by IS NULL"
	"   ON CONFLICT DO UPDATE SET n = n + 1;"
	" END;" STORE_TALLY_DAY_FILL_SQL,
	/*
	 * 14 -> 15: the voting unit (issue 15).  With voting_unit resident
	 * an address has a unit (household row, code, form) per voter of
	 * 18+: resident says which one it is, residents how many the
	 * address has, so the uniqueness of an address takes the resident
	 * in.  SQLite changes a constraint only by rebuilding the table.
	 */
	"CREATE TABLE address_new("
	"  household_id INTEGER PRIMARY KEY"
	"    REFERENCES household(id) ON DELETE CASCADE,"
	"  street TEXT NOT NULL,"
	"  number INTEGER NOT NULL,"
	"  letter TEXT NOT NULL DEFAULT '' COLLATE NOCASE,"
	"  addition TEXT NOT NULL DEFAULT '' COLLATE NOCASE,"
	"  postcode TEXT NOT NULL,"
	"  place TEXT NOT NULL,"
	"  resident INTEGER NOT NULL DEFAULT 1 CHECK (resident >= 1),"
	"  residents INTEGER NOT NULL DEFAULT 1 CHECK (residents >= resident),"
	"  UNIQUE (postcode, number, letter, addition, resident)"
	");"
	"INSERT INTO address_new(household_id, street, number, letter,"
	"  addition, postcode, place) SELECT household_id, street, number,"
	"  letter, addition, postcode, place FROM address;"
	"DROP TABLE address;"
	"PRAGMA legacy_alter_table = ON;"
	"ALTER TABLE address_new RENAME TO address;"
	"PRAGMA legacy_alter_table = OFF;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) ==
		       STORE_SCHEMA_VERSION,
	       "one migration per schema version");

/*
 * Whether the open transaction left a row pointing at nothing: 1 (with
 * the first such row named in err), 0, or STORE_ERROR.
 */
static int broken_reference(struct store *st, struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(st, "PRAGMA foreign_key_check", err);
	int rc;

	if (!stmt)
		return STORE_ERROR;
	rc = store_step_row(st, stmt, err);
	if (rc > 0)
		strbuf_addf(err, "row %lld of table %s refers to a missing %s",
			    sqlite3_column_int64(stmt, 1),
			    store_col_text(stmt, 0), store_col_text(stmt, 2));
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Bring the schema up to STORE_SCHEMA_VERSION, a migration per
 * transaction.  Foreign keys are off meanwhile, because SQLite changes
 * a table's constraints only by rebuilding it, and dropping the old
 * table would delete whatever refers to it; instead every migration
 * is checked for broken references before it commits.
 */
int store_schema_migrate(struct store *st, struct strbuf *err)
{
	struct strbuf sql = STRBUF_INIT;
	long long version = -1;
	int ret = STORE_ERROR;

	if (store_query_int(st, "PRAGMA user_version", 0, 0, &version, NULL) <
	    0) {
		strbuf_addf(err, "%s is not a draagvlak store (%s)", st->path,
			    sqlite3_errmsg(st->db));
		goto out;
	}
	if (version > STORE_SCHEMA_VERSION) {
		strbuf_addf(err,
			    "%s was written by a newer draagvlak (schema %lld; "
			    "this one knows up to %d); upgrade draagvlak",
			    st->path, version, STORE_SCHEMA_VERSION);
		goto out;
	}
	for (; version < STORE_SCHEMA_VERSION; version++) {
		strbuf_reset(&sql);
		strbuf_addf(&sql,
			    "PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE; %s"
			    " PRAGMA user_version = %lld;",
			    migrations[version], version + 1);
		if (store_exec(st, sql.buf, err) < 0 ||
		    broken_reference(st, err) != 0 ||
		    store_exec(st, "COMMIT", err) < 0) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			strbuf_addf(err, " (while updating it to schema %lld)",
				    version + 1);
			goto out;
		}
	}
	ret = STORE_OK;
out:
	strbuf_release(&sql);
	if (store_exec(st, "PRAGMA foreign_keys = ON",
		       ret == STORE_OK ? err : NULL) < 0)
		ret = STORE_ERROR;
	return ret;
}
