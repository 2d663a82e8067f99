/*
 * msg.c - the message catalogues at run time (see msg.h).
 */
#include "msg.h"

#include <assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "msgfile.h"
#include "xalloc.h"
#include "banned.h"

struct loaded {
	char *code, *name;
	char *texts[MSG__COUNT]; /* NULL: said in Dutch */
};

static struct loaded *loaded[SURVEY_NLANG];
static unsigned nr_loaded;

unsigned msg_nr_langs(void)
{
	return msg_nr_builtin + nr_loaded;
}

static const struct loaded *loaded_of(enum survey_lang lang)
{
	unsigned i = (unsigned)lang;

	if (i < msg_nr_builtin || i >= msg_nr_builtin + nr_loaded)
		return NULL;
	return loaded[i - msg_nr_builtin];
}

const char *msg_get(enum survey_lang lang, enum msg_id id)
{
	const struct loaded *l;

	assert((unsigned)id < MSG__COUNT);
	if ((unsigned)lang < msg_nr_builtin)
		return msg_builtin[lang].texts[id];
	l = loaded_of(lang);
	if (l && l->texts[id])
		return l->texts[id];
	return msg_builtin[SURVEY_NL].texts[id];
}

void msg_put(struct strbuf *sb, enum survey_lang lang, enum msg_id id)
{
	assert(msg_nargs[id] == 0);
	strbuf_addstr(sb, msg_get(lang, id));
}

void msg_addv(struct strbuf *sb, enum survey_lang lang, enum msg_id id,
	      const char *const *args, size_t n)
{
	const char *p = msg_get(lang, id);

	assert(n == msg_nargs[id]);
	for (; *p; p++) {
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}' &&
		    (size_t)(p[1] - '0') <= n) {
			const char *v = args[p[1] - '1'];

			strbuf_addstr(sb, v ? v : "");
			p += 2;
			continue;
		}
		strbuf_addch(sb, *p);
	}
}

const char *survey_lang_code(enum survey_lang lang)
{
	const struct loaded *l = loaded_of(lang);

	if ((unsigned)lang < msg_nr_builtin)
		return msg_builtin[lang].code;
	return l ? l->code : "nl";
}

const char *msg_lang_name(enum survey_lang lang)
{
	const struct loaded *l = loaded_of(lang);

	if ((unsigned)lang < msg_nr_builtin)
		return msg_builtin[lang].name;
	return l ? l->name : msg_builtin[SURVEY_NL].name;
}

int survey_lang_parse(const char *code, enum survey_lang *lang)
{
	for (unsigned i = 0; i < msg_nr_langs(); i++)
		if (!strcasecmp(code, survey_lang_code((enum survey_lang)i))) {
			*lang = (enum survey_lang)i;
			return 0;
		}
	return -1;
}

/* ---- loading further languages ----------------------------------------- */

struct loading {
	struct loaded *l;
	const char *path;
	struct strbuf *warn;
};

static long key_index(const char *key)
{
	for (size_t i = 0; i < MSG__COUNT; i++)
		if (!strcmp(msg_keys[i], key))
			return (long)i;
	return -1;
}

static int load_entry(const char *code, const char *name,
		      const struct msgfile_entry *e, void *data)
{
	struct loading *ld = data;
	long i;

	if (!e) {
		ld->l->code = xstrdup(code);
		ld->l->name = xstrdup(name);
		return 0;
	}
	i = key_index(e->key);
	if (i < 0 || e->nargs != msg_nargs[i]) {
		if (ld->warn)
			strbuf_addf(ld->warn,
				    i < 0 ? "%s:%d: %s is no message; skipped\n"
					  : "%s:%d: %s has other {N} than in "
					    "nl.msg; skipped\n",
				    ld->path, e->line, e->key);
		return 0;
	}
	free(ld->l->texts[i]);
	ld->l->texts[i] = xstrdup(e->text);
	return 0;
}

static void loaded_free(struct loaded *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < MSG__COUNT; i++)
		free(l->texts[i]);
	free(l->code);
	free(l->name);
	free(l);
}

