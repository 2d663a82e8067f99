/*
 * cmd-remind.c - `draagvlak remind`: a reminder wave.  A second letter
 * with a fresh paper form (the household's own code, the same layout,
 * the reminder's text on top) for the households that have not answered
 * or, with --all, for every household; the wave is kept in the store
 * (store/reminders.h) and its letters can be made again with --wave.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "reminder.h"
#include "banned.h"

const char cmd_remind_help[] =
	"usage: draagvlak remind [-d FILE] [--all] [-o DIR] [--buurt ID]\n"
	"                        [--by NAME] [--lang nl|en] [--base-url URL]"
	" [-j N]\n"
	"       draagvlak remind [-d FILE] --wave N [-o DIR] [--buurt ID] ...\n"
	"       draagvlak remind [-d FILE] --list\n"
	"\n"
	"Make a reminder wave: for every household with an address that has\n"
	"not answered yet (online, on paper, scanned or at an evening), a\n"
	"letter with a new paper form under its own code, in delivery order,\n"
	"one file per buurt:\n"
	"\n"
	"  DIR/herinnering-N-BUURT.pdf   (and its .layout.json)\n"
	"\n"
	"N is the wave's number.  The forms have the same layout as the\n"
	"first ones, so they are entered and scanned just the same; page 1\n"
	"says it is a reminder.  Mind that whoever prints and delivers these\n"
	"letters learns which addresses have not answered.  With --all every\n"
	"household gets one instead, saying 'already answered? then ignore\n"
	"this letter': those letters reveal nothing.  Refused after closing.\n"
	"\n"
	"  -d, --db FILE         the store (default: " CMD_DEFAULT_DB ")\n"
	"  -A, --all             every household, not only those that have\n"
	"                        not answered\n"
	"  -o, --output DIR      where to write (default: herinnering)\n"
	"  -b, --buurt ID        only this buurt\n"
	"      --by NAME         who made the wave, for the audit (default:"
	" cli)\n"
	"  -w, --wave N          make the letters of wave N again (nothing\n"
	"                        new is kept)\n"
	"      --list            the waves made, and per buurt how many\n"
	"                        households have not answered\n"
	"  -l, --lang LANG       nl (default) or en, when the survey has "
	"English\n"
	"  -u, --base-url URL    the server's address, as for render\n"
	"  -j, --jobs N          worker processes (default: one per CPU)\n"
	"  -h, --help            show this help\n";

static int print_wave(const struct store_reminder_wave *w, void *data)
{
	(void)data;
	printf("wave %lld  %s  by %s  %" PRIu64 " letters  %s%s%s\n", w->id,
	       w->made_at, w->made_by, w->households,
	       w->scope == STORE_REMIND_ALL ? "to every household"
					    : "to households without an answer",
	       w->buurt_id[0] ? "  buurt " : "", w->buurt_id);
	return 0;
}

static int list(struct store *st, const struct survey *s)
{
	uint64_t *addr = calloc(s->nr_buurten + 1, sizeof(*addr));
	uint64_t *open = calloc(s->nr_buurten + 1, sizeof(*open));
	struct strbuf err = STRBUF_INIT;
	int ret = CMD_FAIL;

	if (!addr || !open) {
		cmd_error("out of memory");
		goto out;
	}
	if (store_reminder_counts(st, s, addr, open, &err) != STORE_OK ||
	    store_reminder_waves_each(st, print_wave, NULL, &err) != STORE_OK) {
		cmd_error("%s", err.buf);
		goto out;
	}
	for (size_t i = 0; i < s->nr_buurten; i++)
		printf("%s  %" PRIu64 " of %" PRIu64
		       " addresses have not answered\n",
		       s->buurten[i].id, open[i], addr[i]);
	ret = CMD_OK;
out:
	free(addr);
	free(open);
	strbuf_release(&err);
	return ret;
}

struct options {
	const char *db, *buurt, *by;
	enum store_reminder_scope scope;
	long long wave;
	bool list;
	struct render_options r;
};

static int run(struct options *o)
{
	struct strbuf err = STRBUF_INIT;
	struct render_stats stats = { 0 };
	struct store *st;
	struct survey *s;
	uint64_t n = 0;
	int rc, ret = CMD_FAIL;

	if (cmd_open_survey(o->db, &st, &s) < 0)
		return CMD_FAIL;
	if (o->buurt && !survey_find_buurt(s, o->buurt)) {
		cmd_error("buurt '%s' is not one of the survey's buurten",
			  o->buurt);
		goto out;
	}
	if (o->list) {
		ret = list(st, s);
		goto out;
	}
	if (!o->wave) {
		/* Nothing is kept that cannot be printed. */
		if (render_reminder_check(s, o->scope, o->buurt, &o->r, &err) <
		    0) {
			cmd_error("%s", err.buf);
			goto out;
		}
		rc = store_reminder_wave_make(st, o->scope, o->buurt, o->by,
					      &o->wave, &n, &err);
		if (rc == STORE_REFUSED) {
			cmd_error("the survey is closed: no reminders after "
				  "closing");
			goto out;
		}
		if (rc == STORE_NOT_FOUND) {
			cmd_error("there is nobody to remind: every household "
				  "with an address%s%s has answered",
				  o->buurt ? " in buurt " : "",
				  o->buurt ? o->buurt : "");
			goto out;
		}
		if (rc != STORE_OK) {
			cmd_error("%s", err.buf);
			goto out;
		}
	}
	rc = render_reminder_letters(st, s, o->wave, o->buurt, &o->r, &stats,
				     &err);
	if (rc < 0) {
		cmd_error("%s", err.buf);
		if (n)
			fprintf(stderr,
				"draagvlak: wave %lld is kept; make its "
				"letters again with 'draagvlak remind --wave "
				"%lld'\n",
				o->wave, o->wave);
		goto out;
	}
	if (rc > 0) {
		cmd_error("wave %lld has no letters%s%s", o->wave,
			  o->buurt ? " for buurt " : "",
			  o->buurt ? o->buurt : "");
		goto out;
	}
	if (stats.qr_note)
		fprintf(stderr, "draagvlak: note: %s\n", stats.qr_note);
	if (stats.odd_pages) {
		struct strbuf m = STRBUF_INIT;
		char pages[24];

		snprintf(pages, sizeof(pages), "%zu", stats.odd_pages);
		msg_add(&m, o->r.lang, MSG_RENDER_ODD_PAGES, pages);
		printf("%s\n", m.buf);
		strbuf_release(&m);
	}
	if (n && o->scope == STORE_REMIND_NONRESPONDERS)
		printf("%s\n", msg_get(o->r.lang, MSG_REMIND_PRIVACY_CLI));
	printf("Reminder wave %lld: wrote %zu PDF file%s (%zu letter%s, %zu "
	       "pages, %.1f MB) to %s.\n",
	       o->wave, stats.files, stats.files == 1 ? "" : "s", stats.forms,
	       stats.forms == 1 ? "" : "s", stats.pages,
	       (double)stats.bytes / 1e6, o->r.outdir);
	ret = CMD_OK;
