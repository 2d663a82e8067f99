/*
 * reminder.c - the letters of a reminder wave (see reminder.h): the
 * wave's households read from the store, drawn by render_forms() with
 * the wave's text and file names.
 */
#include "reminder.h"

#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "banned.h"

const char *render_reminder_notice(enum store_reminder_scope scope,
				   enum survey_lang lang)
{
	return msg_get(lang, scope == STORE_REMIND_ALL
				     ? MSG_REMIND_NOTICE_ALL
				     : MSG_REMIND_NOTICE_NONRESPONDERS);
}

void render_reminder_prefix(long long wave, char *buf, size_t size)
{
	snprintf(buf, size, "herinnering-%lld", wave);
}

int render_reminder_check(const struct survey *s,
			  enum store_reminder_scope scope, const char *buurt_id,
			  const struct render_options *o, struct strbuf *err)
{
	const char *base = o->base_url ? o->base_url : s->base_url;

	for (size_t i = 0; i < s->nr_buurten; i++) {
		const struct survey_buurt *b = &s->buurten[i];
		struct render_layout *l;
		int rc;

		if (buurt_id && strcmp(buurt_id, b->id))
			continue;
		l = render_layout_new(s, b, o->lang, base, err);
		if (!l)
			return -1;
		rc = render_layout_add_notice(
			l, render_reminder_notice(scope, o->lang), err);
		render_layout_free(l);
		if (rc < 0) {
			strbuf_addf(err, " (buurt %s)", b->id);
			return -1;
		}
	}
	return 0;
}

static int collect(const struct store_household *h, void *data)
{
	render_households_add(data, h);
	return 0;
}

int render_reminder_letters(struct store *st, const struct survey *s,
			    long long wave, const char *buurt_id,
			    const struct render_options *o,
			    struct render_stats *stats, struct strbuf *err)
{
	struct render_households list = { 0 };
	struct store_reminder_wave w;
	struct render_options ro = *o;
	char prefix[32];
	int rc, ret = -1;

	rc = store_reminder_wave_get(st, wave, &w, err);
	if (rc == STORE_NOT_FOUND)
		strbuf_addf(err, "there is no reminder wave %lld", wave);
	if (rc != STORE_OK)
		goto out;
	if (store_reminder_letters_each(st, wave, buurt_id, collect, &list,
					err) != STORE_OK)
		goto out;
	if (!list.nr) {
		ret = 1;
		goto out;
	}
	render_reminder_prefix(wave, prefix, sizeof(prefix));
	ro.prefix = prefix;
	ro.notice = render_reminder_notice(w.scope, o->lang);
	ro.reprint = false;
	ret = render_forms(s, &list, &ro, stats, err);
out:
	render_households_release(&list);
	return ret;
}