int msg_load_file(const char *path, struct strbuf *warn, struct strbuf *err)
{
	struct strbuf buf = STRBUF_INIT;
	struct loading ld = { xcalloc(1, sizeof(struct loaded)), path, warn };
	enum survey_lang taken;
	int ret = -1;

	if (msg_nr_langs() >= SURVEY_NLANG) {
		strbuf_addf(err, "%s: no room for more than %d languages", path,
			    SURVEY_NLANG);
		goto out;
	}
	if (strbuf_read_file(&buf, path) < 0) {
		strbuf_addf(err, "cannot read %s", path);
		goto out;
	}
	if (msgfile_read(path, buf.buf, buf.len, load_entry, &ld, err))
		goto out;
	if (survey_lang_parse(ld.l->code, &taken) == 0) {
		strbuf_addf(err, "%s: the language '%s' is there already", path,
			    ld.l->code);
		goto out;
	}
	loaded[nr_loaded++] = ld.l;
	ld.l = NULL;
	ret = 0;
out:
	loaded_free(ld.l);
	strbuf_release(&buf);
	return ret;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int msg_load_dir(const char *dir, struct strbuf *warn, struct strbuf *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, alloc = 0;
	int ret = 0;

	if (!d) {
		strbuf_addf(err, "cannot open the folder %s", dir);
		return -1;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 4 && !strcmp(de->d_name + n - 4, ".msg")) {
			ALLOC_GROW(names, nr + 1, alloc);
			names[nr++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	if (nr > 1)
		qsort(names, nr, sizeof(*names), by_name);
	for (size_t i = 0; i < nr; i++) {
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "%s/%s", dir, names[i]);
		if (!ret && msg_load_file(path.buf, warn, err) < 0)
			ret = -1;
		strbuf_release(&path);
		free(names[i]);
	}
	free(names);
	return ret;
}

void msg_unload(void)
{
	for (unsigned i = 0; i < nr_loaded; i++)
		loaded_free(loaded[i]);
	nr_loaded = 0;
}

/* ---- dates ----------------------------------------------------------------- */

void msg_date(struct strbuf *sb, enum survey_lang lang, const char *ymd,
	      int weekday)
{
	struct tm tm = { 0 };
	char day[4], year[8];
	int y, m, d;
	time_t t;

	if (sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
	    d < 1 || d > 31) {
		strbuf_addstr(sb, ymd);
		return;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	snprintf(day, sizeof(day), "%d", d);
	snprintf(year, sizeof(year), "%d", y);
	if (weekday)
		msg_add(sb, lang, MSG_DATE_WITH_WEEKDAY,
			msg_get(lang,
				(enum msg_id)(MSG_DATE_WEEKDAY_0 + tm.tm_wday)),
			day,
			msg_get(lang, (enum msg_id)(MSG_DATE_MONTH_1 + m - 1)),
			year);
	else
		msg_add(sb, lang, MSG_DATE_DAY, day,
			msg_get(lang, (enum msg_id)(MSG_DATE_MONTH_1 + m - 1)),
			year);
}

/* 01:00 UTC on the last Sunday of month (0-based) of year. */
static time_t last_sunday(int year, int month)
{
	struct tm tm = { 0 };
	time_t t;

	tm.tm_year = year - 1900;
	tm.tm_mon = month;
	tm.tm_mday = 31; /* March and October both have 31 days */
	tm.tm_hour = 1;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	return t - (time_t)tm.tm_wday * 24 * 3600;
}

void msg_moment(struct strbuf *sb, enum survey_lang lang, const char *utc)
{
	struct tm tm = { 0 };
	struct strbuf date = STRBUF_INIT;
	char ymd[48], hm[32];
	int y, mo, d, h, mi, s, n = 0;
	time_t t;

	if (sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s,
		   &n) != 6 ||
	    utc[n] || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || s > 60 || y < 1970 || y > 9999) {
		strbuf_addstr(sb, utc);
		return;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	t = timegm(&tm);
	t += t >= last_sunday(y, 2) && t < last_sunday(y, 9) ? 7200 : 3600;
	gmtime_r(&t, &tm);
	snprintf(ymd, sizeof(ymd), "%04d-%02d-%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday);
	snprintf(hm, sizeof(hm), "%02d:%02d", tm.tm_hour, tm.tm_min);
	msg_date(&date, lang, ymd, 0);
	msg_add(sb, lang, MSG_DATE_MOMENT, date.buf, hm);
	strbuf_release(&date);
}
