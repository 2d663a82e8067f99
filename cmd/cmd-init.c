/*
 * cmd-init.c - `draagvlak init`: create or update the store from a
 * definition.
 *
 * Running it again after editing the definition updates the store; once
 * answers exist, only changes that keep every answer valid and leave the
 * agreement as it was are taken (see store_definition_apply()).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "banned.h"

const char cmd_init_help[] =
	"usage: draagvlak init [-d FILE] SURVEY.yaml\n"
	"\n"
	"Create the store for the survey defined in SURVEY.yaml, or bring an\n"
	"existing store in line with an edited definition.  Once residents\n"
	"have answered, changes that would invalidate their answers, and any\n"
	"change to the agreement, are refused.\n"
	"\n"
	"  -d, --db FILE  the store (default: " CMD_DEFAULT_DB ")\n"
	"  -h, --help     show this help\n";

static void print_changes(const struct store_changes *c, const struct survey *s,
			  const char *db)
{
	if (c->created) {
		printf("Created %s for '%s': %zu questions, %zu buurten.\n", db,
		       s->id, s->nr_questions, s->nr_buurten);
		printf("Next: import the addresses with 'draagvlak households "
		       "import ADDRESSES.csv'\n"
		       "or add numbered forms with 'draagvlak households add "
		       "--buurt ID --count N'.\n");
		return;
	}
	printf("Updated %s for '%s'.\n", db, s->id);
	if (c->questions_added || c->questions_removed || c->questions_changed)
		printf("  questions: %u added, %u removed, %u changed\n",
		       c->questions_added, c->questions_removed,
		       c->questions_changed);
	if (c->buurten_added || c->buurten_removed || c->buurten_changed)
		printf("  buurten: %u added, %u removed, %u changed\n",
		       c->buurten_added, c->buurten_removed,
		       c->buurten_changed);
	if (c->agreement_changed)
		printf("  the agreement changed\n");
	if (c->texts_changed)
		printf("  only wording, dates or settings changed\n");
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB;
	struct strbuf err = STRBUF_INIT;
	struct store_changes changes;
	struct store *st = NULL;
	struct survey *s = NULL;
	struct diag_list dl;
	struct strbuf yaml = STRBUF_INIT;
	int c, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h': return cmd_print_help("init");
		default: return cmd_usage_error("init", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(
			"init", "name exactly one survey definition file");
	/*
	 * Read once: the store keeps exactly the text that was checked.  Its
	 * mistakes are said as `draagvlak check` says them, in Dutch.
	 */
	diag_list_init(&dl, argv[optind]);
	dl.warning_label = msg_get(SURVEY_NL, MSG_CHECK_WARNING);
	if (strbuf_read_file(&yaml, argv[optind]) < 0) {
		struct strbuf m = STRBUF_INIT;

		msg_add(&m, SURVEY_NL, MSG_CHECK_CANNOT_OPEN, strerror(errno));
		diag_error(&dl, 0, 0, "%s", m.buf);
		strbuf_release(&m);
	} else {
		s = survey_load_buffer_lang(argv[optind], yaml.buf, yaml.len,
					    SURVEY_NL, &dl);
	}
	diag_list_print(&dl, stderr);
	if (!s) {
		struct strbuf m = STRBUF_INIT;
		char n[24];

		snprintf(n, sizeof(n), "%zu", dl.errors);
		msg_add(&m, SURVEY_NL, MSG_INIT_REFUSED, argv[optind], n);
		cmd_error("%s", m.buf);
		strbuf_release(&m);
		goto out;
	}
	st = store_open(db, STORE_CREATE, &err);
	if (!st ||
	    store_definition_apply(st, s, yaml.buf, &changes, &err) != STORE_OK)
		goto fail;
	print_changes(&changes, s, db);
	ret = CMD_OK;
	goto out;
fail:
	cmd_error("%s", err.buf);
out:
	store_free(st);
	survey_free(s);
	diag_list_release(&dl);
	strbuf_release(&err);
	strbuf_release(&yaml);
	return ret;
}
