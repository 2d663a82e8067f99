/*
 * definition.c - the survey definition in the store, and bringing the
 * store in line with a new one (see definition.h).
 */
#include "definition.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "internal.h"
#include "xalloc.h"
#include "banned.h"

static const char sql_meta_get[] = "SELECT value FROM meta WHERE key = ?";

char *store_meta_get(struct store *st, const char *key)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_meta_get, NULL);
	char *v = NULL;

	if (!stmt)
		return NULL;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (store_step_row(st, stmt, NULL) > 0)
		v = xstrdup(store_col_text(stmt, 0));
	sqlite3_reset(stmt);
	return v;
}

static const char sql_meta_set[] =
	"INSERT INTO meta(key, value) VALUES (?, ?)"
	" ON CONFLICT(key) DO UPDATE SET value = excluded.value";

static int meta_set(struct store *st, const char *key, const char *value,
		    struct strbuf *err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql_meta_set, err);

	if (!stmt)
		return STORE_ERROR;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, value, -1, SQLITE_STATIC);
	return store_step_done(st, stmt, err);
}

char *store_definition_yaml(struct store *st)
{
	return store_meta_get(st, "definition");
}

struct survey *store_definition_load(struct store *st, struct strbuf *err)
{
	char *yaml = store_meta_get(st, "definition");
	char *name = store_meta_get(st, "definition_name");
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
		    struct store_changes *c)
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
static int check_answers_still_valid(struct store *st, const struct survey *s,
				     struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(
		st,
		"SELECT question_id, value, count(*) FROM answer"
		" GROUP BY question_id, value ORDER BY question_id, value",
		err);
	char *removed = NULL; /* the question last found gone */
	int bad = 0, rc;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		const char *qid = store_col_text(stmt, 0);
		const char *value = store_col_text(stmt, 1);
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
	if (rc < 0)
		return STORE_ERROR;
	return bad ? STORE_REFUSED : STORE_OK;
}

static int check_buurten_removable(struct store *st, const struct survey *s,
				   struct strbuf *err)
{
	sqlite3_stmt *stmt = store_prepare(
		st,
		"SELECT b.id, b.name, count(h.id) FROM buurt b"
		" JOIN household h ON h.buurt_id = b.id GROUP BY b.id",
		err);
	int bad = 0, rc;

	if (!stmt)
		return STORE_ERROR;
	while ((rc = store_step_row(st, stmt, err)) > 0) {
		const char *id = store_col_text(stmt, 0);

		if (survey_find_buurt(s, id))
			continue;
		strbuf_addf(err,
			    "\n  buurt %s (%s) has %lld households and "
			    "cannot be removed",
			    id, store_col_text(stmt, 1),
			    sqlite3_column_int64(stmt, 2));
		bad++;
	}
	sqlite3_finalize(stmt);
	if (rc < 0)
		return STORE_ERROR;
	return bad ? STORE_REFUSED : STORE_OK;
}

/* ---- writing the definition ------------------------------------------- */

static int step_done(struct store *st, sqlite3_stmt *stmt, struct strbuf *err)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_DONE) {
		store_sql_error(st, err);
		return -1;
	}
	return 0;
}

static int write_questions(struct store *st, const struct survey *s,
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
	if (store_exec(st,
		       "CREATE TEMP TABLE IF NOT EXISTS keep_q(id TEXT "
		       "PRIMARY KEY);"
		       "CREATE TEMP TABLE IF NOT EXISTS keep_o(q TEXT, "
		       "id TEXT, PRIMARY KEY(q, id));"
		       "DELETE FROM keep_q; DELETE FROM keep_o;",
		       err) < 0)
		return -1;
	q = store_prepare(st, "INSERT INTO keep_q(id) VALUES (?)", err);
	o = store_prepare(st, "INSERT INTO keep_o(q, id) VALUES (?, ?)", err);
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
	if (store_exec(st,
		       "DELETE FROM option WHERE (question_id, id) NOT "
		       "IN (SELECT q, id FROM keep_o);"
		       "DELETE FROM question WHERE id NOT IN (SELECT id "
		       "FROM keep_q);",
		       err) < 0)
		goto out;

	q = store_prepare(
		st,
		"INSERT INTO question(id, position, type) VALUES (?, ?, ?)"
		" ON CONFLICT(id) DO UPDATE SET position = excluded.position,"
		" type = excluded.type",
		err);
	o = store_prepare(
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

static int write_buurten(struct store *st, const struct survey *s,
			 struct strbuf *err)
{
	sqlite3_stmt *b = store_prepare(
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
	del = store_prepare(st, "SELECT id FROM buurt", err);
	if (!del)
		goto out;
	{
		struct strbuf sql = STRBUF_INIT;

		strbuf_addstr(&sql, "DELETE FROM buurt WHERE id NOT IN (");
		for (size_t i = 0; i < s->nr_buurten; i++)
			strbuf_addf(&sql, "%s?", i ? ", " : "");
		strbuf_addch(&sql, ')');
		sqlite3_finalize(del);
		del = store_prepare(st, sql.buf, err);
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

int store_definition_apply(struct store *st, const struct survey *s,
			   const char *yaml, struct store_changes *changes,
			   struct strbuf *err)
{
	struct store_changes c = { 0 };
	char *stored_id = NULL;
	struct survey *old = NULL;
	long long responses = 0;
	int rc, ret = STORE_ERROR;

	if (store_begin(st, err) < 0)
		return STORE_ERROR;
	stored_id = store_meta_get(st, "survey_id");
	if (!stored_id && store_is_host(st)) {
		strbuf_addf(err,
			    "%s is a host's store, which holds no survey; add "
			    "one with 'draagvlak host survey add'",
			    st->path);
		ret = STORE_REFUSED;
		goto out;
	}
	if (stored_id && strcmp(stored_id, s->id)) {
		strbuf_addf(err,
			    "the store %s holds survey '%s', not '%s'; "
			    "give another store with --db",
			    st->path, stored_id, s->id);
		ret = STORE_REFUSED;
		goto out;
	}
	c.created = !stored_id;
	if (stored_id) {
		struct strbuf lerr = STRBUF_INIT;
		char *old_yaml = store_meta_get(st, "definition");

		old = store_definition_load(st, &lerr);
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
	if (store_query_int(st, "SELECT count(*) FROM response", 0, 0,
			    &responses, err) < 0)
		goto out;
	rc = check_buurten_removable(st, s, err);
	if (rc != STORE_OK) {
		if (rc == STORE_REFUSED)
			prefix(err, "cannot update %s:", st->path);
		ret = rc;
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
			ret = STORE_REFUSED;
			goto out;
		}
		rc = check_answers_still_valid(st, s, err);
		if (rc != STORE_OK) {
			if (rc == STORE_REFUSED)
				prefix(err,
				       "the store %s already holds answers, "
				       "and the new definition would "
				       "invalidate them:",
				       st->path);
			ret = rc;
			goto out;
		}
	}
	if (write_questions(st, s, err) < 0 || write_buurten(st, s, err) < 0 ||
	    meta_set(st, "survey_id", s->id, err) < 0 ||
	    meta_set(st, "definition", yaml, err) < 0 ||
	    store_commit(st, err) < 0)
		goto out;
	ret = STORE_OK;
out:
	if (ret != STORE_OK)
		store_rollback(st);
	else if (changes)
		*changes = c;
	survey_free(old);
	free(stored_id);
	return ret;
}