out:
	strbuf_release(&err);
	survey_free(s);
	store_free(st);
	return ret;
}

int cmd_remind(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "all", no_argument, NULL, 'A' },
		{ "output", required_argument, NULL, 'o' },
		{ "buurt", required_argument, NULL, 'b' },
		{ "by", required_argument, NULL, 'B' },
		{ "wave", required_argument, NULL, 'w' },
		{ "list", no_argument, NULL, 'L' },
		{ "lang", required_argument, NULL, 'l' },
		{ "base-url", required_argument, NULL, 'u' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .db = CMD_DEFAULT_DB, .by = "cli" };
	char *end;
	long long n;
	int c, ret;

	o.r.outdir = "herinnering";
	o.r.progress = true;
	while ((c = getopt_long(argc, argv, "d:Ao:b:w:l:u:j:h", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'd': o.db = optarg; break;
		case 'A': o.scope = STORE_REMIND_ALL; break;
		case 'o': o.r.outdir = optarg; break;
		case 'b': o.buurt = optarg; break;
		case 'B':
			if (!*optarg)
				return cmd_usage_error("remind",
						       "--by needs a name");
			o.by = optarg;
			break;
		case 'w':
			errno = 0;
			n = strtoll(optarg, &end, 10);
			if (errno || *end || n < 1)
				return cmd_usage_error(
					"remind",
					"--wave must be a wave's number, not "
					"'%s'",
					optarg);
			o.wave = n;
			break;
		case 'L': o.list = true; break;
		case 'l':
			if (survey_lang_parse(optarg, &o.r.lang) < 0)
				return cmd_usage_error(
					"remind",
					"--lang must be nl or en, not '%s'",
					optarg);
			break;
		case 'u': o.r.base_url = optarg; break;
		case 'j':
			errno = 0;
			n = strtoll(optarg, &end, 10);
			if (errno || *end || n < 1 || n > 64)
				return cmd_usage_error(
					"remind",
					"--jobs must be a number from 1 to 64, "
					"not '%s'",
					optarg);
			o.r.jobs = (unsigned)n;
			break;
		case 'h': return cmd_print_help("remind");
		default: return cmd_usage_error("remind", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("remind", "unexpected argument '%s'",
				       argv[optind]);
	if (o.wave && o.scope == STORE_REMIND_ALL)
		return cmd_usage_error("remind",
				       "--wave makes an earlier wave's letters "
				       "again; --all is for a new wave");
	/* A file size limit fails the write with a message (render). */
	signal(SIGXFSZ, SIG_IGN);
	ret = run(&o);
	render_cleanup();
	return ret;
}
